/**
 * The lens's proof: feature visualisations of 16 channels across mixed3–mixed5, rendered at a real size on the
 * engine (wasm in Node), as a labelled contact sheet, with the figures the issue asks for:
 *  - gain: the channel's mean activation on the result over its mean on the starting noise (the picture the
 *    optimisation started from), target ≥ 10×;
 *  - rank: where the channel stands among all of its layer's channels by relative gain (target: top 1%). Reported two
 *    ways: raw (activation on result / on noise), and with the noise activation floored at the layer's mean noise
 *    activation, since channels that are all but silent on the noise divide by ~0 and their raw gains say nothing;
 *  - noise: the result's high-frequency energy (src/engine/quality/noise.ts: mean |Laplacian| of luminance) over
 *    a natural photo's (public/samples/chelsea.jpg, cover-resized to the same size), target ≤ 1.
 * Writes docs/lens/features.png and docs/lens/features.json.
 *
 *   npx tsx scripts/lens-sheet.ts [--size 160] [--steps 128] [--batch 8]
 */
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { FeatureVis, FEATURE_VIS_DEFAULTS } from '../src/engine/lens/feature-vis';
import { channelTarget, targetLabel } from '../src/engine/lens/targets';
import type { RgbPixels } from '../src/engine/lens/types';
import { ModelRunner } from '../src/engine/model/runner';
import { fromBytes, luminance } from '../src/engine/quality/image';
import { laplacianEnergy } from '../src/engine/quality/noise';
import { useNodeBackend } from '../src/node/backend';
import { loadArtifactsFromDisk, PROJECT_ROOT } from '../src/node/model-files';
import { sourceState } from './quality-shared';

/** Spread over each layer's channels (mixed3's 480–767 are its max-pool branch, a copy of mixed2: left out). */
const CHANNELS: [string, number][] = [
  ['mixed3', 10], ['mixed3', 97], ['mixed3', 222], ['mixed3', 300], ['mixed3', 410],
  ['mixed4', 40], ['mixed4', 97], ['mixed4', 300], ['mixed4', 455], ['mixed4', 520], ['mixed4', 700],
  ['mixed5', 60], ['mixed5', 200], ['mixed5', 380], ['mixed5', 560], ['mixed5', 740],
];

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function means(runner: ModelRunner, x: tf.Tensor4D, layer: string): Promise<number[][]> {
  const m = tf.tidy(() => runner.run(x, [layer])[layer]!.mean([1, 2]));
  const out = (await m.array()) as number[][];
  m.dispose();
  return out;
}

const hf = (p: RgbPixels) => laplacianEnergy(luminance(fromBytes(p.data, p.width, p.height)));

