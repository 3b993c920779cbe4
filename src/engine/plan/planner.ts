import * as tf from '@tensorflow/tfjs';
import type { ModelRunner } from '../model/runner';
import type { GraphNode } from '../model/types';
import { GpuPlan } from './gpu-plan';
import { planGraph, PlanUnsupported } from './graph';
import { activeWebGpu, bufferOf, emptyTensor, openEncoder, submitIfPending, submitPending, type WebGpuBackendLike } from './tfjs-webgpu';
import { planKeyString, type FrameScalars, type HalfPrecision, type PlanKey } from './types';
import { WeightStore } from './weights';
import { planPrecision } from './precision';
import { WORKGROUPS_WANTED } from './wgsl/gemm';

/** Asks for a key before its plan is built (see DreamPlanner.plan). */
export const ASKS_BEFORE_BUILD = 3;

/** GPU memory the cached plans of one model may hold; the least recently used go first. */
export const PLAN_CACHE_BYTES = 2 * 2 ** 30;

interface Entry {
  plan: GpuPlan | null;
  building: Promise<GpuPlan | null> | null;
  failed?: string;
  used: number;
}

/**
 * Plans of one model on one WebGPU device, per key, built in the background once a key is asked for again and again
 * (the step keeps to tfjs ops meanwhile) and kept within PLAN_CACHE_BYTES. A new device (the old one lost) starts
 * over.
 */
export class DreamPlanner {
  private readonly entries = new Map<string, Entry>();
  private readonly asks = new Map<string, number>();
  private readonly weights: WeightStore;
  private readonly nodes = new Map<string, GraphNode>();
  private clock = 0;
  private disposed = false;

  constructor(
    private readonly runner: ModelRunner,
    readonly backend: WebGpuBackendLike,
  ) {
    this.weights = new WeightStore(backend);
  }

  /**
   * What of a dream step's plan is f16 on this device (precision.ts), or undefined for f32: f16 needs shader-f16
   * (tfjs's device asks for it: askForShaderF16) and DREAMSTREAM_PLAN_F16 on.
   */
  get precision(): HalfPrecision | undefined {
    return planPrecision(this.backend.device.features, tf.env().getBool('DREAMSTREAM_PLAN_F16'), tf.env().getBool('DREAMSTREAM_PLAN_F16_PRODUCTS'));
  }

  /**
   * The plan for `key` if it is built; otherwise null, and from the ASKS_BEFORE_BUILD-th ask on it is being built: a
   * loop asks every frame, while a one-off pass (a painting's Gram matrices, a guide's features) would only cost a
   * compile and GPU memory.
   */
  plan(key: PlanKey): GpuPlan | null {
    const id = planKeyString(key);
    if (!this.entries.has(id)) {
      if (this.asks.size > 256) this.asks.clear();
      const n = (this.asks.get(id) ?? 0) + 1;
      this.asks.set(id, n);
      if (n < ASKS_BEFORE_BUILD) return null;
      this.asks.delete(id);
    }
    const e = this.entry(key);
    e.used = ++this.clock;
    return e.plan;
  }

  /** Why `key` has no plan, once its build failed. */
  failure(key: PlanKey): string | undefined {
    return this.entries.get(planKeyString(key))?.failed;
  }

  /** Once every plan being built now is built (or has failed). */
  async settled(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.building));
  }

  /** The plan for `key` once built (null where it cannot be). */
  ready(key: PlanKey): Promise<GpuPlan | null> {
    const e = this.entry(key);
    return e.building ?? Promise.resolve(e.plan);
  }

  private entry(key: PlanKey): Entry {
    const id = planKeyString(key);
    let e = this.entries.get(id);
    if (e) return e;
    e = { plan: null, building: null, used: ++this.clock };
    this.entries.set(id, e);
    const entry = e;
    entry.building = this.build(key).then(
      (plan) => {
        entry.building = null;
        if (this.disposed || this.entries.get(id) !== entry) {
          plan.destroy();
          return null;
        }
        entry.plan = plan;
        this.evict();
        return plan;
      },
      (err: unknown) => {
        entry.building = null;
        entry.failed = err instanceof PlanUnsupported ? err.message : `plan build failed: ${(err as Error).message}`;
        if (!(err instanceof PlanUnsupported)) console.warn(`dreamstream: ${entry.failed}`);
        return null;
      },
    );
    return entry;
  }

  private async build(key: PlanKey): Promise<GpuPlan> {
    const { nodes, targets } = this.runner.graph(key.layers);
    for (const n of nodes) this.nodes.set(n.name, n);
    const graph = planGraph(nodes, targets, key.height, key.width);
    const weights = graph.weights.map((s) => this.weights.get(s, this.nodes, !!key.precision));
    return GpuPlan.build(this.backend.device, graph, key, weights, tf.env().getNumber('DREAMSTREAM_PLAN_WORKGROUPS'));
  }

  private evict(): void {
    const live = [...this.entries.entries()].filter(([, e]) => e.plan);
    let bytes = live.reduce((s, [, e]) => s + e.plan!.bytes, 0);
    live.sort((a, b) => a[1].used - b[1].used);
    for (const [id, e] of live) {
      if (bytes <= PLAN_CACHE_BYTES || live.length <= 1) break;
      bytes -= e.plan!.bytes;
      flushPlan(this.backend, e.plan!);
      e.plan!.destroy();
      this.entries.delete(id);
    }
  }

  /**
   * One recorded step on `image`: the frame's scalars written, the step recorded into tfjs's encoder after its
   * pending work. It is not submitted here: the frame's other work (the zoom, the colour guard) joins it, and the
   * frame's read, or the next step's scalars (flushPlan), submits it, one submit a frame. A timed step is submitted
   * at once: its timestamps are read back. The caller owns the returned tensors.
   */
  step(plan: GpuPlan, image: tf.Tensor4D, frame: FrameScalars): { image: tf.Tensor4D; loss: tf.Scalar } {
    const b = this.backend;
    const out = emptyTensor<tf.Rank.R4>(b, image.shape);
    const loss = emptyTensor<tf.Rank.R0>(b, []);
    const src = bufferOf(b, image);
    const timed = timingWanted;
    flushPlan(b, plan);
    plan.writeFrame(frame);
    plan.encode(openEncoder(b), src, bufferOf(b, out), bufferOf(b, loss), timed);
    if (timed) {
      submitPending(b);
      timingWanted = false;
      timedPass = plan.passMs();
    }
    return { image: out, loss };
  }

  /** The input gradient of the latest step `plan` ran, [1,h,w,3] at the rolled picture (unscaled: precision.ts). */
  gradient(plan: GpuPlan, shape: [number, number, number, number]): tf.Tensor4D {
    const g = emptyTensor<tf.Rank.R4>(this.backend, shape);
    plan.copyGradient(openEncoder(this.backend), bufferOf(this.backend, g));
    submitPending(this.backend);
    if (plan.gradientScale === 1) return g;
    const unscaled = tf.div(g, plan.gradientScale) as tf.Tensor4D;
    g.dispose();
    return unscaled;
  }

  dispose(): void {
    this.disposed = true;
    for (const e of this.entries.values()) {
      if (!e.plan) continue;
      flushPlan(this.backend, e.plan);
      e.plan.destroy();
    }
    this.entries.clear();
    this.weights.destroy();
  }
}

