import { describe, expect, it } from 'vitest';
import { profileOf } from '../../src/engine/backend/profile';
import {
  adapt,
  adaptiveLimits,
  initialAdaptive,
  modeFloor,
  PROBE_WAIT_MAX,
  resolutionLadder,
  SETTLE_FRAMES,
  type AdaptiveLimits,
  type AdaptiveState,
} from '../../src/workers/adaptive';

const limits: AdaptiveLimits = { targetMs: 100, minResolution: 96, maxResolution: 512, maxSteps: 4, fixedResolution: 0, fixedSteps: 0 };

type Cost = (res: number, steps: number, frame: number) => number;

function feed(state: AdaptiveState, ms: Cost, frames: number, l = limits) {
  for (let i = 0; i < frames; i++) state = adapt(state, ms(state.resolution, state.stepsPerFrame, i), l);
  return state;
}

/** Runs `frames` frames and records the shape after each. */
function trace(state: AdaptiveState, ms: Cost, frames: number, l = limits) {
  const res: number[] = [];
  const steps: number[] = [];
  for (let i = 0; i < frames; i++) {
    state = adapt(state, ms(state.resolution, state.stepsPerFrame, i), l);
    res.push(state.resolution);
    steps.push(state.stepsPerFrame);
  }
  const changes = res.filter((r, i) => i > 0 && (r !== res[i - 1] || steps[i] !== steps[i - 1])).length;
  return { state, res, steps, changes };
}

/** A machine whose frame costs k·r² per step, `atTarget` being the size that costs exactly the target. */
const quadratic = (l: AdaptiveLimits, atTarget: number) => (res: number, steps: number) => steps * l.targetMs * (res / atTarget) ** 2;

/** The largest ladder size (at one step) whose cost is within the target. */
function bestFit(l: AdaptiveLimits, cost: (r: number, s: number) => number) {
  return Math.max(...resolutionLadder(l).filter((r) => cost(r, 1) <= l.targetMs), l.minResolution);
}

describe('adaptive resolution and steps', () => {
  it('a slow machine sheds steps, then resolution down to the minimum', () => {
    const s = feed({ ...initialAdaptive(limits, 384), stepsPerFrame: 3 }, () => 1000, 200);
    expect(s.resolution).toBe(96);
    expect(s.stepsPerFrame).toBe(1);
  });

  it('sheds steps before any pixels', () => {
    const t = trace({ ...initialAdaptive(limits, 384), stepsPerFrame: 4 }, (r, n) => n * 60 * (r / 384) ** 2, 60);
    const firstResDrop = t.res.findIndex((r) => r < 384);
    const firstStepDrop = t.steps.findIndex((n) => n < 4);
    expect(firstStepDrop).toBeGreaterThanOrEqual(0);
    expect(firstResDrop === -1 || firstResDrop > firstStepDrop).toBe(true);
    // 60 ms a step at 384: one step fits, so no pixels had to go.
    expect(t.res.every((r) => r >= 384)).toBe(true);
    expect(t.state.stepsPerFrame).toBe(1);
  });

  it('a fast machine climbs to the maximum resolution, then adds steps', () => {
    const s = feed(initialAdaptive(limits, 128), () => 5, 400);
    expect(s.resolution).toBe(512);
    expect(s.stepsPerFrame).toBe(4);
  });

  it('climbs when the next size is predicted to fit, not only when a frame takes under half the target', () => {
    // 75 ms at 224 px: 256 px is predicted at 98 ms — under the target, far over half of it.
    const cpu: AdaptiveLimits = { ...limits, targetMs: 400, maxResolution: 384 };
    const cost = quadratic(cpu, 258);
    const t = trace(initialAdaptive(cpu, 224), cost, 200, cpu);
    expect(t.state.resolution).toBe(256);
    expect(t.res.every((r) => r >= 224)).toBe(true);
  });

  it('settles near the target when cost follows the pixel count', () => {
    // 100 ms at 256 px and one step: a machine that is just right there.
    const cost = quadratic(limits, 256);
    const s = feed(initialAdaptive(limits, 512), cost, 400);
    expect(cost(s.resolution, s.stepsPerFrame)).toBeLessThanOrEqual(100);
    expect(cost(s.resolution, s.stepsPerFrame)).toBeGreaterThan(50);
  });

  it('values the user fixed are never changed', () => {
    const fixed = { ...limits, fixedResolution: 320, fixedSteps: 2 };
    for (const ms of [5000, 1]) {
      const t = trace(initialAdaptive(fixed, 128), () => ms, 300, fixed);
      expect(t.res.every((r) => r === 320)).toBe(true);
      expect(t.steps.every((n) => n === 2)).toBe(true);
    }
  });

  it('a fixed resolution still adapts the steps, and fixed steps still adapt the resolution', () => {
    const res = { ...limits, fixedResolution: 320 };
    const a = feed(initialAdaptive(res, 128), () => 5, 200, res);
    expect(a.resolution).toBe(320);
    expect(a.stepsPerFrame).toBe(4);
    const steps = { ...limits, fixedSteps: 3 };
    const b = trace(initialAdaptive(steps, 512), () => 5000, 200, steps);
    expect(b.steps.every((n) => n === 3)).toBe(true);
    expect(b.state.resolution).toBe(96);
  });

  it('clamps to the limits', () => {
    const t = trace(initialAdaptive(limits, 4000), () => 1, 300);
    expect(t.res.every((r) => r >= 96 && r <= 512)).toBe(true);
    expect(t.steps.every((n) => n >= 1 && n <= 4)).toBe(true);
    expect(initialAdaptive(limits, 10).resolution).toBe(96);
    expect(initialAdaptive(limits, 4000).resolution).toBe(512);
  });
});

