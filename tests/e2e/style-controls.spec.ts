/**
 * Style transfer's controls as a person uses them: a second painting picked in the panel, its share on a slider,
 * "None" to go back to one painting, and the weight of one style layer; checked on the stage's colours, the
 * controls and the URL.
 */
import { expect, test, type Page } from '@playwright/test';
import { meanColour, openApp, shot, waitForShownIteration } from './helpers';

/** How much warmer than blue the stage is (red minus blue, 0–255): Starry Night is blue, The Scream orange-red. */
async function warmth(page: Page): Promise<number> {
  const [r, , b] = meanColour(await shot(page));
  return r - b;
}

const search = (page: Page) => page.evaluate(() => decodeURIComponent(location.search));

test('a second painting blends in: the stage warms toward The Scream, the share slider and the URL follow, None goes back', async ({ page }) => {
  await openApp(page, 'mode=style&res=80&style=starry-night');
  // Past the cross-fade from the photo: the picture is in Starry Night's colours.
  await waitForShownIteration(page, 20);
  const alone = await warmth(page);

  await page.locator('ds-sources button[data-role="style2"][data-sample="scream"]').click();
  await expect(page.locator('ds-sources button[data-role="style2"][data-sample="scream"]')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => search(page)).toContain('style2=scream');
  expect(await search(page)).toContain('blend=0.5,0.5');
  const share = page.locator('ds-controls input[name="style.styleBlend"]');
  await expect(share).toHaveValue('0.5');
  // The photo is recoloured toward the blend of both paintings' colours: the picture warms.
  await expect.poll(() => warmth(page), { timeout: 60_000 }).toBeGreaterThan(alone + 8);
  const half = await warmth(page);

  // All of it to the second painting: warmer still.
  await share.fill('1');
  await expect.poll(() => search(page)).toContain('blend=0,1');
  await expect.poll(() => warmth(page), { timeout: 60_000 }).toBeGreaterThan(half + 8);

  // None: one painting again, the link loses the blend and the second painting, the stage cools back.
  await page.locator('ds-sources button[data-role="style2"][data-sample="none"]').click();
  await expect.poll(() => search(page)).not.toContain('style2=');
  expect(await search(page)).not.toContain('blend=');
  await expect(share).toHaveCount(0);
  await expect.poll(() => warmth(page), { timeout: 60_000 }).toBeLessThan(alone + 8);
});

test('a style layer weight slider changes the weight, the URL keeps it, and a reload shows it again', async ({ page }) => {
  await openApp(page, 'mode=style&res=80');
  await waitForShownIteration(page, 2);
  const weight = page.locator('ds-controls input[data-kind="layer-weight"][data-layer="mixed0"]');
  await weight.fill('2.5');
  await expect(page.locator('ds-controls output[for="f-style-styleLayers-mixed0"]')).toHaveText('2.5');
  await expect.poll(() => search(page)).toContain('mixed0:2.5');
  const now = await waitForShownIteration(page, 1);
  await waitForShownIteration(page, now + 2);
  await page.reload();
  await expect(page.locator('ds-controls input[data-kind="layer-weight"][data-layer="mixed0"]')).toHaveValue('2.5');
  // Unchecking the layer removes its weight slider.
  await page.locator('ds-controls input[data-kind="layer"][value="mixed0"]').click();
  await expect(page.locator('ds-controls input[data-kind="layer-weight"][data-layer="mixed0"]')).toHaveCount(0);
  await expect.poll(() => search(page)).not.toContain('mixed0');
});
