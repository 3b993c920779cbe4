// @vitest-environment happy-dom
/** The panel's sound section: presets and mapping fields edit the settings (checked whole); the source is asked for. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../../src/components/panels/audio-panel';
import type { AudioSourceRequest, DsAudio } from '../../src/components/panels/audio-panel';
import { DEFAULT_SETTINGS, type Settings } from '../../src/engine/params/settings';

let el: DsAudio;
const events: { settings: Settings[]; sources: AudioSourceRequest[] } = { settings: [], sources: [] };
const onSettings = (e: Event) => events.settings.push((e as CustomEvent<Settings>).detail);
const onSource = (e: Event) => events.sources.push((e as CustomEvent<AudioSourceRequest>).detail);
const q = <T extends Element>(sel: string) => el.shadowRoot!.querySelector<T>(sel)!;

async function change(sel: string, value: string): Promise<void> {
  const field = q<HTMLInputElement | HTMLSelectElement>(sel);
  field.value = value;
  field.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

beforeEach(async () => {
  events.settings = [];
  events.sources = [];
  document.addEventListener('settings-change', onSettings);
  document.addEventListener('audio-source', onSource);
  el = document.createElement('ds-audio');
  el.settings = DEFAULT_SETTINGS;
  document.body.append(el);
  await el.updateComplete;
});
afterEach(() => {
  document.removeEventListener('settings-change', onSettings);
  document.removeEventListener('audio-source', onSource);
  el.remove();
});

describe('ds-audio', () => {
  it('a preset sets its mappings; a field edits one; nothing leaves for a value the schema refuses', async () => {
    expect(el.shadowRoot!.querySelectorAll('fieldset.mapping')).toHaveLength(0);
    await change('select[name="audio-preset"]', 'pulse');
    expect(events.settings.at(-1)!.audio.mappings).toEqual([{ feature: 'onset', target: 'stream.zoom', amount: 0.05, smoothing: { attack: 0, release: 0.15 }, curve: 'linear' }]);
    el.settings = events.settings.at(-1)!;
    await el.updateComplete;
    await change('input[name="audio-amount-0"]', '0.2');
    expect(events.settings.at(-1)!.audio.mappings[0]!.amount).toBe(0.2);
    expect(q<HTMLOptionElement>('select[name="audio-preset"] option[value="custom"]').selected).toBe(true);
    const sent = events.settings.length;
    await change('input[name="audio-release-0"]', '20');
    expect(events.settings).toHaveLength(sent);
    expect(q('.error').textContent).toMatch(/audio\.mappings\.0\.smoothing\.release/);
    // Only live numeric settings are offered as targets.
    const targets = [...el.shadowRoot!.querySelectorAll('select[name="audio-target-0"] option')].map((o) => (o as HTMLOptionElement).value);
    expect(targets).toContain('stream.zoom');
    expect(targets).toContain('dream.stepSize');
    expect(targets).not.toContain('resolution');
    expect(targets).not.toContain('style.styleScale');
  });

  it('asks for the microphone or for no sound', async () => {
    q<HTMLButtonElement>('button[data-audio="mic"]').click();
    el.source = 'mic';
    await el.updateComplete;
    q<HTMLButtonElement>('button[data-audio="off"]').click();
    expect(events.sources).toEqual([{ kind: 'mic' }, { kind: 'off' }]);
    expect(q('.status').textContent).toContain('microphone');
  });
});
