/**
 * Offline analysis of a mono track into what a video frame can follow: the energy of three bands, a smoothed
 * loudness, and onsets (beats, hits). Pure TS on Float32Array PCM, so the Node CLI and a worker can share it.
 *
 * The spectrum is taken on a fine grid of blocks (HOP samples apart), not one block per video frame: at a low frame
 * rate (8 fps is 125 ms a frame) a single block centred on the frame would miss a click that falls between blocks.
 * Each video frame then gathers the blocks centred within its time span: the mean of their band energies, the
 * largest flux, and whether an onset was picked there.
 *
 * Normalisation: bands, loudness and flux are each divided by their maximum over the whole track (the analysis is
 * offline, so the track's maximum is known), so every feature runs 0–1 and a quiet song still moves the picture.
 */
import { fft, hann } from './fft';

/** One video frame's audio. */
export interface AudioFrame {
  /** Energy below 250 Hz, 0–1 of the track's maximum. */
  low: number;
  /** Energy from 250 Hz to 4 kHz, 0–1. */
  mid: number;
  /** Energy above 4 kHz, 0–1. */
  high: number;
  /** RMS, smoothed by a one-pole filter (AnalysisOptions.loudnessTime), 0–1. */
  loudness: number;
  /** An onset was picked within this frame. */
  onset: boolean;
  /** The largest spectral flux within this frame, 0–1 of the track's maximum. */
  flux: number;
}

export interface AudioFeatures {
  fps: number;
  frames: AudioFrame[];
}

export interface AnalysisOptions {
  /** Video frames to describe; default: enough to cover the track (ceil(duration·fps)). */
  frames?: number;
  /** Time constant of the loudness smoothing, seconds (0.1). */
  loudnessTime?: number;
  /** Onset threshold above the local median of the normalised flux (0.1). */
  onsetMargin?: number;
  /** Half-width of the local median window, seconds (0.25). */
  onsetWindow?: number;
  /** Shortest time between two onsets, seconds (0.1): one drum hit's ringing is not a second hit. */
  onsetGap?: number;
}

/** Block length: 1024 samples (23 ms at 44.1 kHz) resolves 43 Hz bins, fine enough to keep 60 Hz below 250 Hz. */
export const BLOCK = 1024;
/** Block spacing: 256 samples (5.8 ms), far finer than any video frame. */
const HOP = 256;
export const BAND_EDGES = { low: 250, high: 4000 } as const;

/** Per-block analysis: band energies and the spectral flux (rectified rise of the magnitudes). */
interface Blocks {
  low: Float64Array;
  mid: Float64Array;
  high: Float64Array;
  flux: Float64Array;
}

function analyseBlocks(pcm: Float32Array, sampleRate: number): Blocks {
  const count = Math.max(1, Math.ceil(pcm.length / HOP));
  const blocks: Blocks = { low: new Float64Array(count), mid: new Float64Array(count), high: new Float64Array(count), flux: new Float64Array(count) };
  const taper = hann(BLOCK);
  const re = new Float64Array(BLOCK);
  const im = new Float64Array(BLOCK);
  let previous = new Float64Array(BLOCK / 2);
  let magnitude = new Float64Array(BLOCK / 2);
  const spectrum = new Float64Array(BLOCK / 2);
  const binHz = sampleRate / BLOCK;
  for (let j = 0; j < count; j++) {
    // Centred on j·HOP; zeros beyond the track's ends.
    const from = j * HOP - BLOCK / 2;
    for (let k = 0; k < BLOCK; k++) {
      const s = from + k;
      re[k] = s >= 0 && s < pcm.length ? pcm[s]! * taper[k]! : 0;
      im[k] = 0;
    }
    fft(re, im);
    const power = powerOf(re, im, spectrum);
    const bands = bandAmplitudes(power, binHz);
    const flux = logRise(power, previous, magnitude);
    blocks.low[j] = bands.low;
    blocks.mid[j] = bands.mid;
    blocks.high[j] = bands.high;
    // While a block still reaches before the track, its rise is the window filling, not a hit.
    blocks.flux[j] = from < 0 ? 0 : flux;
    [previous, magnitude] = [magnitude, previous];
  }
  return blocks;
}

/** The power of bins 0…n/2−1 of an FFT's output, into `out`. */
function powerOf(re: Float64Array, im: Float64Array, out: Float64Array): Float64Array {
  for (let k = 0; k < out.length; k++) out[k] = re[k]! * re[k]! + im[k]! * im[k]!;
  return out;
}

/**
 * The three bands of one block's power spectrum (bins `binHz` apart, DC skipped), each as the square root of its
 * energy: amplitude-like, so a sine twice as loud reads twice as high. The one band definition, shared by the
 * offline analysis and the live one (live.ts).
 */
export function bandAmplitudes(power: ArrayLike<number>, binHz: number): { low: number; mid: number; high: number } {
  let [low, mid, high] = [0, 0, 0];
  for (let k = 1; k < power.length; k++) {
    const hz = k * binHz;
    if (hz < BAND_EDGES.low) low += power[k]!;
    else if (hz < BAND_EDGES.high) mid += power[k]!;
    else high += power[k]!;
  }
  return { low: Math.sqrt(low), mid: Math.sqrt(mid), high: Math.sqrt(high) };
}

/**
 * Spectral flux: the rectified rise of the log magnitudes from the previous block (`previous`) to this one, whose
 * log magnitudes are written into `magnitude`. Log: a hit is a rise relative to what was there, so loud passages
 * do not drown quiet ones. The one onset measure, shared with the live analysis.
 */
