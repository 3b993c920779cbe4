import { css, html, LitElement } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { DEFAULT_SETTINGS, settings as parseSettings, type Settings } from '../engine/params/settings';
import type { FromWorker, SourceRole, Stats } from '../workers/protocol';
import { nextPreset, PRESETS, type Preset } from './app/presets';
import { downloadSnapshot, settingsFromSnapshot } from './app/snapshot';
import { Webcam } from './app/webcam';
import './dream-stage';
import type { DreamStage } from './dream-stage';
import './ds-controls';
import './ds-help';
import './ds-sources';
import './ds-stats';
import './ds-toasts';
import type { DsToasts } from './ds-toasts';
import { DEFAULT_CONTENT, DEFAULT_STYLE, findSample, SAMPLES } from './samples';
import { shortcutFor } from './shortcuts';
import { fromQuery, toQuery, type PageOptions } from './url-state';
import { WorkerClient } from './worker-client';

/**
 * The app shell: reads the look from the URL, starts the worker on the stage, wires controls, sources, overlays
 * and shortcuts to the protocol, and keeps the URL in step with the look. It opens dreaming with no clicks.
 */
@customElement('dream-app')
export class DreamApp extends LitElement {
  /** Installation mode: controls and cursor hidden. Also set by ?kiosk. */
  @property({ type: Boolean, reflect: true }) kiosk = false;

  @state() private settings: Settings = DEFAULT_SETTINGS;
  @state() private stats: Stats | null = null;
  @state() private backendNote = 'starting…';
  @state() private helpOpen = false;
  @state() private controlsOpen = true;
  @state() private webcamOn = false;
  @state() private contentSample = DEFAULT_CONTENT;
  @state() private styleSample = DEFAULT_STYLE;
  @state() private preset: string | null = null;

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

