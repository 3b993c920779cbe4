import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/**
 * The stage: a canvas filling the element, with overlays slotted on top. A canvas can be handed to a worker
 * only once, so each worker (re)start takes a fresh one from freshCanvas().
 */
@customElement('dream-stage')
export class DreamStage extends LitElement {
  /** How the working frame fills the stage: cover (crop) or contain (letterbox). */
  @property({ reflect: true }) fit: 'cover' | 'contain' = 'cover';

  static override styles = css`
    :host {
      position: relative;
      display: block;
      overflow: hidden;
      background: #000;
    }
    canvas {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      image-rendering: auto;
    }
    :host([fit='cover']) canvas {
      object-fit: cover;
    }
    :host([fit='contain']) canvas {
      object-fit: contain;
    }
  `;

  freshCanvas(): HTMLCanvasElement {
    const root = this.renderRoot;
    root.querySelector('canvas')?.remove();
    const canvas = document.createElement('canvas');
    canvas.setAttribute('aria-label', 'dream stream');
    canvas.setAttribute('role', 'img');
    root.prepend(canvas);
    return canvas;
  }

  get canvas(): HTMLCanvasElement | null {
    return this.renderRoot.querySelector('canvas');
  }

  async toggleFullscreen(): Promise<void> {
    if (document.fullscreenElement) await document.exitFullscreen();
    else await this.requestFullscreen({ navigationUI: 'hide' }).catch(() => undefined);
  }

  override render() {
    return html`<slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'dream-stage': DreamStage;
  }
}
