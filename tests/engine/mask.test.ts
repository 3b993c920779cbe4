import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Loop } from '../../src/engine/loop/loop';
import { composite, Mask } from '../../src/engine/mask/mask';
import { dreamRegions } from '../../src/engine/mask/regions';
import type { ModelRunner } from '../../src/engine/model/runner';
import { dreamParams } from '../../src/engine/params/dream';
import { settings } from '../../src/engine/params/settings';
import { DreamSession } from '../../src/engine/sessions/dream-session';
import { StreamSession } from '../../src/engine/sessions/stream-session';
import { streamParams } from '../../src/engine/params/stream';
import { VideoDreamer } from '../../src/engine/video/video-dreamer';
import { engine, photo } from '../helpers/engine';

const S = 96;
/** Columns either side of a hard mask edge that resampling may blend. */
const EDGE = 3;

let runner: ModelRunner;
let picture: tf.Tensor4D;

beforeAll(async () => {
  runner = await engine();
  picture = photo('cat-128.png', S);
});

afterAll(() => picture.dispose());

/** A w×h mask that is 1 in the columns [from, to) and 0 elsewhere. */
function columns(w: number, h: number, from: number, to: number): Mask {
  const v = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = from; x < to; x++) v[y * w + x] = 255;
  return new Mask(v, w, h);
}

/** Mean absolute difference of two pictures over the columns [from, to). */
function columnDistance(a: tf.Tensor4D, b: tf.Tensor4D, from: number, to: number): number {
  return tf.tidy(() => {
    const [, h] = a.shape;
    const cut = (x: tf.Tensor4D) => x.slice([0, 0, from, 0], [1, h, to - from, 3]);
    return cut(a).sub(cut(b)).abs().mean().dataSync()[0]!;
  });
}

const DREAM = dreamParams({ layers: [{ name: 'mixed2', weight: 1 }], stepSize: 0.06, octaves: 2, stepsPerOctave: 3, jitter: 8 });

function dream(regions?: ReturnType<typeof dreamRegions>): tf.Tensor4D {
  const session = new DreamSession(runner, picture, DREAM, { regions });
  while (!session.done) session.step().dispose();
  const out = session.display();
  session.dispose();
  return out;
}

describe('Mask', () => {
  it('fits to any size the way the content is (values in [0, 1]) and refuses a wrong number of values', () => {
    const m = columns(64, 32, 0, 32);
    const fitted = m.at(16, 32);
    expect(fitted.shape).toEqual([1, 16, 32, 1]);
    const row = fitted.slice([0, 8, 0, 0], [1, 1, 32, 1]).dataSync();
    expect(row[0]).toBeCloseTo(1, 5);
    expect(row[31]).toBeCloseTo(0, 5);
    expect(Math.min(...row)).toBeGreaterThanOrEqual(0);
    expect(m.at(16, 32)).toBe(fitted);
    m.dispose();
    // A copy is the job's own: the live mask may be freed meanwhile.
    const live = columns(64, 32, 0, 32);
    const own = live.copy();
    live.dispose();
    expect(own.at(16, 32).slice([0, 8, 0, 0], [1, 1, 32, 1]).dataSync()[0]).toBeCloseTo(1, 5);
    expect([own.width, own.height]).toEqual([64, 32]);
    own.dispose();
    expect(() => new Mask(new Uint8Array(10), 4, 4)).toThrow(/needs 16 values/);
    expect(() => new Mask(new Uint8Array(0), 0, 4)).toThrow(/positive size/);
  });

  it('composites inside where it is 1 and outside where it is 0', () => {
    const m = new Mask(new Float32Array([1, 0.25]), 2, 1);
    const out = composite(tf.fill([1, 1, 2, 3], 1) as tf.Tensor4D, tf.zeros([1, 1, 2, 3]) as tf.Tensor4D, m);
    expect(Array.from(out.dataSync())).toEqual([1, 1, 1, 0.25, 0.25, 0.25]);
    m.dispose();
  });
});

describe('a masked DeepDream', () => {
  it('leaves the picture as it was where the mask is 0, and dreams where it is painted', () => {
    const empty = new Mask(new Uint8Array(S * S), S, S);
    const nothing = dream({ mask: empty, outside: null });
    expect(columnDistance(nothing, picture, 0, S)).toBeLessThan(1e-6);

    const left = columns(S, S, 0, S / 2);
    const half = dream({ mask: left, outside: null });
    const full = dream();
    // Where it is painted the dream is there, as strong as unmasked; outside, the photo beyond the blended edge.
    expect(columnDistance(half, picture, 0, S / 2 - EDGE)).toBeGreaterThan(0.02);
    expect(columnDistance(half, picture, S / 2 + EDGE, S)).toBeLessThan(1e-6);
    expect(columnDistance(half, picture, 0, S / 2 - EDGE)).toBeGreaterThan(0.5 * columnDistance(full, picture, 0, S / 2 - EDGE));
    tf.dispose([nothing, half, full]);
    empty.dispose();
    left.dispose();
  });

  it('dreams other layers outside the mask when asked', () => {
    const left = columns(S, S, 0, S / 2);
    const s = settings({ dream: DREAM, mask: { outside: 'other', outsideLayers: [{ name: 'mixed0', weight: 1 }] } });
    const regions = dreamRegions(s, left)!;
    expect(regions.outside!.layers.map((l) => l.name)).toEqual(['mixed0']);
    const two = dream(regions);
    const kept = dream({ mask: left, outside: null });
    // The outside dreams too (it is not the photo), and differently from the inside's layers.
    expect(columnDistance(two, picture, S / 2 + EDGE, S)).toBeGreaterThan(0.02);
    expect(columnDistance(two, kept, S / 2 + EDGE, S)).toBeGreaterThan(0.02);
    tf.dispose([two, kept]);
    left.dispose();
  });
});

