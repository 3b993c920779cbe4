import * as tf from '@tensorflow/tfjs';
import { Adam } from '../optimise/adam';
import { customGradient } from '../model/gradients/custom-gradient';
import { MIN_INPUT_SIZE, type ModelRunner } from '../model/runner';
import { modelToBytes } from '../image/convert';
import { FourierImage } from './fourier';
import { MoveSampler, robustView, type RobustnessOptions } from './robustness';
import { TargetScorer } from './scorer';
import { gramSimilarity, type FeatureTarget } from './targets';
import { rgbPixels, type RgbPixels } from './types';

export interface FeatureVisOptions {
  /** Side of each picture, px. */
  size?: number;
  /** Adam's step on the spectrum (Lucid's 0.05). */
  learningRate?: number;
  /** Spectrum scale 1/f^decay: higher is smoother. */
  decay?: number;
  /**
   * Spectrum roll-off, cycles per pixel (0.5 is Nyquist; Infinity: none). 0.2 keeps the picture's pixel-scale
   * energy below a photo's (measured: scripts/lens-sheet.ts) while the network's patterns, a few px across, stay.
   */
  cutoff?: number;
  /** Score channels made by a convolution before its ReLU (see TargetScorer); default true. */
  preRelu?: boolean;
  /** Std of the starting spectrum: 0.01 is Lucid's near-grey start; larger starts from visible (pink) noise. */
  initStd?: number;
  /** Transformation robustness; `false` turns it off. */
  robustness?: RobustnessOptions | false;
  /**
   * Weight of the diversity term (Lucid uses ~1e2–1e3 against a mean activation; it is scaled here by the batch's
   * mean objective, so 0.5–2 is a useful range): items of the batch that share a target layer are pushed apart by
   * the cosine similarity of their Gram matrices there. 0: off.
   */
  diversity?: number;
  seed?: number;
}

export const FEATURE_VIS_DEFAULTS = { size: 128, learningRate: 0.05, decay: 1, cutoff: 0.2, initStd: 0.01, diversity: 0, seed: 0 } as const;

/**
 * Activation maximisation: a batch of pictures, item b grown from noise to excite targets[b] (a channel, a neuron, a
 * mix). Each step() is one Adam step on the pictures' Fourier spectra (decorrelated colour, 1/f scale) with the
 * network seeing a randomly padded, jittered, scaled and rotated view; so a UI can show the pictures forming.
 * Several targets in one batch share each forward and backward pass (an atlas renders a layer this way).
 *
 * Shaped like a Session (src/engine/sessions/session.ts): lossNames, iteration, image, step(), display(), dispose();
 * `image` holds the whole batch.
 */
export class FeatureVis {
  readonly lossNames = ['loss', 'objective', 'diversity'] as const;
  readonly targets: readonly FeatureTarget[];
  readonly size: number;
  private readonly param: FourierImage;
  private readonly adam: Adam;
  private readonly moves: MoveSampler | undefined;
  private readonly layers: string[];
  private readonly scorer: TargetScorer;
  private readonly diversity: number;
  private current: tf.Tensor4D;
  private steps = 0;
  private disposed = false;

  constructor(
    private readonly runner: ModelRunner,
    targets: readonly FeatureTarget[],
    options: FeatureVisOptions = {},
  ) {
    if (targets.length < 1) throw new RangeError('FeatureVis needs at least one target');
    for (const t of targets) {
      if (!runner.has(t.layer)) throw new Error(`unknown layer "${t.layer}"`);
      const c = runner.channels(t.layer);
      for (const { channel } of t.terms) if (!Number.isInteger(channel) || channel < 0 || channel >= c) throw new RangeError(`${t.layer} has channels 0–${c - 1}, not ${channel}`);
    }
    const o = { ...FEATURE_VIS_DEFAULTS, ...options };
    this.targets = [...targets];
    this.size = o.size;
    const pad = options.robustness === false ? 0 : (options.robustness?.pad ?? 12);
    if (o.size + 2 * pad < MIN_INPUT_SIZE) throw new RangeError(`size ${o.size} (+${pad} px border each side) is below the model's minimum of ${MIN_INPUT_SIZE} px`);
    this.param = new FourierImage(targets.length, o.size, o.size, { decay: o.decay, cutoff: o.cutoff, std: o.initStd, seed: o.seed });
    this.adam = new Adam(o.learningRate);
    this.moves = options.robustness === false ? undefined : new MoveSampler(options.robustness ?? {}, o.seed);
    this.layers = [...new Set(targets.map((t) => t.layer))];
    this.scorer = new TargetScorer(runner, targets, options.preRelu ?? true);
    this.diversity = o.diversity;
    this.current = this.param.decode();
  }

  /** A batch of B copies of one target (for diversity: B different pictures of one channel). */
  static copies(runner: ModelRunner, target: FeatureTarget, batch: number, options: FeatureVisOptions = {}): FeatureVis {
    return new FeatureVis(runner, Array.from({ length: batch }, () => target), options);
  }

