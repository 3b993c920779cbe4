import * as tf from '@tensorflow/tfjs';
import { adamStep } from './kernels/adam-kernel';
import type { AdamAttrs } from './kernels/adam-math';

/**
 * Adam on a single tensor with explicit state, so the session decides exactly which tensors live between steps
 * (tf.train.adam keeps variables keyed by name, awkward to reset when the image is swapped mid-stream). A step is
 * one kernel (./kernels/adam-kernel.ts) with the NaN guard in it: a value whose step comes out NaN stays as it was.
 */
export class Adam {
  /** m and v, [2, n]; null before the first step. */
  private moments: tf.Tensor2D | null = null;
  private t = 0;

  constructor(
    public learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {}

  /** Returns x − lr·m̂/(√v̂ + ε), x where that is NaN; the caller owns the result, Adam keeps its moments. */
  step<T extends tf.Tensor>(x: T, grad: T): T {
    this.t += 1;
    const start = this.moments ?? (tf.zeros([2, x.size]) as tf.Tensor2D);
    const [next, moments] = adamStep(x, grad, start, { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, step: this.t });
    // The moments outlive any tidy the caller wraps this step in.
    tf.keep(moments);
    start.dispose();
    this.moments = moments;
    return next as T;
  }

  /**
   * A step run elsewhere (a recorded plan: plan/style-iteration.ts): the moments so far (null: none yet, zeros) and
   * this step's numbers; settle() then takes the moments it made.
   */
  begin(): { moments: tf.Tensor2D | null; attrs: AdamAttrs } {
    return { moments: this.moments, attrs: { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, step: this.t + 1 } };
  }

  /** Takes the moments of the step begin() numbered (the caller hands them over), and counts it. */
  settle(moments: tf.Tensor2D): void {
    this.t += 1;
    tf.keep(moments);
    this.moments?.dispose();
    this.moments = moments;
  }

  reset(): void {
    this.moments?.dispose();
    this.moments = null;
    this.t = 0;
  }

  dispose(): void {
    this.reset();
  }
}
