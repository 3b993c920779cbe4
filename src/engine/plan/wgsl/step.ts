import { CHROMA_TAPS, RGB_TO_YIQ, YIQ_TO_RGB } from '../../optimise/colour-step';
import type { PlanKey, SeedOp, View } from '../types';
import { at, Binder, FRAME_STRUCT, linearGrid, linearIndex, partialSumKernel, WORKGROUP_SUM, workgroupSumOf, type HalfStorage, type Kernel } from './kernel';


const vec3 = (row: readonly number[]) => `vec3f(${row.map((v) => v.toPrecision(9)).join(', ')})`;

/**
 * WGSL for the picture's gradient as the step takes it (optimise/colour-step.ts): \`smoothed(ry, rx)\` is the gradient
 * at rolled pixel (ry, rx) with its chroma blurred by the 5×5 binomial, edges mirrored with the edge pixel repeated.
 * Straight-line code: 25 taps, each the two chroma axes of one neighbour.
 */
function smoothedGradient(G: string, h: number, w: number): string {
  const taps: string[] = [];
  for (let j = 0; j < 5; j++) {
    for (let i = 0; i < 5; i++) {
      const weight = (CHROMA_TAPS[j]! * CHROMA_TAPS[i]!).toPrecision(9);
      taps.push(`  iq += ${weight} * chromaAt(fold(i32(ry) + ${j - 2}, ${h}) * ${w}u + fold(i32(rx) + ${i - 2}, ${w}));`);
    }
  }
  return /* wgsl */ `
fn fold(k: i32, n: i32) -> u32 {
  var m = k;
  if (m < 0) { m = -m - 1; }
  if (m >= n) { m = 2 * n - 1 - m; }
  return u32(m);
}
fn gradAt(p: u32) -> vec3f { return vec3f(${G}[p * 3u], ${G}[p * 3u + 1u], ${G}[p * 3u + 2u]); }
fn chromaAt(p: u32) -> vec2f {
  let g = gradAt(p);
  return vec2f(dot(${vec3(RGB_TO_YIQ[1]!)}, g), dot(${vec3(RGB_TO_YIQ[2]!)}, g));
}
fn smoothed(ry: u32, rx: u32) -> vec3f {
  let y = dot(${vec3(RGB_TO_YIQ[0]!)}, gradAt(ry * ${w}u + rx));
  var iq = vec2f(0.0);
${taps.join('\n')}
  let yiq = vec3f(y, iq);
  return vec3f(dot(${vec3(YIQ_TO_RGB[0]!)}, yiq), dot(${vec3(YIQ_TO_RGB[1]!)}, yiq), dot(${vec3(YIQ_TO_RGB[2]!)}, yiq));
}`;
}

/**
 * The objective's gradient at one layer, written where the backward pass starts, and that layer's share of the
 * loss as one partial sum per workgroup: l2 is w·½·mean(a²) with gradient w·a/N, mean is w·mean(a) with w/N.
 * The gradient is written `gradScale` times larger (an f16 plan's: see plan/precision.ts); the loss is not.
 */
export function seedKernel(op: SeedOp, key: PlanKey, partialBase: number, halves?: HalfStorage, gradScale = 1): { kernel: Kernel; partials: number } {
  const v = op.view;
  const b = new Binder(halves);
  const A = b.bind({ type: 'act', buf: v.buf }, 'A', 'read');
  const G = b.bind({ type: 'grad', buf: v.buf }, 'G', 'read_write');
  const chosen = key.channel < 0 ? 'true' : `c == ${key.channel}u`;
  const count = v.h * v.w * (key.channel < 0 ? v.c : 1);
  const l2 = key.objective === 'l2';
  const target = `${G}[i]`;
  const body = `let c = idx % ${v.c}u;
    let i = ${at(v, `idx / ${v.c}u`, 'c')};
    let a = f32(${A}[i]);
    let w = frame.weights[${op.slot >> 2}][${op.slot & 3}] / ${count}.0;
    var g = 0.0;
    if (${chosen}) {
      g = w * ${l2 ? 'a' : '1.0'}${gradScale === 1 ? '' : ` * ${gradScale.toFixed(1)}`};
      value = w * ${l2 ? '0.5 * a * a' : 'a'};
    }
    ${op.mode === 'store' ? `${target} = ${G}_T(g);` : `${target} = ${G}_T(f32(${target}) + g);`}`;
  return partialSumKernel({ label: `objective ${op.layer}`, b, n: v.h * v.w * v.c, partials: { type: 'lossPartials' }, base: partialBase, body, frame: true });
}

