import * as tf from '@tensorflow/tfjs';

/** A rigid motion of a frame's content per frame: a rotation about the frame centre, then a translation. */
export interface RigidMotion {
  /** Degrees, counter-clockwise on screen (y down). */
  rotate: number;
  /** Pixels. */
  dx: number;
  dy: number;
}

/** An affine map of pixel coordinates, x' = a·x + b·y + c, y' = d·x + e·y + f. */
type Affine = [a: number, b: number, c: number, d: number, e: number, f: number];

const compose = (p: Affine, q: Affine): Affine => [
  p[0] * q[0] + p[1] * q[3],
  p[0] * q[1] + p[1] * q[4],
  p[0] * q[2] + p[1] * q[5] + p[2],
  p[3] * q[0] + p[4] * q[3],
  p[3] * q[1] + p[4] * q[4],
  p[3] * q[2] + p[4] * q[5] + p[5],
];

/** The content's motion as a map of frame coordinates (where a pixel at x goes), about the centre (cx, cy). */
function motionMap(m: RigidMotion, cx: number, cy: number): Affine {
  const t = (m.rotate * Math.PI) / 180;
  // Counter-clockwise on screen with y pointing down.
  const [c, s] = [Math.cos(t), -Math.sin(t)];
  return [c, -s, cx - c * cx + s * cy + m.dx, s, c, cy - s * cx - c * cy + m.dy];
}

function invert(p: Affine): Affine {
  const det = p[0] * p[4] - p[1] * p[3];
  const [a, b, d, e] = [p[4] / det, -p[1] / det, -p[3] / det, p[0] / det];
  return [a, b, -(a * p[2] + b * p[5]), d, e, -(d * p[2] + e * p[5])];
}

/** m(x) − x on an H×W grid, as [1,H,W,2] (x then y). */
function displacement(p: Affine, h: number, w: number): tf.Tensor4D {
  const out = new Float32Array(h * w * 2);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 2;
      out[i] = p[0] * x + p[1] * y + p[2] - x;
      out[i + 1] = p[3] * x + p[4] * y + p[5] - y;
    }
  }
  return tf.tensor4d(out, [1, h, w, 2]);
}

/**
 * A synthetic moving scene with known motion, for flow accuracy and temporal coherence: an H×W window onto a
 * larger textured picture, its content moved by a rigid motion each frame. The picture must be large enough that
 * the window never leaves it (no filled border); frames are resampled bilinearly from the picture each time (no
 * accumulated blur).
 */
export class MovingScene {
  /** Frame coordinates → picture coordinates of the current frame. */
  private view: Affine;
  private last: Affine | null = null;

  constructor(
    private readonly picture: tf.Tensor4D,
    readonly height: number,
    readonly width: number,
  ) {
    const [, ph, pw] = picture.shape;
    this.view = [1, 0, (pw - width) / 2, 0, 1, (ph - height) / 2];
  }

  /** The current frame, [1,H,W,C]. */
  frame(): tf.Tensor4D {
    const v = this.view;
    return tf.tidy(() => tf.image.transform(this.picture, tf.tensor2d([[v[0], v[1], v[2], v[3], v[4], v[5], 0, 0]]), 'bilinear', 'nearest', 0, [this.height, this.width]) as tf.Tensor4D);
  }

  /** Moves the content by `m`; the next frame() shows it. */
  move(m: RigidMotion): void {
    const map = motionMap(m, (this.width - 1) / 2, (this.height - 1) / 2);
    this.last = map;
    // New frame at y shows what the old frame showed at map⁻¹(y).
    this.view = compose(this.view, invert(map));
  }

  /** Where the picture's window now lies: whether every pixel of the frame is inside the picture. */
  inside(): boolean {
    const [, ph, pw] = this.picture.shape;
    const v = this.view;
    const corners = [[0, 0], [this.width - 1, 0], [0, this.height - 1], [this.width - 1, this.height - 1]] as const;
    return corners.every(([x, y]) => {
      const px = v[0] * x + v[1] * y + v[2];
      const py = v[3] * x + v[4] * y + v[5];
      return px >= 0 && py >= 0 && px <= pw - 1 && py <= ph - 1;
    });
  }

  /** The true forward flow of the last move (previous frame → current: where each previous pixel went). */
  forwardFlow(): tf.Tensor4D {
    if (!this.last) throw new Error('the scene has not moved yet');
    return displacement(this.last, this.height, this.width);
  }

  /** The true backward flow of the last move (current frame → previous: where each current pixel came from). */
  backwardFlow(): tf.Tensor4D {
    if (!this.last) throw new Error('the scene has not moved yet');
    return displacement(invert(this.last), this.height, this.width);
  }

  /** The true backward flow of `m`, without moving. */
  static backwardFlowOf(m: RigidMotion, height: number, width: number): tf.Tensor4D {
    return displacement(invert(motionMap(m, (width - 1) / 2, (height - 1) / 2)), height, width);
  }

  /**
   * Which pixels of the current frame were visible in the previous one ([1,H,W,1], 1 or 0): the backward flow
   * lands inside the frame. End-point errors are read over these (elsewhere no method can see the answer).
   */
  visible(): tf.Tensor4D {
    if (!this.last) throw new Error('the scene has not moved yet');
    const p = invert(this.last);
    const [h, w] = [this.height, this.width];
    const out = new Float32Array(h * w);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const px = p[0] * x + p[1] * y + p[2];
        const py = p[3] * x + p[4] * y + p[5];
        out[y * w + x] = px >= 0 && py >= 0 && px <= w - 1 && py <= h - 1 ? 1 : 0;
      }
    }
    return tf.tensor4d(out, [1, h, w, 1]);
  }
}

/** Mean end-point error |f − g| of two flow fields [1,H,W,2], over the pixels where `mask` [1,H,W,1] is 1 (all when absent). */
export function endPointError(f: tf.Tensor4D, g: tf.Tensor4D, mask?: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const e = f.sub(g).square().sum(3, true).sqrt();
    if (!mask) return e.mean() as tf.Scalar;
    return e.mul(mask).sum().div(mask.sum().maximum(1)) as tf.Scalar;
  });
}
