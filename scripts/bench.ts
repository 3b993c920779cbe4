/**
 * Engine benchmarks in Node: median/min ms per DeepDream step and per style iteration at several sizes and
 * backends, beside the raw forward+backward of the same layers (the floor a step sits on) and tfjs's stock
 * gradients (what the custom gradients replaced). Prints one JSON line per row, then a table.
 *
 *   npm run bench -- [--backends wasm,cpu,webgpu] [--sizes 128,224,512] [--runs 5]
 *                    [--modes plan,dream,guided,masked,floor,stream,pipelined,style,stock,profile,convs,lens,atlas] [--flags WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE=30]
 *
 * 'plan' (WebGPU) prints the recorded plan's figures: host ms per step, steps/s in flight, dispatches, creations and
 * submits per step (DREAMSTREAM_WEBGPU_PLAN=false in --flags runs every row on tfjs ops instead).
 * 'profile' prints where one dream step's time goes, summed per kernel (GPU time on webgpu); 'convs' lists its
 * convolutions by shape with their GMAC/s.
 * 'masked' is a dream step kept to a painted mask (the left half), with the outside kept and on other layers.
 * 'stream' is one frame of the zoom stream (step + zoom transform), awaited each frame; 'pipelined' is what the
 * live loop does on a GPU: frames issued back to back and awaited once per batch, reported per frame.
 * 'lens' is one frame of the lens's activations view (mixed4) and of its saliency view (gradient; SmoothGrad of 8);
 * 'atlas' fills a 64-tile page of mixed4's atlas at the size (batches of 4, 64 steps each), timed once.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { awaited, countSyncReads, markdownTable, measure, type BenchRow, type MeasureOptions } from '../src/engine/bench/measure';
import { Mask } from '../src/engine/mask/mask';
import { ModelRunner } from '../src/engine/model/runner';
import { guideFeatures } from '../src/engine/objectives/dream';
import { dreamParams } from '../src/engine/params/dream';
import { styleParams } from '../src/engine/params/style';
import { DreamSession } from '../src/engine/sessions/dream-session';
import { StreamSession } from '../src/engine/sessions/stream-session';
import { StyleSession } from '../src/engine/sessions/style-session';
import { streamParams } from '../src/engine/params/stream';
import { useNodeBackend, type NodeBackend } from '../src/node/backend';
import { loadArtifactsFromDisk } from '../src/node/model-files';
import { planFigures, streamFrameFigures, styleFigures } from '../src/engine/bench/plan-rows';
import { planKeyFor } from '../src/engine/plan/dream-plan-step';
import { plannerFor } from '../src/engine/plan/planner';
import { featureVisRenderer } from '../src/engine/lens/atlas';
import { lensParamsSchema } from '../src/engine/modes/lens/about';
import { ActivationsView } from '../src/engine/modes/lens/activations-view';
import { SaliencyView } from '../src/engine/modes/lens/saliency-view';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,cpu,webgpu' },
    sizes: { type: 'string', default: '128,224,512' },
    runs: { type: 'string', default: '5' },
    modes: { type: 'string', default: 'dream,floor,stream,style,stock' },
    /** tfjs environment flags for this run (e.g. WebGPU batching), name=value pairs. */
    flags: { type: 'string', default: '' },
    /** Frames per awaited batch in the 'pipelined' rows. */
    batch: { type: 'string', default: '20' },
    // cpu and SwiftShader-webgpu take tens of seconds per step at 512 px: rows whose cold run is slower are skipped.
    'max-ms': { type: 'string', default: '40000' },
  },
});
const RUNS = Number(values.runs);
const MAX_MS = Number(values['max-ms']);
const sizes = values.sizes.split(',').map(Number);
const modes = new Set(values.modes.split(','));
const BATCH = Number(values.batch);
const DREAM = dreamParams({ layers: [{ name: 'mixed3', weight: 1 }], octaves: 1, stepsPerOctave: 500 });
const STREAM = streamParams({ zoom: 1.02, rotate: 0.3 });
const rows: BenchRow[] = [];
const flags = parseFlags(values.flags);