describe('a masked stream with a source (the webcam, a video)', () => {
  it('shows the source itself outside the mask, frame after frame', () => {
    const camera = photo('coffee-96.jpg', S);
    const left = columns(S, S, 0, S / 2);
    const session = new StreamSession(runner, picture, DREAM, streamParams({ zoom: 1, blend: 0.2 }));
    session.setRegions({ mask: left, outside: null });
    session.setSource(camera);
    for (let i = 0; i < 3; i++) {
      session.step().dispose();
      session.advance();
    }
    expect(columnDistance(session.image, camera, S / 2 + EDGE, S)).toBeLessThan(1e-6);
    expect(columnDistance(session.image, camera, 0, S / 2 - EDGE)).toBeGreaterThan(0.02);
    session.dispose();

    // A video dreamed with the mask: every frame's outside is that frame of the footage.
    const dreamer = new VideoDreamer(runner, DREAM, [S, S], { stepsPerFrame: 2 }, undefined, { mask: left, outside: null });
    for (const frame of [picture, camera, picture]) {
      const out = dreamer.frame(frame);
      expect(columnDistance(out, frame, S / 2 + EDGE, S)).toBeLessThan(1e-6);
      expect(columnDistance(out, frame, 0, S / 2 - EDGE)).toBeGreaterThan(0.01);
      out.dispose();
    }
    dreamer.dispose();
    tf.dispose([camera]);
    left.dispose();
  });
});

describe('the live loop with a mask', () => {
  const still = { zoom: 1, rotate: 0, driftX: 0, driftY: 0 };

  it('keeps a still stream outside the mask as it was, frame after frame, at a flat tensor count', async () => {
    const loop = new Loop(runner, settings({ mode: 'dream', dream: { ...DREAM, octaves: 1 }, stream: still }), S, { now: () => 0 });
    loop.setContent(picture.clone());
    loop.setMask(columns(64, 64, 0, 32));
    const present = () => undefined;
    for (let i = 0; i < 3; i++) await loop.frame(1, present);
    await loop.settled();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) await loop.frame(1, present);
    await loop.settled();
    expect(tf.memory().numTensors).toBe(before);
    const shown = loop.display()!;
    expect(columnDistance(shown, picture, S / 2 + EDGE, S)).toBeLessThan(1e-5);
    expect(columnDistance(shown, picture, 0, S / 2 - EDGE)).toBeGreaterThan(0.02);
    shown.dispose();
    // Clearing the mask lets the dream reach the whole picture again.
    loop.setMask(null);
    for (let i = 0; i < 3; i++) await loop.frame(1, present);
    const after = loop.display()!;
    expect(columnDistance(after, picture, S / 2 + EDGE, S)).toBeGreaterThan(0.01);
    after.dispose();
    loop.dispose();
  });

  it('styles only inside the mask, or two paintings either side of it, at a flat tensor count', async () => {
    const style = photo('coffee-96.jpg', S);
    const base = settings({
      mode: 'style',
      style: { contentLayer: 'mixed2', styleLayers: [{ name: 'activation_3', weight: 1 }, { name: 'mixed0', weight: 1 }], learningRate: 0.05, stages: 1, colour: 'style' },
      crossfade: 0,
    });
    const loop = new Loop(runner, base, S, { now: () => 0 });
    loop.setContent(picture.clone());
    loop.setStyle(style.clone());
    loop.setMask(columns(S, S, 0, S / 2));
    const present = () => undefined;
    for (let i = 0; i < 3; i++) await loop.frame(1, present);
    const one = loop.display()!;
    expect(columnDistance(one, picture, S / 2 + EDGE, S)).toBeLessThan(1e-6);
    expect(columnDistance(one, picture, 0, S / 2 - EDGE)).toBeGreaterThan(0.01);

    // A second painting outside the mask: both halves move.
    loop.setStyle(photo('cat-128.png', S).reverse(2) as tf.Tensor4D, 1);
    loop.setSettings({ ...base, mask: { ...base.mask, outside: 'other' } });
    for (let i = 0; i < 3; i++) await loop.frame(1, present);
    await loop.settled();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await loop.frame(1, present);
    await loop.settled();
    expect(tf.memory().numTensors).toBe(before);
    const two = loop.display()!;
    expect(columnDistance(two, picture, S / 2 + EDGE, S)).toBeGreaterThan(0.01);
    expect(columnDistance(two, picture, 0, S / 2 - EDGE)).toBeGreaterThan(0.01);
    tf.dispose([one, two, style]);
    loop.dispose();
  });
});
