import * as tf from '@tensorflow/tfjs';
import { registerOnEveryBackend } from '../../model/kernels/register';
import { loopImplementations } from '../../model/kernels/loop-kernel';
import { flatProgram, type WebGpuProgramRunner } from '../../model/kernels/webgpu-program';

/**
 * Kernel name of the colour guard's pull once the frame's channel moments are known (image/colour.ts, guardColour):
 * each pixel moves toward its channels matched to the reference's moments, by `strength`, and keeps to the gamut as a
 * dream step does: the move shortened (never clipped per channel) so that it takes at most `reach` of the room left
 * in every channel. As tfjs ops that was 20 dispatches of a stream frame on WebGPU; this is one.
 *
 * Inputs: x [1,H,W,3]; moments [2,3] (the frame's means, then its spreads: moments-kernel.ts); refMean, refStd (the
 * reference's), [1,1,1,3] each.
 * Attributes: strength, reach.
 */
export const COLOUR_GUARD = 'DreamstreamColourGuard';

export interface GuardAttrs {
  strength: number;
  reach: number;
  [key: string]: number;
}

/**
 * The arithmetic over pixels of three channels (every backend's definition; the WGSL below is the same), in the
 * order of the tfjs ops it replaces: step = (((x − mean)/std)·refStd + refMean − x)·strength; from x clipped to
 * [−1, 1], the largest t ≤ 1 that keeps each moving channel within it, times reach; the result clipped.
 */
function guardLoop(x: ArrayLike<number>, moments: Float32Array, rm: ArrayLike<number>, rs: ArrayLike<number>, a: GuardAttrs, out: Float32Array): void {
  const [m, sd] = [moments.subarray(0, 3), moments.subarray(3, 6)];
  const step = [0, 0, 0];
  const clipped = [0, 0, 0];
  for (let p = 0; p < out.length; p += 3) {
    let t = 1e30;
    for (let c = 0; c < 3; c++) {
      const v = x[p + c]!;
      const xc = Math.min(1, Math.max(-1, v));
      const st = (((v - m[c]!) / sd[c]!) * rs[c]! + rm[c]! - v) * a.strength;
      const room = st > 0 ? 1 - xc : -1 - xc;
      if (Math.abs(st) > 0) t = Math.min(t, room / st);
      step[c] = st;
      clipped[c] = xc;
    }
    t = Math.min(1, Math.max(0, t * a.reach));
    for (let c = 0; c < 3; c++) out[p + c] = Math.min(1, Math.max(-1, clipped[c]! + step[c]! * t));
  }
}

// One invocation per value: it reads its pixel's three channels for the shared t and writes its own channel.
const GUARD_WGSL = `
          let p = (index / 3) * 3;
          let own = index - p;
          var t = 1e30;
          var result = 0.0;
          for (var c = 0; c < 3; c++) {
            let v = X[p + c];
            let xc = clamp(v, -1.0, 1.0);
            let st = ((v - MO[c]) / MO[3 + c] * RS[c] + RM[c] - v) * uniforms.strength;
            let room = select(-1.0 - xc, 1.0 - xc, st > 0.0);
            if (abs(st) > 0.0) { t = min(t, room / st); }
            if (c == own) { result = xc; }
          }
          t = clamp(t * uniforms.reach, 0.0, 1.0);
          let v = X[index];
          let st = ((v - MO[own]) / MO[3 + own] * RS[own] + RM[own] - v) * uniforms.strength;
          setOutputAtIndex(index, clamp(result + st * t, -1.0, 1.0));`;

const webGpuGuard: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, moments, refMean, refStd } = inputs as Record<string, tf.TensorInfo>;
  const a = attrs as unknown as GuardAttrs;
  const program = flatProgram([...x!.shape], 'dreamstream_colour_guard', ['X', 'MO', 'RM', 'RS'], GUARD_WGSL, 'strength : f32, reach : f32,');
  return (backend as unknown as WebGpuProgramRunner).runWebGPUProgram(program, [x!, moments!, refMean!, refStd!], 'float32', [
    { type: 'float32', data: [a.strength] },
    { type: 'float32', data: [a.reach] },
  ]);
};

/** Registers the kernel on every backend tfjs knows of (idempotent; a backend registered later is covered next call). */
export function registerColourGuard(): void {
  registerOnEveryBackend(COLOUR_GUARD, {
    ...loopImplementations({
      inputs: ['x', 'moments', 'refMean', 'refStd'],
      outShapes: ([x]) => [x!],
      loop: ([x, moments, rm, rs], [out], _shapes, attrs) => guardLoop(x!, moments!, rm!, rs!, attrs as unknown as GuardAttrs, out!),
    }),
    webgpu: webGpuGuard,
  });
}
