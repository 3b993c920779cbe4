import * as tf from '@tensorflow/tfjs';

/**
 * A high-water mark of the bytes held in tensors (tf.memory().numBytes), sampled where a tiled step holds the most:
 * after each tile's forward pass (the tape then holds every activation), at the end of its backward pass (every
 * gradient still held, see tiled-gradient.ts) and after it. scripts/tiles-bench.ts compares it with the exact mark.
 */
export class PeakMemory {
  peak = 0;
  samples = 0;

  sample(): void {
    this.samples += 1;
    const bytes = tf.memory().numBytes;
    if (bytes > this.peak) this.peak = bytes;
  }

  reset(): void {
    this.peak = 0;
    this.samples = 0;
  }
}
