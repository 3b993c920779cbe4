import type { Look } from '../../engine/params/look';
import type { JobDoneMessage, JobErrorMessage, JobId, JobKind, JobProgressMessage, JobRequest } from '../../workers/protocol';
import type { Notify } from '../controllers/notify';
import { NO_JOBS, type Jobs, type JobState } from './job-state';
import { pageKind } from './page-kinds';

/**
 * The page's one record of its jobs, by id: opened when the page asks for one, moved on by the worker's job
 * messages, each ending with its download or the reason it has none; the user is told as each ends.
 */
export class JobBook {
  private book: Jobs = NO_JOBS;
  private lastId = 0;

  constructor(private readonly notify: Notify) {}

  get jobs(): Jobs {
    return this.book;
  }

  /** A new job's id, or null (the user told why) while one of its kind runs: its panel shows one at a time. */
  open(request: JobRequest, look: Look): JobId | null {
    const kind = pageKind(request.kind);
    if ([...this.book.values()].some((j) => j.kind === request.kind && j.progress)) {
      this.notify(kind.busy, 'info');
      return null;
    }
    const id = ++this.lastId;
    this.put({ id, kind: request.kind, label: kind.label(request.job), look, progress: kind.initial(request.job), file: null, error: null } as JobState);
    return id;
  }

  progress(m: JobProgressMessage): void {
    const job = this.running(m);
    // The report is of the job's own kind (running() checks it): so is its progress.
    if (job) this.put({ ...job, progress: m.progress } as JobState);
  }

  done(m: JobDoneMessage): void {
    const job = this.running(m);
    if (!job) return;
    const { file, notice } = pageKind(m.kind).deliver(m.result, job.look);
    this.put({ ...job, progress: null, file });
    this.notify(notice, 'info');
  }

  failed(m: JobErrorMessage): void {
    const job = this.running(m);
    if (!job) return;
    this.put({ ...job, progress: null, error: m.cancelled ? null : m.message });
    this.notify(m.cancelled ? pageKind(m.kind).cancelled : m.message, m.cancelled ? 'info' : 'error');
  }

  /** Every job in progress ends unfinished: the worker that ran it is gone (the restart itself is told elsewhere). */
  abandon(reason: string): void {
    for (const job of this.book.values()) if (job.progress) this.put({ ...job, progress: null, error: `${job.label}: ${reason}` });
  }

  /** The kind of a job in progress, for its cancel. */
  kindOf(id: JobId): JobKind | null {
    const job = this.book.get(id);
    return job?.progress ? job.kind : null;
  }

  /** The job a worker message is about, while it runs (a late or stray message finds none). */
  private running(m: { id: JobId; kind: JobKind }): JobState | undefined {
    const job = this.book.get(m.id);
    return job?.progress && job.kind === m.kind ? job : undefined;
  }

  private put(job: JobState): void {
    this.book = new Map(this.book).set(job.id, job);
  }
}
