import * as tf from '@tensorflow/tfjs';
import { firstConvFilters, FIRST_CONV, normaliseFilters } from '../../lens/filters';
import type { ModelRunner } from '../../model/runner';
import type { Inspection, Picked } from '../mode';
import { cellAt, tileSheet, type Cell } from './paint';
import type { LensView } from './view';

/** Each 3×3 filter drawn this large: its nine weights read as nine squares. */
const SIDE = 27;

/**
 * The learned weights of the first convolution: its 32 filters over RGB, each normalised on its own (mid-grey is 0,
 * the largest weight of either sign reaches black or full colour), eight to a row. Deeper filters mean little to
 * the eye; their channels are shown by feature visualisation (the features view, the atlas).
 */
export class FiltersView implements LensView {
  private readonly tiles: tf.Tensor4D;
  private cells: Cell[] = [];

  constructor(runner: ModelRunner) {
    this.tiles = tf.tidy(() => {
      const patches = normaliseFilters(firstConvFilters(runner));
      return tf.image.resizeNearestNeighbor(patches, [SIDE, SIDE]).mul(2).sub(1) as tf.Tensor4D;
    });
  }

  frame(_picture: tf.Tensor4D, _steps: number, sheet: [number, number]): { image: tf.Tensor4D; loss: null } {
    const { image, cells } = tileSheet(this.tiles, 8, sheet, 3);
    this.cells = cells;
    return { image, loss: null };
  }

  async pick(_picture: tf.Tensor4D, u: number, v: number): Promise<Picked | null> {
    const cell = cellAt(this.cells, u, v);
    if (!cell) return null;
    return { info: { title: `${FIRST_CONV}: filter #${cell.index} (3×3 over RGB)`, rows: [] } };
  }

  async inspect(): Promise<Inspection> {
    return { title: `${FIRST_CONV}: the 32 learned 3×3 filters over RGB, each normalised (grey is 0)`, tiles: [] };
  }

  dispose(): void {
    this.tiles.dispose();
  }
}