function parseFlags(text: string): Array<[string, number | boolean | string]> {
  return text.split(',').filter(Boolean).map((pair) => {
    const [name, raw = ''] = pair.split('=');
    const value = raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(Number(raw)) && raw !== '' ? Number(raw) : raw;
    return [name!, value];
  });
}

async function row(bench: string, size: number, once: () => Promise<void>, options: MeasureOptions = {}): Promise<void> {
  const r = await measure(bench, size, RUNS, once, { maxMs: MAX_MS, ...options });
  if (!r) {
    console.error(`skip ${bench} on ${tf.getBackend()} at ${size} px: cold run over ${MAX_MS} ms`);
    return;
  }
  rows.push(r);
  console.log(JSON.stringify(r));
}

for (const backend of values.backends.split(',') as NodeBackend[]) {
  try {
    await useNodeBackend(backend);
  } catch (e) {
    console.error(`skip backend ${backend}: ${(e as Error).message}`);
    continue;
  }
  for (const [name, value] of flags) tf.env().set(name, value);
  describeDevice();
  countSyncReads();
  const artifacts = loadArtifactsFromDisk();
  const fast = ModelRunner.fromArtifacts(artifacts, 'fast');
  const stock = modes.has('stock') ? ModelRunner.fromArtifacts(artifacts, 'stock') : null;
  for (const size of sizes) {
    const x = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const fwdBwd = (r: ModelRunner) => awaited(() => tf.grad((t: tf.Tensor) => r.run(t as tf.Tensor4D, ['mixed3']).mixed3!.square().mean())(x));
    if (modes.has('plan')) {
      for (const p of [DREAM, dreamParams({ ...DREAM, layers: [{ name: 'mixed3', weight: 1 }, { name: 'mixed5', weight: 1 }] })]) {
        const f = await planFigures(fast, x, p, RUNS, BATCH);
        if (typeof f === 'string') console.error(`skip plan rows at ${size} px: ${f}`);
        else console.log(JSON.stringify(f));
      }
      for (const motion of [{ zoom: 1.01 }, { zoom: 1.01, rotate: 1 }]) {
        const f = await streamFrameFigures(fast, x, DREAM, streamParams(motion), RUNS, BATCH);
        if (typeof f === 'string') console.error(`skip stream frame row at ${size} px: ${f}`);
        else console.log(JSON.stringify(f));
      }
      const y = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
      const f = await styleFigures(fast, x, y, RUNS, Math.max(1, Math.floor(BATCH / 3)));
      if (typeof f === 'string') console.error(`skip style plan row at ${size} px: ${f}`);
      else console.log(JSON.stringify(f));
      y.dispose();
    }
    // Rows of dream steps run through the recorded plan where the backend has one: it is built before they start.
    const planner = plannerFor(fast);
    const key = planKeyFor(DREAM, size, size);
    if (planner && typeof key !== 'string') {
      const plan = await planner.ready(key);
      console.error(`dream steps at ${size} px run ${plan ? `the recorded plan (${plan.dispatches} dispatches)` : `tfjs ops: ${planner.failure(key)}`}`);
    }
    if (modes.has('floor')) await row('mixed3 forward+input-gradient (floor)', size, fwdBwd(fast));
    if (stock) await row('mixed3 forward+input-gradient, stock tfjs gradients', size, fwdBwd(stock));
    if (modes.has('dream')) {
      const s = new DreamSession(fast, x, DREAM);
      await row('dream step (mixed3, jitter, normalised ascent)', size, awaited(() => s.step()), { timed: () => s.step() });
      s.dispose();
    }
    if (modes.has('guided')) {
      // A guide image's features taken at 224 px, as the app's worker takes them.
      const guide = tf.tidy(() => guideFeatures(fast.run(tf.randomUniform([1, 224, 224, 3], -1, 1, 'float32', 3) as tf.Tensor4D, ['mixed3'])));
      const s = new DreamSession(fast, x, { ...DREAM, guideWeight: 1 }, { guide });
      await row('guided dream step (mixed3, guide features at 224 px)', size, awaited(() => s.step()));
      s.dispose();
      tf.dispose(Object.values(guide));
    }
    if (modes.has('masked')) {
      const values = new Uint8Array(size * size);
      for (let y = 0; y < size; y++) values.fill(255, y * size, y * size + size / 2);
      const mask = new Mask(values, size, size);
      for (const outside of [null, { ...DREAM, layers: [{ name: 'mixed1', weight: 1 }] }]) {
        const s = new DreamSession(fast, x, DREAM, { regions: { mask, outside } });
        const label = outside ? 'masked dream step (mixed3 inside, mixed1 outside)' : 'masked dream step (mixed3 inside, outside kept)';
        await row(label, size, awaited(() => s.step()), { timed: () => s.step() });
        s.dispose();
      }
      mask.dispose();
    }
    if (modes.has('profile')) await profileKernels(fast, x, size);
    if (modes.has('convs')) await profileConvolutions(fast, x, size);
    if (modes.has('stream') || modes.has('pipelined')) {
      const s = new StreamSession(fast, x, DREAM, STREAM);
      const frame = () => {
        const loss = s.step();
        s.advance();
        return loss;
      };
      if (modes.has('stream')) await row('stream frame (step + zoom/rotate transform)', size, awaited(frame));
      if (modes.has('pipelined')) {
        const batch = () => {
          for (let i = 0; i < BATCH - 1; i++) frame().dispose();
          return frame();
        };
        await row(`stream frame, ${BATCH} pipelined per await`, size, awaited(batch), { stepsPerRun: BATCH, timed: batch });
      }
      s.dispose();
    }
    if (modes.has('lens')) {
      const lens = (view: string, extra: Record<string, unknown> = {}) => lensParamsSchema.parse({ view, layer: 'mixed4', ...extra });
      const frameOf = (v: { frame: (x: tf.Tensor4D, steps: number) => { image: tf.Tensor4D; loss: tf.Tensor1D | null } }) =>
        awaited(() => {
          const { image, loss } = v.frame(x, 1);
          loss?.dispose();
          return image;
        });
      const activations = new ActivationsView(fast, lens('activations'));
      await row('lens frame: activations (mixed4, the top channel over the picture)', size, frameOf(activations));
      activations.dispose();
      for (const [method, samples] of [['gradient', 1], ['smoothgrad', 8]] as const) {
        const v = new SaliencyView(fast, lens('saliency', { method, samples }));
        await row(`lens frame: saliency (mixed4, ${method}${method === 'smoothgrad' ? ` of ${samples}` : ''})`, size, frameOf(v));
        v.dispose();
      }
    }
    if (modes.has('atlas')) {
      const render = featureVisRenderer(fast);
      const t0 = performance.now();
      for (let c = 0; c < 64; c += 4) await render('mixed4', [c, c + 1, c + 2, c + 3], size, 64);
      const ms = performance.now() - t0;
      const r: BenchRow = { bench: 'atlas fill: 64 tiles of mixed4 (batches of 4, 64 steps)', backend: tf.getBackend(), size, median_ms: ms, min_ms: ms, first_ms: ms, runs: 1, steps_per_s: (16 * 64 * 1000) / ms, kernels: 0, blocking_reads_per_step: 0, peak_tensors: 0, peak_bytes: 0 };
      rows.push(r);
      console.log(JSON.stringify(r));
    }
    if (modes.has('style')) {
      const y = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
      const s = new StyleSession(fast, x, y, styleParams({}));
      await row('style iteration (5 Gram layers + mixed3 content, Adam)', size, awaited(() => s.step()));
      s.dispose();
      y.dispose();
    }
    x.dispose();
  }
  fast.dispose();
  stock?.dispose();
}

