import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Atlas, atlasKey, featureVisRenderer, MemoryAtlasCache, type TileRenderer } from '../../src/engine/lens/atlas';
import type { ModelRunner } from '../../src/engine/model/runner';
import { engine } from '../helpers/engine';

describe('lens: atlas', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = await engine('wasm');
  });

  it('keys tiles by model, layer, channel, size and steps', () => {
    const k = { model: 'inception_v3@nsfwjs-4.4.0', layer: 'mixed4', channel: 7, size: 96, steps: 64 };
    expect(atlasKey(k)).toBe('lens-atlas/inception_v3%40nsfwjs-4.4.0/mixed4/7/96px/64steps');
    expect(new Set([atlasKey(k), atlasKey({ ...k, channel: 8 }), atlasKey({ ...k, size: 64 }), atlasKey({ ...k, steps: 32 }), atlasKey({ ...k, model: 'other' })]).size).toBe(5);
  });

  it('renders in the order given, in batches, and a second fill renders nothing (cache hits)', async () => {
    const cache = new MemoryAtlasCache();
    const rendered: number[][] = [];
    const real = featureVisRenderer(runner);
    const render: TileRenderer = async (layer, channels, size, steps) => {
      rendered.push([...channels]);
      return real(layer, channels, size, steps);
    };
    const order = [40, 3, 17, 8, 99];
    const batches: number[][] = [];
    const atlas = new Atlas(runner, { model: 'test', layer: 'mixed3', size: 64, steps: 2, batch: 2, cache, render });
    expect(atlas.channels).toBe(768);
    const first = await atlas.fill(order, { onBatch: (c) => batches.push([...c]) });
    expect(first).toEqual({ rendered: 5, cached: 0 });
    expect(batches).toEqual([[40, 3], [17, 8], [99]]);
    expect(rendered).toEqual(batches);
    expect(cache.size).toBe(5);
    for (const c of order) expect(atlas.tile(c)!.data.length).toBe(64 * 64 * 3);
    // Each tile is its own channel's picture, not a copy of its batch neighbour's.
    expect(Buffer.compare(Buffer.from(atlas.tile(40)!.data), Buffer.from(atlas.tile(3)!.data))).not.toBe(0);

    // (Measured after the first fill: the runner keeps a small cache for each input size it has seen.)
    const before = tf.memory().numTensors;
    // A new atlas over the same cache (a reload): everything comes from the cache, nothing is rendered.
    rendered.length = 0;
    const again = new Atlas(runner, { model: 'test', layer: 'mixed3', size: 64, steps: 2, batch: 2, cache, render });
    const tiles: number[] = [];
    const second = await again.fill([99, 40, 3, 17, 8], { onTile: (c, _, cached) => cached && tiles.push(c) });
    expect(second).toEqual({ rendered: 0, cached: 5 });
    expect(rendered).toEqual([]);
    expect(tiles).toEqual([99, 40, 3, 17, 8]);
    expect(cache.hits).toBe(5);
    // A different step count is a different key: it renders.
    const other = new Atlas(runner, { model: 'test', layer: 'mixed3', size: 64, steps: 1, batch: 4, cache, render });
    expect((await other.fill([3])).rendered).toBe(1);
    expect(tf.memory().numTensors).toBe(before);

    // The grid has a cell per channel; only the made tiles are drawn.
    const grid = again.grid({ columns: 32, gap: 1 });
    expect(grid.tiles).toHaveLength(768);
    expect(grid.pixels.width).toBe(32 * 64 + 33);
  });

  it('stops between batches when cancelled', async () => {
    let calls = 0;
    const render: TileRenderer = async (_l, channels, size) => {
      calls++;
      return channels.map(() => ({ width: size, height: size, data: new Uint8Array(size * size * 3) }));
    };
    const atlas = new Atlas(runner, { model: 'test', layer: 'mixed4', size: 8, steps: 1, batch: 3, render });
    const result = await atlas.fill([1, 2, 3, 4, 5, 6, 7], { cancelled: () => calls >= 1 });
    expect(result.rendered).toBe(3);
    await expect(atlas.fill([800])).rejects.toThrow(RangeError);
  });
});
