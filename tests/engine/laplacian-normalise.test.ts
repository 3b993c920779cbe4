import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { normalisedAscent } from '../../src/engine/optimise/ascent';
import {
  laplacianMerge,
  laplacianNormalise,
  laplacianSplit,
  normaliseBands,
  usableLevels,
} from '../../src/engine/optimise/laplacian-normalise';
import { dreamParams } from '../../src/engine/params/dream';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';

const rmsOf = (t: tf.Tensor): number => tf.tidy(() => t.square().mean().sqrt().dataSync()[0]!);
const maxAbs = (t: tf.Tensor): number => tf.tidy(() => t.abs().max().dataSync()[0]!);
/** Least-squares coefficient of `pattern` in `x`. */
const coefficient = (x: tf.Tensor, pattern: tf.Tensor): number =>
  tf.tidy(() => x.mul(pattern).sum().div(pattern.square().sum()).dataSync()[0]!);

/** A cosine grating along x with the given period in pixels, the same in every channel. */
function grating(h: number, w: number, period: number, phase = 0): tf.Tensor4D {
  return tf.tidy(() => {
    const xs = tf.range(0, w).mul((2 * Math.PI) / period).add(phase).cos();
    return xs.reshape([1, 1, w, 1]).tile([1, h, 1, 3]) as tf.Tensor4D;
  });
}

afterAll(async () => {
  await useNodeBackend('wasm');
});

describe.each<NodeBackend>(['cpu', 'wasm'])('Laplacian gradient normalisation on %s', (backend) => {
  it('the bands sum back to the gradient exactly, at even and odd sizes', async () => {
    await useNodeBackend(backend);
    for (const [h, w] of [
      [64, 64],
      [75, 50],
    ] as const) {
      const g = tf.randomNormal([1, h, w, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
      const bands = laplacianSplit(g, 4);
      expect(bands).toHaveLength(5);
      // Finest first, each level about half the last.
      expect(bands[0]!.shape).toEqual([1, h, w, 3]);
      expect(bands[1]!.shape).toEqual([1, Math.ceil(h / 2), Math.ceil(w / 2), 3]);
      const back = laplacianMerge(bands);
      expect(back.shape).toEqual(g.shape);
      expect(tf.tidy(() => maxAbs(back.sub(g)))).toBeLessThan(1e-5);
      tf.dispose([g, back, ...bands]);
    }
  });

  it('each band comes out with unit RMS; an empty band stays empty', async () => {
    await useNodeBackend(backend);
    const g = tf.tidy(() => tf.randomNormal([1, 48, 48, 3], 0, 1, 'float32', 3).mul(5)) as tf.Tensor4D;
    const bands = laplacianSplit(g, 3);
    const reference = tf.tidy(() => g.square().mean().sqrt() as tf.Scalar);
    const normalised = normaliseBands(bands, reference);
    for (const b of normalised) expect(rmsOf(b)).toBeCloseTo(1, 4);
    const zeros = [tf.zeros([1, 8, 8, 3]) as tf.Tensor4D];
    const [z] = normaliseBands(zeros, reference);
    expect(maxAbs(z!)).toBe(0);
    tf.dispose([g, reference, z!, ...bands, ...normalised, ...zeros]);
  });

  it('a loud fine pattern no longer drowns a quiet coarse one (the point of it)', async () => {
    await useNodeBackend(backend);
    const [h, w] = [64, 64];
    // Whole periods across the frame, so the two patterns are orthogonal and each coefficient reads cleanly.
    const fine = grating(h, w, 2);
    const coarse = grating(h, w, 32, 0.3);
    // The fine pattern is 100× louder: a plain std normalisation passes that ratio straight through.
    const g = tf.tidy(() => fine.mul(100).add(coarse)) as tf.Tensor4D;
    const plain = tf.tidy(() => g.div(tf.moments(g).variance.sqrt())) as tf.Tensor4D;
    const lap = laplacianNormalise(g, 4);
    const ratioPlain = coefficient(plain, fine) / coefficient(plain, coarse);
    const ratioLap = coefficient(lap, fine) / coefficient(lap, coarse);
    expect(ratioPlain).toBeCloseTo(100, 0);
    expect(ratioLap).toBeGreaterThan(1 / 4);
    expect(ratioLap).toBeLessThan(4);

    // On their own, a pure fine and a pure coarse gradient of very different loudness come out alike in size.
    const fineOut = laplacianNormalise(tf.tidy(() => fine.mul(50)) as tf.Tensor4D, 4);
    const coarseOut = laplacianNormalise(tf.tidy(() => coarse.mul(0.02)) as tf.Tensor4D, 4);
    const ratioPure = rmsOf(fineOut) / rmsOf(coarseOut);
    expect(ratioPure).toBeGreaterThan(1 / 4);
    expect(ratioPure).toBeLessThan(4);
    tf.dispose([fine, coarse, g, plain, lap, fineOut, coarseOut]);
  });

  it('a laplacian ascent step is as large per pixel as a std one, and stays in range', async () => {
    await useNodeBackend(backend);
    const x = tf.zeros([1, 40, 40, 3]) as tf.Tensor4D;
    const g = tf.randomNormal([1, 40, 40, 3], 0, 3, 'float32', 11) as tf.Tensor4D;
    const a = normalisedAscent(x, g, 0.05, 'std');
    const b = normalisedAscent(x, g, 0.05, 'laplacian', 4);
    expect(rmsOf(b)).toBeCloseTo(rmsOf(a), 2);
    expect(maxAbs(b)).toBeLessThanOrEqual(1);
    tf.dispose([x, g, a, b]);
  });

  it('leaks no tensors over many calls', async () => {
    await useNodeBackend(backend);
    const x = tf.zeros([1, 33, 30, 3]) as tf.Tensor4D;
    const g = tf.randomNormal([1, 33, 30, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const warm = normalisedAscent(x, g, 0.03, 'laplacian');
    warm.dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 25; i++) {
      const next = normalisedAscent(x, g, 0.03, 'laplacian', 1 + (i % 6));
      next.dispose();
      const bands = laplacianSplit(g, 3);
      laplacianMerge(bands).dispose();
      tf.dispose(bands);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, g]);
  });
});

describe('usableLevels', () => {
  it('stops halving before the coarsest level gets too small to blur', () => {
    expect(usableLevels(384, 384, 4)).toBe(4);
    expect(usableLevels(20, 300, 4)).toBe(2); // 20 → 10 → 5, and 3 would be too small
    expect(usableLevels(6, 6, 4)).toBe(0);
  });
});

describe('dream parameters', () => {
  it('offer laplacian with a level count, std staying the default', () => {
    const p = dreamParams({});
    expect(p.normalise).toBe('std');
    expect(p.laplacianLevels).toBe(4);
    expect(dreamParams({ normalise: 'laplacian', laplacianLevels: 2 })).toMatchObject({ normalise: 'laplacian', laplacianLevels: 2 });
    expect(() => dreamParams({ normalise: 'lap' })).toThrow('normalise must be one of std, mean-abs, laplacian (got "lap")');
    expect(() => dreamParams({ laplacianLevels: 9 })).toThrow('laplacianLevels must be an integer from 1 to 6 (got 9)');
  });
});
