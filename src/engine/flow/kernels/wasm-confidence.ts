import type * as tf from '@tensorflow/tfjs';
import { heapViews, registerWasmKernel, type HeapKernelArgs, type WasmHeapBackend } from '../../model/kernels/wasm-heap';

/**
 * The confidence mask of ../confidence.ts as plain-JS loops over the wasm heap (its tfjs-op form is the fallback
 * elsewhere and the reference these are tested against).
 */

/**
 * Inputs {forward [1,H,W,2], backward [1,H,W,2]}, attrs {alpha, beta, edgeAlpha, edgeBeta} → [1,H,W,1]: the
 * product of the forward–backward test, the motion-boundary test and the in-frame weight, before softening.
 */
export const FLOW_CONSISTENCY = 'DreamstreamFlowConsistency';
/** Inputs {x [1,H,W,1]}, attrs {taps} → a 3×3 minimum (the window clipped to the frame), then a separable blur with mirrored edges. */
export const FLOW_SOFTEN = 'DreamstreamFlowSoften';

const D1 = 8 / 12;
const D2 = 1 / 12;
const mirror = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * n - 2 - i : i);
const softBelow = (value: number, limit: number) => {
  const v = 2 - value / limit;
  return v < 0 ? 0 : v > 1 ? 1 : v;
};

function consistency({ inputs, backend, attrs }: HeapKernelArgs): tf.TensorInfo {
  const { forward, backward } = inputs as { forward: tf.TensorInfo; backward: tf.TensorInfo };
  const { alpha, beta, edgeAlpha, edgeBeta } = attrs as { alpha: number; beta: number; edgeAlpha: number; edgeBeta: number };
  const [, h, w] = backward.shape as [number, number, number, number];
  const { outs, outData, inData } = heapViews(backend as WasmHeapBackend, [forward, backward], [[1, h, w, 1]]);
  const [f, b] = inData as [Float32Array, Float32Array];
  const out = outData[0]!;
  const [maxX, maxY] = [w - 1, h - 1];
  const row = w * 2;
  for (let y = 0, p = 0; y < h; y++) {
    const up1 = mirror(y - 1, h) * row;
    const up2 = mirror(y - 2, h) * row;
    const dn1 = mirror(y + 1, h) * row;
    const dn2 = mirror(y + 2, h) * row;
    const r = y * row;
    for (let x = 0; x < w; x++, p++) {
      const bx = b[2 * p]!;
      const by = b[2 * p + 1]!;
      const px = x + bx;
      const py = y + by;
      const outside = (px < 0 ? -px : px > maxX ? px - maxX : 0) + (py < 0 ? -py : py > maxY ? py - maxY : 0);
      const inFrame = outside >= 1 ? 0 : 1 - outside;
      // The forward flow where the backward one lands (bilinear, clamped).
      const sx = px > 0 ? (px < maxX ? px : maxX) : 0;
      const sy = py > 0 ? (py < maxY ? py : maxY) : 0;
      let x0 = sx | 0;
      let y0 = sy | 0;
      if (x0 > w - 2) x0 = w - 2;
      if (y0 > h - 2) y0 = h - 2;
      const ax = sx - x0;
      const ay = sy - y0;
      const i00 = y0 * row + x0 * 2;
      const i10 = i00 + row;
      const w00 = (1 - ax) * (1 - ay);
      const w01 = ax * (1 - ay);
      const w10 = (1 - ax) * ay;
      const w11 = ax * ay;
      const fx = w00 * f[i00]! + w01 * f[i00 + 2]! + w10 * f[i10]! + w11 * f[i10 + 2]!;
      const fy = w00 * f[i00 + 1]! + w01 * f[i00 + 3]! + w10 * f[i10 + 1]! + w11 * f[i10 + 3]!;
      const tx = bx + fx;
      const ty = by + fy;
      const bb = bx * bx + by * by;
      const consistent = softBelow(tx * tx + ty * ty, alpha * (bb + fx * fx + fy * fy) + beta);
      // The backward flow's derivatives (5-tap, mirrored edges), both components along x and y.
      const l1 = mirror(x - 1, w) * 2;
      const l2 = mirror(x - 2, w) * 2;
      const r1 = mirror(x + 1, w) * 2;
      const r2 = mirror(x + 2, w) * 2;
      const c = x * 2;
      let edge = 0;
      for (let k = 0; k < 2; k++) {
        const dx = D2 * b[r + l2 + k]! - D1 * b[r + l1 + k]! + D1 * b[r + r1 + k]! - D2 * b[r + r2 + k]!;
        const dy = D2 * b[up2 + c + k]! - D1 * b[up1 + c + k]! + D1 * b[dn1 + c + k]! - D2 * b[dn2 + c + k]!;
        edge += dx * dx + dy * dy;
      }
      const smooth = softBelow(edge, edgeAlpha * bb + edgeBeta);
      out[p] = consistent * smooth * inFrame;
    }
  }
  return outs[0]!;
}

function soften({ inputs, backend, attrs }: HeapKernelArgs): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  const taps = (attrs as { taps: number[] }).taps;
  const r = (taps.length - 1) / 2;
  const [, h, w] = x.shape as [number, number, number, number];
  const { outs, outData, inData } = heapViews(backend as WasmHeapBackend, [x], [[1, h, w, 1]]);
  const src = inData[0]!;
  const out = outData[0]!;
  const a = new Float32Array(h * w);
  const b = new Float32Array(h * w);
  // 3×3 minimum, separable: rows, then columns (the window clipped to the frame, as maxPool 'same' does).
  for (let y = 0; y < h; y++) {
    for (let c = 0; c < w; c++) {
      const i = y * w + c;
      let m = src[i]!;
      if (c > 0 && src[i - 1]! < m) m = src[i - 1]!;
      if (c < w - 1 && src[i + 1]! < m) m = src[i + 1]!;
      a[i] = m;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let c = 0; c < w; c++) {
      const i = y * w + c;
      let m = a[i]!;
      if (y > 0 && a[i - w]! < m) m = a[i - w]!;
      if (y < h - 1 && a[i + w]! < m) m = a[i + w]!;
      b[i] = m;
    }
  }
  // Separable blur with mirrored edges: columns into `a`, then rows into the output (filters.ts's blur order).
  for (let y = 0; y < h; y++) {
    for (let c = 0; c < w; c++) {
      let s = 0;
      for (let t = 0; t < taps.length; t++) s += taps[t]! * b[mirror(y + t - r, h) * w + c]!;
      a[y * w + c] = s;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let c = 0; c < w; c++) {
      let s = 0;
      for (let t = 0; t < taps.length; t++) s += taps[t]! * a[y * w + mirror(c + t - r, w)]!;
      const v = s < 0 ? 0 : s > 1 ? 1 : s;
      out[y * w + c] = v;
    }
  }
  return outs[0]!;
}

/** Registers both kernels for the wasm backend (idempotent). */
export function registerWasmConfidence(): void {
  registerWasmKernel(FLOW_CONSISTENCY, consistency);
  registerWasmKernel(FLOW_SOFTEN, soften);
}