describe('spikes and hysteresis', () => {
  const cost = quadratic(limits, 256);

  it('a single slow frame (or two) changes nothing', () => {
    const settled = feed(initialAdaptive(limits, 256), cost, 20);
    expect(settled.resolution).toBe(256);
    for (const slow of [1, 2]) {
      // Slow frames at the start, in the middle of the window, and spread out.
      for (const at of [[0, 1], [10, 11], [3, 9]]) {
        const t = trace(settled, (r, n, i) => (at.slice(0, slow).includes(i) ? 20 * cost(r, n) : cost(r, n)), 40);
        expect(Math.min(...t.res)).toBe(256);
        expect(t.state.resolution).toBe(256);
      }
    }
  });

  it('after a spike of slow frames the size comes back within a bounded number of frames', () => {
    const settled = feed(initialAdaptive(limits, 512), cost, 300);
    const before = settled.resolution;
    expect(before).toBe(256);
    const spike = 8;
    const t = trace(settled, (r, n, i) => (i < spike ? 10 * cost(r, n) : cost(r, n)), 200);
    // The spike did drop it (it lasted longer than the median window)...
    expect(Math.min(...t.res)).toBeLessThan(before);
    // ...and it climbed back soon after, and stayed.
    const back = t.res.findIndex((r, i) => i >= spike && r === before);
    expect(back).toBeGreaterThan(0);
    expect(back).toBeLessThan(spike + 80);
    expect(t.state.resolution).toBe(before);
  });

  it('comes back after a spike even when per-frame overhead makes the prediction pessimistic', () => {
    // 30 ms fixed + 70 ms of pixels at 256: from small sizes the r² model overestimates the cost above.
    const overhead = (r: number, n: number) => n * (30 + 70 * (r / 256) ** 2);
    const settled = feed(initialAdaptive(limits, 256), overhead, 300);
    expect(settled.resolution).toBe(256);
    const t = trace(settled, (r, n, i) => (i < 10 ? 20 * overhead(r, n) : overhead(r, n)), 400);
    expect(Math.min(...t.res)).toBeLessThan(256);
    expect(t.state.resolution).toBe(256);
    expect(t.res.findIndex((r, i) => i > 10 && r === 256)).toBeLessThan(250);
  });

  it('never leaves the size collapsed for good: probes climb back where the old rule (under half the target) never did', () => {
    // The defect: 96 px took over half the target, so it never climbed. Here 96 px costs 60% of it.
    const cpu: AdaptiveLimits = { targetMs: 400, minResolution: 96, maxResolution: 224, maxSteps: 1, fixedResolution: 0, fixedSteps: 0 };
    const c = (r: number) => 400 * (0.55 + 0.45 * (r / 224) ** 2); // 224 px costs exactly the target
    const t = trace(initialAdaptive(cpu, 96), (r) => c(r), 300, cpu);
    expect(t.state.resolution).toBe(224);
  });
});

