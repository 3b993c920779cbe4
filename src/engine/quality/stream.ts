/**
 * The stream's health, read from pixels: is a long zoom stream still a picture? Each figure answers one way a
 * feedback loop dies: a flat wash, a blow-out to the gamut's edge, detail resampled away, rainbow speckle, one hue,
 * a frozen frame, a pastel wash. Pure functions over `Picture`s, so the judge script, tests and a worker read the
 * same numbers.
 */
import { blur, luminance, sameSize, type Picture, type Plane } from './image';

export interface StreamFigures {
  /** Share of 8×8 blocks whose luminance std is under FLAT_STD: a flat wash (a white background counts). */
  flat: number;
  /** Share of channel values at 0 or 255 (8-bit): pixels pushed against the gamut's edge. */
  clipped: number;
  /** RMS of the luminance's finest band (luminance − its 5-tap blur): the picture's sharp structure. */
  detail: number;
  /** The same band's RMS of the two chroma axes over the luminance's: ≫ 0.5 is rainbow speckle, not shapes. */
  speckle: number;
  /** Shannon entropy (bits) of the hue of chromatic pixels in HUE_BINS bins, weighted by chroma; 0: grey. */
  hueEntropy: number;
  /** Mean |Δ| per channel value from the frame before (0–1); NaN for a first frame. */
  change: number;
  /**
   * Share of pixels that are light and nearly grey (luminance > PALE_LUMA, chroma under PALE_CHROMA): the pastel
   * wash a stream from a white page drifts into, with a few rainbow blobs on it. The other figures can all hold
   * while the frame is this: it has texture, colour (in the blobs) and motion.
   */
  pale: number;
}

/** A block this even (≈2.5 of 255 levels) shows no structure at all. */
export const FLAT_STD = 0.01;
const BLOCK = 8;
export const HUE_BINS = 12;
/** Chroma (max − min of RGB) below this is grey for the hue histogram. */
const CHROMATIC = 0.08;
/** Light: luminance above this (0–1). A dreamed night sky, a deep field or a photo's shadows sit at 0.3–0.5. */
export const PALE_LUMA = 0.6;
/** Nearly grey: YIQ chroma magnitude |(I, Q)| under this (a saturated primary is ≈ 0.6). */
export const PALE_CHROMA = 0.12;

export function streamFigures(p: Picture, previous?: Picture): StreamFigures {
  const lum = luminance(p);
  const [i, q] = chroma(p);
  const lumBand = fineBand(lum);
  const chromaBand = Math.hypot(fineBand(i), fineBand(q)) / Math.SQRT2;
  return {
    flat: flatShare(lum),
    clipped: clippedShare(p),
    detail: lumBand,
    speckle: lumBand > 0 ? chromaBand / lumBand : chromaBand > 0 ? Infinity : 0,
    hueEntropy: hueEntropy(p),
    change: previous ? meanChange(p, previous) : NaN,
    pale: paleShare(lum, i, q),
  };
}

function paleShare(lum: Plane, i: Plane, q: Plane): number {
  let n = 0;
  for (let k = 0; k < lum.data.length; k++) if (lum.data[k]! > PALE_LUMA && Math.hypot(i.data[k]!, q.data[k]!) < PALE_CHROMA) n++;
  return lum.data.length ? n / lum.data.length : 0;
}

function flatShare(lum: Plane): number {
  const { width: w, height: h, data } = lum;
  let flat = 0;
  let blocks = 0;
  for (let by = 0; by + BLOCK <= h; by += BLOCK) {
    for (let bx = 0; bx + BLOCK <= w; bx += BLOCK) {
      let s = 0;
      let s2 = 0;
      for (let y = by; y < by + BLOCK; y++) {
        for (let x = bx; x < bx + BLOCK; x++) {
          const v = data[y * w + x]!;
          s += v;
          s2 += v * v;
        }
      }
      const n = BLOCK * BLOCK;
      const variance = Math.max(0, s2 / n - (s / n) ** 2);
      if (Math.sqrt(variance) < FLAT_STD) flat++;
      blocks++;
    }
  }
  return blocks ? flat / blocks : 0;
}

function clippedShare(p: Picture): number {
  let n = 0;
  for (const v of p.data) if (v <= 0.5 / 255 || v >= 254.5 / 255) n++;
  return n / p.data.length;
}

/** The I and Q planes of YIQ: the two chroma axes, on the same scale as the luminance. */
function chroma(p: Picture): [Plane, Plane] {
  const n = p.width * p.height;
  const i = new Float64Array(n);
  const q = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const r = p.data[3 * k]!;
    const g = p.data[3 * k + 1]!;
    const b = p.data[3 * k + 2]!;
    i[k] = 0.596 * r - 0.274 * g - 0.322 * b;
    q[k] = 0.211 * r - 0.523 * g + 0.312 * b;
  }
  return [
    { width: p.width, height: p.height, data: i },
    { width: p.width, height: p.height, data: q },
  ];
}

/** RMS of plane − blur(plane): the finest octave, where resampling blur and pixel speckle both show first. */
function fineBand(plane: Plane): number {
  const soft = blur(plane);
  let s = 0;
  for (let k = 0; k < plane.data.length; k++) s += (plane.data[k]! - soft.data[k]!) ** 2;
  return Math.sqrt(s / plane.data.length);
}

