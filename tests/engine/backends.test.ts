import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/node/backend';
import { gradientOn, photo, relErr } from '../helpers/engine';

describe('the custom gradients agree across backends', () => {
  it('cpu (Conv2DBackpropInput strategy) and webgpu (rotated kernels on the GPU, via the npm webgpu package) match wasm (heap kernels)', async () => {
    await useNodeBackend('wasm');
    // mixed3 reaches through every kind of layer the wasm heap kernels replace: max pools, concats, stride-2 convolutions.
    const size = 96;
    const x = photo('cat-128.png', size);
    const pixels = (await x.data()) as Float32Array;
    x.dispose();
    const reference = await gradientOn('wasm', 'mixed3', pixels, size);
    const cpu = await gradientOn('cpu', 'mixed3', pixels, size);
    expect(relErr(cpu, reference)).toBeLessThan(1e-3);
    // WebGPU in Node finds an adapter through SwiftShader (scripts/ensure-browser.sh installs the Vulkan loader): slow, so a
    // shallower layer.
    const wasmShallow = await gradientOn('wasm', 'mixed0', pixels, size);
    const gpu = await gradientOn('webgpu', 'mixed0', pixels, size);
    expect(relErr(gpu, wasmShallow)).toBeLessThan(1e-3);
    await useNodeBackend('wasm');
  });
});
