import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { aboutOf } from '../../engine/modes/catalog';
import type { Look } from '../../engine/params/look';
import type { Settings } from '../../engine/params/settings';
import type { BackendChoice, ControlAction, DisplaySize, FromWorker, InspectionMessage, JobId, JobRequest, LiveFeatures, MaskImage, PickInfo, PickRequest, SnapshotSize, SourceRole, Stats, ToWorker } from '../../workers/protocol';
import { JobBook } from '../jobs/job-book';
import type { Jobs } from '../jobs/job-state';
import { downloadSnapshot } from '../look/snapshot';
import { emitDreamEvent } from './dream-events';
import type { Notify } from './notify';
import { WorkerClient } from './worker-client';

/** A fault a test can make the worker suffer: one of the worker's own, or a message the protocol must refuse. */
export type InjectedFault = Extract<ToWorker, { type: 'inject-fault' }>['fault'] | { malformed: unknown };

export interface WorkerPorts {
  /** A fresh canvas for each worker start (a canvas can be transferred once). */
  canvas: () => HTMLCanvasElement;
  /** The look now, embedded in every snapshot. */
  look: () => Look;
  /** The worker took a camera frame: the camera may grab the next. */
  onCameraAck: () => void;
  notify: Notify;
  /** Settings a click on the picture asked for (the lens: a channel; an atlas tile: dreaming with it). */
  applySettings?: (settings: Settings) => void;
  /** A click asked for the mask brush (an atlas tile painted into the mask), with the line saying what it means. */
  openBrush?: (line: string) => void;
}

/**
 * Owns the dreaming worker (through WorkerClient): starts it on the stage, routes what it says to the overlays,
 * toasts and public events, and keeps the state the page shows of it. A control shows at once what the user
 * pressed and the worker's answer confirms it, once every press sent has been answered.
 */
export class WorkerController implements ReactiveController {
  stats: Stats | null = null;
  backendNote = 'starting…';
  /** Before the first frame: what the worker is doing, and since when. */
  phase = 'starting the worker…';
  readonly startedAt = Date.now();
  /** What the user asked for: shown at once, then confirmed by the worker (a paused worker sends no frames). */
  paused = false;
  /** The canvas the worker draws on now (the recorder follows it across restarts). */
  canvas: HTMLCanvasElement | null = null;
  /** What the mode shows beside the picture (the lens's channel maps), the latest; null for most modes. */
  inspection: InspectionMessage | null = null;
  /** What the last click on the picture found (the channels firing there), until the mode changes. */
  picked: PickInfo | null = null;

