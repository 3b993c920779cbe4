import * as tf from '@tensorflow/tfjs';

/** A number as an op operand: a kept scalar tensor, or the number itself (tfjs makes a tensor of it). */
export type ScalarOf = (value: number) => tf.Scalar | number;

/** The number as it is: tfjs uploads a new scalar per use (fine on wasm and cpu, where that is a copy). */
export const plainScalar: ScalarOf = (value) => value;

/**
 * The scalars a session multiplies by every step (a loss's 1/N, a layer's weight, the gradient's seed), made once
 * per value and backend and held while they are in use. Why: on WebGPU every tensor made from a JS number is
 * uploaded through a new staging buffer (tfjs-backend-webgpu's uploadToGPU), 20 buffer creations a style iteration
 * and 7 a stream frame; a held scalar is already on the device. Owned by one session, so its tensors go with it.
 *
 * The owner calls sweep() once a step, where no tensor of the last step is still being built: a value not asked for
 * since the last sweep (a pull that follows the camera's motion, a loss scale of a finished stage) is let go, so the
 * number held is what one step uses, whatever the values do over a long stream.
 */
export class Scalars {
  private readonly held = new Map<string, { scalar: tf.Scalar; used: boolean }>();

  /** The scalar of `value` on the active backend (borrowed: the cache owns it). */
  readonly of = (value: number): tf.Scalar => {
    const key = `${tf.getBackend()}:${value}`;
    const hit = this.held.get(key);
    if (hit && !hit.scalar.isDisposed) {
      hit.used = true;
      return hit.scalar;
    }
    const scalar = tf.keep(tf.scalar(value));
    this.held.set(key, { scalar, used: true });
    return scalar;
  };

  /** Lets go of the values not asked for since the last sweep. */
  sweep(): void {
    for (const [key, entry] of this.held) {
      if (entry.used) entry.used = false;
      else {
        entry.scalar.dispose();
        this.held.delete(key);
      }
    }
  }

  /** How many scalars are held. */
  get size(): number {
    return this.held.size;
  }

  dispose(): void {
    for (const { scalar } of this.held.values()) scalar.dispose();
    this.held.clear();
  }
}
