/**
 * Convolution as an implicit GEMM in WGSL: C[M×N] = A[M×K]·B[K×N], where A is gathered from the image on the fly
 * (no im2col buffer) and the epilogue writes each result where it belongs. One workgroup computes a BM×BN tile,
 * each thread TM×TN of it, the K dimension walked BK at a time through workgroup memory.
 *
 * Forward: M = output pixels, N = output channels, K = kh·kw·ci; bias and ReLU are the epilogue.
 * Input gradient: M = input pixels, N = input channels, K = kh·kw·co over the flipped, transposed filter; the ReLU
 * mask of the forward output is applied as A is gathered (the prologue), so no masked gradient is ever stored.
 */

export interface GemmTile {
  BM: number;
  BN: number;
  BK: number;
  TM: number;
  TN: number;
}

/**
 * Tiles by shape class, largest first: a bigger tile reuses each value it loads more often (8×8 per thread: 16
 * workgroup-memory reads for 64 multiply-adds), but a layer of few pixels then has too few workgroups to fill the
 * GPU, so the first tile that still gives `WORKGROUPS_WANTED` workgroups is taken. A thin N (the picture's 3
 * channels) gets a tall tile of its own, which a 64-wide one would leave 95% idle.
 */
const WIDE: GemmTile[] = [
  { BM: 128, BN: 64, BK: 16, TM: 8, TN: 8 },
  { BM: 64, BN: 64, BK: 16, TM: 4, TN: 4 },
  { BM: 32, BN: 64, BK: 16, TM: 2, TN: 4 },
];
const NARROW: GemmTile[] = [
  { BM: 128, BN: 32, BK: 16, TM: 8, TN: 4 },
  { BM: 64, BN: 32, BK: 16, TM: 4, TN: 4 },
  { BM: 32, BN: 32, BK: 16, TM: 2, TN: 4 },
];
const THIN: GemmTile = { BM: 256, BN: 4, BK: 8, TM: 4, TN: 4 };
/** Two workgroups for each of a large GPU's ~130 multiprocessors. */
export const WORKGROUPS_WANTED = 256;

export function tileFor(n: number, m: number, wanted = WORKGROUPS_WANTED): GemmTile {
  if (n <= 4) return THIN;
  const list = n <= 32 ? NARROW : WIDE;
  return list.find((t) => Math.ceil(m / t.BM) * Math.ceil(n / t.BN) >= wanted) ?? list[list.length - 1]!;
}

/** Every tile there is, for checks: each must fit WebGPU's default 16 KiB of workgroup memory. */
export const ALL_TILES: readonly GemmTile[] = [...WIDE, ...NARROW, THIN];

/** Workgroup memory a tile takes: its A and B panels, each row padded by one float. */
export function tileBytes(t: GemmTile): number {
  return 4 * t.BK * (t.BM + 1 + t.BN + 1);
}

export function threadsOf(t: GemmTile): number {
  return (t.BM / t.TM) * (t.BN / t.TN);
}

export interface GemmParts {
  tile: GemmTile;
  M: number;
  N: number;
  K: number;
  /** Binding declarations. */
  bindings: string;
  /** Constants and helpers for loadA / loadB / store. */
  helpers: string;
  /** Body of fn loadA(m: u32, k: u32) -> f32 (bounds already checked). */
  loadA: string;
  /** Body of fn loadB(k: u32, n: u32) -> f32 (bounds already checked). */
  loadB: string;
  /** Body of fn store(m: u32, n: u32, v: f32) (bounds already checked); \`split\` is the K chunk's index. */
  store: string;
  /**
   * Split K: each workgroup layer z (wg.z) sums only K rows [z·kChunk, (z + 1)·kChunk), for a product whose M×N
   * gives too few workgroups and whose K is long (a Gram matrix: C×C out of every pixel). The store then writes a
   * partial, one per split, that a later kernel adds up.
   */
  kChunk?: number;
  /**
   * Products in f16 (an f16 plan's: precision.ts): the panels are held in workgroup memory as vec4<f16> along K,
   * each thread's products are four-term f16 dot products, and its sums stay f32. The kernel must enable f16.
   */
  halfProducts?: boolean;
}

