import { css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LARGE_SIZES, type LargeJob } from '../workers/protocol';
import { jobFiles, JobPanel } from './jobs/job-panel';
import { jobPanelStyles } from './job-panel.styles';

/**
 * "Render large": a still at 2K, 4K or 8K (the long side; the picture's aspect kept) from the frame on screen (or,
 * one choice away, the source picture) and the look, computed by the worker through tiles that fit the device.
 * Asks for a 'large' job (JobPanel's events); shows its progress, and the finished PNGs (downloaded at once, the
 * look embedded).
 */
@customElement('ds-render-large')
export class DsRenderLarge extends JobPanel<'large'> {
  protected readonly kind = 'large';
  @state() private job: LargeJob = { size: LARGE_SIZES['4K'], steps: 10, start: 'frame' };

  static override styles = [jobPanelStyles, css`.note { color: #999; font-size: 0.85em; }`];

  override render() {
    const { running, files } = this.view;
    const p = running?.progress;
    return html`<details>
      <summary>Render large (2K / 4K / 8K still)</summary>
      <div class="grid">
        <label for="large-size">Size</label>
        <select id="large-size" name="large.size" @change=${(e: Event) => (this.job = { ...this.job, size: Number((e.target as HTMLSelectElement).value) })}>
          ${Object.entries(LARGE_SIZES).map(([label, side]) => html`<option value=${side} ?selected=${side === this.job.size}>${label} (${side} px)</option>`)}
        </select>
        <label for="large-start">Start from</label>
        <select id="large-start" name="large.start" title="The frame on screen as it is now, or the picture it was dreamed from"
          @change=${(e: Event) => (this.job = { ...this.job, start: (e.target as HTMLSelectElement).value === 'source' ? 'source' : 'frame' })}>
          <option value="frame" ?selected=${this.job.start !== 'source'}>this frame</option>
          <option value="source" ?selected=${this.job.start === 'source'}>the source picture</option>
        </select>
        <label for="large-steps">Steps</label>
        <input id="large-steps" name="large.steps" type="number" min="1" max="500" .value=${String(this.job.steps)}
          title="Steps per octave (DeepDream) or iterations (style transfer)"
          @change=${(e: Event) => {
            const v = Math.round(Number((e.target as HTMLInputElement).value));
            this.job = { ...this.job, steps: Math.min(500, Math.max(1, Number.isFinite(v) ? v : 1)) };
          }} />
      </div>
      ${p
        ? html`<progress max=${p.steps} value=${p.step}></progress>
            <span data-stat="render-large">${p.step}/${p.steps}${p.width ? ` · ${p.width}×${p.height}, ${p.tiles} tile${p.tiles === 1 ? '' : 's'}` : ''}</span>
            <button data-action="render-large-cancel" @click=${() => this.cancel()}>Cancel</button>`
        : html`<button data-action="render-large" @click=${() => this.request(this.job)}>Render</button>
            <div class="note">The live picture pauses while it renders. A step takes seconds on a GPU, minutes on a CPU at 4K.</div>`}
      ${jobFiles(files)}
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-render-large': DsRenderLarge;
  }
}
