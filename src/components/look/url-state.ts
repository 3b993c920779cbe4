import { z } from 'zod';
import { formatMappingList, parseMappingList, type AudioMappingData } from '../../engine/params/audio';
import { unwrapped } from '../../engine/params/fields';
import { formatLayerList, parseLayerList, parseNumberList, type LayerWeight } from '../../engine/params/lists';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../../engine/params/settings';
import { BACKENDS, WASM_THREADS_MAX, type BackendChoice } from '../../workers/protocol';
import { findSample } from './samples';

/** Page options that are not part of a look. */
export interface PageOptions {
  backend: BackendChoice;
  /**
   * wasm's threads, where the page asks for a number: fewer than the cores leaves them to other work on a shared
   * machine (a second browser, a video encoder). Unset: every core, up to 4.
   */
  threads?: number;
  kiosk: boolean;
  /** A preset id to start from (validated by the app, which knows the presets). */
  preset?: string;
  content?: string;
  style?: string;
  /** A second painting to blend with the first (style transfer). */
  style2?: string;
}

/** Short URL names for the settings people share most; any dotted settings path works too. */
const ALIASES: Record<string, string> = {
  res: 'resolution',
  steps: 'stepsPerFrame',
  layers: 'dream.layers',
  step: 'dream.stepSize',
  jitter: 'dream.jitter',
  channel: 'dream.channel',
  zoom: 'stream.zoom',
  rotate: 'stream.rotate',
  blend: 'style.styleBlend',
};

function getPath(obj: unknown, path: string[]): unknown {
  return path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (!head) return obj;
  const child = obj[head];
  return { ...obj, [head]: rest.length ? setPath((child ?? {}) as Record<string, unknown>, rest, value) : value };
}

const isNumberList = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

/** Whether the setting at `path` is a list of audio mappings (its text form is params/audio.ts's). */
function isMappingList(path: readonly string[]): boolean {
  const node = schemaAt(settingsSchema, path);
  const element = node instanceof z.ZodArray ? unwrapped(node.element as z.ZodType) : null;
  return element instanceof z.ZodObject && 'feature' in element.shape;
}

function coerce(raw: string, like: unknown, path: readonly string[]): unknown {
  if (Array.isArray(like) && isMappingList(path)) return parseMappingList(raw);
  if (typeof like === 'number') return raw.trim() === '' ? Number.NaN : Number(raw);
  // On/off settings: true/false as toQuery writes them, 1/0 and on/off as people type them; anything else fails.
  if (typeof like === 'boolean') return ({ true: true, '1': true, on: true, false: false, '0': false, off: false } as Record<string, boolean>)[raw.trim()] ?? raw;
  if (isNumberList(like) && like.length > 0) return parseNumberList(raw);
  if (Array.isArray(like)) return parseLayerList(raw);
  return raw;
}

/** One value the page could not use: where it came from, how to show it, and why, in plain words. */
export interface RejectedParam {
  source: 'url' | 'attribute';
  /** As the user wrote it: `res=abc`, `foo` (an unknown name), `attribute mode="sleep"`. */
  param: string;
  /** E.g. `resolution must be a whole number from 0 to 1024`, `unknown parameter`. */
  reason: string;
}

/** Long values are cut so a pasted blob in a link cannot flood the notice. */
function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function rejectedUrlParam(key: string, raw: string | null, reason: string): RejectedParam {
  return { source: 'url', param: raw === null ? clip(key) : `${clip(key)}=${clip(raw)}`, reason };
}

export function rejectedAttribute(name: string, raw: string, reason: string): RejectedParam {
  return { source: 'attribute', param: `attribute ${name}="${clip(raw)}"`, reason };
}

/**
 * Every rejected value in one sentence, for one toast: `Ignored 2 URL parameters: res=abc (resolution must be a
 * whole number from 0 to 1024), foo (unknown parameter)`. Null when nothing was rejected.
 */
export function rejectionNotice(rejected: readonly RejectedParam[]): string | null {
  if (rejected.length === 0) return null;
  const n = rejected.length;
  const sources = new Set(rejected.map((r) => r.source));
  const noun = sources.size > 1 ? 'parameter' : sources.has('url') ? 'URL parameter' : 'attribute';
  return `Ignored ${n} ${noun}${n === 1 ? '' : 's'}: ${rejected.map((r) => `${r.param} (${r.reason})`).join(', ')}`;
}

/** The schema node that checks `path` (through defaults, objects and arrays), to word a failure from its bounds. */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let node: z.ZodType | undefined = unwrapped(schema);
  for (const key of path) {
    if (node instanceof z.ZodObject) node = (node.shape as Record<string, z.ZodType>)[String(key)];
    else if (node instanceof z.ZodArray) node = node.element as z.ZodType;
    else return undefined;
    if (node) node = unwrapped(node);
  }
  return node;
}

