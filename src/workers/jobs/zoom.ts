import type * as tf from '@tensorflow/tfjs';
import { dreamRegions } from '../../engine/mask/regions';
import { streamParams } from '../../engine/params/stream';
import type { JobStart } from '../protocol';
import { exportZoom } from '../zoom-export';
import type { JobHost, JobRun } from './job';

/** A frame-exact zoom video from the frame on screen (or the source picture) with the current settings. */
export const zoomJob =
  ({ runner, loop, maxBufferBytes }: JobHost): JobRun<'zoom'> =>
  async (job, ctx) => {
    const mode = loop.mode;
    const from = mode && loop.source ? startPicture(loop, job.start) : null;
    if (!mode || !from) throw new Error('no picture to export from yet');
    try {
      const stream = streamParams({ ...mode.stream, blend: 0 });
      const onFrame = (frame: number) => ctx.progress({ frame, frames: job.frames });
      return await exportZoom(runner, from, loop.settings.dream, stream, job, onFrame, ctx.cancelled, dreamRegions(loop.settings, ctx.mask), maxBufferBytes);
    } finally {
      from.dispose();
    }
  };

/**
 * What the zoom starts from (the caller disposes it): the frame on screen (the loop's picture as shown, without a
 * fade) or, for 'source' or before any frame, a copy of the source picture.
 */
function startPicture(loop: JobHost['loop'], start: JobStart | undefined): tf.Tensor4D | null {
  if (start !== 'source') {
    const frame = loop.display();
    if (frame) return frame;
  }
  return loop.source?.clone() ?? null;
}
