import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { aboutOf } from '../engine/modes/catalog';
import { DREAM_LAYERS } from '../engine/params/layers';
import { DEFAULT_SETTINGS, type Settings } from '../engine/params/settings';
import { buttonStyles } from './button.styles';
import { applyEdit } from './look/settings-edit';
import { BRUSH_MAX, BRUSH_MIN, type MaskTool } from './controllers/mask-controller';

/** What the mask's buttons ask for. */
export type MaskAction = 'clear' | 'invert' | 'undo';

/**
 * The mask's controls: paint on the stage (M), erase, the brush's size and softness, invert and clear, and what
 * happens outside the mask (nothing, other layers in DeepDream, the second painting in style transfer). Emits
 * mask-tool (the new tool), mask-action, and settings-change for the outside.
 */
@customElement('ds-mask-controls')
export class DsMaskControls extends LitElement {
  @property({ attribute: false }) settings: Settings = DEFAULT_SETTINGS;
  @property({ attribute: false }) tool: MaskTool = { painting: false, erase: false, size: 24, softness: 0.5 };
  /** Whether a mask is painted (the look then applies only where it is). */
  @property({ type: Boolean }) painted = false;
  /** Whether there is a change to undo. */
  @property({ type: Boolean }) undoable = false;

  private setTool(change: Partial<MaskTool>): void {
    this.dispatchEvent(new CustomEvent('mask-tool', { detail: { ...this.tool, ...change }, bubbles: true, composed: true }));
  }

  private action(a: MaskAction): void {
    this.dispatchEvent(new CustomEvent('mask-action', { detail: a, bubbles: true, composed: true }));
  }

  private edit(path: string, value: unknown): void {
    const r = applyEdit(this.settings, path, value);
    if (r.ok) this.dispatchEvent(new CustomEvent('settings-change', { detail: r.settings, bubbles: true, composed: true }));
  }

  override render() {
    const t = this.tool;
    const about = aboutOf(this.settings.mode);
    const other = about.maskOther;
    const outsideLayer = this.settings.mask.outsideLayers[0]?.name ?? 'mixed1';
    return html`<section aria-label="Mask">
      <h3>Mask</h3>
      <p class="hint">${this.painted ? 'The look applies where the mask is painted.' : 'No mask: the look applies everywhere. Paint one on the stage.'}</p>
      <div class="buttons">
        <button data-mask="paint" aria-pressed=${t.painting ? 'true' : 'false'} title="Paint the mask on the stage (m)" @click=${() => this.setTool({ painting: !t.painting })}>
          ${t.painting ? 'Done painting' : 'Paint mask'}
        </button>
        <button data-mask="erase" aria-pressed=${t.erase ? 'true' : 'false'} title="Erase instead of paint" @click=${() => this.setTool({ erase: !t.erase, painting: true })}>Erase</button>
        <button data-mask="invert" ?disabled=${!this.painted} @click=${() => this.action('invert')}>Invert</button>
        <button data-mask="clear" ?disabled=${!this.painted} @click=${() => this.action('clear')}>Clear</button>
        <button data-mask="undo" ?disabled=${!this.undoable} title="Back to the mask before the last change" @click=${() => this.action('undo')}>Undo</button>
      </div>
      <div class="row">
        <label for="mask-size">Brush size</label>
        <input id="mask-size" name="mask-size" type="range" min=${BRUSH_MIN} max=${BRUSH_MAX} step="1" .value=${String(t.size)}
          @input=${(e: Event) => this.setTool({ size: Number((e.target as HTMLInputElement).value) })} />
        <output for="mask-size">${t.size}</output>
      </div>
      <div class="row">
        <label for="mask-softness">Softness</label>
        <input id="mask-softness" name="mask-softness" type="range" min="0" max="1" step="0.05" .value=${String(t.softness)}
          @input=${(e: Event) => this.setTool({ softness: Number((e.target as HTMLInputElement).value) })} />
        <output for="mask-softness">${t.softness.toFixed(2)}</output>
      </div>
      <div class="row">
        <label for="mask-outside">Outside it</label>
        <select id="mask-outside" name="mask.outside" @change=${(e: Event) => this.edit('mask.outside', (e.target as HTMLSelectElement).value)}>
          <option value="keep" ?selected=${this.settings.mask.outside === 'keep'}>Unchanged</option>
          <option value="other" ?selected=${this.settings.mask.outside === 'other'}>${other.label}</option>
        </select>
      </div>
      ${other.layers && this.settings.mask.outside === 'other'
        ? html`<div class="row">
            <label for="mask-outside-layer">Outside layer</label>
            <select id="mask-outside-layer" name="mask.outsideLayers" @change=${(e: Event) => this.edit('mask.outsideLayers', [{ name: (e.target as HTMLSelectElement).value, weight: 1 }])}>
              ${DREAM_LAYERS.map((l) => html`<option value=${l} ?selected=${l === outsideLayer}>${l}</option>`)}
            </select>
          </div>`
        : ''}
      ${about.pictures.paintings && this.settings.mask.outside === 'other' ? html`<p class="hint">Choose the second painting under "Blend with".</p>` : ''}
    </section>`;
  }

  static override styles = [
    buttonStyles,
    css`
      :host { display: block; color: #eee; font: 12px/1.4 system-ui, sans-serif; }
      h3 { margin: 10px 0 4px; font-size: 11px; text-transform: uppercase; letter-spacing: 0.06em; color: #7fd1ff; }
      .hint { color: #bbb; margin: 2px 0 4px; }
      .buttons { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0; }
      button[aria-pressed='true'] { border-color: #ff40c8; color: #ffb3ea; }
      .row { display: grid; grid-template-columns: 7.5em 1fr 3.5em; align-items: center; gap: 6px; margin: 3px 0; }
      .row select { grid-column: span 2; }
      input[type='range'] { accent-color: #ff40c8; min-width: 0; }
      select { font: inherit; color: #eee; background: #111; border: 1px solid #333; border-radius: 3px; }
      output { text-align: right; font-variant-numeric: tabular-nums; color: #bbb; }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-mask-controls': DsMaskControls;
  }
  interface HTMLElementEventMap {
    'mask-tool': CustomEvent<MaskTool>;
    'mask-action': CustomEvent<MaskAction>;
  }
}
