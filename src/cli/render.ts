/**
 * The headless renderer: stills (dream, style) and frame-exact zoom sequences from the same engine sessions the
 * app streams with. Run with `npm run render -- <command> ...`; `--json` prints one JSON object per line.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { modelToBytes, pixelsToModel } from '../engine/image/convert';
import { cover } from '../engine/image/geometry';
import { MIN_INPUT_SIZE, ModelRunner } from '../engine/model/runner';
import { guideFeatures } from '../engine/objectives/dream';
import { dreamParams, type DreamParams } from '../engine/params/dream';
import { ParamError } from '../engine/params/schema';
import { streamParams } from '../engine/params/stream';
import { styleParams } from '../engine/params/style';
import { DreamSession } from '../engine/sessions/dream-session';
import type { Session } from '../engine/sessions/session';
import { StreamSession } from '../engine/sessions/stream-session';
import { StyleSession } from '../engine/sessions/style-session';
import { useNodeBackend } from '../node/backend';
import { ImageFileError, readImage, writePng } from '../node/image-io';
import { loadArtifactsFromDisk } from '../node/model-files';
import { count, number, parseCli, required, USAGE, UsageError, type CliArgs } from './args';
import { Progress } from './progress';

const MAX_SIDE = 2048;

function emit(args: CliArgs, obj: Record<string, unknown>): void {
  if (args.json) process.stdout.write(JSON.stringify(obj) + '\n');
}

function sizeOption(args: CliArgs): number | undefined {
  const size = number(args.values, 'size');
  if (size !== undefined && (!Number.isInteger(size) || size < MIN_INPUT_SIZE || size > MAX_SIDE)) {
    throw new UsageError(`--size must be an integer from ${MIN_INPUT_SIZE} to ${MAX_SIDE} (got ${size})`);
  }
  return size;
}

/** Reads an image as the model's [1,H,W,3]; with --size N it becomes N×N (centre crop, then resize). */
function loadInput(path: string, size: number | undefined): tf.Tensor4D {
  const pixels = readImage(path);
  const x = pixelsToModel(pixels);
  pixels.dispose();
  const [, h, w] = x.shape;
  if (size === undefined) {
    if (Math.min(h, w) < MIN_INPUT_SIZE) throw new UsageError(`${path}: ${w}×${h} is smaller than ${MIN_INPUT_SIZE} px; pass --size`);
    if (Math.max(h, w) > MAX_SIDE) throw new UsageError(`${path}: ${w}×${h} is larger than ${MAX_SIDE} px; pass --size`);
    return x;
  }
  if (h === size && w === size) return x;
  const out = cover(x, size, size);
  x.dispose();
  return out;
}

function dreamOptions(args: CliArgs, stepsKey: 'stepsPerOctave'): DreamParams {
  const v = args.values;
  const layers = typeof v.layers === 'string' ? v.layers.split(',').filter(Boolean).map((name) => ({ name: name.trim(), weight: 1 })) : undefined;
  return dreamParams({
    layers,
    objective: v.objective,
    channel: number(v, 'channel'),
    [stepsKey]: number(v, 'steps'),
    stepSize: number(v, 'step-size'),
    octaves: number(v, 'octaves'),
    octaveScale: number(v, 'octave-scale'),
    jitter: number(v, 'jitter'),
    seed: number(v, 'seed'),
    guideWeight: typeof v.guide === 'string' ? (number(v, 'guide-weight') ?? 1) : 0,
  });
}

/** Runs `steps` steps, reporting each; returns timings. */
async function drive(args: CliArgs, session: Session, steps: number, label: string, offset = 0): Promise<number[]> {
  const progress = new Progress(steps, label, args.json);
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    const losses = session.step();
    const values = await losses.data();
    losses.dispose();
    times.push(performance.now() - t0);
    const report: Record<string, unknown> = { step: offset + i };
    session.lossNames.forEach((name, k) => (report[name] = values[k]));
    emit(args, report);
    progress.update(i + 1, `loss ${values[0]!.toPrecision(4)}`);
  }
  progress.finish();
  return times;
}

function summary(args: CliArgs, times: number[], extra: Record<string, unknown>): void {
  const warm = times.length > 1 ? times.slice(1) : times;
  const msPerStep = warm.reduce((a, b) => a + b, 0) / Math.max(1, warm.length);
  emit(args, { done: true, backend: tf.getBackend(), ms_per_step: Number(msPerStep.toFixed(1)), first_step_ms: Number((times[0] ?? 0).toFixed(1)), ...extra });
  if (!args.json) console.error(`done on ${tf.getBackend()}: ${msPerStep.toFixed(0)} ms/step`);
}

