/**
 * The DeepDream Gradient choice as a person uses it: paused, reset, a few single steps, and the picture compared.
 * The same steps from the same start give the same picture; with Laplacian bands instead of the std, another one.
 */
import { expect, test, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { openApp, waitForShownIteration } from './helpers';

/** The stage canvas's right half (the stats overlay sits on the left), decoded. */
async function rightHalf(page: Page): Promise<PNG> {
  const box = (await page.locator('dream-stage canvas[role="img"]').boundingBox())!;
  const clip = { x: box.x + box.width / 2, y: box.y, width: box.width / 2, height: box.height };
  return PNG.sync.read(await page.screenshot({ clip }));
}

const diff = (a: PNG, b: PNG) => {
  let d = 0;
  for (let i = 0; i < a.data.length; i += 4) for (let k = 0; k < 3; k++) d += Math.abs(a.data[i + k]! - b.data[i + k]!);
  return d / (a.width * a.height * 3);
};

test('Gradient: the same steps from a reset give the same picture, Laplacian bands give another', async ({ page }) => {
  await openApp(page, 'res=96&layers=mixed3');
  await waitForShownIteration(page, 2);
  const iteration = page.locator('ds-stats [data-stat="iteration"]');
  const threeSteps = async (): Promise<PNG> => {
    await page.locator('ds-controls [data-control="reset"]').click();
    await expect(iteration).toHaveText('0');
    for (let i = 0; i < 3; i++) await page.locator('ds-controls [data-control="step"]').click();
    await expect(iteration).toHaveText('3');
    await page.waitForTimeout(500);
    return rightHalf(page);
  };
  await page.keyboard.press(' ');
  await expect(page.locator('ds-stats [data-stat="paused"]')).toBeVisible();
  const std = await threeSteps();
  const again = await threeSteps();
  await page.locator('ds-controls select[name="dream.normalise"]').selectOption('laplacian');
  await expect.poll(() => page.evaluate(() => location.search)).toContain('dream.normalise=laplacian');
  const bands = await threeSteps();
  expect(diff(std, again)).toBeLessThan(0.5);
  expect(diff(std, bands)).toBeGreaterThan(2);
});
