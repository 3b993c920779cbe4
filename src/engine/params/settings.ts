import { z } from 'zod';
import { dreamParamsSchema } from './dream';
import { maskParamsSchema } from './mask';
import { flag, num, oneOf, parseWith } from './schema';
import { streamParamsSchema } from './stream';
import { styleParamsSchema } from './style';

export const MODES = ['dream', 'style', 'webcam'] as const;
export type Mode = (typeof MODES)[number];
/**
 * How large the working frame is when `resolution` is adaptive (0): *smooth* lets the scheduler pick the size for
 * the frame rate (it climbs as far as the stage's size where the device keeps up); *sharp* dreams at the size the
 * picture is shown, the stage's device pixels (capped by the backend's sharp limit), at fewer frames per second.
 */
export const DETAILS = ['smooth', 'sharp'] as const;
export type Detail = (typeof DETAILS)[number];
/** How the picture fills the stage: *cover* fills it (cropping the picture), *contain* shows it whole (letterboxed). */
export const FITS = ['cover', 'contain'] as const;
export type Fit = (typeof FITS)[number];

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
  /** With an adaptive resolution: smooth (the scheduler's size) or sharp (the display's size); see DETAILS. */
  detail: oneOf(DETAILS, 'smooth'),
  /** Framing on the stage: cover (fill, crop) or contain (the whole picture, letterboxed). */
  fit: oneOf(FITS, 'cover'),
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
