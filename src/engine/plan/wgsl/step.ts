import type { PlanKey, SeedOp, View } from '../types';
import { at, Binder, FRAME_STRUCT, linearGrid, linearIndex, type Kernel } from './kernel';

/** A workgroup's sum of `value` into red[0] (every thread must reach it). */
const REDUCE = `
  red[lid] = value;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] += red[lid + s]; }
    workgroupBarrier();
  }`;

/**
 * The objective's gradient at one layer, written where the backward pass starts, and that layer's share of the
 * loss as one partial sum per workgroup: l2 is w·½·mean(a²) with gradient w·a/N, mean is w·mean(a) with w/N.
 */
export function seedKernel(op: SeedOp, key: PlanKey, partialBase: number): { kernel: Kernel; partials: number } {
  const v = op.view;
  const n = v.h * v.w * v.c;
  const grid = linearGrid(n);
  const groups = grid[0] * grid[1];
  const b = new Binder();
  const A = b.bind({ type: 'act', buf: v.buf }, 'A', 'read');
  const G = b.bind({ type: 'grad', buf: v.buf }, 'G', 'read_write');
  b.bind({ type: 'lossPartials' }, 'LP', 'read_write');
  b.bind({ type: 'frame' }, 'frame', 'uniform', 'Frame');
  const chosen = key.channel < 0 ? 'true' : `c == ${key.channel}u`;
  const count = v.h * v.w * (key.channel < 0 ? v.c : 1);
  const l2 = key.objective === 'l2';
  const target = `${G}[i]`;
  const code = /* wgsl */ `
${FRAME_STRUCT}
${b.wgsl()}
var<workgroup> red: array<f32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let idx = ${linearIndex(grid)};
  var value = 0.0;
  if (idx < ${n}u) {
    let c = idx % ${v.c}u;
    let i = ${at(v, `idx / ${v.c}u`, 'c')};
    let a = ${A}[i];
    let w = frame.weights[${op.slot >> 2}][${op.slot & 3}] / ${count}.0;
    var g = 0.0;
    if (${chosen}) {
      g = w * ${l2 ? 'a' : '1.0'};
      value = w * ${l2 ? '0.5 * a * a' : 'a'};
    }
    ${op.mode === 'store' ? `${target} = g;` : `${target} = ${target} + g;`}
  }
  ${REDUCE}
  if (lid == 0u) { LP[${partialBase}u + wg.y * ${grid[0]}u + wg.x] = red[0]; }
}`;
  return { kernel: { label: `objective ${op.layer}`, code, resources: b.resources, grid }, partials: groups };
}

/** Workgroups of the gradient statistics pass: a fixed number, each striding over the picture. */
export const STAT_GROUPS = 256;

/** Per workgroup: Σg and Σg² (std) or Σ|g| (mean-abs) of the picture's gradient. */
export function statsKernel(input: View, key: PlanKey): Kernel {
  const n = input.h * input.w * input.c;
  const b = new Binder();
  b.bind({ type: 'grad', buf: input.buf }, 'G', 'read');
  b.bind({ type: 'statPartials' }, 'SP', 'read_write');
  const code = /* wgsl */ `
${b.wgsl()}
var<workgroup> red: array<f32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  var q = 0.0;
  for (var i = wg.x * 256u + lid; i < ${n}u; i += ${STAT_GROUPS * 256}u) {
    let g = G[i];
    ${key.normalise === 'std' ? 's += g; q += g * g;' : 's += abs(g);'}
  }
  var value = s;
  ${REDUCE}
  if (lid == 0u) { SP[wg.x * 2u] = red[0]; }
  workgroupBarrier();
  value = q;
  ${REDUCE}
  if (lid == 0u) { SP[wg.x * 2u + 1u] = red[0]; }
}`;
  return { label: 'gradient statistics', code, resources: b.resources, grid: [STAT_GROUPS, 1] };
}

/** One workgroup: the step's scale (step size over the gradient's std or mean |g|) and the loss, into `result`. */
export function finalKernel(input: View, key: PlanKey, lossPartials: number): Kernel {
  const n = input.h * input.w * input.c;
  const b = new Binder();
  b.bind({ type: 'statPartials' }, 'SP', 'read');
  b.bind({ type: 'lossPartials' }, 'LP', 'read');
  b.bind({ type: 'result' }, 'R', 'read_write');
  b.bind({ type: 'frame' }, 'frame', 'uniform', 'Frame');
  const code = /* wgsl */ `
${FRAME_STRUCT}
${b.wgsl()}
var<workgroup> red: array<f32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32) {
  var value = 0.0;
  for (var i = lid; i < ${STAT_GROUPS}u; i += 256u) { value += SP[i * 2u]; }
  ${REDUCE}
  let s = red[0];
  workgroupBarrier();
  value = 0.0;
  for (var i = lid; i < ${STAT_GROUPS}u; i += 256u) { value += SP[i * 2u + 1u]; }
  ${REDUCE}
  let q = red[0];
  workgroupBarrier();
  value = 0.0;
  for (var i = lid; i < ${lossPartials}u; i += 256u) { value += LP[i]; }
  ${REDUCE}
  if (lid == 0u) {
    let mean = s / ${n}.0;
    ${key.normalise === 'std' ? 'let spread = sqrt(max(q / ' + n + '.0 - mean * mean, 0.0));' : 'let spread = mean;'}
    R[0] = frame.step / (spread + 1e-8);
    R[1] = red[0];
  }
}`;
  return { label: 'step scale and loss', code, resources: b.resources, grid: [1, 1] };
}

/**
 * x ← clip(x + scale·g), the gradient read at the rolled position (so the roll is undone here, not by a copy); a
 * pixel that would become NaN keeps its value, so one bad step cannot poison a stream.
 */
export function updateKernel(input: View): Kernel {
  const n = input.h * input.w * input.c;
  const grid = linearGrid(n);
  const b = new Binder();
  b.bind({ type: 'act', buf: input.buf }, 'X', 'read');
  b.bind({ type: 'grad', buf: input.buf }, 'G', 'read');
  b.bind({ type: 'result' }, 'R', 'read');
  b.bind({ type: 'output' }, 'OUT', 'read_write');
  b.bind({ type: 'frame' }, 'frame', 'uniform', 'Frame');
  const code = /* wgsl */ `
${FRAME_STRUCT}
${b.wgsl()}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let idx = ${linearIndex(grid)};
  if (idx >= ${n}u) { return; }
  let p = idx / 3u;
  let c = idx % 3u;
  let y = (p / ${input.w}u + frame.dy) % ${input.h}u;
  let x = (p % ${input.w}u + frame.dx) % ${input.w}u;
  let src = X[idx];
  let v = src + G[(y * ${input.w}u + x) * 3u + c] * R[0];
  let finite = (bitcast<u32>(v) & 0x7fffffffu) <= 0x7f800000u;
  OUT[idx] = clamp(select(src, v, finite), -1.0, 1.0);
}`;
  return { label: 'ascent step', code, resources: b.resources, grid };
}
