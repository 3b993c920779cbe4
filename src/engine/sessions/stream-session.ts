import * as tf from '@tensorflow/tfjs';
import { channelMoments, guardColour, guardReference } from '../image/colour';
import { warp } from '../flow/warp';
import { FrameMover } from '../image/frame-mover';
import { PlannedTail } from '../plan/planned-tail';
import { cover } from '../image/geometry';
import type { ModelRunner } from '../model/runner';
import { Scalars } from '../model/scalars';
import type { GuideFeatures } from '../objectives/dream';
import type { DreamParams } from '../params/dream';
import type { StreamParams } from '../params/stream';
import { createRng } from '../random';
import { composite } from '../mask/mask';
import type { DreamRegions } from '../mask/regions';
import type { Tiler } from '../tiles/tiler';
import { dreamStep } from './dream-step';
import { wandered } from './wander';
import type { Session } from './session';

/** What a stream session may be given besides its first picture and parameters. */
export interface StreamSessionOptions {
  /** The guide picture's features: the steps pull toward them (guideWeight). */
  guide?: GuideFeatures;
  /** Tiles for frames larger than its tile (a 4K zoom export; the caller owns it); without one a frame is one piece. */
  tiler?: Tiler;
  /**
   * Footage only (a video, the webcam with flow): how much of each step's direction is the running average of the
   * steps before it, 0–1 (0: every step its own). See `steady`.
   */
  momentum?: number;
}

/**
 * The endless DeepDream stream: gradient steps on the current frame, then advance() zooms/rotates/drifts it,
 * optionally pulls it toward a source frame (the webcam), and guards its colours. Fed back forever, the network
 * keeps finding new things in what it drew. The frame stays at one size (fixed shapes: no shader recompiles).
 */
export class StreamSession implements Session {
  readonly lossNames = ['loss'] as const;
  private current: tf.Tensor4D;
  private source: tf.Tensor4D | null = null;
  private reference: { mean: tf.Tensor4D; std: tf.Tensor4D };
  private rng: () => number;
  private count = 0;
  /** Where the steps apply (the mask is the caller's); none: everywhere. */
  private regions: DreamRegions | undefined;
  private guide: GuideFeatures | undefined;
  private readonly tiler: Tiler | undefined;
  /** The feedback transform's filter taps, kept while the size and motion stay. */
  private readonly mover = new FrameMover();
  /** The same transform and guard recorded on WebGPU, once built for the frame's size. */
  private readonly tail = new PlannedTail();
  /** The steps' running direction (momentum > 0), carried along the footage's motion with the picture. */
  private direction: tf.Tensor4D | null = null;
  private momentum: number;
  /** The feedback transform's constants, held on the device (model/scalars.ts). */
  private readonly scalars = new Scalars();

  constructor(
    private readonly runner: ModelRunner,
    initial: tf.Tensor4D,
    private dream: DreamParams,
    private stream: StreamParams,
    { guide, tiler, momentum = 0 }: StreamSessionOptions = {},
  ) {
    this.momentum = 0;
    this.setMomentum(momentum);
    this.guide = guide;
    this.tiler = tiler;
    this.current = initial.clone();
    this.reference = guardReference(initial);
    this.rng = createRng(dream.seed);
  }

  get iteration(): number {
    return this.count;
  }

  get image(): tf.Tensor4D {
    return this.current;
  }

  get size(): [number, number] {
    return [this.current.shape[1], this.current.shape[2]];
  }

  setParams(dream: DreamParams, stream: StreamParams): void {
    if (dream.seed !== this.dream.seed) this.rng = createRng(dream.seed);
    this.dream = dream;
    this.stream = stream;
  }

  /**
   * Footage only: how much of each step's direction is the running average of the steps before it, 0–1 (0: every
   * step its own; the average kept so far is dropped). See `steady`.
   */
  setMomentum(momentum: number): void {
    if (!(momentum >= 0 && momentum < 1)) throw new Error(`momentum must be in [0, 1) (got ${momentum})`);
    this.momentum = momentum;
    if (momentum === 0) {
      this.direction?.dispose();
      this.direction = null;
    }
  }

  /** Replaces the guide features (owned by the caller). */
  setGuide(guide: GuideFeatures | undefined): void {
    this.guide = guide;
  }

  /** Confines the steps to a mask's regions (borrowed), or lets them apply everywhere again (undefined). */
  setRegions(regions: DreamRegions | undefined): void {
    this.regions = regions;
  }

  step(): tf.Tensor1D {
    const dream = wandered(this.dream, this.stream.wander, this.count);
    const { image, loss } = dreamStep(this.runner, this.current, dream, this.rng, { guide: this.guide, tiler: this.tiler, regions: this.regions });
    const next = this.momentum > 0 ? this.steady(image) : image;
    this.current.dispose();
    this.current = next;
    this.count += 1;
    const out = loss.reshape([1]) as tf.Tensor1D;
    loss.dispose();
    return out;
  }

