// Row kernels of the CPU backend: one tight loop per op over a strided run of n elements.
// Each kernel is its own function so V8 specialises it (no per-element indirect calls).
import type { BinaryOp, TernaryOp, UnaryOp } from "../backend.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { divFloor, erf, pyRemainder, roundHalfEven } from "./math.js";
import { fma32, fma64 } from "../../random/fma.js";
import { expdRow, expf, expfRow, logdRow, logfRow, tanhfRow } from "./sleef.js";

type A = TypedArray;
export type UnaryKernel = (n: number, x: A, ix: number, sx: number, o: A, io: number, p0: number, p1: number) => void;
export type BinaryKernel = (n: number, a: A, ia: number, sa: number, b: A, ib: number, sb: number, o: A, io: number, p: number) => void;
export type TernaryKernel = (
  n: number, a: A, ia: number, sa: number, b: A, ib: number, sb: number, c: A, ic: number, sc: number, o: A, io: number, p: number,
) => void;

const SQRT1_2 = Math.SQRT1_2;
const GELU_K = Math.sqrt(2 / Math.PI);

export const unaryKernels: Record<UnaryOp, UnaryKernel> = {
  identity: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = x[ix]!; },
  neg: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = -x[ix]!; },
  abs: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.abs(x[ix]!); },
  // NOTE: PyTorch's sign is (0 < x) - (x < 0): +0 for either zero and for NaN
  sign: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = v > 0 ? 1 : v < 0 ? -1 : 0; } },
  exp: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.exp(x[ix]!); },
  exp2: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.pow(2, x[ix]!); },
  log: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.log(x[ix]!); },
  log2: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.log2(x[ix]!); },
  log10: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.log10(x[ix]!); },
  log1p: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.log1p(x[ix]!); },
  expm1: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.expm1(x[ix]!); },
  sqrt: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.sqrt(x[ix]!); },
  rsqrt: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = 1 / Math.sqrt(x[ix]!); },
  square: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = v * v; } },
  reciprocal: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = 1 / x[ix]!; },
  sin: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.sin(x[ix]!); },
  cos: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.cos(x[ix]!); },
  tan: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.tan(x[ix]!); },
  asin: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.asin(x[ix]!); },
  acos: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.acos(x[ix]!); },
  atan: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.atan(x[ix]!); },
  sinh: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.sinh(x[ix]!); },
  cosh: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.cosh(x[ix]!); },
  tanh: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.tanh(x[ix]!); },
  sigmoid: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = 1 / (1 + Math.exp(-x[ix]!)); },
  relu: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = v > 0 ? v : v === v ? 0 : v; } },
  gelu: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = 0.5 * v * (1 + erf(v * SQRT1_2)); } },
  geluTanh: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = 0.5 * v * (1 + Math.tanh(GELU_K * (v + 0.044715 * v * v * v))); } },
  silu: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = v / (1 + Math.exp(-v)); } },
  erf: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = erf(x[ix]!); },
  floor: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.floor(x[ix]!); },
  ceil: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.ceil(x[ix]!); },
  round: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = roundHalfEven(x[ix]!); },
  trunc: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.trunc(x[ix]!); },
  logicalNot: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = x[ix] ? 0 : 1; },
  isnan: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = v !== v ? 1 : 0; } },
  clamp: (n, x, ix, sx, o, io, lo, hi) => {
    // NOTE: NaN bounds mean "no bound"; a NaN input stays NaN, as in PyTorch.
    for (let k = 0; k < n; k++, ix += sx) {
      let v = x[ix]!;
      if (v < lo) v = lo;
      if (v > hi) v = hi;
      o[io + k] = v;
    }
  },
  powScalar: (n, x, ix, sx, o, io, p) => {
    if (p === 2) for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = v * v; }
    else for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.pow(x[ix]!, p);
  },
  rpowScalar: (n, x, ix, sx, o, io, p) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.pow(p, x[ix]!); },
  leakyRelu: (n, x, ix, sx, o, io, p) => { for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = v > 0 ? v : v * p; } },
  elu: (n, x, ix, sx, o, io, p) => { for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = v > 0 ? v : p * Math.expm1(v); } },
  softplus: (n, x, ix, sx, o, io, beta, thr) => {
    for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = v * beta > thr ? v : Math.log1p(Math.exp(v * beta)) / beta; }
  },
  gtScalarMask: (n, x, ix, sx, o, io, p) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = x[ix]! > p ? 1 : 0; },
};

