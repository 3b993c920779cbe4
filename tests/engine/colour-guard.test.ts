/**
 * The colour guard's kernel (image/kernels/guard-kernel.ts) against its definition as tfjs ops (what guardColour was:
 * match the moments, step toward them within the gamut). The WebGPU entry is checked in backends.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { channelMoments, guardColour, guardReference } from '../../src/engine/image/colour';
import { stepInGamut } from '../../src/engine/optimise/colour-step';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';

/** The guard as tfjs ops: the specification the kernel keeps to. */
function guardByOps(x: tf.Tensor4D, ref: { mean: tf.Tensor4D; std: tf.Tensor4D }, strength: number, reach = 0.5): tf.Tensor4D {
  return tf.tidy(() => {
    const { mean, std } = channelMoments(x);
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
});
