import type * as tf from '@tensorflow/tfjs';
import { heapViews, registerWasmKernel, type HeapKernelArgs, type WasmHeapBackend } from '../../model/kernels/wasm-heap';

/**
 * The parts of a Lucas–Kanade iteration as plain-JS loops over the wasm heap, one pass each. On wasm, XNNPACK
 * vectorises over channels, so the same work as tfjs ops on one-channel frames (5-tap derivatives, selection matMuls,
 * elementwise products, small pools) costs ~10× more. Their tfjs-op forms are in ../lucas-kanade.ts (the fallback on
 * other backends, and the reference these are tested against). The window is applied at half resolution: the
 * products are summed into 2×2 cells as they are made, and the solve reads the windowed cells bilinearly, so no
 * full-resolution five-channel field is ever written.
 */

/** Inputs {x [1,H,W,1]}, attrs {scale: [s0, s1, s2]} → [1,H,W,3] = (s0·I, s1·∂I/∂x, s2·∂I/∂y), mirrored edges. */
export const FLOW_GRADIENTS = 'DreamstreamFlowGradients';
/**
 * Inputs {second [1,H,W,3], first [1,H,W,3], flow [1,H,W,2]} → [1,⌈H/2⌉,⌈W/2⌉,5], the 2×2 means ('same') of
 * w·(Ix², IxIy, Iy², IxIt, IyIt): d = second sampled at x + flow (bilinear, clamped) + first, read as (It, Ix, Iy),
 * w the weight of x + flow being in the frame (1 inside, 0 a pixel or more outside).
 */
export const FLOW_PRODUCTS = 'DreamstreamFlowProducts';
/**
 * Inputs {x [1,h,w,5]}, attrs {width} → the box mean of `width` (odd) along the columns then the rows, twice, each
 * box the mean over its part inside the frame (avgPool 'same').
 */
export const FLOW_WINDOW = 'DreamstreamFlowWindow';
/**
 * Inputs {sums [1,h,w,5], flow [1,H,W,2]}, attrs {regularise} → flow + the solve of the 2×2 normal equations, with
 * the sums enlarged to H×W bilinearly (half-pixel centres, as tf.image.resizeBilinear).
 */
export const FLOW_SOLVE = 'DreamstreamFlowSolve';

/** (1, −8, 0, 8, −1)/12 as a correlation, like filters.ts's DERIVATIVE5. */
const D1 = 8 / 12;
const D2 = 1 / 12;

/** Mirror ('reflect') an index into [0, n). */
const mirror = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * n - 2 - i : i);

function gradients({ inputs, backend, attrs }: HeapKernelArgs): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  const [s0, s1, s2] = (attrs as { scale: number[] }).scale as [number, number, number];
  const [, h, w] = x.shape as [number, number, number, number];
  const { outs, outData, inData } = heapViews(backend as WasmHeapBackend, [x], [[1, h, w, 3]]);
  const src = inData[0]!;
  const out = outData[0]!;
  for (let y = 0; y < h; y++) {
    const r = y * w;
    const up1 = mirror(y - 1, h) * w;
    const up2 = mirror(y - 2, h) * w;
    const dn1 = mirror(y + 1, h) * w;
    const dn2 = mirror(y + 2, h) * w;
    for (let c = 0; c < w; c++) {
      const l1 = mirror(c - 1, w);
      const l2 = mirror(c - 2, w);
      const r1 = mirror(c + 1, w);
      const r2 = mirror(c + 2, w);
      const o = (r + c) * 3;
      out[o] = s0 * src[r + c]!;
      out[o + 1] = s1 * (D2 * src[r + l2]! - D1 * src[r + l1]! + D1 * src[r + r1]! - D2 * src[r + r2]!);
      out[o + 2] = s2 * (D2 * src[up2 + c]! - D1 * src[up1 + c]! + D1 * src[dn1 + c]! - D2 * src[dn2 + c]!);
    }
  }
  return outs[0]!;
}