export const binaryKernels: Record<BinaryOp, BinaryKernel> = {
  add: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = a[ia]! + b[ib]!; },
  addScaled: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = a[ia]! + p * b[ib]!; },
  sub: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = a[ia]! - b[ib]!; },
  mul: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = a[ia]! * b[ib]!; },
  div: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = a[ia]! / b[ib]!; },
  pow: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = Math.pow(a[ia]!, b[ib]!); },
  maximum: (n, a, ia, sa, b, ib, sb, o, io) => {
    for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = x !== x || y !== y ? NaN : x > y ? x : y; }
  },
  minimum: (n, a, ia, sa, b, ib, sb, o, io) => {
    for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = x !== x || y !== y ? NaN : x < y ? x : y; }
  },
  remainder: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = pyRemainder(a[ia]!, b[ib]!); },
  fmod: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = a[ia]! % b[ib]!; },
  atan2: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = Math.atan2(a[ia]!, b[ib]!); },
  floorDivide: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = divFloor(a[ia]!, b[ib]!); },
  eq: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = a[ia] === b[ib] ? 1 : 0; },
  ne: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = a[ia] !== b[ib] ? 1 : 0; },
  lt: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = a[ia]! < b[ib]! ? 1 : 0; },
  le: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = a[ia]! <= b[ib]! ? 1 : 0; },
  gt: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = a[ia]! > b[ib]! ? 1 : 0; },
  ge: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = a[ia]! >= b[ib]! ? 1 : 0; },
  logicalAnd: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = a[ia] && b[ib] ? 1 : 0; },
  logicalOr: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = a[ia] || b[ib] ? 1 : 0; },
  logicalXor: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = !a[ia] !== !b[ib] ? 1 : 0; },
};

// ---------------------------------------------------------------- PyTorch's float32 / float64 rounding
//
// NOTE: the kernels above compute in float64 and round once when they store. Where PyTorch's CPU
// kernels round differently, the backend picks an override below by output dtype:
// - scalar parameters are cast to the output dtype first (`alpha.to<scalar_t>()`); the backend
//   does that once, before calling any kernel, so these kernels receive float32 values for p;
// - PyTorch's AVX2 build is compiled with -mfma, and GCC contracts `a * b + c` (in the vectorised
//   and in the scalar tail loops alike) into one FMA: one rounding, emulated here exactly by
//   fmaF / fma64 (measured on 1e6 randn elements: add with alpha, rsub, addcmul and lerp match
//   PyTorch in every element only with the fused rounding, in float32 and in float64); the one
//   exception found is `tensor + alpha * scalar`, see hoistedRange;
// - float32 intermediates PyTorch rounds (x * x in x ** 3, sqrt in rsqrt, exp in elu) are rounded
//   with Math.fround.

/** fma64 that lets an infinite or NaN addend through (the emulation assumes finite values). */
function fmaD(a: number, b: number, c: number): number {
  return Number.isFinite(c) ? fma64(a, b, c) : a * b + c;
}

const fr = Math.fround;

/**
 * fma32(x, y, z) for float32 x, y, z, written to be inlined: x * y is exact in float64, so the sum
 * rounded to float64 and then to float32 is the fused result unless it fell exactly on a float32
 * midpoint (double rounding), which is rare and handed to fma32.
 */
function fmaF(x: number, y: number, z: number): number {
  const s = x * y + z, r = fr(s), d = s - r;
  if (d === 0) return r;
  const m = r + 2 * d;
  return fr(m) !== m ? r : fma32(x, y, z);
}

/**
 * Where cpu_kernel_vec's vector loop ends in a run of n elements with stride sx: it takes two
 * 8-float vectors at a time from a contiguous run; the rest, and strided runs, go element by element.
 */
function vectorEnd(n: number, sx: number): number {
  return sx === 1 ? n - (n % 16) : 0;
}

