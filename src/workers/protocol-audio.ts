/**
 * The page's live sound features, sent to the worker at most once per animation frame while a mapping is set and
 * sound plays (engine/audio/live.ts computes them in the page; engine/audio/live-drive.ts follows them). Null: the
 * sound stopped, the mapped settings return to the person's.
 */
import { z } from 'zod';

const unit = z.number().finite().min(0).max(1);

export const liveFeaturesSchema = z.object({
  low: unit,
  mid: unit,
  high: unit,
  loudness: unit,
  /** Normalised spectral flux, 0–1. */
  flux: unit,
  /** An onset since the last message. */
  onset: z.boolean(),
});

export const audioMessageSchema = z.object({ type: z.literal('audio'), features: liveFeaturesSchema.nullable() });
export type AudioMessage = z.output<typeof audioMessageSchema>;
export type LiveFeatures = z.output<typeof liveFeaturesSchema>;
