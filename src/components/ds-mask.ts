import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { toPicture, type Brush, type MaskPainter } from './mask/mask-painter';

/**
 * The mask overlay on the stage: the painter's canvas laid over the picture exactly as the picture is (the same
 * object-fit), tinted while painting and hidden otherwise. While `painting`, a pointer drag paints (or erases)
 * with the brush, a circle shows the brush's size, and `mask-stroke` fires as a stroke goes on and when it ends.
 */
@customElement('ds-mask')
export class DsMask extends LitElement {
  @property({ attribute: false }) painter: MaskPainter | null = null;
  @property({ type: Boolean, reflect: true }) painting = false;
  @property({ attribute: false }) brush: Brush = { radius: 20, softness: 0.5, erase: false };
  @property({ reflect: true }) fit: 'cover' | 'contain' = 'cover';
  private last: [number, number] | null = null;
  private cursor: { x: number; y: number } | null = null;

  static override styles = css`
    :host {
      position: absolute;
      inset: 0;
      pointer-events: none;
      touch-action: none;
    }
    :host([painting]) {
      pointer-events: auto;
      cursor: crosshair;
    }
    canvas {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      object-fit: cover;
      opacity: 0;
      transition: opacity 0.15s;
    }
    :host([fit='contain']) canvas {
      object-fit: contain;
    }
    :host([painting]) canvas {
      opacity: 0.45;
    }
    .brush {
      position: absolute;
      border: 1px solid #fff;
      border-radius: 50%;
      box-shadow: 0 0 0 1px #000;
      pointer-events: none;
      transform: translate(-50%, -50%);
    }
  `;

  override updated(): void {
    const canvas = this.painter?.canvas;
    const root = this.renderRoot;
    if (canvas && canvas.parentNode !== root) root.prepend(canvas);
  }

  /** The pointer's position on the mask, in its pixels. */
  private at(e: PointerEvent): [number, number] {
    const canvas = this.painter!.canvas;
    const box = this.getBoundingClientRect();
    const [x, y] = toPicture(e.clientX - box.left, e.clientY - box.top, box, [canvas.width, canvas.height], this.fit);
    return [x, y];
  }

  /** The brush's radius on screen, px. */
  private screenRadius(): number {
    const canvas = this.painter?.canvas;
    if (!canvas) return 0;
    const box = this.getBoundingClientRect();
    const scale = (this.fit === 'cover' ? Math.max : Math.min)(box.width / canvas.width, box.height / canvas.height);
    return this.brush.radius * scale;
  }

  private down = (e: PointerEvent): void => {
    if (!this.painting || !this.painter || e.button !== 0) return;
    e.preventDefault();
    this.setPointerCapture(e.pointerId);
    const p = this.at(e);
    this.painter.checkpoint();
    this.painter.stroke(p, p, this.brush);
    this.last = p;
    this.emitStroke(false);
  };

  private move = (e: PointerEvent): void => {
    const box = this.getBoundingClientRect();
    this.cursor = { x: e.clientX - box.left, y: e.clientY - box.top };
    this.requestUpdate();
    if (!this.last || !this.painter) return;
    const p = this.at(e);
    this.painter.stroke(this.last, p, this.brush);
    this.last = p;
    this.emitStroke(false);
  };

  private up = (): void => {
    if (!this.last) return;
    this.last = null;
    this.emitStroke(true);
  };

  private leave = (): void => {
    this.cursor = null;
    this.requestUpdate();
  };

  private emitStroke(done: boolean): void {
    this.dispatchEvent(new CustomEvent('mask-stroke', { detail: { done }, bubbles: true, composed: true }));
  }

  /** The pointer events the overlay listens to while connected. */
  private readonly listeners: [string, (e: PointerEvent) => void][] = [
    ['pointerdown', this.down],
    ['pointermove', this.move],
    ['pointerup', this.up],
    ['pointercancel', this.up],
    ['pointerleave', this.leave],
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    for (const [type, fn] of this.listeners) this.addEventListener(type, fn as EventListener);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const [type, fn] of this.listeners) this.removeEventListener(type, fn as EventListener);
  }

  override render() {
    const c = this.painting ? this.cursor : null;
    const d = 2 * this.screenRadius();
    return c ? html`<div class="brush" style="left:${c.x}px;top:${c.y}px;width:${d}px;height:${d}px"></div>` : html``;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-mask': DsMask;
  }
  interface HTMLElementEventMap {
    /** A stroke painted more of the mask; `done` when the pointer was lifted. */
    'mask-stroke': CustomEvent<{ done: boolean }>;
  }
}
