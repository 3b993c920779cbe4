import { COLOUR_MIX } from '../../image/decorrelate';
import { Binder, elementwiseKernel, own, type Kernel } from './kernel';

/*
 * The rest of a style iteration as the plan's own kernels (sessions/style-session.ts, optimise/image-basis.ts):
 * the picture decoded from its parameters (a Laplacian pyramid in decorrelated colour, or the pixels), clipped, and
 * reflect-padded into the view the network sees; after the network's backward pass, the adjoints of each of these
 * back to the parameters; then Adam over all of them at once. The numbers are tfjs's: its bilinear resize with the
 * corners aligned, its clip gradient (dy where −1 ≤ x ≤ 1), its Adam with the NaN guard.
 *
 * Every level lies in one buffer, full size first (`offsets`): the parameters, their gradients, the partial sums
 * of the decode, and Adam's moments (m then v, each the length of all levels).
 */

/** The sizes a style iteration's basis kernels are made for. */
export interface BasisShape {
  /** [h, w] of each level, full size first; one level: the pixels themselves. */
  levels: Array<[number, number]>;
  /** Whether the levels are in decorrelated colour (the pyramid) or the pixels (no colour map). */
  colour: boolean;
  /** [h, w] of the view the network sees (the picture reflect-padded). */
  view: [number, number];
  /** Adam's constants (the step's number and learning rate come with the frame). */
  adam: { beta1: number; beta2: number; epsilon: number };
}

/** The buffers the basis kernels name (plan/style-basis.ts makes each). */
export const basisBuffer = {
  coefficients: own('coefficients'),
  gradients: own('coefficient gradients'),
  moments: own('moments'),
  sums: own('level sums'),
  raw: own('unclipped pixels'),
  pixels: own('pixels'),
  view: own('view'),
  viewGradient: own('view gradient'),
  pictureGradient: own('picture gradient'),
  frame: { type: 'frame' as const },
};

const f32 = (v: number) => {
  const s = Math.fround(v).toPrecision(9);
  return /[.e]/.test(s) ? s : `${s}.0`;
};

/** Floats of each level ([h, w, 3]), and where each starts in the shared buffers. */
export function levelLayout(levels: ReadonlyArray<[number, number]>): { floats: number[]; offsets: number[]; total: number } {
  const floats = levels.map(([h, w]) => h * w * 3);
  const offsets = floats.map((_, k) => floats.slice(0, k).reduce((s, n) => s + n, 0));
  return { floats, offsets, total: floats.reduce((s, n) => s + n, 0) };
}

/** tfjs's source-coordinate ratio for a bilinear resize with the corners aligned, from `inSide` to `outSide`. */
const alignedRatio = (inSide: number, outSide: number) => (outSide > 1 ? (inSide - 1) / (outSide - 1) : 0);

/** NaN by its bits (a compiler may assume no NaN for x != x), as tfjs's shaders test it. */
const IS_NAN = /* wgsl */ `
fn isNan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }`;

/**
 * Decode, one level up: the partial sum at level k is level k's parameters plus the sum at level k + 1 upsampled
 * (the coarsest level's sum is its parameters).
 */
export function upLevel(shape: BasisShape, k: number): Kernel {
  const { offsets } = levelLayout(shape.levels);
  const [H, W] = shape.levels[k]!;
  const [h, w] = shape.levels[k + 1]!;
  const b = new Binder();
  const C = b.bind(basisBuffer.coefficients, 'C', 'read');
  const coarsest = k + 1 === shape.levels.length - 1;
  const S = b.bind(basisBuffer.sums, 'S', 'read_write');
  const from = coarsest ? C : S;
  const [ry, rx] = [alignedRatio(h, H), alignedRatio(w, W)];
  const src = (y: string, x: string) => `${from}[${offsets[k + 1]}u + (${y} * ${w}u + ${x}) * 3u + c]`;
  return elementwiseKernel(`pyramid level ${k} decode`, b, H * W * 3, `let c = i % 3u;
  let p = i / 3u;
  let sy = f32(p / ${W}u) * ${f32(ry)};
  let sx = f32(p % ${W}u) * ${f32(rx)};
  let y0 = u32(floor(sy));
  let x0 = u32(floor(sx));
  let y1 = min(y0 + 1u, ${h - 1}u);
  let x1 = min(x0 + 1u, ${w - 1}u);
  let fy = sy - f32(y0);
  let fx = sx - f32(x0);
  let tl = ${src('y0', 'x0')};
  let tr = ${src('y0', 'x1')};
  let bl = ${src('y1', 'x0')};
  let br = ${src('y1', 'x1')};
  let top = tl + (tr - tl) * fx;
  let bottom = bl + (br - bl) * fx;
  ${S}[${offsets[k]}u + i] = ${C}[${offsets[k]}u + i] + (top + (bottom - top) * fy);`);
}

