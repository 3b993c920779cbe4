/**
 * Tiled rendering, measured (Node, wasm by default). One JSON line per figure:
 *
 *   npm run bench:tiles -- [--only seam,big,cost] [--backend wasm] [--big 4096] [--big-steps 2] [--seam-size 1024]
 *                          [--seam-steps 6] [--cost-size 1024] [--steps 3] [--picture public/samples/astronaut.jpg]
 *
 * - seam: a DeepDream still on a photo and on a statistically even test picture ('clouds') through 512 px tiles, the tiles held still (no roll: the worst
 *   case, every step hands over at the same lines) and rolled as a render does; the seam figure (mean luminance
 *   step across the tile lines over the mean step elsewhere, 1 ± 0.1 passes, and no single line outside 0.8–1.25)
 *   at the lines where the last step's tiles met (its roll included: the rolled frame's edges are lines too) of the
 *   result, beside the same figure of the untiled render and of the source at the same lines (what the picture
 *   itself gives there).
 * - big: a --big² dream render (1 octave, --big-steps steps: few, a step takes minutes on 2 cores) with the device's
 *   tile (deviceTileSide): peak tensor bytes sampled per tile (what the CLI prints) and the exact high-water mark
 *   (every tensor allocation watched), against the stated bound 6 × the picture's bytes + the tile budget.
 * - cost: ms per megapixel of the same --cost-size² render untiled (one tile) and tiled (the device tile and 512),
 *   their steps taken in turn: the ratio is the price of tiling (overlap, stitching, the roll); and the big render's
 *   ms per megapixel against the untiled one (different sizes: a single 4096² tile does not fit wasm's 4 GiB heap).
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { currentProfile } from '../src/engine/backend/profile';
import { cover } from '../src/engine/image/geometry';
import { pixelsToModel } from '../src/engine/image/convert';
import { ModelRunner } from '../src/engine/model/runner';
import { dreamParams, type DreamParams } from '../src/engine/params/dream';
import { DreamSession } from '../src/engine/sessions/dream-session';
import { tileCount } from '../src/engine/tiles/grid';
import { PeakMemory } from '../src/engine/tiles/memory';
import { luminance, seamFigure, tileLines } from '../src/engine/tiles/seam';
import { Tiler } from '../src/engine/tiles/tiler';
import { deviceTileSide } from '../src/engine/tiles/tile-size';
import { useNodeBackend, type NodeBackend } from '../src/node/backend';
import { readImage } from '../src/node/image-io';
import { loadArtifactsFromDisk, PROJECT_ROOT } from '../src/node/model-files';

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'seam,big,cost' },
    backend: { type: 'string', default: 'wasm' },
    big: { type: 'string', default: '4096' },
    'big-steps': { type: 'string', default: '2' },
    /** The big render's tile side (default: the device's, deviceTileSide). */
    'big-tile': { type: 'string' },
    'seam-size': { type: 'string', default: '1024' },
    'cost-size': { type: 'string', default: '1024' },
    steps: { type: 'string', default: '3' },
    picture: { type: 'string', default: 'public/samples/astronaut.jpg' },
    'seam-steps': { type: 'string', default: '6' },
  },
});
const only = new Set(values.only.split(','));
const LAYERS = ['mixed3', 'mixed5'];

function emit(row: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(row) + '\n');
}

/** Every tensor allocation updates the mark: the exact high-water mark of tensor bytes (tfjs engine internals). */
function watchAllocations(): { peak: () => number; reset: () => void } {
  const engine = tf.engine() as unknown as { trackTensor: (a: unknown, b: unknown) => void; state: { numBytes: number } };
  const track = engine.trackTensor.bind(engine);
  let peak = 0;
  engine.trackTensor = (a, b) => {
    track(a, b);
    if (engine.state.numBytes > peak) peak = engine.state.numBytes;
  };
  return { peak: () => peak, reset: () => (peak = tf.memory().numBytes) };
}

function picture(size: number, name = values.picture): tf.Tensor4D {
  if (name === 'clouds') return clouds(size);
  return tf.tidy(() => cover(pixelsToModel(readImage(join(PROJECT_ROOT, name))), size, size));
}

