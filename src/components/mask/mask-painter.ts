import { MASK_SIDE } from '../../engine/params/mask';
import type { MaskImage } from '../../workers/protocol';

/** A brush: its radius in mask pixels, how soft its edge is (0: hard, 1: all falloff), and paint or erase. */
export interface Brush {
  radius: number;
  softness: number;
  erase: boolean;
}

/** The mask's size for a picture of `width`×`height`: its aspect, MASK_SIDE on the long side. */
export function maskSize(width: number, height: number): [number, number] {
  const long = Math.max(width, height, 1);
  return [Math.max(1, Math.round((width / long) * MASK_SIDE)), Math.max(1, Math.round((height / long) * MASK_SIDE))];
}

/** Where a point of an element (px from its top left) falls on a picture drawn into it with object-fit. */
export function toPicture(x: number, y: number, box: { width: number; height: number }, picture: [number, number], fit: 'cover' | 'contain'): [number, number] {
  const [pw, ph] = picture;
  const scale = (fit === 'cover' ? Math.max : Math.min)(box.width / pw, box.height / ph);
  return [(x - (box.width - pw * scale) / 2) / scale, (y - (box.height - ph * scale) / 2) / scale];
}

/**
 * The painted mask, held in a canvas's alpha (0: the look does not apply, 255: it does): the canvas itself is the
 * overlay people see while painting (tinted). Strokes are soft round stamps; the mask follows the picture's
 * aspect, keeping what was painted (centre-cropped, as the engine fits a mask to a picture).
 */
/** How many changes Undo goes back. */
const UNDO_DEPTH = 20;

export class MaskPainter {
  readonly canvas: HTMLCanvasElement;
  private painted = false;
  /** The mask before each of the last changes, newest last. */
  private history: { image: ImageData; painted: boolean }[] = [];

  constructor(private readonly tint = 'rgb(255, 64, 200)') {
    this.canvas = document.createElement('canvas');
    [this.canvas.width, this.canvas.height] = maskSize(1, 1);
  }

  /** Whether anything is painted (a cleared or never painted mask sends none: the look applies everywhere). */
  get empty(): boolean {
    return !this.painted;
  }

  private get ctx(): CanvasRenderingContext2D {
    const ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('2D canvas unavailable for the mask');
    return ctx;
  }

  /** Follows a picture of `width`×`height`; what was painted is kept, fitted the way the engine fits it. */
  fitTo(width: number, height: number): void {
    const [w, h] = maskSize(width, height);
    if (w === this.canvas.width && h === this.canvas.height) return;
    const old = this.painted ? this.copy() : null;
    this.history = [];
    this.canvas.width = w;
    this.canvas.height = h;
    if (old) drawCover(this.ctx, old, w, h);
  }

  /** Keeps the mask as it is now, for Undo: before a stroke starts, a clear, an invert or a load. */
  checkpoint(): void {
    this.history.push({ image: this.ctx.getImageData(0, 0, this.canvas.width, this.canvas.height), painted: this.painted });
    if (this.history.length > UNDO_DEPTH) this.history.shift();
  }

  get canUndo(): boolean {
    return this.history.length > 0;
  }

  /** Puts back the mask as it was before the last change; false when there is none to undo. */
  undo(): boolean {
    const last = this.history.pop();
    if (!last) return false;
    [this.canvas.width, this.canvas.height] = [last.image.width, last.image.height];
    this.ctx.putImageData(last.image, 0, 0);
    this.painted = last.painted;
    return true;
  }

