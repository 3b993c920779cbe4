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

/**
 * The same Catmull-Rom resize on RGBA bytes in plain JS, for the paint where the pixels are on the CPU anyway
 * (wasm, after the readback): the 2D canvas's 'high' smoothing measured no sharper than bilinear on upscaling
 * (scripts/upscale-sheet.ts). Separable, rows first (the smaller pass), alpha opaque. About 16 multiply-adds
 * per output pixel: a 256 px frame to a 1280 px stage is a few tens of milliseconds, against a wasm frame's hundreds.
 */
export function cubicResizeRgba(src: Uint8ClampedArray, w: number, h: number, width: number, height: number): Uint8ClampedArray<ArrayBuffer> {
  const tx = axisTaps(w, width);
  const ty = axisTaps(h, height);
  // Horizontal pass: h rows of `width` RGB floats.
  const mid = new Float32Array(h * width * 3);
  const [xi0, xi1, xi2, xi3] = tx.index as [Int32Array, Int32Array, Int32Array, Int32Array];
  const [xw0, xw1, xw2, xw3] = tx.weight as [Float32Array, Float32Array, Float32Array, Float32Array];
  for (let y = 0; y < h; y++) {
    const row = y * w * 4;
    let o = y * width * 3;
    for (let x = 0; x < width; x++, o += 3) {
      const a = row + xi0[x]! * 4;
      const b = row + xi1[x]! * 4;
      const c = row + xi2[x]! * 4;
      const d = row + xi3[x]! * 4;
      const w0 = xw0[x]!;
      const w1 = xw1[x]!;
      const w2 = xw2[x]!;
      const w3 = xw3[x]!;
      mid[o] = src[a]! * w0 + src[b]! * w1 + src[c]! * w2 + src[d]! * w3;
      mid[o + 1] = src[a + 1]! * w0 + src[b + 1]! * w1 + src[c + 1]! * w2 + src[d + 1]! * w3;
      mid[o + 2] = src[a + 2]! * w0 + src[b + 2]! * w1 + src[c + 2]! * w2 + src[d + 2]! * w3;
    }
  }
  // Vertical pass into RGBA bytes (Uint8ClampedArray clips the cubic's overshoot and rounds).
  const out = new Uint8ClampedArray(width * height * 4);
  const stride = width * 3;
  for (let y = 0; y < height; y++) {
    const a = ty.index[0]![y]! * stride;
    const b = ty.index[1]![y]! * stride;
    const c = ty.index[2]![y]! * stride;
    const d = ty.index[3]![y]! * stride;
    const w0 = ty.weight[0]![y]!;
    const w1 = ty.weight[1]![y]!;
    const w2 = ty.weight[2]![y]!;
    const w3 = ty.weight[3]![y]!;
    let o = y * width * 4;
    for (let i = 0; i < stride; i += 3, o += 4) {
      out[o] = mid[a + i]! * w0 + mid[b + i]! * w1 + mid[c + i]! * w2 + mid[d + i]! * w3;
      out[o + 1] = mid[a + i + 1]! * w0 + mid[b + i + 1]! * w1 + mid[c + i + 1]! * w2 + mid[d + i + 1]! * w3;
      out[o + 2] = mid[a + i + 2]! * w0 + mid[b + i + 2]! * w1 + mid[c + i + 2]! * w2 + mid[d + i + 2]! * w3;
      out[o + 3] = 255;
    }
  }
  return out;
}
