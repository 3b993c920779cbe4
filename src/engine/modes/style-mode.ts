import type * as tf from '@tensorflow/tfjs';
import { cover } from '../image/geometry';
import type { Settings } from '../params/settings';
import type { StreamParams } from '../params/stream';
import type { StyleParams } from '../params/style';
import { renderFrame } from '../render/frames';
import { StyleSession } from '../sessions/style-session';
import { hookFirstStep, KEPT, type Change, type Mode, type ModeContext, type StepHook } from './mode';

type Layers = StyleParams['styleLayers'];

const sameLayers = (a: Layers, b: Layers) =>
  a.length === b.length && a.every((l, i) => l.name === b[i]!.name && l.weight === b[i]!.weight);

/**
 * What a style session cannot change in place: its layers (the targets are computed once, per layer), its init
 * (where the picture starts), its basis, the view the network gets (padding, jitter, the jitter's seed), the
 * painting's scale and colour matching (both change the targets). Weights, the learning rate and showing the
 * content's colours change live.
 */
export function styleNeedsRebuild(prev: StyleParams, next: StyleParams): boolean {
  const structural = (['contentLayer', 'init', 'basis', 'pyramidLevels', 'pad', 'jitter', 'seed', 'styleScale'] as const).some((k) => prev[k] !== next[k]);
  return structural || (prev.colour === 'match') !== (next.colour === 'match') || !sameLayers(prev.styleLayers, next.styleLayers);
}

/**
 * Style transfer at the working size: the content and style targets are fixed at build time, so a new size or a
 * new style picture rebuilds it from the picture it has reached.
 */
export class StyleMode implements Mode {
  readonly name = 'style' as const;
  private readonly session: StyleSession;

  constructor(
    ctx: ModeContext,
    private settings: Settings,
    [h, w]: [number, number],
    start?: tf.Tensor4D,
  ) {
    const content = cover(ctx.content, h, w);
    try {
      this.session = new StyleSession(ctx.runner, content, ctx.style ?? ctx.content, settings.style, start);
    } finally {
      content.dispose();
    }
  }

  get lossNames(): readonly string[] {
    return this.session.lossNames;
  }

  get iteration(): number {
    return this.session.iteration;
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
    if (styleNeedsRebuild(prev, settings.style)) return { kind: 'rebuild', from: prev.init !== settings.style.init ? 'fresh' : 'image', fade: false };
    this.session.setWeights(settings.style);
    return KEPT;
  }

  resize(height: number, width: number): Change {
    const [, h, w] = this.session.image.shape;
    return h === height && w === width ? KEPT : { kind: 'rebuild', from: 'image', fade: false };
  }

  styleChanged(): Change {
    return { kind: 'rebuild', from: 'image', fade: false };
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
