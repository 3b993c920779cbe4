import * as tf from '@tensorflow/tfjs';
import { gram } from './mat-mul';

/** Content loss: mean squared difference of activations. */
export function contentLoss(a: tf.Tensor4D, target: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => tf.squaredDifference(a, target).mean() as tf.Scalar);
}

/** Style loss of one layer: mean squared difference of Gram matrices. */
export function styleLayerLoss(a: tf.Tensor4D, targetGram: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.squaredDifference(gram(a), targetGram).mean() as tf.Scalar);
}

type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/**
 * Total variation: mean squared difference between vertical neighbours plus the same for horizontal ones; smooths
 * the high-frequency noise. The differences are two tiny convolutions with ±1 kernels, and the gradient is their
 * transposes (full correlations with the kernels negated), written out. Why: the obvious form with shifted slices
 * costs ~25 ms per iteration at 224 px on wasm (its Slice and, in the gradient, PadV2 on the image are slow paths);
 * the convolutions run on XNNPACK. The kernels belong to the instance, so no step uploads any.
 */
export class TotalVariation {
  private readonly down: tf.Tensor4D;
  private readonly right: tf.Tensor4D;
  private readonly downBack: tf.Tensor4D;
  private readonly rightBack: tf.Tensor4D;

  constructor(channels = 3) {
    [this.down, this.right, this.downBack, this.rightBack] = tf.tidy(() => {
      const eye = tf.eye(channels);
      const pair = tf.stack([eye.neg(), eye]); // [2, c, c]: −x[k] + x[k+1], channel by channel
      const down = pair.reshape([2, 1, channels, channels]) as tf.Tensor4D;
      const right = pair.reshape([1, 2, channels, channels]) as tf.Tensor4D;
      // A valid correlation's input gradient is the full correlation with the kernel rotated 180° (here: negated).
      return [down, right, down.neg() as tf.Tensor4D, right.neg() as tf.Tensor4D];
    });
  }

  loss(x: tf.Tensor4D): tf.Scalar {
    const f = tf.customGrad(((xIn: tf.Tensor, save: tf.GradSaveFunc) => {
      const v = tf.conv2d(xIn as tf.Tensor4D, this.down, 1, 'valid');
      const h = tf.conv2d(xIn as tf.Tensor4D, this.right, 1, 'valid');
      save([v, h]);
      return {
        value: tf.tidy(() => v.square().mean().add(h.square().mean())),
        gradFunc: (dy: tf.Tensor, [sv, sh]: tf.Tensor[]) => tf.tidy(() => {
          const vertical: ExplicitPadding = [[0, 0], [1, 1], [0, 0], [0, 0]];
          const horizontal: ExplicitPadding = [[0, 0], [0, 0], [1, 1], [0, 0]];
          const gv = tf.conv2d(sv!.mul(tf.mul(dy, 2 / sv!.size)) as tf.Tensor4D, this.downBack, 1, vertical);
          const gh = tf.conv2d(sh!.mul(tf.mul(dy, 2 / sh!.size)) as tf.Tensor4D, this.rightBack, 1, horizontal);
          return gv.add(gh);
        }),
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    return f(x) as tf.Scalar;
  }

  dispose(): void {
    tf.dispose([this.down, this.right, this.downBack, this.rightBack]);
  }
}
