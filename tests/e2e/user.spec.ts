/**
 * The app as a person meets it: keys, clicks, uploads and window sizes, and what is then seen on the page (the
 * stage's pixels, the overlay's numbers, the labels, the URL). Each test reproduces a defect a new user found.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { readTextChunks } from '../../src/engine/io/png-text';
import {
  cameraFrames,
  expectChanged,
  expectPicture,
  greyStats,
  latestStats,
  liveFigures,
  meanColour,
  meanDiff,
  openApp,
  overlayNumber,
  PICTURE,
  settledStage,
  shot,
  stageShot,
  statsLog,
  waitForFigure,
  waitForChange,
  waitForPicture,
  waitForShownIteration,
  type Page,
} from './helpers';

const paused = (page: Page, host = 'body') => page.locator(`${host} ds-stats [data-stat="paused"]`);

/** Waits until the worker has confirmed a pause (its stats say so: a paused loop sends no frames after them). */
async function confirmedPause(page: Page): Promise<void> {
  await expect(paused(page)).toBeVisible();
  await expect.poll(async () => (await latestStats(page))?.paused).toBe(true);
}

test('pause, resume, step and reset do what they say, by key and by button, after touching a control', async ({ page }) => {
  await openApp(page, 'res=96&layers=mixed3');
  await waitForShownIteration(page, 3);

  // Touch a slider with the pointer first: the shortcuts must still work afterwards.
  await page.locator('ds-controls input[name="dream.jitter"]').click();
  await page.keyboard.press(' ');
  await confirmedPause(page);
  await expect(page.locator('ds-controls [data-control="resume"]')).toHaveText(/Resume/);
  const frozen = await overlayNumber(page, 'iteration');
  const pausedAt = (await statsLog(page)).length;
  // Paused, the picture holds still: it settles (two looks in a row see the same pixels).
  const still = await settledStage(page);
  expectPicture(still);

  // Space again resumes: the label goes, the button reads Pause, the picture moves on.
  await page.keyboard.press(' ');
  await expect(paused(page)).toBeHidden();
  // The worker's answer to the resume says where the loop stood: no step ran while paused.
  await expect.poll(async () => (await statsLog(page)).slice(pausedAt).find((s) => !s.paused)?.iteration).toBe(frozen);
  await expect(page.locator('ds-controls [data-control="pause"]')).toHaveText(/Pause/);
  await waitForShownIteration(page, frozen + 3);
  expectChanged(still, (await waitForChange(() => stageShot(page), still)).after);

  // A checkbox touched with the pointer keeps its click, and Space is still pause.
  await page.locator('ds-controls input[data-kind="layer"][value="mixed4"]').click();
  await page.keyboard.press(' ');
  await expect(paused(page)).toBeVisible();
  await page.locator('ds-controls [data-control="resume"]').click();
  await expect(paused(page)).toBeHidden();

  // The button pauses too; five quick Step once clicks are five steps.
  await page.locator('ds-controls [data-control="pause"]').click();
  await confirmedPause(page);
  const before = await overlayNumber(page, 'iteration');
  const stepsFrom = (await statsLog(page)).length;
  const step = page.locator('ds-controls [data-control="step"]');
  for (let i = 0; i < 5; i++) await step.click();
  await expect.poll(() => overlayNumber(page, 'iteration')).toBe(before + 5);

  // R while paused shows the reset picture at once, and stays paused.
  const dreamt = await stageShot(page);
  await page.keyboard.press('r');
  await expect.poll(() => overlayNumber(page, 'iteration')).toBe(0);
  // The worker takes controls in order: before the reset, the five clicks made five steps and nothing more.
  const log = (await statsLog(page)).slice(stepsFrom);
  const reset = log.findIndex((s) => s.iteration === 0);
  expect(Math.max(...log.slice(0, reset).map((s) => s.iteration))).toBe(before + 5);
  await expect.poll(async () => meanDiff(await stageShot(page), dreamt)).toBeGreaterThan(2);
  expectPicture(await stageShot(page), 'the reset picture');
  await expect(paused(page)).toBeVisible();
  expect(await overlayNumber(page, 'iteration')).toBe(0);
  await page.screenshot({ path: 'test-results/user-paused.png' });
});

