import * as tf from '@tensorflow/tfjs';
import { composite, type Mask } from '../mask/mask';
import type { ModelRunner } from '../model/runner';
import type { StyleParams } from '../params/style';
import type { Tiler } from '../tiles/tiler';
import type { Session } from './session';
import { StyleSession } from './style-session';
import type { Painting } from './style-stage';

/** What style transfer in regions is made from. */
export interface StyleRegionsOptions {
  /** The content photo at the working size (borrowed). */
  photo: tf.Tensor4D;
  /** The paintings inside the mask (everywhere without one), and outside it (null: the photo stays there). */
  inside: readonly Painting[];
  outside?: readonly Painting[] | null;
  params: StyleParams;
  /** Where the style applies (the caller's); none: everywhere. */
  mask?: Mask | null;
  /** Where the iterations start (borrowed); none: the params' init. */
  start?: tf.Tensor4D;
  /** Tiles for a view larger than a tile (the caller owns it). */
  tiler?: Tiler;
  /** Whether setMask() may give a mask later (the live loop). */
  maskLater?: boolean;
}

/**
 * Style transfer where a mask is painted: the paintings apply inside it, and outside the photo stays as it is,
 * or (`outside` paintings given) a second style transfer of the whole photo in those paintings shows. The two
 * are composited through the mask after every step, so a soft brush gives a soft edge, and each region is a
 * complete style transfer of the same photo (they meet without a seam). Without a mask it is the one session.
 */
export class StyleRegions implements Session {
  private readonly inside: StyleSession;
  private readonly outside: StyleSession | null;
  /**
   * The photo at the working size, the picture outside a mask with nothing outside it; kept only when there is a
   * mask or one may come (a large still without a mask holds one picture-sized tensor less).
   */
  private readonly photo: tf.Tensor4D | null;
  /** With a mask: the composited picture, kept up to date after every step. */
  private picture: tf.Tensor4D | null = null;

  private mask: Mask | null;

  constructor(runner: ModelRunner, { photo, inside, outside = null, params, mask = null, start, tiler, maskLater = false }: StyleRegionsOptions) {
    this.mask = mask;
    this.photo = mask || maskLater ? photo.clone() : null;
    this.inside = new StyleSession(runner, photo, inside, params, { start, tiler });
    this.outside = outside ? new StyleSession(runner, photo, outside, params, { start, tiler }) : null;
    this.recomposite();
  }

  get lossNames(): readonly string[] {
    return this.inside.lossNames;
  }

  get iteration(): number {
    return this.inside.iteration;
  }

  get image(): tf.Tensor4D {
    return this.picture ?? this.inside.image;
  }

  /** Whether a second style transfer paints the outside. */
  get twoRegions(): boolean {
    return this.outside !== null;
  }

  /** How many tiles the network's view takes now (the inside's; the outside's is the same). */
  get tileCount(): number {
    return this.inside.tileCount;
  }

  get stageSize(): [number, number] {
    return this.inside.stageSize;
  }

  /** A new mask for the same regions (borrowed), or none. */
  setMask(mask: Mask | null): void {
    if (mask && !this.photo) throw new Error('this style transfer was built without a mask and cannot take one');
    this.mask = mask;
    this.recomposite();
  }

  setWeights(p: StyleParams): void {
    this.inside.setWeights(p);
    this.outside?.setWeights(p);
  }

  /** One step of each region; the losses are the sum of both. */
  step(): tf.Tensor1D {
    const losses = this.inside.step();
    if (!this.outside) {
      this.recomposite();
      return losses;
    }
    const other = this.outside.step();
    this.recomposite();
    const sum = tf.add(losses, other) as tf.Tensor1D;
    tf.dispose([losses, other]);
    return sum;
  }

  display(): tf.Tensor4D {
    const inside = this.inside.display();
    if (!this.mask) return inside;
    const other = this.outside?.display() ?? null;
    try {
      return composite(inside, other ?? this.photo!, this.mask);
    } finally {
      inside.dispose();
      other?.dispose();
    }
  }

  private recomposite(): void {
    this.picture?.dispose();
    this.picture = this.mask ? composite(this.inside.image, this.outside?.image ?? this.photo!, this.mask) : null;
  }

  dispose(): void {
    this.inside.dispose();
    this.outside?.dispose();
    this.photo?.dispose();
    this.picture?.dispose();
  }
}
