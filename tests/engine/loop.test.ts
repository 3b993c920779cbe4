import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cover } from '../../src/engine/image/geometry';
import { CHECKPOINT_MS } from '../../src/engine/loop/checkpoint';
import { allFinite, healthProbe } from '../../src/engine/loop/health';
import { MAX_PENDING_STEPS } from '../../src/engine/loop/controls';
import { Loop, NAN_MESSAGE, type LoopOptions } from '../../src/engine/loop/loop';
import type { ModelRunner } from '../../src/engine/model/runner';
import { settings, type Mode, type Settings } from '../../src/engine/params/settings';
import { engine, photo } from '../helpers/engine';

/** Cheap layers and a strong step: the picture moves away from the content within a few frames at 96 px. */
const BASE = settings({
  mode: 'dream',
  dream: { layers: [{ name: 'mixed0', weight: 1 }], stepSize: 0.08 },
  style: { contentLayer: 'mixed2', styleLayers: [{ name: 'activation_3', weight: 1 }, { name: 'mixed0', weight: 1 }], learningRate: 0.05 },
  webcamBlend: 1,
  webcamGate: 0,
  // The camera blended in, as before optical flow (the flow cases are in webcam-flow.test.ts).
  webcamFlow: false,
  crossfade: 2,
});
const SIZE = 96;

let runner: ModelRunner;
let content: tf.Tensor4D;
let camera: tf.Tensor4D;
let content96: tf.Tensor4D;
let camera96: tf.Tensor4D;

beforeAll(async () => {
  runner = await engine();
  content = photo('cat-128.png', 128);
  camera = photo('coffee-96.jpg', 128);
  content96 = cover(content, SIZE, SIZE);
  camera96 = cover(camera, SIZE, SIZE);
});

afterAll(() => {
  tf.dispose([content, camera, content96, camera96]);
});

/** Mean absolute difference per value, in the model's [-1, 1] range. */
const distance = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.tidy(() => a.sub(b).abs().mean().dataSync()[0]!);

const withMode = (s: Settings, mode: Mode): Settings => ({ ...s, mode });

/** A loop on its own clock (1 s a frame unless a test moves it), with what it reports collected. */
function makeLoop(s: Settings = BASE, options: LoopOptions = {}) {
  const clock = { t: 0 };
  const errors: string[] = [];
  const checkpoints: tf.Tensor4D[] = [];
  let stats = 0;
  const loop = new Loop(runner, s, SIZE, {
    now: () => clock.t,
    onError: (m) => errors.push(m),
    onCheckpoint: (image) => checkpoints.push(image.clone()),
    onStats: () => stats++,
    ...options,
  });
  loop.setContent(content.clone());
  const presented: { steps: number; image: tf.Tensor4D | null } = { steps: -1, image: null };
  const present = (image: tf.Tensor4D, steps: number) => {
    presented.image?.dispose();
    presented.image = image.clone();
    presented.steps = steps;
  };
  /** Runs `n` frames (camera frames fed before each, when given) and waits for the last read. */
  const frames = async (n: number, opts: { steps?: number; tick?: number; camera?: tf.Tensor4D } = {}) => {
    for (let i = 0; i < n; i++) {
      clock.t += opts.tick ?? 1000;
      if (opts.camera) loop.cameraFrame(opts.camera);
      await loop.frame(opts.steps ?? 1, present);
    }
    await loop.settled();
  };
  const dispose = () => {
    loop.dispose();
    tf.dispose([...checkpoints, ...(presented.image ? [presented.image] : [])]);
  };
  return { loop, clock, errors, checkpoints, presented, frames, stats: () => stats, dispose, image: () => loop.mode!.image };
}

