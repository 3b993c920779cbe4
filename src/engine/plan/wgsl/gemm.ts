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
}

export function gemmShader(p: GemmParts): string {
  const { BM, BN, BK, TM, TN } = p.tile;
  const TX = BN / TN;
  const TY = BM / TM;
  const threads = TX * TY;
  const range = p.kChunk ? `let kLo = wg.z * ${p.kChunk}u;\n  let kHi = min(K, kLo + ${p.kChunk}u);` : 'let kLo = 0u;\n  let kHi = K;';
  // Past the chunk's end a split loads zeros; unsplit, loadA / loadB already give zeros past K.
  const unrolled = unrolledProduct(TM, TN);
  const inChunk = (load: string) => (p.kChunk ? `select(0.0, ${load}, k0 + kk < kHi)` : load);
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
// One float of padding per row: the loads write down a column, which would otherwise hit one bank.
var<workgroup> As: array<array<f32, ${BM + 1}>, ${BK}>;
var<workgroup> Bs: array<array<f32, ${BN + 1}>, ${BK}>;
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
  ${unrolled.accs}
  for (var k0 = kLo; k0 < kHi; k0 += BK) {
    for (var i = tid; i < BM * BK; i += THREADS) {
      let kk = i % BK;
      let mm = i / BK;
      As[kk][mm] = ${inChunk('loadA(m0 + mm, k0 + kk)')};
    }
    for (var i = tid; i < BK * BN; i += THREADS) {
      let nn = i % BN;
      let kk = i / BN;
      Bs[kk][nn] = ${inChunk('loadB(k0 + kk, n0 + nn)')};
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      ${unrolled.product}
    }
    workgroupBarrier();
  }
  ${unrolled.stores}
}
`;
}

/**
 * The thread's TM×TN block written out with constant indices: each accumulator and operand a register of its own.
 * A GPU compiler unrolls the loops this replaces by itself, but a CPU one (SwiftShader) kept them as per-lane arrays
 * indexed at run time, a gather and a scatter for every multiply-add.
 */
function unrolledProduct(TM: number, TN: number): { accs: string; product: string; stores: string } {
  const is = [...Array(TM).keys()];
  const js = [...Array(TN).keys()];
  const accs = is.map((i) => js.map((j) => `var c${i}_${j} = 0.0;`).join(' ')).join('\n  ');
  const loads = [...is.map((i) => `let a${i} = As[kk][ty + ${i}u * TY];`), ...js.map((j) => `let b${j} = Bs[kk][tx + ${j}u * TX];`)].join('\n      ');
  const fmas = is.map((i) => js.map((j) => `c${i}_${j} = fma(a${i}, b${j}, c${i}_${j});`).join(' ')).join('\n      ');
  const stores = is
    .map((i) => `{\n    let m = m0 + ty + ${i}u * TY;\n    if (m < M) {\n      ${js.map((j) => `if (n0 + tx + ${j}u * TX < N) { store(m, n0 + tx + ${j}u * TX, c${i}_${j}); }`).join('\n      ')}\n    }\n  }`)
    .join('\n  ');
  return { accs, product: `${loads}\n      ${fmas}`, stores };
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
