import type { Look } from '../../engine/params/look';
import type { JobId, JobKind, JobProgress } from '../../workers/protocol';

/** A finished job's download. */
export interface JobFile {
  url: string;
  name: string;
}

/** What the page knows of one job it asked the worker for, from the request to its end. */
export type JobState = {
  [K in JobKind]: {
    readonly id: JobId;
    readonly kind: K;
    /** What messages call it: a video's file name, else what it makes. */
    readonly label: string;
    /** The look when it was asked for: a still's PNG carries it, whatever the look is when it is done. */
    readonly look: Look;
    /** How far it is while it runs (the kind's starting figures until the worker's first report); null once ended. */
    readonly progress: JobProgress<K> | null;
    readonly file: JobFile | null;
    /** Why it ended without a file (null while it runs, once done, or when it was cancelled: no failure). */
    readonly error: string | null;
  };
}[JobKind];

export type JobStateOf<K extends JobKind> = Extract<JobState, { kind: K }>;

/**
 * Every job of the page by id, in the order they were asked for. Replaced, never changed, on every update, so
 * that an element given it sees the change.
 */
export type Jobs = ReadonlyMap<JobId, JobState>;

export const NO_JOBS: Jobs = new Map();

/** What a job panel shows of its kind. */
export interface JobView<K extends JobKind> {
  /** The job of this kind in progress (its id for a cancel), if any. */
  running: { id: JobId; progress: JobProgress<K> } | null;
  /** Every finished job's download, oldest first. */
  files: JobFile[];
  /** The last job's failure, until the next one starts. */
  error: string | null;
}

export function jobView<K extends JobKind>(jobs: Jobs, kind: K): JobView<K> {
  const own = [...jobs.values()].filter((j): j is JobStateOf<K> => j.kind === kind);
  const running = own.find((j) => j.progress);
  return {
    running: running ? { id: running.id, progress: running.progress as JobProgress<K> } : null,
    files: own.flatMap((j) => (j.file ? [j.file] : [])),
    error: own.at(-1)?.error ?? null,
  };
}
