import * as tf from '@tensorflow/tfjs';
import { registerReluMask, RELU_MASK } from '../kernels/relu-mask';

/** How many backends tfjs knew of when the kernel was last registered on every one of them. */
let backendsCovered = 0;

/**
 * The gradient through a ReLU, from its output y: dy where y > 0, else 0. One call site on every backend: the kernel
 * registry picks the implementation (one dispatch on WebGPU, Step and Multiply elsewhere).
 */
export function reluMask(dy: tf.Tensor4D, y: tf.Tensor4D): tf.Tensor4D {
  // Backends can be registered at any time (the WebGPU one once an adapter is found): cover each as it appears.
  if (tf.engine().backendNames().length !== backendsCovered) {
    registerReluMask();
    backendsCovered = tf.engine().backendNames().length;
  }
  return tf.engine().runKernel(RELU_MASK, { dy, y }) as tf.Tensor4D;
}
