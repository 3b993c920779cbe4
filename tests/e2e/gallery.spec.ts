import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { ALL_FORMATS, BufferSource, Input } from 'mediabunny';
import { readTextChunks } from '../../src/engine/io/png-text';
import type { DsRecorder } from '../../src/components/ds-recorder';
import { expectChanged, stageShot, waitForPicture } from './helpers';
import { errorLog, injectFault, latestStats, openApp, restartCount, statsLog, waitForIteration, type Page } from './helpers';

/** Waits until the page has restarted the worker `n` times and the new worker is streaming. */
async function waitForRestartedStream(page: Page, n: number): Promise<void> {
  await expect.poll(() => restartCount(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(n);
  const before = (await statsLog(page)).length;
  // A restarted worker counts iterations from zero again.
  await expect.poll(async () => (await statsLog(page)).slice(before).some((s) => s.iteration > 0 && s.iteration < 200), { timeout: 120_000 }).toBe(true);
}

test('snapshot: a PNG with the look embedded; dropping it back restores the look and its style sample', async ({ page }) => {
  await openApp(page, 'res=80&zoom=1.037&layers=mixed2:1&style=hubble');
  await waitForIteration(page, 2);
  const download = page.waitForEvent('download');
  await page.keyboard.press('s');
  const file = await (await download).path();
  const png = readFileSync(file);
  const meta = JSON.parse(readTextChunks(png).dreamstream!) as { settings: { stream: { zoom: number } }; content?: string; style?: string };
  expect(meta.settings.stream.zoom).toBe(1.037);
  expect([meta.content, meta.style]).toEqual(['chelsea', 'hubble']);

  // A fresh page with other settings; the snapshot brings the look back, and it is the picture dreamt on.
  await openApp(page, 'res=80');
  await waitForIteration(page, 1);
  await page.locator('ds-sources input[type="file"][data-role="content"]').setInputFiles({ name: 'snap.png', mimeType: 'image/png', buffer: png });
  await expect(page.locator('ds-toasts')).toContainText('look restored');
  await expect.poll(() => page.evaluate(() => location.search)).toContain('zoom=1.037');
  await expect.poll(() => page.evaluate(() => location.search)).toContain('style=hubble');
  await expect.poll(() => page.evaluate(() => location.search)).not.toContain('content=');
  await expect(page.locator('ds-sources [data-sample="chelsea"]')).toHaveAttribute('aria-pressed', 'false');
});

test('recording: WebM from the canvas with elapsed time; a worker crash mid-recording loses nothing', async ({ page }) => {
  await openApp(page, 'res=80&layers=mixed0');
  await waitForIteration(page, 2);
  const button = page.locator('ds-recorder button[data-action="record"]');
  await button.click();
  await expect(page.locator('ds-recorder [data-stat="recording"]')).toHaveText(/0:0[1-9]/, { timeout: 20_000 });
  // Kill the worker: the page restarts it on a new canvas; the segment so far must be kept.
  await injectFault(page, 'crash');
  await expect(page.locator('ds-recorder li')).toHaveCount(1, { timeout: 60_000 });
  // The new segment must have received frames from the restarted worker before it is stopped (on a slow machine
  // the restart takes seconds, and a segment stopped before its first frame holds nothing).
  const recordedBytes = () => page.locator('ds-recorder').evaluate((el) => (el as DsRecorder).recorder.bytes);
  await expect.poll(recordedBytes, { timeout: 120_000, intervals: [500] }).toBeGreaterThan(0);
  await button.click();
  await expect(page.locator('ds-recorder li')).toHaveCount(2);
  const sizes = await page.locator('ds-recorder').evaluate(async (el) => {
    const links = [...el.shadowRoot!.querySelectorAll('a')];
    return Promise.all(links.map(async (a) => (await (await fetch(a.href)).blob()).size));
  });
  expect(sizes.every((s) => s > 1000)).toBe(true);
});

test('a preset in the URL sets the look; kiosk hides controls and cursor, and the stream runs', async ({ page }) => {
  await openApp(page, 'kiosk&res=80&preset=neuron');
  await waitForIteration(page, 2);
  await expect(page.locator('dream-app')).toHaveAttribute('kiosk', '');
  await expect(page.locator('dream-app aside')).toBeHidden();
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('dream-app')!).cursor)).toBe('none');
  const url = await page.evaluate(() => location.search);
  expect(url).toContain('channel=139');
});

