/**
 * The one serialised form of a look, versioned, shared by every place a look is written or read: look files
 * (JSON), snapshots and CLI renders (the same JSON in a PNG iTXt chunk, which any PNG tool reads), so any
 * dreamstream PNG or file restores its look in the app. The URL carries the same settings in its own short form
 * (components/look/url-state.ts).
 *
 *   { "dreamstream": 2, "settings": {...}, "content"?: sample id, "style"?: sample id, "style2"?: sample id,
 *     "mask"?: "data:image/png;base64,…", "frame"?: n }
 *
 * Older forms are still read: look files `{dreamstream: 1, settings, content, style}`, snapshots
 * `{version: 1, settings}`, and CLI renders `{mode: 'dream'|'style'|'zoom', dream?, style?, stream?}`.
 */
import { addTextChunks, isPng, readTextChunks } from '../io/png-text';
import { formatIssues } from './schema';
import { settingsSchema, type Settings } from './settings';

export const LOOK_VERSION = 2;
/** The PNG text chunk that holds a look. */
export const LOOK_PNG_KEY = 'dreamstream';

export interface Look {
  settings: Settings;
  /** Built-in sample ids; absent when the pictures were the user's own (they cannot travel in a look). */
  content?: string;
  style?: string;
  /** A second painting blended with the first. */
  style2?: string;
  /** The frame number of a zoom sequence's PNG. */
  frame?: number;
  /** The painted mask as a greyscale PNG data URL (white: the look applies); the URL cannot carry it. */
  mask?: string;
}

/** How a look carries its mask, and the most it may weigh (a 256 px mask is a few KB; this refuses a photo). */
export const MASK_DATA_PREFIX = 'data:image/png;base64,';
const MASK_DATA_MAX = 1_000_000;

export class LookError extends Error {
  override name = 'LookError';
}

export function encodeLook(look: Look): string {
  const { settings, content, style, style2, frame, mask } = look;
  return JSON.stringify({ dreamstream: LOOK_VERSION, settings, content, style, style2, frame, mask }, null, 2);
}

/** A look from its JSON text, in any version written so far; throws a LookError fit to show when it is not one. */
export function decodeLook(text: string): Look {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new LookError('not a JSON file');
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new LookError('not a dreamstream look');
  const obj = raw as Record<string, unknown>;
  const settings = parseSettings(renamed(settingsInputOf(obj)));
  const look: Look = { settings };
  if (typeof obj.content === 'string') look.content = obj.content;
  if (typeof obj.style === 'string') look.style = obj.style;
  if (typeof obj.style2 === 'string') look.style2 = obj.style2;
  if (typeof obj.frame === 'number' && Number.isInteger(obj.frame) && obj.frame >= 0) look.frame = obj.frame;
  if (obj.mask !== undefined) look.mask = maskOf(obj.mask);
  return look;
}

function maskOf(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith(MASK_DATA_PREFIX) || !/^[A-Za-z0-9+/]+=*$/.test(value.slice(MASK_DATA_PREFIX.length)))
    throw new LookError(`invalid look: mask must be a PNG data URL (${MASK_DATA_PREFIX}…)`);
  if (value.length > MASK_DATA_MAX) throw new LookError(`invalid look: the mask is larger than ${MASK_DATA_MAX / 1e6} MB`);
  return value;
}

/** The settings part of any known version. */
function settingsInputOf(obj: Record<string, unknown>): unknown {
  const version = obj.dreamstream ?? obj.version;
  if (version === LOOK_VERSION || version === 1) {
    if (!('settings' in obj)) throw new LookError('not a dreamstream look (no settings)');
    return obj.settings;
  }
  if (typeof version === 'number') throw new LookError(`a dreamstream look of version ${version}, newer than this app reads (${LOOK_VERSION})`);
  // The CLI's first renders: the mode and the parameters it used, no version.
  const legacy = typeof obj.mode === 'string' ? FIRST_CLI_RENDERS[obj.mode] : undefined;
  if (legacy) return legacy(obj);
  throw new LookError('not a dreamstream look (missing "dreamstream": 2)');
}

/** The settings of the CLI's first renders, by the command that wrote them (a zoom frame is a dream's). */
const FIRST_CLI_RENDERS: Record<string, (obj: Record<string, unknown>) => unknown> = {
  dream: (obj) => ({ mode: 'dream', dream: obj.dream, stream: obj.stream }),
  zoom: (obj) => ({ mode: 'dream', dream: obj.dream, stream: obj.stream }),
  style: (obj) => ({ mode: 'style', style: obj.style }),
};

/**
 * Settings renamed since a look was saved, carried over with their meaning: `style.preserveColour` true is
 * `style.colour: 'content'`, false the painting's colours ('style').
 */
function renamed(input: unknown): unknown {
  const style = (input as { style?: Record<string, unknown> } | null)?.style;
  if (!style || typeof style !== 'object' || typeof style.preserveColour !== 'boolean' || 'colour' in style) return input;
  const { preserveColour, ...rest } = style;
  return { ...(input as object), style: { ...rest, colour: preserveColour ? 'content' : 'style' } };
}

function parseSettings(input: unknown): Settings {
  const r = settingsSchema.safeParse(input ?? {});
  if (!r.success) throw new LookError(`invalid look: ${formatIssues(r.error.issues, 'settings', input)}`);
  return r.data;
}

/** The PNG's bytes with the look embedded (and the software named, as image viewers show it). */
export function withLook(png: Uint8Array, look: Look): Uint8Array {
  return addTextChunks(png, lookChunks(look));
}

/** The text chunks that carry a look, for writers that add chunks themselves. */
export function lookChunks(look: Look): Record<string, string> {
  return { [LOOK_PNG_KEY]: encodeLook(look), Software: 'dreamstream' };
}

/** The look embedded in a PNG: null when the bytes are not a PNG or carry none; a LookError when it is broken. */
export function lookFromPng(bytes: Uint8Array): Look | null {
  if (!isPng(bytes)) return null;
  const text = readTextChunks(bytes)[LOOK_PNG_KEY];
  return text === undefined ? null : decodeLook(text);
}
