// Batched matrix product for the CPU reference backend.
import type { TypedArray } from "../../tensor/dtype.js";
import type { Shape } from "../../tensor/shape.js";
import { matmulWasm } from "./wasm/index.js";

/**
 * o[b] = a[b] @ b[b] for a [B, M, K] and b [B, K, N] given by strides (broadcast batches have stride 0).
 * NOTE: a 4x4 register tile over packed panels (A as [K][4] row panels, B as [K][4] column panels),
 * accumulating in float64 scalars: plain JS reaches a few GFLOP/s this way, against ~1 for the naive
 * loop (../shared/notes/performance.md). Edges that do not fill a tile take the plain loop.
 * NOTE: float32 output follows the summation order of OpenBLAS's SGEMM (Cooperlake/SkylakeX kernels),
 * which PyTorch's float32 mm calls (plan: f32Plan). In the default order each output element has one
 * float32 accumulator taking products in k order with FMA (one rounding each), over K blocks; each
 * block's sum starts at 0 and is then added, rounded to float32, into C. Accumulating in float64
 * instead made program 06 print 0.0074343... instead of PyTorch's 0.0074442...
 * (docs/notes/float32-matmul-order.md). fround(a * b + c) is the FMA, a * b being exact in float64,
 * except when the float64 sum lands exactly on a float32 midpoint (double rounding): never seen in 1e8
 * random products, and checking for it made the kernel 3-5x slower, so it is not checked. float64
 * output accumulates in float64.
 * With `accumulate`, o already holds C (torch.addmm's input, beta = 1) and every block's sum is added
 * to it, the first block's too. NOTE: that is BLAS's beta = 1 path, which PyTorch's addmm (and so
 * nn.Linear with a bias) takes: C is set to the bias first and the products are added into it, so
 * the bias joins before the rounding of the sum rather than after it.
 * `fast` (the fast "wasm" backend) lets float32 run on the plain-SIMD wasm kernel where the engine
 * lacks relaxed SIMD (other bits, see ./wasm/index.ts); where it has it, the bits are these anyway.
 * The wasm kernel runs on every compute thread (torch.setNumThreads), each element's sum in the
 * order above.
 */
