/**
 * Border: how much more the result departs from the photo near the edges than inside. Convolutions see padding
 * at the border, and style losses often paint a frame there; 1 = the edges change no more than the middle.
 */
import { sameSize, type Picture } from './image';

/** The band's share of each side. */
export const BORDER_BAND = 0.06;

/** Band width in pixels along an axis of `length` pixels: at least 1, and leaving an interior. */
export function bandPixels(length: number, share = BORDER_BAND): number {
  return Math.max(1, Math.min(Math.floor((length - 1) / 2), Math.round(share * length)));
}

/** Mean |result − content| over all channels in the outer band, over the same in the interior. */
export function border(result: Picture, content: Picture, share = BORDER_BAND): number {
  sameSize(result, content, 'border');
  const { width: w, height: h } = result;
  const bx = bandPixels(w, share);
  const by = bandPixels(h, share);
  let band = 0;
  let bandN = 0;
  let inner = 0;
  let innerN = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = 3 * (y * w + x);
      const d = Math.abs(result.data[i]! - content.data[i]!) + Math.abs(result.data[i + 1]! - content.data[i + 1]!) + Math.abs(result.data[i + 2]! - content.data[i + 2]!);
      if (x < bx || x >= w - bx || y < by || y >= h - by) {
        band += d;
        bandN += 3;
      } else {
        inner += d;
        innerN += 3;
      }
    }
  }
  const b = bandN ? band / bandN : 0;
  const m = innerN ? inner / innerN : 0;
  return m === 0 ? (b === 0 ? 1 : Infinity) : b / m;
}
