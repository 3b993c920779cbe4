import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { profileOf } from '../../src/engine/backend/profile';
import { decodeLook, encodeLook } from '../../src/engine/params/look';
import { DEFAULT_SETTINGS, settings } from '../../src/engine/params/settings';
import { parseQuery, toQuery } from '../../src/components/look/url-state';
import { adapt, adaptiveLimits, initialAdaptive, SETTLE_FRAMES, stageSide } from '../../src/workers/adaptive';
import { MAX_PAINT_SIDE, paintSize, shownLongSide, shownSize, snapshotRects } from '../../src/workers/display';
import { axisTaps, catmullRom, cubicResize, cubicResizeRgba } from '../../src/workers/upscale';
import { parseToWorker } from '../../src/workers/protocol';

const landscape = { width: 256, height: 192 };
/** A phone held upright, in device pixels (390 × 844 CSS px at DPR 1). */
const phone = { width: 390, height: 844 };
const wide = { width: 1280, height: 720 };

describe('framing and Sharp as settings: looks, links, the protocol', () => {
  it('defaults to Smooth and cover (today\'s look), and both travel in a link and a look file', () => {
    expect(DEFAULT_SETTINGS.detail).toBe('smooth');
    expect(DEFAULT_SETTINGS.fit).toBe('cover');
    expect(toQuery(DEFAULT_SETTINGS)).not.toMatch(/detail|fit=/);
    const look = settings({ detail: 'sharp', fit: 'contain' });
    const q = toQuery(look);
    expect(q).toContain('detail=sharp');
    expect(q).toContain('fit=contain');
    expect(parseQuery(q).settings).toEqual(look);
    expect(decodeLook(encodeLook({ settings: look })).settings).toEqual(look);
    // A look file written before these settings opens as before.
    const old = JSON.parse(encodeLook({ settings: DEFAULT_SETTINGS })) as { settings: Record<string, unknown> };
    delete old.settings['detail'];
    delete old.settings['fit'];
    expect(decodeLook(JSON.stringify(old)).settings).toEqual(DEFAULT_SETTINGS);
  });

  it('refuses a framing or detail it does not know, in plain words, keeping the rest', () => {
    const r = parseQuery('fit=stretch&detail=ultra&zoom=1.02');
    expect(r.settings.fit).toBe('cover');
    expect(r.settings.detail).toBe('smooth');
    expect(r.settings.stream.zoom).toBe(1.02);
    expect(r.notice).toBe('Ignored 2 URL parameters: fit=stretch (must be one of cover, contain), detail=ultra (must be one of smooth, sharp)');
  });

  it('the display message and the snapshot size are checked like every message', () => {
    expect(parseToWorker({ type: 'display', width: 390, height: 844 }).ok).toBe(true);
    expect(parseToWorker({ type: 'display', width: -1, height: 844 }).ok).toBe(false);
    expect(parseToWorker({ type: 'snapshot', id: 1, size: 'display' }).ok).toBe(true);
    expect(parseToWorker({ type: 'snapshot', id: 1 }).ok).toBe(true);
    expect(parseToWorker({ type: 'snapshot', id: 1, size: 'huge' }).ok).toBe(false);
  });
});

