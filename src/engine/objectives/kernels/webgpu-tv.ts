import * as tf from '@tensorflow/tfjs';
import { flatProgram, wgslFloat as f32, type WebGpuProgramRunner } from '../../model/kernels/webgpu-program';
import { tvScales, type Shape4 } from './tv-math';

/** The row and column of pixel `p`. Sizes are constants of the shader, and in its key. */
const where = ([, h, w]: Shape4, p: string) => `
          let i = (${p} / ${w}) % ${h};
          let j = ${p} % ${w};`;

/** One invocation per pixel: its differences below and to the right, squared and scaled (./tv-math.ts's tvMapLoop). */
function mapProgram(shape: Shape4) {
  const [b, h, w, c] = shape;
  const [sv, sh] = tvScales(shape);
  return flatProgram([b, h, w, 1], `dreamstream_tv_map_${h}_${w}_${c}`, ['X'], `${where(shape, 'index')}
          let at = index * ${c};
          var sum = 0.0;
          for (var k = 0; k < ${c}; k++) {
            let v = X[at + k];
            if (i < ${h - 1}) { let d = X[at + ${w * c} + k] - v; sum += d * d * ${f32(sv)}; }
            if (j < ${w - 1}) { let d = X[at + ${c} + k] - v; sum += d * d * ${f32(sh)}; }
          }
          setOutputAtIndex(index, sum);`);
}

/** One invocation per value: the gradient times dy (./tv-math.ts's tvGradLoop). */
function gradProgram(shape: Shape4) {
  const [, h, w, c] = shape;
  const [sv, sh] = tvScales(shape);
  return flatProgram([...shape], `dreamstream_tv_grad_${h}_${w}_${c}`, ['X', 'D'], `
          let p = index / ${c};${where(shape, 'p')}
          let v = X[index];
          let gv = ${f32(2 * sv)} * D[0];
          let gh = ${f32(2 * sh)} * D[0];
          var g = 0.0;
          if (i > 0) { g += gv * (v - X[index - ${w * c}]); }
          if (i < ${h - 1}) { g -= gv * (X[index + ${w * c}] - v); }
          if (j > 0) { g += gh * (v - X[index - ${c}]); }
          if (j < ${w - 1}) { g -= gh * (X[index + ${c}] - v); }
          setOutputAtIndex(index, g);`);
}

export const webGpuTvMap: tf.KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as { x: tf.TensorInfo };
  return (backend as unknown as WebGpuProgramRunner).runWebGPUProgram(mapProgram(x.shape as unknown as Shape4), [x], 'float32');
};

export const webGpuTvGrad: tf.KernelFunc = ({ inputs, backend }) => {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  return (backend as unknown as WebGpuProgramRunner).runWebGPUProgram(gradProgram(x.shape as unknown as Shape4), [x, dy], 'float32');
};
