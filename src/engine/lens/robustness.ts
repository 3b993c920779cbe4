import * as tf from '@tensorflow/tfjs';
import { customGradient } from '../model/gradients/custom-gradient';
import { createRng, randomOffset } from '../random';

/**
 * Transformation robustness (Olah et al. 2017; Lucid's standard_transforms): each step the network sees the picture
 * padded, then jittered, scaled and rotated by a small random amount. A pattern that only excites the channel at
 * one exact pixel alignment (the high-frequency adversarial kind) does not survive that; shapes do.
 */
export interface RobustnessOptions {
  /** Grey border added around the picture, px (room for the moves). */
  pad?: number;
  /** Largest shift, px, either way. */
  jitter?: number;
  /** Largest relative scale change either way (0.05: 0.95–1.05). */
  scale?: number;
  /** Largest rotation either way, degrees. */
  rotate?: number;
}

export const ROBUSTNESS_DEFAULTS: Required<RobustnessOptions> = { pad: 12, jitter: 8, scale: 0.05, rotate: 10 };

/** One move: output pixel p samples the input at A·p + t (A a 2×2 matrix), per batch item. */
export interface Move {
  dx: number;
  dy: number;
  zoom: number;
  degrees: number;
}

/** Draws the moves for a batch from a seeded stream (reproducible runs). */
export class MoveSampler {
  private readonly rng: () => number;
  readonly options: Required<RobustnessOptions>;

  constructor(options: RobustnessOptions = {}, seed = 0) {
    this.options = { ...ROBUSTNESS_DEFAULTS, ...options };
    this.rng = createRng(seed ^ 0x5eed);
  }

  next(batch: number): Move[] {
    const { jitter, scale, rotate } = this.options;
    return Array.from({ length: batch }, () => ({
      dx: randomOffset(this.rng, jitter),
      dy: randomOffset(this.rng, jitter),
      zoom: 1 + (2 * this.rng() - 1) * scale,
      degrees: (2 * this.rng() - 1) * rotate,
    }));
  }
}

/** tf.image.transform's 8 numbers for a move about the centre of an h×w picture (output → input coordinates). */
export function moveMatrix(m: Move, h: number, w: number): number[] {
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const t = (m.degrees * Math.PI) / 180;
  const c = Math.cos(t) / m.zoom;
  const s = Math.sin(t) / m.zoom;
  // Input = c·R(−θ)/zoom·(p − centre) + centre − (dx, dy).
  return [c, s, cx - m.dx - (c * cx + s * cy), -s, c, cy - m.dy - (-s * cx + c * cy), 0, 0];
}

/** The inverse move's matrix: where each input pixel lands in the output. */
function inverseMatrix(m: readonly number[]): number[] {
  const [a0, a1, a2, b0, b1, b2] = m as [number, number, number, number, number, number];
  const det = a0 * b1 - a1 * b0;
  const i0 = b1 / det;
  const i1 = -a1 / det;
  const j0 = -b0 / det;
  const j1 = a0 / det;
  return [i0, i1, -(i0 * a2 + i1 * b2), j0, j1, -(j0 * a2 + j1 * b2), 0, 0];
}

/**
 * Each batch item moved by its own move (bilinear, grey outside), differentiable. tfjs has no gradient for
 * Transform; the one used is the inverse move applied to the incoming gradient, times the area ratio: the adjoint
 * of bilinear resampling up to the interpolation's smoothing, which is all an optimiser needs.
 */
export function applyMoves(x: tf.Tensor4D, moves: readonly Move[]): tf.Tensor4D {
  const [b, h, w] = x.shape;
  if (moves.length !== b) throw new RangeError(`applyMoves: ${moves.length} moves for a batch of ${b}`);
  const forward = moves.map((m) => moveMatrix(m, h, w));
  const backward = forward.map(inverseMatrix);
  const areas = forward.map((m) => 1 / Math.abs(m[0]! * m[4]! - m[1]! * m[3]!));
  const op = customGradient<[tf.Tensor4D], tf.Tensor4D>(([input]) => {
    const value = tf.tidy(() => tf.image.transform(input, tf.tensor2d(forward), 'bilinear', 'constant', 0));
    const gradFunc = (dy: tf.Tensor4D) => tf.tidy(() => tf.image.transform(dy, tf.tensor2d(backward), 'bilinear', 'constant', 0).mul(tf.tensor4d(areas, [b, 1, 1, 1])));
    return { value, gradFunc };
  });
  return op(x);
}

/** Pads by `pad` px of grey (the model's 0) and applies the moves: what the network sees this step. */
export function robustView(x: tf.Tensor4D, moves: readonly Move[], pad: number): tf.Tensor4D {
  return tf.tidy(() => applyMoves(pad > 0 ? (x.pad([[0, 0], [pad, pad], [pad, pad], [0, 0]]) as tf.Tensor4D) : x, moves));
}
