import * as tf from '@tensorflow/tfjs';
import { cover } from '../image/geometry';


/**
 * Where, and how strongly, the look applies: one value in [0, 1] per pixel, kept at its own size and fitted to
 * each picture it meets the way the content is (centre crop to the aspect, then resampled), so one mask serves
 * every octave, working size and tile of a render. Owns its tensors.
 */
export class Mask {
  private readonly values: tf.Tensor4D;
  /** The mask at the last size asked for (octaves and the live loop ask for the same size again and again). */
  private fitted: { h: number; w: number; mask: tf.Tensor4D } | null = null;

  readonly width: number;
  readonly height: number;

  /**
   * `values`: `width`×`height` values, row by row, 8-bit (0–255) or already in [0, 1]; or a [1, h, w, 1] tensor in
   * [0, 1], which the mask takes.
   */
  constructor(values: Uint8Array | Uint8ClampedArray | Float32Array | tf.Tensor4D, width = 0, height = 0) {
    if (values instanceof tf.Tensor) {
      [, this.height, this.width] = values.shape;
      this.values = values;
      return;
    }
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new Error(`a mask needs a positive size (got ${width}×${height})`);
    if (values.length !== width * height) throw new Error(`a ${width}×${height} mask needs ${width * height} values (got ${values.length})`);
    [this.width, this.height] = [width, height];
    const scale = values instanceof Float32Array ? 1 : 1 / 255;
    this.values = tf.tensor4d(Float32Array.from(values, (v) => Math.min(1, Math.max(0, v * scale))), [1, height, width, 1]);
  }

  /** A mask of its own with the same values: a job that outlives a change of the live mask holds one. */
  copy(): Mask {
    return new Mask(this.values.clone());
  }

  /** The mask at [h, w] as [1, h, w, 1]; owned by the mask (do not dispose), valid until the next size is asked. */
  at(h: number, w: number): tf.Tensor4D {
    const f = this.fitted;
    if (f && f.h === h && f.w === w) return f.mask;
    f?.mask.dispose();
    const mask = tf.tidy(() => cover(this.values, h, w).clipByValue(0, 1) as tf.Tensor4D);
    this.fitted = { h, w, mask };
    return mask;
  }

  dispose(): void {
    this.values.dispose();
    this.fitted?.mask.dispose();
    this.fitted = null;
  }
}

/**
 * inside where the mask is 1, outside where it is 0, blended in between: outside + m·(inside − outside). The
 * pictures are [1, H, W, C] of one size; the result is a new tensor.
 */
export function composite(inside: tf.Tensor4D, outside: tf.Tensor4D, mask: Mask): tf.Tensor4D {
  const [, h, w] = inside.shape;
  const m = mask.at(h, w);
  return tf.tidy(() => outside.add(inside.sub(outside).mul(m)) as tf.Tensor4D);
}
