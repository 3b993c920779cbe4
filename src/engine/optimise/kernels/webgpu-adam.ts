import * as tf from '@tensorflow/tfjs';
import { adamScalars, type AdamAttrs } from './adam-math';

/** The parts of tfjs-backend-webgpu's program interface this kernel fills in (as in model/kernels/webgpu-relu-mask.ts). */
interface FlatProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  size: boolean;
  uniforms: string;
  getUserCode(): string;
}

interface WebGpuProgramRunner {
  runWebGPUProgram(program: FlatProgram, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms: Array<{ type: 'float32'; data: number[] }>): tf.TensorInfo;
}

const WORKGROUP = 128;

function flat(shape: number[], key: string, variableNames: string[], uniforms: string, body: string): FlatProgram {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    variableNames,
    outputShape: shape,
    shaderKey: key,
    dispatchLayout: { x: shape.map((_, i) => i) },
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    size: true,
    uniforms,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }`,
  };
}

/**
 * The moments, [2, n]: m' in the first row, v' in the second. The same operations in the same order as tfjs's
 * ops gave them (m·β₁ + g·(1 − β₁); v·β₂ + g²·(1 − β₂)), so the numbers are those of the ops.
 */
const momentsProgram = (shape: number[]) =>
  flat(shape, 'dreamstream_adam_moments', ['G', 'S'], 'b1 : f32, d1 : f32, b2 : f32, d2 : f32,', `
          let n = uniforms.size / 2;
          if (index < n) {
            setOutputAtIndex(index, S[index] * uniforms.b1 + G[index] * uniforms.d1);
          } else {
            let g = G[index - n];
            setOutputAtIndex(index, S[index] * uniforms.b2 + (g * g) * uniforms.d2);
          }`);

/** The step from the new moments, x kept where it comes out NaN (tfjs's isnan: by the bits, not fast-math-able). */
const stepProgram = (shape: number[]) =>
  flat(shape, 'dreamstream_adam_step', ['X', 'S'], 'c1 : f32, c2 : f32, eps : f32, lr : f32,', `
          let mHat = S[index] / uniforms.c1;
          let vHat = S[index + uniforms.size] / uniforms.c2;
          let next = X[index] - (mHat / (sqrt(vHat) + uniforms.eps)) * uniforms.lr;
          setOutputAtIndex(index, select(next, X[index], isnan(next)));`);

/** The webgpu entry of ./adam-kernel.ts's kernel: two dispatches, the moments then the step. */
export const webGpuAdam: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, grad, moments } = inputs as { x: tf.TensorInfo; grad: tf.TensorInfo; moments: tf.TensorInfo };
  const b = backend as unknown as WebGpuProgramRunner;
  const s = adamScalars(attrs as unknown as AdamAttrs);
  // One entry per field: tfjs lays each entry out by its own length's alignment.
  const f32 = (...values: number[]) => values.map((v) => ({ type: 'float32' as const, data: [v] }));
  const next = b.runWebGPUProgram(momentsProgram([...moments.shape]), [grad, moments], 'float32', f32(s.b1, 1 - s.b1, s.b2, 1 - s.b2));
  const step = b.runWebGPUProgram(stepProgram([...x.shape]), [x, next], 'float32', f32(s.c1, s.c2, s.eps, s.lr));
  return [step, next];
};
