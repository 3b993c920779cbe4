/**
 * The lens's plain-data types: what its functions hand a UI (a canvas's ImageData, a PNG encoder, a test) without
 * any tensor crossing the boundary. Tensors stay inside the functions that make them.
 */

/** 8-bit RGB, interleaved, row-major: data.length = width × height × 3. */
export interface RgbPixels {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A rectangle in pixels: left, top, width, height. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One value per pixel, row-major, in [0, 1] (saliency, a normalised feature map). */
export interface HeatMap {
  width: number;
  height: number;
  data: Float32Array;
}

/** A channel of a layer with a value (its mean activation, its activation at a point, a gain). */
export interface ChannelValue {
  channel: number;
  value: number;
}

/** Pixels laid out as a grid of tiles, with where each tile is (for labels, hit tests, hover). */
export interface TileGrid {
  pixels: RgbPixels;
  tiles: { index: number; rect: Rect }[];
}

export function rgbPixels(width: number, height: number, data = new Uint8Array(width * height * 3)): RgbPixels {
  if (data.length !== width * height * 3) throw new RangeError(`${width}×${height} RGB needs ${width * height * 3} bytes, got ${data.length}`);
  return { width, height, data };
}