/** Unary kernels for a float32 output, where they differ from the float64-computed ones. */
export const unaryKernelsF32: Partial<Record<UnaryOp, UnaryKernel>> = {
  // NOTE: PyTorch's AVX2 build computes float32 exp and log with Sleef's vectorised expf_u10 /
  // logf_u10 for every element (the tail too: a partial vector); see sleef.ts.
  exp: expfRow,
  log: logfRow,
  tanh: tanhfRow,
  // NOTE: sigmoid and silu go through cpu_kernel_vec: 16 elements at a time (two vectors) with
  // Sleef's expf, 1 / (1 + e) as _mm256_div_ps; the n % 16 tail of a contiguous run (and every
  // element of a strided one) through the scalar lambda, with glibc's expf (correctly rounded but
  // for rare cases; Math.exp rounded to float32 stands in for it).
  sigmoid: (n, x, ix, sx, o, io) => {
    const v = vectorEnd(n, sx);
    for (let k = 0; k < n; k++, ix += sx) {
      const a = x[ix]!;
      o[io + k] = 1 / fr(1 + (k < v ? expf(-a) : fr(Math.exp(-a))));
    }
  },
  silu: (n, x, ix, sx, o, io) => {
    const v = vectorEnd(n, sx);
    for (let k = 0; k < n; k++, ix += sx) {
      const a = x[ix]!;
      o[io + k] = a / fr(1 + (k < v ? expf(-a) : fr(Math.exp(-a))));
    }
  },
  // NOTE: PyTorch's rsqrt is 1 / sqrt(x) with the sqrt rounded to float32 first.
  rsqrt: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = 1 / fr(Math.sqrt(x[ix]!)); },
  // NOTE: pow_tensor_scalar special-cases 2, 3, -2, 0.5, -0.5, -1 as products / roots in float32;
  // other exponents call pow(x, float32(e)) (Sleef's powf, within 1 ulp of the double result used here).
  powScalar: (n, x, ix, sx, o, io, p) => {
    if (p === 2) for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = v * v; }
    else if (p === 3) for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = fr(v * v) * v; }
    else if (p === -2) for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = 1 / fr(v * v); }
    else if (p === -0.5) for (let k = 0; k < n; k++, ix += sx) o[io + k] = 1 / fr(Math.sqrt(x[ix]!));
    // NOTE: PyTorch dispatches x ** -1 to reciprocal and x ** 0.5 to sqrt (pow_tensor_scalar_kernel);
    // Math.pow's own result for them is not correctly rounded on every V8 (Node 24's differs).
    else if (p === -1) for (let k = 0; k < n; k++, ix += sx) o[io + k] = 1 / x[ix]!;
    else if (p === 0.5) for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.sqrt(x[ix]!);
    else for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.pow(x[ix]!, p);
  },
  // NOTE: PyTorch's elu is (exp(x) - 1) * alpha with exp rounded to float32 (not expm1).
  // The vector part (see vectorEnd) uses Sleef's expf, the tail glibc's (Math.exp stands in).
  elu: (n, x, ix, sx, o, io, p) => {
    const ve = vectorEnd(n, sx);
    for (let k = 0; k < n; k++, ix += sx) {
      const v = x[ix]!;
      o[io + k] = v > 0 ? v : fr((k < ve ? expf(v) : fr(Math.exp(v))) - 1) * p;
    }
  },
  softplus: (n, x, ix, sx, o, io, beta, thr) => {
    for (let k = 0; k < n; k++, ix += sx) {
      const v = x[ix]!, bx = fr(v * beta);
      o[io + k] = bx > thr ? v : fr(Math.log1p(fr(Math.exp(bx)))) / beta;
    }
  },
};

/** Unary kernels for a float64 output, where they differ from the generic ones. */
export const unaryKernelsF64: Partial<Record<UnaryOp, UnaryKernel>> = {
  // NOTE: Sleef's exp_u10 for doubles (Sleef_expd4_u10avx2), FMAs emulated exactly: Math.exp differs
  // from it in about 1 element in 10 (by 1 ulp). Slow (~0.4 us an element); see sleef.ts.
  exp: expdRow,
  // NOTE: likewise Sleef's log_u10 for doubles (Math.log differs in ~5% of elements).
  log: logdRow,
  // NOTE: as in float32, (exp(x) - 1) * alpha, not expm1.
  elu: (n, x, ix, sx, o, io, p) => { for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = v > 0 ? v : (Math.exp(v) - 1) * p; } },
  powScalar: (n, x, ix, sx, o, io, p) => {
    if (p === 2) for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = v * v; }
    else if (p === 3) for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = v * v * v; }
    else if (p === -2) for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = 1 / (v * v); }
    else if (p === -0.5) for (let k = 0; k < n; k++, ix += sx) o[io + k] = 1 / Math.sqrt(x[ix]!);
    else if (p === -1) for (let k = 0; k < n; k++, ix += sx) o[io + k] = 1 / x[ix]!; // reciprocal, see above
    else if (p === 0.5) for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.sqrt(x[ix]!);
    else for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.pow(x[ix]!, p);
  },
};

/**
 * Which elements of `tensor + alpha * scalar` (add with alpha and a scalar other) PyTorch computes
 * unfused, as a + round(alpha * scalar): [u0, u1).
 * NOTE: measured, and explained by how GCC compiled PyTorch's loop (Loops.h's vectorized_loop): the
 * explicit vector loop (`step` elements at a time) uses fmadd; the scalar tail that follows is
 * auto-vectorised by GCC with `width`-wide SSE vectors after peeling one iteration, and the
 * vectorised part hoists the loop-invariant alpha * scalar (so it is rounded alone), while the
 * peeled first and the leftover last iterations are contracted to FMAs. With a tensor other, or a
 * scalar first operand (rsub), every element is fused.
 */
function hoistedRange(n: number, step: number, width: number): [number, number] {
  const m = n - (n % step), t = n - m;
  if (t <= 1) return [0, 0];
  return [m + 1, m + 1 + Math.floor((t - 1) / width) * width];
}

