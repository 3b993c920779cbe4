/** The zoom export's soundtrack on the job channel: its PCM moves (is transferred), its mappings are data. */
import { describe, expect, it } from 'vitest';
import { parseToWorker, transferables } from '../../src/workers/protocol';
import { AUDIO_PRESETS } from '../../src/engine/audio/mapping';

const zoom = { fps: 8, size: 96, stepsPerFrame: 1, format: 'webm' as const };
const soundtrack = () => ({ channels: [new Float32Array(4800), new Float32Array(4800)], sampleRate: 48_000, mappings: AUDIO_PRESETS.bass });

describe('zoom job with a soundtrack', () => {
  it('needs no frame count (the track decides), fills the mappings\' defaults, and transfers every channel', () => {
    const track = soundtrack();
    const r = parseToWorker({ type: 'job-start', id: 1, kind: 'zoom', job: { ...zoom, soundtrack: track } });
    expect(r.ok).toBe(true);
    if (!r.ok || r.message.type !== 'job-start' || r.message.kind !== 'zoom') return;
    expect(r.message.job.frames).toBeUndefined();
    expect(r.message.job.soundtrack!.mappings[0]).toMatchObject({ feature: 'low', target: 'dream.stepSize', curve: 'square' });
    expect(transferables(r.message)).toEqual(track.channels.map((c) => c.buffer));
    expect(transferables({ type: 'job-start', id: 2, kind: 'zoom', job: { ...zoom, frames: 6 } })).toEqual([]);
  });

  it('refuses a zoom with neither frames nor a track, channels of unequal length, and an unknown setting to drive', () => {
    expect(parseToWorker({ type: 'job-start', id: 1, kind: 'zoom', job: zoom })).toMatchObject({ ok: false, error: expect.stringMatching(/frames.*needs a frame count/) });
    const uneven = { ...soundtrack(), channels: [new Float32Array(10), new Float32Array(9)] };
    expect(parseToWorker({ type: 'job-start', id: 1, kind: 'zoom', job: { ...zoom, soundtrack: uneven } })).toMatchObject({ ok: false, error: expect.stringMatching(/equally long/) });
    const wrong = { ...soundtrack(), mappings: [{ feature: 'low', target: 'stream.colour', amount: 1 }] };
    expect(parseToWorker({ type: 'job-start', id: 1, kind: 'zoom', job: { ...zoom, soundtrack: wrong } })).toMatchObject({ ok: false, error: expect.stringMatching(/numeric setting/) });
  });
});
