import * as tf from '@tensorflow/tfjs';
import { GridCache } from './grid';
import { gradientStack, normalProducts, solveStep, windowMean } from './lucas-kanade';
import { upsampleFlow } from './warp';

/**
 * How the flow is solved. The defaults were chosen with `npm run bench:flow` at 224 px on wasm: on its rigid
 * motions a larger window is more accurate and more coarse-level iterations are not (2–3 beat 4), and the finest
 * level's iterations are the cost. A larger window also blurs motion boundaries, which the confidence mask then
 * leaves to the camera.
 */
export interface FlowOptions {
  /** Gauss–Newton iterations per pyramid level, each with the second frame warped by the flow so far. */
  iterations: number;
  /** Iterations at the finest level (the costliest one). */
  finestIterations: number;
  /** Standard deviation of the Lucas–Kanade window, in pixels of each level. */
  windowSigma: number;
  /** Tikhonov term added to the structure tensor: keeps flat, textureless areas at the flow from the level above. */
  regularise: number;
}

export const DEFAULT_FLOW: FlowOptions = { iterations: 3, finestIterations: 2, windowSigma: 5, regularise: 1e-4 };

/** A flow field [1,H,W,2]: per pixel, the displacement (x then y) in pixels. */
export type FlowField = tf.Tensor4D;

/**
 * Dense optical flow from frame `from` to frame `to`, both given as Gaussian pyramids (finest first, same sizes,
 * one channel): the field f with from(x) ≈ to(x + f(x)), at the finest level's size.
 *
 * Coarse to fine, pyramidal Lucas–Kanade solved densely: at each level, starting from the coarser level's flow,
 * `to` (with its derivatives) is warped back by the current flow, and each pixel's update solves the 2×2 normal
 * equations of brightness constancy summed over a smooth window (about a Gaussian of `windowSigma` px: two box
 * means over 2×2 cells of the products); the gradient is the mean of both frames'
 * (symmetric, second-order accurate). Pixels whose match leaves the frame are left out of the sums. Every operation
 * runs on the backend (tfjs ops, or native per-pixel kernels where the backend has them: ./lucas-kanade.ts) on
 * fixed shapes: nothing is read back, nothing recompiles from frame to frame.
 */
export function denseFlow(from: readonly tf.Tensor4D[], to: readonly tf.Tensor4D[], options: Partial<FlowOptions> = {}, grids?: GridCache): FlowField {
  const o = { ...DEFAULT_FLOW, ...options };
  if (from.length !== to.length || from.length === 0) throw new Error('denseFlow needs two pyramids of the same depth');
  const cache = grids ?? new GridCache();
  try {
    return tf.tidy(() => {
      let flow: tf.Tensor4D | null = null;
      for (let level = from.length - 1; level >= 0; level--) {
        const a = from[level]!;
        const b = to[level]!;
        const [, h, w, c] = a.shape;
        if (b.shape[1] !== h || b.shape[2] !== w || c !== 1 || b.shape[3] !== 1) throw new Error('denseFlow: the pyramids differ in size or are not one channel');
        const grid = cache.get(h, w);
        const next: tf.Tensor4D = flow ? upsampleFlow(flow, grid) : grid.zero.clone();
        flow?.dispose();
        flow = next;
        const steps = level === 0 ? o.finestIterations : o.iterations;
        if (steps === 0) continue;
        // Scaled so that the warped second stack plus the first is (It, Ix, Iy) with the mean of both gradients.
        const first = gradientStack(a, [-1, 0.5, 0.5]);
        const second = gradientStack(b, [1, 0.5, 0.5]);
        for (let i = 0; i < steps; i++) {
          const updated: tf.Tensor4D = tf.tidy(() => solveStep(windowMean(normalProducts(second, first, flow!, grid), o.windowSigma), flow!, o.regularise));
          flow.dispose();
          flow = updated;
        }
        first.dispose();
        second.dispose();
      }
      return flow!;
    });
  } finally {
    if (!grids) cache.dispose();
  }
}
