import { expect, test } from '@playwright/test';
import { DEV_PORT } from '../../playwright.config';
import { errorLog, recordDreamEvents } from './helpers';

test('the dev server (npm start) serves a working app: it streams, cross-origin isolated', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(recordDreamEvents);
  // The first visit may trigger Vite's dependency optimisation and one reload.
  await page.goto(`http://127.0.0.1:${DEV_PORT}/?res=80&layers=mixed0`);
  // Until the first dream-stats there is no report; a reload mid-poll destroys the context: both read as 0.
  const iteration = () => page.evaluate(() => window.dreamEvents?.stats.at(-1)?.iteration ?? 0).catch(() => 0);
  await expect.poll(iteration, { timeout: 180_000, intervals: [1000] }).toBeGreaterThan(3);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await errorLog(page)).toEqual([]);
  expect(errors).toEqual([]);
});
