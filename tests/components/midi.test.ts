import { describe, expect, it } from 'vitest';
import { bind, bindingForCc, bindingForPath, ccLabel, parseBindings, serialiseBindings, unbind } from '../../src/components/midi/bindings';
import { ccToPosition } from '../../src/components/midi/cc-scale';
import { LEARN_OFF, receiveCc, toggleLearn, touch } from '../../src/components/midi/learn';
import { midiLine, type MidiLineState } from '../../src/components/midi/midi-line';
import { parseMidi, type ControlChange } from '../../src/components/midi/midi-message';
import { schemaSpan } from '../../src/components/midi/schema-span';

const cc = (controller: number, value: number, channel = 1): ControlChange => ({ type: 'cc', channel, controller, value });

describe('parseMidi', () => {
  it('reads Control Changes and note-ons with 1-based channels', () => {
    expect(parseMidi([0xb0, 21, 64])).toEqual({ type: 'cc', channel: 1, controller: 21, value: 64 });
    expect(parseMidi(new Uint8Array([0xbf, 7, 127]))).toEqual({ type: 'cc', channel: 16, controller: 7, value: 127 });
    expect(parseMidi([0x92, 60, 100])).toEqual({ type: 'note', channel: 3, note: 60 });
  });

  it('ignores what the page has no use for', () => {
    expect(parseMidi([0x90, 60, 0])).toBeNull(); // note-on at velocity 0 is a note-off
    expect(parseMidi([0x80, 60, 64])).toBeNull();
    expect(parseMidi([0xe0, 0, 64])).toBeNull();
    expect(parseMidi([0xf8])).toBeNull();
    expect(parseMidi(null)).toBeNull();
  });
});

describe('bindings', () => {
  it('one knob per setting and one setting per knob', () => {
    let b = bind([], { channel: 1, controller: 21, path: 'stream.zoom' });
    b = bind(b, { channel: 1, controller: 22, path: 'stream.rotate' });
    expect(bindingForCc(b, { channel: 1, controller: 21 })?.path).toBe('stream.zoom');
    expect(bindingForCc(b, { channel: 2, controller: 21 })).toBeUndefined();
    // The same knob learned for another setting leaves the first.
    b = bind(b, { channel: 1, controller: 21, path: 'dream.stepSize' });
    expect(bindingForPath(b, 'stream.zoom')).toBeUndefined();
    // Another knob learned for a bound setting replaces its knob.
    b = bind(b, { channel: 1, controller: 30, path: 'stream.rotate' });
    expect(b.map((x) => `${x.controller}:${x.path}`).sort()).toEqual(['21:dream.stepSize', '30:stream.rotate']);
    expect(unbind(b, 'stream.rotate').map((x) => x.path)).toEqual(['dream.stepSize']);
  });

  it('labels a binding by its CC, and its channel when not the first', () => {
    expect(ccLabel({ channel: 1, controller: 21 })).toBe('CC 21');
    expect(ccLabel({ channel: 10, controller: 7 })).toBe('CC 7/10');
  });

  it('round-trips through its stored text', () => {
    const b = bind(bind([], { channel: 1, controller: 21, path: 'stream.zoom' }), { channel: 2, controller: 1, path: 'dream.stepSize' });
    expect(parseBindings(serialiseBindings(b))).toEqual(b);
  });

  it('survives a bad stored value, keeping the entries it can read', () => {
    expect(parseBindings(null)).toEqual([]);
    expect(parseBindings('{not json')).toEqual([]);
    expect(parseBindings('{"channel":1}')).toEqual([]);
    const text = JSON.stringify([
      { channel: 1, controller: 21, path: 'stream.zoom' },
      { channel: 0, controller: 21, path: 'stream.rotate' },
      { channel: 1, controller: 200, path: 'stream.rotate' },
      { channel: 1, controller: 5, path: '__proto__.x' },
      'CC 5',
      null,
    ]);
    expect(parseBindings(text)).toEqual([{ channel: 1, controller: 21, path: 'stream.zoom' }]);
  });
});

