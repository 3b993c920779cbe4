import * as tf from '@tensorflow/tfjs';
import { BINOMIAL5, filter1d } from './filters';

/** The smallest side a pyramid level may have: below it the 5-tap filters see mostly mirrored border. */
export const MIN_LEVEL_SIDE = 8;

/** One level down: the binomial low-pass, keeping every second row and column (ceil(H/2) × ceil(W/2)). */
export function downsample(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => filter1d(filter1d(x, BINOMIAL5, 'y', 2), BINOMIAL5, 'x', 2));
}

/** How many levels an H×W frame can have, at most `wanted`: each level's short side stays ≥ MIN_LEVEL_SIDE. */
export function levelCount(height: number, width: number, wanted: number): number {
  let n = 1;
  let [h, w] = [height, width];
  while (n < wanted && Math.min(Math.ceil(h / 2), Math.ceil(w / 2)) >= MIN_LEVEL_SIDE) {
    h = Math.ceil(h / 2);
    w = Math.ceil(w / 2);
    n += 1;
  }
  return n;
}

/**
 * A Gaussian pyramid, finest first: level 0 is a copy of `x`, each next one half the size of the one before
 * (as many as levelCount allows). The caller disposes every level.
 */
export function gaussianPyramid(x: tf.Tensor4D, levels: number): tf.Tensor4D[] {
  const n = levelCount(x.shape[1], x.shape[2], levels);
  const out = [x.clone()];
  for (let i = 1; i < n; i++) out.push(downsample(out[i - 1]!));
  return out;
}
