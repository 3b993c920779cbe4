import { expect, test } from '@playwright/test';
import config from '../../playwright.config';
import { errorLog, latestStats, meanColour, openApp, waitForIteration, waitForPicture } from './helpers';

// The same browser without a fake camera: getUserMedia finds no device.
const args = (config.use?.launchOptions?.args ?? []).filter((a) => !a.includes('fake'));
test.use({ launchOptions: { ...config.use?.launchOptions, args } });

test('a missing camera gives a clear message and the stream falls back to the picture', async ({ page }) => {
  await openApp(page, 'mode=webcam&res=80');
  await expect(page.locator('ds-toasts [role="alert"]').first()).toContainText(/camera/);
  expect((await errorLog(page)).length).toBe(0);
  const s = await waitForIteration(page, 3);
  expect(s.mode).toBe('dream');
  // The stage shows the sample picture: a picture, in the cat's warm colours (red above blue by about 70).
  const stage = await waitForPicture(page);
  const [r, , b] = meanColour(stage);
  expect(r - b).toBeGreaterThan(30);
});