test('the embedded element shows a picture whatever display the page gives it, and takes keys only with focus', async ({ page }) => {
  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await page.goto('/embed.html');
  await expect(page.locator('#log')).toContainText(/step \d+/, { timeout: 120_000 });
  const box = (await page.locator('dream-stream dream-stage').boundingBox())!;
  expect(box.width).toBeGreaterThan(300);
  expect(box.height).toBeGreaterThan(200);
  // A picture, not a black (or flat) box, and it moves on.
  const first = await waitForPicture(page, 'dream-stream');
  const step0 = await waitForShownIteration(page, 1, 'dream-stream');
  await waitForShownIteration(page, step0 + 3, 'dream-stream');
  expectChanged(first, (await waitForChange(() => stageShot(page, 'dream-stream'), first)).after, 'the embedded stage');

  // Keys pressed on the host page are the page's: Space scrolls, the dream keeps going, s and n do nothing.
  await page.locator('h1').click();
  await page.keyboard.press(' ');
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(100);
  await page.keyboard.press('s');
  await page.keyboard.press('n');
  const running = await overlayNumber(page, 'iteration', 'dream-stream');
  await waitForShownIteration(page, running + 2, 'dream-stream');
  await expect(paused(page, 'dream-stream')).toBeHidden();
  expect(downloads).toEqual([]);

  // Clicked, the element has focus and its shortcuts; Space no longer scrolls the page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('dream-stream').click();
  const scrolled = await page.evaluate(() => window.scrollY);
  await page.keyboard.press(' ');
  await expect(paused(page, 'dream-stream')).toBeVisible();
  expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
  expect(page.url()).toMatch(/embed\.html$/);
  await page.screenshot({ path: 'test-results/user-embed.png' });
});

test('stopping the webcam returns to the picture chosen before it; mode, URL and thumbnail agree', async ({ page }) => {
  await openApp(page, 'res=96&layers=mixed3');
  const cat = page.locator('ds-sources [data-sample="chelsea"]');
  await expect(cat).toHaveAttribute('aria-pressed', 'true');
  await waitForShownIteration(page, 3);
  const picture = await shot(page);

  await page.locator('ds-sources [data-action="webcam"]').click();
  await expect(page.locator('ds-controls select[name="mode"]')).toHaveValue('webcam');
  await expect.poll(() => page.evaluate(() => location.search)).toContain('mode=webcam');
  await expect(cat).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => cameraFrames(page)).toBeGreaterThan(8);
  const camera = await shot(page);

  await page.locator('ds-sources [data-action="webcam"]').click();
  await expect(page.locator('ds-sources [data-action="webcam"]')).toHaveText(/Use webcam/);
  await expect(page.locator('ds-controls select[name="mode"]')).toHaveValue('dream');
  await expect.poll(() => page.evaluate(() => location.search)).not.toContain('mode=webcam');
  await expect(cat).toHaveAttribute('aria-pressed', 'true');
  const back = await overlayNumber(page, 'iteration');
  await waitForShownIteration(page, back + 14);
  const after = await shot(page);
  expect(meanDiff(after, picture)).toBeLessThan(meanDiff(after, camera));

  // R now resets to the picture too.
  await page.keyboard.press('r');
  await expect.poll(async () => meanDiff(await shot(page), picture)).toBeLessThan(meanDiff(after, camera));
});

