/** A link carries the lens's mix of two channels, and a bad second channel is one line, the rest still applies. */
import { describe, expect, it } from 'vitest';
import { parseQuery, toQuery } from '../../src/components/look/url-state';
import { settings } from '../../src/engine/params/settings';

describe('the lens mix in the URL', () => {
  it('round-trips through the query string', () => {
    const s = settings({ mode: 'lens', lens: { view: 'features', layer: 'mixed4', channel: 97, target: 'mix', mixWith: 12, mixShare: 0.35 } });
    const q = toQuery(s);
    expect(q).toContain('lens.target=mix');
    expect(q).toContain('lens.mixWith=12');
    expect(q).toContain('lens.mixShare=0.35');
    const back = parseQuery(q);
    expect(back.rejected).toEqual([]);
    expect(back.settings.lens).toEqual(s.lens);
  });

  it('a second channel beyond the layer is rejected by name; the mix still applies', () => {
    const r = parseQuery('mode=lens&lens.layer=mixed0&lens.target=mix&lens.mixWith=700');
    expect(r.settings.lens.target).toBe('mix');
    expect(r.settings.lens.mixWith).toBe(0);
    expect(r.notice).toContain('lens.mixWith');
  });
});
