/**
 * The stream judge: renders a long DeepDream zoom per picture through the render CLI (exactly what
 * `npm run render -- zoom` makes, the same engine session the app streams with), reads every frame back and scores it
 * (src/engine/quality/stream.ts): the source picture (at the frames' size) and the first frame against the mean of
 * the last quarter; the bounds that are relative are relative to the source. Prints one JSON line per
 * picture and writes <out>/stream-quality[-tag].json and a contact sheet <out>/stream-sheet[-tag].png (frames 0,
 * ¼, ½ and the last; for 2000 frames: 0/500/1000/1999).
 *
 *   npm run quality -- stream [--frames 2000] [--size 128] [--steps 2] [--pictures chelsea,graphic,...]
 *                             [--videos clip.mp4,...] [--out docs/dream] [--tag after] [--extra-args="--zoom 1.02"]
 *
 * --videos judges dreamed videos instead (`render video`, flow on by default): every frame of the output against
 * the clip's first frame, the same figures.
 *
 * Besides the pixel figures, "one motif everywhere" (src/engine/quality/motif.ts): the share of the dream layer's
 * positions won by one channel, read with the network (wasm) on the source, the first frame and the last quarter.
 *
 * A picture is a sample id (public/samples/<id>.jpg), a hard picture drawn here (graphic, night, text; see
 * quality-pictures.ts) or an image path. The defaults are the app's stream on wasm: 2 steps a frame at 128 px.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp, { type OverlayOptions } from 'sharp';
import { fromBytes, type Picture } from '../src/engine/quality/image';
import { judgeMotif, MOTIF_LAYER, motifShare } from '../src/engine/quality/motif';
import { judgeStream, meanFigures, STREAM_BOUNDS, streamFigures, type StreamFigures } from '../src/engine/quality/stream';
import { ModelRunner } from '../src/engine/model/runner';
import { useNodeBackend } from '../src/node/backend';
import { loadArtifactsFromDisk, PROJECT_ROOT } from '../src/node/model-files';
import { decodeFrames, probeVideo } from '../src/node/video-io';
import { drawHardPicture, HARD_PICTURES } from './quality-pictures';
import { BACKGROUND, decode, GAP, label, LABEL_H, positiveInt, runCli, sourceState, textStrip, tile } from './quality-shared';

const PICTURES = ['chelsea', 'astronaut', 'hubble', 'waves', ...Object.keys(HARD_PICTURES)];

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '2000' },
    size: { type: 'string', default: '128' },
    steps: { type: 'string', default: '2' },
    pictures: { type: 'string' },
    out: { type: 'string', default: 'docs/dream' },
    tag: { type: 'string', default: '' },
    videos: { type: 'string' },
    'extra-args': { type: 'string', default: '' },
  },
});

const FRAMES = positiveInt('frames', values.frames);
const SIZE = positiveInt('size', values.size);
const STEPS = positiveInt('steps', values.steps);
const OUT = resolve(values.out);
const EXTRA = values['extra-args'].split(/\s+/).filter(Boolean);
const CELL = 200;

interface StreamRow {
  picture: string;
  ok: boolean;
  failures: string[];
  /** The input picture itself, centre-cropped to the frames' size: what the person gave. */
  source: StreamFigures;
  first: StreamFigures;
  lastQuarter: StreamFigures;
  /** The one-motif share (motif.ts) of the source, the first frame and the last quarter's mean. */
  motif: { source: number; first: number; lastQuarter: number };
  seconds: number;
}

let runner: ModelRunner | undefined;

/** The one-motif share of a picture, through the dream layer at the picture's size. */
async function motifOf(p: Picture): Promise<number> {
  if (!runner) {
    await useNodeBackend('wasm');
    runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
  }
  const model = runner;
  const a = tf.tidy(() => model.run(tf.tensor4d(p.data, [1, p.height, p.width, 3]).mul(2).sub(1) as tf.Tensor4D, [MOTIF_LAYER])[MOTIF_LAYER]!);
  const [, height, width, channels] = a.shape;
  const share = motifShare({ height, width, channels, data: await a.data() });
  a.dispose();
  return share;
}


async function inputPath(ref: string, scratch: string): Promise<string> {
  if (ref.includes('/') || extname(ref)) return resolve(ref);
  const drawn = join(scratch, `${ref}.png`);
  if (await drawHardPicture(ref, drawn)) return drawn;
  return join(PROJECT_ROOT, 'public', 'samples', `${ref}.jpg`);
}

