/**
 * Noise: fine, pixel-scale texture in the result compared with the painting's own at the same scale. The
 * 4-neighbour Laplacian answers to single-pixel speckle far more than to brush strokes a few pixels wide, so a
 * ratio well above 1 is the optimiser's grain, not the painter's.
 */
import { luminance, type Picture, type Plane } from './image';

/** Mean |4f(x,y) − f(x±1,y) − f(x,y±1)| over interior pixels. */
export function laplacianEnergy(plane: Plane): number {
  const { width: w, height: h, data } = plane;
  if (w < 3 || h < 3) return 0;
  let s = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const c = data[i]!;
      // Summed as differences so a flat neighbourhood gives exactly 0, not rounding residue.
      s += Math.abs(c - data[i - 1]! + (c - data[i + 1]!) + (c - data[i - w]!) + (c - data[i + w]!));
    }
  }
  return s / ((w - 2) * (h - 2));
}

/**
 * Result's Laplacian energy over the painting's; pass the painting resized so its long side equals the result's,
 * else the ratio measures the resize. A flat painting gives x/0: Infinity (or 0 for a flat result too).
 */
export function noise(result: Picture, styleAtScale: Picture): number {
  const r = laplacianEnergy(luminance(result));
  const s = laplacianEnergy(luminance(styleAtScale));
  return s === 0 ? (r === 0 ? 0 : Infinity) : r / s;
}
