import { html, nothing, type TemplateResult } from 'lit';
import { ATLAS_PAGE, LENS_LAYERS } from '../../engine/modes/catalog';
import { LAYER_CHANNELS } from '../../engine/params/layers';
import type { Settings } from '../../engine/params/settings';
import type { PickRequest } from '../../workers/protocol';
import type { Fields, Option } from './fields';

const VIEWS: Option[] = [
  ['activations', 'Activations (what fires)'],
  ['saliency', 'Saliency (where it looks)'],
  ['features', 'Feature visualisation'],
  ['filters', 'First-layer filters'],
  ['atlas', 'Atlas (every channel)'],
];

/** Asks the app to act on an atlas tile named by its channel, as a click (dream) or Shift+click (paint) on it does. */
function tileAction(e: Event, detail: PickRequest): void {
  (e.currentTarget as HTMLElement).dispatchEvent(new CustomEvent('atlas-tile', { detail, bubbles: true, composed: true }));
}

/**
 * The atlas's two tile actions, said in one line, and for the keyboard: a channel typed in, then a button for
 * each action (the stage's tiles are drawn pictures, not controls).
 */
function atlasTile(f: Fields, channel: number, channels: number): TemplateResult {
  const none = channel < 0;
  return html`<p class="hint" data-atlas-hint style="color: #bbb; margin: 4px 0">Click a tile to dream with it everywhere; Shift+click to paint it into the mask: it dreams where you paint, your DeepDream layers elsewhere.</p>
    ${f.number('lens.channel', 'Tile (channel)', channel, -1, channels - 1, 1)}
    <div class="buttons">
      <button type="button" data-atlas-action="choose" ?disabled=${none} @click=${(e: Event) => tileAction(e, { action: 'choose', channel })}>Dream with it</button>
      <button type="button" data-atlas-action="paint" ?disabled=${none} title="It dreams where you paint the mask (Shift+click a tile; I: the centre tile)"
        @click=${(e: Event) => tileAction(e, { action: 'paint', channel })}>Paint it into the mask</button>
    </div>`;
}

/** The lens: which view, which layer and channel, and each view's own settings. */
export function lensPanel(f: Fields, s: Settings): TemplateResult {
  const p = s.lens;
  const channels = LAYER_CHANNELS[p.layer] ?? 0;
  const pages = Math.ceil(channels / ATLAS_PAGE);
  return html`<section aria-label="Lens">
    <h3>Lens</h3>
    ${f.select('lens.view', 'View', VIEWS, p.view)}
    ${p.view !== 'filters' ? f.select('lens.layer', 'Layer', LENS_LAYERS.map((l): Option => [l, `${l} (${LAYER_CHANNELS[l]})`]), p.layer) : nothing}
    ${p.view === 'activations' || p.view === 'saliency' || p.view === 'features' ? f.number('lens.channel', 'Channel (−1 = top)', p.channel, -1, channels - 1, 1) : nothing}
    ${p.view === 'features'
      ? html`${f.select('lens.target', 'Target', [['channel', 'the whole channel'], ['neuron', 'its centre neuron'], ['mix', 'a mix of two channels']], p.target)}
        ${p.target === 'mix'
          ? html`${f.number('lens.mixWith', 'Mixed with channel', p.mixWith, 0, channels - 1, 1)}
            ${f.range('lens.mixShare', 'Its share', p.mixShare, 0, 1, 0.05)}`
          : nothing}
        ${f.select('lens.copies', 'Pictures', [['1', 'one'], ['2', 'two, kept apart'], ['3', 'three, kept apart'], ['4', 'four, kept apart']], String(p.copies), 'number')}`
      : nothing}
    ${p.view === 'saliency'
      ? html`${f.select('lens.method', 'Method', [['gradient', 'Gradient'], ['smoothgrad', 'SmoothGrad'], ['gradient-x-input', 'Gradient × input']], p.method)}
        ${p.method === 'smoothgrad' ? f.range('lens.samples', 'Noisy copies', p.samples, 1, 32, 1) : nothing}`
      : nothing}
    ${p.view === 'activations' || p.view === 'saliency' ? f.range('lens.overlay', 'Overlay', p.overlay, 0, 1, 0.05) : nothing}
    ${p.view === 'atlas' ? atlasTile(f, p.channel, channels) : nothing}
    ${p.view === 'atlas' && pages > 1 ? f.select('lens.page', 'Page', Array.from({ length: pages }, (_, i): Option => [String(i), `${i * ATLAS_PAGE}–${Math.min(channels, (i + 1) * ATLAS_PAGE) - 1}`]), String(p.page), 'number') : nothing}
  </section>`;
}
