import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DisplaySize } from '../../workers/protocol';

/** Where this browser remembers whether the figures overlay is shown ('hidden' or 'shown'). */
export const FIGURES_KEY = 'dreamstream.figures';

/** Whether the figures overlay is shown, as this browser remembers it (shown unless hidden before). */
export function readFiguresShown(storage: Pick<Storage, 'getItem'> | null = safeStorage()): boolean {
  try {
    return storage?.getItem(FIGURES_KEY) !== 'hidden';
  } catch {
    return true;
  }
}

export function writeFiguresShown(shown: boolean, storage: Pick<Storage, 'setItem'> | null = safeStorage()): void {
  try {
    storage?.setItem(FIGURES_KEY, shown ? 'shown' : 'hidden');
  } catch {
    // Storage refused (private mode, a sandboxed frame): the choice lasts for this page only.
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** An element's size in device pixels from a ResizeObserver entry (the exact box where the browser reports it). */
export function deviceSize(entry: Pick<ResizeObserverEntry, 'contentRect'> & { devicePixelContentBoxSize?: readonly ResizeObserverSize[] }, dpr: number): DisplaySize {
  const box = entry.devicePixelContentBoxSize?.[0];
  if (box) return { width: Math.round(box.inlineSize), height: Math.round(box.blockSize) };
  return { width: Math.round(entry.contentRect.width * dpr), height: Math.round(entry.contentRect.height * dpr) };
}

/**
 * Whether a stage of width × height CSS pixels is phone-sized: a phone held upright (under 560 wide) or on its side
 * (under 360 high). There the full figures would cover a fifth of the picture; an element embedded at 640 × 400
 * keeps them.
 */
export function compactStage(width: number, height: number): boolean {
  return width > 0 && height > 0 && (width < 560 || height < 360);
}

/**
 * How the picture is viewed, apart from the look: the stage's size in device pixels, sent to the worker as it
 * changes (the worker paints at it and Sharp dreams at it), and whether the figures overlay is shown (a choice of
 * this browser, kept in localStorage; kiosk hides it anyway).
 */
export class ViewController implements ReactiveController {
  figuresShown = readFiguresShown();
  /** A phone-sized stage (compactStage): the figures shrink to one line. */
  compact = false;
  private observer: ResizeObserver | null = null;
  private last: DisplaySize | null = null;
  private stage: Element | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly display: (size: DisplaySize) => void,
  ) {
    host.addController(this);
  }

  /** Follows `stage`'s size from now on (the first report comes at once). */
  observe(stage: Element): void {
    this.stage = stage;
    this.observer?.disconnect();
    if (typeof ResizeObserver === 'undefined') return;
    this.observer = new ResizeObserver((entries) => {
      const entry = entries.at(-1);
      if (!entry) return;
      const compact = compactStage(entry.contentRect.width, entry.contentRect.height);
      if (compact !== this.compact) {
        this.compact = compact;
        this.host.requestUpdate();
      }
      const size = deviceSize(entry, globalThis.devicePixelRatio || 1);
      if (this.last && size.width === this.last.width && size.height === this.last.height) return;
      this.last = size;
      this.display(size);
    });
    try {
      this.observer.observe(stage, { box: 'device-pixel-content-box' });
    } catch {
      this.observer.observe(stage);
    }
  }

  toggleFigures(): void {
    this.figuresShown = !this.figuresShown;
    writeFiguresShown(this.figuresShown);
    this.host.requestUpdate();
  }

  hostConnected(): void {
    if (this.stage && !this.observer) this.observe(this.stage);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
    this.last = null;
  }
}
