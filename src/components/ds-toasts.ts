import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { addToast, defaultDuration, dismissToast, EMPTY_QUEUE, expireToasts, nextExpiry, type ToastKind, type ToastQueue } from './overlays/toast-queue';

/**
 * Transient notices and errors. Imperative (`show`) because messages are events, not state the app keeps;
 * the queue rules live in toast-queue.ts and this element only renders and runs one timer.
 */
@customElement('ds-toasts')
export class DsToasts extends LitElement {
  @state() private queue: ToastQueue = EMPTY_QUEUE;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Shows a message; errors default to staying longer (15 s vs 6 s). ms ≤ 0: until dismissed. */
  show(message: string, kind: ToastKind = 'info', ms: number = defaultDuration(kind)): void {
    const now = Date.now();
    this.queue = addToast(expireToasts(this.queue, now), message, kind, ms, now);
    this.schedule();
  }

  dismiss(id: number): void {
    this.queue = dismissToast(this.queue, id);
    this.schedule();
  }

  clear(): void {
    this.queue = { ...this.queue, toasts: [] };
    this.schedule();
  }

  /** One timer for the soonest expiry, re-armed after every change, rather than one per toast. */
  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const at = nextExpiry(this.queue);
    if (at === null || !this.isConnected) return;
    this.timer = setTimeout(() => {
      this.queue = expireToasts(this.queue, Date.now());
      this.schedule();
    }, Math.max(0, at - Date.now()) + 10);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.queue = expireToasts(this.queue, Date.now());
    this.schedule();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  override render(): TemplateResult {
    return html`<div class="stack">
      ${this.queue.toasts.map(
        (t) => html`<div class="toast ${t.kind}" role=${t.kind === 'error' ? 'alert' : 'status'} data-kind=${t.kind} data-toast-id=${t.id}>
          <span class="message">${t.message}${t.count > 1 ? html` <span class="count">×${t.count}</span>` : ''}</span>
          <button type="button" aria-label="Dismiss" @click=${() => this.dismiss(t.id)}>×</button>
        </div>`,
      )}
    </div>`;
  }

  static override styles = css`
    :host { position: fixed; left: 50%; bottom: 16px; transform: translateX(-50%); z-index: 60; pointer-events: none; width: min(92vw, 480px); }
    .stack { display: flex; flex-direction: column; gap: 6px; }
    .toast {
      pointer-events: auto; display: flex; align-items: flex-start; gap: 8px; padding: 7px 8px 7px 10px; border-radius: 4px;
      background: rgba(26, 26, 26, 0.95); color: #eee; border-left: 3px solid #7fd1ff; font: 13px/1.4 system-ui, sans-serif;
      box-shadow: 0 4px 16px rgba(0, 0, 0, 0.5);
    }
    .toast.error { border-left-color: #ff6b6b; background: rgba(40, 18, 18, 0.96); }
    .message { flex: 1; overflow-wrap: anywhere; }
    .count { color: #999; }
    button { font: inherit; font-size: 16px; line-height: 1; color: #bbb; background: none; border: 1px solid transparent; border-radius: 3px; cursor: pointer; padding: 0 5px; }
    button:hover, button:focus-visible { color: #eee; border-color: #7fd1ff; outline: none; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-toasts': DsToasts;
  }
}