export function gemmShader(p: GemmParts): string {
  const { BM, BN, BK, TM, TN } = p.tile;
  const TX = BN / TN;
  const TY = BM / TM;
  const threads = TX * TY;
  const range = p.kChunk ? `let kLo = wg.z * ${p.kChunk}u;\n  let kHi = min(K, kLo + ${p.kChunk}u);` : 'let kLo = 0u;\n  let kHi = K;';
  // Past the chunk's end a split loads zeros; unsplit, loadA / loadB already give zeros past K.
  const inChunk = (load: string, kk = 'kk') => (p.kChunk ? `select(0.0, ${load}, k0 + ${kk} < kHi)` : load);
  const panels = p.halfProducts ? halfPanels(p.tile, inChunk) : f32Panels(p.tile, inChunk);
  return /* wgsl */ `
const M = ${p.M}u;
const N = ${p.N}u;
const K = ${p.K}u;
const BM = ${BM}u;
const BN = ${BN}u;
const BK = ${BK}u;
const TX = ${TX}u;
const TY = ${TY}u;
const THREADS = ${threads}u;
${p.bindings}
${p.helpers}
${panels.declarations}
var<private> split: u32;

fn loadA(m: u32, k: u32) -> f32 {
  if (m >= M || k >= K) { return 0.0; }
  ${p.loadA}
}
fn loadB(k: u32, n: u32) -> f32 {
  if (k >= K || n >= N) { return 0.0; }
  ${p.loadB}
}
fn store(m: u32, n: u32, v: f32) {
  ${p.store}
}

@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) tid: u32) {
  let m0 = wg.y * BM;
  let n0 = wg.x * BN;
  let tx = tid % TX;
  let ty = tid / TX;
  split = wg.z;
  ${range}
  ${panels.accs}
  for (var k0 = kLo; k0 < kHi; k0 += BK) {
    ${panels.fill}
    workgroupBarrier();
    ${panels.product}
    workgroupBarrier();
  }
  ${panels.stores}
}
`;
}

/** The WGSL of a GEMM's workgroup panels: their declaration, how a BK step fills them, and the threads' products. */
interface Panels {
  declarations: string;
  accs: string;
  fill: string;
  product: string;
  stores: string;
}

/** f32 panels, K-major: each thread's operands for one kk are TM + TN scalars. */
function f32Panels(t: GemmTile, inChunk: (load: string) => string): Panels {
  const block = threadBlock(t.TM, t.TN, (i) => `As[kk][ty + ${i}u * TY]`, (j) => `Bs[kk][tx + ${j}u * TX]`, (a, b, c) => `${c} = fma(${a}, ${b}, ${c});`);
  return {
    // One float of padding per row: the loads write down a column, which would otherwise hit one bank.
    declarations: `var<workgroup> As: array<array<f32, ${t.BM + 1}>, ${t.BK}>;
var<workgroup> Bs: array<array<f32, ${t.BN + 1}>, ${t.BK}>;`,
    accs: block.accs,
    fill: `for (var i = tid; i < BM * BK; i += THREADS) {
      let kk = i % BK;
      let mm = i / BK;
      As[kk][mm] = ${inChunk('loadA(m0 + mm, k0 + kk)')};
    }
    for (var i = tid; i < BK * BN; i += THREADS) {
      let nn = i % BN;
      let kk = i / BN;
      Bs[kk][nn] = ${inChunk('loadB(k0 + kk, n0 + nn)')};
    }`,
    product: `for (var kk = 0u; kk < BK; kk++) {
      ${block.product}
    }`,
    stores: block.stores,
  };
}

/**
 * f16 panels, each row four K values to a vec4<f16>: a thread's operands for four kk are TM + TN vector loads, and
 * each of its TM×TN products is one dot product in f16 added to an f32 sum. A, gathered from the picture side,
 * is filled along K (a pixel's channels lie side by side); B along N, as the filter's rows lie, so neighbouring
 * threads read neighbouring values. One vec4 of padding per row spreads a column's reads over the banks.
 */
