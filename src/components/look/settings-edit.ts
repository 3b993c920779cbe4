/**
 * Pure edits of a Settings object, kept apart from <ds-controls> so they can be tested without a DOM.
 * Every edit returns a NEW object that has passed settingsSchema, or an error that names the bad field:
 * the controls never hand the worker something it would reject.
 */
import { DREAM_LAYERS, STYLE_LAYERS } from '../../engine/params/layers';
import { formatIssues } from '../../engine/params/schema';
import { settingsSchema, type Settings } from '../../engine/params/settings';

export type EditResult = { ok: true; settings: Settings } | { ok: false; error: string };

/** The two lists of {name, weight} that the controls edit as sets of checkboxes. */
export type LayerListPath = 'dream.layers' | 'style.styleLayers';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a whole candidate and reports every issue by its settings path, e.g. `dream.channel must be …`. */
export function validate(candidate: unknown): EditResult {
  const r = settingsSchema.safeParse(candidate);
  if (r.success) return { ok: true, settings: r.data };
  return { ok: false, error: formatIssues(r.error.issues, 'settings') };
}

/**
 * Sets the value at a dotted path (`stream.zoom`, `mode`) on a copy and validates the result. Unknown paths are
 * refused rather than silently dropped (zod strips unknown keys, so a typo would otherwise "succeed").
 */
export function applyEdit(settings: Settings, path: string, value: unknown): EditResult {
  const draft: unknown = structuredClone(settings);
  const keys = path.split('.');
  let node: unknown = draft;
  for (const [i, key] of keys.entries()) {
    if (!isRecord(node) || !Object.hasOwn(node, key)) return { ok: false, error: `unknown setting "${path}"` };
    if (i === keys.length - 1) node[key] = value;
    else node = node[key];
  }
  return validate(draft);
}

/**
 * Adds (weight 1) or removes one layer from a layer list. The list is kept in the network's order so that the same
 * selection always serialises the same way (URLs, presets). Removing the last layer fails validation (min 1).
 */
export function toggleLayer(settings: Settings, list: LayerListPath, name: string, on: boolean): EditResult {
  const current = list === 'dream.layers' ? settings.dream.layers : settings.style.styleLayers;
  const order: readonly string[] = list === 'dream.layers' ? DREAM_LAYERS : STYLE_LAYERS;
  const has = current.some((l) => l.name === name);
  if (has === on) return { ok: true, settings };
  const next = on ? [...current, { name, weight: 1 }] : current.filter((l) => l.name !== name);
  const rank = (n: string) => (order.includes(n) ? order.indexOf(n) : order.length);
  next.sort((a, b) => rank(a.name) - rank(b.name));
  return applyEdit(settings, list, next);
}

/** Sets the weight of one chosen layer (a layer not chosen is left alone). */
export function setLayerWeight(settings: Settings, list: LayerListPath, name: string, weight: number): EditResult {
  const current = list === 'dream.layers' ? settings.dream.layers : settings.style.styleLayers;
  if (!current.some((l) => l.name === name)) return { ok: true, settings };
  return applyEdit(settings, list, current.map((l) => (l.name === name ? { name, weight } : l)));
}

/** The share of the second painting, t ∈ [0, 1], as the blend list [1 − t, t] (rounded for links). */
export function setSecondShare(settings: Settings, t: number): EditResult {
  const share = Number(t.toFixed(3));
  return applyEdit(settings, 'style.styleBlend', [Number((1 - share).toFixed(3)), share]);
}

/** The second painting's share of the blend, 0 when there is none. */
export function secondShare(blend: readonly number[]): number {
  const [a = 1, b = 0] = blend;
  return a + b > 0 ? b / (a + b) : 0;
}

/** Form fields hold text; an empty field is "no number", not 0 (which `Number('')` would give). */
export function parseNumber(raw: string): number {
  const t = raw.trim();
  return t === '' ? Number.NaN : Number(t);
}

/**
 * Log-scale sliders for weights that span 0…1e6: the slider holds log10(value) in [minExp, maxExp]; its leftmost
 * position means 0 ("off"), since a zero weight is meaningful and has no logarithm.
 */
export function fromLogSlider(position: number, minExp: number): number {
  if (!Number.isFinite(position) || position <= minExp) return 0;
  // Round to 3 significant digits so the values that reach presets and URLs stay readable.
  return Number((10 ** position).toPrecision(3));
}

export function toLogSlider(value: number, minExp: number, maxExp: number): number {
  if (!(value > 0)) return minExp;
  return Math.min(maxExp, Math.max(minExp, Math.log10(value)));
}

/** Settings come from zod with a fixed key order, so JSON equality is structural equality. */
export function sameSettings(a: Settings, b: Settings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
