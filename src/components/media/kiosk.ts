import type { Preset } from '../look/presets';

/**
 * Installation mode helpers: a playlist that advances every N minutes (forever), and a screen wake lock that is
 * taken again whenever the page becomes visible (the browser drops it on every visibility change).
 */
export class Playlist {
  private timer = 0;
  private index = -1;

  constructor(
    private readonly presets: Preset[],
    private readonly minutes: number,
    private readonly apply: (p: Preset) => void,
  ) {}

  start(): void {
    if (this.presets.length === 0) return;
    this.next();
    this.timer = window.setInterval(() => this.next(), this.minutes * 60_000);
  }

  next(): void {
    this.index = (this.index + 1) % this.presets.length;
    this.apply(this.presets[this.index]!);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export function keepScreenAwake(onError: (message: string) => void): () => void {
  let lock: WakeLockSentinel | null = null;
  const acquire = async () => {
    if (document.visibilityState !== 'visible' || !('wakeLock' in navigator)) return;
    try {
      lock = await navigator.wakeLock.request('screen');
    } catch (e) {
      onError(`the screen may sleep: wake lock refused (${(e as Error).message})`);
    }
  };
  const onVisible = () => void acquire();
  document.addEventListener('visibilitychange', onVisible);
  void acquire();
  return () => {
    document.removeEventListener('visibilitychange', onVisible);
    void lock?.release();
  };
}
