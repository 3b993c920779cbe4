import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { reluMask } from '../../src/engine/model/gradients/relu';
import { useNodeBackend } from '../../src/node/backend';

describe('ReLU mask on WebGPU (one dispatch; SwiftShader here)', () => {
  afterAll(async () => {
    await useNodeBackend('wasm');
  });

  it('equals dy·step(y) exactly, zeros and negatives included, at odd and large sizes, leaving nothing behind', async () => {
    await useNodeBackend('webgpu');
    for (const shape of [[1, 7, 9, 5], [1, 65, 63, 64]] as [number, number, number, number][]) {
      const dy = tf.randomNormal(shape, 0, 1, 'float32', 1) as tf.Tensor4D;
      // A ReLU output: a third of it exactly zero.
      const y = tf.relu(tf.randomNormal(shape, -0.4, 1, 'float32', 2)) as tf.Tensor4D;
      const before = tf.memory().numTensors;
      const ours = reluMask(dy, y);
      expect(tf.getBackend()).toBe('webgpu');
      const stock = tf.tidy(() => tf.mul(dy, tf.step(y)));
      const [a, b, z] = await Promise.all([ours.data(), stock.data(), y.data()]);
      // Equal as numbers (the stock product gives −0 where dy < 0 and y = 0; the kernel gives +0).
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      expect(a.length).toBe(b.length);
      expect(worst).toBe(0);
      expect(Array.from(z).some((v) => v === 0)).toBe(true);
      tf.dispose([ours, stock]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([dy, y]);
    }
  });
});
