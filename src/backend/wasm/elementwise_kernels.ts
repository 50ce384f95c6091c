// Monomorphic elementwise loops of the fast backend (see elementwise.ts, which picks one per call).
// NOTE: one function per op, per array type and per access pattern, each its own function literal, so
// that V8 sees one typed-array map at every load and store: a loop shared by Float32Array and
// Float64Array (as the reference's are) runs about 2x slower once it has seen both. The float32 and
// float64 sets are the same text but for the array type and the float32 roundings noted below (edit
// both when changing one); they compute in float64 and round once on
// the store, so add/sub/mul/div/maximum/minimum/comparisons/relu give the reference's (PyTorch's)
// bits exactly, and the rest are within an ulp or two of them (no emulated FMA, Math.* for Sleef).
// Where PyTorch rounds an intermediate to float32 (rsqrt's sqrt, x * x in x ** 3, p * b in addcmul)
// the float32 loops do too (Math.fround costs about nothing): the same bits, or nearly, for free.
// Forms: C (all operands contiguous from their offsets), S (strided, any stride including 0),
// CS / SC (binary: one contiguous operand and one scalar value, hoisted). Contiguous loops take a
// separate path when every offset is 0 (fresh tensors): measured ~25% faster on 4M floats, as V8
// then checks bounds on plain indices.
import { erf, roundHalfEven } from "../cpu/math.js";
import { expf } from "../cpu/sleef.js";

const fr = Math.fround;
const SQRT1_2 = Math.SQRT1_2;
const GELU_K = Math.sqrt(2 / Math.PI);
/** Tile edge of copy*.tiled (elements): two 32x32 float64 tiles fit in L1 with room to spare. */
const TILE = 32;
/**
 * Scratch for branch-free selects: `t[i]` with i computed from comparisons (+(x > y) is a setcc, no
 * jump). NOTE: a data-dependent branch (x > 0 ? x : 0 on random signs) mispredicts half the time:
 * measured relu on 1M floats 26 ms branchy, 1.7-3 ms this way; maximum 57 vs 7-9; where 19 vs 7-10.
 * Float64 holds every float32 and float64 value exactly; kernels never nest, so one scratch serves all.
 */
const T = new Float64Array(4);
/**
 * erfc(z) within 1.2e-7 relative everywhere (Numerical Recipes' erfcc, a Chebyshev fit), for float32
 * gelu: 0.5 x erfc(-x / sqrt 2). NOTE: one Math.exp against the reference's series of up to 50 terms
 * (measured ~3x faster); ~2 float32 ulps, as the ulp-level test shows; float64 keeps the series.
 */
function erfc32(z: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(z));
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? r : 2 - r;
}
/** sign(x) by index: 0, 1 (x > 0), 2 (x < 0), 3 (NaN). */
const SIGN = new Float64Array([0, 1, -1, NaN]);

/** Row kernels of one binary op for one array type; O is the output array type. */
export interface BinaryKernels<A, O> {
  C(n: number, a: A, ia: number, b: A, ib: number, o: O, io: number, p: number): void;
  S(n: number, a: A, ia: number, sa: number, b: A, ib: number, sb: number, o: O, io: number, p: number): void;
  CS(n: number, a: A, ia: number, y: number, o: O, io: number, p: number): void;
  SC(n: number, x: number, b: A, ib: number, o: O, io: number, p: number): void;
}
/** The contiguous loop of one unary op: o[io + k] = f(x[ix + k]). */
export type UnaryKernelC<A> = (n: number, x: A, ix: number, o: A, io: number, p0: number, p1: number) => void;
/** Row kernels of one ternary op (all contiguous; all strided). */
export interface TernaryKernels<A> {
  C(n: number, a: A, ia: number, b: A, ib: number, c: A, ic: number, o: A, io: number, p: number): void;
  S(n: number, a: A, ia: number, sa: number, b: A, ib: number, sb: number, c: A, ic: number, sc: number, o: A, io: number, p: number): void;
}

