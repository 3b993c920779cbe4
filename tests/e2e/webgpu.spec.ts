/**
 * WebGPU in the page, on SwiftShader (CPU-emulated): the worker's loop and the embedded element, each asserted on the
 * stage's pixels. These two run in a project of their own, after every other browser test and one at a time
 * (playwright.config.ts): on 2 cores a SwiftShader queue shares the CPU with nothing else, so the page's screenshots
 * are not held behind it.
 */
import { expect, test } from '@playwright/test';
import { errorLog, expectChanged, liveFigures, openApp, overlayNumber, stageShot, statsLog, waitForChange, waitForFigure, waitForIteration, waitForPicture, waitForShownIteration } from './helpers';

test('?backend=webgpu runs the loop on WebGPU inside the worker', async ({ page }) => {
  test.setTimeout(600_000);
  await openApp(page, 'backend=webgpu&res=80&layers=mixed0&steps=1');
  const s = await waitForIteration(page, 2, 230_000);
  expect(s.backend).toBe('webgpu');
  await expect(page.locator('ds-stats [data-stat="backend"]')).toHaveText(/webgpu/);
  await expect(page.locator('[data-stat="backend-reason"]')).toContainText('forced');
  // The first steps run on tfjs ops while the recorded plan compiles; then the overlay says the plan runs, and the
  // stage (WebGPU paints it by its own route) shows a picture, not black, that keeps changing under the plan.
  await expect(page.locator('ds-stats [data-stat="path"]')).toHaveText('plan', { timeout: 240_000 });
  const before = await waitForPicture(page);
  await waitForIteration(page, (await statsLog(page)).at(-1)!.iteration + 3, 120_000);
  const moved = expectChanged(before, (await waitForChange(() => stageShot(page), before, undefined, 120_000)).after, 'the WebGPU stage under the plan');
  console.log(`webgpu stage under the plan: changed by ${moved.toFixed(2)} over 3+ steps`);
  expect(await errorLog(page)).toEqual([]);
  await page.locator('ds-stats').screenshot({ path: 'test-results/webgpu-plan-stats.png' });
});

test('the embedded element on WebGPU: it says it compiles, then shows live figures, the device time, and a picture that changes', async ({ page }) => {
  test.setTimeout(420_000);
  // The host page's element, told to read this URL (url-state) so that the test can give it a small picture.
  await page.route('**/embed.html*', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: (await response.text()).replace('<dream-stream id="dream"', '<dream-stream id="dream" url-state') });
  });
  await page.goto('/embed.html?backend=webgpu&res=80&layers=mixed0');
  const host = 'dream-stream';
  await expect(page.locator(host)).toHaveAttribute('url-state', '');
  // While shaders compile, the overlay says so and counts the seconds.
  await expect(page.locator(`${host} ds-stats [data-state="waiting"]`)).toContainText(/compiling shaders|loading the model/, { timeout: 60_000 });
  await waitForShownIteration(page, 3, host, 300_000);
  await expect(page.locator(`${host} ds-stats [data-stat="backend"]`)).toHaveText(/webgpu/);
  // WebGPU paints the stage by its own route (no readback): what is on it is a picture, and it moves on.
  const before = await waitForPicture(page, host);
  const at = await overlayNumber(page, 'iteration', host);
  await liveFigures(page, host);
  await waitForShownIteration(page, at + 3, host, 240_000);
  const moved = expectChanged(before, (await waitForChange(() => stageShot(page, host), before, undefined, 120_000)).after, 'the embedded WebGPU stage');
  // SwiftShader has timestamp queries: the overlay shows the device time of a sampled step.
  await waitForFigure(page, 'gpu-ms', (ms) => ms > 0, host, 60_000);
  console.log(`embedded WebGPU stage: changed by ${moved.toFixed(2)} over 3+ steps`);
  // A screenshot needs the compositor: it must not wait behind a deep GPU queue.
  await page.screenshot({ path: 'test-results/user-webgpu-embed.png' });
});
