// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../../src/components/ds-controls';
import type { DsControls } from '../../src/components/ds-controls';
import { DEFAULT_SETTINGS, type Settings } from '../../src/engine/params/settings';

let el: DsControls;
let changes: Settings[];
let controls: string[];

async function mount(settings: Settings = DEFAULT_SETTINGS): Promise<void> {
  el = document.createElement('ds-controls');
  el.settings = settings;
  changes = [];
  controls = [];
  // Listening on document proves the events bubble out of the shadow root (composed).
  document.addEventListener('settings-change', onChange);
  document.addEventListener('control', onControl);
  document.body.append(el);
  await el.updateComplete;
}
const onChange = (e: Event) => changes.push((e as CustomEvent<Settings>).detail);
const onControl = (e: Event) => controls.push((e as CustomEvent<string>).detail);

const field = <T extends Element = HTMLInputElement>(name: string) => {
  const f = el.shadowRoot!.querySelector<T & Element>(`[data-field="${name}"]`);
  if (!f) throw new Error(`no field ${name}`);
  return f as unknown as T;
};

async function setValue(name: string, value: string, event: 'input' | 'change' = 'change'): Promise<void> {
  const input = field<HTMLInputElement>(name);
  input.value = value;
  input.dispatchEvent(new Event(event, { bubbles: true }));
  await el.updateComplete;
}

beforeEach(() => mount());
afterEach(() => {
  document.removeEventListener('settings-change', onChange);
  document.removeEventListener('control', onControl);
  el.remove();
});

