import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { endPointError, MovingScene, type RigidMotion } from '../../src/engine/bench/moving-scene';
import { flowConfidence, rawConfidence, rawConfidenceOps, softenMask, softenMaskOps } from '../../src/engine/flow/confidence';
import { denseFlow } from '../../src/engine/flow/dense-flow';
import { luminance } from '../../src/engine/flow/filters';
import { gradientStack, gradientStackOps, normalProducts, normalProductsOps, solveStep, solveStepOps, windowMean, windowMeanOps } from '../../src/engine/flow/lucas-kanade';
import { GridCache, PixelGrid } from '../../src/engine/flow/grid';
import { gaussianPyramid, levelCount } from '../../src/engine/flow/pyramid';
import { hasNativeSample } from '../../src/engine/flow/kernels/sample';
import { FlowTracker } from '../../src/engine/flow/tracker';
import { sampleComposite, warp } from '../../src/engine/flow/warp';
import { useNodeBackend } from '../../src/node/backend';
import { box, maskedMean, meanAbs, texture } from '../helpers/scenes';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

const constantFlow = (h: number, w: number, dx: number, dy: number) => tf.tidy(() => tf.tensor1d([dx, dy]).reshape([1, 1, 1, 2]).tile([1, h, w, 1]) as tf.Tensor4D);

/** The flow from `b` to `a` (backward: each pixel of b → where it was in a), through the pyramids. */
function backwardFlow(a: tf.Tensor4D, b: tf.Tensor4D, levels = 4): tf.Tensor4D {
  return tf.tidy(() => denseFlow(gaussianPyramid(luminance(b), levels), gaussianPyramid(luminance(a), levels)));
}

/** Mean end-point error of the estimated backward flow of `m` on a window onto `picture`, over the visible pixels. */
function flowError(picture: tf.Tensor4D, size: number, m: RigidMotion): number {
  const scene = new MovingScene(picture, size, size);
  const a = scene.frame();
  scene.move(m);
  const b = scene.frame();
  const [truth, visible] = [scene.backwardFlow(), scene.visible()];
  const flow = backwardFlow(a, b);
  const e = endPointError(flow, truth, visible);
  const out = e.dataSync()[0]!;
  tf.dispose([a, b, truth, visible, flow, e]);
  return out;
}

describe('backward warp', () => {
  it('the wasm backend samples with its own kernel', () => {
    expect(hasNativeSample()).toBe(true);
  });

  it('a zero flow is the identity (odd sizes, three channels)', () => {
    const x = texture(17, 23, 2);
    const zero = tf.zeros([1, 17, 23, 2]) as tf.Tensor4D;
    const native = warp(x, zero);
    const composite = sampleComposite(x, zero, { scaleX: 1, scaleY: 1 });
    expect(meanAbs(native, x)).toBe(0);
    expect(meanAbs(composite, x)).toBeLessThan(1e-6);
    tf.dispose([x, zero, native, composite]);
  });

  it('a constant flow moves the content by that shift; a half-pixel one averages neighbours', () => {
    const x = texture(20, 24, 3);
    const flow = constantFlow(20, 24, 3, -2);
    const out = warp(x, flow);
    // out(x, y) = in(x + 3, y − 2): compare where both are inside the frame.
    const got = out.slice([0, 2, 0, 0], [1, 18, 21, 3]);
    const want = x.slice([0, 0, 3, 0], [1, 18, 21, 3]);
    expect(meanAbs(got, want)).toBeLessThan(1e-6);
    // Outside the frame the border pixel repeats.
    expect(meanAbs(out.slice([0, 0, 0, 0], [1, 2, 21, 3]), x.slice([0, 0, 3, 0], [1, 1, 21, 3]).tile([1, 2, 1, 1]))).toBeLessThan(1e-6);
    const half = warp(x, constantFlow(20, 24, 0.5, 0));
    const mean = x.slice([0, 0, 0, 0], [1, 20, 23, 3]).add(x.slice([0, 0, 1, 0], [1, 20, 23, 3])).mul(0.5);
    expect(meanAbs(half.slice([0, 0, 0, 0], [1, 20, 23, 3]), mean)).toBeLessThan(1e-6);
    tf.dispose([x, flow, out, got, want, half, mean]);
  });

  it('the native kernel and the tfjs-op composite give the same pixels for any flow, in and out of the frame', () => {
    const x = texture(31, 40, 4);
    const flow = tf.randomUniform([1, 31, 40, 2], -12, 12, 'float32', 9) as tf.Tensor4D;
    const native = warp(x, flow);
    const composite = sampleComposite(x, flow, { scaleX: 1, scaleY: 1 });
    expect(tf.tidy(() => native.sub(composite).abs().max().dataSync()[0]!)).toBeLessThan(1e-5);
    // The scaled form (a 2× upsampling of a pyramid level) agrees as well.
    const small = texture(16, 20, 5, 2);
    const grid = new PixelGrid(31, 40);
    const up = warp(small, tf.zeros([1, 16, 20, 2]) as tf.Tensor4D);
    const a = tf.engine().runKernel('DreamstreamBilinearSample', { image: small, flow: grid.zero }, { scaleX: 0.5, scaleY: 0.5 }) as tf.Tensor4D;
    const b = sampleComposite(small, grid.zero, { scaleX: 0.5, scaleY: 0.5 }, grid);
    expect(tf.tidy(() => a.sub(b).abs().max().dataSync()[0]!)).toBeLessThan(1e-5);
    // Output pixel 2i is input pixel i.
    expect(meanAbs(a.slice([0, 4, 6, 0], [1, 1, 1, 2]), small.slice([0, 2, 3, 0], [1, 1, 1, 2]))).toBeLessThan(1e-6);
    tf.dispose([x, flow, native, composite, small, up, a, b]);
    grid.dispose();
  });
});

