import { guardWgsl } from '../../image/kernels/guard-kernel';
import { MOMENTS_EPSILON } from '../../image/kernels/moments-kernel';
import { separableMoveWgsl, squareMoveWgsl } from '../../image/kernels/move-kernel';
import { Binder, elementwiseKernel, own, WORKGROUP_SUM, type Kernel } from './kernel';

/*
 * A stream frame's tail as kernels with their bind groups made once (sessions/stream-session.ts, advance): the
 * feedback transform (the separable Catmull-Rom taps: image/frame-mover.ts), the frame's channel moments and the
 * colour guard, the same WGSL arithmetic as the tfjs kernels of image/kernels/. The frame, the taps and the
 * reference are copied into the tail's own buffers each frame; the guard's strength is its own uniform.
 */

/** The buffers the tail's kernels name (plan/stream-tail.ts makes each). */
export const tailBuffer = {
  frame: own('frame in'),
  colIndex: own('column taps'),
  colWeight: own('column weights'),
  rowIndex: own('row taps'),
  rowWeight: own('row weights'),
  /** A turned frame's 16 taps per pixel: the FrameMover's own tensors, bound as they are while the motion stays. */
  squareIndex: own('square taps'),
  squareWeight: own('square weights'),
  moved: own('moved'),
  moments: own('moments'),
  refMean: own('reference mean'),
  refStd: own('reference spread'),
  guarded: own('guarded'),
  guard: own('guard scalars'),
};

/** The guard's scalars: strength and reach (writeBuffer when they change). */
const GUARD_STRUCT = 'struct Guard { strength: f32, reach: f32, pad0: f32, pad1: f32 };';

/**
 * The feedback transform: the moved frame, clipped. Separable taps without rotation (copied into the tail's
 * buffers), 16 taps a pixel when the frame turns (the frame mover's own, bound as they are).
 */
export function moveKernel(h: number, w: number, kind: 'separable' | 'square'): Kernel {
  const b = new Binder();
  const x = b.bind(tailBuffer.frame, 'X', 'read');
  const body =
    kind === 'separable'
      ? separableMoveWgsl({
          x,
          colIndex: b.bind(tailBuffer.colIndex, 'CI', 'read'),
          colWeight: b.bind(tailBuffer.colWeight, 'CW', 'read'),
          rowIndex: b.bind(tailBuffer.rowIndex, 'RI', 'read'),
          rowWeight: b.bind(tailBuffer.rowWeight, 'RW', 'read'),
          width: `${w}u`,
          channels: 3,
        })
      : squareMoveWgsl({ x, index: b.bind(tailBuffer.squareIndex, 'TI', 'read'), weight: b.bind(tailBuffer.squareWeight, 'TW', 'read'), channels: 3 });
  const M = b.bind(tailBuffer.moved, 'M', 'read_write');
  return elementwiseKernel(kind === 'separable' ? 'stream move' : 'stream move, turned', b, h * w * 3, `let v = i;
  ${body}
  ${M}[i] = moved;`);
}

/**
 * The moved frame's per-channel mean and spread (sqrt(variance + ε)) into [6]: one 256-lane workgroup per channel,
 * the mean first and then the squared deviations from it, as image/kernels/moments-kernel.ts sums them.
 */
export function momentsKernel(h: number, w: number): Kernel {
  const b = new Binder();
  const M = b.bind(tailBuffer.moved, 'M', 'read');
  const MO = b.bind(tailBuffer.moments, 'MO', 'read_write');
  const pixels = h * w;
  const code = /* wgsl */ `
${b.wgsl()}
var<workgroup> red: array<f32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let ch = wg.x;
  var value = 0.0;
  for (var p = lid; p < ${pixels}u; p += 256u) { value += ${M}[p * 3u + ch]; }
  ${WORKGROUP_SUM}
  let mean = red[0] / f32(${pixels});
  workgroupBarrier();
  value = 0.0;
  for (var p = lid; p < ${pixels}u; p += 256u) {
    let d = ${M}[p * 3u + ch] - mean;
    value += d * d;
  }
  ${WORKGROUP_SUM}
  if (lid == 0u) {
    ${MO}[ch] = mean;
    ${MO}[3u + ch] = sqrt(red[0] / f32(${pixels}) + ${MOMENTS_EPSILON});
  }
}`;
  return { label: 'stream moments', code, resources: b.resources, grid: [3, 1] };
}

/** The colour guard's pull toward the reference's moments, kept to the gamut. */
export function guardKernel(h: number, w: number): Kernel {
  const b = new Binder();
  const names = {
    x: b.bind(tailBuffer.moved, 'X', 'read'),
    moments: b.bind(tailBuffer.moments, 'MO', 'read'),
    refMean: b.bind(tailBuffer.refMean, 'RM', 'read'),
    refStd: b.bind(tailBuffer.refStd, 'RS', 'read'),
    strength: 'guard.strength',
    reach: 'guard.reach',
  };
  b.bind(tailBuffer.guard, 'guard', 'uniform', 'Guard');
  const G = b.bind(tailBuffer.guarded, 'G', 'read_write');
  return elementwiseKernel(
    'stream colour guard',
    b,
    h * w * 3,
    `let v = i;
  ${guardWgsl(names)}
  ${G}[i] = guarded;`,
    GUARD_STRUCT,
  );
}
