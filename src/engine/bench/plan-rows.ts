import * as tf from '@tensorflow/tfjs';
import type { ModelRunner } from '../model/runner';
import { dreamPlanKey } from '../plan/dream-plan-step';
import type { GpuPlan } from '../plan/gpu-plan';
import { creations, DeviceCounter } from '../plan/device-counts';
import { ASKS_BEFORE_BUILD, plannerFor } from '../plan/planner';
import { precisionName } from '../plan/precision';
import type { DreamParams } from '../params/dream';
import { DreamSession } from '../sessions/dream-session';
import type { Session } from '../sessions/session';
import { StyleSession } from '../sessions/style-session';
import { StreamSession } from '../sessions/stream-session';
import type { StreamParams } from '../params/stream';
import { styleParams } from '../params/style';
import { extensionsSettled } from '../plan/extension-cache';
import { lastStepPath } from '../plan/step-path';

/** What a recorded plan costs per step, counted on the device: the figures a GPU-less machine can prove. */
export interface PlanFigures {
  bench: string;
  backend: string;
  size: number;
  build_ms: number;
  /** JavaScript time to record and submit one step, not waiting for the GPU. */
  host_ms: number;
  /** Finished steps per second with `batch` steps in flight (awaited once per batch). */
  steps_per_s: number;
  dispatches: number;
  creations: number;
  submits: number;
  write_buffers: number;
  plan_mib: number;
}

/**
 * Builds the plan for `p` at size², then runs `batch` steps back to back `runs` times: host time per step while
 * recording, steps/s once the last step's picture is read back, and the device's counts per step.
 */
export async function planFigures(runner: ModelRunner, x: tf.Tensor4D, p: DreamParams, runs: number, batch: number): Promise<PlanFigures | string> {
  const built = await dreamPlan(runner, x, p);
  if (typeof built === 'string') return built;
  const label = `dream step, recorded plan (${p.layers.map((l) => l.name).join('+')}${storageNote(built.plan)}), ${batch} in flight`;
  return sessionFigures(label, built.device, () => new DreamSession(runner, x, p), runs, batch, performance.now() - built.t0, built.plan.bytes);
}

/** What a row's label says of the plan's precision: nothing for f32, ", f16" or ", f16 storage" (plan/precision.ts). */
const storageNote = (plan: GpuPlan): string => (plan.precision === 'f32' ? '' : `, ${precisionName(plan.precision)}`);

/** The dream plan for `p` at `x`'s size, built (from `t0` on), or why there is none. */
async function dreamPlan(runner: ModelRunner, x: tf.Tensor4D, p: DreamParams): Promise<{ plan: GpuPlan; device: GPUDevice; t0: number } | string> {
  const planner = plannerFor(runner);
  if (!planner) return 'the backend has no recorded plans';
  const [, h, w] = x.shape;
  const key = dreamPlanKey(planner, p, h, w);
  if (typeof key === 'string') return key;
  const t0 = performance.now();
  const plan = await planner.ready(key);
  if (!plan) return planner.failure(key) ?? 'no plan';
  return { plan, device: planner.backend.device, t0 };
}

/**
 * A style iteration recorded whole on the plan (the network, the loss, the basis, the view and Adam): warmed until
 * its plan, then its loss's kernels, then its basis's are built (each is asked for once the one before is there),
 * then counted and timed as planFigures does.
 */
export async function styleFigures(runner: ModelRunner, content: tf.Tensor4D, style: tf.Tensor4D, runs: number, batch: number): Promise<PlanFigures | string> {
  const planner = plannerFor(runner);
  if (!planner) return 'the backend has no recorded plans';
  const make = () => new StyleSession(runner, content, style, styleParams({}));
  const t0 = performance.now();
  const warm = make();
  for (let i = 0; i < ASKS_BEFORE_BUILD; i++) warm.step().dispose();
  await planner.settled();
  // The loss's kernels are built from the first iteration that finds the plan, the basis's from the first that
  // finds them.
  for (let i = 0; i < 2; i++) {
    warm.step().dispose();
    await extensionsSettled();
  }
  warm.step().dispose();
  await warm.image.data();
  warm.dispose();
  const build = performance.now() - t0;
  return sessionFigures(`style iteration, recorded plan (${lastStepPath().path === 'style' ? 'whole' : lastStepPath().path}), ${batch} in flight`, planner.backend.device, make, runs, batch, build, 0);
}

/**
 * A stream frame (the planned step, then the tail: the move, the moments and the colour guard, plan/stream-tail.ts),
 * warmed until the plan and the tail are built, then counted and timed as planFigures does.
 */
export async function streamFrameFigures(runner: ModelRunner, x: tf.Tensor4D, p: DreamParams, stream: StreamParams, runs: number, batch: number): Promise<PlanFigures | string> {
  const built = await dreamPlan(runner, x, p);
  if (typeof built === 'string') return built;
  // One frame a step: the step, then the feedback transform and the guard.
  const make = (): Session => {
    const s = new StreamSession(runner, x, p, stream);
    return {
      lossNames: s.lossNames,
      get iteration() {
        return s.iteration;
      },
      get image() {
        return s.image;
      },
      step: () => {
        const loss = s.step();
        s.advance();
        return loss;
      },
      display: () => s.display(),
      dispose: () => s.dispose(),
    };
  };
  // The warmed session is the one measured: its tail is built (a session builds its own on its first frame).
  let warm: Session | null = make();
  warm.step().dispose();
  await extensionsSettled();
  warm.step().dispose();
  await warm.image.data();
  const label = `stream frame, recorded plan and tail (zoom ${stream.zoom}, rotate ${stream.rotate}, guard ${stream.colourGuard}${storageNote(built.plan)}), ${batch} in flight`;
  const build = performance.now() - built.t0;
  const first = (): Session => {
    const s = warm ?? make();
    warm = null;
    return s;
  };
  return sessionFigures(label, built.device, first, runs, batch, build, built.plan.bytes);
}

async function sessionFigures(bench: string, device: GPUDevice, make: () => Session & { readonly done?: boolean }, runs: number, batch: number, build: number, bytes: number): Promise<PlanFigures> {
  const counter = new DeviceCounter(device);
  let s = make();
  const step = () => {
    if (s.done) {
      s.dispose();
      s = make();
    }
    s.step().dispose();
  };
  try {
    for (let i = 0; i < 3; i++) step();
    await s.image.data();
    counter.take();
    let host = Infinity;
    let best = Infinity;
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      for (let i = 0; i < batch; i++) step();
      const recorded = performance.now();
      await s.image.data();
      host = Math.min(host, (recorded - t) / batch);
      best = Math.min(best, (performance.now() - t) / batch);
    }
    const c = counter.take();
    const n = runs * batch;
    const [, h] = s.image.shape;
    return {
      bench,
      backend: tf.getBackend(),
      size: h,
      build_ms: +build.toFixed(0),
      host_ms: +host.toFixed(3),
      steps_per_s: +(1000 / best).toFixed(1),
      dispatches: +(c.dispatches / n).toFixed(1),
      creations: +(creations(c) / n).toFixed(2),
      submits: +(c.submit / n).toFixed(2),
      write_buffers: +(c.writeBuffer / n).toFixed(2),
      plan_mib: +(bytes / 2 ** 20).toFixed(1),
    };
  } finally {
    counter.restore();
    s.dispose();
  }
}
