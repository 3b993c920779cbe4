import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Tiler } from '../../src/engine/tiles/tiler';
import type { ModelRunner } from '../../src/engine/model/runner';
import { dreamParams } from '../../src/engine/params/dream';
import { streamParams } from '../../src/engine/params/stream';
import { workingSize } from '../../src/engine/render/frames';
import { renderZoom } from '../../src/workers/zoom-export';
import { AUDIO_PRESETS } from '../../src/engine/audio/mapping';
import { driveSoundtrack } from '../../src/engine/audio/soundtrack';
import { clickTrack } from '../helpers/audio';
import { largestActivationBytes } from '../../src/engine/tiles/tile-size';
import { engine, photo } from '../helpers/engine';

describe('zoom export frame size (the working size)', () => {
  it('keeps the aspect with the long side at the requested size, even dimensions', () => {
    expect(workingSize(300, 451, 512)).toEqual([340, 512]);
    expect(workingSize(451, 300, 513)).toEqual([514, 342]);
  });

  it('never goes below the model minimum on the short side', () => {
    expect(workingSize(300, 451, 96)).toEqual([80, 96]);
  });
});

describe('zoom export rendering', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = await engine();
  });

  /** Every frame's pixels, at the job's size. */
  async function render(start: tf.Tensor4D, frames: number, cancelAt = Infinity): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    const dream = dreamParams({ layers: [{ name: 'mixed0', weight: 1 }], seed: 7 });
    const stream = streamParams({ zoom: 1.05, rotate: 1 });
    const job = { frames, size: 96, stepsPerFrame: 1 };
    await renderZoom(runner, start, dream, stream, job, async (f, image) => {
      expect(f).toBe(out.length);
      // 84×128 at a long side of 96: the short side is lifted to the 80 px minimum.
      expect(image.shape).toEqual([1, 80, 96, 3]);
      out.push((await image.data()) as Float32Array);
    }, () => out.length >= cancelAt);
    return out;
  }

  it('renders exactly the requested frames, the same ones for the same settings, and frees what it made', async () => {
    const start = tf.tidy(() => photo('cat-128.png', 128).slice([0, 0, 0, 0], [1, 84, 128, 3])) as tf.Tensor4D;
    const a = await render(start, 3);
    // Measured after a first run: the runner fills bounded caches lazily on first use.
    const before = tf.memory().numTensors;
    const b = await render(start, 3);
    expect(tf.memory().numTensors).toBe(before);
    expect(a).toHaveLength(3);
    expect(b).toEqual(a);
    // Frames move: the zoom and the dream change every one.
    expect(a[1]).not.toEqual(a[0]);
    await expect(render(start, 3, 1)).rejects.toThrow(/cancelled/);
    expect(tf.memory().numTensors).toBe(before);
    start.dispose();
  });

  it('frames larger than the device takes are dreamed tile by tile (the 4K path), at a flat tensor count', async () => {
    const start = photo('cat-128.png', 128);
    const dream = dreamParams({ layers: [{ name: 'mixed0', weight: 1 }], seed: 7 });
    // A binding limit that holds a 256 px tile's largest activation and no more: a 320 px frame takes tiles.
    const limit = largestActivationBytes(runner, 256, ['mixed0']);
    const frames: tf.Tensor4D[] = [];
    const job = { frames: 2, size: 320, stepsPerFrame: 1 };
    const run = () => renderZoom(runner, start, dream, streamParams({ zoom: 1.02 }), job, (_, image) => void frames.push(image.clone()), () => false, undefined, limit);
    await run();
    tf.dispose(frames.splice(0));
    const before = tf.memory().numTensors;
    const plans = vi.spyOn(Tiler.prototype, 'shares');
    await run();
    const tiled = plans.mock.results.map((r) => r.value as ReturnType<Tiler['shares']>).filter((v) => v !== null);
    plans.mockRestore();
    expect(tiled.length).toBeGreaterThan(0);
    expect(tiled[0]!.plan.rows.tiles.length * tiled[0]!.plan.cols.tiles.length).toBeGreaterThan(1);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(frames[1]!.shape).toEqual([1, 320, 320, 3]);
    const moved = tf.tidy(() => frames[1]!.sub(tf.image.resizeBilinear(start, [320, 320])).abs().mean().dataSync()[0]!);
    expect(moved).toBeGreaterThan(0.01);
    tf.dispose([...frames, start]);
  });

  it('with a soundtrack, frame f is made with frame f\'s settings: the frames match the silent ones until the first click', async () => {
    const start = tf.tidy(() => photo('cat-128.png', 128).slice([0, 0, 0, 0], [1, 96, 96, 3])) as tf.Tensor4D;
    // 8 fps, a click inside frame 2 (0.3 s): the transform after frame 1 kicks the zoom.
    const { drive } = driveSoundtrack(clickTrack(60, 1, 0.3, 48_000).pcm, 48_000, 8, AUDIO_PRESETS.pulse, 4);
    const dream = dreamParams({ layers: [{ name: 'mixed0', weight: 1 }], seed: 7 });
    const job = { frames: 4, size: 96, stepsPerFrame: 1 };
    const frames = async (d?: typeof drive) => {
      const out: Float32Array[] = [];
      await renderZoom(runner, start, dream, streamParams({ zoom: 1 }), job, async (_, image) => void out.push((await image.data()) as Float32Array), () => false, undefined, undefined, d);
      return out;
    };
    const [silent, music] = [await frames(), await frames(drive)];
    expect(music.slice(0, 2)).toEqual(silent.slice(0, 2));
    const diff = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;
    expect(diff(music[2]!, silent[2]!)).toBeGreaterThan(0.01);
    start.dispose();
  });
});
