/**
 * float32 (and float64) softmax / log_softmax over the last dim, forward and backward, in the
 * order of PyTorch 1.13's CPU kernels (aten/src/ATen/native/cpu/SoftMaxKernel.cpp: `_vec_softmax_lastdim`,
 * `_vec_log_softmax_lastdim`, `_vec_host_softmax_backward_lastdim`), so the bits are PyTorch's.
 *
 * NOTE: each row of D elements is reduced by ATen's `vec::reduce_all` / `map_reduce_all`
 * (functional_base.h) with 8-lane float32 vectors (AVX2): lane l accumulates elements l, l + 8,
 * l + 16, ... in order (the D % 8 tail elements join lanes 0 .. D % 8 - 1 last), and the 8 lanes are
 * then combined by `vec_reduce_all`: for D >= 8 the AVX2 shuffle tree
 * ((a0 + a4) + (a2 + a6)) + ((a1 + a5) + (a3 + a7)); for D < 8 lane by lane, a0 + a1 + ... in order.
 * exp and log are Sleef's (sleef.ts); the multiply-subtract of log_softmax's backward is fused
 * (GCC contracts the vector `x - exp(y) * sum` into vfnmadd under -mfma).
 * Rows are independent, so ATen's chunking of rows (and its threads) do not change any value.
 */
import { expd, expf, fmaF, logd, logf } from "./sleef.js";
import { fma64 } from "../../random/fma.js";

const fr = Math.fround;
const acc = new Float64Array(8);

/** max with _mm256_max_ps semantics plus ATen's NaN propagation: NaN if either is NaN, else b on ties (so +-0 keeps b). */
function vmax(a: number, b: number): number {
  return a !== a || b !== b ? NaN : a > b ? a : b;
}

/** Combines the 8 lanes in `acc` (first `lanes` valid) by ATen's vec_reduce_all for float32 AVX2. */
function reduceLanesSum(lanes: number): number {
  if (lanes < 8) {
    let s = acc[0]!;
    for (let l = 1; l < lanes; l++) s = fr(s + acc[l]!);
    return s;
  }
  const v0 = fr(acc[0]! + acc[4]!), v1 = fr(acc[1]! + acc[5]!), v2 = fr(acc[2]! + acc[6]!), v3 = fr(acc[3]! + acc[7]!);
  return fr(fr(v0 + v2) + fr(v1 + v3));
}
function reduceLanesMax(lanes: number): number {
  if (lanes < 8) {
    let s = acc[0]!;
    for (let l = 1; l < lanes; l++) s = vmax(s, acc[l]!);
    return s;
  }
  const v0 = vmax(acc[0]!, acc[4]!), v1 = vmax(acc[1]!, acc[5]!), v2 = vmax(acc[2]!, acc[6]!), v3 = vmax(acc[3]!, acc[7]!);
  return vmax(vmax(v0, v2), vmax(v1, v3));
}

/** reduce_all(maximum) over x[i0 .. i0 + D). */
function rowMax(x: ArrayLike<number>, i0: number, D: number): number {
  if (D < 8) {
    for (let l = 0; l < D; l++) acc[l] = x[i0 + l]!;
    return reduceLanesMax(D);
  }
  for (let l = 0; l < 8; l++) acc[l] = x[i0 + l]!;
  const full = D - (D % 8);
  let j = 8;
  for (; j < full; j += 8) for (let l = 0; l < 8; l++) acc[l] = vmax(acc[l]!, x[i0 + j + l]!);
  for (let l = 0; j + l < D; l++) acc[l] = vmax(acc[l]!, x[i0 + j + l]!);
  return reduceLanesMax(8);
}

