import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchColours } from '../../src/engine/image/colour-match';
import type { ModelRunner } from '../../src/engine/model/runner';
import { paintingsOf } from '../../src/engine/modes/style/paintings';
import { styleParams } from '../../src/engine/params/style';
import { StyleSession } from '../../src/engine/sessions/style-session';
import { shares, stageSizes, StyleStage } from '../../src/engine/sessions/style-stage';
import { engine, photo } from '../helpers/engine';

const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]!);
const norm = (a: tf.Tensor) => tf.tidy(() => a.abs().max().dataSync()[0]!);
const steps = (s: StyleSession, n: number) => {
  for (let i = 0; i < n; i++) s.step().dispose();
};

/** Two-layer, small-network settings: what these tests check does not need the full default stack. */
const SMALL = { styleLayers: [{ name: 'activation_3', weight: 1 }, { name: 'mixed0', weight: 1 }], contentLayer: 'mixed2' } as const;

describe('several paintings, blended', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = await engine();
  });

  it('the targets are the share-weighted mean of each painting’s Gram matrices, and a new blend follows live', () => {
    const content = photo('cat-128.png', 96);
    const [a, b] = [photo('brick-128.jpg', 96), photo('cat-128.png', 96)];
    const p = styleParams({ ...SMALL, pad: 0 });
    const only = (image: tf.Tensor4D) => new StyleStage(runner, content, [{ image, weight: 1 }], [96, 96], p);
    const [sa, sb] = [only(a), only(b)];
    const mixed = new StyleStage(runner, content, [{ image: a, weight: 3 }, { image: b, weight: 1 }], [96, 96], p);
    for (let l = 0; l < 2; l++) {
      const expected = tf.tidy(() => sa.targets[l]!.mul(0.75).add(sb.targets[l]!.mul(0.25)));
      expect(maxAbs(mixed.targets[l]!, expected) / norm(expected)).toBeLessThan(1e-5);
      expected.dispose();
    }
    const before = tf.memory().numTensors;
    mixed.blend([0, 1]);
    expect(maxAbs(mixed.targets[1]!, sb.targets[1]!) / norm(sb.targets[1]!)).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before);
    for (const s of [sa, sb, mixed]) s.dispose();
    tf.dispose([content, a, b]);
  });

  it('a blend moves the picture differently from either painting alone; the session keeps its own copies', () => {
    const content = photo('cat-128.png', 80);
    const [a, b] = [photo('brick-128.jpg', 80), tf.tidy(() => photo('cat-128.png', 80).reverse(2).mul(-1)) as tf.Tensor4D];
    const run = (paintings: { image: tf.Tensor4D; weight: number }[]) => {
      const s = new StyleSession(runner, content, paintings.map((q) => ({ image: q.image.clone(), weight: q.weight })), styleParams({ ...SMALL, colour: 'style', jitter: 0 }));
      // The caller's tensors may go: coarse-to-fine stages build their targets from the session's copies.
      steps(s, 6);
      const x = s.display();
      s.dispose();
      return x;
    };
    const [onlyA, onlyB, half] = [run([{ image: a, weight: 1 }]), run([{ image: b, weight: 1 }]), run([{ image: a, weight: 1 }, { image: b, weight: 1 }])];
    expect(maxAbs(half, onlyA)).toBeGreaterThan(1e-3);
    expect(maxAbs(half, onlyB)).toBeGreaterThan(1e-3);
    tf.dispose([content, a, b, onlyA, onlyB, half]);
  });

  it('colour matching to a blend with one share at 0 is matching to the other painting', () => {
    const x = photo('cat-128.png', 64);
    const [a, b] = [photo('brick-128.jpg', 64), tf.tidy(() => photo('cat-128.png', 64).mul(0.3)) as tf.Tensor4D];
    const [one, mix] = [matchColours(x, a), matchColours(x, [{ image: a, weight: 1 }, { image: b, weight: 0 }])];
    expect(maxAbs(one, mix)).toBeLessThan(1e-4);
    const half = matchColours(x, [{ image: a, weight: 1 }, { image: b, weight: 1 }]);
    expect(maxAbs(one, half)).toBeGreaterThan(0.02);
    tf.dispose([x, a, b, one, mix, half]);
  });

  it('shares: a missing share is the first painting’s whole or nothing; all-zero falls back to the first', () => {
    expect(shares([1], 2)).toEqual([1, 0]);
    expect(shares([0.7, 0.3], 2)).toEqual([0.7, 0.3]);
    expect(shares([0.7, 0.3], 1)).toEqual([0.7]);
    expect(shares([0, 1], 1)).toEqual([1]);
    const [c, s0, s1] = [tf.zeros([1, 8, 8, 3]), tf.ones([1, 8, 8, 3]), tf.ones([1, 8, 8, 3])] as tf.Tensor4D[];
    const ctx = { runner, content: c!, guide: undefined };
    // Slots up to the last painting present; a missing first slot stands in as the content.
    expect(paintingsOf({ ...ctx, styles: [s0!] }, styleParams({})).map((p) => p.weight)).toEqual([1]);
    expect(paintingsOf({ ...ctx, styles: [s0!, s1!] }, styleParams({ styleBlend: [0.6, 0.4] })).map((p) => p.weight)).toEqual([0.6, 0.4]);
    const gap = paintingsOf({ ...ctx, styles: [null, s1!] }, styleParams({ styleBlend: [0.5, 0.5] }));
    expect(gap[0]!.image).toBe(c);
    tf.dispose([c!, s0!, s1!]);
  });
});

