import { expect, type Page } from '@playwright/test';

export type { Page };
import { PNG } from 'pngjs';
import type { DreamApp, InjectedFault } from '../../src/components/dream-app';
import type { Stats } from '../../src/workers/protocol';

export const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4173}`;

/**
 * What the page's dream elements said through their public events (dream-stats, dream-error, dream-restart,
 * dream-camera), kept on `window` in bounded lists, as a test reads them. Installed as an init script, so it
 * listens before the app starts and again after every navigation.
 */
export interface DreamEventLog {
  stats: Stats[];
  /** Error messages and restart reasons, in order: everything shown to the user as an error. */
  errors: string[];
  restarts: number;
  cameraFrames: number;
}

declare global {
  interface Window {
    dreamEvents?: DreamEventLog;
  }
}

/** The init script (it runs in the page: self-contained). */
export function recordDreamEvents(max = 500): void {
  if (window.dreamEvents) return;
  const log: DreamEventLog = { stats: [], errors: [], restarts: 0, cameraFrames: 0 };
  window.dreamEvents = log;
  const push = <T>(list: T[], item: T) => {
    list.push(item);
    if (list.length > max) list.splice(0, list.length - max);
  };
  document.addEventListener('dream-stats', (e) => push(log.stats, e.detail));
  document.addEventListener('dream-error', (e) => push(log.errors, e.detail.message));
  document.addEventListener('dream-restart', (e) => {
    log.restarts = e.detail.count;
    push(log.errors, e.detail.reason);
  });
  document.addEventListener('dream-camera', (e) => (log.cameraFrames = e.detail.frames));
}

/**
 * Loads the app, recording its events, console errors and any request that leaves the page's origin. Two tests run
 * at once on 2 cores (playwright.config.ts), so each page gets one wasm thread (`threads=1`) unless the query names
 * a count or `allCores` is set: two pages each running a thread per core left the tests a seventh slower.
 */
export async function openApp(page: Page, query: string, { allCores = false } = {}): Promise<{ consoleErrors: string[]; foreign: string[] }> {
  const consoleErrors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== ORIGIN) foreign.push(r.url());
  });
  await page.addInitScript(recordDreamEvents);
  const threads = allCores || /(^|&)threads=/.test(query) ? '' : `${query ? '&' : ''}threads=1`;
  await page.goto(`/?${query}${threads}`);
  return { consoleErrors, foreign };
}

export async function latestStats(page: Page): Promise<Stats | undefined> {
  return page.evaluate(() => window.dreamEvents?.stats.at(-1));
}

export async function statsLog(page: Page): Promise<Stats[]> {
  return page.evaluate(() => [...(window.dreamEvents?.stats ?? [])]);
}

export async function errorLog(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window.dreamEvents?.errors ?? [])]);
}

/** How many times the page has restarted the worker (dream-restart). */
export async function restartCount(page: Page): Promise<number> {
  return page.evaluate(() => window.dreamEvents?.restarts ?? 0);
}

/** Camera frames the worker has taken (dream-camera). */
export async function cameraFrames(page: Page): Promise<number> {
  return page.evaluate(() => window.dreamEvents?.cameraFrames ?? 0);
}

/** The app's one test hook (DreamApp.injectFault). */
export async function injectFault(page: Page, fault: InjectedFault): Promise<void> {
  await page.locator('dream-app').evaluate((el, f) => (el as DreamApp).injectFault(f), fault);
}

/** Waits until the worker has reported at least `iteration` steps. */
export async function waitForIteration(page: Page, iteration: number, timeout = 180_000): Promise<Stats> {
  await expect.poll(async () => (await latestStats(page))?.iteration ?? -1, { timeout, intervals: [500] }).toBeGreaterThanOrEqual(iteration);
  return (await latestStats(page))!;
}

/** The stage canvas as PNG bytes (a screenshot of just the canvas). */
export async function canvasShot(page: Page): Promise<Buffer> {
  return page.locator('dream-stage canvas[role="img"]').screenshot();
}

/** A screenshot of an element (what a person sees of it), decoded. */
export async function shot(page: Page, selector = 'dream-stage'): Promise<PNG> {
  return PNG.sync.read(await page.locator(selector).first().screenshot({ timeout: 30_000 }));
}

/** What the overlays drawn on the stage are (figures, notes, toasts, the mask, buttons): hidden for stageShot. */
const OVERLAYS = 'ds-stats, ds-toasts, ds-help, ds-mask, .overlay, .sheet-toggle { visibility: hidden !important; }';

/**
 * The stage's picture as a person sees it, without the overlays drawn on top (their figures change every frame,
 * and a toast comes and goes: neither is the picture changing), decoded. `host`: the page, or an element.
 */
export async function stageShot(page: Page, host = 'body'): Promise<PNG> {
  // A clip of the page, not an element screenshot: that one first waits for two animation frames with the element
  // standing still, which a busy SwiftShader WebGPU queue can hold off past any timeout (seen on 2 loaded cores).
  const box = await page.locator(`${host} dream-stage`).first().boundingBox();
  if (!box) throw new Error(`no stage in ${host}`);
  return PNG.sync.read(await page.screenshot({ clip: box, timeout: 30_000, style: OVERLAYS }));
}

/**
 * The one definition of "a picture, not black or a flat box", for every test: grey mean above 30 (of 255) and
 * spread above 15. The app's pictures measure a mean of about 60–140 and a spread of 35–70 (a black stage: 0 and 0).
 */
export const PICTURE = { mean: 30, std: 15 } as const;

/** Whether a decoded screenshot shows a picture (PICTURE). */
export function isPicture(png: PNG): boolean {
  const { mean, std } = greyStats(png);
  return mean > PICTURE.mean && std > PICTURE.std;
}

/** Asserts that a decoded screenshot shows a picture (PICTURE), saying what it measured if not. */
export function expectPicture(png: PNG, what = 'the stage'): void {
  const { mean, std } = greyStats(png);
  expect(mean, `${what}: grey mean (black is 0)`).toBeGreaterThan(PICTURE.mean);
  expect(std, `${what}: grey spread (a flat box is 0)`).toBeGreaterThan(PICTURE.std);
}

/** Waits until the stage shows a picture (PICTURE) and returns it. */
export async function waitForPicture(page: Page, host = 'body', timeout = 60_000): Promise<PNG> {
  let last: PNG | undefined;
  await expect.poll(async () => isPicture((last = await stageShot(page, host))), { timeout, intervals: [500] }).toBe(true);
  return last!;
}

/**
 * The stage once its picture has settled (two screenshots in a row alike): while paused, after the step whose
 * figures the overlay already shows has been painted (the paint may follow the figures by a moment).
 */
export async function settledStage(page: Page, host = 'body'): Promise<PNG> {
  let last = await stageShot(page, host);
  await expect
    .poll(async () => {
      const next = await stageShot(page, host);
      const d = meanDiff(next, last);
      last = next;
      return d;
    }, { timeout: 30_000, intervals: [100] })
    .toBe(0);
  return last;
}

/**
 * How much the picture must have changed to count as "it changes" (mean |Δ| of 0–255): a few dream steps on these
 * small stages change it by 1–10, while two screenshots of one unchanged frame differ by 0.
 */
export const CHANGED = 0.5;

/** Asserts that the picture changed between two screenshots: both are pictures, and they differ by more than `min`. */
export function expectChanged(before: PNG, after: PNG, what = 'the stage', min = CHANGED): number {
  expectPicture(before, `${what} before`);
  expectPicture(after, `${what} after`);
  const d = meanDiff(before, after);
  expect(d, `${what}: mean |Δ| between the two pictures`).toBeGreaterThan(min);
  return d;
}

/**
 * Watches a region until it has moved by more than `min` from `before` and returns the last look and the move.
 * The paint may follow the overlay's figures by a moment on loaded cores (two browsers on two cores), so "it moves
 * after n steps" is read from the stage itself, never from an iteration count; a stage that never moves still fails.
 */
export async function waitForChange(look: () => Promise<PNG>, before: PNG, min = CHANGED, timeout = 60_000): Promise<{ after: PNG; moved: number }> {
  let after = before;
  let moved = 0;
  await expect.poll(async () => (moved = meanDiff(before, (after = await look()))), { timeout, intervals: [500] }).toBeGreaterThan(min);
  return { after, moved };
}

/** Mean and spread of the grey level (0–255): black is mean ≈ 0, a flat box has spread ≈ 0. */
export function greyStats(png: PNG): { mean: number; std: number } {
  let sum = 0;
  let sq = 0;
  const n = png.width * png.height;
  for (let i = 0; i < n; i++) {
    const g = (png.data[i * 4]! + png.data[i * 4 + 1]! + png.data[i * 4 + 2]!) / 3;
    sum += g;
    sq += g * g;
  }
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(0, sq / n - mean * mean)) };
}

/** Mean per-channel colour (0–255). */
export function meanColour(png: PNG): [number, number, number] {
  const c = [0, 0, 0];
  const n = png.width * png.height;
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) c[k] = c[k]! + png.data[i * 4 + k]!;
  return [c[0]! / n, c[1]! / n, c[2]! / n];
}

/** Mean absolute difference of two same-sized screenshots (0–255). */
export function meanDiff(a: PNG, b: PNG): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let d = 0;
  for (let i = 0; i < a.data.length; i += 4) for (let k = 0; k < 3; k++) d += Math.abs(a.data[i + k]! - b.data[i + k]!);
  return d / (a.width * a.height * 3);
}

/**
 * A number shown in the stats overlay (`data-stat`), as a person reads it. Throws when the overlay shows no such
 * figure, or one that is not a finite number (a dash, an empty field): a missing figure is never a value.
 */
export async function overlayNumber(page: Page, stat: string, host = 'body'): Promise<number> {
  const field = page.locator(`${host} ds-stats [data-stat="${stat}"]`).first();
  const text = await field.textContent({ timeout: 5_000 }).catch(() => null);
  if (text === null) throw new Error(`the overlay shows no "${stat}" figure`);
  const value = text.trim() === '' ? Number.NaN : Number(text.trim());
  if (!Number.isFinite(value)) throw new Error(`the overlay's "${stat}" figure is not a number: "${text.trim()}"`);
  return value;
}

