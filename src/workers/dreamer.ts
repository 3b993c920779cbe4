import * as tf from '@tensorflow/tfjs';
import { pixelsToModel } from '../engine/image/convert';
import { cover } from '../engine/image/geometry';
import type { ModelRunner } from '../engine/model/runner';
import { guideFeatures, type GuideFeatures } from '../engine/objectives/dream';
import type { Settings } from '../engine/params/settings';
import { streamParams, type StreamParams } from '../engine/params/stream';
import type { Session } from '../engine/sessions/session';
import { StreamSession } from '../engine/sessions/stream-session';
import { StyleSession } from '../engine/sessions/style-session';
import { CrossFade } from '../engine/image/crossfade';
import { MotionMeter } from '../engine/image/motion';
import { adapt, initialAdaptive, modeFloor, type AdaptiveLimits, type AdaptiveState } from './adaptive';
import { encodePng, frameBitmap, Painter } from './painter';
import { exportZoom, type ZoomExportJob } from './zoom-export';
import { bitmapToPixels } from './pixels';
import { workDone } from './fence';
import { FrameClock } from './frame-clock';
import { gpuTimed } from './gpu-timer';
import type { ControlAction, FromWorker, SourceRole, Stats } from './protocol';

type Post = (m: FromWorker) => void;

/** Sources are kept at most this large: enough for any working resolution, bounded in memory. */
const SOURCE_MAX_SIDE = 1024;
const STATS_EVERY = 4;
const STATS_MAX_MS = 500;
/** How often one step is timed on the device (timing ends the compute pass after every kernel: not every step). */
const GPU_SAMPLE_MS = 10_000;
const CHECKPOINT_MS = 3000;
/**
 * Frames queued on the device at most. One is being drawn while the next is prepared; more would only add
 * latency, and on a slow GPU a deep queue starves the compositor (the page stops answering).
 */
const MAX_IN_FLIGHT = 2;
/** Step once presses kept while paused; more than this is a held key, not intent. */
const MAX_PENDING_STEPS = 100;

const LIMITS: Record<string, Omit<AdaptiveLimits, 'fixedResolution' | 'fixedSteps'> & { start: number }> = {
  webgpu: { targetMs: 33, minResolution: 256, maxResolution: 768, maxSteps: 4, start: 512, step: 128 },
  webgl: { targetMs: 50, minResolution: 96, maxResolution: 512, maxSteps: 3, start: 224 },
  wasm: { targetMs: 250, minResolution: 96, maxResolution: 384, maxSteps: 2, start: 224 },
  cpu: { targetMs: 400, minResolution: 96, maxResolution: 224, maxSteps: 1, start: 96 },
};

/**
 * The continuous loop of the worker: runs the current mode's session, paints every frame, reports stats
 * asynchronously, adapts resolution and steps per frame, and keeps a checkpoint of the last good frame.
 */
export class Dreamer {
  private session: Session | null = null;
  private content: tf.Tensor4D | null = null;
  private style: tf.Tensor4D | null = null;
  private guide: GuideFeatures | undefined;
  private adaptive: AdaptiveState;
  private paused = false;
  /** Step once presses not yet run: every press counts, however fast they come. */
  private pendingSteps = 0;
  /** Paint the current picture without stepping (a reset while paused shows at once). */
  private repaint = false;
  private readonly clock = new FrameClock(3000, 8);
  private lastStatsAt = 0;
  private lastGpuSampleAt = 0;
  /** Device time of the last sampled step, where timestamp queries exist. */
  private gpuMsPerStep: number | undefined;
  private inFlight: { done: Promise<number>; steps: number }[] = [];
  /** The losses read in flight (a small tensor that lives until its asynchronous read returns). */
  private pendingRead: tf.Tensor | null = null;
  /**
   * Memory held between frames. Stats are posted from asynchronous callbacks that land inside a frame, where its
   * temporaries are alive; the figure people (and the leak tests) read is the one between frames.
   */
  private held: { tensors: number; bytes: number } | null = null;
  private running = false;
  private fault: 'nan' | null = null;
  private lastGood: tf.Tensor4D | null = null;
  private lastCheckpoint = 0;
  private frame = 0;
  private losses: Record<string, number> = {};
  private statsRead: Promise<void> = Promise.resolve();
  private readonly fade = new CrossFade();
  /** The export in progress, if any: the live loop pauses while it runs (they share the device). */
  private exporting: { id: number; cancelled: boolean } | null = null;
  private readonly motion = new MotionMeter();

  constructor(
    private readonly runner: ModelRunner,
    private readonly painter: Painter,
    private settings: Settings,
    private readonly post: Post,
  ) {
    this.adaptive = initialAdaptive(this.limits(), this.limitsFor().start);
  }

