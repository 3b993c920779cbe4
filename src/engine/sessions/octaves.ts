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
