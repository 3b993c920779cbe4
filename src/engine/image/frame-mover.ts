import * as tf from '@tensorflow/tfjs';
import { moveFrame, type Motion } from './geometry';
import { FRAME_MOVE_SEPARABLE, FRAME_MOVE_TAPS, registerFrameMove } from './kernels/move-kernel';

/**
 * The stream's feedback transform with a Catmull-Rom (bicubic, a = −0.5) filter instead of bilinear. A stream
 * resamples every frame, so the filter's loss compounds: bilinear at a random sub-pixel phase halves the finest
 * band's energy within a handful of frames, and after a few hundred the picture is blobs whatever the dream adds.
 * Catmull-Rom passes that band almost whole.
 *
 * The taps depend only on the frame's size and the motion, which stay fixed while a stream runs, so they are made
 * once and kept (owned here: dispose() frees them). Without rotation the filter is separable: two 4-tap gathers
 * along the axes, small index tensors at any size. With rotation it is a 16-tap gather per pixel, up to
 * MAX_2D_PIXELS; beyond that the rotation stays bilinear.
 */
export class FrameMover {
  private taps: { key: string; tensors: tf.Tensor[] } | null = null;

  move(x: tf.Tensor4D, m: Motion): tf.Tensor4D {
    if (still(m)) return x.clone();
    const [, h, w] = x.shape;
    if (m.rotate !== 0 && h * w > MAX_2D_PIXELS) return moveFrame(x, m);
    const t = this.tapsFor(h, w, m);
    // One kernel (kernels/move-kernel.ts): the taps' weighted sum and the clip (Catmull-Rom overshoots by a few
    // percent at hard edges; the stream's pixels stay in range).
    registerFrameMove();
    const inputs: tf.NamedTensorMap =
      m.rotate === 0 ? { x, colIndex: t[0]!, colWeight: t[1]!, rowIndex: t[2]!, rowWeight: t[3]! } : { x, index: t[0]!, weight: t[1]! };
    return tf.engine().runKernel(m.rotate === 0 ? FRAME_MOVE_SEPARABLE : FRAME_MOVE_TAPS, inputs) as tf.Tensor4D;
  }

  /**
   * For a recording of the move elsewhere (plan/stream-tail.ts): the taps of this size and motion, kept here as
   * move() keeps them (separable: column index and weight [W,4], row index and weight [H,4]; square, when the frame
   * turns: index and weight [H·W,16]); null when the frame does not move; undefined when move() resamples it
   * bilinearly (a turned frame over MAX_2D_PIXELS).
   */
  tapsOf(h: number, w: number, m: Motion): { kind: 'separable' | 'square'; tensors: tf.Tensor[] } | null | undefined {
    if (still(m)) return null;
    if (m.rotate !== 0 && h * w > MAX_2D_PIXELS) return undefined;
    return { kind: m.rotate === 0 ? 'separable' : 'square', tensors: this.tapsFor(h, w, m) };
  }

  private tapsFor(h: number, w: number, m: Motion): tf.Tensor[] {
    const key = `${h}x${w}:${m.zoom}:${m.rotate}:${m.dx}:${m.dy}`;
    if (this.taps?.key !== key) {
      this.free();
      // Kept: the caller may be inside a tidy (the stream's advance), which must not free them.
      this.taps = { key, tensors: (m.rotate === 0 ? separableTaps(h, w, m) : squareTaps(h, w, m)).map((t) => tf.keep(t)) };
    }
    return this.taps.tensors;
  }

  private free(): void {
    if (this.taps) tf.dispose(this.taps.tensors);
    this.taps = null;
  }

  dispose(): void {
    this.free();
  }
}

const still = (m: Motion) => m.zoom === 1 && m.rotate === 0 && m.dx === 0 && m.dy === 0;

/** The 16-tap gather of a rotated frame holds 16 indices and weights per pixel: 128 MiB at 1024². */
export const MAX_2D_PIXELS = 1024 * 1024;

/** Catmull-Rom weights of the taps at floor(s) − 1 … floor(s) + 2 for fractional part t. */
export function cubicWeights(t: number): [number, number, number, number] {
  const t2 = t * t;
  const t3 = t2 * t;
  return [(-t3 + 2 * t2 - t) / 2, (3 * t3 - 5 * t2 + 2) / 2, (-3 * t3 + 4 * t2 + t) / 2, (t3 - t2) / 2];
}

/** Index k folded into [0, n) by mirroring with the edge repeated (d c b a | a b c d | d c b a), as 'reflect' fill does. */
export function reflectIndex(k: number, n: number): number {
  const period = 2 * n;
  const m = ((k % period) + period) % period;
  return m < n ? m : period - 1 - m;
}

/**
 * The inverse motion: output pixel (x, y) samples the input at (ax·x + bx·y + cx, ay·x + by·y + cy), the same matrix
 * geometry.ts's bilinear moveFrame gives tf.image.transform.
 */
function inverse(h: number, w: number, m: Motion) {
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const th = (m.rotate * Math.PI) / 180;
  const c = Math.cos(th) / m.zoom;
  const s = Math.sin(th) / m.zoom;
  return { ax: c, bx: s, cx: cx - m.dx - (c * cx + s * cy), ay: -s, by: c, cy: cy - m.dy - (-s * cx + c * cy) };
}

/** One axis: for each output position, 4 source indices and their weights. */
function axisTaps(n: number, scale: number, offset: number): { index: Float32Array; weight: Float32Array } {
  const index = new Float32Array(n * 4);
  const weight = new Float32Array(n * 4);
  for (let o = 0; o < n; o++) {
    const s = scale * o + offset;
    const f = Math.floor(s);
    const wts = cubicWeights(s - f);
    for (let k = 0; k < 4; k++) {
      index[o * 4 + k] = reflectIndex(f - 1 + k, n);
      weight[o * 4 + k] = wts[k]!;
    }
  }
  return { index, weight };
}

/** The separable taps (no rotation): column index and weight [W,4], row index and weight [H,4]. */
export function separableTaps(h: number, w: number, m: Motion): tf.Tensor[] {
  const inv = inverse(h, w, m);
  const cols = axisTaps(w, inv.ax, inv.cx);
  const rows = axisTaps(h, inv.by, inv.cy);
  return [tf.tensor2d(cols.index, [w, 4]), tf.tensor2d(cols.weight, [w, 4]), tf.tensor2d(rows.index, [h, 4]), tf.tensor2d(rows.weight, [h, 4])];
}

/** The taps of any motion: flat source pixel and weight of each of 16 taps per pixel, [H·W,16] each. */
export function squareTaps(h: number, w: number, m: Motion): tf.Tensor[] {
  const inv = inverse(h, w, m);
  const index = new Float32Array(h * w * 16);
  const weight = new Float32Array(h * w * 16);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = inv.ax * x + inv.bx * y + inv.cx;
      const sy = inv.ay * x + inv.by * y + inv.cy;
      const fx = Math.floor(sx);
      const fy = Math.floor(sy);
      const wx = cubicWeights(sx - fx);
      const wy = cubicWeights(sy - fy);
      const base = (y * w + x) * 16;
      for (let j = 0; j < 4; j++) {
        const row = reflectIndex(fy - 1 + j, h) * w;
        for (let i = 0; i < 4; i++) {
          index[base + j * 4 + i] = row + reflectIndex(fx - 1 + i, w);
          weight[base + j * 4 + i] = wy[j]! * wx[i]!;
        }
      }
    }
  }
  return [tf.tensor2d(index, [h * w, 16]), tf.tensor2d(weight, [h * w, 16])];
}