  private readonly book = new JobBook(this.ports.notify);
  private client: WorkerClient | null = null;
  /** Controls sent and not yet answered: until they are, the worker's answer describes an older press. */
  private unanswered = 0;
  private snapshotId = 0;
  private cameraFrames = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly ports: WorkerPorts,
  ) {
    host.addController(this);
  }

  /**
   * A click on the shown picture at (u, v), fractions of its width and height: the mode answers (picked). `how`:
   * what the click asks for ('paint': Shift+click on an atlas tile), or the channel named instead of clicked.
   */
  pick(u: number, v: number, how: PickRequest = {}): void {
    this.client?.post({ type: 'pick', u, v, ...how });
  }

  /** A new mode: what the old one showed beside the picture goes. */
  modeChanged(): void {
    this.inspection = null;
    this.picked = null;
  }

  /** The page's jobs (zoom exports, large stills, video files) by id: the job panels read their kind's. */
  get jobs(): Jobs {
    return this.book.jobs;
  }

  hostDisconnected(): void {
    this.client?.dispose();
    this.client = null;
  }

  start(settings: Settings, backend: BackendChoice, threads?: number): void {
    this.client?.dispose();
    this.client = new WorkerClient(
      {
        backend,
        ...(threads ? { threads } : {}),
        canvas: () => {
          this.canvas = this.ports.canvas();
          this.host.requestUpdate();
          return this.canvas;
        },
        onMessage: (m) => this.route(m),
        onRestart: (reason) => this.restarted(reason),
      },
      settings,
    );
    this.client.start();
  }

  setSettings(settings: Settings): void {
    this.client?.post({ type: 'settings', settings });
  }

  /** Decodes `blob` off the main thread and sends it; throws an Error fit to show when it is not a picture. */
  async sendSource(role: SourceRole, blob: Blob, name: string): Promise<void> {
    await this.client?.sendBlob(role, blob, name);
  }

  sendCameraFrame(image: ImageBitmap): void {
    if (this.client) this.client.post({ type: 'camera-frame', image });
    else image.close();
  }

  /** The painted mask (null: none); a restarted worker gets it again. */
  /** The live sound's features, at most once per animation frame (null: the sound stopped). */
  sendAudio(features: LiveFeatures | null): void {
    this.client?.post({ type: 'audio', features });
  }

  sendMask(mask: MaskImage | null): void {
    this.client?.post({ type: 'mask', mask });
  }

  /** A control as the user pressed it: the UI follows the press at once, the worker confirms. */
  control(action: ControlAction): void {
    if (action === 'pause' || action === 'step') this.paused = true;
    else if (action === 'resume') this.paused = false;
    this.unanswered += 1;
    this.client?.post({ type: 'control', action });
    this.host.requestUpdate();
  }

  togglePause(): void {
    this.control(this.paused ? 'resume' : 'pause');
  }

  /** A snapshot at the working size, or at the display size (the picture as the stage shows it). */
  snapshot(size: SnapshotSize = 'working'): void {
    this.client?.post({ type: 'snapshot', id: ++this.snapshotId, size });
  }

  /** The stage's size in device pixels: the worker paints at it, and Sharp dreams at it. */
  setDisplay(size: DisplaySize): void {
    this.client?.post({ type: 'display', ...size });
  }

  /** Asks the worker for a job (it runs one at a time; the live loop pauses meanwhile). */
  startJob(request: JobRequest): void {
    const id = this.book.open(request, this.ports.look());
    if (id === null) return;
    this.client?.post({ type: 'job-start', id, ...request });
    this.host.requestUpdate();
  }

  /** Stops a job after its step or frame in progress; it ends with a notice, no download. */
  cancelJob(id: JobId): void {
    const kind = this.book.kindOf(id);
    if (kind) this.client?.post({ type: 'job-cancel', id, kind });
  }

  /** See DreamApp.injectFault: the one test hook. */
  injectFault(fault: InjectedFault): void {
    if (typeof fault === 'object') this.client?.postRaw(fault.malformed);
    else this.client?.post({ type: 'inject-fault', fault });
  }

  private restarted(reason: string): void {
    this.unanswered = 0;
    // A job dies with its worker: its panel offers to start one again.
    this.book.abandon('stopped, the worker restarted');
    emitDreamEvent(this.host, 'dream-restart', { reason, count: this.client?.restartCount ?? 0 });
    this.ports.notify(reason, 'error');
  }

  private route(m: FromWorker): void {
    switch (m.type) {
      case 'ready':
        this.backendNote = `${m.backend} — ${m.reason}`;
        emitDreamEvent(this.host, 'dream-ready', { backend: m.backend, reason: m.reason, adapter: m.adapter });
        break;
      case 'stats':
        this.stats = m.stats;
        emitDreamEvent(this.host, 'dream-stats', m.stats);
        break;
      case 'error':
        if (m.cause === 'backend') this.backendNote = m.message;
        emitDreamEvent(this.host, 'dream-error', { message: m.message, cause: m.cause });
        this.ports.notify(m.message, 'error');
        break;
      case 'notice':
        this.ports.notify(m.message, 'info');
        break;
      case 'progress':
        this.phase = m.message;
        break;
      case 'control-done':
        this.unanswered = Math.max(0, this.unanswered - 1);
        if (this.unanswered === 0) this.paused = m.paused;
        break;
      case 'snapshot':
        downloadSnapshot(m.png, this.ports.look());
        this.ports.notify(`snapshot saved (${m.width}×${m.height})`, 'info');
        break;
      case 'camera-ack':
        this.cameraFrames += 1;
        emitDreamEvent(this.host, 'dream-camera', { frames: this.cameraFrames });
        this.ports.onCameraAck();
        return;
      case 'checkpoint':
      case 'alive':
        return;
      case 'job-progress':
        this.book.progress(m);
        break;
      case 'job-done':
        this.book.done(m);
        break;
      case 'picked':
        if (m.info) this.picked = m.info;
        if (m.settings) this.ports.applySettings?.(m.settings);
        if (m.brush) this.ports.openBrush?.(m.info?.title ?? 'paint the mask on the stage');
        break;
      case 'inspection':
        // One sent before a switch to a mode without a side view can land after it: it is dropped.
        if (aboutOf(this.ports.look().settings.mode).inspects) this.inspection = m.inspection;
        break;
      case 'job-error':
        this.book.failed(m);
        // A failed job was shown to the user like any error (a cancel is no failure).
        if (!m.cancelled) emitDreamEvent(this.host, 'dream-error', { message: m.message, cause: 'engine' });
        break;
    }
    this.host.requestUpdate();
  }
}