function hueEntropy(p: Picture): number {
  const bins = new Float64Array(HUE_BINS);
  let total = 0;
  for (let k = 0; k < p.width * p.height; k++) {
    const r = p.data[3 * k]!;
    const g = p.data[3 * k + 1]!;
    const b = p.data[3 * k + 2]!;
    const max = Math.max(r, g, b);
    const c = max - Math.min(r, g, b);
    if (c < CHROMATIC) continue;
    const h = max === r ? ((g - b) / c + 6) % 6 : max === g ? (b - r) / c + 2 : (r - g) / c + 4;
    bins[Math.min(HUE_BINS - 1, Math.floor((h / 6) * HUE_BINS))]! += c;
    total += c;
  }
  if (total === 0) return 0;
  let e = 0;
  for (const w of bins) if (w > 0) e -= (w / total) * Math.log2(w / total);
  return e;
}

function meanChange(a: Picture, b: Picture): number {
  sameSize(a, b, 'frame vs previous frame');
  let s = 0;
  for (let k = 0; k < a.data.length; k++) s += Math.abs(a.data[k]! - b.data[k]!);
  return s / a.data.length;
}

/** The mean of each figure over frames (NaN changes skipped). */
export function meanFigures(rows: readonly StreamFigures[]): StreamFigures {
  const keys = ['flat', 'clipped', 'detail', 'speckle', 'hueEntropy', 'change', 'pale'] as const;
  const out = {} as StreamFigures;
  for (const k of keys) {
    const vals = rows.map((r) => r[k]).filter((v) => Number.isFinite(v));
    out[k] = vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : NaN;
  }
  return out;
}

/**
 * What a living stream holds in its last quarter, against its start (the source picture at the stream's size).
 * Each bound says why it is where it is. `detail` is relative: a stream may not lose more than a third of the
 * start's sharp structure, counted at most at a photo's (detailReference): a page of text or line art starts
 * crisper than any dream is.
 */
export const STREAM_BOUNDS = {
  /** A wash: more flat blocks than a tenth of the frame, unless the picture started flatter (a graphic on white). */
  flat: 0.1,
  /** A blow-out: more than 3% of channel values at the gamut's edge (natural photos: 0–2%). */
  clipped: 0.03,
  /** Detail kept: at least two thirds of the first frame's finest band. */
  detail: 2 / 3,
  /** The finest band's RMS of a sharp photo at the judge's sizes (chelsea 0.038, astronaut 0.045 at 96–128 px). */
  detailReference: 0.04,
  /** Speckle: natural photos measure 0.34–0.49; the collapsed stream 0.99. */
  speckle: 0.6,
  /** More than one or two hues: 1.5 bits is about three equally strong hues (or as many as the start had). */
  hueEntropy: 1.5,
  /** Always moving: at least one 8-bit level per channel value per frame on average. */
  change: 1 / 255,
  /**
   * No pastel wash: at most a quarter of the frame light and grey, whatever the start (a page of text is 84% so).
   * Measured at 2000 frames (docs/dream/README.md): night 0.01, hubble 0.00, the wandering cat 0.04, astronaut
   * 0.10; the washed text page 0.43 and the graphic 0.36, which the eye calls pastel.
   */
  pale: 0.25,
} as const;

export interface StreamVerdict {
  ok: boolean;
  /** One line per figure out of bounds, e.g. "speckle 0.91 > 0.6". */
  failures: string[];
}

/**
 * `footage`: the frames are a dreamed video (or the webcam loop), held to footage that is itself the reference, so a
 * light scene may stay as pale as it started; a free-running stream may not, whatever it started from.
 */
export function judgeStream(start: StreamFigures, last: StreamFigures, { footage = false } = {}): StreamVerdict {
  const b = STREAM_BOUNDS;
  const failures: string[] = [];
  const f = (x: number) => x.toFixed(3);
  const flatBound = Math.max(b.flat, start.flat);
  if (!(last.flat <= flatBound)) failures.push(`flat ${f(last.flat)} > ${f(flatBound)}`);
  const clipBound = Math.max(b.clipped, Math.min(start.clipped, 0.1));
  if (!(last.clipped <= clipBound)) failures.push(`clipped ${f(last.clipped)} > ${f(clipBound)}`);
  const reference = Math.min(start.detail, b.detailReference);
  const detailRatio = reference > 0 ? last.detail / reference : 1;
  if (!(detailRatio >= b.detail)) failures.push(`detail ${f(detailRatio)}× the start's < ${f(b.detail)}`);
  if (!(last.speckle <= b.speckle)) failures.push(`speckle ${f(last.speckle)} > ${b.speckle}`);
  const hueBound = Math.min(b.hueEntropy, start.hueEntropy);
  if (!(last.hueEntropy >= hueBound)) failures.push(`hue entropy ${f(last.hueEntropy)} bits < ${f(hueBound)}`);
  if (!(last.change >= b.change)) failures.push(`change ${f(last.change)} < ${f(b.change)}`);
  const paleBound = footage ? Math.max(b.pale, start.pale) : b.pale;
  if (!(last.pale <= paleBound)) failures.push(`pale ${f(last.pale)} > ${f(paleBound)}`);
  return { ok: failures.length === 0, failures };
}
