import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { AUDIO_FEATURES, AUDIO_PRESETS, CURVES, MAPPABLE, type AudioPreset } from '../../engine/audio/mapping';
import { audioMappingShape, MAX_MAPPINGS, type AudioMappingData } from '../../engine/params/audio';
import { DEFAULT_SETTINGS, type Settings } from '../../engine/params/settings';
import { buttonStyles } from '../button.styles';
import { applyEdit, sameSettings } from '../look/settings-edit';
import { AUDIO_ACCEPT, type AudioSourceKind } from '../media/audio-input';

/** What the person asked of the sound: a file to play, the microphone, or none. */
export type AudioSourceRequest = { kind: 'file'; file: File } | { kind: 'mic' } | { kind: 'tab' } | { kind: 'off' };

/** The presets in words (engine/audio/mapping.ts holds what they do). */
const PRESET_LABELS: Record<AudioPreset, string> = {
  pulse: 'Pulse on the beat (zoom)',
  bass: 'Bass deepens (step size)',
  treble: 'Treble sparkles (a high layer)',
};
/** A target as the narrow select shows it: a layer's weight by the layer's name ('mixed5 weight'), else its path. */
const targetLabel = (t: string) => t.replace(/^dream\.layers\.(.+)$/, '$1 weight');

const FEATURE_LABELS: Record<(typeof AUDIO_FEATURES)[number], string> = { low: 'bass', mid: 'mid', high: 'treble', loudness: 'loudness', onset: 'onset (beat)' };

const presetMappings = (name: AudioPreset): AudioMappingData[] => AUDIO_PRESETS[name].map((m) => audioMappingShape.parse(m));

/** Which preset `mappings` are, 'custom' when they are none of them, '' when there are none. */
function presetOf(mappings: readonly AudioMappingData[]): AudioPreset | 'custom' | '' {
  if (mappings.length === 0) return '';
  const same = (name: AudioPreset) => JSON.stringify(presetMappings(name)) === JSON.stringify(mappings);
  return (Object.keys(AUDIO_PRESETS) as AudioPreset[]).find(same) ?? 'custom';
}

/**
 * The sound section of the panel: where the sound comes from (a file, played here with its own controls; the
 * microphone; none), which preset maps it, and each mapping's feature, target, amount, smoothing and curve. The
 * mappings are settings (a look, a link, a kiosk playlist carry them): edits go out as `settings-change`, checked
 * whole like every other edit; the source goes out as `audio-source`.
 */
@customElement('ds-audio')
export class DsAudio extends LitElement {
  @property({ attribute: false }) settings: Settings = DEFAULT_SETTINGS;
  @property() source: AudioSourceKind = 'off';
  @property() sourceName = '';
  /** The file's player (AudioInput's), shown here while a file plays. */
  @property({ attribute: false }) player: HTMLAudioElement | null = null;
  @state() private error = '';

  private emitSource(request: AudioSourceRequest): void {
    this.dispatchEvent(new CustomEvent('audio-source', { detail: request, bubbles: true, composed: true }));
  }

  private setMappings(mappings: readonly AudioMappingData[]): void {
    const r = applyEdit(this.settings, 'audio.mappings', mappings);
    if (!r.ok) {
      this.error = r.error;
      return;
    }
    this.error = '';
    if (sameSettings(r.settings, this.settings)) return;
    this.settings = r.settings;
    this.dispatchEvent(new CustomEvent('settings-change', { detail: r.settings, bubbles: true, composed: true }));
  }

