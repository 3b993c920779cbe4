/**
 * The flow on WebGPU (the npm webgpu package with SwiftShader, as in backends.test.ts) against wasm: the WGSL sampler
 * against wasm's heap loop, and a whole tracked frame (tfjs ops and the WGSL sampler on webgpu, heap kernels on
 * wasm).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { MovingScene } from '../../src/engine/bench/moving-scene';
import { hasNativeSample } from '../../src/engine/flow/kernels/sample';
import { FlowTracker } from '../../src/engine/flow/tracker';
import { sample, warp } from '../../src/engine/flow/warp';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';
import { texture } from '../helpers/scenes';

interface Result {
  warped: Float32Array;
  enlarged: Float32Array;
  flow: Float32Array;
  confidence: Float32Array;
  native: boolean;
}

async function runOn(backend: NodeBackend, pixels: Float32Array, flowValues: Float32Array): Promise<Result> {
  await useNodeBackend(backend);
  const x = tf.tensor4d(pixels, [1, 40, 48, 3]);
  const f = tf.tensor4d(flowValues, [1, 40, 48, 2]);
  const warped = warp(x, f);
  const small = x.slice([0, 0, 0, 0], [1, 20, 24, 3]);
  const enlarged = sample(small, tf.zeros([1, 40, 48, 2]) as tf.Tensor4D, { scaleX: 0.5, scaleY: 0.5 });
  // A tracked frame: the picture moved 3 px right and 1 px up, turned half a degree.
  const scene = new MovingScene(tf.tensor4d(pixels, [1, 40, 48, 3]).resizeBilinear([96, 96]) as tf.Tensor4D, 48, 48);
  const tracker = new FlowTracker();
  const a = scene.frame();
  tracker.track(a);
  scene.move({ rotate: 0.5, dx: 3, dy: -1 });
  const b = scene.frame();
  tracker.track(b);
  const carry = tracker.take()!;
  const out: Result = {
    warped: (await warped.data()) as Float32Array,
    enlarged: (await enlarged.data()) as Float32Array,
    flow: (await carry.flow.data()) as Float32Array,
    confidence: (await carry.confidence.data()) as Float32Array,
    native: hasNativeSample(),
  };
  tf.dispose([x, f, warped, small, enlarged, a, b, carry.flow, carry.confidence]);
  tracker.dispose();
  return out;
}

const maxAbs = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
const meanAbs = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => m + Math.abs(v - b[i]!), 0) / a.length;

describe('optical flow across backends', () => {
  it('webgpu samples with its own shader and gives wasm’s pixels, flow and confidence', async () => {
    await useNodeBackend('wasm');
    const pixels = (await texture(40, 48, 41).data()) as Float32Array;
    const flowValues = (await tf.randomUniform([1, 40, 48, 2], -9, 9, 'float32', 42).data()) as Float32Array;
    const wasm = await runOn('wasm', pixels, flowValues);
    const gpu = await runOn('webgpu', pixels, flowValues);
    expect([wasm.native, gpu.native]).toEqual([true, true]);
    expect(maxAbs(gpu.warped, wasm.warped)).toBeLessThan(1e-5);
    expect(maxAbs(gpu.enlarged, wasm.enlarged)).toBeLessThan(1e-5);
    // The tracked flow: wasm's heap kernels against webgpu's tfjs ops, iterated, in float32 on both.
    expect(meanAbs(gpu.flow, wasm.flow)).toBeLessThan(1e-5);
    expect(maxAbs(gpu.flow, wasm.flow)).toBeLessThan(1e-4);
    expect(meanAbs(gpu.confidence, wasm.confidence)).toBeLessThan(1e-5);
    await useNodeBackend('wasm');
  });
});