/** Binary ops with a Float32Array result. */
export const binaryF32: Record<string, BinaryKernels<Float32Array, Float32Array>> = {
  add: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = x + y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = x + y; }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = x + y; } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x + y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x + y; }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = x + y; }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = x + y; }
    },
  },
  sub: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = x - y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = x - y; }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = x - y; } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x - y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x - y; }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = x - y; }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = x - y; }
    },
  },
  mul: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = x * y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = x * y; }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = x * y; } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x * y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x * y; }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = x * y; }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = x * y; }
    },
  },
  div: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = x / y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = x / y; }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = x / y; } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x / y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x / y; }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = x / y; }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = x / y; }
    },
  },
  addScaled: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = x + p * y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = x + p * y; }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = x + p * y; } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x + p * y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x + p * y; }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = x + p * y; }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = x + p * y; }
    },
  },
  maximum: {
    C: (n, a, ia, b, ib, o, io, p) => {
      const t = T; t[2] = NaN; t[3] = NaN; if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = (t[0] = y, t[1] = x, t[+(x > y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = (t[0] = y, t[1] = x, t[+(x > y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { const t = T; t[2] = NaN; t[3] = NaN; for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = (t[0] = y, t[1] = x, t[+(x > y) | ((+(x !== x) | +(y !== y)) << 1)]!); } },
    CS: (n, a, ia, y, o, io, p) => {
      const t = T; t[2] = NaN; t[3] = NaN; if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = (t[0] = y, t[1] = x, t[+(x > y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = (t[0] = y, t[1] = x, t[+(x > y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
    },
    SC: (n, x, b, ib, o, io, p) => {
      const t = T; t[2] = NaN; t[3] = NaN; if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = (t[0] = y, t[1] = x, t[+(x > y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = (t[0] = y, t[1] = x, t[+(x > y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
    },
  },
  minimum: {
    C: (n, a, ia, b, ib, o, io, p) => {
      const t = T; t[2] = NaN; t[3] = NaN; if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = (t[0] = y, t[1] = x, t[+(x < y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = (t[0] = y, t[1] = x, t[+(x < y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { const t = T; t[2] = NaN; t[3] = NaN; for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = (t[0] = y, t[1] = x, t[+(x < y) | ((+(x !== x) | +(y !== y)) << 1)]!); } },
    CS: (n, a, ia, y, o, io, p) => {
      const t = T; t[2] = NaN; t[3] = NaN; if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = (t[0] = y, t[1] = x, t[+(x < y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = (t[0] = y, t[1] = x, t[+(x < y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
    },
    SC: (n, x, b, ib, o, io, p) => {
      const t = T; t[2] = NaN; t[3] = NaN; if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = (t[0] = y, t[1] = x, t[+(x < y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = (t[0] = y, t[1] = x, t[+(x < y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
    },
  },
};
/** Comparisons of Float32Array operands (a bool result, 0 or 1). */
export const compareF32: Record<string, BinaryKernels<Float32Array, Uint8Array>> = {
  eq: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = +(x === y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = +(x === y); }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = +(x === y); } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = +(x === y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = +(x === y); }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = +(x === y); }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = +(x === y); }
    },
  },
  ne: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = +(x !== y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = +(x !== y); }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = +(x !== y); } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = +(x !== y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = +(x !== y); }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = +(x !== y); }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = +(x !== y); }
    },
  },
  lt: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = +(x < y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = +(x < y); }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = +(x < y); } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = +(x < y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = +(x < y); }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = +(x < y); }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = +(x < y); }
    },
  },
  le: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = +(x <= y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = +(x <= y); }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = +(x <= y); } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = +(x <= y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = +(x <= y); }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = +(x <= y); }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = +(x <= y); }
    },
  },
  gt: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = +(x > y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = +(x > y); }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = +(x > y); } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = +(x > y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = +(x > y); }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = +(x > y); }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = +(x > y); }
    },
  },
  ge: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = +(x >= y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = +(x >= y); }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = +(x >= y); } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = +(x >= y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = +(x >= y); }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = +(x >= y); }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = +(x >= y); }
    },
  },
};
/** a * m for a bool mask m (0 or 1; relu's backward multiplies by y > 0): contiguous (C) and strided (S). */
export const mulMaskF32 = {
  C: (n: number, a: Float32Array, ia: number, m: Uint8Array, im: number, o: Float32Array, io: number): void => { for (let k = 0; k < n; k++) o[io + k] = a[ia + k]! * m[im + k]!; },
  S: (n: number, a: Float32Array, ia: number, sa: number, m: Uint8Array, im: number, sm: number, o: Float32Array, io: number): void => { for (let k = 0; k < n; k++, ia += sa, im += sm) o[io + k] = a[ia]! * m[im]!; },
};
/** Unary ops over contiguous Float32Arrays. */
export const unaryF32: Record<string, UnaryKernelC<Float32Array>> = {
  identity: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x; }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x; }
  },
  neg: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = -x; }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = -x; }
  },
  abs: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.abs(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.abs(x); }
  },
  sign: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = SIGN[+(x > 0) | (+(x < 0) << 1) | (+(x !== x) * 3)]!; }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = SIGN[+(x > 0) | (+(x < 0) << 1) | (+(x !== x) * 3)]!; }
  },
  exp: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.exp(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.exp(x); }
  },
  log: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.log(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.log(x); }
  },
  log1p: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.log1p(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.log1p(x); }
  },
  expm1: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.expm1(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.expm1(x); }
  },
  log2: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.log2(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.log2(x); }
  },
  log10: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.log10(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.log10(x); }
  },
  sqrt: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.sqrt(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.sqrt(x); }
  },
  rsqrt: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = 1 / fr(Math.sqrt(x)); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = 1 / fr(Math.sqrt(x)); }
  },
  square: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x * x; }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x * x; }
  },
  reciprocal: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = 1 / x; }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = 1 / x; }
  },
  sin: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.sin(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.sin(x); }
  },
  cos: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.cos(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.cos(x); }
  },
  tanh: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.tanh(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.tanh(x); }
  },
  sigmoid: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = 1 / (1 + Math.exp(-x)); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = 1 / (1 + Math.exp(-x)); }
  },
  relu: (n, a, ia, o, io, p0, p1) => {
    const t = T; t[0] = 0; if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = (t[1] = x, t[+!(x <= 0)]!); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = (t[1] = x, t[+!(x <= 0)]!); }
  },
  gelu: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = 0.5 * x * erfc32(-x * SQRT1_2); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = 0.5 * x * erfc32(-x * SQRT1_2); }
  },
  geluTanh: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = 0.5 * x * (1 + Math.tanh(GELU_K * (x + 0.044715 * x * x * x))); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = 0.5 * x * (1 + Math.tanh(GELU_K * (x + 0.044715 * x * x * x))); }
  },
  silu: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x / (1 + Math.exp(-x)); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x / (1 + Math.exp(-x)); }
  },
  erf: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = erf(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = erf(x); }
  },
  floor: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.floor(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.floor(x); }
  },
  ceil: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.ceil(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.ceil(x); }
  },
  trunc: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.trunc(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.trunc(x); }
  },
  round: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = roundHalfEven(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = roundHalfEven(x); }
  },
  clamp: (n, a, ia, o, io, p0, p1) => {
    const t = T; t[1] = p0; t[3] = p1; if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = (t[0] = x, t[2] = t[+(x < p0)]!, t[2 + +(t[2]! > p1)]!); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = (t[0] = x, t[2] = t[+(x < p0)]!, t[2 + +(t[2]! > p1)]!); }
  },
  rpowScalar: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.pow(p0, x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.pow(p0, x); }
  },
  leakyRelu: (n, a, ia, o, io, p0, p1) => {
    const t = T; if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = (t[0] = x * p0, t[1] = x, t[+(x > 0)]!); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = (t[0] = x * p0, t[1] = x, t[+(x > 0)]!); }
  },
  softplus: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x * p0 > p1 ? x : Math.log1p(Math.exp(x * p0)) / p0; }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x * p0 > p1 ? x : Math.log1p(Math.exp(x * p0)) / p0; }
  },
  gtScalarMask: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = +(x > p0); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = +(x > p0); }
  },
  // NOTE: PyTorch's elu is (exp(x) - 1) * alpha with exp rounded to float32, which cancels near 0:
  // its results there are off the true ones by up to an ulp of 1, and fast mode must stay close to
  // PyTorch's, not to the truth. So the cancelling range (-0.5, 0] takes the reference's own exp for
  // the element's place (Sleef's in the 16-wide vector part, glibc's, i.e. Math.exp, in the tail: see
  // the reference's vectorEnd) and gives its bits; elsewhere Math.exp is within an ulp of them.
  elu: (n, a, ia, o, io, p0) => {
    const ve = n - (n % 16);
    for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x > 0 ? x : fr((k < ve && x > -0.5 ? expf(x) : fr(Math.exp(x))) - 1) * p0; }
  },
  powScalar: (n, a, ia, o, io, p0) => {
    if (p0 === 2) for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x * x; }
    else if (p0 === 3) for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = fr(x * x) * x; }
    else if (p0 === -2) for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = 1 / fr(x * x); }
    // PyTorch dispatches x ** -1 to reciprocal and x ** 0.5 to sqrt (sqrt(-0) = -0, sqrt(-inf) = NaN,
    // where Math.pow gives +0 and +inf), as the reference does
    else if (p0 === -1) for (let k = 0; k < n; k++) o[io + k] = 1 / a[ia + k]!;
    else if (p0 === 0.5) for (let k = 0; k < n; k++) o[io + k] = Math.sqrt(a[ia + k]!);
    else if (p0 === -0.5) for (let k = 0; k < n; k++) o[io + k] = 1 / fr(Math.sqrt(a[ia + k]!));
    else for (let k = 0; k < n; k++) o[io + k] = Math.pow(a[ia + k]!, p0);
  },
};
/** Ternary ops (addcmul, addcdiv, lerp: c is the weight) on Float32Arrays. */
export const ternaryF32: Record<string, TernaryKernels<Float32Array>> = {
  addcmul: {
    C: (n, a, ia, b, ib, c, ic, o, io, p) => {
      if ((ia | ib | ic | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!, z = c[k]!; o[k] = x + fr(p * y) * z; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!, z = c[ic + k]!; o[io + k] = x + fr(p * y) * z; }
    },
    S: (n, a, ia, sa, b, ib, sb, c, ic, sc, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb, ic += sc) { const x = a[ia]!, y = b[ib]!, z = c[ic]!; o[io + k] = x + fr(p * y) * z; } },
  },
  addcdiv: {
    C: (n, a, ia, b, ib, c, ic, o, io, p) => {
      if ((ia | ib | ic | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!, z = c[k]!; o[k] = x + fr(fr(p * y) / z); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!, z = c[ic + k]!; o[io + k] = x + fr(fr(p * y) / z); }
    },
    S: (n, a, ia, sa, b, ib, sb, c, ic, sc, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb, ic += sc) { const x = a[ia]!, y = b[ib]!, z = c[ic]!; o[io + k] = x + fr(fr(p * y) / z); } },
  },
  lerp: {
    C: (n, a, ia, b, ib, c, ic, o, io, p) => {
      if ((ia | ib | ic | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!, z = c[k]!; let d = 0; o[k] = (d = fr(y - x), Math.abs(z) < 0.5 ? x + z * d : y - d * fr(1 - z)); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!, z = c[ic + k]!; let d = 0; o[io + k] = (d = fr(y - x), Math.abs(z) < 0.5 ? x + z * d : y - d * fr(1 - z)); }
    },
    S: (n, a, ia, sa, b, ib, sb, c, ic, sc, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb, ic += sc) { const x = a[ia]!, y = b[ib]!, z = c[ic]!; let d = 0; o[io + k] = (d = fr(y - x), Math.abs(z) < 0.5 ? x + z * d : y - d * fr(1 - z)); } },
  },
};
/** torch.where over Float32Arrays: all contiguous (C) or strided (S). */
export const whereF32 = {
  C: (n: number, m: Uint8Array, im: number, a: Float32Array, ia: number, b: Float32Array, ib: number, o: Float32Array, io: number): void => { const t = T; for (let k = 0; k < n; k++) { t[0] = b[ib + k]!; t[1] = a[ia + k]!; o[io + k] = t[+(m[im + k] !== 0)]!; } },
  S: (n: number, m: Uint8Array, im: number, sm: number, a: Float32Array, ia: number, sa: number, b: Float32Array, ib: number, sb: number, o: Float32Array, io: number): void => {
    const t = T;
    for (let k = 0; k < n; k++, im += sm, ia += sa, ib += sb) { t[0] = b[ib]!; t[1] = a[ia]!; o[io + k] = t[+(m[im] !== 0)]!; }
  },
};
/** Strided copies of Float32Arrays: one row (S), and a 2-d block walked in tiles (transposes). */
export const copyF32 = {
  S: (n: number, s: Float32Array, is: number, ss: number, d: Float32Array, id: number, sd: number): void => { for (let k = 0; k < n; k++, is += ss, id += sd) d[id] = s[is]!; },
  tiled: (R: number, C: number, s: Float32Array, is: number, sr: number, sc: number, d: Float32Array, id: number, dr: number, dc: number): void => {
    for (let r0 = 0; r0 < R; r0 += TILE) {
      const r1 = Math.min(R, r0 + TILE);
      for (let c0 = 0; c0 < C; c0 += TILE) {
        const c1 = Math.min(C, c0 + TILE);
        for (let r = r0; r < r1; r++) {
          let i = is + r * sr + c0 * sc, j = id + r * dr + c0 * dc;
          for (let c = c0; c < c1; c++, i += sc, j += dc) d[j] = s[i]!;
        }
      }
    }
  },
};

