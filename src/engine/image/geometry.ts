import * as tf from '@tensorflow/tfjs';

export function resize(x: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  if (h === height && w === width) return x.clone();
  return tf.image.resizeBilinear(x, [height, width], false, true);
}

/** Centre crop to the target aspect ratio, then resize: a source of any shape fills the working frame. */
export function cover(x: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const scale = Math.max(height / h, width / w);
    const ch = Math.min(h, Math.round(height / scale));
    const cw = Math.min(w, Math.round(width / scale));
    const top = Math.floor((h - ch) / 2);
    const left = Math.floor((w - cw) / 2);
    const cropped = ch === h && cw === w ? x : x.slice([0, top, left, 0], [-1, ch, cw, -1]);
    return resize(cropped as tf.Tensor4D, height, width);
  });
}

/** Circular shift by (dy, dx) pixels: the DeepDream jitter, undone by rolling back by (−dy, −dx). */
export function roll(x: tf.Tensor4D, dy: number, dx: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  const sy = ((dy % h) + h) % h;
  const sx = ((dx % w) + w) % w;
  // One axis at a time, each in its own scope: a picture-sized roll (a tiled 4K step) holds two copies, not four.
  const rows = sy ? tf.tidy(() => tf.concat([x.slice([0, h - sy, 0, 0], [-1, sy, -1, -1]), x.slice([0, 0, 0, 0], [-1, h - sy, -1, -1])], 1)) : x;
  if (!sx) return rows === x ? x.clone() : rows;
  const out = tf.tidy(() => tf.concat([rows.slice([0, 0, w - sx, 0], [-1, -1, sx, -1]), rows.slice([0, 0, 0, 0], [-1, -1, w - sx, -1])], 2));
  if (rows !== x) rows.dispose();
  return out;
}

export interface Motion {
  /** Scale per frame; > 1 zooms in. */
  zoom: number;
  /** Degrees, counter-clockwise. */
  rotate: number;
  /** Pixels; the content moves by (dx, dy). */
  dx: number;
  dy: number;
}

/**
 * Zoom about the centre, rotate and drift in one resampling on the backend (tf.image.transform), so the stream
 * never round-trips through CPU arrays. Edges are filled by reflection, which keeps the border textured.
 */
export function moveFrame(x: tf.Tensor4D, m: Motion): tf.Tensor4D {
  if (m.zoom === 1 && m.rotate === 0 && m.dx === 0 && m.dy === 0) return x.clone();
  const [, h, w] = x.shape;
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const t = (m.rotate * Math.PI) / 180;
  // Each output pixel p samples the input at c − d + R(−θ)(p − c)/zoom: the inverse of the motion.
  const c = Math.cos(t) / m.zoom;
  const s = Math.sin(t) / m.zoom;
  const a0 = c;
  const a1 = s;
  const a2 = cx - m.dx - (c * cx + s * cy);
  const b0 = -s;
  const b1 = c;
  const b2 = cy - m.dy - (-s * cx + c * cy);
  return tf.tidy(() => {
    const matrix = tf.tensor2d([[a0, a1, a2, b0, b1, b2, 0, 0]]);
    return tf.image.transform(x, matrix, 'bilinear', 'reflect');
  });
}
