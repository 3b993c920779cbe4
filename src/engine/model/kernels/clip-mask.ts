import * as tf from '@tensorflow/tfjs';
import { registerOnEveryBackend } from './register';
import { heapViews, type HeapKernelArgs, type WasmHeapBackend } from './wasm-heap';
import { flatProgram, type WebGpuProgramRunner } from './webgpu-program';

/**
 * Kernel name of the gradient through a clip to [−1, 1], from the clip's input x: dy where −1 ≤ x ≤ 1, else 0
 * (tfjs's own ClipByValue gradient, NaN included: a NaN x passes nothing). tfjs computes it with GreaterEqual,
 * LessEqual, LogicalAnd, ZerosLike and Select, five dispatches on WebGPU; this is one.
 */
export const CLIP_MASK = 'DreamstreamClipMask';

function maskLoop(dy: ArrayLike<number>, x: ArrayLike<number>, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) {
    const v = x[i]!;
    out[i] = v >= -1 && v <= 1 ? dy[i]! : 0;
  }
}

function wasmClipMask({ inputs, backend }: HeapKernelArgs): tf.TensorInfo {
  const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const { outs, outData, inData } = heapViews(backend as WasmHeapBackend, [dy, x], [[...x.shape]]);
  maskLoop(inData[0]!, inData[1]!, outData[0]!);
  return outs[0]!;
}

const genericClipMask: tf.KernelFunc = ({ inputs, backend }) => {
  const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const b = backend as tf.KernelBackend;
  const out = new Float32Array(x.shape.reduce((p, q) => p * q, 1));
  maskLoop(b.readSync(dy.dataId) as Float32Array, b.readSync(x.dataId) as Float32Array, out);
  return { dataId: b.write(out, [...x.shape], 'float32'), shape: [...x.shape], dtype: 'float32' };
};

const webGpuClipMask: tf.KernelFunc = ({ inputs, backend }) => {
  const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const program = flatProgram([...x.shape], 'dreamstream_clip_mask', ['G', 'X'], 'let v = X[index];\n          setOutputAtIndex(index, select(0.0, G[index], v >= -1.0 && v <= 1.0));');
  return (backend as unknown as WebGpuProgramRunner).runWebGPUProgram(program, [dy, x], 'float32');
};

/** Registers the kernel on every backend tfjs knows of (idempotent; a backend registered later is covered next call). */
export function registerClipMask(): void {
  registerOnEveryBackend(CLIP_MASK, { wasm: wasmClipMask, webgpu: webGpuClipMask, other: () => genericClipMask });
}
