import * as tf from '@tensorflow/tfjs';
import { colourTable, VIRIDIS } from '../../lens/colour-map';

/** The colour map as a [256, 3] tensor in the model's [-1, 1], made once per backend (the runner's lifetime). */
let lut: tf.Tensor2D | null = null;
function table(): tf.Tensor2D {
  if (!lut || lut.isDisposed) lut = tf.keep(tf.tensor2d(colourTable(VIRIDIS), [256, 3], 'int32').toFloat().div(127.5).sub(1) as tf.Tensor2D);
  return lut;
}

/** Values [h, w] scaled so their max is 1 (and their min 0 when `fromMin`), clipped: a map reads by its own span. */
export function normalise(values: tf.Tensor2D, fromMin = true): tf.Tensor2D {
  return tf.tidy(() => {
    const lo = fromMin ? values.min() : tf.scalar(0);
    const span = values.max().sub(lo).maximum(1e-6);
    return values.sub(lo).div(span).clipByValue(0, 1) as tf.Tensor2D;
  });
}

/** A [h, w] map in [0, 1] through the colour map: [1, h, w, 3] in [-1, 1]. */
export function colourise(map: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [h, w] = map.shape;
    const index = map.mul(255).round().toInt().reshape([-1]);
    return tf.gather(table(), index).reshape([1, h, w, 3]) as tf.Tensor4D;
  });
}

/**
 * `map` ([h, w] in [0, 1], any size) over `picture` ([1, H, W, 3]): enlarged smoothly to the picture, coloured, and
 * mixed in as much as it is high (times `strength`), so the picture stays readable where the map is low.
 */
export function overlay(picture: tf.Tensor4D, map: tf.Tensor2D, strength: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = picture.shape;
    const big = tf.image.resizeBilinear(map.expandDims(2) as tf.Tensor3D, [h, w], true).squeeze([2]) as tf.Tensor2D;
    // Where the map is low the picture shows as it is; where it is high, the map's colour.
    const alpha = big.mul(strength).expandDims(0).expandDims(3);
    const under = picture.mul(1 - 0.25 * strength);
    return under.add(colourise(big).sub(under).mul(alpha)) as tf.Tensor4D;
  });
}

/**
 * Tiles [n, t, t, 3] laid out in `columns` on a dark ground with a `gap`, the whole fitted inside [h, w] (contain):
 * what the filters and the atlas show on the stage. Returns the picture and each tile's rectangle, as fractions of
 * the picture, for a pick to find.
 */
export function tileSheet(tiles: tf.Tensor4D, columns: number, [h, w]: [number, number], gap = 2): { image: tf.Tensor4D; cells: Cell[] } {
  const [n, t] = tiles.shape;
  const rows = Math.ceil(n / columns);
  const sheetW = columns * t + (columns + 1) * gap;
  const sheetH = rows * t + (rows + 1) * gap;
  const image = tf.tidy(() => {
    const padded = tiles.pad([[0, rows * columns - n], [gap, 0], [gap, 0], [0, 0]], GROUND);
    // [rows, columns, t+gap, t+gap, 3] → [rows·(t+gap), columns·(t+gap), 3], then the far gaps.
    const grid = padded
      .reshape([rows, columns, t + gap, t + gap, 3])
      .transpose([0, 2, 1, 3, 4])
      .reshape([1, rows * (t + gap), columns * (t + gap), 3])
      .pad([[0, 0], [0, gap], [0, gap], [0, 0]], GROUND) as tf.Tensor4D;
    // Enlarged, each value stays a square (a filter's weights).
    return fitInside(grid, h, w, true);
  });
  const box = contain(sheetH, sheetW, h, w);
  const scale = box.width / sheetW;
  const cells: Cell[] = [];
  for (let i = 0; i < n; i++) {
    const x = box.left + (gap + (i % columns) * (t + gap)) * scale;
    const y = box.top + (gap + Math.floor(i / columns) * (t + gap)) * scale;
    cells.push({ index: i, u: x / w, v: y / h, du: (t * scale) / w, dv: (t * scale) / h });
  }
  return { image, cells };
}

/** A tile's place on the shown picture, as fractions of its width (u) and height (v). */
export interface Cell {
  index: number;
  u: number;
  v: number;
  du: number;
  dv: number;
}

/** The cell under (u, v), if any. */
export function cellAt(cells: readonly Cell[], u: number, v: number): Cell | undefined {
  return cells.find((c) => u >= c.u && u < c.u + c.du && v >= c.v && v < c.v + c.dv);
}

/** The dark ground sheets and fitted pictures lie on. */
const GROUND = -0.85;

/** Where an h0×w0 picture lands fitted whole inside [h, w], centred (contain): its size and top-left corner, px. */
function contain(h0: number, w0: number, h: number, w: number): { height: number; width: number; top: number; left: number } {
  const scale = Math.min(h / h0, w / w0);
  const height = Math.max(1, Math.round(h0 * scale));
  const width = Math.max(1, Math.round(w0 * scale));
  return { height, width, top: Math.floor((h - height) / 2), left: Math.floor((w - width) / 2) };
}

/**
 * A picture fitted whole inside [h, w] (contain) on the dark ground, centred. Shrunk, it is averaged (no aliasing
 * speckle); enlarged, smoothly, or with `squares` each value stays a square.
 */
export function fitInside(x: tf.Tensor4D, h: number, w: number, squares = false): tf.Tensor4D {
  return tf.tidy(() => {
    const [, xh, xw] = x.shape;
    const { height, width, top, left } = contain(xh, xw, h, w);
    const fitted = squares && height >= xh ? tf.image.resizeNearestNeighbor(x, [height, width]) : tf.image.resizeBilinear(x, [height, width], true);
    return fitted.pad([[0, 0], [top, h - height - top], [left, w - width - left], [0, 0]], GROUND) as tf.Tensor4D;
  });
}
