import * as tf from '@tensorflow/tfjs';

/**
 * One small tensor to read back: the losses, then the image's sum. A NaN pixel can leave the loss finite (ReLU
 * maps NaN to 0 on some backends), so the image itself is checked too, in the same asynchronous read.
 */
export function healthProbe(losses: tf.Tensor1D, image: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => tf.concat([losses, image.sum().reshape([1])]) as tf.Tensor1D);
}

/** Whether every value read back is finite (the frame is good). */
export function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}
