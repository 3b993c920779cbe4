import * as tf from '@tensorflow/tfjs';
import type { TilePlan } from './grid';

/**
 * The seam figure: the mean luminance step across the lines where tiles meet, against the mean step everywhere
 * else. A visible seam is a line of larger steps; a ratio within 1 ± 0.1 shows none.
 */
export interface SeamFigure {
  /** Mean |ΔY| across the lines (Y in [0, 1]). */
  boundary: number;
  /** Mean |ΔY| between neighbouring pixels away from every line. */
  elsewhere: number;
  /** boundary / elsewhere. */
  ratio: number;
  /** How many lines were measured. */
  lines: number;
}

/** Rec. 601 luminance in [0, 1] of a [1,H,W,3] picture in the model's [-1, 1]. */
export function luminance(x: tf.Tensor4D): Float32Array {
  return tf.tidy(() => x.add(1).mul(0.5).clipByValue(0, 1).mul(tf.tensor1d([0.299, 0.587, 0.114])).sum(3)).dataSync() as Float32Array;
}

/**
 * Where a plan's tiles meet, inside the picture: every tile edge and every hand-over, as rows (horizontal lines)
 * and columns (vertical lines); a line at k lies between pixels k − 1 and k.
 */
export function tileLines(plan: TilePlan): { rows: number[]; cols: number[] } {
  const lines = (a: TilePlan['rows']) =>
    [...new Set([...a.tiles.flatMap((t) => [t.start, t.end]), ...a.boundaries.map(Math.round)])].filter((k) => k > 0 && k < a.length).sort((p, q) => p - q);
  return { rows: lines(plan.rows), cols: lines(plan.cols) };
}

/**
 * The steps |Y(k) − Y(k − 1)| across each line and the `band` − 1 pixels either side, against every other step
 * in the same direction further than `band` px from any line.
 */
export function seamFigure(y: Float32Array, height: number, width: number, lines: { rows: number[]; cols: number[] }, band = 1): SeamFigure {
  let [onSum, onN, offSum, offN] = [0, 0, 0, 0];
  const near = (k: number, at: number[]) => at.some((l) => k >= l - band + 1 && k <= l + band - 1);
  const far = (k: number, at: number[]) => at.every((l) => Math.abs(k - l) > band);
  // Steps across vertical lines: between columns x − 1 and x.
  for (let x = 1; x < width; x++) {
    const on = near(x, lines.cols);
    const off = far(x, lines.cols);
    if (!on && !off) continue;
    for (let r = 0; r < height; r++) {
      const d = Math.abs(y[r * width + x]! - y[r * width + x - 1]!);
      if (on) [onSum, onN] = [onSum + d, onN + 1];
      else [offSum, offN] = [offSum + d, offN + 1];
    }
  }
  // Steps across horizontal lines: between rows r − 1 and r.
  for (let r = 1; r < height; r++) {
    const on = near(r, lines.rows);
    const off = far(r, lines.rows);
    if (!on && !off) continue;
    for (let x = 0; x < width; x++) {
      const d = Math.abs(y[r * width + x]! - y[(r - 1) * width + x]!);
      if (on) [onSum, onN] = [onSum + d, onN + 1];
      else [offSum, offN] = [offSum + d, offN + 1];
    }
  }
  const boundary = onN ? onSum / onN : 0;
  const elsewhere = offN ? offSum / offN : 0;
  return { boundary, elsewhere, ratio: elsewhere > 0 ? boundary / elsewhere : 1, lines: lines.rows.length + lines.cols.length };
}
