import type * as tf from '@tensorflow/tfjs';
import { FlowTracker } from '../../flow/tracker';
import { cover } from '../../image/geometry';
import { MotionMeter } from '../../image/motion';
import type { Mask } from '../../mask/mask';
import type { Settings } from '../../params/settings';
import { streamParams, type StreamParams } from '../../params/stream';
import type { StreamSession } from '../../sessions/stream-session';
import { KEPT, type Change, type ModeContext, type StepHook } from '../mode';
import { StreamMode, streamSession } from '../stream-mode';

/**
 * The feedback transform of webcam dreaming: the camera is the source, no zoom, rotation or drift. With flow the
 * pull is the fixed `webcamFlowPull` (the picture follows the scene's motion itself). Without it motion shows
 * through where the dream is thin, and gating scales the pull between a fifth of it (a still scene dreams deeper)
 * and all of it (motion, 0…1).
 */
export function webcamStream(s: Settings, motion: number): StreamParams {
  const still = { ...s.stream, zoom: 1, rotate: 0, driftX: 0, driftY: 0 };
  if (s.webcamFlow) return streamParams({ ...still, blend: s.webcamFlowPull });
  const gate = 1 - s.webcamGate * (1 - Math.min(1, 0.2 + motion));
  return streamParams({ ...still, blend: s.webcamBlend * gate });
}

/**
 * With flow, how much of each step's direction is the running average of the steps before it, carried along the
 * camera's motion (StreamSession.setMomentum): the dream stands on the scene instead of being redrawn every frame
 * (the video dreamer's default; docs/dream/README.md, "Moving pictures hold together").
 */
export const WEBCAM_FLOW_MOMENTUM = 0.95;

/**
 * Dreaming on the camera: each camera frame becomes the stream's source. With flow (the default), before each
 * frame's steps the picture is carried along the optical flow from the camera frame it was made for to the newest
 * one, and the camera shows through where the flow is not trusted; without, it is pulled in as much as the scene
 * moves.
 */
export class WebcamMode extends StreamMode {
  readonly name = 'webcam' as const;
  private readonly motion = new MotionMeter();
  private readonly tracker = new FlowTracker();
  /** The newest camera frame at the working size, not yet tracked (flow only). */
  private latest: tf.Tensor4D | null = null;

  /**
   * True while a mode started afresh waits for its first camera frame: that frame becomes the picture, so whoever
   * opens the webcam sees the camera at once, not the sample it dreamed on meanwhile. A mode handed over from a
   * dream, or restarted from a saved frame, carries on with its picture instead.
   */
  private startsOnCamera = false;

  static create(ctx: ModeContext, settings: Settings, size: [number, number], start?: tf.Tensor4D): WebcamMode {
    const mode = new WebcamMode(streamSession(ctx, settings, webcamStream(settings, 0), size, start), settings, ctx.mask ?? null);
    mode.startsOnCamera = start === undefined;
    return mode;
  }

  /** Takes over `session` (a dream handing over to the camera carries on with its picture). */
  constructor(session: StreamSession, settings: Settings, mask: Mask | null = null) {
    super(session, settings, mask);
    session.setParams(settings.dream, this.stream);
    session.setMomentum(settings.webcamFlow ? WEBCAM_FLOW_MOMENTUM : 0);
  }

  get stream(): StreamParams {
    return webcamStream(this.settings, this.motion.value);
  }

  apply(settings: Settings): Change {
    // Leaving the webcam goes back to the picture chosen before it, not to the last camera frame.
    if (settings.mode !== 'webcam') return { kind: 'rebuild', from: 'fresh', fade: true };
    if (!settings.webcamFlow) this.forget();
    this.settings = settings;
    this.session.setParams(settings.dream, this.stream);
    this.session.setMomentum(settings.webcamFlow ? WEBCAM_FLOW_MOMENTUM : 0);
    return KEPT;
  }

  override cameraFrame(frame: tf.Tensor4D): void {
    // The motion reading lands a frame or two later; the pull follows it from the next camera frame on.
    void this.motion.update(frame);
    if (this.startsOnCamera) {
      this.startsOnCamera = false;
      this.session.restartFrom(frame);
    }
    if (this.settings.webcamFlow) {
      // Tracked when the next frame starts: one flow per displayed frame however fast the camera sends, the
      // frames in between are skipped (the flow spans them).
      const fitted = cover(frame, ...this.session.size);
      this.session.setSource(fitted);
      this.latest?.dispose();
      this.latest = fitted;
    } else this.session.setSource(frame);
    this.session.setParams(this.settings.dream, this.stream);
  }

  override frame(steps: number, first?: StepHook): { image: tf.Tensor4D; losses: tf.Tensor1D | null } {
    // A repaint (paused) leaves the picture where it is; the motion is followed when frames run again.
    if (steps > 0) this.follow();
    return super.frame(steps, first);
  }

  override resize(height: number, width: number): Change {
    this.forget();
    return super.resize(height, width);
  }

  override dispose(): void {
    super.dispose();
    this.motion.dispose();
    this.forget();
    this.tracker.dispose();
  }

  /** Carries the picture along the flow to the newest camera frame, if one came since the last frame. */
  private follow(): void {
    const latest = this.latest;
    if (!latest) return;
    this.latest = null;
    try {
      this.tracker.track(latest);
    } finally {
      latest.dispose();
    }
    const carry = this.tracker.take();
    if (!carry) return;
    try {
      this.session.carry(carry.flow, carry.confidence);
    } finally {
      carry.flow.dispose();
      carry.confidence.dispose();
    }
  }

  private forget(): void {
    this.latest?.dispose();
    this.latest = null;
    this.tracker.reset();
  }
}
