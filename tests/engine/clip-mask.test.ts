/**
 * clipToRange (model/gradients/clip.ts): tfjs's clip and tfjs's gradient of it, bit for bit, with the gradient as one
 * kernel. The WebGPU entry runs in every style iteration on WebGPU (backends.test.ts, plan.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { clipToRange } from '../../src/engine/model/gradients/clip';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';

describe.each(['cpu', 'wasm'] as NodeBackend[])('clip to [−1, 1] on %s', (backend) => {
  it("has tfjs's value and gradient, the range's ends included and out-of-range values passing nothing", async () => {
    await useNodeBackend(backend);
    const values = [-1.5, -1, -0.999, 0, 0.5, 1, 1.0001, 3, NaN];
    const x = tf.tensor4d([...values, ...values.map((v) => v / 2)], [1, 2, values.length, 1]);
    const weights = tf.randomNormal(x.shape, 0, 1, 'float32', 2);
    const before = tf.memory().numTensors;
    const ours = tf.valueAndGrad((t: tf.Tensor) => clipToRange(t as tf.Tensor4D).mul(weights).sum() as tf.Scalar)(x);
    const stock = tf.valueAndGrad((t: tf.Tensor) => tf.clipByValue(t, -1, 1).mul(weights).sum() as tf.Scalar)(x);
    const bits = (t: tf.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));
    expect(bits(ours.grad)).toEqual(bits(stock.grad));
    expect(bits(ours.value)).toEqual(bits(stock.value));
    // The ends pass the gradient; beyond them nothing passes.
    const g = ours.grad.dataSync();
    expect(g[1]).not.toBe(0);
    expect(g[5]).not.toBe(0);
    expect([g[0], g[6], g[7], g[8]]).toEqual([0, 0, 0, 0]);
    tf.dispose([ours.value, ours.grad, stock.value, stock.grad]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, weights]);
  });
});
