/**
 * Where the working frame meets the stage: how large the picture is shown (cover or contain, in the stage's device
 * pixels), the long side Sharp dreams at, and the size the worker paints its canvas at so the browser scales it
 * by about 1 (the upscale is done by the worker, with a cubic filter, not by the compositor's bilinear one). Pure.
 */
import type { Fit } from '../engine/params/settings';

export interface Size {
  width: number;
  height: number;
}

/** The largest canvas the worker paints (a 4K stage's long side): beyond it the browser scales the rest. */
export const MAX_PAINT_SIDE = 3840;

/** The scale from `picture` to how the stage shows it: cover fills the stage, contain fits it whole. */
export function shownScale(picture: Size, display: Size, fit: Fit): number {
  const sx = display.width / picture.width;
  const sy = display.height / picture.height;
  return fit === 'cover' ? Math.max(sx, sy) : Math.min(sx, sy);
}

/** The picture's rectangle as the stage shows it, in device pixels (cover: larger than the stage on one axis). */
export function shownSize(picture: Size, display: Size, fit: Fit): Size {
  const s = shownScale(picture, display, fit);
  return { width: picture.width * s, height: picture.height * s };
}

const known = (s: Size | null | undefined): s is Size => !!s && s.width > 0 && s.height > 0;

/** The picture's long side as the stage shows it, in device pixels (no picture known: the stage's own); 0: no stage. */
export function shownLongSide(picture: Size | null, display: Size | null, fit: Fit): number {
  if (!known(display)) return 0;
  const shown = shownSize(known(picture) ? picture : display, display, fit);
  return Math.max(shown.width, shown.height);
}

/**
 * The size to paint a frame of `frame` at on a stage of `display` device pixels: the frame scaled to the size it is
 * shown at (so the page scales the canvas by about 1), never smaller than the frame, the long side at most `max`.
 * The aspect ratio stays the frame's (the stage's object-fit does the framing). No display: the frame's own size.
 */
export function paintSize(frame: Size, display: Size | null, fit: Fit, max = MAX_PAINT_SIDE): Size {
  if (!known(display) || !known(frame)) return { width: frame.width, height: frame.height };
  const long = Math.max(frame.width, frame.height);
  const k = Math.min(shownScale(frame, display, fit), max / long);
  // Within 2 % the compositor's scale is invisible: paint the frame as it is.
  if (k <= 1.02) return { width: frame.width, height: frame.height };
  return { width: Math.round(frame.width * k), height: Math.round(frame.height * k) };
}

/**
 * A display-size snapshot: the picture as the stage shows it. Cover: the stage's size, the picture cropped to it
 * (`crop` is the part of the frame shown, in frame pixels); contain: the picture's rectangle, the whole frame.
 */
export function snapshotRects(frame: Size, display: Size, fit: Fit): { out: Size; crop: { x: number; y: number; width: number; height: number } } {
  const s = shownScale(frame, display, fit);
  if (fit === 'contain') {
    return {
      out: { width: Math.max(1, Math.round(frame.width * s)), height: Math.max(1, Math.round(frame.height * s)) },
      crop: { x: 0, y: 0, width: frame.width, height: frame.height },
    };
  }
  const width = display.width / s;
  const height = display.height / s;
  return {
    out: { width: display.width, height: display.height },
    crop: { x: (frame.width - width) / 2, y: (frame.height - height) / 2, width, height },
  };
}
