import * as tf from '@tensorflow/tfjs';
import { smoothChroma, stepInGamut } from './colour-step';
import { laplacianNormalise } from './laplacian-normalise';

/** std: the whole gradient by its std; mean-abs: by its mean |g|; laplacian: each frequency band by its own RMS first. */
export type GradientNorm = 'std' | 'mean-abs' | 'laplacian';

/** The TensorFlow DeepDream notebook's `lap_normalize` depth. */
export const DEFAULT_LAPLACIAN_LEVELS = 4;

/**
 * One normalised gradient-ascent step: the gradient is divided by its std (or mean |g|) so `stepSize` means
 * the same at every layer, objective and image size. 'laplacian' equalises the gradient's frequency bands first and
 * then divides by the std of that, so a step is as large per pixel as with 'std', only spread over more scales.
 * The gradient's chroma moves at a coarser scale than its luminance, and each pixel's step is shortened to stay inside
 * the gamut (colour-step.ts: what keeps a stream's colours alive for hours). Any pixel that became NaN keeps its
 * previous value, so one bad step can never poison a stream that runs for days.
 */
export function normalisedAscent(
  x: tf.Tensor4D,
  grad: tf.Tensor4D,
  stepSize: number,
  norm: GradientNorm,
  laplacianLevels = DEFAULT_LAPLACIAN_LEVELS,
): tf.Tensor4D {
  // Each stage in its own scope and its input freed at once: the same operations, but a picture-sized step (a tiled
  // 4K dream) holds two or three copies of the picture at a time rather than every intermediate.
  return tf.tidy(() => {
    const banded = norm === 'laplacian' ? laplacianNormalise(grad, laplacianLevels) : grad;
    const g = smoothChroma(banded);
    if (banded !== grad) banded.dispose();
    const scale = tf.tidy(() => (norm === 'mean-abs' ? g.abs().mean() : tf.moments(g).variance.sqrt()));
    const next = tf.tidy(() => stepInGamut(x, g.div(scale.add(1e-8)).mul(stepSize) as tf.Tensor4D));
    g.dispose();
    // Guard before clipping: some backends clip NaN to the range's edge, which would hide it as black.
    const finite = keepFinite(next, x);
    next.dispose();
    return finite.clipByValue(-1, 1) as tf.Tensor4D;
  });
}

/** Where `next` is NaN, fall back to `prev`. */
export function keepFinite(next: tf.Tensor4D, prev: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.where(tf.isNaN(next), prev, next) as tf.Tensor4D);
}
