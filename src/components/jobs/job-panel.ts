import { html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { JobId, JobKind, JobRequest, JobRequestOf } from '../../workers/protocol';
import { jobView, NO_JOBS, type JobFile, type Jobs, type JobView } from './job-state';

/**
 * What every job panel shares: it reads its kind's jobs from `jobs` (the page's one record) and asks for a job or
 * its cancel with the events `job-request` (detail: JobRequest) and `job-cancel` (detail: the job's id), which
 * bubble and are composed. A panel adds only its form and how it shows progress.
 */
export abstract class JobPanel<K extends JobKind> extends LitElement {
  @property({ attribute: false }) jobs: Jobs = NO_JOBS;

  protected abstract readonly kind: K;

  protected get view(): JobView<K> {
    return jobView(this.jobs, this.kind);
  }

  protected request(job: JobRequestOf<K>): void {
    this.emit('job-request', { kind: this.kind, job } as JobRequest);
  }

  /** Cancels this panel's job in progress, if there is one. */
  protected cancel(): void {
    const running = this.view.running;
    if (running) this.emit('job-cancel', running.id);
  }

  private emit<E extends keyof JobEventMap>(name: E, detail: JobEventMap[E]): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}

/** The finished jobs' downloads as links. */
export function jobFiles(files: readonly JobFile[]) {
  if (!files.length) return nothing;
  return html`<ul>${files.map((f) => html`<li><a href=${f.url} download=${f.name} data-job-file>${f.name}</a></li>`)}</ul>`;
}

export interface JobEventMap {
  'job-request': JobRequest;
  'job-cancel': JobId;
}

declare global {
  interface HTMLElementEventMap {
    'job-request': CustomEvent<JobRequest>;
    'job-cancel': CustomEvent<JobId>;
  }
}