describe('native kernels (wasm) and their tfjs-op forms agree', () => {
  const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]!);

  it('gradient stack, normal products (in and out of the frame), solve step', () => {
    const [h, w] = [29, 37];
    // Odd sizes: the 2×2 means and the enlargement of the window meet their edge cases.
    const grid = new PixelGrid(h, w);
    const a = texture(h, w, 21, 1);
    const b = texture(h, w, 22, 1);
    for (const scale of [[1, 1, 1], [-1, 0.5, 0.5]] as const) {
      const [n, o] = [gradientStack(a, scale), gradientStackOps(a, scale)];
      expect(maxDiff(n, o)).toBeLessThan(1e-5);
      tf.dispose([n, o]);
    }
    const first = gradientStack(a, [-1, 0.5, 0.5]);
    const second = gradientStack(b, [1, 0.5, 0.5]);
    const flow = tf.randomUniform([1, h, w, 2], -6, 6, 'float32', 3) as tf.Tensor4D;
    const [pn, po] = [normalProducts(second, first, flow, grid), normalProductsOps(second, first, flow, grid)];
    expect(maxDiff(pn, po)).toBeLessThan(1e-5);
    // A match outside the frame weighs nothing: every match 50 px away, nothing at all.
    const away = constantFlow(h, w, 50, 0);
    const none = normalProducts(second, first, away, grid);
    expect(tf.tidy(() => none.abs().max().dataSync()[0]!)).toBe(0);
    tf.dispose([away, none]);
    // The products come in 2×2 cells (odd sizes: the last row and column are cells of their own).
    expect(pn.shape).toEqual([1, 15, 19, 5]);
    const sums = windowMean(pn, 3);
    const sumsOps = windowMeanOps(pn, 3);
    expect(maxDiff(sums, sumsOps)).toBeLessThan(1e-5);
    sumsOps.dispose();
    const [sn, so] = [solveStep(sums, flow, 1e-4), solveStepOps(sums, flow, 1e-4)];
    expect(maxDiff(sn, so) / tf.tidy(() => so.abs().max().dataSync()[0]!)).toBeLessThan(1e-4);
    tf.dispose([a, b, first, second, flow, pn, po, sums, sn, so]);
    grid.dispose();
  });

  it('consistency and softening of the confidence mask', () => {
    const [h, w] = [33, 27];
    const grid = new PixelGrid(h, w);
    const forward = smoothField(h, w, 4, 5);
    const backward = tf.tidy(() => forward.neg().add(smoothField(h, w, 1.2, 6)) as tf.Tensor4D);
    const o = { alpha: 0.01, beta: 0.5, edgeAlpha: 0.01, edgeBeta: 0.002, soften: 1 };
    const [rn, ro] = [rawConfidence(forward, backward, grid, o), rawConfidenceOps(forward, backward, grid, o)];
    expect(maxDiff(rn, ro)).toBeLessThan(1e-4);
    // A mix of trusted and untrusted pixels, so the comparison means something.
    const mean = rn.mean().dataSync()[0]!;
    expect(mean).toBeGreaterThan(0.05);
    expect(mean).toBeLessThan(0.95);
    const [cn, co] = [softenMask(rn, 1.5), softenMaskOps(rn, 1.5)];
    expect(maxDiff(cn, co)).toBeLessThan(1e-5);
    tf.dispose([forward, backward, rn, ro, cn, co]);
    grid.dispose();
  });
});