test('a phone-sized window: the stage takes the width, the controls are a sheet behind a button', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openApp(page, 'res=96&layers=mixed3');
  await waitForShownIteration(page, 2);
  const stage = page.locator('dream-stage');
  expect((await stage.boundingBox())!.width).toBeGreaterThanOrEqual(380);
  await expect(page.locator('ds-stats [data-stat="fps"]')).toBeVisible();
  await waitForPicture(page);
  await page.screenshot({ path: 'test-results/user-phone.png' });

  const toggle = page.getByRole('button', { name: 'Controls' });
  await toggle.click();
  await expect(page.locator('aside[aria-label="controls"]')).toBeVisible();
  const s = (await stage.boundingBox())!;
  expect(s.width).toBeGreaterThanOrEqual(300);
  expect(s.height).toBeGreaterThanOrEqual(300);
  // The sheet scrolls to every control.
  await page.locator('ds-controls [data-control="step"]').scrollIntoViewIfNeeded();
  await expect(page.locator('ds-controls [data-control="step"]')).toBeInViewport();
  await page.screenshot({ path: 'test-results/user-phone-sheet.png' });
  await page.getByRole('button', { name: 'Hide controls' }).click();
  await expect(page.locator('aside[aria-label="controls"]')).toBeHidden();

  // The figures are one small line in the corner, not a fifth of the stage.
  const figures = page.locator('ds-stats');
  const line = (await figures.boundingBox())!;
  expect(line.height).toBeLessThan(24);
  expect(line.width * line.height).toBeLessThan(0.02 * s.width * (await stage.boundingBox())!.height);

  // Cover (the default) fills the stage: the picture reaches its top and bottom edges.
  let full = (await stage.boundingBox())!;
  let png = await stageShot(page);
  const third = Math.round(png.height / 3);
  expectPicture(rows(png, 0, third), 'cover: the top third');
  expectPicture(rows(png, png.height - third, png.height), 'cover: the bottom third');

  // A display-size snapshot has the stage's size in device pixels, and carries the look.
  await toggle.click();
  const snapshotStage = (await stage.boundingBox())!;
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Display-size snapshot' }).click();
  const snap = readFileSync(await (await download).path());
  const snapPng = PNG.sync.read(snap);
  expect(Math.abs(snapPng.width - snapshotStage.width)).toBeLessThanOrEqual(1);
  expect(Math.abs(snapPng.height - snapshotStage.height)).toBeLessThanOrEqual(1);
  expect(snapPng.width).toBeGreaterThan(300);
  expectPicture(snapPng, 'the display-size snapshot');
  expect((JSON.parse(readTextChunks(snap).dreamstream!) as { settings: { dream: { layers: { name: string }[] } } }).settings.dream.layers[0]!.name).toBe('mixed3');

  // Contain, chosen in the controls: the whole landscape picture across the width, the stage's background in
  // bars above and below it.
  await page.locator('ds-controls select[name="fit"]').selectOption('contain');
  await expect.poll(() => page.evaluate(() => location.search)).toContain('fit=contain');
  await page.getByRole('button', { name: 'Hide controls' }).click();
  full = (await stage.boundingBox())!;
  await expect.poll(async () => {
    png = await stageShot(page);
    return greyStats(rows(png, 0, Math.round(png.height * 0.25))).mean;
  }).toBeLessThan(3);
  const bars = [rows(png, 0, Math.round(png.height * 0.25)), rows(png, Math.round(png.height * 0.75), png.height)];
  for (const bar of bars) expect(greyStats(bar)).toEqual({ mean: expect.closeTo(0, 0), std: expect.closeTo(0, 0) });
  expectPicture(rows(png, Math.round(png.height * 0.42), Math.round(png.height * 0.58)), 'contain: the middle');
  // The picture spans the whole width: its left and right edges are picture, not bars.
  const mid = rows(png, Math.round(png.height * 0.45), Math.round(png.height * 0.55));
  expect(greyStats(cols(mid, 0, 20)).mean).toBeGreaterThan(PICTURE.mean / 3);
  expect(greyStats(cols(mid, mid.width - 20, mid.width)).mean).toBeGreaterThan(PICTURE.mean / 3);
  await page.screenshot({ path: 'test-results/user-phone-contain.png' });
  expect(full.height).toBeGreaterThan(700);

  // O hides the figures; the choice (and the framing, in the link) survives a reload; O shows them again.
  await page.keyboard.press('o');
  await expect(figures).toBeHidden();
  await page.reload();
  await expect.poll(() => latestStats(page).then((x) => x?.iteration ?? 0), { timeout: 120_000 }).toBeGreaterThan(0);
  await expect(figures).toBeHidden();
  await expect(stage).toHaveAttribute('fit', 'contain');
  await page.keyboard.press('o');
  await expect(page.locator('ds-stats [data-stat="fps"]')).toBeVisible();

  // Sharp (with the resolution left to it): the picture dreams at the size it is shown, the stage's 390 device
  // pixels across (rounded up to the ladder's 32), not the 96 asked for before.
  await toggle.click();
  await page.locator('ds-controls select[name="resolution"]').selectOption('0');
  await page.locator('ds-controls select[name="detail"]').selectOption('sharp');
  await expect.poll(() => page.evaluate(() => location.search)).toContain('detail=sharp');
  await expect.poll(async () => Math.max(...((await latestStats(page))?.resolution ?? [0])), { timeout: 180_000 }).toBe(416);
});

