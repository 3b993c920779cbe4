import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { ImageFileError, loadImage, readImage, writeImage, writePng } from '../../src/node/image-io';
import { FIXTURES } from '../helpers/engine';

describe('image files', () => {
  it('reads PNG and JPEG', () => {
    const a = readImage(join(FIXTURES, 'cat-128.png'));
    const b = readImage(join(FIXTURES, 'coffee-96.jpg'));
    expect(a.shape[2]).toBe(3);
    expect(b.shape).toEqual([96, 96, 3]);
    tf.dispose([a, b]);
  });

  it('gives a one-line reason for missing, non-image and corrupt files', () => {
    expect(() => readImage(join(FIXTURES, 'nope.png'))).toThrow(/nope\.png: no such file/);
    expect(() => readImage(join(FIXTURES, 'notes.txt'))).toThrow(/not a PNG or JPEG image/);
    expect(() => readImage(join(FIXTURES, 'not-an-image.png'))).toThrow(ImageFileError);
    expect(() => readImage(join(FIXTURES, 'not-an-image.png'))).toThrow(/corrupt or unsupported image/);
  });

  it('writes PNGs with the parameters in an iTXt chunk, as plain UTF-8', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ds-'));
    const px = tf.tensor3d(new Int32Array(4 * 5 * 3).fill(200), [4, 5, 3], 'int32');
    const path = join(dir, 'x.png');
    await writePng(path, px, { dreamstream: '{"mode":"dream"}' });
    const bytes = readFileSync(path);
    // Keyword, NUL, uncompressed (0, 0), empty language tag and translated keyword (NUL each), then the text.
    expect(bytes.includes(Buffer.from('iTXtdreamstream\u0000\u0000\u0000\u0000\u0000{"mode":"dream"}', 'latin1'))).toBe(true);
    const back = readImage(path);
    expect(back.shape).toEqual([4, 5, 3]);
    expect(back.dataSync()[0]).toBe(200);
    tf.dispose([px, back]);
    writeFileSync(join(dir, 'empty.png'), Buffer.alloc(0));
    expect(() => readImage(join(dir, 'empty.png'))).toThrow(/not a PNG or JPEG/);
  });

  it('loadImage fits on load: a centre-cropped square, or the long side capped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ds-'));
    const wide = join(dir, 'wide.jpg');
    // Left half black, right half white: a centre crop keeps both.
    const half = Buffer.alloc(300 * 100 * 3);
    for (let i = 0; i < 300 * 100; i++) if (i % 300 >= 150) half.fill(255, i * 3, i * 3 + 3);
    await sharp(half, { raw: { width: 300, height: 100, channels: 3 } }).jpeg({ quality: 95 }).toFile(wide);
    const square = await loadImage(wide, { square: 80 });
    expect([square.width, square.height, square.data.length]).toEqual([80, 80, 80 * 80 * 3]);
    expect(square.data[40 * 80 * 3]).toBeLessThan(30);
    expect(square.data[(40 * 80 + 79) * 3]).toBeGreaterThan(225);
    expect(await loadImage(wide, { maxSide: 150 })).toMatchObject({ width: 150, height: 50 });
    expect(await loadImage(wide, { maxSide: 2048 })).toMatchObject({ width: 300, height: 100 });
    await expect(loadImage(join(FIXTURES, 'notes.txt'), { maxSide: 100 })).rejects.toThrow(/not a PNG, JPEG or WebP image/);
    await expect(loadImage(join(FIXTURES, 'not-an-image.png'), { maxSide: 100 })).rejects.toThrow(ImageFileError);
    await expect(loadImage(join(dir, 'nope.jpg'), { maxSide: 100 })).rejects.toThrow(/nope\.jpg: no such file/);
  });

  it('writeImage writes the format asked for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ds-'));
    const px = tf.tensor3d(new Int32Array(8 * 6 * 3).fill(90), [6, 8, 3], 'int32');
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      const path = join(dir, `x.${format}`);
      await writeImage(path, px, format, { dreamstream: '{}' });
      expect(await sharp(path).metadata()).toMatchObject({ format, width: 8, height: 6 });
    }
    expect(readFileSync(join(dir, 'x.png')).includes(Buffer.from('iTXtdreamstream', 'latin1'))).toBe(true);
    px.dispose();
  });
});
