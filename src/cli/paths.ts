/**
 * Output paths are checked before the model loads or a step runs, so a typo in a path costs nothing rather than
 * a whole render.
 */
import { accessSync, constants, mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { OUTPUT_FORMATS, type ImageFormat } from '../node/image-io';
import { VIDEO_FORMATS } from '../node/video-io';
import { UsageError } from './args';

function stat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The format --output asks for by its extension, once the file is known to be writable. */
export function outputFile(path: string): ImageFormat {
  const file = stat(path);
  if (file?.isDirectory()) throw new Error(`--output ${path} is a directory`);
  const ext = extname(path).toLowerCase();
  const format = OUTPUT_FORMATS[ext];
  if (!format) {
    const supported = Object.keys(OUTPUT_FORMATS).join(', ');
    throw new UsageError(`--output ${path}: ${ext ? `unsupported extension ${ext}` : 'no extension'} (supported: ${supported})`);
  }
  const dir = dirname(resolve(path));
  const parent = stat(dir);
  if (!parent) throw new Error(`--output ${path}: directory ${dir} does not exist`);
  if (!parent.isDirectory()) throw new Error(`--output ${path}: ${dir} is not a directory`);
  if (!writable(file ? path : dir)) throw new Error(`--output ${path}: not writable`);
  return format;
}

/** Creates the zoom's frame directory (and its parents) if need be. */
export function outputDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'EEXIST' ? 'exists and is not a directory' : code === 'ENOTDIR' ? 'a parent is not a directory' : `cannot create it (${code ?? String(e)})`;
    throw new Error(`--output-dir ${dir}: ${reason}`);
  }
  if (!writable(dir)) throw new Error(`--output-dir ${dir}: not writable`);
}

/** A video --output (video, zoom --output): its extension one the encoder writes, its directory writable. */
export function outputVideo(path: string): void {
  const file = stat(path);
  if (file?.isDirectory()) throw new Error(`--output ${path} is a directory`);
  const ext = extname(path).toLowerCase();
  if (!VIDEO_FORMATS[ext]) {
    const supported = Object.keys(VIDEO_FORMATS).join(', ');
    throw new UsageError(`--output ${path}: ${ext ? `unsupported video extension ${ext}` : 'no extension'} (supported: ${supported})`);
  }
  const dir = dirname(resolve(path));
  const parent = stat(dir);
  if (!parent) throw new Error(`--output ${path}: directory ${dir} does not exist`);
  if (!parent.isDirectory()) throw new Error(`--output ${path}: ${dir} is not a directory`);
  if (!writable(file ? path : dir)) throw new Error(`--output ${path}: not writable`);
}
