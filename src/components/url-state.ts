import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../engine/params/settings';
import { BACKENDS, type BackendChoice } from '../workers/protocol';
import { findSample } from './samples';

/** Page options that are not part of a look. */
export interface PageOptions {
  backend: BackendChoice;
  kiosk: boolean;
  /** A preset id to start from (validated by the app, which knows the presets). */
  preset?: string;
  content?: string;
  style?: string;
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

/** "mixed3:1,mixed5:0.5" ↔ [{name, weight}]. */
function parseLayers(text: string): { name: string; weight: number }[] {
  return text.split(',').filter(Boolean).map((part) => {
    const [name, w] = part.split(':');
    return { name: name ?? '', weight: w === undefined ? 1 : Number(w) };
  });
}

function coerce(raw: string, like: unknown): unknown {
  if (typeof like === 'number') return raw.trim() === '' ? Number.NaN : Number(raw);
  if (typeof like === 'boolean') return raw === '' || raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : raw;
  if (Array.isArray(like)) return parseLayers(raw);
  return raw;
}

/**
 * Reads a look from the query string. Each value is checked on its own: an unknown name or an out-of-range
 * value is dropped with a notice, and everything valid still applies, so a bad link never breaks the page.
 */
export function fromQuery(query: string, base: Settings = DEFAULT_SETTINGS): { settings: Settings; options: PageOptions; notices: string[] } {
  const params = new URLSearchParams(query);
  const notices: string[] = [];
  const options: PageOptions = { backend: 'auto', kiosk: false };
  let settings = base;
  for (const [key, raw] of params) {
    if (key === 'backend') {
      if ((BACKENDS as readonly string[]).includes(raw)) options.backend = raw as BackendChoice;
      else notices.push(`backend "${raw}" is not one of ${BACKENDS.join(', ')}: ignored`);
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
    if (key === 'content' || key === 'style') {
      const sample = findSample(raw);
      if (sample) options[key] = raw;
      else notices.push(`${key} sample "${raw}" does not exist: ignored`);
      continue;
    }
    const path = (ALIASES[key] ?? key).split('.');
    const like = getPath(settings, path);
    if (like === undefined || (typeof like === 'object' && !Array.isArray(like))) {
      notices.push(`unknown URL parameter "${key}": ignored`);
      continue;
    }
    const candidate = setPath(settings as unknown as Record<string, unknown>, path, coerce(raw, like));
    const r = settingsSchema.safeParse(candidate);
    if (r.success) settings = r.data;
    else notices.push(`URL parameter ${key}=${raw} ignored: ${r.error.issues[0]?.message ?? 'invalid'}`);
  }
  return { settings, options, notices };
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
    const text = Array.isArray(value) ? (value as { name: string; weight: number }[]).map((l) => `${l.name}:${l.weight}`).join(',') : String(value);
    params.set(short.get(path) ?? path, text);
  }
  if (options.backend && options.backend !== 'auto') params.set('backend', options.backend);
  if (options.kiosk) params.set('kiosk', '');
  if (options.content) params.set('content', options.content);
  if (options.style) params.set('style', options.style);
  return params.toString();
}
