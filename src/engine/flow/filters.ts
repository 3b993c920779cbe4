import * as tf from '@tensorflow/tfjs';

/**
 * Small separable filters on [1,H,W,C] frames, as depthwise convolutions (one kernel call per direction). Edges
 * are mirrored, so a border does not darken a blur or show up as a step in a derivative.
 */

/** A normalised Gaussian of standard deviation `sigma`, 2·ceil(2σ)+1 taps. */
export function gaussianTaps(sigma: number): number[] {
  const r = Math.max(1, Math.ceil(2 * sigma));
  const taps = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / sum);
}

/** The 5-tap binomial filter (1 4 6 4 1)/16: the Gaussian pyramid's low-pass. */
export const BINOMIAL5 = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];

/** The 5-tap central derivative (−1 8 0 −8 1)/12, d/dx with x growing to the right (as a correlation). */
export const DERIVATIVE5 = [1 / 12, -8 / 12, 0, 8 / 12, -1 / 12];

type Axis = 'x' | 'y';

/**
 * Correlates each channel with `taps` along one axis, mirror-padded, optionally keeping every `stride`-th output.
 * The mirror needs taps.length ≤ 2·side − 1.
 */
export function filter1d(x: tf.Tensor4D, taps: readonly number[], axis: Axis, stride: 1 | 2 = 1): tf.Tensor4D {
  return tf.tidy(() => {
    const c = x.shape[3];
    const r = (taps.length - 1) / 2;
    const shape: [number, number, number, number] = axis === 'x' ? [1, taps.length, c, 1] : [taps.length, 1, c, 1];
    const kernel = tf.tensor4d(taps.flatMap((t) => new Array<number>(c).fill(t)), shape);
    const pad: Array<[number, number]> = axis === 'x' ? [[0, 0], [0, 0], [r, r], [0, 0]] : [[0, 0], [r, r], [0, 0], [0, 0]];
    const padded = tf.mirrorPad(x, pad, 'reflect');
    const strides: [number, number] = axis === 'x' ? [1, stride] : [stride, 1];
    return tf.depthwiseConv2d(padded, kernel as tf.Tensor4D, strides, 'valid');
  });
}

/** Separable blur with the same taps along both axes. */
export function blur(x: tf.Tensor4D, taps: readonly number[]): tf.Tensor4D {
  return tf.tidy(() => filter1d(filter1d(x, taps, 'y'), taps, 'x'));
}

/** Horizontal and vertical derivatives of every channel, [1,H,W,2C] = (∂x of each channel, ∂y of each), per channel pair. */
export function channelGradients(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const c = x.shape[3];
    // Depthwise with a channel multiplier of 2: output channel 2k is ∂x of channel k, 2k + 1 its ∂y.
    const k = new Float32Array(5 * 5 * c * 2);
    const at = (row: number, col: number, ch: number, m: number) => ((row * 5 + col) * c + ch) * 2 + m;
    for (let ch = 0; ch < c; ch++) {
      DERIVATIVE5.forEach((t, i) => {
        k[at(2, i, ch, 0)] = t;
        k[at(i, 2, ch, 1)] = t;
      });
    }
    const padded = tf.mirrorPad(x, [[0, 0], [2, 2], [2, 2], [0, 0]], 'reflect');
    return tf.depthwiseConv2d(padded, tf.tensor4d(k, [5, 5, c, 2]), 1, 'valid');
  });
}

/** The odd box width (≥ 3) whose twice-applied mean has about the standard deviation `sigma` (in its own pixels). */
export function boxWidth(sigma: number): number {
  // Two boxes of width k make a triangle of variance (k² − 1)/6.
  const k = Math.sqrt(6 * sigma * sigma + 1);
  return Math.max(3, 2 * Math.round((k - 1) / 2) + 1);
}

/** The box width at half resolution for a window of `sigma` full-resolution pixels (2×2 means take σ² = ¼ first). */
export function halfBoxWidth(sigma: number): number {
  return boxWidth(Math.sqrt(Math.max(0, sigma * sigma - 0.25)) / 2);
}

/** [1,H,W,3] → its luminance [1,H,W,1] (Rec. 601 weights), the channel optical flow is computed on. */
export function luminance(x: tf.Tensor4D): tf.Tensor4D {
  if (x.shape[3] === 1) return x.clone();
  return tf.tidy(() => tf.conv2d(x, tf.tensor4d([0.299, 0.587, 0.114], [1, 1, 3, 1]), 1, 'valid'));
}
