import * as tf from '@tensorflow/tfjs';
import { currentProfile } from '../engine/backend/profile';
import { pixelsToModel } from '../engine/image/convert';
import { Loop } from '../engine/loop/loop';
import { Mask } from '../engine/mask/mask';
import { dreamRegions } from '../engine/mask/regions';
import type { ModelRunner } from '../engine/model/runner';
import type { Settings } from '../engine/params/settings';
import { streamParams } from '../engine/params/stream';
import { adapt, adaptiveLimits, initialAdaptive, type AdaptiveLimits, type AdaptiveState } from './adaptive';
import { workDone } from './fence';
import { FrameClock } from './frame-clock';
import { gpuTimed } from './gpu-timer';
import { encodePng, frameBitmap, type Painter } from './painter';
import { shownLongSide, type Size } from './display';
import { bitmapToPixels } from './pixels';
import type { ControlAction, ExportJob, FromWorker, JobStart, LargeJob, MaskImage, SnapshotSize, SourceRole, Stats } from './protocol';
import { renderLarge } from './render-large';
import { exportZoom } from './zoom-export';
import type { VideoJob } from './protocol';
import { dreamVideo, VideoInputError } from './video-job';
import { stepPathLabel } from '../engine/plan/step-path';

type Post = (m: FromWorker) => void;

/** Sources are kept at most this large: enough for any working resolution, bounded in memory. */
const SOURCE_MAX_SIDE = 1024;
/** How often one step is timed on the device (timing ends the compute pass after every kernel: not every step). */
const GPU_SAMPLE_MS = 10_000;
/**
 * Frames queued on the device at most. One is being drawn while the next is prepared; more would only add
 * latency, and on a slow GPU a deep queue starves the compositor (the page stops answering).
 */
const MAX_IN_FLIGHT = 2;

/**
 * The worker's side of the loop: decodes bitmaps into tensors for the engine's Loop, paints what it presents,
 * keeps the device queue short, times frames and adapts resolution and steps to them, and speaks the protocol.
 */
export class Dreamer {
  private readonly loop: Loop;
  private adaptive: AdaptiveState;
  private readonly clock = new FrameClock(3000, 8);
  private lastGpuSampleAt = 0;
  /** Device time of the last sampled step, where timestamp queries exist. */
  private gpuMsPerStep: number | undefined;
  private inFlight: { done: Promise<number>; steps: number }[] = [];
  private running = false;
  /** The export in progress, if any: the live loop pauses while it runs (they share the device). */
  private exporting: { id: number; cancelled: boolean } | null = null;
  /** The stage's size in device pixels, as the page last said (null: not yet). */
  private display: Size | null = null;

  constructor(
    private readonly runner: ModelRunner,
    private readonly painter: Painter,
    settings: Settings,
    private readonly post: Post,
    /** WebGPU's storage-buffer binding limit (the adapter's), for the tiles of a large render. */
    private readonly maxBufferBytes?: number,
  ) {
    this.adaptive = initialAdaptive(adaptiveLimits(currentProfile().adaptive, settings), currentProfile().adaptive.start);
    this.loop = new Loop(runner, settings, this.adaptive.resolution, {
      firstStep: (step) => this.sampledStep(step),
      onError: (message) => this.post({ type: 'error', message, fatal: false, cause: 'nan' }),
      onCheckpoint: (image) => void frameBitmap(image).then((bitmap) => this.post({ type: 'checkpoint', image: bitmap })),
      onStats: () => this.post({ type: 'stats', stats: this.stats() }),
    });
  }

  /** The scheduler's limits: the settings, the backend, and the picture's size as the stage shows it. */
  private limits(settings = this.loop.settings): AdaptiveLimits {
    const img = this.loop.mode?.image ?? this.loop.source;
    const picture = img ? { width: img.shape[2], height: img.shape[1] } : null;
    return adaptiveLimits(currentProfile().adaptive, { ...settings, shownSide: shownLongSide(picture, this.display, settings.fit) });
  }

  setSettings(next: Settings): void {
    const prev = this.loop.settings;
    this.painter.setView(this.display, next.fit);
    const view = next.detail !== prev.detail || (next.detail === 'sharp' && next.fit !== prev.fit);
    if (view || next.resolution !== prev.resolution || next.stepsPerFrame !== prev.stepsPerFrame || next.mode !== prev.mode) {
      const limits = this.limits(next);
      this.adaptive = initialAdaptive(limits, Math.max(this.adaptive.resolution, limits.minResolution));
      this.clock.restart();
    }
    this.loop.setSettings(next, this.adaptive.resolution);
  }

  /**
   * The stage's size in device pixels: frames are painted at the size they are shown, and Sharp dreams at it (at
   * once, not after the next frame: the first sharp frame is already sharp).
   */
  setDisplay(display: Size): void {
    this.display = display.width > 0 && display.height > 0 ? { ...display } : null;
    this.painter.setView(this.display, this.loop.settings.fit);
    const limits = this.limits();
    if (limits.fixedResolution && limits.fixedResolution !== this.adaptive.resolution) {
      this.adaptive = initialAdaptive(limits, limits.fixedResolution);
      this.loop.setResolution(this.adaptive.resolution);
      this.clock.restart();
    }
  }

