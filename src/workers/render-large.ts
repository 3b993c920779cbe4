import type * as tf from '@tensorflow/tfjs';
import type { ModeContext } from '../engine/modes/mode';
import { BUILT_IN_MODES, type ModeRegistry } from '../engine/modes/registry';
import type { Still } from '../engine/modes/spec';
import type { Settings } from '../engine/params/settings';
import { workingSize } from '../engine/render/frames';
import { Tiler } from '../engine/tiles/tiler';
import { deviceTileSide } from '../engine/tiles/tile-size';
import type { LargeJob, LargeProgress } from './protocol';

/** Where a large still starts, and how large the live picture is. */
export interface LargeStart {
  /** The frame on screen (borrowed), or null: start from the source picture. */
  frame: tf.Tensor4D | null;
  /** The long side of the live working size, px: DeepDream's coarsest octave comes down to it (octavesForSize). */
  liveSide: number;
}

/**
 * A still at the job's size of the live look, made by its mode (ModeSpec.createStill: from the frame on screen,
 * `start.frame`, or the source picture), through tiles that fit the device (deviceTileSide: on WebGPU the
 * adapter's storage-buffer binding, `bufferBytes`; elsewhere the backend's budget). A mask in the sources (the
 * loop's, borrowed) confines the look as it does live.
 *
 * `between` runs after each step (the worker lets its messages in there: a cancel); a cancelled render returns
 * null. The caller owns the returned picture.
 */
export async function renderLarge(
  sources: ModeContext,
  settings: Settings,
  job: Pick<LargeJob, 'size' | 'steps'>,
  start: LargeStart,
  bufferBytes: number | undefined,
  onStep: (p: LargeProgress) => void,
  between: () => Promise<void>,
  cancelled: () => boolean,
  modes: ModeRegistry = BUILT_IN_MODES,
): Promise<tf.Tensor4D | null> {
  const { content, runner } = sources;
  const [height, width] = workingSize(content.shape[1], content.shape[2], job.size);
  const tiler = new Tiler(runner, { tile: deviceTileSide(runner, modes.layers(settings), bufferBytes) });
  let still: Still | null = null;
  try {
    still = modes.createStill({ ctx: sources, settings, size: [height, width], start: start.frame, steps: job.steps, liveSide: start.liveSide, tiler });
    const { session, steps } = still;
    // A cancel sent with the request is seen before the first (long) step.
    await between();
    for (let i = 0; i < steps; i++) {
      if (cancelled()) return null;
      const losses = session.step();
      await losses.data();
      losses.dispose();
      onStep({ step: i + 1, steps, width, height, tiles: still.tiles() });
      await between();
    }
    return cancelled() ? null : session.display();
  } finally {
    still?.session.dispose();
    tiler.dispose();
  }
}
