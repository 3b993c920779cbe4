import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { channelMoments, guardColour } from '../../src/engine/image/colour';
import { modelToBytes, pixelsToModel } from '../../src/engine/image/convert';
import { cover, moveFrame, roll } from '../../src/engine/image/geometry';
import { octaveSizes } from '../../src/engine/sessions/octaves';
import { createRng, randomOffset } from '../../src/engine/random';
import { useNodeBackend } from '../../src/node/backend';

describe('image transforms', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it('roll is undone by rolling back', () => {
    const x = tf.randomUniform([1, 9, 11, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const back = roll(roll(x, 4, -7), -4, 7);
    expect(tf.tidy(() => back.sub(x).abs().max().dataSync()[0])).toBe(0);
    const r = roll(x, 1, 0);
    expect(r.slice([0, 1, 0, 0], [1, 1, -1, -1]).dataSync()).toEqual(x.slice([0, 0, 0, 0], [1, 1, -1, -1]).dataSync());
    tf.dispose([x, back, r]);
  });

  it('moveFrame: identity is exact, a zoom > 1 magnifies the centre, drift moves content', () => {
    const x = tf.tidy(() => {
      // A bright 4×4 square in the middle of a dark 32×32 frame.
      const m = tf.buffer([1, 32, 32, 3]);
      for (let i = 14; i < 18; i++) for (let j = 14; j < 18; j++) for (let c = 0; c < 3; c++) m.set(1, 0, i, j, c);
      return m.toTensor() as tf.Tensor4D;
    });
    const same = moveFrame(x, { zoom: 1, rotate: 0, dx: 0, dy: 0 });
    expect(tf.tidy(() => same.sub(x).abs().max().dataSync()[0])).toBe(0);
    const zoomed = moveFrame(x, { zoom: 2, rotate: 0, dx: 0, dy: 0 });
    expect(tf.tidy(() => zoomed.sum().dataSync()[0]!)).toBeGreaterThan(tf.tidy(() => x.sum().dataSync()[0]!) * 2);
    const moved = moveFrame(x, { zoom: 1, rotate: 0, dx: 5, dy: 0 });
    expect(moved.slice([0, 15, 20, 0], [1, 1, 1, 1]).dataSync()[0]).toBeCloseTo(1, 5);
    expect(moved.slice([0, 15, 14, 0], [1, 1, 1, 1]).dataSync()[0]).toBeCloseTo(0, 5);
    const rotated = moveFrame(x, { zoom: 1, rotate: 90, dx: 0, dy: 0 });
    expect(tf.tidy(() => rotated.sum().dataSync()[0]!)).toBeCloseTo(tf.tidy(() => x.sum().dataSync()[0]!), 3);
    tf.dispose([x, same, zoomed, moved, rotated]);
  });

  it('cover fills the frame from any aspect ratio', () => {
    const x = tf.zeros([1, 50, 200, 3]) as tf.Tensor4D;
    const y = cover(x, 80, 80);
    expect(y.shape).toEqual([1, 80, 80, 3]);
    tf.dispose([x, y]);
  });

  it('the colour guard pulls a drifted frame back toward the reference moments', () => {
    const ref = tf.randomUniform([1, 16, 16, 3], -0.5, 0.5, 'float32', 1) as tf.Tensor4D;
    const drifted = tf.tidy(() => ref.add(tf.tensor1d([0.4, -0.2, 0.1])).mul(0.5)) as tf.Tensor4D;
    const m = channelMoments(ref);
    const guarded = guardColour(drifted, m, 0.5);
    const gap = (t: tf.Tensor4D) => tf.tidy(() => channelMoments(t).mean.sub(m.mean).abs().sum().dataSync()[0]!);
    expect(gap(guarded)).toBeLessThan(gap(drifted) * 0.6);
    tf.dispose([ref, drifted, m.mean, m.std, guarded]);
  });

  it('pixels ↔ model range round-trip', () => {
    const px = tf.tensor3d([0, 128, 255, 10, 20, 30], [1, 2, 3], 'int32');
    const back = modelToBytes(pixelsToModel(px));
    expect(Array.from(back.dataSync())).toEqual([0, 128, 255, 10, 20, 30]);
    tf.dispose([px, back]);
  });

  it('octave sizes stop at the model minimum', () => {
    expect(octaveSizes(224, 224, 3, 1.4)).toEqual([[114, 114], [160, 160], [224, 224]]);
    expect(octaveSizes(80, 80, 5, 2)).toEqual([[80, 80]]);
  });

  it('the seeded RNG is reproducible', () => {
    const a = createRng(7);
    const b = createRng(7);
    const xs = Array.from({ length: 20 }, () => randomOffset(a, 16));
    expect(xs).toEqual(Array.from({ length: 20 }, () => randomOffset(b, 16)));
    expect(Math.max(...xs)).toBeLessThanOrEqual(16);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(-16);
  });
});

describe('NaN guard', () => {
  it('a NaN in the gradient leaves those pixels as they were, even on backends that clip NaN', async () => {
    const { normalisedAscent } = await import('../../src/engine/optimise/ascent');
    const x = tf.fill([1, 4, 4, 3], 0.25) as tf.Tensor4D;
    const g = tf.tidy(() => {
      const b = tf.buffer([1, 4, 4, 3]);
      for (let i = 0; i < b.size; i++) b.values[i] = i % 7 === 0 ? Number.NaN : (i % 5) - 2;
      return b.toTensor() as tf.Tensor4D;
    });
    const next = normalisedAscent(x, g, 0.1, 'mean-abs');
    const v = await next.data();
    const gv = await g.data();
    for (let i = 0; i < v.length; i++) {
      expect(Number.isFinite(v[i])).toBe(true);
      if (Number.isNaN(gv[i])) expect(v[i]).toBeCloseTo(0.25, 6);
    }
    tf.dispose([x, g, next]);
  });
});
