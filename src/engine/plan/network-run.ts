import type * as tf from '@tensorflow/tfjs';
import type { ModelRunner } from '../model/runner';
import { plannerFor } from './planner';
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
  const acts = planner.runNetwork(plan, x, layers);
  const out: Record<string, tf.Tensor4D> = {};
  layers.forEach((l, i) => (out[l] = acts[i]!));
  return out;
}