  private onPick(e: Event): void {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) this.emitSource({ kind: 'file', file });
  }

  private onPreset(e: Event): void {
    const name = (e.target as HTMLSelectElement).value;
    if (name === '') this.setMappings([]);
    else if (name in AUDIO_PRESETS) this.setMappings(presetMappings(name as AudioPreset));
  }

  /** One field of mapping `k` changed: its new value parsed by what the field is. */
  private onField(k: number, field: string, raw: string): void {
    const mappings = structuredClone(this.settings.audio.mappings) as AudioMappingData[];
    const m = mappings[k];
    if (!m) return;
    const n = raw.trim() === '' ? Number.NaN : Number(raw);
    if (field === 'attack' || field === 'release') m.smoothing[field] = n;
    else if (field === 'amount') m.amount = n;
    else if (field === 'feature') m.feature = raw as AudioMappingData['feature'];
    else if (field === 'curve') m.curve = raw as AudioMappingData['curve'];
    else if (field === 'target') m.target = raw;
    this.setMappings(mappings);
  }

  private addMapping(): void {
    const m: AudioMappingData = { feature: 'low', target: 'stream.zoom', amount: 0.05, smoothing: { attack: 0.05, release: 0.3 }, curve: 'linear' };
    this.setMappings([...this.settings.audio.mappings, m]);
  }

  private removeMapping(k: number): void {
    this.setMappings(this.settings.audio.mappings.filter((_, i) => i !== k));
  }

  private mappingRow(m: AudioMappingData, k: number): TemplateResult {
    const on = (field: string) => (e: Event) => this.onField(k, field, (e.target as HTMLInputElement | HTMLSelectElement).value);
    const num = (field: string, label: string, value: number, step: number) =>
      html`<label>${label}<input type="number" name=${`audio-${field}-${k}`} step=${step} .value=${live(String(value))} @change=${on(field)} /></label>`;
    return html`<fieldset class="mapping" data-mapping=${k}>
      <legend>Mapping ${k + 1}</legend>
      <label>Feature
        <select name=${`audio-feature-${k}`} @change=${on('feature')}>
          ${AUDIO_FEATURES.map((f) => html`<option value=${f} .selected=${live(f === m.feature)}>${FEATURE_LABELS[f]}</option>`)}
        </select></label>
      <label>Target
        <select name=${`audio-target-${k}`} @change=${on('target')}>
          ${[...MAPPABLE.keys()].map((t) => html`<option value=${t} title=${t} .selected=${live(t === m.target)}>${targetLabel(t)}</option>`)}
        </select></label>
      ${num('amount', 'Amount', m.amount, 0.01)} ${num('attack', 'Attack s', m.smoothing.attack, 0.01)} ${num('release', 'Release s', m.smoothing.release, 0.01)}
      <label>Curve
        <select name=${`audio-curve-${k}`} @change=${on('curve')}>
          ${CURVES.map((c) => html`<option value=${c} .selected=${live(c === m.curve)}>${c}</option>`)}
        </select></label>
      <button type="button" class="remove" @click=${() => this.removeMapping(k)} aria-label=${`remove mapping ${k + 1}`}>Remove</button>
    </fieldset>`;
  }

  override render() {
    const mappings = this.settings.audio.mappings;
    const preset = presetOf(mappings);
    return html`<section aria-label="Sound">
      <h3>Sound</h3>
      <div class="source" role="group" aria-label="sound source">
        <label class="pick">Audio file<input type="file" accept=${AUDIO_ACCEPT} name="audio-file" @change=${this.onPick} /></label>
        <button type="button" data-audio="mic" aria-pressed=${this.source === 'mic' ? 'true' : 'false'} @click=${() => this.emitSource({ kind: 'mic' })}>Microphone</button>
        <button type="button" data-audio="tab" title="Another tab's sound (a music player): choose the tab and tick its audio" aria-pressed=${this.source === 'tab' ? 'true' : 'false'} @click=${() => this.emitSource({ kind: 'tab' })}>Tab</button>
        <button type="button" data-audio="off" ?disabled=${this.source === 'off'} @click=${() => this.emitSource({ kind: 'off' })}>Off</button>
      </div>
      <p class="status" data-audio-status=${this.source}>
        ${this.source === 'off' ? 'No sound: drop or pick a track, use the microphone or share a tab (nothing is recorded or sent).' : this.source === 'mic' ? 'Listening to the microphone.' : this.source === 'tab' ? 'Listening to a shared tab.' : `Playing ${this.sourceName}.`}
      </p>
      ${this.source === 'file' && this.player ? html`<div class="player">${this.player}</div>` : nothing}
      <div class="row">
        <label for="audio-preset">Sound drives</label>
        <select id="audio-preset" name="audio-preset" @change=${this.onPreset}>
          <option value="" .selected=${live(preset === '')}>nothing</option>
          ${(Object.keys(AUDIO_PRESETS) as AudioPreset[]).map((p) => html`<option value=${p} .selected=${live(preset === p)}>${PRESET_LABELS[p]}</option>`)}
          ${preset === 'custom' ? html`<option value="custom" .selected=${live(true)} disabled>custom</option>` : nothing}
        </select>
      </div>
      ${mappings.map((m, k) => this.mappingRow(m, k))}
      ${mappings.length < MAX_MAPPINGS ? html`<button type="button" class="add" @click=${this.addMapping}>Add mapping</button>` : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }

  static override styles = [
    buttonStyles,
    css`
      :host { display: block; background: #1a1a1a; color: #eee; font: 12px/1.4 system-ui, sans-serif; padding: 0 8px 8px; }
      h3 { margin: 10px 0 4px; font-size: 11px; text-transform: uppercase; letter-spacing: 0.06em; color: #7fd1ff; }
      .source { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
      .pick input { display: none; }
      .pick { background: #222; border: 1px solid #444; border-radius: 4px; padding: 3px 6px; cursor: pointer; }
      .status { color: #bbb; margin: 4px 0; }
      .player audio { width: 100%; height: 32px; }
      .row { display: grid; grid-template-columns: 7.5em 1fr; align-items: center; gap: 6px; margin: 3px 0; }
      input, select { font: inherit; color: #eee; background: #111; border: 1px solid #333; border-radius: 3px; min-width: 0; box-sizing: border-box; }
      fieldset { border: 1px solid #333; border-radius: 3px; margin: 4px 0; padding: 4px 6px; display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 3px 8px; min-inline-size: 0; }
      fieldset label { display: flex; flex-direction: column; color: #bbb; font-size: 11px; min-width: 0; }
      fieldset input, fieldset select { width: 100%; }
      legend { color: #bbb; padding: 0 4px; }
      .remove { justify-self: start; align-self: end; }
      .add { margin-top: 4px; }
      .error { color: #ff8a8a; margin: 2px 0 6px; }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-audio': DsAudio;
  }
  interface HTMLElementEventMap {
    'audio-source': CustomEvent<AudioSourceRequest>;
  }
}
