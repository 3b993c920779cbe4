import * as tf from '@tensorflow/tfjs';
import { FIRST_MAX_POOL_GRAD, registerFirstMaxPoolGrad, type FirstMaxPoolGradAttrs } from '../kernels/wasm-max-pool-grad';
import type { Padding } from '../types';
import { customGradient } from './custom-gradient';

/**
 * Max pooling whose gradient runs the first-max kernel over the wasm heap instead of tfjs's slow wasm MaxPoolGrad.
 * Same result as the cpu backend's MaxPoolGrad (first maximum on ties). wasm backend only (the kernel is registered
 * there alone): other backends use tf.maxPool and tfjs's own gradient.
 */
export function wasmMaxPool(x: tf.Tensor4D, size: [number, number], strides: [number, number], padding: Padding): tf.Tensor4D {
  registerFirstMaxPoolGrad();
  const f = customGradient<[tf.Tensor4D], tf.Tensor4D, [tf.Tensor4D, tf.Tensor4D]>(([input], save) => {
    const y = tf.maxPool(input, size, strides, padding);
    save([input, y]);
    return {
      value: y,
      gradFunc: (dy, [savedX, savedY]) => {
        const attrs: FirstMaxPoolGradAttrs = { filterSize: size, strides, pad: padding };
        const inputs = { dy, x: savedX, y: savedY };
        return tf.engine().runKernel(FIRST_MAX_POOL_GRAD, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
      },
    };
  });
  return f(x);
}
