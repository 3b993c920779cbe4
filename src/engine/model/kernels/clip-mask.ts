import * as tf from '@tensorflow/tfjs';
import { registerOnEveryBackend } from './register';
import { loopImplementations } from './loop-kernel';
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

const webGpuClipMask: tf.KernelFunc = ({ inputs, backend }) => {
  const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const program = flatProgram([...x.shape], 'dreamstream_clip_mask', ['G', 'X'], 'let v = X[index];\n          setOutputAtIndex(index, select(0.0, G[index], v >= -1.0 && v <= 1.0));');
  return (backend as unknown as WebGpuProgramRunner).runWebGPUProgram(program, [dy, x], 'float32');
};

/** Registers the kernel on every backend tfjs knows of (idempotent; a backend registered later is covered next call). */
export function registerClipMask(): void {
  registerOnEveryBackend(CLIP_MASK, {
    ...loopImplementations({ inputs: ['dy', 'x'], outShapes: ([, x]) => [x!], loop: ([dy, x], [out]) => maskLoop(dy!, x!, out!) }),
    webgpu: webGpuClipMask,
  });
}
