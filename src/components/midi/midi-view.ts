/** How the panel shows MIDI: the learn toggle with its line, and a bound control's badge. */
import { css, html, nothing, type TemplateResult } from 'lit';
import { ccLabel, type Binding } from './bindings';

export function learnBar(learning: boolean, available: boolean, line: string, onToggle: () => void): TemplateResult {
  return html`<div class="midi">
    <button type="button" data-midi="learn" aria-pressed=${learning ? 'true' : 'false'} ?disabled=${!available} @click=${onToggle}
      title="MIDI learn: touch a control, then turn a knob on your controller">MIDI learn</button>
    <span class="midi-line" role="status" data-midi="line">${line}</span>
  </div>`;
}

/** The CC a control follows; while learning it is a button that removes the binding. */
export function ccBadge(binding: Binding | undefined, learning: boolean, onClear: () => void): TemplateResult | typeof nothing {
  if (!binding) return nothing;
  const text = ccLabel(binding);
  const title = `MIDI CC ${binding.controller}, channel ${binding.channel}`;
  return learning
    ? html`<button type="button" class="cc" data-cc=${binding.path} title=${`${title}: remove`} aria-label=${`remove the MIDI binding ${text}`}
        @click=${onClear}>${text} ×</button>`
    : html`<span class="cc" data-cc=${binding.path} title=${title}>${text}</span>`;
}

export const midiStyles = css`
  .midi { display: flex; align-items: center; gap: 8px; margin: 0 0 6px; }
  .midi button[aria-pressed='true'] { border-color: #ffb347; color: #ffb347; }
  .midi button:disabled { opacity: 0.5; cursor: default; }
  .midi-line { color: #bbb; }
  label .cc { margin-left: 4px; }
  .cc { display: inline-block; font-size: 10px; line-height: 1.2; padding: 0 3px; border-radius: 3px; background: #3a2a10;
    color: #ffb347; border: 1px solid #6b4a14; white-space: nowrap; }
  button.cc { cursor: pointer; }
  form.learning .row.knob { outline: 1px dashed #444; outline-offset: 1px; border-radius: 3px; }
  form.learning .row.knob.target { outline: 2px solid #ffb347; }
`;
