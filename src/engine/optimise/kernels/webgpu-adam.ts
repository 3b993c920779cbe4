import * as tf from '@tensorflow/tfjs';
import { flatProgram, type ProgramUniforms, type WebGpuProgramRunner } from '../../model/kernels/webgpu-program';
import { adamScalars, type AdamAttrs } from './adam-math';

/**
 * The moments, [2, n]: m' in the first row, v' in the second. The same operations in the same order as tfjs's
 * ops gave them (m·β₁ + g·(1 − β₁); v·β₂ + g²·(1 − β₂)), so the numbers are those of the ops.
 */
const momentsProgram = (shape: number[]) =>
  flatProgram(shape, 'dreamstream_adam_moments', ['G', 'S'], `
          let n = uniforms.size / 2;
          if (index < n) {
            setOutputAtIndex(index, S[index] * uniforms.b1 + G[index] * uniforms.d1);
          } else {
            let g = G[index - n];
            setOutputAtIndex(index, S[index] * uniforms.b2 + (g * g) * uniforms.d2);
          }`, 'b1 : f32, d1 : f32, b2 : f32, d2 : f32,');

/** The step from the new moments, x kept where it comes out NaN (tfjs's isnan: by the bits, not fast-math-able). */
const stepProgram = (shape: number[]) =>
  flatProgram(shape, 'dreamstream_adam_step', ['X', 'S'], `
          let mHat = S[index] / uniforms.c1;
          let vHat = S[index + uniforms.size] / uniforms.c2;
          let next = X[index] - (mHat / (sqrt(vHat) + uniforms.eps)) * uniforms.lr;
          setOutputAtIndex(index, select(next, X[index], isnan(next)));`, 'c1 : f32, c2 : f32, eps : f32, lr : f32,');

/** One entry per uniform field. */
const floats = (...values: number[]): ProgramUniforms => values.map((v) => ({ type: 'float32', data: [v] }));

/** The webgpu entry of ./adam-kernel.ts's kernel: two dispatches, the moments then the step. */
export const webGpuAdam: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, grad, moments } = inputs as { x: tf.TensorInfo; grad: tf.TensorInfo; moments: tf.TensorInfo };
  const b = backend as unknown as WebGpuProgramRunner;
  const s = adamScalars(attrs as unknown as AdamAttrs);
  const next = b.runWebGPUProgram(momentsProgram([...moments.shape]), [grad, moments], 'float32', floats(s.b1, 1 - s.b1, s.b2, 1 - s.b2));
  const step = b.runWebGPUProgram(stepProgram([...x.shape]), [x, next], 'float32', floats(s.c1, s.c2, s.eps, s.lr));
  return [step, next];
};
