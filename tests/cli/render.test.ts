import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { lookFromPng } from '../../src/engine/params/look';
import { FIXTURES } from '../helpers/engine';
import { jsonLines, renderCli as render } from '../helpers/render-cli';

const run = promisify(execFile);

const lines = jsonLines;
const out = mkdtempSync(join(tmpdir(), 'render-'));
const cat = join(FIXTURES, 'cat-128.png');
const tiny = ['--size', '80', '--steps', '1', '--octaves', '1', '--layers', 'mixed3'];

/** A failure: non-zero exit, exactly one line on stderr, and nothing rendered (no --json rows). */
async function fails(args: string[], message: RegExp, env?: Record<string, string>): Promise<number> {
  const r = await render([...args, '--json'], env);
  expect(r.code, args.join(' ')).not.toBe(0);
  expect(r.stderr.trim().split('\n'), args.join(' ')).toEqual([expect.stringMatching(/^render: /)]);
  expect(r.stderr.trim()).toMatch(message);
  expect(r.stdout).toBe('');
  return r.code;
}

describe('render CLI', () => {
  it('dream: one JSON line per step, then a summary, and a PNG carrying its parameters', async () => {
    const output = join(out, 'dream.png');
    const r = await render(['dream', '--input', cat, '--output', output, '--size', '80', '--steps', '3', '--octaves', '1', '--layers', 'mixed3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = lines(r.stdout);
    expect(rows.slice(0, 3).map((x) => x.step)).toEqual([0, 1, 2]);
    expect(typeof rows[0]!.loss).toBe('number');
    expect(rows[3]).toMatchObject({ done: true, backend: 'wasm' });
    expect(rows[3]!.ms_per_step as number).toBeGreaterThan(0);
    // The PNG carries the look in the app's vocabulary: the same codec the app reads when a PNG is dropped on it.
    const look = lookFromPng(readFileSync(output));
    expect(look?.settings).toMatchObject({ mode: 'dream', resolution: 80, dream: { stepsPerOctave: 3, octaves: 1, layers: [{ name: 'mixed3', weight: 1 }] } });
  });

  it("the PNG's look is plain JSON in an iTXt chunk: Python's json reads it as any PNG tool would", async () => {
    const output = join(out, 'plain-json.png');
    const r = await render(['dream', '--input', cat, '--output', output, ...tiny, '--step-size', '0.02']);
    expect(r.code, r.stderr).toBe(0);
    // Only the standard library: walk the chunks, take the uncompressed iTXt keyed dreamstream, parse its text.
    const script = [
      'import json, struct, sys',
      'png = open(sys.argv[1], "rb").read(); at = 8',
      'while at < len(png):',
      '    n, kind = struct.unpack(">I4s", png[at:at + 8]); data = png[at + 8:at + 8 + n]; at += 12 + n',
      '    key, _, rest = data.partition(b"\\0")',
      '    if kind == b"iTXt" and key == b"dreamstream" and rest[:2] == b"\\0\\0":',
      '        text = rest[2:].split(b"\\0", 2)[2].decode("utf-8")',
      '        print(json.dumps(json.loads(text)["settings"]["dream"]["stepSize"]))',
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script, output]);
    expect(stdout.trim()).toBe('0.02');
  });

  it('style: raw content, style and tv losses per iteration', async () => {
    const output = join(out, 'style.png');
    const flags = ['--content-layer', 'mixed2', '--style-layers', 'mixed0,mixed1:0.5', '--basis', 'pixels', '--pad', '8', '--jitter', '2'];
    const r = await render(['style', '--content', cat, '--style', join(FIXTURES, 'brick-128.jpg'), '--output', output, '--size', '80', '--iterations', '3', ...flags, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = lines(r.stdout);
    expect(Object.keys(rows[0]!).sort()).toEqual(['content', 'loss', 'step', 'style', 'tv']);
    expect(rows[3]).toMatchObject({ done: true });
    expect(lookFromPng(readFileSync(output))?.settings).toMatchObject({
      mode: 'style',
      style: { contentLayer: 'mixed2', styleLayers: [{ name: 'mixed0', weight: 1 }, { name: 'mixed1', weight: 0.5 }], basis: 'pixels', pad: 8, jitter: 2 },
    });
    await fails(['style', '--content', cat, '--style', cat, '--output', output, '--basis', 'fourier'], /basis must be one of pixels, pyramid \(got "fourier"\)/);
    // Two paintings blended by share, formed coarse to fine: the look records the shares and the schedule.
    const brick = join(FIXTURES, 'brick-128.jpg');
    const blended = await render(['style', '--content', cat, '--style', `${brick},${cat}`, '--style-blend', '0.7,0.3', '--stages', '2', '--stage-iterations', '1', '--output', output, '--size', '112', '--iterations', '2', ...flags.slice(0, 4), '--json']);
    expect(blended.code, blended.stderr).toBe(0);
    expect(lookFromPng(readFileSync(output))?.settings.style).toMatchObject({ styleBlend: [0.7, 0.3], stages: 2, stageIterations: 1 });
    await fails(['style', '--content', cat, '--style', `${brick},${cat}`, '--style-blend', '0.7,0.2,0.1', '--output', output], /--style-blend gives 3 shares for 2 style images/);
    await fails(['style', '--content', cat, '--style', brick, '--style-blend', '0.7,x', '--output', output], /--style-blend must be numbers separated by commas/);
  });

  it('zoom: a numbered PNG sequence', async () => {
    const dir = join(out, 'zoom');
    const again = join(out, 'zoom-again');
    const args = ['zoom', '--input', cat, '--size', '80', '--steps-per-frame', '2', '--zoom', '1.05', '--rotate', '1', '--guide', join(FIXTURES, 'brick-128.jpg'), '--json'];
    // The same render again (one frame), side by side: the same (default) seed must give the same first frame.
    const [r, r2] = await Promise.all([render([...args, '--output-dir', dir, '--frames', '3']), render([...args, '--output-dir', again, '--frames', '1'])]);
    expect(r.code, r.stderr).toBe(0);
    expect(r2.code, r2.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['frame_00000.png', 'frame_00001.png', 'frame_00002.png']);
    const look = lookFromPng(readFileSync(join(dir, 'frame_00002.png')));
    expect(look).toMatchObject({ frame: 2, settings: { mode: 'dream', stepsPerFrame: 2, resolution: 80, stream: { zoom: 1.05, rotate: 1 }, dream: { guideWeight: 1 } } });
    // Consecutive frames differ (the stream moves), the same seed gives the same first frame.
    const [a, b, a2] = await Promise.all([join(dir, 'frame_00000.png'), join(dir, 'frame_00001.png'), join(again, 'frame_00000.png')].map((f) => sharp(f).raw().toBuffer()));
    expect(a!.equals(b!)).toBe(false);
    expect(a2!.equals(a!)).toBe(true);
  });

  it('bad input files and parameters exit non-zero with a one-line message', async () => {
    const cases: [string[], RegExp][] = [
      [['dream', '--input', join(FIXTURES, 'missing.png'), '--output', join(out, 'x.png')], /missing\.png: no such file/],
      [['dream', '--input', join(FIXTURES, 'notes.txt'), '--output', join(out, 'x.png')], /not a PNG, JPEG or WebP image/],
      [['dream', '--input', join(FIXTURES, 'not-an-image.png'), '--output', join(out, 'x.png')], /corrupt or unsupported image/],
      [['dream', '--input', cat, '--output', join(out, 'x.png'), '--step-size', '9'], /stepSize must be .*from 0\.0001 to 1 \(got 9\)/],
      [['dream', '--input', cat, '--output', join(out, 'x.png'), '--size', '20'], /--size must be an integer from 75/],
      [['dream', '--output', join(out, 'x.png')], /--input is required/],
      [['paint'], /unknown command "paint"/],
    ];
    for (const [args, message] of cases) await fails(args, message);
  });

  it('output paths are checked before anything renders', async () => {
    const input = ['dream', '--input', cat, ...tiny];
    await fails([...input, '--output', join(out, 'no-such-dir', 'x.png')], /--output .*x\.png: directory .*no-such-dir does not exist$/);
    await fails([...input, '--output', out], /is a directory$/);
    await fails([...input, '--output', join(out, 'x.gif')], /unsupported extension \.gif \(supported: \.png, \.jpg, \.jpeg, \.webp\)/);
    await fails([...input, '--output', join(out, 'x')], /no extension \(supported: /);
    const file = join(out, 'a-file');
    writeFileSync(file, '');
    const zoom = ['zoom', '--input', cat, '--frames', '1', '--size', '80', '--steps-per-frame', '1'];
    await fails([...zoom, '--output-dir', file], /--output-dir .*a-file: exists and is not a directory/);
    await fails([...zoom, '--output-dir', join(file, 'frames')], /a parent is not a directory/);
  });

  it('bad flags get one line naming the problem, not the usage', async () => {
    const output = ['--input', cat, '--output', join(out, 'x.png')];
    expect(await fails(['dream', ...output, '--frobnicate'], /^render: unknown option --frobnicate \(see npm run render -- --help\)$/)).toBe(2);
    await fails(['dream', ...output, '--size', '-5'], /--size must be an integer from 75 to 8192 \(got -5\)/);
    await fails(['dream', ...output, '--size', 'abc'], /--size must be N or WxH, e.g. 512 or 3840x2160 \(got "abc"\)/);
    await fails(['dream', ...output, '--size'], /--size needs a value/);
    await fails(['dream', ...output, '--size', '--seed', '3'], /--size needs a value/);
    await fails(['--seed', '3'], /missing command/);
  });

  it('a flag means one thing: old and foreign spellings are refused with the one to use', async () => {
    const zoom = ['zoom', '--input', cat, '--output-dir', join(out, 'z2'), '--frames', '1'];
    expect(await fails([...zoom, '--steps', '2'], /^render: --steps: zoom takes --steps-per-frame \(--steps is steps per octave, for dream\)$/)).toBe(2);
    await fails(['dream', '--input', cat, '--output', join(out, 'x.png'), '--steps-per-frame', '2'], /dream takes --steps, the steps per octave/);
    await fails([...zoom, '--octaves', '3'], /^render: --octaves is not an option of zoom/);
    await fails(['style', '--content', cat, '--style', cat, '--output', join(out, 'x.png'), '--zoom', '1.1'], /--zoom is not an option of style/);
    await fails([...zoom, '--steps-per-frame', '21'], /--steps-per-frame must be an integer from 1 to 20 \(got 21\)/);
  });

  it('a bare invocation prints the usage and fails; --help prints it and succeeds', async () => {
    const bare = await render([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^usage:/);
    const help = await render(['dream', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage:/);
    expect(help.stderr).toBe('');
  });

  it('--size WxH and --tile: checked up front, one line each', async () => {
    const output = ['--input', cat, '--output', join(out, 'x.png')];
    await fails(['dream', ...output, '--size', '3840x20'], /^render: --size 3840x20: each side must be from 75 to 8192$/);
    await fails(['dream', ...output, '--size', '9000x2160'], /each side must be from 75 to 8192/);
    await fails(['dream', ...output, '--size', '3840x'], /--size must be N or WxH/);
    await fails(['dream', ...output, '--size', '1024', '--tile', '100'], /^render: --tile must be an integer from 256 to 8192 \(got 100\)$/);
    await fails(['dream', ...output, '--tile', '300.5'], /--tile must be an integer from 256 to 8192/);
    await fails(['style', '--content', cat, '--style', cat, '--output', join(out, 'x.png'), '--tile', 'big'], /--tile must be a number \(got "big"\)/);
    // Zoom frames are tiled up to 4K; a video is not tiled and stays within the untiled limit.
    await fails(['zoom', '--input', cat, '--output-dir', join(out, 'z3'), '--frames', '1', '--size', '5000x2160'], /each side must be from 75 to 3840 for zoom/);
    await fails(['zoom', '--input', cat, '--output-dir', join(out, 'z3'), '--frames', '1', '--tile', '100'], /--tile must be an integer from 256 to 8192/);
    await fails(['video', '--input', cat, '--output', join(out, 'v.mp4'), '--tile', '512'], /--tile is not an option of video/);
    await fails(['video', '--input', cat, '--output', join(out, 'v.mp4'), '--size', '3840x2160'], /each side must be from 75 to 2048 for video/);
  });

  it('a tiled dream and a tiled style render: exactly WxH, the tiles, peak tensor bytes and time per megapixel', async () => {
    const output = join(out, 'tiled.png');
    const r = await render(['dream', '--input', cat, '--output', output, '--size', '320x240', '--tile', '256', '--steps', '2', '--octaves', '1', '--layers', 'mixed3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const done = lines(r.stdout).at(-1)!;
    expect(done).toMatchObject({ done: true, width: 320, height: 240, tile: 256, tiles: 2 });
    expect(done.peak_tensor_bytes as number).toBeGreaterThan(320 * 240 * 3 * 4);
    expect(done.ms_per_megapixel as number).toBeGreaterThan(0);
    // A landscape frame from a square photo: covered and centre-cropped, not stretched.
    expect(await sharp(output).metadata()).toMatchObject({ width: 320, height: 240 });
    expect(lookFromPng(readFileSync(output))?.settings).toMatchObject({ mode: 'dream', resolution: 320 });
    const styled = join(out, 'tiled-style.png');
    const brick = join(FIXTURES, 'brick-128.jpg');
    const flags = ['--content-layer', 'mixed2', '--style-layers', 'activation_3,mixed0', '--iterations', '2', '--tile', '256'];
    const s = await render(['style', '--content', cat, '--style', brick, '--output', styled, '--size', '288x224', ...flags, '--json']);
    expect(s.code, s.stderr).toBe(0);
    const rows = lines(s.stdout);
    expect(rows.at(-1)).toMatchObject({ done: true, width: 288, height: 224, tile: 256, tiles: 2 });
    expect(typeof rows[0]!.style).toBe('number');
    expect(await sharp(styled).metadata()).toMatchObject({ width: 288, height: 224 });
    // Without --tile a small render fits the device's tile: one piece.
    const small = await render(['dream', '--input', cat, '--output', output, ...tiny, '--json']);
    expect(lines(small.stdout).at(-1)).toMatchObject({ done: true, tiles: 1 });
    // Zoom frames larger than a tile (the 4K video path) are dreamed tile by tile too.
    const frames = join(out, 'tiled-zoom');
    const z = await render(['zoom', '--input', cat, '--output-dir', frames, '--frames', '2', '--size', '320x240', '--tile', '256', '--steps-per-frame', '1', '--layers', 'mixed3', '--json']);
    expect(z.code, z.stderr).toBe(0);
    expect(lines(z.stdout).at(-1)).toMatchObject({ done: true, frames: 2, tile: 256, tiles: 2 });
    expect(await sharp(join(frames, 'frame_00001.png')).metadata()).toMatchObject({ width: 320, height: 240 });
  });

  it('--mask: the picture is kept where the mask is black, the mask travels in the look, two paintings either side', async () => {
    // A mask of another size than the render, white on the left: fitted like the input, so it still splits it.
    const w = 200;
    const h = 100;
    const grey = Buffer.alloc(w * h);
    for (let y = 0; y < h; y++) grey.fill(255, y * w, y * w + w / 2);
    const mask = join(out, 'left.png');
    await sharp(grey, { raw: { width: w, height: h, channels: 1 } }).png().toFile(mask);
    const pixels = async (file: string) => (await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true })).data;
    /** Mean absolute difference per value over the columns [from, to) of two 96×96 RGB pictures. */
    const columns = (a: Buffer, b: Buffer, from: number, to: number) => {
      let sum = 0;
      for (let y = 0; y < 96; y++) for (let x = from; x < to; x++) for (let c = 0; c < 3; c++) sum += Math.abs(a[(y * 96 + x) * 3 + c]! - b[(y * 96 + x) * 3 + c]!);
      return sum / (96 * (to - from) * 3);
    };
    const plain = join(out, 'plain.png');
    await sharp(cat).resize(96, 96, { fit: 'cover' }).png().toFile(plain);
    const photo = await pixels(plain);

    const dreamed = join(out, 'masked-dream.png');
    const d = await render(['dream', '--input', cat, '--output', dreamed, '--size', '96', '--steps', '3', '--octaves', '1', '--layers', 'mixed3', '--step-size', '0.08', '--mask', mask]);
    expect(d.code, d.stderr).toBe(0);
    const left = await pixels(dreamed);
    expect(columns(left, photo, 52, 96)).toBeLessThan(1.5);
    expect(columns(left, photo, 0, 44)).toBeGreaterThan(6);
    const look = lookFromPng(readFileSync(dreamed))!;
    expect(look.mask).toMatch(/^data:image\/png;base64,/);
    const carried = await sharp(Buffer.from(look.mask!.split(',')[1]!, 'base64')).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect([carried.info.width, carried.info.height]).toEqual([96, 96]);
    expect([carried.data[10 * 96 + 5], carried.data[10 * 96 + 90]]).toEqual([255, 0]);

    // Two regions: the right half dreams other layers; two paintings need exactly two style pictures.
    const other = join(out, 'masked-other.png');
    const o = await render(['dream', '--input', cat, '--output', other, '--size', '96', '--steps', '3', '--octaves', '1', '--layers', 'mixed3', '--step-size', '0.08', '--mask', mask, '--outside', 'other', '--outside-layers', 'mixed0']);
    expect(o.code, o.stderr).toBe(0);
    expect(columns(await pixels(other), photo, 52, 96)).toBeGreaterThan(3);
    expect(lookFromPng(readFileSync(other))!.settings.mask).toEqual({ outside: 'other', outsideLayers: [{ name: 'mixed0', weight: 1 }] });
    await fails(['style', '--content', cat, '--style', join(FIXTURES, 'brick-128.jpg'), '--output', join(out, 'x.png'), '--mask', mask, '--outside', 'other'], /two --style images/);
    await fails(['dream', '--input', cat, '--output', join(out, 'x.png'), '--outside', 'other'], /need a --mask/);
    await fails(['dream', '--input', cat, '--output', join(out, 'x.png'), '--mask', join(FIXTURES, 'notes.txt')], /not a PNG, JPEG or WebP/);
  });

  it('writes JPEG for .jpg', async () => {
    const jpg = join(out, 'dream.jpg');
    const r = await render(['dream', '--input', cat, '--output', jpg, ...tiny]);
    expect(r.code, r.stderr).toBe(0);
    expect([...readFileSync(jpg).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(await sharp(jpg).metadata()).toMatchObject({ format: 'jpeg', width: 80, height: 80 });
  });

  it('a large photo is shrunk on load to the render size', async () => {
    const big = join(out, 'big.jpg');
    await sharp({ create: { width: 6000, height: 4000, channels: 3, background: { r: 200, g: 80, b: 30 } } }).jpeg().toFile(big);
    const output = join(out, 'big.png');
    const r = await render(['dream', '--input', big, '--output', output, ...tiny]);
    expect(r.code, r.stderr).toBe(0);
    expect(await sharp(output).metadata()).toMatchObject({ width: 80, height: 80 });
  });

  it('webgpu without an adapter: one line, no Dawn noise', async () => {
    // No Vulkan driver to find, and no SwiftShader fallback.
    const env = { VK_ICD_FILENAMES: '/nonexistent', VK_DRIVER_FILES: '/nonexistent', DREAMSTREAM_SWIFTSHADER: '0' };
    const args = ['dream', '--input', cat, '--output', join(out, 'gpu.png'), ...tiny, '--backend', 'webgpu'];
    expect(await fails(args, /^render: backend webgpu is not available on this machine \(no WebGPU adapter/, env)).toBe(1);
  });
});
