/**
 * Optical-flow figures for webcam dreaming (issue 14), one JSON line each:
 *  (a) accuracy: mean end-point error of the tracker's flow on synthetic sequences with known motion (sample photos
 *      translated and rotated, up to 8 px per frame), over the pixels visible in both frames and over all;
 *  (b) temporal coherence: mean |dream(t+1) − dream(t) warped by the true motion| through the real InceptionV3 in
 *      webcam mode, flow on vs off at the same dream strength (steps, step size, layers, camera pull);
 *  (c) cost: one camera frame's flow work (pyramid, flow both ways, confidence, carrying the picture) vs one dream
 *      step at the same size, timed alternately so both see the same machine load;
 *  (d) video: a dreamed video (VideoDreamer, the default look) of a texture moving steadily (+2,+1) px a frame:
 *      the same coherence figure, blending (flow off) vs flow with each step its own (pull 0.1, the old default)
 *      vs flow as shipped (the steps' running direction, pull 0.4), with the dream's strength (mean |dream −
 *      footage|) and detail (the stream judge's finest band); `--sheet file.png` draws frames of each.
 *
 *   npm run bench:flow -- [--size 224] [--backend wasm] [--parts accuracy,coherence,cost] [--samples chelsea,...]
 *                         [--frames 12] [--runs 15] [--coherence-frames 10] [--steps 2] [--coherence-samples chelsea,astronaut]
 *                         [--video-sample gravel] [--video-frames 24] [--sheet docs/dream/video-coherence.png]
 *
 * wasm uses every core unless DREAMSTREAM_WASM_THREADS says otherwise (the flow's own kernels are single-threaded
 * JavaScript either way; a dream step's convolutions use the threads).
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { endPointError, MovingScene, type RigidMotion } from '../src/engine/bench/moving-scene';
import { FlowTracker } from '../src/engine/flow/tracker';
import { warp } from '../src/engine/flow/warp';
import { pixelsToModel } from '../src/engine/image/convert';
import { ModelRunner } from '../src/engine/model/runner';
import { WebcamMode } from '../src/engine/modes/webcam/mode';
import { settings as makeSettings, type Settings } from '../src/engine/params/settings';
import { streamParams } from '../src/engine/params/stream';
import { StreamSession } from '../src/engine/sessions/stream-session';
import { useNodeBackend, type NodeBackend } from '../src/node/backend';
import sharp, { type OverlayOptions } from 'sharp';
import { dreamParams } from '../src/engine/params/dream';
import type { Picture } from '../src/engine/quality/image';
import { streamFigures } from '../src/engine/quality/stream';
import { VideoDreamer, type VideoDreamOptions } from '../src/engine/video/video-dreamer';
import { BACKGROUND, GAP, LABEL_H, textStrip, tile } from './quality-shared';
import { loadImage, rgbToTensor } from '../src/node/image-io';
import { loadArtifactsFromDisk, PROJECT_ROOT } from '../src/node/model-files';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '224' },
    backend: { type: 'string', default: 'wasm' },
    parts: { type: 'string', default: 'accuracy,coherence,cost' },
    samples: { type: 'string', default: 'chelsea,astronaut,coffee,gravel,brick' },
    /** Frames of each accuracy sequence. */
    frames: { type: 'string', default: '12' },
    /** Timed runs of each side of the cost comparison. */
    runs: { type: 'string', default: '15' },
    'coherence-frames': { type: 'string', default: '10' },
    /** Dream steps per frame in the coherence run. */
    steps: { type: 'string', default: '2' },
    /** The coherence run's samples (the cost run uses the first). */
    'coherence-samples': { type: 'string', default: 'chelsea,astronaut' },
    'video-sample': { type: 'string', default: 'gravel' },
    /** Frames of the video run; the first third lets the dream grow and is not measured. */
    'video-frames': { type: 'string', default: '24' },
    sheet: { type: 'string' },
  },
});
const SIZE = Number(values.size);
const parts = new Set(values.parts.split(','));
const FRAMES = Number(values.frames);
const RUNS = Number(values.runs);

await useNodeBackend(values.backend as NodeBackend);
const threads = process.env.DREAMSTREAM_WASM_THREADS ?? 'all cores';
console.error(`backend ${tf.getBackend()}, ${SIZE}×${SIZE}, wasm threads: ${threads}`);

/** A sample photo at twice the frame size, so the moving window never leaves it. */
async function picture(name: string): Promise<tf.Tensor4D> {
  const img = await loadImage(join(PROJECT_ROOT, 'public', 'samples', `${name}.jpg`), { square: SIZE * 2 });
  return tf.tidy(() => pixelsToModel(rgbToTensor(img)));
}

