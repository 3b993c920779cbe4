// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../src/components/ds-help';
import '../../src/components/ds-sources';
import '../../src/components/ds-stats';
import '../../src/components/ds-toasts';
import type { Sample } from '../../src/components/ds-sources';
import type { Stats } from '../../src/workers/protocol';

const mounted: Element[] = [];
async function mount<K extends 'ds-stats' | 'ds-toasts' | 'ds-help' | 'ds-sources'>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}) {
  const el = document.createElement(tag);
  Object.assign(el, props);
  document.body.append(el);
  mounted.push(el);
  await el.updateComplete;
  return el;
}
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
  vi.useRealTimers();
});

const stats = (over: Partial<Stats> = {}): Stats => ({
  fps: 29.97,
  stepsPerSecond: 29.97,
  msPerStep: 33.333,
  iteration: 10,
  losses: { loss: 1.23456 },
  backend: 'webgpu',
  resolution: [320, 240],
  stepsPerFrame: 2,
  paused: false,
  mode: 'dream',
  tensors: 42,
  bytes: 3 * 2 ** 20,
  ...over,
});

describe('<ds-stats>', () => {
  it('renders the numbers with sensible precision', async () => {
    const el = await mount('ds-stats', { stats: stats() });
    const stat = (k: string) => el.shadowRoot!.querySelector(`[data-stat="${k}"]`)?.textContent?.trim();
    expect(stat('fps')).toBe('30.0');
    expect(stat('ms')).toBe('33.3');
    expect(stat('iteration')).toBe('10');
    expect(stat('loss')).toBe('1.235');
    expect(stat('backend')).toBe('webgpu');
    expect(stat('resolution')).toBe('320×240');
    expect(stat('steps')).toBe('2');
    expect(stat('loss-style')).toBeUndefined();
    // Which path the steps take shows only where the worker says (WebGPU).
    expect(stat('path')).toBeUndefined();
    el.stats = stats({ stepPath: 'ops · Laplacian normalisation' });
    await el.updateComplete;
    expect(stat('path')).toBe('ops · Laplacian normalisation');
    el.stats = stats({ mode: 'style', iteration: 11, losses: { loss: 2e7, content: 0.5, style: 12345.6, tv: 0.0001 } });
    await el.updateComplete;
    expect(stat('loss')).toBe('2.00e+7');
    expect(stat('loss-content')).toBe('0.5000');
    expect(stat('loss-style')).toBe('12346');
    expect(stat('loss-tv')).toBe('1.00e-4');
  });

  it('shows steps/s, the GPU time only where it was measured, and the paused label from the app', async () => {
    const el = await mount('ds-stats', { stats: stats({ stepsPerSecond: 4.5 }) });
    const stat = (k: string) => el.shadowRoot!.querySelector(`[data-stat="${k}"]`)?.textContent?.trim();
    expect(stat('steps-per-second')).toBe('4.50');
    expect(stat('gpu-ms')).toBeUndefined();
    expect(stat('paused')).toBeUndefined();
    el.stats = stats({ gpuMsPerStep: 8.25, paused: false });
    (el as unknown as { paused: boolean }).paused = true;
    await el.updateComplete;
    expect(stat('gpu-ms')).toBe('8.3');
    expect(stat('paused')).toBe('paused');
  });

  it('before the first frame says what the worker is doing and for how long, and the seconds tick', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const el = await mount('ds-stats', { stats: null, phase: 'compiling shaders…', since: Date.now() - 12_000 });
    const waiting = () => el.shadowRoot!.querySelector('[data-state="waiting"]')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(waiting()).toBe('compiling shaders… 12 s');
    await vi.advanceTimersByTimeAsync(3_000);
    await el.updateComplete;
    expect(waiting()).toBe('compiling shaders… 15 s');
    // With a frame the panel shows figures instead.
    el.stats = stats();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[data-state="waiting"]')).toBeNull();
  });

  it('keeps a loss history for the sparkline and resets it on a mode change or restart', async () => {
    const el = await mount('ds-stats', { stats: stats({ iteration: 1 }) });
    const points = () => Number(el.shadowRoot!.querySelector('svg')!.getAttribute('data-points'));
    const d = () => el.shadowRoot!.querySelector('path')!.getAttribute('d') ?? '';
    for (let i = 2; i <= 5; i++) {
      el.stats = stats({ iteration: i, losses: { loss: i } });
      await el.updateComplete;
    }
    expect(points()).toBe(5);
    expect(d()).toMatch(/^M.*L/);
    el.stats = stats({ iteration: 5, losses: { loss: 99 } }); // same iteration (paused): no new point
    await el.updateComplete;
    expect(points()).toBe(5);
    el.stats = stats({ iteration: 2 }); // went backwards: reset
    await el.updateComplete;
    expect(points()).toBe(1);
    el.stats = stats({ iteration: 3, mode: 'style' });
    await el.updateComplete;
    expect(points()).toBe(1);
  });

  it('never takes the pointer', async () => {
    const el = await mount('ds-stats', { stats: null });
    const css = (el.constructor as unknown as { styles: { cssText: string } }).styles.cssText;
    expect(css).toMatch(/:host\s*{[^}]*pointer-events:\s*none/);
  });
});

