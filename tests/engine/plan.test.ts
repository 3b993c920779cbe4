/**
 * The recorded WebGPU plan (engine/plan) on SwiftShader, through Dawn in Node: its input gradient against tfjs's
 * (wasm and webgpu ops), a session's pictures through it against the same session on tfjs ops, and what the device
 * is asked to do per step once it runs: counts, never times.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelRunner } from '../../src/engine/model/runner';
import { dreamParams, type DreamParams } from '../../src/engine/params/dream';
import { creations, DeviceCounter } from '../../src/engine/plan/device-counts';
import { planKeyFor } from '../../src/engine/plan/dream-plan-step';
import { lastStepPath } from '../../src/engine/plan/step-path';
import { planGraph } from '../../src/engine/plan/graph';
import { ALL_TILES, threadsOf, tileBytes } from '../../src/engine/plan/wgsl/gemm';
import { plannerFor, timePlannedSteps, type DreamPlanner } from '../../src/engine/plan/planner';
import { planKernels } from '../../src/engine/plan/gpu-plan';
import type { PlanKey } from '../../src/engine/plan/types';
import { DreamSession } from '../../src/engine/sessions/dream-session';
import { StyleSession } from '../../src/engine/sessions/style-session';
import { StreamSession } from '../../src/engine/sessions/stream-session';
import { streamParams } from '../../src/engine/params/stream';
import { styleParams, type StyleParams } from '../../src/engine/params/style';
import { readyStyleLoss, type StyleLossInput } from '../../src/engine/plan/style-run';
import { extensionsSettled } from '../../src/engine/plan/extension-cache';
import { StyleTerms, termsKernels } from '../../src/engine/plan/style-terms';
import { basisDispatches, basisKernels } from '../../src/engine/plan/style-basis';
import type { BasisShape } from '../../src/engine/plan/wgsl/basis';
import { PyramidBasis } from '../../src/engine/optimise/image-basis';
import { styleLoss, TotalVariation } from '../../src/engine/objectives/style';
import { gram } from '../../src/engine/objectives/mat-mul';
import { useNodeBackend } from '../../src/node/backend';
import { loadArtifactsFromDisk } from '../../src/node/model-files';
import { gradientOn, relErr } from '../helpers/engine';

const SIZE = 83;
/** The side of the view style transfer's network sees of a 64 px picture (reflect-padded to an exact side). */
const VIEW = 91;
const MIXED3 = dreamParams({ layers: [{ name: 'mixed3', weight: 1 }], octaves: 1, stepsPerOctave: 50 });
const MIXED5_CHANNEL = dreamParams({ layers: [{ name: 'mixed5', weight: 0.7 }], octaves: 1, stepsPerOctave: 50 });

function pixels(seed: number): Float32Array {
  return tf.tidy(() => tf.randomUniform([1, SIZE, SIZE, 3], -1, 1, 'float32', seed).dataSync() as Float32Array);
}

/** The default basis's kernels for a 64 px picture: its pyramid's levels (checked below), seen as a 91 px view. */
const BASIS_64: BasisShape = { levels: [[64, 64], [32, 32], [16, 16], [8, 8]], colour: true, view: [VIEW, VIEW], adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } };

/** Seeded pixels at `side` px. */
const picture = (seed: number, side: number) => tf.tidy(() => tf.image.resizeBilinear(tf.tensor4d(pixels(seed), [1, SIZE, SIZE, 3]), [side, side]));

/** `f` with plans off: tfjs ops all the way (ModelRunner.run would otherwise take a built plan's network). */
function opsOnly<T>(f: () => T): T {
  tf.env().set('DREAMSTREAM_WEBGPU_PLAN', false);
  try {
    return f();
  } finally {
    tf.env().set('DREAMSTREAM_WEBGPU_PLAN', true);
  }
}

function keyOf(p: DreamParams): PlanKey {
  const k = planKeyFor(p, SIZE, SIZE);
  if (typeof k === 'string') throw new Error(k);
  return k;
}

