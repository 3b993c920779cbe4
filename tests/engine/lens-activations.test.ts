import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { channelMeans, channelsAt, featureMaps, pointOf, positionAt, rankChannels, readLayer, topFeatureMaps, type LayerReadout } from '../../src/engine/lens/activations';
import { colourAt, colourise, VIRIDIS } from '../../src/engine/lens/colour-map';
import { OwnExamples } from '../../src/engine/lens/own-examples';
import type { ModelRunner } from '../../src/engine/model/runner';
import { engine, photo } from '../helpers/engine';

describe('lens: activations', () => {
  let runner: ModelRunner;
  let cat: tf.Tensor4D;
  let r: LayerReadout;
  beforeAll(async () => {
    runner = await engine('wasm');
    cat = photo('cat-128.png', 96);
    r = await readLayer(runner, cat, 'mixed1');
  });

  it('reads a layer once, with its grid on the picture', () => {
    expect([r.height, r.width, r.channels]).toEqual([9, 9, 288]);
    expect(r.data.length).toBe(9 * 9 * 288);
    expect(r.grid.stride).toEqual([8, 8]);
  });

  it('ranks channels by mean activation, as the network computes it', async () => {
    const means = tf.tidy(() => runner.run(cat, ['mixed1']).mixed1!.mean([0, 1, 2]));
    const expected = Array.from(await means.data());
    means.dispose();
    const ours = channelMeans(r);
    ours.forEach((m, c) => expect(m).toBeCloseTo(expected[c]!, 4));
    const ranked = rankChannels(r);
    expect(ranked).toHaveLength(288);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.value).toBeGreaterThanOrEqual(ranked[i]!.value);
    expect(ranked[0]!.channel).toBe(expected.indexOf(Math.max(...expected)));
    expect(rankChannels(r, 5).map((c) => c.channel)).toEqual(ranked.slice(0, 5).map((c) => c.channel));
  });

  it('colour-maps each top map normalised to its own range (viridis)', () => {
    expect(colourAt(VIRIDIS, 0)).toEqual([68, 1, 84]);
    expect(colourAt(VIRIDIS, 1)).toEqual([253, 231, 37]);
    // Lightness rises along the map (perceptual order).
    const luma = (c: number[]) => 0.299 * c[0]! + 0.587 * c[1]! + 0.114 * c[2]!;
    for (let t = 0.05; t <= 1; t += 0.05) expect(luma(colourAt(VIRIDIS, t))).toBeGreaterThan(luma(colourAt(VIRIDIS, t - 0.05)));
    const maps = topFeatureMaps(r, 4, { scale: 3 });
    expect(maps.map((m) => m.channel)).toEqual(rankChannels(r, 4).map((c) => c.channel));
    for (const m of maps) {
      expect([m.pixels.width, m.pixels.height]).toEqual([27, 27]);
      const values = Array.from({ length: 81 }, (_, p) => r.data[p * r.channels + m.channel]!);
      const hi = values.indexOf(Math.max(...values));
      const lo = values.indexOf(Math.min(...values));
      const px = (p: number) => Array.from(m.pixels.data.subarray((Math.floor(p / 9) * 3 * 27 + (p % 9) * 3) * 3, (Math.floor(p / 9) * 3 * 27 + (p % 9) * 3) * 3 + 3));
      expect(px(hi)).toEqual(colourAt(VIRIDIS, 1));
      expect(px(lo)).toEqual(colourAt(VIRIDIS, 0));
    }
    // A flat map is the low colour, not NaN.
    expect(Array.from(colourise([2, 2, 2, 2], 2, 2).data.subarray(0, 3))).toEqual([68, 1, 84]);
    expect(featureMaps(r, [0])[0]!.pixels.width).toBe(9);
  });

  it('answers which channels fire most at a point', () => {
    const { row, column, channels } = channelsAt(r, 50, 30, 5);
    expect(positionAt(r, 50, 30)).toEqual({ row, column });
    const centre = pointOf(r, row, column);
    expect(Math.abs(centre.x - 50)).toBeLessThanOrEqual(r.grid.stride[1] / 2);
    expect(Math.abs(centre.y - 30)).toBeLessThanOrEqual(r.grid.stride[0] / 2);
    const here = Array.from(r.data.subarray((row * 9 + column) * 288, (row * 9 + column + 1) * 288));
    const best = [...here].sort((a, b) => b - a).slice(0, 5);
    expect(channels.map((c) => c.value)).toEqual(best);
    channels.forEach((c) => expect(here[c.channel]).toBe(c.value));
    // Corners clamp to the grid.
    expect(positionAt(r, -100, -100)).toEqual({ row: 0, column: 0 });
    expect(positionAt(r, 1000, 1000)).toEqual({ row: 8, column: 8 });
  });

  it('keeps the top 8 crops of the frames fed to it, best first, with flat tensor memory', async () => {
    const channel = rankChannels(r, 1)[0]!.channel;
    const own = new OwnExamples('mixed1', channel, { crop: 32 });
    // Twelve frames: the cat at different contrasts, so the channel's peak differs from frame to frame.
    const frames = Array.from({ length: 12 }, (_, i) => tf.tidy(() => cat.mul(0.2 + 0.07 * i).add(((i * 7) % 5) * 0.02 - 0.04) as tf.Tensor4D));
    const peaks: number[] = [];
    const before = tf.memory().numTensors;
    for (let i = 0; i < frames.length; i++) {
      const f = frames[(i * 5) % 12]!;
      const m = tf.tidy(() => runner.run(f, ['mixed1']).mixed1!.slice([0, 0, 0, channel], [1, -1, -1, 1]).max());
      peaks.push((await m.data())[0]!);
      m.dispose();
      await own.offer(runner, f, (i * 5) % 12);
    }
    expect(tf.memory().numTensors).toBe(before);
    const top = [...peaks].sort((a, b) => b - a).slice(0, 8);
    expect(own.examples).toHaveLength(8);
    own.examples.forEach((e, i) => expect(e.value).toBeCloseTo(top[i]!, 5));
    for (const e of own.examples) {
      expect([e.pixels.width, e.pixels.height, e.pixels.data.length]).toEqual([32, 32, 32 * 32 * 3]);
      expect(e.rect.x + e.rect.width).toBeLessThanOrEqual(96);
    }
    // A frame below the eighth is refused; a better one pushes the eighth out.
    expect(own.add({ value: own.threshold - 1, frame: 99, rect: { x: 0, y: 0, width: 1, height: 1 }, pixels: { width: 1, height: 1, data: new Uint8Array(3) } })).toBe(false);
    expect(own.add({ value: own.examples[0]!.value + 1, frame: 100, rect: { x: 0, y: 0, width: 1, height: 1 }, pixels: { width: 1, height: 1, data: new Uint8Array(3) } })).toBe(true);
    expect(own.examples[0]!.frame).toBe(100);
    expect(own.examples).toHaveLength(8);
    tf.dispose(frames);
  });

  it('keeps a still picture once: the same crop offered frame after frame is one example', async () => {
    const own = new OwnExamples('mixed1', rankChannels(r, 1)[0]!.channel, { crop: 32 });
    for (let frame = 0; frame < 3; frame++) await own.offer(runner, cat, frame);
    expect(own.examples.map((e) => e.frame)).toEqual([0]);
  });
});