export function matmulInto(
  a: TypedArray, as: Shape, ao: number,
  b: TypedArray, bs: Shape, bo: number,
  o: TypedArray, B: number, M: number, K: number, N: number, accumulate = false, fast = false,
): void {
  const [sab, sam, sak] = as as [number, number, number];
  const [sbb, sbk, sbn] = bs as [number, number, number];
  const M4 = M & ~3;
  const f32 = o instanceof Float32Array;
  const { ends, dotFrom } = f32 ? f32Plan(M, K, N, sam, sak, sbk, sbn) : { ends: [K], dotFrom: N };
  // Columns < dotFrom run in wasm when it takes them; else columns < N4 take 4x4 tiles and columns
  // N4..dotFrom rowTail (below); dotFrom..N (float32 only) DotScratch.
  const N4 = Math.min(N & ~3, dotFrom);
  let Ap: Float64Array | null = null;
  let Bp: Float64Array | null = null;
  const dot = dotFrom < N ? new DotScratch(K, N - dotFrom) : null;
  let packedBatch = -1, dotPacked = -1;
  for (let x = 0; x < B; x++) {
    const aB = ao + x * sab, bB = bo + x * sbb, oB = x * M * N;
    const bKey = sbb === 0 ? 0 : x; // B broadcast over the batch is packed once
    // NOTE: the wasm SIMD kernel (./wasm) computes columns 0..dotFrom of every row with the same bits,
    // 2-5x faster (on every compute thread); it declines tiny products and engines without SIMD, and
    // the TypeScript tiles and rowTail run.
    const inWasm = dotFrom > 0 && matmulWasm(a, aB, sam, sak, b, bB, sbk, sbn, M, K, N, dotFrom, ends, o, oB, undefined, accumulate, fast);
    if (!inWasm && N4 > 0) {
      Ap ??= new Float64Array(K * 4);
      if (bKey !== packedBatch) {
        Bp ??= new Float64Array(K * N4);
        for (let jb = 0; jb < N4; jb += 4) {
          const base = jb * K;
          for (let k = 0; k < K; k++) {
            const r = bB + k * sbk + jb * sbn, p = base + k * 4;
            Bp[p] = b[r]!;
            Bp[p + 1] = b[r + sbn]!;
            Bp[p + 2] = b[r + 2 * sbn]!;
            Bp[p + 3] = b[r + 3 * sbn]!;
          }
        }
        packedBatch = bKey;
      }
      for (let i = 0; i < M4; i += 4) {
        const a0 = aB + i * sam;
        for (let k = 0; k < K; k++) {
          const r = a0 + k * sak, p = k * 4;
          Ap[p] = a[r]!;
          Ap[p + 1] = a[r + sam]!;
          Ap[p + 2] = a[r + 2 * sam]!;
          Ap[p + 3] = a[r + 3 * sam]!;
        }
        for (let jb = 0; jb < N4; jb += 4) {
          if (!f32) {
            tile4x4(Ap, Bp!, jb * K, K, o, oB + i * N + jb, N, accumulate);
            continue;
          }
          let k0 = 0;
          for (const k1 of ends) {
            tile4x4F32(Ap, Bp!, jb * K, k0, k1, o as Float32Array, oB + i * N + jb, N, k0 === 0 && !accumulate);
            k0 = k1;
          }
        }
      }
    }
    // what the tiles left (without wasm): columns N4..dotFrom, and all of 0..dotFrom in rows below M4
    for (let i = 0; i < M && !inWasm; i++) {
      const from = i < M4 ? N4 : 0;
      if (from < dotFrom) rowTail(a, aB + i * sam, sak, b, bB, sbk, sbn, ends, f32, from, dotFrom, o, oB + i * N, accumulate);
    }
    if (dot) {
      if (bKey !== dotPacked) {
        dot.packB(b, bB + dotFrom * sbn, sbk, sbn, N - dotFrom);
        dotPacked = bKey;
      }
      for (let i = 0; i < M4; i += 4) dot.rows(a, aB + i * sam, sam, sak, 4, false, o as Float32Array, oB + i * N + dotFrom, N, N - dotFrom, accumulate);
      if (M4 < M) dot.rows(a, aB + M4 * sam, sam, sak, M - M4, true, o as Float32Array, oB + M4 * N + dotFrom, N, N - dotFrom, accumulate);
    }
  }
}

