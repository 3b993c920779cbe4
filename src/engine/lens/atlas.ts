import type { ModelRunner } from '../model/runner';
import { FeatureVis, type FeatureVisOptions } from './feature-vis';
import { layoutGrid, type GridLayout } from './grid';
import { channelTarget, type FeatureTarget } from './targets';
import type { RgbPixels, TileGrid } from './types';

/** What identifies a rendered tile: the same key always means the same picture. */
export interface AtlasTileKey {
  /** The model's id (e.g. its weights file name or hash): tiles of different weights never mix. */
  model: string;
  layer: string;
  channel: number;
  size: number;
  steps: number;
}

export function atlasKey(k: AtlasTileKey): string {
  return `lens-atlas/${encodeURIComponent(k.model)}/${k.layer}/${k.channel}/${k.size}px/${k.steps}steps`;
}

/**
 * Where finished tiles are kept between fills and sessions. Pure: the browser backs it with IndexedDB or Cache
 * Storage, tests with memory. A get that finds nothing resolves to undefined.
 */
export interface AtlasCache {
  get(key: string): Promise<RgbPixels | undefined>;
  put(key: string, tile: RgbPixels): Promise<void>;
}

/** An AtlasCache in a Map (tests; a session that keeps nothing). */
export class MemoryAtlasCache implements AtlasCache {
  private readonly tiles = new Map<string, RgbPixels>();
  gets = 0;
  hits = 0;
  puts = 0;

  async get(key: string): Promise<RgbPixels | undefined> {
    this.gets++;
    const t = this.tiles.get(key);
    if (t) this.hits++;
    return t;
  }

  async put(key: string, tile: RgbPixels): Promise<void> {
    this.puts++;
    this.tiles.set(key, tile);
  }

  get size(): number {
    return this.tiles.size;
  }
}

/** Renders one batch of channels of a layer into tiles (FeatureVis by default; replaceable for tests and workers). */
export type TileRenderer = (layer: string, channels: readonly number[], size: number, steps: number) => Promise<RgbPixels[]>;

/**
 * The default renderer: one FeatureVis over the batch, one objective per batch item: the channel, or what `target`
 * makes of it (its neuron, its mix with another channel).
 */
export function featureVisRenderer(
  runner: ModelRunner,
  options: FeatureVisOptions = {},
  target: (layer: string, channel: number) => FeatureTarget = channelTarget,
): TileRenderer {
  return async (layer, channels, size, steps) => {
    const fv = new FeatureVis(
      runner,
      channels.map((c) => target(layer, c)),
      { ...options, size },
    );
    try {
      await fv.run(steps);
      return await Promise.all(channels.map((_, i) => fv.pixels(i)));
    } finally {
      fv.dispose();
    }
  };
}

export interface AtlasOptions {
  model: string;
  layer: string;
  /** Tile side, px. */
  size?: number;
  steps?: number;
  /** Channels rendered together in one FeatureVis batch. */
  batch?: number;
  cache?: AtlasCache;
  /** How tiles are made; default featureVisRenderer(runner). */
  render?: TileRenderer;
  /** Options for the default renderer. */
  featureVis?: FeatureVisOptions;
}

export interface FillEvents {
  /** Before a batch is rendered, with its channels in order. */
  onBatch?: (channels: readonly number[]) => void;
  /** Each tile as it becomes known, from the cache or freshly rendered. */
  onTile?: (channel: number, tile: RgbPixels, cached: boolean) => void;
  /** Checked between batches: true stops the fill (the view moved on). */
  cancelled?: () => boolean;
}

/** An atlas tile's side (px) and steps unless its options say otherwise: they are part of each tile's cache key. */
export const ATLAS_TILE = { size: 96, steps: 64 } as const;

/**
 * Every channel of a layer visualised, as a grid. fill(order) makes the tiles in the order given (a UI passes the
 * visible channels first), taking what the cache has and rendering the rest in batches of `batch` channels, each
 * batch one FeatureVis; new tiles go into the cache, so a second fill renders nothing.
 */
export class Atlas {
  readonly channels: number;
  readonly size: number;
  readonly steps: number;
  readonly batch: number;
  private readonly tiles = new Map<number, RgbPixels>();
  private readonly render: TileRenderer;

  constructor(
    runner: ModelRunner,
    private readonly options: AtlasOptions,
  ) {
    this.channels = runner.channels(options.layer);
    this.size = options.size ?? ATLAS_TILE.size;
    this.steps = options.steps ?? ATLAS_TILE.steps;
    this.batch = Math.max(1, options.batch ?? 4);
    this.render = options.render ?? featureVisRenderer(runner, options.featureVis);
  }

  get layer(): string {
    return this.options.layer;
  }

  key(channel: number): string {
    return atlasKey({ model: this.options.model, layer: this.options.layer, channel, size: this.size, steps: this.steps });
  }

  /** A tile, if made (by this atlas or found in the cache during a fill). */
  tile(channel: number): RgbPixels | undefined {
    return this.tiles.get(channel);
  }

  /**
   * Makes the tiles of `order` (default: every channel, in channel order), skipping those already held. Resolves to
   * how many were rendered and how many came from the cache.
   */
  async fill(order: readonly number[] = Array.from({ length: this.channels }, (_, c) => c), events: FillEvents = {}): Promise<{ rendered: number; cached: number }> {
    const wanted = [...new Set(order)].filter((c) => {
      if (!Number.isInteger(c) || c < 0 || c >= this.channels) throw new RangeError(`${this.layer} has channels 0–${this.channels - 1}, not ${c}`);
      return !this.tiles.has(c);
    });
    let cached = 0;
    const missing: number[] = [];
    for (const c of wanted) {
      const hit = await this.options.cache?.get(this.key(c));
      if (hit) {
        this.tiles.set(c, hit);
        cached++;
        events.onTile?.(c, hit, true);
      } else missing.push(c);
    }
    let rendered = 0;
    for (let i = 0; i < missing.length; i += this.batch) {
      if (events.cancelled?.()) break;
      const channels = missing.slice(i, i + this.batch);
      events.onBatch?.(channels);
      const tiles = await this.render(this.layer, channels, this.size, this.steps);
      for (let j = 0; j < channels.length; j++) {
        const c = channels[j]!;
        this.tiles.set(c, tiles[j]!);
        await this.options.cache?.put(this.key(c), tiles[j]!);
        events.onTile?.(c, tiles[j]!, false);
        rendered++;
      }
    }
    return { rendered, cached };
  }

  /** All channels as a grid (channel order; tiles not made yet are empty cells). */
  grid(layout: GridLayout = {}): TileGrid {
    return layoutGrid(
      Array.from({ length: this.channels }, (_, c) => this.tiles.get(c)),
      { columns: 32, gap: 1, ...layout },
    );
  }
}
