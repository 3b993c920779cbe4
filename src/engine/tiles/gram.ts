import * as tf from '@tensorflow/tfjs';
import type { ModelRunner } from '../model/runner';
import { gram } from '../objectives/mat-mul';
import { weightedGramSum } from '../objectives/weighted';
import { tiledSum } from './tiled-gradient';
import type { Tiler } from './tiler';
import type { TileShares } from './weights';

/**
 * The Gram matrices of `image` at `layers` over the whole picture, [C, C] each (FᵀF / N, as gram()): in one pass
 * when it fits a tile, else accumulated tile by tile, each tile adding Σ w·F Fᵀ over its share of the positions,
 * the sum divided by the whole picture's position count. No gradient; the caller owns the result.
 */
export function wholeGrams(runner: ModelRunner, image: tf.Tensor4D, layers: readonly string[], tiler?: Tiler): tf.Tensor2D[] {
  const shares = tiler?.shares(image.shape[1], image.shape[2], layers);
  if (!shares) return tf.tidy(() => {
    const acts = runner.run(image, layers);
    return layers.map((n) => gram(acts[n]!));
  });
  return tiledGrams(runner, image, layers, shares, tiler?.probe);
}

/** The tiled accumulation itself, with a given share-out (tiled style transfer's first pass every step). */
export function tiledGrams(runner: ModelRunner, image: tf.Tensor4D, layers: readonly string[], shares: TileShares, probe?: Tiler['probe']): tf.Tensor2D[] {
  const sums = tiledSum(image, shares, (tile, s) => {
    const acts = runner.run(tile, layers);
    return layers.map((n) => weightedGramSum(acts[n]!, s[n]!.map));
  }, probe);
  const counts = layers.map((n) => shares.tile(0, 0)[n]!.count);
  const out = sums.map((g, k) => g.div(counts[k]!) as tf.Tensor2D);
  tf.dispose(sums);
  return out;
}
