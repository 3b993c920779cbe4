import * as tf from '@tensorflow/tfjs';
import { keepColours } from '../image/colour';
import { matchColours } from '../image/colour-match';
import { cover } from '../image/geometry';
import { MIN_INPUT_SIZE, type ModelRunner } from '../model/runner';
import { gram } from '../objectives/mat-mul';
import { contentLoss, styleLayerLoss, TotalVariation } from '../objectives/style';
import { Adam } from '../optimise/adam';
import { keepFinite } from '../optimise/ascent';
import { PyramidBasis, pixelBasis, type ImageBasis } from '../optimise/image-basis';
import { createRng, randomOffset } from '../random';
import type { StyleParams } from '../params/style';
import type { Session } from './session';

/**
 * The painting resized so its long side is `scale` × the content's (`long`), its aspect kept. Large reductions
 * (a 1024 px source for a 224 px frame) halve by 2×2 averages first: bilinear alone would alias away the very
 * brush strokes the Gram matrices are meant to see.
 */
function styleAtScale(style: tf.Tensor4D, long: number, scale: number): tf.Tensor4D {
  const target = Math.max(MIN_INPUT_SIZE, Math.round(long * scale));
  return tf.tidy(() => {
    let x = style;
    while (Math.max(x.shape[1], x.shape[2]) >= 2 * target) x = tf.avgPool(x, 2, 2, 'same');
    const [, h, w] = x.shape;
    const k = target / Math.max(h, w);
    const side = (n: number) => Math.max(MIN_INPUT_SIZE, Math.round(n * k));
    return tf.image.resizeBilinear(x, [side(h), side(w)], true) as tf.Tensor4D;
  });
}

/**
 * Gatys et al. style transfer, one Adam step per call: L = α·L_content + β·L_style + tv·L_tv. The content
 * activations and the style Gram matrices are computed once; step() returns [L, L_content, L_style, L_tv]
 * with the three parts unweighted.
 *
 * What is optimised is the picture's parameters in `basis` (the pixels, or a Laplacian pyramid in decorrelated
 * colour), and what the network sees is the picture reflect-padded by `pad` px and cropped at a random offset of
 * up to `jitter` px each step: the border is treated like the interior (no frame of artefacts at the edges) and
 * no pattern can rely on an exact pixel position (the high-frequency texture that matches Gram matrices without
 * looking like anything). The content target is the content seen the same way, uncropped by the jitter.
 */
