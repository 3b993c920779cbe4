import * as tf from '@tensorflow/tfjs';
import { CrossFade } from '../image/crossfade';
import type { Mask } from '../mask/mask';
import type { ModelRunner } from '../model/runner';
import type { AtlasCache } from '../lens/atlas';
import type { Change, Mode, ModeContext, StepHook } from '../modes/mode';
import { BUILT_IN_MODES, type ModeRegistry } from '../modes/registry';
import { Guide } from '../objectives/guide';
import type { Settings } from '../params/settings';
import { workingSize } from '../render/frames';
import { Checkpoint, CHECKPOINT_MS } from './checkpoint';
import { Controls, type LoopControl } from './controls';
import { allFinite, healthProbe } from './health';

/** Losses are read back every this many frames (and at least every STATS_MAX_MS). */
export const STATS_EVERY = 4;
export const STATS_MAX_MS = 500;
/** The smallest long side a working frame gets, whatever the scheduler asks. */
const MIN_RESOLUTION = 96;
/** Guide images are fitted to this square: the size the network was trained at, and a bounded cost. */
const GUIDE_SIDE = 224;

export const NAN_MESSAGE = 'the optimisation produced NaN: restarted from the last good frame';

export interface LoopOptions {
  /** The modes the settings may name; the built-in ones unless a test adds its own. */
  modes?: ModeRegistry;
  /** Where modes keep what they render once (the lens's atlas tiles): the browser's storage in the worker. */
  cache?: AtlasCache;
  /** The clock (ms) for the stats cadence and checkpoints; performance.now() unless a test injects one. */
  now?: () => number;
  checkpointMs?: number;
  /** Runs each frame's first step (the worker times one on the device now and then). */
  firstStep?: StepHook;
  /** The optimisation diverged; the loop has restarted from the last good frame. */
  onError?: (message: string) => void;
  /** A new last good frame, owned by the loop and kept until the next one (at least `checkpointMs`). */
  onCheckpoint?: (image: tf.Tensor4D) => void;
  /** Fresh figures: losses were read back, or a frame ran no step (a repaint). */
  onStats?: () => void;
}

/** Puts a frame's picture on screen (the loop disposes it afterwards); `steps` is what the frame ran. */
export type Present = (image: tf.Tensor4D, steps: number) => Promise<void> | void;

/**
 * The live loop on tensors: the sources, the current mode, pause and step, reset and restore, cross-fades, NaN
 * recovery and checkpoints. No DOM: the worker feeds it tensors and paints what it presents; tests drive it on Node.
 */
export class Loop {
  private current: Mode | null = null;
  private content: tf.Tensor4D | null = null;
  /** The style pictures by slot (the first painting, a second to blend with, …). */
  private styles: (tf.Tensor4D | null)[] = [];
  private guide: Guide | null = null;
  private maskHeld: Mask | null = null;
  private readonly controls = new Controls();
  private readonly fade = new CrossFade();
  private readonly checkpoint: Checkpoint;
  private readonly now: () => number;
  private resolution: number;
  private frames = 0;
  private lastStatsAt = 0;
  private nanInjected = false;
  private reportNext = false;
  private lastLosses: Record<string, number> = {};
  private reading: Promise<void> = Promise.resolve();
  /** The health probe read in flight (a small tensor that lives until its asynchronous read returns). */
  private probe: tf.Tensor | null = null;
  private heldBetweenFrames: { tensors: number; bytes: number } | null = null;
  private disposed = false;

  constructor(
    private readonly runner: ModelRunner,
    private currentSettings: Settings,
    resolution: number,
    private readonly options: LoopOptions = {},
  ) {
    this.resolution = resolution;
    this.now = options.now ?? (() => performance.now());
    this.checkpoint = new Checkpoint(options.checkpointMs ?? CHECKPOINT_MS);
  }

  // ---- state --------------------------------------------------------------------------------------------------

  get settings(): Settings {
    return this.currentSettings;
  }

  get mode(): Mode | null {
    return this.current;
  }

  get paused(): boolean {
    return this.controls.paused;
  }

  /** Nothing to run: no picture yet, or paused with no step pending and nothing to repaint. */
  get idle(): boolean {
    return !this.current || this.controls.idle;
  }

  get iteration(): number {
    return this.current?.iteration ?? 0;
  }

  /** The last losses read back, by name. */
  get losses(): Record<string, number> {
    return this.lastLosses;
  }

  /** The chosen picture (owned by the loop). */
  get source(): tf.Tensor4D | null {
    return this.content;
  }

  /**
   * The sources as a mode is built from them (borrowed, like source), for a still of the live look (Render large);
   * null before a picture.
   */
  get modeContext(): ModeContext | null {
    return this.content ? this.context(this.content) : null;
  }

