import type * as tf from '@tensorflow/tfjs';

/** What a stream frame needs from its session: steps, the feedback transform, and the picture to show. */
export interface FrameSource {
  step(): tf.Tensor1D;
  /** The transform between frames (zoom, rotation, drift, source pull); absent for modes without one. */
  advance?(): void;
  /** The picture to show, a new tensor the caller disposes. */
  display(): tf.Tensor4D;
}

/** The smallest side a working frame may have: the model needs ≥ 75 px, 80 keeps sizes even and safe. */
export const MIN_FRAME_SIDE = 80;

/** Even [h, w] with the long side `long` and the aspect of an h×w picture, each side at least MIN_FRAME_SIDE. */
export function workingSize(h: number, w: number, long: number): [number, number] {
  const even = (n: number) => Math.max(MIN_FRAME_SIDE, Math.round(n / 2) * 2);
  return h >= w ? [even(long), even((long * w) / h)] : [even((long * h) / w), even(long)];
}

/**
 * One frame: `steps` optimisation steps, the picture taken, then the feedback transform for the next frame.
 * Returns the picture (the caller disposes it) and the last step's losses (null when `steps` is 0: a repaint).
 * The live loop, the zoom export and the CLI all make their frames here, so a video and the stream agree.
 */
export function renderFrame(source: FrameSource, steps: number): { image: tf.Tensor4D; losses: tf.Tensor1D | null } {
  let losses: tf.Tensor1D | null = null;
  for (let i = 0; i < steps; i++) {
    losses?.dispose();
    losses = source.step();
  }
  const image = source.display();
  if (steps > 0) source.advance?.();
  return { image, losses };
}

/**
 * Renders `frames` frames offline, handing each picture and its losses to `onFrame` (awaited, then disposed).
 * Stops with an error when `cancelled` says so between frames.
 */
export async function renderFrames(
  source: FrameSource,
  job: { frames: number; stepsPerFrame: number },
  onFrame: (frame: number, image: tf.Tensor4D, losses: tf.Tensor1D | null) => Promise<void> | void,
  cancelled: () => boolean = () => false,
): Promise<void> {
  for (let f = 0; f < job.frames; f++) {
    if (cancelled()) throw new Error('export cancelled');
    const { image, losses } = renderFrame(source, job.stepsPerFrame);
    try {
      await onFrame(f, image, losses);
    } finally {
      image.dispose();
      losses?.dispose();
    }
  }
}
