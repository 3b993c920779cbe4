import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Below this width the panel would squeeze the stage to a sliver: it becomes a bottom sheet instead. */
export const NARROW_PX = 720;

/**
 * Watches the element's own width (not the window's: an embedded element can be narrow on a wide page) and
 * reflects it as the `narrow` attribute, which the shell's styles turn into the phone layout.
 */
export class LayoutController implements ReactiveController {
  narrow = false;
  private observer: ResizeObserver | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly onChange: (narrow: boolean) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (typeof ResizeObserver === 'undefined') return;
    this.observer = new ResizeObserver((entries) => {
      const width = entries[0]?.contentRect.width ?? this.host.clientWidth;
      const narrow = width > 0 && width < NARROW_PX;
      if (narrow === this.narrow) return;
      this.narrow = narrow;
      this.host.toggleAttribute('narrow', narrow);
      this.onChange(narrow);
    });
    this.observer.observe(this.host);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
  }
}