describe('how the picture meets the stage', () => {
  it('cover fills a portrait phone (most of a landscape picture cut off); contain shows it whole, letterboxed', () => {
    const cover = shownSize(landscape, phone, 'cover');
    expect(cover.height).toBeCloseTo(844);
    expect(cover.width).toBeCloseTo(1125.3, 0);
    const contain = shownSize(landscape, phone, 'contain');
    expect(contain.width).toBeCloseTo(390);
    expect(contain.height).toBeCloseTo(292.5);
    // The bars: what contain leaves of the stage's height above and below the picture.
    expect((phone.height - contain.height) / 2).toBeGreaterThan(250);
    expect(shownLongSide(landscape, phone, 'contain')).toBeCloseTo(390);
    expect(shownLongSide(null, wide, 'cover')).toBe(1280);
    expect(shownLongSide(landscape, null, 'cover')).toBe(0);
  });

  it('paints the canvas at the size the frame is shown (the page scales it by about 1), keeping the frame\'s aspect', () => {
    const p = paintSize(landscape, wide, 'cover');
    expect(p).toEqual({ width: 1280, height: 960 });
    expect(paintSize(landscape, wide, 'contain')).toEqual({ width: 960, height: 720 });
    expect(paintSize(landscape, phone, 'contain')).toEqual({ width: 390, height: 293 });
    // No stage known yet, or a frame already as large as it is shown: the frame's own size.
    expect(paintSize(landscape, null, 'cover')).toEqual(landscape);
    expect(paintSize({ width: 1280, height: 720 }, wide, 'cover')).toEqual({ width: 1280, height: 720 });
    expect(paintSize({ width: 1600, height: 900 }, wide, 'cover')).toEqual({ width: 1600, height: 900 });
    // A huge stage: at most MAX_PAINT_SIDE on the long side.
    const huge = paintSize(landscape, { width: 7680, height: 4320 }, 'cover');
    expect(Math.max(huge.width, huge.height)).toBe(MAX_PAINT_SIDE);
  });

  it('a display-size snapshot: cover is the stage\'s size, the frame cropped to what is shown; contain is the whole picture', () => {
    const c = snapshotRects(landscape, wide, 'cover');
    expect(c.out).toEqual(wide);
    expect(c.crop.width).toBeCloseTo(256);
    expect(c.crop.height).toBeCloseTo(144);
    expect(c.crop.y).toBeCloseTo(24);
    const k = snapshotRects(landscape, phone, 'contain');
    expect(k.out).toEqual({ width: 390, height: 293 });
    expect(k.crop).toEqual({ x: 0, y: 0, ...landscape });
  });
});

describe('Sharp and Smooth in the scheduler', () => {
  const wasm = profileOf('wasm').adaptive;
  const webgpu = profileOf('webgpu').adaptive;

  it('Sharp fixes the working size at the stage\'s (rounded up to the ladder\'s step, capped by the profile)', () => {
    const l = adaptiveLimits(wasm, { mode: 'dream', resolution: 0, stepsPerFrame: 0, detail: 'sharp', shownSide: 390 });
    expect(l.fixedResolution).toBe(416);
    expect(adaptiveLimits(webgpu, { mode: 'dream', resolution: 0, stepsPerFrame: 0, detail: 'sharp', shownSide: 1000 }).fixedResolution).toBe(1024);
    // A 4K stage: the profile's sharp limit.
    expect(adaptiveLimits(wasm, { mode: 'dream', resolution: 0, stepsPerFrame: 0, detail: 'sharp', shownSide: 3840 }).fixedResolution).toBe(wasm.sharpMaxResolution);
    // A tiny stage in style mode: never below the mode's floor.
    expect(adaptiveLimits(wasm, { mode: 'style', resolution: 0, stepsPerFrame: 0, detail: 'sharp', shownSide: 100 }).fixedResolution).toBe(192);
    // A fixed resolution wins; no stage known yet: adaptive until it is.
    expect(adaptiveLimits(wasm, { mode: 'dream', resolution: 160, stepsPerFrame: 0, detail: 'sharp', shownSide: 390 }).fixedResolution).toBe(160);
    expect(adaptiveLimits(wasm, { mode: 'dream', resolution: 0, stepsPerFrame: 0, detail: 'sharp', shownSide: 0 }).fixedResolution).toBe(0);
    expect(stageSide(1, 1024, 128)).toBe(128);
  });

  it('Sharp stays at the stage\'s size however slow the frames (fewer frames per second), and follows a resized stage', () => {
    let l = adaptiveLimits(wasm, { mode: 'dream', resolution: 0, stepsPerFrame: 0, detail: 'sharp', shownSide: 1280 });
    let s = initialAdaptive(l, wasm.start);
    expect(s.resolution).toBe(1280 > wasm.sharpMaxResolution! ? wasm.sharpMaxResolution : 1280);
    for (let i = 0; i < SETTLE_FRAMES * 6; i++) s = adapt(s, wasm.targetMs * 20, l);
    expect(s.resolution).toBe(1024);
    l = adaptiveLimits(wasm, { mode: 'dream', resolution: 0, stepsPerFrame: 0, detail: 'sharp', shownSide: 390 });
    s = adapt(s, wasm.targetMs * 20, l);
    expect(s.resolution).toBe(416);
  });

  it('Smooth climbs past the backend\'s usual maximum to the stage\'s size where the device keeps up, and no further', () => {
    const l = adaptiveLimits(wasm, { mode: 'dream', resolution: 0, stepsPerFrame: 0, detail: 'smooth', shownSide: 700 });
    expect(l.fixedResolution).toBe(0);
    expect(l.maxResolution).toBe(704);
    let s = initialAdaptive(l, wasm.start);
    // A fast machine: every frame far under the target.
    for (let i = 0; i < SETTLE_FRAMES * 40; i++) s = adapt(s, wasm.targetMs / 50, l);
    expect(s.resolution).toBe(704);
    // A slow one stays where it was (the usual adaptive size).
    let slow = initialAdaptive(l, wasm.start);
    for (let i = 0; i < SETTLE_FRAMES * 40; i++) slow = adapt(slow, wasm.targetMs * 1.1 * (slow.resolution / wasm.start) ** 2, l);
    expect(slow.resolution).toBeLessThanOrEqual(wasm.start);
    // A small stage does not lower the usual maximum.
    expect(adaptiveLimits(wasm, { mode: 'dream', resolution: 0, stepsPerFrame: 0, detail: 'smooth', shownSide: 200 }).maxResolution).toBe(wasm.maxResolution);
  });
});

