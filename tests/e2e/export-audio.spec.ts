/**
 * A zoom video rendered to music in the browser: a 60 BPM click track made here with the ffmpeg binary of the
 * @ffmpeg-installer npm package is picked in the export panel with the pulse preset, the export is started as a
 * person starts it, and the download is read back: mediabunny (in Node) finds an audio track as long as the video,
 * and ffmpeg's decoded frames change far more on the clicks' frames (the zoom kicks) than on the others. A file
 * with no audio, dropped on the panel first, gets one line, and the panel goes on working.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ALL_FORMATS, BufferSource, Input } from 'mediabunny';
import { FFMPEG } from '../../src/node/video-io';
import { latestStats, openApp, waitForIteration } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'e2e-export-audio-'));
const clicks = join(dir, 'clicks.wav');
const broken = join(dir, 'broken.mp3');
const FPS = 6;
const SECONDS = 2.5;
/** 60 BPM from 0.25 s: clicks at 0.25, 1.25, 2.25 s, inside frames 1, 7 and 13 at 6 fps. */
const CLICK_FRAMES = [1, 7, 13];

test.beforeAll(() => {
  // Stereo 48 kHz clicks: a 2 kHz burst decaying within a few milliseconds, once a second from 0.25 s.
  const click = 'if(gte(t,0.25),0.8*sin(2*PI*2000*t)*exp(-400*mod(t-0.25,1)),0)';
  execFileSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `aevalsrc='${click}|${click}':s=48000:d=${SECONDS}`, '-c:a', 'pcm_s16le', clicks]);
  writeFileSync(broken, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
});

/** Mean absolute difference of 8-bit RGB between frame f−1 and frame f (`size` bytes a frame). */
function change(rgb: Buffer, f: number, size: number): number {
  let sum = 0;
  for (let i = 0; i < size; i++) sum += Math.abs(rgb[f * size + i]! - rgb[(f - 1) * size + i]!);
  return sum / size;
}

test('a zoom rendered to a click track: pulse kicks the zoom on the clicks, and the WebM carries the track, as long as the video', async ({ page }) => {
  await openApp(page, 'res=80&layers=mixed0&zoom=1');
  await waitForIteration(page, 2);
  const panel = page.locator('ds-export');
  await panel.locator('summary').click();
  for (const [name, value] of [['export.size', '96'], ['export.stepsPerFrame', '1'], ['export.fps', String(FPS)]] as const) {
    await panel.locator(`input[name="${name}"]`).fill(value);
    await panel.locator(`input[name="${name}"]`).dispatchEvent('change');
  }
  // Not audio, dropped on the panel: one line, no soundtrack taken (and not taken as a picture either).
  const transfer = await page.evaluateHandle((b) => {
    const t = new DataTransfer();
    t.items.add(new File([new Uint8Array(b)], 'broken.mp3', { type: 'audio/mpeg' }));
    return t;
  }, [...readFileSync(broken)]);
  await panel.locator('label.drop').dispatchEvent('drop', { dataTransfer: transfer });
  await expect(panel.locator('[data-stat="export-audio-note"]')).toHaveText(/^broken\.mp3: no audio this browser can decode$/);
  await expect(panel.locator('[data-stat="export-audio"]')).toHaveCount(0);
  await panel.locator('input[name="export-audio"]').setInputFiles(clicks);
  await expect(panel.locator('[data-stat="export-audio"]')).toHaveText('clicks.wav (0:03)');
  await expect(panel.locator('[data-stat="export-audio-note"]')).toHaveCount(0);
  await panel.locator('select[name="export.audioMap"]').selectOption('pulse');
  // The length follows the track: 2.5 s at 6 fps.
  await expect(panel.locator('input[name="export.frames"]')).toBeDisabled();
  await expect(panel.locator('input[name="export.frames"]')).toHaveValue(String(SECONDS * FPS));
  await panel.screenshot({ path: test.info().outputPath('export-panel-soundtrack.png') });
  await panel.locator('button[data-action="export"]').click();
  await expect(panel.locator('[data-stat="export"]')).toContainText(`/${SECONDS * FPS}`);
  await expect(panel.locator('a[data-job-file]')).toHaveCount(1, { timeout: 180_000 });
  const bytes = Buffer.from(await panel.locator('a[data-job-file]').evaluate(async (a) => Array.from(new Uint8Array(await (await fetch((a as HTMLAnchorElement).href)).arrayBuffer()))));
  expect([...bytes.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]); // EBML: a WebM/Matroska file

  const input = new Input({ source: new BufferSource(new Uint8Array(bytes).buffer), formats: ALL_FORMATS });
  const video = (await input.getPrimaryVideoTrack())!;
  expect((await video.computePacketStats()).packetCount).toBe(SECONDS * FPS);
  const audio = await input.getPrimaryAudioTrack();
  expect(audio, 'an audio track in the download').toBeTruthy();
  expect(await audio!.getCodec()).toBe('opus');
  expect(audio!.numberOfChannels).toBe(2);
  const [videoSeconds, audioSeconds] = [await video.computeDuration(), await audio!.computeDuration()];
  test.info().annotations.push({ type: 'durations', description: `video ${videoSeconds.toFixed(3)} s, audio ${audioSeconds.toFixed(3)} s` });
  expect(Math.abs(audioSeconds - SECONDS)).toBeLessThan(0.05);
  expect(Math.abs(audioSeconds - videoSeconds)).toBeLessThan(0.05);

  // The frames as ffmpeg decodes them: the clicks' frames change far more than the rest (neighbours of a click
  // are left out: the kick eases back over about a frame).
  const file = join(dir, 'zoom.webm');
  writeFileSync(file, bytes);
  const rgb = execFileSync(FFMPEG, ['-v', 'error', '-i', file, '-map', '0:v:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 26 });
  const size = video.displayWidth * video.displayHeight * 3;
  expect(rgb.length / size).toBe(SECONDS * FPS);
  const on = CLICK_FRAMES.map((f) => change(rgb, f, size));
  const off = Array.from({ length: SECONDS * FPS - 1 }, (_, k) => k + 1)
    .filter((f) => CLICK_FRAMES.every((c) => f < c - 1 || f > c + 1))
    .map((f) => change(rgb, f, size));
  const figures = `on ${on.map((x) => x.toFixed(2))}, off ${off.map((x) => x.toFixed(2))}`;
  test.info().annotations.push({ type: 'frame change', description: figures });
  expect(Math.min(...on), figures).toBeGreaterThan(2 * Math.max(...off));

  // The live stream goes on afterwards.
  const now = (await latestStats(page))!.iteration;
  await waitForIteration(page, now + 3);
});
