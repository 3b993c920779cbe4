import type * as tf from '@tensorflow/tfjs';
import { MotionMeter } from '../image/motion';
import type { Settings } from '../params/settings';
import { streamParams, type StreamParams } from '../params/stream';
import type { StreamSession } from '../sessions/stream-session';
import { KEPT, type Change, type ModeContext } from './mode';
import { StreamMode, streamSession } from './stream-mode';

/**
 * The feedback transform of webcam dreaming: the camera is the source, no zoom, rotation or drift, so motion shows
 * through where the dream is thin. Gating scales the pull between a fifth of it (a still scene dreams deeper) and
 * all of it (motion, 0…1).
 */
export function webcamStream(s: Settings, motion: number): StreamParams {
  const gate = 1 - s.webcamGate * (1 - Math.min(1, 0.2 + motion));
  return streamParams({ ...s.stream, zoom: 1, rotate: 0, driftX: 0, driftY: 0, blend: s.webcamBlend * gate });
}

/** Dreaming on the camera: each camera frame becomes the stream's source, pulled in as much as the scene moves. */
export class WebcamMode extends StreamMode {
  readonly name = 'webcam' as const;
  private readonly motion = new MotionMeter();

  static create(ctx: ModeContext, settings: Settings, size: [number, number], start?: tf.Tensor4D): WebcamMode {
    return new WebcamMode(streamSession(ctx, settings, webcamStream(settings, 0), size, start), settings);
  }

  /** Takes over `session` (a dream handing over to the camera carries on with its picture). */
  constructor(session: StreamSession, settings: Settings) {
    super(session, settings);
    session.setParams(settings.dream, this.stream);
  }

  get stream(): StreamParams {
    return webcamStream(this.settings, this.motion.value);
  }

  apply(settings: Settings): Change {
    // Leaving the webcam goes back to the picture chosen before it, not to the last camera frame.
    if (settings.mode !== 'webcam') return { kind: 'rebuild', from: 'fresh', fade: true };
    this.settings = settings;
    this.session.setParams(settings.dream, this.stream);
    return KEPT;
  }

  override cameraFrame(frame: tf.Tensor4D): void {
    // The motion reading lands a frame or two later; the pull follows it from the next camera frame on.
    void this.motion.update(frame);
    this.session.setSource(frame);
    this.session.setParams(this.settings.dream, this.stream);
  }

  override dispose(): void {
    super.dispose();
    this.motion.dispose();
  }
}
