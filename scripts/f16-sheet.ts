/**
 * The dream step's f16 plan against its f32 plan (src/engine/plan/precision.ts), as a person sees it: the same
 * zoom stream from the same picture, once with each plan, on a WebGPU device with shader-f16. Writes a contact sheet
 * (frames 0, ¼, ½ and the last of each, and their difference ×4) and prints the losses and the pictures' distance.
 * `--precision f16-storage` takes the f16 plan with f32 products (default f16: f16 products too).
 * On a machine without a GPU, Mesa's lavapipe has shader-f16 (scripts/ensure-lavapipe.sh):
 *
 *   VK_ICD_FILENAMES=node_modules/.cache/lavapipe/lvp_icd.json \
 *   LD_LIBRARY_PATH=node_modules/.cache/lavapipe/root/usr/lib/x86_64-linux-gnu \
 *   npx tsx scripts/f16-sheet.ts [--size 192] [--frames 120] [--picture chelsea] [--precision f16] [--out docs/dream]
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import sharp, { type OverlayOptions } from 'sharp';
import { pixelsToModel } from '../src/engine/image/convert';
import { ModelRunner } from '../src/engine/model/runner';
import { settings } from '../src/engine/params/settings';
import { extensionsSettled } from '../src/engine/plan/extension-cache';
import { ASKS_BEFORE_BUILD, plannerFor } from '../src/engine/plan/planner';
import { lastStepPath, stepPathLabel } from '../src/engine/plan/step-path';
import { precisionName, SHADER_F16 } from '../src/engine/plan/precision';
import { picture, type Picture } from '../src/engine/quality/image';
import { StreamSession } from '../src/engine/sessions/stream-session';
import { useNodeBackend } from '../src/node/backend';
import { loadImage, rgbToTensor } from '../src/node/image-io';
import { loadArtifactsFromDisk, PROJECT_ROOT } from '../src/node/model-files';
import { BACKGROUND, GAP, LABEL_H, positiveInt, textStrip, tile } from './quality-shared';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '192' },
    frames: { type: 'string', default: '120' },
    picture: { type: 'string', default: 'chelsea' },
    precision: { type: 'string', default: 'f16' },
    out: { type: 'string', default: 'docs/dream' },
  },
});
const SIZE = positiveInt('size', values.size);
const FRAMES = positiveInt('frames', values.frames);
const CELL = 200;
const PRECISION = values.precision;
if (PRECISION !== 'f16' && PRECISION !== 'f16-storage') throw new Error(`--precision must be f16 or f16-storage (got ${PRECISION})`);
/** What the sheet calls the f16 plan. */
const HALF = precisionName(PRECISION);

await useNodeBackend('webgpu');
const device = (tf.backend() as unknown as { device: GPUDevice }).device;
if (!device.features.has(SHADER_F16)) throw new Error('this WebGPU device has no shader-f16: see the usage above');
const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
const look = settings({ resolution: SIZE });
/** Steps a frame: the look's, or one where it leaves them to the live scheduler (0). */
const STEPS = Math.max(1, look.stepsPerFrame);
const source = await loadImage(join(PROJECT_ROOT, 'public/samples', `${values.picture}.jpg`), { width: SIZE, height: SIZE });
const start = tf.tidy(() => pixelsToModel(rgbToTensor(source)));
const shown = [0, Math.floor(FRAMES / 4), Math.floor(FRAMES / 2), FRAMES - 1];

async function asPicture(t: tf.Tensor4D): Promise<Picture> {
  const data = await tf.tidy(() => t.add(1).div(2).clipByValue(0, 1)).data();
  return picture(t.shape[2], t.shape[1], data as Float32Array);
}

/** A throwaway stream until its plan and its tail are built: the measured one runs on them from its first frame. */
async function warm(): Promise<void> {
  const session = new StreamSession(runner, start, look.dream, look.stream);
  for (let i = 0; i <= ASKS_BEFORE_BUILD; i++) {
    session.step().dispose();
    session.advance();
    await plannerFor(runner)!.settled();
    await extensionsSettled();
  }
  session.dispose();
}

