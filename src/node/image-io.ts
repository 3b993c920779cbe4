import { readFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import sharp, { type ResizeOptions } from 'sharp';
import { addTextChunks } from '../engine/io/png-text';

/** Refuse images whose decoded pixels would not fit comfortably in memory (≈ 400 MB RGBA). */
export const MAX_PIXELS = 100_000_000;

export class ImageFileError extends Error {
  override name = 'ImageFileError';
}

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImageFileError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code ?? String(e)})`);
  }
}

/**
 * Decodes a PNG or JPEG file to [H,W,3] int32 pixels, in full and synchronously (pure JS; fine for small files
 * such as test fixtures). Throws ImageFileError with a one-line reason.
 */
export function readImage(path: string): tf.Tensor3D {
  return decodeImage(readBytes(path), path);
}

/** Interleaved 8-bit RGB. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * An exact square or an exact width × height (scaled to cover it, its aspect kept, then centre-cropped), or the
 * image as it is, shrunk if its long side exceeds maxSide.
 */
export type Fit = { square: number } | { width: number; height: number } | { maxSide: number };

/**
 * Decodes a PNG, JPEG or WebP file to RGB at the size it will be used at. libvips shrinks on load (JPEG's DCT
 * scaling), so a 48 MP photo for a 128 px render is never held at full size. EXIF orientation is applied.
 */
export async function loadImage(path: string, fit: Fit): Promise<RgbImage> {
  const bytes = readImageBytes(path);
  try {
    const { data, info } = await sharp(bytes, { autoOrient: true })
      .resize(resizeFor(fit))
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (e) {
    throw new ImageFileError(`${path}: corrupt or unsupported image (${firstLine(e)})`);
  }
}

/** One 8-bit value per pixel (a mask). */
export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * A mask file as one value per pixel: its luminance, transparent pixels counting as black, fitted like the
 * picture it masks (the same Fit), so the two line up pixel for pixel.
 */
export async function loadGrey(path: string, fit: Fit): Promise<GreyImage> {
  const bytes = readImageBytes(path);
  try {
    const { data, info } = await sharp(bytes, { autoOrient: true })
      .flatten({ background: '#000000' })
      .resize(resizeFor(fit))
      .greyscale()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { data: data.subarray(0, info.width * info.height), width: info.width, height: info.height };
  } catch (e) {
    throw new ImageFileError(`${path}: corrupt or unsupported image (${firstLine(e)})`);
  }
}

/** A mask as a greyscale PNG data URL (how a look carries it), its long side shrunk to `maxSide`. */
export async function greyPngDataUrl(mask: GreyImage, maxSide: number): Promise<string> {
  const png = await sharp(mask.data, { raw: { width: mask.width, height: mask.height, channels: 1 } })
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    .toColourspace('b-w')
    .png()
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

function readImageBytes(path: string): Buffer {
  const bytes = readBytes(path);
  if (!imageKind(bytes)) throw new ImageFileError(`${path}: not a PNG, JPEG or WebP image`);
  return bytes;
}

function resizeFor(fit: Fit): ResizeOptions {
  if ('square' in fit) return { width: fit.square, height: fit.square, fit: 'cover', position: 'centre' };
  if ('width' in fit) return { width: fit.width, height: fit.height, fit: 'cover', position: 'centre' };
  return { width: fit.maxSide, height: fit.maxSide, fit: 'inside', withoutEnlargement: true };
}

export function rgbToTensor(image: RgbImage): tf.Tensor3D {
  return tf.tensor3d(Int32Array.from(image.data), [image.height, image.width, 3], 'int32');
}

function imageKind(bytes: Uint8Array): 'png' | 'jpeg' | 'webp' | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length > 8 && bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return 'png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length > 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  return undefined;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

export function decodeImage(bytes: Uint8Array, label = 'image'): tf.Tensor3D {
  const kind = imageKind(bytes);
  if (kind !== 'png' && kind !== 'jpeg') throw new ImageFileError(`${label}: not a PNG or JPEG image`);
  let width: number;
  let height: number;
  let rgba: Uint8Array;
  try {
    if (kind === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes));
      ({ width, height } = png);
      rgba = png.data;
    } else {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024, maxResolutionInMP: MAX_PIXELS / 1e6 });
      ({ width, height } = img);
      rgba = img.data;
    }
  } catch (e) {
    throw new ImageFileError(`${label}: corrupt or unsupported image (${firstLine(e)})`);
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

export type ImageFormat = 'png' | 'jpeg' | 'webp';

/** What an output file's extension asks for. */
export const OUTPUT_FORMATS: Readonly<Record<string, ImageFormat>> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.webp': 'webp' };

/** Writes [H,W,3] 0–255 pixels; `text` becomes PNG iTXt chunks (JPEG and WebP carry none). */
export async function writeImage(path: string, pixels: tf.Tensor3D, format: ImageFormat, text?: Record<string, string>): Promise<void> {
  if (format === 'png') return writePng(path, pixels, text);
  const [height, width] = pixels.shape;
  const image = sharp(Uint8Array.from(await pixels.data()), { raw: { width, height, channels: 3 } });
  writeFileSync(path, await (format === 'jpeg' ? image.jpeg({ quality: 92 }) : image.webp({ quality: 92 })).toBuffer());
}

/** Encodes [H,W,3] 0–255 pixels as PNG, optionally with iTXt chunks (e.g. the look that made it). */
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
