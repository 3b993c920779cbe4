import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsSchema } from '../../src/engine/params/settings';
import { applyEdit, fromLogSlider, parseNumber, sameSettings, secondShare, setLayerWeight, setSecondShare, toggleLayer, toLogSlider, validate } from '../../src/components/look/settings-edit';

describe('applyEdit', () => {
  it('sets a nested field on a new, valid object and leaves the original alone', () => {
    const before = structuredClone(DEFAULT_SETTINGS);
    const r = applyEdit(DEFAULT_SETTINGS, 'dream.stepSize', 0.05);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.dream.stepSize).toBe(0.05);
    expect(r.settings).not.toBe(DEFAULT_SETTINGS);
    expect(r.settings.dream).not.toBe(DEFAULT_SETTINGS.dream);
    expect(DEFAULT_SETTINGS).toEqual(before);
    expect(settingsSchema.safeParse(r.settings).success).toBe(true);
    // Everything else is carried over.
    expect({ ...r.settings, dream: { ...r.settings.dream, stepSize: before.dream.stepSize } }).toEqual(before);
  });

  it('sets top-level fields', () => {
    const r = applyEdit(DEFAULT_SETTINGS, 'mode', 'style');
    expect(r.ok && r.settings.mode).toBe('style');
    const res = applyEdit(DEFAULT_SETTINGS, 'resolution', 320);
    expect(res.ok && res.settings.resolution).toBe(320);
  });

  it('refuses out-of-range values with a message naming the path', () => {
    const r = applyEdit(DEFAULT_SETTINGS, 'dream.channel', 5000);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(/^dream\.channel /);
    expect(r.error).toContain('767');
  });

  it('refuses NaN (an empty number field), wrong types and bad enum values', () => {
    expect(applyEdit(DEFAULT_SETTINGS, 'stream.zoom', Number.NaN).ok).toBe(false);
    expect(applyEdit(DEFAULT_SETTINGS, 'stream.zoom', '1.05').ok).toBe(false);
    expect(applyEdit(DEFAULT_SETTINGS, 'mode', 'video').ok).toBe(false);
    expect(applyEdit(DEFAULT_SETTINGS, 'dream.jitter', 2.5).ok).toBe(false);
  });

  it('applies cross-field rules: a channel past the chosen layer width is refused', () => {
    const onlyMixed0 = applyEdit(DEFAULT_SETTINGS, 'dream.layers', [{ name: 'mixed0', weight: 1 }]);
    expect(onlyMixed0.ok).toBe(true);
    if (!onlyMixed0.ok) return;
    const r = applyEdit(onlyMixed0.settings, 'dream.channel', 300); // mixed0 has 256 channels
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('mixed0');
    expect(applyEdit(onlyMixed0.settings, 'dream.channel', 255).ok).toBe(true);
  });

  it('refuses unknown paths instead of letting zod strip them', () => {
    for (const path of ['dream.stepsize', 'nope', 'dream.stepSize.x', 'mode.length', '__proto__.polluted', 'constructor']) {
      const r = applyEdit(DEFAULT_SETTINGS, path, 1);
      expect(r.ok, path).toBe(false);
      if (!r.ok) expect(r.error).toContain('unknown setting');
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('toggleLayer', () => {
  it('adds a layer with weight 1 in network order, and removes it again', () => {
    const on = toggleLayer(DEFAULT_SETTINGS, 'dream.layers', 'mixed4', true);
    expect(on.ok).toBe(true);
    if (!on.ok) return;
    expect(on.settings.dream.layers).toEqual([
      { name: 'mixed3', weight: 1 },
      { name: 'mixed4', weight: 1 },
      { name: 'mixed5', weight: 0.3 },
    ]);
    const off = toggleLayer(on.settings, 'dream.layers', 'mixed3', false);
    expect(off.ok && off.settings.dream.layers.map((l) => l.name)).toEqual(['mixed4', 'mixed5']);
  });

  it('keeps the weights of layers already chosen', () => {
    const weighted = applyEdit(DEFAULT_SETTINGS, 'style.styleLayers', [{ name: 'mixed1', weight: 3 }]);
    if (!weighted.ok) throw new Error(weighted.error);
    const r = toggleLayer(weighted.settings, 'style.styleLayers', 'activation_1', true);
    expect(r.ok && r.settings.style.styleLayers).toEqual([
      { name: 'activation_1', weight: 1 },
      { name: 'mixed1', weight: 3 },
    ]);
  });

  it('is a no-op when the layer is already in the wanted state', () => {
    const r = toggleLayer(DEFAULT_SETTINGS, 'dream.layers', 'mixed3', true);
    expect(r.ok && r.settings).toBe(DEFAULT_SETTINGS);
  });

  it('refuses to remove the last layer', () => {
    const one = applyEdit(DEFAULT_SETTINGS, 'dream.layers', [{ name: 'mixed3', weight: 1 }]);
    if (!one.ok) throw new Error(one.error);
    const r = toggleLayer(one.settings, 'dream.layers', 'mixed3', false);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('dream.layers');
  });

  it('refuses a layer that would break the channel rule', () => {
    const ch = applyEdit(DEFAULT_SETTINGS, 'dream.channel', 500);
    if (!ch.ok) throw new Error(ch.error);
    expect(toggleLayer(ch.settings, 'dream.layers', 'mixed1', true).ok).toBe(false);
  });
});

describe('helpers', () => {
  it('a layer weight slider sets one chosen layer’s weight; the second painting’s share sets the blend', () => {
    const r = setLayerWeight(DEFAULT_SETTINGS, 'style.styleLayers', 'mixed0', 2.5);
    expect(r.ok && r.settings.style.styleLayers.find((l) => l.name === 'mixed0')?.weight).toBe(2.5);
    expect(r.ok && r.settings.style.styleLayers.filter((l) => l.weight === 1).length).toBe(4);
    expect(setLayerWeight(DEFAULT_SETTINGS, 'style.styleLayers', 'mixed5', 2)).toEqual({ ok: true, settings: DEFAULT_SETTINGS });
    expect(setLayerWeight(DEFAULT_SETTINGS, 'style.styleLayers', 'mixed0', 20).ok).toBe(false);
    const b = setSecondShare(DEFAULT_SETTINGS, 0.3);
    expect(b.ok && b.settings.style.styleBlend).toEqual([0.7, 0.3]);
    expect(secondShare([0.7, 0.3])).toBeCloseTo(0.3);
    expect(secondShare([1])).toBe(0);
    expect(setSecondShare(DEFAULT_SETTINGS, Number.NaN).ok).toBe(false);
  });

  it('parseNumber treats blank as NaN, not 0', () => {
    expect(parseNumber('')).toBeNaN();
    expect(parseNumber('   ')).toBeNaN();
    expect(parseNumber(' 0.25 ')).toBe(0.25);
    expect(parseNumber('-1')).toBe(-1);
    expect(parseNumber('abc')).toBeNaN();
  });

  it('log sliders round-trip, and the leftmost position is 0', () => {
    expect(fromLogSlider(-3, -3)).toBe(0);
    expect(fromLogSlider(-7, -3)).toBe(0);
    expect(fromLogSlider(2, -3)).toBe(100);
    expect(fromLogSlider(1.25, -3)).toBe(17.8);
    expect(toLogSlider(0, -3, 6)).toBe(-3);
    expect(toLogSlider(100, -3, 6)).toBeCloseTo(2, 12);
    expect(toLogSlider(1e9, -3, 6)).toBe(6);
    expect(fromLogSlider(toLogSlider(1000, -3, 6), -3)).toBe(1000);
  });

  it('validate reports every issue', () => {
    const r = validate({ ...DEFAULT_SETTINGS, resolution: -5, webcamBlend: 2 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toContain('resolution');
      expect(r.error).toContain('webcamBlend');
    }
  });

  it('sameSettings compares structure', () => {
    expect(sameSettings(DEFAULT_SETTINGS, structuredClone(DEFAULT_SETTINGS))).toBe(true);
    const r = applyEdit(DEFAULT_SETTINGS, 'stream.rotate', 1);
    expect(r.ok && sameSettings(DEFAULT_SETTINGS, r.settings)).toBe(false);
  });
});
