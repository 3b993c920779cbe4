import type * as tf from '@tensorflow/tfjs';

/**
 * The parts of tfjs-backend-webgpu's program interface that this project's own kernels fill in (typed structurally,
 * so the engine does not import the backend package). tfjs generates the bindings, the uniforms it always has
 * (`uniforms.size`, the shapes) and helpers such as `getXByOutputIndex` / `setOutputAtIndex` around getUserCode();
 * `main(index)` is its entry point for flat dispatches.
 */
export interface FlatProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  size: boolean;
  /** WGSL fields appended to tfjs's uniform struct, one `name : f32,` per value passed at run time. */
  uniforms?: string;
  getUserCode(): string;
}

/** One uniform value per field of FlatProgram.uniforms, in order (tfjs aligns each entry by its own length). */
export type ProgramUniforms = Array<{ type: 'float32' | 'int32'; data: number[] }>;

export interface WebGpuProgramRunner {
  runWebGPUProgram(program: FlatProgram, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: ProgramUniforms): tf.TensorInfo;
}

const WORKGROUP = 128;

/** A WGSL float literal: always with a point or an exponent, so `1` is not read as an integer. */
export const wgslFloat = (v: number): string => (Number.isInteger(v) ? `${v}.0` : String(v));

/**
 * A program with one invocation per output value: `body` runs with `index` (the flat output index) below the
 * output's size. `key` names the shader: sizes the body bakes in as constants must be part of it.
 */
export function flatProgram(shape: number[], key: string, variableNames: string[], body: string, uniforms?: string): FlatProgram {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    variableNames,
    outputShape: shape,
    shaderKey: key,
    dispatchLayout: { x: shape.map((_, i) => i) },
    // tfjs folds a dispatch wider than the device allows into two dimensions before running it.
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    size: true,
    ...(uniforms ? { uniforms } : {}),
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }`,
  };
}
