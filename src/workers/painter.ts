import * as tf from '@tensorflow/tfjs';
import { currentProfile } from '../engine/backend/profile';
import { modelToUnit } from '../engine/image/convert';
import type { Fit } from '../engine/params/settings';
import { MAX_PAINT_SIDE, paintSize, shownScale, snapshotRects, type Size } from './display';

/** The largest canvas the CPU paint resizes to (a 1080p stage's long side). */
export const CPU_PAINT_SIDE = 1920;
import { cubicResize, cubicResizeRgba } from './upscale';

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
 * asynchronously (never dataSync in the frame loop) and resized with the same Catmull-Rom on the CPU (the 2D
 * context's 'high' smoothing measured no sharper than bilinear: scripts/upscale-sheet.ts).
 */
export class Painter {
  private ctx2d: OffscreenCanvasRenderingContext2D | null = null;
  private display: Size | null = null;
  private fit: Fit = 'cover';

  /**
   * `upscale` false (a software GPU adapter, e.g. SwiftShader): frames are painted at their own size and the page
   * stretches them, as before; a resize per frame on a CPU-emulated GPU deepens its queue until the page's
   * compositor starves.
   */
  constructor(
    private readonly canvas: OffscreenCanvas,
    private readonly upscale = true,
  ) {}

  get direct(): boolean {
    return currentProfile().directPaint;
  }

  /** The stage's size in device pixels (null: unknown) and its framing; the next frame is painted to fit them. */
  setView(display: Size | null, fit: Fit): void {
    this.display = this.upscale && display && display.width > 0 && display.height > 0 ? { ...display } : null;
    this.fit = fit;
  }

  /**
   * The canvas size a frame of `frame` is painted at now. On the CPU the resize costs about 20 ms per megapixel of
   * canvas (80 on 2 loaded cores): beyond CPU_PAINT_SIDE the browser scales the rest.
   */
  sizeFor(frame: Size): Size {
    return paintSize(frame, this.display, this.fit, this.direct ? MAX_PAINT_SIDE : CPU_PAINT_SIDE);
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
    this.ctx2d.putImageData(new ImageData(cubicResizeRgba(frame.data, w, h, size.width, size.height), size.width, size.height), 0, 0);
  }
}

/**
 * A PNG of the frame (a separate 2D canvas, whatever the backend): at full working resolution, or with `shown` the
 * picture as the stage shows it, in its device pixels (snapshotRects: cover crops to the stage's size, contain keeps
 * the whole picture), upscaled with Catmull-Rom as the stage paints it.
 */
export async function encodePng(image: tf.Tensor4D, shown?: { display: Size; fit: Fit }): Promise<{ png: ArrayBuffer; width: number; height: number }> {
  let frame = await toImageData(image);
  let dx = 0;
  let dy = 0;
  let out = { width: frame.width, height: frame.height };
  if (shown && shown.display.width > 0 && shown.display.height > 0) {
    out = snapshotRects(frame, shown.display, shown.fit).out;
    const s = shownScale(frame, shown.display, shown.fit);
    const width = Math.max(out.width, Math.round(frame.width * s));
    const height = Math.max(out.height, Math.round(frame.height * s));
    if (width !== frame.width || height !== frame.height) frame = new ImageData(cubicResizeRgba(frame.data, frame.width, frame.height, width, height), width, height);
    // Cover: the middle of the shown picture, as the stage crops it.
    dx = -Math.round((width - out.width) / 2);
    dy = -Math.round((height - out.height) / 2);
  }
  const canvas = new OffscreenCanvas(out.width, out.height);
  canvas.getContext('2d')!.putImageData(frame, dx, dy);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return { png: await blob.arrayBuffer(), width: out.width, height: out.height };
}

/** An ImageBitmap of the frame, for the page's crash-recovery checkpoint. */
export async function frameBitmap(image: tf.Tensor4D): Promise<ImageBitmap> {
  return createImageBitmap(await toImageData(image));
}
