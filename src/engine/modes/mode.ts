import type * as tf from '@tensorflow/tfjs';
import type { ModelRunner } from '../model/runner';
import type { AtlasCache } from '../lens/atlas';
import type { Mask } from '../mask/mask';
import type { GuideFeatures } from '../objectives/dream';
import type { Settings } from '../params/settings';
import type { StreamParams } from '../params/stream';
import type { FrameSource } from '../render/frames';



/** What a mode is built from; the loop owns all of it (a mode copies what it keeps). */
export interface ModeContext {
  runner: ModelRunner;
  /** The chosen picture (or the first camera frame before any), [1,H,W,3] in [-1, 1]. */
  content: tf.Tensor4D;
  /** The style pictures by slot; style transfer falls back to the content when the first is missing. */
  styles: readonly (tf.Tensor4D | null)[];
  guide: GuideFeatures | undefined;
  /** Where the look applies (see params/mask.ts); none: everywhere. */
  mask?: Mask | null;
  /** Pictures a mode renders once and keeps across sessions (the lens's atlas tiles): the browser's storage. */
  cache?: AtlasCache;
}

/**
 * What a change (settings, size, a new style picture) means for the running mode:
 *  - kept: applied live, the picture carries on;
 *  - rebuild: the loop builds the mode the settings ask for (createMode), from the current picture ('image') or
 *    afresh ('fresh': the content picture, or style transfer's own init), cross-fading out of the picture first
 *    when `fade` is set; with `carry` (a new working size), the iteration count goes on from the old mode's;
 *  - handover: this mode gave its state to `next` (dream → webcam: the stream goes on under the camera); the loop
 *    takes `next` and does not dispose this one, which holds nothing any more.
 */
export type Change =
  | { kind: 'kept' }
  | { kind: 'rebuild'; from: 'image' | 'fresh'; fade: boolean; carry?: boolean }
  | { kind: 'handover'; next: Mode };

export const KEPT: Change = { kind: 'kept' };

/** Runs a frame's first step: the worker times one on the device now and then. */
export type StepHook = (step: () => tf.Tensor1D) => tf.Tensor1D;

/**
 * One mode of the live loop: a session plus the policy around it (what a settings change means, how it follows
 * the camera, when it must be rebuilt). The loop never asks which mode it runs; it asks the mode.
 */
export interface Mode {
  readonly name: string;
  /** Labels of the values a frame's losses hold. */
  readonly lossNames: readonly string[];
  readonly iteration: number;
  /** The picture being optimised, [1,H,W,3] in [-1, 1]; owned by the mode (do not dispose). */
  readonly image: tf.Tensor4D;
  /** The feedback transform a zoom export from this mode uses. */
  readonly stream: StreamParams;
  /** New settings (any mode): applied live, or how to get to the mode they ask for. */
  apply(settings: Settings): Change;
  /** A new working size: resampled live, or a rebuild from the picture. */
  resize(height: number, width: number): Change;
  /** A new style picture (in the context the mode was built from). */
  styleChanged(): Change;
  /** A new mask (owned by the caller), or none: applied live, or how to get to the mode that uses it. */
  setMask(mask: Mask | null): Change;
  /** New guide features (owned by the caller), or none. */
  setGuide(guide: GuideFeatures | undefined): void;
  /** A camera frame (borrowed): webcam dreaming follows it, the other modes ignore it. */
  cameraFrame(frame: tf.Tensor4D): void;
  /** One frame: `steps` steps, the picture, then the feedback transform (see renderFrame). */
  frame(steps: number, first?: StepHook): { image: tf.Tensor4D; losses: tf.Tensor1D | null };
  /** The picture to show, a new tensor the caller disposes. */
  display(): tf.Tensor4D;
  /**
   * A click on the shown picture at (u, v), fractions of its width and height: what it means to the mode (new
   * settings, facts to show), or null. Modes without anything to click leave it out.
   */
  pick?(u: number, v: number, how?: PickHow): Promise<Picked | null>;
  /** What the mode shows beside the picture now (the lens's channel maps), or null when nothing is new. */
  inspect?(): Promise<Inspection | null>;
  dispose(): void;
}

/** A tile of pixels with a label, for the page to draw beside the picture: RGBA, row-major. */
export interface InfoTile {
  /** What clicking it selects (a channel). */
  key: number;
  label: string;
  value: number;
  width: number;
  height: number;
  rgba: Uint8ClampedArray<ArrayBuffer>;
}

/** One thing a click found (a channel firing there), with its picture where one is at hand (its atlas tile). */
export interface PickRow {
  key: number;
  label: string;
  value: number;
  thumb?: InfoTile;
}

/**
 * What a click asks for: 'choose' (a plain click: the thing clicked becomes the one looked at or dreamed with) or
 * 'paint' (a Shift+click on an atlas tile: the channel dreams where the mask is painted).
 */
export const PICK_ACTIONS = ['choose', 'paint'] as const;
export type PickAction = (typeof PICK_ACTIONS)[number];

/** How a pick is meant: its action, and the channel when the person named one (the panel) rather than clicked. */
export interface PickHow {
  action?: PickAction;
  channel?: number;
}

/** What a click on the picture meant: settings to take (the look changes, the URL follows), and facts to show. */
export interface Picked {
  settings?: Settings;
  /** The page opens the mask brush: the settings dream something where the mask will be painted. */
  brush?: boolean;
  info?: { title: string; rows: PickRow[]; select?: string };
}

/** What a mode shows beside the picture: a titled set of tiles (a layer's most active channels), and more tiles. */
export interface Inspection {
  title: string;
  tiles: InfoTile[];
  /** The settings path a clicked tile's key is written to (the lens: lens.channel); none: tiles are not choices. */
  select?: string;
  /** A second set (the crops of frames that excited the chosen channel most), with its own title. */
  examples?: { title: string; tiles: InfoTile[] };
}

/** `source` with its first step run through `first` (when given). */
export function hookFirstStep(source: FrameSource, first?: StepHook): FrameSource {
  if (!first) return source;
  let n = 0;
  return {
    step: () => (n++ === 0 ? first(() => source.step()) : source.step()),
    advance: source.advance ? () => source.advance!() : undefined,
    display: () => source.display(),
  };
}
