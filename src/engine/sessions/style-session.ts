import * as tf from '@tensorflow/tfjs';
import { keepColours } from '../image/colour';
import { matchColours } from '../image/colour-match';
import { cover, resize } from '../image/geometry';
import type { ModelRunner } from '../model/runner';
import { styleLoss, TotalVariation } from '../objectives/style';
import { clipToRange } from '../model/gradients/clip';
import { Scalars } from '../model/scalars';
import { Adam } from '../optimise/adam';
import { PyramidBasis, pixelBasis, type ImageBasis } from '../optimise/image-basis';
import { createRng } from '../random';
import { liveFields } from '../params/apply';
import { styleParamsSchema, type StyleParams } from '../params/style';
import { dotConstant, tiledStyleGradient } from '../tiles/style-gradient';
import type { Tiler } from '../tiles/tiler';
import type { Session } from './session';
import { lastStepPath, recordStepPath } from '../plan/step-path';
import { plannedStyleIteration } from '../plan/style-iteration';
import { shares, stageSizes, styleAtScale, StyleStage, type Painting } from './style-stage';

/**
 * The paintings with their shares, held by the session (clones share the caller's data): each coarse-to-fine stage
 * computes its targets from them again. A lone tensor is one painting with all of it.
 */
function weighed(style: tf.Tensor4D | readonly Painting[]): Painting[] {
  const list = style instanceof tf.Tensor ? [{ image: style, weight: 1 }] : style;
  if (!list.some((p) => p.weight > 0)) throw new Error('style transfer needs a painting with a share above 0');
  return list.map((p) => ({ image: p.image.clone(), weight: p.weight }));
}

/** What a style session may be given besides its pictures and parameters. */
export interface StyleSessionOptions {
  /** Where the iterations start (borrowed), as a restart from the picture reached; none: the params' init. */
  start?: tf.Tensor4D;
  /** Tiles for a view larger than a tile (the caller owns it): the Gram matrices stay the whole picture's. */
  tiler?: Tiler;
}

/**
 * Gatys et al. style transfer, one Adam step per call: L = α·L_content + β·L_style + tv·L_tv. The content
 * activations and the style Gram matrices are computed once per stage; step() returns [L, L_content, L_style, L_tv]
 * with the three parts unweighted.
 *
 * What is optimised is the picture's parameters in `basis` (the pixels, or a Laplacian pyramid in decorrelated
 * colour), and what the network sees is the picture reflect-padded by `pad` px, shifted by up to `jitter` px and
 * turned and scaled a little at random each step: the border is treated like the interior (no frame of artefacts
 * at the edges) and no pattern can rely on an exact pixel position, angle or size (the high-frequency texture
 * that matches Gram matrices without looking like anything). The content target is the content seen the same
 * way, untransformed.
 *
 * Several paintings blend by their shares (`styleBlend`); with `stages` > 1 the picture forms coarse to fine,
 * and `smoothing` shows a running average of the iterates.
 */
export class StyleSession implements Session {
  private readonly tiler: Tiler | undefined;
  readonly lossNames = ['loss', 'content', 'style', 'tv'] as const;
  /** The content at full size, colour-matched to the paintings when asked. */
  private readonly content: tf.Tensor4D;
  private readonly paintings: Painting[];
  private readonly sizes: [number, number][];
  private stage: StyleStage;
  private stageIndex = 0;
  private stageStart = 0;
  private basis: ImageBasis;
  private adams: Adam[];
  private readonly tv = new TotalVariation();
  /** The step's constants, held on the device (model/scalars.ts). */
  private readonly scalars = new Scalars();
  private readonly rng: () => number;
  /** The basis coefficients being optimised (the pixels themselves in the pixel basis), at the stage's size. */
  private coefficients: tf.Tensor[];
  /** The latest iterate at full size. */
  private x: tf.Tensor4D;
  /**
   * During the coarse stages: the starting picture at full size and at the stage's size. A coarse stage's work is
   * its change from the start, upsampled onto the full-size start: the photo's fine detail is kept, not blurred
   * away by the small size.
   */
  private start: tf.Tensor4D | null = null;
  private startHere: tf.Tensor4D | null = null;
  /** The running average shown when smoothing. */
  private shown: tf.Tensor4D | null = null;
  private count = 0;

