import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { CanvasRecorder, recordableTypes, recordingTypeLabel } from './media/recorder';

/**
 * Record button, elapsed time, and the finished recordings as download links. Segments survive worker
 * restarts: when `canvas` changes mid-recording, the segment is closed and recording continues on the new one.
 */
@customElement('ds-recorder')
export class DsRecorder extends LitElement {
  @property({ attribute: false }) canvas: HTMLCanvasElement | null = null;
  @state() private elapsed = 0;
  @state() private error = '';
  @state() private type = recordableTypes()[0] ?? '';
  private timer = 0;
  readonly recorder = new CanvasRecorder(() => this.requestUpdate());

  static override styles = css`
    :host { display: block; margin: 6px 0; }
    .row { display: flex; gap: 6px; align-items: center; }
    button, select { background: #222; color: #eee; border: 1px solid #444; border-radius: 4px; padding: 3px 6px; }
    button.rec { color: #ff7b7b; }
    .time { font-variant-numeric: tabular-nums; color: #ff7b7b; }
    ul { margin: 4px 0 0; padding-left: 18px; }
    a { color: #7fd1ff; }
    .error { color: #ff9a9a; }
  `;

  override willUpdate(changed: Map<string, unknown>): void {
    const prev = changed.get('canvas') as HTMLCanvasElement | null | undefined;
    if (changed.has('canvas') && prev && this.canvas && prev !== this.canvas) {
      void this.recorder.continueOn(this.canvas).catch((e: unknown) => this.failed(e));
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.recorder.stop();
    clearInterval(this.timer);
  }

  /** Starts or stops recording; resolves once started (or with the reason shown, when it could not start). */
  async toggle(): Promise<void> {
    if (this.recorder.recording) {
      this.recorder.stop();
      clearInterval(this.timer);
      this.requestUpdate();
      return;
    }
    try {
      if (!this.canvas) throw new Error('nothing to record yet');
      this.error = '';
      const started = this.recorder.start(this.canvas, this.type);
      this.requestUpdate();
      await started;
      clearInterval(this.timer);
      this.timer = window.setInterval(() => (this.elapsed = this.recorder.elapsed), 500);
    } catch (e) {
      this.failed(e);
    }
  }

  private failed(e: unknown): void {
    clearInterval(this.timer);
    this.error = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
    this.requestUpdate();
  }

  override render() {
    const types = recordableTypes();
    const t = Math.floor(this.elapsed);
    return html`
      <div class="row">
        <button class=${this.recorder.recording ? 'rec' : ''} data-action="record" aria-pressed=${this.recorder.recording ? 'true' : 'false'} @click=${() => void this.toggle()}>
          ${this.recorder.recording ? '■ Stop' : '● Record'}
        </button>
        ${this.recorder.recording
          ? html`<span class="time" data-stat="recording">${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}</span>`
          : html`<label>format
              <select name="record-format" @change=${(e: Event) => (this.type = (e.target as HTMLSelectElement).value)}>
                ${types.map((x) => html`<option value=${x} ?selected=${x === this.type}>${recordingTypeLabel(x)}</option>`)}
              </select></label>`}
      </div>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}
      ${this.recorder.finished.length
        ? html`<ul>${this.recorder.finished.map((r) => html`<li><a href=${r.url} download=${r.name}>${r.name}</a> (${r.seconds.toFixed(0)} s, ${r.width}×${r.height})</li>`)}</ul>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-recorder': DsRecorder;
  }
}
