import * as tf from '@tensorflow/tfjs';
import { INTERLEAVE_2X2, registerInterleave2x2 } from '../kernels/wasm-interleave';

/**
 * Interleaves four phase tensors into one of twice the size: out[2m+p, 2n+q] = phases[p][q][m, n], cropped to
 * [h, w]. Phases with fewer rows/columns (odd sizes) are zero-padded first. `wasmHeap`: one JS kernel over the wasm
 * heap (wasm backend only) instead of the op-level pad/stack/reshape/slice.
 */
export function interleave2x2(phases: tf.Tensor4D[][], h: number, w: number, wasmHeap = false): tf.Tensor4D {
  if (wasmHeap) {
    registerInterleave2x2();
    const [[p00, p01], [p10, p11]] = phases as [[tf.Tensor4D, tf.Tensor4D], [tf.Tensor4D, tf.Tensor4D]];
    return tf.engine().runKernel(INTERLEAVE_2X2, { p00, p01, p10, p11 }, { h, w }) as tf.Tensor4D;
  }
  return tf.tidy(() => {
    const rows = Math.ceil(h / 2);
    const cols = Math.ceil(w / 2);
    const fit = (t: tf.Tensor4D) => {
      const [, th, tw] = t.shape;
      const cropped = th > rows || tw > cols ? t.slice([0, 0, 0, 0], [-1, Math.min(th, rows), Math.min(tw, cols), -1]) : t;
      const [, ch, cw] = cropped.shape;
      return ch < rows || cw < cols ? tf.pad(cropped, [[0, 0], [0, rows - ch], [0, cols - cw], [0, 0]]) : cropped;
    };
    const c = phases[0]![0]!.shape[3];
    const byRow = [0, 1].map((p) => {
      // Columns: [1, rows, cols, 2, C] → [1, rows, 2·cols, C].
      return tf.stack([fit(phases[p]![0]!), fit(phases[p]![1]!)], 3).reshape([1, rows, 2 * cols, c]);
    });
    // Rows: [1, rows, 2, 2·cols, C] → [1, 2·rows, 2·cols, C].
    const full = tf.stack(byRow, 2).reshape([1, 2 * rows, 2 * cols, c]) as tf.Tensor4D;
    return 2 * rows === h && 2 * cols === w ? full : (full.slice([0, 0, 0, 0], [-1, h, w, -1]) as tf.Tensor4D);
  });
}