/** Binary ops with a Float64Array result. */
export const binaryF64: Record<string, BinaryKernels<Float64Array, Float64Array>> = {
  add: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = x + y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = x + y; }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = x + y; } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x + y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x + y; }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = x + y; }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = x + y; }
    },
  },
  sub: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = x - y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = x - y; }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = x - y; } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x - y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x - y; }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = x - y; }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = x - y; }
    },
  },
  mul: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = x * y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = x * y; }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = x * y; } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x * y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x * y; }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = x * y; }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = x * y; }
    },
  },
  div: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = x / y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = x / y; }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = x / y; } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x / y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x / y; }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = x / y; }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = x / y; }
    },
  },
  addScaled: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = x + p * y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = x + p * y; }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = x + p * y; } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x + p * y; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x + p * y; }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = x + p * y; }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = x + p * y; }
    },
  },
  maximum: {
    C: (n, a, ia, b, ib, o, io, p) => {
      const t = T; t[2] = NaN; t[3] = NaN; if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = (t[0] = y, t[1] = x, t[+(x > y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = (t[0] = y, t[1] = x, t[+(x > y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { const t = T; t[2] = NaN; t[3] = NaN; for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = (t[0] = y, t[1] = x, t[+(x > y) | ((+(x !== x) | +(y !== y)) << 1)]!); } },
    CS: (n, a, ia, y, o, io, p) => {
      const t = T; t[2] = NaN; t[3] = NaN; if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = (t[0] = y, t[1] = x, t[+(x > y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = (t[0] = y, t[1] = x, t[+(x > y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
    },
    SC: (n, x, b, ib, o, io, p) => {
      const t = T; t[2] = NaN; t[3] = NaN; if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = (t[0] = y, t[1] = x, t[+(x > y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = (t[0] = y, t[1] = x, t[+(x > y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
    },
  },
  minimum: {
    C: (n, a, ia, b, ib, o, io, p) => {
      const t = T; t[2] = NaN; t[3] = NaN; if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = (t[0] = y, t[1] = x, t[+(x < y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = (t[0] = y, t[1] = x, t[+(x < y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { const t = T; t[2] = NaN; t[3] = NaN; for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = (t[0] = y, t[1] = x, t[+(x < y) | ((+(x !== x) | +(y !== y)) << 1)]!); } },
    CS: (n, a, ia, y, o, io, p) => {
      const t = T; t[2] = NaN; t[3] = NaN; if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = (t[0] = y, t[1] = x, t[+(x < y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = (t[0] = y, t[1] = x, t[+(x < y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
    },
    SC: (n, x, b, ib, o, io, p) => {
      const t = T; t[2] = NaN; t[3] = NaN; if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = (t[0] = y, t[1] = x, t[+(x < y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = (t[0] = y, t[1] = x, t[+(x < y) | ((+(x !== x) | +(y !== y)) << 1)]!); }
    },
  },
};
/** Comparisons of Float64Array operands (a bool result, 0 or 1). */
export const compareF64: Record<string, BinaryKernels<Float64Array, Uint8Array>> = {
  eq: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = +(x === y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = +(x === y); }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = +(x === y); } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = +(x === y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = +(x === y); }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = +(x === y); }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = +(x === y); }
    },
  },
  ne: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = +(x !== y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = +(x !== y); }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = +(x !== y); } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = +(x !== y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = +(x !== y); }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = +(x !== y); }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = +(x !== y); }
    },
  },
  lt: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = +(x < y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = +(x < y); }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = +(x < y); } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = +(x < y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = +(x < y); }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = +(x < y); }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = +(x < y); }
    },
  },
  le: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = +(x <= y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = +(x <= y); }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = +(x <= y); } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = +(x <= y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = +(x <= y); }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = +(x <= y); }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = +(x <= y); }
    },
  },
  gt: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = +(x > y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = +(x > y); }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = +(x > y); } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = +(x > y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = +(x > y); }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = +(x > y); }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = +(x > y); }
    },
  },
  ge: {
    C: (n, a, ia, b, ib, o, io, p) => {
      if ((ia | ib | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!; o[k] = +(x >= y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!; o[io + k] = +(x >= y); }
    },
    S: (n, a, ia, sa, b, ib, sb, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) { const x = a[ia]!, y = b[ib]!; o[io + k] = +(x >= y); } },
    CS: (n, a, ia, y, o, io, p) => {
      if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = +(x >= y); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = +(x >= y); }
    },
    SC: (n, x, b, ib, o, io, p) => {
      if ((ib | io) === 0) for (let k = 0; k < n; k++) { const y = b[k]!; o[k] = +(x >= y); }
      else for (let k = 0; k < n; k++) { const y = b[ib + k]!; o[io + k] = +(x >= y); }
    },
  },
};
/** a * m for a bool mask m (0 or 1; relu's backward multiplies by y > 0): contiguous (C) and strided (S). */
export const mulMaskF64 = {
  C: (n: number, a: Float64Array, ia: number, m: Uint8Array, im: number, o: Float64Array, io: number): void => { for (let k = 0; k < n; k++) o[io + k] = a[ia + k]! * m[im + k]!; },
  S: (n: number, a: Float64Array, ia: number, sa: number, m: Uint8Array, im: number, sm: number, o: Float64Array, io: number): void => { for (let k = 0; k < n; k++, ia += sa, im += sm) o[io + k] = a[ia]! * m[im]!; },
};
/** Unary ops over contiguous Float64Arrays. */
export const unaryF64: Record<string, UnaryKernelC<Float64Array>> = {
  identity: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x; }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x; }
  },
  neg: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = -x; }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = -x; }
  },
  abs: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.abs(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.abs(x); }
  },
  sign: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = SIGN[+(x > 0) | (+(x < 0) << 1) | (+(x !== x) * 3)]!; }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = SIGN[+(x > 0) | (+(x < 0) << 1) | (+(x !== x) * 3)]!; }
  },
  exp: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.exp(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.exp(x); }
  },
  log: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.log(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.log(x); }
  },
  log1p: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.log1p(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.log1p(x); }
  },
  expm1: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.expm1(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.expm1(x); }
  },
  log2: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.log2(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.log2(x); }
  },
  log10: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.log10(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.log10(x); }
  },
  sqrt: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.sqrt(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.sqrt(x); }
  },
  rsqrt: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = 1 / Math.sqrt(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = 1 / Math.sqrt(x); }
  },
  square: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x * x; }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x * x; }
  },
  reciprocal: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = 1 / x; }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = 1 / x; }
  },
  sin: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.sin(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.sin(x); }
  },
  cos: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.cos(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.cos(x); }
  },
  tanh: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.tanh(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.tanh(x); }
  },
  sigmoid: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = 1 / (1 + Math.exp(-x)); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = 1 / (1 + Math.exp(-x)); }
  },
  relu: (n, a, ia, o, io, p0, p1) => {
    const t = T; t[0] = 0; if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = (t[1] = x, t[+!(x <= 0)]!); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = (t[1] = x, t[+!(x <= 0)]!); }
  },
  gelu: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = 0.5 * x * (1 + erf(x * SQRT1_2)); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = 0.5 * x * (1 + erf(x * SQRT1_2)); }
  },
  geluTanh: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = 0.5 * x * (1 + Math.tanh(GELU_K * (x + 0.044715 * x * x * x))); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = 0.5 * x * (1 + Math.tanh(GELU_K * (x + 0.044715 * x * x * x))); }
  },
  silu: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x / (1 + Math.exp(-x)); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x / (1 + Math.exp(-x)); }
  },
  erf: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = erf(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = erf(x); }
  },
  floor: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.floor(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.floor(x); }
  },
  ceil: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.ceil(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.ceil(x); }
  },
  trunc: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.trunc(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.trunc(x); }
  },
  round: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = roundHalfEven(x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = roundHalfEven(x); }
  },
  clamp: (n, a, ia, o, io, p0, p1) => {
    const t = T; t[1] = p0; t[3] = p1; if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = (t[0] = x, t[2] = t[+(x < p0)]!, t[2 + +(t[2]! > p1)]!); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = (t[0] = x, t[2] = t[+(x < p0)]!, t[2 + +(t[2]! > p1)]!); }
  },
  rpowScalar: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = Math.pow(p0, x); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = Math.pow(p0, x); }
  },
  leakyRelu: (n, a, ia, o, io, p0, p1) => {
    const t = T; if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = (t[0] = x * p0, t[1] = x, t[+(x > 0)]!); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = (t[0] = x * p0, t[1] = x, t[+(x > 0)]!); }
  },
  elu: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x > 0 ? x : (Math.exp(x) - 1) * p0; }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x > 0 ? x : (Math.exp(x) - 1) * p0; }
  },
  softplus: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = x * p0 > p1 ? x : Math.log1p(Math.exp(x * p0)) / p0; }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x * p0 > p1 ? x : Math.log1p(Math.exp(x * p0)) / p0; }
  },
  gtScalarMask: (n, a, ia, o, io, p0, p1) => {
    if ((ia | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!; o[k] = +(x > p0); }
    else for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = +(x > p0); }
  },
  powScalar: (n, a, ia, o, io, p0) => {
    if (p0 === 2) for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = x * x; }
    else if (p0 === 3) for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = (x * x) * x; }
    else if (p0 === -2) for (let k = 0; k < n; k++) { const x = a[ia + k]!; o[io + k] = 1 / (x * x); }
    // PyTorch dispatches x ** -1 to reciprocal and x ** 0.5 to sqrt (sqrt(-0) = -0, sqrt(-inf) = NaN,
    // where Math.pow gives +0 and +inf), as the reference does
    else if (p0 === -1) for (let k = 0; k < n; k++) o[io + k] = 1 / a[ia + k]!;
    else if (p0 === 0.5) for (let k = 0; k < n; k++) o[io + k] = Math.sqrt(a[ia + k]!);
    else if (p0 === -0.5) for (let k = 0; k < n; k++) o[io + k] = 1 / (Math.sqrt(a[ia + k]!));
    else for (let k = 0; k < n; k++) o[io + k] = Math.pow(a[ia + k]!, p0);
  },
};
/** Ternary ops (addcmul, addcdiv, lerp: c is the weight) on Float64Arrays. */
export const ternaryF64: Record<string, TernaryKernels<Float64Array>> = {
  addcmul: {
    C: (n, a, ia, b, ib, c, ic, o, io, p) => {
      if ((ia | ib | ic | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!, z = c[k]!; o[k] = x + p * y * z; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!, z = c[ic + k]!; o[io + k] = x + p * y * z; }
    },
    S: (n, a, ia, sa, b, ib, sb, c, ic, sc, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb, ic += sc) { const x = a[ia]!, y = b[ib]!, z = c[ic]!; o[io + k] = x + p * y * z; } },
  },
  addcdiv: {
    C: (n, a, ia, b, ib, c, ic, o, io, p) => {
      if ((ia | ib | ic | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!, z = c[k]!; o[k] = x + (p * y) / z; }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!, z = c[ic + k]!; o[io + k] = x + (p * y) / z; }
    },
    S: (n, a, ia, sa, b, ib, sb, c, ic, sc, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb, ic += sc) { const x = a[ia]!, y = b[ib]!, z = c[ic]!; o[io + k] = x + (p * y) / z; } },
  },
  lerp: {
    C: (n, a, ia, b, ib, c, ic, o, io, p) => {
      if ((ia | ib | ic | io) === 0) for (let k = 0; k < n; k++) { const x = a[k]!, y = b[k]!, z = c[k]!; o[k] = Math.abs(z) < 0.5 ? x + z * (y - x) : y - (y - x) * (1 - z); }
      else for (let k = 0; k < n; k++) { const x = a[ia + k]!, y = b[ib + k]!, z = c[ic + k]!; o[io + k] = Math.abs(z) < 0.5 ? x + z * (y - x) : y - (y - x) * (1 - z); }
    },
    S: (n, a, ia, sa, b, ib, sb, c, ic, sc, o, io, p) => { for (let k = 0; k < n; k++, ia += sa, ib += sb, ic += sc) { const x = a[ia]!, y = b[ib]!, z = c[ic]!; o[io + k] = Math.abs(z) < 0.5 ? x + z * (y - x) : y - (y - x) * (1 - z); } },
  },
};
/** torch.where over Float64Arrays: all contiguous (C) or strided (S). */
export const whereF64 = {
  C: (n: number, m: Uint8Array, im: number, a: Float64Array, ia: number, b: Float64Array, ib: number, o: Float64Array, io: number): void => { const t = T; for (let k = 0; k < n; k++) { t[0] = b[ib + k]!; t[1] = a[ia + k]!; o[io + k] = t[+(m[im + k] !== 0)]!; } },
  S: (n: number, m: Uint8Array, im: number, sm: number, a: Float64Array, ia: number, sa: number, b: Float64Array, ib: number, sb: number, o: Float64Array, io: number): void => {
    const t = T;
    for (let k = 0; k < n; k++, im += sm, ia += sa, ib += sb) { t[0] = b[ib]!; t[1] = a[ia]!; o[io + k] = t[+(m[im] !== 0)]!; }
  },
};
/** Strided copies of Float64Arrays: one row (S), and a 2-d block walked in tiles (transposes). */
export const copyF64 = {
  S: (n: number, s: Float64Array, is: number, ss: number, d: Float64Array, id: number, sd: number): void => { for (let k = 0; k < n; k++, is += ss, id += sd) d[id] = s[is]!; },
  tiled: (R: number, C: number, s: Float64Array, is: number, sr: number, sc: number, d: Float64Array, id: number, dr: number, dc: number): void => {
    for (let r0 = 0; r0 < R; r0 += TILE) {
      const r1 = Math.min(R, r0 + TILE);
      for (let c0 = 0; c0 < C; c0 += TILE) {
        const c1 = Math.min(C, c0 + TILE);
        for (let r = r0; r < r1; r++) {
          let i = is + r * sr + c0 * sc, j = id + r * dr + c0 * dc;
          for (let c = c0; c < c1; c++, i += sc, j += dc) d[j] = s[i]!;
        }
      }
    }
  },
};