describe('per-mode floor', () => {
  it('style keeps at least 192 px; dream and webcam keep the backend minimum', () => {
    expect(modeFloor('style', 96)).toBe(192);
    expect(modeFloor('style', 256)).toBe(256);
    expect(modeFloor('dream', 96)).toBe(96);
    expect(modeFloor('webcam', 96)).toBe(96);
  });

  it('a sustained overload drops the size, but never below the style floor', () => {
    const cpu = { targetMs: 400, minResolution: 96, maxResolution: 224, maxSteps: 1, fixedResolution: 0, fixedSteps: 0 };
    const style: AdaptiveLimits = { ...cpu, minResolution: modeFloor('style', cpu.minResolution) };
    // Way over the target at every size: prefer fewer frames per second to mush.
    const t = trace(initialAdaptive(style, 224), () => 20000, 300, style);
    expect(t.res.every((r) => r >= 192)).toBe(true);
    expect(t.state.resolution).toBe(192);
    // The start the CPU backend uses for dreaming (96) is lifted to the floor too.
    expect(initialAdaptive(style, 96).resolution).toBe(192);
    // Dreaming on the same machine may go lower.
    const dream: AdaptiveLimits = { ...cpu, minResolution: modeFloor('dream', cpu.minResolution) };
    expect(feed(initialAdaptive(dream, 224), () => 20000, 300, dream).resolution).toBe(96);
  });

  it('a floor raised under a running state (switch to style) lifts the size at the next frame', () => {
    const dream = { ...limits, targetMs: 400, maxResolution: 224 };
    const low = feed(initialAdaptive(dream, 224), () => 20000, 100, dream);
    expect(low.resolution).toBe(96);
    const style = { ...dream, minResolution: modeFloor('style', dream.minResolution) };
    const t = trace(low, () => 20000, 200, style);
    expect(t.res[0]).toBe(192);
    expect(t.res.every((r) => r >= 192)).toBe(true);
  });

  it('limits come from the backend profile, with the mode floor and the user fixed values', () => {
    const wasm = profileOf('wasm').adaptive;
    const free = { resolution: 0, stepsPerFrame: 0 };
    expect(adaptiveLimits(wasm, { mode: 'dream', ...free })).toEqual({
      targetMs: wasm.targetMs,
      minResolution: wasm.minResolution,
      maxResolution: wasm.maxResolution,
      maxSteps: wasm.maxSteps,
      fixedResolution: 0,
      fixedSteps: 0,
    });
    expect(adaptiveLimits(wasm, { mode: 'style', ...free }).minResolution).toBe(192);
    expect(adaptiveLimits(wasm, { mode: 'webcam', resolution: 160, stepsPerFrame: 3 })).toMatchObject({ fixedResolution: 160, fixedSteps: 3 });
    // The GPU's coarse ladder travels with the limits; its own minimum is already above the style floor.
    const gpu = adaptiveLimits(profileOf('webgpu').adaptive, { mode: 'style', ...free });
    expect(gpu.step).toBe(128);
    expect(gpu.minResolution).toBe(256);
    // A floor above the backend maximum is capped by it (the CPU backend tops out at 224).
    const cpu = profileOf('cpu').adaptive;
    expect(adaptiveLimits({ ...cpu, maxResolution: 160 }, { mode: 'style', ...free }).minResolution).toBe(160);
  });

  it('the floor wins over a maximum below it', () => {
    const l = { ...limits, minResolution: 192, maxResolution: 160 };
    expect(feed(initialAdaptive(l, 96), () => 1, 100, l).resolution).toBe(192);
    expect(feed(initialAdaptive(l, 96), () => 10000, 100, l).resolution).toBe(192);
  });
});

