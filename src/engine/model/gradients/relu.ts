import * as tf from '@tensorflow/tfjs';
import { registerReluMask, RELU_MASK } from '../kernels/relu-mask';

/**
 * The gradient through a ReLU, from its output y: dy where y > 0, else 0. One call site on every backend: the kernel
 * registry picks the implementation (one dispatch on WebGPU, Step and Multiply elsewhere).
 */
export function reluMask(dy: tf.Tensor4D, y: tf.Tensor4D): tf.Tensor4D {
  registerReluMask();
  return tf.engine().runKernel(RELU_MASK, { dy, y }) as tf.Tensor4D;
}
