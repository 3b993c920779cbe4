import * as tf from '@tensorflow/tfjs';
import type { ModelRunner } from '../model/runner';
import { enlarge } from './colour-map';
import { layoutGrid, type GridLayout } from './grid';
import { rgbPixels, type RgbPixels, type TileGrid } from './types';

/** The first convolution's name as users know it (InceptionV3's stem: 3×3, stride 2, 32 filters over RGB). */
export const FIRST_CONV = 'activation_1';

/**
 * The first convolution's filters, [kh, kw, 3, n], as the runner holds them (BatchNorm folded in: each filter is the
 * trained one times a positive per-filter scale, so once each filter is normalised on its own it looks the same).
 * The runner owns the tensor: do not dispose it.
 */
export function firstConvFilters(runner: ModelRunner, layer = FIRST_CONV): tf.Tensor4D {
  const { nodes, targets } = runner.graph([layer]);
  const node = nodes.find((n) => n.name === targets[0]);
  if (!node || node.kind !== 'conv') throw new Error(`${layer} is not a convolution`);
  if (node.filter.shape[2] !== 3) throw new Error(`${layer} does not read the RGB picture (its filters have ${node.filter.shape[2]} inputs)`);
  return node.filter;
}

/**
 * Each filter as an RGB patch [n, kh, kw, 3] in [0, 1]: its weights over its own largest magnitude, mapped so 0 is
 * mid-grey (0.5) and the largest weight of either sign reaches 0 or 1. Positive weights are the colours the filter
 * answers to; a patch's negative is what it answers against. The caller owns the result.
 */
export function normaliseFilters(filters: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const patches = filters.transpose([3, 0, 1, 2]); // [n, kh, kw, 3]
    const peak = patches.abs().max([1, 2, 3], true).maximum(1e-12);
    return patches.div(peak).mul(0.5).add(0.5) as tf.Tensor4D;
  });
}

export interface FilterGridOptions extends GridLayout {
  /** Pixels per weight (nearest enlargement). */
  scale?: number;
}

/** The filters as one picture: tiles in filter order (8 per row by default), each `scale` px per weight. */
export async function filterGrid(runner: ModelRunner, options: FilterGridOptions = {}): Promise<TileGrid> {
  const patches = normaliseFilters(firstConvFilters(runner));
  const [n, kh, kw] = patches.shape;
  const values = (await patches.data()) as Float32Array;
  patches.dispose();
  const tiles: RgbPixels[] = [];
  for (let i = 0; i < n; i++) {
    const tile = rgbPixels(kw, kh);
    for (let j = 0; j < kh * kw * 3; j++) tile.data[j] = Math.round(255 * values[i * kh * kw * 3 + j]!);
    tiles.push(enlarge(tile, options.scale ?? 8));
  }
  return layoutGrid(tiles, { columns: 8, gap: 2, background: 24, ...options });
}
