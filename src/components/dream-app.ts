import { aboutOf } from '../engine/modes/catalog';
import { toPicture } from './mask/mask-painter';
import { html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Settings } from '../engine/params/settings';
import type { ControlAction, JobId, JobRequest, PickRequest, SnapshotSize, SourceRole } from '../workers/protocol';
import { AudioController } from './controllers/audio-controller';
import { KioskController } from './controllers/kiosk-controller';
import { LayoutController } from './controllers/layout-controller';
import { LookController } from './controllers/look-controller';
import { MaskController } from './controllers/mask-controller';
import type { Notify } from './controllers/notify';
import { ShortcutsController } from './controllers/shortcuts-controller';
import { nudge, nudgeActions } from './input/nudges';
import { SourcesController } from './controllers/sources-controller';
import { ViewController } from './controllers/view-controller';
import { WorkerController, type InjectedFault } from './controllers/worker-controller';
import { buttonStyles } from './button.styles';
import { appStyles } from './dream-app.styles';
import './dream-stage';
import './ds-mask';
import type { DreamStage } from './dream-stage';
import './ds-help';
import './ds-panel';
import type { DsPanel } from './ds-panel';
import { DEFAULT_VIDEO_JOB, videoRequest } from './jobs/page-kinds';
import './ds-stats';
import './ds-audio-meters';
import type { DsAudioMeters } from './ds-audio-meters';
import type { AudioSourceRequest } from './panels/audio-panel';
import './ds-toasts';
import type { DsToasts } from './ds-toasts';
import type { SourceSelection } from './ds-sources';
import type { MaskTool } from './controllers/mask-controller';
import type { MaskAction } from './ds-mask-controls';

export type { DreamEventMap } from './controllers/dream-events';
export type { InjectedFault } from './controllers/worker-controller';

/**
 * The app shell, assembled from one controller per concern (controllers/*-controller.ts): the look (URL, attributes,
 * presets, look files and links), the sources (one path from any picture to the worker, and the camera), the
 * worker (its messages, controls, snapshots and exports), the shortcuts, the kiosk and the layout. It renders the
 * stage with its overlays and the panel (ds-panel). It opens dreaming with no clicks.
 *
 * Events (bubbling, composed; controllers/dream-events.ts): dream-ready, dream-stats, dream-error, dream-restart,
 * dream-camera.
 */
@customElement('dream-app')
export class DreamApp extends LitElement {
  /** Installation mode: controls and cursor hidden, playlist, wake lock. Also set by ?kiosk. */
  @property({ type: Boolean, reflect: true }) kiosk = false;
  /** Read the look from the page URL and keep the URL in step (off for an element embedded in another page). */
  @property({ type: Boolean, attribute: 'url-state' }) urlState = true;
  /** Attribute configuration for embedding: mode, a preset id, a picture URL, the backend and wasm threads, the panel. */
  @property() mode = '';
  @property({ attribute: 'preset' }) presetAttr = '';
  @property() src = '';
  @property() backend = '';
  @property() threads = '';
  @property({ type: Boolean, reflect: true }) controls = true;
  /** Minutes per playlist entry in kiosk mode. */
  @property({ type: Number, attribute: 'playlist-minutes' }) playlistMinutes = 10;
  /** Comma-separated preset ids for the kiosk playlist (default: every preset but the webcam's). */
  @property() playlist = '';

  @state() private helpOpen = false;
  @state() private controlsOpen = true;
  /** The full-page app owns the window's keys and dropped files; an embedded element only its own. */
  protected keyScope: 'window' | 'element' = 'window';

  @query('dream-stage') private stage!: DreamStage;
  @query('ds-toasts') private toasts!: DsToasts | null;
  @query('ds-panel') private panel!: DsPanel | null;
  @query('ds-audio-meters') private meters!: DsAudioMeters | null;
  /** Messages from before the first render, when there is no toast element to show them yet. */
  private pendingNotices: Parameters<Notify>[] = [];
  private readonly notify: Notify = (...args) => {
    if (this.toasts) this.toasts.show(...args);
    else this.pendingNotices.push(args);
  };
  private readonly fullscreen = () => void this.stage.toggleFullscreen();

