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

  it('a large render: a long side of 256 to 7680 px and 1 to 500 steps; its PNG is transferred, a cancel has none', () => {
    expect(parseToWorker({ type: 'render-large', id: 1, size: 3840, steps: 10 }).ok).toBe(true);
    const big = parseToWorker({ type: 'render-large', id: 1, size: 16000, steps: 10 });
    expect(!big.ok && big.error).toMatch(/malformed message "render-large": size .*7680/);
    expect(parseToWorker({ type: 'render-large', id: 1, size: 2048, steps: 0 }).ok).toBe(false);
    expect(parseFromWorker({ type: 'render-progress', id: 1, step: 1, steps: 3, width: 2048, height: 1366, tiles: 6 }).ok).toBe(true);
    const png = new ArrayBuffer(8);
    expect(transferables({ type: 'render-done', id: 1, png, width: 2048, height: 1366 })).toEqual([png]);
    expect(transferables({ type: 'render-done', id: 1, width: 2048, height: 1366 })).toEqual([]);
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
