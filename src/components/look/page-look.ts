import { DEFAULT_SETTINGS, MODES, settings as parseSettings, type Mode, type Settings } from '../../engine/params/settings';
import { BACKENDS, type BackendChoice } from '../../workers/protocol';
import { DEFAULT_CONTENT, DEFAULT_STYLE } from './samples';
import { parseQuery, rejectedAttribute, rejectedUrlParam, rejectionNotice, THREADS_RULE, threadsChoice, type PageOptions, type RejectedParam } from './url-state';
import type { Preset } from './presets';

/** The element's configuration attributes (empty or missing: not set). */
export interface PageAttrs {
  mode?: string;
  preset?: string;
  /** A picture URL. It does not change the look: the app loads it itself, and `content` stays its fallback sample. */
  src?: string;
  backend?: string;
  /** wasm's threads (see PageOptions.threads). */
  threads?: string;
}

export interface PageLookInput {
  /** `location.search` (with or without the `?`), or '' when the page does not read its URL. */
  query: string;
  attrs: PageAttrs;
  presets: readonly Preset[];
}

export interface PageLook {
  settings: Settings;
  /** Backend and wasm threads (attribute over URL), kiosk, the preset applied, and the samples the URL named explicitly. */
  options: PageOptions;
  /** The id of the preset the look started from, null when none. */
  preset: string | null;
  /** Sample ids to load: the URL's, else the preset's, else the defaults. */
  content: string;
  style: string;
  /** A second painting to blend with, when the URL or the preset names one. */
  style2?: string;
  /** Every value that was ignored, URL and attributes together, as one sentence for one toast; null when none. */
  notice: string | null;
}

/**
 * The look a page starts with, in layers: the preset (attribute `preset`, else the URL's `preset=`) or the
 * defaults; then every explicit URL parameter on top, so `?preset=spiral&zoom=1.05` is the spiral at zoom 1.05;
 * then the `mode` attribute. Sources: the URL's `content=`/`style=`, else the preset's, else the defaults. An
 * unknown preset, a bad URL value or a bad attribute is skipped and listed in the single `notice`.
 */
export function resolvePageLook({ query, attrs, presets }: PageLookInput): PageLook {
  const rejected: RejectedParam[] = [];
  const urlPreset = new URLSearchParams(query).getAll('preset').at(-1) ?? '';
  const presetId = attrs.preset || urlPreset;
  const preset = presetId ? presets.find((p) => p.id === presetId) : undefined;
  if (presetId && !preset) {
    const reason = `preset "${presetId}" does not exist; presets are ${presets.map((p) => p.id).join(', ')}`;
    rejected.push(attrs.preset ? rejectedAttribute('preset', presetId, reason) : rejectedUrlParam('preset', presetId, reason));
  }

  const base = preset ? parseSettings(preset.settings) : DEFAULT_SETTINGS;
  const fromUrl = parseQuery(query, base);
  rejected.push(...fromUrl.rejected);
  let settings = fromUrl.settings;

  if (attrs.mode) {
    if ((MODES as readonly string[]).includes(attrs.mode)) settings = { ...settings, mode: attrs.mode as Mode };
    else rejected.push(rejectedAttribute('mode', attrs.mode, `must be one of ${MODES.join(', ')}`));
  }
  let backend = fromUrl.options.backend;
  if (attrs.backend) {
    if ((BACKENDS as readonly string[]).includes(attrs.backend)) backend = attrs.backend as BackendChoice;
    else rejected.push(rejectedAttribute('backend', attrs.backend, `must be one of ${BACKENDS.join(', ')}`));
  }

  let threads = fromUrl.options.threads;
  if (attrs.threads) {
    const n = threadsChoice(attrs.threads);
    if (n !== null) threads = n;
    else rejected.push(rejectedAttribute('threads', attrs.threads, THREADS_RULE));
  }

  const options: PageOptions = { ...fromUrl.options, backend, ...(threads ? { threads } : {}) };
  if (preset) options.preset = preset.id;
  else delete options.preset;
  return {
    settings,
    options,
    preset: preset?.id ?? null,
    content: fromUrl.options.content ?? preset?.content ?? DEFAULT_CONTENT,
    style: fromUrl.options.style ?? preset?.style ?? DEFAULT_STYLE,
    ...((fromUrl.options.style2 ?? preset?.style2) ? { style2: fromUrl.options.style2 ?? preset?.style2 } : {}),
    notice: rejectionNotice(rejected),
  };
}
