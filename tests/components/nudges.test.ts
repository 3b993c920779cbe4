import { describe, expect, it } from 'vitest';
import { nudge } from '../../src/components/input/nudges';
import { shortcutFor } from '../../src/components/input/shortcuts';
import { applyEdit } from '../../src/components/look/settings-edit';
import { DEFAULT_SETTINGS, type Settings } from '../../src/engine/params/settings';

const ok = (r: ReturnType<typeof nudge>): Settings => {
  if (!r?.ok) throw new Error(`expected an edit, got ${JSON.stringify(r)}`);
  return r.settings;
};
const with_ = (path: string, value: unknown): Settings => {
  const r = applyEdit(DEFAULT_SETTINGS, path, value);
  if (!r.ok) throw new Error(r.error);
  return r.settings;
};
const DREAM = ['dream', 'stream'];

describe('keyboard moves', () => {
  it('zoom and rotate a notch, in the stream every mode has', () => {
    expect(ok(nudge(DEFAULT_SETTINGS, 'zoom-in', DREAM)).stream.zoom).toBe(1.015);
    expect(ok(nudge(DEFAULT_SETTINGS, 'zoom-out', [])).stream.zoom).toBe(1.005);
    expect(ok(nudge(DEFAULT_SETTINGS, 'rotate-left', DREAM)).stream.rotate).toBe(-0.5);
    expect(ok(nudge(DEFAULT_SETTINGS, 'rotate-right', DREAM)).stream.rotate).toBe(0.5);
    // Only the one setting moves.
    const s = ok(nudge(DEFAULT_SETTINGS, 'zoom-in', DREAM));
    expect({ ...s, stream: DEFAULT_SETTINGS.stream }).toEqual(DEFAULT_SETTINGS);
  });

  it("step the running mode's step size by a ratio, and nothing where the mode has none", () => {
    expect(ok(nudge(DEFAULT_SETTINGS, 'step-larger', DREAM)).dream.stepSize).toBe(0.0375);
    expect(ok(nudge(DEFAULT_SETTINGS, 'step-smaller', DREAM)).dream.stepSize).toBe(0.024);
    const style = ok(nudge(DEFAULT_SETTINGS, 'step-larger', ['style']));
    expect(style.style.learningRate).toBe(0.0125);
    expect(style.dream).toEqual(DEFAULT_SETTINGS.dream);
    expect(nudge(DEFAULT_SETTINGS, 'step-larger', ['lens'])).toBeNull();
  });

  it('stop at the schema bounds instead of failing', () => {
    expect(ok(nudge(with_('stream.zoom', 1.2), 'zoom-in', DREAM)).stream.zoom).toBe(1.2);
    expect(ok(nudge(with_('stream.rotate', -9.8), 'rotate-left', DREAM)).stream.rotate).toBe(-10);
    expect(ok(nudge(with_('dream.stepSize', 0.9), 'step-larger', DREAM)).dream.stepSize).toBe(1);
  });

  it('have keys of their own that repeat when held, and leave typing alone', () => {
    const cases = [['+', 'zoom-in'], ['=', 'zoom-in'], ['-', 'zoom-out'], ['a', 'rotate-left'], ['D', 'rotate-right'], ['j', 'step-smaller'], ['k', 'step-larger']] as const;
    for (const [key, action] of cases) expect(shortcutFor({ key, target: { tagName: 'BODY' } }), key).toBe(action);
    expect(shortcutFor({ key: '+', repeat: true })).toBe('zoom-in');
    expect(shortcutFor({ key: '-', target: { tagName: 'INPUT', type: 'number' } })).toBeNull();
    expect(shortcutFor({ key: ' ', repeat: true })).toBeNull();
  });
});
