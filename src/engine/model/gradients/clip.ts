import * as tf from '@tensorflow/tfjs';
import { CLIP_MASK, registerClipMask } from '../kernels/clip-mask';
import { customGradient } from './custom-gradient';

/**
 * x clipped to the picture's range [−1, 1], with tfjs's gradient (dy where x is in range) as one kernel
 * (../kernels/clip-mask.ts) instead of five. For clips inside an optimisation's gradient.
 */
export function clipToRange(x: tf.Tensor4D): tf.Tensor4D {
  registerClipMask();
  const f = customGradient<[tf.Tensor4D], tf.Tensor4D, [tf.Tensor4D]>(([input], save) => {
    save([input]);
    return {
      value: tf.clipByValue(input, -1, 1) as tf.Tensor4D,
      gradFunc: (dy, [saved]) => tf.engine().runKernel(CLIP_MASK, { dy, x: saved }) as tf.Tensor4D,
    };
  });
  return f(x);
}
