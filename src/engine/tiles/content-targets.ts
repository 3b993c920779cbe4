import * as tf from '@tensorflow/tfjs';
import type { ModelRunner } from '../model/runner';
import type { TileShares } from './weights';

/**
 * The content's activations at one layer, tile by tile: what each tile of the picture being optimised is compared
 * with. The tiles sit at the same places of the same-sized view, so tile (r, c) of the content lines up with tile
 * (r, c) of the picture. Computed once (forward passes only) and held until dispose().
 */
export class ContentTiles {
  private readonly targets: tf.Tensor4D[][];

  constructor(runner: ModelRunner, view: tf.Tensor4D, readonly shares: TileShares, layer: string) {
    const { rows, cols } = shares.plan;
    this.targets = rows.tiles.map((ry) =>
      cols.tiles.map((cx) =>
        tf.tidy(() => {
          const tile = tf.slice(view, [0, ry.start, cx.start, 0], [-1, ry.end - ry.start, cx.end - cx.start, -1]) as tf.Tensor4D;
          return runner.run(tile, [layer])[layer]!;
        }),
      ),
    );
  }

  tile(r: number, c: number): tf.Tensor4D {
    return this.targets[r]![c]!;
  }

  dispose(): void {
    for (const row of this.targets) tf.dispose(row);
  }
}
