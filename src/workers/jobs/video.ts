import { dreamRegions } from '../../engine/mask/regions';
import { dreamVideo, VideoInputError } from '../video-job';
import type { JobHost, JobRun } from './job';

/**
 * A video file dreamed frame by frame with the current dream settings and the flow carry-over. A file the
 * browser cannot read or decode says so in its own words; any other failure is named after the file.
 */
export const videoJob =
  ({ runner, loop }: JobHost): JobRun<'video'> =>
  async ({ file, name, ...job }, ctx) => {
    try {
      return await dreamVideo(runner, file, name, loop.settings.dream, job, ctx.progress, ctx.cancelled, dreamRegions(loop.settings, ctx.mask));
    } catch (e) {
      throw e instanceof VideoInputError ? e : new Error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
