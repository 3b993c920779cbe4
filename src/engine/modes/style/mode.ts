import type * as tf from '@tensorflow/tfjs';
import type { Mask } from '../../mask/mask';
import { cover } from '../../image/geometry';
import type { Settings } from '../../params/settings';
import type { StreamParams } from '../../params/stream';
import { rebuildsChanged } from '../../params/apply';
import { styleParamsSchema, type StyleParams } from '../../params/style';
import { renderFrame } from '../../render/frames';
import { StyleRegions } from '../../sessions/style-regions';
import { hookFirstStep, KEPT, type Change, type Mode, type ModeContext, type StepHook } from '../mode';
import { regionPaintings, twoRegions } from './paintings';

/**
 * What a style session cannot change in place: the fields params/style.ts marks rebuild (the targets are computed
 * once, per layer, from the view and the stages), and colour matching switched or reblended (recoloured).
 */
export function styleNeedsRebuild(prev: StyleParams, next: StyleParams): boolean {
  return rebuildsChanged(styleParamsSchema, prev, next).length > 0 || recoloured(prev, next);
}

/**
 * Whether the photo the optimisation starts from and aims at takes other colours: matching switched on or off, or,
 * while matching, a new blend of the paintings. The picture then starts over from the recoloured photo.
 */
function recoloured(prev: StyleParams, next: StyleParams): boolean {
  if ((prev.colour === 'match') !== (next.colour === 'match')) return true;
  const reblended = prev.styleBlend.length !== next.styleBlend.length || prev.styleBlend.some((w, i) => w !== next.styleBlend[i]);
  return next.colour === 'match' && reblended;
}


/**
 * Style transfer at the working size: the content and style targets are fixed at build time, so a new size or a
 * new style picture rebuilds it from the picture it has reached. With a mask the style applies where it is
 * painted (StyleRegions): outside, the photo, or the second painting alone when the mask settings say 'other'.
 */
export class StyleMode implements Mode {
  readonly name = 'style' as const;
  private readonly session: StyleRegions;
  /** The loop's mask, as last given (the build context's may be older). */
  private mask: Mask | null;

  constructor(
    private readonly ctx: ModeContext,
    private settings: Settings,
    [h, w]: [number, number],
    start?: tf.Tensor4D,
    /** Iterations the picture had before this session (a rebuild at a new working size carries the count on). */
    private readonly iterationsBefore = 0,
  ) {
    const photo = cover(ctx.content, h, w);
    const mask = (this.mask = ctx.mask ?? null);
    const { inside, outside } = regionPaintings(ctx, settings, mask);
    try {
      this.session = new StyleRegions(ctx.runner, { photo, inside, outside, params: settings.style, mask, start, maskLater: true });
    } finally {
      photo.dispose();
    }
  }

  get lossNames(): readonly string[] {
    return this.session.lossNames;
  }

  get iteration(): number {
    return this.iterationsBefore + this.session.iteration;
  }

  get image(): tf.Tensor4D {
    return this.session.image;
  }

  get stream(): StreamParams {
    return this.settings.stream;
  }

  apply(settings: Settings): Change {
    // Dreaming (or the camera) goes on from the styled picture.
    if (settings.mode !== 'style') return { kind: 'rebuild', from: 'image', fade: true };
    const prev = this.settings.style;
    this.settings = settings;
    if (styleNeedsRebuild(prev, settings.style)) {
      const fresh = prev.init !== settings.style.init || recoloured(prev, settings.style);
      return { kind: 'rebuild', from: fresh ? 'fresh' : 'image', fade: fresh };
    }
    // One region or two: other sessions, going on from the picture reached.
    if (twoRegions(this.ctx, settings, this.mask) !== this.session.twoRegions) return { kind: 'rebuild', from: 'image', fade: false };
    this.session.setWeights(settings.style);
    return KEPT;
  }

  /** A new size rebuilds the session from the picture reached; the iterations go on counting (carry). */
  resize(height: number, width: number): Change {
    const [, h, w] = this.session.image.shape;
    return h === height && w === width ? KEPT : { kind: 'rebuild', from: 'image', fade: false, carry: true };
  }

  setMask(mask: Mask | null): Change {
    if (twoRegions(this.ctx, this.settings, mask) !== this.session.twoRegions) return { kind: 'rebuild', from: 'image', fade: false };
    this.mask = mask;
    this.session.setMask(mask);
    return KEPT;
  }

  /**
   * A new painting starts the picture over, fading across: what it aims at has changed, and with colour matching
   * the photo must first take the new painting's colours (from the picture reached, it would keep the old ones).
   */
  styleChanged(): Change {
    return { kind: 'rebuild', from: 'fresh', fade: true };
  }

  setGuide(): void {}

  cameraFrame(): void {}

  frame(steps: number, first?: StepHook): { image: tf.Tensor4D; losses: tf.Tensor1D | null } {
    return renderFrame(hookFirstStep(this.session, first), steps);
  }

  display(): tf.Tensor4D {
    return this.session.display();
  }

  dispose(): void {
    this.session.dispose();
  }
}
