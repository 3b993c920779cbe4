import { z } from 'zod';
import type { ModeAbout } from '../modes/about';
import { MODE_ABOUTS, MODES, type ModeName } from '../modes/catalog';
import { live } from './apply';
import { audioParamsSchema, mappableTargets, targetIssues } from './audio';
import { maskParamsSchema } from './mask';
import { num, oneOf, parseWith } from './schema';
import { streamParamsSchema } from './stream';

export { MODES };
export type Mode = ModeName;
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

/** The settings every mode has: the stream's feedback transform, the mask, and how large and how often to dream. */
const COMMON_SETTINGS = {
  /**
   * The feedback transform between frames: the zoom stream's, and the zoom export's from any mode. Live: the
   * stream session takes it between two steps (so the sound may move it, see audio).
   */
  stream: live(streamParamsSchema.default(() => streamParamsSchema.parse({}))),
  /** Mappings from live sound to live numeric settings (params/audio.ts); none by default. */
  audio: audioParamsSchema.default(() => audioParamsSchema.parse({})),
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
  /** Frames over which a new picture, mode or reset cross-fades in (0: cut). */
  crossfade: num(0, 120, 12, true),
};

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type SettingsOf<A extends readonly ModeAbout[]> = UnionToIntersection<A[number]['settings']>;

/**
 * The settings schema of a set of modes: `mode` names one of them (the first by default), each mode's own sections,
 * and the common settings. A section two modes share must be the same schema (the registry checks it).
 */
export function settingsSchemaFor<const A extends readonly [ModeAbout, ...ModeAbout[]]>(abouts: A) {
  const names = abouts.map((a) => a.name) as unknown as readonly [A[number]['name'], ...A[number]['name'][]];
  const mode = oneOf(names, names[0]);
  const shape = Object.assign({ mode }, ...abouts.map((a) => a.settings), COMMON_SETTINGS) as { mode: typeof mode } & SettingsOf<A> & typeof COMMON_SETTINGS;
  const object = z.object(shape);
  // A mapping may move only a live numeric setting of these very settings: one line for any other target.
  const targets = mappableTargets(object);
  return object.superRefine((s, ctx) => {
    const mappings = (s as { audio: { mappings: { target: string }[] } }).audio.mappings;
    for (const { index, message } of targetIssues(mappings, targets)) ctx.addIssue({ code: 'custom', path: ['audio', 'mappings', index, 'target'], message });
  });
}

/**
 * Everything that defines a look: the one object the UI, the URL, presets, snapshots and the worker exchange,
 * assembled from the built-in modes' settings. `resolution` is the long side of the working frame in pixels; 0 for
 * either adaptive field means "let the scheduler choose".
 */
export const settingsSchema = settingsSchemaFor(MODE_ABOUTS);

export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

export function settings(input?: unknown): Settings {
  return parseWith(settingsSchema, input, 'settings');
}

export const DEFAULT_SETTINGS: Settings = settings({});
