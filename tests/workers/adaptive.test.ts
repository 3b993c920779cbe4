import { describe, expect, it } from 'vitest';
import { adapt, initialAdaptive, type AdaptiveLimits } from '../../src/workers/adaptive';

const limits: AdaptiveLimits = { targetMs: 100, minResolution: 96, maxResolution: 512, maxSteps: 4, fixedResolution: 0, fixedSteps: 0 };

function feed(state: ReturnType<typeof initialAdaptive>, ms: (res: number, steps: number) => number, frames: number, l = limits) {
  for (let i = 0; i < frames; i++) state = adapt(state, ms(state.resolution, state.stepsPerFrame), l);
  return state;
}

describe('adaptive resolution and steps', () => {
  it('a slow machine sheds resolution down to the minimum', () => {
    const s = feed(initialAdaptive(limits, 384), () => 1000, 200);
    expect(s.resolution).toBe(96);
    expect(s.stepsPerFrame).toBe(1);
  });

  it('a fast machine climbs to the maximum resolution, then adds steps', () => {
    const s = feed(initialAdaptive(limits, 128), () => 5, 400);
    expect(s.resolution).toBe(512);
    expect(s.stepsPerFrame).toBe(4);
  });

  it('settles near the target when cost follows the pixel count', () => {
    // 100 ms at 256 px and one step: a machine that is just right there.
    const cost = (res: number, steps: number) => steps * 100 * (res / 256) ** 2;
    const s = feed(initialAdaptive(limits, 512), cost, 400);
    expect(cost(s.resolution, s.stepsPerFrame)).toBeLessThan(150);
    expect(cost(s.resolution, s.stepsPerFrame)).toBeGreaterThan(50);
  });

  it('values the user fixed are never changed', () => {
    const fixed = { ...limits, fixedResolution: 320, fixedSteps: 2 };
    const s = feed(initialAdaptive(fixed, 128), () => 5000, 100, fixed);
    expect(s.resolution).toBe(320);
    expect(s.stepsPerFrame).toBe(2);
  });
});

describe('GPU ladder', () => {
  it('only ever visits the coarse sizes, so each shader set is compiled once', () => {
    const gpu: AdaptiveLimits = { targetMs: 33, minResolution: 256, maxResolution: 768, maxSteps: 4, fixedResolution: 0, fixedSteps: 0, step: 128 };
    const seen = new Set<number>();
    let s = initialAdaptive(gpu, 512);
    // Cost that makes it wander: too slow at 640 and above, too fast at 384 and below.
    for (let i = 0; i < 500; i++) {
      s = adapt(s, s.resolution >= 640 ? 60 : s.resolution <= 384 ? 10 : 33, gpu);
      seen.add(s.resolution);
    }
    for (const r of seen) expect(r % 128).toBe(0);
    expect(seen.size).toBeLessThanOrEqual(5);
  });
});
