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

/** Loads the app, recording its events, console errors and any request that leaves the page's origin. */
export async function openApp(page: Page, query: string): Promise<{ consoleErrors: string[]; foreign: string[] }> {
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
  await page.goto(`/?${query}`);
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

/** A number shown in the stats overlay (`data-stat`), as a person reads it; NaN while it shows none. */
export async function overlayNumber(page: Page, stat: string, host = 'body'): Promise<number> {
  const text = await page.locator(`${host} ds-stats [data-stat="${stat}"]`).first().textContent({ timeout: 5_000 }).catch(() => null);
  return text === null ? Number.NaN : Number(text.trim());
}

/** Waits until the overlay's iteration counter shows at least `n`; returns what it shows. */
export async function waitForShownIteration(page: Page, n: number, host = 'body', timeout = 180_000): Promise<number> {
  await expect.poll(async () => (await overlayNumber(page, 'iteration', host)) || -1, { timeout, intervals: [250] }).toBeGreaterThanOrEqual(n);
  return overlayNumber(page, 'iteration', host);
}
