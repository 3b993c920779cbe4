import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTextChunks, readTextChunks } from '../../src/engine/io/png-text';
import { decodeLook, encodeLook, LOOK_VERSION, LookError, lookFromPng, withLook } from '../../src/engine/params/look';
import { DEFAULT_SETTINGS, settings } from '../../src/engine/params/settings';
import { FIXTURES } from '../helpers/engine';

/** The smallest valid PNG: signature, IHDR (1×1 RGB), IDAT, IEND, with correct CRCs. */
const PNG_1PX = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC'),
  (c) => c.charCodeAt(0),
);

const spiral = settings({ mode: 'dream', stream: { zoom: 1.05, rotate: 2 }, dream: { stepSize: 0.02, layers: [{ name: 'mixed5', weight: 1 }] }, stepsPerFrame: 3 });

describe('look codec', () => {
  it('round-trips a look with its samples and frame, and names its version', () => {
    const text = encodeLook({ settings: spiral, content: 'cat', style: 'starry', frame: 7 });
    expect(JSON.parse(text).dreamstream).toBe(LOOK_VERSION);
    expect(decodeLook(text)).toEqual({ settings: spiral, content: 'cat', style: 'starry', frame: 7 });
  });

  it('carries a mask as a PNG data URL, and refuses anything else in its place', () => {
    const mask = 'data:image/png;base64,iVBORw0KGgo=';
    const look = { settings: settings({ mask: { outside: 'other' } }), mask };
    const back = decodeLook(encodeLook(look));
    expect(back.mask).toBe(mask);
    expect(back.settings.mask.outside).toBe('other');
    expect(lookFromPng(withLook(PNG_1PX, look))?.mask).toBe(mask);
    const bad = (m: unknown) => () => decodeLook(JSON.stringify({ dreamstream: LOOK_VERSION, settings: {}, mask: m }));
    expect(bad('https://example.com/mask.png')).toThrow(/mask must be a PNG data URL/);
    expect(bad('data:image/png;base64,<script>')).toThrow(/mask must be a PNG data URL/);
    expect(bad(12)).toThrow(LookError);
    expect(bad(`data:image/png;base64,${'A'.repeat(1_000_001)}`)).toThrow(/larger than 1 MB/);
  });

  it('reads every older form: v1 look files, v1 snapshots, the first CLI renders', () => {
    const v1File = JSON.stringify({ dreamstream: 1, settings: spiral, content: 'cat' });
    expect(decodeLook(v1File)).toEqual({ settings: spiral, content: 'cat' });
    // A setting renamed since: colour preservation is now one of three colour choices.
    const kept = decodeLook(JSON.stringify({ dreamstream: 1, settings: { mode: 'style', style: { preserveColour: true, styleWeight: 50 } } }));
    expect(kept.settings.style).toMatchObject({ colour: 'content', styleWeight: 50 });
    expect(decodeLook(JSON.stringify({ dreamstream: 1, settings: { style: { preserveColour: false } } })).settings.style.colour).toBe('style');
    const v1Snapshot = JSON.stringify({ version: 1, settings: spiral });
    expect(decodeLook(v1Snapshot).settings).toEqual(spiral);
    const cliDream = JSON.stringify({ mode: 'dream', dream: { ...spiral.dream } });
    expect(decodeLook(cliDream).settings).toEqual(settings({ mode: 'dream', dream: spiral.dream }));
    const cliStyle = JSON.stringify({ mode: 'style', style: { contentWeight: 3 } });
    const style = decodeLook(cliStyle);
    expect(style.settings.mode).toBe('style');
    expect(style.settings.style.contentWeight).toBe(3);
    // A style *parameter object* is not a style sample id.
    expect(style.style).toBeUndefined();
    // The old zoom metadata had stream.stepsPerFrame, which the app never read: dropped, the rest kept.
    const cliZoom = JSON.stringify({ mode: 'zoom', frame: 4, dream: spiral.dream, stream: { zoom: 1.05, stepsPerFrame: 5 } });
    expect(decodeLook(cliZoom)).toMatchObject({ frame: 4, settings: { mode: 'dream', stream: { zoom: 1.05 } } });
    expect(decodeLook(cliZoom).settings.stream).not.toHaveProperty('stepsPerFrame');
  });

  it('refuses what is not a look with one line that says why', () => {
    expect(() => decodeLook('{oops')).toThrow(new LookError('not a JSON file'));
    expect(() => decodeLook('[1,2]')).toThrow(/not a dreamstream look/);
    expect(() => decodeLook('{"hello":1}')).toThrow(/missing "dreamstream": 2/);
    expect(() => decodeLook('{"dreamstream":9,"settings":{}}')).toThrow(/version 9, newer than this app reads \(2\)/);
    expect(() => decodeLook(JSON.stringify({ dreamstream: 2, settings: { stream: { zoom: 5 } } }))).toThrow(
      /^invalid look: stream\.zoom must be a number from 0\.9 to 1\.2 \(got 5\)$/,
    );
  });

  it('travels in a PNG text chunk; other PNGs and other files carry none', () => {
    const png = withLook(PNG_1PX, { settings: spiral, style: 'scream' });
    expect(readTextChunks(png).Software).toBe('dreamstream');
    expect(lookFromPng(png)).toEqual({ settings: spiral, style: 'scream' });
    expect(lookFromPng(PNG_1PX)).toBeNull();
    expect(lookFromPng(new TextEncoder().encode('not a png at all'))).toBeNull();
    // A dreamstream chunk that is broken is an error to show, not a silent default look.
    expect(() => lookFromPng(addTextChunks(PNG_1PX, { dreamstream: '{"dreamstream":2}' }))).toThrow(/no settings/);
    expect(lookFromPng(addTextChunks(PNG_1PX, { dreamstream: JSON.stringify({ dreamstream: 2, settings: {} }) }))?.settings).toEqual(DEFAULT_SETTINGS);
  });

  it('is written as plain UTF-8 JSON in an iTXt chunk, and the escaped tEXt chunks written before still read', () => {
    const png = withLook(PNG_1PX, { settings: spiral });
    const chunk = chunkText(png, 'iTXt', 'dreamstream');
    // Uncompressed (0, 0), an empty language tag and translated keyword (NUL each): the JSON follows as it is.
    expect([...chunk.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
    expect(JSON.parse(new TextDecoder().decode(chunk.subarray(4))).settings).toEqual(spiral);
    expect(readTextChunks(addTextChunks(PNG_1PX, { note: 'café ✓\n' })).note).toBe('café ✓\n');
    // A zoom frame the CLI wrote before: JSON with \u000a escapes between its tokens, in tEXt.
    const old = new Uint8Array(readFileSync(join(FIXTURES, 'cli-look-tEXt.png')));
    expect(new TextDecoder().decode(chunkText(old, 'tEXt', 'dreamstream'))).toContain('{\\u000a');
    expect(lookFromPng(old)).toMatchObject({ frame: 0, settings: { stepsPerFrame: 3, resolution: 80, stream: { zoom: 1.07, rotate: -3 }, dream: { stepSize: 0.021 } } });
  });
});

/** The data of the first `type` chunk keyed `key`, after the keyword and its NUL. */
function chunkText(png: Uint8Array, type: string, key: string): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = 8; at + 8 <= png.length; at += 12 + view.getUint32(at)) {
    const data = png.subarray(at + 8, at + 8 + view.getUint32(at));
    const head = String.fromCharCode(...png.subarray(at + 4, at + 8), ...data.subarray(0, key.length + 1));
    if (head === `${type}${key}\0`) return data.subarray(key.length + 1);
  }
  throw new Error(`no ${type} chunk ${key}`);
}
