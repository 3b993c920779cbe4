import * as tf from '@tensorflow/tfjs';
import { cover } from '../engine/image/geometry';
import type { ModelRunner } from '../engine/model/runner';
import type { Settings } from '../engine/params/settings';
import { workingSize } from '../engine/render/frames';
import { DreamSession } from '../engine/sessions/dream-session';
import type { Session } from '../engine/sessions/session';
import type { Mask } from '../engine/mask/mask';
import { dreamRegions } from '../engine/mask/regions';
import { StyleRegions } from '../engine/sessions/style-regions';
import type { Painting } from '../engine/sessions/style-stage';
import { tileCount } from '../engine/tiles/grid';
import { Tiler } from '../engine/tiles/tiler';
import { deviceTileSide } from '../engine/tiles/tile-size';
import type { LargeJob, LargeProgress } from './protocol';

/**
 * A still at the job's size from `content` and the look, through tiles that fit the device (deviceTileSide: on
 * WebGPU the adapter's storage-buffer binding, `bufferBytes`; elsewhere the backend's budget). DeepDream (the
 * look's layers and octaves, `job.steps` per octave) or, in style mode, style transfer from the paintings
 * (`job.steps` iterations). The picture is the app's (at most 1024 px on its long side), enlarged first. A mask
 * (the loop's, borrowed) confines the look as it does live.
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
  job: LargeJob,
  bufferBytes: number | undefined,
  onStep: (p: LargeProgress) => void,
  between: () => Promise<void>,
  cancelled: () => boolean,
): Promise<tf.Tensor4D | null> {
  const [height, width] = workingSize(content.shape[1], content.shape[2], job.size);
  const style = settings.mode === 'style';
  const layers = style ? [settings.style.contentLayer, ...settings.style.styleLayers.map((l) => l.name)] : settings.dream.layers.map((l) => l.name);
  const tiler = new Tiler(runner, { tile: deviceTileSide(runner, layers, bufferBytes) });
  const x = tf.tidy(() => cover(content, height, width));
  let session: Session | null = null;
  try {
    const dream = { ...settings.dream, stepsPerOctave: job.steps };
    session = style
      ? new StyleRegions(runner, x, paintings.inside, paintings.outside, settings.style, mask, undefined, tiler)
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
