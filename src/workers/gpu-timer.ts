import * as tf from '@tensorflow/tfjs';

interface TimedBackend {
  supportTimestampQuery?: boolean;
}

/**
 * Runs `work` (one optimisation step) with its kernels timed on the device by timestamp queries, where the
 * backend has them (WebGPU with the `timestamp-query` feature); elsewhere `gpuMs` is null and `work` runs as
 * usual. Timing ends the compute pass after every kernel, so the loop samples one step now and then, not all.
 */
export function gpuTimed<T>(work: () => T): { result: T; gpuMs: Promise<number> | null } {
  if (!(tf.backend() as unknown as TimedBackend).supportTimestampQuery) return { result: work(), gpuMs: null };
  let result: T | undefined;
  // tf.time calls its function synchronously, before its first await: the result is there on return.
  const timing = tf.time(() => {
    result = work();
  });
  const gpuMs = timing.then((t) => (typeof t.kernelMs === 'number' ? t.kernelMs : Number.NaN));
  return { result: result as T, gpuMs };
}
