import * as tf from '@tensorflow/tfjs';
import { registerWasmKernel, type HeapKernelArgs } from './wasm-heap';

/** A kernel's implementations: wasm's (over its heap), WebGPU's, and one for any other backend, by its name. */
export interface KernelImplementations {
  wasm?: (args: HeapKernelArgs) => tf.TensorInfo | tf.TensorInfo[];
  webgpu?: tf.KernelFunc;
  other: (backendName: string) => tf.KernelFunc;
}

/**
 * Registers `kernelName` on every backend tfjs knows of now (idempotent: a backend that has it is left alone, so a
 * backend registered later is covered by the next call). Call sites then run the kernel by name on whichever backend
 * is active, without asking which.
 */
export function registerOnEveryBackend(kernelName: string, impl: KernelImplementations): void {
  if (impl.wasm) registerWasmKernel(kernelName, impl.wasm);
  for (const backendName of tf.engine().backendNames()) {
    if (tf.getKernel(kernelName, backendName)) continue;
    const kernelFunc = backendName === 'webgpu' && impl.webgpu ? impl.webgpu : impl.other(backendName);
    tf.registerKernel({ kernelName, backendName, kernelFunc });
  }
}
