import { customElement } from 'lit/decorators.js';
import { DreamApp } from './dream-app';

/**
 * The embeddable visualizer: the same app, configured by attributes only (it never reads or rewrites the host
 * page's URL), with no panel, taking keys and dropped files only while it has focus, e.g.
 * <dream-stream mode="dream" preset="spiral" src="photo.jpg" kiosk>. Events: dream-ready, dream-stats,
 * dream-error, dream-restart, dream-camera (see controllers/dream-events.ts).
 */
@customElement('dream-stream')
export class DreamStream extends DreamApp {
  constructor() {
    super();
    this.urlState = false;
    this.controls = false;
    this.keyScope = 'element';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'dream-stream': DreamStream;
  }
}
