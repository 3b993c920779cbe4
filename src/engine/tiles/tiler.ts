import type { ModelRunner } from '../model/runner';
import { isSingleTile, planTiles, type AxisPlan } from './grid';
import type { PeakMemory } from './memory';
import { TileShares } from './weights';

/** How a session cuts large pictures into tiles. */
export interface TilingOptions {
  /** The largest tile side, px (see tile-size.ts for one that fits the device). */
  tile: number;
  /**
   * Pixels shared by neighbouring tiles. Default: what the layers need for their activations to be shared out
   * exactly (twice the reach of the deepest layer's window centre plus the ramp) and DEFAULT_MARGIN px more on each
   * side, so the zero padding at a tile's edge stays away from the activations it holds.
   */
  overlap?: number;
  /** Width (px) of the feathered hand-over between neighbours. */
  ramp?: number;
  /**
   * Roll the picture by a random offset of up to a tile's spacing each step (on top of the dream's jitter), so the
   * hand-overs never sit at the same place of the picture twice (the TensorFlow DeepDream tutorial's tiled
   * gradients). Default true. [dy, dx]: always that roll (the worst case for a seam, for tests and the bench).
   */
  roll?: boolean | readonly [number, number];
  /** Sampled at each tile (the render CLI's peak tensor bytes). */
  probe?: PeakMemory;
}

export const DEFAULT_RAMP = 32;
export const DEFAULT_MARGIN = 8;

/** Pixels of overlap the layers need for an exact share-out with `ramp`: 2·max(offset + stride) + ramp, on 8 px. */
export function minimumOverlap(runner: ModelRunner, layers: readonly string[], ramp: number): number {
  const { named } = runner.grids(256, 256, layers);
  const reach = Math.max(...Object.values(named).flatMap((g) => [g.offset[0] + g.stride[0], g.offset[1] + g.stride[1]]));
  return 8 * Math.ceil((2 * reach + ramp) / 8);
}

/** The largest stride among the layers: tiles start on multiples of it. */
export function alignment(runner: ModelRunner, layers: readonly string[]): number {
  const { named } = runner.grids(256, 256, layers);
  return Math.max(...Object.values(named).flatMap((g) => g.stride));
}

/**
 * Plans and share-outs for the sizes a session meets (an octave, a style stage, a painting): a share-out holds small
 * tensors per tile, made once per size and reused every step; shares() keeps the last few.
 */
export class Tiler {
  private readonly cache = new Map<string, TileShares>();
  /** How far the last tiled DeepDream step moved the picture before cutting it (its roll and jitter), [dy, dx]. */
  lastShift: [number, number] = [0, 0];

  constructor(
    readonly runner: ModelRunner,
    readonly options: TilingOptions,
  ) {
    if (!(options.tile > 0)) throw new Error(`tile must be a positive number of pixels (got ${options.tile})`);
  }

  get probe(): PeakMemory | undefined {
    return this.options.probe;
  }

  get ramp(): number {
    return this.options.ramp ?? DEFAULT_RAMP;
  }

  overlap(layers: readonly string[]): number {
    return this.options.overlap ?? minimumOverlap(this.runner, layers, this.ramp) + 2 * DEFAULT_MARGIN;
  }

  /**
   * A share-out of an h×w picture seen at `layers` that the caller owns (and disposes), or null when the picture
   * fits in one tile (then nothing is tiled).
   */
  create(height: number, width: number, layers: readonly string[]): TileShares | null {
    if (height <= this.options.tile && width <= this.options.tile) return null;
    const plan = planTiles(height, width, { tile: this.options.tile, overlap: this.overlap(layers), align: alignment(this.runner, layers) });
    return isSingleTile(plan) ? null : new TileShares(this.runner, plan, layers, this.ramp);
  }

  /** As create(), but kept by the tiler for the next steps at the same size (the tiler disposes it). */
  shares(height: number, width: number, layers: readonly string[]): TileShares | null {
    if (height <= this.options.tile && width <= this.options.tile) return null;
    return this.kept(`${height}x${width}:${layers.join(',')}`, () => this.create(height, width, layers));
  }

  /**
   * For a rolled step (wrap.ts): the share-out of the h×w picture extended round its wrap by `margin` px on both
   * sides of each axis that has more than one tile (half the overlap, on the stride: the rolled frame's edge gets
   * the context a hand-over gets), in which only the positions of the picture itself count. Kept like shares();
   * null when the picture fits one tile.
   */
  wrapped(height: number, width: number, layers: readonly string[]): { shares: TileShares; margin: [number, number] } | null {
    const base = this.shares(height, width, layers);
    if (!base) return null;
    const align = alignment(this.runner, layers);
    const side = align * Math.ceil(this.overlap(layers) / 2 / align);
    const [my, mx] = [base.plan.rows, base.plan.cols].map((a) => (a.tiles.length > 1 ? side : 0)) as [number, number];
    const shares = this.kept(`${height}x${width}:${layers.join(',')}:wrap`, () => {
      const plan = planTiles(height + 2 * my, width + 2 * mx, { tile: this.options.tile, overlap: this.overlap(layers), align });
      if (my) plan.rows.core = { start: my, end: my + height };
      if (mx) plan.cols.core = { start: mx, end: mx + width };
      return new TileShares(this.runner, plan, layers, this.ramp);
    })!;
    return { shares, margin: [my, mx] };
  }

  /** A share-out kept under `key`, made by `make` the first time (null: nothing to keep). */
  private kept(key: string, make: () => TileShares | null): TileShares | null {
    let s = this.cache.get(key);
    if (!s) {
      const made = make();
      if (!made) return null;
      s = made;
      this.cache.set(key, s);
      // The oldest share-outs go (a session moves on through octaves or stages and rarely comes back; a rolled
      // step keeps two per size and set of layers, a masked one two sets of layers).
      while (this.cache.size > 8) {
        const [first] = this.cache.keys();
        this.cache.get(first!)!.dispose();
        this.cache.delete(first!);
      }
    } else {
      this.cache.delete(key);
      this.cache.set(key, s);
    }
    return s;
  }

  /** A random roll [dy, dx] for one step: up to a tile spacing along each axis that has more than one tile. */
  rollOffsets(shares: TileShares, rng: () => number): [number, number] {
    const roll = this.options.roll;
    if (roll === false) return [0, 0];
    if (Array.isArray(roll)) return [roll[0], roll[1]];
    const along = (a: AxisPlan) => (a.tiles.length > 1 ? Math.floor(rng() * a.tiles[1]!.start) : 0);
    return [along(shares.plan.rows), along(shares.plan.cols)];
  }

  dispose(): void {
    for (const s of this.cache.values()) s.dispose();
    this.cache.clear();
  }
}
