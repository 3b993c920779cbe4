/** The worker's live mapping: features in → the mapped settings moved on the base, and back to the base after. */
import { describe, expect, it } from 'vitest';
import type { AudioFrame } from '../../src/engine/audio/features';
import { LiveDrive, STALE_MS } from '../../src/engine/audio/live-drive';
import { settings, type Settings } from '../../src/engine/params/settings';

const quiet: AudioFrame = { low: 0, mid: 0, high: 0, loudness: 0, onset: false, flux: 0 };
const look = (mappings: unknown[]): Settings => settings({ stream: { zoom: 1.01 }, audio: { mappings } });
/** Frames 50 ms apart (20 fps), from 1000 ms. */
const at = (i: number) => 1000 + 50 * i;

describe('LiveDrive', () => {
  it('without sound, hands back the base itself', () => {
    const base = look([{ feature: 'low', target: 'stream.zoom', amount: 0.1 }]);
    const drive = new LiveDrive();
    expect(drive.settings(base, at(0))).toBe(base);
  });

  it('kicks the zoom on an onset, releases with its time constant, and returns exactly to the base', () => {
    const base = look([{ feature: 'onset', target: 'stream.zoom', amount: 0.1, smoothing: { attack: 0, release: 0.1 } }]);
    const drive = new LiveDrive();
    drive.settings(base, at(0));
    drive.setFeatures({ ...quiet, onset: true }, at(1) - 10);
    expect(drive.settings(base, at(1)).stream.zoom).toBeCloseTo(1.11, 9);
    // Features keep coming without onsets: one release time (0.1 s = 2 frames) later, 1/e of the kick is left.
    drive.setFeatures(quiet, at(2) - 10);
    drive.settings(base, at(2));
    drive.setFeatures(quiet, at(3) - 10);
    expect(drive.settings(base, at(3)).stream.zoom).toBeCloseTo(1.01 + 0.1 * Math.exp(-1), 6);
    // The other settings are the base's; the base is untouched.
    expect(drive.settings(base, at(4)).dream).toEqual(base.dream);
    expect(base.stream.zoom).toBe(1.01);
    let i = 5;
    for (; drive.active && i < 100; i++) drive.settings(base, at(i));
    expect(drive.active).toBe(false);
    expect(drive.settings(base, at(i))).toBe(base);
  });

  it('follows a band with attack and release, clamps to the range, and adds mappings on one setting', () => {
    const base = look([
      { feature: 'low', target: 'stream.zoom', amount: 0.5, smoothing: { attack: 0.05, release: 0.5 } },
      { feature: 'high', target: 'stream.zoom', amount: 0.02 },
    ]);
    const drive = new LiveDrive();
    drive.settings(base, at(0));
    drive.setFeatures({ ...quiet, low: 1, high: 0.5 }, at(1));
    // One attack time (one frame): the low mapping is 1 − 1/e of the way, the high one there at once.
    expect(drive.settings(base, at(1)).stream.zoom).toBeCloseTo(Math.min(1.2, 1.01 + 0.5 * (1 - Math.exp(-1)) + 0.01), 6);
    drive.setFeatures({ ...quiet, low: 1, high: 0.5 }, at(5));
    // 1.01 + 0.5 goes past the range's top: clamped at 1.2.
    expect(drive.settings(base, at(5)).stream.zoom).toBe(1.2);
  });

  it('treats features older than STALE_MS as silence, and stopped sound (null) too', () => {
    const base = look([{ feature: 'loudness', target: 'dream.stepSize', amount: 0.02 }]);
    const drive = new LiveDrive();
    drive.setFeatures({ ...quiet, loudness: 1 }, at(0));
    expect(drive.settings(base, at(0)).dream.stepSize).toBeCloseTo(base.dream.stepSize + 0.02, 9);
    expect(drive.settings(base, at(0) + STALE_MS + 1)).toBe(base);
    drive.setFeatures({ ...quiet, loudness: 1 }, at(20));
    expect(drive.settings(base, at(20)).dream.stepSize).toBeGreaterThan(base.dream.stepSize);
    drive.setFeatures(null, at(21));
    expect(drive.settings(base, at(21))).toBe(base);
  });
});

describe('the audio section of the settings', () => {
  it('takes live numeric targets and refuses others with one line naming the mapping', () => {
    expect(look([{ feature: 'onset', target: 'stream.zoom', amount: 0.05 }]).audio.mappings[0]).toMatchObject({ curve: 'linear', smoothing: { attack: 0, release: 0 } });
    expect(look([{ feature: 'high', target: 'dream.layers.mixed5', amount: 1.5 }]).audio.mappings[0]!.target).toBe('dream.layers.mixed5');
    for (const target of ['resolution', 'mode', 'style.styleScale', 'stream.nothing', 'dream.layers.conv2d_1', 'dream.layers']) {
      expect(() => look([{ feature: 'low', target, amount: 1 }]), target).toThrow(/audio\.mappings\.0\.target must be a live numeric setting/);
    }
  });
});
