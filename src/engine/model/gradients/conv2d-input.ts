import * as tf from '@tensorflow/tfjs';
import { interleave2x2 } from './conv2d-input-phases';
import { customGradient } from './custom-gradient';
import { reluMask } from './relu';
import type { BackendProfile } from '../../backend/profile';
import type { Padding } from '../types';

/**
 * A convolution (+ bias, + optional ReLU) whose backward pass computes only the input gradient.
 *
 * tfjs's fused conv always runs Conv2DBackpropFilter in its gradient, and the wasm backend's Conv2DBackpropInput
 * is not accelerated. For stride 1 the input gradient is itself a forward convolution of dy with the kernel
 * rotated by 180° and its in/out channels swapped, which every backend runs on its fastest path (XNNPACK on wasm).
 * The rotated kernel is made once, here, not per step.
 */
export class FastConv {
  private readonly rotated: tf.Tensor4D | null;
  /** For stride-2 'valid' convolutions: the rotated kernel split by row/column parity (polyphase). */
  private readonly phaseKernels: tf.Tensor4D[][] | null;

  constructor(
    readonly filter: tf.Tensor4D,
    readonly bias: tf.Tensor1D,
    readonly strides: [number, number],
    readonly padding: Padding,
    readonly relu: boolean,
    /**
     * 'forward': the rotated-kernel and polyphase rewrites (fastest on wasm and GPUs). 'backprop': tfjs's
     * Conv2DBackpropInput, which the cpu backend runs faster than its own forward convolution.
     */
    strategy: BackendProfile['convGradient'] = 'forward',
    /** Interleave polyphase results with the plain-JS wasm-heap kernel (the profile's heapKernels: wasm only). */
    private readonly heapKernels = false,
  ) {
    const [kh, kw] = filter.shape;
    const unitStride = strides[0] === 1 && strides[1] === 1 && strategy === 'forward';
    // 'same' with an even kernel pads asymmetrically; the rotated-kernel identity then needs the opposite offset.
    const oddKernel = kh % 2 === 1 && kw % 2 === 1;
    this.rotated = unitStride && (padding === 'valid' || oddKernel)
      ? tf.tidy(() => tf.reverse(filter, [0, 1]).transpose([0, 1, 3, 2]) as tf.Tensor4D)
      : null;
    const stride2Valid = strides[0] === 2 && strides[1] === 2 && padding === 'valid' && strategy === 'forward';
    this.phaseKernels = stride2Valid
      ? [0, 1].map((p) => [0, 1].map((q) => tf.tidy(() => {
          const sub = tf.stridedSlice(filter, [p, q, 0, 0], [kh, kw, filter.shape[2], filter.shape[3]], [2, 2, 1, 1]) as tf.Tensor4D;
          return tf.reverse(sub, [0, 1]).transpose([0, 1, 3, 2]) as tf.Tensor4D;
        })))
      : null;
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const f = customGradient<[tf.Tensor4D], tf.Tensor4D, [tf.Tensor4D]>(([input], save) => {
      // The FusedConv2D kernel itself, not tf.fused.conv2d: under a gradient tape that op splits into Conv2D + Add +
      // Relu (three passes over the output) so that its own gradient can see the pre-activation; ours does not need it.
      const attrs = { strides: this.strides, pad: this.padding, dataFormat: 'NHWC', dilations: [1, 1], activation: this.relu ? 'relu' : 'linear' };
      const y = tf.engine().runKernel('FusedConv2D', { x: input, filter: this.filter, bias: this.bias }, attrs) as tf.Tensor4D;
      save([y]);
      return {
        value: y,
        gradFunc: (dy, [output]) => this.inputGradient(this.relu ? reluMask(dy, output) : dy, input.shape),
      };
    });
    return f(x);
  }

  private inputGradient(dy: tf.Tensor4D, xShape: [number, number, number, number]): tf.Tensor4D {
    if (this.phaseKernels) return this.polyphaseGradient(dy, xShape);
    if (!this.rotated) {
      return tf.conv2dTranspose(dy, this.filter, xShape, this.strides, this.padding);
    }
    if (this.padding === 'same') return tf.conv2d(dy, this.rotated, 1, 'same');
    return tf.conv2d(dy, this.rotated, 1, fullPadding(this.rotated));
  }

  /**
   * Stride-2 'valid': dx[2m+p, 2n+q] = Σ_j dy[m−j, n−l]·W[2j+p, 2l+q], a full correlation of dy with the
   * rotated parity sub-kernel. Four small stride-1 convolutions, interleaved, instead of the slow
   * Conv2DBackpropInput (or a 4× larger convolution over a zero-dilated dy).
   */
  private polyphaseGradient(dy: tf.Tensor4D, xShape: [number, number, number, number]): tf.Tensor4D {
    const [, h, w] = xShape;
    const phases = this.phaseKernels!.map((row) =>
      row.map((k) => tf.conv2d(dy, k, 1, fullPadding(k))),
    );
    return interleave2x2(phases, h, w, this.heapKernels);
  }

  dispose(): void {
    this.rotated?.dispose();
    this.phaseKernels?.flat().forEach((k) => k.dispose());
  }
}

/**
 * Padding for a 'full' correlation (every overlap of dy and the kernel): k−1 zeros on each side. Passed to the
 * convolution as explicit padding rather than materialised with tf.pad, which on wasm is one more copy of dy.
 */
function fullPadding(kernel: tf.Tensor4D): [[number, number], [number, number], [number, number], [number, number]] {
  const [kh, kw] = kernel.shape;
  return [[0, 0], [kh - 1, kh - 1], [kw - 1, kw - 1], [0, 0]];
}

/** The same layer with tfjs's own gradients: the reference the fast path is tested against. */
export function stockConv(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  strides: [number, number],
  padding: Padding,
  relu: boolean,
): tf.Tensor4D {
  const y = tf.add(tf.conv2d(x, filter, strides, padding), bias) as tf.Tensor4D;
  return relu ? tf.relu(y) : y;
}
