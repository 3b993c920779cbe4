import { z } from 'zod';
import { layerList } from './dream';
import { oneOf, parseWith } from './schema';

/** The long side a painted mask is kept at: a brush stroke needs no more, and a look file carries it in a few KB. */
export const MASK_SIDE = 256;

/**
 * What a painted mask does. Inside the mask (1) the look applies as it is; outside (0) the picture is either kept
 * as it is ('keep': no dream, no style, only the stream's own motion and the camera's pull), or takes the other
 * region's settings ('other': in DeepDream the `outsideLayers`, in style transfer the second painting alone while
 * the first paints the inside). In between the two blend, so a soft brush gives a soft edge.
 */
export const maskParamsSchema = z.object({
  outside: oneOf(['keep', 'other'] as const, 'keep').describe('outside the mask: the picture kept, or the other settings (outsideLayers; style: the second painting)'),
  /** The layers DeepDream maximises outside the mask when `outside` is 'other'. */
  outsideLayers: layerList([{ name: 'mixed1', weight: 1 }]).describe('what DeepDream maximises outside the mask with outside: other'),
});

export type MaskParams = z.output<typeof maskParamsSchema>;

export function maskParams(input?: unknown): MaskParams {
  return parseWith(maskParamsSchema, input, 'mask parameters');
}
