// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import '../../src/components/ds-inspector';
import type { DsInspector } from '../../src/components/ds-inspector';
import { settings } from '../../src/engine/params/settings';
import type { InspectionMessage } from '../../src/workers/protocol';

const mounted: Element[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

const tile = (key: number, value: number) => ({ key, label: `#${key}`, value, width: 2, height: 2, rgba: new Uint8ClampedArray(16).fill(200) });

async function inspector(inspection: InspectionMessage | null, lens: Record<string, unknown> = {}): Promise<DsInspector> {
  const el = document.createElement('ds-inspector') as DsInspector;
  mounted.push(el);
  el.settings = settings({ mode: 'lens', lens: { layer: 'mixed3', ...lens } });
  el.inspection = inspection;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe('<ds-inspector>', () => {
  it('shows the tiles with their labels and values, the chosen one pressed; a click chooses another', async () => {
    const el = await inspector({ title: 'mixed3: the 12 most active channels', tiles: [tile(7, 3.2), tile(40, 1.5)], select: 'lens.channel' }, { channel: 40 });
    const buttons = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[data-set="main"] button')];
    expect(buttons.map((b) => b.textContent!.replace(/\s+/g, ' ').trim())).toEqual(['#7 3.20', '#40 1.50']);
    expect(buttons.map((b) => b.getAttribute('aria-pressed'))).toEqual(['false', 'true']);
    const changes: number[] = [];
    el.addEventListener('settings-change', (e) => changes.push((e as CustomEvent).detail.lens.channel));
    buttons[0]!.click();
    expect(changes).toEqual([7]);
  });

  it('lists what a click on the picture found; a row chooses its channel; nothing at all shows nothing', async () => {
    const el = await inspector(null);
    expect(el.shadowRoot!.querySelector('section')).toBeNull();
    el.picked = { title: 'mixed3 at (40, 30)', rows: [{ key: 12, label: '#12', value: 4 }, { key: 3, label: '#3', value: 2 }], select: 'lens.channel' };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[data-picked-title]')!.textContent).toBe('mixed3 at (40, 30)');
    const changes: number[] = [];
    el.addEventListener('settings-change', (e) => changes.push((e as CustomEvent).detail.lens.channel));
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-row="3"]')!.click();
    expect(changes).toEqual([3]);
  });

  it('tiles that are not choices (the examples) cannot be pressed', async () => {
    const el = await inspector({ title: 'mixed3', tiles: [], select: 'lens.channel', examples: { title: '#12: your own examples', tiles: [tile(12, 9)] } });
    const example = el.shadowRoot!.querySelector<HTMLButtonElement>('[data-set="examples"] button')!;
    expect(example.disabled).toBe(true);
  });
});
