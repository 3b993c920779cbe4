/**
 * The settings' `audio` section: mappings from the sound's features to numeric settings, so a look, a link or a
 * kiosk playlist carries "the zoom kicks on the beat". Here are the data and their text form only; the schema of
 * the whole settings checks each target (settings.ts: a live numeric setting), because which settings exist is
 * known only once every section is assembled (and mapping.ts, which computes envelopes, reads that schema).
 */
import { z } from 'zod';
import { live, marks } from './apply';
import { settingFields, type ObjectSchema } from './fields';
import { DREAM_LAYERS } from './layers';

export const AUDIO_FEATURES = ['low', 'mid', 'high', 'loudness', 'onset'] as const;
export type AudioFeature = (typeof AUDIO_FEATURES)[number];
export const CURVES = ['linear', 'square', 'sqrt'] as const;
export type Curve = (typeof CURVES)[number];

const seconds = z.number().finite().min(0).max(10);

/** One mapping, its target unchecked (see mappableTargets and settings.ts). */
export const audioMappingShape = z.object({
  feature: z.enum(AUDIO_FEATURES),
  /** A numeric setting's path, e.g. 'stream.zoom'. */
  target: z.string().max(80),
  /** Added to the setting at the feature's full value (1); negative turns the setting down. */
  amount: z.number().finite().min(-1000).max(1000),
  /** Seconds to rise (attack) and fall (release) by 1 − 1/e toward the feature; 0: at once. */
  smoothing: z.object({ attack: seconds.default(0), release: seconds.default(0) }).default({ attack: 0, release: 0 }),
  /** Shapes the 0–1 feature before smoothing: square favours peaks, sqrt lifts quiet passages. */
  curve: z.enum(CURVES).default('linear'),
});
export type AudioMappingData = z.output<typeof audioMappingShape>;

/** At most this many mappings in a look: enough for any patch, bounded work per frame. */
export const MAX_MAPPINGS = 16;

/**
 * The section. Live: the worker reads the mappings each frame, so changing one never restarts the dream (and
 * only live settings may be targets, so moving one never does either).
 */
export const audioParamsSchema = live(
  z.object({
    mappings: z.array(audioMappingShape).max(MAX_MAPPINGS).default([]).describe('sound → settings, feature:target:amount[:attack:release[:curve]],…'),
  }),
);
export type AudioParams = z.output<typeof audioParamsSchema>;

/** A target's range, from its schema. */
export interface TargetRange {
  min: number;
  max: number;
  integer: boolean;
}

/** A layer's weight in a layer list (layerWeightSchema's range). */
const LAYER_WEIGHT: TargetRange = { min: -10, max: 10, integer: false };

/**
 * The settings a mapping may move: the numeric fields marked live (their own mark or their section's), with their
 * ranges. A rebuild field moved every frame would restart the dream every frame, so it is not offered.
 */
export function mappableTargets(schema: ObjectSchema): Map<string, TargetRange> {
  const shape = schema.shape as Record<string, z.ZodType>;
  const markOf = new Map<string, string | undefined>();
  for (const [key, section] of Object.entries(shape)) for (const [path, apply] of Object.entries(marks(key, section))) markOf.set(path, apply);
  const out = new Map<string, TargetRange>();
  for (const f of settingFields(schema)) {
    // Deeper fields take their section field's mark (marks go one level into a section).
    if (markOf.get(f.path.slice(0, 2).join('.')) !== 'live') continue;
    if (f.kind.type === 'number') out.set(f.path.join('.'), { min: f.kind.min, max: f.kind.max, integer: f.kind.integer });
    // A live layer list: each layer's weight, by name ('dream.layers.mixed5'), so "a high layer follows the highs".
    // A layer the look does not list is not added (that would change the network's plan): its mapping rests.
    if (f.kind.type === 'layers') for (const name of DREAM_LAYERS) out.set(`${f.path.join('.')}.${name}`, LAYER_WEIGHT);
  }
  return out;
}

/** The issues of `mappings`' targets against `targets`, one line each, for a schema's refinement. */
export function targetIssues(mappings: readonly { target: string }[], targets: ReadonlyMap<string, TargetRange>): { index: number; message: string }[] {
  return mappings.flatMap((m, index) =>
    targets.has(m.target) ? [] : [{ index, message: `must be a live numeric setting such as stream.zoom or dream.stepSize (got "${m.target}")` }],
  );
}

/**
 * Text form (URL, CLI): `feature:target:amount[:attack:release[:curve]]`, mappings separated by commas, e.g.
 * `onset:stream.zoom:0.05:0:0.15`. Parsing never throws: a part that is not a number becomes NaN, and the schema
 * refuses it naming the field.
 */
export function parseMappingList(text: string): unknown[] {
  return text
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const [feature = '', target = '', amount = '', attack, release, curve] = part.split(':').map((s) => s.trim());
      const num = (s: string | undefined) => (s === undefined || s === '' ? Number.NaN : Number(s));
      return {
        feature,
        target,
        amount: num(amount),
        ...(attack === undefined ? {} : { smoothing: { attack: num(attack), release: release === undefined ? 0 : num(release) } }),
        ...(curve === undefined ? {} : { curve }),
      };
    });
}

/** The inverse of parseMappingList, every field written out. */
export function formatMappingList(mappings: readonly AudioMappingData[]): string {
  return mappings.map((m) => [m.feature, m.target, m.amount, m.smoothing.attack, m.smoothing.release, m.curve].join(':')).join(',');
}