export function logRise(power: ArrayLike<number>, previous: Float64Array, magnitude: Float64Array): number {
  let flux = 0;
  for (let k = 1; k < power.length; k++) {
    magnitude[k] = Math.log1p(100 * Math.sqrt(power[k]!));
    flux += Math.max(0, magnitude[k]! - previous[k]!);
  }
  return flux;
}

/** Divides by the largest value, in place (all zeros stay zeros). */
function normalise(values: Float64Array): Float64Array {
  let max = 0;
  for (const v of values) max = Math.max(max, v);
  if (max > 0) for (let i = 0; i < values.length; i++) values[i]! /= max;
  return values;
}

function median(values: Float64Array, from: number, to: number): number {
  const part = Array.from(values.subarray(Math.max(0, from), Math.min(values.length, to))).sort((a, b) => a - b);
  return part.length ? part[part.length >> 1]! : 0;
}

/**
 * Onset blocks: peaks of the normalised flux that stand `margin` above the local median (an adaptive threshold,
 * so a busy passage needs a bigger hit than a quiet one), are the largest within ±gap/2 (peak picking), and come at
 * least `gap` blocks after the last onset.
 */
export function pickOnsets(flux: Float64Array, { margin, reach, gap }: { margin: number; reach: number; gap: number }): number[] {
  const onsets: number[] = [];
  const half = Math.max(1, Math.floor(gap / 2));
  for (let j = 0; j < flux.length; j++) {
    const f = flux[j]!;
    if (f <= median(flux, j - reach, j + reach + 1) + margin) continue;
    let peak = true;
    for (let k = Math.max(0, j - half); k <= Math.min(flux.length - 1, j + half) && peak; k++) {
      // Ties go to the first block of a plateau.
      if (flux[k]! > f || (k < j && flux[k]! === f)) peak = false;
    }
    if (peak && (onsets.length === 0 || j - onsets.at(-1)! >= gap)) onsets.push(j);
  }
  return onsets;
}

/** RMS of each video frame's samples, smoothed by a one-pole low-pass with time constant `tau` seconds. */
function loudness(pcm: Float32Array, sampleRate: number, fps: number, frames: number, tau: number): Float64Array {
  const out = new Float64Array(frames);
  const alpha = tau > 0 ? 1 - Math.exp(-1 / (fps * tau)) : 1;
  let level = 0;
  for (let i = 0; i < frames; i++) {
    const from = Math.floor((i * sampleRate) / fps);
    const to = Math.min(pcm.length, Math.floor(((i + 1) * sampleRate) / fps));
    let sum = 0;
    for (let s = from; s < to; s++) sum += pcm[s]! * pcm[s]!;
    const rms = to > from ? Math.sqrt(sum / (to - from)) : 0;
    level += alpha * (rms - level);
    out[i] = level;
  }
  return normalise(out);
}

/** The features of `pcm` (mono, `sampleRate` Hz) for each frame of a video at `fps`. */
export function analyseAudio(pcm: Float32Array, sampleRate: number, fps: number, options: AnalysisOptions = {}): AudioFeatures {
  if (!(sampleRate > 0) || !(fps > 0)) throw new Error(`analyseAudio: sample rate and fps must be positive (got ${sampleRate}, ${fps})`);
  const frames = options.frames ?? Math.max(1, Math.ceil((pcm.length / sampleRate) * fps));
  const blocks = analyseBlocks(pcm, sampleRate);
  const blockRate = sampleRate / HOP;
  for (const band of [blocks.low, blocks.mid, blocks.high, blocks.flux]) normalise(band);
  const onsetBlocks = pickOnsets(blocks.flux, {
    margin: options.onsetMargin ?? 0.1,
    reach: Math.round((options.onsetWindow ?? 0.25) * blockRate),
    gap: Math.max(1, Math.round((options.onsetGap ?? 0.1) * blockRate)),
  });
  const isOnset = new Uint8Array(blocks.flux.length);
  for (const j of onsetBlocks) isOnset[j] = 1;
  const level = loudness(pcm, sampleRate, fps, frames, options.loudnessTime ?? 0.1);
  const result: AudioFrame[] = [];
  const last = blocks.flux.length - 1;
  for (let i = 0; i < frames; i++) {
    // The blocks centred within [i/fps, (i+1)/fps); at least the nearest one when frames are finer than blocks.
    const from = Math.min(last, Math.ceil((i * blockRate) / fps));
    const to = Math.min(last, Math.max(from, Math.ceil(((i + 1) * blockRate) / fps) - 1));
    const frame: AudioFrame = { low: 0, mid: 0, high: 0, loudness: level[i]!, onset: false, flux: 0 };
    for (let j = from; j <= to; j++) {
      frame.low += blocks.low[j]!;
      frame.mid += blocks.mid[j]!;
      frame.high += blocks.high[j]!;
      frame.flux = Math.max(frame.flux, blocks.flux[j]!);
      frame.onset ||= isOnset[j] === 1;
    }
    const n = to - from + 1;
    frame.low /= n;
    frame.mid /= n;
    frame.high /= n;
    // Past the track's end there is nothing to hear.
    if ((i * blockRate) / fps > last) Object.assign(frame, { low: 0, mid: 0, high: 0, flux: 0, onset: false });
    result.push(frame);
  }
  return { fps, frames: result };
}
