import * as tf from '@tensorflow/tfjs';
import { cover } from '../image/geometry';
import type { ModelRunner } from '../model/runner';
import { guideFeatures, type GuideFeatures } from './dream';

/**
 * A guide image's features at the dream's layers, owned here: whoever holds a Guide frees its features with one
 * dispose() instead of walking the record. Sessions borrow `features`.
 */
export class Guide {
  readonly features: GuideFeatures;
  private disposed = false;

  /** `side`: fit the image to side×side first (bounds the cost of a large guide); else it is used as it is. */
  constructor(runner: ModelRunner, image: tf.Tensor4D, layers: readonly string[], side?: number) {
    this.features = tf.tidy(() => guideFeatures(runner.run(side ? cover(image, side, side) : image, layers)));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of Object.values(this.features)) t.dispose();
  }
}