  /** The last good frame (owned by the loop), or null before the first checkpoint. */
  get lastGood(): tf.Tensor4D | null {
    return this.checkpoint.image;
  }

  /**
   * Memory held between frames, without the probe in flight. Stats are posted from asynchronous callbacks that
   * land inside a frame, where its temporaries are alive; the figure people (and the leak tests) read is this one.
   */
  get held(): { tensors: number; bytes: number } {
    if (this.heldBetweenFrames) return this.heldBetweenFrames;
    const m = tf.memory();
    return { tensors: m.numTensors, bytes: m.numBytes };
  }

  /** Notes the memory held now; call between frames. */
  noteHeld(): void {
    const m = tf.memory();
    const probe = this.probe;
    this.heldBetweenFrames = { tensors: m.numTensors - (probe ? 1 : 0), bytes: m.numBytes - (probe ? probe.size * 4 : 0) };
  }

  /** Resolves when the losses read in flight (if any) have been handled. */
  settled(): Promise<void> {
    return this.reading;
  }

  // ---- inputs -------------------------------------------------------------------------------------------------

  /** New settings; `resolution` is the scheduler's long side for them (a mode switch resets it). */
  setSettings(next: Settings, resolution?: number): void {
    this.currentSettings = next;
    if (resolution !== undefined) this.resolution = resolution;
    if (!this.current) return this.rebuild();
    this.follow(this.current.apply(next));
  }

  /** The scheduler's long side: a stream resamples, style restarts from its picture. */
  setResolution(resolution: number): void {
    if (resolution === this.resolution) return;
    this.resolution = resolution;
    this.fit();
  }

  /** A new picture to dream on (the loop takes it): every mode starts over from it, fading in. */
  setContent(x: tf.Tensor4D): void {
    this.startFade();
    this.content?.dispose();
    this.content = x;
    this.rebuild();
  }

  /** A new style picture for `slot` (the loop takes it). */
  setStyle(x: tf.Tensor4D, slot = 0): void {
    this.styles[slot]?.dispose();
    this.styles[slot] = x;
    if (this.current) this.follow(this.current.styleChanged());
  }

  /** A new guide picture (consumed): its features at the dream's layers pull the dream from the next step. */
  setGuide(x: tf.Tensor4D): void {
    let next: Guide;
    try {
      next = new Guide(this.runner, x, this.settings.dream.layers.map((l) => l.name), GUIDE_SIDE);
    } finally {
      x.dispose();
    }
    this.current?.setGuide(next.features);
    this.guide?.dispose();
    this.guide = next;
  }

  /** A new mask (the loop takes it), or none: the look applies only where it is painted, from the next step. */
  setMask(mask: Mask | null): void {
    const old = this.maskHeld;
    this.maskHeld = mask;
    if (this.current) this.follow(this.current.setMask(mask));
    old?.dispose();
  }

  /** The mask in use (owned by the loop), or null. */
  get mask(): Mask | null {
    return this.maskHeld;
  }

  /** A camera frame (borrowed). The first one is the picture when there is none yet. */
  cameraFrame(frame: tf.Tensor4D): void {
    if (!this.content) {
      this.content = frame.clone();
      this.rebuild();
    }
    this.current?.cameraFrame(frame);
  }

  control(action: LoopControl): void {
    const c = this.controls;
    if (action === 'pause') c.pause();
    else if (action === 'resume') c.resume();
    else if (action === 'step') c.step();
    else {
      // Paused, the reset picture is shown at once, without a fade that would need frames to play.
      if (c.paused) this.fade.dispose();
      else this.startFade();
      this.rebuild();
      // The losses read belong to the picture left behind: none until a step of the reset picture is read.
      this.lastLosses = {};
      c.repaint = true;
    }
  }

  /** Restarts from a saved frame (borrowed), e.g. the page's checkpoint after a crash. */
  restore(x: tf.Tensor4D): void {
    this.rebuild(x);
  }

  /** Test hook: the next frame's losses read as NaN, as if the step had diverged. */
  injectNaN(): void {
    this.nanInjected = true;
  }

  /** The picture without the fade, a new tensor the caller disposes (snapshots). */
  display(): tf.Tensor4D | null {
    return this.current?.display() ?? null;
  }

  // ---- frames -------------------------------------------------------------------------------------------------

