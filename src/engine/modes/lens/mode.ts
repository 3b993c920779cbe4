import * as tf from '@tensorflow/tfjs';
import { cover } from '../../image/geometry';
import type { ModelRunner } from '../../model/runner';
import type { Settings } from '../../params/settings';
import type { StreamParams } from '../../params/stream';
import { KEPT, type Change, type Inspection, type Mode, type ModeContext, type Picked, type PickHow } from '../mode';
import type { LensParams } from './about';
import { ActivationsView } from './activations-view';
import { AtlasView } from './atlas-view';
import { FeaturesView } from './features-view';
import { FiltersView } from './filters-view';
import { SaliencyView } from './saliency-view';
import type { LensView } from './view';

/** The view the lens settings ask for, looking at `picture` (borrowed). */
export function makeView(runner: ModelRunner, settings: Settings, picture: tf.Tensor4D, cache: ModeContext['cache']): LensView {
  const p = settings.lens;
  switch (p.view) {
    case 'activations':
      return new ActivationsView(runner, p, cache);
    case 'saliency':
      return new SaliencyView(runner, p);
    case 'features':
      return new FeaturesView(runner, p, picture);
    case 'filters':
      return new FiltersView(runner);
    case 'atlas':
      return new AtlasView(runner, p, cache);
  }
}

/** Sheets (tiles, a grown picture) are drawn at least this large on the long side, whatever the working size. */
export const SHEET_SIDE = 768;

/** The size a sheet is drawn at: the picture's aspect, its long side at least SHEET_SIDE (tiles need the pixels). */
export function sheetSize(picture: tf.Tensor4D): [number, number] {
  const [, h, w] = picture.shape;
  const scale = Math.max(1, SHEET_SIDE / Math.max(h, w));
  return [Math.round(h * scale), Math.round(w * scale)];
}

/**
 * The lens settings each view is made from: a change to one of them makes a new view (a feature visualisation
 * starts again); a change to another leaves the running view as it is.
 */
const VIEW_FIELDS: Readonly<Record<LensParams['view'], readonly (keyof LensParams)[]>> = {
  activations: ['layer', 'channel', 'overlay'],
  saliency: ['layer', 'channel', 'method', 'samples', 'overlay'],
  features: ['layer', 'channel', 'target', 'mixWith', 'mixShare', 'copies'],
  filters: [],
  atlas: ['layer', 'page'],
};

function viewKey(p: LensParams): string {
  return JSON.stringify([p.view, ...VIEW_FIELDS[p.view].map((k) => p[k])]);
}

/**
 * The lens, live: it looks at the picture (the chosen one, the camera's frames while the camera is on, or the dream
 * it was switched to from) through one view at a time. It changes nothing in the picture; what it shows is the
 * view's.
 */
export class LensMode implements Mode {
  readonly name = 'lens';
  readonly lossNames = ['loss'];
  private picture: tf.Tensor4D;
  private view: LensView;
  private key: string;
  private shown: tf.Tensor4D | null = null;
  private frames = 0;

  constructor(
    private readonly ctx: ModeContext,
    private settings: Settings,
    [h, w]: [number, number],
    start?: tf.Tensor4D,
  ) {
    this.picture = cover(start ?? ctx.content, h, w);
    this.key = viewKey(settings.lens);
    this.view = makeView(ctx.runner, settings, this.picture, ctx.cache);
  }

  get iteration(): number {
    return this.frames;
  }

  get image(): tf.Tensor4D {
    return this.picture;
  }

  get stream(): StreamParams {
    return this.settings.stream;
  }

  apply(settings: Settings): Change {
    // Another mode starts from the chosen picture: the lens's view is not a picture to dream on.
    if (settings.mode !== 'lens') return { kind: 'rebuild', from: 'fresh', fade: true };
    this.settings = settings;
    const key = viewKey(settings.lens);
    if (key !== this.key) {
      this.view.dispose();
      this.key = key;
      this.view = makeView(this.ctx.runner, settings, this.picture, this.ctx.cache);
    }
    return KEPT;
  }

  resize(height: number, width: number): Change {
    const next = cover(this.picture, height, width);
    this.picture.dispose();
    this.picture = next;
    return KEPT;
  }

  styleChanged(): Change {
    return KEPT;
  }

  setMask(): Change {
    return KEPT;
  }

  setGuide(): void {}

  cameraFrame(frame: tf.Tensor4D): void {
    const [, h, w] = this.picture.shape;
    const next = cover(frame, h, w);
    this.picture.dispose();
    this.picture = next;
  }

  frame(steps: number): { image: tf.Tensor4D; losses: tf.Tensor1D | null } {
    const { image, loss } = this.view.frame(this.picture, steps, sheetSize(this.picture));
    this.shown?.dispose();
    this.shown = image.clone();
    if (steps > 0) this.frames++;
    return { image, losses: loss };
  }

  display(): tf.Tensor4D {
    return (this.shown ?? this.picture).clone();
  }

  async pick(u: number, v: number, how?: PickHow): Promise<Picked | null> {
    return (await this.view.pick?.(this.picture, u, v, this.settings, how)) ?? null;
  }

  async inspect(): Promise<Inspection | null> {
    return (await this.view.inspect?.(this.picture)) ?? null;
  }

  dispose(): void {
    this.view.dispose();
    this.picture.dispose();
    this.shown?.dispose();
    this.shown = null;
  }
}
