import { MIN_INPUT_SIZE } from '../model/runner';

/**
 * Sizes of the octave pyramid, smallest first, ending at the full size. Octaves that would fall below the model's
 * minimum input are dropped rather than failing, so a small image simply gets fewer octaves.
 */
export function octaveSizes(height: number, width: number, octaves: number, scale: number): [number, number][] {
  const sizes: [number, number][] = [];
  for (let i = octaves - 1; i >= 0; i--) {
    const f = scale ** i;
    const h = Math.round(height / f);
    const w = Math.round(width / f);
    if (Math.min(h, w) >= MIN_INPUT_SIZE) sizes.push([h, w]);
  }
  if (sizes.length === 0) sizes.push([height, width]);
  return sizes;
}

/** The most octaves and the largest octave scale the dream parameters allow. */
export const MAX_OCTAVES = 8;
export const MAX_OCTAVE_SCALE = 2;

/**
 * The octaves of a still `side` px on its long side whose look is seen live at `liveSide` px, so that its forms
 * are as large against the frame as on screen: the coarsest octave comes down to the live size (the network's forms
 * are a fixed number of pixels, so the size it first dreams at decides how large they are against the frame). The
 * look's octaves and scale are kept where they already reach that far; otherwise octaves are added at the look's
 * scale up to MAX_OCTAVES, and beyond that the scale grows (up to MAX_OCTAVE_SCALE) so that MAX_OCTAVES reach.
 */
export function octavesForSize(side: number, liveSide: number, octaves: number, scale: number): { octaves: number; octaveScale: number } {
  const ratio = side / liveSide;
  // A few percent over the live size still counts as the live size (rounding, an odd working size).
  const reach = (n: number, s: number) => s ** (n - 1) >= ratio * 0.97;
  if (!(ratio > 1) || reach(octaves, scale)) return { octaves, octaveScale: scale };
  const needed = 1 + Math.ceil(Math.log(ratio * 0.97) / Math.log(scale));
  if (needed <= MAX_OCTAVES) return { octaves: needed, octaveScale: scale };
  const wider = Math.min(MAX_OCTAVE_SCALE, (ratio * 0.97) ** (1 / (MAX_OCTAVES - 1)));
  return { octaves: MAX_OCTAVES, octaveScale: Math.min(MAX_OCTAVE_SCALE, Math.ceil(wider * 1000) / 1000) };
}
