import type { ConvOp, View, WriteMode } from '../types';
import { gemmGrid, gemmShader, tileFor } from './gemm';
import { at, Binder, FRAME_STRUCT, withEnables, type HalfStorage, type Kernel } from './kernel';

/** The segments' channel ranges: [start, end) of the convolution's output channels, per segment. */
function ranges(op: ConvOp): Array<[number, number]> {
  let start = 0;
  return op.segments.map((s) => {
    const r: [number, number] = [start, start + s.view.c];
    start += s.view.c;
    return r;
  });
}

/** An f16 plan's: which buffers hold f16, and whether the products are f16 too (plan/precision.ts). */
export interface ConvPrecision {
  halves: HalfStorage;
  halfProducts: boolean;
}

/** Forward: gather the input window (rolled by the frame's jitter when it is the picture), bias, ReLU, scatter. */
export function convForward(op: ConvOp, wanted?: number, precision?: ConvPrecision): Kernel {
  const { input: x, kh, kw, stride, pad, co } = op;
  const out = op.segments[0]!.view;
  const M = out.h * out.w;
  const K = kh * kw * x.c;
  const tile = tileFor(co, M, wanted);
  const b = new Binder(precision?.halves);
  const X = b.bind({ type: 'act', buf: x.buf }, 'X', 'read');
  b.bind({ type: 'filter', set: op.weights }, 'W', 'read');
  b.bind({ type: 'bias', set: op.weights }, 'Bias', 'read');
  const stores = ranges(op).map(([s, e], i) => {
    const v = op.segments[i]!.view;
    const O = b.bind({ type: 'act', buf: v.buf }, `O${i}`, 'read_write');
    return `if (n < ${e}u) { ${O}[${at(v, 'm', `(n - ${s}u)`)}] = ${O}_T(r); return; }`;
  });
  if (op.rolled) b.bind({ type: 'frame' }, 'frame', 'uniform', 'Frame');
  const roll = op.rolled ? `iy = (iy + IH - i32(frame.dy)) % IH;\n  ix = (ix + IW - i32(frame.dx)) % IW;` : '';
  const code = gemmShader({
    tile,
    M,
    N: co,
    K,
    bindings: (op.rolled ? FRAME_STRUCT : '') + '\n' + b.wgsl(),
    helpers: `const IH = ${x.h}; const IW = ${x.w}; const OW = ${out.w}u; const CI = ${x.c}u; const KW = ${kw}u;
const SY = ${stride[0]}u; const SX = ${stride[1]}u; const PT = ${pad[0]}; const PL = ${pad[1]};`,
    loadA: `let oy = m / OW;
  let ox = m - oy * OW;
  let t = k / CI;
  let ci = k - t * CI;
  let ky = t / KW;
  let kx = t - ky * KW;
  var iy = i32(oy * SY + ky) - PT;
  var ix = i32(ox * SX + kx) - PL;
  if (iy < 0 || iy >= IH || ix < 0 || ix >= IW) { return 0.0; }
  ${roll}
  return f32(${X}[${at(x, 'u32(iy * IW + ix)', 'ci')}]);`,
    loadB: `return f32(W[k * N + n]);`,
    store: `var r = v + Bias[n];
  ${op.relu ? 'r = max(r, 0.0);' : ''}
  ${stores.join('\n  ')}`,
    halfProducts: !!precision?.halfProducts && b.usesHalf,
  });
  return withEnables({ label: `conv ${op.names.join('+')}`, code, resources: b.resources, grid: gemmGrid({ tile, M, N: co }) }, b);
}

/**
 * Input gradient: dx = Σ over taps and output channels of dy·W, dy masked by the forward output's ReLU as it is read.
 * A strided layer is split by phase: the input pixels with y ≡ py, x ≡ px (mod stride) are reached by the taps
 * of one parity only, so each phase is its own dispatch over just those pixels and taps (polyphase), and no
 * multiply-add is spent on a tap that lands between output positions.
 */
