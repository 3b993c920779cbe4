import { activeWebGpu } from './tfjs-webgpu';
import { precisionName } from './precision';
import type { HalfPrecision } from './types';

/**
 * Which path the latest optimisation step took: the whole step as a recorded plan, the network as a recorded plan
 * (the objective and update on tfjs ops: guides, Laplacian normalisation), a whole style iteration as a recorded
 * plan, the network with style transfer's loss terms as a recorded plan (the basis, the view and Adam on tfjs ops,
 * and why), or tfjs ops and why.
 */
export interface StepPath {
  path: 'plan' | 'network' | 'style' | 'style-loss' | 'ops';
  reason?: string;
  /** A dream step's f16 plan (precision.ts). */
  precision?: HalfPrecision;
}

let last: StepPath = { path: 'ops', reason: 'no step yet' };

export function recordStepPath(p: StepPath): void {
  last = p;
}

export function lastStepPath(): StepPath {
  return last;
}

/**
 * What the overlay shows: "plan" (or "plan · f16"), "network plan", "style plan", "style loss plan · why", or "ops · why" (a Laplacian
 * normalisation, a guide, a plan still compiling);
 * undefined on a backend without plans, where tfjs ops are simply how it runs.
 */
export function stepPathLabel(): string | undefined {
  if (!activeWebGpu()) return undefined;
  if (last.path === 'plan') return last.precision ? `plan · ${precisionName(last.precision)}` : 'plan';
  if (last.path === 'network') return 'network plan';
  if (last.path === 'style') return 'style plan';
  if (last.path === 'style-loss') return last.reason ? `style loss plan · ${last.reason}` : 'style loss plan';
  return `ops · ${last.reason ?? 'unsupported'}`;
}
