import type * as tf from '@tensorflow/tfjs';
import { FlowTracker } from '../flow/tracker';
import { cover } from '../image/geometry';
import type { ModelRunner } from '../model/runner';
import type { GuideFeatures } from '../objectives/dream';
import type { DreamParams } from '../params/dream';
import { streamParams } from '../params/stream';
import type { DreamRegions } from '../mask/regions';
import { StreamSession } from '../sessions/stream-session';

/** How a video is dreamed: the flow carry-over, the steps per frame and how much of each new frame comes through. */
export interface VideoDreamOptions {
  /** Carry the previous dreamed frame along the optical flow between input frames (off: blend the frames in). */
  flow: boolean;
  /** Dream steps per video frame (0: the frames pass through the carry-over only). */
  stepsPerFrame: number;
  /**
   * The pull toward each new input frame before its steps: with flow the share that keeps the picture on the
   * footage and balances the steps' steady direction (see `momentum`), without it the cross-fade that lets motion
   * through (`webcamBlend`).
   */
  pull: number;
  /** The colour guard toward each input frame's mean and spread (as the stream's). */
  colourGuard: number;
  /**
   * With flow: how much of each step's direction is the average of the steps before it, carried along the motion
   * (StreamSession's momentum), so the dream stands on the footage instead of being redrawn every frame.
   */
  momentum: number;
}

/**
 * With flow the steps keep one direction (momentum 0.95) and a stronger pull (0.4) balances them: on a texture
 * moving (+2,+1) px a frame at 128 px, 2 steps a frame, the dream changes 1.5 levels a frame once the motion is
 * undone (was 3.3 with pull 0.1 and no momentum; 10.2 blending without flow) and is stronger (mean |dream −
 * footage| 11.7 levels, was 10.5). See docs/dream/README.md (`npm run bench:flow -- --parts video --size 128`).
 */
export const DEFAULT_VIDEO: VideoDreamOptions = { flow: true, stepsPerFrame: 2, pull: 0.4, colourGuard: 0.1, momentum: 0.95 };
/** The pull used without flow when none is given: the webcam's blend default. */
export const DEFAULT_VIDEO_BLEND = 0.25;

/**
 * Dreams the frames of a video one after another, each at one working size, with the webcam's carry-over: the
 * dense flow between consecutive input frames carries the previous dreamed frame onto the new one, the new frame
 * shows through where the flow is not trusted (uncovered background, motion boundaries, the frame's edges), and
 * the dream steps on that. So the patterns travel with what moves instead of smearing or restarting. The caller
 * owns the frames it passes in and the pictures it gets back; the dreamer holds a fixed set of tensors (the
 * session's picture and source, the tracker's previous pyramid), however many frames go through.
 */
export class VideoDreamer {
  private readonly options: VideoDreamOptions;
  private readonly tracker: FlowTracker | null;
  private session: StreamSession | null = null;
  private count = 0;

  constructor(
    private readonly runner: ModelRunner,
    private readonly dream: DreamParams,
    private readonly size: [number, number],
    options: Partial<VideoDreamOptions> = {},
    private readonly guide?: GuideFeatures,
    /** Where the dream applies (the mask is the caller's): outside, the footage, or other layers' dream. */
    private readonly regions?: DreamRegions,
  ) {
    const flow = options.flow ?? DEFAULT_VIDEO.flow;
    // Without flow nothing carries the steps' direction along, so it is not kept.
    const unflowed = { pull: DEFAULT_VIDEO_BLEND, momentum: 0 };
    this.options = { ...DEFAULT_VIDEO, ...(flow ? {} : unflowed), ...options, flow };
    this.tracker = flow ? new FlowTracker() : null;
  }

  /** Frames dreamed so far. */
  get frames(): number {
    return this.count;
  }

  /**
   * The next input frame, [1,h,w,3] in the model's [-1, 1] (borrowed; fitted to the working size if it is not),
   * dreamed: a new tensor the caller disposes.
   */
  frame(input: tf.Tensor4D): tf.Tensor4D {
    const [h, w] = this.size;
    const fitted = input.shape[1] === h && input.shape[2] === w ? input.clone() : cover(input, h, w);
    try {
      const session = this.prepare(fitted);
      for (let i = 0; i < this.options.stepsPerFrame; i++) session.step().dispose();
      this.count += 1;
      return session.display();
    } finally {
      fitted.dispose();
    }
  }

  /** The session with its picture on the new frame: carried along the flow, pulled toward the frame, colour-guarded. */
  private prepare(frame: tf.Tensor4D): StreamSession {
    const o = this.options;
    this.tracker?.track(frame);
    if (!this.session) {
      // The first frame is dreamed from itself; every later one carries on from the dream before it.
      const params = streamParams({ zoom: 1, rotate: 0, driftX: 0, driftY: 0, blend: o.pull, colourGuard: o.colourGuard });
      this.session = new StreamSession(this.runner, frame, this.dream, params, { guide: this.guide, momentum: o.flow ? o.momentum : 0 });
      this.session.setRegions(this.regions);
      this.session.setSource(frame);
      return this.session;
    }
    const session = this.session;
    session.setSource(frame);
    const carry = this.tracker?.take();
    if (carry) {
      try {
        session.carry(carry.flow, carry.confidence);
      } finally {
        carry.flow.dispose();
        carry.confidence.dispose();
      }
    }
    // At zoom 1 with no rotation or drift the stream's transform is only the pull and the colour guard.
    session.advance();
    return session;
  }

  dispose(): void {
    this.session?.dispose();
    this.session = null;
    this.tracker?.dispose();
  }
}
