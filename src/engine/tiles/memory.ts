import * as tf from '@tensorflow/tfjs';

/**
 * A high-water mark of the bytes held in tensors (tf.memory().numBytes), sampled where a tiled step holds the most:
 * after each tile's forward pass (the tape then holds every activation the backward pass needs) and after its
 * gradient. The backward pass itself can peak a little above the first sample; scripts/tiles-bench.ts measures by
 * how much.
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
