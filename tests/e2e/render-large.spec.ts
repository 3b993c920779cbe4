import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { PNG } from 'pngjs';
import { lookFromPng } from '../../src/engine/params/look';
import { latestStats, openApp, waitForIteration } from './helpers';

test('Render large: a 2K still from the frame on screen through tiles, with progress; the PNG is 2048 px on its long side and carries the look; cancel stops one', async ({ page }) => {
  test.setTimeout(600_000);
  // From the frame on screen (the default) at 2K on wasm (headless Chromium has a software GPU only), one step per
  // octave: the octaves come down to the 96 px live picture, so the look's one octave becomes eight at a scale of
  // about 1.55 (2048/96 is more than 1.4⁷), of which the smallest (96×64 for a 3:2 picture) is under the network's
  // 75 px minimum and left out: 7 (6 to 8 allowed: the picture's aspect decides).
  await openApp(page, 'res=96&layers=mixed3&dream.octaves=1');
  await waitForIteration(page, 2);
  const panel = page.locator('ds-render-large');
  await panel.locator('summary').click();
  await expect(panel.locator('select[name="large.start"]')).toHaveValue('frame');
  await panel.locator('select[name="large.size"]').selectOption('2048');
  await panel.locator('input[name="large.steps"]').fill('1');
  await panel.locator('input[name="large.steps"]').dispatchEvent('change');
  const download = page.waitForEvent('download', { timeout: 540_000 });
  await panel.locator('button[data-action="render-large"]').click();
  // The last octaves are tiled (wasm's tile is about 650 px here: 2K takes a dozen).
  await expect(panel.locator('[data-stat="render-large"]')).toHaveText(/^\d\/[6-8] · \d+×\d+, ([2-9]|\d\d+) tiles$/, { timeout: 540_000 });
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^dreamstream-\d+x\d+-.*\.png$/);
  const bytes = readFileSync((await file.path())!);
  const png = PNG.sync.read(bytes);
  expect(Math.max(png.width, png.height)).toBe(2048);
  expect(file.suggestedFilename()).toContain(`${png.width}x${png.height}`);
  // The look the still was made with, as a snapshot carries it: dropped back on the app it dreams on alike.
  const look = lookFromPng(new Uint8Array(bytes));
  expect(look?.settings).toMatchObject({ mode: 'dream', dream: { octaves: 1, layers: [{ name: 'mixed3', weight: 1 }] } });
  await expect(panel.locator('a')).toHaveCount(1);
  // The live stream goes on afterwards.
  const now = (await latestStats(page))!.iteration;
  await waitForIteration(page, now + 2);

  // Cancel: a 4K still from the source picture cancelled at once; nothing is downloaded and the stream resumes.
  await panel.locator('select[name="large.start"]').selectOption('source');
  await panel.locator('select[name="large.size"]').selectOption('3840');
  await panel.locator('button[data-action="render-large"]').click();
  await panel.locator('button[data-action="render-large-cancel"]').click();
  await expect(panel.locator('button[data-action="render-large"]')).toBeVisible({ timeout: 540_000 });
  await expect(panel.locator('a')).toHaveCount(1);
  const after = (await latestStats(page))!.iteration;
  await waitForIteration(page, after + 2);
});
