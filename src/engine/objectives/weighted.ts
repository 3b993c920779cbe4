import * as tf from '@tensorflow/tfjs';
import { currentProfile } from '../backend/profile';
import { customGradient } from '../model/gradients/custom-gradient';
import { matMulConstant } from './mat-mul';

/*
 * The objectives as sums over positions, each position weighted, divided by the whole picture's position count:
 * what one tile of a tiled picture holds of a whole-picture mean. A tile's weights are its share of each position
 * (1 in its interior, a ramp where it hands over to a neighbour, 0 beyond), so the tiles' terms add up to the
 * whole picture's objective and their input gradients to its gradient. With weights 1 and the tile's own count
 * they are the plain means.
 */

/** One layer's position weights in a tile, [1, h, w, 1] on the layer's grid, and the whole picture's positions there. */
export interface PositionWeights {
  map: tf.Tensor4D;
  count: number;
}

/** Per layer (by the name the objective uses). */
export type LayerShares = Readonly<Record<string, PositionWeights>>;

/** ½·Σ w·a² / (count·C): halfMeanSquare's share; its gradient w·a/(count·C), written out. */
export function weightedHalfSquare(a: tf.Tensor4D, w: PositionWeights): tf.Scalar {
  const scale = 1 / (w.count * a.shape[3]);
  const f = customGradient<[tf.Tensor4D], tf.Scalar, [tf.Tensor4D]>(([x], save) => {
    save([x]);
    return {
      value: tf.tidy(() => x.square().mul(w.map).sum().mul(0.5 * scale) as tf.Scalar),
      gradFunc: (dy, [saved]) => tf.tidy(() => saved.mul(w.map.mul(dy.mul(scale)))),
    };
  });
  return f(a);
}

/** Σ w·a / (count·C): meanActivation's share. */
export function weightedMean(a: tf.Tensor4D, w: PositionWeights): tf.Scalar {
  const scale = 1 / (w.count * a.shape[3]);
  const f = customGradient<[tf.Tensor4D], tf.Scalar>(([x]) => ({
    value: tf.tidy(() => x.mul(w.map).sum().mul(scale) as tf.Scalar),
    gradFunc: (dy) => tf.tidy(() => tf.broadcastTo(w.map.mul(dy.mul(scale)), x.shape)),
  }));
  return f(a);
}

/** guideTerm's share: Σ_i w_i·max_j ⟨a_i, g_j⟩ / (count·C). */
export function weightedGuideTerm(a: tf.Tensor4D, guide: tf.Tensor2D, w: PositionWeights): tf.Scalar {
  return tf.tidy(() => {
    const c = a.shape[3];
    const flat = a.reshape([-1, c]) as tf.Tensor2D;
    const best = matMulConstant(flat, guide.transpose(), guide).max(1);
    return best.mul(w.map.reshape([-1])).sum().div(w.count * c) as tf.Scalar;
  });
}

/** Content loss's share: Σ w·(a − t)² / (count·C). */
export function weightedSquaredDistance(a: tf.Tensor4D, target: tf.Tensor4D, w: PositionWeights): tf.Scalar {
  return tf.tidy(() => tf.squaredDifference(a, target).mul(w.map).sum().div(w.count * a.shape[3]) as tf.Scalar);
}

/**
 * Σ_p w_p·F_p F_pᵀ over a tile's positions, not divided by anything: [C, C]. The whole picture's Gram matrix is
 * the sum over its tiles divided by the whole count. No gradient (the first pass of tiled style transfer).
 */
export function weightedGramSum(a: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const c = a.shape[3];
    const flat = a.reshape([-1, c]) as tf.Tensor2D;
    const weighted = flat.mul(w.reshape([-1, 1])) as tf.Tensor2D;
    return (currentProfile().gramOrder === 'explicit-transpose' ? tf.matMul(flat.transpose(), weighted) : tf.matMul(flat, weighted, true, false)) as tf.Tensor2D;
  });
}

/**
 * ⟨D, Σ_p w_p F_p F_pᵀ⟩ / count for a constant symmetric D ([C, C]): a tile's share of the first-order change of a
 * loss of the whole picture's Gram matrix G = Σ_tiles / count, when D = ∂L/∂G. Its gradient 2·w·F·D / count is
 * written out with one untransposed product (see mat-mul.ts for why on wasm).
 */
export function gramDirection(a: tf.Tensor4D, d: tf.Tensor2D, w: PositionWeights): tf.Scalar {
  const [, h, wd, c] = a.shape;
  const n = h * wd;
  const f = customGradient<[tf.Tensor4D], tf.Scalar, [tf.Tensor4D]>(([x], save) => {
    save([x]);
    return {
      value: tf.tidy(() => {
        const flat = x.reshape([n, c]) as tf.Tensor2D;
        return tf.matMul(flat, d).mul(flat).mul(w.map.reshape([n, 1])).sum().div(w.count) as tf.Scalar;
      }),
      gradFunc: (dy, [saved]) =>
        tf.tidy(() => {
          const flat = saved.reshape([n, c]) as tf.Tensor2D;
          return tf.matMul(flat, d).mul(w.map.reshape([n, 1]).mul(dy.mul(2 / w.count))).reshape(saved.shape);
        }),
    };
  });
  return f(a);
}