  setSource(role: SourceRole, bitmap: ImageBitmap): void {
    const x = bitmapToModel(bitmap);
    if (role === 'content') this.loop.setContent(x);
    else if (role === 'style' || role === 'style2') this.loop.setStyle(x, role === 'style' ? 0 : 1);
    else this.loop.setGuide(x);
  }

  /** A painted mask (or none): the loop confines the look to it from the next step. */
  setMask(mask: MaskImage | null): void {
    this.loop.setMask(mask && new Mask(mask.data, mask.width, mask.height));
  }

  cameraFrame(bitmap: ImageBitmap): void {
    const frame = bitmapToModel(bitmap);
    try {
      this.loop.cameraFrame(frame);
    } finally {
      frame.dispose();
    }
  }

  control(action: ControlAction): void {
    this.loop.control(action);
    // The time spent paused is no frame's cost.
    if (action !== 'reset') this.clock.reset();
    this.post({ type: 'control-done', action, paused: this.loop.paused });
    // The overlay shows where the picture stands now, not a few frames ago (stats come every few frames).
    if (this.loop.mode) this.post({ type: 'stats', stats: this.stats() });
  }

  restore(bitmap: ImageBitmap): void {
    const x = bitmapToModel(bitmap);
    try {
      this.loop.restore(x);
    } finally {
      x.dispose();
    }
  }

  /**
   * The mask a job keeps to, its own copy (null: none): a new mask painted while the job runs reaches the live
   * loop, which frees the old one.
   */
  private jobMask(): Mask | null {
    return this.loop.mask?.copy() ?? null;
  }

  /**
   * What a job starts from (the caller disposes it): the frame on screen (the loop's picture as shown, without a
   * fade) or, for 'source' or before any frame, a copy of the source picture.
   */
  private jobStart(start: JobStart | undefined): tf.Tensor4D | null {
    if (start !== 'source') {
      const frame = this.loop.display();
      if (frame) return frame;
    }
    return this.loop.source?.clone() ?? null;
  }

  /** Renders a frame-exact zoom video from the frame on screen (or the source picture) with the current settings. */
  async exportZoom(id: number, job: ExportJob): Promise<void> {
    if (this.exporting) throw new Error('an export is already running');
    const mode = this.loop.mode;
    if (!this.loop.source || !mode) throw new Error('no picture to export from yet');
    const from = this.jobStart(job.start);
    if (!from) throw new Error('no picture to export from yet');
    this.exporting = { id, cancelled: false };
    const state = this.exporting;
    const mask = this.jobMask();
    try {
      const stream = streamParams({ ...mode.stream, blend: 0 });
      const result = await exportZoom(this.runner, from, this.loop.settings.dream, stream, job, (frame) => {
        this.post({ type: 'export-progress', id, frame, frames: job.frames });
      }, () => state.cancelled, dreamRegions(this.loop.settings, mask), this.maxBufferBytes);
      this.post({ type: 'export-done', id, ...result });
    } finally {
      this.exporting = null;
      mask?.dispose();
      from.dispose();
    }
  }

  /**
   * Renders a still at 2K/4K/8K from the frame on screen (or the source picture) and the look through tiles; the
   * live loop pauses meanwhile (they share the device). Progress after every step; a cancel takes effect after the
   * step in progress.
   */
  async renderLarge(id: number, job: LargeJob): Promise<void> {
    if (this.exporting) throw new Error('an export is already running');
    const sources = this.loop.modeContext;
    const live = this.loop.mode?.image;
    if (!sources || !live) throw new Error('no picture to render from yet');
    const frame = job.start === 'source' ? null : this.loop.display();
    const liveSide = Math.max(live.shape[1], live.shape[2]);
    this.exporting = { id, cancelled: false };
    const state = this.exporting;
    let size = { width: 0, height: 0 };
    const mask = this.jobMask();
    try {
      const shown = await renderLarge({ ...sources, mask }, this.loop.settings, job, { frame, liveSide }, this.maxBufferBytes, (p) => {
        size = { width: p.width, height: p.height };
        this.post({ type: 'render-progress', id, ...p });
      }, yieldToMessages, () => state.cancelled);
      if (!shown) {
        this.post({ type: 'render-done', id, ...size });
        return;
      }
      try {
        const { png, width, height } = await encodePng(shown);
        this.post({ type: 'render-done', id, png, width, height });
      } finally {
        shown.dispose();
      }
    } finally {
      this.exporting = null;
      mask?.dispose();
      frame?.dispose();
    }
  }

  cancelExport(id: number): void {
    if (this.exporting?.id === id) this.exporting.cancelled = true;
  }

  injectNaN(): void {
    this.loop.injectNaN();
  }

