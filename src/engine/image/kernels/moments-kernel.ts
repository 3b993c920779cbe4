import * as tf from '@tensorflow/tfjs';
import { loopImplementations } from '../../model/kernels/loop-kernel';
import { registerOnEveryBackend } from '../../model/kernels/register';
import type { FlatProgram, WebGpuProgramRunner } from '../../model/kernels/webgpu-program';

/**
 * Kernel name of a frame's per-channel moments: x [1,H,W,C] → [2,C], the means in the first row and the standard
 * deviations, sqrt(variance + 1e-6), in the second. The colour guard reads them every stream frame; tf.moments and
 * the square root were eight dispatches of tfjs's on WebGPU (measured: 83 → 76 a frame), this is one.
 */
export const CHANNEL_MOMENTS = 'DreamstreamChannelMoments';

/** Added to the variance before the root: a flat channel has a spread of 0.001, never 0 (the guard divides by it). */
export const MOMENTS_EPSILON = 1e-6;

/** Two passes (the mean, then the squared deviations from it), summed in double precision. */
function momentsLoop(x: Float32Array, c: number, out: Float32Array): void {
  const pixels = x.length / c;
  for (let ch = 0; ch < c; ch++) {
    let sum = 0;
    for (let p = 0; p < pixels; p++) sum += x[p * c + ch]!;
    const mean = sum / pixels;
    let squares = 0;
    for (let p = 0; p < pixels; p++) {
      const d = x[p * c + ch]! - mean;
      squares += d * d;
    }
    out[ch] = mean;
    out[c + ch] = Math.sqrt(squares / pixels + MOMENTS_EPSILON);
  }
}

const LANES = 256;

/**
 * One workgroup per channel: each lane sums a stride of the pixels, the lanes' sums are added in a tree in workgroup
 * memory, and the same again for the squared deviations from the mean. No `index < size` guard around it: every
 * lane must reach every barrier.
 */
function momentsProgram(c: number): FlatProgram {
  const tree = `
          lanes[lane] = acc;
          workgroupBarrier();
          for (var half = ${LANES / 2}; half > 0; half = half / 2) {
            if (lane < half) { lanes[lane] = lanes[lane] + lanes[lane + half]; }
            workgroupBarrier();
          }`;
  return {
    variableNames: ['X'],
    outputShape: [2, c],
    shaderKey: `dreamstream_channel_moments_${c}`,
    dispatchLayout: { x: [0, 1] },
    dispatch: [c, 1, 1],
    workgroupSize: [LANES, 1, 1],
    size: true,
    // The pixel count as a uniform: one shader for every frame size.
    uniforms: 'pixels : i32,',
    getUserCode: () => `
      var<workgroup> lanes : array<f32, ${LANES}>;
      var<workgroup> channelMean : f32;
      fn main(index : i32) {
        let ch = index / ${LANES};
        let lane = i32(localId.x);
        var acc = 0.0;
        for (var p = lane; p < uniforms.pixels; p = p + ${LANES}) { acc = acc + X[p * ${c} + ch]; }
        ${tree}
        if (lane == 0) { channelMean = lanes[0] / f32(uniforms.pixels); }
        workgroupBarrier();
        let mean = channelMean;
        acc = 0.0;
        for (var p = lane; p < uniforms.pixels; p = p + ${LANES}) {
          let d = X[p * ${c} + ch] - mean;
          acc = acc + d * d;
        }
        ${tree}
        if (lane == 0) {
          setOutputAtIndex(ch, mean);
          setOutputAtIndex(${c} + ch, sqrt(lanes[0] / f32(uniforms.pixels) + ${MOMENTS_EPSILON}));
        }
      }`,
  };
}

const webGpuMoments: tf.KernelFunc = ({ inputs, backend }) => {
  const x = (inputs as Record<string, tf.TensorInfo>).x!;
  const [, h, w, c] = x.shape as number[];
  return (backend as unknown as WebGpuProgramRunner).runWebGPUProgram(momentsProgram(c!), [x], 'float32', [{ type: 'int32', data: [h! * w!] }]);
};

/** Registers the kernel on every backend tfjs knows of (idempotent, as registerOnEveryBackend is). */
export function registerChannelMoments(): void {
  registerOnEveryBackend(CHANNEL_MOMENTS, {
    ...loopImplementations({
      inputs: ['x'],
      outShapes: ([x]) => [[2, x![3]!]],
      loop: ([x], [out], [shape]) => momentsLoop(x!, shape![3]!, out!),
    }),
    webgpu: webGpuMoments,
  });
}
