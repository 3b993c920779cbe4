import * as tf from '@tensorflow/tfjs';
import type { LayerGrid } from '../model/geometry';
import type { ModelRunner } from '../model/runner';
import { colourise, enlarge, VIRIDIS, type ColourMap } from './colour-map';
import type { ChannelValue, RgbPixels } from './types';

/**
 * One layer's activations on one picture, read back once: every query below (ranking, maps, a point) is plain
 * arithmetic on it, so a UI can hover and re-rank without running the network again.
 */
export interface LayerReadout {
  layer: string;
  /** The picture's size, the coordinates points are given in. */
  pictureHeight: number;
  pictureWidth: number;
  /** Positions down and across, channels. */
  height: number;
  width: number;
  channels: number;
  /** [height, width, channels], row-major. */
  data: Float32Array;
  /** Where the positions sit on the picture. */
  grid: LayerGrid;
}

/** Runs the network to `layer` on x ([1,H,W,3] in [-1, 1]) and reads the activations back. */
export async function readLayer(runner: ModelRunner, x: tf.Tensor4D, layer: string): Promise<LayerReadout> {
  if (x.shape[0] !== 1) throw new RangeError(`readLayer: one picture at a time, got a batch of ${x.shape[0]}`);
  const [, ph, pw] = x.shape;
  const a = tf.tidy(() => runner.run(x, [layer])[layer]!);
  const [, height, width, channels] = a.shape;
  const data = (await a.data()) as Float32Array;
  a.dispose();
  return { layer, pictureHeight: ph, pictureWidth: pw, height, width, channels, data, grid: runner.grids(ph, pw, [layer]).named[layer]! };
}

/** Each channel's mean activation over all positions. */
export function channelMeans(r: LayerReadout): Float32Array {
  const means = new Float64Array(r.channels);
  const n = r.height * r.width;
  for (let p = 0; p < n; p++) for (let c = 0; c < r.channels; c++) means[c] = means[c]! + r.data[p * r.channels + c]!;
  return Float32Array.from(means, (s) => s / n);
}

/** Channels by value, largest first (ties by channel number); the first k (all by default). */
export function ranked(values: ArrayLike<number>, k = values.length): ChannelValue[] {
  const out = Array.from(values, (value, channel) => ({ channel, value }));
  out.sort((a, b) => b.value - a.value || a.channel - b.channel);
  return out.slice(0, k);
}

/** The channels with the largest mean activation on the picture. */
export function rankChannels(r: LayerReadout, k?: number): ChannelValue[] {
  return ranked(channelMeans(r), k);
}

/** One channel's map, [height × width] row-major. */
export function channelMap(r: LayerReadout, channel: number): Float32Array {
  if (!Number.isInteger(channel) || channel < 0 || channel >= r.channels) throw new RangeError(`${r.layer} has channels 0–${r.channels - 1}, not ${channel}`);
  const out = new Float32Array(r.height * r.width);
  for (let p = 0; p < out.length; p++) out[p] = r.data[p * r.channels + channel]!;
  return out;
}

export interface FeatureMap {
  channel: number;
  /** Mean activation (the ranking's value). */
  mean: number;
  /** The range the colours span (each map normalised to its own). */
  min: number;
  max: number;
  pixels: RgbPixels;
}

export interface FeatureMapOptions {
  map?: ColourMap;
  /** Nearest enlargement per position (1: one pixel per position). */
  scale?: number;
}

/** The channels' maps, each normalised to its own range and colour-mapped. */
export function featureMaps(r: LayerReadout, channels: readonly number[], options: FeatureMapOptions = {}): FeatureMap[] {
  const means = channelMeans(r);
  return channels.map((channel) => {
    const values = channelMap(r, channel);
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const pixels = enlarge(colourise(values, r.width, r.height, options.map ?? VIRIDIS, [min, max]), options.scale ?? 1);
    return { channel, mean: means[channel]!, min, max, pixels };
  });
}

/** The top-k channels by mean activation, with their maps. */
export function topFeatureMaps(r: LayerReadout, k: number, options: FeatureMapOptions = {}): FeatureMap[] {
  return featureMaps(
    r,
    rankChannels(r, k).map((c) => c.channel),
    options,
  );
}

/** The layer position whose window centre is nearest to picture point (x, y), clamped to the grid. */
export function positionAt(r: LayerReadout, x: number, y: number): { row: number; column: number } {
  const { stride, offset } = r.grid;
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, Math.round(v)));
  return { row: clamp((y - offset[0]) / stride[0], r.height), column: clamp((x - offset[1]) / stride[1], r.width) };
}

/** The picture point at the centre of a position's window. */
export function pointOf(r: LayerReadout, row: number, column: number): { x: number; y: number } {
  return { x: r.grid.offset[1] + column * r.grid.stride[1], y: r.grid.offset[0] + row * r.grid.stride[0] };
}

/** The channels that fire most at picture point (x, y) (the nearest position), largest first. */
export function channelsAt(r: LayerReadout, x: number, y: number, k = 10): { row: number; column: number; channels: ChannelValue[] } {
  const { row, column } = positionAt(r, x, y);
  const base = (row * r.width + column) * r.channels;
  return { row, column, channels: ranked(r.data.subarray(base, base + r.channels), k) };
}
