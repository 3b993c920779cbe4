/**
 * The lens's mix of two channels: the settings make an interpolation of the two, its picture grown from noise
 * excites both, and the features view names the mix.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FeatureVis } from '../../src/engine/lens/feature-vis';
import { targetLabel } from '../../src/engine/lens/targets';
import { Loop } from '../../src/engine/loop/loop';
import type { ModelRunner } from '../../src/engine/model/runner';
import { lensTarget } from '../../src/engine/modes/lens/target';
import { decodeLook, encodeLook } from '../../src/engine/params/look';
import { settings } from '../../src/engine/params/settings';
import { engine, photo } from '../helpers/engine';

const channelMeans = async (runner: ModelRunner, x: tf.Tensor4D, layer: string): Promise<number[]> => {
  const m = tf.tidy(() => runner.run(x, [layer])[layer]!.mean([0, 1, 2]));
  const out = (await m.array()) as number[];
  m.dispose();
  return out;
};

describe('lens: a mix of two channels', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = await engine('wasm');
  });

  it('the settings make an interpolation: the second channel takes its share, the first the rest', () => {
    const p = settings({ mode: 'lens', lens: { layer: 'mixed4', target: 'mix', mixWith: 12, mixShare: 0.3 } }).lens;
    const t = lensTarget(p, 97);
    expect(t.terms).toEqual([{ channel: 97, weight: 0.7 }, { channel: 12, weight: 0.3 }]);
    expect(targetLabel(t)).toBe('mixed4:0.7×97+0.3×12');
    expect(lensTarget({ ...p, target: 'channel' }, 97).terms).toEqual([{ channel: 97, weight: 1 }]);
    // A second channel the layer lacks is refused, as the first is.
    expect(() => settings({ mode: 'lens', lens: { layer: 'mixed0', target: 'mix', mixWith: 300 } })).toThrow(/lens\.mixWith must be from 0 to 255 for layer mixed0/);
  });

  it('a look carries the mix', () => {
    const s = settings({ mode: 'lens', lens: { view: 'features', layer: 'mixed4', channel: 97, target: 'mix', mixWith: 12, mixShare: 0.25 } });
    expect(decodeLook(encodeLook({ settings: s })).settings.lens).toMatchObject({ target: 'mix', mixWith: 12, mixShare: 0.25, channel: 97 });
  });

  it("the mix's picture raises both channels' activations over the noise's", async () => {
    const p = settings({ mode: 'lens', lens: { layer: 'mixed3', target: 'mix', mixWith: 20, mixShare: 0.5 } }).lens;
    const fv = new FeatureVis(runner, [lensTarget(p, 10)], { size: 80 });
    const noise = await channelMeans(runner, fv.display(0), 'mixed3');
    await fv.run(32);
    const after = await channelMeans(runner, fv.display(0), 'mixed3');
    fv.dispose();
    for (const c of [10, 20]) {
      // A channel (all but) silent on the noise counts from 0.05 (the layer's channels average about 0.5 there).
      const base = Math.max(noise[c]!, 0.05);
      console.log(`mixed3 #${c} in the mix: ${noise[c]!.toFixed(3)} on noise → ${after[c]!.toFixed(3)} (${(after[c]! / base).toFixed(1)}×)`);
      expect(after[c]!).toBeGreaterThanOrEqual(10 * base);
    }
  });

  it('the features view grows the mix and names it', async () => {
    const loop = new Loop(runner, settings({ mode: 'lens', crossfade: 0, lens: { view: 'features', layer: 'mixed2', channel: 9, target: 'mix', mixWith: 30, mixShare: 0.5 } }), 80, { now: () => 0 });
    loop.setContent(photo('cat-128.png', 128));
    await loop.frame(1, () => {});
    await loop.settled();
    expect((await loop.mode!.inspect!())!.title).toBe('the mix mixed2:0.5×9+0.5×30, grown from noise: step 1');
    // Another share: a new picture from noise.
    loop.setSettings(settings({ mode: 'lens', crossfade: 0, lens: { view: 'features', layer: 'mixed2', channel: 9, target: 'mix', mixWith: 30, mixShare: 0.8 } }));
    await loop.frame(1, () => {});
    await loop.settled();
    expect((await loop.mode!.inspect!())!.title).toBe('the mix mixed2:0.2×9+0.8×30, grown from noise: step 1');
    loop.dispose();
  });
});
