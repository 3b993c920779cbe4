/**
 * The lens as a mode of the live loop: each view shows something of the picture, a click means what it says, the
 * atlas takes its tiles from the cache, and the loop holds no more tensors after many frames.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { atlasKey, MemoryAtlasCache } from '../../src/engine/lens/atlas';
import { rgbPixels } from '../../src/engine/lens/types';
import { Loop } from '../../src/engine/loop/loop';
import type { ModelRunner } from '../../src/engine/model/runner';
import { MODEL_ID } from '../../src/engine/modes/lens/atlas-view';
import { settings, type Settings } from '../../src/engine/params/settings';
import { engine, photo } from '../helpers/engine';

const SIZE = 96;
let runner: ModelRunner;
let content: tf.Tensor4D;

beforeAll(async () => {
  runner = await engine();
  content = photo('cat-128.png', 128);
});
afterAll(() => content.dispose());

const lens = (lens: Record<string, unknown>): Settings => settings({ mode: 'lens', crossfade: 0, lens: { layer: 'mixed2', ...lens } });

/** A loop on the lens, the last shown picture kept (as pixels in [-1, 1]). */
function lensLoop(s: Settings, cache?: MemoryAtlasCache) {
  const loop = new Loop(runner, s, SIZE, { now: () => 0, cache });
  loop.setContent(content.clone());
  let shown: Float32Array = new Float32Array();
  const frame = async (steps = 1) => {
    await loop.frame(steps, (image) => {
      shown = image.dataSync() as Float32Array;
    });
    await loop.settled();
    return shown;
  };
  return { loop, frame };
}

const meanAbs = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + Math.abs(x - b[i]!), 0) / a.length;