/** Frame t's motion: translations up to 8 px and small rotations, in a fixed, varied order. */
function motionAt(t: number): RigidMotion {
  const list: RigidMotion[] = [
    { rotate: 0, dx: 1.5, dy: -0.7 },
    { rotate: 0, dx: 4, dy: 3 },
    { rotate: 0, dx: -8, dy: 0 },
    { rotate: 0, dx: 5.6, dy: -5.6 },
    { rotate: 1, dx: 0, dy: 0 },
    { rotate: -1.5, dx: 3, dy: 2 },
    { rotate: 1, dx: -4, dy: 2.5 },
    { rotate: 0, dx: 0, dy: 7.5 },
    { rotate: -0.5, dx: -2.5, dy: -2.5 },
    { rotate: 0, dx: 0.3, dy: 0.2 },
    { rotate: 2, dx: 0, dy: 0 },
    { rotate: 0, dx: -6.5, dy: -4 },
  ];
  return list[t % list.length]!;
}

/** The largest displacement of any pixel under `m` (the corners, for a rotation about the centre). */
function maxDisplacement(m: RigidMotion): number {
  const flow = MovingScene.backwardFlowOf(m, SIZE, SIZE);
  const v = tf.tidy(() => flow.square().sum(3).sqrt().max().dataSync()[0]!);
  flow.dispose();
  return v;
}

