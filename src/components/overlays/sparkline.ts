/**
 * Loss history and its sparkline as pure functions, so <ds-stats> stays a thin view and the geometry is testable.
 */

/** Appends `value`, dropping the oldest entries beyond `max`. Returns a new array (Lit sees the change). */
export function pushBounded<T>(history: readonly T[], value: T, max: number): T[] {
  const limit = Math.max(0, Math.floor(max));
  if (limit === 0) return [];
  const next = history.length >= limit ? history.slice(history.length - limit + 1) : history.slice();
  next.push(value);
  return next;
}

/** Two decimals is sub-pixel already; shorter paths keep the DOM light when stats arrive every frame. */
const r2 = (v: number) => String(Math.round(v * 100) / 100);

/**
 * An SVG path `d` for `values` drawn left to right across width × height, the largest value at the top.
 * Non-finite values (a NaN step, an overflow) are left out as gaps: x keeps each value's index, so a gap shows
 * where it happened and the next finite value starts a new sub-path (a lone point is a dot). Constant data is a line across the middle;
 * a single value is a full-width line; nothing to draw gives ''.
 */
export function sparklinePath(values: readonly number[], width: number, height: number): string {
  if (!(width > 0) || !(height > 0)) return '';
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return '';
  const mid = height / 2;
  if (values.length === 1) return `M0 ${r2(mid)}L${r2(width)} ${r2(mid)}`;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of finite) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  // Inset by half a typical stroke so the extremes are not clipped by the viewBox.
  const pad = Math.min(1, height / 4);
  const span = hi - lo;
  const y = (v: number) => (span === 0 ? mid : height - pad - ((v - lo) / span) * (height - 2 * pad));
  const dx = width / (values.length - 1);
  let d = '';
  let drawing = false;
  for (const [i, v] of values.entries()) {
    if (!Number.isFinite(v)) {
      drawing = false;
      continue;
    }
    d += `${drawing ? 'L' : 'M'}${r2(i * dx)} ${r2(y(v))}`;
    // A lone point between gaps becomes a dot (zero-length segment, visible with round line caps).
    if (!drawing && !Number.isFinite(values[i + 1] ?? Number.NaN)) d += 'h0';
    drawing = true;
  }
  return d;
}

/** What <ds-stats> remembers between updates. */
export interface LossTrack {
  mode: string | null;
  iteration: number;
  values: number[];
}

export const EMPTY_TRACK: LossTrack = { mode: null, iteration: -Infinity, values: [] };

/**
 * Folds one stats sample into the track. A new mode or an iteration that went backwards (reset, new source,
 * worker restart) starts a fresh history; a repeated iteration (stats while paused) adds nothing.
 */
export function trackLoss(track: LossTrack, sample: { mode: string; iteration: number; loss: number | undefined }, max: number): LossTrack {
  const restart = sample.mode !== track.mode || sample.iteration < track.iteration;
  const base = restart ? [] : track.values;
  if (!restart && sample.iteration === track.iteration) return track;
  const values = sample.loss === undefined ? base.slice() : pushBounded(base, sample.loss, max);
  return { mode: sample.mode, iteration: sample.iteration, values };
}
