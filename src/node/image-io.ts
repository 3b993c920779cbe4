import { readFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { addTextChunks } from '../engine/io/png-text';

/** Refuse images whose decoded pixels would not fit comfortably in memory (≈ 400 MB RGBA). */
export const MAX_PIXELS = 100_000_000;

export class ImageFileError extends Error {
  override name = 'ImageFileError';
}

/** Decodes a PNG or JPEG file to [H,W,3] int32 pixels. Throws ImageFileError with a one-line reason. */
export function readImage(path: string): tf.Tensor3D {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImageFileError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code ?? String(e)})`);
  }
  return decodeImage(bytes, path);
}

export function decodeImage(bytes: Uint8Array, label = 'image'): tf.Tensor3D {
  const isPng = bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!isPng && !isJpeg) throw new ImageFileError(`${label}: not a PNG or JPEG image`);
  let width: number;
  let height: number;
  let rgba: Uint8Array;
  try {
    if (isPng) {
      const png = PNG.sync.read(Buffer.from(bytes));
      ({ width, height } = png);
      rgba = png.data;
    } else {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024, maxResolutionInMP: MAX_PIXELS / 1e6 });
      ({ width, height } = img);
      rgba = img.data;
    }
  } catch (e) {
    throw new ImageFileError(`${label}: corrupt or unsupported image (${(e as Error).message.split('\n')[0]})`);
  }
  if (width * height > MAX_PIXELS) throw new ImageFileError(`${label}: ${width}×${height} is too large (max ${MAX_PIXELS / 1e6} MP)`);
  if (width < 1 || height < 1) throw new ImageFileError(`${label}: empty image`);
  const rgb = new Int32Array(width * height * 3);
  for (let i = 0, j = 0; i < width * height; i++, j += 4) {
    rgb[i * 3] = rgba[j]!;
    rgb[i * 3 + 1] = rgba[j + 1]!;
    rgb[i * 3 + 2] = rgba[j + 2]!;
  }
  return tf.tensor3d(rgb, [height, width, 3], 'int32');
}

/** Encodes [H,W,3] 0–255 pixels as PNG, optionally with tEXt chunks (e.g. the parameters that made it). */
export async function writePng(path: string, pixels: tf.Tensor3D, text?: Record<string, string>): Promise<void> {
  writeFileSync(path, await encodePng(pixels, text));
}

export async function encodePng(pixels: tf.Tensor3D, text?: Record<string, string>): Promise<Buffer> {
  const [height, width] = pixels.shape;
  const data = await pixels.data();
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    png.data[i * 4] = data[i * 3]!;
    png.data[i * 4 + 1] = data[i * 3 + 1]!;
    png.data[i * 4 + 2] = data[i * 3 + 2]!;
    png.data[i * 4 + 3] = 255;
  }
  const buf = PNG.sync.write(png);
  return text ? Buffer.from(addTextChunks(buf, text)) : buf;
}