/**
 * Which order PyTorch's float32 mm gets from OpenBLAS 0.3.21 (Cooperlake/SkylakeX) for this shape and
 * layout: `ends`, the K blocks of the default per-element FMA chain, and `dotFrom`, the first output
 * column taken by the dot-style order of DotScratch (N when none).
 * PyTorch's row-major a @ b is the column-major sgemm C^T = B^T A^T: BLAS M = our N (output columns),
 * BLAS N = our M, BLAS A = our b, BLAS B = our a. Each operand is "N" when row-major, "T" when it is
 * a transposed (column-major) view, and copied to row-major ("N") otherwise (ATen's addmm_impl_cpu_
 * stride tests, mirrored below). A one-column result (N = 1) is treated by PyTorch as column-major,
 * C = A B with b always "T": never the TN case.
 * NOTE: OpenBLAS's interface/gemm.c sends a product with M*N*K <= 100^3 to its "small matrix" kernels
 * (sgemm_small_kernel_permit_skylakex.c) before the blocked, threaded driver (kBlocks). Measured
 * for each layout against PyTorch (scripts/gen_matmul_fixtures.py, /tmp probes):
 * - NN (both row-major): one FMA chain over all of K, no K blocks (8x1000x8, 16x700x24, 33x641x17,
 *   and 10x1000x100 = 100^3 match one chain; 10x1001x100 matches the driver), except that the last
 *   BLAS M % 16 rows (our last N % 16 columns) take the dot-style path when there are at most 8 of
 *   them and K >= 32 (sgemm_small_kernel_nn_skylakex.c; exact for N % 16 = 1..8, K = 32..1000, M = 1..39).
 * - TN (b a transposed view, a row-major): the small kernel only when BLAS M*N <= 1200 and K >= 32
 *   (the permit's TN rule), and then every element takes the dot-style order
 *   (sgemm_small_kernel_tn_skylakex.c); measured exact for 10x64x100, 100x64x10, 30x100x40 (M*N = 1200),
 *   16x700x24, 33x641x17; otherwise the driver.
 * - NT (a a transposed view) and TT (both), and N = 1: one plain FMA chain over all of K (measured
 *   16x700x24, 33x641x17, 8x1000x8, 40x200x1, 40x2000x1: no blocks, no dot order). The permit we could
 *   read (a later OpenBLAS) refuses TT, yet the driver's K blocks (K = 700: 320, 192, 188) do not
 *   match here while one chain does, so 0.3.21 must take a small kernel for TT too (presumably the
 *   generic C loop, contracted to FMA by GCC; not confirmed).
 * Above 100^3 every layout takes the driver (kBlocks); measured 2000x700x1, 10x1001x100, 64x1000x100.
 */
export function f32Plan(
  M: number, K: number, N: number, sam: number, sak: number, sbk: number, sbn: number,
): { ends: number[]; dotFrom: number } {
  const driver = { ends: kBlocks(M, K, N), dotFrom: N };
  if (M * N * K > 1e6) return driver;
  const chain = { ends: [K], dotFrom: N };
  if (N === 1) return chain;
  const aT = !(sak === 1 && sam >= Math.max(1, K)) && sam === 1 && sak >= Math.max(1, M);
  const bT = !(sbn === 1 && sbk >= Math.max(1, N)) && sbk === 1 && sbn >= Math.max(1, K);
  if (bT && !aT) return M * N <= 1200 && K >= 32 ? { ends: [K], dotFrom: 0 } : driver;
  if (aT) return chain;
  const tail = N & 15;
  return { ends: [K], dotFrom: K >= 32 && tail > 0 && tail <= 8 ? N - tail : N };
}