describe('the Catmull-Rom upscale', () => {
  it('weights sum to one and interpolate (t = 0 is the sample itself)', () => {
    for (const t of [0, 0.25, 0.5, 0.9]) expect(catmullRom(t).reduce((a, b) => a + b)).toBeCloseTo(1, 6);
    expect(catmullRom(0)).toEqual([0, 1, 0, 0]);
    const taps = axisTaps(4, 12);
    expect(taps.index[0]![0]).toBe(0); // clamped at the edge
    expect(taps.index[3]![11]).toBe(3);
  });

  it('keeps the frame\'s samples at 3×, reproduces a ramp, and is sharper than bilinear across an edge', async () => {
    await tf.setBackend('cpu');
    const ramp = tf.tidy(() => tf.linspace(0, 1, 8).reshape([1, 8, 1]).tile([4, 1, 3]) as tf.Tensor3D);
    const up = cubicResize(ramp, 12, 24);
    expect(up.shape).toEqual([12, 24, 3]);
    const row = (await up.slice([5, 0, 0], [1, 24, 1]).data()) as Float32Array;
    const src = (await ramp.slice([0, 0, 0], [1, 8, 1]).data()) as Float32Array;
    // Output 3k+1 sits exactly on input k.
    for (let k = 0; k < 8; k++) expect(row[3 * k + 1]).toBeCloseTo(src[k]!, 5);
    // Inside (away from the clamped edges) a linear ramp stays linear.
    for (let i = 4; i < 19; i++) expect(row[i + 1]! - row[i]!).toBeCloseTo(1 / 21, 4);
    // A step edge 0 → 1: the cubic's transition is steeper than bilinear's.
    const step = tf.tidy(() => tf.concat([tf.zeros([2, 4, 1]), tf.ones([2, 4, 1])], 1) as tf.Tensor3D);
    const cubic = (await cubicResize(step, 2, 40).slice([0, 0, 0], [1, 40, 1]).data()) as Float32Array;
    const linear = (await tf.image.resizeBilinear(step, [2, 40], false, true).slice([0, 0, 0], [1, 40, 1]).data()) as Float32Array;
    const slope = (xs: Float32Array) => Math.max(...Array.from(xs).slice(1).map((v, i) => v - xs[i]!));
    expect(slope(cubic)).toBeGreaterThan(slope(linear) * 1.1);
    tf.dispose([ramp, up, step]);
  });
});

describe('the Catmull-Rom upscale on the CPU (the wasm paint and display-size snapshots)', () => {
  it('gives the backend\'s result in bytes (clipped and rounded), opaque', async () => {
    await tf.setBackend('cpu');
    const w = 7;
    const h = 5;
    const rgba = new Uint8ClampedArray(w * h * 4);
    for (let i = 0; i < w * h; i++) rgba.set([(i * 37) % 256, (i * 91) % 256, i % 2 ? 255 : 0, 255], i * 4);
    const out = cubicResizeRgba(rgba, w, h, 30, 17);
    const rgb = tf.tidy(() => tf.tensor3d(Array.from(rgba), [h, w, 4]).slice([0, 0, 0], [h, w, 3]).toFloat() as tf.Tensor3D);
    const want = (await tf.tidy(() => cubicResize(rgb, 17, 30).clipByValue(0, 255).round()).data()) as Float32Array;
    let worst = 0;
    for (let i = 0; i < 30 * 17; i++) {
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(out[i * 4 + c]! - want[i * 3 + c]!));
      expect(out[i * 4 + 3]).toBe(255);
    }
    expect(worst).toBeLessThanOrEqual(1);
    rgb.dispose();
  });
});
