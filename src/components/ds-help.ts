import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { SHORTCUTS } from './input/shortcuts';

/**
 * The keyboard help overlay. It only reports `close`; the app owns `open` (and Escape, via shortcutFor), so
 * there is one source of truth for whether help is showing.
 */
@customElement('ds-help')
export class DsHelp extends LitElement {
  @property({ type: Boolean, reflect: true }) open = false;
  @query('button.close') private closeButton?: HTMLButtonElement;

  private close(): void {
    this.dispatchEvent(new CustomEvent('close', { bubbles: true, composed: true }));
  }

  /** A click on the dimmed backdrop (not the card) closes, as people expect from overlays. */
  private onBackdrop(e: Event): void {
    if (e.target === e.currentTarget) this.close();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Keyboard users land on the way out; Escape and Enter then both work.
    if (changed.has('open') && this.open) this.closeButton?.focus();
  }

  override render(): TemplateResult | typeof nothing {
    if (!this.open) return nothing;
    return html`<div class="backdrop" @click=${this.onBackdrop}>
      <div class="card" role="dialog" aria-modal="true" aria-labelledby="help-title">
        <header>
          <h2 id="help-title">Keyboard shortcuts</h2>
          <button type="button" class="close" aria-label="Close help" @click=${this.close}>×</button>
        </header>
        <table>
          <tbody>
            ${SHORTCUTS.map(
              (s) => html`<tr data-action=${s.action}>
                <th scope="row"><kbd>${s.label}</kbd></th>
                <td>${s.description}</td>
              </tr>`,
            )}
          </tbody>
        </table>
        <p class="hint">Drop or paste an image anywhere to dream on it.</p>
      </div>
    </div>`;
  }

  // The card scrolls where the window is shorter than the list (a laptop's 560 px no longer holds every key).
  static override styles = css`
    :host { position: fixed; inset: 0; z-index: 50; pointer-events: none; }
    :host(:not([open])) { display: none; }
    .backdrop { position: absolute; inset: 0; background: rgba(0, 0, 0, 0.55); display: grid; place-items: center; pointer-events: auto; }
    .card { background: #1a1a1a; color: #eee; border: 1px solid #333; border-radius: 6px; padding: 12px 16px; min-width: 280px; max-height: calc(100% - 24px); overflow-y: auto; box-sizing: border-box; font: 13px/1.5 system-ui, sans-serif; box-shadow: 0 8px 30px rgba(0, 0, 0, 0.6); }
    header { display: flex; align-items: center; justify-content: space-between; gap: 16px; }
    h2 { margin: 0; font-size: 14px; color: #7fd1ff; }
    .close { font: inherit; font-size: 18px; line-height: 1; color: #eee; background: #111; border: 1px solid #333; border-radius: 3px; padding: 2px 8px; cursor: pointer; }
    .close:hover, .close:focus-visible { border-color: #7fd1ff; outline: none; }
    table { border-collapse: collapse; margin-top: 8px; }
    th { text-align: left; padding: 2px 16px 2px 0; font-weight: normal; }
    kbd { font: 12px ui-monospace, Menlo, Consolas, monospace; background: #111; border: 1px solid #444; border-bottom-width: 2px; border-radius: 3px; padding: 0 5px; }
    .hint { margin: 10px 0 0; color: #999; font-size: 12px; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-help': DsHelp;
  }
}
