import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/engine/params/settings';
import { parseFromWorker, parseToWorker, transferables } from '../../src/workers/protocol';

describe('worker protocol validation', () => {
  it('accepts well-formed messages and fills settings defaults', () => {
    const r = parseToWorker({ type: 'settings', settings: { mode: 'style' } });
    expect(r.ok).toBe(true);
    if (r.ok && r.message.type === 'settings') {
      expect(r.message.settings.mode).toBe('style');
      expect(r.message.settings.dream).toEqual(DEFAULT_SETTINGS.dream);
    }
    expect(parseToWorker({ type: 'control', action: 'pause' }).ok).toBe(true);
    expect(parseToWorker({ type: 'snapshot', id: 3 }).ok).toBe(true);
  });

  it('rejects unknown types, missing fields and out-of-range values with a message naming them', () => {
    const unknown = parseToWorker({ type: 'explode' });
    expect(unknown).toMatchObject({ ok: false });
    expect(!unknown.ok && unknown.error).toMatch(/malformed message "explode"/);
    const bad = parseToWorker({ type: 'settings', settings: { stream: { zoom: 7 } } });
    expect(!bad.ok && bad.error).toMatch(/settings\.stream\.zoom must be .*from 0\.9 to 1\.2/);
    expect(parseToWorker({ type: 'control', action: 'dance' }).ok).toBe(false);
    expect(parseToWorker(null).ok).toBe(false);
    expect(parseToWorker('settings').ok).toBe(false);
    // Node has no ImageBitmap: a source message can never validate with a plain object in it.
    expect(parseToWorker({ type: 'source', role: 'content', image: {}, name: 'x' }).ok).toBe(false);
  });

  it('validates what the worker sends too', () => {
    expect(parseFromWorker({ type: 'notice', message: 'hi' }).ok).toBe(true);
    expect(parseFromWorker({ type: 'error', message: 'x', fatal: false, cause: 'nan' }).ok).toBe(true);
    expect(parseFromWorker({ type: 'error', message: 'x', fatal: 'no', cause: 'nan' }).ok).toBe(false);
    expect(parseFromWorker({ type: 'stats', stats: { fps: 'fast' } }).ok).toBe(false);
  });

  it('a large render: a long side of 256 to 7680 px and 1 to 500 steps; its PNG is transferred', () => {
    const large = (job: object) => parseToWorker({ type: 'job-start', id: 1, kind: 'large', job });
    expect(large({ size: 3840, steps: 10 }).ok).toBe(true);
    const big = large({ size: 16000, steps: 10 });
    expect(!big.ok && big.error).toMatch(/malformed message "job-start" \(large\): job\.size .*7680/);
    expect(large({ size: 2048, steps: 0 }).ok).toBe(false);
    expect(parseFromWorker({ type: 'job-progress', id: 1, kind: 'large', progress: { step: 1, steps: 3, width: 2048, height: 1366, tiles: 6 } }).ok).toBe(true);
    const png = new ArrayBuffer(8);
    expect(transferables({ type: 'job-done', id: 1, kind: 'large', result: { png, width: 2048, height: 1366 } })).toEqual([png]);
    // A large still ends with its PNG or with a job-error: there is no done without one.
    expect(parseFromWorker({ type: 'job-done', id: 1, kind: 'large', result: { width: 2048, height: 1366 } }).ok).toBe(false);
  });

  it('a mask: width × height 8-bit values (or none), its buffer transferred; a wrong count or size refused by name', () => {
    const data = new Uint8Array(6).fill(255);
    const ok = parseToWorker({ type: 'mask', mask: { width: 3, height: 2, data } });
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(transferables(ok.message)).toEqual([data.buffer]);
    const none = parseToWorker({ type: 'mask', mask: null });
    expect(none.ok && transferables(none.message)).toEqual([]);
    const short = parseToWorker({ type: 'mask', mask: { width: 3, height: 3, data } });
    expect(!short.ok && short.error).toMatch(/data must hold width × height values/);
    const huge = parseToWorker({ type: 'mask', mask: { width: 5000, height: 1, data: new Uint8Array(5000) } });
    expect(!huge.ok && huge.error).toMatch(/mask\.width/);
  });

  it('lists what each message transfers', () => {
    expect(transferables({ type: 'control', action: 'pause' })).toEqual([]);
    const png = new ArrayBuffer(8);
    expect(transferables({ type: 'snapshot', id: 1, png, width: 1, height: 1 })).toEqual([png]);
  });
});

