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

/** What the guard's WGSL reads and writes, as WGSL expressions. */
export interface GuardNames {
  x: string;
  moments: string;
  refMean: string;
  refStd: string;
  strength: string;
  reach: string;
}

/**
 * The guard's WGSL for value \`v\` (u32) of the frame, leaving its result in \`guarded\`: one invocation per value,
 * reading its pixel's three channels for the shared t and writing its own channel. Shared by the tfjs kernel below
 * and the stream frame's plan (plan/wgsl/stream-tail.ts).
 */
export const guardWgsl = (n: GuardNames) => `
          let p = (v / 3u) * 3u;
          let own = v - p;
          var t = 1e30;
          var result = 0.0;
          for (var c = 0u; c < 3u; c++) {
            let xv = ${n.x}[p + c];
            let xc = clamp(xv, -1.0, 1.0);
            let st = ((xv - ${n.moments}[c]) / ${n.moments}[3u + c] * ${n.refStd}[c] + ${n.refMean}[c] - xv) * ${n.strength};
            let room = select(-1.0 - xc, 1.0 - xc, st > 0.0);
            if (abs(st) > 0.0) { t = min(t, room / st); }
            if (c == own) { result = xc; }
          }
          t = clamp(t * ${n.reach}, 0.0, 1.0);
          let xo = ${n.x}[v];
          let so = ((xo - ${n.moments}[own]) / ${n.moments}[3u + own] * ${n.refStd}[own] + ${n.refMean}[own] - xo) * ${n.strength};
          let guarded = clamp(result + so * t, -1.0, 1.0);`;

const GUARD_WGSL = `
          let v = u32(index);
          ${guardWgsl({ x: 'X', moments: 'MO', refMean: 'RM', refStd: 'RS', strength: 'uniforms.strength', reach: 'uniforms.reach' })}
          setOutputAtIndex(index, guarded);`;

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
