import * as tf from '@tensorflow/tfjs';
import { currentProfile } from '../backend/profile';
import { customGradient } from '../model/gradients/custom-gradient';

/*
 * Matrix products whose forward and backward passes, on wasm, never ask for a transposed operand.
 *
 * Why: tfjs's wasm BatchMatMul sends a product with transposeA or transposeB to a plain scalar loop; only the
 * untransposed case reaches XNNPACK. Measured at 2704×192 (a Gram matrix at 224 px): 153 ms transposed, 5.7 ms with
 * the transpose done first (2.6 ms). tfjs's matMul gradients use transposed products too, so a Gram matrix paid
 * the slow loop twice per step. Here the transposes are explicit copies of small or already-needed tensors, and the
 * gradients take one untransposed product where tfjs's take two.
 */

/** Fᵀ·F of [N, C] features, unscaled: [C, C]. */
export function gramProduct(flat: tf.Tensor2D): tf.Tensor2D {
  // Most kernels read a transposed operand in place; wasm's untransposed product is the only fast one.
  return currentProfile().gramOrder === 'explicit-transpose' ? tf.matMul(flat.transpose(), flat) : tf.matMul(flat, flat, true, false);
}

/** Gram matrix Fᵀ·F / N of [1,H,W,C] features, N = H·W, so it does not depend on image size: [C, C]. */
export function gram(a: tf.Tensor4D): tf.Tensor2D {
  const [, h, w, c] = a.shape;
  const n = h * w;
  const f = customGradient<[tf.Tensor4D], tf.Tensor2D, [tf.Tensor4D]>(([x], save) => {
    save([x]);
    return {
      value: tf.tidy(() => gramProduct(x.reshape([n, c]) as tf.Tensor2D).div(n) as tf.Tensor2D),
      // d(FᵀF)/dF contracted with dG is F·(dG + dGᵀ); both factors untransposed.
      gradFunc: (dy, [saved]) =>
        tf.tidy(() => tf.matMul(saved.reshape([n, c]) as tf.Tensor2D, tf.add(dy, dy.transpose()) as tf.Tensor2D).div(n).reshape(saved.shape)),
    };
  });
  return f(a);
}

/**
 * x·b for a matrix b that is a constant of the objective (no gradient flows to it). bT is b's transpose, given by
 * the caller, so the input gradient dy·bᵀ is an untransposed product too.
 */
export function matMulConstant(x: tf.Tensor2D, b: tf.Tensor2D, bT: tf.Tensor2D): tf.Tensor2D {
  const f = customGradient<[tf.Tensor2D], tf.Tensor2D, [tf.Tensor2D]>(([xIn], save) => {
    // Saved, so bT outlives the forward pass even when the caller made it there (a transpose inside tf.grad).
    save([bT]);
    return {
      value: tf.matMul(xIn, b),
      gradFunc: (dy, [savedT]) => tf.matMul(dy, savedT),
    };
  });
  return f(x);
}
