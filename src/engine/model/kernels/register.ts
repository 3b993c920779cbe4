import * as tf from '@tensorflow/tfjs';
import { registerWasmKernel, type HeapKernelArgs } from './wasm-heap';

/** A kernel's implementations: wasm's (over its heap), WebGPU's, and one for any other backend, by its name. */
export interface KernelImplementations {
  wasm?: (args: HeapKernelArgs) => tf.TensorInfo | tf.TensorInfo[];
  webgpu?: tf.KernelFunc;
  other: (backendName: string) => tf.KernelFunc;
}

/** Per kernel, the backends tfjs knew of when it was last registered on all of them. */
const covered = new Map<string, string>();

/**
 * Registers `kernelName` on every backend tfjs knows of (idempotent). Backends can be registered at any time (the
 * WebGPU one once an adapter is found), so each call covers those that appeared since the last; when none has, it
 * returns at once, and call sites may call it on every use. They then run the kernel by name on whichever backend is
 * active, without asking which.
 */
export function registerOnEveryBackend(kernelName: string, impl: KernelImplementations): void {
  const names = tf.engine().backendNames();
  const key = names.join();
  if (covered.get(kernelName) === key) return;
  if (impl.wasm) registerWasmKernel(kernelName, impl.wasm);
  for (const backendName of names) {
    if (tf.getKernel(kernelName, backendName)) continue;
    const kernelFunc = backendName === 'webgpu' && impl.webgpu ? impl.webgpu : impl.other(backendName);
    tf.registerKernel({ kernelName, backendName, kernelFunc });
  }
  covered.set(kernelName, key);
}
