import { z } from 'zod';
import { num, parseWith } from './schema';

/** The feedback transform applied between frames of a zoom stream (and of webcam dreaming). */
export const streamParamsSchema = z.object({
  /** Scale per frame; > 1 zooms in. */
  zoom: num(0.9, 1.2, 1.01),
  /** Degrees per frame. */
  rotate: num(-10, 10, 0),
  /** Pixels per frame, in working-resolution pixels. */
  driftX: num(-32, 32, 0),
  driftY: num(-32, 32, 0),
  /** Pull toward the source frame each frame (0: pure feedback; webcam uses ~0.1–0.3). */
  blend: num(0, 1, 0),
  /** Strength of the colour guard that holds the mean/std of each channel at the source's (0: off). */
  colourGuard: num(0, 1, 0.1).describe("holds each colour channel's mean and spread at the source's (0: off)"),
  /**
   * How fast the objective drifts through the layers (sessions/wander.ts; 0: off). At 1 the lead changes about
   * every 60 frames, so a long stream keeps finding new things.
   */
  wander: num(0, 4, 0).describe('the objective drifts through the layers (0: off; at 1 the lead changes every ~60 frames)'),
});

export type StreamParams = z.output<typeof streamParamsSchema>;
export type StreamParamsInput = z.input<typeof streamParamsSchema>;

export function streamParams(input?: StreamParamsInput | unknown): StreamParams {
  return parseWith(streamParamsSchema, input, 'stream parameters');
}
