import * as tf from '@tensorflow/tfjs';
import { rankChannels, readLayer } from '../../lens/activations';
import { FeatureVis } from '../../lens/feature-vis';
import { targetLabel, type FeatureTarget } from '../../lens/targets';
import type { ModelRunner } from '../../model/runner';
import type { Inspection } from '../mode';
import type { LensParams } from './about';
import { fitInside, tileSheet } from './paint';
import { lensTarget } from './target';
import type { LensView } from './view';

/** The side a channel's picture grows at: large enough to read on the stage, small enough to grow in seconds. */
const SIDE = 128;
/** The diversity term's weight with several copies (scaled by the batch's objective: 0.5–2 is the useful range). */
const DIVERSITY = 1;

/**
 * Activation maximisation, shown forming: the chosen channel's feature visualisation grown from noise (decorrelated
 * colour, 1/f spectrum, jitter, scale and rotation each step), a few steps a frame: a channel, its centre neuron, or
 * a mix of it and a second channel. With no channel chosen, the one most active on the picture when the view starts.
 */
export class FeaturesView implements LensView {
  private vis: FeatureVis | null = null;
  private disposed = false;

  constructor(
    private readonly runner: ModelRunner,
    private readonly p: LensParams,
    picture: tf.Tensor4D,
  ) {
    if (p.channel >= 0) this.vis = this.grow(p.channel);
    else
      void readLayer(runner, picture, p.layer).then((r) => {
        if (!this.disposed) this.vis = this.grow(rankChannels(r, 1)[0]!.channel);
      });
  }

  /** The channel being grown (−1 until the most active one is known). */
  get channel(): number {
    return this.vis ? this.vis.targets[0]!.terms[0]!.channel : -1;
  }

  /** One picture, or `copies` kept apart by the diversity term (each a different answer to the same target). */
  private grow(channel: number): FeatureVis {
    const target = lensTarget(this.p, channel);
    return FeatureVis.copies(this.runner, target, this.p.copies, { size: SIDE, seed: channel, diversity: this.p.copies > 1 ? DIVERSITY : 0 });
  }

  frame(picture: tf.Tensor4D, steps: number, [h, w]: [number, number]): { image: tf.Tensor4D; loss: tf.Tensor1D | null } {
    if (!this.vis) return { image: tf.tidy(() => fitInside(picture.mul(0.3), h, w)), loss: null };
    let losses: tf.Tensor1D | null = null;
    for (let i = 0; i < steps; i++) {
      losses?.dispose();
      losses = this.vis.step();
    }
    // The figure shown is the channel's objective, rising as the picture forms.
    const loss = losses ? tf.tidy(() => losses!.slice([1], [1]) as tf.Tensor1D) : null;
    losses?.dispose();
    const vis = this.vis;
    const image = this.p.copies > 1 ? tileSheet(vis.image, this.p.copies, [h, w], 4).image : tf.tidy(() => fitInside(vis.display(), h, w));
    return { image, loss };
  }

  /** What is growing, for the panel: the channel (once known) and how far it has come. */
  async inspect(): Promise<Inspection> {
    const what = this.vis ? this.label(this.vis.targets[0]!) : `${this.p.layer}: finding the most active channel`;
    return { title: `${what}, grown from noise: step ${this.vis?.iteration ?? 0}`, tiles: [] };
  }

  /** A channel or neuron in words; a mix by its terms ("mixed4:0.5×97+0.5×12"), which say it shortest. */
  private label(t: FeatureTarget): string {
    if (this.p.target === 'mix') return `the mix ${targetLabel(t)}`;
    return `${this.p.layer} #${this.channel}${this.p.target === 'neuron' ? ' (its centre neuron)' : ''}`;
  }

  dispose(): void {
    this.disposed = true;
    this.vis?.dispose();
    this.vis = null;
  }
}
