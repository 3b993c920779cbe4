import * as tf from '@tensorflow/tfjs';
import type { LayerGrid } from '../model/geometry';
import type { ModelRunner } from '../model/runner';
import type { LayerShares } from '../objectives/weighted';
import type { AxisPlan, TilePlan } from './grid';

/**
 * The feathered blend, done on the objective rather than on the pixels: every activation of the whole picture is
 * shared out between the tiles that compute it, by weights that add up to 1. Along an axis a tile's weight is 1
 * up to where it hands over to its neighbour, then falls linearly to 0 over `ramp` px (the neighbour's rises the
 * same way); a position is placed by the centre of its window. The 2-D weight is the product of the two axes'.
 *
 * Because the tiles' shares add up to the whole, their objectives add up to the whole picture's and their input
 * gradients to its gradient, exactly where each shared activation is the same in the tile as in the whole picture
 * (tiles start on the network's stride, so the grids coincide); what differs is the zero padding a tile sees at its
 * own edges, which reaches the shared activations only from the `overlap/2 − ramp/2` px of margin outside them.
 */

function rise(t: number, ramp: number): number {
  return ramp > 0 ? Math.min(1, Math.max(0, 0.5 + t / ramp)) : t >= 0 ? 1 : 0;
}

/** Tile i's share of the position centred on pixel c, along one axis (none outside the axis's core). */
export function axisShare(plan: AxisPlan, i: number, c: number, ramp: number): number {
  if (plan.core && (c < plan.core.start || c >= plan.core.end)) return 0;
  const b = plan.boundaries;
  const up = i > 0 ? rise(c - b[i - 1]!, ramp) : 1;
  const down = i < b.length ? 1 - rise(c - b[i]!, ramp) : 1;
  return up * down;
}

/** The positions of a layer along one axis, for a tile of `size` px. */
type AxisGrid = { count: (size: number) => number; stride: number; offset: number };

/** Tile i's shares at its own positions along one axis. */
function axisShares(plan: AxisPlan, i: number, grid: AxisGrid, ramp: number): Float32Array {
  const t = plan.tiles[i]!;
  const n = grid.count(t.end - t.start);
  return Float32Array.from({ length: n }, (_, k) => axisShare(plan, i, t.start + grid.offset + k * grid.stride, ramp));
}

/**
 * Checks that the shares of every position of the whole picture's grid add up to 1 along an axis: a position whose
 * share would fall beyond the tile's grid (an overlap too small for the layer's stride and window) is refused here
 * rather than silently lost.
 */
function checkAxis(plan: AxisPlan, grid: AxisGrid, ramp: number, layer: string): void {
  const total = new Float64Array(grid.count(plan.length));
  plan.tiles.forEach((t, i) => {
    const first = t.start / grid.stride;
    if (!Number.isInteger(first)) throw new Error(`tile at ${t.start} px is not on layer ${layer}'s stride of ${grid.stride} px`);
    axisShares(plan, i, grid, ramp).forEach((w, k) => (total[first + k]! += w));
  });
  const bad = total.findIndex((s, k) => Math.abs(s - (counts(plan, grid.offset + k * grid.stride) ? 1 : 0)) > 1e-6);
  if (bad >= 0) throw new Error(`tile overlap too small for layer ${layer}: its position at ${grid.offset + bad * grid.stride} px is shared ${total[bad]!.toFixed(3)}, not 1`);
}

/** Whether the position centred on pixel c counts (is in the axis's core). */
function counts(plan: AxisPlan, c: number): boolean {
  return !plan.core || (c >= plan.core.start && c < plan.core.end);
}

/** How many of a layer's positions along an axis count. */
function countedPositions(plan: AxisPlan, grid: AxisGrid): number {
  const n = grid.count(plan.length);
  if (!plan.core) return n;
  let k = 0;
  for (let i = 0; i < n; i++) if (counts(plan, grid.offset + i * grid.stride)) k += 1;
  return k;
}

/**
 * The shares of every tile of a plan, per layer, as [1, h, w, 1] tensors on each tile's layer grid, made on first
 * use and kept until dispose(); `count` is the whole picture's positions at that layer.
 */
export class TileShares {
  private readonly cache = new Map<string, LayerShares>();
  private readonly whole: Record<string, LayerGrid>;
  private readonly axes: Record<string, { rows: AxisGrid; cols: AxisGrid }> = {};
  /** The hand-over's width, px. */
  readonly ramp: number;

  constructor(
    private readonly runner: ModelRunner,
    readonly plan: TilePlan,
    private readonly layers: readonly string[],
    ramp: number,
  ) {
    this.whole = runner.grids(plan.height, plan.width, layers).named;
    // Hand-overs closer together than the ramp would overlap their ramps: the ramp shrinks to fit.
    const gaps = [plan.rows, plan.cols].flatMap((a) => a.boundaries.slice(1).map((b, i) => b - a.boundaries[i]!));
    this.ramp = Math.min(ramp, ...gaps);
    for (const name of layers) {
      const g = this.whole[name]!;
      const along = (axis: 0 | 1): AxisGrid => ({
        stride: g.stride[axis],
        offset: g.offset[axis],
        count: (size) => {
          const grid = runner.grids(axis === 0 ? size : plan.height, axis === 0 ? plan.width : size, [name]).named[name]!;
          return axis === 0 ? grid.height : grid.width;
        },
      });
      this.axes[name] = { rows: memo(along(0)), cols: memo(along(1)) };
      checkAxis(plan.rows, this.axes[name].rows, this.ramp, name);
      checkAxis(plan.cols, this.axes[name].cols, this.ramp, name);
    }
  }

  /** The shares of tile (row r, column c). */
  tile(r: number, c: number): LayerShares {
    const key = `${r},${c}`;
    let shares = this.cache.get(key);
    if (!shares) {
      const out: Record<string, { map: tf.Tensor4D; count: number }> = {};
      for (const name of this.layers) {
        const { rows, cols } = this.axes[name]!;
        const wy = axisShares(this.plan.rows, r, rows, this.ramp);
        const wx = axisShares(this.plan.cols, c, cols, this.ramp);
        const map = new Float32Array(wy.length * wx.length);
        for (let y = 0; y < wy.length; y++) for (let x = 0; x < wx.length; x++) map[y * wx.length + x] = wy[y]! * wx[x]!;
        // Kept: made on first use, which may be inside a caller's tidy, and reused every step.
        out[name] = { map: tf.keep(tf.tensor4d(map, [1, wy.length, wx.length, 1])), count: countedPositions(this.plan.rows, rows) * countedPositions(this.plan.cols, cols) };
      }
      shares = out;
      this.cache.set(key, shares);
    }
    return shares;
  }

  dispose(): void {
    for (const s of this.cache.values()) for (const w of Object.values(s)) w.map.dispose();
    this.cache.clear();
  }
}

function memo(grid: AxisGrid): AxisGrid {
  const seen = new Map<number, number>();
  return {
    ...grid,
    count: (size) => {
      let n = seen.get(size);
      if (n === undefined) seen.set(size, (n = grid.count(size)));
      return n;
    },
  };
}
