import { aboutOf, type ModeName } from '../engine/modes/catalog';
import type { BackendProfile } from '../engine/backend/profile';

/**
 * Picks the working resolution and steps per frame from measured frame times, so a slow machine drops
 * resolution instead of freezing and a fast one spends spare time on more pixels and steps. Pure: the worker
 * feeds it timings, tests feed it numbers.
 *
 * The model: a frame costs about (pixel count) × (steps), i.e. ∝ resolution² × steps. From the robust frame
 * time at the current shape (the median of the last few frames, so one slow frame moves nothing) it predicts
 * the cost of other shapes:
 *  - slow (median over SLOW × target): shed steps first (cheap to undo), then drop to the largest size on the
 *    ladder predicted to fit the target, never below `minResolution` (the per-mode floor, see `modeFloor`):
 *    at the floor it takes fewer frames per second rather than a smaller picture;
 *  - fits with room to spare: climb straight to the largest size (then steps, once at the largest size)
 *    predicted to fit under CLIMB_MARGIN × target;
 *  - otherwise hold (hysteresis: between the target and SLOW × target nothing changes), but after
 *    `probeWait` settled frames probe one notch up. Every upward move is a trial: if its median comes back
 *    over the target it goes back to the shape it came from, the wait before the next probe doubles (up to
 *    PROBE_WAIT_MAX) and predictions stop climbing to that cost until a probe proves it fits. A drop resets
 *    the wait, so after a transient spike the size climbs back within a bounded number of frames.
 */
export interface AdaptiveState {
  resolution: number;
  stepsPerFrame: number;
  /** Robust ms per frame at the current shape: the median of `recent` (0 before any frame). */
  frameMs: number;
  /** Frames since the last change; decisions wait for SETTLE_FRAMES on the new shape. */
  sinceChange: number;
  /** The last few frame times (ms) at the current shape, newest last; emptied on every change. */
  recent: readonly number[];
  /** Frames to hold at the current shape before probing one notch up; doubles after each failed trial. */
  probeWait: number;
  /** The shape an upward move came from, to go back to if the move proves too slow; null when settled. */
  trial: { resolution: number; stepsPerFrame: number } | null;
  /** Work (resolution² × steps) of the cheapest shape found too slow; predictions never climb to it; 0 = none. */
  ceiling: number;
}