function halfPanels(t: GemmTile, inChunk: (load: string, kk: string) => string): Panels {
  const KQ = t.BK / 4;
  const quad = (load: (kk: string) => string) => `vec4<f16>(${[0, 1, 2, 3].map((d) => `f16(${inChunk(load(`kq * 4u + ${d}u`), `kq * 4u + ${d}u`)})`).join(', ')})`;
  const block = threadBlock(t.TM, t.TN, (i) => `As[ty + ${i}u * TY][kq]`, (j) => `Bs[tx + ${j}u * TX][kq]`, (a, b, c) => `${c} += f32(dot(${a}, ${b}));`);
  return {
    declarations: `var<workgroup> As: array<array<vec4<f16>, ${KQ + 1}>, ${t.BM}>;
var<workgroup> Bs: array<array<vec4<f16>, ${KQ + 1}>, ${t.BN}>;`,
    accs: block.accs,
    fill: `for (var i = tid; i < BM * ${KQ}u; i += THREADS) {
      let kq = i % ${KQ}u;
      let mm = i / ${KQ}u;
      As[mm][kq] = ${quad((kk) => `loadA(m0 + mm, k0 + ${kk})`)};
    }
    for (var i = tid; i < BN * ${KQ}u; i += THREADS) {
      let nn = i % BN;
      let kq = i / BN;
      Bs[nn][kq] = ${quad((kk) => `loadB(k0 + ${kk}, n0 + nn)`)};
    }`,
    product: `for (var kq = 0u; kq < ${KQ}u; kq++) {
      ${block.product}
    }`,
    stores: block.stores,
  };
}

/**
 * The thread's TM×TN block written out with constant indices: each accumulator and operand a register of its own.
 * A GPU compiler unrolls the loops this replaces by itself, but a CPU one (SwiftShader) kept them as per-lane arrays
 * indexed at run time, a gather and a scatter for every multiply-add. `a(i)` / `b(j)` read the operands, `add`
 * adds their product to an accumulator.
 */
function threadBlock(TM: number, TN: number, a: (i: number) => string, b: (j: number) => string, add: (a: string, b: string, c: string) => string): { accs: string; product: string; stores: string } {
  const is = [...Array(TM).keys()];
  const js = [...Array(TN).keys()];
  const accs = is.map((i) => js.map((j) => `var c${i}_${j} = 0.0;`).join(' ')).join('\n  ');
  const loads = [...is.map((i) => `let a${i} = ${a(i)};`), ...js.map((j) => `let b${j} = ${b(j)};`)].join('\n      ');
  const adds = is.map((i) => js.map((j) => add(`a${i}`, `b${j}`, `c${i}_${j}`)).join(' ')).join('\n      ');
  const stores = is
    .map((i) => `{\n    let m = m0 + ty + ${i}u * TY;\n    if (m < M) {\n      ${js.map((j) => `if (n0 + tx + ${j}u * TX < N) { store(m, n0 + tx + ${j}u * TX, c${i}_${j}); }`).join('\n      ')}\n    }\n  }`)
    .join('\n  ');
  return { accs, product: `${loads}\n      ${adds}`, stores };
}

export function gemmGrid(p: { tile: GemmTile; M: number; N: number }): [number, number] {
  return [Math.ceil(p.N / p.tile.BN), Math.ceil(p.M / p.tile.BM)];
}

/**
 * How to split a K-long product whose M×N tiles leave the GPU idle: chunks of whole BK steps, enough of them for
 * `wanted` workgroups in all, none shorter than 4 BK steps (each split's partial is written and read back once).
 */
export function kSplit(p: { tile: GemmTile; M: number; N: number; K: number }, wanted = WORKGROUPS_WANTED): { splits: number; kChunk: number } {
  const [gx, gy] = gemmGrid(p);
  const most = Math.max(1, Math.floor(p.K / (4 * p.tile.BK)));
  const splits = Math.min(most, Math.max(1, Math.ceil(wanted / (gx * gy))));
  const kChunk = Math.ceil(p.K / splits / p.tile.BK) * p.tile.BK;
  return { splits: Math.ceil(p.K / kChunk), kChunk };
}
