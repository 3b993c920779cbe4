import type * as tf from '@tensorflow/tfjs';
import type { Settings } from '../params/settings';
import { DreamMode } from './dream-mode';
import type { Mode, ModeContext } from './mode';
import { StyleMode } from './style-mode';
import { WebcamMode } from './webcam-mode';

/**
 * The mode `settings.mode` names, at the working size [h, w], from `start` (else the mode's own beginning), its
 * iterations counted from `iteration` (a rebuild at a new size; the stream modes resize live and keep theirs).
 */
export function createMode(settings: Settings, ctx: ModeContext, size: [number, number], start?: tf.Tensor4D, iteration = 0): Mode {
  switch (settings.mode) {
    case 'style':
      return new StyleMode(ctx, settings, size, start, iteration);
    case 'webcam':
      return WebcamMode.create(ctx, settings, size, start);
    case 'dream':
      return DreamMode.create(ctx, settings, size, start);
  }
}