  /**
   * One displayed frame: the steps the controls allow (`stepsPerFrame` running, one pending step or none
   * paused), the picture faded and presented, then now and then an asynchronous read of the losses and the
   * image (stats, the NaN check, the checkpoint).
   */
  async frame(stepsPerFrame: number, present: Present): Promise<void> {
    const mode = this.current;
    if (!mode) return;
    const steps = this.controls.take(stepsPerFrame);
    const out = mode.frame(steps, this.options.firstStep);
    let losses = out.losses;
    if (this.nanInjected && losses) {
      // Simulates a step that diverged: the recovery below must notice and restore the last good frame.
      this.nanInjected = false;
      const n = losses.shape[0];
      losses.dispose();
      losses = tf.fill([n], Number.NaN) as tf.Tensor1D;
      this.reportNext = true;
    }
    const shown = this.fade.mix(out.image);
    try {
      await present(shown, steps);
    } finally {
      shown.dispose();
    }
    if (!losses) {
      this.options.onStats?.();
      this.noteHeld();
      return;
    }
    try {
      this.frames += 1;
      // The first frame reports at once (the figures fill in as soon as anything runs), then every few frames;
      // a slow device reports at least twice a second, so the figures a person reads are never stale.
      const now = this.now();
      const due = this.frames === 1 || this.frames % STATS_EVERY === 0 || this.paused || this.reportNext || now - this.lastStatsAt > STATS_MAX_MS;
      if (due) {
        this.reportNext = false;
        this.lastStatsAt = now;
        // One read at a time: the previous one has finished long before on any healthy device.
        await this.reading;
        const target = this.current;
        if (target && !this.disposed) this.read(mode.lossNames, losses, target.image);
      }
    } finally {
      losses.dispose();
    }
    this.noteHeld();
  }

  private read(names: readonly string[], losses: tf.Tensor1D, image: tf.Tensor4D): void {
    const probe = healthProbe(losses, image);
    this.probe = probe;
    this.reading = probe.data().then(
      (v) => {
        probe.dispose();
        if (this.probe === probe) this.probe = null;
        this.onRead(names, v);
      },
      (e: unknown) => {
        probe.dispose();
        if (this.probe === probe) this.probe = null;
        throw e;
      },
    );
  }

  private onRead(names: readonly string[], values: ArrayLike<number>): void {
    if (this.disposed) return;
    if (!allFinite(values)) {
      this.options.onError?.(NAN_MESSAGE);
      this.rebuild(this.checkpoint.image ?? undefined);
      return;
    }
    const losses: Record<string, number> = {};
    names.forEach((n, i) => (losses[n] = Number(values[i])));
    this.lastLosses = losses;
    const mode = this.current;
    const kept = mode && this.checkpoint.offer(this.now(), () => mode.display());
    if (kept) this.options.onCheckpoint?.(kept);
    this.options.onStats?.();
  }

  // ---- modes --------------------------------------------------------------------------------------------------

  private context(content: tf.Tensor4D): ModeContext {
    return { runner: this.runner, content, styles: this.styles, guide: this.guide?.features, mask: this.maskHeld, cache: this.options.cache };
  }

  /** Working [h, w] for the current resolution, following the content's aspect ratio. */
  private workingSize(): [number, number] {
    const [h, w] = this.content ? [this.content.shape[1], this.content.shape[2]] : [1, 1];
    return workingSize(h, w, Math.max(MIN_RESOLUTION, this.resolution));
  }

  /**
   * (Re)builds the mode the settings name, from `start` when given (a mode switch keeps the picture), counting its
   * iterations from `iteration` (a new working size carries the count on).
   */
  private rebuild(start?: tf.Tensor4D, iteration = 0): void {
    if (!this.content) return;
    const old = this.current;
    this.current = (this.options.modes ?? BUILT_IN_MODES).createLive(this.settings, this.context(this.content), this.workingSize(), start, iteration);
    old?.dispose();
  }

  /** Does what a mode said a change means. */
  private follow(change: Change): void {
    if (change.kind === 'rebuild') {
      if (change.fade) this.startFade();
      return this.rebuild(change.from === 'image' ? this.current?.image : undefined);
    }
    if (change.kind === 'handover') this.current = change.next;
    this.fit();
  }

  /** Brings the mode to the working size (after a resolution change). */
  private fit(): void {
    if (!this.current) return;
    const [h, w] = this.workingSize();
    const change = this.current.resize(h, w);
    if (change.kind === 'rebuild') this.rebuild(change.from === 'image' ? this.current.image : undefined, change.carry ? this.current.iteration : 0);
  }

  /** Keeps what is on screen now, to cross-fade from it into whatever comes next. */
  private startFade(): void {
    if (!this.current) return;
    const shown = this.current.display();
    this.fade.start(shown, this.settings.crossfade);
    shown.dispose();
  }

  /** Frees everything the loop holds; a read still in flight is ignored when it lands. */
  dispose(): void {
    this.disposed = true;
    this.current?.dispose();
    this.current = null;
    this.content?.dispose();
    for (const x of this.styles) x?.dispose();
    this.styles = [];
    this.content = null;
    this.guide?.dispose();
    this.guide = null;
    this.maskHeld?.dispose();
    this.maskHeld = null;
    this.checkpoint.dispose();
    this.fade.dispose();
  }
}
