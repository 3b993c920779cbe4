import * as tf from '@tensorflow/tfjs';
import { resize } from '../image/geometry';
import type { ModelRunner } from '../model/runner';
import type { DreamParams } from '../params/dream';
import { createRng } from '../random';
import { dreamStep, type DreamStepOptions } from './dream-step';
import { octaveSizes } from './octaves';
import type { Session } from './session';

/** What a DeepDream session may be given besides its picture and parameters: what each step is given. */
export type DreamSessionOptions = DreamStepOptions;

/**
 * A still DeepDream with octaves: dream at the smallest scale, then carry the added detail (image − base) up to the
 * next scale and keep dreaming, as in the original notebook. Each step() is one gradient step of the schedule.
 */
export class DreamSession implements Session {
  readonly lossNames = ['loss'] as const;
  readonly sizes: [number, number][];
  private readonly rng: () => number;
  /** Until the last octave starts (then nothing needs it again). */
  private source: tf.Tensor4D | null;
  private base: tf.Tensor4D | null = null;
  private current: tf.Tensor4D;
  private octave = -1;
  private stepInOctave = 0;
  private count = 0;

  constructor(
    private readonly runner: ModelRunner,
    source: tf.Tensor4D,
    private readonly params: DreamParams,
    private readonly options: DreamSessionOptions = {},
  ) {
    this.source = source.clone();
    this.current = source.clone();
    this.sizes = octaveSizes(source.shape[1], source.shape[2], params.octaves, params.octaveScale);
    this.rng = createRng(params.seed);
  }

  get iteration(): number {
    return this.count;
  }

  get image(): tf.Tensor4D {
    return this.current;
  }

  get totalSteps(): number {
    return this.sizes.length * this.params.stepsPerOctave;
  }

  get done(): boolean {
    return this.count >= this.totalSteps;
  }

  step(): tf.Tensor1D {
    if (this.done) throw new Error('dream finished: all octaves are done');
    if (this.octave < 0 || this.stepInOctave >= this.params.stepsPerOctave) this.nextOctave();
    const { image, loss } = dreamStep(this.runner, this.current, this.params, this.rng, this.options);
    this.current.dispose();
    this.current = image;
    this.stepInOctave += 1;
    this.count += 1;
    if (this.done) this.finish();
    const out = loss.reshape([1]) as tf.Tensor1D;
    loss.dispose();
    return out;
  }

  private nextOctave(): void {
    this.octave += 1;
    this.stepInOctave = 0;
    const [h, w] = this.sizes[this.octave]!;
    const source = this.source!;
    const next = tf.tidy(() => {
      const base = resize(source, h, w);
      if (!this.base) return { base, image: this.octave === 0 ? base.clone() : resize(this.current, h, w) };
      const detail = resize(this.current.sub(this.base) as tf.Tensor4D, h, w);
      return { base, image: base.add(detail).clipByValue(-1, 1) as tf.Tensor4D };
    });
    this.base?.dispose();
    this.current.dispose();
    this.current = next.image;
    // The last octave needs neither its base nor the source again: a large still holds two picture-sized tensors less.
    if (this.octave === this.sizes.length - 1) {
      next.base.dispose();
      this.base = null;
      source.dispose();
      this.source = null;
    } else this.base = next.base;
  }

  private finish(): void {
    this.base?.dispose();
    this.base = null;
  }

  display(): tf.Tensor4D {
    return this.current.clone();
  }

  dispose(): void {
    this.source?.dispose();
    this.base?.dispose();
    this.current.dispose();
  }
}
