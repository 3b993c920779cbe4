import * as tf from '@tensorflow/tfjs';
import { customGradient } from './custom-gradient';

/**
 * 3×3 (any k×k) stride-1 'same' average pooling with an exact gradient.
 *
 * tfjs's AvgPoolGrad divides by k·k everywhere, while the forward pass divides each output by the number of taps
 * that fall inside the image, so the stock gradient is wrong on the border. The exact gradient is
 * count · avgPool(dy / count), which is also cheaper than the wasm AvgPoolGrad kernel.
 */
export class SamePoolCounts {
  private readonly cache = new Map<string, tf.Tensor4D>();
  private static readonly MAX_ENTRIES = 16;

  constructor(private readonly size: [number, number]) {
    // The count identity needs a symmetric window, which 'same' padding gives only for odd sizes.
    if (size[0] % 2 === 0 || size[1] % 2 === 0) throw new Error(`same average pooling: even window ${size.join('×')} unsupported`);
  }

  /** Number of in-image taps per position, [1,H,W,1]; kept across steps, bounded so a resizing stream cannot grow it. */
  counts(h: number, w: number): tf.Tensor4D {
    const key = `${h}x${w}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const taps = (n: number, k: number): Float32Array => {
      const r = Math.floor((k - 1) / 2);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.min(n - 1, i + (k - 1 - r)) - Math.max(0, i - r) + 1;
      return out;
    };
    const rows = taps(h, this.size[0]);
    const cols = taps(w, this.size[1]);
    const data = new Float32Array(h * w);
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) data[i * w + j] = rows[i]! * cols[j]!;
    const t = tf.keep(tf.tensor4d(data, [1, h, w, 1]));
    this.cache.set(key, t);
    if (this.cache.size > SamePoolCounts.MAX_ENTRIES) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.get(oldest)?.dispose();
      this.cache.delete(oldest);
    }
    return t;
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const f = customGradient<[tf.Tensor4D], tf.Tensor4D>(([input]) => {
      const value = tf.avgPool(input, this.size, 1, 'same');
      return {
        value,
        gradFunc: (dy) => {
          const [, h, w] = input.shape;
          const n = this.counts(h, w);
          return tf.mul(tf.avgPool(tf.div(dy, n) as tf.Tensor4D, this.size, 1, 'same'), n);
        },
      };
    });
    return f(x);
  }

  dispose(): void {
    for (const t of this.cache.values()) t.dispose();
    this.cache.clear();
  }
}
