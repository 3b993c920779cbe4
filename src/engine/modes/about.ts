/**
 * What everyone but the live loop needs to know of a mode: its name and label, the settings it owns, what it
 * dreams on, the pictures it takes, its losses and its smallest working size. No tensors: the settings schema,
 * the page's panels and the scheduler read it (the architecture test keeps it free of tfjs). The tensor half of a
 * mode, its live mode and still session, is its spec (spec.ts), registered in registry.ts.
 */
import type { z } from 'zod';

export interface ModeAbout {
  /** The value of `settings.mode`. */
  readonly name: string;
  /** The mode picker's words. */
  readonly label: string;
  /**
   * The settings sections the mode owns, by their key in Settings, each field marked live or rebuild
   * (params/apply.ts). Modes that share a section (dreaming and webcam dreaming: `dream`, `stream`) name the same
   * schema object.
   */
  readonly settings: Readonly<Record<string, z.ZodType>>;
  /**
   * What it works on: the chosen picture, the camera (choosing the mode turns the camera on), or either (the
   * camera's frames while it is on, else the picture; the camera button keeps the mode).
   */
  readonly source: 'picture' | 'camera' | 'either';
  /** The pictures the sources panel offers: the content's label, the paintings (style, style2) and a guide. */
  readonly pictures: { readonly content: string; readonly paintings: boolean; readonly guide: boolean };
  /** The names of the values a frame's losses hold, the total ('loss') first; the stats panel shows the parts. */
  readonly lossNames: readonly string[];
  /** The smallest long side, px, that still makes a picture: the adaptive scheduler never goes below it. */
  readonly minResolution: number;
  /** Whether it answers a click on the picture and shows a side view beside it (the lens's inspector). */
  readonly inspects?: boolean;
  /** What "other" outside a painted mask means in this mode: its label, and whether it takes other layers. */
  readonly maskOther: { readonly label: string; readonly layers: boolean };
}

/** An about, its settings' types kept (the settings schema is assembled from them, typed). */
export function defineAbout<const A extends ModeAbout>(about: A): A {
  return about;
}
