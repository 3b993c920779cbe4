import * as tf from '@tensorflow/tfjs';

/**
 * The square root of ImageNet's RGB colour correlation (Mordvintsev et al., "Differentiable Image
 * Parameterizations", Distill 2018; tensorflow/lucid), its columns scaled so the largest has unit norm. A picture
 * optimised in these coordinates moves along directions natural images vary in, instead of per channel, which
 * is what lets an optimisation reach a painting's palette instead of tinting the photo.
 */
const SQRT_CORRELATION = [
  [0.26, 0.09, 0.02],
  [0.27, 0.0, -0.05],
  [0.27, -0.09, 0.03],
];

const MAX_COLUMN_NORM = Math.max(...[0, 1, 2].map((j) => Math.hypot(...SQRT_CORRELATION.map((row) => row[j]!))));

/** The mixing matrix M (pixel = M·z per pixel) and its inverse, as plain numbers. */
export const COLOUR_MIX: readonly (readonly number[])[] = SQRT_CORRELATION.map((row) => row.map((v) => v / MAX_COLUMN_NORM));

export function invert3(m: readonly (readonly number[])[]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m as number[][] as [[number, number, number], [number, number, number], [number, number, number]];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

/** Per-pixel 3×3 colour maps between pixels and decorrelated coordinates; owns two tiny constant tensors. */
export class ColourBasis {
  /** [3,3]: z·toPixelsT = pixels (a row vector per pixel), i.e. Mᵀ. */
  private readonly toPixelsT: tf.Tensor2D;
  private readonly fromPixelsT: tf.Tensor2D;

  constructor() {
    const mT = COLOUR_MIX.map((_, i) => COLOUR_MIX.map((row) => row[i]!));
    this.toPixelsT = tf.tensor2d(mT);
    this.fromPixelsT = tf.tensor2d(invert3(mT));
  }

  toPixels(z: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => mix(z, this.toPixelsT));
  }

  fromPixels(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => mix(x, this.fromPixelsT));
  }

  dispose(): void {
    this.toPixelsT.dispose();
    this.fromPixelsT.dispose();
  }
}

function mix(x: tf.Tensor4D, m: tf.Tensor2D): tf.Tensor4D {
  const [b, h, w] = x.shape;
  return tf.matMul(x.reshape([b * h * w, 3]) as tf.Tensor2D, m).reshape([b, h, w, 3]) as tf.Tensor4D;
}
