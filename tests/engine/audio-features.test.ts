/** The audio analysis on synthetic tracks: clicks give onsets on their frames, sines land in their bands. */
import { describe, expect, it } from 'vitest';
import { analyseAudio } from '../../src/engine/audio/features';
import { fft } from '../../src/engine/audio/fft';
import { clickTrack } from '../helpers/audio';

const RATE = 44100;

function sine(hz: number, seconds: number): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * RATE) }, (_, s) => 0.5 * Math.sin((2 * Math.PI * hz * s) / RATE));
}

describe('fft', () => {
  it('puts a cosine of bin 5 into bins 5 and n-5', () => {
    const n = 64;
    const re = Float64Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * 5 * i) / n));
    const im = new Float64Array(n);
    fft(re, im);
    const mags = Array.from(re, (r, i) => Math.hypot(r, im[i]!));
    expect(mags[5]).toBeCloseTo(n / 2, 6);
    expect(mags[n - 5]).toBeCloseTo(n / 2, 6);
    expect(mags.filter((_, i) => i !== 5 && i !== n - 5).every((m) => m < 1e-9)).toBe(true);
  });
});

describe('analyseAudio', () => {
  for (const fps of [30, 8]) {
    it(`finds each click of a 120 BPM track within one frame, and nothing else (${fps} fps)`, () => {
      const { pcm, clicks } = clickTrack(120, 4);
      const { frames } = analyseAudio(pcm, RATE, fps);
      expect(frames).toHaveLength(4 * fps);
      const onsets = frames.flatMap((f, i) => (f.onset ? [i] : []));
      const expected = clicks.map((t) => Math.floor(t * fps));
      expect(onsets).toHaveLength(expected.length);
      onsets.forEach((f, k) => expect(Math.abs(f - expected[k]!), `click ${k} at frame ${expected[k]}, onset at ${f}`).toBeLessThanOrEqual(1));
    });
  }

  it('puts 60 Hz in the low band and 6 kHz in the high band', () => {
    // Each band is normalised to its own maximum over the track: half the track is one sine, half the other.
    const pcm = new Float32Array([...sine(60, 2), ...sine(6000, 2)]);
    const { frames } = analyseAudio(pcm, RATE, 10);
    const inner = (from: number, to: number) => frames.slice(from, to);
    for (const f of inner(2, 18)) expect(f).toMatchObject({ low: expect.closeTo(1, 1), high: expect.closeTo(0, 1) });
    for (const f of inner(22, 38)) expect(f).toMatchObject({ low: expect.closeTo(0, 1), high: expect.closeTo(1, 1) });
    for (const f of [...inner(2, 18), ...inner(22, 38)]) expect(f.mid).toBeLessThan(0.2);
  });

  it('smooths loudness with its time constant: after one time constant, 1 − 1/e of a step', () => {
    const pcm = new Float32Array([...new Float32Array(RATE), ...sine(440, 2)]);
    const { frames } = analyseAudio(pcm, RATE, 100, { loudnessTime: 0.2 });
    expect(frames[99]!.loudness).toBe(0);
    // 20 frames after the step (0.2 s): 1 − e^−1 of the way (the maximum, at the end, is ~1).
    expect(frames[119]!.loudness).toBeCloseTo(1 - Math.exp(-1), 1);
    expect(frames.at(-1)!.loudness).toBeGreaterThan(0.99);
  });
});
