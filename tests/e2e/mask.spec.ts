/**
 * The mask as a person uses it: M, a drag across the left of the stage, M again; the dream then changes the
 * painted part and leaves the rest as it was. A snapshot carries the mask; cleared, the snapshot dropped back
 * brings it back.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { lookFromPng } from '../../src/engine/params/look';
import { meanDiff, openApp, waitForChange, waitForShownIteration } from './helpers';

/** A region of the stage canvas, in fractions of its box, as a person sees it. */
async function region(page: Page, x0: number, x1: number, y0 = 0.35, y1 = 0.65): Promise<PNG> {
  const box = (await page.locator('dream-stage canvas[role="img"]').boundingBox())!;
  const clip = { x: box.x + box.width * x0, y: box.y + box.height * y0, width: box.width * (x1 - x0), height: box.height * (y1 - y0) };
  return PNG.sync.read(await page.screenshot({ clip }));
}
const left = (page: Page) => region(page, 0.08, 0.28);
const right = (page: Page) => region(page, 0.7, 0.95);

/** The mask's values (its alpha, 0–255) by halves: what is painted on the left and on the right. */
async function maskHalves(page: Page): Promise<{ left: number; right: number; values: number[] }> {
  return page.locator('ds-mask canvas').evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let l = 0;
    let r = 0;
    const values: number[] = [];
    for (let y = 0; y < c.height; y++)
      for (let x = 0; x < c.width; x++) {
        const a = data[(y * c.width + x) * 4 + 3]!;
        values.push(a);
        if (x < c.width / 2) l += a;
        else r += a;
      }
    return { left: l / (c.width * c.height * 127.5), right: r / (c.width * c.height * 127.5), values };
  });
}

/** Drags the mouse down the left of the stage, twice, as one stroke each. */
async function paintLeft(page: Page): Promise<void> {
  const box = (await page.locator('dream-stage').boundingBox())!;
  for (const fx of [0.12, 0.22]) {
    await page.mouse.move(box.x + box.width * fx, box.y + box.height * 0.05);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * fx, box.y + box.height * (0.05 + 0.09 * i));
    await page.mouse.up();
  }
}

test('paint a mask: the dream stays where it is painted, and a snapshot carries the mask back', async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page, 'backend=wasm&res=96&layers=mixed3&step=0.05&zoom=1');
  let at = await waitForShownIteration(page, 3);

  // Without a mask the whole picture dreams: the right side changes too. The paint may follow the overlay's
  // figures by a moment on loaded cores, so the stage is watched until it moves rather than read at an iteration.
  const { moved: unmasked } = await waitForChange(() => right(page), await right(page), 1);
  at = await waitForShownIteration(page, at + 1);

  await page.keyboard.press('m');
  await expect(page.locator('ds-mask')).toHaveAttribute('painting', '');
  await expect(page.locator('ds-mask-controls [data-mask="paint"]')).toHaveAttribute('aria-pressed', 'true');
  await paintLeft(page);
  const painted = await maskHalves(page);
  expect(painted.left).toBeGreaterThan(0.3);
  expect(painted.right).toBe(0);
  await page.screenshot({ path: test.info().outputPath('mask-painting.png') });
  // E erases with a larger brush (]): a stroke across takes some of it away, and Undo puts it back.
  await page.keyboard.press('e');
  await page.keyboard.press(']');
  await expect(page.locator('ds-mask-controls [data-mask="erase"]')).toHaveAttribute('aria-pressed', 'true');
  const stage = (await page.locator('dream-stage').boundingBox())!;
  await page.mouse.move(stage.x + stage.width * 0.02, stage.y + stage.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(stage.x + stage.width * 0.4, stage.y + stage.height * 0.5, { steps: 10 });
  await page.mouse.up();
  expect((await maskHalves(page)).left).toBeLessThan(painted.left * 0.9);
  await page.locator('ds-mask-controls [data-mask="undo"]').click();
  expect((await maskHalves(page)).left).toBeCloseTo(painted.left, 3);
  await page.keyboard.press('e');
  await page.keyboard.press('m');
  await expect(page.locator('ds-mask')).not.toHaveAttribute('painting', '');
  await expect(page.locator('ds-mask-controls .hint').first()).toContainText('applies where the mask is painted');

  // From the next steps on, the painted left keeps dreaming and the right stays as it was.
  // The right is read in the same two screenshots in which the left is seen to move.
  // First the frames painted before the mask have to be off the stage: the right is at rest across two steps.
  at = await waitForShownIteration(page, at + 2);
  let rest = await right(page);
  await expect
    .poll(async () => {
      at = await waitForShownIteration(page, at + 2);
      const next = await right(page);
      const d = meanDiff(rest, next);
      rest = next;
      return d;
    }, { timeout: 60_000, intervals: [200] })
    .toBeLessThan(0.05);
  const [l0, r0] = [await left(page), await right(page)];
  let r1 = r0;
  const both = async () => {
    const l = await left(page);
    r1 = await right(page);
    return l;
  };
  const { moved: inside } = await waitForChange(both, l0, 1);
  const outside = meanDiff(r0, r1);
  await page.screenshot({ path: test.info().outputPath('mask-dreaming.png') });
  console.log(`mask: the right side moved ${unmasked.toFixed(2)} unmasked; masked, while the left moved ${inside.toFixed(2)} the right moved ${outside.toFixed(3)} (mean |Δ| of 0-255)`);
  expect(outside).toBeLessThan(0.3);

  // The snapshot carries the mask: white where it was painted.
  const download = page.waitForEvent('download');
  await page.keyboard.press('s');
  const png = readFileSync((await (await download).path())!);
  const look = lookFromPng(png)!;
  expect(look.mask).toMatch(/^data:image\/png;base64,/);
  const carried = PNG.sync.read(Buffer.from(look.mask!.split(',')[1]!, 'base64'));
  const grey = (fx: number, fy: number) => carried.data[(Math.floor(fy * carried.height) * carried.width + Math.floor(fx * carried.width)) * 4]!;
  expect(grey(0.17, 0.5)).toBeGreaterThan(200);
  expect(grey(0.8, 0.5)).toBe(0);

  // Cleared, the look applies everywhere again (Undo brings the mask back); the snapshot dropped back restores it too.
  const clear = page.locator('ds-mask-controls [data-mask="clear"]');
  await clear.click();
  expect(await maskHalves(page)).toMatchObject({ left: 0, right: 0 });
  await expect(page.locator('ds-mask-controls .hint').first()).toContainText('No mask');
  await page.locator('ds-mask-controls [data-mask="undo"]').click();
  expect((await maskHalves(page)).left).toBeCloseTo(painted.left, 3);
  await clear.click();
  await expect(page.locator('ds-mask-controls .hint').first()).toContainText('No mask');
  const transfer = await page.evaluateHandle((b64) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'snap.png', { type: 'image/png' }));
    return dt;
  }, png.toString('base64'));
  await page.dispatchEvent('dream-stage', 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent('dream-stage', 'drop', { dataTransfer: transfer });
  await expect(page.locator('ds-toasts')).toContainText('look restored');
  await expect(page.locator('ds-mask-controls .hint').first()).toContainText('applies where the mask is painted');
  const restored = await maskHalves(page);
  expect(restored.right).toBe(0);
  const off = restored.values.reduce((s, v, i) => s + Math.abs(v - painted.values[i]!), 0) / restored.values.length;
  expect(off).toBeLessThan(3);
});

