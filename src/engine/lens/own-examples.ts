import * as tf from '@tensorflow/tfjs';
import type { ModelRunner } from '../model/runner';
import { modelToBytes } from '../image/convert';
import { pointOf, type LayerReadout } from './activations';
import type { Rect, RgbPixels } from './types';

/** One kept crop: where in which frame the channel fired, how strongly, and the picture there. */
export interface OwnExample {
  /** The channel's largest activation in the frame. */
  value: number;
  /** Caller's label for the frame (an index, a timestamp). */
  frame: number;
  /** The crop's rectangle in the frame. */
  rect: Rect;
  pixels: RgbPixels;
}

export interface OwnExamplesOptions {
  /** How many crops to keep. */
  keep?: number;
  /** Crop side in picture pixels; default four of the layer's strides (its cells are about that far apart). */
  crop?: number;
}

/**
 * "Your own examples": for one channel of one layer, the crops of the frames fed to it that excited it most, best
 * first. Each frame offers its single strongest position (the crop centred on that position's window), so the kept
 * crops come from different frames. Memory only: at most `keep` small pixel buffers, no tensors.
 */
export class OwnExamples {
  readonly keep: number;
  private readonly kept: OwnExample[] = [];

  constructor(
    readonly layer: string,
    readonly channel: number,
    private readonly options: OwnExamplesOptions = {},
  ) {
    this.keep = options.keep ?? 8;
    if (!Number.isInteger(this.keep) || this.keep < 1) throw new RangeError(`keep must be a positive integer, got ${this.keep}`);
  }

  /** Best first. */
  get examples(): readonly OwnExample[] {
    return this.kept;
  }

  /** The value a frame must beat to be kept (−∞ while there is room). */
  get threshold(): number {
    return this.kept.length < this.keep ? -Infinity : this.kept.at(-1)!.value;
  }

  /**
   * Runs the network on a frame ([1,H,W,3] in [-1, 1]) and keeps its crop if it ranks. Resolves to whether it was
   * kept. Only the layer is computed and only the crop is read back.
   */
  async offer(runner: ModelRunner, x: tf.Tensor4D, frame: number): Promise<boolean> {
    const [, h, w] = x.shape;
    const a = tf.tidy(() => {
      const act = runner.run(x, [this.layer])[this.layer]!;
      return act.slice([0, 0, 0, this.channel], [1, -1, -1, 1]).reshape([-1]);
    });
    const values = (await a.data()) as Float32Array;
    a.dispose();
    const grid = runner.grids(h, w, [this.layer]).named[this.layer]!;
    let best = 0;
    for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
    const value = values[best]!;
    if (!(value > this.threshold)) return false;
    const centre = pointOf({ grid } as LayerReadout, Math.floor(best / grid.width), best % grid.width);
    const rect = this.cropAround(centre, h, w, grid.stride[0]);
    const bytes = tf.tidy(() => modelToBytes(x.slice([0, rect.y, rect.x, 0], [1, rect.height, rect.width, 3]) as tf.Tensor4D));
    const data = Uint8Array.from((await bytes.data()) as Int32Array);
    bytes.dispose();
    return this.add({ value, frame, rect, pixels: { width: rect.width, height: rect.height, data } });
  }

  /** Keeps an example if it ranks (the pure half of offer, for callers that already have the crop). */
  add(example: OwnExample): boolean {
    if (!(example.value > this.threshold)) return false;
    // A still picture offers the same crop every frame: it is one example, kept once.
    if (this.kept.some((k) => sameRect(k.rect, example.rect) && Math.abs(k.value - example.value) <= 1e-4 * Math.abs(k.value))) return false;
    let i = this.kept.length;
    while (i > 0 && this.kept[i - 1]!.value < example.value) i--;
    this.kept.splice(i, 0, example);
    if (this.kept.length > this.keep) this.kept.pop();
    return true;
  }

  clear(): void {
    this.kept.length = 0;
  }

  private cropAround(centre: { x: number; y: number }, h: number, w: number, stride: number): Rect {
    const side = Math.min(h, w, Math.max(8, Math.round(this.options.crop ?? 4 * stride)));
    const clamp = (v: number, n: number) => Math.min(n - side, Math.max(0, Math.round(v - side / 2)));
    return { x: clamp(centre.x, w), y: clamp(centre.y, h), width: side, height: side };
  }
}

const sameRect = (a: Rect, b: Rect) => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
