import type * as tf from '@tensorflow/tfjs';
import type { ModelRunner } from '../model/runner';
import { MIN_INPUT_SIZE } from '../model/runner';
import type { GuideFeatures } from '../objectives/dream';
import type { DreamParams } from '../params/dream';
import { plannerFor, type DreamPlanner } from './planner';
import { recordStepPath } from './step-path';
import { MAX_PLAN_LAYERS, type PlanKey } from './types';

/** The plan key for these parameters at this size, or why they need tfjs ops. */
export function planKeyFor(p: DreamParams, height: number, width: number, guide?: GuideFeatures): PlanKey | string {
  if (guide && p.guideWeight > 0) return 'a guide image';
  if (p.normalise === 'laplacian') return 'Laplacian normalisation';
  if (p.layers.length > MAX_PLAN_LAYERS) return 'too many layers';
  if (height < MIN_INPUT_SIZE || width < MIN_INPUT_SIZE) return 'picture below the model minimum';
  return { layers: p.layers.map((l) => l.name), channel: p.channel, objective: p.objective, normalise: p.normalise, height, width };
}

/**
 * The key a dream step's plan has on `planner`'s device: planKeyFor's, in f16 where the planner's plans are
 * (precision.ts); or why the step needs tfjs ops. Where the f16 plan for these parameters failed to build (a
 * driver's f16 compiler is the least tried part of a device), the step takes the f32 plan, not tfjs ops.
 */
export function dreamPlanKey(planner: Pick<DreamPlanner, 'precision' | 'failure'>, p: DreamParams, height: number, width: number, guide?: GuideFeatures): PlanKey | string {
  const key = planKeyFor(p, height, width, guide);
  const precision = planner.precision;
  if (typeof key === 'string' || !precision) return key;
  const half = { ...key, precision };
  return planner.failure(half) ? key : half;
}

/**
 * A DeepDream step through the recorded WebGPU plan, when the backend has plans and these parameters fit one and it
 * is built; null otherwise, and the caller takes tfjs ops. Same jitter, objective, normalisation and clipping.
 */
export function plannedDreamStep(
  runner: ModelRunner,
  image: tf.Tensor4D,
  p: DreamParams,
  dy: number,
  dx: number,
  guide?: GuideFeatures,
): { image: tf.Tensor4D; loss: tf.Scalar } | null {
  const planner = plannerFor(runner);
  if (!planner) {
    recordStepPath({ path: 'ops', reason: 'plans off' });
    return null;
  }
  const key = dreamPlanKey(planner, p, image.shape[1], image.shape[2], guide);
  if (typeof key === 'string') {
    recordStepPath({ path: 'ops', reason: key });
    return null;
  }
  const plan = planner.plan(key);
  if (!plan) {
    recordStepPath({ path: 'ops', reason: planner.failure(key) ?? 'plan building' });
    return null;
  }
  recordStepPath({ path: 'plan', ...(key.precision ? { precision: key.precision } : {}) });
  return planner.step(plan, image, { dy, dx, stepSize: p.stepSize, weights: p.layers.map((l) => l.weight) });
}
