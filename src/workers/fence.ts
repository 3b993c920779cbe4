import { activeWebGpu, pendingEncoder, submitPending } from '../engine/plan/tfjs-webgpu';

/**
 * Resolves when the work enqueued so far has finished on the device. On WebGPU tfjs returns from a kernel (and
 * tf.browser.draw) as soon as the work is queued, so a frame timed without this fence measures the rate of
 * queueing, not of pictures; the CPU backends finish their work before returning, so there it resolves at once.
 * This is the one place that knows the difference: the loop never branches on the backend.
 */
export async function workDone(): Promise<void> {
  const b = activeWebGpu();
  if (!b) return;
  // tfjs batches dispatches into a command encoder that is only submitted every so often (a draw submits at
  // once): submit what is pending, or the fence would not cover this frame.
  if (pendingEncoder(b)) submitPending(b);
  await b.device.queue.onSubmittedWorkDone();
}
