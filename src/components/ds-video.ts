import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { VideoJob } from '../workers/protocol';
import { jobPanelStyles } from './job-panel.styles';

/** What the video panel shows: the job in progress (frames done of all, seconds left), the finished videos, the last failure. */
export interface VideoState {
  progress: { frame: number; frames: number; etaS: number; name: string } | null;
  results: { url: string; name: string }[];
  error: string | null;
}

export const EMPTY_VIDEO: VideoState = { progress: null, results: [], error: null };

/** The file types offered by the picker (the worker decides what it can decode). */
export const VIDEO_ACCEPT = 'video/mp4,video/webm,video/quicktime,.mp4,.m4v,.webm,.mov,.mkv';

/** Whether a dropped or picked file is a video rather than a picture. */
export function isVideoFile(file: File): boolean {
  return file.type.startsWith('video/') || /\.(mp4|m4v|webm|mov|mkv)$/i.test(file.name);
}

/** "1 min 05 s", "12 s": the time left of a job. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

/**
 * Dreams a video file (MP4, WebM) frame by frame with the flow carry-over, in the worker. Emits `video-request`
 * (detail: { file, job }) and `video-cancel`; shows progress with the time left, the finished videos and a
 * one-line message for a file that cannot be decoded.
 */
@customElement('ds-video')
export class DsVideo extends LitElement {
  @property({ attribute: false }) video: VideoState = EMPTY_VIDEO;
  @state() private job: VideoJob = { flow: true, stepsPerFrame: 2, size: 384 };

  static override styles = [jobPanelStyles, css`
    input:not([type='number']) { width: auto; }
    .error { color: #ff9a8a; margin: 4px 0; }
  `];

  /** Starts a video job on `file` with the panel's settings (also used for a video dropped on the stage). */
  start(file: File): void {
    this.dispatchEvent(new CustomEvent('video-request', { detail: { file, job: this.job }, bubbles: true, composed: true }));
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
    const { progress: p, results, error } = this.video;
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
            <button data-action="video-cancel" @click=${() => this.dispatchEvent(new CustomEvent('video-cancel', { bubbles: true, composed: true }))}>Cancel</button>`
        : html`<label class="pick">Choose video… <input type="file" name="video-file" accept=${VIDEO_ACCEPT} @change=${this.onPick} /></label>`}
      ${error ? html`<p class="error" role="alert" data-stat="video-error">${error}</p>` : nothing}
      ${results.length ? html`<ul>${results.map((r) => html`<li><a href=${r.url} download=${r.name} data-video-result>${r.name}</a></li>`)}</ul>` : nothing}
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-video': DsVideo;
  }
}
