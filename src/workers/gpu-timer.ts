import * as tf from '@tensorflow/tfjs';
import { timePlannedSteps } from '../engine/plan/planner';

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
  let planned: Promise<number> = Promise.resolve(0);
  // tf.time calls its function synchronously, before its first await: the result is there on return. A step run by
  // the recorded plan is timed by the plan's own queries (tfjs's timer sees only its own kernels).
  const timing = tf.time(() => {
    planned = timePlannedSteps(() => {
      result = work();
    });
  });
  const gpuMs = Promise.all([timing, planned]).then(([t, plan]) => (typeof t.kernelMs === 'number' ? t.kernelMs + plan : Number.NaN));
  return { result: result as T, gpuMs };
}
