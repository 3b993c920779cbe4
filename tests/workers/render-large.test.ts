import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelRunner } from '../../src/engine/model/runner';
import { settings } from '../../src/engine/params/settings';
import type { LargeProgress } from '../../src/workers/protocol';
import { renderLarge } from '../../src/workers/render-large';
import { Mask } from '../../src/engine/mask/mask';
import { cover } from '../../src/engine/image/geometry';
import { engine, photo } from '../helpers/engine';

describe('Render large (the worker half, on wasm)', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = await engine();
  });

  const NONE = { inside: [], outside: null };
  const look = settings({ mode: 'dream', dream: { layers: [{ name: 'mixed0', weight: 1 }], octaves: 2 } });

  it('a still at the long side asked for, the picture’s aspect kept, a progress report after every step', async () => {
    const content = tf.tidy(() => photo('cat-128.png', 128).slice([0, 0, 0, 0], [-1, 96, -1, -1]) as tf.Tensor4D);
    const seen: LargeProgress[] = [];
    const out = await renderLarge(runner, content, look, NONE, null, { size: 256, steps: 2 }, undefined, (p) => seen.push(p), async () => {}, () => false);
    expect(out!.shape).toEqual([1, 192, 256, 3]);
    // Two octaves of two steps, the size and the tiles told each time.
    expect(seen.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(seen[0]).toMatchObject({ steps: 4, width: 256, height: 192, tiles: 1 });
    tf.dispose([content, out!]);
  });

  it('a cancel before or between steps returns nothing and leaves no tensors behind', async () => {
    const content = photo('cat-128.png', 128);
    let steps = 0;
    const cancelledAfterOne = () => renderLarge(runner, content, look, NONE, null, { size: 256, steps: 5 }, undefined, () => (steps += 1), async () => {}, () => steps >= 1);
    // The first run at a new size lets the runner cache what it keeps per size (its pooling counts).
    await cancelledAfterOne();
    const before = tf.memory().numTensors;
    steps = 0;
    expect(await cancelledAfterOne()).toBeNull();
    expect(steps).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    const none = await renderLarge(runner, content, look, NONE, null, { size: 256, steps: 5 }, undefined, () => (steps += 1), async () => {}, () => true);
    expect(none).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    content.dispose();
  });

  it('keeps to the live mask: the picture is the photo where the mask is 0', async () => {
    const content = photo('cat-128.png', 128);
    const values = new Uint8Array(64 * 64);
    for (let y = 0; y < 64; y++) values.fill(255, y * 64, y * 64 + 32);
    const mask = new Mask(values, 64, 64);
    const out = (await renderLarge(runner, content, look, NONE, mask, { size: 256, steps: 2 }, undefined, () => {}, async () => {}, () => false))!;
    const photoBig = cover(content, 256, 256);
    const diff = (from: number, to: number) => tf.tidy(() => out.slice([0, 0, from, 0], [1, 256, to - from, 3]).sub(photoBig.slice([0, 0, from, 0], [1, 256, to - from, 3])).abs().mean().dataSync()[0]!);
    expect(diff(140, 256)).toBeLessThan(1e-5);
    expect(diff(0, 116)).toBeGreaterThan(0.01);
    tf.dispose([content, out, photoBig]);
    mask.dispose();
  });
});
