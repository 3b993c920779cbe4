import { describe, expect, it } from 'vitest';
import { MAX_OCTAVE_SCALE, MAX_OCTAVES, octaveSizes, octavesForSize } from '../../src/engine/sessions/octaves';

/** The coarsest octave's long side for a still of `side` px with these octaves. */
const coarsest = (side: number, o: { octaves: number; octaveScale: number }) => octaveSizes(side, side, o.octaves, o.octaveScale)[0]![0];

describe('octaves of a large still (octavesForSize)', () => {
  it('at the live size the look keeps its own octaves', () => {
    expect(octavesForSize(512, 512, 3, 1.4)).toEqual({ octaves: 3, octaveScale: 1.4 });
    expect(octavesForSize(400, 512, 3, 1.4)).toEqual({ octaves: 3, octaveScale: 1.4 });
  });

  it('larger than the live picture: octaves are added at the look’s scale until the coarsest is the live size', () => {
    // 2K from a 512 px live picture: 2048/1.4⁵ = 381 px (five steps of 1.4 are the fewest that reach 512).
    const o = octavesForSize(2048, 512, 3, 1.4);
    expect(o).toEqual({ octaves: 6, octaveScale: 1.4 });
    expect(coarsest(2048, o)).toBeLessThanOrEqual(512);
    expect(coarsest(2048, o)).toBeGreaterThan(512 / 1.4);
    // A look with more octaves than that keeps them.
    expect(octavesForSize(2048, 512, 8, 1.4)).toEqual({ octaves: 8, octaveScale: 1.4 });
  });

  it('when eight octaves at the look’s scale fall short, the scale grows (at most 2) so that eight reach', () => {
    // 8K from a 384 px live picture: 20×, more than 1.4⁷ = 10.5×.
    const o = octavesForSize(7680, 384, 3, 1.4);
    expect(o.octaves).toBe(MAX_OCTAVES);
    expect(o.octaveScale).toBeGreaterThan(1.4);
    expect(o.octaveScale).toBeLessThanOrEqual(MAX_OCTAVE_SCALE);
    expect(coarsest(7680, o)).toBeLessThanOrEqual(384 * 1.03);
    expect(coarsest(7680, o)).toBeGreaterThan(384 / 1.4);
    // Beyond what 2⁷ = 128× covers, the scale stops at 2.
    expect(octavesForSize(7680, 40, 3, 1.4)).toEqual({ octaves: MAX_OCTAVES, octaveScale: MAX_OCTAVE_SCALE });
  });
});
