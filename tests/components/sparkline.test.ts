import { describe, expect, it } from 'vitest';
import { EMPTY_TRACK, pushBounded, sparklinePath, trackLoss } from '../../src/components/overlays/sparkline';

/** Parses "M0 1L2 3M4 5h0" into sub-paths of [x, y] points. */
function subpaths(d: string): [number, number][][] {
  const out: [number, number][][] = [];
  for (const m of d.matchAll(/([ML])(-?[\d.]+) (-?[\d.]+)/g)) {
    const p: [number, number] = [Number(m[2]), Number(m[3])];
    if (m[1] === 'M') out.push([p]);
    else out[out.length - 1]!.push(p);
  }
  return out;
}

describe('pushBounded', () => {
  it('appends without mutating and keeps only the newest `max`', () => {
    const a = [1, 2, 3];
    const b = pushBounded(a, 4, 3);
    expect(b).toEqual([2, 3, 4]);
    expect(a).toEqual([1, 2, 3]);
    expect(pushBounded([], 1, 3)).toEqual([1]);
    expect(pushBounded([1, 2, 3, 4, 5], 6, 2)).toEqual([5, 6]);
    expect(pushBounded([1], 2, 0)).toEqual([]);
  });

  it('stays bounded over many pushes', () => {
    let h: number[] = [];
    for (let i = 0; i < 500; i++) h = pushBounded(h, i, 120);
    expect(h.length).toBe(120);
    expect(h[0]).toBe(380);
    expect(h[119]).toBe(499);
  });
});

describe('sparklinePath', () => {
  it('is empty when there is nothing to draw', () => {
    expect(sparklinePath([], 100, 20)).toBe('');
    expect(sparklinePath([Number.NaN, Infinity], 100, 20)).toBe('');
    expect(sparklinePath([1, 2], 0, 20)).toBe('');
  });

  it('draws a single value and constant values as a flat line through the middle', () => {
    expect(subpaths(sparklinePath([5], 100, 20))).toEqual([[[0, 10], [100, 10]]]);
    const flat = subpaths(sparklinePath([3, 3, 3], 100, 20));
    expect(flat).toHaveLength(1);
    expect(flat[0]!.map((p) => p[1])).toEqual([10, 10, 10]);
    expect(flat[0]!.map((p) => p[0])).toEqual([0, 50, 100]);
  });

  it('spans the width, puts the max at the top and the min at the bottom, inside the box', () => {
    const pts = subpaths(sparklinePath([0, 10, 5], 120, 28))[0]!;
    expect(pts.map((p) => p[0])).toEqual([0, 60, 120]);
    const [lo, hi, mid] = pts.map((p) => p[1]) as [number, number, number];
    expect(hi).toBeLessThan(mid);
    expect(mid).toBeLessThan(lo);
    expect(hi).toBeGreaterThanOrEqual(0);
    expect(lo).toBeLessThanOrEqual(28);
    expect(mid).toBeCloseTo(14, 5);
  });

  it('leaves non-finite values out as gaps at their own x and ignores them for the scale', () => {
    const d = sparklinePath([1, 2, Number.NaN, 3, 4], 100, 20);
    const parts = subpaths(d);
    expect(parts).toHaveLength(2);
    expect(parts[0]!.map((p) => p[0])).toEqual([0, 25]);
    expect(parts[1]!.map((p) => p[0])).toEqual([75, 100]);
    expect(d).not.toMatch(/NaN|Infinity/);
    const ys = parts.flat().map((p) => p[1]);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ys)).toBeLessThanOrEqual(20);
  });

  it('draws a lone finite point between gaps as a dot', () => {
    expect(sparklinePath([Number.NaN, 2, Number.NaN], 100, 20)).toMatch(/^M50 10h0$/);
  });
});

describe('trackLoss', () => {
  const s = (mode: string, iteration: number, loss?: number) => ({ mode, iteration, loss });

  it('accumulates losses as iterations advance', () => {
    let t = EMPTY_TRACK;
    for (let i = 1; i <= 5; i++) t = trackLoss(t, s('dream', i, i * 10), 3);
    expect(t.values).toEqual([30, 40, 50]);
    expect(t.iteration).toBe(5);
  });

  it('ignores a repeated iteration (stats while paused)', () => {
    const t = trackLoss(trackLoss(EMPTY_TRACK, s('dream', 1, 1), 10), s('dream', 2, 2), 10);
    expect(trackLoss(t, s('dream', 2, 99), 10)).toBe(t);
  });

  it('restarts on a mode change or when the iteration goes backwards', () => {
    let t = EMPTY_TRACK;
    for (let i = 1; i <= 4; i++) t = trackLoss(t, s('dream', i, i), 10);
    expect(trackLoss(t, s('style', 5, 7), 10).values).toEqual([7]);
    expect(trackLoss(t, s('dream', 0, 9), 10).values).toEqual([9]);
  });

  it('keeps the iteration even when a sample has no loss', () => {
    const t = trackLoss(trackLoss(EMPTY_TRACK, s('dream', 1, 1), 10), s('dream', 2), 10);
    expect(t.values).toEqual([1]);
    expect(t.iteration).toBe(2);
  });
});
