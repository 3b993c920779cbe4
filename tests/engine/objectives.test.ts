import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { halfMeanSquare, meanActivation } from '../../src/engine/objectives/dream';

describe('dream objectives with direct gradients', () => {
  const a = tf.randomNormal([1, 5, 7, 4], 0, 1, 'float32', 3) as tf.Tensor4D;

  it('½·mean(a²): same value and gradient (a/N) as tfjs computes it', () => {
    const ours = tf.valueAndGrad((x: tf.Tensor) => halfMeanSquare(x as tf.Tensor4D).mul(3) as tf.Scalar)(a);
    const stock = tf.valueAndGrad((x: tf.Tensor) => x.square().mean().mul(0.5).mul(3) as tf.Scalar)(a);
    expect(ours.value.dataSync()[0]).toBeCloseTo(stock.value.dataSync()[0]!, 5);
    const diff = tf.sub(ours.grad, stock.grad).abs().max().dataSync()[0]!;
    expect(diff).toBeLessThan(1e-7);
    expect(tf.sub(ours.grad, a.mul(3 / a.size)).abs().max().dataSync()[0]).toBeLessThan(1e-7);
    tf.dispose([ours.value, ours.grad, stock.value, stock.grad]);
  });

  it('mean(a): gradient 1/N everywhere, as tfjs computes it', () => {
    const ours = tf.valueAndGrad((x: tf.Tensor) => meanActivation(x as tf.Tensor4D).mul(2) as tf.Scalar)(a);
    const stock = tf.valueAndGrad((x: tf.Tensor) => x.mean().mul(2) as tf.Scalar)(a);
    expect(ours.value.dataSync()[0]).toBeCloseTo(stock.value.dataSync()[0]!, 6);
    expect(ours.grad.shape).toEqual(a.shape);
    expect(tf.sub(ours.grad, stock.grad).abs().max().dataSync()[0]).toBeLessThan(1e-8);
    tf.dispose([ours.value, ours.grad, stock.value, stock.grad]);
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      tf.dispose(tf.tidy(() => tf.grad((x: tf.Tensor) => halfMeanSquare(x as tf.Tensor4D).add(meanActivation(x as tf.Tensor4D)) as tf.Scalar)(a)));
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
