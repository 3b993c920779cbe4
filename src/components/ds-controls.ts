import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { MODE_ABOUTS } from '../engine/modes/catalog';
import { DEFAULT_SETTINGS, type Settings } from '../engine/params/settings';
import type { ControlAction } from '../workers/protocol';
import {
  applyEdit,
  fromLogSlider,
  parseNumber,
  sameSettings,
  setLayerWeight,
  setSecondShare,
  toggleLayer,
  toLogSlider,
  type EditResult,
  type LayerListPath,
} from './look/settings-edit';
import { MODE_PANELS } from './panels';
import type { Fields, Kind, Option } from './panels/fields';
import { MidiController } from './controllers/midi-controller';
import { bindingForPath } from './midi/bindings';
import { ccToPosition, type KnobSpan } from './midi/cc-scale';
import { midiLine } from './midi/midi-line';
import { ccBadge, learnBar, midiStyles } from './midi/midi-view';
import { schemaSpan } from './midi/schema-span';

const RESOLUTIONS = [0, 96, 128, 160, 224, 320, 448, 512, 768];
const STEPS = [0, 1, 2, 3, 4, 5, 6, 7, 8];
/** Log sliders cover 1e-3…1e6; the leftmost position is 0 (off). */
const LOG_MIN = -3;
const LOG_MAX = 6;
/** A numeric control as a knob sees it: its label, its kind and the span of its positions. */
interface Knob {
  label: string;
  kind: Kind;
  span: KnobSpan;
}
/** `raw` is what the user typed, shown back so the message refers to something visible. */
interface FieldError {
  field: string;
  message: string;
  raw: string;
}

/** Four figures: zoom lives near 1 in steps of 0.001 (a notch of the + key is 0.005), which three figures hid. */
const fmt = (v: number) => String(Number(v.toPrecision(4)));
const idFor = (path: string) => `f-${path.replace(/\./g, '-')}`;
/** Keeps a value that came from a preset or URL visible even when it lies outside the slider's usual span. */
const withValue = (values: number[], v: number) => (values.includes(v) ? values : [...values, v].sort((a, b) => a - b));

/**
 * The settings panel. Each edit is validated as a whole Settings object before anything leaves the element:
 * valid → `settings-change` with the full new object; invalid → an inline message and no event.
 */
@customElement('ds-controls')
export class DsControls extends LitElement {
  @property({ attribute: false }) settings: Settings = DEFAULT_SETTINGS;
  @property({ type: Boolean }) paused = false;
  @state() private error: FieldError | null = null;
  /** Knobs and faders (MIDI learn binds them to the numeric controls below). */
  private readonly midi = new MidiController(this, {
    move: (path, cc) => this.knobMoved(path, cc),
    note: () => this.control(this.paused ? 'resume' : 'pause'),
  });
  /** The numeric controls of the last render, by path: what a knob bound to one moves across. */
  private readonly knobs = new Map<string, Knob>();

  protected override willUpdate(changed: PropertyValues<this>): void {
    // New settings (ours after a valid edit, or the app's after a preset) make an old message stale.
    if (changed.has('settings')) this.error = null;
  }

  private onEdit(e: Event): void {
    const el = e.target as HTMLInputElement | HTMLSelectElement;
    const field = el.dataset['field'];
    const kind = el.dataset['kind'] as Kind | undefined;
    if (!field || !kind) return;
    // Sliders apply live while dragging; other fields commit on change. A slider's closing `change` repeats its
    // last `input` and is dropped below as a no-op.
    if (e.type === 'input' && el.type !== 'range') return;
    this.edit(field, kind, el.value, (el as HTMLInputElement).checked, el.dataset['layer'] ?? '');
  }

