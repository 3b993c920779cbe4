import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageFileError, readImage, writePng } from '../../src/node/image-io';
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

  it('writes PNGs with the parameters in a tEXt chunk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ds-'));
    const px = tf.tensor3d(new Int32Array(4 * 5 * 3).fill(200), [4, 5, 3], 'int32');
    const path = join(dir, 'x.png');
    await writePng(path, px, { dreamstream: '{"mode":"dream"}' });
    const bytes = readFileSync(path);
    expect(bytes.includes(Buffer.from('tEXtdreamstream\u0000{"mode":"dream"}', 'latin1'))).toBe(true);
    const back = readImage(path);
    expect(back.shape).toEqual([4, 5, 3]);
    expect(back.dataSync()[0]).toBe(200);
    tf.dispose([px, back]);
    writeFileSync(join(dir, 'empty.png'), Buffer.alloc(0));
    expect(() => readImage(join(dir, 'empty.png'))).toThrow(/not a PNG or JPEG/);
  });
});
