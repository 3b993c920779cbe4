import type { JobHost, JobKinds } from './job';
import { largeJob } from './large';
import { videoJob } from './video';
import { zoomJob } from './zoom';

/** The worker's kinds of job, each run on the live side it is given. */
export const jobKinds = (host: JobHost): JobKinds => ({
  zoom: zoomJob(host),
  large: largeJob(host),
  video: videoJob(host),
});
