import * as tf from '@tensorflow/tfjs';

export type GradientNorm = 'std' | 'mean-abs';

/**
 * One normalised gradient-ascent step: the gradient is divided by its std (or mean |g|) so `stepSize` means
 * the same at every layer, objective and image size. The result is clipped to the valid pixel range and any
 * pixel that became NaN keeps its previous value, so one bad step can never poison a stream that runs for days.
 */
export function normalisedAscent(x: tf.Tensor4D, grad: tf.Tensor4D, stepSize: number, norm: GradientNorm): tf.Tensor4D {
  return tf.tidy(() => {
    const scale = norm === 'std' ? tf.moments(grad).variance.sqrt() : grad.abs().mean();
    const next = x.add(grad.div(scale.add(1e-8)).mul(stepSize)) as tf.Tensor4D;
    // Guard before clipping: some backends clip NaN to the range's edge, which would hide it as black.
    return keepFinite(next, x).clipByValue(-1, 1) as tf.Tensor4D;
  });
}

/** Where `next` is NaN, fall back to `prev`. */
export function keepFinite(next: tf.Tensor4D, prev: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.where(tf.isNaN(next), prev, next) as tf.Tensor4D);
}