describe('coarse to fine', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = await engine();
  });

  it('stage sizes are 1/√2 apart, the smallest still a network input, the last the full size', () => {
    expect(stageSizes(256, 170, 3)).toEqual([[128, 85], [181, 120], [256, 170]]);
    expect(stageSizes(160, 160, 4)).toEqual([[80, 80], [113, 113], [160, 160]]);
    expect(stageSizes(96, 96, 3)).toEqual([[96, 96]]);
    expect(stageSizes(256, 256, 1)).toEqual([[256, 256]]);
  });

  it('runs each coarse stage for its iterations, then the full size; the picture is always full size; no tensor growth', () => {
    const content = photo('cat-128.png', 160);
    const style = photo('brick-128.jpg', 128);
    // Every new part at once (stages, smoothing, the turn and scale jitter, two paintings), for the growth check.
    const paintings = [{ image: style, weight: 2 }, { image: content, weight: 1 }];
    const s = new StyleSession(runner, content, paintings, styleParams({ ...SMALL, stages: 3, stageIterations: 2, smoothing: 0.5, jitterRotate: 4, jitterScale: 0.05 }));
    const seen: string[] = [];
    let counts: number[] = [];
    for (let i = 0; i < 9; i++) {
      s.step().dispose();
      seen.push(s.stageSize.join('x'));
      expect(s.image.shape).toEqual([1, 160, 160, 3]);
      const shown = s.display();
      expect(shown.shape).toEqual([1, 160, 160, 3]);
      shown.dispose();
      counts.push(tf.memory().numTensors);
    }
    expect(seen).toEqual(['80x80', '80x80', '113x113', '113x113', '160x160', '160x160', '160x160', '160x160', '160x160']);
    // Tensors are flat once at the full size (a stage change swaps its targets, it does not add to them).
    counts = counts.slice(5);
    expect(new Set(counts).size).toBe(1);
    s.dispose();
    tf.dispose([content, style]);
  });

  it('a coarse stage keeps the photo’s fine detail: its change is upsampled onto the full-size start', () => {
    const content = photo('cat-128.png', 160);
    const style = photo('brick-128.jpg', 128);
    const s = new StyleSession(runner, content, style, styleParams({ ...SMALL, colour: 'style', stages: 3, stageIterations: 5 }));
    s.step().dispose();
    expect(s.stageSize).toEqual([80, 80]);
    // What an 80 px picture cannot hold: a picture less its own 80 px version.
    const fine = (x: tf.Tensor4D) =>
      tf.tidy(() => x.sub(tf.image.resizeBilinear(tf.image.resizeBilinear(x, [80, 80], false, true), [160, 160], false, true)).abs().mean().dataSync()[0]!);
    expect(fine(s.image)).toBeGreaterThan(0.7 * fine(content));
    s.dispose();
    tf.dispose([content, style]);
  });

  it('a session restarted from a picture it reached is not coarsened again', () => {
    const content = photo('cat-128.png', 160);
    const style = photo('brick-128.jpg', 128);
    const s = new StyleSession(runner, content, style, styleParams({ ...SMALL, stages: 3 }), { start: content });
    s.step().dispose();
    expect(s.stageSize).toEqual([160, 160]);
    s.dispose();
    tf.dispose([content, style]);
  });

  it('smoothing shows a running average of the iterates, not the latest alone', () => {
    const content = photo('cat-128.png', 80);
    const style = photo('brick-128.jpg', 80);
    const s = new StyleSession(runner, content, style, styleParams({ ...SMALL, colour: 'style', smoothing: 0.8, learningRate: 0.05 }));
    steps(s, 4);
    const shown = s.display();
    expect(maxAbs(shown, s.image)).toBeGreaterThan(1e-3);
    // The average lags behind: it is nearer the start than the latest iterate is.
    const from = (t: tf.Tensor) => tf.tidy(() => t.sub(content).abs().mean().dataSync()[0]!);
    expect(from(shown)).toBeLessThan(from(s.image));
    shown.dispose();
    s.dispose();
    tf.dispose([content, style]);
  });
});
