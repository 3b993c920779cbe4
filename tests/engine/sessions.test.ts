import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelRunner } from '../../src/engine/model/runner';
import { guideFeatures } from '../../src/engine/objectives/dream';
import { dreamParams } from '../../src/engine/params/dream';
import { streamParams } from '../../src/engine/params/stream';
import { styleParams } from '../../src/engine/params/style';
import { DreamSession } from '../../src/engine/sessions/dream-session';
import type { Session } from '../../src/engine/sessions/session';
import { StreamSession } from '../../src/engine/sessions/stream-session';
import { StyleSession } from '../../src/engine/sessions/style-session';
import { engine, photo } from '../helpers/engine';

function run(session: Session, steps: number, each?: () => void): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    const l = session.step();
    out.push(Array.from(l.dataSync()));
    l.dispose();
    each?.();
  }
  return out;
}

describe('DeepDream', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = await engine();
  });

  it('raises the objective over 10 steps on a real photo', () => {
    const x = photo('cat-128.png', 128);
    const s = new DreamSession(runner, x, dreamParams({ octaves: 1, stepsPerOctave: 10, layers: [{ name: 'mixed3', weight: 1 }] }));
    const losses = run(s, 10).map((l) => l[0]!);
    expect(losses[9]!).toBeGreaterThan(losses[0]! * 1.2);
    // Jitter makes single steps noisy; the trend must still be upward.
    expect(losses.slice(5).reduce((a, b) => a + b) / 5).toBeGreaterThan(losses.slice(0, 5).reduce((a, b) => a + b) / 5);
    expect(s.done).toBe(true);
    const img = s.image;
    expect(img.shape).toEqual([1, 128, 128, 3]);
    expect(tf.max(img).dataSync()[0]).toBeLessThanOrEqual(1);
    expect(tf.min(img).dataSync()[0]).toBeGreaterThanOrEqual(-1);
    s.dispose();
    x.dispose();
  });

  it('the mean objective and a single channel also climb', () => {
    const x = photo('coffee-96.jpg', 96);
    for (const p of [{ objective: 'mean' as const }, { channel: 100 }]) {
      const s = new DreamSession(runner, x, dreamParams({ octaves: 1, stepsPerOctave: 6, layers: [{ name: 'mixed2', weight: 1 }], ...p }));
      const losses = run(s, 6).map((l) => l[0]!);
      expect(losses[5]!, JSON.stringify(p)).toBeGreaterThan(losses[0]!);
      s.dispose();
    }
    x.dispose();
  });

  it('octaves run from the smallest size ≥ 75 px up to the full size, carrying detail', () => {
    const x = photo('cat-128.png', 128);
    const s = new DreamSession(runner, x, dreamParams({ octaves: 4, octaveScale: 1.4, stepsPerOctave: 2 }));
    // 128/1.4³ = 46.6 and 128/1.4² = 65.3 fall below 75 px: only two octaves remain.
    expect(s.sizes).toEqual([[91, 91], [128, 128]]);
    run(s, 2);
    expect(s.image.shape).toEqual([1, 91, 91, 3]);
    run(s, 2);
    expect(s.image.shape).toEqual([1, 128, 128, 3]);
    const change = tf.tidy(() => s.image.sub(x).abs().mean().dataSync()[0]!);
    expect(change).toBeGreaterThan(0.01);
    s.dispose();
    x.dispose();
  });

  it('a guide image pulls the dream toward its features', () => {
    const x = photo('cat-128.png', 96);
    const g = photo('brick-128.jpg', 96);
    const p = dreamParams({ octaves: 1, stepsPerOctave: 5, layers: [{ name: 'mixed2', weight: 0 }], guideWeight: 1 });
    const guide = tf.tidy(() => guideFeatures(runner.run(g, ['mixed2'])));
    const s = new DreamSession(runner, x, p, { guide });
    const losses = run(s, 5).map((l) => l[0]!);
    expect(losses[4]!).toBeGreaterThan(losses[0]!);
    s.dispose();
    tf.dispose([x, g, ...Object.values(guide)]);
  });

  it('the zoom stream changes every frame and keeps its size and range', () => {
    const x = photo('cat-128.png', 96);
    const s = new StreamSession(runner, x, dreamParams({ stepSize: 0.02 }), streamParams({ zoom: 1.05, rotate: 2, driftX: 1 }));
    const before = s.image.clone();
    run(s, 2);
    s.advance();
    expect(s.image.shape).toEqual([1, 96, 96, 3]);
    expect(tf.tidy(() => s.image.sub(before).abs().mean().dataSync()[0]!)).toBeGreaterThan(0.005);
    s.resize(80, 112);
    expect(s.image.shape).toEqual([1, 80, 112, 3]);
    run(s, 1);
    s.dispose();
    tf.dispose([x, before]);
  });
});

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]!);

