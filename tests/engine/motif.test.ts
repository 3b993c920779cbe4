/**
 * The "one motif" figure: on made-up activations (counts exactly), and through the network on a picture made of one
 * patch repeated against the photo it was cut from.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelRunner } from '../../src/engine/model/runner';
import { judgeMotif, MOTIF_BOUND, MOTIF_LAYER, motifShare, type Activations } from '../../src/engine/quality/motif';
import { engine, photo } from '../helpers/engine';

/** A 4×4 map of 5 channels where channel `winner(p)` is 1 and the rest 0.1. */
function map(winner: (p: number) => number): Activations {
  const data = new Float32Array(16 * 5).fill(0.1);
  for (let p = 0; p < 16; p++) data[p * 5 + winner(p)] = 1;
  return { height: 4, width: 4, channels: 5, data };
}

describe('motifShare', () => {
  it('counts the share of positions won by the most frequent winner', () => {
    expect(motifShare(map(() => 2))).toBe(1);
    expect(motifShare(map((p) => p % 4))).toBe(0.25);
    expect(motifShare(map((p) => (p < 12 ? 3 : p % 5)))).toBe(13 / 16);
  });

  it('refuses activations whose size does not match', () => {
    expect(() => motifShare({ height: 2, width: 2, channels: 3, data: new Float32Array(10) })).toThrow(/2×2×3 need 12/);
  });

  it('judges against the bound, or the start when it began higher', () => {
    expect(judgeMotif(0.3, MOTIF_BOUND)).toBeNull();
    expect(judgeMotif(0.3, 0.8)).toBe('one motif 0.800 > 0.700');
    expect(judgeMotif(0.9, 0.85)).toBeNull();
  });
});

describe('motifShare through the network', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = await engine();
  });

  const share = (x: tf.Tensor4D): number => {
    const a = tf.tidy(() => runner.run(x, [MOTIF_LAYER])[MOTIF_LAYER]!);
    const [, height, width, channels] = a.shape;
    const out = motifShare({ height, width, channels, data: a.dataSync() });
    a.dispose();
    return out;
  };

  it('a picture tiled from one patch of the cat is one motif; the cat photo is not', () => {
    const cat = photo('cat-128.png', 128);
    // A 16 px patch of the cat's eye repeated 8×8: one period per step of the layer's map (its stride is 16 px), so
    // every position sees the same shape, as in a field of one motif.
    const tiled = tf.tidy(() => tf.tile(cat.slice([0, 48, 28, 0], [1, 16, 16, 3]), [1, 8, 8, 1]) as tf.Tensor4D);
    const [varied, motif] = [share(cat), share(tiled)];
    tf.dispose([cat, tiled]);
    expect(motif, JSON.stringify({ varied, motif })).toBeGreaterThan(MOTIF_BOUND);
    expect(varied, JSON.stringify({ varied, motif })).toBeLessThan(MOTIF_BOUND);
  });
});
