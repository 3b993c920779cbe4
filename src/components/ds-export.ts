import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { ExportJob } from '../workers/protocol';
import { jobFiles, JobPanel } from './jobs/job-panel';
import { jobPanelStyles } from './job-panel.styles';

/**
 * The frame-exact zoom export: from the frame on screen or the source picture, how many frames, at what size and
 * rate, how many dream steps per frame. Asks for a 'zoom' job (JobPanel's events); shows its progress and the
 * finished videos.
 */
@customElement('ds-export')
export class DsExport extends JobPanel<'zoom'> {
  protected readonly kind = 'zoom';
  @state() private job: ExportJob = { frames: 150, fps: 30, size: 512, stepsPerFrame: 3, format: 'webm', start: 'frame' };

  static override styles = jobPanelStyles;

  private set<K extends keyof ExportJob>(key: K, value: ExportJob[K]): void {
    this.job = { ...this.job, [key]: value };
  }

  private num(key: 'frames' | 'fps' | 'size' | 'stepsPerFrame', label: string, min: number, max: number) {
    return html`<label for=${key}>${label}</label>
      <input id=${key} name=${`export.${key}`} type="number" min=${min} max=${max} .value=${String(this.job[key])}
        @change=${(e: Event) => {
          const v = Math.round(Number((e.target as HTMLInputElement).value));
          this.set(key, Math.min(max, Math.max(min, Number.isFinite(v) ? v : min)));
        }} />`;
  }

  override render() {
    const { running, files } = this.view;
    const p = running?.progress;
    return html`<details>
      <summary>Export zoom video (frame-exact)</summary>
      <div class="grid">
        <label for="export-start">Start from</label>
        <select id="export-start" name="export.start" title="The frame on screen as it is now, or the picture it was dreamed from"
          @change=${(e: Event) => this.set('start', (e.target as HTMLSelectElement).value === 'source' ? 'source' : 'frame')}>
          <option value="frame" ?selected=${this.job.start !== 'source'}>this frame</option>
          <option value="source" ?selected=${this.job.start === 'source'}>the source picture</option>
        </select>
        ${this.num('frames', 'Frames', 1, 10000)} ${this.num('size', 'Size (px)', 80, 3840)} ${this.num('fps', 'Frames/s', 1, 60)}
        ${this.num('stepsPerFrame', 'Steps/frame', 1, 50)}
        <label for="format">Format</label>
        <select id="format" name="export.format" @change=${(e: Event) => this.set('format', (e.target as HTMLSelectElement).value as ExportJob['format'])}>
          <option value="webm" ?selected=${this.job.format === 'webm'}>WebM</option>
          <option value="mp4" ?selected=${this.job.format === 'mp4'}>MP4</option>
        </select>
      </div>
      ${p
        ? html`<progress max=${p.frames} value=${p.frame}></progress> <span data-stat="export">${p.frame}/${p.frames}</span>
            <button data-action="export-cancel" @click=${() => this.cancel()}>Cancel</button>`
        : html`<button data-action="export" @click=${() => this.request(this.job)}>Render video</button>`}
      ${jobFiles(files)}
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-export': DsExport;
  }
}