describe('the layout of a recorded plan', () => {
  it('uses tiles that fit every WebGPU device: 16 KiB of workgroup memory and at most 256 threads', () => {
    for (const t of ALL_TILES) {
      expect(tileBytes(t)).toBeLessThanOrEqual(16384);
      expect(threadsOf(t)).toBeLessThanOrEqual(256);
      expect(t.BM % t.TM).toBe(0);
      expect(t.BN % t.TN).toBe(0);
    }
  });

  it('merges the 1×1 convolutions of each block, writes branches into their block, and stays within 100 dispatches to mixed3', async () => {
    await useNodeBackend('wasm');
    const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
    const { nodes, targets } = runner.graph(['mixed3']);
    const g = planGraph(nodes, targets, 299, 299);
    const convs = g.forward.filter((o) => o.kind === 'conv');
    // 30 convolutions in the model up to mixed3; mixed0–2 each read their input with three 1×1s, mixed3 with one.
    expect(nodes.filter((n) => n.kind === 'conv')).toHaveLength(30);
    expect(convs).toHaveLength(24);
    expect(convs.filter((c) => c.names.length === 3)).toHaveLength(3);
    // No buffer for a concatenation's inputs: every block branch writes into the block's own buffer.
    const mixed2 = g.buffers.findIndex((b) => b.label === 'mixed2');
    expect(convs.filter((c) => c.segments.some((s) => s.view.buf === mixed2)).length).toBeGreaterThanOrEqual(3);
    const dispatches = g.forward.length + g.backward.length + 3;
    expect(dispatches).toBeLessThanOrEqual(100);
    // Every gradient region is written before it is read: the first writer stores, and nothing is zeroed per frame.
    expect(g.clears).toEqual([]);
    expect(g.backward.filter((o) => o.mode === 'store').length).toBeGreaterThan(20);
    runner.dispose();
  });
});

describe('the layout of a style iteration', () => {
  it('with the default layers, basis and view, records within 200 dispatches: the network, the loss, the decode, the view, their gradients and Adam', async () => {
    await useNodeBackend('wasm');
    const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
    const p = styleParams({});
    const layers = [...new Set([p.contentLayer, ...p.styleLayers.map((l) => l.name)])];
    const { nodes, targets } = runner.graph(layers);
    const graph = planGraph(nodes, targets, VIEW, VIEW);
    const key = { layers, channel: -1, objective: 'l2', normalise: 'std', height: VIEW, width: VIEW } as const;
    const network = planKernels(graph, key).filter((k) => k.part === 'forward' || k.part === 'backward').length;
    const layerShapes = graph.layers.map((l) => [l.view.h, l.view.w, l.view.c] as [number, number, number]);
    const terms = termsKernels(layerShapes, layers, { contentLayer: p.contentLayer, styleLayers: p.styleLayers.map((l) => l.name), picture: [64, 64] });
    // The levels of the session's own pyramid for a 64 px picture.
    const basis = new PyramidBasis(p.pyramidLevels);
    const levels = tf.tidy(() => basis.encode(tf.zeros([1, 64, 64, 3])).map((c) => [c.shape[1], c.shape[2]] as [number, number]));
    basis.dispose();
    expect(levels).toEqual(BASIS_64.levels);
    const own = basisDispatches(basisKernels(BASIS_64));
    const total = network + terms.forward.length + terms.seeds.length + terms.tvBack.length + own;
    console.log(`style iteration, default layers at a ${VIEW} px view: ${network} network + ${terms.forward.length + terms.seeds.length + terms.tvBack.length} loss + ${own} basis = ${total} dispatches`);
    // 612 as tfjs ops, 121 with the basis, view and Adam still tfjs's.
    expect(total).toBeLessThanOrEqual(200);
    runner.dispose();
  });
});