  /** One edit of one field from its raw control value: a person's, or a knob's (which sets the slider's position). */
  private edit(field: string, kind: Kind, raw: string, checked = false, layer = ''): void {
    let r: EditResult;
    if (kind === 'layer') r = toggleLayer(this.settings, field as LayerListPath, raw, checked);
    else if (kind === 'layer-weight') r = setLayerWeight(this.settings, field as LayerListPath, layer, parseNumber(raw));
    else if (kind === 'blend') r = setSecondShare(this.settings, parseNumber(raw));
    else {
      const value = kind === 'text' ? raw : kind === 'flag' ? raw === 'true' : kind === 'log' ? fromLogSlider(parseNumber(raw), LOG_MIN) : parseNumber(raw);
      r = applyEdit(this.settings, field, value);
    }
    if (!r.ok) {
      this.error = { field, message: r.error, raw };
      return;
    }
    this.error = null;
    if (sameSettings(r.settings, this.settings)) return;
    // Kept locally too, so the next edit builds on this one even if the app is slow to feed settings back.
    this.settings = r.settings;
    this.dispatchEvent(new CustomEvent('settings-change', { detail: r.settings, bubbles: true, composed: true }));
  }

  /** A bound knob moved: the control's position across its span, edited as if the slider were moved there. */
  private knobMoved(path: string, cc: number): void {
    const knob = this.knobs.get(path);
    if (knob) this.edit(path, knob.kind, String(ccToPosition(cc, knob.span)));
    else {
      // The control is not on screen (another mode's, or one its section hides now): the schema's bounds.
      const span = schemaSpan(path);
      if (span) this.edit(path, 'number', String(ccToPosition(cc, span)));
    }
  }

  /** While learning, a control touched (focused, or pressed with the pointer) is the one the next knob binds. */
  private onTouch(e: Event): void {
    const path = (e.composedPath()[0] as HTMLElement | undefined)?.dataset?.['field'];
    if (path && this.knobs.has(path)) this.midi.touch(path);
  }

  /** While learning, a right click on a bound control removes its binding. */
  private onContextMenu(e: Event): void {
    const path = (e.composedPath()[0] as HTMLElement | undefined)?.dataset?.['field'];
    if (!this.midi.learn.on || !path || !bindingForPath(this.midi.bindings, path)) return;
    e.preventDefault();
    this.midi.unbind(path);
  }

  /** A numeric control's row: its knob recorded, its binding's badge in its label, marked while it is learned. */
  private knobRow(path: string, label: string, kind: Kind, span: KnobSpan, id: string, input: TemplateResult, output: TemplateResult | typeof nothing): TemplateResult {
    this.knobs.set(path, { label, kind, span });
    const learn = this.midi.learn;
    const target = learn.on && learn.target === path;
    return html`<div class=${target ? 'row knob target' : 'row knob'}>
        <label for=${id}>${label}${ccBadge(bindingForPath(this.midi.bindings, path), learn.on, () => this.midi.unbind(path))}</label>
        ${input} ${output}
      </div>
      ${this.errorFor(path)}`;
  }

  private control(action: ControlAction): void {
    this.dispatchEvent(new CustomEvent('control', { detail: action, bubbles: true, composed: true }));
  }

  private errorFor(path: string) {
    const e = this.error;
    if (e?.field !== path) return nothing;
    return html`<p class="error" role="alert" id=${`${idFor(path)}-error`} data-error-for=${path}>${e.message}</p>`;
  }

  private shown(path: string, value: string): string {
    return this.error?.field === path ? this.error.raw : value;
  }

  private invalid(path: string): 'true' | 'false' {
    return this.error?.field === path ? 'true' : 'false';
  }

  private range(path: string, label: string, value: number, min: number, max: number, step: number, unit = '', kind: Kind = 'number', id = idFor(path)): TemplateResult {
    return this.knobRow(
      path, label, kind, { min, max, step }, id,
      html`<input id=${id} type="range" name=${path} data-field=${path} data-kind=${kind} min=${Math.min(min, value)}
          max=${Math.max(max, value)} step=${step} .value=${live(this.shown(path, String(value)))} aria-invalid=${this.invalid(path)} />`,
      html`<output for=${id}>${fmt(value)}${unit}</output>`,
    );
  }

