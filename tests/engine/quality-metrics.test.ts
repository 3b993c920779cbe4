import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createRng } from '../../src/engine/random';
import { border, bandPixels } from '../../src/engine/quality/border';
import { fromBytes, picture, type Picture } from '../../src/engine/quality/image';
import { gradientMagnitude, layout } from '../../src/engine/quality/layout';
import { qualityFigures } from '../../src/engine/quality/metrics';
import { noise } from '../../src/engine/quality/noise';
import { directions, palette, SLICED_DEFAULTS, slicedWasserstein } from '../../src/engine/quality/palette';
import { loadImage } from '../../src/node/image-io';
import { PROJECT_ROOT } from '../../src/node/model-files';

/** Smooth shapes plus a little grain, values kept inside [lo, hi]. */
function scene(width: number, height: number, seed: number, lo = 0, hi = 1): Picture {
  const rng = createRng(seed);
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        const v = 0.5 + 0.3 * Math.sin((x + 7 * c) / 5) * Math.cos(y / 7) + 0.2 * (rng() - 0.5);
        data[3 * (y * width + x) + c] = lo + (hi - lo) * Math.min(1, Math.max(0, v));
      }
    }
  }
  return picture(width, height, data);
}

function map(p: Picture, f: (v: number, i: number) => number): Picture {
  return picture(p.width, p.height, p.data.map(f));
}

async function sample(name: string, size: number): Promise<Picture> {
  const img = await loadImage(join(PROJECT_ROOT, 'public', 'samples', name), { square: size });
  return fromBytes(img.data, img.width, img.height);
}

