import { describe, expect, it } from 'vitest';
import { parseQuery, toQuery } from '../../src/components/look/url-state';
import { DEFAULT_SETTINGS, settings } from '../../src/engine/params/settings';

describe('URL state', () => {
  it('reads aliases and dotted paths', () => {
    const { settings: s, options, rejected, notice } = parseQuery('?res=128&layers=mixed4:1,mixed5:0.5&zoom=1.05&style.styleWeight=300&backend=webgpu&content=coffee&kiosk');
    expect(rejected).toEqual([]);
    expect(notice).toBeNull();
    expect(s.resolution).toBe(128);
    expect(s.dream.layers).toEqual([{ name: 'mixed4', weight: 1 }, { name: 'mixed5', weight: 0.5 }]);
    expect(s.stream.zoom).toBe(1.05);
    expect(s.style.styleWeight).toBe(300);
    expect(options).toEqual({ backend: 'webgpu', kiosk: true, content: 'coffee' });
  });

  it('ignores unknown and out-of-range values, keeping the valid ones, and lists them all in one notice', () => {
    const { settings: s, options, rejected, notice } = parseQuery('res=99999&zoom=abc&bogus=1&step=0.05&backend=quantum&content=nope&mode=sleep');
    expect(s.resolution).toBe(DEFAULT_SETTINGS.resolution);
    expect(s.stream.zoom).toBe(DEFAULT_SETTINGS.stream.zoom);
    expect(s.dream.stepSize).toBe(0.05);
    expect(s.mode).toBe('dream');
    expect(options.backend).toBe('auto');
    expect(rejected.map((r) => r.param)).toEqual(['res=99999', 'zoom=abc', 'bogus', 'backend=quantum', 'content=nope', 'mode=sleep']);
    expect(notice).toBe(
      'Ignored 6 URL parameters: res=99999 (resolution must be a whole number from 0 to 1024), ' +
        'zoom=abc (stream.zoom must be a number from 0.9 to 1.2), bogus (unknown parameter), ' +
        'backend=quantum (must be one of auto, webgpu, wasm, cpu, webgl), content=nope (sample "nope" does not exist), ' +
        'mode=sleep (must be one of dream, style, webcam, lens)',
    );
  });

  it('five bad parameters make one notice naming all five, past the four toasts shown at once', () => {
    const { rejected, notice: text } = parseQuery('res=abc&foo=1&backend=xyz&steps=2.5&style=nope&zoom=1.05');
    expect(rejected).toHaveLength(5);
    const notice = text!;
    expect(notice).toMatch(/^Ignored 5 URL parameters: /);
    for (const p of ['res=abc', 'foo (unknown parameter)', 'backend=xyz', 'steps=2.5', 'style=nope']) expect(notice).toContain(p);
    expect(notice).not.toContain('zoom');
  });

  it('words a bad number plainly, never a run-on of schema phrases', () => {
    const { notice } = parseQuery('res=abc');
    expect(notice).toBe('Ignored 1 URL parameter: res=abc (resolution must be a whole number from 0 to 1024)');
    expect(parseQuery('res=2.5').notice).toContain('resolution must be a whole number from 0 to 1024');
    expect(parseQuery('step=5').notice).toContain('step=5 (dream.stepSize must be a number from 0.0001 to 1)');
    expect(parseQuery('style.colour=sepia').notice).toContain('must be one of style, content, match');
    expect(parseQuery('layers=mixed9').notice).toContain('dream.layers.0.name must be an InceptionV3 layer name');
    // A rule across fields keeps its own words.
    expect(parseQuery('layers=mixed0&channel=300').notice).toContain('channel=300 (dream.channel must be from -1 to 255 for layer mixed0');
  });

  it('carries the webcam flow settings: on/off both ways, the pull, and a plain word for a bad switch', () => {
    const off = settings({ mode: 'webcam', webcamFlow: false, webcamFlowPull: 0.3 });
    const q = toQuery(off);
    expect(q).toContain('webcamFlow=false');
    expect(parseQuery(q).settings).toEqual(off);
    expect(parseQuery('webcamFlow=0').settings.webcamFlow).toBe(false);
    expect(parseQuery('webcamFlow=on').settings.webcamFlow).toBe(true);
    expect(toQuery(DEFAULT_SETTINGS)).not.toContain('webcamFlow');
    expect(parseQuery('webcamFlow=maybe&webcamFlowPull=2').notice).toBe(
      'Ignored 2 URL parameters: webcamFlow=maybe (must be true or false), webcamFlowPull=2 (must be a number from 0 to 1)',
    );
  });

  it('clips a very long value in the notice', () => {
    const { notice } = parseQuery(`content=${'x'.repeat(500)}`);
    expect(notice!.length).toBeLessThan(200);
  });

  it('applies the parameters on top of a base look', () => {
    const base = settings({ stream: { zoom: 1.02, rotate: 0.6 } });
    const { settings: s, notice } = parseQuery('zoom=1.05', base);
    expect(notice).toBeNull();
    expect(s.stream).toMatchObject({ zoom: 1.05, rotate: 0.6 });
  });

  it('passes a preset id through to the app', () => {
    expect(parseQuery('preset=eyes').options.preset).toBe('eyes');
  });

  it('carries a blend of two paintings: the shares as blend=, the second painting as style2=', () => {
    const look = settings({ mode: 'style', style: { styleBlend: [0.6, 0.4], styleLayers: [{ name: 'mixed0', weight: 2.5 }] } });
    const q = toQuery(look, { style: 'starry-night', style2: 'scream' });
    expect(q).toMatch(/blend=0\.6%2C0\.4/);
    expect(q).toMatch(/style2=scream/);
    const back = parseQuery(q);
    expect(back.rejected).toEqual([]);
    expect(back.settings.style.styleBlend).toEqual([0.6, 0.4]);
    expect(back.settings.style.styleLayers).toEqual([{ name: 'mixed0', weight: 2.5 }]);
    expect(back.options).toMatchObject({ style: 'starry-night', style2: 'scream' });
    const bad = parseQuery('blend=0.5,x&style2=nope');
    expect(bad.rejected.map((r) => r.param)).toEqual(['blend=0.5,x', 'style2=nope']);
  });

  it('threads: a whole number from 1 to 16 is kept and travels in the link; anything else is named in the notice', () => {
    expect(parseQuery('threads=1').options.threads).toBe(1);
    expect(parseQuery('threads=16').options.threads).toBe(16);
    expect(parseQuery('').options.threads).toBeUndefined();
    const bad = parseQuery('threads=0&threads=2.5&threads=17&threads=two&zoom=1.05');
    expect(bad.options.threads).toBeUndefined();
    expect(bad.settings.stream.zoom).toBe(1.05);
    expect(bad.rejected.map((r) => r.param)).toEqual(['threads=0', 'threads=2.5', 'threads=17', 'threads=two']);
    expect(bad.notice).toContain('threads=17 (must be a whole number from 1 to 16)');
    expect(parseQuery(toQuery(DEFAULT_SETTINGS, { threads: 3 })).options.threads).toBe(3);
    expect(toQuery(DEFAULT_SETTINGS, {})).not.toContain('threads');
  });

  it('round-trips a look through a short query string', () => {
    const look = settings({ mode: 'style', resolution: 224, dream: { channel: 12, layers: [{ name: 'mixed4', weight: 1 }] }, style: { colour: 'content' } });
    const q = toQuery(look, { backend: 'wasm', style: 'hubble' });
    expect(q).not.toMatch(/stepSize/); // defaults stay out of the link
    const back = parseQuery(q);
    expect(back.rejected).toEqual([]);
    expect(back.notice).toBeNull();
    expect(back.settings).toEqual(look);
    expect(back.options).toMatchObject({ backend: 'wasm', style: 'hubble' });
  });
});
