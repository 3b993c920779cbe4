import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { filterGrid, firstConvFilters, normaliseFilters } from '../../src/engine/lens/filters';
import { lensLayers, mainLayers } from '../../src/engine/lens/layers';
import type { ModelRunner } from '../../src/engine/model/runner';
import { engine } from '../helpers/engine';

describe('lens: learned weights', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = await engine('wasm');
  });

  it('lists the layers from the stem to mixed7', () => {
    const names = lensLayers(runner).map((l) => l.name);
    expect(names[0]).toBe('activation_1');
    expect(names.at(-1)).toBe('mixed7');
    expect(mainLayers(runner).map((l) => l.name)).toEqual(['activation_1', 'activation_2', 'activation_3', 'activation_4', 'activation_5', 'mixed0', 'mixed1', 'mixed2', 'mixed3', 'mixed4', 'mixed5', 'mixed6', 'mixed7']);
  });

  it('normalises each of the 32 first-layer filters on its own, symmetric around mid-grey', async () => {
    const filters = firstConvFilters(runner);
    expect(filters.shape).toEqual([3, 3, 3, 32]);
    const before = tf.memory().numTensors;
    const patches = normaliseFilters(filters);
    expect(patches.shape).toEqual([32, 3, 3, 3]);
    const p = (await patches.array()) as number[][][][];
    const w = (await filters.array()) as number[][][][];
    patches.dispose();
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < 32; i++) {
      const values = p[i]!.flat(2);
      const dev = values.map((v) => Math.abs(v - 0.5));
      // The largest weight of either sign reaches black or white; nothing leaves [0, 1].
      expect(Math.max(...dev)).toBeCloseTo(0.5, 6);
      expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...values)).toBeLessThanOrEqual(1);
      // Mid-grey is zero weight: the patch is an affine copy of the filter with the sign kept.
      const raw = [0, 1, 2].flatMap((y) => [0, 1, 2].flatMap((x) => [0, 1, 2].map((c) => w[y]![x]![c]![i]!)));
      const peak = Math.max(...raw.map(Math.abs));
      raw.forEach((r, j) => expect(values[j]!).toBeCloseTo(0.5 + (0.5 * r) / peak, 5));
    }
  });

  it('lays the filters out as a grid of 32 enlarged tiles with their rectangles', async () => {
    const grid = await filterGrid(runner, { scale: 6, gap: 2 });
    expect(grid.tiles).toHaveLength(32);
    expect(grid.pixels.width).toBe(8 * 18 + 9 * 2);
    expect(grid.pixels.height).toBe(4 * 18 + 5 * 2);
    const patches = normaliseFilters(firstConvFilters(runner));
    const p = (await patches.array()) as number[][][][];
    patches.dispose();
    for (const { index, rect } of grid.tiles) {
      expect(rect.width).toBe(18);
      // Nearest enlargement: every pixel of a 6×6 block is its weight's value.
      for (let y = 0; y < 18; y++)
        for (let x = 0; x < 18; x++)
          for (let c = 0; c < 3; c++) {
            const v = grid.pixels.data[((rect.y + y) * grid.pixels.width + rect.x + x) * 3 + c]!;
            expect(v).toBe(Math.round(255 * p[index]![Math.floor(y / 6)]![Math.floor(x / 6)]![c]!));
          }
    }
  });
});
