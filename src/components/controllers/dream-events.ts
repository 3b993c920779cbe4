import type { Stats } from '../../workers/protocol';

/**
 * The element's public events: everything a host page (or a test, or the soak script) learns about the dream it
 * learns from these. All bubble and are composed, so one listener on `document` hears every app on the page.
 */
export interface DreamEventMap {
  /** The worker is up on a backend (and why that one). */
  'dream-ready': { backend: string; reason: string; adapter: string };
  /** A report from the dreaming loop, at least twice a second while it runs. */
  'dream-stats': Stats;
  /** Something went wrong and was shown to the user; the stream goes on (or is restarted: see dream-restart). */
  'dream-error': { message: string; cause: string };
  /** The worker was replaced (crash, silence, lost device): `count` restarts so far on this element. */
  'dream-restart': { reason: string; count: number };
  /** The worker took a camera frame: `frames` taken so far on this element. */
  'dream-camera': { frames: number };
}

export type DreamEventName = keyof DreamEventMap;

export function emitDreamEvent<K extends DreamEventName>(host: EventTarget, name: K, detail: DreamEventMap[K]): void {
  host.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    'dream-ready': CustomEvent<DreamEventMap['dream-ready']>;
    'dream-stats': CustomEvent<DreamEventMap['dream-stats']>;
    'dream-error': CustomEvent<DreamEventMap['dream-error']>;
    'dream-restart': CustomEvent<DreamEventMap['dream-restart']>;
    'dream-camera': CustomEvent<DreamEventMap['dream-camera']>;
  }
  interface DocumentEventMap {
    'dream-ready': CustomEvent<DreamEventMap['dream-ready']>;
    'dream-stats': CustomEvent<DreamEventMap['dream-stats']>;
    'dream-error': CustomEvent<DreamEventMap['dream-error']>;
    'dream-restart': CustomEvent<DreamEventMap['dream-restart']>;
    'dream-camera': CustomEvent<DreamEventMap['dream-camera']>;
  }
}
