// Batched matrix product for the CPU reference backend.
import type { TypedArray } from "../../tensor/dtype.js";
import type { Shape } from "../../tensor/shape.js";

/**
 * o[b] = a[b] @ b[b] for a [B, M, K] and b [B, K, N] given by strides (broadcast batches have stride 0).
 * NOTE: i-k-j order over rows of B, four output rows at a time, accumulating in float64: B's row is
 * read once per four rows of A, and the inner loop walks contiguous memory. B is packed first when its
 * rows are not contiguous (a transposed operand, as in every backward of mm).
 */
export function matmulInto(
  a: TypedArray, as: Shape, ao: number,
  b: TypedArray, bs: Shape, bo: number,
  o: TypedArray, B: number, M: number, K: number, N: number,
): void {
  const [sab, sam, sak] = as as [number, number, number];
  let [sbb, sbk, sbn] = bs as [number, number, number];
  let bb = b, bOff = bo;
  if (sbn !== 1 && N > 1) {
    // pack B into contiguous [B', K, N]
    const nb = sbb === 0 ? 1 : B;
    const packed = new Float64Array(nb * K * N);
    for (let x = 0; x < nb; x++)
      for (let k = 0; k < K; k++) {
        const src = bo + x * sbb + k * sbk, dst = (x * K + k) * N;
        for (let n = 0; n < N; n++) packed[dst + n] = b[src + n * sbn]!;
      }
    bb = packed;
    bOff = 0;
    sbb = nb === 1 ? 0 : K * N;
    sbk = N;
    sbn = 1;
  }
  const acc0 = new Float64Array(N), acc1 = new Float64Array(N), acc2 = new Float64Array(N), acc3 = new Float64Array(N);
  for (let x = 0; x < B; x++) {
    const aB = ao + x * sab, bB = bOff + x * sbb, oB = x * M * N;
    let i = 0;
    for (; i + 4 <= M; i += 4) {
      acc0.fill(0); acc1.fill(0); acc2.fill(0); acc3.fill(0);
      const a0 = aB + i * sam, a1 = a0 + sam, a2 = a1 + sam, a3 = a2 + sam;
      for (let k = 0; k < K; k++) {
        const v0 = a[a0 + k * sak]!, v1 = a[a1 + k * sak]!, v2 = a[a2 + k * sak]!, v3 = a[a3 + k * sak]!;
        const r = bB + k * sbk;
        for (let n = 0; n < N; n++) {
          const bv = bb[r + n]!;
          acc0[n] += v0 * bv;
          acc1[n] += v1 * bv;
          acc2[n] += v2 * bv;
          acc3[n] += v3 * bv;
        }
      }
      const r0 = oB + i * N;
      for (let n = 0; n < N; n++) {
        o[r0 + n] = acc0[n]!;
        o[r0 + N + n] = acc1[n]!;
        o[r0 + 2 * N + n] = acc2[n]!;
        o[r0 + 3 * N + n] = acc3[n]!;
      }
    }
    for (; i < M; i++) {
      acc0.fill(0);
      const a0 = aB + i * sam;
      for (let k = 0; k < K; k++) {
        const v0 = a[a0 + k * sak]!;
        const r = bB + k * sbk;
        for (let n = 0; n < N; n++) acc0[n] += v0 * bb[r + n]!;
      }
      o.set(acc0, oB + i * N);
    }
  }
}
