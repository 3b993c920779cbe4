import * as tf from '@tensorflow/tfjs';
import { customGradient } from '../model/gradients/custom-gradient';
import { plainScalar, type ScalarOf } from '../model/scalars';
import { gramProduct } from './mat-mul';
import { registerTotalVariation, TV_GRAD, TV_MAP } from './kernels/tv-kernel';
import type { ModelRunner } from '../model/runner';
import { plannedStyleLoss, type StyleLoss, type StyleLossInput } from '../plan/style-run';

/**
 * Content loss: mean squared difference of activations, D = a − target. Its gradient, 2·D/N, is written out: tfjs's
 * mean and squaredDifference gradients take six kernels (a ones tensor among them) where this takes two. `k` makes
 * its constants (a session's held scalars: see model/scalars.ts).
 */
export function contentLoss(a: tf.Tensor4D, target: tf.Tensor4D, k: ScalarOf = plainScalar): tf.Scalar {
  const f = customGradient<[tf.Tensor4D], tf.Scalar, [tf.Tensor4D]>(([x], save) => {
    const d = tf.sub(x, target) as tf.Tensor4D;
    save([d]);
    return {
      value: tf.tidy(() => d.square().mean() as tf.Scalar),
      gradFunc: (dy, [saved]) => tf.mul(saved, tf.mul(dy, k(2 / saved.size))),
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
export function styleLayerLoss(a: tf.Tensor4D, targetGram: tf.Tensor2D, k: ScalarOf = plainScalar): tf.Scalar {
  const [, h, w, c] = a.shape;
  const n = h * w;
  const f = customGradient<[tf.Tensor4D], tf.Scalar, [tf.Tensor4D, tf.Tensor2D]>(([x], save) => {
    const d = tf.tidy(() => gramProduct(x.reshape([n, c]) as tf.Tensor2D).div(k(n)).sub(targetGram) as tf.Tensor2D);
    save([x, d]);
    return {
      value: tf.tidy(() => d.square().mean() as tf.Scalar),
      gradFunc: (dy, [features, saved]) =>
        tf.tidy(() => tf.matMul(features.reshape([n, c]) as tf.Tensor2D, saved).mul(tf.mul(dy, k(4 / (n * c * c)))).reshape(features.shape)),
    };
  });
  return f(a);
}

/**
 * Style transfer's loss, L = α·content + β·Σ w·style + tv·TV: of `view` (the picture `x` as the network sees it) the
 * content and Gram terms, of `x` its total variation. On a recorded plan where the backend has one built (the
 * network and the whole loss in one recording: plan/style-run.ts), else as tfjs ops on the runner's activations;
 * the same numbers either way. Returns the total to differentiate and the figures [L, content, style, tv].
 */
export function styleLoss(runner: ModelRunner, x: tf.Tensor4D, view: tf.Tensor4D, t: StyleLossInput, tv: TotalVariation, k: ScalarOf = plainScalar): StyleLoss {
  const planned = plannedStyleLoss(runner, x, view, t);
  if (planned) return planned;
  const acts = runner.run(view, [t.contentLayer, ...t.styleLayers.map((l) => l.name)]);
  const content = contentLoss(acts[t.contentLayer]!, t.contentTarget, k);
  const style = tf.addN(t.styleLayers.map((l, i) => styleLayerLoss(acts[l.name]!, t.grams[i]!, k).mul(k(l.weight)))) as tf.Scalar;
  const variation = tv.loss(x);
  const w = t.weights;
  const total = content.mul(k(w.content)).add(style.mul(k(w.style))).add(variation.mul(k(w.tv))) as tf.Scalar;
  return { total, parts: tf.stack([total, content, style, variation]) as tf.Tensor1D };
}

/**
 * Total variation: mean squared difference between vertical neighbours plus the same for horizontal ones; smooths
 * the high-frequency noise. Two kernels (./kernels/tv-kernel.ts): each pixel's share, summed, and the gradient as one
 * stencil. As tfjs ops it was two ±1 convolutions and their mean squares (about 18 dispatches with the gradient, on
 * wasm a slow Slice/PadV2 path when written with shifted slices); now three. A class, as before, so a session holds
 * one and disposes it; it holds nothing.
 */
export class TotalVariation {
  private readonly f = customGradient<[tf.Tensor4D], tf.Scalar, [tf.Tensor4D]>(([x], save) => {
    save([x]);
    return {
      value: tf.tidy(() => tf.sum(tf.engine().runKernel(TV_MAP, { x }) as tf.Tensor) as tf.Scalar),
      gradFunc: (dy, [saved]) => tf.engine().runKernel(TV_GRAD, { x: saved, dy }) as tf.Tensor4D,
    };
  });

  loss(x: tf.Tensor4D): tf.Scalar {
    registerTotalVariation();
    return this.f(x);
  }

  dispose(): void {}
}
