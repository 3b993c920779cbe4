import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { TotalVariation } from '../../src/engine/objectives/style';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';
import { relErr } from '../helpers/engine';

/** The textbook form with shifted slices, differentiated by tfjs: the reference. */
function slicedTotalVariation(x: tf.Tensor4D): tf.Scalar {
  const [, h, w] = x.shape;
  const dv = tf.squaredDifference(x.slice([0, 1, 0, 0], [-1, h - 1, -1, -1]), x.slice([0, 0, 0, 0], [-1, h - 1, -1, -1]));
  const dh = tf.squaredDifference(x.slice([0, 0, 1, 0], [-1, -1, w - 1, -1]), x.slice([0, 0, 0, 0], [-1, -1, w - 1, -1]));
  return dv.mean().add(dh.mean()) as tf.Scalar;
}

describe.each(['cpu', 'wasm'] as NodeBackend[])('total variation on %s', (backend) => {
  it('has the value and gradient of the sliced form, on a non-square image', async () => {
    await useNodeBackend(backend);
    const tv = new TotalVariation();
    tf.tidy(() => {
      const x = tf.randomUniform([1, 9, 14, 3], -1, 1, 'float32', 5) as tf.Tensor4D;
      const ours = tf.valueAndGrad((t: tf.Tensor) => tv.loss(t as tf.Tensor4D).mul(3) as tf.Scalar)(x);
      const ref = tf.valueAndGrad((t: tf.Tensor) => slicedTotalVariation(t as tf.Tensor4D).mul(3) as tf.Scalar)(x);
      expect(ours.value.dataSync()[0]).toBeCloseTo(ref.value.dataSync()[0]!, 5);
      expect(relErr(ours.grad.dataSync() as Float32Array, ref.grad.dataSync() as Float32Array)).toBeLessThan(1e-5);
    });
    tv.dispose();
  });

  it('is zero on a flat image, and leaves no tensors behind', async () => {
    await useNodeBackend(backend);
    const start = tf.memory().numTensors;
    const tv = new TotalVariation();
    const flat = tf.fill([1, 6, 6, 3], 0.25) as tf.Tensor4D;
    expect(tf.tidy(() => tv.loss(flat).dataSync()[0])).toBe(0);
    const step = () => tf.dispose(tf.tidy(() => tf.grad((t: tf.Tensor) => tv.loss(t as tf.Tensor4D))(flat)));
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tv.dispose();
    flat.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