function products({ inputs, backend }: HeapKernelArgs): tf.TensorInfo {
  const { second, first, flow } = inputs as { second: tf.TensorInfo; first: tf.TensorInfo; flow: tf.TensorInfo };
  const [, h, w] = flow.shape as [number, number, number, number];
  const [oh, ow] = [Math.ceil(h / 2), Math.ceil(w / 2)];
  const { outs, outData, inData } = heapViews(backend as WasmHeapBackend, [second, first, flow], [[1, oh, ow, 5]]);
  const [b, a, f] = inData as [Float32Array, Float32Array, Float32Array];
  const out = outData[0]!;
  out.fill(0);
  const [maxX, maxY] = [w - 1, h - 1];
  const row = w * 3;
  for (let y = 0, p = 0; y < h; y++) {
    // A cell of the last odd row or column holds fewer pixels: each counts for more.
    const cellRows = 2 * (y >> 1) + 1 < h ? 2 : 1;
    const cellRow = (y >> 1) * ow;
    for (let x = 0; x < w; x++, p++) {
      const px = x + f[2 * p]!;
      const py = y + f[2 * p + 1]!;
      const outside = (px < 0 ? -px : px > maxX ? px - maxX : 0) + (py < 0 ? -py : py > maxY ? py - maxY : 0);
      if (outside >= 1) continue;
      const cellCols = 2 * (x >> 1) + 1 < w ? 2 : 1;
      const weight = (1 - outside) / (cellRows * cellCols);
      const sx = px > 0 ? (px < maxX ? px : maxX) : 0;
      const sy = py > 0 ? (py < maxY ? py : maxY) : 0;
      let x0 = sx | 0;
      let y0 = sy | 0;
      if (x0 > w - 2) x0 = w - 2;
      if (y0 > h - 2) y0 = h - 2;
      const ax = sx - x0;
      const ay = sy - y0;
      const i00 = y0 * row + x0 * 3;
      const i10 = i00 + row;
      const q = p * 3;
      // The three channels of the bilinear sample, written out (a closure here costs 30× the loop).
      const w00 = (1 - ax) * (1 - ay);
      const w01 = ax * (1 - ay);
      const w10 = (1 - ax) * ay;
      const w11 = ax * ay;
      const it = w00 * b[i00]! + w01 * b[i00 + 3]! + w10 * b[i10]! + w11 * b[i10 + 3]! + a[q]!;
      const ix = w00 * b[i00 + 1]! + w01 * b[i00 + 4]! + w10 * b[i10 + 1]! + w11 * b[i10 + 4]! + a[q + 1]!;
      const iy = w00 * b[i00 + 2]! + w01 * b[i00 + 5]! + w10 * b[i10 + 2]! + w11 * b[i10 + 5]! + a[q + 2]!;
      const o = (cellRow + (x >> 1)) * 5;
      const wx = weight * ix;
      const wy = weight * iy;
      out[o]! += wx * ix;
      out[o + 1]! += wx * iy;
      out[o + 2]! += wy * iy;
      out[o + 3]! += wx * it;
      out[o + 4]! += wy * it;
    }
  }
  return outs[0]!;
}

/**
 * One separable box mean of width 2r + 1 (down the columns, then along the rows), each box the mean over its part
 * inside the frame, for five interleaved channels: running sums of whole rows into `col` (cache-friendly; float64,
 * so that adding and removing rows does not drift), then a running sum along each row of those column sums.
 */
function box5(src: Float32Array, dst: Float32Array, h: number, w: number, r: number, col: Float64Array): void {
  const rowLen = w * 5;
  col.fill(0);
  for (let i = 0; i < r && i < h; i++) for (let j = 0, o = i * rowLen; j < rowLen; j++) col[j]! += src[o + j]!;
  for (let y = 0; y < h; y++) {
    if (y + r < h) for (let j = 0, o = (y + r) * rowLen; j < rowLen; j++) col[j]! += src[o + j]!;
    if (y - r - 1 >= 0) for (let j = 0, o = (y - r - 1) * rowLen; j < rowLen; j++) col[j]! -= src[o + j]!;
    const invY = 1 / (Math.min(h - 1, y + r) - Math.max(0, y - r) + 1);
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let a4 = 0;
    for (let x = 0; x < r && x < w; x++) {
      const o = x * 5;
      a0 += col[o]!;
      a1 += col[o + 1]!;
      a2 += col[o + 2]!;
      a3 += col[o + 3]!;
      a4 += col[o + 4]!;
    }
    const base = y * rowLen;
    for (let x = 0; x < w; x++) {
      if (x + r < w) {
        const o = (x + r) * 5;
        a0 += col[o]!;
        a1 += col[o + 1]!;
        a2 += col[o + 2]!;
        a3 += col[o + 3]!;
        a4 += col[o + 4]!;
      }
      if (x - r - 1 >= 0) {
        const o = (x - r - 1) * 5;
        a0 -= col[o]!;
        a1 -= col[o + 1]!;
        a2 -= col[o + 2]!;
        a3 -= col[o + 3]!;
        a4 -= col[o + 4]!;
      }
      const inv = invY / (Math.min(w - 1, x + r) - Math.max(0, x - r) + 1);
      const o = base + x * 5;
      dst[o] = a0 * inv;
      dst[o + 1] = a1 * inv;
      dst[o + 2] = a2 * inv;
      dst[o + 3] = a3 * inv;
      dst[o + 4] = a4 * inv;
    }
  }
}

