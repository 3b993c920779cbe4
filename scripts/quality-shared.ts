/** What both judges (`npm run quality` and `npm run quality -- stream`) share: the CLI run, decoding, sheet parts, provenance. */
import { execFileSync, spawn } from 'node:child_process';
import { basename, extname } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { fromBytes, type Picture } from '../src/engine/quality/image';
import { PROJECT_ROOT } from '../src/node/model-files';

/** A judge's numeric flag: a positive integer or a one-line error naming the flag. */
export function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got ${text})`);
  return n;
}

/** A sample id as is; an image path as its file name without the extension. */
export const label = (ref: string) => (ref.includes('/') || extname(ref) ? basename(ref, extname(ref)) : ref);

/** Runs the render CLI (so a judge measures exactly what `npm run render` makes); rejects with its last stderr lines. */
export function runCli(args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/render.ts', ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(`render CLI exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`))));
  });
}

export async function decode(input: Sharp): Promise<Picture> {
  const { data, info } = await input.removeAlpha().toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return fromBytes(data, info.width, info.height);
}

export const GAP = 4;
export const LABEL_H = 20;
export const BACKGROUND = { r: 24, g: 24, b: 24 };

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function textStrip(width: number, text: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" xml:space="preserve" width="${width}" height="${LABEL_H}"><text x="4" y="${LABEL_H - 6}" font-family="sans-serif" font-size="12" fill="#e8e8e8">${escapeXml(text)}</text></svg>`,
  );
}

/** A picture as a PNG cell of side `side`, letterboxed on the sheet's background. */
export async function tile(p: Picture, side: number): Promise<Buffer> {
  const bytes = Buffer.from(Uint8Array.from(p.data, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)));
  return sharp(bytes, { raw: { width: p.width, height: p.height, channels: 3 } })
    .resize({ width: side, height: side, fit: 'contain', background: BACKGROUND })
    .png()
    .toBuffer();
}

/**
 * Which code made the figures: the commit, and any uncommitted changes to the code the render runs (others may be
 * editing the working tree while a run is under way; a figure is only comparable with its source known).
 */
export function sourceState(): { commit: string; dirty: string[] } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    // Porcelain lines are "XY path": the status columns may start with a space, so no trimming before slicing.
    const dirty = git('status', '--porcelain', '--', 'src', 'package.json').split('\n').filter(Boolean).map((l) => l.slice(3));
    return { commit: git('rev-parse', 'HEAD').trim(), dirty };
  } catch {
    return { commit: 'unknown (not a git checkout)', dirty: [] };
  }
}
