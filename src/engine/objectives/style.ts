import * as tf from '@tensorflow/tfjs';
import { gram } from './mat-mul';

/** Content loss: mean squared difference of activations. */
export function contentLoss(a: tf.Tensor4D, target: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => tf.squaredDifference(a, target).mean() as tf.Scalar);
}

/** Style loss of one layer: mean squared difference of Gram matrices. */
export function styleLayerLoss(a: tf.Tensor4D, targetGram: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.squaredDifference(gram(a), targetGram).mean() as tf.Scalar);
}

/** Total variation: mean squared difference between neighbouring pixels; smooths the high-frequency noise. */
export function totalVariation(x: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const dy = tf.squaredDifference(x.slice([0, 1, 0, 0], [-1, h - 1, -1, -1]), x.slice([0, 0, 0, 0], [-1, h - 1, -1, -1]));
    const dx = tf.squaredDifference(x.slice([0, 0, 1, 0], [-1, -1, w - 1, -1]), x.slice([0, 0, 0, 0], [-1, -1, w - 1, -1]));
    return dy.mean().add(dx.mean()) as tf.Scalar;
  });
}
