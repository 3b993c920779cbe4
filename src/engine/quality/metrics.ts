/**
 * The four figures for one style-transfer result, all from pixels in [0,1] and deterministic (the only
 * randomness, the palette's directions, comes from a fixed seed).
 */
import { border } from './border';
import { sameSize, type Picture } from './image';
import { layout } from './layout';
import { noise } from './noise';
import { palette } from './palette';

export interface QualityInputs {
  /** The photo as the renderer saw it (centre-cropped square at the render size). */
  content: Picture;
  /** The painting, whole, its long side equal to the result's. */
  style: Picture;
  result: Picture;
}

export interface QualityFigures {
  /** Sliced Wasserstein to the painting's pixels ÷ the photo's: 0 = the painting's palette, 1 = nothing moved. */
  palette: number;
  /** Gradient-magnitude correlation with the photo: 1 = layout kept, ~0 = unrelated. */
  layout: number;
  /** Pixel-scale Laplacian energy ÷ the painting's at the same scale: > 1 = grainier than the painting. */
  noise: number;
  /** Change from the photo in the outer 6% band ÷ in the interior: 1 = even, ≫ 1 = a frame. */
  border: number;
}

export function qualityFigures({ content, style, result }: QualityInputs): QualityFigures {
  sameSize(result, content, 'result vs content');
  return {
    palette: palette(result, content, style),
    layout: layout(result, content),
    noise: noise(result, style),
    border: border(result, content),
  };
}
