import * as tf from '@tensorflow/tfjs';
import { registerWebGpuReluMask, RELU_MASK } from '../kernels/webgpu-relu-mask';

/** The gradient through a ReLU, from its output y: dy where y > 0, else 0. One kernel on WebGPU, tfjs's ops elsewhere. */
export function reluMask(dy: tf.Tensor4D, y: tf.Tensor4D): tf.Tensor4D {
  if (tf.getBackend() === 'webgpu') {
    registerWebGpuReluMask();
    return tf.engine().runKernel(RELU_MASK, { dy, y }) as tf.Tensor4D;
  }
  return tf.mul(dy, tf.step(y)) as tf.Tensor4D;
}
