// Batched matrix product for the CPU reference backend.
import type { TypedArray } from "../../tensor/dtype.js";
import type { Shape } from "../../tensor/shape.js";

/**
 * o[b] = a[b] @ b[b] for a [B, M, K] and b [B, K, N] given by strides (broadcast batches have stride 0).
 * NOTE: a 4x4 register tile over packed panels (A as [K][4] row panels, B as [K][4] column panels),
 * accumulating in float64 scalars: plain JS reaches a few GFLOP/s this way, against ~1 for the naive
 * loop (../shared/notes/performance.md). Edges that do not fill a tile take the plain loop.
 */
export function matmulInto(
  a: TypedArray, as: Shape, ao: number,
  b: TypedArray, bs: Shape, bo: number,
  o: TypedArray, B: number, M: number, K: number, N: number,
): void {
  const [sab, sam, sak] = as as [number, number, number];
  const [sbb, sbk, sbn] = bs as [number, number, number];
  const N4 = N & ~3, M4 = M & ~3;
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
      for (let jb = 0; jb < N4; jb += 4) tile4x4(Ap, Bp, jb * K, K, o, oB + i * N + jb, N);
      if (N4 < N) for (let r = 0; r < 4; r++) rowTail(a, a0 + r * sam, sak, b, bB, sbk, sbn, K, N4, N, o, oB + (i + r) * N);
    }
    for (let i = M4; i < M; i++) rowTail(a, aB + i * sam, sak, b, bB, sbk, sbn, K, 0, N, o, oB + i * N);
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

/** Columns j0..N of one output row, plainly. */
function rowTail(
  a: TypedArray, aRow: number, sak: number, b: TypedArray, bB: number, sbk: number, sbn: number,
  K: number, j0: number, N: number, o: TypedArray, oRow: number,
): void {
  for (let j = j0; j < N; j++) {
    let s = 0;
    for (let k = 0, ai = aRow, bi = bB + j * sbn; k < K; k++, ai += sak, bi += sbk) s += a[ai]! * b[bi]!;
    o[oRow + j] = s;
  }
}
