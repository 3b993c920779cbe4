import * as tf from '@tensorflow/tfjs';
import { customGradient } from '../model/gradients/custom-gradient';
import type { ModelRunner } from '../model/runner';
import { gramDirection, weightedSquaredDistance } from '../objectives/weighted';
import type { ContentTiles } from './content-targets';
import { tiledGrams } from './gram';
import type { PeakMemory } from './memory';
import { tiledGradient } from './tiled-gradient';

export interface StyleTerms {
  contentLayer: string;
  styleLayers: readonly { name: string; weight: number }[];
  /** Blended Gram targets, one per style layer. */
  targets: readonly tf.Tensor2D[];
  contentWeight: number;
  styleWeight: number;
}

/**
 * The gradient of α·L_content + β·L_style with respect to the network's view of the picture, tile by tile, with
 * the style loss taken on the Gram matrices of the WHOLE view, so every tile is pulled toward the same statistics:
 *
 * 1. each tile forward (no gradient) adds its share Σ w·F Fᵀ to each style layer's sum; G = Σ / N is the whole
 *    view's Gram matrix, L_style = Σ_l w_l·mean((G_l − T_l)²) its exact value, and D_l = w_l·∂mean(…)/∂G_l;
 * 2. each tile again, differentiated: β·Σ_l ⟨D_l, Σ_tile w·F Fᵀ⟩ / N (the tile's part of L_style's first-order
 *    change, so the tile gradients add up to ∂L_style/∂view) plus α times its share of the content loss against the
 *    content's activations at the same tile.
 *
 * Returns the view's gradient and the two losses unweighted.
 */
export function tiledStyleGradient(
  runner: ModelRunner,
  view: tf.Tensor4D,
  content: ContentTiles,
  terms: StyleTerms,
  probe?: PeakMemory,
): { grad: tf.Tensor4D; content: tf.Scalar; style: tf.Scalar } {
  const names = terms.styleLayers.map((l) => l.name);
  const grams = tiledGrams(runner, view, names, content.shares, probe);
  const { style, directions } = tf.tidy(() => {
    const losses = grams.map((g, i) => tf.squaredDifference(g, terms.targets[i]!).mean().mul(terms.styleLayers[i]!.weight) as tf.Scalar);
    const directions = grams.map((g, i) => {
      const w = terms.styleLayers[i]!.weight;
      return tf.grad((x: tf.Tensor) => tf.squaredDifference(x, terms.targets[i]!).mean().mul(w))(g) as tf.Tensor2D;
    });
    return { style: tf.addN(losses) as tf.Scalar, directions };
  });
  tf.dispose(grams);
  const contentParts: tf.Scalar[] = [];
  const all = [terms.contentLayer, ...names];
  try {
    const { grad, value } = tiledGradient(view, content.shares, (tile, s, r, c) => {
      const acts = runner.run(tile, all);
      const c0 = weightedSquaredDistance(acts[terms.contentLayer]!, content.tile(r, c), s[terms.contentLayer]!);
      contentParts.push(tf.keep(c0));
      const st = tf.addN(names.map((n, i) => gramDirection(acts[n]!, directions[i]!, s[n]!))) as tf.Scalar;
      return c0.mul(terms.contentWeight).add(st.mul(terms.styleWeight)) as tf.Scalar;
    }, probe);
    value.dispose();
    const contentLoss = tf.addN(contentParts) as tf.Scalar;
    return { grad, content: contentLoss, style };
  } finally {
    tf.dispose([...contentParts, ...directions]);
  }
}

/**
 * ⟨x, g⟩ for a constant g, whose gradient is g itself: how a gradient computed for the view (tile by tile) is sent
 * back through what made the view (the basis, the clip, the padding and turn) in one ordinary backward pass.
 * tfjs's sum() gradient would build a ones tensor of x's size on the CPU first.
 */
export function dotConstant(x: tf.Tensor4D, g: tf.Tensor4D): tf.Scalar {
  const f = customGradient<[tf.Tensor4D], tf.Scalar>(([input]) => ({
    value: tf.tidy(() => input.mul(g).sum() as tf.Scalar),
    gradFunc: (dy) => tf.tidy(() => g.mul(dy)),
  }));
  return f(x);
}
