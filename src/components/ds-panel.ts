import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { DEFAULT_SETTINGS, type Settings } from '../engine/params/settings';
import { PRESETS } from './look/presets';
import './ds-controls';
import './ds-mask-controls';
import type { MaskTool } from './controllers/mask-controller';
import './ds-export';
import './ds-render-large';
import './ds-recorder';
import './ds-video';
import type { DsVideo } from './ds-video';
import { NO_JOBS, type Jobs } from './jobs/job-state';
import './ds-sources';
import './ds-inspector';
import './panels/audio-panel';
import type { AudioSourceKind } from './media/audio-input';
import { SAMPLES } from './look/samples';
import { buttonStyles } from './button.styles';
import type { InspectionMessage, PickInfo, SnapshotSize } from '../workers/protocol';

/**
 * The panel's own events (detail in the map; all bubble and are composed). Its children's events pass through
 * unchanged: settings-change and control (ds-controls), source-selected and webcam-toggle (ds-sources),
 * job-request and job-cancel (the job panels: ds-video, ds-export, ds-render-large).
 */
export interface PanelEventMap {
  /** A preset id chosen in the menu. */
  'preset-select': string;
  /** A snapshot at the working size (null or 'working') or at the display size. */
  'snapshot-request': SnapshotSize | null;
  /** Show or hide the figures overlay (the O key). */
  'figures-toggle': null;
  'fullscreen-request': null;
  'help-request': null;
  'link-copy': null;
  'look-export': null;
  /** A look file picked for import. */
  'look-import': File;
}

/**
 * The side panel (a bottom sheet on a phone): presets, snapshot, fullscreen and help, the recorder, the zoom
 * export, the look's link and file, the sources and the settings. It shows what it is given and reports what the
 * user did; the app decides what follows.
 */
@customElement('ds-panel')
export class DsPanel extends LitElement {
  @property({ attribute: false }) settings: Settings = DEFAULT_SETTINGS;
  @property({ attribute: false }) preset: string | null = null;
  @property({ type: Boolean }) paused = false;
  /** Whether the figures overlay is shown (the Figures button's pressed state). */
  @property({ type: Boolean }) figures = true;
  @property({ attribute: false }) canvas: HTMLCanvasElement | null = null;
  /** The page's jobs by id: each job panel shows its kind's. */
  @property({ attribute: false }) jobs: Jobs = NO_JOBS;
  /** The thumbnails to mark ('' for none) and whether the camera runs. */
  @property() activeContent = '';
  @property() activeStyle = '';
  @property({ attribute: false }) activeStyle2: string | null = null;
  @property({ type: Boolean }) webcamOn = false;
  /** The mask's brush and whether one is painted (ds-mask-controls: mask-tool and mask-action pass through). */
  @property({ attribute: false }) maskTool: MaskTool = { painting: false, erase: false, size: 24, softness: 0.5 };
  @property({ type: Boolean }) maskPainted = false;
  @property({ type: Boolean }) maskUndoable = false;
  /** What the mode shows beside the picture, and what a click on it found (the lens). */
  @property({ attribute: false }) inspection: InspectionMessage | null = null;
  @property({ attribute: false }) picked: PickInfo | null = null;
  /** The sound (ds-audio: audio-source passes through): its kind, its name, and a file's player. */
  @property() audioSource: AudioSourceKind = 'off';
  @property() audioName = '';
  @property({ attribute: false }) audioPlayer: HTMLAudioElement | null = null;

  @query('ds-video') private videoPanel!: DsVideo | null;

  /** Dreams a video file (one dropped on the stage) with the video panel's settings; false before it is rendered. */
  startVideo(file: File): boolean {
    this.videoPanel?.start(file);
    return this.videoPanel !== null;
  }

  private emit<K extends keyof PanelEventMap>(name: K, detail: PanelEventMap[K]): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  private onImport(e: Event): void {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so that choosing the same file again still fires `change`.
    input.value = '';
    if (file) this.emit('look-import', file);
  }

  override render() {
    return html`<div class="presets">
        <label for="preset">Preset</label>
        <select id="preset" name="preset" @change=${(e: Event) => this.emit('preset-select', (e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${!this.preset}>—</option>
          ${PRESETS.map((p) => html`<option value=${p.id} ?selected=${p.id === this.preset}>${p.name}</option>`)}
        </select>
        <button @click=${() => this.emit('snapshot-request', null)} title="Snapshot at the working size (s)">Snapshot</button>
        <button @click=${() => this.emit('snapshot-request', 'display')} data-snapshot="display"
          title="Snapshot at the display size: the picture as the stage shows it, upscaled">Display-size snapshot</button>
        <button @click=${() => this.emit('figures-toggle', null)} aria-pressed=${this.figures ? 'true' : 'false'}
          title="Show / hide the figures overlay (o)">Figures</button>
        <button @click=${() => this.emit('fullscreen-request', null)} title="Fullscreen (f)">Fullscreen</button>
        <button @click=${() => this.emit('help-request', null)} title="Help (h)">?</button>
      </div>
      ${this.inspection || this.picked ? html`<ds-inspector .settings=${this.settings} .inspection=${this.inspection} .picked=${this.picked}></ds-inspector>` : nothing}
      <ds-recorder .canvas=${this.canvas}></ds-recorder>
      <ds-video .jobs=${this.jobs}></ds-video>
      <ds-export .jobs=${this.jobs} .mappings=${this.settings.audio.mappings}></ds-export>
      <ds-render-large .jobs=${this.jobs}></ds-render-large>
      <div class="presets">
        <button @click=${() => this.emit('link-copy', null)} title="Copy a link to this look">Copy link</button>
        <button @click=${() => this.emit('look-export', null)} title="Download this look as JSON">Export</button>
        <label class="import">Import<input type="file" accept="application/json,.json" name="import-look" @change=${this.onImport} /></label>
      </div>
      <ds-sources
        .samples=${SAMPLES}
        .activeContent=${this.activeContent}
        .activeStyle=${this.activeStyle}
        .activeStyle2=${this.activeStyle2}
        .webcamOn=${this.webcamOn}
        .mode=${this.settings.mode}
      ></ds-sources>
      <ds-audio .settings=${this.settings} .source=${this.audioSource} .sourceName=${this.audioName} .player=${this.audioPlayer}></ds-audio>
      <ds-mask-controls .settings=${this.settings} .tool=${this.maskTool} .painted=${this.maskPainted} .undoable=${this.maskUndoable}></ds-mask-controls>
      <ds-controls .settings=${this.settings} .paused=${this.paused}></ds-controls>`;
  }

  static override styles = [buttonStyles, css`
    :host {
      display: block;
    }
    .presets {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      align-items: center;
      margin: 4px 0 8px;
    }
    .presets select {
      flex: 1 1 120px;
      min-width: 0;
    }
    .import input {
      display: none;
    }
    .import {
      background: #222;
      border: 1px solid #444;
      border-radius: 4px;
      padding: 3px 6px;
      cursor: pointer;
    }
  `];
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-panel': DsPanel;
  }
  interface HTMLElementEventMap {
    'preset-select': CustomEvent<string>;
    'snapshot-request': CustomEvent<SnapshotSize | null>;
    'figures-toggle': CustomEvent<null>;
    'fullscreen-request': CustomEvent<null>;
    'help-request': CustomEvent<null>;
    'link-copy': CustomEvent<null>;
    'look-export': CustomEvent<null>;
    'look-import': CustomEvent<File>;
  }
}
