/**
 * The colour guard's kernel (image/kernels/guard-kernel.ts) against its definition as tfjs ops (what guardColour was:
 * match the moments, step toward them within the gamut). The WebGPU entry is checked in backends.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { channelMoments, guardColour, guardReference } from '../../src/engine/image/colour';
import { stepInGamut } from '../../src/engine/optimise/colour-step';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';

/** A frame's moments as tfjs ops: the specification the moments kernel keeps to. */
function momentsByOps(x: tf.Tensor4D): { mean: tf.Tensor4D; std: tf.Tensor4D } {
  const { mean, variance } = tf.moments(x, [0, 1, 2], true);
  return { mean: mean as tf.Tensor4D, std: variance.add(1e-6).sqrt() as tf.Tensor4D };
}

/** The guard as tfjs ops: the specification the kernels keep to. */
function guardByOps(x: tf.Tensor4D, ref: { mean: tf.Tensor4D; std: tf.Tensor4D }, strength: number, reach = 0.5): tf.Tensor4D {
  return tf.tidy(() => {
    const { mean, std } = momentsByOps(x);
    const matched = x.sub(mean).div(std).mul(ref.std).add(ref.mean);
    return stepInGamut(x.clipByValue(-1, 1) as tf.Tensor4D, matched.sub(x).mul(strength) as tf.Tensor4D, reach).clipByValue(-1, 1) as tf.Tensor4D;
  });
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]!);

describe.each(['cpu', 'wasm'] as NodeBackend[])('the colour guard on %s', (backend) => {
  it('moves every pixel as the tfjs ops did, out-of-range values and a light reference included', async () => {
    await useNodeBackend(backend);
    // A dark, saturated frame with values past the gamut's ends, pulled toward a light graphic's moments.
    const x = tf.tidy(() => tf.randomNormal([1, 17, 23, 3], -0.4, 0.6, 'float32', 3) as tf.Tensor4D);
    const light = tf.tidy(() => tf.randomUniform([1, 17, 23, 3], 0.2, 1, 'float32', 4) as tf.Tensor4D);
    const ref = guardReference(light);
    const before = tf.memory().numTensors;
    for (const strength of [0.02, 0.3, 1]) {
      const ours = guardColour(x, ref, strength);
      const ops = guardByOps(x, ref, strength);
      expect(maxDiff(ours, ops), `strength ${strength}`).toBeLessThan(1e-5);
      // It does move the picture, and stays in the gamut.
      const clipped = tf.clipByValue(x, -1, 1);
      expect(maxDiff(ours, clipped)).toBeGreaterThan(1e-3);
      const [lo, hi] = tf.tidy(() => [ours.min().dataSync()[0]!, ours.max().dataSync()[0]!]);
      clipped.dispose();
      expect(lo).toBeGreaterThanOrEqual(-1);
      expect(hi).toBeLessThanOrEqual(1);
      tf.dispose([ours, ops]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, light, ref.mean, ref.std]);
  });

  it("takes a frame's moments as tf.moments does: more pixels than the WebGPU kernel's lanes, a flat channel's spread the epsilon's root", async () => {
    await useNodeBackend(backend);
    // 61×67 pixels: each of the 256 lanes sums several; the blue channel is flat.
    const x = tf.tidy(() => {
      const rg = tf.randomNormal([1, 61, 67, 2], 0.2, 0.5, 'float32', 6);
      return tf.concat([rg, tf.fill([1, 61, 67, 1], -0.25)], 3) as tf.Tensor4D;
    });
    const before = tf.memory().numTensors;
    const ours = channelMoments(x);
    const ops = tf.tidy(() => momentsByOps(x));
    expect(maxDiff(ours.mean, ops.mean)).toBeLessThan(1e-6);
    expect(maxDiff(ours.std, ops.std)).toBeLessThan(1e-6);
    const [, , flat] = (await ours.std.data()) as Float32Array;
    expect(flat).toBeCloseTo(1e-3, 6);
    tf.dispose([ours.mean, ours.std, ops.mean, ops.std]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