describe('style transfer (Gatys et al.)', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = await engine();
  });

  it('style loss falls by at least 90% in 100 iterations at 128 px from the content image', () => {
    const content = photo('cat-128.png', 128);
    const style = photo('brick-128.jpg', 128);
    const s = new StyleSession(runner, content, style, styleParams({}));
    const losses = run(s, 100);
    const style0 = losses[0]![2]!;
    const style100 = losses[99]![2]!;
    expect(style100).toBeLessThan(style0 * 0.1);
    expect(losses[99]![0]).toBeLessThan(losses[0]![0]!);
    s.dispose();
    // Through the pyramid basis and the reflect padding it starts from the content exactly: with the view held still
    // (no jitter) and the photo's own colours, there is no content loss at the first step.
    const still = new StyleSession(runner, content, style, styleParams({ jitter: 0, colour: 'style' }));
    expect(maxAbsDiff(still.image, content)).toBeLessThan(1e-5);
    expect(run(still, 1)[0]![1]).toBeLessThan(1e-6);
    still.dispose();
    tf.dispose([content, style]);
  });

  it('initialises from noise or the style image, and colour preservation keeps the content chroma', () => {
    const content = photo('cat-128.png', 80);
    const style = photo('brick-128.jpg', 96);
    for (const init of ['noise', 'style'] as const) {
      const s = new StyleSession(runner, content, style, styleParams({ init }));
      const first = run(s, 1)[0]!;
      expect(first[1]!, init).toBeGreaterThan(1e-3);
      s.dispose();
    }
    // The stroke scale sets the size the painting is seen at, so it changes what the optimisation aims at.
    const styleLossAt = (styleScale: number) => {
      const session = new StyleSession(runner, content, style, styleParams({ styleScale, jitter: 0 }));
      const loss = run(session, 1)[0]![2]!;
      session.dispose();
      return loss;
    };
    const [fine, broad] = [styleLossAt(0.5), styleLossAt(2)];
    expect(Math.abs(fine - broad) / Math.max(fine, broad)).toBeGreaterThan(0.05);
    const s = new StyleSession(runner, content, style, styleParams({ colour: 'content' }));
    run(s, 5);
    const shown = s.display();
    // Chroma (I, Q of YIQ) of the display equals the content's wherever nothing was clipped.
    const chroma = (t: tf.Tensor4D) => tf.tidy(() => t.reshape([-1, 3]).matMul(tf.tensor2d([[0.595716, 0.211456], [-0.274453, -0.522591], [-0.321263, 0.311135]])));
    const diff = tf.tidy(() => chroma(shown).sub(chroma(content)).abs().mean().dataSync()[0]!);
    expect(diff).toBeLessThan(0.02);
    s.dispose();
    tf.dispose([content, style, shown]);
  });
});

describe('no tensor growth over 200 steps', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = await engine();
  });

  const cases: [string, (x: tf.Tensor4D, y: tf.Tensor4D) => Session & { advance?: () => void }][] = [
    ['dream', (x) => new DreamSession(runner, x, dreamParams({ octaves: 2, stepsPerOctave: 500 }))],
    ['stream', (x, y) => {
      const s = new StreamSession(runner, x, dreamParams({ layers: [{ name: 'mixed2', weight: 1 }] }), streamParams({ zoom: 1.03, rotate: 1, blend: 0.1 }));
      s.setSource(y);
      return s;
    }],
    ['style', (x, y) => new StyleSession(runner, x, y, styleParams({ styleLayers: [{ name: 'activation_3', weight: 1 }, { name: 'mixed0', weight: 1 }], contentLayer: 'mixed2' }))],
  ];

  for (const [name, make] of cases) {
    it(`${name}: tf.memory().numTensors is the same after 1 and after 200 steps`, () => {
      const x = photo('coffee-96.jpg', 80);
      const y = photo('brick-128.jpg', 80);
      const s = make(x, y);
      const advance = () => (s as StreamSession).advance?.();
      run(s, 1, advance);
      const after1 = tf.memory().numTensors;
      run(s, 199, advance);
      expect(tf.memory().numTensors).toBe(after1);
      s.dispose();
      tf.dispose([x, y]);
    });
  }
});