/** The stream on the f16 plan or the f32 one: the frames shown, each frame's mean loss and which paths ran. */
async function stream(half: boolean): Promise<{ frames: tf.Tensor4D[]; losses: number[]; path: string }> {
  tf.env().set('DREAMSTREAM_PLAN_F16', half);
  tf.env().set('DREAMSTREAM_PLAN_F16_PRODUCTS', PRECISION === 'f16');
  await warm();
  const paths = new Set<string>();
  const session = new StreamSession(runner, start, look.dream, look.stream);
  const frames: tf.Tensor4D[] = [];
  const losses: number[] = [];
  for (let f = 0; f < FRAMES; f++) {
    let sum = 0;
    for (let s = 0; s < STEPS; s++) {
      const loss = session.step();
      paths.add(stepPathLabel() ?? lastStepPath().path);
      sum += (await loss.data())[0]!;
      loss.dispose();
    }
    losses.push(sum / STEPS);
    if (shown.includes(f)) frames.push(session.display().clone());
    session.advance();
  }
  const path = [...paths].join(', ');
  session.dispose();
  return { frames, losses, path };
}

const f32 = await stream(false);
const f16 = await stream(true);
const distance = await Promise.all(f32.frames.map(async (a, i) => (await tf.tidy(() => f16.frames[i]!.sub(a).abs().mean().div(2)).data())[0]!));
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const lossRel = f32.losses.map((l, i) => Math.abs(f16.losses[i]! - l) / Math.abs(l));
console.log(JSON.stringify({ picture: values.picture, precision: PRECISION, size: SIZE, frames: FRAMES, paths: [f32.path, f16.path], meanLoss: { f32: mean(f32.losses), f16: mean(f16.losses) }, firstFrameLossRel: lossRel[0], meanAbsDifference: Object.fromEntries(shown.map((f, i) => [`frame ${f}`, Number(distance[i]!.toFixed(4))])) }));

// Rows: f32, f16, |f16 − f32| × 4.
const rows: Array<[string, Picture[]]> = [
  [`f32 plan (${f32.path})`, await Promise.all(f32.frames.map(asPicture))],
  [`${HALF} plan (${f16.path})`, await Promise.all(f16.frames.map(asPicture))],
  [`|${HALF} − f32| × 4`, await Promise.all(f32.frames.map((a, i) => tf.tidy(() => f16.frames[i]!.sub(a).abs().mul(4).sub(1) as tf.Tensor4D)).map(async (d) => { const p = await asPicture(d); d.dispose(); return p; }))],
];
const width = GAP + shown.length * (CELL + GAP);
const rowH = 2 * LABEL_H + CELL + GAP;
const parts: OverlayOptions[] = [{ input: textStrip(width, `${values.picture}, ${SIZE} px, the app's default stream on WebGPU (${FRAMES} frames): f32 against ${HALF}`), top: 0, left: 0 }];
for (const [r, [name, pics]] of rows.entries()) {
  const top = LABEL_H + r * rowH;
  parts.push({ input: textStrip(width, name), top, left: 0 });
  for (const [k, p] of pics.entries()) {
    parts.push({ input: textStrip(CELL, `frame ${shown[k]}`), top: top + LABEL_H, left: GAP + k * (CELL + GAP) });
    parts.push({ input: await tile(p, CELL), top: top + 2 * LABEL_H, left: GAP + k * (CELL + GAP) });
  }
}
const file = join(resolve(values.out), `${PRECISION}-vs-f32-${values.picture}.png`);
await sharp({ create: { width, height: LABEL_H + rows.length * rowH, channels: 3, background: BACKGROUND } }).composite(parts).png().toFile(file);
console.log(`wrote ${file}`);
tf.dispose([start, ...f32.frames, ...f16.frames]);
runner.dispose();