/** A statistically even test picture (smooth noise and a little fine noise): no line of it is special. */
function clouds(size: number): tf.Tensor4D {
  return tf.tidy(() => {
    const coarse = tf.randomUniform([1, size / 8, size / 8, 3], -0.6, 0.6, 'float32', 5) as tf.Tensor4D;
    return tf.image.resizeBilinear(coarse, [size, size]).add(tf.randomUniform([1, size, size, 3], -0.1, 0.1, 'float32', 6)) as tf.Tensor4D;
  });
}

/** A dream still to the end; ms per step and per megapixel-step. */
async function render(runner: ModelRunner, x: tf.Tensor4D, p: DreamParams, tiler?: Tiler, label?: string): Promise<{ session: DreamSession; msPerStep: number[]; msPerMp: number }> {
  const session = new DreamSession(runner, x, p, { tiler });
  const msPerStep: number[] = [];
  let mp = 0;
  while (!session.done) {
    const t0 = performance.now();
    const loss = session.step();
    await loss.data();
    loss.dispose();
    tiler?.probe?.sample();
    msPerStep.push(performance.now() - t0);
    mp += (session.image.shape[1] * session.image.shape[2]) / 1e6;
    if (label) emit({ bench: label, step: session.iteration, ms: Math.round(msPerStep.at(-1)!), tensor_bytes: tf.memory().numBytes, wasm_heap_bytes: heapBytes() });
  }
  return { session, msPerStep, msPerMp: msPerStep.reduce((a, b) => a + b, 0) / mp };
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/** Bytes of the wasm heap (it only grows: what the allocator took, live tensors and fragmentation), or 0. */
function heapBytes(): number {
  const b = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return b.wasm?.HEAPU8?.length ?? 0;
}
/** The untiled render's ms per megapixel, once 'cost' has measured it. */
let untiledMsPerMp: number | undefined;

async function main(): Promise<void> {
  await useNodeBackend(values.backend as NodeBackend);
  const watch = watchAllocations();
  const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk());
  const steps = Number(values.steps);
  const p = dreamParams({ layers: LAYERS.map((name) => ({ name, weight: 1 })), octaves: 1, stepsPerOctave: steps, seed: 7 });
  const deviceTile = deviceTileSide(runner, LAYERS);
  emit({ bench: 'setup', backend: tf.getBackend(), layers: LAYERS, device_tile: deviceTile, threads: process.env.DREAMSTREAM_WASM_THREADS ?? 'all cores' });

  for (const name of only.has('seam') ? [values.picture, 'clouds'] : []) {
    const size = Number(values['seam-size']);
    const x = picture(size, name);
    const seamParams = { ...p, stepsPerOctave: Number(values['seam-steps']) };
    const plain = await render(runner, x, seamParams);
    for (const roll of [false, true]) {
      const tiler = new Tiler(runner, { tile: 512, roll });
      const tiled = await render(runner, x, seamParams, tiler);
      const plan = tiler.shares(size, size, LAYERS)?.plan;
      if (!plan) throw new Error(`--seam-size ${size} fits one 512 px tile: nothing to measure`);
      // Where the last step's tiles met on the picture (its roll and jitter), the rolled frame's edges included.
      const lines = tileLines(plan, tiler.lastShift);
      const fig = (t: tf.Tensor4D) => seamFigure(luminance(t), size, size, lines);
      const result = fig(tiled.session.image);
      emit({
        bench: 'seam',
        picture: name,
        size,
        tile: 512,
        tiles: tileCount(plan),
        roll,
        steps: seamParams.stepsPerOctave,
        lines: result.lines,
        ratio: round(result.ratio),
        worst_line: { ...result.worst, ratio: round(result.worst.ratio) },
        boundary: round(result.boundary, 5),
        elsewhere: round(result.elsewhere, 5),
        untiled_ratio_same_lines: round(fig(plain.session.image).ratio),
        source_ratio_same_lines: round(fig(x).ratio),
        passes: Math.abs(result.ratio - 1) <= 0.1 && result.worst.ratio > 0.8 && result.worst.ratio < 1.25,
        tiled_vs_untiled_mean_abs: round(tf.tidy(() => tiled.session.image.sub(plain.session.image).abs().mean().dataSync()[0]!)),
      });
      tiled.session.dispose();
      tiler.dispose();
    }
    plain.session.dispose();
    x.dispose();
  }

  if (only.has('cost')) {
    // The renders take their steps in turn (untiled, tiled, tiled, untiled, …) so a machine shared with other work
    // slows them alike; each figure is the median over its steps of ms per megapixel.
    const size = Number(values['cost-size']);
    const x = picture(size);
    const tiles = [deviceTile, 512].filter((t) => t < size);
    const tilers = tiles.map((tile) => new Tiler(runner, { tile }));
    const sessions = [undefined, ...tilers].map((t) => new DreamSession(runner, x, p, { tiler: t }));
    const perMp: number[][] = sessions.map(() => []);
    const mp = (size * size) / 1e6;
    while (!sessions[0]!.done) {
      for (const [k, s] of sessions.entries()) {
        const t0 = performance.now();
        const loss = s.step();
        await loss.data();
        loss.dispose();
        perMp[k]!.push((performance.now() - t0) / mp);
      }
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    const untiled = median(perMp[0]!);
    untiledMsPerMp = untiled;
    emit({ bench: 'cost', size, tile: 'none (one tile)', tiles: 1, ms_per_megapixel: round(untiled, 1), steps: perMp[0]!.length, ms_per_megapixel_each: perMp[0]!.map((t) => Math.round(t)) });
    tilers.forEach((tiler, i) => {
      const plan = tiler.shares(size, size, LAYERS)!.plan;
      const processed = plan.rows.tiles.reduce((s, t) => s + t.end - t.start, 0) * plan.cols.tiles.reduce((s, t) => s + t.end - t.start, 0);
      const tiled = median(perMp[i + 1]!);
      emit({
        bench: 'cost',
        size,
        tile: tiles[i],
        tiles: tileCount(plan),
        pixels_processed_ratio: round(processed / (size * size), 3),
        ms_per_megapixel: round(tiled, 1),
        ratio_to_untiled: round(tiled / untiled, 3),
        target: 1.3,
        ms_per_megapixel_each: perMp[i + 1]!.map((t) => Math.round(t)),
      });
    });
    for (const s of sessions) s.dispose();
    for (const t of tilers) t.dispose();
    x.dispose();
  }

  if (only.has('big')) {
    const size = Number(values.big);
    const bigSteps = Number(values['big-steps']);
    const x = picture(size);
    const probe = new PeakMemory();
    const bigTile = values['big-tile'] ? Number(values['big-tile']) : deviceTile;
    const tiler = new Tiler(runner, { tile: bigTile, probe });
    const before = tf.memory().numBytes;
    watch.reset();
    const t0 = performance.now();
    const big = await render(runner, x, { ...p, stepsPerOctave: bigSteps }, tiler, 'big-step');
    const seconds = (performance.now() - t0) / 1000;
    const pictureBytes = size * size * 3 * 4;
    const bound = 6 * pictureBytes + currentProfile().tileWorkingSet;
    const plan = tiler.shares(size, size, LAYERS)!.plan;
    emit({
      bench: 'big',
      size,
      octaves: 1,
      steps: bigSteps,
      tile: bigTile,
      tiles: tileCount(plan),
      seconds: round(seconds, 1),
      ms_per_megapixel: round(big.msPerMp, 1),
      // Against the untiled render of --cost-size² (a single tile of this size does not fit the heap).
      ratio_to_untiled_cost_size: untiledMsPerMp === undefined ? null : round(big.msPerMp / untiledMsPerMp, 3),
      peak_tensor_bytes: probe.peak,
      peak_tensor_bytes_exact: watch.peak(),
      wasm_heap_bytes: heapBytes(),
      bytes_before: before,
      bound_bytes: bound,
      bound: '6 × picture bytes + the backend tile budget',
      within_bound: watch.peak() <= bound,
      finite: tf.tidy(() => tf.isFinite(big.session.image).all().dataSync()[0] === 1),
    });
    big.session.dispose();
    tiler.dispose();
    x.dispose();
  }
  runner.dispose();
}

await main();
