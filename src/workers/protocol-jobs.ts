/**
 * The job channel of the protocol: work the live loop pauses for (it shares the device), started by the page
 * and answered by the worker, one at a time. Every job message carries the page's id for it and its kind; the
 * payloads are checked per kind. A new kind is one line in each union below.
 *
 *   page → worker  job-start {id, kind, job}    job-cancel {id, kind}
 *   worker → page  job-progress {id, kind, progress}   then one of   job-done {id, kind, result}
 *                                                                   job-error {id, kind, message, cancelled}
 */
import { z } from 'zod';
import { audioMappingsSchema } from '../engine/audio/mapping';
import { instanceOf } from './protocol-instance';

export const JOB_KINDS = ['zoom', 'large', 'video'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** Chosen by the page: it tells its jobs apart by it (the worker only echoes it). */
export const jobIdSchema = z.union([z.string().min(1).max(100), z.number().int()], { error: 'must be an integer or a string of 1 to 100 characters' });
export type JobId = z.output<typeof jobIdSchema>;

/**
 * What a job starts from: the frame on screen (the live picture as it is now) or the source picture. Absent: the
 * frame on screen.
 */
export const JOB_STARTS = ['frame', 'source'] as const;
export type JobStart = (typeof JOB_STARTS)[number];

/**
 * A soundtrack for the zoom: the page's decoded PCM, one Float32Array per channel (1 or 2, equal lengths,
 * transferred), and the mappings the music drives (data, so the worker knows no preset by name). The worker
 * analyses the mono mix at the video's frame rate, moves each frame's settings by the mappings, and muxes the
 * channels into the video, cut to its length.
 */
export const soundtrackSchema = z
  .object({
    channels: z.array(z.instanceof(Float32Array)).min(1).max(2),
    sampleRate: z.number().int().min(8000).max(192_000),
    mappings: audioMappingsSchema,
  })
  .refine((s) => s.channels.every((c) => c.length === s.channels[0]!.length && c.length > 0), { error: 'the channels must be non-empty and equally long' });
export type Soundtrack = z.output<typeof soundtrackSchema>;
/** The mapping presets a soundtrack may carry (the page offers them; the worker reads only the mappings). */
export { AUDIO_PRESET_NAMES, AUDIO_PRESETS, audioMappingsSchema, type AudioMappingInput, type AudioPreset } from '../engine/audio/mapping';

/**
 * A frame-exact zoom video: a seeded stream rendered offline from the frame on screen (or the source picture) and
 * encoded with WebCodecs. Independent of the display frame rate. The export panel edits one.
 */
export const exportJobSchema = z
  .object({
    /** Absent with a soundtrack: as many frames as the track lasts at `fps`. */
    frames: z.number().int().min(1).max(10_000).optional(),
    fps: z.number().int().min(1).max(60),
    /** Long side of the video, px: up to 4K (3840), dreamed tile by tile beyond what the device takes. */
    size: z.number().int().min(80).max(3840),
    stepsPerFrame: z.number().int().min(1).max(50),
    format: z.enum(['webm', 'mp4']),
    /** The zoom starts from the frame on screen (default) or from the source picture. */
    start: z.enum(JOB_STARTS).optional(),
    soundtrack: soundtrackSchema.optional(),
  })
  .refine((j) => j.frames !== undefined || j.soundtrack !== undefined, { error: 'a zoom without a soundtrack needs a frame count', path: ['frames'] });
export type ExportJob = z.output<typeof exportJobSchema>;

/** The sizes "Render large" offers, by the long side of the still (the short side follows the picture's aspect). */
export const LARGE_SIZES = { '2K': 2048, '4K': 3840, '8K': 7680 } as const;

/**
 * A still larger than the live picture, rendered from the frame on screen (or the source picture) and the look
 * through tiles: DeepDream with octaves from about the live size up, or style transfer in style mode.
 */
export const largeJobSchema = z.object({
  /** Long side of the still, px. */
  size: z.number().int().min(256).max(7680),
  /** Steps per octave (DeepDream) or iterations (style transfer). */
  steps: z.number().int().min(1).max(500),
  /** The still starts from the frame on screen (default) or from the source picture. */
  start: z.enum(JOB_STARTS).optional(),
});
export type LargeJob = z.output<typeof largeJobSchema>;

/**
 * A video file dreamed frame by frame with the flow carry-over: decoded, dreamed and encoded in the worker with
 * WebCodecs, its audio copied where the container allows. The video panel edits one.
 */
export const videoJobSchema = z.object({
  /** Carry the dream along the optical flow between frames (off: blend each frame in). */
  flow: z.boolean(),
  stepsPerFrame: z.number().int().min(0).max(20),
  /** Long side of the dreamed video, px. */
  size: z.number().int().min(80).max(1024),
});
export type VideoJob = z.output<typeof videoJobSchema>;

/** The video job as sent: the file (MP4, WebM) and its name with the panel's settings. */
const videoFileSchema = z.object({ file: instanceOf<Blob>('Blob'), name: z.string().max(200), ...videoJobSchema.shape });

const zoomProgress = z.object({ frame: z.number(), frames: z.number() });
/** Steps done of all, at the still's size, in how many tiles (1: the picture fits one). */
const largeProgress = z.object({ step: z.number(), steps: z.number(), width: z.number(), height: z.number(), tiles: z.number() });
/** Frames dreamed of all, and the seconds left at the pace so far. */
const videoProgress = z.object({ frame: z.number(), frames: z.number(), etaS: z.number() });

const videoFile = { video: z.instanceof(ArrayBuffer), mime: z.string(), name: z.string() };
/** `note`: what the video lacks that was asked for (its sound, where this browser cannot encode audio), in one line. */
const zoomResult = z.object({ ...videoFile, note: z.string().optional() });
/** The still as a PNG (the page embeds the look). */
const largeResult = z.object({ png: z.instanceof(ArrayBuffer), width: z.number(), height: z.number() });
const videoResult = z.object({ ...videoFile, frames: z.number() });

const id = jobIdSchema;
const kind = z.enum(JOB_KINDS);

export const jobStartSchema = z.discriminatedUnion('kind', [
  z.object({ type: z.literal('job-start'), id, kind: z.literal('zoom'), job: exportJobSchema }),
  z.object({ type: z.literal('job-start'), id, kind: z.literal('large'), job: largeJobSchema }),
  z.object({ type: z.literal('job-start'), id, kind: z.literal('video'), job: videoFileSchema }),
]);

/** Asks the job with this id to stop (after the step or frame in progress); it ends with a cancelled job-error. */
export const jobCancelSchema = z.object({ type: z.literal('job-cancel'), id, kind });

export const jobProgressSchema = z.discriminatedUnion('kind', [
  z.object({ type: z.literal('job-progress'), id, kind: z.literal('zoom'), progress: zoomProgress }),
  z.object({ type: z.literal('job-progress'), id, kind: z.literal('large'), progress: largeProgress }),
  z.object({ type: z.literal('job-progress'), id, kind: z.literal('video'), progress: videoProgress }),
]);

export const jobDoneSchema = z.discriminatedUnion('kind', [
  z.object({ type: z.literal('job-done'), id, kind: z.literal('zoom'), result: zoomResult }),
  z.object({ type: z.literal('job-done'), id, kind: z.literal('large'), result: largeResult }),
  z.object({ type: z.literal('job-done'), id, kind: z.literal('video'), result: videoResult }),
]);

/**
 * The job ended without a result, in one line: it could not start (another job runs, no picture yet), its input
 * could not be read, the engine failed, or it was cancelled (`cancelled`: a cancel is no failure).
 */
export const jobErrorSchema = z.object({ type: z.literal('job-error'), id, kind, message: z.string(), cancelled: z.boolean() });

type Of<S extends z.ZodType> = z.output<S>;
export type JobStartMessage = Of<typeof jobStartSchema>;
export type JobProgressMessage = Of<typeof jobProgressSchema>;
export type JobDoneMessage = Of<typeof jobDoneSchema>;
export type JobErrorMessage = Of<typeof jobErrorSchema>;

/** What a job of kind K is asked, reports and gives. */
export type JobRequestOf<K extends JobKind> = Extract<JobStartMessage, { kind: K }>['job'];
export type JobProgress<K extends JobKind> = Extract<JobProgressMessage, { kind: K }>['progress'];
export type JobResult<K extends JobKind> = Extract<JobDoneMessage, { kind: K }>['result'];

/** A job as the page asks for it, before it has an id. */
export type JobRequest = { [K in JobKind]: { kind: K; job: JobRequestOf<K> } }[JobKind];

/** A large still in progress: steps done of all, its size, and how many tiles each step takes. */
export type LargeProgress = JobProgress<'large'>;
