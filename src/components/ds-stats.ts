import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { aboutOf } from '../engine/modes/catalog';
import type { Stats } from '../workers/protocol';
import { EMPTY_TRACK, sparklinePath, trackLoss, type LossTrack } from './overlays/sparkline';

/** About 2–4 s of history at typical rates: enough to see a trend, short enough to react to a change. */
const HISTORY = 120;
/** Must match the svg's static viewBox (kept literal: bound attribute names in SVG are case-sensitive). */
const SPARK_W = 120;
const SPARK_H = 28;

const fixed = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
const ms = (v: number) => fixed(v, Math.abs(v) >= 100 ? 0 : 1);
/** No rate yet (just started, just resized, paused) reads as a dash, not as a frozen machine. */
const rate = (v: number, digits: number) => (v > 0 ? fixed(v, digits) : '—');

/** Losses span many decades between modes and layers; 4 significant digits, exponent only at the extremes. */
function formatLoss(v: number | undefined): string {
  if (v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v); // NaN / Infinity is itself the news.
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2);
  return a >= 1000 ? v.toFixed(0) : v.toPrecision(4);
}

/** Live engine numbers over the picture. Purely a view: never intercepts the pointer. */
@customElement('ds-stats')
export class DsStats extends LitElement {
  @property({ attribute: false }) stats: Stats | null = null;
  /** What the user asked for (the app's state, confirmed by the worker), not what the last frame said. */
  @property({ type: Boolean }) paused = false;
  /** Before the first frame: what the worker is doing, and since when (epoch ms). */
  @property() phase = 'starting…';
  @property({ type: Number }) since = 0;
  /** A phone's stage: one small line (fps · size · iteration · paused) in a corner instead of the table. */
  @property({ type: Boolean, reflect: true }) compact = false;
  @state() private now = Date.now();
  private ticker: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // Seconds tick while waiting, so a long shader compilation is visibly alive.
    this.ticker = setInterval(() => {
      if (!this.stats) this.now = Date.now();
    }, 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.ticker);
  }
  @state() private track: LossTrack = EMPTY_TRACK;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('stats')) return;
    const s = this.stats;
    // No stats means the worker is (re)starting: its old history describes another run.
    this.track = s ? trackLoss(this.track, { mode: s.mode, iteration: s.iteration, loss: s.losses['loss'] }, HISTORY) : EMPTY_TRACK;
  }

  private row(key: string, label: string, value: string): TemplateResult {
    return html`<dt>${label}</dt>
      <dd data-stat=${key}>${value}</dd>`;
  }

  override render(): TemplateResult {
    const s = this.stats;
    if (!s) {
      const secs = this.since ? Math.max(0, Math.floor((this.now - this.since) / 1000)) : 0;
      return html`<div class="panel" data-state="waiting">${this.phase}${secs > 0 ? html` <span data-stat="waiting-seconds">${secs} s</span>` : nothing}</div>`;
    }
    const [w, h] = s.resolution;
    if (this.compact) {
      return html`<div class="panel line" aria-live="off"><span data-stat="fps">${rate(s.fps, 1)}</span> fps ·
        <span data-stat="resolution">${w}×${h}</span> · it <span data-stat="iteration">${Math.round(s.iteration)}</span>${this.paused ? html` · <span class="paused" data-stat="paused">paused</span>` : nothing}</div>`;
    }
    const parts = aboutOf(s.mode).lossNames.slice(1).filter((k) => s.losses[k] !== undefined);
    return html`<div class="panel" aria-live="off">
      <dl>
        ${this.row('fps', 'fps', rate(s.fps, 1))} ${this.row('steps-per-second', 'steps/s', rate(s.stepsPerSecond, s.stepsPerSecond < 10 ? 2 : 1))}
        ${this.row('ms', 'ms/step', s.msPerStep > 0 ? ms(s.msPerStep) : '—')}
        ${s.gpuMsPerStep !== undefined ? this.row('gpu-ms', 'gpu ms/step', ms(s.gpuMsPerStep)) : nothing}
        ${this.row('iteration', 'iter', String(Math.round(s.iteration)))} ${this.row('loss', 'loss', formatLoss(s.losses['loss']))}
        ${parts.map((k) => this.row(`loss-${k}`, k, formatLoss(s.losses[k])))} ${this.row('backend', 'backend', s.backend)}
        ${s.stepPath !== undefined ? this.row('path', 'path', s.stepPath) : nothing}
        ${this.row('resolution', 'size', `${w}×${h}`)} ${this.row('steps', 'steps/frame', String(s.stepsPerFrame))}
        ${this.row('memory', 'tensors', `${s.tensors} · ${fixed(s.bytes / 2 ** 20, 1)} MB`)}
      </dl>
      <svg viewBox="0 0 120 28" width="120" height="28" aria-hidden="true" data-points=${this.track.values.length}>
        <path d=${sparklinePath(this.track.values, SPARK_W, SPARK_H)} />
      </svg>
      ${this.paused ? html`<div class="paused" data-stat="paused">paused</div>` : nothing}
    </div>`;
  }

  static override styles = css`
    :host { display: block; pointer-events: none; user-select: none; }
    .panel {
      display: inline-block; background: rgba(10, 10, 10, 0.62); color: #eee; border-radius: 4px; padding: 6px 8px;
      font: 11px/1.35 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; text-shadow: 0 1px 1px #000;
    }
    dl { display: grid; grid-template-columns: auto auto; gap: 0 10px; margin: 0; }
    dt { color: #9ab; }
    dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
    svg { display: block; margin-top: 4px; overflow: visible; }
    path { fill: none; stroke: #7fd1ff; stroke-width: 1.2; stroke-linecap: round; stroke-linejoin: round; }
    :host([compact]) .panel { padding: 2px 6px; font-size: 10px; }
    .line { white-space: nowrap; }
    .line .paused { margin: 0; }
    .paused { margin-top: 2px; color: #ffd27f; text-transform: uppercase; letter-spacing: 0.1em; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-stats': DsStats;
  }
}
