import { z } from 'zod';
import { layerWeightSchema } from './dream';
import { CONTENT_LAYERS } from './layers';
import { num, oneOf, parseWith } from './schema';

/** Gatys et al.: L = α·L_content + β·L_style + tv·L_tv, optimised on the pixels with Adam. */
export const styleParamsSchema = z.object({
  contentLayer: oneOf(CONTENT_LAYERS, 'mixed3'),
  styleLayers: z
    .array(layerWeightSchema)
    .min(1, { error: 'must name at least one layer' })
    .max(8, { error: 'must name at most 8 layers' })
    .default([
      { name: 'activation_3', weight: 1 },
      { name: 'activation_5', weight: 1 },
      { name: 'mixed0', weight: 1 },
      { name: 'mixed1', weight: 1 },
      { name: 'mixed2', weight: 1 },
    ]),
  contentWeight: num(0, 1e6, 1),
  styleWeight: num(0, 1e6, 100),
  tvWeight: num(0, 1e6, 100),
  init: oneOf(['content', 'noise', 'style'] as const, 'content'),
  learningRate: num(0.0001, 1, 0.01),
  /**
   * Whose colours the picture has: the painting's (what the optimisation reaches), the content's (luminance from
   * the result, chroma from the content: Gatys' colour preservation), or 'match': the content recoloured to the
   * painting's colour distribution before optimising, so the palette is there from the first frame.
   */
  colour: oneOf(['style', 'content', 'match'] as const, 'match'),
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
});

export type StyleParams = z.output<typeof styleParamsSchema>;
export type StyleParamsInput = z.input<typeof styleParamsSchema>;

export function styleParams(input?: StyleParamsInput | unknown): StyleParams {
  return parseWith(styleParamsSchema, input, 'style parameters');
}
