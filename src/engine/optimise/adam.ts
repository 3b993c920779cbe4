import * as tf from '@tensorflow/tfjs';

/**
 * Adam on a single tensor with explicit state, so the session decides exactly which tensors live between steps
 * (tf.train.adam keeps variables keyed by name, awkward to reset when the image is swapped mid-stream).
 */
export class Adam {
  private m: tf.Tensor | null = null;
  private v: tf.Tensor | null = null;
  private t = 0;

  constructor(
    public learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {}

  /** Returns x − lr·m̂/(√v̂ + ε); the caller owns the result, Adam keeps its moments. */
  step<T extends tf.Tensor>(x: T, grad: T): T {
    this.t += 1;
    const { m, v, next } = tf.tidy(() => {
      const m = this.m ? this.m.mul(this.beta1).add(grad.mul(1 - this.beta1)) : grad.mul(1 - this.beta1);
      const v = this.v ? this.v.mul(this.beta2).add(grad.square().mul(1 - this.beta2)) : grad.square().mul(1 - this.beta2);
      const mHat = m.div(1 - this.beta1 ** this.t);
      const vHat = v.div(1 - this.beta2 ** this.t);
      const next = x.sub(mHat.div(vHat.sqrt().add(this.epsilon)).mul(this.learningRate)) as T;
      // The moments outlive any tidy the caller wraps this step in.
      return { m: tf.keep(m), v: tf.keep(v), next };
    });
    this.m?.dispose();
    this.v?.dispose();
    this.m = m;
    this.v = v;
    return next;
  }

  reset(): void {
    this.m?.dispose();
    this.v?.dispose();
    this.m = null;
    this.v = null;
    this.t = 0;
  }

  dispose(): void {
    this.reset();
  }
}
