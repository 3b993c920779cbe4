import * as tf from '@tensorflow/tfjs';
import { cover } from '../engine/image/geometry';
import type { ModelRunner } from '../engine/model/runner';
import type { Settings } from '../engine/params/settings';
import { workingSize } from '../engine/render/frames';
import { DreamSession } from '../engine/sessions/dream-session';
import { octavesForSize } from '../engine/sessions/octaves';
import type { Session } from '../engine/sessions/session';
import type { Mask } from '../engine/mask/mask';
import { dreamRegions } from '../engine/mask/regions';
import { StyleRegions } from '../engine/sessions/style-regions';
import type { Painting } from '../engine/sessions/style-stage';
import { tileCount } from '../engine/tiles/grid';
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
 * A still at the job's size from the frame on screen (`start.frame`) or the source picture (`content`) and the
 * look, through tiles that fit the device (deviceTileSide: on WebGPU the adapter's storage-buffer binding,
 * `bufferBytes`; elsewhere the backend's budget). DeepDream (the look's layers; octaves from about the live size up
 * to the still's, `job.steps` per octave) or, in style mode, style transfer from the paintings (`job.steps`
 * iterations; the content is always the source picture, the frame is where the iterations start). The picture is
 * enlarged first. A mask (the loop's, borrowed) confines the look as it does live.
 *
 * `between` runs after each step (the worker lets its messages in there: a cancel); a cancelled render returns
 * null. The caller owns the returned picture.
 */
export async function renderLarge(
  runner: ModelRunner,
  content: tf.Tensor4D,
  settings: Settings,
  paintings: { inside: readonly Painting[]; outside: readonly Painting[] | null },
  mask: Mask | null,
  job: Pick<LargeJob, 'size' | 'steps'>,
  start: LargeStart,
  bufferBytes: number | undefined,
  onStep: (p: LargeProgress) => void,
  between: () => Promise<void>,
  cancelled: () => boolean,
): Promise<tf.Tensor4D | null> {
  const [height, width] = workingSize(content.shape[1], content.shape[2], job.size);
  const style = settings.mode === 'style';
  const layers = style ? [settings.style.contentLayer, ...settings.style.styleLayers.map((l) => l.name)] : settings.dream.layers.map((l) => l.name);
  const tiler = new Tiler(runner, { tile: deviceTileSide(runner, layers, bufferBytes) });
  const x = tf.tidy(() => cover(style ? content : (start.frame ?? content), height, width));
  let session: Session | null = null;
  try {
    const octaves = octavesForSize(Math.max(height, width), start.liveSide, settings.dream.octaves, settings.dream.octaveScale);
    const dream = { ...settings.dream, ...octaves, stepsPerOctave: job.steps };
    session = style
      ? new StyleRegions(runner, x, paintings.inside, paintings.outside, settings.style, mask, start.frame ?? undefined, tiler)
      : new DreamSession(runner, x, dream, undefined, tiler, dreamRegions({ ...settings, dream }, mask));
    const steps = session instanceof DreamSession ? session.totalSteps : job.steps;
    const tiles = () => {
      if (session instanceof StyleRegions) return session.tileCount;
      const [, h, w] = session!.image.shape;
      const plan = tiler.shares(h, w, layers)?.plan;
      return plan ? tileCount(plan) : 1;
    };
    // A cancel sent with the request is seen before the first (long) step.
    await between();
    for (let i = 0; i < steps; i++) {
      if (cancelled()) return null;
      const losses = session.step();
      await losses.data();
      losses.dispose();
      onStep({ step: i + 1, steps, width, height, tiles: tiles() });
      await between();
    }
    return cancelled() ? null : session.display();
  } finally {
    session?.dispose();
    x.dispose();
    tiler.dispose();
  }
}