describe('quality metrics', () => {
  const a = scene(48, 40, 1);

  it('an image against itself: palette distance 0, layout 1', () => {
    expect(slicedWasserstein(a, a)).toBe(0);
    expect(layout(a, a)).toBeCloseTo(1, 12);
    const other = scene(48, 40, 2);
    // The result equal to the painting: the painting's palette exactly.
    expect(palette(other, a, other)).toBe(0);
    // The result equal to the photo: nothing moved.
    expect(palette(a, a, other)).toBe(1);
  });

  it('palette ignores where pixels are: a permutation is at distance 0', () => {
    const n = a.width * a.height;
    const order = Array.from({ length: n }, (_, i) => i);
    const rng = createRng(9);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const shuffled = new Float32Array(a.data.length);
    order.forEach((from, to) => shuffled.set(a.data.subarray(3 * from, 3 * from + 3), 3 * to));
    expect(slicedWasserstein(picture(a.width, a.height, shuffled), a)).toBeLessThan(1e-12);
  });

  it('sliced Wasserstein of a uniform shift d along R is d × mean |direction_R| (≈ d/2)', () => {
    // Every projection on u moves by d·u_R, so every quantile does, and each slice's distance is exactly |d·u_R|.
    // For u uniform on the sphere u_R is uniform on [−1,1] (Archimedes), so E|u_R| = 1/2.
    const d = 0.2;
    const low = scene(32, 32, 3, 0, 0.8);
    const shifted = map(low, (v, i) => (i % 3 === 0 ? v + d : v));
    const dirs = directions(SLICED_DEFAULTS.directions, SLICED_DEFAULTS.seed);
    const meanAbsR = dirs.reduce((s, u) => s + Math.abs(u[0]), 0) / dirs.length;
    expect(slicedWasserstein(shifted, low)).toBeCloseTo(d * meanAbsR, 6);
    expect(slicedWasserstein(shifted, low)).toBeCloseTo(d / 2, 1);
    for (const u of dirs) expect(Math.hypot(...u)).toBeCloseTo(1, 12);
  });

  it('sets of different sizes compare: an image and its 2× nearest-neighbour upscale are ~0 apart', () => {
    const big = new Float32Array(a.data.length * 4);
    for (let y = 0; y < 2 * a.height; y++) for (let x = 0; x < 2 * a.width; x++) big.set(a.data.subarray(3 * ((y >> 1) * a.width + (x >> 1)), 3 * ((y >> 1) * a.width + (x >> 1)) + 3), 3 * (y * 2 * a.width + x));
    expect(slicedWasserstein(picture(2 * a.width, 2 * a.height, big), a)).toBeLessThan(2e-3);
    expect(slicedWasserstein(scene(20, 20, 5, 0.5, 1), a)).toBeGreaterThan(0.05);
  });

  it('the figures come from the inputs and the fixed seed alone: Math.random is never read, the seed is', () => {
    const b = scene(48, 40, 4);
    const style = scene(30, 36, 6);
    const random = vi.spyOn(Math, 'random');
    try {
      const figures = qualityFigures({ content: a, style, result: b });
      expect(random).not.toHaveBeenCalled();
      for (const v of Object.values(figures)) expect(Number.isFinite(v)).toBe(true);
      // The palette is the only seeded figure: it is the one computed with the default seed, not another.
      expect(figures.palette).toBe(palette(b, a, style, SLICED_DEFAULTS));
      expect(figures.palette).not.toBe(palette(b, a, style, { ...SLICED_DEFAULTS, seed: SLICED_DEFAULTS.seed + 1 }));
      expect(directions(4, 1)).not.toEqual(directions(4, 2));
      expect(random).not.toHaveBeenCalled();
    } finally {
      random.mockRestore();
    }
  });

  it('noise: a constant image has none; grain raises it above the smooth painting', () => {
    const flat = map(a, () => 0.4);
    expect(noise(flat, a)).toBe(0);
    const smooth = scene(48, 40, 1, 0.2, 0.8);
    const rng = createRng(11);
    const grainy = map(smooth, (v) => v + 0.2 * (rng() - 0.5));
    expect(noise(grainy, smooth)).toBeGreaterThan(1.5);
    expect(noise(smooth, smooth)).toBe(1);
  });

  it('border: a change confined to the outer band gives border ≫ 1; an even change gives ~1', () => {
    const w = a.width;
    const bx = bandPixels(w);
    const by = bandPixels(a.height);
    expect(bx).toBe(3);
    const inBand = (i: number) => {
      const p = Math.floor(i / 3);
      const x = p % w;
      const y = Math.floor(p / w);
      return x < bx || x >= w - bx || y < by || y >= a.height - by;
    };
    const framed = map(a, (v, i) => (inBand(i) ? 1 - v : v));
    expect(border(framed, a)).toBe(Infinity);
    const framedSlightly = map(a, (v, i) => (inBand(i) ? 1 - v : v + 0.005));
    expect(border(framedSlightly, a)).toBeGreaterThan(20);
    expect(border(map(a, (v) => v + 0.1), a)).toBeCloseTo(1, 5);
    expect(border(a, a)).toBe(1);
  });

  it('gradient magnitude uses central differences: a ramp of slope s gives s everywhere', () => {
    const ramp = { width: 6, height: 4, data: Float64Array.from({ length: 24 }, (_, i) => 0.1 * (i % 6)) };
    expect(Array.from(gradientMagnitude(ramp)).every((g) => Math.abs(g - 0.1) < 1e-12)).toBe(true);
  });

  it('on real images: a painting against a photo has little layout in common; a recoloured photo keeps it', async () => {
    const photo = await sample('chelsea.jpg', 128);
    const painting = await sample('starry-night.jpg', 128);
    const scream = await sample('scream.jpg', 128);
    expect(Math.abs(layout(painting, photo))).toBeLessThan(0.2);
    expect(Math.abs(layout(scream, photo))).toBeLessThan(0.2);
    const recoloured = map(photo, (v, i) => (i % 3 === 2 ? 1 - v : 0.5 * v));
    expect(layout(recoloured, photo)).toBeGreaterThan(0.6);
    // The painting's own pixels: palette 0; the photo: 1.
    expect(palette(painting, photo, painting)).toBe(0);
    console.info(`layout(starry-night, chelsea) = ${layout(painting, photo).toFixed(3)}, layout(scream, chelsea) = ${layout(scream, photo).toFixed(3)}`);
  });
});
