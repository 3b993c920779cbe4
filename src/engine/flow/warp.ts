import * as tf from '@tensorflow/tfjs';
import { PixelGrid } from './grid';
import { BILINEAR_SAMPLE, hasNativeSample, type SampleAttrs } from './kernels/sample';

/**
 * Bilinear sampling of `image` [1,h,w,C] at the points (px, py), in pixels of `image`, each of a shape that
 * broadcasts to [1,H,W,1]; the result is [1,H,W,C]. Points outside the frame take the nearest border pixel.
 *
 * Built from tfjs ops alone (the fallback where a backend has no native sampler, and the reference the native ones
 * are tested against): tfjs has no per-pixel resampler (tf.image.transform applies one projective matrix per
 * image), so the four neighbours are fetched with tf.gather on the flattened image and mixed.
 */
export function bilinear(image: tf.Tensor4D, px: tf.Tensor4D, py: tf.Tensor4D): tf.Tensor4D {
  const [, h, w, c] = image.shape;
  if (h < 2 || w < 2) throw new Error(`bilinear sampling needs at least 2×2 pixels (got ${h}×${w})`);
  return tf.tidy(() => {
    const x = px.clipByValue(0, w - 1);
    const y = py.clipByValue(0, h - 1);
    // The top-left neighbour, kept one pixel inside the far edges so that its right and lower neighbours exist
    // (at x = W−1 the weight of the right neighbour is then 1: the border pixel itself).
    const x0 = x.floor().minimum(w - 2);
    const y0 = y.floor().minimum(h - 2);
    const fx = x.sub(x0);
    const fy = y.sub(y0);
    // Flat indices in float32 (exact below 2^24 pixels), cast once per neighbour.
    const i00 = y0.mul(w).add(x0);
    const [, ho, wo] = i00.shape as [number, number, number, number];
    const flat = image.reshape([h * w, c]);
    const at = (offset: number) => tf.gather(flat, (offset ? i00.add(offset) : i00).reshape([ho * wo]).toInt()).reshape([1, ho, wo, c]);
    const a = at(0);
    const b = at(1);
    const d = at(w);
    const e = at(w + 1);
    const top = a.add(b.sub(a).mul(fx));
    const bottom = d.add(e.sub(d).mul(fx));
    return top.add(bottom.sub(top).mul(fy)) as tf.Tensor4D;
  });
}

/** The sampling of BILINEAR_SAMPLE from tfjs ops (see bilinear). */
export function sampleComposite(image: tf.Tensor4D, flow: tf.Tensor4D, { scaleX, scaleY }: SampleAttrs, grid?: PixelGrid): tf.Tensor4D {
  const [, oh, ow] = flow.shape;
  const own = grid ?? new PixelGrid(oh, ow);
  try {
    return tf.tidy(() => {
      const [u, v] = tf.split(flow, 2, 3) as [tf.Tensor4D, tf.Tensor4D];
      return bilinear(image, own.xs.mul(scaleX).add(u), own.ys.mul(scaleY).add(v));
    });
  } finally {
    if (!grid) own.dispose();
  }
}

/**
 * out(y, x) = image at (x·scaleX + flow_x, y·scaleY + flow_y), bilinear, clamped to the frame: `image` [1,h,w,C],
 * `flow` [1,H,W,2] (x component first), out [1,H,W,C]. One native kernel where the backend has one (wasm: a loop
 * over the heap; webgpu: one dispatch), else tfjs ops. Either way nothing leaves the backend.
 */
export function sample(image: tf.Tensor4D, flow: tf.Tensor4D, scale: SampleAttrs = { scaleX: 1, scaleY: 1 }, grid?: PixelGrid): tf.Tensor4D {
  if (flow.shape[3] !== 2 || flow.shape[0] !== 1 || image.shape[0] !== 1) {
    throw new Error(`sampling needs an image [1,h,w,C] and a flow [1,H,W,2] (got [${image.shape}] and [${flow.shape}])`);
  }
  if (image.shape[1] < 2 || image.shape[2] < 2) throw new Error(`bilinear sampling needs at least 2×2 pixels (got ${image.shape[1]}×${image.shape[2]})`);
  if (hasNativeSample()) return tf.engine().runKernel(BILINEAR_SAMPLE, { image, flow }, scale as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  return sampleComposite(image, flow, scale, grid);
}

/**
 * Backward warp: out(x) = image(x + flow(x)), bilinear, for a displacement field `flow` [1,H,W,2] in pixels (x
 * component first) of the image's own size. With the flow from the current frame to the previous one, this
 * carries a picture made for the previous frame onto the current one.
 */
export function warp(image: tf.Tensor4D, flow: tf.Tensor4D, grid?: PixelGrid): tf.Tensor4D {
  if (flow.shape[1] !== image.shape[1] || flow.shape[2] !== image.shape[2]) {
    throw new Error(`a flow field of shape [${flow.shape}] cannot warp an image of shape [${image.shape}]`);
  }
  return sample(image, flow, { scaleX: 1, scaleY: 1 }, grid);
}

/**
 * A flow field of a pyramid level brought to the next finer level (H×W): fine pixel 2i lies on coarse pixel i, and
 * displacements double.
 */
export function upsampleFlow(flow: tf.Tensor4D, grid: PixelGrid): tf.Tensor4D {
  return tf.tidy(() => sample(flow, grid.zero, { scaleX: 0.5, scaleY: 0.5 }, grid).mul(2));
}

/** 1 where x + flow(x) lies inside the frame, falling to 0 one pixel outside it: [1,H,W,1]. */
export function insideWeight(flow: tf.Tensor4D, grid: PixelGrid): tf.Tensor4D {
  return tf.tidy(() => {
    const p = grid.xy.add(flow);
    const outside = p.neg().relu().add(p.sub(grid.far).relu()).sum(3, true);
    return tf.scalar(1).sub(outside.minimum(1)) as tf.Tensor4D;
  });
}