describe('the lens mode', () => {
  it('activations: the chosen channel over the picture, another channel another map; a click finds the channels there', async () => {
    const { loop, frame } = lensLoop(lens({ view: 'activations', channel: 3 }));
    const three = await frame();
    expect(loop.mode!.name).toBe('lens');
    expect(Object.keys(loop.losses)).toEqual(['loss']);
    loop.setSettings(lens({ view: 'activations', channel: 40 }));
    const forty = await frame();
    expect(meanAbs(three, forty)).toBeGreaterThan(0.02);
    const picked = await loop.mode!.pick!(0.5, 0.5);
    expect(picked!.info!.rows.length).toBe(8);
    const rows = picked!.info!.rows;
    expect(rows.every((r, i) => i === 0 || r.value <= rows[i - 1]!.value)).toBe(true);
    // The strongest channel there becomes the one shown.
    expect(picked!.settings!.lens.channel).toBe(rows[0]!.key);
    const inspection = (await loop.mode!.inspect!())!;
    expect(inspection.tiles).toHaveLength(12);
    expect(inspection.select).toBe('lens.channel');
    expect(new Set(inspection.tiles.map((t) => t.key)).size).toBe(12);
    expect(inspection.examples!.tiles.length).toBe(1);
    loop.dispose();
  });

  it('saliency, features and filters each show their own picture; the overlay at 0 shows the picture itself', async () => {
    const pictures: Record<string, Float32Array> = {};
    const { loop, frame } = lensLoop(lens({ view: 'saliency', method: 'gradient', overlay: 0 }));
    const plain = await frame();
    const cover = tf.tidy(() => tf.image.resizeBilinear(content, [SIZE, SIZE]).dataSync() as Float32Array);
    expect(meanAbs(plain, cover)).toBeLessThan(0.05);
    for (const view of ['saliency', 'features', 'filters'] as const) {
      loop.setSettings(lens({ view, channel: 5, method: 'gradient' }));
      pictures[view] = await frame(2);
    }
    expect(meanAbs(pictures.saliency!, plain)).toBeGreaterThan(0.02);
    // Sheets (a grown picture, the filters) are drawn at 768 px, whatever the working size.
    expect(pictures.features!.length).toBe(768 * 768 * 3);
    expect(pictures.filters!.length).toBe(768 * 768 * 3);
    expect(meanAbs(pictures.filters!, pictures.features!)).toBeGreaterThan(0.05);
    loop.dispose();
  });

  it('features: two copies of a centre neuron grow side by side, two different pictures', async () => {
    const { loop, frame } = lensLoop(lens({ view: 'features', channel: 9, target: 'neuron', copies: 2 }));
    await frame(2);
    const sheet = await frame(2);
    expect(sheet.length).toBe(768 * 768 * 3);
    // The sheet's left and right halves hold the two pictures: they differ.
    const [left, right] = tf.tidy(() => tf.split(tf.tensor4d(sheet, [1, 768, 768, 3]), 2, 2).map((t) => t.dataSync() as Float32Array));
    expect(meanAbs(left!, right!)).toBeGreaterThan(0.01);
    expect((await loop.mode!.inspect!())!.title).toContain('mixed2 #9 (its centre neuron), grown from noise');
    loop.dispose();
  });

  it('a setting the view does not read leaves it running; one it reads starts it again', async () => {
    const { loop, frame } = lensLoop(lens({ view: 'features', channel: 9 }));
    await frame(2);
    await frame(2);
    const step = async () => Number(/step (\d+)/.exec((await loop.mode!.inspect!())!.title)![1]);
    expect(await step()).toBe(4);
    // The overlay is the activations' and saliency's: the picture goes on growing.
    loop.setSettings(lens({ view: 'features', channel: 9, overlay: 0.2 }));
    await frame(1);
    expect(await step()).toBe(5);
    // Another channel: a new picture from noise.
    loop.setSettings(lens({ view: 'features', channel: 10, overlay: 0.2 }));
    await frame(1);
    expect(await step()).toBe(1);
    loop.dispose();
  });

  it('the atlas takes its tiles from the cache (nothing rendered) and a click on a tile dreams with that channel', async () => {
    const cache = new MemoryAtlasCache();
    for (let c = 0; c < 64; c++) {
      const tile = rgbPixels(96, 96, new Uint8Array(96 * 96 * 3).fill(c * 4));
      await cache.put(atlasKey({ model: MODEL_ID, layer: 'mixed2', channel: c, size: 96, steps: 64 }), tile);
    }
    const { loop, frame } = lensLoop(lens({ view: 'atlas' }), cache);
    await frame();
    // The cache answers asynchronously: wait until the atlas says it holds every tile, then the next frame shows them.
    await vi.waitFor(async () => expect((await loop.mode!.inspect!())!.title).toContain('64 of 64 tiles'));
    const sheet = await frame();
    const inspection = (await loop.mode!.inspect!())!;
    expect(inspection.title).toContain('64 of 64 tiles (64 from the cache, 0 made)');
    expect(cache.hits).toBe(64);
    // Tiles of increasing grey, left to right: the sheet is not one colour.
    let [lo, hi] = [Infinity, -Infinity];
    for (const v of sheet) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    expect(hi - lo).toBeGreaterThan(1);
    // The second row's fourth tile is channel 11.
    const picked = (await loop.mode!.pick!((3.5 * 96 + 4 * 2) / (8 * 96 + 9 * 2), (1.5 * 96 + 2 * 2) / (8 * 96 + 9 * 2)))!;
    expect(picked.settings!.mode).toBe('dream');
    expect(picked.settings!.dream.layers).toEqual([{ name: 'mixed2', weight: 1 }]);
    expect(picked.settings!.dream.channel).toBe(11);
    // Shift+click on the same tile: it dreams where the mask is painted, and the brush opens.
    const painted = (await loop.mode!.pick!((3.5 * 96 + 4 * 2) / (8 * 96 + 9 * 2), (1.5 * 96 + 2 * 2) / (8 * 96 + 9 * 2), { action: 'paint' }))!;
    expect([painted.settings!.dream.channel, painted.settings!.mask.outside, painted.brush]).toEqual([11, 'other', true]);
    // The panel names a tile by its channel (another page's too); one the layer lacks is nothing.
    expect((await loop.mode!.pick!(0.5, 0.5, { action: 'paint', channel: 200 }))!.settings!.dream.channel).toBe(200);
    expect(await loop.mode!.pick!(0.5, 0.5, { channel: 2000 })).toBeNull();
    loop.dispose();
  });

  it('a click on the picture brings the found channels\' atlas tiles along, where the atlas made them', async () => {
    const cache = new MemoryAtlasCache();
    // Tiles for the even channels only: the odd ones were never made.
    for (let c = 0; c < 288; c += 2) await cache.put(atlasKey({ model: MODEL_ID, layer: 'mixed2', channel: c, size: 96, steps: 64 }), rgbPixels(96, 96, new Uint8Array(96 * 96 * 3).fill(90)));
    const { loop, frame } = lensLoop(lens({ view: 'activations' }), cache);
    await frame();
    const rows = (await loop.mode!.pick!(0.3, 0.6))!.info!.rows;
    expect(rows).toHaveLength(8);
    expect(rows.some((r) => r.thumb)).toBe(true);
    for (const r of rows) {
      if (r.key % 2 === 0) expect([r.thumb!.width, r.thumb!.height, r.thumb!.rgba[0], r.thumb!.rgba[3]]).toEqual([96, 96, 90, 255]);
      else expect(r.thumb).toBeUndefined();
    }
    loop.dispose();
  });

  it('memory stays flat over many lens frames and view changes', async () => {
    const { loop, frame } = lensLoop(lens({ view: 'activations' }));
    const cycle = async () => {
      for (const view of ['activations', 'saliency', 'features', 'filters'] as const) {
        loop.setSettings(lens({ view, method: 'smoothgrad', samples: 2, channel: 7 }));
        for (let i = 0; i < 3; i++) await frame();
      }
    };
    await cycle();
    const before = tf.memory().numTensors;
    await cycle();
    await cycle();
    expect(tf.memory().numTensors).toBe(before);
    loop.dispose();
  });
});
