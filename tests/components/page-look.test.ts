import { describe, expect, it } from 'vitest';
import { resolvePageLook } from '../../src/components/look/page-look';
import { PRESETS } from '../../src/components/look/presets';
import { DEFAULT_CONTENT, DEFAULT_STYLE } from '../../src/components/look/samples';
import { DEFAULT_SETTINGS, settings } from '../../src/engine/params/settings';

const look = (query: string, attrs = {}) => resolvePageLook({ query, attrs, presets: PRESETS });
const spiral = settings(PRESETS.find((p) => p.id === 'spiral')!.settings);

describe('resolvePageLook', () => {
  it('with nothing set: the defaults, the default samples, no notice', () => {
    expect(look('')).toEqual({
      settings: DEFAULT_SETTINGS,
      options: { backend: 'auto', kiosk: false },
      preset: null,
      content: DEFAULT_CONTENT,
      style: DEFAULT_STYLE,
      notice: null,
    });
  });

  it('explicit URL parameters apply on top of the preset', () => {
    const r = look('?preset=spiral&zoom=1.05');
    expect(r.notice).toBeNull();
    expect(r.preset).toBe('spiral');
    expect(r.options.preset).toBe('spiral');
    expect(r.settings.stream.zoom).toBe(1.05);
    expect(r.settings).toEqual({ ...spiral, stream: { ...spiral.stream, zoom: 1.05 } });
    expect(r.settings.stream.rotate).toBe(0.6);
    expect(r.settings.dream.layers).toEqual([{ name: 'mixed5', weight: 1 }]);
  });

  it('the order of preset= in the URL does not matter', () => {
    expect(look('zoom=1.05&preset=spiral').settings).toEqual(look('preset=spiral&zoom=1.05').settings);
  });

  it('kiosk and other URL values still apply with a preset (res=80 is not lost)', () => {
    const r = look('kiosk&res=80&preset=neuron');
    expect(r.options.kiosk).toBe(true);
    expect(r.settings.resolution).toBe(80);
    expect(r.settings.dream.channel).toBe(139);
  });

  it('the preset attribute wins over the URL preset', () => {
    const r = look('preset=eyes', { preset: 'spiral' });
    expect(r.preset).toBe('spiral');
    expect(r.settings.stream.zoom).toBe(1.02);
  });

  it('an unknown preset is noticed, and the rest of the URL still applies to the defaults', () => {
    const r = look('preset=nope&zoom=1.05');
    expect(r.preset).toBeNull();
    expect(r.options.preset).toBeUndefined();
    expect(r.settings).toEqual({ ...DEFAULT_SETTINGS, stream: { ...DEFAULT_SETTINGS.stream, zoom: 1.05 } });
    expect(r.notice).toMatch(/^Ignored 1 URL parameter: preset=nope \(preset "nope" does not exist; presets are classic, wander, eyes/);
    expect(look('', { preset: 'nope' }).notice).toMatch(/^Ignored 1 attribute: attribute preset="nope" \(preset "nope" does not exist/);
  });

  it('the mode attribute wins over the preset and the URL', () => {
    expect(look('preset=spiral&mode=style', { mode: 'webcam' }).settings.mode).toBe('webcam');
    expect(look('', { preset: 'waves-style', mode: 'dream' }).settings).toMatchObject({ mode: 'dream', style: spiral.style });
  });

  it('bad attributes join the URL rejections in the one notice', () => {
    const r = look('res=abc&foo=1', { mode: 'sleep', backend: 'quantum' });
    expect(r.settings.mode).toBe('dream');
    expect(r.options.backend).toBe('auto');
    expect(r.notice).toBe(
      'Ignored 4 parameters: res=abc (resolution must be a whole number from 0 to 1024), foo (unknown parameter), ' +
        'attribute mode="sleep" (must be one of dream, style, webcam, lens), attribute backend="quantum" (must be one of auto, webgpu, wasm, cpu, webgl)',
    );
  });

  it('the backend attribute wins over the URL backend', () => {
    expect(look('backend=wasm', { backend: 'cpu' }).options.backend).toBe('cpu');
    expect(look('backend=wasm', {}).options.backend).toBe('wasm');
  });

  it('the threads attribute wins over the URL; a bad one is named and the URL count stays', () => {
    expect(look('threads=2', { threads: '1' }).options.threads).toBe(1);
    expect(look('threads=2', {}).options.threads).toBe(2);
    expect(look('', {}).options.threads).toBeUndefined();
    const bad = look('threads=2', { threads: 'many' });
    expect(bad.options.threads).toBe(2);
    expect(bad.notice).toContain('attribute threads="many" (must be a whole number from 1 to 16)');
  });

  it('samples: the URL names them explicitly over the preset, the preset over the defaults', () => {
    expect(look('preset=waves-style')).toMatchObject({ content: 'chelsea', style: 'waves' });
    expect(look('preset=hubble-style')).toMatchObject({ content: 'astronaut', style: 'hubble' });
    const r = look('preset=hubble-style&content=coffee');
    expect(r).toMatchObject({ content: 'coffee', style: 'hubble' });
    expect(r.options.content).toBe('coffee');
    expect(look('preset=texture')).toMatchObject({ content: 'coffee', style: DEFAULT_STYLE });
    expect(look('preset=hubble-style&content=nope')).toMatchObject({ content: 'astronaut' });
  });

  it('reads no URL when given an empty query, attributes still apply', () => {
    const r = look('', { preset: 'eyes', mode: 'style' });
    expect(r.preset).toBe('eyes');
    expect(r.settings.mode).toBe('style');
    expect(r.notice).toBeNull();
  });
});
