import * as tf from '@tensorflow/tfjs';
import type { GpuPlan } from './gpu-plan';
import { bufferOf, emptyTensor, openEncoder, runPlanOp, type WebGpuBackendLike } from './tfjs-webgpu';
import type { ModelRunner } from '../model/runner';
import { flushPlan, plannerFor } from './planner';
import { recordStepPath } from './step-path';
import { MAX_PLAN_LAYERS, type PlanKey } from './types';

/**
 * ModelRunner.run through a recorded plan's network (forward, and backward from the caller's gradients) where the
 * backend has plans and one is built for these layers at this size; null otherwise (tfjs ops run it). Its key is
 * the plain DeepDream step's, so a stream and the network share one plan.
 */
export function plannedRun(runner: ModelRunner, x: tf.Tensor4D, outputs: readonly string[]): Record<string, tf.Tensor4D> | null {
  const planner = plannerFor(runner);
  if (!planner || x.shape[0] !== 1) return null;
  const layers = [...new Set(outputs)];
  if (layers.length > MAX_PLAN_LAYERS) return null;
  const key: PlanKey = { layers, channel: -1, objective: 'l2', normalise: 'std', height: x.shape[1], width: x.shape[2] };
  const plan = planner.plan(key);
  if (!plan || !plan.networkReady) {
    recordStepPath({ path: 'ops', reason: plan ? 'layers the network plan cannot return' : (planner.failure(key) ?? 'plan building') });
    return null;
  }
  recordStepPath({ path: 'network' });
  const acts = runNetwork(planner.backend, plan, x);
  const out: Record<string, tf.Tensor4D> = {};
  layers.forEach((l, i) => (out[l] = acts[i]!));
  return out;
}

/**
 * The network's activations at the plan's layers for `x`, as one differentiable op: its gradient is the plan's
 * backward pass, from whatever the caller's objective makes of these activations (style transfer's Gram and
 * content terms, a guide, tiles). Both passes are recorded into tfjs's encoder and go out with its next submit (the
 * ops around them are recorded in order after them). The caller owns the returned tensors (use inside tf.tidy).
 */
export function runNetwork(b: WebGpuBackendLike, plan: GpuPlan, x: tf.Tensor4D): tf.Tensor4D[] {
  const shapes = plan.layerShapes;
  let generation = 0;
  const forward = (input: tf.Tensor4D, outs: tf.Tensor[]) => {
    flushPlan(b, plan);
    plan.writeFrame({ dy: 0, dx: 0, stepSize: 0, weights: [] });
    plan.encodeForward(openEncoder(b), bufferOf(b, input), outs.map((t) => bufferOf(b, t)));
    generation = plan.generation;
  };
  const out = runPlanOp({
    inputs: { x },
    forwardFunc: (_backend, save) => {
      const outs = shapes.map((s) => emptyTensor<tf.Rank.R4>(b, [1, ...s]));
      forward(x, outs);
      save([x]);
      return outs;
    },
    backwardsFunc: (dy, saved) => ({
      x: () => {
        const dys = Array.isArray(dy) ? dy : [dy];
        // Another forward pass of this plan ran in between (its activations are the plan's now): run ours again.
        if (plan.generation !== generation) forward(saved[0] as tf.Tensor4D, []);
        const dx = emptyTensor<tf.Rank.R4>(b, x.shape);
        plan.encodeBackward(openEncoder(b), dys.map((t) => (t ? bufferOf(b, t) : null)), bufferOf(b, dx));
        return dx;
      },
    }),
  });
  return out as tf.Tensor4D[];
}

