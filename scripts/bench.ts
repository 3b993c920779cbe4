/**
 * Engine benchmarks in Node: median/min ms per DeepDream step and per style iteration at several sizes and
 * backends, beside the raw forward+backward of the same layers (the floor a step sits on) and tfjs's stock
 * gradients (what the custom gradients replaced). Prints one JSON line per row, then a table.
 *
 *   npm run bench -- [--backends wasm,cpu,webgpu] [--sizes 128,224,512] [--runs 5] [--modes dream,style,floor,stock]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { awaited, countSyncReads, markdownTable, measure, type BenchRow } from '../src/engine/bench/measure';
import { ModelRunner } from '../src/engine/model/runner';
import { dreamParams } from '../src/engine/params/dream';
import { styleParams } from '../src/engine/params/style';
import { DreamSession } from '../src/engine/sessions/dream-session';
import { StyleSession } from '../src/engine/sessions/style-session';
import { useNodeBackend, type NodeBackend } from '../src/node/backend';
import { loadArtifactsFromDisk } from '../src/node/model-files';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,cpu,webgpu' },
    sizes: { type: 'string', default: '128,224,512' },
    runs: { type: 'string', default: '5' },
    modes: { type: 'string', default: 'dream,floor,style,stock' },
    // cpu and SwiftShader-webgpu take tens of seconds per step at 512 px: rows whose cold run is slower are skipped.
    'max-ms': { type: 'string', default: '40000' },
  },
});
const RUNS = Number(values.runs);
const MAX_MS = Number(values['max-ms']);
const sizes = values.sizes.split(',').map(Number);
const modes = new Set(values.modes.split(','));
const DREAM = dreamParams({ layers: [{ name: 'mixed3', weight: 1 }], octaves: 1, stepsPerOctave: 500 });
const rows: BenchRow[] = [];

async function row(bench: string, size: number, once: () => Promise<void>): Promise<void> {
  const r = await measure(bench, size, RUNS, once, MAX_MS);
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
  countSyncReads();
  const artifacts = loadArtifactsFromDisk();
  const fast = ModelRunner.fromArtifacts(artifacts, 'fast');
  const stock = modes.has('stock') ? ModelRunner.fromArtifacts(artifacts, 'stock') : null;
  for (const size of sizes) {
    const x = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const fwdBwd = (r: ModelRunner) => awaited(() => tf.grad((t: tf.Tensor) => r.run(t as tf.Tensor4D, ['mixed3']).mixed3!.square().mean())(x));
    if (modes.has('floor')) await row('mixed3 forward+input-gradient (floor)', size, fwdBwd(fast));
    if (stock) await row('mixed3 forward+input-gradient, stock tfjs gradients', size, fwdBwd(stock));
    if (modes.has('dream')) {
      const s = new DreamSession(fast, x, DREAM);
      await row('dream step (mixed3, jitter, normalised ascent)', size, awaited(() => s.step()));
      s.dispose();
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
