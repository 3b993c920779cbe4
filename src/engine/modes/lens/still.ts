import * as tf from '@tensorflow/tfjs';
import { cover } from '../../image/geometry';
import type { Session } from '../../sessions/session';
import type { Still, StillOptions } from '../spec';
import { makeView } from './mode';
import type { LensView } from './view';

/** The lens's view of a picture as a session: each step is one frame of the view (a feature visualisation grows). */
class LensStill implements Session {
  readonly lossNames = ['loss'];
  iteration = 0;
  private shown: tf.Tensor4D;

  constructor(
    private readonly view: LensView,
    private readonly picture: tf.Tensor4D,
  ) {
    this.shown = picture.clone();
  }

  get image(): tf.Tensor4D {
    return this.shown;
  }

  step(): tf.Tensor1D {
    const [, h, w] = this.picture.shape;
    const { image, loss } = this.view.frame(this.picture, 1, [h, w]);
    this.shown.dispose();
    this.shown = image;
    this.iteration++;
    return loss ?? tf.zeros([1]);
  }

  display(): tf.Tensor4D {
    return this.shown.clone();
  }

  dispose(): void {
    this.view.dispose();
    this.picture.dispose();
    this.shown.dispose();
  }
}

/** A still of the lens's view at the still's size: of the frame on screen's picture, else the source picture. */
export function lensStill({ ctx, settings, size: [h, w], start, steps }: StillOptions): Still {
  const picture = cover(start ?? ctx.content, h, w);
  return { session: new LensStill(makeView(ctx.runner, settings, picture, ctx.cache), picture), steps, tiles: () => 1, area: () => h * w };
}
