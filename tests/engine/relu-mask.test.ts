import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { reluMask } from '../../src/engine/model/gradients/relu';
import { customGradient } from '../../src/engine/model/gradients/custom-gradient';
import { RELU_MASK } from '../../src/engine/model/kernels/relu-mask';
import { webGpuReluMask } from '../../src/engine/model/kernels/webgpu-relu-mask';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';

/** dy (signs mixed) and a ReLU output y with a third of it exactly zero. */
function maskInputs(shape: [number, number, number, number]): { dy: tf.Tensor4D; y: tf.Tensor4D } {
  const dy = tf.randomNormal(shape, 0, 1, 'float32', 1) as tf.Tensor4D;
  const y = tf.tidy(() => tf.relu(tf.randomNormal(shape, -0.4, 1, 'float32', 2)) as tf.Tensor4D);
  return { dy, y };
}

/** The float32 bit patterns, so that −0 and +0 (and NaN payloads) count as different. */
const bits = (t: tf.Tensor): Uint32Array => new Uint32Array(Float32Array.from(t.dataSync()).buffer);

describe.each(['cpu', 'wasm'] as NodeBackend[])('ReLU mask kernel on %s (composed from the backend\'s Step and Multiply kernels)', (backend) => {
  it('is bit for bit tf.mul(dy, tf.step(y)), and leaves no tensor or backend buffer behind', async () => {
    await useNodeBackend(backend);
    for (const shape of [[1, 7, 9, 5], [1, 33, 31, 64]] as [number, number, number, number][]) {
      const { dy, y } = maskInputs(shape);
      const tensors = tf.memory().numTensors;
      const buffers = tf.engine().backend.numDataIds();
      const ours = reluMask(dy, y);
      // One new tensor and one new buffer: the step temporary was freed inside the kernel.
      expect(tf.memory().numTensors).toBe(tensors + 1);
      expect(tf.engine().backend.numDataIds()).toBe(buffers + 1);
      const stock = tf.tidy(() => tf.mul(dy, tf.step(y)));
      expect(ours.shape).toEqual(shape);
      expect(bits(ours)).toEqual(bits(stock));
      expect(Array.from(y.dataSync()).some((v) => v === 0)).toBe(true);
      tf.dispose([ours, stock]);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(tf.engine().backend.numDataIds()).toBe(buffers);
      tf.dispose([dy, y]);
    }
  });

  it('is registered on every backend tfjs knows of, once, and runs inside a gradient without leaking', async () => {
    await useNodeBackend(backend);
    const { dy, y } = maskInputs([1, 5, 6, 3]);
    tf.dispose(reluMask(dy, y));
    for (const name of tf.engine().backendNames()) expect(tf.getKernel(RELU_MASK, name), name).toBeDefined();
    const kernel = tf.getKernel(RELU_MASK, backend);
    tf.dispose(reluMask(dy, y));
    expect(tf.getKernel(RELU_MASK, backend)).toBe(kernel);
    // d/dx Σ relu(x)·dy with the mask as the ReLU's gradient (as FastConv uses it), against tfjs's own ReLU gradient.
    const reluByMask = customGradient<[tf.Tensor4D], tf.Tensor4D, [tf.Tensor4D]>(([x], save) => {
      const out = tf.relu(x) as tf.Tensor4D;
      save([out]);
      return { value: out, gradFunc: (g, [saved]) => reluMask(g, saved) };
    });
    const before = tf.memory().numTensors;
    const x = tf.randomNormal(dy.shape, 0, 1, 'float32', 3) as tf.Tensor4D;
    const ours = tf.grad((t: tf.Tensor) => reluByMask(t as tf.Tensor4D).mul(dy).sum())(x);
    const stock = tf.grad((t: tf.Tensor) => tf.relu(t).mul(dy).sum())(x);
    expect(bits(ours)).toEqual(bits(stock));
    tf.dispose([x, ours, stock]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([dy, y]);
  });
});

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
      // The WGSL kernel, not the composite every other backend gets.
      expect(tf.getKernel(RELU_MASK, 'webgpu')?.kernelFunc).toBe(webGpuReluMask);
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
