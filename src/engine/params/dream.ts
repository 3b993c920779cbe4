import { z } from 'zod';
import { LAYER_CHANNELS, LAYER_NAME_PATTERN } from './layers';
import { num, oneOf, parseWith } from './schema';

const layerName = z.string().regex(LAYER_NAME_PATTERN, { error: 'must be an InceptionV3 layer name up to mixed7 (e.g. mixed3)' });

export const layerWeightSchema = z.object({ name: layerName, weight: num(-10, 10, 1) });

/** Layers with their weights, one to eight of them, `fallback` when none are given. */
export function layerList(fallback: readonly { name: string; weight: number }[]) {
  return z
    .array(layerWeightSchema)
    .min(1, { error: 'must name at least one layer' })
    .max(8, { error: 'must name at most 8 layers' })
    .default(() => fallback.map((l) => ({ ...l })));
}

/** DeepDream: what to maximise and how to climb. Step sizes are in the model's [-1, 1] pixel range. */
export const dreamParamsSchema = z
  .object({
    /**
     * mixed5 at a third: at the stream's working sizes (128–256 px) its gradient is broad and, at an equal weight,
     * outweighs mixed3's forms; a long zoom then turns into a pale mush with rainbow blobs (docs/dream/README.md,
     * "The pastel wash"). At a third it still steers mixed3's forms toward its larger parts.
     */
    layers: layerList([
      { name: 'mixed3', weight: 1 },
      { name: 'mixed5', weight: 0.3 },
    ]),
    /** l2: ascend ½·mean(a²), the gradient is the activation itself; mean: the TensorFlow tutorial's mean(a). */
    objective: oneOf(['l2', 'mean'] as const, 'l2'),
    /** −1: all channels; otherwise maximise this channel of every chosen layer. */
    channel: num(-1, 767, -1, true).describe('-1: every channel; else this channel of each layer'),
    stepSize: num(0.0001, 1, 0.03),
    /**
     * How the gradient is scaled before a step. laplacian: the TensorFlow DeepDream notebook's lap_normalize, each
     * frequency band scaled to unit RMS before the bands are summed, so coarse structure grows as well as fine texture.
     */
    normalise: oneOf(['std', 'mean-abs', 'laplacian'] as const, 'std'),
    /** Bands of the Laplacian pyramid (laplacian only); fewer are used when the image is too small to halve that often. */
    laplacianLevels: num(1, 6, 4, true),
    /** Random roll, in pixels, undone after each step: hides the grid of the strided convolutions. */
    jitter: num(0, 128, 16, true),
    octaves: num(1, 8, 3, true),
    octaveScale: num(1.1, 2, 1.4),
    stepsPerOctave: num(1, 500, 10, true).describe('gradient steps at each octave'),
    /** Weight of the guide image's features (0: no guide). */
    guideWeight: num(0, 10, 0).describe("weight of a guide picture's features (0: none)"),
    seed: num(0, 2 ** 31 - 1, 1, true),
  })
  .superRefine((p, ctx) => {
    if (p.channel < 0) return;
    for (const [i, l] of p.layers.entries()) {
      const c = LAYER_CHANNELS[l.name];
      if (c !== undefined && p.channel >= c) {
        ctx.addIssue({ code: 'custom', path: ['channel'], message: `must be from -1 to ${c - 1} for layer ${l.name} (layers.${i})` });
      }
    }
  });

export type DreamParams = z.output<typeof dreamParamsSchema>;
export type DreamParamsInput = z.input<typeof dreamParamsSchema>;

export function dreamParams(input?: DreamParamsInput | unknown): DreamParams {
  return parseWith(dreamParamsSchema, input, 'dream parameters');
}