export function convBackward(op: ConvOp, dx: View, mode: WriteMode, wanted?: number, precision?: ConvPrecision): Kernel[] {
  const kernels: Kernel[] = [];
  for (let py = 0; py < op.stride[0]; py++) for (let px = 0; px < op.stride[1]; px++) kernels.push(convBackwardPhase(op, dx, mode, py, px, wanted, precision));
  return kernels;
}

function convBackwardPhase(op: ConvOp, dx: View, mode: WriteMode, py: number, px: number, wanted?: number, precision?: ConvPrecision): Kernel {
  const { input: x, kh, kw, stride, pad, co } = op;
  const [sy, sx] = stride;
  const out = op.segments[0]!.view;
  // This phase's pixels and the taps that reach them.
  const my = Math.ceil((x.h - py) / sy);
  const mx = Math.ceil((x.w - px) / sx);
  const ky0 = (py + pad[0]) % sy;
  const kx0 = (px + pad[1]) % sx;
  const nky = Math.max(0, Math.ceil((kh - ky0) / sy));
  const nkx = Math.max(0, Math.ceil((kw - kx0) / sx));
  const M = my * mx;
  const N = x.c;
  const K = nky * nkx * co;
  const tile = tileFor(N, M, wanted);
  const b = new Binder(precision?.halves);
  const reads = ranges(op).map(([s, e], i) => {
    const v = op.segments[i]!.view;
    const G = b.bind({ type: 'grad', buf: v.buf }, `G${i}`, 'read');
    const idx = `let i = ${at(v, 'p', `(co - ${s}u)`)};`;
    if (!op.relu) return `if (co < ${e}u) { ${idx} return f32(${G}[i]); }`;
    const A = b.bind({ type: 'act', buf: v.buf }, `A${i}`, 'read');
    return `if (co < ${e}u) { ${idx} return select(0.0, f32(${G}[i]), ${A}[i] > ${A}_T(0.0)); }`;
  });
  b.bind({ type: 'filterT', set: op.weights }, 'WT', 'read');
  const DX = b.bind({ type: 'grad', buf: dx.buf }, 'DX', 'read_write');
  const target = `${DX}[${at(dx, `(m / MX * ${sy}u + ${py}u) * IW + (m % MX) * ${sx}u + ${px}u`, 'n')}]`;
  const code = gemmShader({
    tile,
    M,
    N,
    K,
    bindings: b.wgsl(),
    helpers: `const IW = ${x.w}u; const MX = ${mx}u; const OH = ${out.h}; const OW = ${out.w}; const CO = ${co}u; const KW = ${kw}u;
const NKX = ${Math.max(nkx, 1)}u; const PT = ${pad[0]}; const PL = ${pad[1]};
fn dy(p: u32, co: u32) -> f32 {
  ${reads.join('\n  ')}
  return 0.0;
}
/** Row k of this phase's filter: the tap (ky, kx) and output channel co it stands for. */
fn tap(k: u32) -> vec3u {
  let t = k / CO;
  return vec3u(${ky0}u + (t / NKX) * ${sy}u, ${kx0}u + (t % NKX) * ${sx}u, k - t * CO);
}`,
    loadA: `let y = i32((m / MX) * ${sy}u + ${py}u);
  let x = i32((m % MX) * ${sx}u + ${px}u);
  let t = tap(k);
  let ty = y + PT - i32(t.x);
  let tx = x + PL - i32(t.y);
  if (ty < 0 || tx < 0) { return 0.0; }
  let oy = ty / ${sy};
  let ox = tx / ${sx};
  if (oy >= OH || ox >= OW) { return 0.0; }
  return dy(u32(oy * OW + ox), t.z);`,
    loadB: `let t = tap(k);
  return f32(WT[((t.x * KW + t.y) * CO + t.z) * N + n]);`,
    store: mode === 'store' ? `${target} = ${DX}_T(v);` : `${target} = ${DX}_T(f32(${target}) + v);`,
    halfProducts: !!precision?.halfProducts && b.usesHalf,
  });
  const phase = sy * sx > 1 ? ` phase ${py},${px}` : '';
  return withEnables({ label: `conv backward ${op.names.join('+')}${phase}`, code, resources: b.resources, grid: gemmGrid({ tile, M, N }) }, b);
}