  private readonly look: LookController = new LookController(this, {
    urlState: () => this.urlState,
    attrs: () => ({ mode: this.mode, preset: this.presetAttr, src: this.src, backend: this.backend, threads: this.threads }),
    settingsChanged: (prev, next) => {
      if (prev.mode !== next.mode) this.worker.modeChanged();
      this.worker.setSettings(next);
      this.sources.settingsChanged(prev, next);
    },
    samples: () => this.sources.samples(),
    ownPictures: () => this.sources.ownPictures(),
    loadSample: (role, id) => void this.sources.loadSample(role, id),
    mask: () => this.mask.dataUrl(),
    restoreMask: (mask) => void this.mask.restore(mask),
    notify: this.notify,
  });

  private readonly mask: MaskController = new MaskController(this, {
    send: (mask) => this.worker.sendMask(mask),
    frame: () => this.worker.stats?.resolution,
    notify: this.notify,
  });

  private readonly worker: WorkerController = new WorkerController(this, {
    canvas: () => this.stage.freshCanvas(),
    look: () => this.look.current(),
    onCameraAck: () => this.sources.cameraAck(),
    notify: this.notify,
    applySettings: (next) => this.look.apply(next),
    openBrush: (line) => {
      this.mask.openForRegion();
      this.notify(line, 'info', 6000);
    },
  });

  private readonly sources: SourcesController = new SourcesController(this, {
    send: (role, blob, name) => this.worker.sendSource(role, blob, name),
    sendCameraFrame: (frame) => this.worker.sendCameraFrame(frame),
    settings: () => this.look.settings,
    applySettings: (next) => this.look.apply(next),
    restoreMask: (mask) => void this.mask.restore(mask),
    changed: () => this.look.syncUrl(),
    notify: this.notify,
    unattended: () => this.kiosk,
    scope: () => this.keyScope,
    video: (file) => this.startVideo(file),
    audio: (file) => void this.audio.playFile(file),
  });

  /** Live sound (a file or the microphone) moving the look's mapped settings in the worker; meters on the overlay. */
  private readonly audio: AudioController = new AudioController(this, {
    send: (features) => this.worker.sendAudio(features),
    mapped: () => this.look.settings.audio.mappings.length > 0,
    notify: this.notify,
    show: (features) => {
      if (this.meters) this.meters.features = features;
    },
  });

  private readonly kioskMode = new KioskController(this, {
    playlist: () => ({ ids: this.playlist, minutes: this.playlistMinutes }),
    presetChosen: () => this.look.preset !== null,
    applyPreset: (p) => this.look.applyPreset(p, false),
    fullscreen: this.fullscreen,
    notify: this.notify,
  });

  /** The stage's size for the worker, and whether the figures overlay is shown (remembered per browser). */
  private readonly view = new ViewController(this, (size) => this.worker.setDisplay(size));

