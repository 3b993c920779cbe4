/**
 * "One motif everywhere": a long zoom stream can settle into a field of the same shape (the cat's bubble eyes) and
 * still pass every pixel figure of the judge (stream.ts): it is detailed, coloured, moving. What such a frame is,
 * to the network that drew it, is one feature detector firing all over. So the figure is read from the dream's own
 * layer: at each position of its activation map, which channel is strongest; the share of positions won by the
 * channel that wins most often. Pure numbers (no tfjs): the judge script runs the layer and hands its values here.
 */

/** A layer's activations for one picture, [height, width, channels] in row-major order. */
export interface Activations {
  height: number;
  width: number;
  channels: number;
  data: ArrayLike<number>;
}

/**
 * The layer read: the deepest of the default look's (mixed3 + mixed5), where the motifs the stream converges on
 * are drawn; at the judge's 128 px it is a 6×6 map, so the share moves in steps of 1/36.
 */
export const MOTIF_LAYER = 'mixed5';

/**
 * At most this share of positions may fall to one channel, on average over a stream's last quarter (unless the
 * start already had more: a black night sky is one channel everywhere too, a case the `flat` figure reads).
 * Measured on the docs/dream sheets at 128 px (scripts/motif-sheets.ts): photos and drawings at frame 0 read
 * 0.17–0.47; the cat's bubble-eye field 0.72–0.78 at each of frames 150, 300 and 599; other dreamed frames
 * 0.22–0.56 mostly, single frames up to 0.72 (the graphic at 500) — a frame can peak, a field stays up, so the
 * bound is on the quarter's mean. The wander run's frame 1999, a field of eye-rings, reads 0.78 as well.
 */
export const MOTIF_BOUND = 0.7;

/** The share of positions (0–1) whose strongest channel is the one strongest most often; 0 for an empty map. */
export function motifShare(a: Activations): number {
  const { height: h, width: w, channels: c, data } = a;
  if (data.length !== h * w * c) throw new RangeError(`activations of ${h}×${w}×${c} need ${h * w * c} values, got ${data.length}`);
  if (h * w === 0 || c === 0) return 0;
  const wins = new Map<number, number>();
  for (let p = 0; p < h * w; p++) {
    let best = 0;
    let value = -Infinity;
    for (let k = 0; k < c; k++) {
      const v = data[p * c + k]!;
      if (v > value) {
        value = v;
        best = k;
      }
    }
    wins.set(best, (wins.get(best) ?? 0) + 1);
  }
  return Math.max(...wins.values()) / (h * w);
}

/** A failure line when the last quarter's motif share is above the bound (or the start's, if higher); else null. */
export function judgeMotif(start: number, last: number): string | null {
  const bound = Math.max(MOTIF_BOUND, start);
  return last <= bound ? null : `one motif ${last.toFixed(3)} > ${bound.toFixed(3)}`;
}
