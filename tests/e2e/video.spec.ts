/**
 * A video file dreamed in the browser: a tiny clip generated here with the ffmpeg binary of the @ffmpeg-installer
 * npm package (VP8 + Vorbis in WebM, which Chromium decodes everywhere) is picked in the video panel, decoded,
 * dreamed frame by frame and encoded in the worker with WebCodecs; the download is a WebM with every frame and the
 * audio. A corrupt "video" gets a one-line message and the stream dreams on.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ALL_FORMATS, BufferSource, Input } from 'mediabunny';
import { FFMPEG } from '../../src/node/video-io';
import { latestStats, openApp, waitForIteration } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'e2e-video-'));
const clip = join(dir, 'clip.webm');
const corrupt = join(dir, 'broken.webm');
const long = join(dir, 'long.webm');
const mp4 = join(dir, 'clip.mp4');

/** The app dreaming, its video panel open; `small`: a 96 px video at one step a frame (quick on wasm). */
async function videoPanel(page: Page, small = false): Promise<Locator> {
  await openApp(page, 'res=80&layers=mixed0');
  await waitForIteration(page, 2);
  const panel = page.locator('ds-video');
  await panel.locator('summary').click();
  if (!small) return panel;
  for (const [name, value] of [['video.size', '96'], ['video.stepsPerFrame', '1']]) {
    await panel.locator(`input[name="${name}"]`).fill(value!);
    await panel.locator(`input[name="${name}"]`).dispatchEvent('change');
  }
  return panel;
}

test.beforeAll(() => {
  execFileSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=96x96:rate=8:duration=1', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1',
    '-c:v', 'libvpx', '-b:v', '1M', '-c:a', 'libvorbis', '-shortest', clip]);
  execFileSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=96x96:rate=8:duration=1', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1',
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', mp4]);
  execFileSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=96x96:rate=8:duration=8', '-c:v', 'libvpx', '-b:v', '1M', long]);
  writeFileSync(corrupt, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
});

test('a video file: picked, dreamed frame by frame with the flow carry-over, offered as a WebM with every frame and its audio', async ({ page }) => {
  const panel = await videoPanel(page, true);
  await panel.locator('input[name="video-file"]').setInputFiles(clip);
  // Progress with the time left, then the result.
  await expect(panel.locator('[data-stat="video"]')).toContainText(/\d+\/8, about \d+ s left/, { timeout: 120_000 });
  await expect(panel.locator('a[data-job-file]')).toHaveCount(1, { timeout: 180_000 });
  await expect(panel.locator('a[data-job-file]')).toHaveText('clip-dreamed.webm');
  const bytes = await panel.locator('a[data-job-file]').evaluate(async (a) => Array.from(new Uint8Array(await (await fetch((a as HTMLAnchorElement).href)).arrayBuffer())));
  expect(bytes.slice(0, 4)).toEqual([0x1a, 0x45, 0xdf, 0xa3]); // EBML: a WebM/Matroska file
  const input = new Input({ source: new BufferSource(new Uint8Array(bytes).buffer), formats: ALL_FORMATS });
  const track = (await input.getPrimaryVideoTrack())!;
  expect([track.displayWidth, track.displayHeight]).toEqual([96, 96]);
  expect((await track.computePacketStats()).packetCount).toBe(8);
  const audio = await input.getPrimaryAudioTrack();
  expect(await audio?.getCodec()).toBe('vorbis');
  // The live stream goes on afterwards.
  const now = (await latestStats(page))!.iteration;
  await waitForIteration(page, now + 3);
});

test('a file the browser cannot decode gets a one-line message, and the app keeps dreaming', async ({ page }) => {
  const panel = await videoPanel(page);
  await panel.locator('input[name="video-file"]').setInputFiles(corrupt);
  const message = panel.locator('[data-stat="video-error"]');
  await expect(message).toHaveText(/^broken\.webm: not a video this browser can read$/, { timeout: 60_000 });
  const now = (await latestStats(page))!.iteration;
  await waitForIteration(page, now + 3);
});

test('a video dropped on the stage starts the video job (not a picture); Cancel stops it and the stream goes on', async ({ page }) => {
  const panel = await videoPanel(page, true);
  const bytes = [...readFileSync(long)];
  const transfer = await page.evaluateHandle((b) => {
    const t = new DataTransfer();
    t.items.add(new File([new Uint8Array(b)], 'long.webm', { type: 'video/webm' }));
    return t;
  }, bytes);
  await page.locator('dream-stage').dispatchEvent('drop', { dataTransfer: transfer });
  await expect(panel.locator('[data-stat="video"]')).toContainText(/[1-9]\d*\/64/, { timeout: 120_000 });
  await panel.locator('button[data-action="video-cancel"]').click();
  await expect(panel.locator('[data-stat="video"]')).toHaveCount(0, { timeout: 60_000 });
  await expect(panel.locator('a[data-job-file]')).toHaveCount(0);
  await expect(panel.locator('[data-stat="video-error"]')).toHaveCount(0);
  const now = (await latestStats(page))!.iteration;
  await waitForIteration(page, now + 3);
});

test('an MP4 (H.264 + AAC): where this Chromium decodes H.264, dreamed into a file with every frame and the AAC copied; where not, one line saying so', async ({ page }) => {
  // Whether the browser decodes this clip's video is asked of WebCodecs directly, not inferred from the app.
  const clipTrack = (await new Input({ source: new BufferSource(new Uint8Array(readFileSync(mp4)).buffer), formats: ALL_FORMATS }).getPrimaryVideoTrack())!;
  const codec = (await clipTrack.getCodecParameterString())!;
  expect(codec).toMatch(/^avc1\./);
  const panel = await videoPanel(page, true);
  const decodes = await page.evaluate(async (c) => (await VideoDecoder.isConfigSupported({ codec: c, codedWidth: 96, codedHeight: 96 })).supported === true, codec);
  test.info().annotations.push({ type: 'h264', description: `${codec}: ${decodes ? 'decoded' : 'not decoded'} by this Chromium` });
  await panel.locator('input[name="video-file"]').setInputFiles(mp4);
  const result = panel.locator('a[data-job-file]');
  const message = panel.locator('[data-stat="video-error"]');
  await expect(result.or(message)).toHaveCount(1, { timeout: 180_000 });
  if (!decodes) {
    await expect(message).toHaveText(/^clip\.mp4: this browser cannot decode its video \(avc\)$/);
    await expect(result).toHaveCount(0);
  } else {
    await expect(message).toHaveCount(0);
    // MP4 stays MP4 where the browser encodes an MP4 codec, else WebM.
    await expect(result).toHaveText(/^clip-dreamed\.(mp4|webm)$/);
    const bytes = await result.evaluate(async (a) => Array.from(new Uint8Array(await (await fetch((a as HTMLAnchorElement).href)).arrayBuffer())));
    const input = new Input({ source: new BufferSource(new Uint8Array(bytes).buffer), formats: ALL_FORMATS });
    const track = (await input.getPrimaryVideoTrack())!;
    expect([track.displayWidth, track.displayHeight]).toEqual([96, 96]);
    expect((await track.computePacketStats()).packetCount).toBe(8);
    expect(await (await input.getPrimaryAudioTrack())?.getCodec()).toBe('aac');
  }
  const now = (await latestStats(page))!.iteration;
  await waitForIteration(page, now + 3);
});
