import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exactSide, ModelRunner } from '../../src/engine/model/runner';
import { loadArtifactsFromDisk } from '../../src/node/model-files';
import { engine, photo } from '../helpers/engine';

function relErr(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => a.sub(b).norm().div(b.norm().add(1e-12)).dataSync()[0]!);
}

describe('model runner (BatchNorm folded, layer by layer)', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = await engine('wasm');
  });

  it('agrees with the stock tfjs-layers InceptionV3 on a small input', async () => {
    const art = loadArtifactsFromDisk();
    const topology = structuredClone(art.modelTopology);
    const inputLayer = topology.model_config.config.layers[0]!;
    // The Keras file pins 299×299; the trunk is fully convolutional, so let it take any size.
    inputLayer.config.batch_input_shape = [null, null, null, 3];
    const stock = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology as never, weightSpecs: art.weightSpecs, weightData: art.weightData }));
    const names = ['activation_3', 'mixed0', 'mixed3', 'mixed5'];
    const probe = tf.model({ inputs: stock.inputs, outputs: names.map((n) => stock.getLayer(n).output as tf.SymbolicTensor) });
    const x = photo('cat-128.png', 96);
    const expected = probe.predict(x) as tf.Tensor[];
    const got = tf.tidy(() => runner.run(x, names));
    names.forEach((n, i) => {
      expect(got[n]!.shape).toEqual(expected[i]!.shape);
      expect(relErr(got[n]!, expected[i]!), n).toBeLessThan(1e-4);
    });
    tf.dispose([x, ...expected, ...Object.values(got)]);
    stock.dispose();
  });

  it('runs any input size from 75 px and rejects smaller ones', () => {
    const x = tf.zeros([1, 75, 90, 3]) as tf.Tensor4D;
    const out = tf.tidy(() => runner.run(x, ['mixed5']).mixed5!);
    expect(out.shape[3]).toBe(768);
    expect(() => runner.run(tf.zeros([1, 74, 90, 3]) as tf.Tensor4D, ['mixed0'])).toThrow(/minimum of 75 px/);
    tf.dispose([x, out]);
  });

  it('rejects unknown layer names', () => {
    const x = tf.zeros([1, 80, 80, 3]) as tf.Tensor4D;
    expect(() => runner.run(x, ['mixed99'])).toThrow(/unknown layer "mixed99"/);
    x.dispose();
  });

  it('lists its layers under their Keras names with channel counts', () => {
    expect(runner.channels('mixed3')).toBe(768);
    expect(runner.channels('activation_5')).toBe(192);
    expect(runner.has('mixed7')).toBe(true);
    expect(runner.has('mixed8')).toBe(false);
  });

  it('input gradient matches central finite differences (directional derivative)', () => {
    const x = photo('coffee-96.jpg', 80);
    const layers = ['mixed1'];
    const f = (t: tf.Tensor4D) => tf.tidy(() => runner.run(t, layers).mixed1!.square().mean().mul(0.5) as tf.Scalar);
    const g = tf.grad((t: tf.Tensor) => f(t as tf.Tensor4D))(x);
    for (const seed of [1, 2, 3]) {
      const v = tf.randomNormal(x.shape, 0, 1, 'float32', seed) as tf.Tensor4D;
      const eps = 1e-3; // smaller steps drown in float32 rounding, larger ones in the ReLU kinks
      const plus = f(x.add(v.mul(eps)) as tf.Tensor4D).dataSync()[0]!;
      const minus = f(x.sub(v.mul(eps)) as tf.Tensor4D).dataSync()[0]!;
      const numeric = (plus - minus) / (2 * eps);
      const analytic = tf.sum(g.mul(v)).dataSync()[0]!;
      expect(Math.abs(numeric - analytic) / Math.abs(numeric), `seed ${seed}: ${numeric} vs ${analytic}`).toBeLessThan(0.02);
      v.dispose();
    }
    tf.dispose([x, g]);
  });

  it('fast input gradients equal the stock tfjs gradients where tfjs is exact (stem: valid/same/stride-2 convs, max pool)', () => {
    const stock = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'stock');
    const x = photo('cat-128.png', 96);
    for (const layer of ['activation_2', 'activation_3', 'max_pooling2d_1', 'activation_5', 'max_pooling2d_2']) {
      const grad = (r: ModelRunner) => tf.grad((t: tf.Tensor) => r.run(t as tf.Tensor4D, [layer])[layer]!.square().mean())(x);
      const a = grad(runner);
      const b = grad(stock);
      expect(relErr(a, b), layer).toBeLessThan(1e-3);
      tf.dispose([a, b]);
    }
    x.dispose();
    stock.dispose();
  });

  it("fast 'same' average-pool gradient is exact on the border, where tfjs's AvgPoolGrad is not", async () => {
    const { SamePoolCounts } = await import('../../src/engine/model/gradients/avg-pool-same');
    const pool = new SamePoolCounts([3, 3]);
    const x = tf.randomNormal([1, 6, 7, 2], 0, 1, 'float32', 5) as tf.Tensor4D;
    const w = tf.randomNormal([1, 6, 7, 2], 0, 1, 'float32', 6);
    // The objective is linear in x, so its gradient is exact: check it entry by entry through the pooling's Jacobian.
    const exact = tf.grad((t: tf.Tensor) => pool.apply(t as tf.Tensor4D).mul(w).sum())(x);
    const data = x.dataSync().slice();
    const base = tf.avgPool(x, 3, 1, 'same').mul(w).sum().dataSync()[0]!;
    const e = exact.dataSync();
    for (const i of [0, 1, 13, 40, data.length - 1]) {
      const bumped = data.slice();
      bumped[i]! += 1;
      const y = tf.tidy(() => tf.avgPool(tf.tensor4d(bumped, x.shape), 3, 1, 'same').mul(w).sum().dataSync()[0]!);
      expect(e[i]!).toBeCloseTo(y - base, 4);
    }
    const stockGrad = tf.grad((t: tf.Tensor) => tf.avgPool(t as tf.Tensor4D, 3, 1, 'same').mul(w).sum())(x);
    expect(Math.abs(stockGrad.dataSync()[0]! - e[0]!)).toBeGreaterThan(1e-3);
    tf.dispose([x, w, exact, stockGrad]);
    pool.dispose();
  });

  it('at an exact side the network weighs its last rows like its first; at other sides it drops them', async () => {
    expect([80, 283, 284, 299].map(exactSide)).toEqual([91, 283, 299, 299]);
    // The input gradient's mass in the first and in the last 16 rows, through mixed3.
    const ends = async (side: number) => {
      const g = tf.tidy(() =>
        tf.grad((x: tf.Tensor) => runner.run(x as tf.Tensor4D, ['mixed3']).mixed3!.sum())(tf.randomUniform([1, side, 96, 3], -1, 1, 'float32', 5)).abs().sum([0, 2, 3]),
      );
      const rows = Array.from(await g.data());
      g.dispose();
      const mass = (r: number[]) => r.reduce((a, b) => a + b, 0);
      return mass(rows.slice(0, 16)) / mass(rows.slice(-16));
    };
    expect(await ends(exactSide(180))).toBeLessThan(1.3);
    expect(await ends(exactSide(180) + 7)).toBeGreaterThan(2);
  });
});
