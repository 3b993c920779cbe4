import * as tf from '@tensorflow/tfjs';
import { flatProgram, wgslFloat as f32, type FlatProgram, type WebGpuProgramRunner } from '../../model/kernels/webgpu-program';
import type { SampleAttrs } from './sample';

/**
 * The program for one geometry. Sizes and scales are constants of the shader (a working size never changes from
 * frame to frame, so each size compiles once) and part of its key.
 */
function sampleProgram([h, w, c]: number[], [oh, ow]: number[], { scaleX, scaleY }: SampleAttrs): FlatProgram {
  return flatProgram([1, oh!, ow!, c!], `dreamstream_bilinear_sample_${h}_${w}_${c}_${oh}_${ow}_${scaleX}_${scaleY}`, ['I', 'F'], `
          let k = index % ${c};
          let p = index / ${c};
          let x = p % ${ow};
          let y = p / ${ow};
          let sx = clamp(f32(x) * ${f32(scaleX)} + F[2 * p], 0.0, ${f32(w! - 1)});
          let sy = clamp(f32(y) * ${f32(scaleY)} + F[2 * p + 1], 0.0, ${f32(h! - 1)});
          let x0 = min(i32(floor(sx)), ${w! - 2});
          let y0 = min(i32(floor(sy)), ${h! - 2});
          let ax = sx - f32(x0);
          let ay = sy - f32(y0);
          let i00 = (y0 * ${w} + x0) * ${c} + k;
          let i10 = i00 + ${w! * c!};
          let top = mix(I[i00], I[i00 + ${c}], ax);
          let bottom = mix(I[i10], I[i10 + ${c}], ax);
          setOutputAtIndex(index, mix(top, bottom, ay));`);
}

/** Bilinear sampling at per-pixel points as one WebGPU dispatch: the webgpu entry of ./sample.ts's kernel. */
export const webGpuBilinearSample: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { image, flow } = inputs as { image: tf.TensorInfo; flow: tf.TensorInfo };
  const program = sampleProgram(image.shape.slice(1), flow.shape.slice(1), attrs as unknown as SampleAttrs);
  return (backend as unknown as WebGpuProgramRunner).runWebGPUProgram(program, [image, flow], 'float32');
};