describe('settling on a k·r² machine', () => {
  const cases: Array<[string, AdaptiveLimits, number]> = [
    ['fine CPU ladder, aligned', limits, 256],
    ['fine CPU ladder, between sizes', limits, 250],
    ['wasm', { targetMs: 250, minResolution: 96, maxResolution: 384, maxSteps: 2, fixedResolution: 0, fixedSteps: 0 }, 300],
    ['webgpu coarse ladder', { targetMs: 33, minResolution: 256, maxResolution: 768, maxSteps: 4, fixedResolution: 0, fixedSteps: 0, step: 128 }, 560],
    ['style floor', { targetMs: 400, minResolution: 192, maxResolution: 384, maxSteps: 1, fixedResolution: 0, fixedSteps: 0 }, 290],
  ];
  for (const [name, l, atTarget] of cases) {
    for (const start of [l.minResolution, l.maxResolution]) {
      it(`${name}, from ${start} px: the largest size within the target, few changes, probes backed off`, () => {
        const cost = quadratic(l, atTarget);
        const best = bestFit(l, cost);
        const t = trace(initialAdaptive(l, start), cost, 500, l);
        expect(t.state.resolution).toBe(best);
        expect(t.state.stepsPerFrame).toBe(1);
        expect(t.changes).toBeLessThanOrEqual(14);
        // Most of the time at the best size, and only brief probes above it.
        const lastHalf = t.res.slice(250);
        expect(lastHalf.filter((r) => r === best).length / lastHalf.length).toBeGreaterThan(0.9);
        expect(t.state.probeWait).toBeGreaterThanOrEqual(128);
        // Probes back off: the gaps between probes above the best size grow.
        const probes = t.res.map((r, i) => (r > best && (i === 0 || t.res[i - 1] === best) ? i : -1)).filter((i) => i >= 0);
        for (let i = 2; i < probes.length; i++) expect(probes[i]! - probes[i - 1]!).toBeGreaterThan(probes[i - 1]! - probes[i - 2]!);
      });
    }
  }

  it('the probe wait is capped, so a machine that became faster is found eventually', () => {
    let s = feed(initialAdaptive(limits, 256), quadratic(limits, 256), 5000);
    expect(s.probeWait).toBe(PROBE_WAIT_MAX);
    expect(s.resolution).toBe(256);
    // Now twice as fast: 256 px costs half the target.
    const t = trace(s, quadratic(limits, 256 * Math.SQRT2), PROBE_WAIT_MAX + 4 * (SETTLE_FRAMES + 64) + 200);
    s = t.state;
    expect(s.resolution).toBe(bestFit(limits, quadratic(limits, 256 * Math.SQRT2)));
  });
});

describe('GPU ladder', () => {
  it('only ever visits the coarse sizes, so each shader set is compiled once', () => {
    const gpu: AdaptiveLimits = { targetMs: 33, minResolution: 256, maxResolution: 768, maxSteps: 4, fixedResolution: 0, fixedSteps: 0, step: 128 };
    const seen = new Set<number>();
    let s = initialAdaptive(gpu, 512);
    // Cost that makes it wander: too slow at 640 and above, too fast at 384 and below.
    let changes = 0;
    for (let i = 0; i < 500; i++) {
      const before = s.resolution;
      s = adapt(s, s.resolution >= 640 ? 60 : s.resolution <= 384 ? 10 : 33, gpu);
      if (s.resolution !== before) changes++;
      seen.add(s.resolution);
    }
    for (const r of seen) expect(r % 128).toBe(0);
    expect(seen.size).toBeLessThanOrEqual(5);
    expect(s.resolution).toBe(512);
    expect(changes).toBeLessThanOrEqual(12);
  });

  it('a shader compile on the first frame at a new size does not count against it', () => {
    const gpu: AdaptiveLimits = { targetMs: 33, minResolution: 256, maxResolution: 768, maxSteps: 1, fixedResolution: 0, fixedSteps: 0, step: 128 };
    let s = initialAdaptive(gpu, 256);
    for (let i = 0; i < 200; i++) s = adapt(s, s.sinceChange === 0 ? 800 : 15 * (s.resolution / 256) ** 2, gpu);
    // 15 ms at 256 px, 33.75 at 384 (just over the target): stays at 256.
    expect(s.resolution).toBe(256);
    let t = initialAdaptive(gpu, 256);
    for (let i = 0; i < 200; i++) t = adapt(t, t.sinceChange === 0 ? 800 : 10 * (t.resolution / 256) ** 2, gpu);
    expect(t.resolution).toBe(384); // 22.5 ms at 384, 40 at 512
  });
});