  constructor() {
    super();
    new ShortcutsController(this, () => this.keyScope, {
      pause: () => this.worker.togglePause(),
      step: () => this.worker.control('step'),
      reset: () => this.worker.control('reset'),
      snapshot: () => this.worker.snapshot(),
      fullscreen: this.fullscreen,
      'next-preset': () => this.look.nextPreset(),
      help: () => (this.helpOpen = !this.helpOpen),
      controls: () => (this.controlsOpen = !this.controlsOpen),
      figures: () => this.view.toggleFigures(),
      mask: () => this.mask.togglePainting(),
      erase: () => this.mask.toggleErase(),
      'brush-smaller': () => this.mask.resizeBrush(false),
      'brush-larger': () => this.mask.resizeBrush(true),
      probe: () => {
        if (aboutOf(this.look.settings.mode).inspects) this.worker.pick(0.5, 0.5);
      },
      'probe-paint': () => {
        if (aboutOf(this.look.settings.mode).inspects) this.worker.pick(0.5, 0.5, { action: 'paint' });
      },
      close: () => (this.helpOpen = false),
      ...nudgeActions((action) => {
        const r = nudge(this.look.settings, action, Object.keys(aboutOf(this.look.settings.mode).settings));
        if (r?.ok) this.look.apply(r.settings);
        else if (r) this.notify(r.error, 'error');
      }),
    });
    // On a phone the stage comes first: the controls wait behind their button.
    new LayoutController(this, (narrow) => (this.controlsOpen = !narrow));
  }

  static override styles = [buttonStyles, appStyles];

  override connectedCallback(): void {
    super.connectedCallback();
    this.kiosk ||= this.look.initial?.options.kiosk ?? false;
  }

  override firstUpdated(): void {
    for (const args of this.pendingNotices.splice(0)) this.toasts?.show(...args);
    const initial = this.look.initial!;
    this.worker.start(this.look.settings, this.look.backend, this.look.threads);
    this.view.observe(this.stage);
    this.sources.start({ src: this.src, content: initial.content, style: initial.style, style2: initial.style2, mode: this.look.settings.mode });
    if (this.kiosk) this.kioskMode.start();
    // Unattended, nobody will press Microphone: a kiosk look that maps sound listens to the room from the start (a
    // denied or missing microphone is one line; the wall dreams on without sound).
    if (this.kiosk && this.look.settings.audio.mappings.length > 0) void this.audio.openMic();
  }

  /** Saves a snapshot (PNG with the look embedded): at the working size as the S key does, or at the display size. */
  snapshot(size: SnapshotSize = 'working'): void {
    this.worker.snapshot(size);
  }

  /** Any picture: a dreamstream PNG restores its look; anything becomes the source for `role`. */
  loadFile(file: Blob, role: SourceRole = 'content', name = 'your image'): Promise<void> {
    return this.sources.loadFile(file, role, name);
  }

  /**
   * TEST HOOK, not for pages: makes the worker suffer `fault` so tests can check recovery. 'nan', 'crash' and
   * 'device-lost' act on the worker's next step (it recovers, or the page restarts it: see dream-restart);
   * `{ malformed: value }` sends `value` unvalidated, which the worker must refuse with a dream-error.
   */
  injectFault(fault: InjectedFault): void {
    this.worker.injectFault(fault);
  }

  /** A video dropped on the stage: dreamed with the video panel's settings (the defaults before there is a panel). */
  private startVideo(file: File): void {
    if (!this.panel?.startVideo(file)) this.worker.startJob({ kind: 'video', job: videoRequest(file, DEFAULT_VIDEO_JOB) });
  }

  /** A click on the picture, for a mode that answers one (the lens): where on the picture, as fractions. */
  private readonly onStageClick = (e: MouseEvent): void => {
    const canvas = this.stage.canvas;
    if (!aboutOf(this.look.settings.mode).inspects || this.mask.tool.painting || !canvas || e.target !== this.stage) return;
    const box = this.stage.getBoundingClientRect();
    const [x, y] = toPicture(e.clientX - box.left, e.clientY - box.top, box, [canvas.width, canvas.height], this.look.settings.fit);
    const u = x / canvas.width;
    const v = y / canvas.height;
    // Shift+click: the atlas tile clicked is painted into the mask rather than dreamed everywhere.
    if (u >= 0 && u <= 1 && v >= 0 && v <= 1) this.worker.pick(u, v, e.shiftKey ? { action: 'paint' } : {});
  };

