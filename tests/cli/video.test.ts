/**
 * The render CLI's videos: `video` dreams a clip frame by frame (flow carry-over on or off) and keeps its audio;
 * `zoom --output` writes a video directly. Clips are generated at test time with the ffmpeg binary from the
 * @ffmpeg-installer npm package, and read back with it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { FFMPEG } from '../../src/node/video-io';
import { FIXTURES } from '../helpers/engine';
import { jsonLines, renderCli as render } from '../helpers/render-cli';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'render-video-'));
const withAudio = join(out, 'clip.mp4');
const silent = join(out, 'silent.webm');

const lines = jsonLines;

/** What ffmpeg finds in a file when it decodes it to the end: frames decoded, the size, whether there is audio. */
async function readBack(path: string): Promise<{ frames: number; size: string; audio: boolean; codec: string }> {
  const { stderr } = await run(FFMPEG, ['-hide_banner', '-nostdin', '-i', path, '-map', '0:v:0', '-f', 'null', '-'], { encoding: 'utf8' }).catch((e: { stderr: string }) => ({ stderr: e.stderr }));
  const input = stderr.split('Output #0')[0]!;
  const video = /Stream #0:\d+[^:]*: Video: (\w+)[^\n]*?, (\d+x\d+)/.exec(input);
  const frames = [...stderr.matchAll(/frame=\s*(\d+)/g)].map((m) => Number(m[1])).at(-1) ?? 0;
  return { frames, size: video?.[2] ?? '', audio: /Stream #0:\d+[^:]*: Audio:/.test(input), codec: video?.[1] ?? '' };
}

/** A failure: non-zero exit, exactly one line on stderr, nothing rendered. */
async function fails(args: string[], message: RegExp): Promise<void> {
  const r = await render([...args, '--json']);
  expect(r.code, args.join(' ')).not.toBe(0);
  expect(r.stderr.trim().split('\n'), args.join(' ')).toEqual([expect.stringMatching(/^render: /)]);
  expect(r.stderr.trim()).toMatch(message);
  expect(r.stdout).toBe('');
}

const tiny = ['--layers', 'mixed0', '--steps-per-frame', '1'];

beforeAll(async () => {
  // 8 frames of 96×96 at 8 fps: H.264 with a sine tone in MP4, and VP8 without sound in WebM.
  const src = ['-f', 'lavfi', '-i', 'testsrc=size=96x96:rate=8:duration=1'];
  await run(FFMPEG, ['-v', 'error', '-y', ...src, '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', withAudio]);
  await run(FFMPEG, ['-v', 'error', '-y', ...src, '-c:v', 'libvpx', '-b:v', '1M', silent]);
});

describe('render video', () => {
  it('round trip: every frame dreamed with the flow carry-over, the audio kept, JSON progress with time left', async () => {
    const output = join(out, 'dreamed.mp4');
    const r = await render(['video', '--input', withAudio, '--output', output, ...tiny, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = lines(r.stdout);
    expect(rows.slice(0, 8).map((x) => x.frame)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(rows[0]).toMatchObject({ frames: 8 });
    expect(typeof rows[0]!.eta_s).toBe('number');
    expect(rows[8]).toMatchObject({ done: true, frames: 8, width: 96, height: 96, audio: true, flow: true });
    expect(await readBack(output)).toEqual({ frames: 8, size: '96x96', audio: true, codec: 'h264' });
  });

  it('--flow off, WebM out of a silent WebM, --size as the long side', async () => {
    const output = join(out, 'blended.webm');
    const r = await render(['video', '--input', silent, '--output', output, '--flow', 'off', '--size', '80', ...tiny, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout).at(-1)).toMatchObject({ done: true, frames: 8, width: 80, height: 80, audio: false, flow: false });
    expect(await readBack(output)).toEqual({ frames: 8, size: '80x80', audio: false, codec: 'vp8' });
  });

  it('zoom --output writes the frames as a video', async () => {
    const output = join(out, 'zoom.mp4');
    const r = await render(['zoom', '--input', join(FIXTURES, 'cat-128.png'), '--output', output, '--frames', '3', '--size', '80', '--steps-per-frame', '1', '--layers', 'mixed0', '--fps', '12', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout).at(-1)).toMatchObject({ done: true, output, frames: 3, fps: 12 });
    expect(await readBack(output)).toMatchObject({ frames: 3, size: '80x80', audio: false });
  });

  it('what is not a readable video gets one line', async () => {
    const corrupt = join(out, 'corrupt.mp4');
    writeFileSync(corrupt, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    const output = ['--output', join(out, 'x.mp4')];
    await fails(['video', '--input', corrupt, ...output], /corrupt\.mp4: not a video ffmpeg can read \(Invalid data found when processing input\)$/);
    await fails(['video', '--input', join(FIXTURES, 'notes.txt'), ...output], /notes\.txt: not a video/);
    await fails(['video', '--input', join(FIXTURES, 'cat-128.png'), ...output], /cat-128\.png: not a video/);
    await fails(['video', '--input', join(out, 'missing.mp4'), ...output], /missing\.mp4: no such file$/);
    await fails(['video', '--input', withAudio, '--output', join(out, 'x.gif')], /unsupported video extension \.gif/);
    await fails(['video', '--input', withAudio, ...output, '--flow', 'maybe'], /--flow must be on or off/);
    await fails(['video', '--input', withAudio, ...output, '--steps', '2'], /video takes --steps-per-frame/);
    await fails(['zoom', '--input', withAudio, '--output', join(out, 'z.mp4'), '--output-dir', out], /--output \(a video\) or --output-dir/);
  });

  it('--mask: the footage shows outside the mask, the dream inside it', async () => {
    const sharp = (await import('sharp')).default;
    const grey = Buffer.alloc(96 * 96);
    for (let y = 0; y < 96; y++) grey.fill(255, y * 96, y * 96 + 48);
    const mask = join(out, 'left.png');
    await sharp(grey, { raw: { width: 96, height: 96, channels: 1 } }).png().toFile(mask);
    const output = join(out, 'masked.webm');
    const r = await render(['video', '--input', silent, '--output', output, '--layers', 'mixed0', '--steps-per-frame', '2', '--step-size', '0.1', '--mask', mask]);
    expect(r.code, r.stderr).toBe(0);
    /** The last frame of a video as 96×96 RGB. */
    const lastFrame = async (path: string) => {
      const { stdout } = await run(FFMPEG, ['-v', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 1 << 24 });
      return (stdout as Buffer).subarray(stdout.length - 96 * 96 * 3);
    };
    const [a, b] = [await lastFrame(silent), await lastFrame(output)];
    const columns = (from: number, to: number) => {
      let sum = 0;
      for (let y = 0; y < 96; y++) for (let x = from; x < to; x++) for (let c = 0; c < 3; c++) sum += Math.abs(a[(y * 96 + x) * 3 + c]! - b[(y * 96 + x) * 3 + c]!);
      return sum / (96 * (to - from) * 3);
    };
    const [inside, outside] = [columns(0, 40), columns(56, 96)];
    console.log(`video mask: mean abs difference to the footage inside ${inside.toFixed(1)}, outside ${outside.toFixed(1)} (0-255)`);
    // Outside: only what two rounds of VP8 compression change; inside, the dream.
    expect(outside).toBeLessThan(inside / 3);
    expect(inside).toBeGreaterThan(8);
  });
});
