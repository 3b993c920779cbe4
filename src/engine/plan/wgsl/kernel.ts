import type { View } from '../types';

/** The index of channel `channel` of pixel `pixel` in view `v` (WGSL expressions in, a WGSL expression out). */
export const at = (v: View, pixel: string, channel: string) => `(${pixel}) * ${v.stride}u + ${v.offset}u + ${channel}`;

/** What a kernel reads and writes, named by the plan's resources; gpu-plan.ts resolves them to GPU buffers. */
export type Resource =
  | { type: 'act' | 'grad' | 'argmax'; buf: number }
  | { type: 'filter' | 'filterT' | 'bias'; set: number }
  | { type: 'frame' | 'lossPartials' | 'statPartials' | 'result' | 'output' }
  /** A buffer of an extension built on a plan (style transfer's terms: plan/style-terms.ts), by its name. */
  | { type: 'own'; name: string };

/** One dispatch of the plan: its WGSL, its resources in binding order and its workgroup grid. */
export interface Kernel {
  label: string;
  code: string;
  resources: Resource[];
  /** Workgroups in x, y and (a split product's chunks) z. */
  grid: [number, number] | [number, number, number];
}

/** A buffer of an extension, by its name. */
export const own = (name: string) => ({ type: 'own' as const, name });

export const resourceKey = (r: Resource): string =>
  'buf' in r ? `${r.type}:${r.buf}` : 'set' in r ? `${r.type}:${r.set}` : 'name' in r ? `${r.type}:${r.name}` : r.type;

/**
 * The per-frame scalars: the jitter roll, the step size, each objective layer's weight, style transfer's loss
 * weights (content, style, total variation), and its iteration's: where the view's reflect padding starts (top,
 * left) and Adam's learning rate and bias corrections (lr, 1 − β₁ᵗ, 1 − β₂ᵗ) (writeBuffer, 96 bytes).
 */
export const FRAME_STRUCT = /* wgsl */ `
struct Frame {
  dy: u32,
  dx: u32,
  step: f32,
  pad: f32,
  weights: array<vec4f, 2>,
  loss: vec4f,
  view: vec4u,
  adam: vec4f,
};`;
export const FRAME_BYTES = 96;

/**
 * Which of a plan's buffers hold f16 (two bytes a value) rather than f32: where the device has shader-f16, a plan
 * can store its activations, their gradients and its filters in half the memory (see plan/precision.ts).
 */
export type HalfStorage = (r: Resource) => boolean;

/**
 * Collects a kernel's bindings: one per resource (two views of one buffer share it), in order, each with its
 * access. A resource asked for twice keeps its first name.
 *
 * A float array binding `X` also declares `alias X_T` (f32 or f16: `halves` decides), so a kernel reads any
 * binding as `f32(X[i])` and stores as `X[i] = X_T(v)`: its arithmetic is f32 whatever the storage, and one
 * template serves both.
 */
export class Binder {
  readonly resources: Resource[] = [];
  private readonly decls: string[] = [];
  private readonly names = new Map<string, string>();
  private half = false;

  constructor(private readonly halves: HalfStorage = () => false) {}

  bind(r: Resource, name: string, access: 'read' | 'read_write' | 'uniform', type = 'array<f32>'): string {
    const key = resourceKey(r);
    const known = this.names.get(key);
    if (known) return known;
    const i = this.resources.length;
    this.resources.push(r);
    this.names.set(key, name);
    if (access === 'uniform') {
      this.decls.push(`@group(0) @binding(${i}) var<uniform> ${name}: ${type};`);
      return name;
    }
    const element = type === 'array<f32>' && this.halves(r) ? 'f16' : type === 'array<f32>' ? 'f32' : null;
    this.half ||= element === 'f16';
    this.decls.push(`@group(0) @binding(${i}) var<storage, ${access}> ${name}: ${element ? `array<${element}>` : type};`);
    if (element) this.decls.push(`alias ${name}_T = ${element};`);
    return name;
  }

  wgsl(): string {
    return this.decls.join('\n');
  }

  /** Whether a binding holds f16: the kernel's code must then start with `enable f16;` (withEnables). */
  get usesHalf(): boolean {
    return this.half;
  }
}

/** A kernel whose bindings hold f16 needs the directive before any declaration. */
export function withEnables(k: Kernel, b: Binder): Kernel {
  return b.usesHalf ? { ...k, code: `enable f16;\n${k.code}` } : k;
}

/** Elementwise kernels run 256 threads a workgroup over a 2-D grid (one dimension stops at 65535). */
export const ROW = 32768;
export function linearGrid(n: number, perGroup = 256): [number, number] {
  const groups = Math.max(1, Math.ceil(n / perGroup));
  return groups <= ROW ? [groups, 1] : [ROW, Math.ceil(groups / ROW)];
}

/** The element index of a thread on linearGrid's grid. */
export const linearIndex = (grid: [number, number]) => `(wg.y * ${grid[0]}u + wg.x) * 256u + lid`;

/**
 * A kernel over `n` elements that runs `body` for element \`i\` (the frame's struct declared; `helpers`: WGSL
 * functions beside main); `b` holds its bindings.
 */
export function elementwiseKernel(label: string, b: Binder, n: number, body: string, helpers = ''): Kernel {
  const grid = linearGrid(n);
  const code = /* wgsl */ `
${FRAME_STRUCT}
${b.wgsl()}
${helpers}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = ${linearIndex(grid)};
  if (i >= ${n}u) { return; }
  ${body}
}`;
  return { label, code, resources: b.resources, grid };
}

/** A 256-thread workgroup's sum of each thread's \`value\` into red[0] (every thread must reach it; needs \`red\`). */
export const WORKGROUP_SUM = `
  red[lid] = value;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] += red[lid + s]; }
    workgroupBarrier();
  }`;

/**
 * In a one-workgroup kernel (thread \`lid\`, a \`var value\` and \`red\` declared): the sum over i < `count` of
 * `term(i)`, left in red[0] for every thread.
 */
export const workgroupSumOf = (count: number, term: (i: string) => string): string => `
  value = 0.0;
  for (var i = lid; i < ${count}u; i += 256u) { value += ${term('i')}; }
  ${WORKGROUP_SUM}`;

/** What partialSumKernel makes: over `n` elements, `body` sets \`value\` for element \`idx\` (it may write too). */
export interface PartialSums {
  label: string;
  /** The kernel's other bindings. */
  b: Binder;
  n: number;
  /** Where the sums go, one per workgroup, from `base` on. */
  partials: Resource;
  base: number;
  body: string;
  /** Whether the body reads the frame's scalars. */
  frame?: boolean;
}

/** A kernel that sums `value` per workgroup into the partials (one float each): a loss's share, added up later. */
export function partialSumKernel(p: PartialSums): { kernel: Kernel; partials: number } {
  const grid = linearGrid(p.n);
  const LP = p.b.bind(p.partials, 'LP', 'read_write');
  if (p.frame) p.b.bind({ type: 'frame' }, 'frame', 'uniform', 'Frame');
  const code = /* wgsl */ `
${p.frame ? FRAME_STRUCT : ''}
${p.b.wgsl()}
var<workgroup> red: array<f32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let idx = ${linearIndex(grid)};
  var value = 0.0;
  if (idx < ${p.n}u) {
    ${p.body}
  }
  ${WORKGROUP_SUM}
  if (lid == 0u) { ${LP}[${p.base}u + wg.y * ${grid[0]}u + wg.x] = red[0]; }
}`;
  return { kernel: withEnables({ label: p.label, code, resources: p.b.resources, grid }, p.b), partials: grid[0] * grid[1] };
}
