import type * as tf from '@tensorflow/tfjs';

/** How often the last good frame is kept. */
export const CHECKPOINT_MS = 3000;

/**
 * The last good frame, renewed at most every `intervalMs`: the loop restarts from it after a NaN, and the page
 * keeps a copy of it to restart a crashed worker from.
 */
export class Checkpoint {
  private frame: tf.Tensor4D | null = null;
  // Counted from the clock's origin (a worker's start), as the frames are: the first comes once the interval has passed.
  private at = 0;

  constructor(private readonly intervalMs = CHECKPOINT_MS) {}

  /** The kept frame (owned here), or null before the first. */
  get image(): tf.Tensor4D | null {
    return this.frame;
  }

  /** Keeps a new frame from `take` (a tensor it hands over) when the interval has passed; returns it, else null. */
  offer(now: number, take: () => tf.Tensor4D): tf.Tensor4D | null {
    if (now - this.at <= this.intervalMs) return null;
    this.at = now;
    this.frame?.dispose();
    this.frame = take();
    return this.frame;
  }

  dispose(): void {
    this.frame?.dispose();
    this.frame = null;
  }
}