  private limitsFor() {
    return LIMITS[tf.getBackend()] ?? LIMITS.wasm!;
  }

  private limits(): AdaptiveLimits {
    const l = this.limitsFor();
    // Each mode keeps a floor that still makes a picture (style at 96 px is mush): fewer frames, not mush.
    const minResolution = Math.min(l.maxResolution, modeFloor(this.settings.mode, l.minResolution));
    return { ...l, minResolution, fixedResolution: this.settings.resolution, fixedSteps: this.settings.stepsPerFrame };
  }

  /** Working [h, w] for the current resolution, following the content's aspect ratio. */
  private workingSize(): [number, number] {
    const long = Math.max(96, this.adaptive.resolution);
    const [h, w] = this.content ? [this.content.shape[1], this.content.shape[2]] : [1, 1];
    const even = (n: number) => Math.max(80, Math.round(n / 2) * 2);
    return h >= w ? [even(long), even((long * w) / h)] : [even((long * h) / w), even(long)];
  }

  private streamFor(s: Settings): StreamParams {
    if (s.mode !== 'webcam') return s.stream;
    // Webcam dreaming: the camera is the source; no zoom, so motion shows through where the dream is thin.
    // Gating scales the pull between a fifth of it (a still scene dreams deeper) and all of it (motion).
    const gate = 1 - s.webcamGate * (1 - Math.min(1, 0.2 + this.motion.value));
    return streamParams({ ...s.stream, zoom: 1, rotate: 0, driftX: 0, driftY: 0, blend: s.webcamBlend * gate });
  }

  /** Keep what is on screen now, to cross-fade from it into whatever comes next. */
  private startFade(): void {
    if (!this.session) return;
    const shown = this.session.display();
    this.fade.start(shown, this.settings.crossfade);
    shown.dispose();
  }

  /** (Re)builds the session for the current mode, starting from `start` when given (mode switch keeps the image). */
  private rebuild(start?: tf.Tensor4D): void {
    if (!this.content) return;
    const [h, w] = this.workingSize();
    const old = this.session;
    const base = start ?? this.content;
    if (this.settings.mode === 'style') {
      const content = cover(this.content, h, w);
      const style = this.style ?? this.content;
      this.session = new StyleSession(this.runner, content, style, this.settings.style, start);
      content.dispose();
    } else {
      const initial = cover(base, h, w);
      this.session = new StreamSession(this.runner, initial, this.settings.dream, this.streamFor(this.settings), this.guide);
      initial.dispose();
    }
    old?.dispose();
  }

  setSettings(next: Settings): void {
    const prev = this.settings;
    this.settings = next;
    const s = this.session;
    // dream ↔ webcam share a stream session; only a switch to or from style needs a new one.
    const modeChanged = (prev.mode === 'style') !== (next.mode === 'style');
    if (next.resolution !== prev.resolution || next.stepsPerFrame !== prev.stepsPerFrame || next.mode !== prev.mode) {
      const limits = this.limits();
      this.adaptive = initialAdaptive(limits, Math.max(this.adaptive.resolution, limits.minResolution));
      this.clock.reset();
    }
    // Leaving the webcam goes back to the picture chosen before it, not to the last camera frame.
    const leavingWebcam = prev.mode === 'webcam' && next.mode !== 'webcam';
    if (!s || modeChanged || leavingWebcam) {
      this.startFade();
      return this.rebuild(leavingWebcam ? undefined : s?.image);
    }
    if (s instanceof StreamSession) {
      s.setParams(next.dream, this.streamFor(next));
    } else if (s instanceof StyleSession) {
      const p = prev.style;
      const n = next.style;
      const structural = p.contentLayer !== n.contentLayer || JSON.stringify(p.styleLayers) !== JSON.stringify(n.styleLayers) || p.init !== n.init;
      if (structural) return this.rebuild(p.init !== n.init ? undefined : s.image);
      s.setWeights(n);
    }
    this.fitToWorkingSize();
  }

  /** Brings the session to the working size (after a resolution change): a stream resamples, style restarts from it. */
  private fitToWorkingSize(): void {
    const s = this.session;
    const [h, w] = this.workingSize();
    if (s instanceof StreamSession) s.resize(h, w);
    else if (s instanceof StyleSession && (s.image.shape[1] !== h || s.image.shape[2] !== w)) this.rebuild(s.image);
  }

  setSource(role: SourceRole, bitmap: ImageBitmap): void {
    const x = bitmapToModel(bitmap);
    if (role === 'content') {
      this.startFade();
      this.content?.dispose();
      this.content = x;
      this.rebuild();
    } else if (role === 'style') {
      this.style?.dispose();
      this.style = x;
      if (this.settings.mode === 'style') this.rebuild(this.session?.image);
    } else {
      const layers = this.settings.dream.layers.map((l) => l.name);
      const features = tf.tidy(() => guideFeatures(this.runner.run(cover(x, 224, 224), layers)));
      x.dispose();
      this.disposeGuide();
      this.guide = features;
      if (this.session instanceof StreamSession) this.session.setGuide(features);
    }
  }

