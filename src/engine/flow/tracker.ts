import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIDENCE, flowConfidence, type ConfidenceOptions } from './confidence';
import { DEFAULT_FLOW, denseFlow, type FlowOptions } from './dense-flow';
import { luminance } from './filters';
import { GridCache } from './grid';
import { gaussianPyramid } from './pyramid';
import { warp } from './warp';

/**
 * The motion a picture must follow to stay on the scene: `flow` [1,H,W,2] maps each pixel of the newest frame to
 * where it was in the frame the picture was made for, `confidence` [1,H,W,1] says where that can be trusted.
 */
export interface Carry {
  flow: tf.Tensor4D;
  confidence: tf.Tensor4D;
}

export interface TrackerOptions {
  /** Pyramid levels (fewer where the frame is small). */
  levels: number;
  /** The flow that carries the picture (newest frame → previous). */
  flow: Partial<FlowOptions>;
  /**
   * The flow the other way, used only by the consistency test, whose tolerance (~0.7 px) allows a cheaper solve:
   * by default one iteration at the finest level instead of two.
   */
  check: Partial<FlowOptions>;
  confidence: Partial<ConfidenceOptions>;
}

export const DEFAULT_TRACKER: TrackerOptions = { levels: 4, flow: DEFAULT_FLOW, check: { ...DEFAULT_FLOW, finestIterations: 1 }, confidence: DEFAULT_CONFIDENCE };

/**
 * Follows the motion of a stream of frames (a camera) at one working size. Each frame's flow to the previous one is
 * computed both ways (for the consistency test) and composed with the motion not yet taken, so a picture that is
 * carried once per displayed frame follows every camera frame in between with a single resampling (each bilinear
 * resampling blurs a little). Holds a fixed set of tensors: the previous frame's pyramid and one pending carry.
 */
export class FlowTracker {
  private readonly options: TrackerOptions;
  private readonly grids = new GridCache();
  private previous: tf.Tensor4D[] | null = null;
  private pending: Carry | null = null;

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = { ...DEFAULT_TRACKER, ...options };
  }

  /** A new frame at the working size, [1,H,W,3] in [-1, 1] (borrowed). A frame of another size starts over. */
  track(frame: tf.Tensor4D): void {
    const o = this.options;
    const pyramid = tf.tidy(() => gaussianPyramid(luminance(frame), o.levels));
    const previous = this.previous;
    this.previous = pyramid;
    if (!previous || previous[0]!.shape[1] !== frame.shape[1] || previous[0]!.shape[2] !== frame.shape[2]) {
      if (previous) tf.dispose(previous);
      this.dropPending();
      return;
    }
    const grid = this.grids.for(pyramid[0]!);
    const pending = this.pending;
    const [flow, confidence] = tf.tidy(() => {
      const backward = denseFlow(pyramid, previous, o.flow, this.grids);
      const forward = denseFlow(previous, pyramid, o.check, this.grids);
      const confidence = flowConfidence(forward, backward, grid, o.confidence);
      if (!pending) return [backward, confidence];
      // Composed with the motion not taken yet: newest → previous → the picture's frame.
      return [backward.add(warp(pending.flow, backward, grid)), confidence.mul(warp(pending.confidence, backward, grid))] as tf.Tensor4D[];
    });
    tf.dispose(previous);
    this.dropPending();
    this.pending = { flow: flow!, confidence: confidence! };
  }

  /** Whether motion is waiting to be taken. */
  get hasPending(): boolean {
    return this.pending !== null;
  }

  /** The motion since the last take, handed over (the caller disposes both tensors); null when there was none. */
  take(): Carry | null {
    const p = this.pending;
    this.pending = null;
    return p;
  }

  /** Forgets the frames seen so far (a new scene, a new size): the next frame has nothing to follow. */
  reset(): void {
    if (this.previous) tf.dispose(this.previous);
    this.previous = null;
    this.dropPending();
  }

  dispose(): void {
    this.reset();
    this.grids.dispose();
  }

  private dropPending(): void {
    if (this.pending) tf.dispose([this.pending.flow, this.pending.confidence]);
    this.pending = null;
  }
}
