import * as tf from '@tensorflow/tfjs';
import { currentProfile } from '../engine/backend/profile';
import { modelToUnit } from '../engine/image/convert';
import type { Fit } from '../engine/params/settings';
import { paintSize, snapshotRects, type Size } from './display';
import { cubicResize } from './upscale';

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
 * Puts a frame on the OffscreenCanvas, at the size the stage shows it (display.ts paintSize: the frame scaled to
 * the stage's device pixels, so the page scales the canvas by about 1) once the page has said how large the stage
 * is; before that, at the frame's own size. The upscale is the worker's, sharper than the compositor's bilinear
 * stretch: where the backend profile says directPaint (WebGPU) the tensor is resized with Catmull-Rom on the device
 * and drawn straight from device memory (tf.browser.draw, no readback); elsewhere the pixels are read
 * asynchronously (never dataSync in the frame loop), put into a frame-sized canvas and drawn onto the stage's with
 * the 2D context's high-quality (cubic) smoothing.
 */
export class Painter {
  private ctx2d: OffscreenCanvasRenderingContext2D | null = null;
  private scratch: OffscreenCanvas | null = null;
  private display: Size | null = null;
  private fit: Fit = 'cover';

  constructor(private readonly canvas: OffscreenCanvas) {}

  get direct(): boolean {
    return currentProfile().directPaint;
  }

  /** The stage's size in device pixels (null: unknown) and its framing; the next frame is painted to fit them. */
  setView(display: Size | null, fit: Fit): void {
    this.display = display && display.width > 0 && display.height > 0 ? { ...display } : null;
    this.fit = fit;
  }

  /** The canvas size a frame of `frame` is painted at now. */
  sizeFor(frame: Size): Size {
    return paintSize(frame, this.display, this.fit);
  }

  async paint(image: tf.Tensor4D): Promise<void> {
    const [, h, w] = image.shape;
    const size = this.sizeFor({ width: w, height: h });
    if (this.canvas.width !== size.width || this.canvas.height !== size.height) {
      this.canvas.width = size.width;
      this.canvas.height = size.height;
    }
    const scaled = size.width !== w || size.height !== h;
    if (this.direct) {
      const unit = tf.tidy(() => {
        const u = modelToUnit(image);
        return scaled ? (cubicResize(u, size.height, size.width).clipByValue(0, 1) as tf.Tensor3D) : u;
      });
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
    if (!scaled) {
      this.ctx2d.putImageData(frame, 0, 0);
      return;
    }
    if (!this.scratch || this.scratch.width !== w || this.scratch.height !== h) this.scratch = new OffscreenCanvas(w, h);
    this.scratch.getContext('2d')!.putImageData(frame, 0, 0);
    // A resized canvas forgets its context's state: set the filter every time.
    this.ctx2d.imageSmoothingEnabled = true;
    this.ctx2d.imageSmoothingQuality = 'high';
    this.ctx2d.drawImage(this.scratch, 0, 0, size.width, size.height);
  }
}

/**
 * A PNG of the frame (a separate 2D canvas, whatever the backend): at full working resolution, or with `shown` the
 * picture as the stage shows it, in its device pixels (snapshotRects: cover crops to the stage's size, contain keeps
 * the whole picture), upscaled with high-quality (cubic) smoothing.
 */
export async function encodePng(image: tf.Tensor4D, shown?: { display: Size; fit: Fit }): Promise<{ png: ArrayBuffer; width: number; height: number }> {
  const frame = await toImageData(image);
  let canvas = new OffscreenCanvas(frame.width, frame.height);
  canvas.getContext('2d')!.putImageData(frame, 0, 0);
  if (shown && shown.display.width > 0 && shown.display.height > 0) {
    const { out, crop } = snapshotRects(frame, shown.display, shown.fit);
    const big = new OffscreenCanvas(out.width, out.height);
    const ctx = big.getContext('2d')!;
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(canvas, crop.x, crop.y, crop.width, crop.height, 0, 0, out.width, out.height);
    canvas = big;
  }
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return { png: await blob.arrayBuffer(), width: canvas.width, height: canvas.height };
}

/** An ImageBitmap of the frame, for the page's crash-recovery checkpoint. */
export async function frameBitmap(image: tf.Tensor4D): Promise<ImageBitmap> {
  return createImageBitmap(await toImageData(image));
}
