import * as tf from '@tensorflow/tfjs';
import { FastConv } from '../model/gradients/conv2d-input';
import { halfMeanSquare } from './dream';
import { customGradient } from '../model/gradients/custom-gradient';
import { gramProduct } from './mat-mul';

/**
 * Content loss: mean squared difference of activations, D = a − target. Its gradient, 2·D/N, is written out: tfjs's
 * mean and squaredDifference gradients take six kernels (a ones tensor among them) where this takes two.
 */
export function contentLoss(a: tf.Tensor4D, target: tf.Tensor4D): tf.Scalar {
  const f = customGradient<[tf.Tensor4D], tf.Scalar, [tf.Tensor4D]>(([x], save) => {
    const d = tf.sub(x, target) as tf.Tensor4D;
    save([d]);
    return {
      value: tf.tidy(() => d.square().mean() as tf.Scalar),
      gradFunc: (dy, [saved]) => tf.mul(saved, tf.mul(dy, 2 / saved.size)),
    };
  });
  return f(a);
}

/**
 * Style loss of one layer: mean squared difference of Gram matrices, D = FᵀF/N − T over C² entries. Its gradient is
 * written out, 4/(N·C²)·F·D (D is symmetric): one untransposed product and a scale, where tfjs's gradients of mean,
 * squaredDifference and the Gram matrix take fourteen kernels, a transpose and a ones tensor among them. On a GPU a
 * style iteration is bound by dispatching, and it has one of these per style layer.
 */
export function styleLayerLoss(a: tf.Tensor4D, targetGram: tf.Tensor2D): tf.Scalar {
  const [, h, w, c] = a.shape;
  const n = h * w;
  const f = customGradient<[tf.Tensor4D], tf.Scalar, [tf.Tensor4D, tf.Tensor2D]>(([x], save) => {
    const d = tf.tidy(() => gramProduct(x.reshape([n, c]) as tf.Tensor2D).div(n).sub(targetGram) as tf.Tensor2D);
    save([x, d]);
    return {
      value: tf.tidy(() => d.square().mean() as tf.Scalar),
      gradFunc: (dy, [features, saved]) =>
        tf.tidy(() => tf.matMul(features.reshape([n, c]) as tf.Tensor2D, saved).mul(tf.mul(dy, 4 / (n * c * c))).reshape(features.shape)),
    };
  });
  return f(a);
}

/**
 * Total variation: mean squared difference between vertical neighbours plus the same for horizontal ones; smooths
 * the high-frequency noise. The differences are two tiny convolutions with ±1 kernels (FastConv, so their gradient is
 * the rotated-kernel convolution), and each mean square is halfMeanSquare (gradient written out). Why not shifted
 * slices: on wasm their Slice and, in the gradient, PadV2 on the image are slow paths (~25 ms per iteration at
 * 224 px); the convolutions run on XNNPACK. The kernels belong to the instance, so no step uploads any.
 */
export class TotalVariation {
  private readonly kernels: tf.Tensor[];
  private readonly down: FastConv;
  private readonly right: FastConv;

  constructor(channels = 3) {
    const [down, right, zero] = tf.tidy(() => {
      const eye = tf.eye(channels);
      const pair = tf.stack([eye.neg(), eye]); // [2, c, c]: −x[k] + x[k+1], channel by channel
      return [
        pair.reshape([2, 1, channels, channels]) as tf.Tensor4D,
        pair.reshape([1, 2, channels, channels]) as tf.Tensor4D,
        tf.zeros([channels]) as tf.Tensor1D,
      ];
    });
    this.kernels = [down, right, zero];
    this.down = new FastConv(down, zero, [1, 1], 'valid', false);
    this.right = new FastConv(right, zero, [1, 1], 'valid', false);
  }

  loss(x: tf.Tensor4D): tf.Scalar {
    return tf.tidy(() => tf.add(halfMeanSquare(this.down.apply(x)), halfMeanSquare(this.right.apply(x))).mul(2) as tf.Scalar);
  }

  dispose(): void {
    this.down.dispose();
    this.right.dispose();
    tf.dispose(this.kernels);
  }
}
