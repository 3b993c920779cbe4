/**
 * zoom --audio: a click track made at test time with ffmpeg's aevalsrc drives the zoom (the pulse preset kicks it on
 * each click), and the video carries the track. Read back with the same ffmpeg binary (ffprobe may be absent).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { FFMPEG } from '../../src/node/video-io';
import { FIXTURES } from '../helpers/engine';
import { jsonLines, renderCli as render } from '../helpers/render-cli';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'render-zoom-audio-'));
const clicks = join(out, 'clicks.wav');
const FPS = 8;
const SIDE = 80;
/** 120 BPM from 0.25 s: clicks at 0.25, 0.75, … 2.75 s, on frames 2, 6, … 22 at 8 fps. */
const CLICK_FRAMES = [2, 6, 10, 14, 18, 22];

/** What ffmpeg finds decoding the file: its frames, and whether it has an audio stream. */
async function readBack(path: string): Promise<{ frames: number; audio: boolean; seconds: number; rgb: Buffer }> {
  const { stdout, stderr } = await run(FFMPEG, ['-hide_banner', '-nostdin', '-i', path, '-map', '0:v:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 1 << 26 });
  const input = stderr.toString('utf8').split('Output #0')[0]!;
  const [h, m, sec] = (/Duration: (\d+):(\d+):([\d.]+)/.exec(input) ?? []).slice(1).map(Number);
  return { frames: stdout.length / (SIDE * SIDE * 3), audio: /Stream #0:\d+[^:]*: Audio:/.test(input), seconds: h! * 3600 + m! * 60 + sec!, rgb: stdout };
}

/** Mean absolute difference between frame f−1 and frame f. */
function change(rgb: Buffer, f: number): number {
  const n = SIDE * SIDE * 3;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(rgb[f * n + i]! - rgb[(f - 1) * n + i]!);
  return sum / n;
}

beforeAll(async () => {
  // 3 s of 2 kHz clicks, each decaying within a few milliseconds, every 0.5 s from 0.25 s.
  const click = 'if(gte(t,0.25),0.8*sin(2*PI*2000*t)*exp(-400*mod(t-0.25,0.5)),0)';
  await run(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `aevalsrc='${click}':s=44100:d=3`, '-c:a', 'pcm_s16le', clicks]);
});

describe('render zoom --audio', () => {
  it('kicks the zoom on each click, frames follow the track, and the video carries it', async () => {
    const output = join(out, 'zoom.mp4');
    // No zoom of its own: off the beat, only the dream moves the picture.
    const args = ['zoom', '--input', join(FIXTURES, 'cat-128.png'), '--audio', clicks, '--output', output, '--fps', String(FPS), '--zoom', '1'];
    const r = await render([...args, '--size', String(SIDE), '--steps-per-frame', '1', '--layers', 'mixed0', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stdout).at(-1)).toMatchObject({ done: true, frames: 3 * FPS, audio: true, audio_map: 'pulse' });
    const back = await readBack(output);
    expect(back).toMatchObject({ frames: 3 * FPS, audio: true });
    const on = CLICK_FRAMES.map((f) => change(back.rgb, f));
    // A kick moves every pixel; a dream step at this size moves a few (about a third as much, measured).
    const off = Array.from({ length: 3 * FPS - 1 }, (_, k) => k + 1)
      .filter((f) => CLICK_FRAMES.every((c) => f < c - 1 || f > c + 1))
      .map((f) => change(back.rgb, f));
    expect(Math.min(...on), `on ${on.map((x) => x.toFixed(2))}, off ${off.map((x) => x.toFixed(2))}`).toBeGreaterThan(2 * Math.max(...off));
  }, 120_000);

  it('--frames cuts the track where the frames end', async () => {
    const output = join(out, 'short.mp4');
    const r = await render(['zoom', '--input', join(FIXTURES, 'cat-128.png'), '--audio', clicks, '--audio-map', 'bass', '--output', output, '--fps', String(FPS), '--frames', '4', '--size', String(SIDE), '--steps-per-frame', '1', '--layers', 'mixed0']);
    expect(r.code, r.stderr).toBe(0);
    const back = await readBack(output);
    expect(back).toMatchObject({ frames: 4, audio: true });
    // 4 frames at 8 fps: half a second, not the track's three (AAC may pad a frame of audio, 23 ms).
    expect(back.seconds).toBeGreaterThan(0.45);
    expect(back.seconds).toBeLessThan(0.6);
  }, 60_000);

  it('drives PNG frames too, at the --fps the track is followed at', async () => {
    const dir = join(out, 'frames');
    const r = await render(['zoom', '--input', join(FIXTURES, 'cat-128.png'), '--audio', clicks, '--audio-map', 'treble', '--output-dir', dir, '--fps', '2', '--size', String(SIDE), '--steps-per-frame', '1', '--layers', 'mixed0', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stdout).at(-1)).toMatchObject({ done: true, frames: 6, audio: false, audio_map: 'treble' });
  }, 60_000);

  it('refuses a file without audio, and an unknown map, in one line', async () => {
    const base = ['zoom', '--input', join(FIXTURES, 'cat-128.png'), '--output', join(out, 'x.mp4'), '--size', String(SIDE)];
    const silent = await render([...base, '--audio', join(FIXTURES, 'cat-128.png')]);
    expect(silent.code).toBe(1);
    expect(silent.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^render: .*cat-128\.png: has no audio track$/)]);
    const unknown = await render([...base, '--audio', clicks, '--audio-map', 'disco']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('render: --audio-map must be one of pulse, bass, treble (got "disco")');
    const alone = await render([...base, '--audio-map', 'bass']);
    expect(alone.stderr.trim()).toBe('render: --audio-map needs --audio');
  }, 60_000);
});