  constructor(
    private readonly runner: ModelRunner,
    content: tf.Tensor4D,
    style: tf.Tensor4D | readonly Painting[],
    private params: StyleParams,
    { start, tiler }: StyleSessionOptions = {},
  ) {
    this.tiler = tiler;
    const [, h, w] = content.shape;
    this.paintings = weighed(style);
    // 'match' starts from, and aims at, the content recoloured to the paintings' colour distribution.
    this.content = tf.tidy(() => {
      if (params.colour !== 'match') return content.clone() as tf.Tensor4D;
      const scaled = this.paintings.map((p) => ({ image: styleAtScale(p.image, Math.max(h, w), params.styleScale), weight: p.weight }));
      return matchColours(content, scaled);
    });
    this.rng = createRng(params.seed);
    const x0: tf.Tensor4D = start
      ? cover(start, h, w)
      : params.init === 'content'
        ? (this.content.clone() as tf.Tensor4D)
        : params.init === 'style'
          ? tf.tidy(() => cover(styleAtScale(this.paintings[0]!.image, Math.max(h, w), params.styleScale), h, w))
          : (tf.randomUniform([1, h, w, 3], -1, 1, 'float32', params.seed) as tf.Tensor4D);
    // A picture that is already there (a restart from the one reached) is not coarsened again.
    this.sizes = start ? [[h, w]] : stageSizes(h, w, params.stages);
    this.x = x0;
    if (this.sizes.length > 1) {
      this.start = x0.clone() as tf.Tensor4D;
      this.startHere = resize(x0, ...this.sizes[0]!);
    }
    this.stage = new StyleStage(runner, this.content, this.paintings, this.sizes[0]!, params, tiler);
    this.basis = this.makeBasis();
    this.coefficients = this.encodeAtStage();
    this.adams = this.coefficients.map(() => new Adam(params.learningRate));
  }

  get iteration(): number {
    return this.count;
  }

  /** The latest iterate at full size (at a coarse stage, upsampled). */
  get image(): tf.Tensor4D {
    return this.x;
  }

  /** How many tiles the network's view takes at the current stage (1: it is not tiled). */
  get tileCount(): number {
    const plan = this.stage.contentTiles?.shares.plan;
    return plan ? plan.rows.tiles.length * plan.cols.tiles.length : 1;
  }

  /** [h, w] the optimisation runs at now: smaller than the picture during the coarse stages. */
  get stageSize(): [number, number] {
    return this.stage.size;
  }

  /**
   * The live fields (marked in params/style.ts: weights, the learning rate, the paintings' shares, whose colours
   * are shown, the smoothing) taken as they are; the others need a new session (styleNeedsRebuild).
   */
  setWeights(p: StyleParams): void {
    const reblend = p.styleBlend.length !== this.params.styleBlend.length || p.styleBlend.some((w, i) => w !== this.params.styleBlend[i]);
    this.params = { ...this.params, ...liveFields(styleParamsSchema, p) };
    for (const adam of this.adams) adam.learningRate = this.params.learningRate;
    if (reblend && this.paintings.length > 1) this.stage.blend(shares(this.params.styleBlend, this.paintings.length));
  }

  private makeBasis(): ImageBasis {
    return this.params.basis === 'pyramid' ? new PyramidBasis(this.params.pyramidLevels) : pixelBasis;
  }

  /** The full-size iterate resampled to the stage and encoded. */
  private encodeAtStage(): tf.Tensor[] {
    const [h, w] = this.stage.size;
    return tf.tidy(() => this.basis.encode(resize(this.x, h, w)));
  }

