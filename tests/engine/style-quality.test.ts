/**
 * What the new defaults are for, checked relatively on a small pair: the same number of iterations moves the
 * picture's palette further toward the painting than the previous defaults (Gatys on the pixels) did. The border
 * figures are printed beside it; the full yardstick is `npm run quality` (docs/style).
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelToUnit, pixelsToModel } from '../../src/engine/image/convert';
import { cover } from '../../src/engine/image/geometry';
import type { ModelRunner } from '../../src/engine/model/runner';
import { styleParams, type StyleParamsInput } from '../../src/engine/params/style';
import { border } from '../../src/engine/quality/border';
import { picture, type Picture } from '../../src/engine/quality/image';
import { palette } from '../../src/engine/quality/palette';
import { StyleSession } from '../../src/engine/sessions/style-session';
import { readImage } from '../../src/node/image-io';
import { PROJECT_ROOT } from '../../src/node/model-files';
import { engine, photo } from '../helpers/engine';

const SIZE = 96;
const ITERATIONS = 40;

function toPicture(x: tf.Tensor4D): Picture {
  const [, h, w] = x.shape;
  const data = tf.tidy(() => modelToUnit(x)).dataSync() as Float32Array;
  return picture(w, h, Float32Array.from(data));
}

describe('style transfer that looks like the painting', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = await engine('wasm');
  });

  function render(content: tf.Tensor4D, style: tf.Tensor4D, input: StyleParamsInput): Picture {
    const s = new StyleSession(runner, content, style, styleParams(input));
    // The optimiser's moments are made at the first step; from then on nothing may grow.
    s.step().dispose();
    const before = tf.memory().numTensors;
    for (let i = 1; i < ITERATIONS; i++) s.step().dispose();
    // No tensor growth over the run, whatever the basis.
    expect(tf.memory().numTensors).toBe(before);
    const shown = s.display();
    const out = toPicture(shown);
    shown.dispose();
    s.dispose();
    return out;
  }

  it('moves the palette toward the painting more than the previous defaults, with the same iterations', () => {
    const content = photo('cat-128.png', SIZE);
    const painting = tf.tidy(() => cover(pixelsToModel(readImage(join(PROJECT_ROOT, 'public', 'samples', 'starry-night.jpg'))), SIZE, SIZE));
    // The previous defaults: Gatys on the pixels, the network seeing the bare picture, colours left to the optimiser.
    const gatys = render(content, painting, { basis: 'pixels', pad: 0, jitter: 0, colour: 'style', learningRate: 0.02 });
    const ours = render(content, painting, {});
    const [c, p] = [toPicture(content), toPicture(painting)];
    const before = palette(gatys, c, p);
    const after = palette(ours, c, p);
    console.log(`palette after ${ITERATIONS} iterations at ${SIZE} px: pixels ${before.toFixed(3)}, defaults ${after.toFixed(3)}; border ${border(gatys, c).toFixed(2)} → ${border(ours, c).toFixed(2)}`);
    expect(after).toBeLessThan(before * 0.9);
    tf.dispose([content, painting]);
  });
});
