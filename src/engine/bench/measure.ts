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
  /**
   * GPU time of one step's kernels (WebGPU timestamp queries), when the device offers them. Far below median_ms
   * means the step is bound by JavaScript dispatch, not by the GPU.
   */
  gpu_ms?: number;
}

export interface MeasureOptions {
  /** A cold run slower than this skips the row (a row that would take minutes). */
  maxMs?: number;
  /** Steps each call of `once` makes (a pipelined batch): times, kernels and reads are reported per step. */
  stepsPerRun?: number;
  /** The step again, synchronous and returning its tensors, for tf.time's GPU kernel timing. */
  timed?: () => tf.TensorContainer;
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
 * the kernel count. Returns null when the cold run exceeds `maxMs`.
 */
export async function measure(bench: string, size: number, runs: number, once: () => Promise<void>, options: MeasureOptions = {}): Promise<BenchRow | null> {
  const { maxMs = Infinity, stepsPerRun = 1 } = options;
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
  const reads = (syncReads - readsBefore) / runs / stepsPerRun;
  const profile = await tf.profile(once);
  const gpu = options.timed ? await gpuKernelMs(options.timed) : undefined;
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]! / stepsPerRun;
  const row: BenchRow = {
    bench,
    backend: tf.getBackend(),
    size,
    median_ms: +median.toFixed(2),
    min_ms: +(times[0]! / stepsPerRun).toFixed(2),
    first_ms: +first.toFixed(1),
    runs,
    steps_per_s: +(1000 / median).toFixed(2),
    kernels: Math.round(profile.kernels.length / stepsPerRun),
    blocking_reads_per_step: +reads.toFixed(1),
    peak_tensors: peakTensors,
    peak_bytes: Math.max(peakBytes, profile.peakBytes),
  };
  if (gpu !== undefined) row.gpu_ms = +(gpu / stepsPerRun).toFixed(2);
  return row;
}

/** Sum of the kernels' GPU times (timestamp queries); undefined where the backend cannot time its kernels. */
async function gpuKernelMs(step: () => tf.TensorContainer): Promise<number | undefined> {
  if (tf.getBackend() !== 'webgpu') return undefined;
  let out: tf.TensorContainer = undefined;
  try {
    const info = await tf.time(() => {
      out = step();
    });
    const ms = info.kernelMs;
    return typeof ms === 'number' && Number.isFinite(ms) ? ms : undefined;
  } catch {
    return undefined;
  } finally {
    tf.dispose(out);
  }
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
  const head = '| bench | backend | size | median ms | min ms | first ms | steps/s | GPU ms | kernels | blocking reads/step | peak MB |\n|---|---|---|---|---|---|---|---|---|---|---|';
  const body = rows.map((r) => `| ${r.bench} | ${r.backend} | ${r.size} | ${r.median_ms} | ${r.min_ms} | ${r.first_ms} | ${r.steps_per_s} | ${r.gpu_ms ?? '–'} | ${r.kernels} | ${r.blocking_reads_per_step} | ${(r.peak_bytes / 1e6).toFixed(0)} |`);
  return [head, ...body].join('\n');
}
