/**
 * Mappings from the audio's features to numeric settings: `stream.zoom` kicks on each onset, `dream.stepSize`
 * follows the bass. A mapping is data (a zod schema), so it can live in a look later; its value for a frame is
 * the feature, curved, then smoothed by an attack/release one-pole (an envelope follower), times `amount`, added to
 * the setting's base value and clamped to the setting's range in the settings schema.
 */
import { z } from 'zod';
import { settingFields } from '../params/fields';
import { settingsSchema } from '../params/settings';
import type { AudioFeatures, AudioFrame } from './features';

export const AUDIO_FEATURES = ['low', 'mid', 'high', 'loudness', 'onset'] as const;
export type AudioFeature = (typeof AUDIO_FEATURES)[number];
export const CURVES = ['linear', 'square', 'sqrt'] as const;
export type Curve = (typeof CURVES)[number];

/** The numeric settings a mapping may drive, with their ranges: 'stream.zoom' → [0.9, 1.2]. */
export const MAPPABLE: ReadonlyMap<string, { min: number; max: number; integer: boolean }> = new Map(
  settingFields(settingsSchema).flatMap((f) => (f.kind.type === 'number' ? [[f.path.join('.'), { min: f.kind.min, max: f.kind.max, integer: f.kind.integer }] as const] : [])),
);

const seconds = z.number().finite().min(0).max(10);

export const audioMappingSchema = z.object({
  feature: z.enum(AUDIO_FEATURES),
  /** A numeric setting's path, e.g. 'stream.zoom'. */
  target: z.string().refine((t) => MAPPABLE.has(t), { error: 'must be a numeric setting (e.g. stream.zoom, dream.stepSize)' }),
  /** Added to the setting at the feature's full value (1); negative turns the setting down. */
  amount: z.number().finite(),
  /** Seconds to rise (attack) and fall (release) by 1 − 1/e toward the feature; 0: at once. */
  smoothing: z.object({ attack: seconds.default(0), release: seconds.default(0) }).default({ attack: 0, release: 0 }),
  /** Shapes the 0–1 feature before smoothing: square favours peaks, sqrt lifts quiet passages. */
  curve: z.enum(CURVES).default('linear'),
});
export type AudioMapping = z.output<typeof audioMappingSchema>;
export type AudioMappingInput = z.input<typeof audioMappingSchema>;
export const audioMappingsSchema = z.array(audioMappingSchema).max(16);

export const AUDIO_PRESETS = {
  /** The zoom kicks forward on each onset and eases back within a fifth of a second. */
  pulse: [{ feature: 'onset', target: 'stream.zoom', amount: 0.05, smoothing: { attack: 0, release: 0.15 } }],
  /** Bigger steps, deeper dreams, while the bass plays. */
  bass: [{ feature: 'low', target: 'dream.stepSize', amount: 0.04, smoothing: { attack: 0.05, release: 0.3 }, curve: 'square' }],
  /** The picture turns with the cymbals and hiss. */
  treble: [{ feature: 'high', target: 'stream.rotate', amount: 2, smoothing: { attack: 0.02, release: 0.2 }, curve: 'sqrt' }],
} as const satisfies Record<string, readonly AudioMappingInput[]>;
export type AudioPreset = keyof typeof AUDIO_PRESETS;
export const AUDIO_PRESET_NAMES = Object.keys(AUDIO_PRESETS) as AudioPreset[];

export function applyCurve(x: number, curve: Curve): number {
  const v = Math.min(1, Math.max(0, x));
  return curve === 'square' ? v * v : curve === 'sqrt' ? Math.sqrt(v) : v;
}

function featureValue(frame: AudioFrame, feature: AudioFeature): number {
  return feature === 'onset' ? (frame.onset ? 1 : 0) : frame[feature];
}

/**
 * The mapping's envelope for every frame, 0–1: the curved feature followed by an attack/release one-pole. Computed
 * for the whole track at once because the smoothing of frame i depends on every frame before it.
 */
export function envelope(features: AudioFeatures, mapping: AudioMapping): Float32Array {
  const coefficient = (tau: number) => (tau > 0 ? 1 - Math.exp(-1 / (features.fps * tau)) : 1);
  const attack = coefficient(mapping.smoothing.attack);
  const release = coefficient(mapping.smoothing.release);
  const out = new Float32Array(features.frames.length);
  let level = 0;
  features.frames.forEach((frame, i) => {
    const x = applyCurve(featureValue(frame, mapping.feature), mapping.curve);
    level += (x > level ? attack : release) * (x - level);
    out[i] = level;
  });
  return out;
}

/** Mappings with their envelopes computed, ready to apply frame by frame. */
export interface AudioDrive {
  mappings: readonly AudioMapping[];
  envelopes: readonly Float32Array[];
}

export function audioDrive(features: AudioFeatures, mappings: readonly AudioMappingInput[]): AudioDrive {
  const parsed = audioMappingsSchema.parse(mappings);
  return { mappings: parsed, envelopes: parsed.map((m) => envelope(features, m)) };
}

/**
 * `base` with each mapped setting moved for frame `i` (past the last frame, the envelopes' last values): a new
 * object, `base` untouched. Mappings on the same setting add up; the sum is clamped to the setting's range.
 */
export function applyAudio<T extends object>(base: T, drive: AudioDrive, i: number): T {
  const out = structuredClone(base) as T;
  const offsets = new Map<string, number>();
  drive.mappings.forEach((m, k) => {
    const env = drive.envelopes[k]!;
    const level = env.length ? env[Math.min(Math.max(0, i), env.length - 1)]! : 0;
    offsets.set(m.target, (offsets.get(m.target) ?? 0) + m.amount * level);
  });
  for (const [target, offset] of offsets) {
    const path = target.split('.');
    // A base without the setting's section (a zoom has no style) is left as it is.
    let node: unknown = out;
    for (const key of path.slice(0, -1)) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    if (typeof node !== 'object' || node === null) continue;
    const section = node as Record<string, unknown>;
    const key = path.at(-1)!;
    const value = section[key];
    if (typeof value !== 'number') continue;
    const range = MAPPABLE.get(target)!;
    const moved = Math.min(range.max, Math.max(range.min, value + offset));
    section[key] = range.integer ? Math.round(moved) : moved;
  }
  return out;
}