describe('mode switches', () => {
  it('dream ↔ style keep the picture; leaving the webcam goes back to the chosen picture, not the last camera frame', async () => {
    const t = makeLoop();
    await t.frames(5);
    const dreamed = t.image().clone();
    expect(distance(dreamed, content96)).toBeGreaterThan(0.02);

    t.loop.setSettings(withMode(BASE, 'style'));
    expect(t.loop.mode!.name).toBe('style');
    expect(t.loop.mode!.lossNames).toEqual(['loss', 'content', 'style', 'tv']);
    expect(distance(t.image(), dreamed)).toBeLessThan(1e-5);
    await t.frames(3);
    expect(Object.keys(t.loop.losses)).toEqual(['loss', 'content', 'style', 'tv']);
    const styled = t.image().clone();

    t.loop.setSettings(withMode(BASE, 'dream'));
    expect(t.loop.mode!.name).toBe('dream');
    expect(distance(t.image(), styled)).toBeLessThan(1e-5);
    t.loop.setSettings(withMode(BASE, 'style'));
    await t.frames(2);

    // Style → webcam goes on from the styled picture, then the camera pulls it (blend 1, no gate).
    const beforeCamera = t.image().clone();
    t.loop.setSettings(withMode(BASE, 'webcam'));
    expect(t.loop.mode!.name).toBe('webcam');
    expect(distance(t.image(), beforeCamera)).toBeLessThan(1e-5);
    await t.frames(4, { camera });
    expect(distance(t.image(), camera96)).toBeLessThan(distance(t.image(), content96));

    t.loop.setSettings(withMode(BASE, 'dream'));
    expect(t.loop.mode!.name).toBe('dream');
    expect(t.loop.iteration).toBe(0);
    expect(distance(t.image(), content96)).toBeLessThan(1e-5);
    expect(distance(t.image(), camera96)).toBeGreaterThan(0.1);
    await t.frames(3);
    expect(distance(t.image(), content96)).toBeLessThan(distance(t.image(), camera96));
    expect(t.errors).toEqual([]);
    tf.dispose([dreamed, styled, beforeCamera]);
    t.dispose();
  });

  it('a webcam opened afresh shows the camera from its first frame, not the sample it dreamed on before', async () => {
    // A gentle pull (a tenth a frame) and flow, as a user has them: only the first frame's restart can explain it.
    const t = makeLoop({ ...withMode(BASE, 'webcam'), webcamBlend: 0.1, webcamFlow: true, webcamFlowPull: 0.1 });
    await t.frames(2);
    expect(distance(t.image(), content96)).toBeLessThan(distance(t.image(), camera96));
    await t.frames(1, { camera });
    expect(distance(t.image(), camera96)).toBeLessThan(0.05);
    expect(distance(t.image(), content96)).toBeGreaterThan(0.2);
    expect(t.errors).toEqual([]);
    t.dispose();
  });

  it('dream → webcam hands the running stream over: the iteration and the picture carry on', async () => {
    const t = makeLoop();
    await t.frames(3);
    const at = t.loop.iteration;
    const before = t.image().clone();
    t.loop.setSettings(withMode(BASE, 'webcam'));
    expect(t.loop.mode!.name).toBe('webcam');
    expect(t.loop.iteration).toBe(at);
    expect(distance(t.image(), before)).toBe(0);
    // The webcam's transform: no zoom, the settings' pull toward the camera.
    expect(t.loop.mode!.stream).toMatchObject({ zoom: 1, rotate: 0, driftX: 0, driftY: 0, blend: 1 });
    await t.frames(2, { camera });
    expect(t.loop.iteration).toBe(at + 2);
    before.dispose();
    t.dispose();
  });

  it('style: weights change live, layers rebuild from the picture, a new init starts afresh', async () => {
    const t = makeLoop(withMode(BASE, 'style'));
    await t.frames(3);
    const mode = t.loop.mode;
    t.loop.setSettings({ ...t.loop.settings, style: { ...t.loop.settings.style, styleWeight: 10 } });
    expect(t.loop.mode).toBe(mode);
    expect(t.loop.iteration).toBe(3);
    const picture = t.image().clone();
    t.loop.setSettings({ ...t.loop.settings, style: { ...t.loop.settings.style, styleLayers: [{ name: 'mixed0', weight: 2 }] } });
    expect(t.loop.mode).not.toBe(mode);
    expect(t.loop.iteration).toBe(0);
    expect(distance(t.image(), picture)).toBeLessThan(1e-5);
    t.loop.setSettings({ ...t.loop.settings, style: { ...t.loop.settings.style, init: 'noise' } });
    expect(distance(t.image(), picture)).toBeGreaterThan(0.2);
    picture.dispose();
    t.dispose();
  });

  it('style: a new painting starts over; a second painting blends live, or from the recoloured photo when matching', async () => {
    const t = makeLoop(withMode({ ...BASE, style: { ...BASE.style, colour: 'style' } }, 'style'));
    await t.frames(3);
    t.loop.setStyle(photo('brick-128.jpg', 96));
    expect(t.loop.iteration).toBe(0);
    await t.frames(2);
    t.loop.setStyle(camera.clone(), 1);
    expect(t.loop.iteration).toBe(0);
    await t.frames(2);
    // Without matching, a new share changes the targets in place: the picture carries on.
    const mode = t.loop.mode;
    t.loop.setSettings({ ...t.loop.settings, style: { ...t.loop.settings.style, styleBlend: [0.3, 0.7] } });
    expect(t.loop.mode).toBe(mode);
    expect(t.loop.iteration).toBe(2);
    // With matching, the photo takes the blend's colours: the picture starts over from it.
    t.loop.setSettings({ ...t.loop.settings, style: { ...t.loop.settings.style, colour: 'match' } });
    await t.frames(1);
    t.loop.setSettings({ ...t.loop.settings, style: { ...t.loop.settings.style, colour: 'match', styleBlend: [0.9, 0.1] } });
    expect(t.loop.iteration).toBe(0);
    t.dispose();
  });
});