  private logRange(path: string, label: string, value: number): TemplateResult {
    const id = idFor(path);
    const text = value === 0 ? 'off' : fmt(value);
    return this.knobRow(
      path, label, 'log', { min: LOG_MIN, max: LOG_MAX, step: 0.05 }, id,
      html`<input id=${id} type="range" name=${path} data-field=${path} data-kind="log" data-scale="log10" min=${LOG_MIN}
          max=${LOG_MAX} step="0.05" .value=${live(String(toLogSlider(value, LOG_MIN, LOG_MAX)))} aria-valuetext=${text} />`,
      html`<output for=${id}>${text}</output>`,
    );
  }

  private number(path: string, label: string, value: number, min: number, max: number, step: number): TemplateResult {
    const id = idFor(path);
    return this.knobRow(
      path, label, 'number', { min, max, step }, id,
      html`<input id=${id} type="number" name=${path} data-field=${path} data-kind="number" min=${min} max=${max} step=${step}
          .value=${live(this.shown(path, String(value)))} aria-invalid=${this.invalid(path)} />`,
      nothing,
    );
  }

  private select(path: string, label: string, options: readonly Option[], value: string, kind: Kind = 'text'): TemplateResult {
    const id = idFor(path);
    // `.selected` per option rather than `.value` on the select: the options may not exist yet when a select's
    // own bindings are committed.
    return html`<div class="row">
        <label for=${id}>${label}</label>
        <select id=${id} name=${path} data-field=${path} data-kind=${kind} aria-invalid=${this.invalid(path)}>
          ${options.map(([v, text]) => html`<option value=${v} .selected=${live(v === value)}>${text}</option>`)}
        </select>
      </div>
      ${this.errorFor(path)}`;
  }

  private layers(path: LayerListPath, legend: string, offered: readonly string[], chosen: readonly { name: string }[]): TemplateResult {
    const names = [...offered, ...chosen.map((l) => l.name).filter((n) => !offered.includes(n))];
    return html`<fieldset>
        <legend>${legend}</legend>
        ${names.map(
          (n) => html`<label class="chip">
            <input type="checkbox" name=${path} data-field=${path} data-kind="layer" value=${n} .checked=${live(chosen.some((l) => l.name === n))} />${n}
          </label>`,
        )}
      </fieldset>
      ${this.errorFor(path)}`;
  }

  /** A weight slider per chosen layer: which layers, and how much each counts. */
  private layerWeights(path: LayerListPath, chosen: readonly { name: string; weight: number }[]): TemplateResult {
    return html`${chosen.map((l) => {
      const id = `${idFor(path)}-${l.name}`;
      return html`<div class="row weight">
        <label for=${id}>${l.name}</label>
        <input id=${id} type="range" name=${path} data-field=${path} data-kind="layer-weight" data-layer=${l.name}
          min=${Math.min(0, l.weight)} max=${Math.max(4, l.weight)} step="0.05" .value=${live(String(l.weight))} aria-label=${`weight of ${l.name}`} />
        <output for=${id}>${fmt(l.weight)}</output>
      </div>`;
    })}`;
  }

  /** The field makers a mode's panel section is written with (panels/), bound to this panel. */
  private readonly fields: Fields = {
    range: (...a) => this.range(...a),
    logRange: (...a) => this.logRange(...a),
    number: (...a) => this.number(...a),
    select: (...a) => this.select(...a),
    layers: (...a) => this.layers(...a),
    layerWeights: (...a) => this.layerWeights(...a),
  };

