// Row kernels of the CPU backend: one tight loop per op over a strided run of n elements.
// Each kernel is its own function so V8 specialises it (no per-element indirect calls).
import type { BinaryOp, UnaryOp } from "../backend.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { erf, pyRemainder, roundHalfEven } from "./math.js";

type A = TypedArray;
export type UnaryKernel = (n: number, x: A, ix: number, sx: number, o: A, io: number, p0: number, p1: number) => void;
export type BinaryKernel = (n: number, a: A, ia: number, sa: number, b: A, ib: number, sb: number, o: A, io: number, p: number) => void;

const SQRT1_2 = Math.SQRT1_2;
const GELU_K = Math.sqrt(2 / Math.PI);

export const unaryKernels: Record<UnaryOp, UnaryKernel> = {
  identity: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = x[ix]!; },
  neg: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = -x[ix]!; },
  abs: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) o[io + k] = Math.abs(x[ix]!); },
  sign: (n, x, ix, sx, o, io) => { for (let k = 0; k < n; k++, ix += sx) { const v = x[ix]!; o[io + k] = v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : NaN; } },
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
  floorDivide: (n, a, ia, sa, b, ib, sb, o, io) => { for (let k = 0; k < n; k++, ia += sa, ib += sb) o[io + k] = Math.floor(a[ia]! / b[ib]!); },
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
