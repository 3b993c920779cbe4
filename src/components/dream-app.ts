import { html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { DEFAULT_SETTINGS, settings as parseSettings, type Mode, type Settings } from '../engine/params/settings';
import type { ControlAction, FromWorker, SourceRole, Stats } from '../workers/protocol';
import { listenForFiles } from './app/file-intake';
import { listenForKeys } from './app/key-scope';
import { LayoutController } from './app/layout-controller';
import { resolvePageLook } from './app/page-look';
import { keepScreenAwake, Playlist } from './app/kiosk';
import { download, lookFromJson, lookToJson } from './app/look-io';
import { nextPreset, PRESETS, type Preset } from './app/presets';
import { downloadSnapshot, settingsFromSnapshot } from './app/snapshot';
import { Webcam } from './app/webcam';
import { appStyles } from './dream-app.styles';
import './dream-stage';
import type { DreamStage } from './dream-stage';
import './ds-controls';
import './ds-help';
import './ds-export';
import type { ExportJob } from './ds-export';
import './ds-recorder';
import './ds-sources';
import './ds-stats';
import './ds-toasts';
import type { DsToasts } from './ds-toasts';
import { DEFAULT_CONTENT, DEFAULT_STYLE, findSample, SAMPLES } from './samples';
import { shortcutFor } from './shortcuts';
import { toQuery, type PageOptions } from './url-state';
import { WorkerClient } from './worker-client';

/**
 * The app shell: reads the look from the URL, starts the worker on the stage, wires controls, sources, overlays
 * and shortcuts to the protocol, and keeps the URL in step with the look. It opens dreaming with no clicks.
 */
@customElement('dream-app')
export class DreamApp extends LitElement {
  /** Installation mode: controls and cursor hidden, playlist, wake lock. Also set by ?kiosk. */
  @property({ type: Boolean, reflect: true }) kiosk = false;
  /** Read the look from the page URL and keep the URL in step (off for an element embedded in another page). */
  @property({ type: Boolean, attribute: 'url-state' }) urlState = true;
  /** Attribute configuration for embedding: mode, a preset id, a picture URL, the backend, the panel. */
  @property() mode = '';
  @property({ attribute: 'preset' }) presetAttr = '';
  @property() src = '';
  @property() backend = '';
  @property({ type: Boolean, reflect: true }) controls = true;
  /** Minutes per playlist entry in kiosk mode. */
  @property({ type: Number, attribute: 'playlist-minutes' }) playlistMinutes = 10;
  /** Comma-separated preset ids for the kiosk playlist (default: every preset but the webcam's). */
  @property() playlist = '';

  @state() private settings: Settings = DEFAULT_SETTINGS;
  @state() private stats: Stats | null = null;
  @state() private backendNote = 'starting…';
  @state() private helpOpen = false;
  @state() private controlsOpen = true;
  @state() private webcamOn = false;
  @state() private contentSample = DEFAULT_CONTENT;
  @state() private styleSample = DEFAULT_STYLE;
  @state() private preset: string | null = null;
  /** What the user asked for: shown at once, then confirmed by the worker (a paused worker sends no frames). */
  @state() private paused = false;
  /** The user's own pictures (by file name) when they replace the samples: no thumbnail is theirs, no link carries them. */
  @state() private ownContent: string | null = null;
  @state() private ownStyle: string | null = null;
  /** Before the first frame: what the worker is doing, and since when. */
  @state() private phase = 'starting the worker…';
  private startedAt = Date.now();
  /** Controls sent and not yet answered: until they are, the worker's answer describes an older press. */
  private unanswered = 0;
  /** The picture mode to return to when the webcam stops. */
  private pictureMode: Exclude<Mode, 'webcam'> = 'dream';
  /** The full-page app owns the window's keys; an embedded element only the keys pressed while it has focus. */
  protected keyScope: 'window' | 'element' = 'window';
  private readonly layout = new LayoutController(this, (narrow) => {
    // On a phone the stage comes first: the controls wait behind their button.
    this.controlsOpen = !narrow;
  });

  @state() private canvas: HTMLCanvasElement | null = null;
  @state() private exportProgress: { frame: number; frames: number } | null = null;
  @state() private exports: { url: string; name: string }[] = [];
  private exportId = 0;
  @query('dream-stage') private stage!: DreamStage;
  @query('ds-toasts') private toasts!: DsToasts;

  client: WorkerClient | null = null;
  private options: PageOptions = { backend: 'auto', kiosk: false };
  private webcam = new Webcam((frame) => this.client?.post({ type: 'camera-frame', image: frame }));
  private snapshotId = 0;
  /** The last snapshot made, kept so an error never loses it. */
  lastSnapshot: Blob | null = null;
  /** Recent stats and errors, bounded: what the overlays showed, readable by tests and the soak script. */
  readonly statsLog: Stats[] = [];
  readonly errorLog: string[] = [];
  /** Camera frames the worker has taken. */
  cameraFrames = 0;

  static override styles = appStyles;


  override connectedCallback(): void {
    super.connectedCallback();
    const look = resolvePageLook({
      query: this.urlState ? location.search : '',
      attrs: { mode: this.mode, preset: this.presetAttr, src: this.src, backend: this.backend },
      presets: PRESETS,
    });
    this.settings = look.settings;
    this.options = look.options;
    this.kiosk ||= look.options.kiosk;
    this.preset = look.preset;
    this.contentSample = look.content;
    this.styleSample = look.style;
    if (look.settings.mode !== 'webcam') this.pictureMode = look.settings.mode;
    this.pendingNotices = look.notice ? [look.notice] : [];
    this.stopKeys = listenForKeys(this, this.keyScope, this.onKey);
    this.stopFiles = listenForFiles((file, name) => void this.loadFile(file, 'content', name), this.keyScope === 'window' ? window : this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopKeys?.();
    this.stopFiles?.();
    this.webcam.stop();
    this.client?.dispose();
    this.stopKiosk?.();
  }

  private stopKiosk: (() => void) | null = null;
  private stopFiles: (() => void) | null = null;
  private stopKeys: (() => void) | null = null;

  /** Installation mode: playlist, wake lock, fullscreen at the first touch or key (browsers require one). */
  private startKiosk(): void {
    const ids = this.playlist.split(',').map((x) => x.trim()).filter(Boolean);
    const list = ids.length ? PRESETS.filter((p) => ids.includes(p.id)) : PRESETS.filter((p) => p.settings.mode !== 'webcam');
    const playlist = new Playlist(list, Math.max(0.1, this.playlistMinutes), (p) => this.applyPreset(p, false));
    if (!this.preset) playlist.start();
    const release = keepScreenAwake((m) => this.toasts.show(m, 'info'));
    const goFullscreen = () => {
      if (!document.fullscreenElement) void this.stage.toggleFullscreen();
    };
    window.addEventListener('pointerdown', goFullscreen, { once: true });
    window.addEventListener('keydown', goFullscreen, { once: true });
    this.stopKiosk = () => {
      playlist.stop();
      release();
    };
  }

  private pendingNotices: string[] = [];

  override firstUpdated(): void {
    for (const n of this.pendingNotices) this.toasts.show(n, 'info');
    this.client = new WorkerClient(
      {
        backend: this.options.backend,
        canvas: () => (this.canvas = this.stage.freshCanvas()),
        onMessage: (m) => this.onWorker(m),
        onRestart: (reason) => {
          this.unanswered = 0;
          pushBounded(this.errorLog, reason);
          this.toasts.show(reason, 'error');
        },
      },
      this.settings,
    );
    this.client.start();
    if (this.src) void this.loadUrl(this.src);
    else void this.loadSample('content', this.contentSample);
    void this.loadSample('style', this.styleSample);
    if (this.settings.mode === 'webcam') void this.setWebcam(true);
    if (this.kiosk) this.startKiosk();
  }

  /** A picture by URL (the `src` attribute): fetched by the page, decoded off the main thread. */
  private async loadUrl(url: string): Promise<void> {
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await this.client?.sendBlob('content', await res.blob(), url);
      this.ownContent = url;
    } catch (e) {
      this.toasts.show(`${url}: ${(e as Error).message}; dreaming on a sample instead`, 'error');
      void this.loadSample('content', this.contentSample);
    }
  }

  private emit<T>(name: string, detail: T): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  private onWorker(m: FromWorker): void {
    switch (m.type) {
      case 'ready':
        this.backendNote = `${m.backend} — ${m.reason}`;
        this.emit('dream-ready', { backend: m.backend, reason: m.reason, adapter: m.adapter });
        break;
      case 'stats':
        this.stats = m.stats;
        pushBounded(this.statsLog, m.stats);
        this.emit('dream-stats', m.stats);
        break;
      case 'error':
        if (m.cause === 'engine') this.exportProgress = null;
        pushBounded(this.errorLog, m.message);
        this.emit('dream-error', { message: m.message, cause: m.cause });
        this.toasts.show(m.message, 'error');
        if (m.cause === 'backend') this.backendNote = m.message;
        break;
      case 'notice':
        this.toasts.show(m.message, 'info');
        break;
      case 'progress':
        this.phase = m.message;
        break;
      case 'control-done':
        this.unanswered = Math.max(0, this.unanswered - 1);
        if (this.unanswered === 0) this.paused = m.paused;
        break;
      case 'snapshot':
        this.lastSnapshot = downloadSnapshot(m.png, this.settings);
        this.toasts.show(`snapshot saved (${m.width}×${m.height})`, 'info');
        break;
      case 'camera-ack':
        this.cameraFrames += 1;
        this.webcam.ack();
        break;
      case 'checkpoint':
      case 'alive':
        break;
      case 'export-progress':
        this.exportProgress = { frame: m.frame, frames: m.frames };
        break;
      case 'export-done': {
        this.exportProgress = null;
        const url = URL.createObjectURL(new Blob([m.video], { type: m.mime }));
        this.exports = [...this.exports, { url, name: m.name }];
        this.toasts.show(`video ready: ${m.name}`, 'info');
        break;
      }
    }
  }

  private applySettings(next: Settings): void {
    const wasWebcam = this.settings.mode === 'webcam';
    if (next.mode === 'webcam' && !wasWebcam) this.pictureMode = this.settings.mode as Exclude<Mode, 'webcam'>;
    this.settings = next;
    this.client?.post({ type: 'settings', settings: next });
    if (this.urlState) this.syncUrl();
    if (next.mode === 'webcam' && !wasWebcam) void this.setWebcam(true);
    if (next.mode !== 'webcam' && wasWebcam) void this.setWebcam(false);
  }

  /** The current look and sources as a query string: the URL kept in step, and the shared link. */
  private lookQuery(): string {
    // The user's own pictures cannot travel in a URL: the link names no sample rather than a wrong one.
    const content = this.ownContent === null ? this.contentSample : undefined;
    const style = this.ownStyle === null ? this.styleSample : undefined;
    return toQuery(this.settings, { ...this.options, content, style });
  }

  private syncUrl(): void {
    history.replaceState(null, '', `?${this.lookQuery()}`);
  }

  private async setWebcam(on: boolean): Promise<void> {
    if (!on) {
      this.webcam.stop();
      this.webcamOn = false;
      // Stopping the camera leaves webcam mode for the picture chosen before it.
      if (this.settings.mode === 'webcam') this.applySettings({ ...this.settings, mode: this.pictureMode });
      return;
    }
    try {
      await this.webcam.start();
      this.webcamOn = true;
      if (this.settings.mode !== 'webcam') this.applySettings({ ...this.settings, mode: 'webcam' });
    } catch (e) {
      this.webcamOn = false;
      this.toasts.show((e as Error).message, 'error');
      if (this.settings.mode === 'webcam') this.applySettings({ ...this.settings, mode: this.pictureMode });
    }
  }

  private async loadSample(role: SourceRole, id: string, attempt = 1): Promise<void> {
    const sample = findSample(id);
    if (!sample) return;
    try {
      const res = await fetch(sample.url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await this.client?.sendBlob(role, await res.blob(), sample.name);
      if (role === 'content') {
        this.contentSample = id;
        this.ownContent = null;
      } else if (role === 'style') {
        this.styleSample = id;
        this.ownStyle = null;
      }
      if (this.urlState) this.syncUrl();
    } catch (e) {
      this.toasts.show(`sample "${sample.name}" could not be loaded: ${(e as Error).message}`, 'error');
      // Unattended, a failed source must not leave a blank wall: try the next sample of the same role.
      const same = SAMPLES.filter((x) => x.role === sample.role);
      const next = same[(same.indexOf(sample) + 1) % same.length]!;
      if (this.kiosk && next.id !== id && attempt < same.length) void this.loadSample(role, next.id, attempt + 1);
    }
  }

  /** Any user image: a snapshot restores its look; anything else becomes the source for `role`. */
  async loadFile(file: Blob, role: SourceRole = 'content', name = 'your image'): Promise<void> {
    try {
      if (role === 'guide' && this.settings.dream.guideWeight === 0) {
        this.applySettings({ ...this.settings, dream: { ...this.settings.dream, guideWeight: 1 } });
      }
      const restored = await settingsFromSnapshot(file);
      if (restored) {
        this.applySettings(restored);
        this.toasts.show('look restored from the snapshot', 'info');
      }
      await this.client?.sendBlob(role, file, name);
      // A snapshot restores a look but its picture is the user's all the same.
      if (role === 'content') this.ownContent = name;
      else if (role === 'style') this.ownStyle = name;
      if (this.urlState) this.syncUrl();
    } catch (e) {
      this.toasts.show(`${name}: ${(e as Error).message}`, 'error');
    }
  }

  private applyPreset(p: Preset, announce = true): void {
    this.preset = p.id;
    this.applySettings(parseSettings(p.settings));
    if (p.content) void this.loadSample('content', p.content);
    if (p.style) void this.loadSample('style', p.style);
    if (announce) this.toasts.show(`preset: ${p.name}`, 'info', 2500);
  }

  private exportLook(): void {
    download(new Blob([lookToJson(this.settings, this.contentSample, this.styleSample)], { type: 'application/json' }), 'dreamstream-look.json');
  }

  private async importLook(file: File): Promise<void> {
    try {
      const look = lookFromJson(await file.text());
      this.applySettings(look.settings);
      if (look.content && findSample(look.content)) void this.loadSample('content', look.content);
      if (look.style && findSample(look.style)) void this.loadSample('style', look.style);
      this.toasts.show('look imported', 'info');
    } catch (e) {
      this.toasts.show(`${file.name}: ${(e as Error).message}`, 'error');
    }
  }

  private async copyLink(): Promise<void> {
    const url = `${location.origin}${location.pathname}?${this.lookQuery()}`;
    const own = [this.ownContent, this.ownStyle].filter((x): x is string => x !== null);
    const caveat = own.length
      ? ` It does not contain your picture${own.length > 1 ? 's' : ''} (${own.join(', ')}): a picture cannot travel in a link, so it opens on a sample picture. A snapshot (S) carries the picture and the look.`
      : '';
    try {
      await navigator.clipboard.writeText(url);
      this.toasts.show(`Link copied.${caveat}`, 'info', caveat ? 12000 : 2500);
    } catch {
      this.toasts.show(`${url}${caveat}`, 'info', 15000);
    }
  }

  /** A control as the user pressed it: the UI follows the press at once, the worker confirms. */
  private control(action: ControlAction): void {
    if (action === 'pause' || action === 'step') this.paused = true;
    else if (action === 'resume') this.paused = false;
    this.unanswered += 1;
    this.client?.post({ type: 'control', action });
  }

  snapshot(): void {
    this.client?.post({ type: 'snapshot', id: ++this.snapshotId });
  }

  private onKey = (e: KeyboardEvent, reachedByKeyboard: boolean): void => {
    const action = shortcutFor({
      key: e.key,
      ctrlKey: e.ctrlKey,
      metaKey: e.metaKey,
      altKey: e.altKey,
      repeat: e.repeat,
      isComposing: e.isComposing,
      target: e.composedPath()[0],
      focusVisible: reachedByKeyboard,
    });
    if (!action) return;
    e.preventDefault();
    switch (action) {
      case 'pause':
        this.control(this.paused ? 'resume' : 'pause');
        break;
      case 'fullscreen':
        void this.stage.toggleFullscreen();
        break;
      case 'snapshot':
        this.snapshot();
        break;
      case 'reset':
        this.control('reset');
        break;
      case 'next-preset':
        this.applyPreset(nextPreset(this.preset));
        break;
      case 'step':
        this.control('step');
        break;
      case 'help':
        this.helpOpen = !this.helpOpen;
        break;
      case 'controls':
        this.controlsOpen = !this.controlsOpen;
        break;
      case 'close':
        this.helpOpen = false;
        break;
    }
  };

  private onSource(e: CustomEvent<{ role: SourceRole; name: string; url?: string; file?: File }>): void {
    const d = e.detail;
    if (d.file) void this.loadFile(d.file, d.role, d.name);
    else if (d.url) {
      const sample = SAMPLES.find((s) => s.url === d.url);
      if (sample) void this.loadSample(d.role, sample.id);
    }
  }

  override render() {
    const panel = this.controls && !this.kiosk;
    return html`<div class=${this.controlsOpen && panel ? 'shell sheet-open' : 'shell'}>
      <dream-stage>
        <div class="overlay">
          <ds-stats .stats=${this.stats} .paused=${this.paused} .phase=${this.phase} .since=${this.startedAt}></ds-stats>
          <div class="backend-note" data-stat="backend-reason">${this.backendNote}</div>
        </div>
        ${panel
          ? html`<button type="button" class="sheet-toggle" aria-expanded=${this.controlsOpen ? 'true' : 'false'} aria-controls="panel"
              title="Show / hide the controls (c)" @click=${() => (this.controlsOpen = !this.controlsOpen)}>
              ${this.controlsOpen ? 'Hide controls' : 'Controls'}
            </button>`
          : nothing}
        <ds-help .open=${this.helpOpen} @close=${() => (this.helpOpen = false)}></ds-help>
        <ds-toasts></ds-toasts>
      </dream-stage>
      <aside id="panel" ?hidden=${!this.controlsOpen || !this.controls} aria-label="controls">
        <div class="presets">
          <label for="preset">Preset</label>
          <select id="preset" name="preset" @change=${(e: Event) => {
            const p = PRESETS.find((x) => x.id === (e.target as HTMLSelectElement).value);
            if (p) this.applyPreset(p);
          }}>
            <option value="" ?selected=${!this.preset}>—</option>
            ${PRESETS.map((p) => html`<option value=${p.id} ?selected=${p.id === this.preset}>${p.name}</option>`)}
          </select>
          <button @click=${() => this.snapshot()} title="Snapshot (s)">Snapshot</button>
          <button @click=${() => void this.stage.toggleFullscreen()} title="Fullscreen (f)">Fullscreen</button>
          <button @click=${() => (this.helpOpen = true)} title="Help (h)">?</button>
        </div>
        <ds-recorder .canvas=${this.canvas}></ds-recorder>
        <ds-export
          .progress=${this.exportProgress}
          .results=${this.exports}
          @export-request=${(e: CustomEvent<ExportJob>) => {
            this.exportProgress = { frame: 0, frames: e.detail.frames };
            this.client?.post({ type: 'export-zoom', id: ++this.exportId, ...e.detail });
          }}
          @export-cancel=${() => this.client?.post({ type: 'export-cancel', id: this.exportId })}
        ></ds-export>
        <div class="presets">
          <button @click=${() => void this.copyLink()} title="Copy a link to this look">Copy link</button>
          <button @click=${() => this.exportLook()} title="Download this look as JSON">Export</button>
          <label class="import">Import<input type="file" accept="application/json,.json" name="import-look" @change=${(e: Event) => {
            const input = e.target as HTMLInputElement;
            const f = input.files?.[0];
            if (f) void this.importLook(f);
            input.value = '';
          }} /></label>
        </div>
        <ds-sources
          .samples=${SAMPLES}
          .activeContent=${this.settings.mode === 'webcam' || this.ownContent !== null ? '' : this.contentSample}
          .activeStyle=${this.ownStyle !== null ? '' : this.styleSample}
          .webcamOn=${this.webcamOn}
          .mode=${this.settings.mode}
          @source-selected=${this.onSource}
          @webcam-toggle=${(e: CustomEvent<boolean>) => void this.setWebcam(e.detail)}
        ></ds-sources>
        <ds-controls
          .settings=${this.settings}
          .paused=${this.paused}
          @settings-change=${(e: CustomEvent<Settings>) => this.applySettings(e.detail)}
          @control=${(e: CustomEvent<ControlAction>) => this.control(e.detail)}
        ></ds-controls>
      </aside>
    </div>`;
  }
}

function pushBounded<T>(list: T[], item: T, max = 500): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

/**
 * The embeddable visualizer: the same app, configured by attributes only (it never reads or rewrites the host
 * page's URL), e.g. <dream-stream mode="dream" preset="spiral" src="photo.jpg" kiosk>. Events: dream-ready,
 * dream-stats, dream-error.
 */
@customElement('dream-stream')
export class DreamStream extends DreamApp {
  constructor() {
    super();
    this.urlState = false;
    this.controls = false;
    this.keyScope = 'element';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'dream-app': DreamApp;
    'dream-stream': DreamStream;
  }
}
