import type * as tf from '@tensorflow/tfjs';
import { cover } from '../image/geometry';
import type { Mask } from '../mask/mask';
import { dreamRegions } from '../mask/regions';
import type { GuideFeatures } from '../objectives/dream';
import type { Settings } from '../params/settings';
import type { StreamParams } from '../params/stream';
import { renderFrame } from '../render/frames';
import { StreamSession } from '../sessions/stream-session';
import type { ModeName } from './catalog';
import { hookFirstStep, KEPT, type Change, type Mode, type ModeContext, type StepHook } from './mode';

/** A stream session at the working size, starting from `start` (else the content picture). */
export function streamSession(ctx: ModeContext, settings: Settings, stream: StreamParams, [h, w]: [number, number], start?: tf.Tensor4D): StreamSession {
  const initial = cover(start ?? ctx.content, h, w);
  try {
    return new StreamSession(ctx.runner, initial, settings.dream, stream, { guide: ctx.guide });
  } finally {
    initial.dispose();
  }
}

/**
 * What dreaming and webcam dreaming share: a zoom stream session that resamples to a new size and follows the
 * guide live. The subclasses say how settings map onto its feedback transform and where a switch leads.
 */
export abstract class StreamMode implements Mode {
  abstract readonly name: Extract<ModeName, 'dream' | 'webcam'>;
  readonly lossNames: readonly string[] = ['loss'];
  /** Null once handed over to a successor: dispose() then has nothing to free. */
  private owned: StreamSession | null;

  protected constructor(
    session: StreamSession,
    private current: Settings,
    /** The mask the steps keep to (the loop's), if any. */
    protected mask: Mask | null = null,
  ) {
    this.owned = session;
    session.setRegions(dreamRegions(current, mask));
  }

  protected get settings(): Settings {
    return this.current;
  }

  /** New settings of this mode: the session's regions follow (the outside layers may have changed). */
  protected set settings(next: Settings) {
    this.current = next;
    this.session.setRegions(dreamRegions(next, this.mask));
  }

  abstract get stream(): StreamParams;
  abstract apply(settings: Settings): Change;

  protected get session(): StreamSession {
    if (!this.owned) throw new Error(`the ${this.name} mode was handed over`);
    return this.owned;
  }

  /** Gives the session to the mode that follows; this one holds nothing any more. */
  protected handOver(): StreamSession {
    const s = this.session;
    this.owned = null;
    return s;
  }

  get iteration(): number {
    return this.session.iteration;
  }

  get image(): tf.Tensor4D {
    return this.session.image;
  }

  resize(height: number, width: number): Change {
    this.session.resize(height, width);
    return KEPT;
  }

  setMask(mask: Mask | null): Change {
    this.mask = mask;
    this.session.setRegions(dreamRegions(this.settings, mask));
    return KEPT;
  }

  styleChanged(): Change {
    return KEPT;
  }

  setGuide(guide: GuideFeatures | undefined): void {
    this.session.setGuide(guide);
  }

  cameraFrame(_frame: tf.Tensor4D): void {}

  frame(steps: number, first?: StepHook): { image: tf.Tensor4D; losses: tf.Tensor1D | null } {
    return renderFrame(hookFirstStep(this.session, first), steps);
  }

  display(): tf.Tensor4D {
    return this.session.display();
  }

  dispose(): void {
    this.owned?.dispose();
    this.owned = null;
  }
}