/** Rows y0..y1 of a decoded screenshot. */
function rows(png: PNG, y0: number, y1: number): PNG {
  const out = new PNG({ width: png.width, height: y1 - y0 });
  png.data.copy(out.data, 0, y0 * png.width * 4, y1 * png.width * 4);
  return out;
}

/** Columns x0..x1 of a decoded screenshot. */
function cols(png: PNG, x0: number, x1: number): PNG {
  const out = new PNG({ width: x1 - x0, height: png.height });
  for (let y = 0; y < png.height; y++) png.data.copy(out.data, y * (x1 - x0) * 4, (y * png.width + x0) * 4, (y * png.width + x1) * 4);
  return out;
}

test('URL notices: one notice lists every rejected parameter in plain words; explicit values apply over a preset', async ({ page }) => {
  await openApp(page, 'preset=spiral&zoom=1.05&res=abc&bogus=1&rotate=abc&backend=xyz&content=nope');
  const toasts = page.locator('ds-toasts');
  await expect(toasts).toContainText('Ignored 5 URL parameters');
  for (const part of ['res=abc', 'whole number', 'bogus', 'rotate=abc', 'backend=xyz', 'content=nope']) await expect(toasts).toContainText(part);
  await expect(toasts).not.toContainText('a number an integer');
  await expect(page.locator('ds-controls input[name="stream.zoom"]')).toHaveValue('1.05');
  await expect.poll(() => page.evaluate(() => location.search)).toContain('zoom=1.05');
  await expect(page.locator('select#preset')).toHaveValue('spiral');
  // The recorder says which codec each format uses.
  const formats = await page.locator('ds-recorder select option').allTextContents();
  expect(formats.length).toBeGreaterThan(0);
  expect(new Set(formats).size).toBe(formats.length);
  for (const f of formats) expect(f).toMatch(/\(.+\)/);
});

test('own images: no sample stays marked, a shared link says the picture cannot travel; SVG is drawn', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openApp(page, 'res=96&layers=mixed3');
  await waitForShownIteration(page, 2);
  const red = new PNG({ width: 160, height: 120 });
  for (let i = 0; i < red.width * red.height; i++) red.data.set([220, 40, 30, 255], i * 4);
  await page.locator('ds-sources input[name="content-file"]').setInputFiles({ name: 'red.png', mimeType: 'image/png', buffer: PNG.sync.write(red) });
  await expect(page.locator('ds-sources [data-sample="chelsea"]')).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(async () => meanColour(await shot(page))[0]).toBeGreaterThan(120);
  await expect.poll(() => page.evaluate(() => location.search)).not.toContain('content=');
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.locator('ds-toasts')).toContainText('does not contain your picture (red.png)');

  // SVG is offered by the picker, so it is drawn, not refused.
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="150"><rect width="200" height="150" fill="#1040e0"/><circle cx="100" cy="75" r="40" fill="#ffe020"/></svg>';
  await page.locator('ds-sources input[name="content-file"]').setInputFiles({ name: 'blue.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(svg) });
  await expect.poll(async () => {
    const [r, , b] = meanColour(await shot(page));
    return b - r;
  }).toBeGreaterThan(40);
  await expect(page.locator('ds-toasts')).not.toContainText('not an image');
});

test('live figures on wasm: the overlay shows finite rates that move as the stream runs, and the thread count asked for', async ({ page }) => {
  await openApp(page, 'res=96&layers=mixed3&threads=1');
  await waitForShownIteration(page, 4);
  await liveFigures(page);
  await expect(page.locator('[data-stat="backend-reason"]')).toContainText('1 thread, as asked');
});
