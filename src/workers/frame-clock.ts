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
  /** The rates measured before a restart(), shown until the frames since give their own. */
  private held = { fps: 0, stepsPerSecond: 0 };

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

  /** A pause, a step or a resume: the gap before the next frame is nobody's frame time, and there is no rate until frames run. */
  reset(): void {
    this.frames = [];
    this.held = { fps: 0, stepsPerSecond: 0 };
  }

  /**
   * A new working size (or new settings): the gap before the next frame is nobody's frame time, but the rates last
   * measured stay the figures until three frames at the new size give new ones (no dash at every size change).
   */
  restart(): void {
    const span = this.span();
    if (span > 0) this.held = { fps: this.measuredFps(span), stepsPerSecond: this.measuredStepsPerSecond(span) };
    this.frames = [];
  }

  /**
   * No rate from fewer than three frames: right after a start or a new size the first two often finish together
   * (the first waited for shader compilation), and their gap would read as a burst of speed.
   */
  private span(): number {
    return this.frames.length < 3 ? 0 : this.frames.at(-1)!.at - this.frames[0]!.at;
  }

  private measuredFps(span: number): number {
    return ((this.frames.length - 1) * 1000) / span;
  }

  private measuredStepsPerSecond(span: number): number {
    // The first frame's steps finished at the window's start, so only the later ones fall inside it.
    const steps = this.frames.slice(1).reduce((n, f) => n + f.steps, 0);
    return (steps * 1000) / span;
  }

  /** Finished frames per second: over the frames since the last reset or restart, or, too few yet after a restart, the last figure measured. */
  get fps(): number {
    const span = this.span();
    return span > 0 ? this.measuredFps(span) : this.held.fps;
  }

  get stepsPerSecond(): number {
    const span = this.span();
    return span > 0 ? this.measuredStepsPerSecond(span) : this.held.stepsPerSecond;
  }

  get msPerStep(): number {
    const rate = this.stepsPerSecond;
    return rate > 0 ? 1000 / rate : 0;
  }
}
