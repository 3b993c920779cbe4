import * as tf from '@tensorflow/tfjs';

/**
 * The parts of tfjs-backend-webgpu's program interface this kernel fills in (typed structurally, so the engine does
 * not import the backend package). tfjs generates the bindings and the `getXByOutputIndex` / `setOutputAtIndex`
 * helpers around getUserCode(); `main(index)` is its entry point for flat dispatches.
 */
interface FlatProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  size: boolean;
  getUserCode(): string;
}

interface WebGpuProgramRunner {
  runWebGPUProgram(program: FlatProgram, inputs: tf.TensorInfo[], dtype: tf.DataType): tf.TensorInfo;
}

const WORKGROUP = 128;

function reluMaskProgram(shape: number[]): FlatProgram {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    variableNames: ['G', 'Y'],
    outputShape: shape,
    shaderKey: 'dreamstream_relu_mask',
    dispatchLayout: { x: shape.map((_, i) => i) },
    // tfjs folds a dispatch wider than the device allows into two dimensions before running it.
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    size: true,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          setOutputAtIndex(index, select(0.0, getGByOutputIndex(index), getYByOutputIndex(index) > 0.0));
        }
      }`,
  };
}

/**
 * dy·[y > 0] as one WebGPU dispatch: the webgpu entry of the ReLU-mask kernel (./relu-mask.ts registers it). Under
 * tfjs's ops the ReLU's gradient is Step then Multiply: two dispatches and a temporary the size of the activation,
 * once per convolution per step. On a GPU the dream step is bound by dispatching, so one dispatch fewer per layer is
 * time saved.
 */
export const webGpuReluMask: tf.KernelFunc = ({ inputs, backend }) => {
  const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
  return (backend as WebGpuProgramRunner).runWebGPUProgram(reluMaskProgram([...dy.shape]), [dy, y], 'float32');
};
