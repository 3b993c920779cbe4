import * as tf from '@tensorflow/tfjs';

/** Mean [1,3] and covariance [3,3] of the pixels of [1,H,W,3]. */
function colourStats(x: tf.Tensor4D): { mean: tf.Tensor2D; cov: tf.Tensor2D } {
  return tf.tidy(() => {
    const flat = x.reshape([-1, 3]) as tf.Tensor2D;
    const mean = flat.mean(0, true) as tf.Tensor2D;
    const centred = flat.sub(mean) as tf.Tensor2D;
    const cov = tf.matMul(centred, centred, true, false).div(flat.shape[0]) as tf.Tensor2D;
    return { mean, cov };
  });
}

/** A picture and its share of a mixture. */
export interface Weighted {
  image: tf.Tensor4D;
  weight: number;
}

/**
 * Mean and covariance of the pixels of several pictures pooled, each by its share (not by its pixel count): the
 * colour distribution of a blend of paintings. E[xxᵀ] mixes linearly; the covariance follows from it.
 */
function mixtureStats(parts: readonly Weighted[]): { mean: tf.Tensor2D; cov: tf.Tensor2D } {
  return tf.tidy(() => {
    const total = parts.reduce((s, p) => s + p.weight, 0);
    const stats = parts.map((p) => ({ ...colourStats(p.image), w: p.weight / total }));
    const mean = tf.addN(stats.map((s) => s.mean.mul(s.w))) as tf.Tensor2D;
    const second = tf.addN(stats.map((s) => s.cov.add(tf.matMul(s.mean, s.mean, true, false)).mul(s.w)));
    return { mean, cov: second.sub(tf.matMul(mean, mean, true, false)) as tf.Tensor2D };
  });
}

/**
 * The square root of a symmetric positive-definite 3×3 matrix and of its inverse, by the coupled Newton–Schulz
 * iteration: matrix products only, so it runs on the device with no readback (no eigen-solver in tfjs).
 */
export function sqrtAndInverseSqrt(a: tf.Tensor2D, iterations = 24): { sqrt: tf.Tensor2D; invSqrt: tf.Tensor2D } {
  return tf.tidy(() => {
    const eye = tf.eye(3);
    // A little ridge: a flat-coloured picture has a singular covariance.
    const ridged = a.add(eye.mul(1e-4)) as tf.Tensor2D;
    const norm = ridged.square().sum().sqrt();
    let y = ridged.div(norm) as tf.Tensor2D;
    let z = eye as tf.Tensor2D;
    for (let i = 0; i < iterations; i++) {
      const t = eye.mul(3).sub(tf.matMul(z, y)).mul(0.5) as tf.Tensor2D;
      [y, z] = [tf.matMul(y, t), tf.matMul(t, z)];
    }
    const root = norm.sqrt();
    return { sqrt: y.mul(root) as tf.Tensor2D, invSqrt: z.div(root) as tf.Tensor2D };
  });
}

/**
 * `x` with the colour distribution (mean and covariance) of `reference`: x' = (x − μₓ)·Σₓ^{-1/2}·Σᵣ^{1/2} + μᵣ
 * (Gatys et al. 2017, "Controlling perceptual factors in neural style transfer", colour histogram matching in its
 * linear form). Style transfer from a content picture already in the painting's palette keeps the content's
 * layout while the painting's colours are there from the first frame.
 */
export function matchColours(x: tf.Tensor4D, reference: tf.Tensor4D | readonly Weighted[]): tf.Tensor4D {
  return tf.tidy(() => {
    const src = colourStats(x);
    const ref = reference instanceof tf.Tensor ? colourStats(reference) : mixtureStats(reference);
    const transform = tf.matMul(sqrtAndInverseSqrt(src.cov).invSqrt, sqrtAndInverseSqrt(ref.cov).sqrt);
    const flat = x.reshape([-1, 3]) as tf.Tensor2D;
    return tf.matMul(flat.sub(src.mean) as tf.Tensor2D, transform).add(ref.mean).reshape(x.shape).clipByValue(-1, 1) as tf.Tensor4D;
  });
}
