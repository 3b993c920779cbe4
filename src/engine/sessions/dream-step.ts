import * as tf from '@tensorflow/tfjs';
import { roll } from '../image/geometry';
import type { ModelRunner } from '../model/runner';
import { dreamObjective, type GuideFeatures } from '../objectives/dream';
import { normalisedAscent } from '../optimise/ascent';
import type { DreamParams } from '../params/dream';
import { randomOffset } from '../random';
import { tiledGradient } from '../tiles/tiled-gradient';
import type { Tiler } from '../tiles/tiler';
import type { TileShares } from '../tiles/weights';
import { unwrapRolled, wrapRolled } from '../tiles/wrap';
import { composite } from '../mask/mask';
import { plannedDreamStep } from '../plan/dream-plan-step';
import type { DreamRegions } from '../mask/regions';

/** What a DeepDream step may be given besides its picture and parameters. */
export interface DreamStepOptions {
  /** The guide picture's features: the steps pull toward them (guideWeight). */
  guide?: GuideFeatures;
  /** Tiles for octaves larger than its tile (the caller owns it); without one every octave is one piece. */
  tiler?: Tiler;
  /** Where the steps apply (the mask is the caller's); none: everywhere. */
  regions?: DreamRegions;
}

/**
 * One DeepDream step: roll the image by a random jitter, forward to the chosen layers, back-propagate the objective
 * to the pixels, take a normalised step, roll back. Returns the new image and the objective's value.
 *
 * With a `tiler` and a picture larger than its tile, the gradient is computed tile by tile (see tiledDreamStep); a
 * picture that fits one tile takes exactly the path above, with the same numbers.
 *
 * With `regions`, the step applies where the mask is: outside it the picture stays as it was, or takes the step
 * of the outside parameters (another set of layers; the guide is the inside's). The loss is then both steps'.
 */
export function dreamStep(
  runner: ModelRunner,
  image: tf.Tensor4D,
  p: DreamParams,
  rng: () => number,
  { guide, tiler, regions }: DreamStepOptions = {},
): { image: tf.Tensor4D; loss: tf.Scalar } {
  const inside = unmaskedStep(runner, image, p, rng, guide, tiler);
  if (!regions) return inside;
  const outside = regions.outside ? unmaskedStep(runner, image, regions.outside, rng, undefined, tiler) : null;
  const out = composite(inside.image, outside?.image ?? image, regions.mask);
  const loss = outside ? (tf.add(inside.loss, outside.loss) as tf.Scalar) : inside.loss;
  inside.image.dispose();
  if (outside) tf.dispose([outside.image, outside.loss, inside.loss]);
  return { image: out, loss };
}

function unmaskedStep(
  runner: ModelRunner,
  image: tf.Tensor4D,
  p: DreamParams,
  rng: () => number,
  guide?: GuideFeatures,
  tiler?: Tiler,
): { image: tf.Tensor4D; loss: tf.Scalar } {
  const dy = randomOffset(rng, p.jitter);
  const dx = randomOffset(rng, p.jitter);
  const names = p.layers.map((l) => l.name);
  const shares = tiler?.shares(image.shape[1], image.shape[2], names);
  if (tiler && shares) return tiledDreamStep(runner, image, p, rng, guide, tiler, shares, dy, dx);
  const planned = plannedDreamStep(runner, image, p, dy, dx, guide);
  if (planned) return planned;
  return tf.tidy(() => {
    const shifted = roll(image, dy, dx);
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => dreamObjective(runner.run(x as tf.Tensor4D, names), p, guide))(shifted);
    const stepped = normalisedAscent(shifted, grad as tf.Tensor4D, p.stepSize, p.normalise, p.laplacianLevels);
    return { image: roll(stepped, -dy, -dx), loss: value };
  });
}

/**
 * The tiled step: the jitter plus a random roll of up to a tile's spacing, the whole picture's gradient from its
 * tiles (each holding its share of every layer's mean, see tiles/weights.ts), cut from the rolled picture extended
 * round its wrap so that the rolled frame's edges are no tile edges (tiles/wrap.ts), carried back to the picture,
 * and normalised as a whole (never per tile, so every tile takes the same step size). Picture-sized tensors are
 * freed as soon as the next one exists.
 */
function tiledDreamStep(
  runner: ModelRunner,
  image: tf.Tensor4D,
  p: DreamParams,
  rng: () => number,
  guide: GuideFeatures | undefined,
  tiler: Tiler,
  shares: TileShares,
  dy: number,
  dx: number,
): { image: tf.Tensor4D; loss: tf.Scalar } {
  const names = p.layers.map((l) => l.name);
  const [ry, rx] = tiler.rollOffsets(shares, rng);
  const shift: [number, number] = [dy + ry, dx + rx];
  tiler.lastShift = shift;
  const { shares: wrapped, margin } = tiler.wrapped(image.shape[1], image.shape[2], names)!;
  const padded = wrapRolled(image, shift, margin);
  const { grad: g, value } = tiledGradient(padded, wrapped, (tile, s) => dreamObjective(runner.run(tile, names), p, guide, s), tiler.probe);
  padded.dispose();
  const grad = unwrapRolled(g, shift, margin);
  g.dispose();
  const stepped = normalisedAscent(image, grad, p.stepSize, p.normalise, p.laplacianLevels);
  grad.dispose();
  return { image: stepped, loss: value };
}
