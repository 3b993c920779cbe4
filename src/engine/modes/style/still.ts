import * as tf from '@tensorflow/tfjs';
import { cover } from '../../image/geometry';
import { StyleRegions } from '../../sessions/style-regions';
import type { Still, StillOptions } from '../spec';
import { regionPaintings } from './paintings';

/**
 * A style-transfer still: the content is always the source picture (what the still must look like), the frame on
 * screen is where the iterations start; `steps` iterations, the paintings as the live view has them, kept to the
 * mask.
 */
export function styleStill({ ctx, settings, size: [h, w], start, steps, tiler }: StillOptions): Still {
  const mask = ctx.mask ?? null;
  const { inside, outside } = regionPaintings(ctx, settings, mask);
  const photo = tf.tidy(() => cover(ctx.content, h, w));
  try {
    const session = new StyleRegions(ctx.runner, { photo, inside, outside, params: settings.style, mask, start: start ?? undefined, tiler });
    return { session, steps, tiles: () => session.tileCount, area: () => session.stageSize[0] * session.stageSize[1] };
  } finally {
    photo.dispose();
  }
}