export class StyleSession implements Session {
  readonly lossNames = ['loss', 'content', 'style', 'tv'] as const;
  private readonly content: tf.Tensor4D;
  private readonly contentTarget: tf.Tensor4D;
  private readonly styleTargets: tf.Tensor2D[];
  private readonly basis: ImageBasis;
  private readonly adams: Adam[];
  private readonly tv = new TotalVariation(3);
  private readonly rng: () => number;
  private readonly margin: number;
  /** The basis coefficients being optimised (the pixels themselves in the pixel basis). */
  private coefficients: tf.Tensor[];
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
    const painting = styleAtScale(style, Math.max(h, w), params.styleScale);
    // 'match' starts from, and aims at, the content recoloured to the painting's colour distribution.
    this.content = params.colour === 'match' ? matchColours(content, painting) : (content.clone() as tf.Tensor4D);
    // The jitter never reaches past the reflected band.
    this.margin = Math.min(params.jitter, params.pad);
    this.contentTarget = tf.tidy(() => runner.run(this.view(this.content, this.margin, this.margin), [params.contentLayer])[params.contentLayer]!);
    const names = params.styleLayers.map((l) => l.name);
    this.styleTargets = tf.tidy(() => {
      const acts = runner.run(painting, names);
      return names.map((n) => gram(acts[n]!));
    });
    this.rng = createRng(params.seed);
    this.basis = params.basis === 'pyramid' ? new PyramidBasis(params.pyramidLevels) : pixelBasis;
    const x0: tf.Tensor4D = start
      ? cover(start, h, w)
      : params.init === 'content'
        ? (this.content.clone() as tf.Tensor4D)
        : params.init === 'style'
          ? cover(painting, h, w)
          : (tf.randomUniform([1, h, w, 3], -1, 1, 'float32', params.seed) as tf.Tensor4D);
    painting.dispose();
    this.coefficients = this.basis.encode(x0);
    this.x = x0;
    this.adams = this.coefficients.map(() => new Adam(params.learningRate));
  }

  get iteration(): number {
    return this.count;
  }

  get image(): tf.Tensor4D {
    return this.x;
  }

  /**
   * Weights, the learning rate and showing the content's colours change live; layers, images, the basis, the view
   * and colour matching need a new session.
   */
  setWeights(p: StyleParams): void {
    this.params = { ...this.params, contentWeight: p.contentWeight, styleWeight: p.styleWeight, tvWeight: p.tvWeight, colour: p.colour, learningRate: p.learningRate };
    for (const adam of this.adams) adam.learningRate = p.learningRate;
  }

  /**
   * What the network sees of `x`: reflect-padded by `pad` less the jitter margin on each side, the margin split
   * between the sides by the offset (dy, dx ∈ [0, 2·margin]). One mirror pad, no crop: on wasm a slice of the image
   * is a slow path.
   */
  private view(x: tf.Tensor4D, dy: number, dx: number): tf.Tensor4D {
    const pad = this.params.pad;
    if (pad === 0) return x;
    const m = this.margin;
    return tf.mirrorPad(x, [[0, 0], [pad - dy, pad - 2 * m + dy], [pad - dx, pad - 2 * m + dx], [0, 0]], 'reflect');
  }

  step(): tf.Tensor1D {
    const p = this.params;
    const names = p.styleLayers.map((l) => l.name);
    const all = [p.contentLayer, ...names];
    const m = this.margin;
    const [dy, dx] = [m + randomOffset(this.rng, m), m + randomOffset(this.rng, m)];
    const { next, image, losses } = tf.tidy(() => {
      const parts: tf.Scalar[] = [];
      const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => {
        const x = this.basis.decode(ps).clipByValue(-1, 1) as tf.Tensor4D;
        const acts = this.runner.run(this.view(x, dy, dx), all);
        const c = contentLoss(acts[p.contentLayer]!, this.contentTarget);
        const s = tf.addN(p.styleLayers.map((l, i) => styleLayerLoss(acts[l.name]!, this.styleTargets[i]!).mul(l.weight))) as tf.Scalar;
        const t = this.tv.loss(x);
        // valueAndGrads frees what its function does not return; the parts are kept and freed below.
        parts.push(tf.keep(c), tf.keep(s), tf.keep(t));
        return c.mul(p.contentWeight).add(s.mul(p.styleWeight)).add(t.mul(p.tvWeight)) as tf.Scalar;
      })(this.coefficients);
      const next = this.coefficients.map((q, k) => keepFinite(this.adams[k]!.step(q, grads[k]!) as tf.Tensor4D, q as tf.Tensor4D));
      const image = this.basis.decode(next).clipByValue(-1, 1) as tf.Tensor4D;
      const losses = tf.stack([value, ...parts]) as tf.Tensor1D;
      for (const t of parts) t.dispose();
      return { next, image, losses };
    });
    tf.dispose(this.coefficients);
    this.coefficients = next;
    this.x.dispose();
    this.x = image;
    this.count += 1;
    return losses;
  }

  display(): tf.Tensor4D {
    return this.params.colour === 'content' ? keepColours(this.x, this.content) : this.x.clone();
  }

  dispose(): void {
    this.content.dispose();
    this.contentTarget.dispose();
    for (const t of this.styleTargets) t.dispose();
    for (const adam of this.adams) adam.dispose();
    this.tv.dispose();
    this.basis.dispose();
    tf.dispose(this.coefficients);
    this.x.dispose();
  }
}
