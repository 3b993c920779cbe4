/**
 * A mode, whole: what it is (its about) and how to make it, live for the loop and still for Render large and the
 * CLI. One folder per mode (`modes/<name>/`: about.ts, the live mode, the still, index.ts with the spec) and one
 * line in the registry; nothing else branches on a mode's name.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Settings } from '../params/settings';
import type { Session } from '../sessions/session';
import type { Tiler } from '../tiles/tiler';
import type { ModeAbout } from './about';
import type { Mode, ModeContext } from './mode';

/** What a still is made from. */
export interface StillOptions {
  /** The sources, as the live loop holds them (borrowed): `content` is the chosen picture at its own size. */
  ctx: ModeContext;
  settings: Settings;
  /** The still's [height, width]. */
  size: [number, number];
  /** The frame on screen (borrowed), where the still starts; null: from the source picture. */
  start: tf.Tensor4D | null;
  /** Steps: per octave for DeepDream, iterations for style transfer (the job's own meaning of its steps). */
  steps: number;
  /** The live picture's long side, px: a still as large as the live view looks like it, larger (octavesForSize). */
  liveSide: number;
  /** Tiles that fit the device (the caller owns it), for stills larger than a working frame. */
  tiler: Tiler;
}

/** A still being made: its session (the caller steps and disposes it), how many steps, and the tiles it runs in. */
export interface Still {
  readonly session: Session;
  readonly steps: number;
  tiles(): number;
  /** Pixels the next step works on (a coarse stage works on fewer than the still has), for the speed figures. */
  area(): number;
}

export interface ModeSpec extends ModeAbout {
  /**
   * The live mode at the working size [h, w], from `start` (else the mode's own beginning), its iterations counted
   * from `iteration` (a rebuild at a new size; modes that resize live keep theirs).
   */
  createLive(ctx: ModeContext, settings: Settings, size: [number, number], start?: tf.Tensor4D, iteration?: number): Mode;
  /** A still of the settings at `options.size` (Render large, the CLI). */
  createStill(options: StillOptions): Still;
  /** The layers its steps read, to size the tiles a still runs in. */
  layers(settings: Settings): string[];
}

/** A spec, checked by the compiler against ModeSpec with its about's types kept. */
export function defineMode<const S extends ModeSpec>(spec: S): S {
  return spec;
}