/** A failed check in plain words: "must be a whole number from 0 to 1024", "must be one of dream, style, webcam". */
function plainReason(issue: z.core.$ZodIssue): string {
  // Cross-field rules (a channel beyond the chosen layer's) already say what is wrong in their own words.
  if (issue.code === 'custom') return issue.message;
  const node = schemaAt(settingsSchema, issue.path);
  if (node instanceof z.ZodNumber && node.minValue !== null && node.maxValue !== null) {
    return `must be ${node.isInt ? 'a whole number' : 'a number'} from ${node.minValue} to ${node.maxValue}`;
  }
  if (node instanceof z.ZodEnum) return `must be one of ${node.options.join(', ')}`;
  if (node instanceof z.ZodBoolean) return 'must be true or false';
  return issue.message;
}

/** Why a `threads` value was refused. */
export const THREADS_RULE = `must be a whole number from 1 to ${WASM_THREADS_MAX}`;

/** A `threads` value (URL or attribute) as a thread count; null when it is not one. */
export function threadsChoice(raw: string): number | null {
  if (!/^\d+$/.test(raw.trim())) return null;
  const n = Number(raw);
  return n >= 1 && n <= WASM_THREADS_MAX ? n : null;
}

/** What a query string holds: the look, the page options, and every value that was ignored. */
export interface QueryLook {
  settings: Settings;
  options: PageOptions;
  rejected: RejectedParam[];
  /** `rejected` as one sentence (see rejectionNotice); null when nothing was rejected. */
  notice: string | null;
}

/**
 * Reads a look from the query string, on top of `base` (the defaults, or a preset's settings). Each value is
 * checked on its own: an unknown name or an out-of-range value is dropped and listed in `rejected`, everything
 * valid still applies, so a bad link never breaks the page. `preset` is passed through in `options` unchecked:
 * the caller knows the presets (see page-look.ts, which layers preset, URL and attributes).
 */
export function parseQuery(query: string, base: Settings = DEFAULT_SETTINGS): QueryLook {
  const params = new URLSearchParams(query);
  const rejected: RejectedParam[] = [];
  const options: PageOptions = { backend: 'auto', kiosk: false };
  let settings = base;
  for (const [key, raw] of params) {
    if (key === 'backend') {
      if ((BACKENDS as readonly string[]).includes(raw)) options.backend = raw as BackendChoice;
      else rejected.push(rejectedUrlParam(key, raw, `must be one of ${BACKENDS.join(', ')}`));
      continue;
    }
    if (key === 'threads') {
      const n = threadsChoice(raw);
      if (n !== null) options.threads = n;
      else rejected.push(rejectedUrlParam(key, raw, THREADS_RULE));
      continue;
    }
    if (key === 'preset') {
      options.preset = raw;
      continue;
    }
    if (key === 'kiosk') {
      options.kiosk = raw !== '0' && raw !== 'false';
      continue;
    }
    if (key === 'content' || key === 'style' || key === 'style2') {
      const sample = findSample(raw);
      if (sample) options[key] = raw;
      else rejected.push(rejectedUrlParam(key, raw, `sample "${clip(raw)}" does not exist`));
      continue;
    }
    const path = (ALIASES[key] ?? key).split('.');
    const like = getPath(settings, path);
    if (like === undefined || (typeof like === 'object' && !Array.isArray(like))) {
      rejected.push(rejectedUrlParam(key, null, 'unknown parameter'));
      continue;
    }
    const candidate = setPath(settings as unknown as Record<string, unknown>, path, coerce(raw, like, path));
    const r = settingsSchema.safeParse(candidate);
    if (r.success) {
      settings = r.data;
      continue;
    }
    const issue = r.error.issues[0];
    if (!issue) {
      rejected.push(rejectedUrlParam(key, raw, 'invalid value'));
      continue;
    }
    // Name the setting when the link used a short alias or the failure is in another field ("resolution must…").
    const name = issue.path.join('.');
    const reason = plainReason(issue);
    rejected.push(rejectedUrlParam(key, raw, name && name !== key ? `${name} ${reason}` : reason));
  }
  return { settings, options, rejected, notice: rejectionNotice(rejected) };
}

function flatten(obj: unknown, prefix: string[] = [], out: [string, unknown][] = []): [string, unknown][] {
  if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) flatten(v, [...prefix, k], out);
  } else out.push([prefix.join('.'), obj]);
  return out;
}

/** The settings as a query string holding only what differs from the defaults: short, shareable links. */
export function toQuery(settings: Settings, options: Partial<PageOptions> = {}, base: Settings = DEFAULT_SETTINGS): string {
  const params = new URLSearchParams();
  const defaults = new Map(flatten(base));
  const short = new Map(Object.entries(ALIASES).map(([a, p]) => [p, a]));
  for (const [path, value] of flatten(settings)) {
    if (JSON.stringify(defaults.get(path)) === JSON.stringify(value)) continue;
    const text =
      Array.isArray(value) && isMappingList(path.split('.')) ? formatMappingList(value as AudioMappingData[])
      : isNumberList(value) ? value.join(',')
      : Array.isArray(value) ? formatLayerList(value as LayerWeight[])
      : String(value);
    params.set(short.get(path) ?? path, text);
  }
  if (options.backend && options.backend !== 'auto') params.set('backend', options.backend);
  if (options.threads) params.set('threads', String(options.threads));
  if (options.kiosk) params.set('kiosk', '');
  if (options.content) params.set('content', options.content);
  if (options.style) params.set('style', options.style);
  if (options.style2) params.set('style2', options.style2);
  return params.toString();
}