  cameraFrame(bitmap: ImageBitmap): void {
    const frame = bitmapToModel(bitmap);
    if (!this.content) {
      this.content = frame.clone();
      this.rebuild();
    }
    void this.motion.update(frame);
    if (this.session instanceof StreamSession && this.settings.mode === 'webcam') {
      this.session.setSource(frame);
      this.session.setParams(this.settings.dream, this.streamFor(this.settings));
    }
    frame.dispose();
  }

  control(action: ControlAction): void {
    if (action === 'pause' || action === 'resume') {
      this.paused = action === 'pause';
      if (!this.paused) this.pendingSteps = 0;
      // The time spent paused is no frame's cost.
      this.clock.reset();
    } else if (action === 'step') {
      this.paused = true;
      this.pendingSteps = Math.min(MAX_PENDING_STEPS, this.pendingSteps + 1);
      this.clock.reset();
    } else {
      // Paused, the reset picture is shown at once, without a fade that would need frames to play.
      if (this.paused) this.fade.dispose();
      else this.startFade();
      this.rebuild();
      this.repaint = true;
    }
    this.post({ type: 'control-done', action, paused: this.paused });
    // The overlay shows where the picture stands now, not a few frames ago (stats come every few frames).
    if (this.session) this.post({ type: 'stats', stats: this.stats() });
  }

  restore(bitmap: ImageBitmap): void {
    const x = bitmapToModel(bitmap);
    this.rebuild(x);
    x.dispose();
  }

  /** Renders a frame-exact zoom video from the current picture with the current settings. */
  async exportZoom(id: number, job: ZoomExportJob): Promise<void> {
    if (this.exporting) throw new Error('an export is already running');
    if (!this.content) throw new Error('no picture to export from yet');
    this.exporting = { id, cancelled: false };
    const state = this.exporting;
    try {
      const stream = streamParams({ ...this.streamFor(this.settings), blend: 0 });
      const result = await exportZoom(this.runner, this.content, this.settings.dream, stream, job, (frame) => {
        this.post({ type: 'export-progress', id, frame, frames: job.frames });
      }, () => state.cancelled);
      this.post({ type: 'export-done', id, ...result });
    } finally {
      this.exporting = null;
    }
  }

  cancelExport(id: number): void {
    if (this.exporting?.id === id) this.exporting.cancelled = true;
  }

  injectNaN(): void {
    this.fault = 'nan';
  }

  async snapshot(id: number): Promise<void> {
    if (!this.session) throw new Error('nothing to snapshot yet');
    const shown = this.session.display();
    try {
      const { png, width, height } = await encodePng(shown);
      this.post({ type: 'snapshot', id, png, width, height });
    } finally {
      shown.dispose();
    }
  }

  /** Runs until stop(); each iteration is one displayed frame. */
  async run(): Promise<void> {
    this.running = true;
    while (this.running) {
      const idle = this.paused && this.pendingSteps === 0 && !this.repaint;
      if (!this.session || this.exporting || idle) {
        await this.drain();
        this.noteHeldMemory();
        await sleep(50);
        continue;
      }
      await this.frameOnce();
      this.noteHeldMemory();
      await yieldToMessages();
    }
    await this.drain();
    this.release();
  }

  /** Ends the loop; what the worker holds is freed once the current frame is done. */
  stop(): void {
    this.running = false;
  }

  private release(): void {
    this.session?.dispose();
    this.session = null;
    tf.dispose([this.content, this.style, this.lastGood].filter((t): t is tf.Tensor4D => t !== null));
    this.content = this.style = this.lastGood = null;
    this.disposeGuide();
    this.fade.dispose();
    this.motion.dispose();
  }