/** The frames the sheet shows: 0, ¼, ½ and the last. */
const sheetFrames = (n: number) => [...new Set([0, Math.floor(n / 4), Math.floor(n / 2), n - 1])];

const round = (f: StreamFigures): StreamFigures =>
  Object.fromEntries(Object.entries(f).map(([k, v]) => [k, Number.isFinite(v) ? Number(v.toFixed(4)) : v])) as unknown as StreamFigures;

interface Judged {
  row: StreamRow;
  shown: Picture[];
}

/** Scores a run's frames (in order, `count` of them) against its source picture. */
async function judgeFrames(name: string, frames: AsyncIterable<Picture>, count: number, source: Picture, seconds: number, footage = false): Promise<Judged> {
  const keep = new Set(sheetFrames(count));
  const lastQuarter: StreamFigures[] = [];
  const lastMotifs: number[] = [];
  let firstMotif = NaN;
  const shown: Picture[] = [];
  let first: StreamFigures | undefined;
  let previous: Picture | undefined;
  let f = 0;
  for await (const p of frames) {
    const figures = streamFigures(p, previous);
    if (f === 0) {
      first = figures;
      firstMotif = await motifOf(p);
    }
    if (f >= count - Math.max(1, Math.floor(count / 4))) {
      lastQuarter.push(figures);
      lastMotifs.push(await motifOf(p));
    }
    if (keep.has(f)) shown.push(p);
    previous = p;
    f++;
  }
  if (f !== count || !first) throw new Error(`${name}: expected ${count} frames, read ${f}`);
  const last = meanFigures(lastQuarter);
  const startFigures = streamFigures(source);
  const verdict = judgeStream(startFigures, last, { footage });
  const r4 = (v: number) => Number(v.toFixed(4));
  const motif = { source: r4(await motifOf(source)), first: r4(firstMotif), lastQuarter: r4(lastMotifs.reduce((a, b) => a + b, 0) / lastMotifs.length) };
  const motifFailure = judgeMotif(motif.source, motif.lastQuarter);
  if (motifFailure) verdict.failures.push(motifFailure);
  verdict.ok = verdict.failures.length === 0;
  return {
    row: { picture: name, ...verdict, source: round(startFigures), first: round(first), lastQuarter: round(last), motif, seconds: Number(seconds.toFixed(1)) },
    shown,
  };
}

async function* pngFrames(dir: string, files: string[]): AsyncGenerator<Picture> {
  for (const file of files) yield await decode(sharp(join(dir, file)));
}

async function* videoFrames(path: string, width: number, height: number): AsyncGenerator<Picture> {
  for await (const bytes of decodeFrames(path, width, height)) yield fromBytes(bytes, width, height);
}

