/**
 * Picks the working resolution and steps per frame from measured frame times, so a slow machine drops
 * resolution instead of freezing and a fast one spends spare time on more steps. Pure: the worker feeds it
 * timings, tests feed it numbers.
 */
export interface AdaptiveState {
  resolution: number;
  stepsPerFrame: number;
  /** Exponential moving average of ms per frame. */
  frameMs: number;
  /** Frames since the last change; changes wait for the average to settle on the new shapes. */
  sinceChange: number;
}

export interface AdaptiveLimits {
  targetMs: number;
  minResolution: number;
  maxResolution: number;
  maxSteps: number;
  /** Fixed by the user: 0 means adaptive. */
  fixedResolution: number;
  fixedSteps: number;
  /**
   * Resolution granularity. On a GPU every new frame size compiles new shaders (a visible stall), so the GPU
   * ladder is coarse: a handful of sizes, each compiled once; CPU backends have no compile cost and use fine steps.
   */
  step?: number;
}

const SETTLE_FRAMES = 8;
const DEFAULT_STEP = 32;

export function initialAdaptive(limits: AdaptiveLimits, start: number): AdaptiveState {
  return {
    resolution: limits.fixedResolution || clampRes(start, limits),
    stepsPerFrame: limits.fixedSteps || 1,
    frameMs: 0,
    sinceChange: 0,
  };
}

function clampRes(r: number, l: AdaptiveLimits): number {
  const step = l.step ?? DEFAULT_STEP;
  return Math.max(l.minResolution, Math.min(l.maxResolution, Math.round(r / step) * step));
}

export function adapt(s: AdaptiveState, frameMs: number, l: AdaptiveLimits): AdaptiveState {
  const avg = s.frameMs === 0 ? frameMs : s.frameMs * 0.8 + frameMs * 0.2;
  const next: AdaptiveState = {
    resolution: l.fixedResolution || s.resolution,
    stepsPerFrame: l.fixedSteps || s.stepsPerFrame,
    frameMs: avg,
    sinceChange: s.sinceChange + 1,
  };
  if (next.sinceChange < SETTLE_FRAMES) return next;
  const slow = avg > l.targetMs * 1.5;
  const fast = avg < l.targetMs * 0.5;
  if (slow) {
    // Shed steps first (cheap to undo), then pixels.
    if (!l.fixedSteps && next.stepsPerFrame > 1) return { ...next, stepsPerFrame: next.stepsPerFrame - 1, sinceChange: 0, frameMs: 0 };
    if (!l.fixedResolution && next.resolution > l.minResolution) {
      // Cost grows with the pixel count, so scale the side by √(target/actual).
      const r = clampRes(next.resolution * Math.sqrt(l.targetMs / avg), l);
      const smaller = Math.min(r, next.resolution - (l.step ?? DEFAULT_STEP));
      return { ...next, resolution: Math.max(l.minResolution, smaller), sinceChange: 0, frameMs: 0 };
    }
  } else if (fast) {
    if (!l.fixedResolution && next.resolution < l.maxResolution) {
      return { ...next, resolution: clampRes(next.resolution + (l.step ?? DEFAULT_STEP), l), sinceChange: 0, frameMs: 0 };
    }
    if (!l.fixedSteps && next.stepsPerFrame < l.maxSteps) return { ...next, stepsPerFrame: next.stepsPerFrame + 1, sinceChange: 0, frameMs: 0 };
  }
  return next;
}