/** A smooth random flow field [1,h,w,2] of values up to ±`amplitude`: a 4×4 random field, bilinearly enlarged. */
const smoothField = (h: number, w: number, amplitude: number, seed: number) =>
  tf.tidy(() => tf.image.resizeBilinear(tf.randomUniform([1, 4, 4, 2], -amplitude, amplitude, 'float32', seed) as tf.Tensor4D, [h, w], true) as tf.Tensor4D);

describe('Gaussian pyramid', () => {
  it('halves each level (rounding up) while the short side stays at least 8 px', () => {
    const x = texture(120, 90, 6, 1);
    const p = gaussianPyramid(x, 6);
    expect(p.map((l) => l.shape.slice(1, 3))).toEqual([[120, 90], [60, 45], [30, 23], [15, 12]]);
    expect(levelCount(120, 90, 6)).toBe(4);
    // A low-pass: each level keeps the mean.
    const means = p.map((l) => l.mean().dataSync()[0]!);
    for (const m of means) expect(Math.abs(m - means[0]!)).toBeLessThan(0.02);
    tf.dispose([x, ...p]);
  });
});

describe('dense optical flow', () => {
  let picture: tf.Tensor4D;
  beforeAll(() => {
    picture = texture(192, 192, 11);
  });

  it('recovers a known translation, sub-pixel and up to 8 px, on a textured pair', () => {
    expect(flowError(picture, 96, { rotate: 0, dx: 1.3, dy: -0.6 })).toBeLessThan(0.1);
    expect(flowError(picture, 96, { rotate: 0, dx: 4.5, dy: 3.2 })).toBeLessThan(0.15);
    expect(flowError(picture, 96, { rotate: 0, dx: -8, dy: 0 })).toBeLessThan(0.3);
  });

  it('recovers a small rotation (and rotation with translation)', () => {
    expect(flowError(picture, 96, { rotate: 2, dx: 0, dy: 0 })).toBeLessThan(0.15);
    expect(flowError(picture, 96, { rotate: -1.5, dx: 3, dy: -2 })).toBeLessThan(0.2);
  });

  it('a still pair gives a zero flow', () => {
    const a = picture.slice([0, 0, 0, 0], [1, 64, 64, 3]);
    const flow = backwardFlow(a, a);
    expect(tf.tidy(() => flow.abs().max().dataSync()[0]!)).toBeLessThan(1e-3);
    tf.dispose([a, flow]);
  });
});