const round = (v: number, d = 3) => +v.toFixed(d);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function accuracy(): Promise<void> {
  const all: number[] = [];
  const allPixels: number[] = [];
  for (const name of values.samples.split(',')) {
    const pic = await picture(name);
    const scene = new MovingScene(pic, SIZE, SIZE);
    const tracker = new FlowTracker();
    const first = scene.frame();
    tracker.track(first);
    first.dispose();
    const visible: number[] = [];
    const every: number[] = [];
    let maxPx = 0;
    for (let t = 0; t < FRAMES; t++) {
      const m = motionAt(t);
      maxPx = Math.max(maxPx, maxDisplacement(m));
      scene.move(m);
      const frame = scene.frame();
      tracker.track(frame);
      const carry = tracker.take()!;
      const [truth, vis] = [scene.backwardFlow(), scene.visible()];
      const [e1, e2] = [endPointError(carry.flow, truth, vis), endPointError(carry.flow, truth)];
      visible.push((await e1.data())[0]!);
      every.push((await e2.data())[0]!);
      tf.dispose([frame, carry.flow, carry.confidence, truth, vis, e1, e2]);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    all.push(...visible);
    allPixels.push(...every);
    console.log(JSON.stringify({
      figure: 'flow accuracy', sample: name, backend: tf.getBackend(), size: SIZE, frames: FRAMES, max_motion_px: round(maxPx, 2),
      epe_visible_px: round(mean(visible)), epe_all_px: round(mean(every)), worst_frame_epe_visible_px: round(Math.max(...visible)),
    }));
    tracker.dispose();
    pic.dispose();
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(JSON.stringify({ figure: 'flow accuracy', sample: 'all', backend: tf.getBackend(), size: SIZE, epe_visible_px: round(mean(all)), epe_all_px: round(mean(allPixels)), target_px: 0.5 }));
}

/** Settings for webcam dreaming with flow on or off at the same step strength (the camera pull with flow: its default). */
function webcamSettings(flow: boolean): Settings {
  return makeSettings({
    mode: 'webcam',
    dream: { layers: [{ name: 'mixed3', weight: 1 }], stepSize: 0.03 },
    webcamFlow: flow,
    webcamBlend: 0.1,
    webcamGate: 0,
  });
}

async function coherence(runner: ModelRunner, name: string): Promise<number> {
  const frames = Number(values['coherence-frames']);
  const steps = Number(values.steps);
  const pic = await picture(name);
  const result: Record<string, number> = {};
  for (const flow of [true, false]) {
    const s = webcamSettings(flow);
    const scene = new MovingScene(pic, SIZE, SIZE);
    const first = scene.frame();
    const mode = WebcamMode.create({ runner, content: first, styles: [], guide: undefined }, s, [SIZE, SIZE], first);
    // The dream grows on the still first frame before anything moves.
    mode.cameraFrame(first);
    for (let i = 0; i < 4; i++) {
      const out = mode.frame(steps);
      tf.dispose([out.image, ...(out.losses ? [out.losses] : [])]);
    }
    first.dispose();
    let previous = mode.frame(steps).image;
    const diffs: number[] = [];
    for (let t = 0; t < frames; t++) {
      scene.move(motionAt(t));
      const camera = scene.frame();
      mode.cameraFrame(camera);
      const out = mode.frame(steps);
      const [truth, vis] = [scene.backwardFlow(), scene.visible()];
      const d = tf.tidy(() => {
        const moved = warp(previous, truth);
        return out.image.sub(moved).abs().mean(3, true).mul(vis).sum().div(vis.sum());
      });
      diffs.push((await d.data())[0]!);
      tf.dispose([previous, camera, truth, vis, d, ...(out.losses ? [out.losses] : [])]);
      previous = out.image;
    }
    previous.dispose();
    mode.dispose();
    result[flow ? 'on' : 'off'] = diffs.reduce((a, b) => a + b, 0) / diffs.length;
  }
  pic.dispose();
  console.log(JSON.stringify({
    figure: 'temporal coherence', sample: name, backend: tf.getBackend(), size: SIZE, layers: 'mixed3', step_size: 0.03, steps_per_frame: steps, camera_pull: webcamSettings(true).webcamFlowPull,
    frames, mad_flow_on: round(result.on!, 4), mad_flow_off: round(result.off!, 4), off_over_on: round(result.off! / result.on!, 2), target_ratio: 3,
  }));
  return result.off! / result.on!;
}

async function cost(runner: ModelRunner): Promise<void> {
  const pic = await picture(values['coherence-samples'].split(',')[0]!);
  const scene = new MovingScene(pic, SIZE, SIZE);
  const first = scene.frame();
  const s = webcamSettings(true);
  const session = new StreamSession(runner, first, s.dream, streamParams({ zoom: 1, blend: 0.1, colourGuard: 0.1 }));
  session.setSource(first);
  const tracker = new FlowTracker();
  tracker.track(first);
  first.dispose();
  const flowTimes: number[] = [];
  const stepTimes: number[] = [];
  const flowCpu: number[] = [];
  const stepCpu: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const d = process.cpuUsage(since);
    return (d.user + d.system) / 1000;
  };
  for (let i = 0; i < RUNS + 2; i++) {
    scene.move(motionAt(i));
    const camera = scene.frame();
    await camera.data();
    // What webcam mode does for a camera frame when flow is on: track it, carry the picture along.
    // (Setting the source is the same with flow off: not part of the flow's cost.)
    session.setSource(camera);
    await session.image.data();
    let c0 = process.cpuUsage();
    let t0 = performance.now();
    tracker.track(camera);
    const carry = tracker.take()!;
    session.carry(carry.flow, carry.confidence);
    await session.image.data();
    const flowMs = performance.now() - t0;
    const flowCpuMs = cpuMs(c0);
    tf.dispose([camera, carry.flow, carry.confidence]);
    c0 = process.cpuUsage();
    t0 = performance.now();
    const loss = session.step();
    await loss.data();
    await session.image.data();
    const stepMs = performance.now() - t0;
    const stepCpuMs = cpuMs(c0);
    loss.dispose();
    // The first two rounds warm up (allocations, JIT).
    if (i >= 2) {
      flowTimes.push(flowMs);
      stepTimes.push(stepMs);
      flowCpu.push(flowCpuMs);
      stepCpu.push(stepCpuMs);
    }
  }
  const [f, d] = [median(flowTimes), median(stepTimes)];
  const [fc, dc] = [median(flowCpu), median(stepCpu)];
  console.log(JSON.stringify({
    figure: 'flow cost', backend: tf.getBackend(), size: SIZE, wasm_threads: threads, runs: RUNS, dream_layers: 'mixed3',
    flow_warp_mask_ms: round(f, 1), dream_step_ms: round(d, 1), flow_over_step: round(f / d, 3),
    flow_min_ms: round(Math.min(...flowTimes), 1), step_min_ms: round(Math.min(...stepTimes), 1), min_over_min: round(Math.min(...flowTimes) / Math.min(...stepTimes), 3),
    // CPU time of this process (all its threads): steadier than wall time on a shared machine.
    flow_cpu_ms: round(fc, 1), step_cpu_ms: round(dc, 1), cpu_ratio: round(fc / dc, 3),
    load_average: round(loadavg()[0]!, 2), target_ratio: 0.25,
  }));
  tracker.dispose();
  session.dispose();
  pic.dispose();
}

/** One variant of the video run: blending, flow with each step its own (the old default), flow as shipped. */
const VIDEO_VARIANTS: { name: string; options: Partial<VideoDreamOptions> }[] = [
  { name: 'flow off', options: { flow: false } },
  { name: 'flow, pull 0.1, no momentum (before)', options: { flow: true, pull: 0.1, momentum: 0 } },
  { name: 'flow, as shipped (after)', options: { flow: true } },
];

async function video(runner: ModelRunner): Promise<void> {
  const frames = Number(values['video-frames']);
  const grow = Math.floor(frames / 3);
  const pic = await picture(values['video-sample']);
  const dream = dreamParams({});
  const shownAt = new Set([grow, Math.floor((grow + frames) / 2), frames]);
  const sheetRows: { name: string; cells: Picture[]; line: string }[] = [];
  for (const { name, options } of VIDEO_VARIANTS) {
    const dreamer = new VideoDreamer(runner, dream, [SIZE, SIZE], options);
    const scene = new MovingScene(pic, SIZE, SIZE);
    let previous: tf.Tensor4D | null = null;
    const change: number[] = [];
    const strength: number[] = [];
    const detail: number[] = [];
    const cells: Picture[] = [];
    let lastChange: Picture | null = null;
    for (let t = 0; t <= frames; t++) {
      if (t > 0) scene.move({ rotate: 0, dx: 2, dy: 1 });
      const input = scene.frame();
      const out = dreamer.frame(input);
      if (previous && t > grow) {
        const [truth, vis] = [scene.backwardFlow(), scene.visible()];
        const diff = tf.tidy(() => out.sub(warp(previous!, truth)).abs().mul(vis) as tf.Tensor4D);
        change.push(tf.tidy(() => diff.mean(3, true).sum().div(vis.sum()).mul(127.5).dataSync()[0]!));
        strength.push(tf.tidy(() => out.sub(input).abs().mean().mul(127.5).dataSync()[0]!));
        detail.push(streamFigures(await toPicture(out)).detail);
        // The change after undoing the motion, ×4 so that a few levels show.
        if (t === frames) lastChange = await toPicture(tf.tidy(() => diff.mul(4).sub(1) as tf.Tensor4D), true);
        tf.dispose([truth, vis, diff]);
      }
      if (shownAt.has(t)) cells.push(await toPicture(out));
      previous?.dispose();
      previous = out;
      input.dispose();
    }
    previous?.dispose();
    dreamer.dispose();
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const row = {
      figure: 'video coherence', variant: name, sample: values['video-sample'], backend: tf.getBackend(), size: SIZE, motion_px: [2, 1], steps_per_frame: 2,
      frames, measured_from: grow + 1, change_levels: round(mean(change), 2), strength_levels: round(mean(strength), 2), detail: round(mean(detail), 4),
    };
    console.log(JSON.stringify(row));
    sheetRows.push({ name, cells: [...cells, lastChange!], line: `${name}: change ${row.change_levels}/255 a frame · strength ${row.strength_levels}/255 · detail ${row.detail}` });
  }
  pic.dispose();
  if (values.sheet) await videoSheet(sheetRows, [...shownAt].map((t) => `frame ${t}`).concat(`|change| ×4, frame ${frames}`), values.sheet);
}

/** A picture from a [1,H,W,3] tensor in [-1, 1] (disposed when `own`). */
async function toPicture(x: tf.Tensor4D, own = false): Promise<Picture> {
  const t = tf.tidy(() => x.add(1).div(2).clipByValue(0, 1));
  const data = (await t.data()) as Float32Array;
  t.dispose();
  if (own) x.dispose();
  return { width: x.shape[2], height: x.shape[1], data };
}

async function videoSheet(rows: { name: string; cells: Picture[]; line: string }[], columns: string[], path: string): Promise<void> {
  const cell = 200;
  const width = columns.length * (cell + GAP) + GAP;
  const rowH = LABEL_H + cell + GAP;
  const layers: OverlayOptions[] = columns.map((c, k) => ({ input: textStrip(cell, c), left: GAP + k * (cell + GAP), top: 0 }));
  for (const [i, r] of rows.entries()) {
    const top = LABEL_H + i * rowH;
    layers.push({ input: textStrip(width, r.line), left: GAP, top });
    const tiles = await Promise.all(r.cells.map((p) => tile(p, cell)));
    tiles.forEach((input, k) => layers.push({ input, left: GAP + k * (cell + GAP), top: top + LABEL_H }));
  }
  await sharp({ create: { width, height: LABEL_H + rows.length * rowH + GAP, channels: 3, background: BACKGROUND } }).composite(layers).png().toFile(path);
  console.error(`wrote ${path}`);
}

if (parts.has('accuracy')) await accuracy();
if (parts.has('coherence') || parts.has('cost') || parts.has('video')) {
  const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
  if (parts.has('video')) await video(runner);
  if (parts.has('cost')) await cost(runner);
  if (parts.has('coherence')) {
    const ratios: number[] = [];
    for (const name of values['coherence-samples'].split(',')) ratios.push(await coherence(runner, name));
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    console.log(JSON.stringify({ figure: 'temporal coherence', sample: 'all', backend: tf.getBackend(), size: SIZE, off_over_on_mean: round(mean, 2), off_over_on_min: round(Math.min(...ratios), 2), target_ratio: 3 }));
  }
  runner.dispose();
}
