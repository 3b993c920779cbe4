import * as tf from '@tensorflow/tfjs';
import { tfSeed } from '../random';
import type { ModelRunner } from '../model/runner';
import { modelToBytes } from '../image/convert';
import { colourAt, VIRIDIS, type ColourMap } from './colour-map';
import { rgbPixels, type HeatMap, type RgbPixels } from './types';

/** What the gradient is of: one channel's mean activation, or ½‖a‖² of the whole layer when no channel is given. */
export interface SaliencyTarget {
  layer: string;
  channel?: number;
}

/**
 * - gradient: |∂f/∂x|, the largest over the colour channels (Simonyan et al. 2013).
 * - smoothgrad: the gradient averaged over `samples` copies of the picture with Gaussian noise of std σ·(input
 *   range) added, then its magnitude (Smilkov et al. 2017): the speckle of a single gradient averages out.
 * - gradient-x-input: |Σ_c x_c·∂f/∂x_c| with x measured from mid-grey (the model's 0): what each pixel's departure
 *   from grey contributed, to first order.
 */
export type SaliencyMethod = 'gradient' | 'smoothgrad' | 'gradient-x-input';

export interface SaliencyOptions {
  method?: SaliencyMethod;
  /** SmoothGrad: noisy copies. */
  samples?: number;
  /** SmoothGrad: noise std as a fraction of the input range (Smilkov et al. find 10–20% best). */
  sigma?: number;
  /** SmoothGrad: noisy copies per forward/backward pass. */
  batch?: number;
  seed?: number;
  /**
   * The quantile mapped to 1 (values above it clip): a few extreme pixels would otherwise leave the rest of the map
   * black. 1 normalises by the maximum.
   */
  clip?: number;
  /**
   * The quantile mapped to 0 (the black point). The gradient is nowhere exactly 0: a flat background keeps a floor of
   * pixel-level sensitivity (adding texture anywhere would move the channel a little), which over a large area
   * outweighs the object in a sum while telling the eye nothing. The median is the default: the floor goes dark as
   * long as the salient part covers less than half the picture. 0 keeps the raw floor.
   */
  floor?: number;
}

/** f(x): the target's scalar per batch item, summed (items are independent, so each gets its own gradient). */
function objective(runner: ModelRunner, x: tf.Tensor4D, target: SaliencyTarget): tf.Scalar {
  const a = runner.run(x, [target.layer])[target.layer]!;
  if (target.channel === undefined) return a.square().sum().mul(0.5);
  const c = target.channel;
  if (!Number.isInteger(c) || c < 0 || c >= a.shape[3]) throw new RangeError(`${target.layer} has channels 0–${a.shape[3] - 1}, not ${c}`);
  return a.slice([0, 0, 0, c], [-1, -1, -1, 1]).mean([1, 2, 3]).sum();
}

/** The raw per-pixel saliency [H, W] (not normalised); the caller owns it. */
export function saliencyTensor(runner: ModelRunner, x: tf.Tensor4D, target: SaliencyTarget, options: SaliencyOptions = {}): tf.Tensor2D {
  if (x.shape[0] !== 1) throw new RangeError(`saliency: one picture at a time, got a batch of ${x.shape[0]}`);
  const method = options.method ?? 'gradient';
  const grad = tf.grad((t: tf.Tensor) => objective(runner, t as tf.Tensor4D, target));
  const magnitude = (g: tf.Tensor4D) => g.abs().max(3).squeeze([0]) as tf.Tensor2D;
  if (method === 'gradient') return tf.tidy(() => magnitude(grad(x) as tf.Tensor4D));
  if (method === 'gradient-x-input') return tf.tidy(() => (grad(x) as tf.Tensor4D).mul(x).sum(3).abs().squeeze([0]) as tf.Tensor2D);
  const samples = options.samples ?? 16;
  const sigma = (options.sigma ?? 0.15) * 2; // the input spans [-1, 1]
  const batch = Math.max(1, Math.min(samples, options.batch ?? 4));
  let seed = options.seed ?? 0;
  let sum: tf.Tensor4D = tf.zerosLike(x);
  for (let done = 0; done < samples; done += batch) {
    const n = Math.min(batch, samples - done);
    const next = tf.tidy(() => {
      const noisy = x.tile([n, 1, 1, 1]).add(tf.randomNormal([n, ...x.shape.slice(1)], 0, sigma, 'float32', tfSeed(seed++))) as tf.Tensor4D;
      return sum.add((grad(noisy) as tf.Tensor4D).sum(0, true)) as tf.Tensor4D;
    });
    sum.dispose();
    sum = next;
  }
  const out = tf.tidy(() => magnitude(sum.div(samples)));
  sum.dispose();
  return out;
}

