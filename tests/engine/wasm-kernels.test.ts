import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { wasmMaxPool } from '../../src/engine/model/gradients/max-pool';
import { interleave2x2 } from '../../src/engine/model/gradients/conv2d-input-phases';
import type { Padding } from '../../src/engine/model/types';
import { wasmConcatChannels } from '../../src/engine/model/gradients/concat';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';

/** Runs `f` on `backend` and returns its result as plain numbers (so results can be compared across backends). */
async function on(backend: NodeBackend, f: () => tf.Tensor): Promise<Float32Array> {
  if (tf.getBackend() !== backend) await useNodeBackend(backend);
  const t = f();
  const out = (await t.data()) as Float32Array;
  t.dispose();
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

interface PoolCase {
  shape: [number, number, number, number];
  size: [number, number];
  strides: [number, number];
  padding: Padding;
}

const POOLS: PoolCase[] = [
  { shape: [1, 11, 13, 5], size: [3, 3], strides: [2, 2], padding: 'valid' }, // InceptionV3's max pools
  { shape: [2, 10, 9, 3], size: [3, 3], strides: [2, 2], padding: 'same' },
  { shape: [1, 8, 8, 4], size: [3, 3], strides: [1, 1], padding: 'same' },
  { shape: [1, 9, 7, 6], size: [2, 2], strides: [2, 2], padding: 'valid' },
  { shape: [1, 7, 8, 2], size: [3, 2], strides: [1, 2], padding: 'valid' },
];

/** d/dx of Σ maxPool(x)·w, on the given backend: stock tf.maxPool, or the wasm first-max kernel. */
function poolGradient(c: PoolCase, x: Float32Array, w: Float32Array, heap: boolean): () => tf.Tensor {
  return () => tf.tidy(() => {
    const pool = (t: tf.Tensor4D) => (heap ? wasmMaxPool : tf.maxPool)(t, c.size, c.strides, c.padding);
    const xt = tf.tensor4d(x, c.shape);
    const wt = tf.tensor(w, pool(xt).shape);
    return tf.grad((t: tf.Tensor) => pool(t as tf.Tensor4D).mul(wt).sum())(xt);
  });
}

describe('wasm-heap kernels', () => {
  it("first-max pool gradient equals the cpu backend's MaxPoolGrad (valid/same, strides 1–2, random and tied inputs)", async () => {
    await useNodeBackend('wasm');
    const before = tf.memory().numTensors;
    for (const c of POOLS) {
      const n = c.shape.reduce((a, b) => a * b, 1);
      const outShape = tf.tidy(() => tf.maxPool(tf.zeros(c.shape) as tf.Tensor4D, c.size, c.strides, c.padding).shape);
      // Float32Array.from: the cpu backend's int→float cast can hand back the int32 data as is.
      const numbers = (f: () => tf.Tensor) => Float32Array.from(tf.tidy(() => f().dataSync()));
      const w = numbers(() => tf.randomNormal(outShape, 0, 1, 'float32', 2));
      // Random normals (no ties; many windows entirely negative) and small integers (ties everywhere, all-equal windows).
      const random = numbers(() => tf.randomNormal([n], 0, 1, 'float32', 1));
      const tied = numbers(() => tf.randomUniform([n], 0, 3, 'int32', 3));
      for (const [label, x] of [['random', random], ['tied', tied]] as const) {
        const heap = await on('wasm', poolGradient(c, x, w, true));
        const reference = await on('cpu', poolGradient(c, x, w, false));
        // Only the summation order of overlapping windows may differ.
        expect(maxAbsDiff(heap, reference), `${label} ${JSON.stringify(c)}`).toBeLessThan(1e-5);
      }
    }
    await useNodeBackend('wasm');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('phase interleave kernel equals the op-level interleave (odd/even sizes, cropped and zero-padded phases)', async () => {
    await useNodeBackend('wasm');
    const before = tf.memory().numTensors;
    // [h, w, phase rows (p = 0, 1), phase cols (q = 0, 1), channels]
    const cases: [number, number, [number, number], [number, number], number][] = [
      [224, 224, [112, 112], [112, 112], 3],
      [25, 25, [13, 12], [13, 12], 7],
      [25, 26, [13, 13], [14, 13], 2], // longer than needed: cropped
      [9, 8, [4, 3], [4, 4], 5], // shorter than needed: zeros
    ];
    for (const [h, w, rows, cols, c] of cases) {
      const phases = rows.map((r, p) => cols.map((co, q) => tf.randomNormal([1, r, co, c], 0, 1, 'float32', 10 * p + q) as tf.Tensor4D));
      const heap = interleave2x2(phases, h, w, true);
      const ops = interleave2x2(phases, h, w, false);
      expect(heap.shape).toEqual([1, h, w, c]);
      expect(maxAbsDiff(heap.dataSync() as Float32Array, ops.dataSync() as Float32Array), `${h}×${w}`).toBe(0);
      tf.dispose([heap, ops, ...phases.flat()]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("channel concat's one-pass split gradient equals tfjs's", async () => {
    await useNodeBackend('wasm');
    const before = tf.memory().numTensors;
    const parts = [64, 32, 96, 3].map((c, i) => tf.randomNormal([2, 5, 6, c], 0, 1, 'float32', i) as tf.Tensor4D);
    const w = tf.randomNormal([2, 5, 6, 195], 0, 1, 'float32', 9);
    const objective = (concat: (xs: tf.Tensor4D[]) => tf.Tensor4D) => (...xs: tf.Tensor[]) => concat(xs as tf.Tensor4D[]).mul(w).sum() as tf.Scalar;
    const heap = tf.grads(objective(wasmConcatChannels))(parts);
    const stock = tf.grads(objective((xs) => tf.concat(xs, 3)))(parts);
    heap.forEach((g, i) => expect(maxAbsDiff(g.dataSync() as Float32Array, stock[i]!.dataSync() as Float32Array)).toBe(0));
    const value = wasmConcatChannels(parts);
    const stockValue = tf.concat(parts, 3);
    expect(maxAbsDiff(value.dataSync() as Float32Array, stockValue.dataSync() as Float32Array)).toBe(0);
    tf.dispose([...parts, w, ...heap, ...stock, value, stockValue]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
