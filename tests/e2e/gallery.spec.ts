import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ALL_FORMATS, BufferSource, Input } from 'mediabunny';
import { PNG } from 'pngjs';
import { FFMPEG } from '../../src/node/video-io';
import { readTextChunks } from '../../src/engine/io/png-text';
import type { DsRecorder } from '../../src/components/ds-recorder';
import { CHANGED, expectChanged, stageShot, waitForChange, waitForPicture } from './helpers';
import { errorLog, greyStats, injectFault, latestStats, openApp, restartCount, statsLog, waitForIteration, type Page } from './helpers';

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

test('recording: one size from the first frame to the last while the working size changes; a worker crash mid-recording loses nothing', async ({ page }) => {
  await openApp(page, 'res=80&layers=mixed0');
  await waitForIteration(page, 2);
  const recorder = page.locator('ds-recorder');
  await recorder.locator('select[name="record-format"]').selectOption('video/mp4;codecs=avc1');
  const button = recorder.locator('button[data-action="record"]');
  await button.click();
  await expect(recorder.locator('[data-stat="recording"]')).toHaveText(/0:0[1-9]/, { timeout: 20_000 });
  const recordedBytes = () => recorder.evaluate((el) => (el as DsRecorder).recorder.bytes);
  await expect.poll(recordedBytes, { timeout: 60_000, intervals: [500] }).toBeGreaterThan(0);
  // The working size changes mid-recording (an H.264 stream cannot change size: the recording must not follow).
  await expect.poll(async () => (await latestStats(page))?.fps ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
  const sizeBefore = (await latestStats(page))!.resolution;
  const changedAt = (await latestStats(page))!.iteration;
  await page.locator('ds-controls [data-field="resolution"]').selectOption('128');
  await expect.poll(async () => (await latestStats(page))?.resolution, { timeout: 60_000 }).not.toEqual(sizeBefore);
  // The frame rate does not drop to "no figure" at the change: the last one measured stays until a new one exists.
  const around = (await statsLog(page)).filter((s) => s.iteration >= changedAt);
  expect(around.length).toBeGreaterThan(0);
  expect(around.filter((s) => s.fps <= 0)).toEqual([]);
  const resizedAt = (await latestStats(page))!.iteration;
  await waitForIteration(page, resizedAt + 3);
  // Kill the worker: the page restarts it on a new canvas; the segment so far must be kept.
  await injectFault(page, 'crash');
  await expect(recorder.locator('li')).toHaveCount(1, { timeout: 60_000 });
  // The new segment must have received frames from the restarted worker before it is stopped (on a slow machine
  // the restart takes seconds, and a segment stopped before its first frame holds nothing).
  await expect.poll(recordedBytes, { timeout: 120_000, intervals: [500] }).toBeGreaterThan(0);
  await button.click();
  await expect(recorder.locator('li')).toHaveCount(2);
  const listed = await recorder.evaluate((el) => (el as DsRecorder).recorder.finished.map((r) => ({ seconds: r.seconds, width: r.width, height: r.height })));
  // The size is the stage's as shown (even sides, at most 1280), not the working size, and the same for both segments.
  const stage = await page.locator('dream-stage').boundingBox();
  const { width, height } = listed[0]!;
  expect(Math.abs(width - stage!.width)).toBeLessThanOrEqual(2);
  expect(Math.abs(height - stage!.height)).toBeLessThanOrEqual(2);
  expect([width % 2, height % 2, Math.max(width, height) <= 1280]).toEqual([0, 0, true]);
  expect(listed.map((r) => [r.width, r.height])).toEqual([[width, height], [width, height]]);

  // Each file as the user downloads it, decoded.
  const dir = mkdtempSync(join(tmpdir(), 'e2e-recording-'));
  for (const [i, r] of listed.entries()) {
    const download = page.waitForEvent('download');
    await recorder.locator('li a').nth(i).click();
    const file = join(dir, `${i}.mp4`);
    await (await download).saveAs(file);
    const bytes = readFileSync(file);
    const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
    const track = (await input.getPrimaryVideoTrack())!;
    expect(await track.getCodec()).toBe('avc');
    expect([track.codedWidth, track.codedHeight]).toEqual([width, height]);
    const duration = await input.computeDuration();
    const packets = (await track.computePacketStats()).packetCount;
    // Decoding the whole file: no error from the demuxer or the decoder (ffmpeg's own output muxer notes, at error
    // level, frames its coarse output clock puts at one tick: not the file's), every frame the recording's size, one
    // frame per packet (-vsync 0: none duplicated or dropped to a constant rate), at times that only go forward.
    const decode = spawnSync(FFMPEG, ['-v', 'error', '-i', file, '-vsync', '0', '-f', 'null', '-'], { encoding: 'utf8' });
    expect(decode.status).toBe(0);
    const muxerNote = /^\[null @ \w+\] Application provided invalid, non monotonically increasing dts to muxer|^\s*Last message repeated \d+ times/;
    expect(decode.stderr.split('\n').filter((l) => l.trim() && !muxerNote.test(l))).toEqual([]);
    const info = spawnSync(FFMPEG, ['-hide_banner', '-i', file, '-vsync', '0', '-vf', 'showinfo', '-f', 'null', '-'], { encoding: 'utf8' }).stderr;
    const shown = [...info.matchAll(/\bn:\s*\d+ pts:\s*(\d+) .*?\bs:(\d+)x(\d+)/g)];
    const frames = shown.map((m) => `${m[2]}x${m[3]}`);
    const pts = shown.map((m) => Number(m[1]));
    expect(pts.every((t, k) => k === 0 || t > pts[k - 1]!)).toBe(true);
    expect(frames.length).toBe(packets);
    expect(new Set(frames)).toEqual(new Set([`${width}x${height}`]));
    // Frames and length agree with what was recorded: 30 frames a second at most, over the segment's length (the
    // first segment spans the size change: frames before and after it; the second is stopped at its first data).
    expect(frames.length).toBeGreaterThanOrEqual(i === 0 ? 3 : 1);
    expect(frames.length).toBeLessThanOrEqual(Math.ceil(30 * duration) + 2);
    expect(duration).toBeLessThanOrEqual(r.seconds + 0.5);
    expect(duration).toBeGreaterThan(0);
    // The last frame is the dream (not black or a block of one colour).
    const last = spawnSync(FFMPEG, ['-v', 'error', '-sseof', '-0.3', '-i', file, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', '-'], { maxBuffer: 64 << 20 });
    const grey = greyStats(PNG.sync.read(last.stdout));
    expect(grey.mean).toBeGreaterThan(20);
    expect(grey.std).toBeGreaterThan(10);
  }
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
  // The worker's report can come before the compositor shows its frame (on 2 loaded cores the screenshot held the
  // older frame once): a stage that moves on shows the change within a minute; a frozen one never does.
  const { after } = await waitForChange(() => stageShot(page), before, CHANGED);
  expectChanged(before, after, `the stage ${when}`);
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