function tile4x4(Ap: Float64Array, Bp: Float64Array, bOff: number, K: number, o: TypedArray, oOff: number, N: number, add: boolean): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let k = 0, p = 0, q = bOff; k < K; k++, p += 4, q += 4) {
    const a0 = Ap[p]!, a1 = Ap[p + 1]!, a2 = Ap[p + 2]!, a3 = Ap[p + 3]!;
    const b0 = Bp[q]!, b1 = Bp[q + 1]!, b2 = Bp[q + 2]!, b3 = Bp[q + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (add) {
    o[oOff] += c00; o[oOff + 1] += c01; o[oOff + 2] += c02; o[oOff + 3] += c03; oOff += N;
    o[oOff] += c10; o[oOff + 1] += c11; o[oOff + 2] += c12; o[oOff + 3] += c13; oOff += N;
    o[oOff] += c20; o[oOff + 1] += c21; o[oOff + 2] += c22; o[oOff + 3] += c23; oOff += N;
    o[oOff] += c30; o[oOff + 1] += c31; o[oOff + 2] += c32; o[oOff + 3] += c33;
    return;
  }
  o[oOff] = c00; o[oOff + 1] = c01; o[oOff + 2] = c02; o[oOff + 3] = c03;
  oOff += N;
  o[oOff] = c10; o[oOff + 1] = c11; o[oOff + 2] = c12; o[oOff + 3] = c13;
  oOff += N;
  o[oOff] = c20; o[oOff + 1] = c21; o[oOff + 2] = c22; o[oOff + 3] = c23;
  oOff += N;
  o[oOff] = c30; o[oOff + 1] = c31; o[oOff + 2] = c32; o[oOff + 3] = c33;
}


/**
 * K blocks of OpenBLAS's SGEMM driver for SkylakeX/Cooperlake (GEMM_Q = 320). PyTorch's row-major
 * a @ b is the column-major sgemm C^T = B^T A^T; only K matters for the summation order.
 * Measured bitwise against Debian's OpenBLAS 0.3.21 (OPENBLAS_CORETYPE=Cooperlake): K = 1000 splits
 * 320,320,192,168 single-threaded (driver/level3/level3.c halves a remainder between Q and 2Q and
 * rounds it up to GEMM_UNROLL_M = 16) and 320,320,180,180 when OpenBLAS runs threaded (level3_thread.c
 * halves it as (r + 1) / 2). Threaded is assumed above OpenBLAS's default GEMM_MULTITHREAD_THRESHOLD
 * (M*N*K > 65536 * 4) and more than one core, as on the machine that made the reference outputs.
 * NOTE: OpenBLAS's pthread pool has one thread per core whatever torch.get_num_threads() says (1
 * there, 2 cores): measured, 64x1000x100 matches the threaded split, and the single-threaded one only
 * under OPENBLAS_NUM_THREADS=1. Since products up to 100^3 take the small kernels (f32Plan), the
 * single-threaded split is only reachable through the TN case outside its permit, where K > 320 never
 * occurs below the threshold; it is kept for what level3.c does.
 */
function kBlocks(M: number, K: number, N: number): number[] {
  const Q = 320, threaded = M * N * K > 65536 * 4;
  const ends: number[] = [];
  let ls = 0;
  while (ls < K) {
    let m = K - ls;
    if (m >= 2 * Q) m = Q;
    else if (m > Q) m = threaded ? (m + 1) >> 1 : Math.floor((Math.floor(m / 2) + 15) / 16) * 16;
    ls += m;
    ends.push(ls);
  }
  return ends;
}

/**
 * One K block of a 4x4 float32 tile: each accumulator takes fround(a * b + c), an FMA (see matmulInto).
 * Inlined by hand: a call per product is ~5x slower.
 */
function tile4x4F32(
  Ap: Float64Array, Bp: Float64Array, bOff: number, k0: number, k1: number,
  o: Float32Array, oOff: number, N: number, first: boolean,
): void {
  const fr = Math.fround;
  let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
  let c02 = 0, c03 = 0, c12 = 0, c13 = 0, c22 = 0, c23 = 0, c32 = 0, c33 = 0;
  for (let k = k0, p = k0 * 4, q = bOff + k0 * 4; k < k1; k++, p += 4, q += 4) {
    const a0 = Ap[p]!, a1 = Ap[p + 1]!, a2 = Ap[p + 2]!, a3 = Ap[p + 3]!;
    const b0 = Bp[q]!, b1 = Bp[q + 1]!, b2 = Bp[q + 2]!, b3 = Bp[q + 3]!;
    c00 = fr(a0 * b0 + c00);
    c01 = fr(a0 * b1 + c01);
    c02 = fr(a0 * b2 + c02);
    c03 = fr(a0 * b3 + c03);
    c10 = fr(a1 * b0 + c10);
    c11 = fr(a1 * b1 + c11);
    c12 = fr(a1 * b2 + c12);
    c13 = fr(a1 * b3 + c13);
    c20 = fr(a2 * b0 + c20);
    c21 = fr(a2 * b1 + c21);
    c22 = fr(a2 * b2 + c22);
    c23 = fr(a2 * b3 + c23);
    c30 = fr(a3 * b0 + c30);
    c31 = fr(a3 * b1 + c31);
    c32 = fr(a3 * b2 + c32);
    c33 = fr(a3 * b3 + c33);
  }
  // C starts at 0 (beta = 0); each later block's sum is added to it. Float32Array stores round.
  if (first) {
    o[oOff] = c00; o[oOff + 1] = c01; o[oOff + 2] = c02; o[oOff + 3] = c03; oOff += N;
    o[oOff] = c10; o[oOff + 1] = c11; o[oOff + 2] = c12; o[oOff + 3] = c13; oOff += N;
    o[oOff] = c20; o[oOff + 1] = c21; o[oOff + 2] = c22; o[oOff + 3] = c23; oOff += N;
    o[oOff] = c30; o[oOff + 1] = c31; o[oOff + 2] = c32; o[oOff + 3] = c33;
  } else {
    o[oOff] += c00; o[oOff + 1] += c01; o[oOff + 2] += c02; o[oOff + 3] += c03; oOff += N;
    o[oOff] += c10; o[oOff + 1] += c11; o[oOff + 2] += c12; o[oOff + 3] += c13; oOff += N;
    o[oOff] += c20; o[oOff + 1] += c21; o[oOff + 2] += c22; o[oOff + 3] += c23; oOff += N;
    o[oOff] += c30; o[oOff + 1] += c31; o[oOff + 2] += c32; o[oOff + 3] += c33;
  }
}

/**
 * Columns j0..N of one output row (N here: the first column not taken by this path), plainly: float64
 * accumulation, or (f32) the float32 FMA order of tile4x4F32 over the same K blocks.
 */
function rowTail(
  a: TypedArray, aRow: number, sak: number, b: TypedArray, bB: number, sbk: number, sbn: number,
  ends: number[], f32: boolean, j0: number, N: number, o: TypedArray, oRow: number, accumulate: boolean,
): void {
  const fr = Math.fround;
  for (let j = j0; j < N; j++) {
    let c = accumulate ? o[oRow + j]! : 0, k0 = 0;
    for (const k1 of ends) {
      let s = 0;
      let ai = aRow + k0 * sak, bi = bB + j * sbn + k0 * sbk;
      if (f32) for (let k = k0; k < k1; k++, ai += sak, bi += sbk) s = fr(a[ai]! * b[bi]! + s);
      else for (let k = k0; k < k1; k++, ai += sak, bi += sbk) s += a[ai]! * b[bi]!;
      c = f32 ? fr(c + s) : accumulate ? c + s : s;
      k0 = k1;
    }
    o[oRow + j] = c;
  }
}

/**
 * The dot-style order of OpenBLAS's small kernels (f32Plan) for a band of output columns: per element,
 * 16 float32 FMA accumulators, lane r taking k = r, r + 16, ... (the last K % 16 products come in
 * through one masked load, so they land in lanes 0..K % 16 - 1), then summed across lanes with a
 * float32 rounding per add: adjacent pairs ((l0 + l1) + (l2 + l3)) + ..., or halving (l[i] + l[i + 8],
 * then + 4, + 2, + 1).
 * NOTE: OpenBLAS reduces 4 accumulators at a time with an unpack/shuffle transpose whose adds pair
 * adjacent lanes, and single ones with _mm512_reduce_add_ps, which GCC builds by halving; a 4-group
 * forms along either BLAS dimension, so only elements in both the last N % 4 columns and the last
 * M % 4 rows are single. Measured: adjacent for all others, halving for those (e.g. 35x64x17 rows
 * 32..34 of column 16, 37x64x17 row 36); each of the other 22 lane-pairing orders leaves mismatches.
 * The lanes are independent FMA chains, so they are computed by tile4x4F32, the main kernel, over K
 * packed lane by lane (k = 0, 16, 32, ..., then 1, 17, ...): a 4x4 block of elements at a time, one
 * call per lane. Per element with 16 scalar lanes this ran 2-4x slower.
 */
class DotScratch {
  /** packed position of each k: lane (k & 15) segments one after another */
  private readonly pos: Int32Array;
  /** lane r's products lie at seg[r]..seg[r + 1] of the packing */
  private readonly seg: number[] = [];
  private readonly Ap: Float64Array;
  private readonly Bp: Float64Array;
  /** lane r of the 4x4 block's element (ii, jj) at r * 16 + ii * 4 + jj */
  private readonly S = new Float32Array(256);
  private readonly K: number;

  constructor(K: number, cols: number) {
    this.K = K;
    this.pos = new Int32Array(K);
    let p = 0;
    for (let r = 0; r < 16; r++) {
      this.seg.push(p);
      for (let k = r; k < K; k += 16) this.pos[k] = p++;
    }
    this.seg.push(p);
    this.Ap = new Float64Array(K * 4);
    this.Bp = new Float64Array(K * 4 * Math.ceil(cols / 4));
  }

  /** B's columns j = 0..cols of the band (from `off`), in 4-column panels, padded with zeros. */
  packB(b: TypedArray, off: number, sbk: number, sbn: number, cols: number): void {
    const { K, pos, Bp } = this;
    Bp.fill(0);
    for (let j = 0; j < cols; j++) {
      const base = (j >> 2) * 4 * K + (j & 3);
      for (let k = 0, r = off + j * sbn; k < K; k++, r += sbk) Bp[base + pos[k]! * 4] = b[r]!;
    }
  }

  /**
   * Output rows 0..rows (at most 4) of the band from A's rows at `aOff`: o[oOff + ii * N + j]. With
   * `halvLast`, the band's last cols % 4 columns are reduced by halving (the last M % 4 rows).
   */
  rows(
    a: TypedArray, aOff: number, sam: number, sak: number, rows: number, halvLast: boolean,
    o: Float32Array, oOff: number, N: number, cols: number, accumulate: boolean,
  ): void {
    const { K, pos, Ap, Bp, S, seg } = this;
    const fr = Math.fround;
    for (let ii = 0; ii < 4; ii++)
      for (let k = 0, r = aOff + ii * sam; k < K; k++, r += sak) Ap[pos[k]! * 4 + ii] = ii < rows ? a[r]! : 0;
    const halvFrom = halvLast ? cols & ~3 : cols;
    for (let jb = 0; jb < cols; jb += 4) {
      for (let r = 0; r < 16; r++) tile4x4F32(Ap, Bp, jb * K, seg[r]!, seg[r + 1]!, S, r * 16, 4, true);
      for (let ii = 0; ii < rows; ii++)
        for (let jj = 0; jj < 4 && jb + jj < cols; jj++) {
          const e = ii * 4 + jj;
          const l0 = S[e]!, l1 = S[e + 16]!, l2 = S[e + 32]!, l3 = S[e + 48]!;
          const l4 = S[e + 64]!, l5 = S[e + 80]!, l6 = S[e + 96]!, l7 = S[e + 112]!;
          const l8 = S[e + 128]!, l9 = S[e + 144]!, l10 = S[e + 160]!, l11 = S[e + 176]!;
          const l12 = S[e + 192]!, l13 = S[e + 208]!, l14 = S[e + 224]!, l15 = S[e + 240]!;
          const sum = jb + jj < halvFrom
            ? fr(fr(fr(fr(l0 + l1) + fr(l2 + l3)) + fr(fr(l4 + l5) + fr(l6 + l7)))
              + fr(fr(fr(l8 + l9) + fr(l10 + l11)) + fr(fr(l12 + l13) + fr(l14 + l15))))
            : fr(fr(fr(fr(l0 + l8) + fr(l4 + l12)) + fr(fr(l2 + l10) + fr(l6 + l14)))
              + fr(fr(fr(l1 + l9) + fr(l5 + l13)) + fr(fr(l3 + l11) + fr(l7 + l15))));
          const at = oOff + ii * N + jb + jj;
          o[at] = accumulate ? o[at]! + sum : sum;
        }
    }
  }
}
