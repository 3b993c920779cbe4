/**
 * Total variation over flat [B, H, W, C] arrays, shared by the kernels (./tv-kernel.ts): the mean squared difference
 * between vertical neighbours plus the same for horizontal ones,
 *   TV = Σ (x[i+1, j] − x[i, j])² / Nv + Σ (x[i, j+1] − x[i, j])² / Nh,  Nv = B(H−1)WC, Nh = BH(W−1)C.
 */

export type Shape4 = readonly [number, number, number, number];

/** 1/Nv and 1/Nh (0 where an image has no neighbours that way: one row or one column). */
export function tvScales([b, h, w, c]: Shape4): [number, number] {
  const nv = b * (h - 1) * w * c;
  const nh = b * h * (w - 1) * c;
  return [nv > 0 ? 1 / nv : 0, nh > 0 ? 1 / nh : 0];
}

/** Each pixel's share of TV: its differences to the pixel below and to the right, scaled. Summed, they are TV. */
export function tvMapLoop(x: ArrayLike<number>, out: Float32Array, shape: Shape4): void {
  const [b, h, w, c] = shape;
  const [sv, sh] = tvScales(shape);
  const row = w * c;
  for (let p = 0; p < b * h * w; p++) {
    const i = Math.floor(p / w) % h;
    const j = p % w;
    const at = p * c;
    let sum = 0;
    for (let k = 0; k < c; k++) {
      const v = x[at + k]!;
      if (i < h - 1) {
        const d = x[at + row + k]! - v;
        sum += d * d * sv;
      }
      if (j < w - 1) {
        const d = x[at + c + k]! - v;
        sum += d * d * sh;
      }
    }
    out[p] = sum;
  }
}

/** dTV/dx times dy: 2/Nv·(2x − x above − x below) and likewise across, each term only where that neighbour exists. */
export function tvGradLoop(x: ArrayLike<number>, dy: number, out: Float32Array, shape: Shape4): void {
  const [b, h, w, c] = shape;
  const [sv, sh] = tvScales(shape);
  const row = w * c;
  const [gv, gh] = [2 * sv * dy, 2 * sh * dy];
  for (let p = 0; p < b * h * w; p++) {
    const i = Math.floor(p / w) % h;
    const j = p % w;
    const at = p * c;
    for (let k = 0; k < c; k++) {
      const v = x[at + k]!;
      let g = 0;
      if (i > 0) g += gv * (v - x[at - row + k]!);
      if (i < h - 1) g -= gv * (x[at + row + k]! - v);
      if (j > 0) g += gh * (v - x[at - c + k]!);
      if (j < w - 1) g -= gh * (x[at + c + k]! - v);
      out[at + k] = g;
    }
  }
}
