/**
 * The style-transfer yardstick: renders fixed photo × painting pairs through the render CLI itself (so it measures
 * exactly what `npm run render -- style` makes), then scores each result from its pixels (src/engine/quality) and
 * draws a contact sheet. Prints one JSON line per pair; writes <out>/quality.json and <out>/quality-sheet.png.
 *
 *   npm run quality [-- style] [--iterations 200] [--size 256] [--out docs/style] [--pairs chelsea:scream,...]
 *                      [--extra-args="--colour match"]
 *
 * A pair names samples in public/samples by id (chelsea → public/samples/chelsea.jpg) or gives image paths.
 * --extra-args is split on whitespace and passed to the CLI after the pair's own arguments.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp, { type OverlayOptions } from 'sharp';
import { fromBytes, type Picture } from '../src/engine/quality/image';
import { qualityFigures, type QualityFigures } from '../src/engine/quality/metrics';
import { loadImage } from '../src/node/image-io';
import { PROJECT_ROOT } from '../src/node/model-files';
import { BACKGROUND, decode, GAP, label, LABEL_H, positiveInt, runCli, sourceState, textStrip, tile } from './quality-shared';

/** Two photos × the two paintings: a soft close-up (fur) and a portrait with hard edges and flat areas. */
const PAIRS: readonly (readonly [content: string, style: string])[] = [
  ['chelsea', 'starry-night'],
  ['chelsea', 'scream'],
  ['astronaut', 'starry-night'],
  ['astronaut', 'scream'],
];

interface PairResult extends QualityFigures {
  pair: string;
  content: string;
  style: string;
  /** Wall time of the CLI run; the one figure here that is not reproducible. */
  seconds: number;
}

interface Rendered {
  row: PairResult;
  content: Picture;
  style: Picture;
  result: Picture;
}

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '200' },
    size: { type: 'string', default: '256' },
    out: { type: 'string', default: 'docs/style' },
    pairs: { type: 'string' },
    'extra-args': { type: 'string', default: '' },
  },
});

const ITERATIONS = positiveInt('iterations', values.iterations);
const SIZE = positiveInt('size', values.size);
const OUT = resolve(values.out);
const EXTRA = values['extra-args'].split(/\s+/).filter(Boolean);

function pairsOf(text: string | undefined): (readonly [string, string])[] {
  if (text === undefined) return [...PAIRS];
  return text.split(',').filter(Boolean).map((p) => {
    const [c, s, ...rest] = p.split(':');
    if (!c || !s || rest.length) throw new Error(`--pairs: "${p}" is not content:style`);
    return [c, s] as const;
  });
}

/** A sample id, or a path when it looks like one. */
function imagePath(ref: string): string {
  return ref.includes('/') || extname(ref) ? resolve(ref) : join(PROJECT_ROOT, 'public', 'samples', `${ref}.jpg`);
}


/** The whole painting with its long side equal to the result's: its palette and its texture at the result's scale. */
const paintingAt = (path: string, side: number) => decode(sharp(path, { autoOrient: true }).resize({ width: side, height: side, fit: 'inside' }));

async function renderPair(content: string, style: string, scratch: string): Promise<Rendered> {
  const name = `${label(content)}--${label(style)}`;
  const output = join(scratch, `${name}.png`);
  const t0 = performance.now();
  await runCli(['style', '--content', imagePath(content), '--style', imagePath(style), '--output', output, '--size', String(SIZE), '--iterations', String(ITERATIONS), ...EXTRA]);
  const seconds = (performance.now() - t0) / 1000;
  const result = await decode(sharp(output));
  // The photo exactly as the CLI fed it to the network: its own loader, centre crop at the render size.
  const seen = await loadImage(imagePath(content), { square: result.width });
  const contentPic = fromBytes(seen.data, seen.width, seen.height);
  const stylePic = await paintingAt(imagePath(style), Math.max(result.width, result.height));
  const figures = qualityFigures({ content: contentPic, style: stylePic, result });
  const round = (x: number) => (Number.isFinite(x) ? Number(x.toFixed(4)) : x);
  const row: PairResult = {
    pair: `${label(content)}:${label(style)}`,
    content: label(content),
    style: label(style),
    palette: round(figures.palette),
    layout: round(figures.layout),
    noise: round(figures.noise),
    border: round(figures.border),
    seconds: Number(seconds.toFixed(1)),
  };
  return { row, content: contentPic, style: stylePic, result };
}

// ---- contact sheet -------------------------------------------------------------------------------------------

const figuresText = (r: PairResult) =>
  `${r.content} × ${r.style}  ·  palette ${r.palette.toFixed(3)}  ·  layout ${r.layout.toFixed(3)}  ·  noise ${r.noise.toFixed(2)}  ·  border ${r.border.toFixed(2)}`;

async function contactSheet(rows: Rendered[], path: string): Promise<void> {
  const width = 3 * SIZE + 4 * GAP;
  const rowH = LABEL_H + SIZE + GAP;
  const height = LABEL_H + rows.length * rowH + GAP;
  const layers: OverlayOptions[] = [];
  ['content (as rendered)', 'painting', `result (${ITERATIONS} it, ${SIZE} px${EXTRA.length ? ', ' + EXTRA.join(' ') : ''})`].forEach((t, k) =>
    layers.push({ input: textStrip(SIZE, t), left: GAP + k * (SIZE + GAP), top: 0 }),
  );
  for (const [i, r] of rows.entries()) {
    const top = LABEL_H + i * rowH;
    layers.push({ input: textStrip(width, figuresText(r.row)), left: GAP, top });
    const tiles = await Promise.all([tile(r.content, SIZE), tile(r.style, SIZE), tile(r.result, SIZE)]);
    tiles.forEach((input, k) => layers.push({ input, left: GAP + k * (SIZE + GAP), top: top + LABEL_H }));
  }
  await sharp({ create: { width, height, channels: 3, background: BACKGROUND } }).composite(layers).png().toFile(path);
}

// ---- main ----------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const pairs = pairsOf(values.pairs);
  const source = sourceState();
  if (source.dirty.length) console.error(`quality: measuring uncommitted code (${source.dirty.join(', ')})`);
  mkdirSync(OUT, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'dreamstream-quality-'));
  const rendered: Rendered[] = [];
  try {
    for (const [content, style] of pairs) {
      console.error(`quality: rendering ${content} × ${style} (${SIZE} px, ${ITERATIONS} iterations)…`);
      const r = await renderPair(content, style, scratch);
      process.stdout.write(JSON.stringify(r.row) + '\n');
      rendered.push(r);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const report = {
    size: SIZE,
    iterations: ITERATIONS,
    extraArgs: EXTRA,
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}`,
    source,
    pairs: rendered.map((r) => r.row),
  };
  writeFileSync(join(OUT, 'quality.json'), JSON.stringify(report, null, 2) + '\n');
  await contactSheet(rendered, join(OUT, 'quality-sheet.png'));
  console.error(`quality: wrote ${join(values.out, 'quality.json')} and ${join(values.out, 'quality-sheet.png')}`);
}

main().catch((e: unknown) => {
  console.error(`quality: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
