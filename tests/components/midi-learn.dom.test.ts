// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../../src/components/ds-controls';
import type { DsControls } from '../../src/components/ds-controls';
import { MIDI_BINDINGS_KEY } from '../../src/components/midi/bindings';
import { DEFAULT_SETTINGS, type Settings } from '../../src/engine/params/settings';

/** A MIDI input the test plays: `cc` sends a Control Change as a controller would. */
class FakeInput extends EventTarget {
  readonly type = 'input';
  state = 'connected';
  constructor(readonly id: string) {
    super();
  }
  open() {
    return Promise.resolve(this);
  }
  send(bytes: number[]): void {
    this.dispatchEvent(Object.assign(new Event('midimessage'), { data: new Uint8Array(bytes) }));
  }
  cc(controller: number, value: number): void {
    this.send([0xb0, controller, value]);
  }
}

class FakeAccess extends EventTarget {
  readonly inputs = new Map<string, FakeInput>();
  plug(input: FakeInput): void {
    this.inputs.set(input.id, input);
    this.dispatchEvent(Object.assign(new Event('statechange'), { port: input }));
  }
}

let el: DsControls;
let changes: Settings[];
let access: FakeAccess;
let requests: number;
const onChange = (e: Event) => {
  changes.push((e as CustomEvent<Settings>).detail);
  // As the app does: the settings come back to the panel.
  el.settings = (e as CustomEvent<Settings>).detail;
};

function offerMidi(request: () => Promise<unknown>): void {
  Object.defineProperty(navigator, 'requestMIDIAccess', { value: request, configurable: true, writable: true });
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
  }
}

async function mount(): Promise<void> {
  el = document.createElement('ds-controls');
  el.settings = DEFAULT_SETTINGS;
  document.body.append(el);
  await settle();
}

const q = <T extends Element>(sel: string): T => {
  const found = el.shadowRoot!.querySelector<T>(sel);
  if (!found) throw new Error(`nothing matches ${sel}`);
  return found;
};
const line = () => q('[data-midi="line"]').textContent!.trim();
const badge = (path: string) => el.shadowRoot!.querySelector(`[data-cc="${path}"]`)?.textContent?.trim() ?? null;
const output = (path: string) => q(`[data-field="${path}"]`).parentElement!.querySelector('output')!.textContent!.trim();

async function clickLearn(): Promise<void> {
  q<HTMLButtonElement>('[data-midi="learn"]').click();
  await settle();
}

async function touch(path: string): Promise<void> {
  q(`[data-field="${path}"]`).dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
  await el.updateComplete;
}

beforeEach(() => {
  localStorage.clear();
  changes = [];
  requests = 0;
  access = new FakeAccess();
  access.inputs.set('knobs', new FakeInput('knobs'));
  offerMidi(() => {
    requests++;
    return Promise.resolve(access);
  });
  document.addEventListener('settings-change', onChange);
});
afterEach(() => {
  document.removeEventListener('settings-change', onChange);
  el.remove();
  Reflect.deleteProperty(navigator, 'requestMIDIAccess');
});

const knobs = () => access.inputs.get('knobs')!;

