import * as tf from '@tensorflow/tfjs';
import { loopImplementations } from '../../model/kernels/loop-kernel';
import { registerOnEveryBackend } from '../../model/kernels/register';
import { flatProgram, type WebGpuProgramRunner } from '../../model/kernels/webgpu-program';

/**
 * Kernel names of the stream's feedback transform once its taps are known (image/frame-mover.ts): each output value
 * is a weighted sum of 16 input values of its channel, clipped to [−1, 1]. As tfjs ops that was a gather, a
 * multiply and a sum per axis and a clip, with [H,W,4,C] intermediates: nine dispatches of a stream frame on
 * WebGPU (measured: 91 → 83 a frame), several passes over the picture on wasm; this is one of each. The frame's
 * width is a uniform, so a new working size compiles nothing.
 *
 * Tap indices are float32 (exact below 2^24, and a frame's pixel count is far below): the loops read every input as
 * floats, and one dtype keeps the kernels alike on every backend.
 */

/** Separable (no rotation). Inputs: x [1,H,W,C]; colIndex, colWeight [W,4]; rowIndex, rowWeight [H,4]. */
export const FRAME_MOVE_SEPARABLE = 'DreamstreamFrameMoveSeparable';
/** Any motion. Inputs: x [1,H,W,C]; index, weight [H·W,16] (flat source pixel and weight of each tap). */
export const FRAME_MOVE_TAPS = 'DreamstreamFrameMoveTaps';

const clip = (v: number) => Math.min(1, Math.max(-1, v));

/** Σ_j rowWeight·(Σ_i colWeight·x) in the order of the ops it replaces: across the row first, then down. */
function separableLoop(x: Float32Array, ci: Float32Array, cw: Float32Array, ri: Float32Array, rw: Float32Array, [, h, w, c]: number[], out: Float32Array): void {
  for (let y = 0; y < h!; y++) {
    for (let px = 0; px < w!; px++) {
      for (let ch = 0; ch < c!; ch++) {
        let acc = 0;
        for (let j = 0; j < 4; j++) {
          const row = ri[y * 4 + j]! * w!;
          let across = 0;
          for (let i = 0; i < 4; i++) across += cw[px * 4 + i]! * x[(row + ci[px * 4 + i]!) * c! + ch]!;
          acc += rw[y * 4 + j]! * across;
        }
        out[(y * w! + px) * c! + ch] = clip(acc);
      }
    }
  }
}

function tapsLoop(x: Float32Array, index: Float32Array, weight: Float32Array, c: number, out: Float32Array): void {
  for (let p = 0; p < out.length / c; p++) {
    for (let ch = 0; ch < c; ch++) {
      let acc = 0;
      for (let k = 0; k < 16; k++) acc += weight[p * 16 + k]! * x[index[p * 16 + k]! * c + ch]!;
      out[p * c + ch] = clip(acc);
    }
  }
}

/** What the separable move's WGSL reads, as WGSL names, and the frame's width and channels. */
export interface SeparableNames {
  x: string;
  colIndex: string;
  colWeight: string;
  rowIndex: string;
  rowWeight: string;
  width: string;
  channels: number;
}

/**
 * The separable move's WGSL for value \`v\` (u32), leaving the clipped sum in \`moved\`: across the row first, then
 * down. Shared by the tfjs kernel below and the stream frame's plan (plan/wgsl/stream-tail.ts).
 */
export const separableMoveWgsl = (n: SeparableNames) => `
          let ch = v % ${n.channels}u;
          let px = (v / ${n.channels}u) % ${n.width};
          let y = v / (${n.channels}u * ${n.width});
          var acc = 0.0;
          for (var j = 0u; j < 4u; j++) {
            let row = u32(${n.rowIndex}[y * 4u + j]) * ${n.width};
            var across = 0.0;
            for (var i = 0u; i < 4u; i++) {
              across += ${n.colWeight}[px * 4u + i] * ${n.x}[(row + u32(${n.colIndex}[px * 4u + i])) * ${n.channels}u + ch];
            }
            acc += ${n.rowWeight}[y * 4u + j] * across;
          }
          let moved = clamp(acc, -1.0, 1.0);`;

const separableWgsl = (c: number) => `
          let v = u32(index);
          ${separableMoveWgsl({ x: 'X', colIndex: 'CI', colWeight: 'CW', rowIndex: 'RI', rowWeight: 'RW', width: 'u32(uniforms.width)', channels: c })}
          setOutputAtIndex(index, moved);`;

/**
 * The 16-tap move's WGSL for value \`v\` (u32), leaving the clipped sum in \`moved\`. Shared by the tfjs kernel below
 * and the stream frame's plan (plan/wgsl/stream-tail.ts).
 */
export const squareMoveWgsl = (n: { x: string; index: string; weight: string; channels: number }) => `
          let ch = v % ${n.channels}u;
          let p = v / ${n.channels}u;
          var acc = 0.0;
          for (var k = 0u; k < 16u; k++) {
            acc += ${n.weight}[p * 16u + k] * ${n.x}[u32(${n.index}[p * 16u + k]) * ${n.channels}u + ch];
          }
          let moved = clamp(acc, -1.0, 1.0);`;

const tapsWgsl = (c: number) => `
          let v = u32(index);
          ${squareMoveWgsl({ x: 'X', index: 'TI', weight: 'TW', channels: c })}
          setOutputAtIndex(index, moved);`;

const webGpuSeparable: tf.KernelFunc = ({ inputs, backend }) => {
  const { x, colIndex, colWeight, rowIndex, rowWeight } = inputs as Record<string, tf.TensorInfo>;
  const [, , w, c] = x!.shape as number[];
  const program = flatProgram([...x!.shape], `dreamstream_move_separable_${c}`, ['X', 'CI', 'CW', 'RI', 'RW'], separableWgsl(c!), 'width : i32,');
  return (backend as unknown as WebGpuProgramRunner).runWebGPUProgram(program, [x!, colIndex!, colWeight!, rowIndex!, rowWeight!], 'float32', [{ type: 'int32', data: [w!] }]);
};

const webGpuTaps: tf.KernelFunc = ({ inputs, backend }) => {
  const { x, index, weight } = inputs as Record<string, tf.TensorInfo>;
  const c = x!.shape[3]!;
  const program = flatProgram([...x!.shape], `dreamstream_move_taps_${c}`, ['X', 'TI', 'TW'], tapsWgsl(c));
  return (backend as unknown as WebGpuProgramRunner).runWebGPUProgram(program, [x!, index!, weight!], 'float32');
};

/** Registers both kernels on every backend tfjs knows of (idempotent, as registerOnEveryBackend is). */
export function registerFrameMove(): void {
  registerOnEveryBackend(FRAME_MOVE_SEPARABLE, {
    ...loopImplementations({
      inputs: ['x', 'colIndex', 'colWeight', 'rowIndex', 'rowWeight'],
      outShapes: ([x]) => [x!],
      loop: ([x, ci, cw, ri, rw], [out], [shape]) => separableLoop(x!, ci!, cw!, ri!, rw!, shape!, out!),
    }),
    webgpu: webGpuSeparable,
  });
  registerOnEveryBackend(FRAME_MOVE_TAPS, {
    ...loopImplementations({
      inputs: ['x', 'index', 'weight'],
      outShapes: ([x]) => [x!],
      loop: ([x, index, weight], [out], [shape]) => tapsLoop(x!, index!, weight!, shape![3]!, out!),
    }),
    webgpu: webGpuTaps,
  });
}
