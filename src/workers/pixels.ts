import * as tf from '@tensorflow/tfjs';

/**
 * ImageBitmap → [H,W,3] int32 through a 2D OffscreenCanvas. Works on every backend (tf.browser.fromPixels has
 * backend-specific paths, and webgpu's cannot read a bitmap in every worker); the bitmap is closed after use.
 */
export function bitmapToPixels(bitmap: ImageBitmap, maxSide = 2048): tf.Tensor3D {
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas unavailable in the worker');
  ctx.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const data = Int32Array.from(ctx.getImageData(0, 0, w, h).data);
  return tf.tidy(() => tf.tensor3d(data, [h, w, 4], 'int32').slice([0, 0, 0], [-1, -1, 3]) as tf.Tensor3D);
}
