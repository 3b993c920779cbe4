import * as tf from '@tensorflow/tfjs';
import { registerOnEveryBackend } from '../../model/kernels/register';
import { heapViews, type HeapKernelArgs, type WasmHeapBackend } from '../../model/kernels/wasm-heap';
import { tvGradLoop, tvMapLoop, type Shape4 } from './tv-math';
import { webGpuTvGrad, webGpuTvMap } from './webgpu-tv';

/**
 * Total variation as two kernels (the formula is in ./tv-math.ts). TV_MAP: input {x [B,H,W,C]}, output [B,H,W,1],
 * each pixel's share (their sum is TV). TV_GRAD: inputs {x, dy (a scalar)}, output dTV/dx·dy. Why kernels: as tfjs
 * ops (two ±1 convolutions, their mean squares and their gradients) TV took about 18 dispatches of a style iteration,
 * which on a GPU is bound by dispatching; these take three (the map, its sum, the gradient).
 */
export const TV_MAP = 'DreamstreamTvMap';
export const TV_GRAD = 'DreamstreamTvGrad';

const shapeOf = (t: tf.TensorInfo): Shape4 => {
  if (t.shape.length !== 4) throw new Error(`total variation: expected [B, H, W, C], got [${t.shape.join(', ')}]`);
  return t.shape as unknown as Shape4;
};

function wasmTvMap({ inputs, backend }: HeapKernelArgs): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  const shape = shapeOf(x);
  const { outs, outData, inData } = heapViews(backend as WasmHeapBackend, [x], [[shape[0], shape[1], shape[2], 1]]);
  tvMapLoop(inData[0]!, outData[0]!, shape);
  return outs[0]!;
}

function wasmTvGrad({ inputs, backend }: HeapKernelArgs): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const shape = shapeOf(x);
  const { outs, outData, inData } = heapViews(backend as WasmHeapBackend, [x, dy], [[...shape]]);
  tvGradLoop(inData[0]!, inData[1]![0]!, outData[0]!, shape);
  return outs[0]!;
}

/** Any other backend (cpu in tests): read, loop, write. */
function generic(run: (x: Float32Array, dy: number, out: Float32Array, shape: Shape4) => void, channels: (s: Shape4) => number): tf.KernelFunc {
  return ({ inputs, backend }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy?: tf.TensorInfo };
    const b = backend as tf.KernelBackend;
    const shape = shapeOf(x);
    const outShape = [shape[0], shape[1], shape[2], channels(shape)];
    const out = new Float32Array(outShape.reduce((p, q) => p * q, 1));
    run(b.readSync(x.dataId) as Float32Array, dy ? (b.readSync(dy.dataId) as Float32Array)[0]! : 0, out, shape);
    return { dataId: b.write(out, outShape, 'float32'), shape: outShape, dtype: 'float32' };
  };
}

/** Registers both kernels on every backend tfjs knows of (idempotent; a backend registered later is covered next call). */
export function registerTotalVariation(): void {
  registerOnEveryBackend(TV_MAP, { wasm: wasmTvMap, webgpu: webGpuTvMap, other: () => generic((x, _dy, out, s) => tvMapLoop(x, out, s), () => 1) });
  registerOnEveryBackend(TV_GRAD, { wasm: wasmTvGrad, webgpu: webGpuTvGrad, other: () => generic((x, dy, out, s) => tvGradLoop(x, dy, out, s), (s) => s[3]) });
}
