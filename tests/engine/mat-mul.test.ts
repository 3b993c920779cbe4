import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { gram, matMulConstant } from '../../src/engine/objectives/mat-mul';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';
import { relErr } from '../helpers/engine';

/** Value and input gradient of Σ f(x)·r for a fixed, non-symmetric r: every entry of f's output gets its own weight. */
function valueAndGradient(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, r: tf.Tensor): { value: Float32Array; grad: Float32Array } {
  return tf.tidy(() => {
    const value = f(x).dataSync() as Float32Array;
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), r)))(x).dataSync() as Float32Array;
    return { value, grad };
  });
}

describe.each(['cpu', 'wasm'] as NodeBackend[])('untransposed matrix products on %s', (backend) => {
  it('gram: Fᵀ·F / N and its gradient F·(dG + dGᵀ) / N agree with tfjs\'s transposed matMul', async () => {
    await useNodeBackend(backend);
    tf.tidy(() => {
      const a = tf.randomNormal([1, 6, 5, 7], 0, 1, 'float32', 11) as tf.Tensor4D;
      const r = tf.randomNormal([7, 7], 0, 1, 'float32', 12);
      const stock = (t: tf.Tensor) => {
        const f = t.reshape([30, 7]) as tf.Tensor2D;
        return f.matMul(f, true, false).div(30);
      };
      const ours = valueAndGradient((t) => gram(t as tf.Tensor4D), a, r);
      const ref = valueAndGradient(stock, a, r);
      expect(relErr(ours.value, ref.value)).toBeLessThan(1e-6);
      expect(relErr(ours.grad, ref.grad)).toBeLessThan(1e-6);
      // Symmetric by construction, so a target Gram compares entry by entry.
      const g = gram(a);
      expect(tf.sub(g, g.transpose()).abs().max().dataSync()[0]).toBe(0);
    });
  });

  it('matMulConstant: x·b with gradient dy·bᵀ, as tfjs computes x·b', async () => {
    await useNodeBackend(backend);
    tf.tidy(() => {
      const x = tf.randomNormal([9, 4], 0, 1, 'float32', 21) as tf.Tensor2D;
      const b = tf.randomNormal([4, 6], 0, 1, 'float32', 22) as tf.Tensor2D;
      const r = tf.randomNormal([9, 6], 0, 1, 'float32', 23);
      const ours = valueAndGradient((t) => matMulConstant(t as tf.Tensor2D, b, b.transpose()), x, r);
      const ref = valueAndGradient((t) => tf.matMul(t as tf.Tensor2D, b), x, r);
      expect(relErr(ours.value, ref.value)).toBeLessThan(1e-6);
      expect(relErr(ours.grad, ref.grad)).toBeLessThan(1e-6);
    });
  });

  it('leaves no tensors behind over repeated gradient steps', async () => {
    await useNodeBackend(backend);
    const a = tf.randomNormal([1, 4, 4, 3], 0, 1, 'float32', 31) as tf.Tensor4D;
    const b = tf.randomNormal([5, 3], 0, 1, 'float32', 32) as tf.Tensor2D;
    const objective = (t: tf.Tensor) => {
      const flat = t.reshape([16, 3]) as tf.Tensor2D;
      return gram(t as tf.Tensor4D).sum().add(matMulConstant(flat, b.transpose(), b).max(1).mean()) as tf.Scalar;
    };
    const step = () => tf.dispose(tf.tidy(() => tf.grad(objective)(a)));
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});