describe('ccToPosition', () => {
  it('spans the control from CC 0 to CC 127 on its step grid', () => {
    const zoom = { min: 0.95, max: 1.1, step: 0.001 };
    expect(ccToPosition(0, zoom)).toBe(0.95);
    expect(ccToPosition(127, zoom)).toBe(1.1);
    expect(ccToPosition(64, zoom)).toBe(1.026); // 0.95 + 0.15·64/127 = 1.02559… → the 0.001 grid
    expect(ccToPosition(64, { min: -1, max: 767, step: 1 })).toBe(386);
    expect(ccToPosition(200, zoom)).toBe(1.1);
    expect(ccToPosition(-5, zoom)).toBe(0.95);
  });

  it('rounds an integer setting and keeps inside the span', () => {
    expect(ccToPosition(1, { min: 0, max: 20, integer: true })).toBe(0);
    expect(ccToPosition(127, { min: 0, max: 20, integer: true })).toBe(20);
    // A step that does not divide the span never overshoots it.
    expect(ccToPosition(127, { min: 0, max: 1, step: 0.3 })).toBe(0.9);
  });

  it('falls back to the schema bounds of a numeric setting', () => {
    expect(schemaSpan('stream.zoom')).toEqual({ min: 0.9, max: 1.2, integer: false });
    expect(schemaSpan('dream.jitter')).toEqual({ min: 0, max: 128, integer: true });
    expect(schemaSpan('mode')).toBeUndefined();
    expect(schemaSpan('nope')).toBeUndefined();
  });
});

describe('MIDI learn', () => {
  it('binds the touched control to the next knob, then moves on', () => {
    let s = toggleLearn(LEARN_OFF);
    expect(s).toEqual({ on: true, target: null });
    // No control touched yet: a knob plays what it is bound to (nothing here).
    expect(receiveCc(s, [], cc(21, 10)).kind).toBe('move');
    s = touch(s, 'stream.zoom');
    const r = receiveCc(s, [], cc(21, 10));
    if (r.kind !== 'bound') throw new Error(`expected a binding, got ${r.kind}`);
    expect(r.path).toBe('stream.zoom');
    expect(r.bindings).toEqual([{ channel: 1, controller: 21, path: 'stream.zoom' }]);
    expect(r.state).toEqual({ on: true, target: null });
    expect(toggleLearn(r.state)).toEqual(LEARN_OFF);
  });

  it('outside learning, a touch is nothing and a knob moves its setting', () => {
    expect(touch(LEARN_OFF, 'stream.zoom')).toBe(LEARN_OFF);
    expect(receiveCc(LEARN_OFF, [], cc(21, 10)).kind).toBe('move');
  });
});

describe('midiLine', () => {
  const base: MidiLineState = { status: 'ready', failure: '', learn: LEARN_OFF, inputCount: 1, targetLabel: null, bound: 0 };
  it('says in one line why MIDI cannot be had', () => {
    expect(midiLine({ ...base, status: 'unsupported' })).toBe('MIDI is not available in this browser');
    expect(midiLine({ ...base, status: 'denied' })).toBe('MIDI access was denied');
    expect(midiLine({ ...base, status: 'failed', failure: 'no driver' })).toBe('MIDI could not start: no driver');
  });

  it('says what learning waits for', () => {
    expect(midiLine({ ...base, learn: { on: true, target: null } })).toBe('Touch a control, then turn a knob');
    expect(midiLine({ ...base, learn: { on: true, target: 'stream.zoom' }, targetLabel: 'Zoom' })).toBe('Turn a knob for Zoom');
    expect(midiLine({ ...base, inputCount: 0, learn: { on: true, target: null } })).toBe('No MIDI controller is connected');
    expect(midiLine({ ...base, bound: 2 })).toBe('2 knobs bound');
  });
});
