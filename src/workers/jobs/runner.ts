import type { Mask } from '../../engine/mask/mask';
import type { JobDoneMessage, JobErrorMessage, JobId, JobKind, JobProgressMessage, JobRequestOf, JobResult, JobStartMessage } from '../protocol';
import type { JobContext, JobKinds } from './job';

export type JobReply = JobProgressMessage | JobDoneMessage | JobErrorMessage;

export interface JobRunnerPorts {
  post: (m: JobReply) => void;
  /** A copy of the live mask for a job to keep (null: none); the runner frees it. */
  maskCopy: () => Mask | null;
}

/**
 * Runs the page's jobs one at a time (they share the device with the live loop, which waits while one runs).
 * Whatever the kind, a job ends in exactly one job-done or job-error, with its mask copy freed and the loop free
 * to go on.
 */
export class JobRunner {
  private current: { id: JobId; cancelled: boolean } | null = null;

  constructor(
    private readonly kinds: JobKinds,
    private readonly ports: JobRunnerPorts,
  ) {}

  /** Whether a job runs: the live loop waits meanwhile. */
  get busy(): boolean {
    return this.current !== null;
  }

  /** Runs the job to its job-done or job-error; never throws. */
  async start(m: JobStartMessage): Promise<void> {
    const { id, kind } = m;
    if (this.current) {
      this.ports.post({ type: 'job-error', id, kind, message: 'an export is already running', cancelled: false });
      return;
    }
    const state = { id, cancelled: false };
    this.current = state;
    let mask: Mask | null = null;
    try {
      mask = this.ports.maskCopy();
      // A kind's progress and result are its own (JobKinds types each run); TypeScript cannot follow the kind
      // through the union of messages, hence the casts.
      const ctx: JobContext<JobKind> = {
        mask,
        cancelled: () => state.cancelled,
        progress: (progress) => this.ports.post({ type: 'job-progress', id, kind, progress } as JobProgressMessage),
      };
      const result = await runKind(this.kinds, kind, m.job, ctx);
      this.ports.post({ type: 'job-done', id, kind, result } as JobDoneMessage);
    } catch (e) {
      this.ports.post({ type: 'job-error', id, kind, message: firstLine(e), cancelled: state.cancelled });
    } finally {
      this.current = null;
      mask?.dispose();
    }
  }

  /** Asks the job with this id to stop after its step or frame in progress (no job of that id: nothing). */
  cancel(id: JobId): void {
    if (this.current?.id === id) this.current.cancelled = true;
  }
}

function runKind<K extends JobKind>(kinds: JobKinds, kind: K, job: JobRequestOf<K>, ctx: JobContext<K>): Promise<JobResult<K>> {
  return kinds[kind](job, ctx);
}

const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
