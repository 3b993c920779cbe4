import * as tf from '@tensorflow/tfjs';

/** Mean absolute change per pixel (in the [-1, 1] range) below which a camera counts as still: sensor noise. */
const NOISE = 0.02;
/** Change at which it counts as full motion: a person crossing the frame. */
const FULL = 0.15;

/**
 * How much a camera image moves, 0 (still) … 1 (a lot), smoothed over frames. The difference is computed on
 * the backend and read back asynchronously, so the value lags a frame or two, never blocking the loop.
 */
export class MotionMeter {
  private prev: tf.Tensor4D | null = null;
  private level = 0;

  get value(): number {
    return this.level;
  }

  /** Feeds a frame (not kept: a copy is); resolves when this frame's measurement has been applied. */
  update(frame: tf.Tensor4D): Promise<void> {
    const prev = this.prev;
    this.prev = frame.clone();
    if (!prev || prev.shape[1] !== frame.shape[1] || prev.shape[2] !== frame.shape[2]) {
      prev?.dispose();
      return Promise.resolve();
    }
    const diff = tf.tidy(() => frame.sub(prev).abs().mean());
    prev.dispose();
    return diff.data().then((v) => {
      diff.dispose();
      const m = Math.max(0, Math.min(1, ((v[0] ?? 0) - NOISE) / (FULL - NOISE)));
      this.level = this.level * 0.7 + m * 0.3;
    });
  }

  dispose(): void {
    this.prev?.dispose();
    this.prev = null;
  }
}
