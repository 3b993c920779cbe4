import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Look } from '../../engine/params/look';
import type { Settings } from '../../engine/params/settings';
import type { BackendChoice, ControlAction, DisplaySize, ExportJob, FromWorker, LargeJob, MaskImage, SnapshotSize, SourceRole, Stats, ToWorker } from '../../workers/protocol';
import type { LargeProgress } from '../ds-render-large';
import { WorkerClient } from './worker-client';
import type { VideoJob } from '../../workers/protocol';
import { EMPTY_VIDEO, type VideoState } from '../ds-video';
import { emitDreamEvent } from './dream-events';
import type { Notify } from './notify';
import { downloadSnapshot, pngName } from '../look/snapshot';

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
}

export interface ExportProgress {
  frame: number;
  frames: number;
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
  /** The video file being dreamed, the videos finished, the last one that could not be. */
  video: VideoState = EMPTY_VIDEO;
  exportProgress: ExportProgress | null = null;
  exports: { url: string; name: string }[] = [];
  /** The large still being rendered, and the ones finished (their PNGs carry the look). */
  largeProgress: LargeProgress | null = null;
  larges: { url: string; name: string }[] = [];
  /** The look when the large still was asked for: the one its PNG carries. */
  private largeLook: Look | null = null;

  private client: WorkerClient | null = null;
  /** Controls sent and not yet answered: until they are, the worker's answer describes an older press. */
  private unanswered = 0;
  private exportId = 0;
  private snapshotId = 0;
  private cameraFrames = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly ports: WorkerPorts,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.client?.dispose();
    this.client = null;
  }

  start(settings: Settings, backend: BackendChoice): void {
    this.client?.dispose();
    this.client = new WorkerClient(
      {
        backend,
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

  /** Dreams a video file in the worker (the same id space and cancel as the exports: one job at a time). */
  dreamVideo(file: File, job: VideoJob): void {
    if (this.video.progress) {
      this.ports.notify('a video is already being dreamed', 'info');
      return;
    }
    this.video = { ...this.video, progress: { frame: 0, frames: 0, etaS: 0, name: file.name }, error: null };
    this.client?.post({ type: 'video-file', id: ++this.exportId, file, name: file.name.slice(0, 200), ...job });
    this.host.requestUpdate();
  }

  cancelVideo(): void {
    this.client?.post({ type: 'export-cancel', id: this.exportId });
  }

  exportZoom(job: ExportJob): void {
    this.exportProgress = { frame: 0, frames: job.frames };
    this.client?.post({ type: 'export-zoom', id: ++this.exportId, ...job });
    this.host.requestUpdate();
  }

  cancelExport(): void {
    this.client?.post({ type: 'export-cancel', id: this.exportId });
  }

  /** A still at 2K/4K/8K through tiles (the same id space and cancel as the zoom export: one job at a time). */
  renderLarge(job: LargeJob): void {
    this.largeProgress = { step: 0, steps: job.steps, width: 0, height: 0, tiles: 0 };
    this.largeLook = this.ports.look();
    this.client?.post({ type: 'render-large', id: ++this.exportId, ...job });
    this.host.requestUpdate();
  }

  /** See DreamApp.injectFault: the one test hook. */
  injectFault(fault: InjectedFault): void {
    if (typeof fault === 'object') this.client?.postRaw(fault.malformed);
    else this.client?.post({ type: 'inject-fault', fault });
  }

  private restarted(reason: string): void {
    this.unanswered = 0;
    // A video job dies with its worker: the panel offers the file picker again.
    if (this.video.progress) this.video = { ...this.video, progress: null, error: `${this.video.progress.name}: stopped, the worker restarted` };
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
        if (m.cause === 'engine') {
          this.exportProgress = null;
          this.largeProgress = null;
        }
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
      case 'video-progress':
        if (this.video.progress) this.video = { ...this.video, progress: { ...this.video.progress, frame: m.frame, frames: m.frames, etaS: m.etaS } };
        break;
      case 'video-done': {
        const url = URL.createObjectURL(new Blob([m.video], { type: m.mime }));
        this.video = { progress: null, results: [...this.video.results, { url, name: m.name }], error: null };
        this.ports.notify(`video ready: ${m.name} (${m.frames} frames)`, 'info');
        break;
      }
      case 'video-error':
        this.video = { ...this.video, progress: null, error: m.cancelled ? null : m.message };
        this.ports.notify(m.cancelled ? 'video cancelled' : m.message, m.cancelled ? 'info' : 'error');
        break;
      case 'export-progress':
        this.exportProgress = { frame: m.frame, frames: m.frames };
        break;
      case 'render-progress':
        this.largeProgress = { step: m.step, steps: m.steps, width: m.width, height: m.height, tiles: m.tiles };
        break;
      case 'render-done': {
        this.largeProgress = null;
        if (!m.png) {
          this.ports.notify('large render cancelled', 'info');
          break;
        }
        const name = pngName(`${m.width}x${m.height}`);
        const blob = downloadSnapshot(m.png, this.largeLook ?? this.ports.look(), name);
        this.larges = [...this.larges, { url: URL.createObjectURL(blob), name }];
        this.ports.notify(`large still saved (${m.width}×${m.height})`, 'info');
        break;
      }
      case 'export-done':
        this.exportProgress = null;
        this.exports = [...this.exports, { url: URL.createObjectURL(new Blob([m.video], { type: m.mime })), name: m.name }];
        this.ports.notify(`video ready: ${m.name}`, 'info');
        break;
    }
    this.host.requestUpdate();
  }
}
