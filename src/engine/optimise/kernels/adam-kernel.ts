import * as tf from '@tensorflow/tfjs';
import { registerOnEveryBackend } from '../../model/kernels/register';
import { loopImplementations } from '../../model/kernels/loop-kernel';
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

function checkShapes(x: number[], moments: number[]): void {
  const n = x.reduce((a, b) => a * b, 1);
  if (moments.length !== 2 || moments[0] !== 2 || moments[1] !== n) {
    throw new Error(`${ADAM}: moments must be [2, ${n}], got [${moments.join(', ')}]`);
  }
}

/** Registers the kernel on every backend tfjs knows of (idempotent; a backend registered later is covered next call). */
export function registerAdam(): void {
  // wasm: one pass over the heap, no temporaries; any other backend (cpu in tests): read, loop, write.
  registerOnEveryBackend(ADAM, {
    ...loopImplementations({
      inputs: ['x', 'grad', 'moments'],
      outShapes: ([x, , moments]) => {
        checkShapes(x!, moments!);
        return [x!, moments!];
      },
      loop: ([x, grad, moments], [next, out], _shapes, attrs) => adamLoop(x!, grad!, moments!, next!, out!, attrs as unknown as AdamAttrs),
    }),
    webgpu: webGpuAdam,
  });
}

/** One Adam step: [next, moments']. The caller owns both. */
export function adamStep(x: tf.Tensor, grad: tf.Tensor, moments: tf.Tensor2D, attrs: AdamAttrs): [tf.Tensor, tf.Tensor2D] {
  registerAdam();
  const out = tf.engine().runKernel(ADAM, { x, grad, moments }, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
  return [out[0]!, out[1] as tf.Tensor2D];
}
