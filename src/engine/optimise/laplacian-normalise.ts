import * as tf from '@tensorflow/tfjs';

/**
 * Laplacian-pyramid gradient normalisation, after the TensorFlow DeepDream notebook's `lap_normalize`: the gradient
 * is split into frequency bands, each band is scaled to unit RMS, and the bands are summed back. A plain std
 * normalisation lets the loud fine-scale band drown the rest, so the dream fills with high-frequency noise; with every
 * band given an equal say the ascent also grows the large, smooth structures.
 *
 * Everything works on single-channel planes ([B·C, H, W, 1]) so one 5×5 kernel serves any channel count, with plain
 * conv2d / conv2dTranspose, which every backend we run on (wasm, cpu, webgpu) implements. Nothing here needs to be
 * differentiated: it acts on the gradient, not through it.
 */

/** Finest band first, the low-pass residual last; `levels` bands plus the residual. */
export type LaplacianBands = tf.Tensor4D[];

/** A band quieter than this fraction of the whole gradient's RMS is treated as numerically empty, not amplified. */
const EMPTY_BAND = 1e-3;
/** Floor for the RMS of an all-zero gradient, so 0/0 cannot appear. */
const TINY = 1e-12;
/** The coarsest level must keep at least this many pixels on its short side for its 5×5 blur to mean anything. */
const MIN_SIDE = 4;

/** The notebook's 5×5 binomial kernel, [1,4,6,4,1]/16 ⊗ itself, as a one-in one-out conv2d filter. */
function binomial5(gain: number): tf.Tensor4D {
  const k = [1, 4, 6, 4, 1];
  const outer = k.flatMap((a) => k.map((b) => (a * b * gain) / 256));
  return tf.tensor4d(outer, [5, 5, 1, 1]);
}

/** How many bands fit: at most `levels`, fewer when the image is too small to halve that often. */
export function usableLevels(height: number, width: number, levels: number): number {
  let n = 0;
  let side = Math.min(height, width);
  while (n < levels && Math.ceil(side / 2) >= MIN_SIDE) {
    side = Math.ceil(side / 2);
    n++;
  }
  return n;
}

/** [B,H,W,C] → [B·C,H,W,1], so each channel is filtered on its own. */
function toPlanes(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  return x.transpose([0, 3, 1, 2]).reshape([b * c, h, w, 1]);
}

function fromPlanes(x: tf.Tensor4D, batch: number, channels: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  return x.reshape([batch, channels, h, w]).transpose([0, 2, 3, 1]);
}

/** Blur and halve. */
function down(x: tf.Tensor4D, blur: tf.Tensor4D): tf.Tensor4D {
  return tf.conv2d(x, blur, 2, 'same');
}

/** Double back to `like`'s size and blur; the ×4 gain makes up for the three zeros inserted per pixel. */
function up(x: tf.Tensor4D, like: readonly number[], blur4: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w] = like as [number, number, number];
  return tf.conv2dTranspose(x, blur4, [n, h, w, 1], 2, 'same');
}

/** Splits planes into bands; exact by construction, since each band is what the coarser level's upsampling misses. */
function splitPlanes(planes: tf.Tensor4D, levels: number): LaplacianBands {
  const blur = binomial5(1);
  const blur4 = binomial5(4);
  const bands: LaplacianBands = [];
  let img = planes;
  for (let i = 0; i < levels; i++) {
    const lo = down(img, blur);
    bands.push(img.sub(up(lo, img.shape, blur4)));
    img = lo;
  }
  bands.push(img);
  return bands;
}

function mergePlanes(bands: LaplacianBands): tf.Tensor4D {
  const blur4 = binomial5(4);
  let img = bands[bands.length - 1]!;
  for (let i = bands.length - 2; i >= 0; i--) img = up(img, bands[i]!.shape, blur4).add(bands[i]!);
  return img;
}

/** Laplacian bands of `x` ([B,H,W,C]), finest first, each of `x`'s batch and channels. The caller owns them. */
export function laplacianSplit(x: tf.Tensor4D, levels: number): LaplacianBands {
  const [b, h, w, c] = x.shape;
  return tf.tidy(() => splitPlanes(toPlanes(x), usableLevels(h, w, levels)).map((band) => fromPlanes(band, b, c)));
}

/** Sums bands from `laplacianSplit` back into one image: `laplacianMerge(laplacianSplit(x, n))` is `x`. */
export function laplacianMerge(bands: LaplacianBands): tf.Tensor4D {
  const [b, , , c] = bands[0]!.shape;
  return tf.tidy(() => fromPlanes(mergePlanes(bands.map(toPlanes)), b, c));
}

/**
 * Each band divided by its own RMS (over the whole band, as the notebook does), so every band has unit RMS. A band
 * far quieter than the whole gradient (`reference` RMS) is left proportionally quiet: rounding noise must not become
 * a band as loud as the others.
 */
export function normaliseBands(bands: LaplacianBands, reference: tf.Scalar): LaplacianBands {
  return tf.tidy(() => {
    const floor = reference.mul(EMPTY_BAND).maximum(TINY);
    return bands.map((band) => band.div(rms(band).maximum(floor)));
  });
}

function rms(x: tf.Tensor): tf.Scalar {
  return x.square().mean().sqrt() as tf.Scalar;
}

/**
 * The gradient with its Laplacian bands equalised: split into `levels` bands plus the residual, each scaled to unit
 * RMS, summed back. Overall scale is left to the caller (the ascent divides by the result's std, as for 'std').
 */
export function laplacianNormalise(grad: tf.Tensor4D, levels: number): tf.Tensor4D {
  return tf.tidy(() => laplacianMerge(normaliseBands(laplacianSplit(grad, levels), rms(grad))));
}
