import * as tf from '@tensorflow/tfjs';
import { invert3 } from '../image/decorrelate';

/**
 * The two rules that keep a long stream's colours a picture's (see docs/dream/README.md, "The endless stream"):
 *
 * 1. **Chroma moves at a coarser scale than luminance.** The gradient is split into luminance and the two chroma
 *    axes (YIQ) and the chroma is blurred by the 5×5 binomial before it is put back. Per-channel gradients are loud
 *    at the pixel scale in all three channels, and fed back frame after frame that fine chroma becomes rainbow
 *    speckle; the eye resolves chroma far more coarsely than luminance anyway (hence chroma subsampling in every
 *    video codec). Colour still grows, as larger patches.
 * 2. **A step stays inside the gamut.** Each pixel's 3-vector step is shortened, as a whole, to the longest that
 *    keeps all its channels in [-1, 1]. Clipping each channel instead keeps only the channels that can move: on
 *    white, every step that brightens any channel loses that part, what is left is a tint, and a white background
 *    turns to pastel rainbow. Shortened, a step at the gamut's edge either moves the pixel inward along its own
 *    direction or not at all.
 *
 * The WebGPU plan does the same in its step kernels (plan/wgsl/step.ts reads these constants).
 */

/** RGB → YIQ (NTSC), as rows: [Y; I; Q] = RGB_TO_YIQ · [R; G; B]. */
export const RGB_TO_YIQ: readonly (readonly [number, number, number])[] = [
  [0.299, 0.587, 0.114],
  [0.595716, -0.274453, -0.321263],
  [0.211456, -0.522591, 0.311135],
];
/** Its exact inverse, so a gradient with no chroma to blur comes back unchanged. */
export const YIQ_TO_RGB: readonly (readonly number[])[] = invert3(RGB_TO_YIQ);
/** The 5-tap binomial the chroma is blurred with, along each axis. */
export const CHROMA_TAPS = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16] as const;

const transpose = (m: readonly (readonly number[])[]) => m[0]!.map((_, j) => m.map((row) => row[j]!));

/** g [1,H,W,3] with its chroma blurred (edges mirrored, the edge pixel repeated); luminance untouched. */
export function smoothChroma(g: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w] = g.shape;
  if (h < 3 || w < 3) return g.clone();
  return tf.tidy(() => {
    const yiq = tf.matMul(g.reshape([b * h * w, 3]) as tf.Tensor2D, tf.tensor2d(transpose(RGB_TO_YIQ))).reshape([b, h, w, 3]) as tf.Tensor4D;
    const y = yiq.slice([0, 0, 0, 0], [-1, -1, -1, 1]);
    const iq = yiq.slice([0, 0, 0, 1], [-1, -1, -1, 2]) as tf.Tensor4D;
    const k = CHROMA_TAPS.flatMap((a) => CHROMA_TAPS.flatMap((c) => [a * c, a * c]));
    const padded = tf.mirrorPad(iq, [[0, 0], [2, 2], [2, 2], [0, 0]], 'symmetric');
    const blurred = tf.depthwiseConv2d(padded, tf.tensor4d(k, [5, 5, 2, 1]), 1, 'valid');
    const back = tf.concat([y, blurred], 3).reshape([b * h * w, 3]) as tf.Tensor2D;
    return tf.matMul(back, tf.tensor2d(transpose(YIQ_TO_RGB))).reshape([b, h, w, 3]) as tf.Tensor4D;
  });
}

/**
 * x + t·step with t ∈ [0, 1] per pixel, the largest that keeps every channel of that pixel in [-1, 1] (x itself
 * in range). A pixel whose step points out of the gamut in any channel at its edge does not move. With `reach`
 * < 1 a pixel takes at most that share of the room left before the edge (a pull that should approach the edge,
 * never land on it).
 */
export function stepInGamut(x: tf.Tensor4D, step: tf.Tensor4D, reach = 1): tf.Tensor4D {
  return tf.tidy(() => {
    const room = tf.where(tf.greater(step, 0), tf.sub(1, x), tf.sub(-1, x));
    const moving = tf.greater(tf.abs(step), 0);
    // A channel that does not move sets no limit (1e30 rather than Infinity: some backends clamp Infinity oddly).
    const ratio = tf.where(moving, tf.div(room, tf.where(moving, step, tf.onesLike(step))), tf.fill(step.shape, 1e30));
    const t = tf.clipByValue(tf.min(ratio, 3, true).mul(reach), 0, 1);
    return x.add(step.mul(t)) as tf.Tensor4D;
  });
}