describe('pause, step, resume, reset', () => {
  it('paused, frames change nothing; each step press runs exactly one step; resume runs full frames', async () => {
    const t = makeLoop();
    await t.frames(2, { steps: 2 });
    expect(t.loop.iteration).toBe(4);
    t.loop.control('pause');
    expect(t.loop.paused).toBe(true);
    expect(t.loop.idle).toBe(true);
    const still = t.image().clone();
    await t.frames(4, { steps: 2 });
    expect(t.loop.iteration).toBe(4);
    expect(distance(t.image(), still)).toBe(0);

    for (let i = 0; i < 3; i++) t.loop.control('step');
    expect(t.loop.idle).toBe(false);
    for (let i = 1; i <= 3; i++) {
      await t.frames(1, { steps: 2 });
      expect(t.loop.iteration).toBe(4 + i);
      expect(t.presented.steps).toBe(1);
    }
    expect(t.loop.idle).toBe(true);
    await t.frames(2, { steps: 2 });
    expect(t.loop.iteration).toBe(7);

    // A held key is not intent: presses are capped.
    for (let i = 0; i < MAX_PENDING_STEPS + 20; i++) t.loop.control('step');
    t.loop.control('resume');
    expect(t.loop.paused).toBe(false);
    await t.frames(2, { steps: 2 });
    expect(t.loop.iteration).toBe(11);
    still.dispose();
    t.dispose();
  });

  it('reset goes back to the content: at once when paused, through a fade when running', async () => {
    const t = makeLoop();
    await t.frames(4);
    expect(distance(t.image(), content96)).toBeGreaterThan(0.02);
    t.loop.control('pause');
    t.loop.control('reset');
    expect(t.loop.iteration).toBe(0);
    expect(t.loop.idle).toBe(false); // a repaint is due
    await t.frames(1);
    expect(t.presented.steps).toBe(0);
    expect(distance(t.presented.image!, content96)).toBeLessThan(1e-5);
    expect(t.loop.idle).toBe(true);

    t.loop.control('resume');
    await t.frames(4);
    const old = t.image().clone();
    t.loop.control('reset');
    expect(distance(t.image(), content96)).toBeLessThan(1e-5);
    await t.frames(1);
    // Running, the first frame after a reset is a mix of the old picture and the content (the fade)...
    const mixed = t.presented.image!.clone();
    expect(distance(mixed, content96)).toBeGreaterThan(0.01);
    expect(distance(mixed, old)).toBeGreaterThan(0.01);
    expect(distance(mixed, old)).toBeLessThan(distance(content96, old));
    // ...and once it has played (two frames), the old picture is gone from what is shown.
    await t.frames(2);
    expect(distance(t.presented.image!, old)).toBeGreaterThan(distance(mixed, old));
    tf.dispose([old, mixed]);
    t.dispose();
  });

  it("reset while paused shows the reset picture's figures: iteration 0 and no loss until a step of it is read", async () => {
    const t = makeLoop();
    await t.frames(4);
    expect(t.loop.losses['loss']).toBeDefined();
    t.loop.control('pause');
    t.loop.control('reset');
    expect(t.loop.iteration).toBe(0);
    expect(t.loop.losses).toEqual({});
    // The repaint of the reset picture runs no step: still no loss to show.
    await t.frames(1);
    expect(t.loop.losses).toEqual({});
    // One step of the reset picture: its loss is read.
    t.loop.control('step');
    await t.frames(1);
    expect(t.loop.iteration).toBe(1);
    expect(Number.isFinite(t.loop.losses['loss'])).toBe(true);
    t.dispose();
  });
});