describe('MIDI learn in <ds-controls>', () => {
  it('binds a touched control to a knob, which then sets it across its span; the binding outlives the page', async () => {
    await mount();
    // No prompt for MIDI until the person asks for it.
    expect(requests).toBe(0);
    await clickLearn();
    expect(requests).toBe(1);
    expect(q('[data-midi="learn"]').getAttribute('aria-pressed')).toBe('true');
    expect(line()).toBe('Touch a control, then turn a knob');

    await touch('stream.zoom');
    expect(line()).toBe('Turn a knob for Zoom');
    knobs().cc(21, 64);
    await settle();
    expect(badge('stream.zoom')).toBe('CC 21 ×');
    // Learning moves on: the next control touched takes the next knob.
    expect(line()).toBe('Touch a control, then turn a knob');
    // Binding is not moving: the setting is untouched by the learning turn.
    expect(changes).toHaveLength(0);

    await clickLearn();
    expect(badge('stream.zoom')).toBe('CC 21');
    knobs().cc(21, 127);
    await settle();
    expect(changes.at(-1)!.stream.zoom).toBe(1.1);
    expect(output('stream.zoom')).toBe('1.1×');
    knobs().cc(21, 0);
    await settle();
    expect(changes.at(-1)!.stream.zoom).toBe(0.95);
    // Other knobs and channels are not bound.
    const before = changes.length;
    knobs().cc(22, 5);
    knobs().send([0xb1, 21, 5]);
    await settle();
    expect(changes).toHaveLength(before);

    // A reload: a new panel reads the bindings back and opens MIDI at once (this browser uses MIDI).
    el.remove();
    expect(JSON.parse(localStorage.getItem(MIDI_BINDINGS_KEY)!)).toEqual([{ channel: 1, controller: 21, path: 'stream.zoom' }]);
    await mount();
    expect(requests).toBe(2);
    expect(badge('stream.zoom')).toBe('CC 21');
    knobs().cc(21, 127);
    await settle();
    expect(changes.at(-1)!.stream.zoom).toBe(1.1);
  });

  it('hears an input plugged in later, and a log slider follows a knob across its exponents', async () => {
    localStorage.setItem(MIDI_BINDINGS_KEY, JSON.stringify([{ channel: 1, controller: 1, path: 'stream.rotate' }]));
    await mount();
    const late = new FakeInput('late');
    access.plug(late);
    late.cc(1, 127);
    await settle();
    expect(changes.at(-1)!.stream.rotate).toBe(5);

    await clickLearn();
    // A select is not a knob.
    await touch('mode');
    expect(line()).toBe('Touch a control, then turn a knob');
    await touch('dream.stepSize');
    late.cc(2, 0);
    await settle();
    await clickLearn();
    late.cc(2, 127);
    await settle();
    expect(changes.at(-1)!.dream.stepSize).toBe(0.1);
  });

  it('removes a binding from its badge or by a right click while learning, and forgets it', async () => {
    localStorage.setItem(MIDI_BINDINGS_KEY, JSON.stringify([{ channel: 1, controller: 21, path: 'stream.zoom' }, { channel: 1, controller: 22, path: 'stream.rotate' }]));
    await mount();
    // Outside learning a right click is the browser's own.
    const menu = () => new MouseEvent('contextmenu', { bubbles: true, composed: true, cancelable: true });
    q('[data-field="stream.rotate"]').dispatchEvent(menu());
    await settle();
    expect(badge('stream.rotate')).toBe('CC 22');
    await clickLearn();
    q<HTMLButtonElement>('[data-cc="stream.zoom"]').click();
    await settle();
    expect(badge('stream.zoom')).toBeNull();
    const right = menu();
    q('[data-field="stream.rotate"]').dispatchEvent(right);
    await settle();
    expect(right.defaultPrevented).toBe(true);
    expect(badge('stream.rotate')).toBeNull();
    expect(JSON.parse(localStorage.getItem(MIDI_BINDINGS_KEY)!)).toEqual([]);
    await clickLearn();
    knobs().cc(21, 127);
    await settle();
    expect(changes).toHaveLength(0);
  });

  it('ignores a bad stored value and keeps working', async () => {
    localStorage.setItem(MIDI_BINDINGS_KEY, '{"zoom": CC 21');
    await mount();
    expect(el.shadowRoot!.querySelector('[data-cc]')).toBeNull();
    expect(requests).toBe(0);
    const zoom = q<HTMLInputElement>('[data-field="stream.zoom"]');
    zoom.value = '1.05';
    zoom.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    expect(changes.at(-1)!.stream.zoom).toBe(1.05);
  });

  it('says in one line when this browser has no Web MIDI, or access is denied', async () => {
    Reflect.deleteProperty(navigator, 'requestMIDIAccess');
    await mount();
    expect(line()).toBe('MIDI is not available in this browser');
    expect(q<HTMLButtonElement>('[data-midi="learn"]').disabled).toBe(true);
    el.remove();

    offerMidi(() => Promise.reject(new DOMException('no', 'NotAllowedError')));
    await mount();
    await clickLearn();
    expect(line()).toBe('MIDI access was denied');
    expect(q('[data-midi="learn"]').getAttribute('aria-pressed')).toBe('false');
    expect(q<HTMLButtonElement>('[data-midi="learn"]').disabled).toBe(true);
    // The rest of the panel still edits.
    const zoom = q<HTMLInputElement>('[data-field="stream.zoom"]');
    zoom.value = '1.05';
    zoom.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    expect(changes.at(-1)!.stream.zoom).toBe(1.05);
  });
});
