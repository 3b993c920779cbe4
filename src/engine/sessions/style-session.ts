import * as tf from '@tensorflow/tfjs';
import { keepColours } from '../image/colour';
import { cover } from '../image/geometry';
import type { ModelRunner } from '../model/runner';
import { gram } from '../objectives/mat-mul';
import { contentLoss, styleLayerLoss, TotalVariation } from '../objectives/style';
import { Adam } from '../optimise/adam';
import { keepFinite } from '../optimise/ascent';
import type { StyleParams } from '../params/style';
import type { Session } from './session';

/**
 * Gatys et al. style transfer, one Adam step per call: L = α·L_content + β·L_style + tv·L_tv. The content
 * activations and the style Gram matrices are computed once; step() returns [L, L_content, L_style, L_tv]
 * with the three parts unweighted.
 */
export class StyleSession implements Session {
  readonly lossNames = ['loss', 'content', 'style', 'tv'] as const;
  private readonly content: tf.Tensor4D;
  private readonly contentTarget: tf.Tensor4D;
  private readonly styleTargets: tf.Tensor2D[];
  private readonly adam: Adam;
  private readonly tv = new TotalVariation(3);
  private x: tf.Tensor4D;
  private count = 0;

  constructor(
    private readonly runner: ModelRunner,
    content: tf.Tensor4D,
    style: tf.Tensor4D,
    private params: StyleParams,
    start?: tf.Tensor4D,
  ) {
    const [, h, w] = content.shape;
    this.content = content.clone();
    this.contentTarget = tf.tidy(() => runner.run(content, [params.contentLayer])[params.contentLayer]!);
    const names = params.styleLayers.map((l) => l.name);
    this.styleTargets = tf.tidy(() => {
      const acts = runner.run(style, names);
      return names.map((n) => gram(acts[n]!));
    });
    this.adam = new Adam(params.learningRate);
    this.x = start
      ? cover(start, h, w)
      : params.init === 'content'
        ? content.clone()
        : params.init === 'style'
          ? cover(style, h, w)
          : tf.randomUniform([1, h, w, 3], -1, 1, 'float32', params.seed);
  }

  get iteration(): number {
    return this.count;
  }

  get image(): tf.Tensor4D {
    return this.x;
  }

  /** Weights and the learning rate change live; layers and images need a new session. */
  setWeights(p: StyleParams): void {
    this.params = { ...this.params, contentWeight: p.contentWeight, styleWeight: p.styleWeight, tvWeight: p.tvWeight, preserveColour: p.preserveColour, learningRate: p.learningRate };
    this.adam.learningRate = p.learningRate;
  }

  step(): tf.Tensor1D {
    const p = this.params;
    const names = p.styleLayers.map((l) => l.name);
    const all = [p.contentLayer, ...names];
    const { next, losses } = tf.tidy(() => {
      const parts: tf.Scalar[] = [];
      const { value, grad } = tf.valueAndGrad((xIn: tf.Tensor) => {
        const x = xIn as tf.Tensor4D;
        const acts = this.runner.run(x, all);
        const c = contentLoss(acts[p.contentLayer]!, this.contentTarget);
        const s = tf.addN(p.styleLayers.map((l, i) => styleLayerLoss(acts[l.name]!, this.styleTargets[i]!).mul(l.weight))) as tf.Scalar;
        const t = this.tv.loss(x);
        // valueAndGrad frees what its function does not return; the parts are kept and freed below.
        parts.push(tf.keep(c), tf.keep(s), tf.keep(t));
        return c.mul(p.contentWeight).add(s.mul(p.styleWeight)).add(t.mul(p.tvWeight)) as tf.Scalar;
      })(this.x);
      const stepped = this.adam.step(this.x, grad as tf.Tensor4D);
      const losses = tf.stack([value, ...parts]) as tf.Tensor1D;
      for (const t of parts) t.dispose();
      return { next: keepFinite(stepped, this.x).clipByValue(-1, 1) as tf.Tensor4D, losses };
    });
    this.x.dispose();
    this.x = next;
    this.count += 1;
    return losses;
  }

  display(): tf.Tensor4D {
    return this.params.preserveColour ? keepColours(this.x, this.content) : this.x.clone();
  }

  dispose(): void {
    this.content.dispose();
    this.contentTarget.dispose();
    for (const t of this.styleTargets) t.dispose();
    this.adam.dispose();
    this.tv.dispose();
    this.x.dispose();
  }
}
