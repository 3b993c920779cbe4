/**
 * The live half of the mappings, on the worker's side: the page sends the sound's features whenever it has them
 * (at most once per animation frame); the loop asks, once per frame, for the settings to run. The loop never waits
 * on sound: this keeps the latest features and follows them with each mapping's envelope (attack/release in
 * seconds of the loop's own clock), on top of the person's base settings.
 *
 * When the sound stops (the page says so, or says nothing for STALE_MS), the envelopes release toward 0 at their
 * release times and, once every one is below SETTLED, the settings are exactly the base again.
 */
import type { AudioFrame } from './features';
import { applyCurve, offsetSettings, type AudioMapping } from './mapping';
import { AUDIO_FEATURES } from '../params/audio';

/** Features older than this (ms) are silence: a page that stopped sending (a hidden tab) does not hold a kick. */
export const STALE_MS = 500;
/** Below this every envelope counts as released, and the base settings are handed back untouched. */
export const SETTLED = 1e-3;

/** The live features the page sends: an AudioFrame (onset: an onset since the last message). */
export type LiveFeatures = AudioFrame;

const valueOf = (f: LiveFeatures, feature: (typeof AUDIO_FEATURES)[number]) => (feature === 'onset' ? (f.onset ? 1 : 0) : f[feature]);

export class LiveDrive {
  private features: LiveFeatures | null = null;
  private receivedAt = -Infinity;
  /** An onset not yet taken by a frame: a kick shorter than a frame still reaches one frame. */
  private onsetPending = false;
  private levels: number[] = [];
  private mappings: readonly AudioMapping[] = [];
  private lastAt: number | null = null;

  /** The latest features (null: the sound stopped), received at `now` ms. */
  setFeatures(features: LiveFeatures | null, now: number): void {
    this.features = features;
    this.receivedAt = now;
    if (features?.onset) this.onsetPending = true;
  }

  /** Whether any envelope is still away from 0 (the settings differ from the base). */
  get active(): boolean {
    return this.levels.some((l) => l > SETTLED);
  }

  /**
   * The settings for the frame starting at `now` ms: `base` moved by the mappings `base.audio.mappings` (or the
   * base itself, the same object, when nothing moves it).
   */
  settings<T extends { audio: { mappings: readonly AudioMapping[] } }>(base: T, now: number): T {
    const mappings = base.audio.mappings;
    if (mappings !== this.mappings) {
      // New mappings (a look changed): envelopes start from rest, one per mapping.
      this.mappings = mappings;
      this.levels = mappings.map(() => 0);
    }
    const dt = this.lastAt === null ? 0 : Math.max(0, (now - this.lastAt) / 1000);
    this.lastAt = now;
    const fresh = this.features && now - this.receivedAt <= STALE_MS ? this.features : null;
    const onset = this.onsetPending;
    this.onsetPending = false;
    this.levels = mappings.map((m, k) => {
      const raw = !fresh ? 0 : m.feature === 'onset' ? (onset ? 1 : 0) : valueOf(fresh, m.feature);
      const x = applyCurve(raw, m.curve);
      const level = this.levels[k] ?? 0;
      const tau = x > level ? m.smoothing.attack : m.smoothing.release;
      const alpha = tau > 0 ? 1 - Math.exp(-dt / tau) : 1;
      return level + alpha * (x - level);
    });
    if (!this.active) {
      this.levels = this.levels.map(() => 0);
      return base;
    }
    return offsetSettings(base, mappings, this.levels);
  }
}
