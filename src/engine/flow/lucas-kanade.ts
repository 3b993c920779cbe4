import * as tf from '@tensorflow/tfjs';
import { DERIVATIVE5, halfBoxWidth } from './filters';
import type { PixelGrid } from './grid';
import { FLOW_GRADIENTS, FLOW_PRODUCTS, FLOW_SOLVE, FLOW_WINDOW, registerWasmLucasKanade } from './kernels/wasm-lucas-kanade';
import { insideWeight, warp } from './warp';

/**
 * The per-pixel and window parts of one Lucas–Kanade iteration. Each runs as one native kernel where the backend has one
 * (wasm: ./kernels/wasm-lucas-kanade.ts) and as tfjs ops elsewhere; both forms give the same numbers (tested).
 */

function native(kernel: string): boolean {
  registerWasmLucasKanade();
  return tf.getKernel(kernel, tf.getBackend()) !== undefined;
}

/**
 * A one-channel frame with its derivatives, [1,H,W,3] = (s0·I, s1·∂I/∂x, s2·∂I/∂y), the derivative the 5-tap
 * (−1 8 0 −8 1)/12 on mirrored edges.
 */
export function gradientStack(x: tf.Tensor4D, scale: readonly [number, number, number]): tf.Tensor4D {
  if (x.shape[3] !== 1) throw new Error(`gradientStack takes one channel (got ${x.shape[3]})`);
  if (native(FLOW_GRADIENTS)) return tf.engine().runKernel(FLOW_GRADIENTS, { x }, { scale: [...scale] }) as tf.Tensor4D;
  return gradientStackOps(x, scale);
}

/** gradientStack from tfjs ops: one 5×5 convolution of the mirror-padded frame. */
export function gradientStackOps(x: tf.Tensor4D, scale: readonly [number, number, number]): tf.Tensor4D {
  return tf.tidy(() => {
    const k = new Float32Array(5 * 5 * 3);
    const at = (row: number, col: number, out: number) => (row * 5 + col) * 3 + out;
    k[at(2, 2, 0)] = scale[0];
    DERIVATIVE5.forEach((t, i) => {
      k[at(2, i, 1)] = t * scale[1];
      k[at(i, 2, 2)] = t * scale[2];
    });
    const padded = tf.mirrorPad(x, [[0, 0], [2, 2], [2, 2], [0, 0]], 'reflect');
    return tf.conv2d(padded, tf.tensor4d(k, [5, 5, 1, 3]), 1, 'valid');
  });
}

/**
 * The five products of the normal equations, w·(Ix², IxIy, Iy², IxIt, IyIt), averaged over 2×2 cells ('same': a
 * last odd row or column averages what it has), [1,⌈H/2⌉,⌈W/2⌉,5]: (It, Ix, Iy) = `second` warped by `flow` +
 * `first` (the two gradient stacks, scaled so that this sum is the temporal difference and the mean gradient), and
 * w is 1 where x + flow lies in the frame, 0 a pixel outside it: a match outside the second frame says nothing
 * about the motion. The window is applied to these cells (windowMean), at a quarter of the cost.
 */
export function normalProducts(second: tf.Tensor4D, first: tf.Tensor4D, flow: tf.Tensor4D, grid: PixelGrid): tf.Tensor4D {
  if (native(FLOW_PRODUCTS)) return tf.engine().runKernel(FLOW_PRODUCTS, { second, first, flow }) as tf.Tensor4D;
  return normalProductsOps(second, first, flow, grid);
}

