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
  learningRate: num(0.0001, 1, 0.02),
  /** Keep the content image's colours: luminance from the result, chroma from the content. */
  preserveColour: z.boolean({ error: 'must be true or false' }).default(false),
  seed: num(0, 2 ** 31 - 1, 1, true),
});

export type StyleParams = z.output<typeof styleParamsSchema>;
export type StyleParamsInput = z.input<typeof styleParamsSchema>;

export function styleParams(input?: StyleParamsInput | unknown): StyleParams {
  return parseWith(styleParamsSchema, input, 'style parameters');
}