/** The colour map as WGSL: pixel j = Σᵢ M[j][i]·z[i] (the pyramid), or the value itself (the pixels). */
const mixed = (shape: BasisShape, z: string, j: number, transposed = false) =>
  shape.colour ? [0, 1, 2].map((i) => `${f32(transposed ? COLOUR_MIX[i]![j]! : COLOUR_MIX[j]![i]!)} * ${z}[${i}]`).join(' + ') : `${z}[${j}]`;

/** The picture from the full-size sum: its colours mapped to pixels, unclipped (the clip's gradient reads them) and clipped. */
export function toPixels(shape: BasisShape): Kernel {
  const [h, w] = shape.levels[0]!;
  const b = new Binder();
  const Z = b.bind(shape.levels.length === 1 ? basisBuffer.coefficients : basisBuffer.sums, 'Z', 'read');
  const R = b.bind(basisBuffer.raw, 'R', 'read_write');
  const X = b.bind(basisBuffer.pixels, 'X', 'read_write');
  return elementwiseKernel(
    'basis to pixels',
    b,
    h * w,
    `let z = array<f32, 3>(${Z}[i * 3u], ${Z}[i * 3u + 1u], ${Z}[i * 3u + 2u]);
  ${[0, 1, 2]
    .map(
      (j) => `let v${j} = ${mixed(shape, 'z', j)};
  ${R}[i * 3u + ${j}u] = v${j};
  ${X}[i * 3u + ${j}u] = select(clamp(v${j}, -1.0, 1.0), v${j}, isNan(v${j}));`,
    )
    .join('\n  ')}`,
    IS_NAN,
  );
}

/** Reflection of a row (or column) index about the picture's edges (tfjs's mirrorPad 'reflect'; the pad is under the side). */
const REFLECT = /* wgsl */ `
fn reflect(i: i32, n: i32) -> u32 {
  var j = i;
  if (j < 0) { j = -j; }
  if (j >= n) { j = 2 * (n - 1) - j; }
  return u32(j);
}`;

/** The view: the picture reflect-padded, its first row and column at the frame's view offsets. */
export function reflectView(shape: BasisShape): Kernel {
  const [h, w] = shape.levels[0]!;
  const [vh, vw] = shape.view;
  const b = new Binder();
  const X = b.bind(basisBuffer.pixels, 'X', 'read');
  const V = b.bind(basisBuffer.view, 'V', 'read_write');
  b.bind(basisBuffer.frame, 'frame', 'uniform', 'Frame');
  return elementwiseKernel(
    'style view',
    b,
    vh * vw,
    `let y = reflect(i32(i / ${vw}u) - i32(frame.view.x), ${h});
  let x = reflect(i32(i % ${vw}u) - i32(frame.view.y), ${w});
  let s = (y * ${w}u + x) * 3u;
  ${V}[i * 3u] = ${X}[s];
  ${V}[i * 3u + 1u] = ${X}[s + 1u];
  ${V}[i * 3u + 2u] = ${X}[s + 2u];`,
    REFLECT,
  );
}

/**
 * The full-size level's gradient: the view's gradient where the picture sits in it, plus the total variation's,
 * through the clip (where the unclipped pixel was in range) and the colour map's transpose. The reflected band's
 * gradient is dropped, as tfjs's MirrorPad gradient (a slice) drops it: every backend paints the same picture.
 */
export function pictureAdjoint(shape: BasisShape): Kernel {
  const [h, w] = shape.levels[0]!;
  const [, vw] = shape.view;
  const b = new Binder();
  const DV = b.bind(basisBuffer.viewGradient, 'DV', 'read');
  const DP = b.bind(basisBuffer.pictureGradient, 'DP', 'read');
  const R = b.bind(basisBuffer.raw, 'R', 'read');
  const G = b.bind(basisBuffer.gradients, 'G', 'read_write');
  b.bind(basisBuffer.frame, 'frame', 'uniform', 'Frame');
  return elementwiseKernel(
    'style picture gradient',
    b,
    h * w,
    `let v = ((i / ${w}u + frame.view.x) * ${vw}u + i % ${w}u + frame.view.y) * 3u;
  var dp = array<f32, 3>(0.0, 0.0, 0.0);
  for (var c = 0u; c < 3u; c++) {
    let r = ${R}[i * 3u + c];
    if (r >= -1.0 && r <= 1.0) { dp[c] = ${DP}[i * 3u + c] + ${DV}[v + c]; }
  }
  ${[0, 1, 2].map((j) => `${G}[i * 3u + ${j}u] = ${mixed(shape, 'dp', j, true)};`).join('\n  ')}`,
  );
}

