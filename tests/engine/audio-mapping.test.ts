/** Audio mappings: curves, attack/release smoothing, clamping to the settings' ranges, the schema and presets. */
import { describe, expect, it } from 'vitest';
import type { AudioFeatures, AudioFrame } from '../../src/engine/audio/features';
import { applyAudio, applyCurve, AUDIO_PRESETS, audioDrive, audioMappingSchema, envelope, MAPPABLE, targetValue } from '../../src/engine/audio/mapping';
import { dreamParams } from '../../src/engine/params/dream';
import { streamParams } from '../../src/engine/params/stream';

const silent: AudioFrame = { low: 0, mid: 0, high: 0, loudness: 0, onset: false, flux: 0 };

/** Features whose `low` is `values`, one frame each, and an onset where low is 1. */
function track(values: number[], fps = 10): AudioFeatures {
  return { fps, frames: values.map((low) => ({ ...silent, low, onset: low === 1 })) };
}

const base = { dream: dreamParams({}), stream: streamParams({}) };

describe('applyCurve', () => {
  it('shapes 0–1 and clamps outside it', () => {
    expect([0, 0.25, 1].map((x) => applyCurve(x, 'linear'))).toEqual([0, 0.25, 1]);
    expect([0, 0.5, 1].map((x) => applyCurve(x, 'square'))).toEqual([0, 0.25, 1]);
    expect([0, 0.25, 1].map((x) => applyCurve(x, 'sqrt'))).toEqual([0, 0.5, 1]);
    expect([applyCurve(-1, 'sqrt'), applyCurve(2, 'square')]).toEqual([0, 1]);
  });
});

describe('envelope', () => {
  const step = track([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

  it('follows at once without smoothing', () => {
    const m = audioMappingSchema.parse({ feature: 'low', target: 'stream.zoom', amount: 1 });
    expect(Array.from(envelope(step, m))).toEqual(step.frames.map((f) => f.low));
  });

  it('rises by 1 − 1/e in one attack time and falls by it in one release time', () => {
    // 10 fps: an attack of 0.3 s is 3 frames, a release of 0.5 s is 5.
    const m = audioMappingSchema.parse({ feature: 'low', target: 'stream.zoom', amount: 1, smoothing: { attack: 0.3, release: 0.5 } });
    const env = envelope(step, m);
    expect(env[4]).toBeCloseTo(1 - Math.exp(-1), 5);
    expect(env[11]).toBeCloseTo(1 - Math.exp(-10 / 3), 5);
    expect(env[16]! / env[11]!).toBeCloseTo(Math.exp(-1), 5);
  });

  it('applies the curve before smoothing', () => {
    const half = track([0.5, 0.5]);
    const m = (curve: string) => audioMappingSchema.parse({ feature: 'low', target: 'stream.zoom', amount: 1, curve });
    expect(envelope(half, m('square'))[1]).toBeCloseTo(0.25);
    expect(envelope(half, m('sqrt'))[1]).toBeCloseTo(Math.SQRT1_2);
  });
});

describe('applyAudio', () => {
  it('adds amount × envelope to the base, leaves the base and other settings untouched', () => {
    const drive = audioDrive(track([0, 0.5, 1]), [{ feature: 'low', target: 'stream.zoom', amount: 0.1 }]);
    expect(applyAudio(base, drive, 0).stream.zoom).toBeCloseTo(1.01);
    expect(applyAudio(base, drive, 1).stream.zoom).toBeCloseTo(1.06);
    const moved = applyAudio(base, drive, 2);
    expect(moved.stream.zoom).toBeCloseTo(1.11);
    expect(moved.dream).toEqual(base.dream);
    expect(base.stream.zoom).toBe(1.01);
    // Past the end: the last frame's value.
    expect(applyAudio(base, drive, 99).stream.zoom).toBeCloseTo(1.11);
  });

  it("clamps to the setting's range in the schema, and rounds integer settings", () => {
    expect(MAPPABLE.get('stream.zoom')).toEqual({ min: 0.9, max: 1.2, integer: false });
    const drive = audioDrive(track([1]), [
      { feature: 'onset', target: 'stream.zoom', amount: 5 },
      { feature: 'low', target: 'dream.stepSize', amount: -5 },
      { feature: 'low', target: 'dream.jitter', amount: 3.4 },
    ]);
    const moved = applyAudio(base, drive, 0);
    expect(moved.stream.zoom).toBe(1.2);
    expect(moved.dream.stepSize).toBe(0.0001);
    expect(moved.dream.jitter).toBe(19);
  });

  it("moves a listed layer's weight by name, clamped to the weight's range; a layer the look does not list rests", () => {
    expect(MAPPABLE.get('dream.layers.mixed5')).toEqual({ min: -10, max: 10, integer: false });
    const drive = audioDrive(track([0.5, 1]), [
      { feature: 'low', target: 'dream.layers.mixed5', amount: 2 },
      { feature: 'low', target: 'dream.layers.mixed7', amount: 2 },
      { feature: 'onset', target: 'dream.layers.mixed3', amount: -20 },
    ]);
    // The default look lists mixed3 at 1 and mixed5 at 0.3.
    const half = applyAudio(base, drive, 0).dream.layers;
    expect(half).toEqual([{ name: 'mixed3', weight: 1 }, { name: 'mixed5', weight: 0.3 + 2 * 0.5 }]);
    const full = applyAudio(base, drive, 1).dream.layers;
    expect(full).toEqual([{ name: 'mixed3', weight: -10 }, { name: 'mixed5', weight: 0.3 + 2 }]);
    expect(base.dream.layers).toEqual([{ name: 'mixed3', weight: 1 }, { name: 'mixed5', weight: 0.3 }]);
  });

  it("reads a target's value: a setting by its path, a listed layer's weight by name, nothing for an unlisted layer", () => {
    expect(targetValue(base, 'stream.zoom')).toBe(1.01);
    expect(targetValue({ dream: { ...base.dream, layers: [{ name: 'mixed5', weight: 2.5 }] } }, 'dream.layers.mixed5')).toBe(2.5);
    expect(targetValue(base, 'dream.layers.mixed7')).toBeUndefined();
    expect(targetValue(base, 'style.contentWeight')).toBeUndefined();
  });

  it('skips a setting the base has no section for', () => {
    const drive = audioDrive(track([1]), [{ feature: 'low', target: 'dream.stepSize', amount: 1 }]);
    expect(applyAudio({ stream: base.stream }, drive, 0)).toEqual({ stream: base.stream });
  });
});

describe('audioMappingSchema', () => {
  it('refuses a target that is not a numeric setting, and an unknown feature', () => {
    expect(audioMappingSchema.safeParse({ feature: 'low', target: 'dream.objective', amount: 1 }).success).toBe(false);
    expect(audioMappingSchema.safeParse({ feature: 'low', target: 'stream.nothing', amount: 1 }).success).toBe(false);
    expect(audioMappingSchema.safeParse({ feature: 'kick', target: 'stream.zoom', amount: 1 }).success).toBe(false);
  });

  it('takes every preset', () => {
    for (const [name, mappings] of Object.entries(AUDIO_PRESETS)) for (const m of mappings) expect(audioMappingSchema.safeParse(m).success, name).toBe(true);
    expect(AUDIO_PRESETS.pulse[0]).toMatchObject({ feature: 'onset', target: 'stream.zoom' });
    expect(AUDIO_PRESETS.bass[0]).toMatchObject({ feature: 'low', target: 'dream.stepSize' });
    expect(AUDIO_PRESETS.treble[0]).toMatchObject({ feature: 'high', target: 'dream.layers.mixed5' });
  });
});
