/**
 * Palette distance: the sliced Wasserstein-1 distance between two sets of RGB pixels. Positions are ignored, so
 * it asks only "are these the same colours in the same amounts", and sets of different sizes compare through
 * their quantiles.
 */
import { createRng } from '../random';
import type { Picture } from './image';

export interface SlicedOptions {
  /** Random unit directions in RGB. */
  directions: number;
  /** Equally spaced quantiles compared per direction. */
  quantiles: number;
  seed: number;
}

export const SLICED_DEFAULTS: SlicedOptions = { directions: 64, quantiles: 256, seed: 1 };

/** Unit vectors uniform on the sphere (normalised Gaussians, Box–Muller), the same for a given seed everywhere. */
export function directions(count: number, seed: number): [number, number, number][] {
  const rng = createRng(seed);
  // 1 − u keeps log's argument in (0,1], never 0.
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const out: [number, number, number][] = [];
  while (out.length < count) {
    const v = [gauss(), gauss(), gauss()] as const;
    const norm = Math.hypot(...v);
    if (norm > 1e-9) out.push([v[0] / norm, v[1] / norm, v[2] / norm]);
  }
  return out;
}

/** The q equally spaced quantiles (at (k + ½)/q) of an ascending array, linearly interpolated. */
export function quantiles(sorted: Float64Array, q: number): Float64Array {
  const n = sorted.length;
  const out = new Float64Array(q);
  for (let k = 0; k < q; k++) {
    const pos = Math.min(n - 1, Math.max(0, ((k + 0.5) / q) * n - 0.5));
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, lo + 1);
    out[k] = sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
  }
  return out;
}

function projected(p: Picture, d: readonly [number, number, number], q: number): Float64Array {
  const n = p.width * p.height;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = d[0] * p.data[3 * i]! + d[1] * p.data[3 * i + 1]! + d[2] * p.data[3 * i + 2]!;
  return quantiles(values.sort(), q);
}

/** Mean over directions of the mean |difference| of the projections' quantiles. */
export function slicedWasserstein(a: Picture, b: Picture, options: SlicedOptions = SLICED_DEFAULTS): number {
  let total = 0;
  const dirs = directions(options.directions, options.seed);
  for (const d of dirs) {
    const qa = projected(a, d, options.quantiles);
    const qb = projected(b, d, options.quantiles);
    let s = 0;
    for (let k = 0; k < options.quantiles; k++) s += Math.abs(qa[k]! - qb[k]!);
    total += s / options.quantiles;
  }
  return total / dirs.length;
}

/**
 * How far the result's palette still is from the painting's, as a share of how far the photo's was: 0 = the
 * painting's colours, 1 = no closer than the photo. Content already in the painting's palette gives 0/0: 0.
 */
export function palette(result: Picture, content: Picture, style: Picture, options: SlicedOptions = SLICED_DEFAULTS): number {
  const moved = slicedWasserstein(result, style, options);
  const start = slicedWasserstein(content, style, options);
  return start === 0 ? (moved === 0 ? 0 : Infinity) : moved / start;
}