console.log('\n' + markdownTable(rows));

type KernelProfile = Awaited<ReturnType<typeof tf.profile>>['kernels'][number];

/** One warm dream step under tf.profile (a customGrad's forward shows as 'forward', its kernels again by name). */
async function profiledStep(runner: ModelRunner, x: tf.Tensor4D): Promise<KernelProfile[]> {
  const s = new DreamSession(runner, x, DREAM);
  const step = awaited(() => s.step());
  // A few steps first, so the JavaScript kernels (wasm heap kernels) are JIT-compiled like in a running stream.
  for (let i = 0; i < 5; i++) await step();
  const profile = await tf.profile(step);
  s.dispose();
  return profile.kernels;
}

function kernelMs(k: KernelProfile): number {
  return typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
}

/** Where one dream step's time goes: kernel time summed by kernel name, the top ten, as one JSON line. */
async function profileKernels(runner: ModelRunner, x: tf.Tensor4D, size: number): Promise<void> {
  const byName = new Map<string, { ms: number; count: number }>();
  let total = 0;
  for (const k of await profiledStep(runner, x)) {
    const e = byName.get(k.name) ?? { ms: 0, count: 0 };
    e.ms += kernelMs(k);
    e.count += 1;
    byName.set(k.name, e);
    total += kernelMs(k);
  }
  const top = [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 10).map(([name, e]) => ({ name, ms: +e.ms.toFixed(2), count: e.count }));
  console.log(JSON.stringify({ profile: 'dream step kernels', backend: tf.getBackend(), size, total_ms: +total.toFixed(2), top }));
}