/** Values stretched so the `floor` quantile is 0 and the `clip` quantile 1, clipped to [0, 1]. */
export function normaliseHeat(values: Float32Array, width: number, height: number, clip = 0.99, floor = 0.5): HeatMap {
  const sorted = Float32Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))] ?? 0;
  const lo = floor > 0 ? at(floor) : 0;
  const hi = at(clip);
  const data = new Float32Array(values.length);
  if (hi > lo) for (let i = 0; i < values.length; i++) data[i] = Math.min(1, Math.max(0, (values[i]! - lo) / (hi - lo)));
  return { width, height, data };
}

/** The input gradient's magnitude as a heat map [H, W] in [0, 1]. */
export async function saliency(runner: ModelRunner, x: tf.Tensor4D, target: SaliencyTarget, options: SaliencyOptions = {}): Promise<HeatMap> {
  const s = saliencyTensor(runner, x, target, options);
  const values = (await s.data()) as Float32Array;
  s.dispose();
  return normaliseHeat(values, x.shape[2], x.shape[1], options.clip, options.floor);
}

/** The share of the heat map's mass inside a mask (one value per pixel, > 0.5 inside). */
export function massInside(heat: HeatMap, mask: ArrayLike<number>): number {
  let inside = 0;
  let all = 0;
  for (let i = 0; i < heat.data.length; i++) {
    all += heat.data[i]!;
    if (mask[i]! > 0.5) inside += heat.data[i]!;
  }
  return all > 0 ? inside / all : 0;
}

export interface OverlayOptions {
  map?: ColourMap;
  /** Opacity of the colour where the heat is 1 (it scales with the heat, so cold areas show the picture). */
  alpha?: number;
  /** Darken the picture under the overlay (0: as it is, 1: black), so the heat reads against it. */
  dim?: number;
}

/** The heat map colour-mapped over the picture (same size), as pixels. */
export function overlay(picture: RgbPixels, heat: HeatMap, options: OverlayOptions = {}): RgbPixels {
  if (picture.width !== heat.width || picture.height !== heat.height) {
    throw new RangeError(`overlay: picture ${picture.width}×${picture.height} vs heat ${heat.width}×${heat.height}`);
  }
  const alpha = options.alpha ?? 0.8;
  const keep = 1 - (options.dim ?? 0.4);
  const map = options.map ?? VIRIDIS;
  const out = rgbPixels(picture.width, picture.height);
  for (let i = 0; i < heat.data.length; i++) {
    const h = heat.data[i]!;
    const a = alpha * h;
    const c = colourAt(map, h);
    for (let k = 0; k < 3; k++) out.data[i * 3 + k] = Math.round((1 - a) * keep * picture.data[i * 3 + k]! + a * c[k]!);
  }
  return out;
}

/** The model's [1,H,W,3] picture as pixels (what overlay() draws over). */
export async function toPixels(x: tf.Tensor4D): Promise<RgbPixels> {
  const b = tf.tidy(() => modelToBytes(x.slice([0, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D));
  const data = Uint8Array.from((await b.data()) as Int32Array);
  b.dispose();
  return rgbPixels(x.shape[2], x.shape[1], data);
}
