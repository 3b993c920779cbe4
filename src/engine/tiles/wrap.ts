import * as tf from '@tensorflow/tfjs';
import { roll } from '../image/geometry';

/*
 * A tiled step rolls the picture (tiler.ts: so the hand-overs move from step to step). Rolled, the picture's last
 * rows come round to the top, and the rolled frame's own edges fall inside the picture, at row h − dy and column
 * w − dx. Cut into tiles as it is, the tiles at those edges end there, and the network sees a picture border there
 * (its zero padding) with the picture going on beyond it: a band of border response across the whole picture, the
 * forms cut off along it (the seam along a tile row of a 2048×1536 render). So the rolled picture is extended by
 * `margin` px of its own continuation on each side (what lies beyond its edge in the picture, round the wrap), the
 * tiles are cut from that, and only positions inside the rolled frame count (AxisPlan.core): the rows on either
 * side of h − dy are seen as the neighbours they are. The gradient of the extension goes back onto the pixels it
 * copies (unwrapRolled), unrolled, so the step is taken on the picture as it is (the step's blurs see its edges, not
 * the rolled frame's).
 */

/** The picture rolled by [dy, dx] and extended round the wrap by [my, mx] px on both sides of each axis. */
export function wrapRolled(x: tf.Tensor4D, [dy, dx]: readonly [number, number], [my, mx]: readonly [number, number]): tf.Tensor4D {
  const rolled = roll(x, dy, dx);
  const rows = my ? extend(rolled, 1, my) : rolled;
  if (rows !== rolled) rolled.dispose();
  const out = mx ? extend(rows, 2, mx) : rows;
  if (out !== rows) rows.dispose();
  return out;
}

/**
 * The gradient of wrapRolled's picture carried back to the picture: the extension's gradient added onto the pixels
 * it copied, then unrolled. `g` is borrowed.
 */
export function unwrapRolled(g: tf.Tensor4D, [dy, dx]: readonly [number, number], [my, mx]: readonly [number, number]): tf.Tensor4D {
  const cols = mx ? fold(g, 2, mx) : g;
  const rows = my ? fold(cols, 1, my) : cols;
  if (cols !== g && cols !== rows) cols.dispose();
  const out = roll(rows, -dy, -dx);
  if (rows !== g) rows.dispose();
  return out;
}

function slice(x: tf.Tensor4D, axis: 1 | 2, start: number, size: number): tf.Tensor4D {
  const begin: [number, number, number, number] = [0, 0, 0, 0];
  const sizes: [number, number, number, number] = [-1, -1, -1, -1];
  begin[axis] = start;
  sizes[axis] = size;
  return tf.slice(x, begin, sizes);
}

/** [last m, x, first m] along the axis: x with m px of its wrap on each side. */
function extend(x: tf.Tensor4D, axis: 1 | 2, m: number): tf.Tensor4D {
  const n = x.shape[axis];
  if (2 * m > n) throw new Error(`wrap margin ${m} px is too large for a side of ${n} px`);
  return tf.tidy(() => tf.concat([slice(x, axis, n - m, m), x, slice(x, axis, 0, m)], axis) as tf.Tensor4D);
}

/** extend()'s adjoint: the middle, with the two margins added onto the ends they copied. */
function fold(g: tf.Tensor4D, axis: 1 | 2, m: number): tf.Tensor4D {
  const n = g.shape[axis] - 2 * m;
  return tf.tidy(() => {
    const head = slice(g, axis, m, m).add(slice(g, axis, m + n, m));
    const middle = slice(g, axis, 2 * m, n - 2 * m);
    const tail = slice(g, axis, n, m).add(slice(g, axis, 0, m));
    return tf.concat([head, middle, tail], axis) as tf.Tensor4D;
  });
}
