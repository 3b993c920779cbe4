/**
 * Engine benchmarks in Node: median/min ms per DeepDream step and per style iteration at several sizes and
 * backends, beside the raw forward+backward of the same layers (the floor a step sits on) and tfjs's stock
 * gradients (what the custom gradients replaced). Prints one JSON line per row, then a table.
 *
 *   npm run bench -- [--backends wasm,cpu,webgpu] [--sizes 128,224,512] [--runs 5] [--modes dream,style,floor,stock]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { ModelRunner } from '../src/engine/model/runner';
import { dreamParams } from '../src/engine/params/dream';
import { styleParams } from '../src/engine/params/style';
import { DreamSession } from '../src/engine/sessions/dream-session';
import type { Session } from '../src/engine/sessions/session';
import { StyleSession } from '../src/engine/sessions/style-session';
import { useNodeBackend, type NodeBackend } from '../src/node/backend';
import { loadArtifactsFromDisk } from '../src/node/model-files';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,cpu,webgpu' },
    sizes: { type: 'string', default: '128,224,512' },
    runs: { type: 'string', default: '5' },
    modes: { type: 'string', default: 'dream,floor,style,stock' },
    // cpu and SwiftShader-webgpu take tens of seconds per step at 512 px; skip rows slower than this per run.
    'max-ms': { type: 'string', default: '20000' },
  },
});
const RUNS = Number(values.runs);
const MAX_MS = Number(values['max-ms']);
const sizes = values.sizes.split(',').map(Number);
const modes = new Set(values.modes.split(','));
const DREAM = dreamParams({ layers: [{ name: 'mixed3', weight: 1 }], octaves: 1, stepsPerOctave: 500 });

interface Row {
  bench: string;
  backend: string;
  size: number;
  median_ms: number;
  min_ms: number;
  first_ms: number;
  runs: number;
  steps_per_s: number;
  kernels: number;
  peak_tensors: number;
  peak_bytes: number;
}
const rows: Row[] = [];

async function time(fn: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const t0 = performance.now();
  const out = fn();
  const list = Array.isArray(out) ? out : [out];
  await Promise.all(list.map((t) => t.data()));
  const ms = performance.now() - t0;
  tf.dispose(list);
  return ms;
}

async function measure(bench: string, size: number, fn: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  const first = await time(fn);
  if (first > MAX_MS * 2) {
    console.error(`skip ${bench} ${tf.getBackend()} ${size}px: first run ${first.toFixed(0)} ms`);
    return;
  }
  const times: number[] = [];
  let peakTensors = 0;
  let peakBytes = 0;
  for (let i = 0; i < RUNS; i++) {
    times.push(await time(fn));
    const m = tf.memory();
    peakTensors = Math.max(peakTensors, m.numTensors);
    peakBytes = Math.max(peakBytes, m.numBytes);
    if (times[0]! > MAX_MS) break;
  }
  const profile = await tf.profile(() => fn());
  tf.dispose(profile.result as tf.Tensor);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const row: Row = {
    bench,
    backend: tf.getBackend(),
    size,
    median_ms: +median.toFixed(1),
    min_ms: +times[0]!.toFixed(1),
    first_ms: +first.toFixed(1),
    runs: times.length,
    steps_per_s: +(1000 / median).toFixed(2),
    kernels: profile.kernels.length,
    peak_tensors: peakTensors,
    peak_bytes: Math.max(peakBytes, profile.peakBytes),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}

function stepper(session: Session): () => tf.Tensor {
  return () => session.step();
}

for (const backend of values.backends.split(',') as NodeBackend[]) {
  try {
    await useNodeBackend(backend);
  } catch (e) {
    console.error(`skip backend ${backend}: ${(e as Error).message}`);
    continue;
  }
  const artifacts = loadArtifactsFromDisk();
  const fast = ModelRunner.fromArtifacts(artifacts, 'fast');
  const stock = modes.has('stock') ? ModelRunner.fromArtifacts(artifacts, 'stock') : null;
  for (const size of sizes) {
    const x = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const fwdBwd = (r: ModelRunner) => () => tf.grad((t: tf.Tensor) => r.run(t as tf.Tensor4D, ['mixed3']).mixed3!.square().mean())(x);
    if (modes.has('floor')) await measure('mixed3 forward+input-gradient (floor)', size, fwdBwd(fast));
    if (stock) await measure('mixed3 forward+input-gradient, stock tfjs gradients', size, fwdBwd(stock));
    if (modes.has('dream')) {
      const s = new DreamSession(fast, x, DREAM);
      await measure('dream step (mixed3, jitter, normalised ascent)', size, stepper(s));
      s.dispose();
    }
    if (modes.has('style')) {
      const y = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
      const s = new StyleSession(fast, x, y, styleParams({}));
      await measure('style iteration (5 Gram layers + mixed3 content, Adam)', size, stepper(s));
      s.dispose();
      y.dispose();
    }
    x.dispose();
  }
  fast.dispose();
  stock?.dispose();
}

console.log('\n| bench | backend | size | median ms | min ms | first ms | steps/s | kernels | peak MB |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.bench} | ${r.backend} | ${r.size} | ${r.median_ms} | ${r.min_ms} | ${r.first_ms} | ${r.steps_per_s} | ${r.kernels} | ${(r.peak_bytes / 1e6).toFixed(0)} |`);
}