  get iteration(): number {
    return this.steps;
  }

  /** The pictures, [B, size, size, 3] in (-1, 1); owned here, replaced by the next step. */
  get image(): tf.Tensor4D {
    return this.current;
  }

  /**
   * One step. Returns [loss, objective, diversity] (objective: the batch's mean target value, on the moved view;
   * diversity: the mean Gram cosine similarity, 0 when off) as one small tensor to read back asynchronously; the
   * caller disposes it.
   */
  step(): tf.Tensor1D {
    if (this.disposed) throw new Error('FeatureVis used after dispose()');
    const b = this.targets.length;
    const moves = this.moves?.next(b) ?? [];
    const pad = this.moves?.options.pad ?? 0;
    const terms: { objective?: tf.Scalar; diversity?: tf.Scalar } = {};
    const { value, grads } = this.lossAndGrad(moves, pad, terms);
    const next = this.adam.step(this.param.spectrum, grads);
    grads.dispose();
    this.param.spectrum.dispose();
    this.param.spectrum = next;
    this.current.dispose();
    this.current = this.param.decode();
    this.steps += 1;
    const out = tf.tidy(() => tf.stack([value, terms.objective!, terms.diversity!]) as tf.Tensor1D);
    tf.dispose([value, terms.objective!, terms.diversity!]);
    return out;
  }

  private lossAndGrad(moves: ReturnType<MoveSampler['next']>, pad: number, terms: { objective?: tf.Scalar; diversity?: tf.Scalar }): { value: tf.Scalar; grads: tf.Tensor4D } {
    const f = (spectrum: tf.Tensor) => {
      const x = this.param.decode(spectrum as tf.Tensor4D);
      const view = this.moves ? robustView(x, moves, pad) : x;
      const diverse = this.diversity > 0 && this.targets.length > 1;
      const acts = this.runner.run(view, [...new Set([...this.scorer.outputs, ...(diverse ? this.layers : [])])]);
      const values = this.scorer.score(acts);
      const objective = values.mean() as tf.Scalar;
      let loss = values.sum().neg() as tf.Scalar;
      let diversity: tf.Scalar = tf.scalar(0);
      if (diverse) {
        const sims = this.layers.map((layer) => {
          const items = this.targets.map((t, i) => (t.layer === layer ? i : -1)).filter((i) => i >= 0);
          if (items.length < 2) return tf.scalar(0);
          const a = acts[layer]!;
          // Slices, not tf.gather: gather's gradient (UnsortedSegmentSum) has no wasm kernel.
          return gramSimilarity(items.length === a.shape[0] ? a : tf.concat(items.map((i) => a.slice([i], [1]))));
        });
        diversity = tf.addN(sims).div(sims.length) as tf.Scalar;
        // Scaled by the (unchanging) size of the objective, so one weight means the same on any layer.
        const scale = detached(values.abs().mean().add(1e-3) as tf.Scalar);
        loss = loss.add(diversity.mul(scale.mul(this.diversity * this.targets.length))) as tf.Scalar;
      }
      terms.objective = tf.keep(objective.clone());
      terms.diversity = tf.keep(diversity.clone());
      return loss;
    };
    return tf.tidy(() => {
      const { value, grad } = tf.valueAndGrad(f)(this.param.spectrum);
      return { value: value as tf.Scalar, grads: grad as tf.Tensor4D };
    });
  }

  /** Item `index` to show, [1, size, size, 3] in (-1, 1); a new tensor the caller disposes. */
  display(index = 0): tf.Tensor4D {
    return tf.tidy(() => this.current.slice([index, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D);
  }

  /** Item `index` as 8-bit pixels. */
  async pixels(index = 0): Promise<RgbPixels> {
    const bytes = tf.tidy(() => modelToBytes(this.current.slice([index, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D));
    const data = Uint8Array.from((await bytes.data()) as Int32Array);
    bytes.dispose();
    return rgbPixels(this.size, this.size, data);
  }

  /** Runs `steps` steps, awaiting each loss (so a caller's event loop keeps turning); resolves to the last losses. */
  async run(steps: number, onStep?: (i: number, losses: Float32Array) => void): Promise<Float32Array> {
    let last: Float32Array = new Float32Array(3);
    for (let i = 0; i < steps; i++) {
      const l = this.step();
      last = Float32Array.from(await l.data());
      l.dispose();
      onStep?.(i, last);
    }
    return last;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.current.dispose();
    this.param.dispose();
    this.adam.dispose();
    this.scorer.dispose();
  }
}

/** x as a constant: its value, no gradient through it (tfjs has no stopGradient). */
function detached(x: tf.Scalar): tf.Scalar {
  return customGradient<[tf.Scalar], tf.Scalar>(([t]) => ({ value: t.clone(), gradFunc: (dy) => tf.zerosLike(dy) }))(x);
}
