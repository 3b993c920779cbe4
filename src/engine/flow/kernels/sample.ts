import * as tf from '@tensorflow/tfjs';
import { heapViews, registerWasmKernel, type HeapKernelArgs, type WasmHeapBackend } from '../../model/kernels/wasm-heap';
import { webGpuBilinearSample } from './webgpu-sample';

/**
 * Kernel name of bilinear sampling at per-pixel points. Inputs {image [1,h,w,C], flow [1,H,W,2]}, attrs
 * {scaleX, scaleY}; output [1,H,W,C] with out(y, x) = image at (x·scaleX + flow_x, y·scaleY + flow_y), bilinear,
 * the point clamped into the frame (a border pixel repeats). Scale 1 is a backward warp by the flow; scale ½ with a
 * zero flow is a 2× upsampling that puts output pixel 2i on input pixel i (a pyramid's own alignment).
 */
export const BILINEAR_SAMPLE = 'DreamstreamBilinearSample';

export interface SampleAttrs {
  scaleX: number;
  scaleY: number;
}

/**
 * The same sampling in plain JS over the wasm heap: one pass, no temporaries. tfjs's wasm GatherV2 first checks
 * every index in JS through a closure (7 ms for 50k indices), which made a gather-built warp the slowest part of
 * the flow.
 */
function wasmBilinearSample({ inputs, backend, attrs }: HeapKernelArgs): tf.TensorInfo {
  const { image, flow } = inputs as { image: tf.TensorInfo; flow: tf.TensorInfo };
  const { scaleX, scaleY } = attrs as unknown as SampleAttrs;
  const [, h, w, c] = image.shape as [number, number, number, number];
  const [, oh, ow] = flow.shape as [number, number, number, number];
  const { outs, outData, inData } = heapViews(backend as WasmHeapBackend, [image, flow], [[1, oh, ow, c]]);
  const src = inData[0]!;
  const f = inData[1]!;
  const out = outData[0]!;
  const [maxX, maxY] = [w - 1, h - 1];
  const row = w * c;
  for (let y = 0, p = 0; y < oh; y++) {
    const yBase = y * scaleY;
    for (let x = 0; x < ow; x++, p++) {
      let sx = x * scaleX + f[2 * p]!;
      let sy = yBase + f[2 * p + 1]!;
      sx = sx > 0 ? (sx < maxX ? sx : maxX) : 0;
      sy = sy > 0 ? (sy < maxY ? sy : maxY) : 0;
      // Non-negative here, so truncation is floor; kept one pixel inside the far edges.
      let x0 = sx | 0;
      let y0 = sy | 0;
      if (x0 > w - 2) x0 = w - 2;
      if (y0 > h - 2) y0 = h - 2;
      const ax = sx - x0;
      const ay = sy - y0;
      const i00 = y0 * row + x0 * c;
      const i10 = i00 + row;
      const o = p * c;
      for (let k = 0; k < c; k++) {
        const a = src[i00 + k]!;
        const b = src[i00 + c + k]!;
        const d = src[i10 + k]!;
        const e = src[i10 + c + k]!;
        const top = a + (b - a) * ax;
        const bottom = d + (e - d) * ax;
        out[o + k] = top + (bottom - top) * ay;
      }
    }
  }
  return outs[0]!;
}

let registered = false;

/** Registers the native implementations (wasm: the heap loop; webgpu: one dispatch). Idempotent. */
export function registerBilinearSample(): void {
  if (registered) return;
  registered = true;
  registerWasmKernel(BILINEAR_SAMPLE, wasmBilinearSample);
  if (!tf.getKernel(BILINEAR_SAMPLE, 'webgpu')) tf.registerKernel({ kernelName: BILINEAR_SAMPLE, backendName: 'webgpu', kernelFunc: webGpuBilinearSample });
}

/** Whether the active backend has a native sampler (else sampleComposite's tfjs ops run). */
export function hasNativeSample(): boolean {
  registerBilinearSample();
  return tf.getKernel(BILINEAR_SAMPLE, tf.getBackend()) !== undefined;
}
