import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchColours, sqrtAndInverseSqrt } from '../../src/engine/image/colour-match';
import { useNodeBackend } from '../../src/node/backend';
import { photo } from '../helpers/engine';

const close = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]!);

describe('colour matching', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it('the matrix square root and its inverse are what they say', () => {
    const a = tf.tensor2d([[0.09, 0.02, 0.01], [0.02, 0.05, -0.01], [0.01, -0.01, 0.03]]);
    const { sqrt, invSqrt } = sqrtAndInverseSqrt(a);
    // Up to the ridge (1e-4·I) that keeps flat pictures invertible.
    expect(close(tf.matMul(sqrt, sqrt), a)).toBeLessThan(2e-4);
    expect(close(tf.matMul(sqrt, invSqrt), tf.eye(3))).toBeLessThan(1e-3);
    tf.dispose([a, sqrt, invSqrt]);
  });

  it('gives the picture the reference colour mean and covariance, keeping its layout', () => {
    const cat = photo('cat-128.png', 96);
    const brick = photo('brick-128.jpg', 96);
    const before = tf.memory().numTensors;
    const matched = matchColours(cat, brick);
    expect(tf.memory().numTensors).toBe(before + 1);
    const stats = (x: tf.Tensor4D) =>
      tf.tidy(() => {
        const flat = x.reshape([-1, 3]);
        const mean = flat.mean(0);
        const c = flat.sub(mean);
        return { mean: mean.arraySync() as number[], cov: (tf.matMul(c, c, true, false).div(flat.shape[0]).arraySync() as number[][]).flat() };
      });
    const [m, r] = [stats(matched), stats(brick)];
    m.mean.forEach((v, i) => expect(v).toBeCloseTo(r.mean[i]!, 2));
    // Clipping to the pixel range trims the tails a little: the covariance matches closely, not exactly.
    m.cov.forEach((v, i) => expect(Math.abs(v - r.cov[i]!)).toBeLessThan(0.15 * Math.max(...r.cov.map(Math.abs))));
    // The layout is the cat's: its luminance correlates with the cat's far more than with the brick's.
    const corr = (a: tf.Tensor4D, b: tf.Tensor4D) =>
      tf.tidy(() => {
        const [x, y] = [a.mean(3).flatten(), b.mean(3).flatten()];
        const [dx, dy] = [x.sub(x.mean()), y.sub(y.mean())];
        return dx.mul(dy).sum().div(dx.square().sum().sqrt().mul(dy.square().sum().sqrt())).dataSync()[0]!;
      });
    expect(Math.abs(corr(matched, cat))).toBeGreaterThan(0.8);
    tf.dispose([cat, brick, matched]);
  });
});
