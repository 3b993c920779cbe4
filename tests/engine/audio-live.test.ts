/**
 * The live analysis against the offline one: fed the spectra a page reads once per animation frame, it finds the
 * same clicks within one video frame, puts sines in the same bands, and normalises by a decaying running maximum.
 */
import { describe, expect, it } from 'vitest';
import { analyseAudio, BLOCK } from '../../src/engine/audio/features';
import { BlockCutter, LiveAnalyser, MAX_TIME } from '../../src/engine/audio/live';
import type { AudioFrame } from '../../src/engine/audio/features';
import { clickTrack } from '../helpers/audio';

const RATE = 44100;

function sine(hz: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * RATE) }, (_, s) => amplitude * Math.sin((2 * Math.PI * hz * s) / RATE));
}

/**
 * What a page does: at each animation frame, read the most recent BUFFER samples (an AnalyserNode's time-domain
 * data) and cut the new ones into blocks. Frames come `gaps` seconds apart in turn (a loaded page's are uneven).
 */
const BUFFER = 8192;
function streamed(pcm: Float32Array, gaps: readonly number[] = [1 / 60]): { t: number; f: AudioFrame }[] {
  const live = new LiveAnalyser({ binHz: RATE / BLOCK });
  const cutter = new BlockCutter();
  const out: { t: number; f: AudioFrame }[] = [];
  let read = 0;
  for (let i = 0, t = BUFFER / RATE; Math.round(t * RATE) <= pcm.length; t += gaps[i++ % gaps.length]!) {
    const end = Math.round(t * RATE);
    cutter.cut(pcm.subarray(end - BUFFER, end), end - read, t, RATE, (power, rms, at) => out.push({ t: at, f: live.push(power, rms, at) }));
    read = end;
  }
  return out;
}

describe('LiveAnalyser', () => {
  for (const [fps, gaps, how] of [
    [30, [1 / 60], 'animation frames at 60 Hz'],
    [8, [1 / 60], 'animation frames at 60 Hz'],
    [30, [0.016, 0.15, 0.04, 0.12], 'a loaded page: frames 16–150 ms apart'],
  ] as const) {
    it(`finds the clicks of a 120 BPM track within one video frame of the offline analysis's (${fps} fps, ${how})`, () => {
      const { pcm, clicks } = clickTrack(120, 4);
      const offline = analyseAudio(pcm, RATE, fps).frames.flatMap((f, i) => (f.onset ? [i] : []));
      // The first click falls within the first read's buffer, which the page never hears: the track starts later.
      const heard = clicks.filter((c) => c > BUFFER / RATE).length;
      const live = streamed(pcm, gaps).flatMap(({ t, f }) => (f.onset ? [Math.floor(t * fps)] : []));
      expect(offline).toHaveLength(clicks.length);
      expect(live).toHaveLength(heard);
      const skipped = clicks.length - heard;
      live.forEach((frame, k) => expect(Math.abs(frame - offline[k + skipped]!), `click ${k}: offline frame ${offline[k + skipped]}, live ${frame}`).toBeLessThanOrEqual(1));
    });
  }

  it('puts 60 Hz in the low band and 6 kHz in the high band', () => {
    for (const [hz, band, other] of [[60, 'low', 'high'], [6000, 'high', 'low']] as const) {
      const frames = streamed(sine(hz, 1)).slice(10).map(({ f }) => f);
      for (const f of frames) {
        expect(f[band], `${hz} Hz ${band}`).toBeGreaterThan(0.9);
        expect(f[other], `${hz} Hz ${other}`).toBeLessThan(0.05);
        // The window's leakage of a pure tone, against the band's floor (−40 dB): ~0.2 at most.
        expect(f.mid, `${hz} Hz mid`).toBeLessThan(0.25);
      }
    }
  });

  it('normalises by a running maximum that decays by 1/e every MAX_TIME seconds; silence stays 0', () => {
    // A loud second, a quarter as loud for MAX_TIME, then silence.
    const pcm = new Float32Array([...sine(440, 1, 0.8), ...sine(440, MAX_TIME, 0.2), ...new Float32Array(RATE)]);
    const frames = streamed(pcm);
    const at = (s: number) => frames.find(({ t }) => t >= s)!.f;
    expect(at(0.9).mid).toBeGreaterThan(0.95);
    // Just after the drop the quiet part reads a quarter; nearly one decay time later (before the silence),
    // 0.25 / e^−(MAX_TIME−0.1)/MAX_TIME ≈ 0.67.
    expect(at(1.2).mid).toBeCloseTo(0.25, 1);
    expect(at(0.9 + MAX_TIME).mid).toBeCloseTo(0.25 / Math.exp(-(MAX_TIME - 0.1) / MAX_TIME), 1);
    const silent = at(MAX_TIME + 1.5);
    expect([silent.low, silent.mid, silent.high, silent.loudness]).toEqual([0, 0, 0, expect.closeTo(0, 2)]);
    // A steady tone has no onsets (the steps of loudness, at 1 s and 1 + MAX_TIME s, may count as one each).
    const steady = (t: number) => t > 0.2 && Math.abs(t - 1) > 0.1 && Math.abs(t - 1 - MAX_TIME) > 0.1;
    expect(frames.filter(({ t, f }) => steady(t) && f.onset)).toHaveLength(0);
  });

});