  /**
   * The step from the current picture to `stepped` (consumed), replaced by the running direction of the steps at
   * the step's own size. Why: a normalised step is the same size however far the dream has grown, so on footage
   * each frame's steps redraw the dream by a few levels in whatever direction the new jitter and picture give: it
   * boils. Measured on a still scene, 3.3 of 255 levels a frame; with the flow's motion undone on a moving one, 3.3
   * against 10–11 for blending without flow, so no carry-over could do better than ~3×. Averaged along the motion,
   * the steps keep agreeing with the dream they built, the pull toward the footage balances them, and the dream
   * stands on the scene at full strength instead of being redrawn every frame.
   */
  private steady(stepped: tf.Tensor4D): tf.Tensor4D {
    const b = this.momentum;
    const [out, direction] = tf.tidy(() => {
      const u = stepped.sub(this.current);
      const d = this.direction ? this.direction.mul(b).add(u.mul(1 - b)) : u;
      const size = u.square().mean().sqrt();
      const scale = size.div(d.square().mean().sqrt().maximum(1e-12));
      const moved = this.current.add(d.mul(scale)) as tf.Tensor4D;
      // Where only the mask dreams, the outside keeps what the step left there (the footage), not a carried average.
      const kept = this.regions && !this.regions.outside ? composite(moved, stepped, this.regions.mask) : moved;
      return [kept, d] as tf.Tensor4D[];
    });
    stepped.dispose();
    this.direction?.dispose();
    this.direction = direction!;
    return out!;
  }

  /** The feedback transform between frames. */
  advance(): void {
    this.scalars.sweep();
    const next = this.recordedAdvance() ?? this.movedAndGuarded();
    this.current.dispose();
    this.current = next;
  }

  /** The feedback transform as tfjs kernels: the move, the source blended in, the guard, the mask's composite. */
  private movedAndGuarded(): tf.Tensor4D {
    const s = this.stream;
    return tf.tidy(() => {
      let x = this.mover.move(this.current, { zoom: s.zoom, rotate: s.rotate, dx: s.driftX, dy: s.driftY });
      const k = this.scalars.of;
      if (this.source && s.blend > 0) x = x.mul(k(1 - s.blend)).add(this.source.mul(k(s.blend)));
      const guarded = guardColour(x, this.reference, s.colourGuard);
      if (!this.regions || this.regions.outside) return guarded;
      // With nothing outside the mask, the outside is the source frame where there is one (the camera, a video's
      // footage), else the picture as the stream moved it; the guard corrects colours only where it dreams.
      return composite(guarded, this.source ?? x, this.regions.mask);
    });
  }

  /**
   * advance() recorded on WebGPU with nothing made a frame (plan/planned-tail.ts): the move and the guard, where
   * the frame neither blends a source in nor keeps to a mask; null: tfjs kernels run it.
   */
  private recordedAdvance(): tf.Tensor4D | null {
    const s = this.stream;
    if ((this.source && s.blend > 0) || this.regions) return null;
    const [h, w] = this.size;
    return this.tail.advance(this.runner, this.current, () => {
      const taps = this.mover.tapsOf(h, w, { zoom: s.zoom, rotate: s.rotate, dx: s.driftX, dy: s.driftY });
      if (taps === undefined) return undefined;
      return { taps, guard: s.colourGuard > 0 ? { ...this.reference, strength: s.colourGuard } : null };
    });
  }

  /**
   * Carries the picture along the source's motion (webcam flow): the picture is warped back along `flow`
   * [1,H,W,2] (each pixel of the newest source frame → where it was in the frame the picture was made for), and
   * where `confidence` [1,H,W,1] falls below 1 the source shows through in its place. Both are borrowed; a motion
   * of another size than the picture is ignored. Nothing else of the session changes.
   */
  carry(flow: tf.Tensor4D, confidence: tf.Tensor4D): void {
    const [h, w] = this.size;
    if (flow.shape[1] !== h || flow.shape[2] !== w || confidence.shape[1] !== h || confidence.shape[2] !== w) return;
    const next = tf.tidy(() => {
      const moved = warp(this.current, flow);
      if (!this.source) return moved;
      return this.source.add(moved.sub(this.source).mul(confidence)) as tf.Tensor4D;
    });
    this.current.dispose();
    this.current = next;
    if (this.direction) {
      // The steps' direction follows the picture: where the footage shows through, the average starts afresh.
      const direction = this.direction;
      this.direction = tf.tidy(() => warp(direction, flow).mul(confidence) as tf.Tensor4D);
      direction.dispose();
    }
  }

  /**
   * A new source frame (the webcam, a video's footage): fitted to the working size; its own moments become the colour
   * reference. Footage the stream is pulled toward keeps its colours as they are (a green room stays green); only a
   * free-running stream's reference is kept within guardReference's room to draw.
   */
  setSource(frame: tf.Tensor4D | null): void {
    this.source?.dispose();
    this.source = frame ? cover(frame, ...this.size) : null;
    if (this.source) this.setReference(channelMoments(this.source));
  }

  /** Starts the picture over from `frame` (borrowed), fitted to the working size; the steps' average is dropped. */
  restartFrom(frame: tf.Tensor4D): void {
    const next = cover(frame, ...this.size);
    this.current.dispose();
    this.current = next;
    this.direction?.dispose();
    this.direction = null;
  }

  /** Change the working resolution; the current frame is resampled. */
  resize(height: number, width: number): void {
    if (height === this.size[0] && width === this.size[1]) return;
    const next = cover(this.current, height, width);
    this.current.dispose();
    this.current = next;
    this.direction?.dispose();
    this.direction = null;
    if (this.source) {
      const src = cover(this.source, height, width);
      this.source.dispose();
      this.source = src;
    }
  }

  private setReference(ref: { mean: tf.Tensor4D; std: tf.Tensor4D }): void {
    this.reference.mean.dispose();
    this.reference.std.dispose();
    this.reference = ref;
  }

  display(): tf.Tensor4D {
    return this.current.clone();
  }

  dispose(): void {
    this.mover.dispose();
    this.tail.dispose();
    this.scalars.dispose();
    this.current.dispose();
    this.direction?.dispose();
    this.source?.dispose();
    this.reference.mean.dispose();
    this.reference.std.dispose();
  }
}
