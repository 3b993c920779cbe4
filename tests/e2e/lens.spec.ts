/**
 * The lens in Chromium, as a person uses it: open Lens, read the most active channels' maps, choose one (the stage
 * shows it), click the picture, watch the maps follow the camera, browse the atlas and dream with a tile, reload
 * and find the atlas in the browser's storage.
 */
import { expect, test, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { latestStats, openApp, stageShot, waitForIteration } from './helpers';

test.describe.configure({ mode: 'serial' });

/** The inspector's tiles as decoded pixels (each tile's canvas read back), keyed by channel. */
async function tilePixels(page: Page): Promise<Map<number, number[]>> {
  const tiles = await page.locator('ds-inspector').evaluate((el) =>
    [...el.shadowRoot!.querySelectorAll<HTMLCanvasElement>('[data-set="main"] canvas')].map((c) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      return { key: Number(c.closest('button')!.dataset['key']), rgb: [...d].filter((_, i) => i % 4 !== 3) };
    }),
  );
  return new Map(tiles.map((t) => [t.key, t.rgb]));
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const meanAbs = (a: number[], b: number[]) => mean(a.map((x, i) => Math.abs(x - b[i]!)));
const pngDiff = (a: PNG, b: PNG) => {
  let s = 0;
  for (let i = 0; i < a.data.length; i += 4) for (let k = 0; k < 3; k++) s += Math.abs(a.data[i + k]! - b.data[i + k]!);
  return s / ((a.data.length / 4) * 3);
};

test('Lens: the activation grid shows distinct maps that follow the camera; choosing one puts it over the picture', async ({ page }, info) => {
  test.setTimeout(300_000);
  await openApp(page, 'backend=wasm&mode=lens&lens.layer=mixed2&res=128');
  await waitForIteration(page, 2);
  const title = page.locator('ds-inspector').locator('[data-inspection-title]');
  await expect(title).toContainText('mixed2: the 12 most active channels', { timeout: 60_000 });
  const first = await tilePixels(page);
  expect(first.size).toBe(12);
  const maps = [...first.values()];
  // Not black, and not one map twelve times.
  for (const m of maps) expect(mean(m)).toBeGreaterThan(20);
  for (let i = 1; i < maps.length; i++) expect(meanAbs(maps[i]!, maps[0]!)).toBeGreaterThan(3);
  await page.screenshot({ path: info.outputPath('lens-activations.png') });

  // Choosing the fifth map: the stage shows that channel over the picture.
  const before = await stageShot(page);
  const fifth = [...first.keys()][4]!;
  await page.locator('ds-inspector').locator(`button[data-key="${fifth}"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`lens\\.channel=${fifth}`));
  await expect.poll(async () => pngDiff(await stageShot(page), before), { timeout: 60_000 }).toBeGreaterThan(4);

  // A click on the picture lists the channels firing most there.
  const stage = page.locator('dream-stage');
  const box = (await stage.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.locator('ds-inspector').locator('[data-picked-title]')).toContainText('mixed2 at', { timeout: 60_000 });
  await expect(page.locator('ds-inspector').locator('.rows li')).toHaveCount(8);

  // The camera on: the lens stays and its maps are the camera's now.
  await page.locator('ds-sources button[data-action="webcam"]').click();
  await expect(page.locator('ds-sources button[data-action="webcam"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/mode=lens/);
  const onCamera = async () => {
    const now = await tilePixels(page);
    const shared = [...now.keys()].filter((k) => first.has(k));
    const changed = shared.length < 12 || shared.some((k) => meanAbs(now.get(k)!, first.get(k)!) > 3);
    return changed;
  };
  await expect.poll(onCamera, { timeout: 90_000 }).toBe(true);
  await page.locator('ds-inspector').scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath('lens-camera.png') });
});

test('Lens on a phone: the picture takes the width; in the sheet the inspector\'s maps choose a channel, and P probes the centre', async ({ page }, info) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await openApp(page, 'backend=wasm&mode=lens&lens.layer=mixed3&res=96');
  await waitForIteration(page, 2);
  expect((await page.locator('dream-stage').boundingBox())!.width).toBeGreaterThanOrEqual(380);
  await page.getByRole('button', { name: 'Controls' }).click();
  const tiles = page.locator('ds-inspector').locator('[data-set="main"] button');
  await expect(tiles).toHaveCount(12, { timeout: 60_000 });
  await expect(tiles.nth(2)).toBeInViewport();
  const key = await tiles.nth(2).getAttribute('data-key');
  await tiles.nth(2).click();
  await expect(page).toHaveURL(new RegExp(`lens\\.channel=${key}`));
  await expect(tiles.nth(2)).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: info.outputPath('lens-phone.png') });
  await page.getByRole('button', { name: 'Hide controls' }).click();
  await page.keyboard.press('p');
  await page.getByRole('button', { name: 'Controls' }).click();
  await expect(page.locator('ds-inspector').locator('[data-picked-title]')).toContainText('mixed3 at', { timeout: 60_000 });
});

test('Lens saliency: the heat map lies over the sample, and the Overlay slider takes it off', async ({ page }, info) => {
  test.setTimeout(240_000);
  await openApp(page, 'backend=wasm&mode=lens&lens.view=saliency&lens.method=gradient&lens.layer=mixed3&res=128');
  await waitForIteration(page, 2);
  const heat = await stageShot(page);
  await page.screenshot({ path: info.outputPath('lens-saliency.png') });
  // Overlay 0: the picture alone.
  const slider = page.locator('ds-controls').locator('input[name="lens.overlay"]');
  await slider.fill('0');
  await expect(page).toHaveURL(/lens\.overlay=0/);
  await expect.poll(async () => pngDiff(await stageShot(page), heat), { timeout: 60_000 }).toBeGreaterThan(6);
  const plain = await stageShot(page);
  // The heat map's colours (viridis: green and yellow where it is hot) are on the picture only with the overlay.
  const greenness = (png: PNG) => {
    let g = 0;
    for (let i = 0; i < png.data.length; i += 4) g += Math.max(0, png.data[i + 1]! - (png.data[i]! + png.data[i + 2]!) / 2);
    return g / (png.data.length / 4);
  };
  expect(greenness(heat)).toBeGreaterThan(greenness(plain) + 3);
});

test('Lens atlas: tiles fill, a tile dreams with its channel, and a reload takes them from the browser’s storage', async ({ page }, info) => {
  test.setTimeout(600_000);
  await openApp(page, 'backend=wasm&mode=lens&lens.view=atlas&lens.layer=mixed0&res=256');
  const title = page.locator('ds-inspector').locator('[data-inspection-title]');
  // The first batch of four tiles, made here.
  await expect(title).toContainText(/: ([4-9]|\d\d) of 64 tiles \(0 from the cache/, { timeout: 420_000 });
  await page.screenshot({ path: info.outputPath('lens-atlas.png') });

  // After a reload the tiles made are there at once, from the cache.
  await page.reload();
  await expect(title).toContainText(/\(([4-9]|\d\d) from the cache/, { timeout: 120_000 });

  // The first tile (top left of the sheet, channel 0): dreaming with it.
  const stage = page.locator('dream-stage');
  const atlas = await stageShot(page);
  const box = (await stage.boundingBox())!;
  const side = Math.min(box.width, box.height);
  await page.mouse.click(box.x + (box.width - side) / 2 + side * 0.06, box.y + (box.height - side) / 2 + side * 0.06);
  // DeepDream is the default mode: the URL drops mode= and names the layer and the channel.
  await expect(page).not.toHaveURL(/mode=lens/, { timeout: 60_000 });
  await expect(page).toHaveURL(/layers=mixed0%3A1/);
  await expect(page).toHaveURL(/channel=0/);
  await expect.poll(async () => (await latestStats(page))?.mode, { timeout: 60_000 }).toBe('dream');
  await expect.poll(async () => pngDiff(await stageShot(page), atlas), { timeout: 120_000 }).toBeGreaterThan(10);
  await page.screenshot({ path: info.outputPath('lens-dream-from-atlas.png') });
});
