// @vitest-environment happy-dom
/**
 * The lens panel's new controls: the atlas's tile actions (for the keyboard: a channel typed in, a button per
 * action, the one line saying what each does) and the mix's second channel and share; the worker controller
 * opening the mask brush when a pick asks for it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClientOptions } from '../../src/components/controllers/worker-client';
import '../../src/components/ds-controls';
import type { DsControls } from '../../src/components/ds-controls';
import { SHORTCUTS } from '../../src/components/input/shortcuts';
import { settings, type Settings } from '../../src/engine/params/settings';
import type { FromWorker, PickRequest, ToWorker } from '../../src/workers/protocol';
import { newHost } from './controller-host';

class FakeClient {
  posted: ToWorker[] = [];
  constructor(readonly opts: ClientOptions) {
    clients.push(this);
  }
  start(): void {}
  post(m: ToWorker): void {
    this.posted.push(m);
  }
  dispose(): void {}
  say(m: FromWorker): void {
    this.opts.onMessage(m);
  }
}
const clients: FakeClient[] = [];
vi.mock('../../src/components/controllers/worker-client', () => ({ WorkerClient: FakeClient }));
const { WorkerController } = await import('../../src/components/controllers/worker-controller');

const mounted: Element[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

async function controls(s: Settings): Promise<DsControls> {
  const el = document.createElement('ds-controls');
  el.settings = s;
  mounted.push(el);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe('the lens panel', () => {
  it('atlas: one line says what a click and a Shift+click do; the buttons act on the channel typed in', async () => {
    const el = await controls(settings({ mode: 'lens', lens: { view: 'atlas', layer: 'mixed3' } }));
    const root = el.shadowRoot!;
    expect(root.querySelector('[data-atlas-hint]')!.textContent).toContain('Shift+click to paint it into the mask: it dreams where you paint');
    const button = (a: string) => root.querySelector<HTMLButtonElement>(`[data-atlas-action="${a}"]`)!;
    // No channel named yet (−1): nothing to act on.
    expect([button('choose').disabled, button('paint').disabled]).toEqual([true, true]);
    el.settings = settings({ mode: 'lens', lens: { view: 'atlas', layer: 'mixed3', channel: 97 } });
    await el.updateComplete;
    const asked: PickRequest[] = [];
    document.addEventListener('atlas-tile', (e) => asked.push((e as CustomEvent<PickRequest>).detail));
    button('paint').click();
    button('choose').click();
    expect(asked).toEqual([{ action: 'paint', channel: 97 }, { action: 'choose', channel: 97 }]);
    expect(root.querySelector('[data-field="lens.channel"]')).not.toBeNull();
  });

  it('features: the mix\'s second channel and share show only with the mix target', async () => {
    const el = await controls(settings({ mode: 'lens', lens: { view: 'features', layer: 'mixed3', target: 'channel' } }));
    const root = el.shadowRoot!;
    expect(root.querySelector('[data-field="lens.mixWith"]')).toBeNull();
    const target = root.querySelector<HTMLSelectElement>('[data-field="lens.target"]')!;
    expect([...target.options].map((o) => o.value)).toEqual(['channel', 'neuron', 'mix']);
    el.settings = settings({ mode: 'lens', lens: { view: 'features', layer: 'mixed3', target: 'mix', mixWith: 12, mixShare: 0.3 } });
    await el.updateComplete;
    expect(root.querySelector<HTMLInputElement>('[data-field="lens.mixWith"]')!.value).toBe('12');
    expect(root.querySelector<HTMLInputElement>('[data-field="lens.mixShare"]')!.value).toBe('0.3');
  });

  it('the help table lists the key that paints the centre tile into the mask', () => {
    expect(SHORTCUTS.find((s) => s.action === 'probe-paint')).toMatchObject({ keys: ['i'], label: 'I' });
  });
});

describe('WorkerController: a pick that asks for the brush', () => {
  it('posts the action, takes the settings and opens the brush with the line that says what it means', () => {
    const applied: Settings[] = [];
    const brush: string[] = [];
    const worker = new WorkerController(newHost(), {
      canvas: () => document.createElement('canvas'),
      look: () => ({ settings: settings({ mode: 'lens' }) }),
      onCameraAck: () => {},
      notify: () => {},
      applySettings: (s) => applied.push(s),
      openBrush: (line) => brush.push(line),
    });
    worker.start(settings({ mode: 'lens' }), 'auto');
    const client = clients.at(-1)!;
    worker.pick(0.25, 0.5, { action: 'paint' });
    expect(client.posted.at(-1)).toEqual({ type: 'pick', u: 0.25, v: 0.5, action: 'paint' });
    const next = settings({ mode: 'dream', dream: { layers: [{ name: 'mixed3', weight: 1 }], channel: 7 }, mask: { outside: 'other' } });
    client.say({ type: 'picked', settings: next, brush: true, info: { title: 'paint where mixed3 #7 dreams; elsewhere mixed3, mixed5 dream on (M when done)', rows: [] } });
    expect(applied).toEqual([next]);
    expect(brush).toEqual(['paint where mixed3 #7 dreams; elsewhere mixed3, mixed5 dream on (M when done)']);
    // A plain pick opens nothing.
    client.say({ type: 'picked', settings: next, info: { title: 'dreaming with mixed3 #7', rows: [] } });
    expect(brush).toHaveLength(1);
  });
});
