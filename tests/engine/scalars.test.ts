import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Scalars } from '../../src/engine/model/scalars';

describe('held scalars (model/scalars.ts)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives one tensor per value, kept through tidy, freed on dispose', () => {
    const before = tf.memory().numTensors;
    const k = new Scalars();
    const a = tf.tidy(() => k.of(0.25));
    expect(a.isDisposed).toBe(false);
    expect(k.of(0.25)).toBe(a);
    expect(a.dataSync()[0]).toBe(0.25);
    expect(k.of(-1)).not.toBe(a);
    expect(tf.memory().numTensors).toBe(before + 2);
    k.dispose();
    expect(a.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('holds what one step uses: a value that changes every step is let go at the next sweep but one', () => {
    const k = new Scalars();
    const counts: number[] = [];
    for (let step = 0; step < 50; step++) {
      k.sweep();
      // Two constants every step, and a pull that follows the scene: a new value each step.
      tf.tidy(() => tf.scalar(2).mul(k.of(1e-6)).add(k.of(0.5)).mul(k.of(1 - step / 100))).dispose();
      counts.push(tf.memory().numTensors);
    }
    // The two constants, this step's pull and the last step's (let go at the next sweep).
    expect(k.size).toBe(4);
    expect(new Set(counts.slice(2)).size).toBe(1);
    k.dispose();
  });

  it('a value asked for again after a sweep is the same tensor; one not asked for is freed', () => {
    const k = new Scalars();
    const kept = k.of(3);
    const dropped = k.of(4);
    k.sweep();
    expect(k.of(3)).toBe(kept);
    k.sweep();
    expect(kept.isDisposed).toBe(false);
    expect(dropped.isDisposed).toBe(true);
    k.dispose();
  });
});
