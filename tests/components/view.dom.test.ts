// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import '../../src/components/ds-stats';
import '../../src/components/ds-panel';
import { compactStage, deviceSize, FIGURES_KEY, readFiguresShown, writeFiguresShown } from '../../src/components/controllers/view-controller';
import { shortcutFor } from '../../src/components/input/shortcuts';
import type { Stats } from '../../src/workers/protocol';

const stats: Stats = {
  fps: 2.04,
  stepsPerSecond: 2.04,
  msPerStep: 490,
  iteration: 10,
  losses: { loss: 1.5 },
  backend: 'wasm',
  resolution: [256, 192],
  stepsPerFrame: 1,
  paused: false,
  mode: 'dream',
  tensors: 42,
  bytes: 3 * 2 ** 20,
};

const mounted: Element[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
  localStorage.clear();
});

describe('the figures overlay, as a person sees it', () => {
  it('compact (a phone): one line with the frame rate, the size and the iteration, no table; paused says so', async () => {
    const el = document.createElement('ds-stats');
    Object.assign(el, { stats, compact: true });
    document.body.append(el);
    mounted.push(el);
    await el.updateComplete;
    const root = el.shadowRoot!;
    expect(root.querySelector('dl')).toBeNull();
    expect(root.querySelector('svg')).toBeNull();
    expect(root.querySelector('[data-stat="fps"]')!.textContent).toBe('2.0');
    expect(root.querySelector('[data-stat="resolution"]')!.textContent).toBe('256×192');
    expect(root.querySelector('.panel')!.textContent!.replace(/\s+/g, ' ').trim()).toBe('2.0 fps · 256×192 · it 10');
    el.paused = true;
    await el.updateComplete;
    expect(root.querySelector('[data-stat="paused"]')!.textContent).toBe('paused');
    el.compact = false;
    await el.updateComplete;
    expect(root.querySelector('dl')).not.toBeNull();
  });

  it('O toggles it (a key no other shortcut takes); the choice is kept per browser', () => {
    expect(shortcutFor({ key: 'o' })).toBe('figures');
    expect(shortcutFor({ key: 'O' })).toBe('figures');
    expect(readFiguresShown(localStorage)).toBe(true);
    writeFiguresShown(false, localStorage);
    expect(localStorage.getItem(FIGURES_KEY)).toBe('hidden');
    expect(readFiguresShown(localStorage)).toBe(false);
    writeFiguresShown(true, localStorage);
    expect(readFiguresShown(localStorage)).toBe(true);
    // A browser that refuses storage: shown, and no error.
    const refusing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    expect(readFiguresShown(refusing)).toBe(true);
    expect(() => writeFiguresShown(false, refusing)).not.toThrow();
  });

  it('the panel offers both snapshot sizes and the Figures switch, pressed while shown', async () => {
    const el = document.createElement('ds-panel');
    document.body.append(el);
    mounted.push(el);
    await el.updateComplete;
    const got: unknown[] = [];
    el.addEventListener('snapshot-request', (e) => got.push(e.detail));
    el.addEventListener('figures-toggle', () => got.push('figures'));
    const buttons = [...el.shadowRoot!.querySelectorAll('button')];
    buttons.find((b) => b.textContent!.trim() === 'Display-size snapshot')!.click();
    buttons.find((b) => b.textContent!.trim() === 'Snapshot')!.click();
    const figures = buttons.find((b) => b.textContent!.trim() === 'Figures')!;
    expect(figures.getAttribute('aria-pressed')).toBe('true');
    figures.click();
    expect(got).toEqual(['display', null, 'figures']);
    el.figures = false;
    await el.updateComplete;
    expect(figures.getAttribute('aria-pressed')).toBe('false');
  });
});

describe('a phone-sized stage', () => {
  it('upright or on its side is compact; a desktop window or an element embedded at 640 × 400 is not', () => {
    expect(compactStage(390, 844)).toBe(true);
    expect(compactStage(844, 340)).toBe(true);
    expect(compactStage(640, 400)).toBe(false);
    expect(compactStage(960, 800)).toBe(false);
    expect(compactStage(0, 0)).toBe(false);
  });
});

describe('the stage size the worker is told', () => {
  it('device pixels: the exact box where the browser reports it, else CSS pixels × devicePixelRatio', () => {
    const contentRect = { width: 390, height: 601.5 } as DOMRectReadOnly;
    expect(deviceSize({ contentRect, devicePixelContentBoxSize: [{ inlineSize: 1170, blockSize: 1805 }] }, 3)).toEqual({ width: 1170, height: 1805 });
    expect(deviceSize({ contentRect }, 2)).toEqual({ width: 780, height: 1203 });
  });
});
