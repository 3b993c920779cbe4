import * as tf from '@tensorflow/tfjs';
import { registerSplitChannels, SPLIT_CHANNELS } from '../kernels/wasm-split-channels';
import { customGradient } from './custom-gradient';

/** tf.concat(xs, 3) whose gradient is the one-pass split over the wasm heap (wasm backend only). */
export function wasmConcatChannels(xs: tf.Tensor4D[]): tf.Tensor4D {
  registerSplitChannels();
  const sizes = xs.map((x) => x.shape[3]);
  const f = customGradient<tf.Tensor4D[], tf.Tensor4D>((inputs) => ({
    value: tf.concat(inputs, 3),
    gradFunc: (dy) => tf.engine().runKernel(SPLIT_CHANNELS, { x: dy }, { sizes }) as unknown as tf.Tensor[],
  }));
  return f(...xs);
}
