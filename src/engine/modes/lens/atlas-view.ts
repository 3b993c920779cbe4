import * as tf from '@tensorflow/tfjs';
import { Atlas, ATLAS_TILE, atlasKey, type AtlasCache } from '../../lens/atlas';
import type { RgbPixels } from '../../lens/types';
import type { ModelRunner } from '../../model/runner';
import type { Settings } from '../../params/settings';
import type { Inspection, Picked, PickHow } from '../mode';
import { atlasTileAction } from './atlas-actions';
import { ATLAS_PAGE, type LensParams } from './about';
import { cellAt, tileSheet, type Cell } from './paint';
import type { LensView } from './view';

/** Which weights the tiles were made with: a cached tile is only ever shown for the network that made it. */
export const MODEL_ID = 'inception_v3@nsfwjs-4.4.0';

/** Where a channel's atlas tile is kept (the one the atlas view makes). */
export function atlasTileKey(layer: string, channel: number): string {
  return atlasKey({ model: MODEL_ID, layer, channel, ...ATLAS_TILE });
}

/** Tiles not made yet: a little lighter than the ground; tiles in the batch being made: lighter still. */
const EMPTY = -0.7;
const MAKING = -0.45;

/**
 * Every channel of a layer, visualised, a page of 64 at a time: the page's tiles are made in batches (several
 * channels share each step), taken from the cache first (the browser keeps them, so a reload shows them at once).
 * Clicking a tile dreams with that channel: DeepDream's objective becomes it and the dream goes on; Shift+click
 * paints it into the mask (atlas-actions.ts).
 */
export class AtlasView implements LensView {
  private readonly atlas: Atlas;
  private readonly first: number;
  private readonly count: number;
  private readonly tiles: (tf.Tensor3D | null)[];
  private readonly making = new Set<number>();
  private cells: Cell[] = [];
  private cached = 0;
  private rendered = 0;
  private disposed = false;

  constructor(
    runner: ModelRunner,
    private readonly p: LensParams,
    cache: AtlasCache | undefined,
  ) {
    this.atlas = new Atlas(runner, { layer: p.layer, model: MODEL_ID, cache });
    this.first = p.page * ATLAS_PAGE;
    this.count = Math.max(0, Math.min(ATLAS_PAGE, this.atlas.channels - this.first));
    this.tiles = new Array<tf.Tensor3D | null>(this.count).fill(null);
    const order = Array.from({ length: this.count }, (_, i) => this.first + i);
    void this.atlas
      .fill(order, {
        cancelled: () => this.disposed,
        onBatch: (channels) => {
          this.making.clear();
          for (const c of channels) this.making.add(c);
        },
        onTile: (channel, pixels, cached) => this.place(channel, pixels, cached),
      })
      .finally(() => this.making.clear());
  }

  private place(channel: number, pixels: RgbPixels, cached: boolean): void {
    if (this.disposed) return;
    const i = channel - this.first;
    this.tiles[i]?.dispose();
    this.tiles[i] = tf.tidy(() => tf.tensor3d(pixels.data, [pixels.height, pixels.width, 3], 'int32').toFloat().div(127.5).sub(1) as tf.Tensor3D);
    this.making.delete(channel);
    if (cached) this.cached++;
    else this.rendered++;
  }

  frame(_picture: tf.Tensor4D, _steps: number, sheet: [number, number]): { image: tf.Tensor4D; loss: null } {
    const side = this.atlas.size;
    const stack = tf.tidy(() =>
      tf.stack(this.tiles.map((t, i) => t ?? tf.fill([side, side, 3], this.making.has(this.first + i) ? MAKING : EMPTY))) as tf.Tensor4D,
    );
    try {
      const { image, cells } = tileSheet(stack, 8, sheet, 2);
      this.cells = cells;
      return { image, loss: null };
    } finally {
      stack.dispose();
    }
  }

  /** A tile clicked (or named by its channel, from the panel): dreaming with it, everywhere or where painted. */
  async pick(_picture: tf.Tensor4D, u: number, v: number, settings: Settings, how: PickHow = {}): Promise<Picked | null> {
    const channel = how.channel ?? this.cellChannel(u, v);
    if (channel === null || channel >= this.atlas.channels) return null;
    return atlasTileAction(settings, this.p.layer, channel, how.action);
  }

  private cellChannel(u: number, v: number): number | null {
    const cell = cellAt(this.cells, u, v);
    return cell ? this.first + cell.index : null;
  }

  async inspect(): Promise<Inspection> {
    const made = this.cached + this.rendered;
    const page = `page ${this.p.page + 1} of ${Math.ceil(this.atlas.channels / ATLAS_PAGE)}`;
    return { title: `${this.p.layer} atlas, ${page}: ${made} of ${this.count} tiles (${this.cached} from the cache, ${this.rendered} made)`, tiles: [] };
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.tiles) t?.dispose();
    this.tiles.fill(null);
  }
}
