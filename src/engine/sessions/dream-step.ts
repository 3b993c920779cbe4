import * as tf from '@tensorflow/tfjs';
import { roll } from '../image/geometry';
import type { ModelRunner } from '../model/runner';
import { dreamObjective, type GuideFeatures } from '../objectives/dream';
import { normalisedAscent } from '../optimise/ascent';
import type { DreamParams } from '../params/dream';
import { randomOffset } from '../random';

/**
 * One DeepDream step: roll the image by a random jitter, forward to the chosen layers, back-propagate the objective
 * to the pixels, take a normalised step, roll back. Returns the new image and the objective's value.
 */
export function dreamStep(
  runner: ModelRunner,
  image: tf.Tensor4D,
  p: DreamParams,
  rng: () => number,
  guide?: GuideFeatures,
): { image: tf.Tensor4D; loss: tf.Scalar } {
  const dy = randomOffset(rng, p.jitter);
  const dx = randomOffset(rng, p.jitter);
  const names = p.layers.map((l) => l.name);
  return tf.tidy(() => {
    const shifted = roll(image, dy, dx);
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => dreamObjective(runner.run(x as tf.Tensor4D, names), p, guide))(shifted);
    const stepped = normalisedAscent(shifted, grad as tf.Tensor4D, p.stepSize, p.normalise, p.laplacianLevels);
    return { image: roll(stepped, -dy, -dx), loss: value };
  });
}
