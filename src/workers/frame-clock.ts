/**
 * Rates from frames that have *finished* (their pictures are on the canvas), not from frames queued. Pure: the
 * loop feeds it completion times, tests feed it numbers.
 */
export interface FinishedFrame {
  /** performance.now() when the frame's work was done. */
  at: number;
  steps: number;
}

export class FrameClock {
  private frames: FinishedFrame[] = [];

  /**
   * Rates are taken over the last `windowMs`, but never over fewer than `minFrames` frames (nor three): on a slow device a
   * rate from two or three frames jumps with every frame.
   */
  constructor(
    private readonly windowMs = 3000,
    private readonly minFrames = 8,
  ) {}

  /**
   * Records a finished frame; returns the time since the previous finished frame (what the frame cost the
   * pipeline, GPU or CPU, whichever is the bottleneck), or null after a reset.
   */
  finish(at: number, steps: number): number | null {
    const prev = this.frames.at(-1);
    this.frames.push({ at, steps });
    while (this.frames.length > Math.max(3, this.minFrames) && at - this.frames[0]!.at > this.windowMs) this.frames.shift();
    return prev ? at - prev.at : null;
  }

  /** A pause, a new session size or a resume: the gap before the next frame is nobody's frame time. */
  reset(): void {
    this.frames = [];
  }

  /**
   * No rate from fewer than three frames: right after a start or a new size the first two often finish together
   * (the first waited for shader compilation), and their gap would read as a burst of speed.
   */
  private span(): number {
    return this.frames.length < 3 ? 0 : this.frames.at(-1)!.at - this.frames[0]!.at;
  }

  get fps(): number {
    const span = this.span();
    return span > 0 ? ((this.frames.length - 1) * 1000) / span : 0;
  }

  get stepsPerSecond(): number {
    const span = this.span();
    if (span <= 0) return 0;
    // The first frame's steps finished at the window's start, so only the later ones fall inside it.
    const steps = this.frames.slice(1).reduce((n, f) => n + f.steps, 0);
    return (steps * 1000) / span;
  }

  get msPerStep(): number {
    const rate = this.stepsPerSecond;
    return rate > 0 ? 1000 / rate : 0;
  }
}
