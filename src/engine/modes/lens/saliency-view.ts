import * as tf from '@tensorflow/tfjs';
import { saliencyTensor } from '../../lens/saliency';
import type { ModelRunner } from '../../model/runner';
import type { Inspection } from '../mode';
import type { LensParams } from './about';
import { overlay } from './paint';
import type { LensView } from './view';

/** Values at and above the 99th percentile map to 1: a few extreme pixels would leave the rest of the map dark. */
function clipTop(heat: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const flat = heat.reshape([-1]);
    const k = Math.max(1, Math.ceil(flat.size * 0.01));
    const top = tf.topk(flat, k).values.min();
    return heat.div(top.maximum(1e-12)).clipByValue(0, 1) as tf.Tensor2D;
  });
}

/**
 * Where the picture makes the chosen channel fire (its mean activation), or the whole layer (½‖a‖²) when none is
 * chosen: the input gradient's magnitude as a heat map over the picture, by the plain gradient, SmoothGrad or
 * gradient × input.
 */
export class SaliencyView implements LensView {
  private seed = 0;

  constructor(
    private readonly runner: ModelRunner,
    private readonly p: LensParams,
  ) {
  }

  frame(picture: tf.Tensor4D): { image: tf.Tensor4D; loss: null } {
    const target = { layer: this.p.layer, channel: this.p.channel >= 0 ? this.p.channel : undefined };
    // A new noise draw each frame: SmoothGrad's map settles as the eye averages the frames.
    const heat = saliencyTensor(this.runner, picture, target, { method: this.p.method, samples: this.p.samples, seed: this.seed++ });
    try {
      return { image: tf.tidy(() => overlay(picture, clipTop(heat), this.p.overlay)), loss: null };
    } finally {
      heat.dispose();
    }
  }

  /** What the heat map is of, for the panel. */
  async inspect(): Promise<Inspection> {
    const target = this.p.channel >= 0 ? `${this.p.layer} #${this.p.channel}` : `all of ${this.p.layer} (½‖a‖²)`;
    const method = { gradient: 'the plain gradient', smoothgrad: `SmoothGrad of ${this.p.samples}`, 'gradient-x-input': 'gradient × input' }[this.p.method];
    return { title: `where the picture makes ${target} fire: ${method}`, tiles: [] };
  }

  dispose(): void {}
}
