import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { COLOUR_MIX, invert3 } from '../../src/engine/image/decorrelate';
import { pixelBasis, PyramidBasis } from '../../src/engine/optimise/image-basis';
import { useNodeBackend } from '../../src/node/backend';

const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]!);
const dot = (a: readonly tf.Tensor[], b: readonly tf.Tensor[]) => tf.tidy(() => tf.addN(a.map((x, i) => x.mul(b[i]!).sum())).dataSync()[0]!);

describe('image bases', () => {
  beforeAll(async () => {
    await useNodeBackend('cpu');
  });

  it('the colour mix is inverted exactly', () => {
    const inv = invert3(COLOUR_MIX);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        const v = [0, 1, 2].reduce((s, k) => s + COLOUR_MIX[i]![k]! * inv[k]![j]!, 0);
        expect(v).toBeCloseTo(i === j ? 1 : 0, 10);
      }
  });

  it('pixels → pyramid → pixels is exact, odd sizes included, and coarse levels are coarse', () => {
    for (const [h, w] of [[96, 96], [75, 101]] as const) {
      const basis = new PyramidBasis(4);
      const x = tf.randomUniform([1, h, w, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
      const before = tf.memory().numTensors;
      const params = basis.encode(x);
      expect(params.map((p) => p.shape.slice(1, 3))).toEqual([[h, w], [Math.ceil(h / 2), Math.ceil(w / 2)], [Math.ceil(h / 4), Math.ceil(w / 4)], [Math.ceil(h / 8), Math.ceil(w / 8)]]);
      const back = basis.decode(params);
      expect(maxAbs(back, x)).toBeLessThan(1e-5);
      tf.dispose([...params, back]);
      expect(tf.memory().numTensors).toBe(before);
      basis.dispose();
      x.dispose();
    }
  });

  it('levels stop before a side would fall under the minimum', () => {
    const basis = new PyramidBasis(8, 8);
    const x = tf.zeros([1, 40, 64, 3]) as tf.Tensor4D;
    const params = basis.encode(x);
    // 40 → 20 → 10 → (5 < 8): three levels.
    expect(params.length).toBe(3);
    tf.dispose([...params, x]);
    basis.dispose();
  });

  it.each(['cpu', 'wasm'] as const)('on %s its gradient matches finite differences and the pixel-space gradient through the mapping', async (backend) => {
    await useNodeBackend(backend);
    const basis = new PyramidBasis(3);
    const [x, target] = [tf.randomUniform([1, 24, 20, 3], -1, 1, 'float32', 1), tf.randomUniform([1, 24, 20, 3], -1, 1, 'float32', 2)] as tf.Tensor4D[];
    const params = basis.encode(x!);
    const loss = (ps: tf.Tensor[]) => tf.tidy(() => basis.decode(ps).sub(target!).square().sum().mul(0.5) as tf.Scalar);
    const grads = tf.grads((...ps: tf.Tensor[]) => loss(ps))(params);
    const dir = params.map((p, i) => tf.randomNormal(p.shape, 0, 1, 'float32', 10 + i));
    // Finite differences along a random direction (the loss is quadratic: central differences are exact).
    const eps = 0.1;
    const plus = loss(params.map((p, i) => p.add(dir[i]!.mul(eps))));
    const minus = loss(params.map((p, i) => p.sub(dir[i]!.mul(eps))));
    const fd = (plus.dataSync()[0]! - minus.dataSync()[0]!) / (2 * eps);
    const analytic = dot(grads, dir);
    expect(Math.abs(fd - analytic) / Math.abs(analytic)).toBeLessThan(1e-3);
    // Chain rule through the (linear) map: ⟨∂L/∂p, d⟩ = ⟨∂L/∂x, decode(d)⟩.
    const gx = tf.tidy(() => basis.decode(params).sub(target!));
    const dx = basis.decode(dir);
    expect(Math.abs(dot([gx], [dx]) - analytic) / Math.abs(analytic)).toBeLessThan(1e-4);
    tf.dispose([x!, target!, ...params, ...grads, ...dir, plus, minus, gx, dx]);
    basis.dispose();
    await useNodeBackend('cpu');
  });

  it('the pixel basis is the identity', () => {
    const x = tf.randomUniform([1, 8, 8, 3]) as tf.Tensor4D;
    const [p] = pixelBasis.encode(x);
    expect(maxAbs(pixelBasis.decode([p!]), x)).toBe(0);
    tf.dispose([x, p!]);
  });

  it('every level spans the picture symmetrically: a coarse parameter near one edge weighs as much as its mirror', () => {
    // The summed weight of each parameter on the picture (the adjoint of decode applied to ones) must mirror
    // left↔right and top↔bottom: otherwise one side's edge is driven harder and changes more than the others.
    const basis = new PyramidBasis(4);
    const x = tf.zeros([1, 40, 56, 3]) as tf.Tensor4D;
    const params = basis.encode(x);
    const grads = tf.grads((...ps: tf.Tensor[]) => basis.decode(ps).sum())(params);
    for (const g of grads) {
      expect(maxAbs(g, g.reverse(2))).toBeLessThan(1e-4);
      expect(maxAbs(g, g.reverse(1))).toBeLessThan(1e-4);
    }
    tf.dispose([x, ...params, ...grads]);
    basis.dispose();
  });
});
