/**
 * The DeepDream Gradient choice as a person uses it: paused, reset, a few single steps, and the picture compared.
 * The same steps from the same start give the same picture; with Laplacian bands instead of the std, another one.
 */
import { expect, test } from '@playwright/test';
import type { PNG } from 'pngjs';
import { expectChanged, expectPicture, meanDiff, openApp, settledStage, waitForShownIteration } from './helpers';

test('Gradient: the same steps from a reset give the same picture, Laplacian bands give another', async ({ page }) => {
  await openApp(page, 'res=96&layers=mixed3');
  await waitForShownIteration(page, 2);
  const iteration = page.locator('ds-stats [data-stat="iteration"]');
  const threeSteps = async (): Promise<PNG> => {
    await page.locator('ds-controls [data-control="reset"]').click();
    await expect(iteration).toHaveText('0');
    for (let i = 0; i < 3; i++) await page.locator('ds-controls [data-control="step"]').click();
    await expect(iteration).toHaveText('3');
    return settledStage(page);
  };
  await page.keyboard.press(' ');
  await expect(page.locator('ds-stats [data-stat="paused"]')).toBeVisible();
  const std = await threeSteps();
  const again = await threeSteps();
  await page.locator('ds-controls select[name="dream.normalise"]').selectOption('laplacian');
  await expect.poll(() => page.evaluate(() => location.search)).toContain('dream.normalise=laplacian');
  const bands = await threeSteps();
  expectPicture(std);
  expect(meanDiff(std, again)).toBe(0);
  expectChanged(std, bands, 'std against Laplacian bands', 2);
});