  private onAudioSource(e: CustomEvent<AudioSourceRequest>): void {
    const d = e.detail;
    if (d.kind === 'file') void this.audio.playFile(d.file);
    else if (d.kind === 'mic') void this.audio.openMic();
    else if (d.kind === 'tab') void this.audio.openTab();
    else this.audio.stop();
  }

  private onSource(e: CustomEvent<SourceSelection>): void {
    const d = e.detail;
    if ('none' in d) this.sources.clearSecondStyle();
    else if ('file' in d) void this.sources.loadFile(d.file, d.role, d.name);
    else this.sources.pick(d.role, d.url);
  }

  override render() {
    const panel = this.controls && !this.kiosk;
    const { worker, look, sources, mask } = this;
    return html`<div class=${this.controlsOpen && panel ? 'shell sheet-open' : 'shell'}>
      <dream-stage fit=${look.settings.fit} @click=${this.onStageClick}>
        <ds-mask .painter=${mask.painter} ?painting=${mask.tool.painting} .brush=${mask.brush} fit=${look.settings.fit}
          @mask-stroke=${(e: CustomEvent<{ done: boolean }>) => mask.stroked(e.detail.done)}></ds-mask>
        <div class=${this.view.compact ? 'overlay compact' : 'overlay'} ?hidden=${!this.view.figuresShown}>
          <ds-stats .stats=${worker.stats} .paused=${worker.paused} .phase=${worker.phase} .since=${worker.startedAt} ?compact=${this.view.compact}></ds-stats>
          <div class="backend-note" data-stat="backend-reason">${worker.backendNote}</div>
          <ds-audio-meters .driven=${worker.stats?.driven}></ds-audio-meters>
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
        <ds-panel
          .settings=${look.settings}
          .preset=${look.preset}
          .paused=${worker.paused}
          .figures=${this.view.figuresShown}
          .canvas=${worker.canvas}
          .jobs=${worker.jobs}
          .activeContent=${sources.activeContent(look.settings.mode)}
          .activeStyle=${sources.activeStyle()}
          .activeStyle2=${sources.activeStyle2()}
          .webcamOn=${sources.webcamOn}
          .maskTool=${mask.tool}
          .maskPainted=${mask.inForce}
          .maskUndoable=${mask.canUndo}
          .inspection=${worker.inspection}
          .picked=${worker.picked}
          .audioSource=${this.audio.kind}
          .audioName=${this.audio.input.name}
          .audioPlayer=${this.audio.input.element}
          @audio-source=${this.onAudioSource}
          @mask-tool=${(e: CustomEvent<MaskTool>) => mask.setTool(e.detail)}
          @mask-action=${(e: CustomEvent<MaskAction>) => mask[e.detail]()}
          @preset-select=${(e: CustomEvent<string>) => look.applyPresetId(e.detail)}
          @snapshot-request=${(e: CustomEvent<SnapshotSize | null>) => worker.snapshot(e.detail ?? 'working')}
          @figures-toggle=${() => this.view.toggleFigures()}
          @fullscreen-request=${this.fullscreen}
          @help-request=${() => (this.helpOpen = true)}
          @link-copy=${() => void look.copyLink()}
          @look-export=${() => look.exportFile()}
          @look-import=${(e: CustomEvent<File>) => void look.importFile(e.detail)}
          @job-request=${(e: CustomEvent<JobRequest>) => worker.startJob(e.detail)}
          @job-cancel=${(e: CustomEvent<JobId>) => worker.cancelJob(e.detail)}
          @source-selected=${this.onSource}
          @webcam-toggle=${(e: CustomEvent<boolean>) => void sources.setWebcam(e.detail)}
          @settings-change=${(e: CustomEvent<Settings>) => look.apply(e.detail)}
          @control=${(e: CustomEvent<ControlAction>) => worker.control(e.detail)}
          @atlas-tile=${(e: CustomEvent<PickRequest>) => worker.pick(0.5, 0.5, e.detail)}
        ></ds-panel>
      </aside>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'dream-app': DreamApp;
  }
}
