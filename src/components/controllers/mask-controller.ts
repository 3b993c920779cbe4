import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MaskImage } from '../../workers/protocol';
import { MaskPainter, type Brush } from '../mask/mask-painter';
import type { Notify } from './notify';

/** The brush as the controls set it: painting on or off, erase, size (radius, mask px) and softness. */
export interface MaskTool {
  painting: boolean;
  erase: boolean;
  size: number;
  softness: number;
}

export interface MaskPorts {
  /** The mask to the worker (null: none, the look applies everywhere). */
  send: (mask: MaskImage | null) => void;
  /** The working picture's size [w, h] now, or none before the first frame. */
  frame: () => readonly [number, number] | undefined;
  notify: Notify;
}

/** The brush's radius range, mask px (the size slider's). */
export const BRUSH_MIN = 2;
export const BRUSH_MAX = 96;

/** How often a stroke in progress reaches the worker: the dream follows the brush without a message per pointer move. */
const SEND_EVERY_MS = 120;

/**
 * The painted mask: the painter that holds it, the brush, and keeping the worker in step. Looks and snapshots
 * carry it (dataUrl, restore); the URL cannot.
 */
export class MaskController implements ReactiveController {
  readonly painter = new MaskPainter();
  tool: MaskTool = { painting: false, erase: false, size: 24, softness: 0.5 };
  private lastSent = 0;
  /** The empty mask sent by openForRegion is in force (until the next change sends the mask as painted). */
  private armed = false;
  private pending = 0;
  /** The mask as a look carries it, encoded when a look asks and kept until the next change (null: not yet). */
  private encoded: string | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly ports: MaskPorts,
  ) {
    host.addController(this);
  }

  get brush(): Brush {
    return { radius: this.tool.size, softness: this.tool.softness, erase: this.tool.erase };
  }

  get painted(): boolean {
    return !this.painter.empty;
  }

  hostUpdate(): void {
    // The mask follows the picture's aspect (a new picture, a new size): what was painted is kept.
    const frame = this.ports.frame();
    if (!frame || !frame[0] || !frame[1]) return;
    const { width, height } = this.painter.canvas;
    this.painter.fitTo(frame[0], frame[1]);
    if (this.painted && (width !== this.painter.canvas.width || height !== this.painter.canvas.height)) this.changed();
  }

  hostDisconnected(): void {
    clearTimeout(this.pending);
  }

  setTool(tool: MaskTool): void {
    this.tool = tool;
    this.host.requestUpdate();
  }

  /** The brush a step smaller or larger (×1.25), within the size slider's span; painting starts if it was off. */
  resizeBrush(larger: boolean): void {
    const clamp = (n: number) => Math.min(BRUSH_MAX, Math.max(BRUSH_MIN, Math.round(n)));
    const scaled = clamp(this.tool.size * (larger ? 1.25 : 0.8));
    // A small brush still changes by at least a pixel.
    const size = scaled === this.tool.size ? clamp(this.tool.size + (larger ? 1 : -1)) : scaled;
    this.setTool({ ...this.tool, painting: true, size });
  }

  /**
   * The brush open for a region to be painted (an atlas tile painted into the mask): with nothing painted yet, the
   * empty mask goes to the worker, so what the inside dreams appears nowhere until a stroke puts it somewhere.
   */
  openForRegion(): void {
    this.setTool({ ...this.tool, painting: true, erase: false });
    if (this.painted) return;
    this.ports.send(this.painter.values());
    this.armed = true;
  }

  /** Whether a mask is in force: one painted, or the empty one a region waits on (the look applies nowhere yet). */
  get inForce(): boolean {
    return this.painted || this.armed;
  }

  /** Erase instead of paint, or back; painting starts if it was off. */
  toggleErase(): void {
    this.setTool({ ...this.tool, painting: true, erase: !this.tool.erase });
  }

  togglePainting(): void {
    this.setTool({ ...this.tool, painting: !this.tool.painting });
    if (this.tool.painting) this.ports.notify('painting the mask: drag on the stage (M when done)', 'info', 2500);
  }

  /** A stroke went on (sent now and then) or ended (sent at once). */
  stroked(done: boolean): void {
    const now = performance.now();
    if (done || now - this.lastSent > SEND_EVERY_MS) this.changed();
    else if (!this.pending) this.pending = window.setTimeout(() => this.changed(), SEND_EVERY_MS);
  }

  clear(): void {
    this.painter.checkpoint();
    this.painter.clear();
    this.changed();
  }

  invert(): void {
    this.painter.checkpoint();
    this.painter.invert();
    this.changed();
  }

  /** Back to the mask before the last stroke, clear, invert or restored look. */
  undo(): void {
    if (this.painter.undo()) this.changed();
  }

  get canUndo(): boolean {
    return this.painter.canUndo;
  }

  /** The mask as a look carries it (a greyscale PNG data URL), or undefined when none is painted. */
  dataUrl(): string | undefined {
    if (!this.painted) return undefined;
    // Encoded on demand (a snapshot, a look file, Render large), not on every stroke as it is painted.
    return (this.encoded ??= this.painter.toDataUrl());
  }

  /** A look's mask, or none (a look without one restores a look that applies everywhere). */
  async restore(dataUrl: string | undefined): Promise<void> {
    if (dataUrl || this.painted) this.painter.checkpoint();
    try {
      if (dataUrl) await this.painter.load(dataUrl);
      else this.painter.clear();
    } catch {
      this.ports.notify('the look\'s mask could not be read: the look applies everywhere', 'error');
      this.painter.clear();
    }
    this.changed();
  }

  /** Sends the mask as it is now; its encoding for looks is made again when one is next asked for. */
  private changed(): void {
    clearTimeout(this.pending);
    this.pending = 0;
    this.lastSent = performance.now();
    this.encoded = null;
    this.armed = false;
    this.ports.send(this.painted ? this.painter.values() : null);
    this.host.requestUpdate();
  }
}
