import { describe, expect, it } from 'vitest';
import { FrameClock } from '../../src/workers/frame-clock';

describe('FrameClock', () => {
  it('rates come from finished frames: 10 frames of 2 steps finishing 100 ms apart are 10 fps, 20 steps/s', () => {
    const clock = new FrameClock(3000);
    const costs: (number | null)[] = [];
    for (let i = 0; i < 10; i++) costs.push(clock.finish(1000 + i * 100, 2));
    expect(costs[0]).toBeNull();
    expect(costs.slice(1)).toEqual(Array(9).fill(100));
    expect(clock.fps).toBeCloseTo(10, 6);
    expect(clock.stepsPerSecond).toBeCloseTo(20, 6);
    expect(clock.msPerStep).toBeCloseTo(50, 6);
  });

  it('a very slow device still has a rate: the last three frames at least, however far apart', () => {
    const clock = new FrameClock(3000, 2);
    clock.finish(0, 1);
    clock.finish(4000, 1);
    clock.finish(8000, 1);
    expect(clock.fps).toBeCloseTo(0.25, 6);
  });

  it('forgets frames older than its window, so a change of speed shows', () => {
    const clock = new FrameClock(1000, 2);
    for (let t = 0; t <= 2000; t += 100) clock.finish(t, 1);
    for (let t = 2500; t <= 5000; t += 500) clock.finish(t, 1);
    expect(clock.fps).toBeCloseTo(2, 6);
  });

  it('a slow device is averaged over its last few frames, not its last two', () => {
    const clock = new FrameClock(3000, 4);
    [0, 1000, 3000, 4000, 6000].forEach((t) => clock.finish(t, 1));
    // The last four frames span 1000..6000: 3 intervals in 5 s.
    expect(clock.fps).toBeCloseTo(0.6, 6);
  });

  it('after a reset (a pause) the gap is no frame time and there is no rate until three frames finish', () => {
    const clock = new FrameClock();
    clock.finish(0, 1);
    clock.finish(100, 1);
    clock.reset();
    expect(clock.fps).toBe(0);
    expect(clock.finish(60_000, 1)).toBeNull();
    expect(clock.finish(60_005, 1)).toBe(5);
    // Two frames finishing together after a start are no rate yet.
    expect(clock.fps).toBe(0);
    clock.finish(60_105, 1);
    expect(clock.fps).toBeCloseTo(2 / 0.105, 6);
  });
});

describe('FrameClock across a size change', () => {
  it('keeps the last measured rates until three frames at the new size give new ones', () => {
    const clock = new FrameClock(3000, 3);
    for (let i = 0; i < 5; i++) clock.finish(i * 100, 2);
    expect(clock.fps).toBeCloseTo(10, 6);
    clock.restart();
    // No flicker to "no rate": the figure is the one measured, from finished frames.
    expect(clock.fps).toBeCloseTo(10, 6);
    expect(clock.stepsPerSecond).toBeCloseTo(20, 6);
    expect(clock.msPerStep).toBeCloseTo(50, 6);
    // The first frame after the change is nobody's frame time (compiling new shapes).
    expect(clock.finish(5_000, 2)).toBeNull();
    clock.finish(5_250, 2);
    expect(clock.fps).toBeCloseTo(10, 6);
    // A second change before any new figure keeps the one measured, not a rate from two frames.
    clock.restart();
    expect(clock.fps).toBeCloseTo(10, 6);
    clock.finish(6_000, 2);
    clock.finish(6_250, 2);
    clock.finish(6_500, 2);
    // Three frames 250 ms apart at the new size: the new figure replaces the old one.
    expect(clock.fps).toBeCloseTo(4, 6);
    expect(clock.stepsPerSecond).toBeCloseTo(8, 6);
  });

  it('a pause is no size change: after reset there is no rate until frames run again', () => {
    const clock = new FrameClock(3000, 3);
    for (let i = 0; i < 5; i++) clock.finish(i * 100, 1);
    clock.restart();
    clock.reset();
    expect(clock.fps).toBe(0);
    expect(clock.stepsPerSecond).toBe(0);
  });
});
