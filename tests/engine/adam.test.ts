/**
 * Adam as one kernel (optimise/kernels/adam-kernel.ts) against Adam written as tfjs ops, the way it was before the
 * kernel: the same iterates over several steps, the NaN guard, and no tensors left behind. The WebGPU entry is
 * checked where a style iteration runs on WebGPU (backends.test.ts, plan.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Adam } from '../../src/engine/optimise/adam';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';
import { relErr } from '../helpers/engine';

/** Adam in tfjs ops with the keepFinite guard after it: the reference. */
function referenceSteps(x0: tf.Tensor, grads: tf.Tensor[], lr: number): tf.Tensor {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  let m: tf.Tensor | null = null;
  let v: tf.Tensor | null = null;
  let x = x0;
  grads.forEach((g, i) => {
    const t = i + 1;
    m = m ? m.mul(b1).add(g.mul(1 - b1)) : g.mul(1 - b1);
    v = v ? v.mul(b2).add(g.square().mul(1 - b2)) : g.square().mul(1 - b2);
    const next = x.sub(m.div(1 - b1 ** t).div(v.div(1 - b2 ** t).sqrt().add(eps)).mul(lr));
    x = tf.where(tf.isNaN(next), x, next);
  });
  return x;
}

describe('Adam as one kernel', () => {
  for (const backend of ['wasm', 'cpu'] as NodeBackend[]) {
    it(`${backend}: the iterates of Adam written as tfjs ops, over five steps with changing gradients`, async () => {
      await useNodeBackend(backend);
      const shape = [1, 17, 23, 3];
      const x0 = tf.randomUniform(shape, -1, 1, 'float32', 1);
      const grads = [2, 3, 4, 5, 6].map((seed) => tf.randomNormal(shape, 0, 0.1 * seed, 'float32', seed));
      const reference = tf.tidy(() => referenceSteps(x0, grads, 0.02));
      const before = tf.memory().numTensors;
      const adam = new Adam(0.02);
      let x = x0.clone();
      for (const g of grads) {
        const next = tf.tidy(() => adam.step(x, g));
        x.dispose();
        x = next;
      }
      // One tensor more than before: the moments Adam keeps (x replaced its clone).
      expect(tf.memory().numTensors).toBe(before + 2);
      const [got, want] = [x.dataSync(), reference.dataSync()];
      expect(relErr(got as Float32Array, want as Float32Array)).toBeLessThan(1e-6);
      // Each value moved about the learning rate per step (Adam's normalisation), not by its gradient's size.
      expect(tf.tidy(() => x.sub(x0).abs().mean().dataSync()[0]!)).toBeGreaterThan(0.02);
      adam.dispose();
      expect(tf.memory().numTensors).toBe(before + 1);
      tf.dispose([x0, x, reference, ...grads]);
    });
  }

  it('a value whose step is NaN keeps its place; the others move, and a reset starts the moments afresh', async () => {
    await useNodeBackend('wasm');
    const x = tf.tensor4d([0.1, 0.2, 0.3, 0.4], [1, 1, 4, 1]);
    const g = tf.tensor4d([1, NaN, -1, 2], [1, 1, 4, 1]);
    const adam = new Adam(0.05);
    const next = adam.step(x, g);
    const v = Array.from(next.dataSync());
    expect(v[1]).toBe(Math.fround(0.2));
    // The first step of Adam moves each value by the learning rate against its gradient's sign.
    expect(v[0]).toBeCloseTo(0.05, 5);
    expect(v[2]).toBeCloseTo(0.35, 5);
    expect(v[3]).toBeCloseTo(0.35, 5);
    adam.reset();
    const ones = tf.onesLike(x);
    const again = adam.step(x, ones);
    expect(Array.from(again.dataSync()).map((a) => +a.toFixed(5))).toEqual([0.05, 0.15, 0.25, 0.35]);
    adam.dispose();
    tf.dispose([x, g, next, again, ones]);
  });
});