/** reduce_all(+) over v[i0 .. i0 + D) (v float32 values). */
function rowSum(v: ArrayLike<number>, i0: number, D: number): number {
  if (D < 8) {
    for (let l = 0; l < D; l++) acc[l] = v[i0 + l]!;
    return reduceLanesSum(D);
  }
  for (let l = 0; l < 8; l++) acc[l] = v[i0 + l]!;
  const full = D - (D % 8);
  let j = 8;
  for (; j < full; j += 8) for (let l = 0; l < 8; l++) acc[l] = fr(acc[l]! + v[i0 + j + l]!);
  for (let l = 0; j + l < D; l++) acc[l] = fr(acc[l]! + v[i0 + j + l]!);
  return reduceLanesSum(8);
}

/**
 * Forward over `rows` contiguous rows of D float32 values: softmax (exp(x - max) * (1 / sum)) or
 * log_softmax ((x - max) - log(sum of exp(x - max))).
 */
export function softmaxLastDimF32(x: ArrayLike<number>, x0: number, o: Float32Array, rows: number, D: number, log: boolean): void {
  for (let r = 0, i0 = x0, o0 = 0; r < rows; r++, i0 += D, o0 += D) {
    const m = rowMax(x, i0, D);
    if (log) {
      // map_reduce_all: exp(x - max) summed in lanes; the row's output is written afterwards.
      for (let k = 0; k < D; k++) o[o0 + k] = expf(fr(x[i0 + k]! - m));
      const ls = logf(rowSum(o, o0, D));
      for (let k = 0; k < D; k++) o[o0 + k] = fr(x[i0 + k]! - m) - ls;
    } else {
      for (let k = 0; k < D; k++) o[o0 + k] = expf(fr(x[i0 + k]! - m));
      const inv = fr(1 / rowSum(o, o0, D));
      for (let k = 0; k < D; k++) o[o0 + k] = o[o0 + k]! * inv;
    }
  }
}

/**
 * Backward over contiguous rows: log_softmax: g - exp(y) * sum(g) (fused); softmax:
 * (g - sum(g * y)) * y, with sum(g * y) accumulated as acc = fma(g, y, acc) after the first vector.
 */
export function softmaxBackwardLastDimF32(
  g: ArrayLike<number>, g0: number, y: ArrayLike<number>, y0: number, o: Float32Array, rows: number, D: number, log: boolean,
): void {
  for (let r = 0; r < rows; r++, g0 += D, y0 += D) {
    const o0 = r * D;
    if (log) {
      const s = rowSum(g, g0, D);
      for (let k = 0; k < D; k++) o[o0 + k] = fmaF(-expf(y[y0 + k]!), s, g[g0 + k]!);
    } else {
      const s = rowDot(g, g0, y, y0, D);
      for (let k = 0; k < D; k++) o[o0 + k] = fr(g[g0 + k]! - s) * y[y0 + k]!;
    }
  }
}

/** map2_reduce_all(x * y, +): the first vector's products rounded, then fused accumulation. */
function rowDot(a: ArrayLike<number>, a0: number, b: ArrayLike<number>, b0: number, D: number): number {
  if (D < 8) {
    for (let l = 0; l < D; l++) acc[l] = fr(a[a0 + l]! * b[b0 + l]!);
    return reduceLanesSum(D);
  }
  for (let l = 0; l < 8; l++) acc[l] = fr(a[a0 + l]! * b[b0 + l]!);
  const full = D - (D % 8);
  let j = 8;
  for (; j < full; j += 8) for (let l = 0; l < 8; l++) acc[l] = fmaF(a[a0 + j + l]!, b[b0 + j + l]!, acc[l]!);
  for (let l = 0; j + l < D; l++) acc[l] = fmaF(a[a0 + j + l]!, b[b0 + j + l]!, acc[l]!);
  return reduceLanesSum(8);
}

// ---------------------------------------------------------------- float64: 4-lane vectors

/**
 * The same kernels for float64: `Vectorized<double>` has 4 lanes, exp and log are Sleef's double
 * exp_u10 / log_u10 (sleef.ts), and `vec_reduce_all` has no shuffle tree for double, so the lanes
 * are combined in order: a0 + a1 + a2 + a3.
 */