test('bad URL values are ignored with a visible notice, never a broken page', async ({ page }) => {
  await openApp(page, 'res=99999&bogus=1&zoom=abc&steps=2&preset=nope');
  await expect(page.locator('ds-toasts')).toContainText('Ignored 4 URL parameters');
  await expect(page.locator('ds-toasts')).toContainText('bogus (unknown parameter)');
  await expect(page.locator('ds-toasts')).toContainText('preset "nope" does not exist');
  await expect(page.locator('ds-toasts')).toContainText('res=99999 (resolution must be a whole number from 0 to 1024)');
  const s = await waitForIteration(page, 2);
  expect(s.stepsPerFrame).toBe(2);
});

test('the embeddable <dream-stream> element streams and reports through events, leaving the URL alone', async ({ page }) => {
  await page.goto('/embed.html');
  await expect(page.locator('#log')).toContainText(/step \d+/, { timeout: 120_000 });
  expect(page.url()).toMatch(/embed\.html$/);
  await expect(page.locator('dream-stream aside')).toBeHidden();
  // What the events report is on the element's stage too: a picture, not a black or flat box.
  await waitForPicture(page, 'dream-stream');
});

/** The stage shows a picture (not black, not a flat box) that changes over the next steps. */
async function expectStagePictureMoves(page: Page, when: string): Promise<void> {
  const before = await waitForPicture(page);
  await waitForIteration(page, (await latestStats(page))!.iteration + 3);
  expectChanged(before, await stageShot(page), `the stage ${when}`);
}

test('soak: thousands of steps with flat memory; crash, NaN and a lost device are recovered from', async ({ page }) => {
  test.setTimeout(600_000);
  await openApp(page, 'res=80&layers=mixed0&steps=4');
  await waitForIteration(page, 200);
  const early = (await statsLog(page)).filter((s) => s.iteration >= 100);
  await injectFault(page, 'nan');
  await expect.poll(async () => (await errorLog(page)).join('\n')).toMatch(/NaN/);
  await expectStagePictureMoves(page, 'after a NaN');
  await injectFault(page, 'crash');
  await expect.poll(async () => (await errorLog(page)).join('\n'), { timeout: 120_000 }).toMatch(/silent|crash/);
  await waitForRestartedStream(page, 1);
  await expectStagePictureMoves(page, 'after a worker crash');
  await injectFault(page, 'device-lost');
  await expect.poll(async () => (await errorLog(page)).join('\n')).toMatch(/device lost/);
  await waitForRestartedStream(page, 2);
  await expectStagePictureMoves(page, 'after a lost device');
  // The restarted worker runs the long stretch: 2000 steps.
  await expect.poll(async () => (await latestStats(page))?.iteration ?? 0, { timeout: 480_000, intervals: [2000] }).toBeGreaterThan(2000);
  const log = await statsLog(page);
  const late = log.slice(-20);
  const base = log.filter((s) => s.iteration > 100 && s.iteration < 400);
  const max = (xs: number[]) => Math.max(...xs);
  expect(max(late.map((s) => s.tensors))).toBeLessThanOrEqual(max([...base, ...early].map((s) => s.tensors)));
  expect(max(late.map((s) => s.bytes))).toBeLessThanOrEqual(max([...base, ...early].map((s) => s.bytes)));
  expect(await restartCount(page)).toBe(2);
});

test('frame-exact zoom export: a WebM of exactly the requested frames, encoded with WebCodecs; the stream resumes', async ({ page }) => {
  await openApp(page, 'res=80&layers=mixed0');
  await waitForIteration(page, 2);
  const panel = page.locator('ds-export');
  await panel.locator('summary').click();
  await panel.locator('input[name="export.frames"]').fill('6');
  await panel.locator('input[name="export.frames"]').dispatchEvent('change');
  await panel.locator('input[name="export.size"]').fill('96');
  await panel.locator('input[name="export.size"]').dispatchEvent('change');
  await panel.locator('input[name="export.stepsPerFrame"]').fill('1');
  await panel.locator('input[name="export.stepsPerFrame"]').dispatchEvent('change');
  await panel.locator('button[data-action="export"]').click();
  await expect(panel.locator('a')).toHaveCount(1, { timeout: 120_000 });
  const bytes = await panel.locator('a').evaluate(async (a) => Array.from(new Uint8Array(await (await fetch((a as HTMLAnchorElement).href)).arrayBuffer())));
  expect(bytes.slice(0, 4)).toEqual([0x1a, 0x45, 0xdf, 0xa3]); // EBML: a WebM/Matroska file
  // Read it back: one video track, 96 px on the long side, exactly 6 frames.
  const input = new Input({ source: new BufferSource(new Uint8Array(bytes).buffer), formats: ALL_FORMATS });
  const track = (await input.getPrimaryVideoTrack())!;
  expect(Math.max(track.displayWidth, track.displayHeight)).toBe(96);
  expect((await track.computePacketStats()).packetCount).toBe(6);
  const now = (await latestStats(page))!.iteration;
  await waitForIteration(page, now + 3);
});
