import * as tf from '@tensorflow/tfjs';
import { currentProfile } from '../engine/backend/profile';
import { modelToUnit } from '../engine/image/convert';

/** The frame as RGBA ImageData; the alpha channel is added on the backend so the copy out is one flat pass. */
export async function toImageData(image: tf.Tensor4D): Promise<ImageData> {
  const [, h, w] = image.shape;
  const rgba = tf.tidy(() => {
    const rgb = modelToUnit(image).mul(255).round();
    return tf.concat([rgb, tf.fill([h, w, 1], 255)], 2).toInt();
  });
  try {
    const data = await rgba.data();
    return new ImageData(Uint8ClampedArray.from(data), w, h);
  } finally {
    rgba.dispose();
  }
}

/**
 * Puts a frame on the OffscreenCanvas. Where the backend profile says directPaint (WebGPU) the tensor is drawn
 * straight from device memory (tf.browser.draw, no readback); elsewhere the pixels are read asynchronously (never
 * dataSync in the frame loop) and put into the 2D context.
 */
export class Painter {
  private ctx2d: OffscreenCanvasRenderingContext2D | null = null;

  constructor(private readonly canvas: OffscreenCanvas) {}

  get direct(): boolean {
    return currentProfile().directPaint;
  }

  async paint(image: tf.Tensor4D): Promise<void> {
    const [, h, w] = image.shape;
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    if (this.direct) {
      const unit = modelToUnit(image);
      try {
        tf.browser.draw(unit, this.canvas as unknown as HTMLCanvasElement);
      } finally {
        unit.dispose();
      }
      return;
    }
    const frame = await toImageData(image);
    this.ctx2d ??= this.canvas.getContext('2d');
    if (!this.ctx2d) throw new Error('2D canvas context unavailable');
    this.ctx2d.putImageData(frame, 0, 0);
  }
}

/** A PNG of the frame at full working resolution (a separate 2D canvas, whatever the backend). */
export async function encodePng(image: tf.Tensor4D): Promise<{ png: ArrayBuffer; width: number; height: number }> {
  const frame = await toImageData(image);
  const canvas = new OffscreenCanvas(frame.width, frame.height);
  canvas.getContext('2d')!.putImageData(frame, 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return { png: await blob.arrayBuffer(), width: frame.width, height: frame.height };
}

/** An ImageBitmap of the frame, for the page's crash-recovery checkpoint. */
export async function frameBitmap(image: tf.Tensor4D): Promise<ImageBitmap> {
  return createImageBitmap(await toImageData(image));
}
