import * as tf from '@tensorflow/tfjs';
import { blur, gaussianTaps } from '../../src/engine/flow/filters';

/** A seeded random texture [1,H,W,C] in [-1, 1]: smoothed noise with detail at every scale from 1 to ~`grain`·4 px. */
export function texture(height: number, width: number, seed = 1, channels = 3, grain = 1.5): tf.Tensor4D {
  return tf.tidy(() => {
    const fine = blur(tf.randomNormal([1, height, width, channels], 0, 1, 'float32', seed) as tf.Tensor4D, gaussianTaps(grain));
    const coarse = blur(tf.randomNormal([1, height, width, channels], 0, 1, 'float32', seed + 1) as tf.Tensor4D, gaussianTaps(grain * 4));
    const x = fine.div(fine.square().mean().sqrt()).add(coarse.div(coarse.square().mean().sqrt()));
    return x.mul(0.3).clipByValue(-1, 1) as tf.Tensor4D;
  });
}

/** Mean absolute difference per value. */
export const meanAbs = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => a.sub(b).abs().mean().dataSync()[0]!);

/** The mean of `x` over the pixels where `mask` [1,H,W,1] is 1. */
export const maskedMean = (x: tf.Tensor4D, mask: tf.Tensor4D): number => tf.tidy(() => x.mul(mask).sum().div(mask.sum().mul(x.shape[3])).dataSync()[0]!);

/** [1,H,W,1]: 1 inside the rectangle [top, top+h) × [left, left+w), else 0. */
export function box(height: number, width: number, top: number, left: number, h: number, w: number): tf.Tensor4D {
  const out = new Float32Array(height * width);
  for (let y = top; y < top + h; y++) for (let x = left; x < left + w; x++) if (y >= 0 && x >= 0 && y < height && x < width) out[y * width + x] = 1;
  return tf.tensor4d(out, [1, height, width, 1]);
}
