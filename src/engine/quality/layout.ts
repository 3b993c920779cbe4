/**
 * Layout: does the result keep the photo's shapes where they were? Compared through the gradient magnitude of
 * blurred luminance, which follows edges and ignores colour, so a repainted photo still scores high and a
 * painting laid over it scores near 0.
 */
import { blur, luminance, sameSize, type Picture, type Plane } from './image';

/** |∇| by central differences, (f(x+1) − f(x−1)) / 2 on each axis, at interior pixels only (w−2 × h−2). */
export function gradientMagnitude(plane: Plane): Float64Array {
  const { width: w, height: h, data } = plane;
  if (w < 3 || h < 3) return new Float64Array(0);
  const out = new Float64Array((w - 2) * (h - 2));
  let i = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const gx = (data[y * w + x + 1]! - data[y * w + x - 1]!) / 2;
      const gy = (data[(y + 1) * w + x]! - data[(y - 1) * w + x]!) / 2;
      out[i++] = Math.hypot(gx, gy);
    }
  }
  return out;
}

/** Pearson's r; 0 when either side is constant (nothing to correlate), so the figure is always a number. */
export function pearson(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) throw new RangeError(`pearson: ${a.length} vs ${b.length} values`);
  const n = a.length;
  if (n === 0) return 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}

/** 1 = the content's edges exactly where they were; ~0 = unrelated structure. Same size required. */
export function layout(result: Picture, content: Picture): number {
  sameSize(result, content, 'layout');
  return pearson(gradientMagnitude(blur(luminance(result))), gradientMagnitude(blur(luminance(content))));
}
