/** What a person can do to the running loop; the protocol's control messages carry exactly these. */
export const LOOP_CONTROLS = ['pause', 'resume', 'reset', 'step'] as const;
export type LoopControl = (typeof LOOP_CONTROLS)[number];

/** Step once presses kept while paused; more than this is a held key, not intent. */
export const MAX_PENDING_STEPS = 100;

/**
 * Pause, resume and step once, as state: paused, a frame runs one pending step or none (a repaint of a picture
 * that changed while paused); running, a frame runs as many steps as the scheduler says.
 */
export class Controls {
  paused = false;
  /** Step once presses not yet run: every press counts, however fast they come. */
  pendingSteps = 0;
  /** Paint the current picture without stepping (a reset while paused shows at once). */
  repaint = false;

  /** Nothing to do until something changes. */
  get idle(): boolean {
    return this.paused && this.pendingSteps === 0 && !this.repaint;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.pendingSteps = 0;
  }

  step(): void {
    this.paused = true;
    this.pendingSteps = Math.min(MAX_PENDING_STEPS, this.pendingSteps + 1);
  }

  /** The steps the next frame runs, given the scheduler's steps per frame; takes them from the pending ones. */
  take(stepsPerFrame: number): number {
    this.repaint = false;
    if (!this.paused) return stepsPerFrame;
    const steps = Math.min(1, this.pendingSteps);
    this.pendingSteps -= steps;
    return steps;
  }
}
