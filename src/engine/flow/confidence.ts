import * as tf from '@tensorflow/tfjs';
import { blur, channelGradients, gaussianTaps } from './filters';
import type { PixelGrid } from './grid';
import { FLOW_CONSISTENCY, FLOW_SOFTEN, registerWasmConfidence } from './kernels/wasm-confidence';
import { insideWeight, warp } from './warp';

/** The thresholds of the consistency and motion-boundary tests (Sundaram, Brox & Keutzer 2010; Ruder et al. 2016). */
export interface ConfidenceOptions {
  /** Forward–backward test: |b + f(x + b)|² ≤ alpha·(|b|² + |f(x + b)|²) + beta. */
  alpha: number;
  beta: number;
  /** Motion boundaries: |∇b_x|² + |∇b_y|² ≤ edgeAlpha·|b|² + edgeBeta. */
  edgeAlpha: number;
  edgeBeta: number;
  /** Standard deviation (px) of the blur that softens the mask's edges; 0 leaves it hard (and uneroded). */
  soften: number;
}

export const DEFAULT_CONFIDENCE: ConfidenceOptions = { alpha: 0.01, beta: 0.5, edgeAlpha: 0.01, edgeBeta: 0.002, soften: 1 };

function native(kernel: string): boolean {
  registerWasmConfidence();
  return tf.getKernel(kernel, tf.getBackend()) !== undefined;
}

/** 1 while `value` ≤ `limit`, falling linearly to 0 at twice the limit: a test with a soft edge. */
function softBelow(value: tf.Tensor4D, limit: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.scalar(2).sub(value.div(limit)).clipByValue(0, 1) as tf.Tensor4D);
}

/** The three tests multiplied, before softening, [1,H,W,1] (see flowConfidence). */
export function rawConfidence(forward: tf.Tensor4D, backward: tf.Tensor4D, grid: PixelGrid, o: ConfidenceOptions): tf.Tensor4D {
  const attrs = { alpha: o.alpha, beta: o.beta, edgeAlpha: o.edgeAlpha, edgeBeta: o.edgeBeta };
  if (native(FLOW_CONSISTENCY)) return tf.engine().runKernel(FLOW_CONSISTENCY, { forward, backward }, attrs) as tf.Tensor4D;
  return rawConfidenceOps(forward, backward, grid, o);
}

/** rawConfidence from tfjs ops. */
export function rawConfidenceOps(forward: tf.Tensor4D, backward: tf.Tensor4D, grid: PixelGrid, o: ConfidenceOptions): tf.Tensor4D {
  return tf.tidy(() => {
    const fw = warp(forward, backward, grid);
    const bb = backward.square().sum(3, true) as tf.Tensor4D;
    const roundTrip = backward.add(fw).square().sum(3, true) as tf.Tensor4D;
    const consistent = softBelow(roundTrip, bb.add(fw.square().sum(3, true)).mul(o.alpha).add(o.beta) as tf.Tensor4D);
    const edge = channelGradients(backward).square().sum(3, true) as tf.Tensor4D;
    const smooth = softBelow(edge, bb.mul(o.edgeAlpha).add(o.edgeBeta) as tf.Tensor4D);
    return consistent.mul(smooth).mul(insideWeight(backward, grid)) as tf.Tensor4D;
  });
}

/** A 3×3 erosion, then a Gaussian blur of `sigma` px (mirrored edges), clipped to [0, 1]. */
export function softenMask(c: tf.Tensor4D, sigma: number): tf.Tensor4D {
  if (native(FLOW_SOFTEN)) return tf.engine().runKernel(FLOW_SOFTEN, { x: c }, { taps: gaussianTaps(sigma) }) as tf.Tensor4D;
  return softenMaskOps(c, sigma);
}

/** softenMask from tfjs ops. */
export function softenMaskOps(c: tf.Tensor4D, sigma: number): tf.Tensor4D {
  const taps = gaussianTaps(sigma);
  return tf.tidy(() => {
    const eroded = tf.maxPool(c.neg(), 3, 1, 'same').neg() as tf.Tensor4D;
    return blur(eroded, taps).clipByValue(0, 1) as tf.Tensor4D;
  });
}

/**
 * How far the backward flow `backward` [1,H,W,2] (current frame → previous) can be trusted at each pixel of the
 * current frame, [1,H,W,1] in [0, 1], given the forward flow `forward` (previous → current):
 *  - consistency: following b(x) into the previous frame and f back must return to x; where it does not, x was
 *    hidden in the previous frame (uncovered background) or the flow is wrong;
 *  - motion boundaries: where the flow changes fast, the pixel sits on an edge between motions;
 *  - the frame: a pixel that came from outside the previous frame has nothing to carry.
 * The product of the three, eroded by a pixel (so softening never spreads trust into an occlusion) and blurred, so
 * that what is carried meets what is renewed softly.
 */
export function flowConfidence(forward: tf.Tensor4D, backward: tf.Tensor4D, grid: PixelGrid, options: Partial<ConfidenceOptions> = {}): tf.Tensor4D {
  const o = { ...DEFAULT_CONFIDENCE, ...options };
  const raw = rawConfidence(forward, backward, grid, o);
  if (o.soften <= 0) return raw;
  try {
    return softenMask(raw, o.soften);
  } finally {
    raw.dispose();
  }
}