/**
 * Every convolution of one dream step (forward and backward), grouped by shape, with its arithmetic rate: shows
 * whether time is lost in a few badly shaped layers or spread evenly at the backend's convolution speed.
 */
async function profileConvolutions(runner: ModelRunner, x: tf.Tensor4D, size: number): Promise<void> {
  const byShape = new Map<string, { kernel: string; input: string; filter: string; ms: number; count: number; macs: number }>();
  for (const k of await profiledStep(runner, x)) {
    if (k.name !== 'Conv2D' && k.name !== 'FusedConv2D') continue;
    const [xs, ws] = k.inputShapes as number[][];
    const ys = k.outputShapes[0] as number[];
    const input = xs!.slice(1).join('×');
    const filter = ws!.join('×');
    const key = `${k.name} ${input} ${filter}`;
    const e = byShape.get(key) ?? { kernel: k.name, input, filter, ms: 0, count: 0, macs: 0 };
    e.ms += kernelMs(k);
    e.count += 1;
    e.macs += ys[1]! * ys[2]! * ws!.reduce((a, b) => a * b, 1);
    byShape.set(key, e);
  }
  const convs = [...byShape.values()].sort((a, b) => b.ms - a.ms);
  const ms = convs.reduce((a, c) => a + c.ms, 0);
  const macs = convs.reduce((a, c) => a + c.macs, 0);
  const rate = (m: number, t: number) => +(m / t / 1e6).toFixed(1);
  console.log(JSON.stringify({
    profile: 'dream step convolutions', backend: tf.getBackend(), size, conv_ms: +ms.toFixed(2), gmac: +(macs / 1e9).toFixed(3),
    gmac_per_s: rate(macs, ms),
    convs: convs.map((c) => ({ kernel: c.kernel, input: c.input, filter: c.filter, count: c.count, ms: +c.ms.toFixed(2), gmac_per_s: rate(c.macs, c.ms) })),
  }));
}

/** Which device the rows ran on (the GPU's name on webgpu), so every table records its machine. */
function describeDevice(): void {
  const info = (tf.backend() as { adapterInfo?: Record<string, unknown> }).adapterInfo;
  const flagText = flags.length ? ` flags ${flags.map(([k, v]) => `${k}=${v}`).join(',')}` : '';
  console.error(`backend ${tf.getBackend()}${info ? ' adapter ' + JSON.stringify(info) : ''}${flagText}`);
}
