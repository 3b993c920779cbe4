import { expect, type Page } from '@playwright/test';

export type { Page };
import type { Stats } from '../../src/workers/protocol';

export const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4173}`;

/** Loads the app, recording console errors and any request that leaves the page's origin. */
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
  await page.goto(`/?${query}`);
  return { consoleErrors, foreign };
}

export async function latestStats(page: Page): Promise<Stats | undefined> {
  return page.evaluate(() => document.querySelector('dream-app')!.statsLog.at(-1));
}

export async function statsLog(page: Page): Promise<Stats[]> {
  return page.evaluate(() => [...document.querySelector('dream-app')!.statsLog]);
}

export async function errorLog(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelector('dream-app')!.errorLog]);
}

/** Waits until the worker has reported at least `iteration` steps. */
export async function waitForIteration(page: Page, iteration: number, timeout = 180_000): Promise<Stats> {
  await expect.poll(async () => (await latestStats(page))?.iteration ?? -1, { timeout, intervals: [500] }).toBeGreaterThanOrEqual(iteration);
  return (await latestStats(page))!;
}

/** The stage canvas as PNG bytes (a screenshot of just the canvas). */
export async function canvasShot(page: Page): Promise<Buffer> {
  return page.locator('dream-stage canvas').screenshot();
}