describe('<ds-toasts>', () => {
  it('shows info as status and errors as alert, bounded, dismissable and expiring', async () => {
    vi.useFakeTimers();
    const el = await mount('ds-toasts');
    el.show('hello');
    el.show('broken', 'error');
    await el.updateComplete;
    const toasts = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[data-toast-id]')];
    expect(toasts().map((t) => t.getAttribute('role'))).toEqual(['status', 'alert']);
    for (let i = 0; i < 6; i++) el.show(`n${i}`);
    await el.updateComplete;
    expect(toasts()).toHaveLength(4);
    expect(toasts()[0]!.textContent).toContain('broken');
    toasts()[0]!.querySelector('button')!.click();
    await el.updateComplete;
    expect(toasts().some((t) => t.textContent!.includes('broken'))).toBe(false);
    el.show('err', 'error');
    vi.advanceTimersByTime(6100);
    await el.updateComplete;
    expect(toasts().map((t) => t.textContent!.trim().split(/\s/)[0])).toEqual(['err']);
    vi.advanceTimersByTime(10_000);
    await el.updateComplete;
    expect(toasts()).toHaveLength(0);
  });
});

describe('<ds-help>', () => {
  it('renders the shortcut table only when open and dispatches close', async () => {
    const el = await mount('ds-help');
    expect(el.shadowRoot!.querySelector('table')).toBeNull();
    el.open = true;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('tr').length).toBeGreaterThanOrEqual(9);
    expect(el.shadowRoot!.querySelector('[role="dialog"]')).not.toBeNull();
    const closed = vi.fn();
    document.addEventListener('close', closed);
    el.shadowRoot!.querySelector<HTMLButtonElement>('button.close')!.click();
    document.removeEventListener('close', closed);
    expect(closed).toHaveBeenCalledTimes(1);
  });
});

describe('<ds-sources>', () => {
  const samples: Sample[] = [
    { id: 'cat', name: 'Cat', url: 'samples/cat.jpg', role: 'content', credit: 'CC0' },
    { id: 'dog', name: 'Dog', url: 'samples/dog.jpg', role: 'content', credit: 'CC0' },
    { id: 'waves', name: 'Waves', url: 'samples/waves.jpg', role: 'style', credit: 'CC0' },
  ];

  it('shows content thumbnails (style ones only in style mode) and reports clicks', async () => {
    const el = await mount('ds-sources', { samples, activeContent: 'dog', mode: 'dream' });
    const thumbs = () => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button[data-sample]')];
    expect(thumbs().map((b) => b.dataset['sample'])).toEqual(['cat', 'dog']);
    expect(thumbs().map((b) => b.getAttribute('aria-pressed'))).toEqual(['false', 'true']);
    const img = thumbs()[0]!.querySelector('img')!;
    expect(img.getAttribute('loading')).toBe('lazy');
    expect(img.getAttribute('alt')).toContain('Cat');
    expect(img.getAttribute('src')).toBe('samples/cat.jpg');
    const got: unknown[] = [];
    el.addEventListener('source-selected', (e) => got.push((e as CustomEvent).detail));
    thumbs()[0]!.click();
    expect(got).toEqual([{ role: 'content', name: 'Cat', url: 'samples/cat.jpg', id: 'cat' }]);
    el.mode = 'style';
    await el.updateComplete;
    // Style mode: the style samples, then "Blend with": None and the style samples again, for a second painting.
    expect(thumbs().map((b) => `${b.dataset['role']}:${b.dataset['sample']}`)).toEqual(['content:cat', 'content:dog', 'style:waves', 'style2:none', 'style2:waves']);
    expect(el.shadowRoot!.querySelector('input[type="file"][data-role="style"]')?.getAttribute('accept')).toBe('image/*');
    expect(el.shadowRoot!.querySelector('input[type="file"][data-role="style2"]')?.getAttribute('accept')).toBe('image/*');
    expect(thumbs()[3]!.getAttribute('aria-pressed')).toBe('true');
    got.length = 0;
    thumbs()[4]!.click();
    thumbs()[3]!.click();
    expect(got).toEqual([{ role: 'style2', name: 'Waves', url: 'samples/waves.jpg', id: 'waves' }, { role: 'style2', none: true }]);
  });

  it('toggles the webcam', async () => {
    const el = await mount('ds-sources', { samples, webcamOn: false });
    const got: unknown[] = [];
    el.addEventListener('webcam-toggle', (e) => got.push((e as CustomEvent).detail));
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[data-action="webcam"]')!.click();
    el.webcamOn = true;
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[data-action="webcam"]')!.click();
    expect(got).toEqual([true, false]);
  });
});
