import * as tf from '@tensorflow/tfjs';
import { flatProgram, type WebGpuProgramRunner } from './webgpu-program';

/**
 * dy·[y > 0] as one WebGPU dispatch: the webgpu entry of the ReLU-mask kernel (./relu-mask.ts registers it). Under
 * tfjs's ops the ReLU's gradient is Step then Multiply: two dispatches and a temporary the size of the activation,
 * once per convolution per step. On a GPU the dream step is bound by dispatching, so one dispatch fewer per layer is
 * time saved.
 */
export const webGpuReluMask: tf.KernelFunc = ({ inputs, backend }) => {
  const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
  const program = flatProgram([...dy.shape], 'dreamstream_relu_mask', ['G', 'Y'], 'setOutputAtIndex(index, select(0.0, getGByOutputIndex(index), getYByOutputIndex(index) > 0.0));');
  return (backend as unknown as WebGpuProgramRunner).runWebGPUProgram(program, [dy, y], 'float32');
};
