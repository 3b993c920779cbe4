import * as tf from '@tensorflow/tfjs';

/** Pixels (any [H,W,3] or [H,W,4] tensor in 0–255) to the model's [1,H,W,3] in [-1, 1]. */
export function pixelsToModel(pixels: tf.Tensor3D): tf.Tensor4D {
  return tf.tidy(() => {
    const rgb = pixels.shape[2] === 4 ? pixels.slice([0, 0, 0], [-1, -1, 3]) : pixels;
    return rgb.toFloat().div(127.5).sub(1).expandDims(0) as tf.Tensor4D;
  });
}

/** The model's [1,H,W,3] in [-1, 1] to [H,W,3] float in [0, 1] (what tf.browser.draw expects). */
export function modelToUnit(x: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => x.squeeze([0]).add(1).mul(0.5).clipByValue(0, 1) as tf.Tensor3D);
}

/** The model's [1,H,W,3] to [H,W,3] int32 0–255 (for PNG encoders and ImageData). */
export function modelToBytes(x: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => modelToUnit(x).mul(255).round().toInt() as tf.Tensor3D);
}
