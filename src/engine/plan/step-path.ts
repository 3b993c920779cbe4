import { activeWebGpu } from './tfjs-webgpu';

/**
 * Which path the latest optimisation step took: the whole step as a recorded plan, the network as a recorded plan
 * (the objective and update on tfjs ops: guides, Laplacian normalisation), the network with style transfer's loss
 * terms as a recorded plan (the basis, the view and Adam on tfjs ops), or tfjs ops and why.
 */
export interface StepPath {
  path: 'plan' | 'network' | 'style' | 'ops';
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
 * What the overlay shows: "plan", "network plan", "style plan", or "ops · why" (a Laplacian normalisation, a guide, a plan still compiling);
 * undefined on a backend without plans, where tfjs ops are simply how it runs.
 */
export function stepPathLabel(): string | undefined {
  if (!activeWebGpu()) return undefined;
  if (last.path === 'plan') return 'plan';
  if (last.path === 'network') return 'network plan';
  if (last.path === 'style') return 'style plan';
  return `ops · ${last.reason ?? 'unsupported'}`;
}