  /** A stroke from `from` to `to` (mask pixels): stamps a quarter of a radius apart, so it reads as one line. */
  stroke(from: [number, number], to: [number, number], brush: Brush): void {
    const ctx = this.ctx;
    const gap = Math.max(1, brush.radius / 4);
    const n = Math.max(1, Math.ceil(Math.hypot(to[0] - from[0], to[1] - from[1]) / gap));
    ctx.save();
    ctx.globalCompositeOperation = brush.erase ? 'destination-out' : 'source-over';
    for (let i = 0; i <= n; i++) {
      const x = from[0] + ((to[0] - from[0]) * i) / n;
      const y = from[1] + ((to[1] - from[1]) * i) / n;
      const g = ctx.createRadialGradient(x, y, 0, x, y, brush.radius);
      // A soft brush is built up by its stamps: each is faint at its edge, so overlapping stamps stay soft.
      g.addColorStop(0, this.tint);
      g.addColorStop(Math.min(0.999, 1 - brush.softness), this.tint);
      g.addColorStop(1, 'rgba(255, 64, 200, 0)');
      ctx.fillStyle = g;
      ctx.beginPath();
      ctx.arc(x, y, brush.radius, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.restore();
    if (!brush.erase) this.painted = true;
  }

  clear(): void {
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.painted = false;
  }

  /** Paints what was unpainted and the other way round. */
  invert(): void {
    const ctx = this.ctx;
    const img = ctx.getImageData(0, 0, this.canvas.width, this.canvas.height);
    for (let i = 0; i < img.data.length; i += 4) {
      img.data[i] = 255;
      img.data[i + 1] = 64;
      img.data[i + 2] = 200;
      img.data[i + 3] = 255 - img.data[i + 3]!;
    }
    ctx.putImageData(img, 0, 0);
    this.painted = true;
  }

  /** The mask as the worker takes it: one value per pixel. */
  values(): MaskImage {
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const data = new Uint8Array(width * height);
    for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4 + 3]!;
    return { width, height, data };
  }

  /** The mask as a look carries it: a greyscale PNG (white: the look applies), the form the CLI's --mask reads. */
  toDataUrl(): string {
    const { width, height } = this.canvas;
    const { data } = this.values();
    const out = document.createElement('canvas');
    out.width = width;
    out.height = height;
    const ctx = out.getContext('2d')!;
    const img = ctx.createImageData(width, height);
    for (let i = 0; i < data.length; i++) img.data.set([data[i]!, data[i]!, data[i]!, 255], i * 4);
    ctx.putImageData(img, 0, 0);
    return out.toDataURL('image/png');
  }

  /**
   * A look's mask (a greyscale PNG data URL): its luminance becomes the mask, at its own aspect (the picture it was
   * painted on; fitTo() then fits it to the picture shown, as the engine would).
   */
  async load(dataUrl: string): Promise<void> {
    // Decoded here, not fetched: a data URL needs no request.
    const bytes = Uint8Array.from(atob(dataUrl.slice(dataUrl.indexOf(',') + 1)), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    [this.canvas.width, this.canvas.height] = maskSize(bitmap.width, bitmap.height);
    const { width, height } = this.canvas;
    const grey = document.createElement('canvas');
    grey.width = width;
    grey.height = height;
    const g = grey.getContext('2d', { willReadFrequently: true })!;
    drawCover(g, bitmap, width, height);
    bitmap.close();
    const img = g.getImageData(0, 0, width, height);
    let any = false;
    for (let i = 0; i < img.data.length; i += 4) {
      const v = Math.round(0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!);
      img.data.set([255, 64, 200, v], i);
      any ||= v > 0;
    }
    this.ctx.putImageData(img, 0, 0);
    this.painted = any;
  }

  private copy(): HTMLCanvasElement {
    const c = document.createElement('canvas');
    c.width = this.canvas.width;
    c.height = this.canvas.height;
    c.getContext('2d')!.drawImage(this.canvas, 0, 0);
    return c;
  }
}

/** Draws `source` to fill w×h, centre-cropped to the aspect (as the engine's cover). */
function drawCover(ctx: CanvasRenderingContext2D, source: CanvasImageSource & { width: number; height: number }, w: number, h: number): void {
  const scale = Math.max(w / source.width, h / source.height);
  const sw = w / scale;
  const sh = h / scale;
  ctx.drawImage(source, (source.width - sw) / 2, (source.height - sh) / 2, sw, sh, 0, 0, w, h);
}