const acc4 = new Float64Array(4);

function rowReduce64(v: ArrayLike<number>, i0: number, D: number, max: boolean): number {
  const lanes = D < 4 ? D : 4;
  for (let l = 0; l < lanes; l++) acc4[l] = v[i0 + l]!;
  if (D >= 4) {
    const full = D - (D % 4);
    let j = 4;
    if (max) {
      for (; j < full; j += 4) for (let l = 0; l < 4; l++) acc4[l] = vmax(acc4[l]!, v[i0 + j + l]!);
      for (let l = 0; j + l < D; l++) acc4[l] = vmax(acc4[l]!, v[i0 + j + l]!);
    } else {
      for (; j < full; j += 4) for (let l = 0; l < 4; l++) acc4[l] = acc4[l]! + v[i0 + j + l]!;
      for (let l = 0; j + l < D; l++) acc4[l] = acc4[l]! + v[i0 + j + l]!;
    }
  }
  let s = acc4[0]!;
  for (let l = 1; l < lanes; l++) s = max ? vmax(s, acc4[l]!) : s + acc4[l]!;
  return s;
}

function rowDot64(a: ArrayLike<number>, a0: number, b: ArrayLike<number>, b0: number, D: number): number {
  const lanes = D < 4 ? D : 4;
  for (let l = 0; l < lanes; l++) acc4[l] = a[a0 + l]! * b[b0 + l]!;
  if (D >= 4) {
    const full = D - (D % 4);
    let j = 4;
    for (; j < full; j += 4) for (let l = 0; l < 4; l++) acc4[l] = fmaD(a[a0 + j + l]!, b[b0 + j + l]!, acc4[l]!);
    for (let l = 0; j + l < D; l++) acc4[l] = fmaD(a[a0 + j + l]!, b[b0 + j + l]!, acc4[l]!);
  }
  let s = acc4[0]!;
  for (let l = 1; l < lanes; l++) s = s + acc4[l]!;
  return s;
}

/** fma64 that lets non-finite operands through (the emulation assumes finite values). */
function fmaD(a: number, b: number, c: number): number {
  const p = a * b;
  return Number.isFinite(c) && Number.isFinite(p) ? fma64(a, b, c) : p + c;
}

export function softmaxLastDimF64(x: ArrayLike<number>, x0: number, o: Float64Array, rows: number, D: number, log: boolean): void {
  for (let r = 0, i0 = x0, o0 = 0; r < rows; r++, i0 += D, o0 += D) {
    const m = rowReduce64(x, i0, D, true);
    for (let k = 0; k < D; k++) o[o0 + k] = expd(x[i0 + k]! - m);
    if (log) {
      const ls = logd(rowReduce64(o, o0, D, false));
      for (let k = 0; k < D; k++) o[o0 + k] = x[i0 + k]! - m - ls;
    } else {
      const inv = 1 / rowReduce64(o, o0, D, false);
      for (let k = 0; k < D; k++) o[o0 + k] = o[o0 + k]! * inv;
    }
  }
}

export function softmaxBackwardLastDimF64(
  g: ArrayLike<number>, g0: number, y: ArrayLike<number>, y0: number, o: Float64Array, rows: number, D: number, log: boolean,
): void {
  for (let r = 0; r < rows; r++, g0 += D, y0 += D) {
    const o0 = r * D;
    if (log) {
      const s = rowReduce64(g, g0, D, false);
      for (let k = 0; k < D; k++) o[o0 + k] = fmaD(-expd(y[y0 + k]!), s, g[g0 + k]!);
    } else {
      const s = rowDot64(g, g0, y, y0, D);
      for (let k = 0; k < D; k++) o[o0 + k] = (g[g0 + k]! - s) * y[y0 + k]!;
    }
  }
}
