import * as tf from '@tensorflow/tfjs';
import { heapViews, registerWasmKernel, type HeapKernelArgs, type WasmHeapBackend } from './wasm-heap';

/** Kernel name, registered for the wasm backend only. Attrs: `sizes`, the channel count of each part. */
export const SPLIT_CHANNELS = 'DreamstreamSplitChannels';

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

/** Registers the kernel for the wasm backend (idempotent). */
export function registerSplitChannels(): void {
  registerWasmKernel(SPLIT_CHANNELS, splitChannels);
}