/** The source position and weight of a bilinear resize with half-pixel centres (tfjs's rule), per output index. */
function resizeTable(inSize: number, outSize: number): { lo: Int32Array; hi: Int32Array; frac: Float32Array } {
  const scale = inSize / outSize;
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const src = (i + 0.5) * scale - 0.5;
    const f = Math.floor(src);
    lo[i] = Math.max(0, f);
    hi[i] = Math.min(inSize - 1, Math.ceil(src));
    frac[i] = src - f;
  }
  return { lo, hi, frac };
}

function windowMean({ inputs, backend, attrs }: HeapKernelArgs): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  const { width } = attrs as { width: number };
  const [, h, w, c] = x.shape as [number, number, number, number];
  if (c !== 5) throw new Error(`${FLOW_WINDOW} takes the five normal-equation products (got ${c} channels)`);
  const { outs, outData, inData } = heapViews(backend as WasmHeapBackend, [x], [[1, h, w, c]]);
  const tmp = new Float32Array(h * w * c);
  const col = new Float64Array(w * c);
  const r = (width - 1) / 2;
  box5(inData[0]!, tmp, h, w, r, col);
  box5(tmp, outData[0]!, h, w, r, col);
  return outs[0]!;
}

function solve({ inputs, backend, attrs }: HeapKernelArgs): tf.TensorInfo {
  const { sums, flow } = inputs as { sums: tf.TensorInfo; flow: tf.TensorInfo };
  const { regularise } = attrs as { regularise: number };
  const [, ih, iw] = sums.shape as [number, number, number, number];
  const [, h, w] = flow.shape as [number, number, number, number];
  const { outs, outData, inData } = heapViews(backend as WasmHeapBackend, [sums, flow], [[1, h, w, 2]]);
  const [s, f] = inData as [Float32Array, Float32Array];
  const out = outData[0]!;
  const ty = resizeTable(ih, h);
  const tx = resizeTable(iw, w);
  for (let y = 0, p = 0; y < h; y++) {
    const r0 = ty.lo[y]! * iw;
    const r1 = ty.hi[y]! * iw;
    const fy = ty.frac[y]!;
    const gy = 1 - fy;
    for (let x = 0; x < w; x++, p++) {
      const fx = tx.frac[x]!;
      const gx = 1 - fx;
      const a = (r0 + tx.lo[x]!) * 5;
      const b = (r0 + tx.hi[x]!) * 5;
      const c = (r1 + tx.lo[x]!) * 5;
      const d = (r1 + tx.hi[x]!) * 5;
      // The sums enlarged bilinearly, each written out.
      const wa = gx * gy;
      const wb = fx * gy;
      const wc = gx * fy;
      const wd = fx * fy;
      const sp = wa * s[a]! + wb * s[b]! + wc * s[c]! + wd * s[d]! + regularise;
      const r = wa * s[a + 1]! + wb * s[b + 1]! + wc * s[c + 1]! + wd * s[d + 1]!;
      const sq = wa * s[a + 2]! + wb * s[b + 2]! + wc * s[c + 2]! + wd * s[d + 2]! + regularise;
      const bx = wa * s[a + 3]! + wb * s[b + 3]! + wc * s[c + 3]! + wd * s[d + 3]!;
      const by = wa * s[a + 4]! + wb * s[b + 4]! + wc * s[c + 4]! + wd * s[d + 4]!;
      const det = sp * sq - r * r;
      out[2 * p] = f[2 * p]! + (r * by - sq * bx) / det;
      out[2 * p + 1] = f[2 * p + 1]! + (r * bx - sp * by) / det;
    }
  }
  return outs[0]!;
}

export function registerWasmLucasKanade(): void {
  registerWasmKernel(FLOW_GRADIENTS, gradients);
  registerWasmKernel(FLOW_PRODUCTS, products);
  registerWasmKernel(FLOW_WINDOW, windowMean);
  registerWasmKernel(FLOW_SOLVE, solve);
}
