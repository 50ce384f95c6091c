// Batched matrix product for the CPU reference backend.
import type { TypedArray } from "../../tensor/dtype.js";
import type { Shape } from "../../tensor/shape.js";

/**
 * o[b] = a[b] @ b[b] for a [B, M, K] and b [B, K, N] given by strides (broadcast batches have stride 0).
 * NOTE: a 4x4 register tile over packed panels (A as [K][4] row panels, B as [K][4] column panels),
 * accumulating in float64 scalars: plain JS reaches a few GFLOP/s this way, against ~1 for the naive
 * loop (../shared/notes/performance.md). Edges that do not fill a tile take the plain loop.
 * NOTE: float32 output follows the summation order of OpenBLAS's SGEMM (Cooperlake/SkylakeX kernels),
 * which PyTorch's float32 mm calls: per output element, one float32 accumulator taking products in k
 * order with FMA (one rounding each), over K blocks (kBlocks); each block's sum starts at 0 and is then
 * added, rounded to float32, into C. Accumulating in float64 instead made program 06 print 0.0074343...
 * instead of PyTorch's 0.0074442... (docs/notes/float32-matmul-order.md). fround(a * b + c) is the FMA,
 * a * b being exact in float64, except when the float64 sum lands exactly on a float32 midpoint
 * (double rounding): never seen in 1e8 random products, and checking for it made the kernel 3-5x
 * slower, so it is not checked. float64 output accumulates in float64.
 */
export function matmulInto(
  a: TypedArray, as: Shape, ao: number,
  b: TypedArray, bs: Shape, bo: number,
  o: TypedArray, B: number, M: number, K: number, N: number,
): void {
  const [sab, sam, sak] = as as [number, number, number];
  const [sbb, sbk, sbn] = bs as [number, number, number];
  const N4 = N & ~3, M4 = M & ~3;
  const f32 = o instanceof Float32Array;
  const ends = f32 ? kBlocks(M, K, N) : [K];
  const Ap = new Float64Array(K * 4);
  const Bp = new Float64Array(K * N4);
  let packedBatch = -1;
  for (let x = 0; x < B; x++) {
    const aB = ao + x * sab, bB = bo + x * sbb, oB = x * M * N;
    // pack B's full 4-column panels (once when B is broadcast over the batch)
    const bKey = sbb === 0 ? 0 : x;
    if (bKey !== packedBatch) {
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
          tile4x4(Ap, Bp, jb * K, K, o, oB + i * N + jb, N);
          continue;
        }
        let k0 = 0;
        for (const k1 of ends) {
          tile4x4F32(Ap, Bp, jb * K, k0, k1, o as Float32Array, oB + i * N + jb, N, k0 === 0);
          k0 = k1;
        }
      }
      if (N4 < N) for (let r = 0; r < 4; r++) rowTail(a, a0 + r * sam, sak, b, bB, sbk, sbn, ends, f32, N4, N, o, oB + (i + r) * N);
    }
    for (let i = M4; i < M; i++) rowTail(a, aB + i * sam, sak, b, bB, sbk, sbn, ends, f32, 0, N, o, oB + i * N);
  }
}

function tile4x4(Ap: Float64Array, Bp: Float64Array, bOff: number, K: number, o: TypedArray, oOff: number, N: number): void {
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
 * Columns j0..N of one output row, plainly: float64 accumulation, or (f32) the float32 FMA order of
 * tile4x4F32 over the same K blocks.
 */
function rowTail(
  a: TypedArray, aRow: number, sak: number, b: TypedArray, bB: number, sbk: number, sbn: number,
  ends: number[], f32: boolean, j0: number, N: number, o: TypedArray, oRow: number,
): void {
  const fr = Math.fround;
  for (let j = j0; j < N; j++) {
    let c = 0, k0 = 0;
    for (const k1 of ends) {
      let s = 0;
      let ai = aRow + k0 * sak, bi = bB + j * sbn + k0 * sbk;
      if (f32) for (let k = k0; k < k1; k++, ai += sak, bi += sbk) s = fr(a[ai]! * b[bi]! + s);
      else for (let k = k0; k < k1; k++, ai += sak, bi += sbk) s += a[ai]! * b[bi]!;
      c = f32 ? fr(c + s) : s;
      k0 = k1;
    }
    o[oRow + j] = c;
  }
}
