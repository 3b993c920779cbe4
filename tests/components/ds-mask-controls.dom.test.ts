// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../../src/components/ds-mask-controls';
import type { DsMaskControls } from '../../src/components/ds-mask-controls';
import type { MaskTool } from '../../src/components/controllers/mask-controller';
import { DEFAULT_SETTINGS, settings, type Settings } from '../../src/engine/params/settings';

let el: DsMaskControls;
const events: { tool: MaskTool[]; actions: string[]; settings: Settings[] } = { tool: [], actions: [], settings: [] };
const onTool = (e: Event) => events.tool.push((e as CustomEvent<MaskTool>).detail);
const onAction = (e: Event) => events.actions.push((e as CustomEvent<string>).detail);
const onSettings = (e: Event) => events.settings.push((e as CustomEvent<Settings>).detail);

async function mount(s: Settings = DEFAULT_SETTINGS, painted = false): Promise<void> {
  el?.remove();
  el = document.createElement('ds-mask-controls');
  el.settings = s;
  el.painted = painted;
  document.body.append(el);
  await el.updateComplete;
}
const q = <T extends Element>(sel: string) => el.shadowRoot!.querySelector<T>(sel)!;

beforeEach(() => {
  events.tool = [];
  events.actions = [];
  events.settings = [];
  document.addEventListener('mask-tool', onTool);
  document.addEventListener('mask-action', onAction);
  document.addEventListener('settings-change', onSettings);
});
afterEach(() => {
  document.removeEventListener('mask-tool', onTool);
  document.removeEventListener('mask-action', onAction);
  document.removeEventListener('settings-change', onSettings);
  el.remove();
});

describe('ds-mask-controls', () => {
  it('paint and erase toggle the brush; size and softness set it; clear and invert wait for a painted mask, undo for a change', async () => {
    await mount();
    expect(q('.hint').textContent).toContain('No mask');
    expect(q<HTMLButtonElement>('[data-mask="clear"]').disabled).toBe(true);
    q<HTMLButtonElement>('[data-mask="paint"]').click();
    expect(events.tool.at(-1)).toMatchObject({ painting: true, erase: false });
    q<HTMLButtonElement>('[data-mask="erase"]').click();
    // Erase starts painting too: the next drag on the stage erases.
    expect(events.tool.at(-1)).toMatchObject({ painting: true, erase: true });
    const size = q<HTMLInputElement>('#mask-size');
    size.value = '40';
    size.dispatchEvent(new Event('input'));
    expect(events.tool.at(-1)!.size).toBe(40);

    expect(q<HTMLButtonElement>('[data-mask="undo"]').disabled).toBe(true);
    await mount(DEFAULT_SETTINGS, true);
    el.undoable = true;
    await el.updateComplete;
    expect(q('.hint').textContent).toContain('applies where the mask is painted');
    q<HTMLButtonElement>('[data-mask="invert"]').click();
    q<HTMLButtonElement>('[data-mask="clear"]').click();
    q<HTMLButtonElement>('[data-mask="undo"]').click();
    expect(events.actions).toEqual(['invert', 'clear', 'undo']);
  });

  it('what happens outside: other layers in DeepDream (with its layer), the second painting in style transfer', async () => {
    await mount();
    const outside = q<HTMLSelectElement>('select[name="mask.outside"]');
    expect([...outside.options].map((o) => o.textContent!.trim())).toEqual(['Unchanged', 'Other layers']);
    outside.value = 'other';
    outside.dispatchEvent(new Event('change'));
    expect(events.settings.at(-1)!.mask.outside).toBe('other');

    await mount(settings({ mask: { outside: 'other' } }));
    const layer = q<HTMLSelectElement>('select[name="mask.outsideLayers"]');
    expect(layer.value).toBe('mixed1');
    layer.value = 'mixed0';
    layer.dispatchEvent(new Event('change'));
    expect(events.settings.at(-1)!.mask.outsideLayers).toEqual([{ name: 'mixed0', weight: 1 }]);

    await mount(settings({ mode: 'style', mask: { outside: 'other' } }));
    expect([...q<HTMLSelectElement>('select[name="mask.outside"]').options].map((o) => o.textContent!.trim())).toEqual(['Unchanged', 'The second painting']);
    expect(el.shadowRoot!.querySelector('select[name="mask.outsideLayers"]')).toBeNull();
    expect(el.shadowRoot!.textContent).toContain('Blend with');
  });
});
