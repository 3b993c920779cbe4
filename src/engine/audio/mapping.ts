/**
 * Mappings from the audio's features to numeric settings: `stream.zoom` kicks on each onset, `dream.stepSize`
 * follows the bass. A mapping is data (params/audio.ts: the settings' `audio` section carries them in looks); its
 * value for a frame is the feature, curved, then smoothed by an attack/release one-pole (an envelope follower),
 * times `amount`, added to the setting's base value and clamped to the setting's range in the settings schema.
 */
import { z } from 'zod';
import { AUDIO_FEATURES, audioMappingShape, CURVES, MAX_MAPPINGS, mappableTargets, type AudioFeature, type Curve, type TargetRange } from '../params/audio';
import { settingsSchema } from '../params/settings';
import type { AudioFeatures, AudioFrame } from './features';

export { AUDIO_FEATURES, CURVES, type AudioFeature, type Curve };

/** The numeric settings a mapping may drive (the live ones), with their ranges: 'stream.zoom' → [0.9, 1.2]. */
export const MAPPABLE: ReadonlyMap<string, TargetRange> = mappableTargets(settingsSchema);

export const audioMappingSchema = audioMappingShape.extend({
  target: audioMappingShape.shape.target.refine((t) => MAPPABLE.has(t), { error: 'must be a live numeric setting (e.g. stream.zoom, dream.stepSize)' }),
});
export type AudioMapping = z.output<typeof audioMappingSchema>;
export type AudioMappingInput = z.input<typeof audioMappingSchema>;
export const audioMappingsSchema = z.array(audioMappingSchema).max(MAX_MAPPINGS);

export const AUDIO_PRESETS = {
  /** The zoom kicks forward on each onset and eases back within a fifth of a second. */
  pulse: [{ feature: 'onset', target: 'stream.zoom', amount: 0.05, smoothing: { attack: 0, release: 0.15 } }],
  /** Bigger steps, deeper dreams, while the bass plays. */
  bass: [{ feature: 'low', target: 'dream.stepSize', amount: 0.04, smoothing: { attack: 0.05, release: 0.3 }, curve: 'square' }],
  /** Treble sparkles: the higher layer's weight (mixed5, in the default look) rises with the cymbals and hiss. */
  treble: [{ feature: 'high', target: 'dream.layers.mixed5', amount: 1.5, smoothing: { attack: 0.02, release: 0.2 }, curve: 'sqrt' }],
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
  const levels = drive.envelopes.map((env) => (env.length ? env[Math.min(Math.max(0, i), env.length - 1)]! : 0));
  return offsetSettings(base, drive.mappings, levels);
}

/**
 * `base` with each mapping's target moved by amount × its level (levels[k] for mappings[k]): a new object, `base`
 * untouched. Mappings on the same setting add up; the sum is clamped to the setting's range (integers rounded).
 * Shared by the offline drive (above) and the live one (live-drive.ts).
 */
export function offsetSettings<T extends object>(base: T, mappings: readonly AudioMapping[], levels: readonly number[]): T {
  const out = structuredClone(base) as T;
  const offsets = new Map<string, number>();
  mappings.forEach((m, k) => offsets.set(m.target, (offsets.get(m.target) ?? 0) + m.amount * (levels[k] ?? 0)));
  for (const [target, offset] of offsets) {
    // A base without the setting's section (a zoom has no style), or a layer the look does not list, is left as it is.
    const slot = targetSlot(out, target);
    if (!slot) continue;
    const { section, key } = slot;
    const value = section[key];
    const range = MAPPABLE.get(target);
    if (typeof value !== 'number' || !range) continue;
    const moved = Math.min(range.max, Math.max(range.min, value + offset));
    section[key] = range.integer ? Math.round(moved) : moved;
  }
  return out;
}

/**
 * Where a mapping target lives in `settings`: the object holding it and its key — a setting by its path
 * ('stream.zoom'), or a listed layer's weight ('dream.layers.mixed5': that layer's entry, 'weight'); undefined where
 * the settings have no such place (no such section, a layer the look does not list).
 */
function targetSlot(settings: object, target: string): { section: Record<string, unknown>; key: string } | undefined {
  const path = target.split('.');
  let node: unknown = settings;
  for (const key of path.slice(0, -1)) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  let key = path.at(-1)!;
  if (Array.isArray(node)) {
    node = node.find((l: { name?: unknown }) => l?.name === key);
    key = 'weight';
  }
  return typeof node === 'object' && node !== null ? { section: node as Record<string, unknown>, key } : undefined;
}

/** A mapping target's value in `settings`; undefined where the settings have none (see targetSlot). */
export function targetValue(settings: object, target: string): number | undefined {
  const slot = targetSlot(settings, target);
  const value = slot?.section[slot.key];
  return typeof value === 'number' ? value : undefined;
}