describe('confidence mask', () => {
  const S = 96;
  /** A textured square on a still textured background, its left edge at `left`. */
  function sceneAt(left: number): tf.Tensor4D {
    return tf.tidy(() => {
      const bg = texture(S, S, 3);
      const obj = tf.image.transform(texture(S, S, 7), tf.tensor2d([[1, 0, -left, 0, 1, 0, 0, 0]]), 'bilinear', 'nearest') as tf.Tensor4D;
      const m = box(S, S, 30, left, 36, 36);
      return bg.mul(tf.scalar(1).sub(m)).add(obj.mul(m)) as tf.Tensor4D;
    });
  }

  it('marks the background an object uncovers as moving, and trusts the still background and the object', () => {
    const [a, b] = [sceneAt(30), sceneAt(34)];
    const tracker = new FlowTracker();
    tracker.track(a);
    tracker.track(b);
    const carry = tracker.take()!;
    // The object moved 4 px right: columns 30–33 of rows 30–65 show background that the object hid before.
    const uncovered = box(S, S, 33, 30, 30, 4);
    const background = box(S, S, 0, 0, 20, S);
    const object = box(S, S, 36, 40, 24, 24);
    expect(maskedMean(carry.confidence, uncovered)).toBeLessThan(0.1);
    expect(maskedMean(carry.confidence, background)).toBeGreaterThan(0.95);
    expect(maskedMean(carry.confidence, object)).toBeGreaterThan(0.9);
    // The flow itself: the object came from 4 px to the left, the background stayed.
    const dx = tf.tidy(() => carry.flow.slice([0, 0, 0, 0], [1, S, S, 1]) as tf.Tensor4D);
    expect(Math.abs(maskedMean(dx, object) + 4)).toBeLessThan(0.25);
    expect(Math.abs(maskedMean(dx, background))).toBeLessThan(0.02);
    tf.dispose([a, b, carry.flow, carry.confidence, uncovered, background, object, dx]);
    tracker.dispose();
  });

  it('marks what came in from outside the frame', () => {
    const picture = texture(160, 160, 12);
    const scene = new MovingScene(picture, 64, 64);
    const a = scene.frame();
    scene.move({ rotate: 0, dx: 5, dy: 0 });
    const b = scene.frame();
    const grids = new GridCache();
    const backward = backwardFlow(a, b);
    const forward = backwardFlow(b, a);
    const c = flowConfidence(forward, backward, grids.get(64, 64));
    // Content moved 5 px right: the 5 leftmost columns came from outside.
    expect(maskedMean(c, box(64, 64, 0, 0, 64, 4))).toBeLessThan(0.2);
    expect(maskedMean(c, box(64, 64, 8, 16, 48, 40))).toBeGreaterThan(0.95);
    tf.dispose([picture, a, b, backward, forward, c]);
    grids.dispose();
  });
});

describe('tracker', () => {
  it('holds a fixed number of tensors over many frames, and composes motions not yet taken', () => {
    const start = tf.memory().numTensors;
    const picture = texture(128, 128, 13);
    const scene = new MovingScene(picture, 48, 48);
    const tracker = new FlowTracker();
    const counts: number[] = [];
    for (let i = 0; i < 40; i++) {
      scene.move({ rotate: 0.5, dx: i % 2 ? 1 : -1, dy: 0.5 * Math.sin(i) });
      const frame = scene.frame();
      tracker.track(frame);
      frame.dispose();
      // Taken every other frame: half the time two motions are composed.
      if (i % 2) {
        const c = tracker.take();
        if (c) tf.dispose([c.flow, c.confidence]);
      }
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts.slice(4).filter((_, i) => i % 2)).size).toBe(1);
    // Two moves, (3, 0) then (2, 1) px, tracked and taken once: the composed flow points back by their sum.
    const s2 = new MovingScene(picture, 48, 48);
    const t2 = new FlowTracker();
    const f0 = s2.frame();
    t2.track(f0);
    s2.move({ rotate: 0, dx: 3, dy: 0 });
    const f1 = s2.frame();
    t2.track(f1);
    s2.move({ rotate: 0, dx: 2, dy: 1 });
    const f2 = s2.frame();
    t2.track(f2);
    const composed = t2.take()!;
    const inner = box(48, 48, 12, 12, 24, 24);
    const dx = composed.flow.slice([0, 0, 0, 0], [1, 48, 48, 1]) as tf.Tensor4D;
    const dy = composed.flow.slice([0, 0, 0, 1], [1, 48, 48, 1]) as tf.Tensor4D;
    expect(maskedMean(dx, inner)).toBeCloseTo(-5, 1);
    expect(maskedMean(dy, inner)).toBeCloseTo(-1, 1);
    expect(t2.take()).toBeNull();
    tf.dispose([picture, f0, f1, f2, composed.flow, composed.confidence, inner, dx, dy]);
    tracker.dispose();
    t2.dispose();
    // Disposed, the trackers leave nothing behind.
    expect(tf.memory().numTensors).toBe(start);
  });
});