test('two paintings either side of a painted mask: Starry Night stays inside, The Scream takes the outside', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(page, 'mode=style&res=80&style=starry-night');
  await waitForShownIteration(page, 10);
  await page.locator('ds-sources button[data-role="style2"][data-sample="scream"]').click();
  await page.locator('ds-mask-controls select[name="mask.outside"]').selectOption('other');
  await expect.poll(() => page.evaluate(() => location.search)).toContain('mask.outside=other');
  /** How much warmer the right of the stage is than its left (red minus blue): Starry Night is blue, The Scream orange-red. */
  const warmth = async (x0: number, x1: number) => {
    const png = await region(page, x0, x1, 0.2, 0.8);
    let r = 0;
    let b = 0;
    for (let i = 0; i < png.data.length; i += 4) [r, b] = [r + png.data[i]!, b + png.data[i + 2]!];
    return (r - b) / (png.width * png.height);
  };
  const split = async () => (await warmth(0.7, 0.95)) - (await warmth(0.05, 0.3));
  await waitForShownIteration(page, 20);
  // Both paintings blended everywhere: whatever the two sides differ by is the photo's doing.
  const blended = await split();
  // A large brush down the left half: from the next steps the left takes Starry Night alone, the right The Scream.
  await page.keyboard.press('m');
  for (let i = 0; i < 4; i++) await page.keyboard.press(']');
  await paintLeft(page);
  await page.keyboard.press('m');
  await expect.poll(split, { timeout: 120_000, intervals: [1000] }).toBeGreaterThan(blended + 20);
  console.log(`two paintings: right minus left warmth ${blended.toFixed(1)} blended, ${(await split()).toFixed(1)} split by the mask`);
  await page.screenshot({ path: test.info().outputPath('two-paintings.png') });
  // Unchanged outside: the right shows the photo again, which is not what The Scream painted there.
  const painted = await region(page, 0.7, 0.95, 0.2, 0.8);
  await page.locator('ds-mask-controls select[name="mask.outside"]').selectOption('keep');
  await expect.poll(async () => meanDiff(painted, await region(page, 0.7, 0.95, 0.2, 0.8)), { timeout: 60_000 }).toBeGreaterThan(10);
});
