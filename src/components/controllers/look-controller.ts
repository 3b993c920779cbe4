import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Look } from '../../engine/params/look';
import { DEFAULT_SETTINGS, settings as parseSettings, type Settings } from '../../engine/params/settings';
import { findSample } from '../look/samples';
import { toQuery, type PageOptions } from '../look/url-state';
import { downloadLook, readLookFile } from '../look/look-io';
import type { Notify } from './notify';
import { resolvePageLook, type PageAttrs, type PageLook } from '../look/page-look';
import { nextPreset, PRESETS, type Preset } from '../look/presets';
import type { SampleChoice } from './sources-controller';

export interface LookPorts {
  /** The page's configuration: whether it reads and keeps its URL, and its attributes. */
  urlState: () => boolean;
  attrs: () => PageAttrs;
  /** Every change of settings, after it is made (the worker and the camera follow). */
  settingsChanged: (prev: Settings, next: Settings) => void;
  /** The samples in use (none for a role the user's own picture holds), and the own pictures by name. */
  samples: () => SampleChoice;
  ownPictures: () => string[];
  loadSample: (role: 'content' | 'style' | 'style2', id: string) => void;
  /** The painted mask as a look carries it (none painted: undefined), and a look's mask put back. */
  mask: () => string | undefined;
  restoreMask: (mask: string | undefined) => void;
  notify: Notify;
}

/**
 * The look: settings and the preset they came from. It starts from the URL, attributes and presets
 * (resolvePageLook), keeps the URL in step, and goes out and comes back as a JSON file or a link. Snapshots
 * embed `current()`; a dropped snapshot comes back through the sources (it is a picture too).
 */
/**
 * The least time between two writes of the URL. A knob or a held key edits many times a second, and browsers drop
 * history writes beyond a budget (Chrome: 200 in 10 s), which could leave the URL behind the last edit for good.
 */
const URL_GAP_MS = 100;

export class LookController implements ReactiveController {
  settings: Settings = DEFAULT_SETTINGS;
  preset: string | null = null;
  /** What the page started with (sources, kiosk, the notice about ignored values). */
  initial: PageLook | null = null;
  private options: PageOptions = { backend: 'auto', kiosk: false };
  private urlWritten = -Infinity;
  private urlTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly ports: LookPorts,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const look = resolvePageLook({ query: this.ports.urlState() ? location.search : '', attrs: this.ports.attrs(), presets: PRESETS });
    this.initial = look;
    this.settings = look.settings;
    this.options = look.options;
    this.preset = look.preset;
    if (look.notice) this.ports.notify(look.notice, 'info');
  }

  get backend(): PageOptions['backend'] {
    return this.options.backend;
  }

  get threads(): PageOptions['threads'] {
    return this.options.threads;
  }

  /** The look now, as a snapshot or a look file carries it. */
  current(): Look {
    const mask = this.ports.mask();
    return { settings: this.settings, ...definedOnly(this.ports.samples()), ...(mask ? { mask } : {}) };
  }

  apply(next: Settings): void {
    const prev = this.settings;
    this.settings = next;
    this.host.requestUpdate();
    this.ports.settingsChanged(prev, next);
    this.syncUrl();
  }

  applyPreset(p: Preset, announce = true): void {
    this.preset = p.id;
    const next = parseSettings(p.settings);
    // The sound's mappings belong to the room more than to a look: a preset that maps no sound of its own keeps
    // them, so a kiosk playlist (or a person trying presets) goes on dancing to the music.
    if (p.settings.audio === undefined) next.audio = this.settings.audio;
    this.apply(next);
    if (p.content) this.ports.loadSample('content', p.content);
    if (p.style) this.ports.loadSample('style', p.style);
    if (p.style2) this.ports.loadSample('style2', p.style2);
    if (announce) this.ports.notify(`preset: ${p.name}`, 'info', 2500);
  }

  applyPresetId(id: string): void {
    const p = PRESETS.find((x) => x.id === id);
    if (p) this.applyPreset(p);
  }

  nextPreset(): void {
    this.applyPreset(nextPreset(this.preset));
  }

  /** The URL kept in step with the look and the sources (for a page that owns its URL). */
  /** At once, or in a burst of edits once the gap has passed (with the look as it is then: the last edit wins). */
  syncUrl(): void {
    if (!this.ports.urlState() || this.urlTimer !== null) return;
    const wait = this.urlWritten + URL_GAP_MS - performance.now();
    if (wait <= 0) this.writeUrl();
    else this.urlTimer = setTimeout(() => this.writeUrl(), wait);
  }

  hostDisconnected(): void {
    if (this.urlTimer === null) return;
    clearTimeout(this.urlTimer);
    this.writeUrl();
  }

  private writeUrl(): void {
    this.urlTimer = null;
    this.urlWritten = performance.now();
    if (this.ports.urlState()) history.replaceState(null, '', `?${this.query()}`);
  }

  exportFile(): void {
    downloadLook(this.current());
  }

  async importFile(file: File): Promise<void> {
    try {
      const look = await readLookFile(file);
      this.apply(look.settings);
      if (look.content && findSample(look.content)) this.ports.loadSample('content', look.content);
      if (look.style && findSample(look.style)) this.ports.loadSample('style', look.style);
      if (look.style2 && findSample(look.style2)) this.ports.loadSample('style2', look.style2);
      this.ports.restoreMask(look.mask);
      this.ports.notify('look imported', 'info');
    } catch (e) {
      this.ports.notify(`${file.name}: ${(e as Error).message}`, 'error');
    }
  }

  async copyLink(): Promise<void> {
    const url = `${location.origin}${location.pathname}?${this.query()}`;
    const own = this.ports.ownPictures();
    const caveat = own.length
      ? ` It does not contain your picture${own.length > 1 ? 's' : ''} (${own.join(', ')}): a picture cannot travel in a link, so it opens on a sample picture. A snapshot (S) carries the picture and the look.`
      : '';
    try {
      await navigator.clipboard.writeText(url);
      this.ports.notify(`Link copied.${caveat}`, 'info', caveat ? 12000 : 2500);
    } catch {
      this.ports.notify(`${url}${caveat}`, 'info', 15000);
    }
  }

  /** The look and sources as a query string. The user's own pictures cannot travel in a URL: it names no sample rather than a wrong one. */
  private query(): string {
    return toQuery(this.settings, { ...this.options, ...this.ports.samples() });
  }
}

function definedOnly(choice: SampleChoice): SampleChoice {
  const out: SampleChoice = {};
  if (choice.content !== undefined) out.content = choice.content;
  if (choice.style !== undefined) out.style = choice.style;
  if (choice.style2 !== undefined) out.style2 = choice.style2;
  return out;
}