/** Workgroups of the gradient statistics pass: a fixed number, each striding over the picture. */
export const STAT_GROUPS = 256;

/** Per workgroup: Σg and Σg² (std) or Σ|g| (mean-abs) of the picture's gradient, chroma smoothed, pixel by pixel. */
export function statsKernel(input: View, key: PlanKey): Kernel {
  const pixels = input.h * input.w;
  const b = new Binder();
  const G = b.bind({ type: 'grad', buf: input.buf }, 'G', 'read');
  b.bind({ type: 'statPartials' }, 'SP', 'read_write');
  const code = /* wgsl */ `
${b.wgsl()}
${smoothedGradient(G, input.h, input.w)}
var<workgroup> red: array<f32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  var q = 0.0;
  for (var i = wg.x * 256u + lid; i < ${pixels}u; i += ${STAT_GROUPS * 256}u) {
    let g = smoothed(i / ${input.w}u, i % ${input.w}u);
    ${key.normalise === 'std' ? 's += g.x + g.y + g.z; q += dot(g, g);' : 's += abs(g.x) + abs(g.y) + abs(g.z);'}
  }
  var value = s;
  ${WORKGROUP_SUM}
  if (lid == 0u) { SP[wg.x * 2u] = red[0]; }
  workgroupBarrier();
  value = q;
  ${WORKGROUP_SUM}
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
  ${workgroupSumOf(STAT_GROUPS, (i) => `SP[${i} * 2u]`)}
  let s = red[0];
  workgroupBarrier();
  ${workgroupSumOf(STAT_GROUPS, (i) => `SP[${i} * 2u + 1u]`)}
  let q = red[0];
  workgroupBarrier();
  ${workgroupSumOf(lossPartials, (i) => `LP[${i}]`)}
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
 * x ← x + t·scale·g, per pixel: g the chroma-smoothed gradient read at the rolled position (so the roll is undone
 * here, not by a copy), t ∈ [0, 1] the longest part of the step that keeps all three channels in [-1, 1]
 * (colour-step.ts). A channel that would become NaN keeps its value, so one bad step cannot poison a stream.
 */
export function updateKernel(input: View): Kernel {
  const pixels = input.h * input.w;
  const grid = linearGrid(pixels);
  const b = new Binder();
  b.bind({ type: 'act', buf: input.buf }, 'X', 'read');
  const G = b.bind({ type: 'grad', buf: input.buf }, 'G', 'read');
  b.bind({ type: 'result' }, 'R', 'read');
  b.bind({ type: 'output' }, 'OUT', 'read_write');
  b.bind({ type: 'frame' }, 'frame', 'uniform', 'Frame');
  const code = /* wgsl */ `
${FRAME_STRUCT}
${b.wgsl()}
${smoothedGradient(G, input.h, input.w)}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let p = ${linearIndex(grid)};
  if (p >= ${pixels}u) { return; }
  let ry = (p / ${input.w}u + frame.dy) % ${input.h}u;
  let rx = (p % ${input.w}u + frame.dx) % ${input.w}u;
  let step = smoothed(ry, rx) * R[0];
  let src = vec3f(X[p * 3u], X[p * 3u + 1u], X[p * 3u + 2u]);
  let room = select(-1.0 - src, 1.0 - src, step > vec3f(0.0));
  let ratio = select(vec3f(1e30), room / step, abs(step) > vec3f(0.0));
  let t = clamp(min(min(ratio.x, ratio.y), ratio.z), 0.0, 1.0);
  let v = src + step * t;
  for (var c = 0u; c < 3u; c++) {
    let finite = (bitcast<u32>(v[c]) & 0x7fffffffu) <= 0x7f800000u;
    OUT[p * 3u + c] = clamp(select(src[c], v[c], finite), -1.0, 1.0);
  }
}`;
  return { label: 'ascent step', code, resources: b.resources, grid };
}