/**
 * The adjoint of one decode step: level k + 1's gradient gathers level k's through the bilinear upsampling's
 * weights (each fine pixel gives 1 − f to its upper source row and f to the next; the same for columns).
 */
export function downLevel(shape: BasisShape, k: number): Kernel {
  const { offsets } = levelLayout(shape.levels);
  const [H, W] = shape.levels[k]!;
  const [h, w] = shape.levels[k + 1]!;
  const [ry, rx] = [alignedRatio(h, H), alignedRatio(w, W)];
  const b = new Binder();
  const G = b.bind(basisBuffer.gradients, 'G', 'read_write');
  // The fine rows reaching coarse row j lie where j − 1 ≤ y·r ≤ j + 1; the weight of row y in j, as the decode computes it.
  const helpers = /* wgsl */ `
fn weightIn(y: u32, j: u32, r: f32, last: u32) -> f32 {
  let s = f32(y) * r;
  let y0 = u32(floor(s));
  let y1 = min(y0 + 1u, last);
  let f = s - f32(y0);
  var v = 0.0;
  if (y0 == j) { v += 1.0 - f; }
  if (y1 == j) { v += f; }
  return v;
}
fn span(j: u32, r: f32, n: u32) -> vec2u {
  let lo = max(0.0, floor((f32(j) - 1.0) / r) - 1.0);
  let hi = min(f32(n - 1u), ceil((f32(j) + 1.0) / r) + 1.0);
  return vec2u(u32(lo), u32(hi));
}`;
  return elementwiseKernel(
    `pyramid level ${k + 1} gradient`,
    b,
    h * w * 3,
    `let c = i % 3u;
  let p = i / 3u;
  let jy = p / ${w}u;
  let jx = p % ${w}u;
  let ys = span(jy, ${f32(ry)}, ${H}u);
  let xs = span(jx, ${f32(rx)}, ${W}u);
  var sum = 0.0;
  for (var y = ys.x; y <= ys.y; y++) {
    let wy = weightIn(y, jy, ${f32(ry)}, ${h - 1}u);
    if (wy == 0.0) { continue; }
    var row = 0.0;
    for (var x = xs.x; x <= xs.y; x++) {
      let wx = weightIn(x, jx, ${f32(rx)}, ${w - 1}u);
      if (wx != 0.0) { row += wx * ${G}[${offsets[k]}u + (y * ${W}u + x) * 3u + c]; }
    }
    sum += wy * row;
  }
  ${G}[${offsets[k + 1]}u + i] = sum;`,
    helpers,
  );
}

/**
 * Adam over every level at once (optimise/kernels/webgpu-adam.ts, in one dispatch): the moments, then the step,
 * a parameter kept where its step is NaN. The learning rate and bias corrections are the frame's.
 */
export function adamUpdate(shape: BasisShape): Kernel {
  const n = levelLayout(shape.levels).total;
  const { beta1, beta2, epsilon } = shape.adam;
  const b = new Binder();
  const X = b.bind(basisBuffer.coefficients, 'X', 'read_write');
  const G = b.bind(basisBuffer.gradients, 'G', 'read');
  const S = b.bind(basisBuffer.moments, 'S', 'read_write');
  b.bind(basisBuffer.frame, 'frame', 'uniform', 'Frame');
  return elementwiseKernel(
    'style Adam',
    b,
    n,
    `let g = ${G}[i];
  let m = ${S}[i] * ${f32(beta1)} + g * ${f32(1 - beta1)};
  let v = ${S}[i + ${n}u] * ${f32(beta2)} + (g * g) * ${f32(1 - beta2)};
  ${S}[i] = m;
  ${S}[i + ${n}u] = v;
  let mHat = m / frame.adam.y;
  let vHat = v / frame.adam.z;
  let next = ${X}[i] - (mHat / (sqrt(vHat) + ${f32(epsilon)})) * frame.adam.x;
  ${X}[i] = select(next, ${X}[i], isNan(next));`,
    IS_NAN,
  );
}
