import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomSimilarity, similarity } from '../../src/engine/image/similarity';
import { createRng } from '../../src/engine/random';
import { useNodeBackend } from '../../src/node/backend';

/** A smooth random picture, zero in a band at the border (the reflected corners then carry nothing). */
function smooth(seed: number, n = 64): tf.Tensor4D {
  return tf.tidy(() => {
    const coarse = tf.randomNormal([1, 8, 8, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
    const big = tf.image.resizeBilinear(coarse, [n, n], true);
    const r = tf.linspace(-1, 1, n);
    const window = tf.relu(tf.scalar(0.55).sub(r.square())).reshape([1, n, 1, 1]).mul(tf.relu(tf.scalar(0.55).sub(r.square())).reshape([1, 1, n, 1]));
    return big.mul(window) as tf.Tensor4D;
  });
}

const value = (t: tf.Tensor) => t.dataSync()[0]!;

describe('similarity transform (rotation and scale about the centre)', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });
  afterAll(() => tf.disposeVariables());

  it('the identity returns the picture itself; a turn by 90° moves a corner mark to the next corner', () => {
    const x = tf.zeros([1, 9, 9, 1]).add(tf.oneHot([0], 81).reshape([1, 9, 9, 1])) as tf.Tensor4D;
    expect(similarity(x, { angle: 0, scale: 1 })).toBe(x);
    const turned = similarity(x, { angle: 90, scale: 1 });
    const data = Array.from(turned.dataSync());
    const at = data.indexOf(Math.max(...data));
    // The mark at the top-left (row 0, col 0) lands on a corner other than its own: it has turned.
    expect([8, 72]).toContain(at);
    tf.dispose([x, turned]);
  });

  it('a scale above 1 enlarges: a centred square grows', () => {
    const n = 33;
    const x = tf.tidy(() => tf.zeros([1, n, n, 1]).pad([[0, 0], [0, 0], [0, 0], [0, 0]]).add(
      tf.ones([1, 11, 11, 1]).pad([[0, 0], [11, 11], [11, 11], [0, 0]]))) as tf.Tensor4D;
    const big = similarity(x, { angle: 0, scale: 1.5 });
    expect(value(big.sum())).toBeGreaterThan(1.8 * value(x.sum()));
    tf.dispose([x, big]);
  });

  it('its gradient is the adjoint of the resampling: <T x, y> = <x, Tᵀ y> to within a few per cent', () => {
    const rng = createRng(7);
    for (let k = 0; k < 4; k++) {
      const t = randomSimilarity(rng, 8, 0.1);
      const [x, y] = [smooth(11 + k), smooth(31 + k)];
      const forward = tf.tidy(() => value(similarity(x, t).mul(y).sum()));
      const g = tf.grad((input: tf.Tensor) => similarity(input as tf.Tensor4D, t).mul(y).sum())(x);
      const backward = tf.tidy(() => value(g.mul(x).sum()));
      expect(Math.abs(backward - forward) / Math.abs(forward)).toBeLessThan(0.03);
      tf.dispose([x, y, g]);
    }
  });

  it('random transforms stay in their ranges and no tensor is left behind', () => {
    const rng = createRng(3);
    const x = smooth(1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      const t = randomSimilarity(rng, 5, 0.05);
      expect(Math.abs(t.angle)).toBeLessThanOrEqual(5);
      expect(Math.abs(t.scale - 1)).toBeLessThanOrEqual(0.05);
      const g = tf.grad((input: tf.Tensor) => similarity(input as tf.Tensor4D, t).square().sum())(x);
      g.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