describe('the recorded plan on WebGPU (SwiftShader)', () => {
  let runner: ModelRunner;
  let planner: DreamPlanner;
  let wasmGrad: Float32Array;
  const x0 = pixels(5);

  beforeAll(async () => {
    wasmGrad = await gradientOn('wasm', 'mixed3', x0, SIZE);
    await useNodeBackend('webgpu');
    runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
    planner = plannerFor(runner)!;
    expect(planner).not.toBeNull();
  }, 300_000);

  afterAll(() => runner?.dispose());

  async function planGradient(p: DreamParams, x: tf.Tensor4D): Promise<{ grad: Float32Array; loss: number }> {
    const plan = await planner.ready(keyOf(p));
    expect(plan, planner.failure(keyOf(p))).not.toBeNull();
    const out = planner.step(plan!, x, { dy: 0, dx: 0, stepSize: p.stepSize, weights: p.layers.map((l) => l.weight) });
    const g = planner.gradient(plan!, [1, SIZE, SIZE, 3]);
    const result = { grad: (await g.data()) as Float32Array, loss: (await out.loss.data())[0]! };
    tf.dispose([out.image, out.loss, g]);
    return result;
  }

  it('gives the input gradient of ½·mean(a²) at mixed3 that wasm and tfjs-webgpu ops give, within 1e-4', async () => {
    const x = tf.tensor4d(x0, [1, SIZE, SIZE, 3]);
    const { grad, loss } = await planGradient(MIXED3, x);
    const ops = opsOnly(() => tf.tidy(() => tf.valueAndGrad((t: tf.Tensor) => runner.run(t as tf.Tensor4D, ['mixed3']).mixed3!.square().mean().mul(0.5))(x)));
    const opsGrad = (await ops.grad.data()) as Float32Array;
    console.log(`plan vs wasm ${relErr(grad, wasmGrad).toExponential(2)}, vs webgpu ops ${relErr(grad, opsGrad).toExponential(2)}`);
    expect(relErr(grad, wasmGrad)).toBeLessThan(1e-4);
    expect(relErr(grad, opsGrad)).toBeLessThan(1e-4);
    expect(Math.abs(loss - (await ops.value.data())[0]!) / loss).toBeLessThan(1e-4);
    tf.dispose([x, ops.grad, ops.value]);
  }, 300_000);

  it('gives the gradient of one channel of mixed5, weighted, that tfjs ops give', async () => {
    const x = tf.tensor4d(pixels(9), [1, SIZE, SIZE, 3]);
    // The channel that fires most on this picture (at 83 px mixed5 is 3×3, and many channels are silent there).
    const best = tf.tidy(() => runner.run(x, ['mixed5']).mixed5!.mean([0, 1, 2]).argMax());
    const channel = (await best.data())[0]!;
    best.dispose();
    const p = { ...MIXED5_CHANNEL, channel };
    const { grad } = await planGradient(p, x);
    const ref = opsOnly(() => tf.tidy(() => tf.grad((t: tf.Tensor) => runner.run(t as tf.Tensor4D, ['mixed5']).mixed5!.slice([0, 0, 0, channel], [-1, -1, -1, 1]).square().mean().mul(0.35))(x)));
    const refGrad = (await ref.data()) as Float32Array;
    expect(Math.hypot(...refGrad)).toBeGreaterThan(0);
    expect(relErr(grad, refGrad)).toBeLessThan(1e-4);
    tf.dispose([x, ref]);
  }, 300_000);

  it("runs the network alone as one op (largest tiles): a Gram-matrix loss over activation_3 and mixed0 gets the gradient tfjs ops give; so does style transfer's loss on it", async () => {
    // At the style view's side, so that the style iteration below finds this plan built.
    const x = picture(13, VIEW);
    const layers = ['activation_3', 'mixed0'];
    const loss = (t: tf.Tensor) => {
      const acts = runner.run(t as tf.Tensor4D, layers);
      const f = acts.activation_3!.reshape([-1, 64]);
      return f.transpose().matMul(f).square().mean().add(acts.mixed0!.mean()) as tf.Scalar;
    };
    const gradOf = async () => {
      const g = tf.tidy(() => tf.grad(loss)(x));
      const out = (await g.data()) as Float32Array;
      g.dispose();
      return out;
    };
    try {
      tf.env().set('DREAMSTREAM_WEBGPU_PLAN', false);
      const ops = await gradOf();
      tf.env().set('DREAMSTREAM_WEBGPU_PLAN', true);
      // Built with the largest tiles everywhere (8×8 per thread), which at this size no layer would pick by itself.
      tf.env().set('DREAMSTREAM_PLAN_WORKGROUPS', 1);
      const plan = await planner.ready({ layers, channel: -1, objective: 'l2', normalise: 'std', height: VIEW, width: VIEW });
      tf.env().set('DREAMSTREAM_PLAN_WORKGROUPS', 256);
      expect(plan?.networkReady).toBe(true);
      const planned = await gradOf();
      expect(lastStepPath()).toEqual({ path: 'network' });
      console.log(`network op vs ops ${relErr(planned, ops).toExponential(2)}`);
      expect(relErr(planned, ops)).toBeLessThan(1e-4);

      // Style transfer's loss on the same plan, activation_3 both the content layer and a style layer (its gradient
      // is stored by one term and added to by the other), the picture both the view and the total variation's:
      // the figures and the gradient of tfjs ops.
      const [content, gram3, gram0] = tf.tidy(() => {
        const acts = runner.run(picture(14, VIEW), layers);
        return [acts.activation_3!, gram(acts.activation_3!), gram(acts.mixed0!)];
      }) as [tf.Tensor4D, tf.Tensor2D, tf.Tensor2D];
      const grams = [gram3, gram0];
      const weights = { content: 3, style: 7, tv: 50 };
      const input: StyleLossInput = { contentLayer: 'activation_3', styleLayers: [{ name: 'activation_3', weight: 0.5 }, { name: 'mixed0', weight: 2 }], contentTarget: content, grams, weights };
      expect(await readyStyleLoss(runner, [VIEW, VIEW], [VIEW, VIEW], input)).toBeInstanceOf(StyleTerms);
      const tv = new TotalVariation();
      const termsOf = async (plans: boolean) => {
        tf.env().set('DREAMSTREAM_WEBGPU_PLAN', plans);
        const { value, grad } = tf.tidy(() => {
          let figures: tf.Tensor | null = null;
          const f = tf.valueAndGrad((t: tf.Tensor) => {
            const { total, parts } = styleLoss(runner, t as tf.Tensor4D, t as tf.Tensor4D, input, tv);
            figures = tf.keep(parts);
            return total;
          });
          const out = f(x);
          return { value: tf.concat([out.value.reshape([1]), figures!]), grad: out.grad };
        });
        const out = { losses: (await value.data()) as Float32Array, grad: (await grad.data()) as Float32Array, path: lastStepPath().path };
        tf.dispose([value, grad]);
        return out;
      };
      const opsTerms = await termsOf(false);
      const plannedTerms = await termsOf(true);
      expect(plannedTerms.path).toBe('style-loss');
      console.log(`style loss vs ops: figures ${relErr(plannedTerms.losses, opsTerms.losses).toExponential(2)}, gradient ${relErr(plannedTerms.grad, opsTerms.grad).toExponential(2)}`);
      expect(Math.min(...opsTerms.losses)).toBeGreaterThan(0);
      expect(relErr(plannedTerms.losses, opsTerms.losses)).toBeLessThan(1e-4);
      expect(relErr(plannedTerms.grad, opsTerms.grad)).toBeLessThan(1e-4);
      tf.dispose([content, ...grams]);
    } finally {
      tf.env().set('DREAMSTREAM_WEBGPU_PLAN', true);
      tf.env().set('DREAMSTREAM_PLAN_WORKGROUPS', 256);
      x.dispose();
    }
  }, 300_000);

  it("a style iteration (the default basis, view and Adam) as one recording: the losses and pictures of tfjs ops over two iterations, its kernels' dispatches and no more, nothing made, one writeBuffer and one submit", async () => {
    // 64 px content: the view the network sees, reflect-padded, is 91 px (an exact side). The layers are the
    // network-alone test's, its plan already built (the default ones, to mixed3, would compile twice as many kernels
    // on SwiftShader); activation_3 is both the content layer and a style layer.
    const [content, painting] = [picture(21, 64), picture(22, 64)];
    // (The UI offers mixed2–mixed5 as content layers; the session takes any layer.)
    const params = { ...styleParams({ seed: 4 }), contentLayer: 'activation_3' as StyleParams['contentLayer'], styleLayers: [{ name: 'activation_3', weight: 1 }, { name: 'mixed0', weight: 2 }] };
    const layers = [...new Set([params.contentLayer, ...params.styleLayers.map((l) => l.name)])];
    const key = { layers, channel: -1, objective: 'l2', normalise: 'std', height: VIEW, width: VIEW } as const;
    const plan = await planner.ready(key);
    expect(plan?.networkReady, planner.failure(key)).toBe(true);
    const planBytes = plan!.bytes;
    const terms = await readyStyleLoss(runner, [VIEW, VIEW], [64, 64], params);
    expect(terms).toBeInstanceOf(StyleTerms);
    // The loss's buffers count in the plan's memory (the planner's cache bound).
    expect((terms as StyleTerms).bytes).toBeGreaterThan(0);
    expect(plan!.bytes).toBe(planBytes + (terms as StyleTerms).bytes);
    const iterate = async (plans: boolean, s: StyleSession) => {
      tf.env().set('DREAMSTREAM_WEBGPU_PLAN', plans);
      const l = s.step();
      const out = { losses: (await l.data()) as Float32Array, path: lastStepPath() };
      l.dispose();
      return out;
    };
    try {
      const ops = new StyleSession(runner, content, painting, params);
      const opsSteps = [await iterate(false, ops), await iterate(false, ops)];
      const opsImage = (await ops.image.data()) as Float32Array;
      ops.dispose();
      expect(opsSteps.map((s) => s.path.path)).toEqual(['ops', 'ops']);

      // The first planned iteration asks for the basis's kernels: until they are built the loss alone runs on the
      // plan, and the overlay says why. The second is recorded whole, from the state tfjs's Adam left.
      const session = new StyleSession(runner, content, painting, params);
      const first = await iterate(true, session);
      expect(first.path).toEqual({ path: 'style-loss', reason: 'plan building' });
      await extensionsSettled();
      expect(plan!.bytes).toBeGreaterThan(planBytes + (terms as StyleTerms).bytes);
      const second = await iterate(true, session);
      expect(second.path).toEqual({ path: 'style' });
      const planned = { losses: Float32Array.from([...first.losses, ...second.losses]), image: (await session.image.data()) as Float32Array };
      const opsLosses = Float32Array.from([...opsSteps[0]!.losses, ...opsSteps[1]!.losses]);
      console.log(`style iterations, plan vs ops: losses ${relErr(planned.losses, opsLosses).toExponential(2)}, picture ${relErr(planned.image, opsImage).toExponential(2)}`);
      expect(relErr(planned.losses, opsLosses)).toBeLessThan(1e-4);
      expect(relErr(planned.image, opsImage)).toBeLessThan(1e-4);
      expect(relErr(planned.image, (await content.data()) as Float32Array)).toBeGreaterThan(1e-3);

      // tfjs's pool holds the buffers of the state handed back and forth once an iteration has run: the next
      // iteration is the steady state that is counted.
      const counter = new DeviceCounter(planner.backend.device);
      const before = tf.memory().numTensors;
      session.step().dispose();
      await session.image.data();
      const c = counter.take();
      counter.restore();
      // No growth; the constants the tfjs iteration held (model/scalars.ts) are let go here, unused since.
      expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
      console.log(`style iteration: ${JSON.stringify(c)}`);
      // The network, the loss, the decode, the view, their adjoints and Adam are all the plan's.
      // Exactly the network's, the loss's and the basis's kernels (the default layers' count is checked above).
      expect(c.dispatches).toBe(plan!.networkDispatches + (terms as StyleTerms).dispatches + basisDispatches(basisKernels(BASIS_64)));
      // Every tfjs kernel makes a bind group: none made, none of tfjs's ran.
      expect(creations(c)).toBe(0);
      // The frame's scalars are the one write; the read submits everything.
      expect(c.writeBuffer).toBe(1);
      expect(c.submit).toBe(1);
      session.dispose();
    } finally {
      tf.env().set('DREAMSTREAM_WEBGPU_PLAN', true);
      tf.dispose([content, painting]);
    }
  }, 300_000);

  it('runs a session once built: the same pictures as tfjs ops, no creations, one submit and ≤ 100 dispatches a step, no tensor growth', async () => {
    const x = tf.tensor4d(x0, [1, SIZE, SIZE, 3]);
    await planner.ready(keyOf(MIXED3));
    const run = async (plan: boolean, steps: number) => {
      tf.env().set('DREAMSTREAM_WEBGPU_PLAN', plan);
      const s = new DreamSession(runner, x, { ...MIXED3, seed: 3 });
      for (let i = 0; i < steps; i++) s.step().dispose();
      const out = (await s.image.data()) as Float32Array;
      s.dispose();
      return out;
    };
    try {
      const ops = await run(false, 1);
      expect(lastStepPath().path).toBe('ops');
      const planned = await run(true, 1);
      expect(lastStepPath()).toEqual({ path: 'plan' });
      expect(relErr(planned, ops)).toBeLessThan(1e-4);
      expect(relErr(planned, x0)).toBeGreaterThan(0.01);

      const counter = new DeviceCounter(planner.backend.device);
      const s = new DreamSession(runner, x, MIXED3);
      s.step().dispose();
      await s.image.data();
      counter.take();
      const before = tf.memory().numTensors;
      const steps = 2;
      s.step().dispose();
      // The plan's pass is timed by its own timestamp queries, where the device has them (tfjs's timer never sees it).
      const gpuMs = await timePlannedSteps(() => s.step().dispose());
      const c = counter.take();
      expect(tf.memory().numTensors).toBe(before);
      if (planner.backend.device.features.has('timestamp-query')) expect(gpuMs).toBeGreaterThan(0);
      else expect(gpuMs).toBe(0);
      await s.image.data();
      s.dispose();
      counter.restore();
      console.log(`per step: ${JSON.stringify(c)} over ${steps} steps`);
      expect(creations(c)).toBe(0);
      expect(c.submit).toBeLessThanOrEqual(steps);
      expect(c.writeBuffer).toBe(steps);
      expect(c.dispatches / steps).toBeLessThanOrEqual(100);
      expect(c.dispatches / steps).toBeGreaterThan(30);
    } finally {
      tf.env().set('DREAMSTREAM_WEBGPU_PLAN', true);
      x.dispose();
    }
  }, 300_000);

  it("a stream frame (the plan's step, then the move, the moments and the colour guard recorded beside it), zoomed and turned: the frames of tfjs ops, nothing made, one writeBuffer and one submit", async () => {
    const x = tf.tensor4d(x0, [1, SIZE, SIZE, 3]);
    const plan = await planner.ready(keyOf(MIXED3));
    const device = planner.backend.device;
    const frames = (s: StreamSession, n: number) => {
      for (let i = 0; i < n; i++) {
        s.step().dispose();
        s.advance();
      }
    };
    // Zoomed (the separable taps, copied in) and turned (16 taps a pixel, bound as the frame mover keeps them).
    for (const motion of [{ zoom: 1.02 }, { zoom: 1.02, rotate: 3 }]) {
      const stream = streamParams({ ...motion, colourGuard: 0.3 });
      const ops = new StreamSession(runner, x, MIXED3, stream);
      const s = new StreamSession(runner, x, MIXED3, stream);
      try {
        tf.env().set('DREAMSTREAM_WEBGPU_PLAN', false);
        frames(ops, 2);
        const opsImage = (await ops.image.data()) as Float32Array;
        tf.env().set('DREAMSTREAM_WEBGPU_PLAN', true);
        // The first frame asks for the tail's kernels (tfjs's run it meanwhile); the second records it.
        frames(s, 1);
        await extensionsSettled();
        frames(s, 1);
        const planned = (await s.image.data()) as Float32Array;
        expect(lastStepPath()).toEqual({ path: 'plan' });
        console.log(`stream frames ${JSON.stringify(motion)}, plan and tail vs tfjs ops: ${relErr(planned, opsImage).toExponential(2)}`);
        expect(relErr(planned, opsImage)).toBeLessThan(1e-4);
        expect(relErr(planned, x0)).toBeGreaterThan(0.01);
        // Two frames with no read between them: the second step submits the first frame's work, the plan's and the
        // tail's together, and the device must find that command buffer valid (it lost tfjs's part once, when
        // tfjs's pass was left open).
        device.pushErrorScope('validation');
        frames(s, 2);
        await s.image.data();
        const invalid = await device.popErrorScope();
        expect(invalid?.message ?? null).toBeNull();

        const counter = new DeviceCounter(device);
        const before = tf.memory().numTensors;
        frames(s, 1);
        await s.image.data();
        const c = counter.take();
        counter.restore();
        console.log(`stream frame ${JSON.stringify(motion)}: ${JSON.stringify(c)}`);
        expect(tf.memory().numTensors).toBe(before);
        // The move, the frame's moments and the colour guard are the tail's kernels (plan/stream-tail.ts), their
        // bind groups made once: 3 dispatches beside the plan's and nothing made (41 bind groups a frame as tfjs
        // ops, 18 with the guard's kernel, 3 with all three as tfjs kernels).
        expect(creations(c)).toBe(0);
        expect(c.dispatches - plan!.dispatches).toBe(3);
        // The step's scalars are the one write (the guard's are written when they change); the read submits it all.
        expect(c.writeBuffer).toBe(1);
        expect(c.submit).toBe(1);
      } finally {
        tf.env().set('DREAMSTREAM_WEBGPU_PLAN', true);
        s.dispose();
        ops.dispose();
      }
    }
    x.dispose();
  }, 300_000);
});
