import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ModelRunner } from '../../src/engine/model/runner';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';
import { loadArtifactsFromDisk } from '../../src/node/model-files';
import { photo } from '../helpers/engine';

/** Input gradient of ½·mean(a²) at `layer` on `backend`, as plain numbers. */
async function gradientOn(backend: NodeBackend, layer: string, pixels: Float32Array, size: number): Promise<Float32Array> {
  await useNodeBackend(backend);
  const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
  const x = tf.tensor4d(pixels, [1, size, size, 3]);
  const g = tf.grad((t: tf.Tensor) => runner.run(t as tf.Tensor4D, [layer])[layer]!.square().mean().mul(0.5))(x);
  const out = (await g.data()) as Float32Array;
  tf.dispose([x, g]);
  runner.dispose();
  return out;
}

function relErr(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

describe('the custom gradients agree across backends', () => {
  it('cpu (Conv2DBackpropInput strategy) and webgpu (rotated kernels on the GPU, via the npm webgpu package) match wasm', async () => {
    await useNodeBackend('wasm');
    const size = 80;
    const x = photo('cat-128.png', size);
    const pixels = (await x.data()) as Float32Array;
    x.dispose();
    const reference = await gradientOn('wasm', 'mixed1', pixels, size);
    const cpu = await gradientOn('cpu', 'mixed1', pixels, size);
    expect(relErr(cpu, reference)).toBeLessThan(1e-3);
    // WebGPU in Node finds an adapter through SwiftShader (scripts/ensure-browser.sh installs the Vulkan loader): slow, so a
    // shallower layer.
    const wasmShallow = await gradientOn('wasm', 'mixed0', pixels, size);
    const gpu = await gradientOn('webgpu', 'mixed0', pixels, size);
    expect(relErr(gpu, wasmShallow)).toBeLessThan(1e-3);
    await useNodeBackend('wasm');
  });
});
