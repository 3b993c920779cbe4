import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { aboutOf } from '../engine/modes/catalog';
import type { Mode } from '../engine/params/settings';

export type SampleRole = 'content' | 'style';
/** A role a picture can take: the second painting is chosen from the style samples. */
export type PictureRole = SampleRole | 'style2';

export interface Sample {
  id: string;
  name: string;
  url: string;
  role: SampleRole;
  credit: string;
}

/** `source-selected` detail: a bundled sample (by URL) or a file the user picked. */
export type SourceSelection =
  | { role: PictureRole; name: string; url: string; id: string }
  | { role: PictureRole | 'guide'; name: string; file: File }
  /** No second painting: the first has the whole style again. */
  | { role: 'style2'; none: true };

/**
 * Picks what to dream on: bundled samples, a local file, or the webcam. It only reports choices; decoding,
 * drag & drop and paste live in the app shell, which also owns the camera.
 */
@customElement('ds-sources')
export class DsSources extends LitElement {
  @property({ attribute: false }) samples: Sample[] = [];
  /** Id (or name) of the current content / style source, to mark its thumbnail. */
  @property() activeContent = '';
  @property() activeStyle = '';
  /** The second painting's id, '' for the user's own, null for none. */
  @property({ attribute: false }) activeStyle2: string | null = null;
  @property({ type: Boolean }) webcamOn = false;
  @property() mode: Mode = 'dream';

  private emit(detail: SourceSelection): void {
    this.dispatchEvent(new CustomEvent('source-selected', { detail, bubbles: true, composed: true }));
  }

  private onFile(role: PictureRole | 'guide', e: Event): void {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so that choosing the same file again still fires `change`.
    input.value = '';
    if (file) this.emit({ role, name: file.name, file });
  }

  private toggleWebcam(): void {
    this.dispatchEvent(new CustomEvent('webcam-toggle', { detail: !this.webcamOn, bubbles: true, composed: true }));
  }

  private group(role: PictureRole, title: string, active: string, extra: TemplateResult | typeof nothing = nothing): TemplateResult {
    const items = this.samples.filter((s) => s.role === (role === 'style2' ? 'style' : role));
    const noun = role === 'style2' ? 'second style' : role;
    return html`<section aria-label=${title}>
      <h3>${title}</h3>
      <div class="grid">
        ${extra}
        ${items.map((s) => {
          const on = active !== '' && (active === s.id || active === s.name);
          return html`<button type="button" class="thumb" data-sample=${s.id} data-role=${role} aria-pressed=${on ? 'true' : 'false'}
            title=${s.credit ? `${s.name} — ${s.credit}` : s.name} @click=${() => this.emit({ role, name: s.name, url: s.url, id: s.id })}>
            <img src=${s.url} alt=${`${s.name} (${noun} image)`} loading="lazy" decoding="async" width="64" height="64" />
            <span>${s.name}</span>
          </button>`;
        })}
        <label class="thumb upload">
          <input type="file" accept="image/*" name=${`${role}-file`} data-role=${role} @change=${(e: Event) => this.onFile(role, e)} />
          <span aria-hidden="true" class="plus">+</span><span>Your ${noun} image…</span>
        </label>
      </div>
    </section>`;
  }

  /** Guided dreaming: the dream is pulled toward the features of this picture. */
  private guide(): TemplateResult {
    return html`<label class="webcam guide">
      <input type="file" accept="image/*" name="guide-file" data-role="guide" @change=${(e: Event) => this.onFile('guide', e)} />
      Guide image…
    </label>`;
  }

  /** A second painting to blend with the first, or none. */
  private secondStyle(): TemplateResult {
    const none = html`<button type="button" class="thumb none" data-role="style2" data-sample="none" aria-pressed=${this.activeStyle2 === null ? 'true' : 'false'}
      title="One painting only" @click=${() => this.dispatchEvent(new CustomEvent('source-selected', { detail: { role: 'style2', none: true }, bubbles: true, composed: true }))}>
      <span aria-hidden="true" class="plus">∅</span><span>None</span>
    </button>`;
    return this.group('style2', 'Blend with', this.activeStyle2 ?? '', none);
  }

  override render(): TemplateResult {
    const pictures = aboutOf(this.mode).pictures;
    return html`${this.group('content', pictures.content, this.activeContent)}
      ${pictures.paintings ? html`${this.group('style', 'Style', this.activeStyle)}${this.secondStyle()}` : nothing}
      ${pictures.guide ? this.guide() : nothing}
      <button type="button" class="webcam" data-action="webcam" aria-pressed=${this.webcamOn ? 'true' : 'false'} @click=${this.toggleWebcam}>
        ${this.webcamOn ? 'Stop webcam' : 'Use webcam'}
      </button>`;
  }

  static override styles = css`
    :host { display: block; background: #1a1a1a; color: #eee; font: 12px/1.4 system-ui, sans-serif; padding: 8px; }
    h3 { margin: 6px 0 4px; font-size: 11px; text-transform: uppercase; letter-spacing: 0.06em; color: #7fd1ff; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(72px, 1fr)); gap: 6px; }
    .thumb {
      display: flex; flex-direction: column; align-items: center; gap: 2px; padding: 3px; cursor: pointer; font: inherit; color: #ccc;
      background: #111; border: 2px solid #333; border-radius: 4px; overflow: hidden;
    }
    .thumb img { width: 64px; height: 64px; object-fit: cover; border-radius: 2px; background: #222; }
    .thumb span { max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 11px; }
    .thumb[aria-pressed='true'] { border-color: #7fd1ff; color: #eee; }
    .thumb:hover, .thumb:focus-visible, .upload:focus-within { border-color: #7fd1ff88; outline: none; }
    .none { justify-content: center; min-height: 86px; }
    .upload { justify-content: center; text-align: center; border-style: dashed; position: relative; }
    .upload input { position: absolute; inset: 0; opacity: 0; cursor: pointer; }
    .plus { font-size: 22px; color: #7fd1ff; }
    .upload span { white-space: normal; }
    .webcam { margin-top: 8px; width: 100%; padding: 5px; font: inherit; color: #eee; background: #111; border: 1px solid #333; border-radius: 3px; cursor: pointer; }
    .guide { display: block; position: relative; text-align: center; box-sizing: border-box; }
    .guide input { position: absolute; inset: 0; opacity: 0; cursor: pointer; }
    .webcam[aria-pressed='true'] { border-color: #7fd1ff; color: #7fd1ff; }
    .webcam:hover, .webcam:focus-visible { border-color: #7fd1ff; outline: none; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-sources': DsSources;
  }
}
