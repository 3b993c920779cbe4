import * as tf from '@tensorflow/tfjs';
import { currentProfile } from '../engine/backend/profile';
import { pixelsToModel } from '../engine/image/convert';
import { Loop } from '../engine/loop/loop';
import type { PickHow } from '../engine/modes/mode';
import { Mask } from '../engine/mask/mask';
import type { ModelRunner } from '../engine/model/runner';
import type { Settings } from '../engine/params/settings';
import { LiveDrive, type LiveFeatures } from '../engine/audio/live-drive';
import { targetValue } from '../engine/audio/mapping';
import { adapt, adaptiveLimits, initialAdaptive, type AdaptiveLimits, type AdaptiveState } from './adaptive';
import { workDone } from './fence';
import { FrameClock } from './frame-clock';
import { gpuTimed } from './gpu-timer';
import { encodePng, frameBitmap, type Painter } from './painter';
import { shownLongSide, type Size } from './display';
import { bitmapToPixels } from './pixels';
import { jobKinds } from './jobs/kinds';
import { IdbAtlasCache } from './atlas-store';
import { JobRunner } from './jobs/runner';
import type { ControlAction, FromWorker, MaskImage, SnapshotSize, SourceRole, Stats } from './protocol';
import { yieldToMessages } from './yield';
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

/** How often a mode's side view (the lens's channel maps) is read: about once a second, it costs a forward pass. */
const INSPECT_MS = 1000;

/**
 * The worker's side of the loop: decodes bitmaps into tensors for the engine's Loop, paints what it presents,
 * keeps the device queue short, times frames and adapts resolution and steps to them, and speaks the protocol.
 */
export class Dreamer {
  private inspecting = false;
  private inspectedAt = -Infinity;
  private readonly loop: Loop;
  private adaptive: AdaptiveState;
  private readonly clock = new FrameClock(3000, 8);
  private lastGpuSampleAt = 0;
  /** Device time of the last sampled step, where timestamp queries exist. */
  private gpuMsPerStep: number | undefined;
  private inFlight: { done: Promise<number>; steps: number }[] = [];
  private running = false;
  /** The page's jobs (zoom export, large still, video file): the live loop pauses while one runs (they share the device). */
  readonly jobs: JobRunner;
  /** The stage's size in device pixels, as the page last said (null: not yet). */
  private display: Size | null = null;
  /** The person's settings; the loop runs them moved by the sound's mappings (see frameSettings). */
  private base: Settings;
  private readonly sound = new LiveDrive();

  constructor(
    private readonly runner: ModelRunner,
    private readonly painter: Painter,
    settings: Settings,
    private readonly post: Post,
    /** WebGPU's storage-buffer binding limit (the adapter's), for the tiles of a large render. */
    private readonly maxBufferBytes?: number,
  ) {
    this.base = settings;
    this.adaptive = initialAdaptive(adaptiveLimits(currentProfile().adaptive, settings), currentProfile().adaptive.start);
    this.loop = new Loop(runner, settings, this.adaptive.resolution, {
      firstStep: (step) => this.sampledStep(step),
      onError: (message) => this.post({ type: 'error', message, fatal: false, cause: 'nan' }),
      onCheckpoint: (image) => void frameBitmap(image).then((bitmap) => this.post({ type: 'checkpoint', image: bitmap })),
      onStats: () => this.post({ type: 'stats', stats: this.stats() }),
      cache: new IdbAtlasCache(),
    });
    this.jobs = new JobRunner(jobKinds({ runner, loop: this.loop, maxBufferBytes }), { post, maskCopy: () => this.loop.mask?.copy() ?? null });
  }

  /** The scheduler's limits: the settings, the backend, and the picture's size as the stage shows it. */
  private limits(settings = this.loop.settings): AdaptiveLimits {
    const img = this.loop.mode?.image ?? this.loop.source;
    const picture = img ? { width: img.shape[2], height: img.shape[1] } : null;
    return adaptiveLimits(currentProfile().adaptive, { ...settings, shownSide: shownLongSide(picture, this.display, settings.fit) });
  }

  setSettings(next: Settings): void {
    this.base = next;
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

  /** The live sound's features (null: it stopped): kept for the next frames, never waited on. */
  setAudio(features: LiveFeatures | null): void {
    this.sound.setFeatures(features, performance.now());
  }

  /**
   * Before a frame: the base settings moved by the sound's mappings. Only live settings are targets (the schema
   * checks it), so the running mode takes them between two steps, no rebuild; with nothing to move, nothing is done.
   */
  private frameSettings(): void {
    const next = this.sound.settings(this.base, performance.now());
    if (next !== this.loop.settings) this.loop.setSettings(next);
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
    withPicture(bitmap, (frame) => this.loop.cameraFrame(frame));
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
    withPicture(bitmap, (x) => this.loop.restore(x));
  }

  injectNaN(): void {
    this.loop.injectNaN();
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

  /** A click on the shown picture: the mode's answer goes to the page (which takes any settings it carries). */
  async pick(u: number, v: number, how?: PickHow): Promise<void> {
    const picked = await this.loop.mode?.pick?.(u, v, how);
    if (picked) this.post({ type: 'picked', ...picked });
  }

  /** What the mode shows beside the picture, asked for now and then (never two at once); none for most modes. */
  private inspectNow(): void {
    const mode = this.loop.mode;
    const now = performance.now();
    if (!mode?.inspect || this.inspecting || now - this.inspectedAt < INSPECT_MS) return;
    this.inspecting = true;
    this.inspectedAt = now;
    mode
      .inspect()
      .then((inspection) => inspection && this.post({ type: 'inspection', inspection }))
      .catch((e: unknown) => this.post({ type: 'notice', message: `the lens could not read the layer: ${(e as Error).message}` }))
      .finally(() => (this.inspecting = false));
  }

  /** Runs until stop(); each iteration is one displayed frame. */
  async run(): Promise<void> {
    this.running = true;
    while (this.running) {
      if (this.jobs.busy || this.loop.idle) {
        await this.drain();
        this.loop.noteHeld();
        await sleep(50);
        continue;
      }
      this.frameSettings();
      await this.loop.frame(this.adaptive.stepsPerFrame, (image, steps) => this.present(image, steps));
      this.inspectNow();
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

  /** The mapped settings' values the loop runs now. */
  private driven(): Record<string, number> {
    return Object.fromEntries(
      this.base.audio.mappings.flatMap((m) => {
        const v = targetValue(this.loop.settings, m.target);
        return v === undefined ? [] : [[m.target, v]];
      }),
    );
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
      ...(this.sound.active ? { driven: this.driven() } : {}),
    };
  }
}

/** A decoded picture as the model's [1,H,W,3], bounded in size. */
function bitmapToModel(bitmap: ImageBitmap): tf.Tensor4D {
  return tf.tidy(() => pixelsToModel(bitmapToPixels(bitmap, SOURCE_MAX_SIDE)));
}

/** Hands `use` the bitmap as the model's picture, which it borrows (the loop copies what it keeps). */
function withPicture(bitmap: ImageBitmap, use: (x: tf.Tensor4D) => void): void {
  const x = bitmapToModel(bitmap);
  try {
    use(x);
  } finally {
    x.dispose();
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
