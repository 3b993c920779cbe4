import * as tf from '@tensorflow/tfjs';
import { FIRST_MAX_POOL_GRAD, registerFirstMaxPoolGrad, type FirstMaxPoolGradAttrs } from '../kernels/wasm-max-pool-grad';
import type { Padding } from '../types';

/**
 * Max pooling whose gradient runs the first-max kernel over the wasm heap instead of tfjs's slow wasm MaxPoolGrad.
 * Same result as the cpu backend's MaxPoolGrad (first maximum on ties). wasm backend only (the kernel is registered
 * there alone): other backends use tf.maxPool and tfjs's own gradient.
 */
export function wasmMaxPool(x: tf.Tensor4D, size: [number, number], strides: [number, number], padding: Padding): tf.Tensor4D {
  registerFirstMaxPoolGrad();
  const f = tf.customGrad(((xIn: tf.Tensor, save: tf.GradSaveFunc) => {
    const y = tf.maxPool(xIn as tf.Tensor4D, size, strides, padding);
    save([xIn, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const attrs: FirstMaxPoolGradAttrs = { filterSize: size, strides, pad: padding };
        const inputs = { dy, x: saved[0]!, y: saved[1]! };
        return tf.engine().runKernel(FIRST_MAX_POOL_GRAD, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as tf.Tensor4D;
}
