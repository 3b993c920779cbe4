import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelRunner } from '../../src/engine/model/runner';
import { settings } from '../../src/engine/params/settings';
import { parseToWorker, type LargeProgress } from '../../src/workers/protocol';
import { renderLarge } from '../../src/workers/render-large';
import { Mask } from '../../src/engine/mask/mask';
import { cover } from '../../src/engine/image/geometry';
import { engine, photo } from '../helpers/engine';

describe('Render large (the worker half, on wasm)', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = await engine();
  });

  /** The live loop's sources: the picture, no paintings or guide, the mask if any. */
  const sources = (content: tf.Tensor4D, mask: Mask | null = null) => ({ runner, content, styles: [], guide: undefined, mask });
  /** From the source picture, the live picture as large as the still: the look's own octaves. */
  const AT_SIZE = { frame: null, liveSide: 256 };
  const look = settings({ mode: 'dream', dream: { layers: [{ name: 'mixed0', weight: 1 }], octaves: 2 } });

  it('a still at the long side asked for, the picture’s aspect kept, a progress report after every step', async () => {
    const content = tf.tidy(() => photo('cat-128.png', 128).slice([0, 0, 0, 0], [-1, 96, -1, -1]) as tf.Tensor4D);
    const seen: LargeProgress[] = [];
    const out = await renderLarge(sources(content), look, { size: 256, steps: 2 }, AT_SIZE, undefined, (p) => seen.push(p), async () => {}, () => false);
    expect(out!.shape).toEqual([1, 192, 256, 3]);
    // Two octaves of two steps, the size and the tiles told each time.
    expect(seen.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(seen[0]).toMatchObject({ steps: 4, width: 256, height: 192, tiles: 1 });
    tf.dispose([content, out!]);
  });

  it('a cancel before or between steps returns nothing and leaves no tensors behind', async () => {
    const content = photo('cat-128.png', 128);
    let steps = 0;
    const cancelledAfterOne = () => renderLarge(sources(content), look, { size: 256, steps: 5 }, AT_SIZE, undefined, () => (steps += 1), async () => {}, () => steps >= 1);
    // The first run at a new size lets the runner cache what it keeps per size (its pooling counts).
    await cancelledAfterOne();
    const before = tf.memory().numTensors;
    steps = 0;
    expect(await cancelledAfterOne()).toBeNull();
    expect(steps).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    const none = await renderLarge(sources(content), look, { size: 256, steps: 5 }, AT_SIZE, undefined, () => (steps += 1), async () => {}, () => true);
    expect(none).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    content.dispose();
  });

  it('keeps to the live mask: the picture is the photo where the mask is 0', async () => {
    const content = photo('cat-128.png', 128);
    const values = new Uint8Array(64 * 64);
    for (let y = 0; y < 64; y++) values.fill(255, y * 64, y * 64 + 32);
    const mask = new Mask(values, 64, 64);
    const out = (await renderLarge(sources(content, mask), look, { size: 256, steps: 2 }, AT_SIZE, undefined, () => {}, async () => {}, () => false))!;
    const photoBig = cover(content, 256, 256);
    const diff = (from: number, to: number) => tf.tidy(() => out.slice([0, 0, from, 0], [1, 256, to - from, 3]).sub(photoBig.slice([0, 0, from, 0], [1, 256, to - from, 3])).abs().mean().dataSync()[0]!);
    expect(diff(140, 256)).toBeLessThan(1e-5);
    expect(diff(0, 116)).toBeGreaterThan(0.01);
    tf.dispose([content, out, photoBig]);
    mask.dispose();
  });

  it('starts from the frame on screen, or from the source picture when asked', async () => {
    const content = photo('cat-128.png', 128);
    const frame = photo('brick-128.jpg', 96);
    const run = (start: { frame: tf.Tensor4D | null; liveSide: number }) =>
      renderLarge(sources(content), look, { size: 256, steps: 1 }, start, undefined, () => {}, async () => {}, () => false);
    const fromFrame = (await run({ frame, liveSide: 256 }))!;
    const fromSource = (await run({ frame: null, liveSide: 256 }))!;
    const [frameBig, contentBig] = [cover(frame, 256, 256), cover(content, 256, 256)];
    const dist = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.tidy(() => a.sub(b).abs().mean().dataSync()[0]!);
    // A step of the dream moves a picture by a few hundredths; the two pictures differ by far more.
    expect(dist(frameBig, contentBig)).toBeGreaterThan(0.2);
    expect(dist(fromFrame, frameBig)).toBeLessThan(0.5 * dist(fromFrame, contentBig));
    expect(dist(fromSource, contentBig)).toBeLessThan(0.5 * dist(fromSource, frameBig));
    // The frame is borrowed: still there afterwards.
    expect(frame.isDisposed).toBe(false);
    tf.dispose([content, frame, fromFrame, fromSource, frameBig, contentBig]);
  });

  it('DeepDream brings its coarsest octave down to the live size: more octaves for a smaller live picture', async () => {
    const content = photo('cat-128.png', 128);
    const totals = async (liveSide: number) => {
      const seen: LargeProgress[] = [];
      const out = await renderLarge(sources(content), look, { size: 256, steps: 1 }, { frame: null, liveSide }, undefined, (p) => seen.push(p), async () => {}, () => false);
      out!.dispose();
      return seen.at(-1)!.steps;
    };
    // The look's 2 octaves at 1.4 reach 256/1.4 = 183 px; from a 96 px live picture 4 octaves reach 93 px.
    expect(await totals(256)).toBe(2);
    expect(await totals(96)).toBe(4);
    content.dispose();
  });

  it('the request says where the still and the zoom video start; anything else is refused in one line', () => {
    const large = (job: object) => parseToWorker({ type: 'job-start', id: 1, kind: 'large', job: { size: 2048, steps: 10, ...job } });
    expect(large({ start: 'source' })).toMatchObject({ ok: true, message: { job: { start: 'source' } } });
    const zoom = { frames: 2, fps: 30, size: 96, stepsPerFrame: 1, format: 'webm', start: 'frame' };
    expect(parseToWorker({ type: 'job-start', id: 1, kind: 'zoom', job: zoom })).toMatchObject({ ok: true, message: { job: { start: 'frame' } } });
    const bad = large({ start: 'elsewhere' });
    expect(!bad.ok && bad.error).toMatch(/^malformed message "job-start" \(large\): job\.start [^\n]*$/);
  });
});
