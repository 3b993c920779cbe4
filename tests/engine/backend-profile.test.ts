import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { currentProfile, profileOf } from '../../src/engine/backend/profile';
import { relativeL2Error } from '../../src/engine/bench/relative-error';
import { ModelRunner } from '../../src/engine/model/runner';
import { gram } from '../../src/engine/objectives/mat-mul';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';
import { loadArtifactsFromDisk } from '../../src/node/model-files';

describe('backend profiles', () => {
  it('the conv gradient route and the heap kernels: the wasm profile takes its own kernels, the cpu profile tfjs\'s; the gradient is the same', async () => {
    await useNodeBackend('wasm');
    const artifacts = loadArtifactsFromDisk();
    const x = tf.randomUniform([1, 80, 80, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const route = async (backend: string) => {
      // Both runners on the wasm backend: only the profile they are built with differs.
      const runner = ModelRunner.fromArtifacts(artifacts, 'fast', profileOf(backend));
      let grad: Float32Array | undefined;
      const info = await tf.profile(() => {
        const g = tf.grad((t: tf.Tensor) => runner.run(t as tf.Tensor4D, ['mixed0'])['mixed0']!.square().mean())(x);
        grad = g.dataSync() as Float32Array;
        g.dispose();
      });
      runner.dispose();
      return { kernels: new Set(info.kernels.map((k) => k.name)), grad: grad! };
    };
    const wasm = await route('wasm');
    const cpu = await route('cpu');
    // convGradient 'forward' vs 'backprop': the input gradient of a convolution as a convolution, or tfjs's op.
    expect(wasm.kernels.has('Conv2DBackpropInput')).toBe(false);
    expect(cpu.kernels.has('Conv2DBackpropInput')).toBe(true);
    // heapKernels: the max-pool gradient and the phase interleave on the wasm heap, or tfjs's MaxPoolGrad.
    expect(wasm.kernels.has('DreamstreamMaxPoolGradFirstMax')).toBe(true);
    expect(wasm.kernels.has('DreamstreamInterleave2x2')).toBe(true);
    expect(wasm.kernels.has('MaxPoolGrad')).toBe(false);
    expect(cpu.kernels.has('MaxPoolGrad')).toBe(true);
    expect([...cpu.kernels].filter((k) => k.startsWith('DreamstreamMaxPool') || k.startsWith('DreamstreamInterleave'))).toEqual([]);
    expect(relativeL2Error(wasm.grad, cpu.grad)).toBeLessThan(1e-4);
    x.dispose();
  });

  it('the Gram order: on wasm an untransposed product after an explicit transpose, on cpu a product that reads Fᵀ in place; the same matrix', async () => {
    const values = tf.randomNormal([1, 6, 5, 4], 0, 1, 'float32', 2).dataSync();
    const order = async (backend: NodeBackend) => {
      await useNodeBackend(backend);
      const f = tf.tensor4d(values, [1, 6, 5, 4]);
      let g: number[] = [];
      const info = await tf.profile(() => {
        const m = gram(f);
        g = Array.from(m.dataSync());
        m.dispose();
      });
      f.dispose();
      return { kernels: info.kernels.map((k) => [k.name, k.inputShapes]), g };
    };
    const wasm = await order('wasm');
    const cpu = await order('cpu');
    expect(wasm.kernels).toContainEqual(['Transpose', [[30, 4]]]);
    expect(wasm.kernels).toContainEqual(['BatchMatMul', [[4, 30], [30, 4]]]);
    expect(cpu.kernels.some(([name]) => name === 'Transpose')).toBe(false);
    expect(cpu.kernels).toContainEqual(['BatchMatMul', [[30, 4], [30, 4]]]);
    for (let i = 0; i < 16; i++) expect(wasm.g[i]).toBeCloseTo(cpu.g[i]!, 5);
  });

  it('treat an unknown backend as wasm (the portable CPU path)', () => {
    expect(profileOf('tensorflow')).toEqual(profileOf('wasm'));
    expect(profileOf('')).toBe(profileOf('wasm'));
  });

  it('give the adaptive scheduler a start inside its bounds, on a step of its ladder', () => {
    for (const name of ['webgpu', 'webgl', 'wasm', 'cpu']) {
      const { minResolution, maxResolution, start, step, maxSteps, targetMs } = profileOf(name).adaptive;
      expect(start, name).toBeGreaterThanOrEqual(minResolution);
      expect(start, name).toBeLessThanOrEqual(maxResolution);
      if (step !== undefined) expect((start - minResolution) % step, name).toBe(0);
      expect(maxSteps, name).toBeGreaterThanOrEqual(1);
      expect(targetMs, name).toBeGreaterThan(0);
    }
  });

  it.each(['cpu', 'wasm'] as NodeBackend[])('currentProfile() follows the active backend (%s)', async (backend) => {
    await useNodeBackend(backend);
    expect(tf.getBackend()).toBe(backend);
    expect(currentProfile()).toBe(profileOf(backend));
  });
});
