import type * as tf from '@tensorflow/tfjs';
import { driveSoundtrack, monoMix, type SoundtrackDrive } from '../../engine/audio/soundtrack';
import { dreamRegions } from '../../engine/mask/regions';
import { streamParams } from '../../engine/params/stream';
import type { ExportJob, JobStart } from '../protocol';
import { exportZoom } from '../zoom-export';
import type { JobHost, JobRun } from './job';

/**
 * A frame-exact zoom video from the frame on screen (or the source picture) with the current settings; with a
 * soundtrack, as long as the track unless a frame count was given, each frame's settings moved by the music.
 */
export const zoomJob =
  ({ runner, loop, maxBufferBytes }: JobHost): JobRun<'zoom'> =>
  async (job, ctx) => {
    const mode = loop.mode;
    const from = mode && loop.source ? startPicture(loop, job.start) : null;
    if (!mode || !from) throw new Error('no picture to export from yet');
    try {
      const stream = streamParams({ ...mode.stream, blend: 0 });
      const track = soundtrackDrive(job);
      const frames = job.frames ?? track?.frames;
      // The schema asks for one or the other; a frame count is what the render needs.
      if (frames === undefined) throw new Error('a zoom without a soundtrack needs a frame count');
      const onFrame = (frame: number) => ctx.progress({ frame, frames });
      onFrame(0);
      return await exportZoom(runner, from, loop.settings.dream, stream, { ...job, frames }, onFrame, ctx.cancelled, dreamRegions(loop.settings, ctx.mask), maxBufferBytes, track?.drive);
    } finally {
      from.dispose();
    }
  };

/** The soundtrack analysed offline at the video's frame rate over its frames (the track's, or the job's count). */
function soundtrackDrive(job: ExportJob): SoundtrackDrive | undefined {
  const s = job.soundtrack;
  return s && driveSoundtrack(monoMix(s.channels), s.sampleRate, job.fps, s.mappings, job.frames);
}

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