  /**
   * Dreams a video file frame by frame with the current dream settings and the flow carry-over; the live loop
   * pauses meanwhile and goes on after it, whatever happened. Never throws: the page gets video-done or a
   * one-line video-error (a file the browser cannot read or decode, a cancel, an engine failure).
   */
  async dreamVideo(id: number, file: Blob, name: string, job: VideoJob): Promise<void> {
    if (this.exporting) {
      this.post({ type: 'video-error', id, message: 'an export is already running', cancelled: false });
      return;
    }
    this.exporting = { id, cancelled: false };
    const state = this.exporting;
    const mask = this.jobMask();
    try {
      const result = await dreamVideo(this.runner, file, name, this.loop.settings.dream, job, (p) => {
        this.post({ type: 'video-progress', id, ...p });
      }, () => state.cancelled, dreamRegions(this.loop.settings, mask));
      this.post({ type: 'video-done', id, ...result });
    } catch (e) {
      const text = e instanceof VideoInputError ? e.message : `${name}: ${e instanceof Error ? e.message : String(e)}`;
      this.post({ type: 'video-error', id, message: text.split('\n')[0]!, cancelled: state.cancelled });
    } finally {
      this.exporting = null;
      mask?.dispose();
    }
  }

  /** A PNG of the frame on screen: at the working size, or at the display size (the picture as the stage shows it). */
  async snapshot(id: number, size: SnapshotSize = 'working'): Promise<void> {
    const shown = this.loop.display();
    if (!shown) throw new Error('nothing to snapshot yet');
    try {
      const view = size === 'display' && this.display ? { display: this.display, fit: this.loop.settings.fit } : undefined;
      const { png, width, height } = await encodePng(shown, view);
      this.post({ type: 'snapshot', id, png, width, height });
    } finally {
      shown.dispose();
    }
  }

  /** Runs until stop(); each iteration is one displayed frame. */
  async run(): Promise<void> {
    this.running = true;
    while (this.running) {
      if (this.exporting || this.loop.idle) {
        await this.drain();
        this.loop.noteHeld();
        await sleep(50);
        continue;
      }
      await this.loop.frame(this.adaptive.stepsPerFrame, (image, steps) => this.present(image, steps));
      await yieldToMessages();
    }
    await this.drain();
    this.loop.dispose();
  }

  /** Ends the loop; what the worker holds is freed once the current frame is done. */
  stop(): void {
    this.running = false;
  }

  /** Paints a frame and queues its fence; waits for the frame before it (at most MAX_IN_FLIGHT on the device). */
  private async present(image: tf.Tensor4D, steps: number): Promise<void> {
    await this.painter.paint(image);
    this.inFlight.push({ done: workDone().then(() => performance.now()), steps });
    while (this.inFlight.length >= MAX_IN_FLIGHT) await this.finishOldest();
  }

  /** One step, now and then timed on the device for the overlay's GPU figure. */
  private sampledStep(step: () => tf.Tensor1D): tf.Tensor1D {
    const now = performance.now();
    if (now - this.lastGpuSampleAt < GPU_SAMPLE_MS) return step();
    this.lastGpuSampleAt = now;
    const { result, gpuMs } = gpuTimed(step);
    void gpuMs?.then((ms) => {
      if (Number.isFinite(ms) && ms > 0) this.gpuMsPerStep = ms;
    });
    return result;
  }

  /** Waits for the oldest queued frame; its completion is what the rates and the adaptive size follow. */
  private async finishOldest(): Promise<void> {
    const f = this.inFlight.shift();
    if (!f) return;
    const at = await f.done;
    if (this.loop.paused || f.steps === 0) return;
    const frameMs = this.clock.finish(at, f.steps);
    if (frameMs === null) return;
    const before = this.adaptive.resolution;
    this.adaptive = adapt(this.adaptive, frameMs, this.limits());
    if (this.adaptive.resolution !== before) {
      this.loop.setResolution(this.adaptive.resolution);
      // The next frames compile and run new shapes: their time says nothing about the steady rate yet (the
      // overlay keeps the last rate measured until they give one).
      this.clock.restart();
    }
  }

  private async drain(): Promise<void> {
    while (this.inFlight.length) await this.finishOldest();
  }

  stats(): Stats {
    const img = this.loop.mode?.image;
    const mem = this.loop.held;
    const path = stepPathLabel();
    return {
      fps: this.clock.fps,
      stepsPerSecond: this.clock.stepsPerSecond,
      msPerStep: this.clock.msPerStep,
      ...(this.gpuMsPerStep !== undefined ? { gpuMsPerStep: this.gpuMsPerStep } : {}),
      iteration: this.loop.iteration,
      losses: this.loop.losses,
      backend: tf.getBackend(),
      ...(path !== undefined ? { stepPath: path } : {}),
      resolution: img ? [img.shape[2], img.shape[1]] : [0, 0],
      stepsPerFrame: this.adaptive.stepsPerFrame,
      paused: this.loop.paused,
      mode: this.loop.settings.mode,
      tensors: mem.tensors,
      bytes: mem.bytes,
    };
  }
}

/** A decoded picture as the model's [1,H,W,3], bounded in size. */
function bitmapToModel(bitmap: ImageBitmap): tf.Tensor4D {
  return tf.tidy(() => pixelsToModel(bitmapToPixels(bitmap, SOURCE_MAX_SIDE)));
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Lets queued messages (settings, camera frames) run between frames, without setTimeout's 4 ms clamp. */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}
