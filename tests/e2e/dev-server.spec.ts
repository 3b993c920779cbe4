import { expect, test } from '@playwright/test';
import { DEV_PORT } from '../../playwright.config';

test('the dev server (npm start) serves a working app: it streams, cross-origin isolated', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The first visit may trigger Vite's dependency optimisation and one reload.
  await page.goto(`http://127.0.0.1:${DEV_PORT}/?res=80&layers=mixed0`);
  // Until the element is defined it has no statsLog; a reload mid-poll destroys the context: both read as 0.
  const iteration = () =>
    page.evaluate(() => document.querySelector('dream-app')?.statsLog?.at(-1)?.iteration ?? 0).catch(() => 0);
  await expect.poll(iteration, { timeout: 180_000, intervals: [1000] }).toBeGreaterThan(3);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => document.querySelector('dream-app')!.errorLog)).toEqual([]);
  expect(errors).toEqual([]);
});
