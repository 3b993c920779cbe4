import type { WriteMode } from '../types';
import { gemmGrid, gemmShader, kSplit, tileFor } from './gemm';
import { Binder, elementwiseKernel, FRAME_STRUCT, own, partialSumKernel, workgroupSumOf, type Kernel } from './kernel';
import { tvScales } from '../../objectives/kernels/tv-math';

/*
 * Style transfer's loss (objectives/style.ts) as the plan's own kernels, on activations the plan's forward pass left
 * in its buffers and on the picture itself: for each style layer the Gram matrix's difference from the target,
 * D = FᵀF/n − T, and the gradient 4/(n·C²)·F·D; for the content layer the difference a − t and its gradient
 * 2/N·(a − t); the picture's total variation and its gradient (objectives/kernels/tv-math.ts); the losses as partial
 * sums per workgroup, then one kernel that adds them up and weighs them (the frame's loss weights α, β, tv).
 * Every layer's activations fill a whole buffer (the network plan's condition), so a layer's features are a plain
 * [n, C] matrix.
 *
 * The gradients read the loss's own: DY holds [d total, d L, d content, d style, d tv] (the op's outputs: the total,
 * and the four figures [L, content, style, tv]), so a term's gradient is its weight·(d total + d L) + its own.
 */

/** One term of the loss: which layer (its index among the plan's layers) and its shape. */
export interface TermLayer {
  /** Index into the plan's layers: its buffers, and its weight's slot in the frame's scalars. */
  slot: number;
  /** Pixels (h·w) and channels. */
  n: number;
  c: number;
}

/** The buffers the terms' kernels name (plan/style-terms.ts makes or finds each). */
export const termBuffer = {
  act: (slot: number) => own(`act${slot}`),
  grad: (slot: number) => own(`grad${slot}`),
  gramTarget: (slot: number) => own(`gram target${slot}`),
  contentTarget: own('content target'),
  diff: (slot: number) => own(`diff${slot}`),
  partials: own('gram partials'),
  lossPartials: own('loss partials'),
  losses: own('losses'),
  dys: own('dys'),
  picture: own('picture'),
  pictureGrad: own('picture gradient'),
  frame: { type: 'frame' as const },
};

/** A kernel over `n` elements that runs `body` for element \`i\`, with the frame's scalars; `b` holds its bindings. */
function elementwise(label: string, b: Binder, n: number, body: string): Kernel {
  b.bind(termBuffer.frame, 'frame', 'uniform', 'Frame');
  return elementwiseKernel(label, b, n, body);
}

const weightOf = (slot: number) => `frame.weights[${slot >> 2}][${slot & 3}]`;
/** The gradient reaching one figure: content (0), style (1), tv (2); see the header. */
const dyOf = (DY: string, k: 0 | 1 | 2) => `(frame.loss[${k}] * (${DY}[0] + ${DY}[1]) + ${DY}[${2 + k}])`;
const f32 = (v: number) => v.toPrecision(9);

/** Fᵀ·F of one style layer, split over the pixels: one C×C partial per split, summed by gramDiff. */
export function gramPartials(l: TermLayer, wanted?: number): { kernel: Kernel; splits: number } {
  const tile = tileFor(l.c, l.c, wanted);
  const { splits, kChunk } = kSplit({ tile, M: l.c, N: l.c, K: l.n }, wanted);
  const b = new Binder();
  const F = b.bind(termBuffer.act(l.slot), 'F', 'read');
  const P = b.bind(termBuffer.partials, 'P', 'read_write');
  const code = gemmShader({
    tile,
    M: l.c,
    N: l.c,
    K: l.n,
    kChunk,
    bindings: b.wgsl(),
    helpers: `const C = ${l.c}u;`,
    loadA: `return ${F}[k * C + m];`,
    loadB: `return ${F}[k * C + n];`,
    store: `${P}[(split * C + m) * C + n] = v;`,
  });
  return { kernel: { label: `gram ${l.slot}`, code, resources: b.resources, grid: [...gemmGrid({ tile, M: l.c, N: l.c }), splits] }, splits };
}

