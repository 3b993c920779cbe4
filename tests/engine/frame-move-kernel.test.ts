/**
 * The stream's feedback transform as one kernel (image/kernels/move-kernel.ts) against its definition as tfjs ops
 * (what FrameMover ran: a gather, a multiply and a sum per axis, then the clip). The WebGPU entries are checked in
 * backends.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { FrameMover, separableTaps, squareTaps } from '../../src/engine/image/frame-mover';
import type { Motion } from '../../src/engine/image/geometry';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';

/** The move as tfjs ops over the same taps: the specification the kernels keep to. */
function moveByOps(x: tf.Tensor4D, m: Motion, clip = true): tf.Tensor4D {
  const range = (t: tf.Tensor) => (clip ? t.clipByValue(-1, 1) : t);
  const [b, h, w, c] = x.shape;
  return tf.tidy(() => {
    if (m.rotate === 0) {
      const [ci, cw, ri, rw] = separableTaps(h, w, m);
      const across = tf.gather(x, ci!.flatten().toInt(), 2).reshape([b, h, w, 4, c]).mul(cw!.reshape([1, 1, w, 4, 1])).sum(3);
      const moved = tf.gather(across, ri!.flatten().toInt(), 1).reshape([b, h, 4, w, c])
        .mul(rw!.reshape([1, h, 4, 1, 1])).sum(2);
      return range(moved) as tf.Tensor4D;
    }
    const [index, weight] = squareTaps(h, w, m);
    const moved = tf.gather(x.reshape([h * w, c]), index!.flatten().toInt(), 0).reshape([h * w, 16, c]).mul(weight!.reshape([h * w, 16, 1])).sum(1);
    return range(moved.reshape([b, h, w, c])) as tf.Tensor4D;
  });
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]!);

const MOTIONS: Motion[] = [
  { zoom: 1.02, rotate: 0, dx: 0, dy: 0 },
  { zoom: 0.97, rotate: 0, dx: 2.5, dy: -1.25 },
  { zoom: 1.05, rotate: 3, dx: 1.5, dy: -2 },
];

describe.each(['cpu', 'wasm'] as NodeBackend[])('the feedback transform on %s', (backend) => {
  it('moves a frame as the tfjs ops did, zoomed, drifted and turned, hard edges clipped to the gamut', async () => {
    await useNodeBackend(backend);
    // Values near the gamut's ends: Catmull-Rom overshoots at hard edges, so the clip matters.
    const x = tf.tidy(() => tf.randomUniform([1, 29, 37, 3], -1, 1, 'float32', 5).sign().mul(0.98) as tf.Tensor4D);
    const before = tf.memory().numTensors;
    const mover = new FrameMover();
    for (const m of MOTIONS) {
      const ours = mover.move(x, m);
      const ops = moveByOps(x, m);
      expect(maxDiff(ours, ops), JSON.stringify(m)).toBeLessThan(1e-5);
      // It does move the picture, and keeps to the gamut where the filter overshoots.
      expect(maxDiff(ours, x)).toBeGreaterThan(0.1);
      const overshoot = tf.tidy(() => moveByOps(x, m, false).abs().max().dataSync()[0]!);
      expect(overshoot).toBeGreaterThan(1);
      const [lo, hi] = tf.tidy(() => [ours.min().dataSync()[0]!, ours.max().dataSync()[0]!]);
      expect(lo).toBeGreaterThanOrEqual(-1);
      expect(hi).toBeLessThanOrEqual(1);
      tf.dispose([ours, ops]);
    }
    mover.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