  private async frameOnce(): Promise<void> {
    const session = this.session!;
    // Paused, a frame runs one pending step, or none (a repaint).
    const steps = this.paused ? Math.min(1, this.pendingSteps) : this.adaptive.stepsPerFrame;
    if (this.paused) this.pendingSteps -= steps;
    this.repaint = false;
    let losses: tf.Tensor1D | null = null;
    for (let i = 0; i < steps; i++) {
      losses?.dispose();
      losses = i === 0 ? this.sampledStep(session) : session.step();
    }
    if (this.fault === 'nan' && losses) {
      // Simulates a step that diverged: the recovery below must notice and restore the last good frame.
      this.fault = null;
      losses.dispose();
      losses = tf.fill([session.lossNames.length], Number.NaN) as tf.Tensor1D;
      this.frame = STATS_EVERY - 1;
    }
    if (steps > 0 && this.session instanceof StreamSession) this.session.advance();
    const shown = this.fade.mix(this.session!.display());
    try {
      await this.painter.paint(shown);
    } finally {
      shown.dispose();
    }
    this.inFlight.push({ done: workDone().then(() => performance.now()), steps });
    // Wait for the frame before this one: the device never holds more than MAX_IN_FLIGHT frames.
    while (this.inFlight.length >= MAX_IN_FLIGHT) await this.finishOldest();
    if (!losses) return this.post({ type: 'stats', stats: this.stats() });
    this.frame += 1;
    // The first frame reports at once (the overlays fill in as soon as anything runs), then every few frames.
    // A slow device reports at least twice a second, so the figures a person reads are never stale.
    const due = this.frame === 1 || this.frame % STATS_EVERY === 0 || this.paused || performance.now() - this.lastStatsAt > STATS_MAX_MS;
    if (due) {
      this.lastStatsAt = performance.now();
      // One read at a time: the previous one has finished long before on any healthy device.
      await this.statsRead;
      const names = this.session!.lossNames;
      // The image's sum rides along with the losses: a NaN pixel can leave the loss finite (ReLU maps NaN to 0
      // on some backends), so the image itself is checked too, in the same asynchronous read.
      const current = this.session!.image;
      const pending = tf.tidy(() => tf.concat([losses!, current.sum().reshape([1])]));
      this.pendingRead = pending;
      this.statsRead = pending.data().then((v) => {
        pending.dispose();
        if (this.pendingRead === pending) this.pendingRead = null;
        this.onLosses(names, v);
      });
    }
    losses.dispose();
  }

  /** One step, now and then timed on the device for the overlay's GPU figure. */
  private sampledStep(session: Session): tf.Tensor1D {
    const now = performance.now();
    if (now - this.lastGpuSampleAt < GPU_SAMPLE_MS) return session.step();
    this.lastGpuSampleAt = now;
    const { result, gpuMs } = gpuTimed(() => session.step());
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
    if (this.paused || f.steps === 0) return;
    const frameMs = this.clock.finish(at, f.steps);
    if (frameMs === null) return;
    const before = this.adaptive.resolution;
    this.adaptive = adapt(this.adaptive, frameMs, this.limits());
    if (this.adaptive.resolution !== before) {
      this.fitToWorkingSize();
      // The next frames compile and run new shapes: their time says nothing about the steady rate yet.
      this.clock.reset();
    }
  }

  private async drain(): Promise<void> {
    while (this.inFlight.length) await this.finishOldest();
  }

  private onLosses(names: readonly string[], values: Float32Array | Int32Array | Uint8Array): void {
    const losses: Record<string, number> = {};
    names.forEach((n, i) => (losses[n] = Number(values[i])));
    if (!Array.from(values).every(Number.isFinite)) {
      this.post({ type: 'error', message: 'the optimisation produced NaN: restarted from the last good frame', fatal: false, cause: 'nan' });
      this.rebuild(this.lastGood ?? undefined);
      return;
    }
    this.losses = losses;
    const now = performance.now();
    if (this.session && now - this.lastCheckpoint > CHECKPOINT_MS) {
      this.lastCheckpoint = now;
      this.lastGood?.dispose();
      this.lastGood = this.session.display();
      void frameBitmap(this.lastGood).then((image) => this.post({ type: 'checkpoint', image }));
    }
    this.post({ type: 'stats', stats: this.stats() });
  }

  private noteHeldMemory(): void {
    const mem = tf.memory();
    const read = this.pendingRead;
    this.held = { tensors: mem.numTensors - (read ? 1 : 0), bytes: mem.numBytes - (read ? read.size * 4 : 0) };
  }

  stats(): Stats {
    const img = this.session?.image;
    const now = tf.memory();
    const mem = this.held ?? { tensors: now.numTensors, bytes: now.numBytes };
    return {
      fps: this.clock.fps,
      stepsPerSecond: this.clock.stepsPerSecond,
      msPerStep: this.clock.msPerStep,
      ...(this.gpuMsPerStep !== undefined ? { gpuMsPerStep: this.gpuMsPerStep } : {}),
      iteration: this.session?.iteration ?? 0,
      losses: this.losses,
      backend: tf.getBackend(),
      resolution: img ? [img.shape[2], img.shape[1]] : [0, 0],
      stepsPerFrame: this.adaptive.stepsPerFrame,
      paused: this.paused,
      mode: this.settings.mode,
      tensors: mem.tensors,
      bytes: mem.bytes,
    };
  }

  private disposeGuide(): void {
    if (this.guide) for (const t of Object.values(this.guide)) t.dispose();
    this.guide = undefined;
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
