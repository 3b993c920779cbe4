/**
 * An atlas tile's two actions: a click dreams with its channel everywhere; Shift+click (or the panel's button)
 * paints it into the mask: it dreams where the mask is painted, DeepDream's layers go on outside, the brush opens.
 */
import { describe, expect, it } from 'vitest';
import { atlasTileAction } from '../../src/engine/modes/lens/atlas-actions';
import { settings } from '../../src/engine/params/settings';

const lensLook = settings({ mode: 'lens', lens: { view: 'atlas', layer: 'mixed3' }, dream: { layers: [{ name: 'mixed2', weight: 1 }, { name: 'mixed5', weight: 0.5 }] } });

describe('atlas tile actions', () => {
  it('choose: DeepDream with the channel everywhere, the mask as it was, no brush', () => {
    const picked = atlasTileAction(lensLook, 'mixed3', 97, 'choose');
    expect(picked.settings!.mode).toBe('dream');
    expect(picked.settings!.dream).toMatchObject({ layers: [{ name: 'mixed3', weight: 1 }], channel: 97 });
    expect(picked.settings!.mask).toEqual(lensLook.mask);
    expect(picked.brush).toBeUndefined();
  });

  it('paint: the channel dreams inside the mask, the dream\'s own layers outside, the brush opens, one line says so', () => {
    const picked = atlasTileAction(lensLook, 'mixed3', 97, 'paint');
    const s = picked.settings!;
    expect(s.mode).toBe('dream');
    expect(s.dream).toMatchObject({ layers: [{ name: 'mixed3', weight: 1 }], channel: 97 });
    expect(s.mask).toEqual({ outside: 'other', outsideLayers: [{ name: 'mixed2', weight: 1 }, { name: 'mixed5', weight: 0.5 }] });
    expect(picked.brush).toBe(true);
    expect(picked.info!.title).toBe('paint where mixed3 #97 dreams; elsewhere mixed2, mixed5 dream on (M when done)');
    // A second tile painted in: the outside stays what it was, not the first tile's layer.
    const again = atlasTileAction(s, 'mixed4', 12, 'paint').settings!;
    expect(again.dream).toMatchObject({ layers: [{ name: 'mixed4', weight: 1 }], channel: 12 });
    expect(again.mask.outsideLayers).toEqual(s.mask.outsideLayers);
  });
});