async function save(path: string, image: tf.Tensor4D, params: unknown): Promise<void> {
  const bytes = modelToBytes(image);
  await writePng(path, bytes, { dreamstream: JSON.stringify(params) });
  bytes.dispose();
}

async function runDream(args: CliArgs, loadRunner: () => ModelRunner): Promise<void> {
  const output = required(args.values, 'output');
  const params = dreamOptions(args, 'stepsPerOctave');
  const input = loadInput(required(args.values, 'input'), sizeOption(args));
  const runner = loadRunner();
  const guide = typeof args.values.guide === 'string' ? loadGuide(runner, args.values.guide, params) : undefined;
  const session = new DreamSession(runner, input, params, guide);
  input.dispose();
  const times = await drive(args, session, session.totalSteps, 'dream');
  await save(output, session.image, { mode: 'dream', dream: params });
  summary(args, times, { output, octaves: session.sizes.length });
  session.dispose();
  if (guide) for (const t of Object.values(guide)) t.dispose();
}

function loadGuide(runner: ModelRunner, path: string, params: DreamParams) {
  const x = loadInput(path, undefined);
  const features = tf.tidy(() => guideFeatures(runner.run(x, params.layers.map((l) => l.name))));
  x.dispose();
  return features;
}

async function runStyle(args: CliArgs, loadRunner: () => ModelRunner): Promise<void> {
  const v = args.values;
  const output = required(v, 'output');
  const params = styleParams({
    contentWeight: number(v, 'content-weight'),
    styleWeight: number(v, 'style-weight'),
    tvWeight: number(v, 'tv-weight'),
    learningRate: number(v, 'learning-rate'),
    init: v.init,
    preserveColour: v['preserve-colour'] ?? undefined,
    seed: number(v, 'seed'),
  });
  const iterations = count(v, 'iterations', 200);
  const size = sizeOption(args);
  const content = loadInput(required(v, 'content'), size);
  const style = loadInput(required(v, 'style'), size);
  const session = new StyleSession(loadRunner(), content, style, params);
  content.dispose();
  style.dispose();
  const times = await drive(args, session, iterations, 'style');
  const shown = session.display();
  await save(output, shown, { mode: 'style', style: params });
  shown.dispose();
  summary(args, times, { output });
  session.dispose();
}

async function runZoom(args: CliArgs, loadRunner: () => ModelRunner): Promise<void> {
  const v = args.values;
  const dir = required(v, 'output-dir');
  const frames = count(v, 'frames', 60);
  const dream = dreamOptions(args, 'stepsPerOctave');
  const stream = streamParams({
    zoom: number(v, 'zoom'),
    rotate: number(v, 'rotate'),
    driftX: number(v, 'drift-x'),
    driftY: number(v, 'drift-y'),
    colourGuard: number(v, 'colour-guard'),
    stepsPerFrame: number(v, 'steps') ?? 5,
  });
  const input = loadInput(required(v, 'input'), sizeOption(args));
  mkdirSync(dir, { recursive: true });
  const session = new StreamSession(loadRunner(), input, dream, stream);
  input.dispose();
  const progress = new Progress(frames, 'zoom', args.json);
  const times: number[] = [];
  for (let f = 0; f < frames; f++) {
    const t0 = performance.now();
    let loss = 0;
    for (let s = 0; s < stream.stepsPerFrame; s++) {
      const l = session.step();
      loss = (await l.data())[0]!;
      l.dispose();
    }
    const file = join(dir, `frame_${String(f).padStart(5, '0')}.png`);
    await save(file, session.image, { mode: 'zoom', frame: f, dream, stream });
    session.advance();
    times.push((performance.now() - t0) / stream.stepsPerFrame);
    emit(args, { step: f, frame: f, loss, file });
    progress.update(f + 1, `loss ${loss.toPrecision(4)}`);
  }
  progress.finish();
  summary(args, times, { output_dir: dir, frames });
  session.dispose();
}

async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCli(argv);
  } catch (e) {
    const msg = (e as Error).message;
    console.error(msg ? `render: ${msg}\n${USAGE}` : USAGE);
    return msg ? 2 : 0;
  }
  try {
    await useNodeBackend(args.backend);
    // The model loads only after parameters and inputs have been checked, so mistakes are reported at once.
    let runner: ModelRunner | null = null;
    const loadRunner = () => (runner ??= ModelRunner.fromArtifacts(loadArtifactsFromDisk()));
    const run = args.command === 'dream' ? runDream : args.command === 'style' ? runStyle : runZoom;
    await run(args, loadRunner);
    (runner as ModelRunner | null)?.dispose();
    return 0;
  } catch (e) {
    const known = e instanceof UsageError || e instanceof ParamError || e instanceof ImageFileError;
    console.error(`render: ${known ? (e as Error).message : String((e as Error).stack ?? e)}`);
    return known && e instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
