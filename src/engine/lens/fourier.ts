import * as tf from '@tensorflow/tfjs';
import { tfSeed } from '../random';
import { ColourBasis } from '../image/decorrelate';

/**
 * A batch of pictures held as their 2-D Fourier spectra, scaled by 1/f^decay, in decorrelated colour (Olah et al.,
 * "Feature Visualization", Distill 2017; Mordvintsev et al., "Differentiable Image Parameterizations", Distill 2018;
 * Lucid's fft_image + to_valid_rgb). With Adam moving every coefficient about equally, the 1/f scale gives low
 * frequencies the larger say, as in natural images: the optimisation grows shapes, not the pixel-scale pattern a
 * pixel basis fills with. The colour basis moves along the directions natural images vary in; a sigmoid keeps the
 * picture in range.
 *
 * The inverse DFT is two real matrix products per side (cos and sin tables), not tf.spectral: plain matMul runs, with
 * gradients, on every backend (wasm has no FFT kernel). A full complex spectrum (re, im) per colour is kept; the
 * picture is its real part, so half the coefficients are redundant, which costs memory but nothing in quality.
 */
export class FourierImage {
  /** [2, B·3, H, W]: real and imaginary parts. Replaced (not mutated) by the optimiser; owned here. */
  spectrum: tf.Tensor4D;
  private readonly cosH: tf.Tensor2D;
  private readonly sinH: tf.Tensor2D;
  private readonly cosW: tf.Tensor2D;
  private readonly sinW: tf.Tensor2D;
  /**
   * [1, 1, H, W]: exp(−(f/cutoff)²) / max(f, 1/max(H, W))^decay / √(HW) (a unitary inverse DFT at decay 0, no
   * cutoff), f in cycles per pixel. The Gaussian roll-off above `cutoff` keeps pixel-scale speckle out of the picture:
   * what the network answers to at mixed3–5 is a few pixels across or more.
   */
  private readonly scale: tf.Tensor4D;
  private readonly colour = new ColourBasis();

  constructor(
    readonly batch: number,
    readonly height: number,
    readonly width: number,
    options: { decay?: number; cutoff?: number; std?: number; seed?: number } = {},
  ) {
    const decay = options.decay ?? 1;
    const cutoff = options.cutoff ?? Infinity;
    this.cosH = trig(height, Math.cos);
    this.sinH = trig(height, Math.sin);
    this.cosW = trig(width, Math.cos);
    this.sinW = trig(width, Math.sin);
    const f = new Float32Array(height * width);
    const floor = 1 / Math.max(height, width);
    for (let u = 0; u < height; u++) {
      const fy = Math.min(u, height - u) / height;
      for (let v = 0; v < width; v++) {
        const fx = Math.min(v, width - v) / width;
        const r = Math.hypot(fy, fx);
        f[u * width + v] = Math.exp(-((r / cutoff) ** 2)) / Math.max(r, floor) ** decay / Math.sqrt(height * width);
      }
    }
    this.scale = tf.tensor4d(f, [1, 1, height, width]);
    this.spectrum = tf.randomNormal([2, batch * 3, height, width], 0, options.std ?? 0.01, 'float32', tfSeed(options.seed ?? 0)) as tf.Tensor4D;
  }

  /** The picture the spectrum stands for, [B, H, W, 3] in (-1, 1), differentiable in `spectrum`. */
  decode(spectrum: tf.Tensor4D = this.spectrum): tf.Tensor4D {
    return tf.tidy(() => {
      const { batch: b, height: h, width: w } = this;
      const scaled = spectrum.mul(this.scale);
      const re = scaled.slice([0], [1]).reshape([b * 3 * h, w]) as tf.Tensor2D;
      const im = scaled.slice([1], [1]).reshape([b * 3 * h, w]) as tf.Tensor2D;
      // Across: P = A·cosW − B·sinW, Q = A·sinW + B·cosW (the tables are symmetric).
      const p = tf.matMul(re, this.cosW).sub(tf.matMul(im, this.sinW));
      const q = tf.matMul(re, this.sinW).add(tf.matMul(im, this.cosW));
      // Down: x = cosH·P − sinH·Q, as [B·3·W, H] × table with the rows and columns of each plane swapped.
      const down = (t: tf.Tensor, table: tf.Tensor2D) =>
        tf.matMul(t.reshape([b * 3, h, w]).transpose([0, 2, 1]).reshape([b * 3 * w, h]) as tf.Tensor2D, table).reshape([b, 3, w, h]);
      const planes = down(p, this.cosH).sub(down(q, this.sinH)); // [B, 3, W, H]
      const z = planes.transpose([0, 3, 2, 1]).div(4) as tf.Tensor4D; // [B, H, W, 3], Lucid's /4
      return this.colour.toPixels(z).sigmoid().mul(2).sub(1) as tf.Tensor4D;
    });
  }

  dispose(): void {
    tf.dispose([this.spectrum, this.cosH, this.sinH, this.cosW, this.sinW, this.scale]);
    this.colour.dispose();
  }
}

/** [n, n] table of fn(2π·j·k/n). */
function trig(n: number, fn: (a: number) => number): tf.Tensor2D {
  const t = new Float32Array(n * n);
  for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) t[j * n + k] = fn((2 * Math.PI * ((j * k) % n)) / n);
  return tf.tensor2d(t, [n, n]);
}
