import type { Look } from '../../engine/params/look';
import type { JobKind, JobProgress, JobRequestOf, JobResult, VideoJob } from '../../workers/protocol';
import { downloadSnapshot, pngName } from '../look/snapshot';
import type { JobFile } from './job-state';

/** What the page does with one kind of job, besides sending it: its figures, its download, its words. */
export interface PageJobKind<K extends JobKind> {
  /** What messages call the job. */
  label(job: JobRequestOf<K>): string;
  /** The progress shown until the worker's first report. */
  initial(job: JobRequestOf<K>): JobProgress<K>;
  /** The finished job as a download, and the line that says so. */
  deliver(result: JobResult<K>, look: Look): { file: JobFile; notice: string };
  /** Said when a second job of the kind is asked for while one runs. */
  busy: string;
  /** Said when a job of the kind stopped on a cancel. */
  cancelled: string;
}

/** The video panel's settings until the user changes them (also for a video dropped before the panel exists). */
export const DEFAULT_VIDEO_JOB: VideoJob = { flow: true, stepsPerFrame: 2, size: 384 };

/** A video file's job with the panel's settings (the protocol takes a name of up to 200 characters). */
export const videoRequest = (file: File, settings: VideoJob): JobRequestOf<'video'> => ({ file, name: file.name.slice(0, 200), ...settings });

const videoFile = (video: ArrayBuffer, mime: string, name: string): JobFile => ({ url: URL.createObjectURL(new Blob([video], { type: mime })), name });

export const PAGE_JOB_KINDS: { [K in JobKind]: PageJobKind<K> } = {
  zoom: {
    label: () => 'zoom export',
    // Without a frame count the track's length decides: 0 until the worker's first report says how many.
    initial: (job) => ({ frame: 0, frames: job.frames ?? 0 }),
    deliver: ({ video, mime, name, note }) => ({ file: videoFile(video, mime, name), notice: `video ready: ${name}${note ? `, ${note}` : ''}` }),
    busy: 'a zoom export is already running',
    cancelled: 'export cancelled',
  },
  large: {
    label: () => 'large render',
    initial: (job) => ({ step: 0, steps: job.steps, width: 0, height: 0, tiles: 0 }),
    // Downloaded at once, as a snapshot is, carrying the look it was asked with.
    deliver: ({ png, width, height }, look) => {
      const name = pngName(`${width}x${height}`);
      const blob = downloadSnapshot(png, look, name);
      return { file: { url: URL.createObjectURL(blob), name }, notice: `large still saved (${width}×${height})` };
    },
    busy: 'a large render is already running',
    cancelled: 'large render cancelled',
  },
  video: {
    label: (job) => job.name,
    initial: () => ({ frame: 0, frames: 0, etaS: 0 }),
    deliver: ({ video, mime, name, frames }) => ({ file: videoFile(video, mime, name), notice: `video ready: ${name} (${frames} frames)` }),
    busy: 'a video is already being dreamed',
    cancelled: 'video cancelled',
  },
};

/** One kind's entry, typed by its kind (TypeScript cannot index the table with a union and keep the pairing). */
export const pageKind = <K extends JobKind>(kind: K): PageJobKind<K> => PAGE_JOB_KINDS[kind];
