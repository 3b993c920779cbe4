/**
 * Live analysis: the same features as the offline one (features.ts: the same bands, the same log-magnitude flux,
 * the same loudness smoothing and onset rule), from spectra that arrive one at a time, as a page reads them from a
 * WebAudio AnalyserNode's samples once per animation frame, cut into blocks (BlockCutter). Pure TS, so Node tests
 * feed it synthetic blocks.
 *
 * What must differ, because the future is unknown:
 *  - Normalisation: the offline analysis divides by the track's maximum. Live, each feature is divided by a
 *    decaying running maximum: a new peak sets it at once, then it decays by 1/e every MAX_TIME seconds (8 s), so
 *    after a loud passage a quiet one reads full-scale again within some 10–20 s, while one beat's silence does not
 *    lift the noise floor. A small floor per feature keeps silence at 0 instead of magnifying hiss to 1.
 *  - Onsets: the median threshold looks back only (ONSET_WINDOW seconds), and a peak is confirmed one block late
 *    (the next block is lower), so an onset is reported one block (LIVE_HOP samples, 12 ms) after its peak.
 */
import { bandAmplitudes, BLOCK, logRise, type AudioFrame } from './features';
import { fft, hann } from './fft';

/** Samples between two live blocks: 512 (12 ms at 44.1 kHz), so a block overlaps the next by half. */
export const LIVE_HOP = 512;

/** Seconds for the running maximum to decay by 1/e (see above). */
export const MAX_TIME = 8;

export interface LiveOptions {
  /** Hz between the spectrum's bins: sample rate / FFT size. */
  binHz: number;
  /** Time constant of the loudness smoothing, seconds (0.1, as offline). */
  loudnessTime?: number;
  /** Running-maximum decay time, seconds (MAX_TIME). */
  maxTime?: number;
  /** Onset threshold above the recent median of the normalised flux (0.1, as offline). */
  onsetMargin?: number;
  /** How far back the median looks, seconds (0.25, as offline's half-width). */
  onsetWindow?: number;
  /** Shortest time between two onsets, seconds (0.1, as offline). */
  onsetGap?: number;
}

/**
 * Floors of the running maxima, in the offline analysis's units (an unscaled 1024-point Hann FFT of samples in
 * −1…1: a full-scale sine's band reads about 300, its RMS 0.7). Bands and loudness: about 40 dB under full scale,
 * so a pure tone's leakage into the other bands, or a quiet room's hiss, stays near 0 instead of reading 1. Flux
 * (a sum of log rises over 511 bins): about what faint hiss gives by itself (~100), a click gives ~800.
 */
const FLOOR = { band: 3, loudness: 0.01, flux: 300 } as const;

/** A running maximum that decays by 1/e every `tau` seconds and never drops below `floor`. */
class RunningMax {
  private value: number;
  constructor(
    private readonly tau: number,
    private readonly floor: number,
  ) {
    this.value = floor;
  }
  /** Takes `x`, `dt` seconds after the last one; returns x over the maximum (0–1). */
  normalise(x: number, dt: number): number {
    this.value = Math.max(x, this.floor, this.value * Math.exp(-dt / this.tau));
    return x / this.value;
  }
}

/** Streams spectra into features; one instance per source (a new file or the microphone starts a new one). */
export class LiveAnalyser {
  private readonly opts: Required<LiveOptions>;
  private readonly max: Record<'low' | 'mid' | 'high' | 'loudness' | 'flux', RunningMax>;
  private previous: Float64Array | null = null;
  private magnitude: Float64Array | null = null;
  private level = 0;
  private lastT: number | null = null;
  /** Recent normalised flux values with their times, for the median threshold and peak confirmation. */
  private readonly recent: { t: number; f: number }[] = [];
  private lastOnset = -Infinity;

  constructor(options: LiveOptions) {
    this.opts = { loudnessTime: 0.1, maxTime: MAX_TIME, onsetMargin: 0.1, onsetWindow: 0.25, onsetGap: 0.1, ...options };
    const m = (floor: number) => new RunningMax(this.opts.maxTime, floor);
    this.max = { low: m(FLOOR.band), mid: m(FLOOR.band), high: m(FLOOR.band), loudness: m(FLOOR.loudness), flux: m(FLOOR.flux) };
  }