export interface AdaptiveLimits {
  targetMs: number;
  /** The floor: the smallest long side that still makes a picture for the current mode (see `modeFloor`). */
  minResolution: number;
  /** The largest long side; if below `minResolution` the floor wins. */
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

/**
 * The floor for `mode` on a backend whose own minimum is `backendMin`: pass it as `limits.minResolution`. Each mode
 * says the smallest long side that still makes a picture (its about's minResolution: style transfer below ~192 px
 * is mush, so it runs at fewer frames per second instead).
 */
export function modeFloor(mode: ModeName, backendMin: number): number {
  return Math.max(backendMin, aboutOf(mode).minResolution);
}

/** The user's fixed values and the mode, as far as the scheduler reads them. */
export interface AdaptiveSettings {
  mode: ModeName;
  /** Fixed long side; 0 = adaptive. */
  resolution: number;
  /** Fixed steps per frame; 0 = adaptive. */
  stepsPerFrame: number;
  /** With an adaptive resolution: smooth (the scheduler picks) or sharp (the stage's size). Absent: smooth. */
  detail?: 'smooth' | 'sharp';
  /** The picture's long side as the stage shows it, device px (display.ts shownLongSide); 0 or absent: unknown. */
  shownSide?: number;
}

/**
 * The long side that dreams at the stage's size: `shown` rounded up to the ladder's step (a GPU compiles shaders per
 * size: a window dragged wider must not compile at every pixel), at most `cap` (the profile's sharp limit); 0 when
 * the stage is not known.
 */
export function stageSide(shown: number, cap: number, step = DEFAULT_STEP): number {
  if (!(shown > 0)) return 0;
  const g = Math.max(1, step);
  return Math.max(1, Math.min(cap, Math.ceil(shown / g - 1e-6) * g));
}

/** The limits for a backend's profile (see currentProfile().adaptive) and the settings, with the mode's floor. */
export function adaptiveLimits(profile: BackendProfile['adaptive'], s: AdaptiveSettings): AdaptiveLimits {
  // Each mode keeps a floor that still makes a picture (style at 96 px is mush): fewer frames, not mush.
  const minResolution = Math.min(profile.maxResolution, modeFloor(s.mode, profile.minResolution));
  // The stage's size: Sharp dreams at it; Smooth may climb to it where the device keeps up (never above the
  // backend's sharp limit). A fixed resolution wins over both.
  const stage = stageSide(s.shownSide ?? 0, profile.sharpMaxResolution ?? profile.maxResolution, profile.step);
  const sharp = !s.resolution && s.detail === 'sharp' && stage > 0 ? Math.max(minResolution, stage) : 0;
  return {
    targetMs: profile.targetMs,
    minResolution,
    maxResolution: Math.max(profile.maxResolution, stage),
    maxSteps: profile.maxSteps,
    ...(profile.step !== undefined ? { step: profile.step } : {}),
    fixedResolution: s.resolution || sharp,
    fixedSteps: s.stepsPerFrame,
  };
}

/** Decisions wait this many frames on a new shape (the first ones can carry a shader compile or warm-up). */
export const SETTLE_FRAMES = 8;
/** Frames in the median: fewer than half of them slow (a spike) moves nothing. */
const WINDOW = 5;
/** Over this × target the current shape is too slow and something is shed. */
const SLOW = 1.25;
/** Predicted moves up must fit under this × target. */
const CLIMB_MARGIN = 0.85;
/** A trial (an upward move) is kept when its median is at most this × target. */
const TRIAL_OK = 1;
/** A trial whose first frames are this slow is abandoned without waiting for the full settle window. */
const TRIAL_ABORT = SLOW;
const TRIAL_ABORT_FRAMES = 3;
export const PROBE_WAIT_MIN = 32;
export const PROBE_WAIT_MAX = 512;
const DEFAULT_STEP = 32;

/** The sizes the resolution may take, ascending: the floor, the multiples of `step` above it, the maximum. */
export function resolutionLadder(l: AdaptiveLimits): number[] {
  const step = Math.max(1, l.step ?? DEFAULT_STEP);
  const lo = l.minResolution;
  const hi = Math.max(lo, l.maxResolution);
  const out = [lo];
  for (let r = (Math.floor(lo / step) + 1) * step; r < hi; r += step) out.push(r);
  if (hi > lo) out.push(hi);
  return out;
}

/** The ladder size nearest to `r` (ties go down). */
function snap(r: number, ladder: readonly number[]): number {
  let best = ladder[0]!;
  for (const x of ladder) if (Math.abs(x - r) < Math.abs(best - r)) best = x;
  return best;
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const work = (resolution: number, steps: number) => resolution * resolution * steps;

function clampSteps(n: number, l: AdaptiveLimits): number {
  return Math.max(1, Math.min(Math.max(1, l.maxSteps), n));
}

export function initialAdaptive(limits: AdaptiveLimits, start: number): AdaptiveState {
  return {
    resolution: limits.fixedResolution || snap(start, resolutionLadder(limits)),
    stepsPerFrame: limits.fixedSteps || 1,
    frameMs: 0,
    sinceChange: 0,
    recent: [],
    probeWait: PROBE_WAIT_MIN,
    trial: null,
    ceiling: 0,
  };
}

/** The state after moving to a new shape: a fresh window at the new shape. */
function moved(s: AdaptiveState, resolution: number, stepsPerFrame: number, patch: Partial<AdaptiveState> = {}): AdaptiveState {
  return { ...s, resolution, stepsPerFrame, frameMs: 0, sinceChange: 0, recent: [], ...patch };
}

/** Call once per finished frame with its duration; returns the shape for the next frames. */
export function adapt(prev: AdaptiveState, frameMs: number, l: AdaptiveLimits): AdaptiveState {
  const ladder = resolutionLadder(l);
  const resolution = l.fixedResolution || snap(prev.resolution, ladder);
  const steps = l.fixedSteps || clampSteps(prev.stepsPerFrame, l);
  const probeWait = Math.max(SETTLE_FRAMES, Math.min(PROBE_WAIT_MAX, prev.probeWait || PROBE_WAIT_MIN));
  // The limits changed under the current shape (a new mode's floor, the user fixing or freeing a value): take the
  // new shape and start measuring it; this frame was measured at the old one.
  if (resolution !== prev.resolution || steps !== prev.stepsPerFrame) {
    return moved({ ...prev, probeWait, ceiling: 0 }, resolution, steps, { trial: null });
  }

  const recent = [...(prev.recent ?? []), frameMs].slice(-WINDOW);
  const m = median(recent);
  const s: AdaptiveState = { ...prev, probeWait, frameMs: m, sinceChange: prev.sinceChange + 1, recent };
  const target = l.targetMs;
  const canRes = !l.fixedResolution;
  const canSteps = !l.fixedSteps;
  const maxSteps = Math.max(1, l.maxSteps);

  // An upward move on trial: go back if it proves too slow (early when clearly so), keep it once it fits.
  if (s.trial) {
    const abort = s.sinceChange >= TRIAL_ABORT_FRAMES && m > target * TRIAL_ABORT;
    if (abort || (s.sinceChange >= SETTLE_FRAMES && m > target * TRIAL_OK)) {
      const back = s.trial;
      return moved(s, back.resolution, back.stepsPerFrame, {
        trial: null,
        probeWait: Math.min(PROBE_WAIT_MAX, probeWait * 2),
        ceiling: s.ceiling ? Math.min(s.ceiling, work(resolution, steps)) : work(resolution, steps),
      });
    }
    if (s.sinceChange < SETTLE_FRAMES) return s;
    const w = work(resolution, steps);
    return { ...s, trial: null, ceiling: s.ceiling && w >= s.ceiling ? 0 : s.ceiling };
  }
  if (s.sinceChange < SETTLE_FRAMES) return s;

  if (m > target * SLOW) {
    // Shed steps first (cheap to undo): to the count predicted to fit, at least one fewer.
    if (canSteps && steps > 1) {
      const fit = Math.max(1, Math.min(steps - 1, Math.floor((steps * target) / m)));
      return moved(s, resolution, fit, { probeWait: PROBE_WAIT_MIN });
    }
    // Then pixels: the largest size predicted to fit, at least one notch down, never below the floor.
    const i = ladder.indexOf(resolution);
    if (canRes && i > 0) {
      let j = i - 1;
      while (j > 0 && m * (ladder[j]! / resolution) ** 2 > target) j--;
      return moved(s, ladder[j]!, steps, { probeWait: PROBE_WAIT_MIN });
    }
    return s; // At the floor with one step: fewer frames per second rather than mush.
  }

  const fitsBelowCeiling = (r: number, n: number) => !s.ceiling || work(r, n) < s.ceiling;
  const trial = { resolution, stepsPerFrame: steps };
  const top = ladder[ladder.length - 1]!;
  if (canRes && resolution < top) {
    // Climb by prediction: the largest size that fits with a margin (and is below any size found too slow).
    let best = resolution;
    for (const r of ladder) {
      if (r > resolution && m * (r / resolution) ** 2 <= target * CLIMB_MARGIN && fitsBelowCeiling(r, steps)) best = r;
    }
    if (best > resolution) return moved(s, best, steps, { trial });
    // Probe one notch up after holding long enough: the prediction can be pessimistic (fixed per-frame costs),
    // and a size dropped during a spike must come back.
    if (s.sinceChange >= probeWait) return moved(s, ladder[ladder.indexOf(resolution) + 1]!, steps, { trial });
    return s;
  }
  if (canSteps && steps < maxSteps && (!canRes || resolution >= top)) {
    let best = steps;
    for (let n = steps + 1; n <= maxSteps; n++) {
      if ((m * n) / steps <= target * CLIMB_MARGIN && fitsBelowCeiling(resolution, n)) best = n;
    }
    if (best > steps) return moved(s, resolution, best, { trial });
    if (s.sinceChange >= probeWait) return moved(s, resolution, steps + 1, { trial });
  }
  return s;
}
