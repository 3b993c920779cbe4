import * as tf from '@tensorflow/tfjs';
import type { TilePlan } from './grid';

/**
 * The seam figure: the mean luminance step across the lines where tiles meet, against the mean step everywhere
 * else. A visible seam is a line of larger steps, or of smaller ones (a smooth band where the dream stopped); a
 * ratio within 1 ± 0.1 shows none. `worst` is the one line whose own ratio is farthest from 1: a single seam among
 * many clean lines barely moves the mean, but shows there.
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
  /** The line whose own ratio (its steps over `elsewhere`) is farthest from 1: a row (horizontal) or a column. */
  worst: { axis: 'row' | 'col'; at: number; ratio: number };
}

/** Rec. 601 luminance in [0, 1] of a [1,H,W,3] picture in the model's [-1, 1]. */
export function luminance(x: tf.Tensor4D): Float32Array {
  return tf.tidy(() => x.add(1).mul(0.5).clipByValue(0, 1).mul(tf.tensor1d([0.299, 0.587, 0.114])).sum(3)).dataSync() as Float32Array;
}

/**
 * Where a plan's tiles meet, inside the picture: every tile edge and every hand-over, as rows (horizontal lines)
 * and columns (vertical lines); a line at k lies between pixels k − 1 and k. With the roll [dy, dx] a tiled step
 * took (the picture moved down and right by it before it was cut), the lines are where they fell on the picture,
 * the edges of the rolled frame included: there the tiles ended too.
 */
export function tileLines(plan: TilePlan, roll: readonly [number, number] = [0, 0]): { rows: number[]; cols: number[] } {
  const lines = (a: TilePlan['rows'], by: number) => {
    const s = ((by % a.length) + a.length) % a.length;
    const at = [...a.tiles.flatMap((t) => [t.start, t.end]), ...a.boundaries.map(Math.round)].map((k) => (((k - s) % a.length) + a.length) % a.length);
    return [...new Set(at)].filter((k) => k > 0 && k < a.length).sort((p, q) => p - q);
  };
  return { rows: lines(plan.rows, roll[0]), cols: lines(plan.cols, roll[1]) };
}

/**
 * The steps |Y(k) − Y(k − 1)| across each line and the `band` − 1 pixels either side, against every other step
 * in the same direction further than `band` px from any line.
 */
export function seamFigure(y: Float32Array, height: number, width: number, lines: { rows: number[]; cols: number[] }, band = 1): SeamFigure {
  let [onSum, onN, offSum, offN] = [0, 0, 0, 0];
  const near = (k: number, at: number[]) => at.some((l) => k >= l - band + 1 && k <= l + band - 1);
  const far = (k: number, at: number[]) => at.every((l) => Math.abs(k - l) > band);
  /** Per line: the sum and count of its own steps. */
  const own = { row: new Map<number, [number, number]>(), col: new Map<number, [number, number]>() };
  const add = (m: Map<number, [number, number]>, k: number, at: number[], sum: number, n: number) => {
    for (const l of at) {
      if (k < l - band + 1 || k > l + band - 1) continue;
      const [s0, n0] = m.get(l) ?? [0, 0];
      m.set(l, [s0 + sum, n0 + n]);
    }
  };
  // Steps across vertical lines: between columns x − 1 and x.
  for (let x = 1; x < width; x++) {
    const on = near(x, lines.cols);
    const off = far(x, lines.cols);
    if (!on && !off) continue;
    let sum = 0;
    for (let r = 0; r < height; r++) sum += Math.abs(y[r * width + x]! - y[r * width + x - 1]!);
    if (on) {
      [onSum, onN] = [onSum + sum, onN + height];
      add(own.col, x, lines.cols, sum, height);
    } else [offSum, offN] = [offSum + sum, offN + height];
  }
  // Steps across horizontal lines: between rows r − 1 and r.
  for (let r = 1; r < height; r++) {
    const on = near(r, lines.rows);
    const off = far(r, lines.rows);
    if (!on && !off) continue;
    let sum = 0;
    for (let x = 0; x < width; x++) sum += Math.abs(y[r * width + x]! - y[(r - 1) * width + x]!);
    if (on) {
      [onSum, onN] = [onSum + sum, onN + width];
      add(own.row, r, lines.rows, sum, width);
    } else [offSum, offN] = [offSum + sum, offN + width];
  }
  const boundary = onN ? onSum / onN : 0;
  const elsewhere = offN ? offSum / offN : 0;
  const ratioOf = (v: number) => (elsewhere > 0 ? v / elsewhere : 1);
  let worst: SeamFigure['worst'] = { axis: 'row', at: -1, ratio: 1 };
  for (const axis of ['row', 'col'] as const) {
    for (const [at, [sum, n]] of own[axis]) {
      const r = ratioOf(sum / n);
      if (Math.abs(Math.log(r)) > Math.abs(Math.log(worst.ratio))) worst = { axis, at, ratio: r };
    }
  }
  return { boundary, elsewhere, ratio: ratioOf(boundary), lines: lines.rows.length + lines.cols.length, worst };
}
