import type { PoolOp, View, WriteMode } from '../types';
import { at, Binder, linearGrid, linearIndex, withEnables, type HalfStorage, type Kernel } from './kernel';

function constants(op: PoolOp): string {
  const { input: x, output: y } = op;
  return `const C = ${x.c}u; const IH = ${x.h}; const IW = ${x.w}; const OH = ${y.h}; const OW = ${y.w};
const KH = ${op.size[0]}; const KW = ${op.size[1]}; const SY = ${op.stride[0]}; const SX = ${op.stride[1]};
const PT = ${op.pad[0]}; const PL = ${op.pad[1]};`;
}

/** The top of a pool kernel: bindings, sizes, and per thread its element `idx` = pixel `p` × C + channel `c`. */
function header(b: Binder, op: PoolOp, grid: [number, number], n: number): string {
  return `
${b.wgsl()}
${constants(op)}
${COUNT}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let idx = ${linearIndex(grid)};
  if (idx >= ${n}u) { return; }
  let p = idx / C;
  let c = idx % C;`;
}

/** Input taps of output window (oy, ox) that are inside the picture: 'same' average pooling divides by these only. */
const COUNT = `fn taps(oy: i32, ox: i32) -> f32 {
  let y0 = oy * SY - PT;
  let x0 = ox * SX - PL;
  let rows = min(y0 + KH, IH) - max(y0, 0);
  let cols = min(x0 + KW, IW) - max(x0, 0);
  return f32(rows * cols);
}`;

/** Max pooling keeps which tap won (the first of equals), so its backward is a gather with no atomics. */
export function poolForward(op: PoolOp, halves?: HalfStorage): Kernel {
  const n = op.output.h * op.output.w * op.output.c;
  const grid = linearGrid(n);
  const b = new Binder(halves);
  const X = b.bind({ type: 'act', buf: op.input.buf }, 'X', 'read');
  const Y = b.bind({ type: 'act', buf: op.output.buf }, 'Y', 'read_write');
  const max = op.kind === 'maxPool';
  if (max) b.bind({ type: 'argmax', buf: op.argmax }, 'AM', 'read_write', 'array<u32>');
  const code = /* wgsl */ `${header(b, op, grid, n)}
  let oy = i32(p) / OW;
  let ox = i32(p) % OW;
  var best = ${max ? '-3.402823e38' : '0.0'};
  var arg = 0u;
  for (var ky = 0; ky < KH; ky++) {
    let iy = oy * SY + ky - PT;
    if (iy < 0 || iy >= IH) { continue; }
    for (var kx = 0; kx < KW; kx++) {
      let ix = ox * SX + kx - PL;
      if (ix < 0 || ix >= IW) { continue; }
      let v = f32(${X}[${at(op.input, 'u32(iy * IW + ix)', 'c')}]);
      ${max ? 'if (v > best) { best = v; arg = u32(ky * KW + kx); }' : 'best += v;'}
    }
  }
  ${max ? 'AM[idx] = arg;' : 'best = best / taps(oy, ox);'}
  ${Y}[${at(op.output, 'p', 'c')}] = ${Y}_T(best);
}`;
  return withEnables({ label: `${op.kind} ${op.name}`, code, resources: b.resources, grid }, b);
}

/** Each input element gathers the gradient of the windows it is in (max: only those it won). */
export function poolBackward(op: PoolOp, dx: View, mode: WriteMode, halves?: HalfStorage): Kernel {
  const n = op.input.h * op.input.w * op.input.c;
  const grid = linearGrid(n);
  const b = new Binder(halves);
  const G = b.bind({ type: 'grad', buf: op.output.buf }, 'G', 'read');
  const max = op.kind === 'maxPool';
  if (max) b.bind({ type: 'argmax', buf: op.argmax }, 'AM', 'read', 'array<u32>');
  const DX = b.bind({ type: 'grad', buf: dx.buf }, 'DX', 'read_write');
  const target = `${DX}[${at(dx, 'p', 'c')}]`;
  const code = /* wgsl */ `${header(b, op, grid, n)}
  let y = i32(p) / IW;
  let x = i32(p) % IW;
  var s = 0.0;
  for (var ky = 0; ky < KH; ky++) {
    let ty = y + PT - ky;
    if (ty < 0 || ty % SY != 0 || ty / SY >= OH) { continue; }
    let oy = ty / SY;
    for (var kx = 0; kx < KW; kx++) {
      let tx = x + PL - kx;
      if (tx < 0 || tx % SX != 0 || tx / SX >= OW) { continue; }
      let ox = tx / SX;
      let o = u32(oy * OW + ox);
      ${max ? 'if (AM[o * C + c] == u32(ky * KW + kx)) { s += ' + `f32(${G}[${at(op.output, 'o', 'c')}]); }` : `s += f32(${G}[${at(op.output, 'o', 'c')}]) / taps(oy, ox);`}
    }
  }
  ${mode === 'store' ? `${target} = ${DX}_T(s);` : `${target} = ${DX}_T(f32(${target}) + s);`}
}`;
  return withEnables({ label: `${op.kind} backward ${op.name}`, code, resources: b.resources, grid }, b);
}
