import * as tf from '@tensorflow/tfjs';
import { registerOnEveryBackend } from '../../model/kernels/register';
import { heapViews, type HeapKernelArgs, type WasmHeapBackend } from '../../model/kernels/wasm-heap';
import { adamLoop, type AdamAttrs } from './adam-math';
import { webGpuAdam } from './webgpu-adam';

/**
 * Kernel name of one Adam step with its NaN guard. Inputs {x, grad, moments}: moments is [2, n] (m then v, n = x's
 * size; zeros before the first step). Attrs: AdamAttrs. Outputs [next (x's shape), moments' ([2, n])]:
 *   m' = β₁·m + (1 − β₁)·g,  v' = β₂·v + (1 − β₂)·g²,
 *   next = x − lr·(m'/(1 − β₁ᵗ)) / (√(v'/(1 − β₂ᵗ)) + ε), and x itself where that is NaN.
 * Why a kernel: as tfjs ops this is 15 dispatches per tensor (a style iteration moves four pyramid levels: 60 of its
 * dispatches); on a GPU a style iteration is bound by dispatching, and one Adam step is two dispatches here.
 */
export const ADAM = 'DreamstreamAdam';

function checkShapes(x: tf.TensorInfo, moments: tf.TensorInfo): number {
  const n = x.shape.reduce((a, b) => a * b, 1);
  if (moments.shape.length !== 2 || moments.shape[0] !== 2 || moments.shape[1] !== n) {
    throw new Error(`${ADAM}: moments must be [2, ${n}], got [${moments.shape.join(', ')}]`);
  }
  return n;
}

/** wasm: one pass over the heap, no temporaries. */
function wasmAdam({ inputs, backend, attrs }: HeapKernelArgs): tf.TensorInfo[] {
  const { x, grad, moments } = inputs as { x: tf.TensorInfo; grad: tf.TensorInfo; moments: tf.TensorInfo };
  checkShapes(x, moments);
  const { outs, outData, inData } = heapViews(backend as WasmHeapBackend, [x, grad, moments], [[...x.shape], [...moments.shape]]);
  adamLoop(inData[0]!, inData[1]!, inData[2]!, outData[0]!, outData[1]!, attrs as unknown as AdamAttrs);
  return outs;
}

/** Any other backend (cpu in tests): read, loop, write. */
const genericAdam: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, grad, moments } = inputs as { x: tf.TensorInfo; grad: tf.TensorInfo; moments: tf.TensorInfo };
  const n = checkShapes(x, moments);
  const b = backend as tf.KernelBackend;
  const read = (t: tf.TensorInfo) => b.readSync(t.dataId) as Float32Array;
  const next = new Float32Array(n);
  const out = new Float32Array(2 * n);
  adamLoop(read(x), read(grad), read(moments), next, out, attrs as unknown as AdamAttrs);
  return [
    { dataId: b.write(next, [...x.shape], 'float32'), shape: [...x.shape], dtype: 'float32' },
    { dataId: b.write(out, [...moments.shape], 'float32'), shape: [...moments.shape], dtype: 'float32' },
  ];
};

/** Registers the kernel on every backend tfjs knows of (idempotent; a backend registered later is covered next call). */
export function registerAdam(): void {
  registerOnEveryBackend(ADAM, { wasm: wasmAdam, webgpu: webGpuAdam, other: () => genericAdam });
}

/** One Adam step: [next, moments']. The caller owns both. */
export function adamStep(x: tf.Tensor, grad: tf.Tensor, moments: tf.Tensor2D, attrs: AdamAttrs): [tf.Tensor, tf.Tensor2D] {
  registerAdam();
  const out = tf.engine().runKernel(ADAM, { x, grad, moments }, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
  return [out[0]!, out[1] as tf.Tensor2D];
}
