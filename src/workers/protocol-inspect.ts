/**
 * What a mode shows beside the picture and what a click on the picture means (the lens: its channels' maps, the
 * channels firing at a point, a tile to dream with). Part of the one protocol (protocol.ts re-exports it).
 */
import { z } from 'zod';
import { PICK_ACTIONS } from '../engine/modes/mode';
import { settingsSchema } from '../engine/params/settings';

const rgba = z.instanceof(Uint8ClampedArray);

const infoTileSchema = z.object({
  key: z.number().int(),
  label: z.string().max(100),
  value: z.number(),
  width: z.number().int().min(1).max(512),
  height: z.number().int().min(1).max(512),
  rgba,
});
export type InfoTileMessage = z.output<typeof infoTileSchema>;

const tileSetSchema = z.object({ title: z.string().max(200), tiles: z.array(infoTileSchema).max(64) });

/** The settings path a tile's or a row's key is written to when it is clicked (the lens: lens.channel). */
const selectSchema = z.string().max(100).optional();

export const inspectionSchema = tileSetSchema.extend({ select: selectSchema, examples: tileSetSchema.optional() });
export type InspectionMessage = z.output<typeof inspectionSchema>;

export const pickInfoSchema = z.object({
  title: z.string().max(200),
  rows: z.array(z.object({ key: z.number().int(), label: z.string().max(100), value: z.number(), thumb: infoTileSchema.optional() })).max(64),
  select: selectSchema,
});
export type PickInfo = z.output<typeof pickInfoSchema>;

/**
 * Page → worker: a click on the shown picture at (u, v), fractions of its width and height; `action` 'paint' (a
 * Shift+click) asks an atlas tile to dream where the mask is painted; `channel` names the tile instead (the panel).
 */
export const pickSchema = z.object({
  type: z.literal('pick'),
  u: z.number().min(0).max(1),
  v: z.number().min(0).max(1),
  action: z.enum(PICK_ACTIONS).optional(),
  channel: z.number().int().min(0).max(2047).optional(),
});

/** What a pick asks for beyond where: its action and a channel named instead of clicked. */
export type PickRequest = Pick<z.output<typeof pickSchema>, 'action' | 'channel'>;

/** Worker → page: what the click meant: settings to take (the look follows, the URL too) and facts to show. */
export const pickedSchema = z.object({ type: z.literal('picked'), settings: settingsSchema.optional(), brush: z.boolean().optional(), info: pickInfoSchema.optional() });

/** Worker → page: what the mode shows beside the picture now. */
export const inspectionMessageSchema = z.object({ type: z.literal('inspection'), inspection: inspectionSchema });

/** The buffers a pick's answer transfers (its rows' pictures). */
export function pickedBuffers(info: PickInfo | undefined): ArrayBuffer[] {
  return (info?.rows ?? []).flatMap((r) => (r.thumb ? [r.thumb.rgba.buffer as ArrayBuffer] : []));
}

/** The buffers an inspection transfers. */
export function inspectionBuffers(i: InspectionMessage): ArrayBuffer[] {
  return [...i.tiles, ...(i.examples?.tiles ?? [])].map((t) => t.rgba.buffer as ArrayBuffer);
}
