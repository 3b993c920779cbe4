import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FeatureVis } from '../../src/engine/lens/feature-vis';
import { FourierImage } from '../../src/engine/lens/fourier';
import { applyMoves } from '../../src/engine/lens/robustness';
import { channelSource } from '../../src/engine/lens/scorer';
import { channelTarget, mixTarget, neuronTarget, targetLabel } from '../../src/engine/lens/targets';
import type { ModelRunner } from '../../src/engine/model/runner';
import { engine } from '../helpers/engine';

const meanOf = async (runner: ModelRunner, x: tf.Tensor4D, layer: string): Promise<number[][]> => {
  const m = tf.tidy(() => runner.run(x, [layer])[layer]!.mean([1, 2]));
  const out = (await m.array()) as number[][];
  m.dispose();
  return out;
};

describe('lens: feature visualisation', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = await engine('wasm');
  });

  it('grows two channels (one batch) to ≥ 10× their activation on the starting noise', async () => {
    const targets = [channelTarget('mixed3', 10), channelTarget('mixed4', 97)];
    const fv = new FeatureVis(runner, targets, { size: 80 });
    const start = fv.image.clone();
    await fv.run(40);
    for (let b = 0; b < 2; b++) {
      const { layer, terms } = targets[b]!;
      const c = terms[0]!.channel;
      const noise = (await meanOf(runner, start.slice([b], [1]) as tf.Tensor4D, layer))[0]!;
      const after = (await meanOf(runner, fv.display(b), layer))[0]![c]!;
      // A channel (all but) silent on the noise would pass any ratio: its start counts as at least 0.05 (the layer's
      // channels average about 0.5 on this noise), so it has to reach 0.5.
      const base = Math.max(noise[c]!, 0.05);
      console.log(`${targetLabel(targets[b]!)}: ${noise[c]!.toFixed(4)} on noise → ${after.toFixed(3)} (${(after / base).toFixed(1)}× of ${base.toFixed(3)})`);
      expect(after).toBeGreaterThanOrEqual(10 * base);
    }
    start.dispose();
    fv.dispose();
  });

  it('keeps tensor memory flat over many steps, and frees everything on dispose', async () => {
    // The runner keeps a small per-size cache (pooling counts) the first time it sees a size: warm it.
    const warm = new FeatureVis(runner, [channelTarget('mixed3', 5)], { size: 64 });
    warm.step().dispose();
    warm.dispose();
    const before = tf.memory().numTensors;
    const fv = new FeatureVis(runner, [channelTarget('mixed3', 5), neuronTarget('mixed3', 6), mixTarget('mixed3', [{ channel: 7, weight: 1 }, { channel: 8, weight: -0.5 }])], { size: 64 });
    const counts: number[] = [];
    for (let i = 0; i < 12; i++) {
      const l = fv.step();
      expect(l.shape).toEqual([3]);
      expect(Number.isFinite((await l.data())[0]!)).toBe(true);
      l.dispose();
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    const shown = fv.display(2);
    expect(shown.shape).toEqual([1, 64, 64, 3]);
    shown.dispose();
    expect(fv.image.shape).toEqual([3, 64, 64, 3]);
    const px = await fv.pixels(1);
    expect(px.data.length).toBe(64 * 64 * 3);
    fv.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('diversity pushes copies of one channel apart', async () => {
    const fv = FeatureVis.copies(runner, channelTarget('mixed3', 10), 2, { size: 64, diversity: 2 });
    const last = await fv.run(8);
    // [loss, objective, diversity]: the Gram similarity is reported and below 1.
    expect(last[2]!).toBeGreaterThan(0);
    expect(last[2]!).toBeLessThan(1);
    const d = tf.tidy(() => fv.image.slice([0], [1]).sub(fv.image.slice([1], [1])).abs().mean());
    expect((await d.data())[0]!).toBeGreaterThan(0.01);
    d.dispose();
    fv.dispose();
  });

  it('scores a mixed channel before its ReLU, through the convolution that makes it', () => {
    const src = channelSource(runner, 'mixed4', 97);
    expect(src.kind).toBe('conv');
    // mixed4 = [1×1 branch (192), 7×7 branch (192), 7×7dbl (192), pool branch (192)]: channel 97 is the 1×1's.
    if (src.kind === 'conv') expect(src.local).toBe(97);
    const late = channelSource(runner, 'mixed4', 700);
    if (late.kind === 'conv') expect(late.local).toBe(700 - 576);
    // mixed3's max-pool branch has no convolution of its own.
    expect(channelSource(runner, 'mixed3', 600).kind).toBe('layer');
  });

  it('decodes the Fourier picture into (-1, 1), smoother with a lower cutoff', async () => {
    const energy = async (cutoff: number) => {
      const p = new FourierImage(1, 64, 64, { std: 0.5, cutoff, seed: 3 });
      const x = p.decode();
      const lap = tf.tidy(() => {
        const g = x.mean(3, true) as tf.Tensor4D;
        const k = tf.tensor4d([0, -1, 0, -1, 4, -1, 0, -1, 0], [3, 3, 1, 1]);
        return tf.conv2d(g, k, 1, 'valid').abs().mean();
      });
      const range = [(await x.min().data())[0]!, (await x.max().data())[0]!];
      const e = (await lap.data())[0]!;
      tf.dispose([x, lap]);
      p.dispose();
      return { range, e };
    };
    const sharp = await energy(Infinity);
    const soft = await energy(0.15);
    expect(sharp.range[0]).toBeGreaterThan(-1);
    expect(sharp.range[1]).toBeLessThan(1);
    expect(soft.e).toBeLessThan(0.5 * sharp.e);
  });

  it('draws the same starting picture for the same seed (seed 0 included) and another for another seed', async () => {
    const first = async (seed: number) => {
      const p = new FourierImage(1, 32, 32, { seed });
      const x = p.decode();
      const v = Array.from(await x.data());
      x.dispose();
      p.dispose();
      return v;
    };
    expect(await first(0)).toEqual(await first(0));
    expect(await first(7)).toEqual(await first(7));
    expect(await first(0)).not.toEqual(await first(7));
  });

  it('moves a picture and carries the gradient back through the inverse move (≈ adjoint)', async () => {
    // Smooth fields, so bilinear resampling is nearly exact both ways.
    const smooth = (seed: number) => tf.tidy(() => tf.image.resizeBilinear(tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', seed) as tf.Tensor4D, [48, 48], true));
    const x = smooth(1);
    const y = smooth(2);
    const moves = [
      { dx: 3, dy: -2, zoom: 1.05, degrees: 8 },
      { dx: -5, dy: 4, zoom: 0.95, degrees: -10 },
    ];
    const lhs = tf.tidy(() => applyMoves(x, moves).mul(y).sum());
    const grad = tf.grad((t: tf.Tensor) => applyMoves(t as tf.Tensor4D, moves).mul(y).sum())(x);
    const rhs = tf.tidy(() => grad.mul(x).sum());
    const [l, r] = [(await lhs.data())[0]!, (await rhs.data())[0]!];
    expect(Math.abs(l - r) / Math.abs(l)).toBeLessThan(0.1);
    tf.dispose([x, y, lhs, grad, rhs]);
  });
});
