import { rgbPixels, type HeatMap, type RgbPixels } from './types';

/** A colour map: RGB stops in [0, 1], evenly spaced over [0, 1], linearly interpolated. */
export interface ColourMap {
  name: string;
  stops: readonly (readonly [number, number, number])[];
}

/**
 * Matplotlib's viridis (van der Walt & Smith, CC0): perceptually uniform, monotone in lightness and readable in
 * greyscale and by colour-blind viewers. Every 16th of its 256 entries and the last; linear interpolation between
 * them stays within 0.004 of the full table.
 */
export const VIRIDIS: ColourMap = {
  name: 'viridis',
  stops: [
    [0.267004, 0.004874, 0.329415],
    [0.282327, 0.094955, 0.417331],
    [0.278826, 0.17549, 0.483397],
    [0.258965, 0.251537, 0.524736],
    [0.229739, 0.322361, 0.545706],
    [0.19943, 0.387607, 0.554642],
    [0.172719, 0.448791, 0.557885],
    [0.149039, 0.508051, 0.55725],
    [0.127568, 0.566949, 0.550556],
    [0.120638, 0.625828, 0.533488],
    [0.157851, 0.683765, 0.501686],
    [0.24607, 0.73891, 0.452024],
    [0.369214, 0.788888, 0.382914],
    [0.515992, 0.831158, 0.294279],
    [0.678489, 0.863742, 0.189503],
    [0.845561, 0.887322, 0.099702],
    [0.993248, 0.906157, 0.143936],
  ],
};

/** The map's colour at t ∈ [0, 1] (clamped), as 0–255 values. */
export function colourAt(map: ColourMap, t: number): [number, number, number] {
  const n = map.stops.length - 1;
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * n;
  const i = Math.min(n - 1, Math.floor(u));
  const f = u - i;
  const a = map.stops[i]!;
  const b = map.stops[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(255 * (a[k]! + f * (b[k]! - a[k]!)))) as [number, number, number];
}

/** 256 entries × RGB, for mapping many values quickly. */
export function colourTable(map: ColourMap): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) lut.set(colourAt(map, i / 255), i * 3);
  return lut;
}

const tables = new Map<ColourMap, Uint8Array>();
function tableOf(map: ColourMap): Uint8Array {
  let t = tables.get(map);
  if (!t) tables.set(map, (t = colourTable(map)));
  return t;
}

/** Min and max of the finite values; [0, 0] when there are none. */
export function range(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}

/**
 * Values (row-major, width × height) normalised to their own [min, max] (or the range given) and colour-mapped.
 * A flat map comes out as the map's lowest colour.
 */
export function colourise(values: ArrayLike<number>, width: number, height: number, map: ColourMap = VIRIDIS, span?: [number, number]): RgbPixels {
  if (values.length !== width * height) throw new RangeError(`${width}×${height} needs ${width * height} values, got ${values.length}`);
  const [lo, hi] = span ?? range(values);
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const lut = tableOf(map);
  const out = rgbPixels(width, height);
  for (let i = 0; i < values.length; i++) {
    const k = Math.min(255, Math.max(0, Math.round((values[i]! - lo) * scale))) * 3;
    out.data[i * 3] = lut[k]!;
    out.data[i * 3 + 1] = lut[k + 1]!;
    out.data[i * 3 + 2] = lut[k + 2]!;
  }
  return out;
}

/** A heat map (already in [0, 1]) in colour. */
export function colouriseHeat(heat: HeatMap, map: ColourMap = VIRIDIS): RgbPixels {
  return colourise(heat.data, heat.width, heat.height, map, [0, 1]);
}

/** Nearest-neighbour enlargement by an integer factor (a feature map's cells stay visible as cells). */
export function enlarge(p: RgbPixels, factor: number): RgbPixels {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`enlarge: factor must be a positive integer, got ${factor}`);
  if (factor === 1) return p;
  const out = rgbPixels(p.width * factor, p.height * factor);
  for (let y = 0; y < out.height; y++) {
    const sy = Math.floor(y / factor);
    for (let x = 0; x < out.width; x++) {
      const s = (sy * p.width + Math.floor(x / factor)) * 3;
      const d = (y * out.width + x) * 3;
      out.data[d] = p.data[s]!;
      out.data[d + 1] = p.data[s + 1]!;
      out.data[d + 2] = p.data[s + 2]!;
    }
  }
  return out;
}
