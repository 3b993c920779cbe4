import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelRunner } from '../../src/engine/model/runner';
import { dreamParams } from '../../src/engine/params/dream';
import { streamParams } from '../../src/engine/params/stream';
import { workingSize } from '../../src/engine/render/frames';
import { renderZoom } from '../../src/workers/zoom-export';
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
});