/** A zoom stream from a picture, through `render zoom`. */
async function judgePicture(ref: string, scratch: string): Promise<Judged> {
  const dir = join(scratch, label(ref));
  mkdirSync(dir);
  const t0 = performance.now();
  const input = await inputPath(ref, scratch);
  await runCli(['zoom', '--input', input, '--output-dir', dir, '--frames', String(FRAMES), '--size', String(SIZE), '--steps-per-frame', String(STEPS), ...EXTRA]);
  const seconds = (performance.now() - t0) / 1000;
  const files = readdirSync(dir).filter((f) => f.startsWith('frame_')).sort();
  const { width, height } = await sharp(join(dir, files[0]!)).metadata();
  const source = await decode(sharp(input, { autoOrient: true }).resize({ width, height, fit: 'cover' }));
  try {
    return await judgeFrames(label(ref), pngFrames(dir, files), FRAMES, source, seconds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A dreamed video file, through `render video` (its own frame count; --frames is not used); the source is its first frame. */
async function judgeVideo(path: string, scratch: string): Promise<Judged> {
  const output = join(scratch, `${label(path)}-dreamed.mp4`);
  const t0 = performance.now();
  await runCli(['video', '--input', resolve(path), '--output', output, '--size', String(SIZE), '--steps-per-frame', String(STEPS), ...EXTRA]);
  const seconds = (performance.now() - t0) / 1000;
  const info = await probeVideo(output);
  let source: Picture | undefined;
  for await (const p of videoFrames(resolve(path), info.width, info.height)) {
    source = p;
    break;
  }
  return judgeFrames(`${label(path)} (video)`, videoFrames(output, info.width, info.height), info.frames, source!, seconds, true);
}

/** Two lines per picture: the verdict, then the last quarter's figures. */
const figuresText = (r: StreamRow): [string, string] => {
  const l = r.lastQuarter;
  const reference = Math.min(r.source.detail, STREAM_BOUNDS.detailReference);
  const detail = reference > 0 ? l.detail / reference : 1;
  return [
    `${r.picture}: ${r.ok ? 'ok' : 'FAILS ' + r.failures.join('; ')}`,
    `last ¼: flat ${l.flat.toFixed(2)} · clipped ${l.clipped.toFixed(3)} · detail ${detail.toFixed(2)}× · speckle ${l.speckle.toFixed(2)} · ` +
      `hues ${l.hueEntropy.toFixed(2)} bits · change ${(l.change * 255).toFixed(1)}/255 · pale ${l.pale.toFixed(2)} · motif ${r.motif.lastQuarter.toFixed(2)}`,
  ];
};

async function contactSheet(rows: Judged[], path: string): Promise<void> {
  const columns = ['first', '¼', '½', 'last'];
  const width = columns.length * (CELL + GAP) + GAP;
  const rowH = 2 * LABEL_H + CELL + GAP;
  const height = LABEL_H + rows.length * rowH + GAP;
  const layers: OverlayOptions[] = [];
  const frames = sheetFrames(FRAMES);
  const name = (k: number) => (values.videos ? `${columns[k]} frame` : `frame ${frames[k]}`);
  columns.forEach((_, k) => layers.push({ input: textStrip(CELL, name(k)), left: GAP + k * (CELL + GAP), top: 0 }));
  for (const [i, r] of rows.entries()) {
    const top = LABEL_H + i * rowH;
    figuresText(r.row).forEach((line, k) => layers.push({ input: textStrip(width, line), left: GAP, top: top + k * LABEL_H }));
    const cells = await Promise.all(r.shown.map((p) => tile(p, CELL)));
    cells.forEach((input, k) => layers.push({ input, left: GAP + k * (CELL + GAP), top: top + 2 * LABEL_H }));
  }
  await sharp({ create: { width, height, channels: 3, background: BACKGROUND } }).composite(layers).png().toFile(path);
}

async function main(): Promise<void> {
  const videos = values.videos?.split(',').filter(Boolean) ?? [];
  const pictures = values.pictures ? values.pictures.split(',').filter(Boolean) : videos.length ? [] : PICTURES;
  const source = sourceState();
  if (source.dirty.length) console.error(`quality: measuring uncommitted code (${source.dirty.join(', ')})`);
  mkdirSync(OUT, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'dreamstream-stream-'));
  const tag = values.tag ? `-${values.tag}` : '';
  const judged: Judged[] = [];
  // The report and the sheet are written after every picture: a run of hours can be stopped and keeps what it judged.
  const done = async (r: Judged) => {
    process.stdout.write(JSON.stringify(r.row) + '\n');
    judged.push(r);
    const report = {
      frames: FRAMES,
      size: SIZE,
      stepsPerFrame: STEPS,
      extraArgs: EXTRA,
      machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}`,
      source,
      pictures: judged.map((j) => j.row),
    };
    writeFileSync(join(OUT, `stream-quality${tag}.json`), JSON.stringify(report, null, 2) + '\n');
    await contactSheet(judged, join(OUT, `stream-sheet${tag}.png`));
  };
  try {
    for (const ref of pictures) {
      console.error(`quality: streaming ${ref} (${FRAMES} frames, ${STEPS} steps a frame, ${SIZE} px)…`);
      await done(await judgePicture(ref, scratch));
    }
    for (const path of videos) {
      console.error(`quality: dreaming the video ${path} (${STEPS} steps a frame, ${SIZE} px)…`);
      await done(await judgeVideo(path, scratch));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.error(`quality: wrote stream-quality${tag}.json and stream-sheet${tag}.png in ${values.out}`);
  if (judged.some((r) => !r.row.ok)) process.exitCode = 2;
}

main().catch((e: unknown) => {
  console.error(`quality: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
