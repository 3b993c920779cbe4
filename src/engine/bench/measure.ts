import * as tf from '@tensorflow/tfjs';

/** One benchmark row, printed as a JSON line by `npm run bench` and `npm run bench:browser`. */
export interface BenchRow {
  bench: string;
  backend: string;
  size: number;
  median_ms: number;
  min_ms: number;
  /** The cold run: shader compilation, wasm warm-up, first allocations. */
  first_ms: number;
  runs: number;
  steps_per_s: number;
  /** Kernels dispatched by one step. */
  kernels: number;
  /** Synchronous backend reads (readSync) per step; on a GPU backend each one stalls the pipeline. */
  blocking_reads_per_step: number;
  peak_tensors: number;
  peak_bytes: number;
}

let syncReads = 0;
let counting = false;

/** Counts the active backend's readSync calls from now on (once per backend). */
export function countSyncReads(): void {
  if (counting) return;
  counting = true;
  const backend = tf.backend() as unknown as { readSync(id: unknown): unknown };
  const original = backend.readSync.bind(backend);
  backend.readSync = (id: unknown) => {
    syncReads += 1;
    return original(id);
  };
}

/**
 * Times `once` (which must await its own results): a cold run, then `runs` warm ones, then a profiled one for
 * the kernel count. Returns null when the cold run exceeds `maxMs` (a row that would take minutes).
 */
export async function measure(bench: string, size: number, runs: number, once: () => Promise<void>, maxMs = Infinity): Promise<BenchRow | null> {
  let t0 = performance.now();
  await once();
  const first = performance.now() - t0;
  if (first > maxMs) return null;
  const times: number[] = [];
  const readsBefore = syncReads;
  let peakTensors = 0;
  let peakBytes = 0;
  for (let i = 0; i < runs; i++) {
    t0 = performance.now();
    await once();
    times.push(performance.now() - t0);
    const m = tf.memory();
    peakTensors = Math.max(peakTensors, m.numTensors);
    peakBytes = Math.max(peakBytes, m.numBytes);
  }
  const reads = (syncReads - readsBefore) / runs;
  const profile = await tf.profile(once);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  return {
    bench,
    backend: tf.getBackend(),
    size,
    median_ms: +median.toFixed(1),
    min_ms: +times[0]!.toFixed(1),
    first_ms: +first.toFixed(1),
    runs,
    steps_per_s: +(1000 / median).toFixed(2),
    kernels: profile.kernels.length,
    blocking_reads_per_step: +reads.toFixed(1),
    peak_tensors: peakTensors,
    peak_bytes: Math.max(peakBytes, profile.peakBytes),
  };
}

/** Runs a step function that returns tensors, waits for them (asynchronously) and frees them. */
export function awaited(step: () => tf.Tensor | tf.Tensor[]): () => Promise<void> {
  return async () => {
    const out = step();
    const list = Array.isArray(out) ? out : [out];
    await Promise.all(list.map((t) => t.data()));
    tf.dispose(list);
  };
}

export function markdownTable(rows: BenchRow[]): string {
  const head = '| bench | backend | size | median ms | min ms | first ms | steps/s | kernels | blocking reads/step | peak MB |\n|---|---|---|---|---|---|---|---|---|---|';
  const body = rows.map((r) => `| ${r.bench} | ${r.backend} | ${r.size} | ${r.median_ms} | ${r.min_ms} | ${r.first_ms} | ${r.steps_per_s} | ${r.kernels} | ${r.blocking_reads_per_step} | ${(r.peak_bytes / 1e6).toFixed(0)} |`);
  return [head, ...body].join('\n');
}
