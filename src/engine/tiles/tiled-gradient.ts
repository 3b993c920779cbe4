import * as tf from '@tensorflow/tfjs';
import { customGradient } from '../model/gradients/custom-gradient';
import type { LayerShares } from '../objectives/weighted';
import type { PeakMemory } from './memory';
import { Stitcher } from './stitch';
import type { TileShares } from './weights';

/**
 * `x` itself (a copy), whose gradient samples the probe on its way through: the last step of the backward pass,
 * when tfjs still holds every gradient it made (it frees them only when the whole pass is done), which is the
 * tile's high-water mark.
 */
function sampledOnGradient(x: tf.Tensor4D, probe: PeakMemory): tf.Tensor4D {
  const f = customGradient<[tf.Tensor4D], tf.Tensor4D>(([input]) => ({
    value: input.clone(),
    gradFunc: (dy) => {
      probe.sample();
      return dy.clone();
    },
  }));
  return f(x);
}

/** A tile's share of the objective, from the tile's pixels and its shares of each layer's positions. */
export type TileObjective = (tile: tf.Tensor4D, shares: LayerShares, row: number, col: number) => tf.Scalar;

/**
 * The input gradient of an objective over the whole picture `x`, one tile at a time: each tile is cut out, its
 * share of the objective differentiated with respect to its pixels alone, and the tile gradients are added back
 * where they came from. Only one tile's forward and backward pass is ever held. Returns the gradient and the
 * objective (the sum of the tiles' shares).
 */
export function tiledGradient(x: tf.Tensor4D, shares: TileShares, objective: TileObjective, probe?: PeakMemory): { grad: tf.Tensor4D; value: tf.Scalar } {
  const { rows, cols } = shares.plan;
  const stitcher = new Stitcher(shares.plan);
  let value = tf.scalar(0);
  try {
    rows.tiles.forEach((ry, r) => {
      const grads: tf.Tensor4D[] = [];
      cols.tiles.forEach((cx, c) => {
        const out = tf.tidy(() => {
          const tile = tf.slice(x, [0, ry.start, cx.start, 0], [-1, ry.end - ry.start, cx.end - cx.start, -1]) as tf.Tensor4D;
          const { value: v, grad } = tf.valueAndGrad((t: tf.Tensor) => {
            const o = objective(probe ? sampledOnGradient(t as tf.Tensor4D, probe) : (t as tf.Tensor4D), shares.tile(r, c), r, c);
            probe?.sample();
            return o;
          })(tile);
          probe?.sample();
          return { v, grad: grad as tf.Tensor4D };
        });
        const sum = value.add(out.v) as tf.Scalar;
        tf.dispose([value, out.v]);
        value = sum;
        grads.push(out.grad);
      });
      stitcher.addRow(r, grads);
    });
    return { grad: stitcher.finish(), value };
  } catch (e) {
    stitcher.dispose();
    value.dispose();
    throw e;
  }
}

/**
 * The sum over tiles of `f` (no gradient): a tile's pixels and shares in, a list of tensors out, added up tile by
 * tile (tiled style transfer's first pass: un-normalised Gram matrices). Only one tile's forward pass is held.
 */
export function tiledSum(x: tf.Tensor4D, shares: TileShares, f: (tile: tf.Tensor4D, shares: LayerShares) => tf.Tensor[], probe?: PeakMemory): tf.Tensor[] {
  const { rows, cols } = shares.plan;
  let total: tf.Tensor[] | null = null;
  rows.tiles.forEach((ry, r) => {
    cols.tiles.forEach((cx, c) => {
      const parts = tf.tidy(() => {
        const tile = tf.slice(x, [0, ry.start, cx.start, 0], [-1, ry.end - ry.start, cx.end - cx.start, -1]) as tf.Tensor4D;
        const out = f(tile, shares.tile(r, c));
        probe?.sample();
        return out;
      });
      if (!total) total = parts;
      else {
        const prev: tf.Tensor[] = total;
        total = prev.map((t, k) => t.add(parts[k]!));
        tf.dispose([...prev, ...parts]);
      }
    });
  });
  return total!;
}
