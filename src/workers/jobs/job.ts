import type { Loop } from '../../engine/loop/loop';
import type { Mask } from '../../engine/mask/mask';
import type { ModelRunner } from '../../engine/model/runner';
import type { JobKind, JobProgress, JobRequestOf, JobResult } from '../protocol';

/** What the runner lends a running job. */
export interface JobContext<K extends JobKind> {
  /**
   * The job's own copy of the live mask (null: none): a mask painted while the job runs reaches the live loop,
   * which frees the old one. The runner frees this copy when the job ends.
   */
  readonly mask: Mask | null;
  /** Whether the page asked the job to stop; a job looks between its steps or frames. */
  readonly cancelled: () => boolean;
  readonly progress: (p: JobProgress<K>) => void;
}

/** How one kind of job runs: to its result, or to an Error whose first line the page shows. */
export type JobRun<K extends JobKind> = (job: JobRequestOf<K>, ctx: JobContext<K>) => Promise<JobResult<K>>;

/** Every kind, by name: the runner looks a job's kind up here. */
export type JobKinds = { [K in JobKind]: JobRun<K> };

/**
 * The live side a job reads what it starts from: the model, the loop's pictures and settings (borrowed, not
 * changed: the loop waits while a job runs), and the WebGPU adapter's storage-buffer binding limit for tiles.
 */
export interface JobHost {
  readonly runner: ModelRunner;
  readonly loop: Pick<Loop, 'source' | 'mode' | 'settings' | 'modeContext' | 'display'>;
  readonly maxBufferBytes: number | undefined;
}
