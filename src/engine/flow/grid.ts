import * as tf from '@tensorflow/tfjs';

/**
 * Constant fields of an H×W frame, made once per size and kept by whoever tracks the frames, so nothing is uploaded
 * per frame: the pixel coordinates as broadcastable columns (`xs` [1,1,W,1] = 0…W−1, `ys` [1,H,1,1] = 0…H−1), as
 * one field `xy` [1,H,W,2] (x then y), its far corner `far`, and a zero flow `zero` [1,H,W,2]. Kept out of any tf.tidy it is made in:
 * its owner disposes it.
 */
export class PixelGrid {
  readonly xs: tf.Tensor4D;
  readonly ys: tf.Tensor4D;
  readonly xy: tf.Tensor4D;
  readonly zero: tf.Tensor4D;
  /** The far corner (W−1, H−1), [2]. */
  readonly far: tf.Tensor1D;

  constructor(
    readonly height: number,
    readonly width: number,
  ) {
    if (height < 2 || width < 2) throw new Error(`a pixel grid needs at least 2×2 pixels (got ${height}×${width})`);
    const [xs, ys, xy, zero] = tf.tidy(() => {
      const x = tf.range(0, width, 1, 'float32').reshape([1, 1, width, 1]) as tf.Tensor4D;
      const y = tf.range(0, height, 1, 'float32').reshape([1, height, 1, 1]) as tf.Tensor4D;
      const both = tf.concat([x.tile([1, height, 1, 1]), y.tile([1, 1, width, 1])], 3) as tf.Tensor4D;
      return [x, y, both, tf.zeros([1, height, width, 2]) as tf.Tensor4D];
    });
    this.xs = tf.keep(xs);
    this.ys = tf.keep(ys);
    this.xy = tf.keep(xy);
    this.zero = tf.keep(zero);
    this.far = tf.keep(tf.tensor1d([width - 1, height - 1]));
  }

  /** Whether this grid is for frames of `x`'s size. */
  fits(x: tf.Tensor4D): boolean {
    return x.shape[1] === this.height && x.shape[2] === this.width;
  }

  dispose(): void {
    tf.dispose([this.xs, this.ys, this.xy, this.zero, this.far]);
  }
}

/** A grid for each size asked for, kept until disposed (a tracker holds one per pyramid level). */
export class GridCache {
  private readonly grids = new Map<string, PixelGrid>();

  get(height: number, width: number): PixelGrid {
    const key = `${height}x${width}`;
    let g = this.grids.get(key);
    if (!g) {
      g = new PixelGrid(height, width);
      this.grids.set(key, g);
    }
    return g;
  }

  /** The grid for `x`'s size. */
  for(x: tf.Tensor4D): PixelGrid {
    return this.get(x.shape[1], x.shape[2]);
  }

  dispose(): void {
    for (const g of this.grids.values()) g.dispose();
    this.grids.clear();
  }
}