/** a + alpha * b, fused (add/sub with alpha, rsub); floor division with float32 roundings. */
export const binaryKernelsF32: Partial<Record<BinaryOp, BinaryKernel>> = {
  floorDivide: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = divFloor(a[ia]!, b[ib]!, fr); },
  addScaled: (n, a, ia, sa, b, ib, sb, o, io, p) => {
    if (sb === 0 && sa !== 0) {
      const bv = b[ib]!, pb = fr(p * bv);
      const [u0, u1] = hoistedRange(n, 16, 4);
      for (let k = 0; k < n; k++, ia += sa) o[io + k] = k >= u0 && k < u1 ? a[ia]! + pb : fmaF(p, bv, a[ia]!);
      return;
    }
    for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = fmaF(p, b[ib]!, a[ia]!);
  },
};
export const binaryKernelsF64: Partial<Record<BinaryOp, BinaryKernel>> = {
  addScaled: (n, a, ia, sa, b, ib, sb, o, io, p) => {
    if (sb === 0 && sa !== 0) {
      const bv = b[ib]!, pb = p * bv;
      const [u0, u1] = hoistedRange(n, 8, 2);
      for (let k = 0; k < n; k++, ia += sa) o[io + k] = k >= u0 && k < u1 ? a[ia]! + pb : fmaD(p, bv, a[ia]!);
      return;
    }
    for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = fmaD(p, b[ib]!, a[ia]!);
  },
};

/**
 * Ternary kernels, the generic (integer) version: plain arithmetic.
 * NOTE: lerp's weight is the third operand; PyTorch's formula is two-sided for accuracy near 1:
 * |w| < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w).
 */
export const ternaryKernels: Record<TernaryOp, TernaryKernel> = {
  addcmul: (n, a, ia, sa, b, ib, sb, c, ic, sc, o, io, p) => {
    for (let k = 0; k < n; k++, ia += sa, ib += sb, ic += sc) o[io + k] = a[ia]! + p * b[ib]! * c[ic]!;
  },
  addcdiv: (n, a, ia, sa, b, ib, sb, c, ic, sc, o, io, p) => {
    for (let k = 0; k < n; k++, ia += sa, ib += sb, ic += sc) o[io + k] = a[ia]! + (p * b[ib]!) / c[ic]!;
  },
  lerp: (n, a, ia, sa, b, ib, sb, c, ic, sc, o, io) => {
    for (let k = 0; k < n; k++, ia += sa, ib += sb, ic += sc) {
      const s = a[ia]!, e = b[ib]!, w = c[ic]!;
      o[io + k] = Math.abs(w) < 0.5 ? s + w * (e - s) : e - (e - s) * (1 - w);
    }
  },
};

/** float32: addcmul = fma(float32(value * t1), t2, self); addcdiv = self + float32(float32(value * t1) / t2). */
export const ternaryKernelsF32: Record<TernaryOp, TernaryKernel> = {
  addcmul: (n, a, ia, sa, b, ib, sb, c, ic, sc, o, io, p) => {
    for (let k = 0; k < n; k++, ia += sa, ib += sb, ic += sc) o[io + k] = fmaF(fr(p * b[ib]!), c[ic]!, a[ia]!);
  },
  addcdiv: (n, a, ia, sa, b, ib, sb, c, ic, sc, o, io, p) => {
    for (let k = 0; k < n; k++, ia += sa, ib += sb, ic += sc) o[io + k] = a[ia]! + fr(fr(p * b[ib]!) / c[ic]!);
  },
  lerp: (n, a, ia, sa, b, ib, sb, c, ic, sc, o, io) => {
    for (let k = 0; k < n; k++, ia += sa, ib += sb, ic += sc) {
      const s = a[ia]!, e = b[ib]!, w = c[ic]!, d = fr(e - s);
      o[io + k] = Math.abs(w) < 0.5 ? fmaF(w, d, s) : fmaF(-d, fr(1 - w), e);
    }
  },
};

export const ternaryKernelsF64: Record<TernaryOp, TernaryKernel> = {
  addcmul: (n, a, ia, sa, b, ib, sb, c, ic, sc, o, io, p) => {
    for (let k = 0; k < n; k++, ia += sa, ib += sb, ic += sc) o[io + k] = fmaD(p * b[ib]!, c[ic]!, a[ia]!);
  },
  addcdiv: ternaryKernels.addcdiv,
  lerp: (n, a, ia, sa, b, ib, sb, c, ic, sc, o, io) => {
    for (let k = 0; k < n; k++, ia += sa, ib += sb, ic += sc) {
      const s = a[ia]!, e = b[ib]!, w = c[ic]!, d = e - s;
      o[io + k] = Math.abs(w) < 0.5 ? fmaD(w, d, s) : fmaD(-d, 1 - w, e);
    }
  },
};
