import { registerOnEveryBackend } from '../../model/kernels/register';
import { loopImplementations } from '../../model/kernels/loop-kernel';
import { tvGradLoop, tvMapLoop, type Shape4 } from './tv-math';
import { webGpuTvGrad, webGpuTvMap } from './webgpu-tv';

/**
 * Total variation as two kernels (the formula is in ./tv-math.ts). TV_MAP: input {x [B,H,W,C]}, output [B,H,W,1],
 * each pixel's share (their sum is TV). TV_GRAD: inputs {x, dy (a scalar)}, output dTV/dx·dy. Why kernels: as tfjs
 * ops (two ±1 convolutions, their mean squares and their gradients) TV took about 18 dispatches of a style iteration,
 * which on a GPU is bound by dispatching; these take three (the map, its sum, the gradient).
 */
export const TV_MAP = 'DreamstreamTvMap';
export const TV_GRAD = 'DreamstreamTvGrad';

const shapeOf = (shape: number[]): Shape4 => {
  if (shape.length !== 4) throw new Error(`total variation: expected [B, H, W, C], got [${shape.join(', ')}]`);
  return shape as unknown as Shape4;
};

/** Registers both kernels on every backend tfjs knows of (idempotent; a backend registered later is covered next call). */
export function registerTotalVariation(): void {
  registerOnEveryBackend(TV_MAP, {
    ...loopImplementations({
      inputs: ['x'],
      outShapes: ([x]) => {
        const [b, h, w] = shapeOf(x!);
        return [[b, h, w, 1]];
      },
      loop: ([x], [out], [shape]) => tvMapLoop(x!, out!, shapeOf(shape!)),
    }),
    webgpu: webGpuTvMap,
  });
  registerOnEveryBackend(TV_GRAD, {
    ...loopImplementations({
      inputs: ['x', 'dy'],
      outShapes: ([x]) => [[...shapeOf(x!)]],
      loop: ([x, dy], [out], [shape]) => tvGradLoop(x!, dy![0]!, out!, shapeOf(shape!)),
    }),
    webgpu: webGpuTvGrad,
  });
}
