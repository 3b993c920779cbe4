import * as tf from '@tensorflow/tfjs';
import type { AxisPlan, TilePlan } from './grid';

/** The part [start, end) of `x` along `axis` (1: rows, 2: columns), summed over the tensors that cover it. */
function piece(parts: readonly { tensor: tf.Tensor4D; origin: number }[], axis: 1 | 2, start: number, end: number): tf.Tensor4D {
  return tf.tidy(() => {
    const slices = parts.map(({ tensor, origin }) => {
      if (origin === start && tensor.shape[axis] === end - start) return tensor;
      const begin: [number, number, number, number] = [0, 0, 0, 0];
      const size: [number, number, number, number] = [-1, -1, -1, -1];
      begin[axis] = start - origin;
      size[axis] = end - start;
      return tf.slice(tensor, begin, size);
    });
    return (slices.length === 1 ? slices[0]!.clone() : tf.addN(slices)) as tf.Tensor4D;
  });
}

/** Tensors laid side by side along one axis of a plan, summed where they overlap. */
function join(plan: AxisPlan, tensors: readonly tf.Tensor4D[], axis: 1 | 2): tf.Tensor4D {
  if (tensors.length === 1) return tensors[0]!.clone();
  return tf.tidy(() => {
    const pieces = plan.segments.map((s) => piece(s.tiles.map((i) => ({ tensor: tensors[i]!, origin: plan.tiles[i]!.start })), axis, s.start, s.end));
    return tf.concat(pieces, axis) as tf.Tensor4D;
  });
}

/**
 * Adds the tiles' input gradients into one picture-sized gradient, a row of tiles at a time: each row becomes a
 * strip (its tiles summed where they overlap), and each run of rows is finished as soon as the strips over it are
 * in, so at most two strips and the finished runs are held, never a picture-sized tensor per tile.
 */
export class Stitcher {
  private readonly strips = new Map<number, tf.Tensor4D>();
  private readonly done: tf.Tensor4D[] = [];
  private next = 0;

  constructor(private readonly plan: TilePlan) {}

  /** Row r's tile gradients, left to right; the stitcher takes them over (and frees them). */
  addRow(r: number, grads: tf.Tensor4D[]): void {
    this.strips.set(r, join(this.plan.cols, grads, 2));
    tf.dispose(grads);
    const rows = this.plan.rows;
    while (this.next < rows.segments.length && Math.max(...rows.segments[this.next]!.tiles) <= r) {
      const s = rows.segments[this.next]!;
      this.done.push(piece(s.tiles.map((i) => ({ tensor: this.strips.get(i)!, origin: rows.tiles[i]!.start })), 1, s.start, s.end));
      this.next += 1;
    }
    // A strip no later run needs is freed.
    const needed = new Set(rows.segments.slice(this.next).flatMap((s) => s.tiles));
    for (const [i, strip] of this.strips) {
      if (!needed.has(i)) {
        strip.dispose();
        this.strips.delete(i);
      }
    }
  }

  /** The whole gradient; the stitcher is empty afterwards. */
  finish(): tf.Tensor4D {
    if (this.next !== this.plan.rows.segments.length) throw new Error('stitcher: not every row of tiles was added');
    const out = this.done.length === 1 ? this.done[0]!.clone() : (tf.concat(this.done, 1) as tf.Tensor4D);
    tf.dispose(this.done);
    this.done.length = 0;
    return out;
  }

  dispose(): void {
    tf.dispose([...this.strips.values(), ...this.done]);
    this.strips.clear();
    this.done.length = 0;
  }
}
