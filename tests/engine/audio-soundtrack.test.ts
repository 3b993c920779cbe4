/**
 * The soundtrack rules the CLI and the browser's export share: frames from the track's length and the frame rate
 * (or a given count), each frame's settings from the drive, the mono mix, and the samples under each frame.
 */
import { describe, expect, it } from 'vitest';
import { AUDIO_PRESETS } from '../../src/engine/audio/mapping';
import { driveSoundtrack, frameParams, frameSamples, monoMix } from '../../src/engine/audio/soundtrack';
import { dreamParams } from '../../src/engine/params/dream';
import { streamParams } from '../../src/engine/params/stream';
import { clickTrack } from '../helpers/audio';

const RATE = 48_000;
const base = { dream: dreamParams({}), stream: streamParams({ zoom: 1 }) };

describe('driveSoundtrack', () => {
  it('covers the track: ceil(duration · fps) frames, or the count given', () => {
    const { pcm } = clickTrack(60, 2.5, 0.25, RATE);
    expect(driveSoundtrack(pcm, RATE, 8, AUDIO_PRESETS.pulse).frames).toBe(20);
    expect(driveSoundtrack(pcm, RATE, 6, AUDIO_PRESETS.pulse).frames).toBe(15);
    expect(driveSoundtrack(pcm.subarray(0, RATE * 2.5 - 1), RATE, 6, AUDIO_PRESETS.pulse).frames).toBe(15);
    expect(driveSoundtrack(pcm, RATE, 8, AUDIO_PRESETS.pulse, 7).frames).toBe(7);
    const long = driveSoundtrack(pcm, RATE, 8, AUDIO_PRESETS.pulse, 40);
    expect(long.frames).toBe(40);
    expect(long.drive.envelopes[0]).toHaveLength(40);
  });
});

describe('frameParams', () => {
  // 60 BPM from 0.3 s at 8 fps: clicks inside frames 2, 10, 18 (0.25–0.375 s, …).
  const { pcm } = clickTrack(60, 2.5, 0.3, RATE);
  const { drive } = driveSoundtrack(pcm, RATE, 8, AUDIO_PRESETS.pulse);

  it('kicks the zoom of the transform that makes the click\'s frame (frame f takes frame f+1\'s stream)', () => {
    const zoom = Array.from({ length: 20 }, (_, f) => frameParams(base, drive, f).stream.zoom);
    expect(zoom[1]).toBeCloseTo(1.05, 5);
    expect(zoom[9]).toBeCloseTo(1.05, 5);
    expect(zoom[17]).toBeCloseTo(1.05, 5);
    // Eased back within a fifth of a second; nothing before the first click.
    expect(zoom[0]).toBe(1);
    expect(zoom[4]! - 1).toBeLessThan(0.01);
    // The base stays as it was.
    expect(base.stream.zoom).toBe(1);
  });

  it('moves the dream on the frame itself, and gives the base back without a drive', () => {
    const bass = driveSoundtrack(pcm, RATE, 8, [{ feature: 'onset', target: 'dream.stepSize', amount: 0.01 }]).drive;
    expect(frameParams(base, bass, 2).dream.stepSize).toBeCloseTo(base.dream.stepSize + 0.01, 6);
    expect(frameParams(base, bass, 1).dream.stepSize).toBe(base.dream.stepSize);
    expect(frameParams(base, undefined, 2)).toBe(base);
  });
});

describe('monoMix', () => {
  it('averages the channels, and passes one channel through', () => {
    const left = Float32Array.from([1, 0, 0.5]);
    expect(Array.from(monoMix([left, Float32Array.from([0, 1, 0.5])]))).toEqual([0.5, 0.5, 0.5]);
    expect(monoMix([left])).toBe(left);
  });
});

describe('frameSamples', () => {
  it('tiles the track frame by frame with no gap or overlap, and cuts it at its end', () => {
    // 30 fps at 44.1 kHz: 1470 samples a frame; 7 fps at 48 kHz: 6857.14…, rounded at each boundary.
    expect(frameSamples(0, 30, 44100, 1e6)).toEqual([0, 1470]);
    const ranges = Array.from({ length: 7 }, (_, f) => frameSamples(f, 7, RATE, 1e6));
    ranges.slice(1).forEach(([start], k) => expect(start).toBe(ranges[k]![1]));
    expect(ranges.at(-1)![1]).toBe(RATE);
    // A 1.5 s track under 2 s of video: the frame across the end is cut, the ones after it are empty.
    expect(frameSamples(5, 4, RATE, RATE * 1.5)).toEqual([RATE * 1.25, RATE * 1.5]);
    expect(frameSamples(6, 4, RATE, RATE * 1.5)).toEqual([RATE * 1.5, RATE * 1.5]);
  });
});
