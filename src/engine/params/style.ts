import { z } from 'zod';
import { layerList } from './dream';
import { CONTENT_LAYERS } from './layers';
import { live, rebuild } from './apply';
import { num, oneOf, parseWith } from './schema';

/**
 * Gatys et al.: L = α·L_content + β·L_style + tv·L_tv, optimised on the pixels with Adam. A change rebuilds the
 * session (the targets are computed once, per layer, from the view and the stages) except for the fields marked
 * live: the weights, the learning rate, the blend, the smoothing and whose colours are shown.
 */
export const styleParamsSchema = rebuild(z.object({
  contentLayer: oneOf(CONTENT_LAYERS, 'mixed3'),
  styleLayers: layerList([
      { name: 'activation_3', weight: 1 },
      { name: 'activation_5', weight: 1 },
      { name: 'mixed0', weight: 1 },
      { name: 'mixed1', weight: 1 },
      { name: 'mixed2', weight: 1 },
    ]),
  /**
   * 20 against the style's 100: with the photo recoloured first the palette is the painting's anyway, and this
   * keeps the layout (≥ 0.6 on every yardstick pair, docs/style) with the strokes still formed.
   */
  contentWeight: live(num(0, 1e6, 20)),
  styleWeight: live(num(0, 1e6, 100)),
  tvWeight: live(num(0, 1e6, 100)),
  init: oneOf(['content', 'noise', 'style'] as const, 'content'),
  learningRate: live(num(0.0001, 1, 0.01)),
  /**
   * Whose colours the picture has: the painting's (what the optimisation reaches), the content's (luminance from
   * the result, chroma from the content: Gatys' colour preservation), or 'match': the content recoloured to the
   * painting's colour distribution before optimising, so the palette is there from the first frame.
   */
  colour: live(oneOf(['style', 'content', 'match'] as const, 'match')),
  /** The style picture's long side relative to the content's: below 1 finer strokes, above 1 broader ones. */
  styleScale: num(0.25, 4, 1),
  seed: num(0, 2 ** 31 - 1, 1, true),
  /**
   * What the optimisation moves: the pixels (Gatys' original) or a Laplacian pyramid in decorrelated colour,
   * where broad strokes and colour fields form as easily as fine texture.
   */
  basis: oneOf(['pixels', 'pyramid'] as const, 'pyramid'),
  /** Levels of the pyramid basis, the full-size one included. */
  pyramidLevels: num(1, 8, 4, true),
  /** Reflect padding (px) around the picture the network sees: the border is treated like the interior. */
  pad: num(0, 64, 16, true),
  /** Random shift (px, at most `pad`) of what the network sees, each step: no pattern can rely on a pixel position. */
  jitter: num(0, 32, 4, true),
  /** Random turn (degrees, ±) of what the network sees, each step. */
  jitterRotate: num(0, 30, 0),
  /** Random scale (± this fraction) of what the network sees, each step. */
  jitterScale: num(0, 0.3, 0),
  /**
   * Several paintings at once: the share of each (the first painting, then the second, …), normalised by their
   * sum. The style targets are the blend of the paintings' Gram matrices (neural-style's `-style_blend_weights`).
   * Shares for paintings that are not there are ignored.
   */
  styleBlend: live(
    z
      .array(num(0, 100, 1), { error: 'must be a list of numbers' })
      .min(1, { error: 'must give at least one share' })
      .max(4, { error: 'must give at most 4 shares' })
      .refine((w) => w.some((x) => x > 0), { error: 'must give at least one share above 0' })
      .default([1])
      // Inside live(): describe() keeps no other meta, live() keeps the description.
      .describe('the share of each painting, in order'),
  ),
  /**
   * Coarse to fine: the picture is first optimised at 1/√2ᵏ of its size (k = stages−1 … 1, none under the network's
   * smallest input), `stageIterations` each, then upsampled and continued; the last stage runs at full size. Coarse
   * structure forms first, where an iteration is cheap; detail after.
   */
  stages: num(1, 4, 1, true),
  stageIterations: num(1, 1000, 40, true),
  /** The shown picture is a running average of the iterates (0: the latest iterate alone): calmer while forming. */
  smoothing: live(num(0, 0.95, 0)),
}));

export type StyleParams = z.output<typeof styleParamsSchema>;
export type StyleParamsInput = z.input<typeof styleParamsSchema>;

export function styleParams(input?: StyleParamsInput | unknown): StyleParams {
  return parseWith(styleParamsSchema, input, 'style parameters');
}
