/** Adam's scalars and its step over flat arrays, shared by the kernels (./adam-kernel.ts). */

export interface AdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** The step's number, from 1 (the bias corrections' exponent). */
  step: number;
}

/** The scalars of a step as the kernels use them (computed once, in double precision, like tfjs's scalar operands). */
export function adamScalars(a: AdamAttrs): { b1: number; b2: number; c1: number; c2: number; lr: number; eps: number } {
  return { b1: a.beta1, b2: a.beta2, c1: 1 - a.beta1 ** a.step, c2: 1 - a.beta2 ** a.step, lr: a.learningRate, eps: a.epsilon };
}

/** The step over flat arrays: what every CPU-side implementation runs. */
export function adamLoop(x: ArrayLike<number>, g: ArrayLike<number>, s: ArrayLike<number>, next: Float32Array, out: Float32Array, attrs: AdamAttrs): void {
  const { b1, b2, c1, c2, lr, eps } = adamScalars(attrs);
  const n = next.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const m = b1 * s[i]! + (1 - b1) * gi;
    const v = b2 * s[n + i]! + (1 - b2) * (gi * gi);
    out[i] = m;
    out[n + i] = v;
    const step = x[i]! - (m / c1 / (Math.sqrt(v / c2) + eps)) * lr;
    next[i] = Number.isNaN(step) ? x[i]! : step;
  }
}
