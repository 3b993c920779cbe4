/**
 * The pixel buffers the quality figures read: interleaved RGB in [0,1], no tfjs, so the same numbers come out
 * wherever they are measured (Node script, tests, a worker).
 */
export interface Picture {
  width: number;
  height: number;
  /** Interleaved RGB, length width × height × 3, values in [0,1]. */
  data: Float32Array;
}

/** A single channel plane, e.g. luminance. */
export interface Plane {
  width: number;
  height: number;
  data: Float64Array;
}

export function picture(width: number, height: number, data: Float32Array): Picture {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`bad size ${width}×${height}`);
  if (data.length !== width * height * 3) throw new RangeError(`${width}×${height} RGB needs ${width * height * 3} values, got ${data.length}`);
  return { width, height, data };
}

/** From 8-bit interleaved RGB (what sharp's raw output and the CLI's PNGs decode to). */
export function fromBytes(bytes: Uint8Array, width: number, height: number): Picture {
  const data = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) data[i] = bytes[i]! / 255;
  return picture(width, height, data);
}

export function sameSize(a: { width: number; height: number }, b: { width: number; height: number }, what: string): void {
  if (a.width !== b.width || a.height !== b.height) throw new RangeError(`${what}: ${a.width}×${a.height} vs ${b.width}×${b.height}; compare at the same size`);
}

/** Rec. 601 luma, the usual weights for "how bright it looks" in 8-bit sRGB. */
export function luminance(p: Picture): Plane {
  const n = p.width * p.height;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.299 * p.data[3 * i]! + 0.587 * p.data[3 * i + 1]! + 0.114 * p.data[3 * i + 2]!;
  return { width: p.width, height: p.height, data: out };
}

const BINOMIAL = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16] as const;

/**
 * 5-tap binomial blur [1,4,6,4,1]/16 along both axes, edges clamped: takes off JPEG and single-pixel noise so the
 * gradients that remain are the image's shapes.
 */
export function blur(plane: Plane): Plane {
  const { width: w, height: h } = plane;
  const clamp = (v: number, hi: number) => (v < 0 ? 0 : v > hi ? hi : v);
  const rows = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -2; k <= 2; k++) s += BINOMIAL[k + 2]! * plane.data[y * w + clamp(x + k, w - 1)]!;
      rows[y * w + x] = s;
    }
  }
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -2; k <= 2; k++) s += BINOMIAL[k + 2]! * rows[clamp(y + k, h - 1) * w + x]!;
      out[y * w + x] = s;
    }
  }
  return { width: w, height: h, data: out };
}
