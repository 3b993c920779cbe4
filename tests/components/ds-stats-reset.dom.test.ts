// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import '../../src/components/ds-stats';
import type { DsStats } from '../../src/components/ds-stats';
import type { Stats } from '../../src/workers/protocol';

const mounted: Element[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

const stats = (over: Partial<Stats> = {}): Stats => ({
  fps: 12,
  stepsPerSecond: 24,
  msPerStep: 41.7,
  iteration: 40,
  losses: { loss: 3.5, content: 1.25, style: 2, tv: 0.25 },
  backend: 'wasm',
  resolution: [224, 168],
  stepsPerFrame: 2,
  paused: true,
  mode: 'style',
  tensors: 42,
  bytes: 2 ** 20,
  ...over,
});

describe('<ds-stats> after Reset while paused', () => {
  it("shows the reset picture's figures: iteration 0, no loss (a dash) and no stale parts or history", async () => {
    const el = document.createElement('ds-stats') as DsStats;
    mounted.push(el);
    el.stats = stats({ iteration: 39, losses: { loss: 3.6, content: 1.3, style: 2.1, tv: 0.2 } });
    document.body.append(el);
    await el.updateComplete;
    el.stats = stats();
    await el.updateComplete;
    const stat = (k: string) => el.shadowRoot!.querySelector(`[data-stat="${k}"]`)?.textContent?.trim();
    const points = () => Number(el.shadowRoot!.querySelector('svg')!.getAttribute('data-points'));
    expect([stat('iteration'), stat('loss'), stat('loss-style')]).toEqual(['40', '3.500', '2.000']);
    expect(points()).toBe(2);
    // What the worker posts right after Reset (the loop drops the losses of the picture left behind).
    el.stats = stats({ iteration: 0, losses: {} });
    await el.updateComplete;
    expect([stat('iteration'), stat('loss')]).toEqual(['0', '—']);
    expect([stat('loss-content'), stat('loss-style'), stat('loss-tv')]).toEqual([undefined, undefined, undefined]);
    expect(points()).toBe(0);
    // Step once brings the reset picture's first loss.
    el.stats = stats({ iteration: 1, losses: { loss: 9.75, content: 0, style: 9.5, tv: 0.25 } });
    await el.updateComplete;
    expect([stat('iteration'), stat('loss'), stat('loss-style')]).toEqual(['1', '9.750', '9.500']);
    expect(points()).toBe(1);
  });
});
