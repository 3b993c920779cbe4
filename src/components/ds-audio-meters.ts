import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AudioFrame } from '../engine/audio/features';

/** How long an onset lights the blink, ms: one frame's onset would be gone before anyone saw it. */
const BLINK_MS = 150;
const METERS = [
  ['low', 'bass'],
  ['mid', 'mid'],
  ['high', 'treble'],
  ['loudness', 'level'],
] as const;

/**
 * The live sound on the overlay while a mapping is active and sound plays: small meters for the bands and the
 * loudness (0–1, as the worker receives them) and a dot that blinks on each onset. Nothing otherwise.
 */
@customElement('ds-audio-meters')
export class DsAudioMeters extends LitElement {
  @property({ attribute: false }) features: AudioFrame | null = null;
  /** The mapped settings' values the worker runs now (its stats), shown under the meters. */
  @property({ attribute: false }) driven: Readonly<Record<string, number>> | undefined = undefined;
  private blinkUntil = -Infinity;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('features') && this.features?.onset) this.blinkUntil = performance.now() + BLINK_MS;
  }

  override render() {
    const f = this.features;
    if (!f) return nothing;
    const blink = performance.now() < this.blinkUntil;
    return html`<div class="meters" role="group" aria-label="live sound">
      ${METERS.map(
        ([key, label]) => html`<div class="meter" data-meter=${key} data-value=${f[key].toFixed(3)} title=${`${label}: ${f[key].toFixed(2)}`}>
          <span class="well"><span class="bar" style=${`height: ${Math.round(f[key] * 100)}%`}></span></span><span class="label">${label}</span>
        </div>`,
      )}
      <span class="onset ${blink ? 'on' : ''}" data-meter="onset" data-value=${blink ? '1' : '0'} title="onset"></span>
      ${this.driven
        ? html`<dl class="driven">${Object.entries(this.driven).map(([path, v]) => html`<dt>${path}</dt><dd data-driven=${path}>${v.toFixed(3)}</dd>`)}</dl>`
        : nothing}
    </div>`;
  }

  static override styles = css`
    :host {
      display: block;
      pointer-events: none;
    }
    .meters {
      display: flex;
      align-items: flex-end;
      gap: 4px;
      padding: 4px 6px;
      background: rgba(0, 0, 0, 0.55);
      border-radius: 4px;
      width: max-content;
    }
    .meter {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 2px;
    }
    .well {
      display: flex;
      align-items: flex-end;
      width: 10px;
      height: 30px;
      background: #222;
    }
    .bar {
      display: block;
      width: 100%;
      background: linear-gradient(#f6c453, #4fc3f7);
      min-height: 1px;
    }
    .label {
      font: 9px/1 system-ui, sans-serif;
      color: #ccc;
    }
    .driven {
      display: grid;
      grid-template-columns: auto auto;
      gap: 0 6px;
      margin: 0 0 0 6px;
      align-self: center;
      font: 10px/1.3 system-ui, sans-serif;
      color: #ddd;
    }
    .driven dd {
      margin: 0;
      font-variant-numeric: tabular-nums;
    }
    .onset {
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: #333;
      margin: 0 2px 12px;
    }
    .onset.on {
      background: #ff5252;
      box-shadow: 0 0 6px #ff5252;
    }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-audio-meters': DsAudioMeters;
  }
}
