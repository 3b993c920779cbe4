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
  var acc: array<array<f32, ${TN}>, ${TM}>;
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
      var a: array<f32, ${TM}>;
      var b: array<f32, ${TN}>;
      for (var i = 0u; i < ${TM}u; i++) { a[i] = As[kk][ty + i * TY]; }
      for (var j = 0u; j < ${TN}u; j++) { b[j] = Bs[kk][tx + j * TX]; }
      for (var i = 0u; i < ${TM}u; i++) {
        for (var j = 0u; j < ${TN}u; j++) { acc[i][j] = fma(a[i], b[j], acc[i][j]); }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < ${TM}u; i++) {
    let m = m0 + ty + i * TY;
    if (m >= M) { continue; }
    for (var j = 0u; j < ${TN}u; j++) {
      let n = n0 + tx + j * TX;
      if (n < N) { store(m, n, acc[i][j]); }
    }
  }
}
`;
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
