import * as tf from '@tensorflow/tfjs';

/**
 * The part of tfjs-backend-wasm's BackendWasm that a plain-JS kernel needs: tensors live on the wasm heap and
 * `typedArrayFromHeap` views them without a copy. Typed structurally so that engine code does not import the wasm
 * backend package (it stays an optional, lazily loaded backend).
 */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * Float32 views of a kernel's inputs and of freshly allocated outputs. Outputs are allocated first: allocating can
 * grow the wasm memory, which detaches every view made before it.
 */
export function heapViews(
  backend: WasmHeapBackend,
  inputs: tf.TensorInfo[],
  outShapes: number[][],
): { outs: tf.TensorInfo[]; outData: Float32Array[]; inData: Float32Array[] } {
  for (const t of inputs) {
    if (t.dtype !== 'float32') throw new Error(`wasm heap kernel: expected float32 input, got ${t.dtype}`);
  }
  const outs = outShapes.map((shape) => backend.makeOutput(shape, 'float32'));
  const outData = outs.map((t) => backend.typedArrayFromHeap(t) as Float32Array);
  const inData = inputs.map((t) => backend.typedArrayFromHeap(t) as Float32Array);
  return { outs, outData, inData };
}

/** Arguments tfjs passes to a kernel function. */
export interface HeapKernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** Registers a plain-JS kernel for the wasm backend only (idempotent: tfjs warns on re-registration). */
export function registerWasmKernel(kernelName: string, kernelFunc: (args: HeapKernelArgs) => tf.TensorInfo | tf.TensorInfo[]): void {
  if (tf.getKernel(kernelName, 'wasm')) return;
  tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc });
}