  override render(): TemplateResult {
    const s = this.settings;
    const res = withValue(RESOLUTIONS, s.resolution).map((n): Option => [String(n), n === 0 ? 'auto' : `${n}px`]);
    const steps = withValue(STEPS, s.stepsPerFrame).map((n): Option => [String(n), n === 0 ? 'auto' : String(n)]);
    const m = this.midi;
    const target = m.learn.on ? m.learn.target : null;
    const targetLabel = target ? (this.knobs.get(target)?.label ?? null) : null;
    const line = midiLine({ status: m.status, failure: m.failure, learn: m.learn, inputCount: m.inputCount, targetLabel, bound: m.bindings.length });
    // Rebuilt by the field makers below, so it holds only the controls on screen.
    this.knobs.clear();
    return html`${learnBar(m.learn.on, m.status !== 'unsupported' && m.status !== 'denied', line, () => m.toggleLearn())}
      <form class=${m.learn.on ? 'learning' : ''} @input=${this.onEdit} @change=${this.onEdit} @submit=${(e: Event) => e.preventDefault()}
        @focusin=${this.onTouch} @pointerdown=${this.onTouch} @contextmenu=${this.onContextMenu}>
      ${this.select('mode', 'Mode', MODE_ABOUTS.map((m): Option => [m.name, m.label]), s.mode)}
      ${MODE_PANELS[s.mode](this.fields, s)}
      <section aria-label="Performance">
        <h3>Performance</h3>
        ${this.select('detail', 'Detail', [['smooth', 'Smooth (adaptive size)'], ['sharp', "Sharp (the display's size)"]], s.detail)}
        ${this.select('fit', 'Framing', [['cover', 'Cover (fill the stage)'], ['contain', 'Contain (whole picture)']], s.fit)}
        ${this.select('resolution', 'Resolution', res, String(s.resolution), 'number')}
        ${this.select('stepsPerFrame', 'Steps per frame', steps, String(s.stepsPerFrame), 'number')}
      </section>
      <div class="buttons">
        <button type="button" data-control=${this.paused ? 'resume' : 'pause'} @click=${() => this.control(this.paused ? 'resume' : 'pause')}>
          ${this.paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" data-control="step" @click=${() => this.control('step')}>Step once</button>
        <button type="button" data-control="reset" @click=${() => this.control('reset')}>Reset</button>
      </div>
    </form>`;
  }

  static override styles = [midiStyles, css`
    :host { display: block; background: #1a1a1a; color: #eee; font: 12px/1.4 system-ui, sans-serif; padding: 8px; overflow-y: auto; }
    h3 { margin: 10px 0 4px; font-size: 11px; text-transform: uppercase; letter-spacing: 0.06em; color: #7fd1ff; }
    .row { display: grid; grid-template-columns: 7.5em 1fr 3.5em; align-items: center; gap: 6px; margin: 3px 0; }
    .row select, .row input[type='number'] { grid-column: span 2; }
    .row.weight label { padding-left: 1em; color: #bbb; }
    input, select, button { font: inherit; color: #eee; background: #111; border: 1px solid #333; border-radius: 3px; }
    input[type='range'] { accent-color: #7fd1ff; background: none; border: 0; min-width: 0; }
    input[aria-invalid='true'], select[aria-invalid='true'] { border-color: #ff6b6b; }
    output { text-align: right; font-variant-numeric: tabular-nums; color: #bbb; }
    fieldset { border: 1px solid #333; border-radius: 3px; margin: 4px 0; padding: 4px 6px; display: flex; flex-wrap: wrap; gap: 2px 8px; }
    legend { color: #bbb; padding: 0 4px; }
    .chip, .check { display: inline-flex; align-items: center; gap: 3px; }
    input[type='checkbox'] { accent-color: #7fd1ff; }
    .error { color: #ff8a8a; margin: 2px 0 6px; }
    .buttons { display: flex; gap: 6px; margin-top: 10px; }
    button { padding: 4px 10px; cursor: pointer; }
    button:hover, button:focus-visible { border-color: #7fd1ff; }
    :focus-visible { outline: 2px solid #7fd1ff; outline-offset: 1px; }
  `];
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-controls': DsControls;
  }
}
