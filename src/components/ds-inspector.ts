import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { DEFAULT_SETTINGS, type Settings } from '../engine/params/settings';
import type { InfoTileMessage, InspectionMessage, PickInfo } from '../workers/protocol';
import { applyEdit } from './look/settings-edit';

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));

/**
 * What a mode shows beside the picture (the lens): a titled grid of tiles (a layer's most active channels, each its
 * map on the picture), the crops that excited the chosen channel most, and what a click on the picture found.
 * Clicking a tile or a row chooses it: its key is written to the settings path the mode names (`select`), and a
 * settings-change goes out as from the settings panel.
 */
@customElement('ds-inspector')
export class DsInspector extends LitElement {
  @property({ attribute: false }) settings: Settings = DEFAULT_SETTINGS;
  @property({ attribute: false }) inspection: InspectionMessage | null = null;
  @property({ attribute: false }) picked: PickInfo | null = null;

  private choose(path: string | undefined, key: number): void {
    if (!path) return;
    const r = applyEdit(this.settings, path, key);
    if (r.ok) this.dispatchEvent(new CustomEvent('settings-change', { detail: r.settings, bubbles: true, composed: true }));
  }

  /** The tile's pixels, drawn once its canvas exists. */
  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('inspection') && !changed.has('picked')) return;
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement & { tile?: InfoTileMessage }>('canvas[data-tile]')) {
      const t = canvas.tile;
      if (!t) continue;
      canvas.width = t.width;
      canvas.height = t.height;
      canvas.getContext('2d')?.putImageData(new ImageData(t.rgba, t.width, t.height), 0, 0);
    }
  }

  private tiles(tiles: readonly InfoTileMessage[], select: string | undefined, set: string): TemplateResult {
    const chosen = select ? Number(select.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], this.settings)) : NaN;
    return html`<div class="grid" data-set=${set}>
      ${tiles.map(
        (t) => html`<button type="button" class="tile" data-key=${t.key} aria-pressed=${t.key === chosen ? 'true' : 'false'} ?disabled=${!select}
          title=${`${t.label}: ${fmt(t.value)}`} @click=${() => this.choose(select, t.key)}>
          <canvas data-tile .tile=${t} aria-label=${t.label}></canvas>
          <span>${t.label} <small>${fmt(t.value)}</small></span>
        </button>`,
      )}
    </div>`;
  }

  override render(): TemplateResult | typeof nothing {
    const i = this.inspection;
    const p = this.picked;
    if (!i && !p) return nothing;
    return html`<section aria-label="Inspector">
      ${i ? html`<h3 data-inspection-title>${i.title}</h3>${this.tiles(i.tiles, i.select, 'main')}` : nothing}
      ${p
        ? html`<h3 data-picked-title>${p.title}</h3>
            <ol class="rows">
              ${p.rows.map(
                (r) => html`<li>
                  <button type="button" data-row=${r.key} @click=${() => this.choose(p.select, r.key)}>
                    ${r.thumb ? html`<canvas data-tile .tile=${r.thumb} aria-label=${`${r.label}: its feature visualisation`}></canvas>` : nothing}${r.label}
                  </button>
                  <small>${fmt(r.value)}</small>
                </li>`,
              )}
            </ol>`
        : nothing}
      ${i?.examples && i.examples.tiles.length ? html`<h3>${i.examples.title}</h3>${this.tiles(i.examples.tiles, undefined, 'examples')}` : nothing}
    </section>`;
  }

  static override styles = css`
    :host { display: block; background: #1a1a1a; color: #eee; font: 12px/1.4 system-ui, sans-serif; padding: 8px; }
    h3 { margin: 6px 0 4px; font-size: 11px; text-transform: uppercase; letter-spacing: 0.06em; color: #7fd1ff; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(64px, 1fr)); gap: 4px; }
    .tile { display: flex; flex-direction: column; align-items: stretch; gap: 2px; padding: 2px; font: inherit; color: #ccc; background: #111;
      border: 2px solid #333; border-radius: 4px; cursor: pointer; }
    .tile:disabled { cursor: default; }
    .tile[aria-pressed='true'] { border-color: #7fd1ff; }
    .tile canvas { width: 100%; aspect-ratio: 1; image-rendering: pixelated; }
    .tile small, .rows small { color: #888; }
    .rows { margin: 0; padding-left: 1.5em; columns: 2; }
    .rows canvas { width: 24px; height: 24px; vertical-align: middle; margin-right: 4px; image-rendering: auto; }
    .rows button { font: inherit; color: #eee; background: #111; border: 1px solid #333; border-radius: 3px; cursor: pointer; }
    :focus-visible { outline: 2px solid #7fd1ff; outline-offset: 1px; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-inspector': DsInspector;
  }
}
