import * as tf from '@tensorflow/tfjs';
import { cover } from '../../image/geometry';
import { dreamRegions } from '../../mask/regions';
import { DreamSession } from '../../sessions/dream-session';
import { octavesForSize } from '../../sessions/octaves';
import { tileCount } from '../../tiles/grid';
import type { Still, StillOptions } from '../spec';

/**
 * A DeepDream still from the frame on screen (else the source picture), enlarged first: octaves from about the
 * live size up to the still's (octavesForSize), `steps` per octave, the look's layers and guide, kept to the mask.
 */
export function dreamStill({ ctx, settings, size: [h, w], start, steps, liveSide, tiler }: StillOptions): Still {
  const octaves = octavesForSize(Math.max(h, w), liveSide, settings.dream.octaves, settings.dream.octaveScale);
  const dream = { ...settings.dream, ...octaves, stepsPerOctave: steps };
  const layers = dream.layers.map((l) => l.name);
  const x = tf.tidy(() => cover(start ?? ctx.content, h, w));
  try {
    const regions = dreamRegions({ ...settings, dream }, ctx.mask ?? null);
    const session = new DreamSession(ctx.runner, x, dream, { guide: ctx.guide, tiler, regions });
    return {
      session,
      steps: session.totalSteps,
      tiles: () => {
        const [, sh, sw] = session.image.shape;
        const plan = tiler.shares(sh, sw, layers)?.plan;
        return plan ? tileCount(plan) : 1;
      },
      area: () => session.image.shape[1] * session.image.shape[2],
    };
  } finally {
    x.dispose();
  }
}