/** D = ΣP/n − T, kept for the gradient, and Σ D² per workgroup into the loss partials from `base` on. */
export function gramDiff(l: TermLayer, splits: number, base: number): { kernel: Kernel; partials: number } {
  const cc = l.c * l.c;
  const b = new Binder();
  const P = b.bind(termBuffer.partials, 'P', 'read');
  const T = b.bind(termBuffer.gramTarget(l.slot), 'T', 'read');
  const D = b.bind(termBuffer.diff(l.slot), 'D', 'read_write');
  const body = `var g = 0.0;
    for (var s = 0u; s < ${splits}u; s++) { g += ${P}[s * ${cc}u + idx]; }
    let d = g / ${l.n}.0 - ${T}[idx];
    ${D}[idx] = d;
    value = d * d;`;
  return partialSumKernel({ label: `gram difference ${l.slot}`, b, n: cc, partials: termBuffer.lossPartials, base, body });
}

/** Σ (a − t)² of the content layer per workgroup into the loss partials from `base` on. */
export function contentDiff(l: TermLayer, base: number): { kernel: Kernel; partials: number } {
  const b = new Binder();
  const A = b.bind(termBuffer.act(l.slot), 'A', 'read');
  const T = b.bind(termBuffer.contentTarget, 'T', 'read');
  const body = `let d = ${A}[idx] - ${T}[idx];
    value = d * d;`;
  return partialSumKernel({ label: 'content difference', b, n: l.n * l.c, partials: termBuffer.lossPartials, base, body });
}

/** A term's partial sums: [first, first + count), and what its sum is divided by (and weighed with, for style). */
export interface TermSum {
  first: number;
  count: number;
  divisor: number;
  /** Which figure it adds to; a style layer's sum is weighed by its layer's weight (the frame's slot). */
  into: 'content' | 'style' | 'tv';
  slot?: number;
}

/** The figures [L, content, Σ w·style, tv] from the partials, L = α·content + β·style + tv·tv: one workgroup. */
export function termsFinal(terms: TermSum[]): Kernel {
  const b = new Binder();
  const LP = b.bind(termBuffer.lossPartials, 'LP', 'read');
  const R = b.bind(termBuffer.losses, 'R', 'read_write');
  b.bind(termBuffer.frame, 'frame', 'uniform', 'Frame');
  const sums = terms.map((t) => {
    const scale = t.slot === undefined ? `1.0 / ${f32(t.divisor)}` : `${weightOf(t.slot)} / ${f32(t.divisor)}`;
    return `${workgroupSumOf(t.count, (i) => `${LP}[${t.first}u + ${i}]`)}
  ${t.into} += red[0] * ${scale};
  workgroupBarrier();`;
  });
  const code = /* wgsl */ `
${FRAME_STRUCT}
${b.wgsl()}
var<workgroup> red: array<f32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32) {
  var value = 0.0;
  var content = 0.0;
  var style = 0.0;
  var tv = 0.0;
${sums.join('\n')}
  if (lid == 0u) {
    ${R}[0] = content * frame.loss[0] + style * frame.loss[1] + tv * frame.loss[2];
    ${R}[1] = content;
    ${R}[2] = style;
    ${R}[3] = tv;
  }
}`;
  return { label: 'style loss', code, resources: b.resources, grid: [1, 1] };
}

/** Each pixel's share of the total variation (tv-math.ts's tvMapLoop), Σ per workgroup into the loss partials. */
export function tvPartials(h: number, w: number, base: number): { kernel: Kernel; partials: number } {
  const [sv, sh] = tvScales([1, h, w, 3]);
  const b = new Binder();
  const X = b.bind(termBuffer.picture, 'X', 'read');
  const body = `let y = idx / ${w}u;
    let x = idx % ${w}u;
    for (var k = 0u; k < 3u; k++) {
      let v = ${X}[idx * 3u + k];
      if (y < ${h - 1}u) { let d = ${X}[idx * 3u + ${w * 3}u + k] - v; value += d * d * ${f32(sv)}; }
      if (x < ${w - 1}u) { let d = ${X}[idx * 3u + 3u + k] - v; value += d * d * ${f32(sh)}; }
    }`;
  return partialSumKernel({ label: 'total variation', b, n: h * w, partials: termBuffer.lossPartials, base, body });
}

