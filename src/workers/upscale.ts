import * as tf from '@tensorflow/tfjs';

/**
 * A Catmull-Rom (bicubic, a = −0.5) resize on the backend, for the WebGPU paint: the working frame is drawn at the
 * size the stage shows it straight from device memory, sharper than the compositor's bilinear stretch (which blurs
 * every frame pixel into a soft square at 4–8×) and without ringing halos beyond the frame's range (the caller
 * clips). Separable: four gathers and weights per axis, pixel centres aligned (half-pixel), edges clamped.
 */

/** The four taps of each output pixel along one axis: source indices (clamped to the edge) and their weights. */
export interface AxisTaps {
  index: Int32Array[];
  weight: Float32Array[];
}

/** Catmull-Rom weights of the taps at offsets −1, 0, 1, 2 from floor(x), for the fraction t of x. */
export function catmullRom(t: number): [number, number, number, number] {
  const t2 = t * t;
  const t3 = t2 * t;
  return [(-t3 + 2 * t2 - t) / 2, (3 * t3 - 5 * t2 + 2) / 2, (-3 * t3 + 4 * t2 + t) / 2, (t3 - t2) / 2];
}

const tapCache = new Map<string, AxisTaps>();

/** The taps resizing `from` samples to `to` (half-pixel centres: output i samples input (i + 0.5)·from/to − 0.5). */
export function axisTaps(from: number, to: number): AxisTaps {
  const key = `${from}>${to}`;
  const cached = tapCache.get(key);
  if (cached) return cached;
  const index = [0, 1, 2, 3].map(() => new Int32Array(to));
  const weight = [0, 1, 2, 3].map(() => new Float32Array(to));
  const scale = from / to;
  for (let i = 0; i < to; i++) {
    const x = (i + 0.5) * scale - 0.5;
    const x0 = Math.floor(x);
    const w = catmullRom(x - x0);
    for (let k = 0; k < 4; k++) {
      index[k]![i] = Math.min(from - 1, Math.max(0, x0 - 1 + k));
      weight[k]![i] = w[k]!;
    }
  }
  const taps = { index, weight };
  if (tapCache.size > 16) tapCache.clear();
  tapCache.set(key, taps);
  return taps;
}

function resizeAxis(x: tf.Tensor3D, axis: 0 | 1, to: number): tf.Tensor3D {
  const from = x.shape[axis];
  if (from === to) return x;
  const { index, weight } = axisTaps(from, to);
  const shape: [number, number, number] = axis === 0 ? [to, 1, 1] : [1, to, 1];
  let acc: tf.Tensor3D | null = null;
  for (let k = 0; k < 4; k++) {
    const term = tf.gather(x, tf.tensor1d(index[k]!, 'int32'), axis).mul(tf.tensor3d(weight[k]!, shape)) as tf.Tensor3D;
    acc = acc ? (acc.add(term) as tf.Tensor3D) : term;
  }
  return acc!;
}

/** `x` ([H, W, C], any range) resized to height × width with Catmull-Rom; not clipped (it may overshoot a little). */
export function cubicResize(x: tf.Tensor3D, height: number, width: number): tf.Tensor3D {
  return tf.tidy(() => resizeAxis(resizeAxis(x, 0, height), 1, width));
}
