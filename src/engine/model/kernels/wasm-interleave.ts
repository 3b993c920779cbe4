import * as tf from '@tensorflow/tfjs';
import { heapViews, registerWasmKernel, type HeapKernelArgs, type WasmHeapBackend } from './wasm-heap';

export const INTERLEAVE_2X2 = 'DreamstreamInterleave2x2';

/**
 * out[b, 2m+p, 2n+q, :] = phase_pq[b, m, n, :] (zero where that phase has no such row/column), out cropped to
 * [h, w]: one pass over the wasm heap. The op-level interleave (pad, stack, reshape, slice) is 9–10 kernels, and
 * wasm's Pack copies channel by channel, which is slow for the first layer's 3-channel phases (36 ms against 3 ms
 * for this kernel at 512 px).
 */
function interleave2x2({ inputs, backend, attrs }: HeapKernelArgs): tf.TensorInfo {
  const phases = [inputs.p00, inputs.p01, inputs.p10, inputs.p11] as tf.TensorInfo[];
  const { h, w } = attrs as { h: number; w: number };
  const [batch, , , c] = phases[0]!.shape as [number, number, number, number];
  const { outs, outData, inData } = heapViews(backend as WasmHeapBackend, phases, [[batch, h, w, c]]);
  const out = outData[0]!;
  // Rows/columns of each phase that land inside [h, w]; where a phase is short, the output keeps zeros.
  const extent = phases.map((t, i) => {
    const [, rows, cols] = t.shape as [number, number, number, number];
    const p = i >> 1;
    const q = i & 1;
    return { rows, cols, m: Math.min(rows, (h - p + 1) >> 1), n: Math.min(cols, (w - q + 1) >> 1) };
  });
  if (extent.some((e, i) => e.m < (h - (i >> 1) + 1) >> 1 || e.n < (w - (i & 1) + 1) >> 1)) out.fill(0);
  // Phase by phase, reading each one in order: source pixels are contiguous, output pixels two apart.
  extent.forEach(({ rows, cols, m: mEnd, n: nEnd }, i) => {
    const src = inData[i]!;
    const p = i >> 1;
    const q = i & 1;
    for (let b = 0; b < batch; b++) {
      for (let m = 0; m < mEnd; m++) {
        let s = ((b * rows + m) * cols) * c;
        let o = ((b * h + 2 * m + p) * w + q) * c;
        for (let n = 0; n < nEnd; n++, s += c, o += 2 * c) {
          for (let k = 0; k < c; k++) out[o + k] = src[s + k]!;
        }
      }
    }
  });
  return outs[0]!;
}

export function registerInterleave2x2(): void {
  registerWasmKernel(INTERLEAVE_2X2, interleave2x2);
}
