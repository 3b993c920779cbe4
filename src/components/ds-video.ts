import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { VideoJob } from '../workers/protocol';
import { VIDEO_ACCEPT } from './input/video-file';
import { jobFiles, JobPanel } from './jobs/job-panel';
import { DEFAULT_VIDEO_JOB, videoRequest } from './jobs/page-kinds';
import { jobPanelStyles } from './job-panel.styles';

/** "1 min 05 s", "12 s": the time left of a job. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

/**
 * Dreams a video file (MP4, WebM) frame by frame with the flow carry-over, in the worker. Asks for a 'video' job
 * (JobPanel's events); shows progress with the time left, the finished videos and a one-line message for a file
 * that cannot be decoded.
 */
@customElement('ds-video')
export class DsVideo extends JobPanel<'video'> {
  protected readonly kind = 'video';
  @state() private job: VideoJob = DEFAULT_VIDEO_JOB;

  static override styles = [jobPanelStyles, css`
    input:not([type='number']) { width: auto; }
    .error { color: #ff9a8a; margin: 4px 0; }
  `];

  /** Starts a video job on `file` with the panel's settings (also used for a video dropped on the stage). */
  start(file: File): void {
    this.request(videoRequest(file, this.job));
  }

  private onPick(e: Event): void {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) this.start(file);
  }

  private num(key: 'stepsPerFrame' | 'size', label: string, min: number, max: number) {
    return html`<label for=${`video-${key}`}>${label}</label>
      <input id=${`video-${key}`} name=${`video.${key}`} type="number" min=${min} max=${max} .value=${String(this.job[key])}
        @change=${(e: Event) => {
          const v = Math.round(Number((e.target as HTMLInputElement).value));
          this.job = { ...this.job, [key]: Math.min(max, Math.max(min, Number.isFinite(v) ? v : min)) };
        }} />`;
  }

  override render() {
    const { running, files, error } = this.view;
    const p = running?.progress;
    return html`<details>
      <summary>Dream a video file</summary>
      <div class="grid">
        ${this.num('size', 'Size (px)', 80, 1024)} ${this.num('stepsPerFrame', 'Steps/frame', 0, 20)}
        <label for="video-flow">Follow motion</label>
        <input id="video-flow" name="video.flow" type="checkbox" .checked=${this.job.flow}
          @change=${(e: Event) => (this.job = { ...this.job, flow: (e.target as HTMLInputElement).checked })} />
      </div>
      ${p
        ? html`<progress max=${p.frames} value=${p.frame}></progress>
            <span data-stat="video">${p.frame}/${p.frames}${p.frame > 0 ? html`, about ${formatEta(p.etaS)} left` : nothing}</span>
            <button data-action="video-cancel" @click=${() => this.cancel()}>Cancel</button>`
        : html`<label class="pick">Choose video… <input type="file" name="video-file" accept=${VIDEO_ACCEPT} @change=${this.onPick} /></label>`}
      ${error ? html`<p class="error" role="alert" data-stat="video-error">${error}</p>` : nothing}
      ${jobFiles(files)}
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-video': DsVideo;
  }
}