describe('<ds-controls>', () => {
  it('dispatches a full, new settings object when the step size slider moves', async () => {
    await setValue('dream.stepSize', '0.05', 'input');
    expect(changes).toHaveLength(1);
    const s = changes[0]!;
    // A new object, equal to the settings it was given except for the step size.
    expect(s).not.toBe(DEFAULT_SETTINGS);
    expect(s).toEqual({ ...DEFAULT_SETTINGS, dream: { ...DEFAULT_SETTINGS.dream, stepSize: 0.05 } });
    expect(DEFAULT_SETTINGS.dream.stepSize).not.toBe(0.05);
    // The slider's closing `change` repeats the value and must not dispatch again.
    field('dream.stepSize').dispatchEvent(new Event('change', { bubbles: true }));
    expect(changes).toHaveLength(1);
    // The next edit builds on the previous one.
    await setValue('stream.zoom', '1.05', 'input');
    expect(changes[1]!.dream.stepSize).toBe(0.05);
    expect(changes[1]!.stream.zoom).toBe(1.05);
  });

  it('refuses an invalid channel: no event, an inline message, the field marked invalid', async () => {
    await setValue('dream.channel', '5000');
    expect(changes).toHaveLength(0);
    const msg = el.shadowRoot!.querySelector('[data-error-for="dream.channel"]');
    expect(msg?.textContent).toContain('767');
    expect(msg?.getAttribute('role')).toBe('alert');
    expect(field('dream.channel').getAttribute('aria-invalid')).toBe('true');
    expect(field('dream.channel').value).toBe('5000');
    // Fixing it clears the message and dispatches.
    await setValue('dream.channel', '12');
    expect(changes.map((c) => c.dream.channel)).toEqual([12]);
    expect(el.shadowRoot!.querySelector('[data-error-for]')).toBeNull();
  });

  it('treats an emptied number field as invalid rather than 0', async () => {
    await setValue('dream.channel', '');
    expect(changes).toHaveLength(0);
    expect(el.shadowRoot!.querySelector('[data-error-for="dream.channel"]')).not.toBeNull();
  });

  it('toggles layers and refuses to remove the last one', async () => {
    const box = (n: string) => el.shadowRoot!.querySelector<HTMLInputElement>(`input[name="dream.layers"][value="${n}"]`)!;
    expect(box('mixed3').checked).toBe(true);
    expect(box('mixed4').checked).toBe(false);
    box('mixed5').checked = false;
    box('mixed5').dispatchEvent(new Event('change', { bubbles: true }));
    await el.updateComplete;
    expect(changes.at(-1)!.dream.layers.map((l) => l.name)).toEqual(['mixed3']);
    box('mixed3').checked = false;
    box('mixed3').dispatchEvent(new Event('change', { bubbles: true }));
    await el.updateComplete;
    expect(changes).toHaveLength(1);
    expect(el.shadowRoot!.querySelector('[data-error-for="dream.layers"]')).not.toBeNull();
    expect(box('mixed3').checked).toBe(true); // put back to what the settings say
  });

  it('shows the sections for the mode', async () => {
    expect(el.shadowRoot!.querySelector('[data-field="style.styleWeight"]')).toBeNull();
    expect(el.shadowRoot!.querySelector('[data-field="webcamBlend"]')).toBeNull();
    const mode = field<HTMLSelectElement>('mode');
    mode.value = 'style';
    mode.dispatchEvent(new Event('change', { bubbles: true }));
    await el.updateComplete;
    expect(changes.at(-1)!.mode).toBe('style');
    expect(el.shadowRoot!.querySelector('[data-field="style.styleWeight"]')).not.toBeNull();
    expect(el.shadowRoot!.querySelector('[data-field="dream.stepSize"]')).toBeNull();
    el.settings = { ...DEFAULT_SETTINGS, mode: 'webcam' };
    await el.updateComplete;
    // Webcam with optical flow (the default): the flow's camera pull; the blend and its gating belong to flow off.
    const has = (path: string) => el.shadowRoot!.querySelector(`[data-field="${path}"]`) !== null;
    expect([has('webcamFlow'), has('webcamFlowPull'), has('webcamBlend'), has('webcamGate')]).toEqual([true, true, false, false]);
    expect(has('dream.stepSize')).toBe(true);
    const flow = field<HTMLSelectElement>('webcamFlow');
    flow.value = 'false';
    flow.dispatchEvent(new Event('change', { bubbles: true }));
    await el.updateComplete;
    expect(changes.at(-1)!.webcamFlow).toBe(false);
    expect([has('webcamFlow'), has('webcamFlowPull'), has('webcamBlend'), has('webcamGate')]).toEqual([true, false, true, true]);
    await setValue('webcamBlend', '0.4', 'input');
    expect(changes.at(-1)).toMatchObject({ webcamFlow: false, webcamBlend: 0.4 });
  });

  it('maps log sliders, with the leftmost position meaning 0', async () => {
    await mount({ ...DEFAULT_SETTINGS, mode: 'style' });
    await setValue('style.styleWeight', '3', 'input');
    expect(changes.at(-1)!.style.styleWeight).toBe(1000);
    await setValue('style.tvWeight', '-3', 'input');
    expect(changes.at(-1)!.style.tvWeight).toBe(0);
  });

  it('gives every field a label and a name equal to its settings path', async () => {
    for (const mode of ['dream', 'style', 'webcam'] as const) {
      el.settings = { ...DEFAULT_SETTINGS, mode };
      await el.updateComplete;
      const fields = [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input, select')];
      expect(fields.length).toBeGreaterThan(5);
      for (const f of fields) {
        expect(f.getAttribute('name'), f.outerHTML).toBe(f.dataset['field']);
        const labelled = f.closest('label') !== null || (f.id !== '' && el.shadowRoot!.querySelector(`label[for="${f.id}"]`) !== null);
        expect(labelled, f.outerHTML).toBe(true);
      }
    }
  });

  it('style: a layer weight slider sets that layer’s weight; the second painting’s share appears with a blend', async () => {
    await mount({ ...DEFAULT_SETTINGS, mode: 'style' });
    expect(el.shadowRoot!.querySelector('[data-field="style.styleBlend"]')).toBeNull();
    const weight = el.shadowRoot!.querySelector<HTMLInputElement>('[data-kind="layer-weight"][data-layer="mixed1"]')!;
    weight.value = '2.5';
    weight.dispatchEvent(new Event('input', { bubbles: true }));
    await el.updateComplete;
    expect(changes.at(-1)!.style.styleLayers.find((l) => l.name === 'mixed1')!.weight).toBe(2.5);
    expect(changes.at(-1)!.style.styleLayers.find((l) => l.name === 'mixed0')!.weight).toBe(1);
    el.settings = { ...DEFAULT_SETTINGS, mode: 'style', style: { ...DEFAULT_SETTINGS.style, styleBlend: [0.5, 0.5] } };
    await el.updateComplete;
    await setValue('style.styleBlend', '0.8', 'input');
    expect(changes.at(-1)!.style.styleBlend).toEqual([0.2, 0.8]);
    await setValue('style.stages', '3');
    expect(changes.at(-1)!.style.stages).toBe(3);
    expect(el.shadowRoot!.querySelector('[data-field="style.stageIterations"]')).not.toBeNull();
  });

  it('resolution and steps per frame dispatch numbers', async () => {
    const res = field<HTMLSelectElement>('resolution');
    res.value = '320';
    res.dispatchEvent(new Event('change', { bubbles: true }));
    await el.updateComplete;
    expect(changes.at(-1)!.resolution).toBe(320);
    // Steps per frame: 1–8, or 0 shown as "auto"; the choice arrives as a number, the resolution kept.
    const steps = field<HTMLSelectElement>('stepsPerFrame');
    expect([...steps.options].map((o) => [o.value, o.textContent!.trim()])).toEqual([['0', 'auto'], ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => [String(n), String(n)])]);
    for (const value of ['3', '0']) {
      steps.value = value;
      steps.dispatchEvent(new Event('change', { bubbles: true }));
      await el.updateComplete;
      expect(changes.at(-1)).toMatchObject({ stepsPerFrame: Number(value), resolution: 320 });
    }
    expect(changes).toHaveLength(3);
  });

  it('buttons dispatch control events; pause becomes resume while paused', async () => {
    const button = (a: string) => el.shadowRoot!.querySelector<HTMLButtonElement>(`button[data-control="${a}"]`)!;
    button('pause').click();
    button('step').click();
    button('reset').click();
    el.paused = true;
    await el.updateComplete;
    expect(button('pause')).toBeNull();
    button('resume').click();
    expect(controls).toEqual(['pause', 'step', 'reset', 'resume']);
  });
});