describe('the job channel: {id, kind} and a payload checked per kind', () => {
  const zoom = { frames: 6, fps: 30, size: 96, stepsPerFrame: 1, format: 'webm' };
  const large = { size: 2048, steps: 10 };
  const video = { file: new Blob([new Uint8Array(4)]), name: 'clip.webm', flow: true, stepsPerFrame: 2, size: 384 };

  it('starts each kind with its own job, under an id the page chose (an integer or a string)', () => {
    for (const [kind, job] of [['zoom', zoom], ['large', large], ['video', video]] as const) {
      const r = parseToWorker({ type: 'job-start', id: 7, kind, job });
      expect(r).toMatchObject({ ok: true, message: { type: 'job-start', id: 7, kind, job: { size: job.size } } });
    }
    expect(parseToWorker({ type: 'job-start', id: 'still-1', kind: 'large', job: large }).ok).toBe(true);
    expect(parseToWorker({ type: 'job-start', id: 1.5, kind: 'large', job: large }).ok).toBe(false);
    expect(parseToWorker({ type: 'job-start', id: '', kind: 'large', job: large }).ok).toBe(false);
  });

  it("refuses a kind's payload under another kind, and an unknown kind, naming what is wrong", () => {
    // A Render large request sent as a zoom export: the zoom's fields are missing.
    const swapped = parseToWorker({ type: 'job-start', id: 1, kind: 'zoom', job: large });
    expect(!swapped.ok && swapped.error).toMatch(/^malformed message "job-start" \(zoom\): .*job\.fps/);
    const unknown = parseToWorker({ type: 'job-start', id: 1, kind: 'gif', job: {} });
    expect(!unknown.ok && unknown.error).toMatch(/^malformed message "job-start" \(gif\): kind /);
    expect(parseToWorker({ type: 'job-start', id: 1, kind: 'zoom' }).ok).toBe(false);
  });

  it('progress and results are checked per kind too', () => {
    const progress = (kind: string, p: object) => parseFromWorker({ type: 'job-progress', id: 1, kind, progress: p }).ok;
    expect(progress('zoom', { frame: 3, frames: 6 })).toBe(true);
    expect(progress('large', { frame: 3, frames: 6 })).toBe(false);
    expect(progress('video', { frame: 3, frames: 6, etaS: 1 })).toBe(true);
    const video = new ArrayBuffer(8);
    const done = parseFromWorker({ type: 'job-done', id: 1, kind: 'zoom', result: { video, mime: 'video/webm', name: 'z.webm' } });
    expect(done.ok && transferables(done.message)).toEqual([video]);
    const bad = parseFromWorker({ type: 'job-done', id: 1, kind: 'zoom', result: { video: 'bytes', mime: 'video/webm', name: 'z.webm' } });
    expect(!bad.ok && bad.error).toMatch(/^malformed message "job-done" \(zoom\): result\.video /);
  });

  it('a cancel names the job; an error is one line, cancelled or not, for any kind', () => {
    expect(parseToWorker({ type: 'job-cancel', id: 3, kind: 'video' }).ok).toBe(true);
    expect(parseToWorker({ type: 'job-cancel', kind: 'video' }).ok).toBe(false);
    for (const kind of ['zoom', 'large', 'video']) {
      expect(parseFromWorker({ type: 'job-error', id: 3, kind, message: 'an export is already running', cancelled: false }).ok).toBe(true);
    }
    expect(parseFromWorker({ type: 'job-error', id: 3, kind: 'large', message: 'x' }).ok).toBe(false);
    expect(transferables({ type: 'job-error', id: 3, kind: 'large', message: 'x', cancelled: true })).toEqual([]);
  });
});
