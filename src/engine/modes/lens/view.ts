import type * as tf from '@tensorflow/tfjs';
import type { RgbPixels } from '../../lens/types';
import type { Settings } from '../../params/settings';
import type { InfoTile, Inspection, Picked, PickHow } from '../mode';

/**
 * One of the lens's views: what it shows of the picture each frame, and what a click or the panel beside the
 * picture shows. A view is made for the lens settings it reads (mode.ts VIEW_FIELDS); others leave it running.
 */
export interface LensView {
  /**
   * The picture for this frame ([1, h, w, 3] in [-1, 1]) and a loss, both new tensors: over the picture at its
   * size, or a sheet (tiles, a grown picture) at `sheet` [h, w], the picture's aspect at a size that shows tiles.
   */
  frame(picture: tf.Tensor4D, steps: number, sheet: [number, number]): { image: tf.Tensor4D; loss: tf.Tensor1D | null };
  /** A click at (u, v) on the shown picture, with the look as it is (what a click changes is built on it). */
  pick?(picture: tf.Tensor4D, u: number, v: number, settings: Settings, how?: PickHow): Promise<Picked | null>;
  inspect?(picture: tf.Tensor4D): Promise<Inspection | null>;
  dispose(): void;
}

/** RGB pixels as an InfoTile (RGBA) the page draws. */
export function infoTile(key: number, label: string, value: number, p: RgbPixels): InfoTile {
  const rgba = new Uint8ClampedArray(new ArrayBuffer(p.width * p.height * 4));
  for (let i = 0, j = 0; i < p.data.length; i += 3, j += 4) {
    rgba[j] = p.data[i]!;
    rgba[j + 1] = p.data[i + 1]!;
    rgba[j + 2] = p.data[i + 2]!;
    rgba[j + 3] = 255;
  }
  return { key, label, value, width: p.width, height: p.height, rgba };
}
