import * as tf from '@tensorflow/tfjs';
import { heapViews, registerWasmKernel, type HeapKernelArgs, type WasmHeapBackend } from '../kernels/wasm-heap';

const SPLIT_CHANNELS = 'DreamstreamSplitChannels';

/**
 * Splits x along its last axis into parts of the given sizes, in one pass over the wasm heap. Why: the gradient of
 * a concat is a split, and wasm's SplitV runs one Slice per part, each of which first copies the WHOLE input out of
 * the heap (readSync): four full copies per Inception block (~9 ms per block at 512 px).
 */
function splitChannels({ inputs, backend, attrs }: HeapKernelArgs): tf.TensorInfo[] {
  const { x } = inputs as { x: tf.TensorInfo };
  const { sizes } = attrs as { sizes: number[] };
  const c = x.shape[x.shape.length - 1]!;
  const pixels = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const { outs, outData, inData } = heapViews(backend as WasmHeapBackend, [x], sizes.map((s) => [...x.shape.slice(0, -1), s]));
  const xs = inData[0]!;
  let start = 0;
  sizes.forEach((size, t) => {
    const out = outData[t]!;
    for (let p = 0, o = 0; p < pixels; p++, o += size) {
      const s = p * c + start;
      // Each pixel's run of channels is contiguous (32–384 in Inception branches): a block copy beats an element loop.
      out.set(xs.subarray(s, s + size), o);
    }
    start += size;
  });
  return outs;
}

/** tf.concat(xs, 3) whose gradient is the one-pass split above (wasm backend only). */
export function wasmConcatChannels(xs: tf.Tensor4D[]): tf.Tensor4D {
  registerWasmKernel(SPLIT_CHANNELS, splitChannels);
  const sizes = xs.map((x) => x.shape[3]);
  const f = tf.customGrad(((...args: tf.Tensor[]) => ({
    value: tf.concat(args.slice(0, xs.length) as tf.Tensor4D[], 3),
    gradFunc: (dy: tf.Tensor) => tf.engine().runKernel(SPLIT_CHANNELS, { x: dy }, { sizes }) as unknown as tf.Tensor[],
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(...xs) as tf.Tensor4D;
}
