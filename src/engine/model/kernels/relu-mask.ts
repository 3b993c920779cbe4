import * as tf from '@tensorflow/tfjs';
import { registerOnEveryBackend } from './register';
import { webGpuReluMask } from './webgpu-relu-mask';

/** Kernel name of the gradient through a ReLU from its output: inputs {dy, y}, output dy·[y > 0]. */
export const RELU_MASK = 'DreamstreamReluMask';

/** Runs a kernel of `backendName` on that backend directly: below the engine, so nothing is taped or tracked. */
function callKernel(backendName: string, kernelName: string, args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, backendName);
  if (!kernel) throw new Error(`${RELU_MASK}: backend ${backendName} has no ${kernelName} kernel`);
  const out = kernel.kernelFunc(args);
  return Array.isArray(out) ? out[0]! : out;
}

/**
 * dy·step(y) from the backend's own Step and Multiply kernels: the same two kernels, in the same order, that
 * tf.mul(dy, tf.step(y)) runs, so the result is bit for bit the ops' result. The kernels are called directly rather
 * than through tf ops (no engine re-entry from inside a kernel), so the step temporary is the backend's to free.
 */
function compositeReluMask(backendName: string): tf.KernelFunc {
  return ({ inputs, backend }) => {
    const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
    const step = callKernel(backendName, tf.Step, { inputs: { x: y }, backend, attrs: { alpha: 0 } });
    try {
      return callKernel(backendName, tf.Multiply, { inputs: { a: dy, b: step }, backend, attrs: {} });
    } finally {
      (backend as tf.KernelBackend).disposeData(step.dataId);
    }
  };
}

/**
 * Registers the kernel on every backend tfjs knows of (idempotent). A backend registered later is covered by the
 * next call, and a call when none has is a lookup (reluMask() calls it on every use).
 */
export function registerReluMask(): void {
  registerOnEveryBackend(RELU_MASK, { webgpu: webGpuReluMask, other: compositeReluMask });
}