/**
 * Waits until the overlay shows `stat` as a number for which `ok` holds, and returns it. Until then (the figure not
 * shown yet: the model loading, a worker restarting, a dash) it keeps waiting; at the timeout it fails saying why.
 */
export async function waitForFigure(page: Page, stat: string, ok: (v: number) => boolean, host = 'body', timeout = 180_000): Promise<number> {
  let why = '';
  const field = page.locator(`${host} ds-stats [data-stat="${stat}"]`).first();
  await expect
    .poll(
      async () => {
        if ((await field.count()) === 0) return (why = `the overlay shows no "${stat}" figure`), false;
        const v = await overlayNumber(page, stat, host).catch((e: Error) => ((why = e.message), null));
        if (v === null) return false;
        why = `the overlay's "${stat}" shows ${v}`;
        return ok(v);
      },
      { timeout, intervals: [250], message: `waiting for the overlay's "${stat}" figure` },
    )
    .toBe(true)
    .catch((e: Error) => {
      throw new Error(`${e.message}\nlast seen: ${why}`);
    });
  return overlayNumber(page, stat, host);
}

/** Waits until the overlay's iteration counter shows at least `n`; returns what it shows. */
export async function waitForShownIteration(page: Page, n: number, host = 'body', timeout = 180_000): Promise<number> {
  return waitForFigure(page, 'iteration', (v) => v >= n, host, timeout);
}

/**
 * The overlay's rates as a person reads them: finite numbers (overlayNumber throws on a dash or an empty field),
 * positive, and alive: the steps/s figure moves as the stream runs. Whether they are the right rates is the frame
 * clock's arithmetic, tested with an injected clock (tests/workers/frame-clock.test.ts); the live rate against a
 * wall clock is `npm run soak`'s, not a test's.
 */
export async function liveFigures(page: Page, host = 'body'): Promise<void> {
  const first = await waitForFigure(page, 'steps-per-second', (v) => v > 0, host);
  expect(await overlayNumber(page, 'fps', host)).toBeGreaterThan(0);
  expect(await overlayNumber(page, 'ms', host)).toBeGreaterThan(0);
  const at = await overlayNumber(page, 'iteration', host);
  await waitForFigure(page, 'steps-per-second', (v) => v > 0 && v !== first, host, 240_000);
  // The rate is measured over a time window each time stats are posted, so it can change in a post of the same
  // step (seen once on CI): wait for the counter to move on, as it must.
  await expect.poll(() => overlayNumber(page, 'iteration', host), { timeout: 120_000 }).toBeGreaterThan(at);
}
