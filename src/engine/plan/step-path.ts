import { activeWebGpu } from './tfjs-webgpu';

/** Which path the latest optimisation step took: the recorded plan, or tfjs ops and why. */
export interface StepPath {
  path: 'plan' | 'ops';
  reason?: string;
}

let last: StepPath = { path: 'ops', reason: 'no step yet' };

export function recordStepPath(p: StepPath): void {
  last = p;
}

export function lastStepPath(): StepPath {
  return last;
}

/**
 * What the overlay shows: "plan", or "ops · why" (a Laplacian normalisation, a guide, a plan still compiling);
 * undefined on a backend without plans, where tfjs ops are simply how it runs.
 */
export function stepPathLabel(): string | undefined {
  if (!activeWebGpu()) return undefined;
  return last.path === 'plan' ? 'plan' : `ops · ${last.reason ?? 'unsupported'}`;
}