let timingWanted = false;
let timedPass: Promise<number | null> | null = null;

/**
 * Device time of the plan steps run inside `work`: the plan's pass is timed by its own timestamp queries (tfjs's
 * kernel timer never sees it). Resolves to 0 when no planned step ran.
 */
export function timePlannedSteps(work: () => void): Promise<number> {
  timingWanted = true;
  timedPass = null;
  try {
    work();
  } finally {
    timingWanted = false;
  }
  const pass = timedPass as Promise<number | null> | null;
  return pass ? pass.then((ms) => ms ?? 0) : Promise.resolve(0);
}

/**
 * Submits tfjs's encoder if it still holds commands `plan` recorded: they read the plan's frame scalars and
 * buffers, so this comes before the scalars are written again (queue.writeBuffer reaches the queue ahead of commands
 * not yet submitted) and before the plan is destroyed.
 */
export function flushPlan(b: WebGpuBackendLike, plan: GpuPlan): void {
  submitIfPending(b, plan.lastEncoder);
}

const planners = new WeakMap<ModelRunner, DreamPlanner>();

/**
 * The planner of `runner` on the active backend, where that backend can run recorded plans (WebGPU) and the flag
 * DREAMSTREAM_WEBGPU_PLAN is on; null elsewhere (the step takes tfjs ops, as it always has on wasm and cpu).
 */
export function plannerFor(runner: ModelRunner): DreamPlanner | null {
  if (!tf.env().getBool('DREAMSTREAM_WEBGPU_PLAN')) return null;
  const backend = activeWebGpu();
  if (!backend) return null;
  let p = planners.get(runner);
  if (p && p.backend.device !== backend.device) {
    p.dispose();
    p = undefined;
  }
  if (!p) {
    p = new DreamPlanner(runner, backend);
    planners.set(runner, p);
    batchFrameWork();
  }
  return p;
}

/**
 * tfjs submits its encoder after every 15 of its dispatches (WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE). Beside a plan a
 * frame holds fewer than 64 of them (a style iteration's basis, view and Adam: 32), so at 64 the frame's read is
 * its one submit: 3 submits a style iteration became 1. Each submit costs host time; the work waits no longer,
 * since the frame is read before it is shown. A larger value someone set stays.
 */
const FRAME_SUBMIT_BATCH = 64;
function batchFrameWork(): void {
  const flag = 'WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE';
  if (tf.env().getNumber(flag) < FRAME_SUBMIT_BATCH) tf.env().set(flag, FRAME_SUBMIT_BATCH);
}

/** Frees the plans of `runner` (its GPU buffers); the next step on WebGPU builds them again. */
export function disposePlanner(runner: ModelRunner): void {
  planners.get(runner)?.dispose();
  planners.delete(runner);
}

tf.env().registerFlag('DREAMSTREAM_WEBGPU_PLAN', () => true);
/** A dream step's plan stores f16 where the device has shader-f16 (precision.ts); off: f32 everywhere. */
tf.env().registerFlag('DREAMSTREAM_PLAN_F16', () => true);
/** An f16 plan's convolutions take their products in f16 (precision.ts); off: f16 storage with f32 products. */
tf.env().registerFlag('DREAMSTREAM_PLAN_F16_PRODUCTS', () => true);
/** Workgroups a plan's convolution tile should leave; fewer pick larger tiles (1: the largest everywhere). */
tf.env().registerFlag('DREAMSTREAM_PLAN_WORKGROUPS', () => WORKGROUPS_WANTED);