  static override styles = css`
    :host {
      display: grid;
      grid-template-columns: 1fr auto;
      height: 100vh;
      background: #000;
      color: #eee;
      font: 13px/1.4 system-ui, sans-serif;
    }
    dream-stage {
      min-width: 0;
      min-height: 0;
    }
    .overlay {
      position: absolute;
      top: 8px;
      left: 8px;
      display: flex;
      flex-direction: column;
      gap: 4px;
      pointer-events: none;
    }
    .backend-note {
      background: rgba(0, 0, 0, 0.55);
      padding: 2px 6px;
      border-radius: 4px;
      font-size: 11px;
      max-width: 40ch;
    }
    aside {
      width: 320px;
      overflow-y: auto;
      background: #141414;
      border-left: 1px solid #2a2a2a;
      padding: 8px;
      box-sizing: border-box;
    }
    aside[hidden] {
      display: none;
    }
    .presets {
      display: flex;
      gap: 6px;
      align-items: center;
      margin: 4px 0 8px;
    }
    select,
    button {
      background: #222;
      color: #eee;
      border: 1px solid #444;
      border-radius: 4px;
      padding: 3px 6px;
    }
    :host([kiosk]) {
      grid-template-columns: 1fr;
      cursor: none;
    }
    :host([kiosk]) aside,
    :host([kiosk]) .overlay {
      display: none;
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    const { settings, options, notices } = fromQuery(location.search);
    this.settings = settings;
    this.options = options;
    this.kiosk ||= options.kiosk;
    if (options.content) this.contentSample = options.content;
    if (options.style) this.styleSample = options.style;
    this.pendingNotices = notices;
    window.addEventListener('keydown', this.onKey);
    window.addEventListener('dragover', this.onDragOver);
    window.addEventListener('drop', this.onDrop);
    window.addEventListener('paste', this.onPaste);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKey);
    window.removeEventListener('dragover', this.onDragOver);
    window.removeEventListener('drop', this.onDrop);
    window.removeEventListener('paste', this.onPaste);
    this.webcam.stop();
    this.client?.dispose();
  }

  private pendingNotices: string[] = [];

  override firstUpdated(): void {
    for (const n of this.pendingNotices) this.toasts.show(n, 'info');
    this.client = new WorkerClient(
      {
        backend: this.options.backend,
        canvas: () => this.stage.freshCanvas(),
        onMessage: (m) => this.onWorker(m),
        onRestart: (reason) => {
          pushBounded(this.errorLog, reason);
          this.toasts.show(reason, 'error');
        },
      },
      this.settings,
    );
    this.client.start();
    void this.loadSample('content', this.contentSample);
    void this.loadSample('style', this.styleSample);
    if (this.settings.mode === 'webcam') void this.setWebcam(true);
  }

  private onWorker(m: FromWorker): void {
    switch (m.type) {
      case 'ready':
        this.backendNote = `${m.backend} — ${m.reason}`;
        break;
      case 'stats':
        this.stats = m.stats;
        pushBounded(this.statsLog, m.stats);
        break;
      case 'error':
        pushBounded(this.errorLog, m.message);
        this.toasts.show(m.message, 'error');
        if (m.cause === 'backend') this.backendNote = m.message;
        break;
      case 'notice':
        this.toasts.show(m.message, 'info');
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
        break;
    }
  }

  private applySettings(next: Settings): void {
    const wasWebcam = this.settings.mode === 'webcam';
    this.settings = next;
    this.client?.post({ type: 'settings', settings: next });
    history.replaceState(null, '', `?${toQuery(next, { ...this.options, content: this.contentSample, style: this.styleSample })}`);
    if (next.mode === 'webcam' && !wasWebcam) void this.setWebcam(true);
    if (next.mode !== 'webcam' && wasWebcam) void this.setWebcam(false);
  }

  private async setWebcam(on: boolean): Promise<void> {
    if (!on) {
      this.webcam.stop();
      this.webcamOn = false;
      return;
    }
    try {
      await this.webcam.start();
      this.webcamOn = true;
      if (this.settings.mode !== 'webcam') this.applySettings({ ...this.settings, mode: 'webcam' });
    } catch (e) {
      this.webcamOn = false;
      this.toasts.show((e as Error).message, 'error');
      if (this.settings.mode === 'webcam') this.applySettings({ ...this.settings, mode: 'dream' });
    }
  }

  private async loadSample(role: SourceRole, id: string): Promise<void> {
    const sample = findSample(id);
    if (!sample) return;
    try {
      const res = await fetch(sample.url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await this.client?.sendBlob(role, await res.blob(), sample.name);
      if (role === 'content') this.contentSample = id;
      else if (role === 'style') this.styleSample = id;
    } catch (e) {
      this.toasts.show(`sample "${sample.name}" could not be loaded: ${(e as Error).message}`, 'error');
    }
  }

  /** Any user image: a snapshot restores its look; anything else becomes the source for `role`. */
  async loadFile(file: Blob, role: SourceRole = this.settings.mode === 'style' ? 'content' : 'content', name = 'your image'): Promise<void> {
    try {
      const restored = await settingsFromSnapshot(file);
      if (restored) {
        this.applySettings(restored);
        this.toasts.show('look restored from the snapshot', 'info');
      }
      await this.client?.sendBlob(role, file, name);
    } catch (e) {
      this.toasts.show(`${name}: ${(e as Error).message}`, 'error');
    }
  }

  private applyPreset(p: Preset): void {
    this.preset = p.id;
    this.applySettings(parseSettings(p.settings));
    if (p.content) void this.loadSample('content', p.content);
    if (p.style) void this.loadSample('style', p.style);
    this.toasts.show(`preset: ${p.name}`, 'info', 2500);
  }

  snapshot(): void {
    this.client?.post({ type: 'snapshot', id: ++this.snapshotId });
  }

  private onKey = (e: KeyboardEvent): void => {
    const action = shortcutFor({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, target: e.composedPath()[0] });
    if (!action) return;
    e.preventDefault();
    switch (action) {
      case 'pause':
        this.client?.post({ type: 'control', action: this.stats?.paused ? 'resume' : 'pause' });
        break;
      case 'fullscreen':
        void this.stage.toggleFullscreen();
        break;
      case 'snapshot':
        this.snapshot();
        break;
      case 'reset':
        this.client?.post({ type: 'control', action: 'reset' });
        break;
      case 'next-preset':
        this.applyPreset(nextPreset(this.preset));
        break;
      case 'step':
        this.client?.post({ type: 'control', action: 'step' });
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

  private onDragOver = (e: DragEvent): void => {
    e.preventDefault();
  };

  private onDrop = (e: DragEvent): void => {
    e.preventDefault();
    const file = e.dataTransfer?.files[0];
    if (file) void this.loadFile(file, 'content', file.name);
  };

  private onPaste = (e: ClipboardEvent): void => {
    const item = [...(e.clipboardData?.items ?? [])].find((i) => i.kind === 'file');
    const file = item?.getAsFile();
    if (file) void this.loadFile(file, 'content', 'pasted image');
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
    return html`
      <dream-stage>
        <div class="overlay">
          <ds-stats .stats=${this.stats}></ds-stats>
          <div class="backend-note" data-stat="backend-reason">${this.backendNote}</div>
        </div>
        <ds-help .open=${this.helpOpen} @close=${() => (this.helpOpen = false)}></ds-help>
        <ds-toasts></ds-toasts>
      </dream-stage>
      <aside ?hidden=${!this.controlsOpen} aria-label="controls">
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
          <button @click=${() => void this.stage.toggleFullscreen()} title="Fullscreen (f)">⛶</button>
          <button @click=${() => (this.helpOpen = true)} title="Help (h)">?</button>
        </div>
        <ds-sources
          .samples=${SAMPLES}
          .activeContent=${this.contentSample}
          .activeStyle=${this.styleSample}
          .webcamOn=${this.webcamOn}
          .mode=${this.settings.mode}
          @source-selected=${this.onSource}
          @webcam-toggle=${(e: CustomEvent<boolean>) => void this.setWebcam(e.detail)}
        ></ds-sources>
        <ds-controls
          .settings=${this.settings}
          .paused=${this.stats?.paused ?? false}
          @settings-change=${(e: CustomEvent<Settings>) => this.applySettings(e.detail)}
          @control=${(e: CustomEvent<'pause' | 'resume' | 'reset' | 'step'>) => this.client?.post({ type: 'control', action: e.detail })}
        ></ds-controls>
      </aside>
    `;
  }
}

function pushBounded<T>(list: T[], item: T, max = 500): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

declare global {
  interface HTMLElementTagNameMap {
    'dream-app': DreamApp;
  }
}
