import * as tf from '@tensorflow/tfjs';
import { cover } from './geometry';

/**
 * A cross-fade from a kept frame into whatever is shown next, over a number of frames: a new picture, a mode
 * switch or a playlist change blends in instead of cutting. Owns the kept frame.
 */
export class CrossFade {
  private from: tf.Tensor4D | null = null;
  private left = 0;
  private total = 0;

  get active(): boolean {
    return this.from !== null;
  }

  /** Starts fading out of `frame` (a copy is kept) over `frames` frames; 0 frames is a cut. */
  start(frame: tf.Tensor4D, frames: number): void {
    this.dispose();
    if (frames <= 0) return;
    this.from = frame.clone();
    this.left = frames;
    this.total = frames;
  }

  /** Mixes the kept frame into `shown` (which it takes ownership of) and returns the frame to paint. */
  mix(shown: tf.Tensor4D): tf.Tensor4D {
    const from = this.from;
    if (!from) return shown;
    const t = this.left / (this.total + 1);
    this.left -= 1;
    const mixed = tf.tidy(() => {
      const [, h, w] = shown.shape;
      const old = from.shape[1] === h && from.shape[2] === w ? from : cover(from, h, w);
      return old.mul(t).add(shown.mul(1 - t)) as tf.Tensor4D;
    });
    shown.dispose();
    if (this.left <= 0) this.dispose();
    return mixed;
  }

  dispose(): void {
    this.from?.dispose();
    this.from = null;
    this.left = 0;
  }
}