async function main(): Promise<void> {
  const size = flag('size', 160);
  const steps = flag('steps', 128);
  const batch = flag('batch', 8);
  await useNodeBackend('wasm');
  const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
  const photo = await sharp(join(PROJECT_ROOT, 'public/samples/chelsea.jpg')).resize(size, size, { fit: 'cover' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const photoEnergy = hf({ width: size, height: size, data: photo.data });
  const rows: Record<string, unknown>[] = [];
  const tiles: { label: string; pixels: RgbPixels }[] = [];
  const t0 = performance.now();
  for (let from = 0; from < CHANNELS.length; from += batch) {
    const part = CHANNELS.slice(from, from + batch);
    const targets = part.map(([l, c]) => channelTarget(l, c));
    const fv = new FeatureVis(runner, targets, { size, seed: from });
    const start = fv.image.clone();
    await fv.run(steps, (i, l) => {
      if (i % 32 === 31) console.error(`batch ${from / batch + 1}: step ${i + 1}/${steps}, objective ${l[1]!.toFixed(2)}, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    });
    for (let b = 0; b < part.length; b++) {
      const [layer, channel] = part[b]!;
      const before = (await means(runner, start.slice([b], [1]) as tf.Tensor4D, layer))[0]!;
      const after = (await means(runner, fv.display(b), layer))[0]!;
      const typical = before.reduce((s, v) => s + v, 0) / before.length;
      const raw = after.map((a, j) => a / Math.max(before[j]!, 1e-12));
      const floored = after.map((a, j) => a / Math.max(before[j]!, typical));
      const rankOf = (g: number[]) => g.filter((v) => v > g[channel]!).length + 1;
      const pixels = await fv.pixels(b);
      const row = {
        target: targetLabel(targets[b]!),
        noiseActivation: +before[channel]!.toFixed(5),
        resultActivation: +after[channel]!.toFixed(4),
        gain: +(after[channel]! / Math.max(before[channel]!, 1e-12)).toFixed(1),
        rankRawGain: rankOf(raw),
        rankFlooredGain: rankOf(floored),
        rankActivation: rankOf(after),
        channels: after.length,
        noise: +(hf(pixels) / photoEnergy).toFixed(3),
      };
      console.log(JSON.stringify(row));
      rows.push(row);
      tiles.push({ label: `${row.target}  ×${row.gain >= 1000 ? '>1000' : row.gain} #${row.rankFlooredGain}`, pixels });
    }
    start.dispose();
    fv.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  const top = (r: Record<string, unknown>, k: string) => (r[k] as number) <= Math.ceil(0.01 * (r.channels as number));
  const summary = {
    machine: `${process.platform} ${process.arch}, ${(await import('node:os')).cpus().length} cores, tfjs ${tf.version.tfjs} wasm`,
    size,
    steps,
    batch,
    options: { ...FEATURE_VIS_DEFAULTS, size, robustness: 'pad 12, jitter ±8, scale ±5%, rotate ±10°' },
    photo: 'public/samples/chelsea.jpg',
    photoEnergy: +photoEnergy.toFixed(5),
    seconds: Math.round(seconds),
    passes: {
      gainAtLeast10x: rows.filter((r) => (r.gain as number) >= 10).length,
      topOnePercentFlooredGain: rows.filter((r) => top(r, 'rankFlooredGain')).length,
      topOnePercentRawGain: rows.filter((r) => top(r, 'rankRawGain')).length,
      noiseAtMostPhoto: rows.filter((r) => (r.noise as number) <= 1).length,
      of: rows.length,
    },
    source: sourceState(),
    channels: rows,
  };
  writeFileSync(join(PROJECT_ROOT, 'docs/lens/features.json'), `${JSON.stringify(summary, null, 2)}\n`);
  await writeSheet(tiles, size, join(PROJECT_ROOT, 'docs/lens/features.png'));
  console.log(JSON.stringify(summary.passes), `${Math.round(seconds)} s`);
  runner.dispose();
}

async function writeSheet(tiles: { label: string; pixels: RgbPixels }[], size: number, path: string): Promise<void> {
  const columns = 4;
  const gap = 6;
  const labelH = 18;
  const rows = Math.ceil(tiles.length / columns);
  const width = columns * size + (columns + 1) * gap;
  const height = rows * (size + labelH) + (rows + 1) * gap;
  const esc = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const parts = await Promise.all(
    tiles.flatMap((t, i) => {
      const left = gap + (i % columns) * (size + gap);
      const top = gap + Math.floor(i / columns) * (size + labelH + gap);
      const label = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${labelH}"><text x="2" y="${labelH - 5}" font-family="sans-serif" font-size="11" fill="#e8e8e8">${esc(t.label)}</text></svg>`);
      return [
        Promise.resolve({ input: label, left, top }),
        sharp(Buffer.from(t.pixels.data), { raw: { width: t.pixels.width, height: t.pixels.height, channels: 3 } })
          .png()
          .toBuffer()
          .then((input) => ({ input, left, top: top + labelH })),
      ];
    }),
  );
  await sharp({ create: { width, height, channels: 3, background: { r: 24, g: 24, b: 24 } } }).composite(parts).png().toFile(path);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
