import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { openApp, waitForIteration, type Page } from './helpers';

const run = promisify(execFile);
const ROOT = process.cwd();
const CAT = join(ROOT, 'tests', 'fixtures', 'cat-128.png');

/** Renders with the CLI (wasm, tiny sizes) and returns the PNG's bytes: its look in an iTXt chunk. */
async function cliRender(args: string[], file: string): Promise<Buffer> {
  await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/render.ts'), ...args], { cwd: ROOT });
  return readFileSync(file);
}

/** Drops a file on the stage the way a person drags one from the desktop. */
async function dropOnStage(page: Page, name: string, bytes: Buffer): Promise<void> {
  const transfer = await page.evaluateHandle(
    ([n, b64]) => {
      const dt = new DataTransfer();
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([data], n, { type: 'image/png' }));
      return dt;
    },
    [name, bytes.toString('base64')] as const,
  );
  await page.dispatchEvent('dream-stage', 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent('dream-stage', 'drop', { dataTransfer: transfer });
}

const field = (page: Page, path: string) => page.locator(`ds-controls [data-field="${path}"]`);

test('a CLI render dropped on the app restores its look (zoom frame and style still as written now, then an older frame)', async ({ page }) => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'cli-look-'));
  const zoomArgs = ['--frames', '1', '--size', '96', '--steps-per-frame', '2', '--zoom', '1.043', '--rotate', '2', '--layers', 'mixed2', '--step-size', '0.013'];
  const zoomPng = await cliRender(['zoom', '--input', CAT, '--output-dir', dir, ...zoomArgs], join(dir, 'frame_00000.png'));
  const stylePng = await cliRender(
    ['style', '--content', CAT, '--style', join(ROOT, 'tests', 'fixtures', 'brick-128.jpg'), '--output', join(dir, 'style.png'), '--size', '96', '--iterations', '1', '--content-weight', '7'],
    join(dir, 'style.png'),
  );

  // Written now: the look is plain JSON in an iTXt chunk (the old tEXt form is dropped last).
  for (const png of [zoomPng, stylePng]) expect(png.includes('iTXtdreamstream\0')).toBe(true);

  await openApp(page, 'res=80');
  await waitForIteration(page, 1);
  await expect(field(page, 'stream.zoom')).not.toHaveValue('1.043');

  await dropOnStage(page, 'frame_00000.png', zoomPng);
  await expect(page.locator('ds-toasts')).toContainText('look restored');
  // What a person sees: the controls hold the render's values, and the address bar carries them.
  await expect(field(page, 'stream.zoom')).toHaveValue('1.043');
  await expect(field(page, 'stream.rotate')).toHaveValue('2');
  await expect(field(page, 'dream.stepSize')).toHaveValue('0.013');
  await expect(field(page, 'resolution')).toHaveValue('96');
  await expect(field(page, 'stepsPerFrame')).toHaveValue('2');
  await expect(page.locator('ds-controls [data-field="dream.layers"][value="mixed2"]')).toBeChecked();
  await expect(page.locator('ds-controls [data-field="dream.layers"][value="mixed3"]')).not.toBeChecked();
  await expect.poll(() => page.evaluate(() => location.search)).toMatch(/zoom=1\.043/);
  // The dropped render is the picture the app now dreams on (its own, not a sample).
  await expect(page.locator('ds-sources [aria-pressed="true"][data-role="content"]')).toHaveCount(0);

  await dropOnStage(page, 'style.png', stylePng);
  await expect(field(page, 'mode')).toHaveValue('style');
  await expect(field(page, 'style.contentWeight')).toHaveAttribute('aria-valuetext', '7');
  await expect.poll(() => page.evaluate(() => location.search)).toMatch(/mode=style/);

  // A zoom frame written before looks moved to iTXt (escaped JSON in tEXt) restores too.
  await dropOnStage(page, 'old-frame.png', readFileSync(join(ROOT, 'tests', 'fixtures', 'cli-look-tEXt.png')));
  await expect(field(page, 'mode')).toHaveValue('dream');
  await expect(field(page, 'stream.zoom')).toHaveValue('1.07');
  await expect(field(page, 'stream.rotate')).toHaveValue('-3');
  await expect(field(page, 'dream.stepSize')).toHaveValue('0.021');
  await expect(page.locator('ds-controls [data-field="dream.layers"][value="mixed4"]')).toBeChecked();
});