  /**
   * One spectrum: `power` holds bins 0…n−1 (the offline analysis's scale: |FFT|² of a Hann-windowed block of raw
   * samples, as BlockCutter gives), `rms` the block's RMS, `t` its time in seconds (any
   * clock that only moves forward). Returns the features now.
   */
  push(power: ArrayLike<number>, rms: number, t: number): AudioFrame {
    const dt = this.lastT === null ? 0 : Math.max(0, t - this.lastT);
    this.lastT = t;
    if (!this.magnitude || this.magnitude.length !== power.length) {
      this.magnitude = new Float64Array(power.length);
      this.previous = null;
    }
    const bands = bandAmplitudes(power, this.opts.binHz);
    // The first block has nothing to rise from (as offline, where a block reaching before the track gives 0).
    const first = this.previous === null;
    const previous = this.previous ?? new Float64Array(power.length);
    const rawFlux = logRise(power, previous, this.magnitude);
    [this.previous, this.magnitude] = [this.magnitude, previous];
    const flux = first ? 0 : this.max.flux.normalise(rawFlux, dt);
    const alpha = this.opts.loudnessTime > 0 ? 1 - Math.exp(-dt / this.opts.loudnessTime) : 1;
    this.level += (first ? 1 : alpha) * (rms - this.level);
    return {
      low: this.max.low.normalise(bands.low, dt),
      mid: this.max.mid.normalise(bands.mid, dt),
      high: this.max.high.normalise(bands.high, dt),
      loudness: this.max.loudness.normalise(this.level, dt),
      onset: this.onset(flux, t),
      flux,
    };
  }

  /**
   * Whether the previous block was an onset: its flux stood `margin` above the median of the window before it,
   * was no lower than the block before and higher than this one (a peak), and came `gap` after the last onset.
   */
  private onset(f: number, t: number): boolean {
    const recent = this.recent;
    recent.push({ t, f });
    while (recent.length > 2 && recent[0]!.t < t - this.opts.onsetWindow - 0.1) recent.shift();
    const n = recent.length;
    if (n < 3) return false;
    const peak = recent[n - 2]!;
    if (!(peak.f >= recent[n - 3]!.f && peak.f > f) || peak.t - this.lastOnset < this.opts.onsetGap) return false;
    const span = recent.filter((r) => r.t >= peak.t - this.opts.onsetWindow && r.t <= peak.t).map((r) => r.f);
    span.sort((a, b) => a - b);
    if (peak.f <= span[span.length >> 1]! + this.opts.onsetMargin) return false;
    this.lastOnset = peak.t;
    return true;
  }
}

/**
 * Cuts the blocks the analysis takes out of the page's sound: every HOP samples, the BLOCK samples ending there,
 * however often the page reads. The page reads the most recent samples (an AnalyserNode's time-domain data, far
 * longer than a block) once per animation frame, which under load may be several blocks apart: a 20 ms click
 * between two reads would be lost by reading only the latest block. Each read says how many samples are new.
 */
export class BlockCutter {
  /** New samples not yet covered by a block's end. */
  private carry = 0;
  private readonly taper = hann(BLOCK);
  private readonly re = new Float64Array(BLOCK);
  private readonly im = new Float64Array(BLOCK);
  private readonly power = new Float64Array(BLOCK / 2);

  constructor(readonly hop = LIVE_HOP) {}

  /**
   * `recent` ends with the newest sample, at time `now` (seconds); `fresh` of its samples arrived since the last
   * call (more than the buffer holds: the oldest are lost). Calls `take` for each block, oldest first, with its
   * power spectrum (the offline analysis's scale), RMS and end time.
   */
  cut(recent: Float32Array, fresh: number, now: number, rate: number, take: (power: Float64Array, rms: number, t: number) => void): void {
    this.carry = Math.min(this.carry + Math.max(0, Math.round(fresh)), recent.length - BLOCK + this.hop - 1);
    while (this.carry >= this.hop) {
      this.carry -= this.hop;
      const end = recent.length - this.carry;
      const block = recent.subarray(end - BLOCK, end);
      for (let k = 0; k < BLOCK; k++) {
        this.re[k] = block[k]! * this.taper[k]!;
        this.im[k] = 0;
      }
      fft(this.re, this.im);
      for (let k = 0; k < BLOCK / 2; k++) this.power[k] = this.re[k]! * this.re[k]! + this.im[k]! * this.im[k]!;
      take(this.power, rmsOf(block), now - this.carry / rate);
    }
  }
}

/** RMS of a block of samples. */
export function rmsOf(samples: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  return samples.length ? Math.sqrt(sum / samples.length) : 0;
}
