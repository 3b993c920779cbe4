import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CrossFade } from '../../src/engine/image/crossfade';
import { MotionMeter } from '../../src/engine/image/motion';
import { useNodeBackend } from '../../src/node/backend';

const mean = (t: tf.Tensor) => tf.tidy(() => t.mean().dataSync()[0]!);

describe('cross-fade and motion', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it('fades from the kept frame to the new one over the given frames, then lets frames through', () => {
    const fade = new CrossFade();
    const black = tf.fill([1, 8, 8, 3], -1) as tf.Tensor4D;
    fade.start(black, 3);
    black.dispose();
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      const out = fade.mix(tf.fill([1, 8, 8, 3], 1) as tf.Tensor4D);
      seen.push(mean(out));
      out.dispose();
    }
    expect(seen[0]!).toBeLessThan(seen[1]!);
    expect(seen[1]!).toBeLessThan(seen[2]!);
    expect(seen[2]!).toBeLessThan(1);
    expect(seen[3]).toBe(1);
    expect(fade.active).toBe(false);
  });

  it('cross-fades between different sizes and frees its frame', () => {
    const before = tf.memory().numTensors;
    const fade = new CrossFade();
    const a = tf.zeros([1, 10, 12, 3]) as tf.Tensor4D;
    fade.start(a, 2);
    a.dispose();
    const out = fade.mix(tf.ones([1, 6, 6, 3]) as tf.Tensor4D);
    expect(out.shape).toEqual([1, 6, 6, 3]);
    out.dispose();
    fade.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('motion is ~0 for a still camera and rises when the picture changes', async () => {
    const meter = new MotionMeter();
    const still = tf.randomUniform([1, 16, 16, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    for (let i = 0; i < 5; i++) await meter.update(still);
    expect(meter.value).toBeLessThan(0.01);
    for (let i = 0; i < 5; i++) {
      const moving = tf.randomUniform([1, 16, 16, 3], -1, 1, 'float32', 10 + i) as tf.Tensor4D;
      await meter.update(moving);
      moving.dispose();
    }
    expect(meter.value).toBeGreaterThan(0.5);
    meter.dispose();
    still.dispose();
  });
});