describe('working size', () => {
  it('style: a new working size rebuilds the session at that size and the iteration count carries on', async () => {
    const t = makeLoop(withMode(BASE, 'style'));
    await t.frames(3);
    const mode = t.loop.mode;
    t.loop.setResolution(128);
    expect(t.loop.mode).not.toBe(mode);
    expect(t.image().shape.slice(1, 3)).toEqual([128, 128]);
    expect(t.loop.iteration).toBe(3);
    await t.frames(2);
    expect(t.loop.iteration).toBe(5);
    // Back down (the adaptive size flips between two sizes): still counting on.
    t.loop.setResolution(SIZE);
    expect(t.image().shape.slice(1, 3)).toEqual([SIZE, SIZE]);
    expect(t.loop.iteration).toBe(5);
    await t.frames(1);
    expect(t.loop.iteration).toBe(6);
    // A change of look that starts the picture over still counts from zero.
    t.loop.setSettings({ ...t.loop.settings, style: { ...t.loop.settings.style, init: 'noise' } });
    expect(t.loop.iteration).toBe(0);
    t.dispose();
  });
});

describe('recovery and checkpoints', () => {
  it('a checkpoint comes once the interval has passed on the loop clock, and not before', async () => {
    const t = makeLoop();
    await t.frames(5, { tick: (CHECKPOINT_MS - 100) / 5 });
    expect(t.checkpoints).toHaveLength(0);
    expect(t.loop.lastGood).toBeNull();
    await t.frames(4, { tick: 50 });
    expect(t.checkpoints).toHaveLength(1);
    expect(distance(t.checkpoints[0]!, t.loop.lastGood!)).toBe(0);
    await t.frames(4, { tick: 100 });
    expect(t.checkpoints).toHaveLength(1);
    await t.frames(4, { tick: CHECKPOINT_MS });
    expect(t.checkpoints.length).toBeGreaterThan(1);
    t.dispose();
  });

  it('a NaN is reported once and the loop restarts from the last good frame; the next losses are finite', async () => {
    const t = makeLoop();
    await t.frames(5);
    expect(t.checkpoints.length).toBeGreaterThan(0);
    const good = t.loop.lastGood!.clone();
    expect(distance(good, content96)).toBeGreaterThan(0.01);
    t.loop.injectNaN();
    await t.frames(1);
    expect(t.errors).toEqual([NAN_MESSAGE]);
    expect(t.loop.iteration).toBe(0);
    expect(distance(t.image(), good)).toBeLessThan(1e-5);
    await t.frames(4);
    expect(t.errors).toHaveLength(1);
    expect(Number.isFinite(t.loop.losses.loss)).toBe(true);
    expect(t.loop.iteration).toBe(4);
    good.dispose();
    t.dispose();
  });

  it('the health probe catches a NaN pixel even when the losses read finite', async () => {
    const losses = tf.tensor1d([1, 2]);
    const good = content96.clone();
    const bad = tf.tidy(() => content96.add(tf.oneHot([5], SIZE * SIZE * 3).reshape([1, SIZE, SIZE, 3]).mul(Number.NaN))) as tf.Tensor4D;
    const read = async (image: tf.Tensor4D) => {
      const probe = healthProbe(losses, image);
      const v = await probe.data();
      probe.dispose();
      return { finite: allFinite(v), length: v.length };
    };
    expect(await read(good)).toEqual({ finite: true, length: 3 });
    expect(await read(bad)).toEqual({ finite: false, length: 3 });
    tf.dispose([losses, good, bad]);
  });
});

describe('memory', () => {
  it('tf.memory().numTensors is flat across many frames and across mode switches', async () => {
    const t = makeLoop(BASE, { onCheckpoint: () => {} });
    const cycle = async () => {
      for (const mode of ['style', 'dream', 'webcam', 'style', 'webcam', 'dream'] as const) {
        t.loop.setSettings(withMode(BASE, mode));
        await t.frames(3, mode === 'webcam' ? { camera } : {});
      }
      // Past the fade, and past the motion meter's asynchronous read.
      await t.frames(3);
      await new Promise((r) => setTimeout(r, 0));
    };
    await cycle();
    const base = tf.memory().numTensors;
    expect(t.loop.held.tensors).toBe(base);
    await t.frames(20);
    expect(tf.memory().numTensors).toBe(base);
    await cycle();
    await cycle();
    expect(tf.memory().numTensors).toBe(base);
    t.dispose();
  });
});