  /** When a coarse stage has had its iterations, the next size takes over from the picture reached. */
  private nextStage(): void {
    if (this.stageIndex >= this.sizes.length - 1 || this.count - this.stageStart < this.params.stageIterations) return;
    this.stageIndex += 1;
    this.stageStart = this.count;
    this.stage.dispose();
    this.stage = new StyleStage(this.runner, this.content, this.paintings, this.sizes[this.stageIndex]!, this.params, this.tiler);
    tf.dispose(this.coefficients);
    for (const adam of this.adams) adam.dispose();
    this.basis.dispose();
    this.basis = this.makeBasis();
    this.coefficients = this.encodeAtStage();
    this.adams = this.coefficients.map(() => new Adam(this.params.learningRate));
    this.startHere?.dispose();
    this.startHere = null;
    if (this.stageIndex < this.sizes.length - 1) this.startHere = resize(this.start!, ...this.stage.size);
    else {
      this.start?.dispose();
      this.start = null;
    }
  }

  /** A picture at the stage's size as the full-size picture: itself at the full size, else the start plus its change. */
  private toFull(decoded: tf.Tensor4D): tf.Tensor4D {
    const [, h, w] = this.x.shape;
    if (!this.start || !this.startHere) return resize(decoded, h, w);
    return tf.tidy(() => this.start!.add(resize(decoded.sub(this.startHere!) as tf.Tensor4D, h, w)).clipByValue(-1, 1) as tf.Tensor4D);
  }

  step(): tf.Tensor1D {
    recordStepPath({ path: 'ops', reason: 'style transfer' });
    this.nextStage();
    this.scalars.sweep();
    const p = this.params;
    const stage = this.stage;
    const v = stage.randomView(this.rng);
    if (stage.contentTiles) return this.tiledStep(v);
    const planned = this.plannedStep(v);
    if (typeof planned !== 'string') return planned;
    const { next, image, losses } = tf.tidy(() => {
      let figures: tf.Tensor1D | null = null;
      const k = this.scalars.of;
      const weights = { content: p.contentWeight, style: p.styleWeight, tv: p.tvWeight };
      const terms = { contentLayer: p.contentLayer, styleLayers: p.styleLayers, contentTarget: stage.contentTarget, grams: stage.targets, weights };
      const { grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => {
        const x = clipToRange(this.basis.decode(ps));
        const { total, parts } = styleLoss(this.runner, x, stage.view(x, v.dy, v.dx, v.angle, v.scale), terms, this.tv, k);
        // valueAndGrads frees what its function does not return; the figures are kept and returned.
        figures = tf.keep(parts);
        return total;
      })(this.coefficients, k(1));
      const next = this.coefficients.map((q, k) => this.adams[k]!.step(q, grads[k]!));
      const decoded = this.basis.decode(next).clipByValue(-1, 1) as tf.Tensor4D;
      const image = this.toFull(decoded);
      return { next, image, losses: figures! as tf.Tensor1D };
    });
    // The loss alone ran on a plan: say why the rest of the iteration did not.
    if (lastStepPath().path === 'style-loss') recordStepPath({ path: 'style-loss', reason: planned });
    return this.moveTo(next, image, losses);
  }

  /**
   * The whole iteration recorded on the WebGPU plan (plan/style-iteration.ts): the same numbers as the tfjs ops of
   * step(), with no tfjs kernel. Or why not: a view that turns or scales, plans off, or a plan still being built.
   */
  private plannedStep(v: { dy: number; dx: number; angle: number; scale: number }): tf.Tensor1D | string {
    if (v.angle !== 0 || v.scale !== 1) return 'a turned or scaled view';
    const p = this.params;
    const stage = this.stage;
    const adams = this.adams.map((a) => a.begin());
    const result = plannedStyleIteration(this.runner, {
      contentLayer: p.contentLayer,
      styleLayers: p.styleLayers,
      contentTarget: stage.contentTarget,
      grams: stage.targets,
      weights: { content: p.contentWeight, style: p.styleWeight, tv: p.tvWeight },
      coefficients: this.coefficients,
      moments: adams.map((a) => a.moments),
      colour: p.basis === 'pyramid',
      view: stage.placement(v.dy, v.dx),
      adam: adams[0]!.attrs,
    });
    if (typeof result === 'string') return result;
    recordStepPath({ path: 'style' });
    result.moments.forEach((m, k) => this.adams[k]!.settle(m));
    const image = this.toFull(result.image);
    if (image !== result.image) result.image.dispose();
    return this.moveTo(result.coefficients, image, result.losses);
  }

