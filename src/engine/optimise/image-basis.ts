import * as tf from '@tensorflow/tfjs';
import { ColourBasis } from '../image/decorrelate';
import { fixCpuResizeBilinearGrad } from '../model/kernels/cpu-resize-bilinear-grad';

/**
 * What an optimisation moves instead of the pixels: parameters and an invertible, differentiable map back to the
 * picture. encode(x) then decode gives x back exactly (up to float rounding), so a run that starts from the
 * content starts from the content.
 */
export interface ImageBasis {
  /** Parameters that stand for `x` ([1,H,W,3] in [-1, 1]); the caller owns them. */
  encode(x: tf.Tensor4D): tf.Tensor[];
  /** The picture the parameters stand for, differentiable in them (not clipped). */
  decode(params: readonly tf.Tensor[]): tf.Tensor4D;
  dispose(): void;
}

/** The pixels themselves: Gatys' original. */
export const pixelBasis: ImageBasis = {
  encode: (x) => [x.clone()],
  decode: ([x]) => x as tf.Tensor4D,
  dispose: () => {},
};

/**
 * A Laplacian pyramid in decorrelated colour (Distill 2018, "Differentiable Image Parameterizations"): level k
 * holds the detail at 1/2ᵏ scale, the last level the coarse picture; the picture is the sum of the levels, each
 * upsampled. With Adam every parameter moves about the learning rate per step, so a coarse level moves a whole
 * region as easily as a fine level moves a pixel: broad strokes and colour fields form first, instead of the
 * pixel-level texture that matches the Gram matrices without looking like the painting. Only resizes, adds and a
 * 3×3 matmul: it runs, with gradients, on every backend.
 */
export class PyramidBasis implements ImageBasis {
  private readonly colour = new ColourBasis();

  /** `levels` counts the full-size level; a level is never made smaller than `minSide` px. */
  constructor(
    private readonly levels: number,
    private readonly minSide = 8,
  ) {
    fixCpuResizeBilinearGrad();
  }

  /** [h, w] of each level, full size first. */
  private sizes(h: number, w: number): [number, number][] {
    const out: [number, number][] = [[h, w]];
    while (out.length < this.levels) {
      const [ph, pw] = out.at(-1)!;
      const next: [number, number] = [Math.ceil(ph / 2), Math.ceil(pw / 2)];
      if (Math.min(...next) < this.minSide) break;
      out.push(next);
    }
    return out;
  }

  encode(x: tf.Tensor4D): tf.Tensor[] {
    return tf.tidy(() => {
      const sizes = this.sizes(x.shape[1], x.shape[2]);
      const gauss: tf.Tensor4D[] = [this.colour.fromPixels(x)];
      // Averaging 2×2 blocks (not differentiated: encode only sets the start) keeps the coarse levels unaliased.
      for (let k = 1; k < sizes.length; k++) gauss.push(tf.avgPool(gauss.at(-1)!, 2, 2, 'same'));
      // Each level is what its own scale adds to the upsampled coarser one, so decode() sums back to x exactly.
      return gauss.map((g, k) => (k === gauss.length - 1 ? g : g.sub(up(gauss[k + 1]!, sizes[k]!))));
    });
  }

  decode(params: readonly tf.Tensor[]): tf.Tensor4D {
    return tf.tidy(() => {
      let g = params.at(-1) as tf.Tensor4D;
      for (let k = params.length - 2; k >= 0; k--) {
        const level = params[k] as tf.Tensor4D;
        g = level.add(up(g, [level.shape[1], level.shape[2]]));
      }
      return this.colour.toPixels(g);
    });
  }

  dispose(): void {
    this.colour.dispose();
  }
}

/**
 * Bilinear upsampling with the corners aligned: a coarse level spans the picture symmetrically. (Half-pixel centres
 * would too, but tfjs's gradient of resizeBilinear ignores them on every backend; with neither, the coarse grid
 * sits toward the top left, and the right and bottom edges, fed by its clamped last row and column, changed twice
 * as much as the rest of the picture.)
 */
const up = (x: tf.Tensor4D, [h, w]: [number, number]) => tf.image.resizeBilinear(x, [h, w], true, false);
