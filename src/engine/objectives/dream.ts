import * as tf from '@tensorflow/tfjs';
import { customGradient } from '../model/gradients/custom-gradient';
import type { DreamParams } from '../params/dream';
import { matMulConstant } from './mat-mul';
import { weightedGuideTerm, weightedHalfSquare, weightedMean, type LayerShares } from './weighted';

/** A guide image's features per layer, [N, C]: the dream is pulled toward what the guide shows. */
export type GuideFeatures = Record<string, tf.Tensor2D>;

function pick(a: tf.Tensor4D, channel: number): tf.Tensor4D {
  return channel < 0 ? a : (a.slice([0, 0, 0, channel], [-1, -1, -1, 1]) as tf.Tensor4D);
}

/**
 * The DeepDream objective, summed over layers with their weights. 'l2' is ½·mean(a²), whose gradient w.r.t. a is
 * a itself (up to the 1/N that keeps it independent of image size): the seed's "set the gradient to the
 * activations". 'mean' is the TensorFlow tutorial's mean(a). A channel ≥ 0 restricts either to that unit.
 */
export function dreamObjective(acts: Record<string, tf.Tensor4D>, p: DreamParams, guide?: GuideFeatures, shares?: LayerShares): tf.Scalar {
  return tf.tidy(() => {
    const terms = p.layers.map(({ name, weight }) => {
      const a = pick(acts[name]!, p.channel);
      // A tile of a tiled picture holds its share of each mean (see objectives/weighted.ts).
      const w = shares?.[name];
      const own = w ? (p.objective === 'l2' ? weightedHalfSquare(a, w) : weightedMean(a, w)) : p.objective === 'l2' ? halfMeanSquare(a) : meanActivation(a);
      const term = own.mul(weight);
      const g = guide?.[name];
      // The guide has its own weight, so a guide can drive a layer whose own objective is switched off.
      if (!g || p.guideWeight <= 0) return term;
      return term.add((w ? weightedGuideTerm(acts[name]!, g, w) : guideTerm(acts[name]!, g)).mul(p.guideWeight));
    });
    return tf.addN(terms) as tf.Scalar;
  });
}

/**
 * ½·mean(a²) whose gradient is the activations themselves, a/N: the seed's "set the gradient to the activations",
 * said directly. tfjs's own mean() gradient builds a ones tensor of a's size on the CPU and uploads it every step
 * (on WebGPU a few MB per step at 512 px, and four more kernels).
 */
export function halfMeanSquare(a: tf.Tensor4D): tf.Scalar {
  const f = customGradient<[tf.Tensor4D], tf.Scalar, [tf.Tensor4D]>(([x], save) => {
    save([x]);
    return {
      value: tf.tidy(() => x.square().mean().mul(0.5) as tf.Scalar),
      gradFunc: (dy, [saved]) => tf.mul(saved, tf.div(dy, saved.size)),
    };
  });
  return f(a);
}

/** mean(a), whose gradient 1/N everywhere is broadcast on the device rather than uploaded (see halfMeanSquare). */
export function meanActivation(a: tf.Tensor4D): tf.Scalar {
  const f = customGradient<[tf.Tensor4D], tf.Scalar>(([x]) => ({
    value: x.mean() as tf.Scalar,
    gradFunc: (dy) => tf.broadcastTo(tf.div(dy, x.size).reshape([1, 1, 1, 1]), x.shape),
  }));
  return f(a);
}

/**
 * Guided dreaming (Mordvintsev et al.'s notebook): each position follows the guide feature it already matches
 * best, i.e. ascend mean_i max_j ⟨a_i, g_j⟩ / C.
 */
export function guideTerm(a: tf.Tensor4D, guide: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const c = a.shape[3];
    const flat = a.reshape([-1, c]) as tf.Tensor2D;
    return matMulConstant(flat, guide.transpose(), guide).max(1).mean().div(c) as tf.Scalar;
  });
}

/** Features of a guide image at the objective's layers, [N, C] each; the caller owns them. */
export function guideFeatures(acts: Record<string, tf.Tensor4D>): GuideFeatures {
  const out: GuideFeatures = {};
  for (const [name, a] of Object.entries(acts)) out[name] = a.reshape([-1, a.shape[3]]) as tf.Tensor2D;
  return out;
}