  /**
   * step() for a view larger than a tile: the view is made once without a gradient, its gradient comes from the
   * tiles (tiledStyleGradient: the whole view's Gram matrices, accumulated tile by tile), and is then carried back
   * through the view and the basis to the coefficients in one backward pass, with the total variation's own.
   */
  private tiledStep(v: { dy: number; dx: number; angle: number; scale: number }): tf.Tensor1D {
    const p = this.params;
    const stage = this.stage;
    const view = tf.tidy(() => stage.view(this.basis.decode(this.coefficients).clipByValue(-1, 1) as tf.Tensor4D, v.dy, v.dx, v.angle, v.scale));
    const terms = { contentLayer: p.contentLayer, styleLayers: p.styleLayers, targets: stage.targets, contentWeight: p.contentWeight, styleWeight: p.styleWeight };
    const { grad, content, style } = tiledStyleGradient(this.runner, view, stage.contentTiles!, terms, this.tiler?.probe);
    view.dispose();
    const { next, image, losses } = tf.tidy(() => {
      const parts: tf.Scalar[] = [];
      const { grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => {
        const x = clipToRange(this.basis.decode(ps));
        const t = this.tv.loss(x);
        parts.push(tf.keep(t));
        return dotConstant(stage.view(x, v.dy, v.dx, v.angle, v.scale), grad).add(t.mul(p.tvWeight)) as tf.Scalar;
      })(this.coefficients);
      const next = this.coefficients.map((q, k) => this.adams[k]!.step(q, grads[k]!));
      const image = this.toFull(this.basis.decode(next).clipByValue(-1, 1) as tf.Tensor4D);
      const tv = parts[0]!;
      const total = content.mul(p.contentWeight).add(style.mul(p.styleWeight)).add(tv.mul(p.tvWeight));
      const losses = tf.stack([total, content, style, tv]) as tf.Tensor1D;
      tv.dispose();
      return { next, image, losses };
    });
    tf.dispose([grad, content, style]);
    return this.moveTo(next, image, losses);
  }

  /** Takes the step's new coefficients and picture (both steps end here), and counts the step. */
  private moveTo(next: tf.Tensor[], image: tf.Tensor4D, losses: tf.Tensor1D): tf.Tensor1D {
    tf.dispose(this.coefficients);
    this.coefficients = next;
    this.x.dispose();
    this.x = image;
    this.average();
    this.count += 1;
    return losses;
  }

  /** shown ← β·shown + (1 − β)·x; restarted from the iterate at every stage (a stage's first iterates jump). */
  private average(): void {
    const beta = this.params.smoothing;
    if (beta === 0 || this.count === this.stageStart) {
      this.shown?.dispose();
      this.shown = beta === 0 ? null : (this.x.clone() as tf.Tensor4D);
      return;
    }
    const prev = this.shown ?? this.x;
    const next = tf.tidy(() => prev.mul(beta).add(this.x.mul(1 - beta)) as tf.Tensor4D);
    this.shown?.dispose();
    this.shown = next;
  }

  display(): tf.Tensor4D {
    const x = this.shown ?? this.x;
    return this.params.colour === 'content' ? keepColours(x, this.content) : x.clone();
  }

  dispose(): void {
    this.content.dispose();
    for (const p of this.paintings) p.image.dispose();
    this.stage.dispose();
    for (const adam of this.adams) adam.dispose();
    this.tv.dispose();
    this.scalars.dispose();
    this.basis.dispose();
    tf.dispose(this.coefficients);
    this.x.dispose();
    this.shown?.dispose();
    this.start?.dispose();
    this.startHere?.dispose();
  }
}
