import type * as tf from '@tensorflow/tfjs';

/**
 * One optimisation (a still dream, a dream stream, style transfer). Each call to step() is one optimisation step,
 * so a caller can show every one. Everything a session allocates it owns and frees in dispose(). The live app's
 * policy around a session (what a settings change means, when to rebuild) lives in its mode: src/engine/modes.
 */
export interface Session {
  /** Labels of the values step() returns, e.g. ['loss'] or ['loss', 'content', 'style', 'tv']. */
  readonly lossNames: readonly string[];
  readonly iteration: number;
  /** The image being optimised, [1,H,W,3] in [-1, 1]; owned by the session (do not dispose). */
  readonly image: tf.Tensor4D;
  /** One step. Returns the losses as one small tensor so they can be read back asynchronously; the caller disposes it. */
  step(): tf.Tensor1D;
  /** The image to show, [1,H,W,3] in [-1, 1]; a new tensor the caller disposes. */
  display(): tf.Tensor4D;
  dispose(): void;
}