/** normalProducts from tfjs ops. */
export function normalProductsOps(second: tf.Tensor4D, first: tf.Tensor4D, flow: tf.Tensor4D, grid: PixelGrid): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = flow.shape;
    // The sampling itself runs natively where the backend has a sampler (webgpu's shader).
    const d = warp(second, flow, grid).add(first).reshape([h * w, 3]) as tf.Tensor2D;
    // d = (It, Ix, Iy); the products as (d·L) ⊙ (d·R) with 0/1 selection matrices (no split of the channel axis).
    const left = selector(3, [1, 1, 2, 1, 2]);
    const right = selector(3, [1, 2, 2, 0, 0]);
    const weight = insideWeight(flow, grid).reshape([h * w, 1]);
    const products = tf.matMul(d, left).mul(tf.matMul(d, right)).mul(weight).reshape([1, h, w, 5]) as tf.Tensor4D;
    return tf.avgPool(products, 2, 2, 'same') as tf.Tensor4D;
  });
}

/**
 * The Lucas–Kanade window over the 2×2 cells of normalProducts: a box mean of halfBoxWidth(σ) along the columns
 * then the rows, twice (a triangle, about a Gaussian of `sigma` full-resolution pixels), each box the mean over its
 * part inside the frame (zero outside, as far as the ratio of the sums is concerned).
 */
export function windowMean(cells: tf.Tensor4D, sigma: number): tf.Tensor4D {
  const width = halfBoxWidth(sigma);
  if (native(FLOW_WINDOW)) return tf.engine().runKernel(FLOW_WINDOW, { x: cells }, { width }) as tf.Tensor4D;
  return windowMeanOps(cells, sigma);
}

/** windowMean from tfjs ops: avgPool 'same' averages over the pixels inside the frame. */
export function windowMeanOps(cells: tf.Tensor4D, sigma: number): tf.Tensor4D {
  const k = halfBoxWidth(sigma);
  return tf.tidy(() => {
    let y = cells;
    for (let i = 0; i < 2; i++) y = tf.avgPool(tf.avgPool(y, [k, 1], 1, 'same'), [1, k], 1, 'same');
    return y;
  });
}

/**
 * One Gauss–Newton update: with the windowed sums (p, r, q, bx, by) of the products (at any size, enlarged to the
 * flow's bilinearly with half-pixel centres), solves (p+λ  r; r  q+λ)·δ = −(bx, by) at each pixel and returns
 * flow + δ.
 */
export function solveStep(sums: tf.Tensor4D, flow: tf.Tensor4D, regularise: number): tf.Tensor4D {
  if (native(FLOW_SOLVE)) return tf.engine().runKernel(FLOW_SOLVE, { sums, flow }, { regularise }) as tf.Tensor4D;
  return solveStepOps(sums, flow, regularise);
}

/** solveStep from tfjs ops. */
export function solveStepOps(sums: tf.Tensor4D, flow: tf.Tensor4D, regularise: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = flow.shape;
    const s = tf.image.resizeBilinear(sums, [h, w], false, true).reshape([h * w, 5]) as tf.Tensor2D;
    // (pq, r², r·by, q·bx, r·bx, p·by) as (s·L + λL) ⊙ (s·R + λR), then det and the numerators as sums of those.
    const l2 = [0, 1, 1, 2, 1, 0];
    const r2 = [2, 1, 4, 3, 3, 4];
    const ridge = (picks: number[]) => tf.tensor1d(picks.map((c) => (c === 0 || c === 2 ? regularise : 0)));
    const p = tf.matMul(s, selector(5, l2)).add(ridge(l2)).mul(tf.matMul(s, selector(5, r2)).add(ridge(r2))) as tf.Tensor2D;
    const det = tf.matMul(p, tf.tensor2d([1, -1, 0, 0, 0, 0], [6, 1]));
    const num = tf.matMul(p, tf.tensor2d([0, 0, 0, 0, 1, 0, -1, 0, 0, 1, 0, -1], [6, 2]));
    return flow.add(num.div(det).reshape([1, h, w, 2])) as tf.Tensor4D;
  });
}

function selector(rows: number, picks: readonly number[]): tf.Tensor2D {
  const m = new Float32Array(rows * picks.length);
  picks.forEach((r, col) => (m[r * picks.length + col] = 1));
  return tf.tensor2d(m, [rows, picks.length]);
}
