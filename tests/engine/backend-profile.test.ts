import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { currentProfile, profileOf } from '../../src/engine/backend/profile';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';

describe('backend profiles', () => {
  it('keep what the call sites used to decide by name', () => {
    expect(profileOf('webgpu')).toMatchObject({ directPaint: true, convGradient: 'forward', heapKernels: false, gramOrder: 'transposed-operand' });
    expect(profileOf('webgl')).toMatchObject({ directPaint: false, convGradient: 'forward', heapKernels: false, gramOrder: 'transposed-operand' });
    expect(profileOf('wasm')).toMatchObject({ directPaint: false, convGradient: 'forward', heapKernels: true, gramOrder: 'explicit-transpose' });
    expect(profileOf('cpu')).toMatchObject({ directPaint: false, convGradient: 'backprop', heapKernels: false, gramOrder: 'transposed-operand' });
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