/** The total variation's gradient (tv-math.ts's tvGradLoop) times the gradient reaching it, stored. */
export function tvGradient(h: number, w: number): Kernel {
  const [sv, sh] = tvScales([1, h, w, 3]);
  const b = new Binder();
  const X = b.bind(termBuffer.picture, 'X', 'read');
  const G = b.bind(termBuffer.pictureGrad, 'G', 'read_write');
  const DY = b.bind(termBuffer.dys, 'DY', 'read');
  const row = w * 3;
  return elementwise('total variation gradient', b, h * w * 3, `let p = i / 3u;
  let y = p / ${w}u;
  let x = p % ${w}u;
  let d = ${dyOf(DY, 2)};
  let gv = ${f32(2 * sv)} * d;
  let gh = ${f32(2 * sh)} * d;
  let v = ${X}[i];
  var g = 0.0;
  if (y > 0u) { g += gv * (v - ${X}[i - ${row}u]); }
  if (y < ${h - 1}u) { g -= gv * (${X}[i + ${row}u] - v); }
  if (x > 0u) { g += gh * (v - ${X}[i - 3u]); }
  if (x < ${w - 1}u) { g -= gh * (${X}[i + 3u] - v); }
  ${G}[i] = g;`);
}

/** A style layer's gradient, dyStyle·w·4/(n·C²)·F·D, stored or added into the layer's gradient. */
export function gramBackward(l: TermLayer, mode: WriteMode, wanted?: number): Kernel {
  const tile = tileFor(l.c, l.n, wanted);
  const b = new Binder();
  const F = b.bind(termBuffer.act(l.slot), 'F', 'read');
  const D = b.bind(termBuffer.diff(l.slot), 'D', 'read');
  const G = b.bind(termBuffer.grad(l.slot), 'G', 'read_write');
  const DY = b.bind(termBuffer.dys, 'DY', 'read');
  b.bind(termBuffer.frame, 'frame', 'uniform', 'Frame');
  const target = `${G}[m * C + n]`;
  const code = gemmShader({
    tile,
    M: l.n,
    N: l.c,
    K: l.c,
    bindings: FRAME_STRUCT + '\n' + b.wgsl(),
    helpers: `const C = ${l.c}u;`,
    loadA: `return ${F}[m * C + k];`,
    loadB: `return ${D}[k * C + n];`,
    store: `let r = v * (${dyOf(DY, 1)} * ${weightOf(l.slot)} * ${f32(4 / (l.n * l.c * l.c))});
  ${mode === 'store' ? `${target} = r;` : `${target} = ${target} + r;`}`,
  });
  return { label: `gram gradient ${l.slot}`, code, resources: b.resources, grid: gemmGrid({ tile, M: l.n, N: l.c }) };
}

/** The content layer's gradient, dyContent·2/N·(a − t), stored or added into the layer's gradient. */
export function contentBackward(l: TermLayer, mode: WriteMode): Kernel {
  const n = l.n * l.c;
  const b = new Binder();
  const A = b.bind(termBuffer.act(l.slot), 'A', 'read');
  const T = b.bind(termBuffer.contentTarget, 'T', 'read');
  const G = b.bind(termBuffer.grad(l.slot), 'G', 'read_write');
  const DY = b.bind(termBuffer.dys, 'DY', 'read');
  const r = `(${A}[i] - ${T}[i]) * (${dyOf(DY, 0)} * ${f32(2 / n)})`;
  return elementwise('content gradient', b, n, mode === 'store' ? `${G}[i] = ${r};` : `${G}[i] = ${G}[i] + ${r};`);
}
