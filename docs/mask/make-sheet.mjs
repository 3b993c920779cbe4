// Renders the mask contact sheet with the CLI (wasm) and assembles it: the mask, then DeepDream inside it
// (outside kept, outside on other layers), then style transfer inside it (outside kept, a second painting outside).
// usage: node docs/mask/make-sheet.mjs OUTDIR   (writes OUTDIR/*.png and docs/mask/sheet.png; several minutes)
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

const out = process.argv[2] ?? '/tmp/mask-sheet';
mkdirSync(out, { recursive: true });
const S = 320;
const photo = 'public/samples/chelsea.jpg';
const starry = 'public/samples/starry-night.jpg';
const scream = 'public/samples/scream.jpg';

// A soft oval around the cat's face: the brush's softness, as a file.
const mask = join(out, 'mask.png');
await sharp(
  Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${S}" height="${S}"><defs><radialGradient id="g" cx="50%" cy="52%" r="50%">` +
      `<stop offset="0.55" stop-color="#fff"/><stop offset="0.8" stop-color="#000"/></radialGradient></defs>` +
      `<rect width="100%" height="100%" fill="#000"/><ellipse cx="${S * 0.5}" cy="${S * 0.52}" rx="${S * 0.38}" ry="${S * 0.34}" fill="url(#g)"/></svg>`,
  ),
)
  .png()
  .toFile(mask);

const render = (args) => execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/render.ts', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
const dream = ['dream', '--input', photo, '--size', String(S), '--layers', 'mixed4', '--steps', '12', '--octaves', '3', '--mask', mask];
render([...dream, '--output', join(out, 'dream-keep.png')]);
render([...dream, '--outside', 'other', '--outside-layers', 'mixed1', '--output', join(out, 'dream-other.png')]);
const style = ['style', '--content', photo, '--size', String(S), '--iterations', '160', '--mask', mask];
render([...style, '--style', starry, '--output', join(out, 'style-keep.png')]);
render([...style, '--style', `${starry},${scream}`, '--outside', 'other', '--output', join(out, 'style-other.png')]);

const cells = [
  ['photo', photo],
  ['the mask (--mask)', mask],
  ['dream mixed4 inside, kept outside', join(out, 'dream-keep.png')],
  ['dream mixed4 inside, mixed1 outside', join(out, 'dream-other.png')],
  ['Starry Night inside, kept outside', join(out, 'style-keep.png')],
  ['Starry Night inside, The Scream outside', join(out, 'style-other.png')],
];
const LABEL = 22;
const GAP = 4;
const COLS = 3;
const label = (text) =>
  Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${S}" height="${LABEL}"><rect width="100%" height="100%" fill="#111"/>` +
      `<text x="6" y="16" font-family="DejaVu Sans, sans-serif" font-size="14" fill="#eee">${text}</text></svg>`,
  );
const parts = [];
for (const [i, [text, file]] of cells.entries()) {
  const left = (i % COLS) * (S + GAP);
  const top = Math.floor(i / COLS) * (S + LABEL + GAP);
  parts.push({ input: label(text), left, top });
  parts.push({ input: await sharp(file).resize(S, S, { fit: 'cover' }).removeAlpha().toBuffer(), left, top: top + LABEL });
}
const rows = Math.ceil(cells.length / COLS);
await sharp({ create: { width: COLS * (S + GAP) - GAP, height: rows * (S + LABEL + GAP) - GAP, channels: 3, background: '#000' } })
  .composite(parts)
  .png({ compressionLevel: 9, palette: true, quality: 95, dither: 0.5 })
  .toFile('docs/mask/sheet.png');
console.log('wrote docs/mask/sheet.png');
