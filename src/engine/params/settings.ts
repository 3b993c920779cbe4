import { z } from 'zod';
import { dreamParamsSchema } from './dream';
import { maskParamsSchema } from './mask';
import { flag, num, oneOf, parseWith } from './schema';
import { streamParamsSchema } from './stream';
import { styleParamsSchema } from './style';

export const MODES = ['dream', 'style', 'webcam'] as const;
export type Mode = (typeof MODES)[number];

/**
 * Everything that defines a look: the one object the UI, the URL, presets, snapshots and the worker exchange.
 * `resolution` is the long side of the working frame in pixels; 0 for either adaptive field means "let the
 * scheduler choose".
 */
export const settingsSchema = z.object({
  mode: oneOf(MODES, 'dream'),
  dream: dreamParamsSchema.default(() => dreamParamsSchema.parse({})),
  stream: streamParamsSchema.default(() => streamParamsSchema.parse({})),
  style: styleParamsSchema.default(() => styleParamsSchema.parse({})),
  /** What a painted mask does outside its strokes (the mask itself is pixels: looks and snapshots carry it). */
  mask: maskParamsSchema.default(() => maskParamsSchema.parse({})),
  /** Working resolution (long side, px); 0 = adaptive. */
  resolution: num(0, 1024, 0, true),
  /** Gradient steps per displayed frame; 0 = adaptive. */
  stepsPerFrame: num(0, 20, 0, true),
  /** Pull toward the camera in webcam mode. */
  webcamBlend: num(0, 1, 0.25),
  /**
   * Stillness gating: how much camera motion modulates the pull (0: fixed pull). A still scene sinks into the
   * dream; motion lets the camera through.
   */
  webcamGate: num(0, 1, 0.6),
  /**
   * Optical flow in webcam mode: the dream is carried along the camera's motion (patterns travel with what moves),
   * and the camera shows through only where the flow cannot be trusted (uncovered background, fast motion). Off:
   * the camera is blended in as above, gated by stillness.
   */
  webcamFlow: flag(true),
  /** With flow: the pull toward the camera each frame where the flow is trusted (0: the dream is only carried). */
  webcamFlowPull: num(0, 1, 0.1),
  /** Frames over which a new picture, mode or reset cross-fades in (0: cut). */
  crossfade: num(0, 120, 12, true),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

export function settings(input?: unknown): Settings {
  return parseWith(settingsSchema, input, 'settings');
}

export const DEFAULT_SETTINGS: Settings = settings({});
