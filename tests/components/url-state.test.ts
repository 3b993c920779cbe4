import { describe, expect, it } from 'vitest';
import { fromQuery, toQuery } from '../../src/components/url-state';
import { DEFAULT_SETTINGS, settings } from '../../src/engine/params/settings';

describe('URL state', () => {
  it('reads aliases and dotted paths', () => {
    const { settings: s, options, notices } = fromQuery('?res=128&layers=mixed4:1,mixed5:0.5&zoom=1.05&style.styleWeight=300&backend=webgpu&content=coffee&kiosk');
    expect(notices).toEqual([]);
    expect(s.resolution).toBe(128);
    expect(s.dream.layers).toEqual([{ name: 'mixed4', weight: 1 }, { name: 'mixed5', weight: 0.5 }]);
    expect(s.stream.zoom).toBe(1.05);
    expect(s.style.styleWeight).toBe(300);
    expect(options).toEqual({ backend: 'webgpu', kiosk: true, content: 'coffee' });
  });

  it('ignores unknown and out-of-range values with a notice, keeping the valid ones', () => {
    const { settings: s, options, notices } = fromQuery('res=99999&zoom=abc&bogus=1&step=0.05&backend=quantum&content=nope&mode=sleep');
    expect(s.resolution).toBe(DEFAULT_SETTINGS.resolution);
    expect(s.stream.zoom).toBe(DEFAULT_SETTINGS.stream.zoom);
    expect(s.dream.stepSize).toBe(0.05);
    expect(s.mode).toBe('dream');
    expect(options.backend).toBe('auto');
    expect(notices).toHaveLength(6);
    expect(notices.join('\n')).toMatch(/res=99999 ignored/);
    expect(notices.join('\n')).toMatch(/unknown URL parameter "bogus"/);
    expect(notices.join('\n')).toMatch(/backend "quantum"/);
  });

  it('passes a preset id through to the app', () => {
    expect(fromQuery('preset=eyes').options.preset).toBe('eyes');
  });

  it('round-trips a look through a short query string', () => {
    const look = settings({ mode: 'style', resolution: 224, dream: { channel: 12, layers: [{ name: 'mixed4', weight: 1 }] }, style: { preserveColour: true } });
    const q = toQuery(look, { backend: 'wasm', style: 'hubble' });
    expect(q).not.toMatch(/stepSize/); // defaults stay out of the link
    const back = fromQuery(q);
    expect(back.notices).toEqual([]);
    expect(back.settings).toEqual(look);
    expect(back.options).toMatchObject({ backend: 'wasm', style: 'hubble' });
  });
});
