import * as tf from '@tensorflow/tfjs';
import { customGradient } from '../model/gradients/custom-gradient';

/** A rotation (degrees, counter-clockwise on screen) and a uniform scale (> 1 enlarges) about the picture's centre. */
export interface Similarity {
  angle: number;
  scale: number;
}

export const IDENTITY: Similarity = { angle: 0, scale: 1 };

/**
 * The 8 projective coefficients tf.image.transform takes (output pixel → input pixel) for `t` about the centre of
 * an h×w picture: input = c + R(−θ)(p − c)/s.
 */
function coefficients(t: Similarity, h: number, w: number): number[] {
  const rad = (t.angle * Math.PI) / 180;
  const [cos, sin] = [Math.cos(rad) / t.scale, Math.sin(rad) / t.scale];
  const [cx, cy] = [(w - 1) / 2, (h - 1) / 2];
  const [a0, a1, b0, b1] = [cos, sin, -sin, cos];
  return [a0, a1, cx - a0 * cx - a1 * cy, b0, b1, cy - b0 * cx - b1 * cy, 0, 0];
}

const inverse = (t: Similarity): Similarity => ({ angle: -t.angle, scale: 1 / t.scale });

function resample(x: tf.Tensor4D, t: Similarity): tf.Tensor4D {
  const [, h, w] = x.shape;
  return tf.tidy(() => tf.image.transform(x, tf.tensor2d([coefficients(t, h, w)]), 'bilinear', 'reflect', 0, [h, w]) as tf.Tensor4D);
}

/**
 * `x` rotated and scaled about its centre, same size, the corners filled by reflection; differentiable. tfjs has no
 * gradient for its Transform kernel, so the gradient is the adjoint of the resampling written as the inverse
 * resampling times the area change s² (exact for the continuous image, within the bilinear kernel's blur for a
 * sampled one). This is what lets style transfer see its picture slightly turned and scaled at every step
 * (transformation robustness, Distill 2018) without any pattern being tied to one position, angle or size.
 */
export function similarity(x: tf.Tensor4D, t: Similarity): tf.Tensor4D {
  if (t.angle === 0 && t.scale === 1) return x;
  const f = customGradient<[tf.Tensor4D], tf.Tensor4D>(([input]) => ({
    value: resample(input, t),
    gradFunc: (dy) => tf.tidy(() => resample(dy, inverse(t)).mul(t.scale * t.scale)),
  }));
  return f(x);
}

/** A random similarity: an angle in ±`angle`° and a scale in 1 ± `scale`, uniformly. */
export function randomSimilarity(rng: () => number, angle: number, scale: number): Similarity {
  return { angle: (2 * rng() - 1) * angle, scale: 1 + (2 * rng() - 1) * scale };
}
