// The fast backend's elementwise kernels (see index.ts): unary, binary, ternary, where, copy and fill.
// Each primitive given here replaces the reference backend's for this backend; what is left out falls
// back to the reference.
//
// NOTE: float32 and float64 results go through monomorphic loops (elementwise_kernels.generated.ts, from scripts/gen_elementwise_kernels.mjs), picked
// per call by access pattern: every operand contiguous; one operand a scalar (stride 0 everywhere);
// and, after merging dims, per row: a bias row ([N] over [M, N]: contiguous rows), a column
// ([M, 1] over [M, N]: a scalar per row) or plain strides. Float32 results on long contiguous runs
// go to WebAssembly SIMD (elementwise_simd.ts) when the engine has it: exp/log/tanh/sigmoid/silu
// (within ulps), and bit for bit the loops' results for add/sub/mul/div/maximum/minimum/addScaled
// (both contiguous, a scalar operand, a bias row), comparisons (to bool), mask products and the
// cheap unary ops (relu, neg, abs, sqrt, square, ...). Integer and bool
// results (other than comparisons of floats), mixed operand types and arithmetic on bools keep the
// reference's kernels, which define the semantics every path here follows (the `dst` convention,
// scalar parameters cast to the output dtype, NaN rules of maximum/minimum/clamp/relu).
import { arenaAddF32, arenaFillF32 } from "./optim.js";
import type { Backend, BinaryOp, Storage, TernaryOp, UnaryOp, View } from "../backend.js";
import { cpuBackend } from "../cpu/index.js";
import { collapse } from "../cpu/strided.js";
import type { DType, TypedArray } from "../../tensor/dtype.js";
import { takeArray } from "../buffer_pool.js";
import { startMatmulWorkers } from "../cpu/wasm/index.js";
import { isContiguous as contiguous, numelOf } from "../../tensor/shape.js";
import {
  binaryF32, binaryF64, compareF32, compareF64, copyF32, copyF64, mulMaskF32, mulMaskF64, ternaryF32, ternaryF64, unaryF32, unaryF64, whereF32, whereF64,
  type BinaryKernels, type TernaryKernels, type UnaryKernelC,
} from "./elementwise_kernels.generated.js";
import {
  simdBinaryF32, simdBinaryOp, simdBinaryRowF32, simdBinaryScalarF32, simdCompareF32, simdCompareOp, simdCompareScalarF32, simdMulMaskF32, simdSelectMaskF32, simdThresholdBackwardF32, simdUnaryF32,
} from "./elementwise_simd.js";

type F = Float32Array | Float64Array;


/** Whether every stride is 0 where the dim is longer than 1 (a broadcast scalar). */
function scalarLike(shape: readonly number[], strides: readonly number[]): boolean {
  for (let i = 0; i < shape.length; i++) if (shape[i]! > 1 && strides[i] !== 0) return false;
  return true;
}

/** The float array type a float32 / float64 view must have for the fast paths (null: other dtypes). */
function floatKind(d: DType): 32 | 64 | 0 {
  return d.name === "float32" ? 32 : d.name === "float64" ? 64 : 0;
}

function isKind(v: View, kind: 32 | 64): boolean {
  return kind === 32 ? v.storage instanceof Float32Array : v.storage instanceof Float64Array;
}

/** A scalar parameter as PyTorch's kernel sees it: cast to float32 for float32 results (see cpu/index.ts). */
function param(kind: 32 | 64, p: number): number {
  return kind === 32 ? Math.fround(p) : p;
}

/**
 * Elementwise results of at least this many elements start the matmul worker threads (once, without
 * waiting for them). NOTE: a worker takes ~0.1-0.3 s to start here (a Node environment of its own);
 * started at the first big matmul, as before, it missed the first ~25 steps of the demo's training
 * (~10% of its first epoch), while the program had spent a second before that preparing its data
 * with big elementwise ops. PyTorch likewise starts its threads at the first parallel op, elementwise
 * included.
 */
const START_WORKERS_AT = 1 << 16;
let workersStarted = false;

/** New storage for n elements of a float kind, or dst's. */
function outputOf(kind: 32 | 64, n: number, dst: View | undefined): { o: F; o0: number } {
  if (!workersStarted && n >= START_WORKERS_AT) {
    workersStarted = true;
    startMatmulWorkers();
  }
  if (dst) return { o: dst.storage as F, o0: dst.offset };
  // every kernel writes all n elements: a pooled buffer's old values need no clearing
  return { o: kind === 32 ? takeArray(Float32Array, n) : takeArray(Float64Array, n), o0: 0 };
}

// ------------------------------------------------------------------------------------------- binary

/**
 * A binary kernel set, with R for the row broadcast ([M, N] op [N]: a contiguous, b's row repeated;
 * rowFirst: the row is the first operand, [N] op [M, N]); R returns false where it does not take the
 * case, and the rows run one by one.
 */
type FastBinaryKernels<A, O> = BinaryKernels<A, O> & {
  R?: (rows: number, len: number, a: A, ia: number, b: A, ib: number, rowFirst: boolean, o: O, io: number, p: number) => boolean;
};

/**
 * The float32 loops of op with the WebAssembly SIMD kernels in front: each form tries SIMD first
 * (which declines short runs, or where the engine lacks SIMD) and runs the loop otherwise. Made once
 * per op, so a call allocates nothing.
 */
function withSimdF32(op: BinaryOp, k: BinaryKernels<Float32Array, Float32Array>): FastBinaryKernels<Float32Array, Float32Array> {
  return {
    C: (n, a, ia, b, ib, o, io, p) => { if (!simdBinaryF32(op, n, a, ia, b, ib, o, io, p)) k.C(n, a, ia, b, ib, o, io, p); },
    S: k.S,
    CS: (n, a, ia, y, o, io, p) => { if (!simdBinaryScalarF32(op, n, a, ia, y, false, o, io, p)) k.CS(n, a, ia, y, o, io, p); },
    SC: (n, x, b, ib, o, io, p) => { if (!simdBinaryScalarF32(op, n, b, ib, x, true, o, io, p)) k.SC(n, x, b, ib, o, io, p); },
    R: (rows, len, a, ia, b, ib, rowFirst, o, io, p) => simdBinaryRowF32(op, rows, len, a, ia, b, ib, rowFirst, o, io, p),
  };
}

/** Comparisons of float32 operands with the SIMD kernels in front (see withSimdF32). */
function withSimdCompareF32(op: BinaryOp, k: BinaryKernels<Float32Array, Uint8Array>): BinaryKernels<Float32Array, Uint8Array> {
  return {
    C: (n, a, ia, b, ib, o, io, p) => { if (!simdCompareF32(op, n, a, ia, b, ib, o, io)) k.C(n, a, ia, b, ib, o, io, p); },
    S: k.S,
    CS: (n, a, ia, y, o, io, p) => { if (!simdCompareScalarF32(op, n, a, ia, y, false, o, io)) k.CS(n, a, ia, y, o, io, p); },
    SC: (n, x, b, ib, o, io, p) => { if (!simdCompareScalarF32(op, n, b, ib, x, true, o, io)) k.SC(n, x, b, ib, o, io, p); },
  };
}

/** binaryF32 with SIMD in front for the ops the module has. */
const fastBinaryF32: Record<string, FastBinaryKernels<Float32Array, Float32Array>> = Object.fromEntries(
  Object.entries(binaryF32).map(([op, k]) => [op, simdBinaryOp(op as BinaryOp) ? withSimdF32(op as BinaryOp, k) : k]),
);
/** compareF32 with SIMD in front. */
const fastCompareF32: Record<string, BinaryKernels<Float32Array, Uint8Array>> = Object.fromEntries(
  Object.entries(compareF32).map(([op, k]) => [op, simdCompareOp(op as BinaryOp) ? withSimdCompareF32(op as BinaryOp, k) : k]),
);

const COMPARISONS: ReadonlySet<BinaryOp> = new Set(["eq", "ne", "lt", "le", "gt", "ge"]);

/**
 * Runs a binary row-kernel set over a, b broadcast to shape, writing n results contiguously at o[o0].
 * NOTE: the row walk is the reference's forEachRow2 inlined (no closure per row); the inner strides
 * pick the loop once for all rows. A transposed operand (a linear layer's weight gradient arrives as
 * [256, 784] with strides [1, 256]) is read row by row as it is: measured, neither copying it dense
 * first (the copy's fresh pages cost more) nor walking it in 64-column tiles beat this.
 */
function runBinary<A extends F, O extends TypedArray>(
  k: FastBinaryKernels<A, O>, as: A, a: View, bs: A, b: View, shape: readonly number[], n: number, o: O, o0: number, p: number,
): void {
  const aC = contiguous(shape, a.strides), bC = contiguous(shape, b.strides);
  if (aC && bC) return k.C(n, as, a.offset, bs, b.offset, o, o0, p);
  if (aC && scalarLike(shape, b.strides)) return k.CS(n, as, a.offset, bs[b.offset]!, o, o0, p);
  if (bC && scalarLike(shape, a.strides)) return k.SC(n, as[a.offset]!, bs, b.offset, o, o0, p);
  const c = collapse(shape, [a.strides, b.strides]);
  const cs = c.shape, nd = cs.length, sa = c.strides[0]!, sb = c.strides[1]!;
  const len = cs[nd - 1]!, ia = sa[nd - 1]!, ib = sb[nd - 1]!;
  const rows = n / len;
  // the row broadcast (a bias): contiguous rows of one operand, the other's one row again and again
  if (k.R && nd === 2 && ia === 1 && ib === 1) {
    if (sa[0] === len && sb[0] === 0 && k.R(rows, len, as, a.offset, bs, b.offset, false, o, o0, p)) return;
    if (sa[0] === 0 && sb[0] === len && k.R(rows, len, bs, b.offset, as, a.offset, true, o, o0, p)) return;
  }
  const idx = new Array<number>(nd).fill(0);
  let oa = a.offset, ob = b.offset, io = o0;
  for (let r = 0; r < rows; r++, io += len) {
    if (ia === 1 && ib === 1) k.C(len, as, oa, bs, ob, o, io, p);
    else if (ia === 1 && ib === 0) k.CS(len, as, oa, bs[ob]!, o, io, p);
    else if (ia === 0 && ib === 1) k.SC(len, as[oa]!, bs, ob, o, io, p);
    else k.S(len, as, oa, ia, bs, ob, ib, o, io, p);
    for (let d = nd - 2; d >= 0; d--) {
      oa += sa[d]!;
      ob += sb[d]!;
      if (++idx[d]! < cs[d]!) break;
      oa -= sa[d]! * cs[d]!;
      ob -= sb[d]! * cs[d]!;
      idx[d] = 0;
    }
  }
}

function binary(this: Backend, op: BinaryOp, a: View, b: View, shape: readonly number[], out: DType, p = 1, dst?: View): Storage {
  const cmp = COMPARISONS.has(op);
  // NOTE: comparisons read their operands as they are stored: int64 is a Float64Array too, exact.
  const kind = cmp ? (out.name !== "bool" ? 0 : a.storage instanceof Float32Array ? 32 : a.storage instanceof Float64Array ? 64 : 0) : floatKind(out);
  const n = numelOf(shape);
  if (kind !== 0 && n > 0 && op === "mul" && (b.dtype.name === "bool" || a.dtype.name === "bool")) {
    const [x, m] = b.dtype.name === "bool" ? [a, b] : [b, a];
    if (isKind(x, kind) && m.storage instanceof Uint8Array) {
      const { o, o0 } = outputOf(kind, n, dst);
      mulMask(kind, x, m, shape, n, o, o0);
      return o;
    }
  }
  if (kind === 0 || n === 0 || !isKind(a, kind) || !isKind(b, kind)) return cpuBackend.binary.call(this, op, a, b, shape, out, p, dst);
  if (cmp) {
    const k = (kind === 32 ? fastCompareF32 : compareF64)[op];
    if (!k) return cpuBackend.binary.call(this, op, a, b, shape, out, p, dst);
    const o = dst ? (dst.storage as Uint8Array) : takeArray(Uint8Array, n), o0 = dst ? dst.offset : 0;
    runBinary(k as BinaryKernels<F, Uint8Array>, a.storage as F, a, b.storage as F, b, shape, n, o, o0, p);
    return o;
  }
  // a += b into a tensor that lives in the kernels' shared memory (a parameter's .grad accumulating)
  if (op === "add" && kind === 32 && p === 1 && dst !== undefined && a.storage === dst.storage && a.offset === dst.offset &&
    contiguous(shape, a.strides) && contiguous(shape, b.strides) && contiguous(shape, dst.strides) &&
    arenaAddF32(dst.storage as Float32Array, dst.offset, b.storage as Float32Array, b.offset, n)) return dst.storage;
  const k = (kind === 32 ? fastBinaryF32 : binaryF64)[op];
  if (!k) return cpuBackend.binary.call(this, op, a, b, shape, out, p, dst);
  const { o, o0 } = outputOf(kind, n, dst);
  runBinary(k as FastBinaryKernels<F, F>, a.storage as F, a, b.storage as F, b, shape, n, o, o0, param(kind, p));
  return o;
}

/**
 * o = x * m for a float x and a bool mask m broadcast to shape (relu's backward: g * (y > 0)).
 * NOTE: exact, as the reference's a[i] * b[i] on the mask's 0 / 1 (NaN * 0 = NaN, -x * 0 = -0).
 */
function mulMask(kind: 32 | 64, x: View, m: View, shape: readonly number[], n: number, o: F, o0: number): void {
  const k = (kind === 32 ? mulMaskF32 : mulMaskF64) as {
    C: (n: number, a: F, ia: number, m: Uint8Array, im: number, o: F, io: number) => void;
    S: (n: number, a: F, ia: number, sa: number, m: Uint8Array, im: number, sm: number, o: F, io: number) => void;
  };
  const xs = x.storage as F, ms = m.storage as Uint8Array;
  if (contiguous(shape, x.strides) && contiguous(shape, m.strides)) {
    if (kind === 32 && simdMulMaskF32(n, xs as Float32Array, x.offset, ms, m.offset, o as Float32Array, o0)) return;
    return k.C(n, xs, x.offset, ms, m.offset, o, o0);
  }
  const c = collapse(shape, [x.strides, m.strides]);
  // (the third operand of the walk is unused: the mask's strides again)
  walkRows3(c.shape, [c.strides[0]!, c.strides[1]!, c.strides[1]!], x.offset, m.offset, m.offset, (len, ia, sa, im, sm, _ic, _sc, io) => k.S(len, xs, ia, sa, ms, im, sm, o, o0 + io));
}

// -------------------------------------------------------------------------------------------- unary

function unary(this: Backend, op: UnaryOp, x: View, out: DType, p0 = 0, p1 = 0, dst?: View): Storage {
  const kind = floatKind(out);
  const n = numelOf(x.shape);
  if (kind === 0 || n === 0 || !isKind(x, kind)) return cpuBackend.unary.call(this, op, x, out, p0, p1, dst);
  const k = (kind === 32 ? unaryF32 : unaryF64)[op] as UnaryKernelC<F> | undefined;
  if (!k) return cpuBackend.unary.call(this, op, x, out, p0, p1, dst);
  const { o, o0 } = outputOf(kind, n, dst);
  let xs = x.storage as F, ix = x.offset;
  if (!contiguous(x.shape, x.strides)) {
    // NOTE: a strided input is first copied into the output (same dtype), then mapped in place.
    copyInto(x, { storage: o, dtype: out, shape: x.shape, strides: contiguousStridesOf(x.shape), offset: o0 });
    if (op === "identity") return o;
    xs = o;
    ix = o0;
  }
  p0 = param(kind, p0);
  p1 = param(kind, p1);
  if (kind === 32 && simdUnaryF32(op, n, xs as Float32Array, ix, o as Float32Array, o0, p0, p1)) return o;
  k(n, xs, ix, o, o0, p0, p1);
  return o;
}

function contiguousStridesOf(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= Math.max(shape[i]!, 1);
  }
  return st;
}

// ------------------------------------------------------------------------------------ ternary, where

function ternary(this: Backend, op: TernaryOp, a: View, b: View, c: View, shape: readonly number[], out: DType, p = 1, dst?: View): Storage {
  const kind = floatKind(out);
  const n = numelOf(shape);
  if (kind === 0 || n === 0 || !isKind(a, kind) || !isKind(b, kind) || !isKind(c, kind))
    return cpuBackend.ternary.call(this, op, a, b, c, shape, out, p, dst);
  const k = (kind === 32 ? ternaryF32 : ternaryF64)[op] as TernaryKernels<F> | undefined;
  if (!k) return cpuBackend.ternary.call(this, op, a, b, c, shape, out, p, dst);
  p = param(kind, p);
  const { o, o0 } = outputOf(kind, n, dst);
  const as = a.storage as F, bs = b.storage as F, cs = c.storage as F;
  if (contiguous(shape, a.strides) && contiguous(shape, b.strides) && contiguous(shape, c.strides)) {
    k.C(n, as, a.offset, bs, b.offset, cs, c.offset, o, o0, p);
    return o;
  }
  const cl = collapse(shape, [a.strides, b.strides, c.strides]);
  walkRows3(cl.shape, cl.strides, a.offset, b.offset, c.offset, (len, ia, sa, ib, sb, ic, sc, io) => k.S(len, as, ia, sa, bs, ib, sb, cs, ic, sc, o, o0 + io, p));
  return o;
}

/**
 * Calls row(len, offsets and inner strides of the three operands, output index) for every innermost
 * row of a collapsed shape. NOTE: for ternary and where, whose strided cases are rare (a closure per
 * call is cheap next to a row).
 */
function walkRows3(
  cs: readonly number[], st: readonly (readonly number[])[], oa: number, ob: number, oc: number,
  row: (len: number, ia: number, sa: number, ib: number, sb: number, ic: number, sc: number, io: number) => void,
): void {
  const nd = cs.length, len = cs[nd - 1]!;
  const s0 = st[0]!, s1 = st[1]!, s2 = st[2]!;
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= cs[d]!;
  const idx = new Array<number>(nd).fill(0);
  for (let r = 0, io = 0; r < rows; r++, io += len) {
    row(len, oa, s0[nd - 1]!, ob, s1[nd - 1]!, oc, s2[nd - 1]!, io);
    for (let d = nd - 2; d >= 0; d--) {
      oa += s0[d]!;
      ob += s1[d]!;
      oc += s2[d]!;
      if (++idx[d]! < cs[d]!) break;
      oa -= s0[d]! * cs[d]!;
      ob -= s1[d]! * cs[d]!;
      oc -= s2[d]! * cs[d]!;
      idx[d] = 0;
    }
  }
}

function where(this: Backend, cond: View, a: View, b: View, shape: readonly number[], out: DType, dst?: View): Storage {
  // NOTE: int64 shares Float64Array storage and needs no conversion here (a and b are of out's dtype).
  const kind = out.name === "int64" ? 64 : floatKind(out);
  const n = numelOf(shape);
  if (kind === 0 || n === 0 || !isKind(a, kind) || !isKind(b, kind) || !(cond.storage instanceof Uint8Array))
    return cpuBackend.where.call(this, cond, a, b, shape, out, dst);
  const { o, o0 } = outputOf(kind, n, dst);
  const ms = cond.storage, as = a.storage as F, bs = b.storage as F;
  const k = kind === 32 ? whereF32 : whereF64;
  if (contiguous(shape, cond.strides) && contiguous(shape, a.strides) && contiguous(shape, b.strides)) {
    (k.C as (n: number, m: Uint8Array, im: number, a: F, ia: number, b: F, ib: number, o: F, io: number) => void)(n, ms, cond.offset, as, a.offset, bs, b.offset, o, o0);
    return o;
  }
  // one value where the mask is set, a contiguous tensor elsewhere (masked_fill(mask, 0): relu's,
  // clamp's and the losses' backward), or the other way round: one select per element
  const mC = contiguous(shape, cond.strides);
  if (mC && scalarLike(shape, a.strides) && contiguous(shape, b.strides)) {
    selectScalar(n, ms, cond.offset, as[a.offset]!, bs, b.offset, o, o0, 1);
    return o;
  }
  if (mC && contiguous(shape, a.strides) && scalarLike(shape, b.strides)) {
    selectScalar(n, ms, cond.offset, bs[b.offset]!, as, a.offset, o, o0, 0);
    return o;
  }
  const S = k.S as (n: number, m: Uint8Array, im: number, sm: number, a: F, ia: number, sa: number, b: F, ib: number, sb: number, o: F, io: number) => void;
  const cl = collapse(shape, [cond.strides, a.strides, b.strides]);
  walkRows3(cl.shape, cl.strides, cond.offset, a.offset, b.offset, (len, im, sm, ia, sa, ib, sb, io) => S(len, ms, im, sm, as, ia, sa, bs, ib, sb, o, o0 + io));
  return o;
}

const SELECT = new Float64Array(2);
/**
 * o[k] = (m[k] !== 0) === (when === 1) ? v : x[k] over contiguous runs (a where with one scalar side).
 * NOTE: a table lookup, not a branch: masks such as y > 0 are random, and a mispredicted branch per
 * element made this 4x slower (measured: 2.4 ms against 0.6 for 200k floats).
 */
function selectScalar(n: number, m: Uint8Array, im: number, v: number, x: F, ix: number, o: F, io: number, when: 0 | 1): void {
  if (x instanceof Float32Array && simdSelectMaskF32(n, m, im, v, x, ix, o as Float32Array, io, when)) return;
  const t = SELECT;
  t[when] = v;
  const j = 1 - when;
  for (let k = 0; k < n; k++) {
    t[j] = x[ix + k]!;
    o[io + k] = t[+(m[im + k] !== 0)]!;
  }
}

// ------------------------------------------------------------------------------------- copy, fill

/** Rows at least this long are copied with TypedArray.set (the reference's measured LONG_ROW). */
const LONG_ROW = 32;

/**
 * Writes src into the strided region dst (same shape). Same-dtype float32 / float64 / int64 copies
 * run here; casts keep the reference's loop (its int64 truncation and bool tests).
 * NOTE: a 2-d pattern whose source and destination both jump (a transpose made contiguous) is
 * walked in 32x32 tiles so that both stay in cache: rows of one are columns of the other.
 */
function copyInto(src: View, dst: View): void {
  const kind = dst.dtype.name === "int64" ? 64 : floatKind(dst.dtype);
  if (kind === 0 || src.dtype !== dst.dtype || !isKind(src, kind) || !isKind(dst, kind)) return cpuBackend.copy(src, dst);
  const n = numelOf(dst.shape);
  if (n === 0) return;
  const s = src.storage as F, d = dst.storage as F;
  const k = (kind === 32 ? copyF32 : copyF64) as { S: (n: number, s: F, is: number, ss: number, d: F, id: number, sd: number) => void; tiled: (R: number, C: number, s: F, is: number, sr: number, sc: number, d: F, id: number, dr: number, dc: number) => void };
  if (contiguous(dst.shape, src.strides) && contiguous(dst.shape, dst.strides)) {
    if (n >= LONG_ROW) d.set(s.subarray(src.offset, src.offset + n), dst.offset);
    else k.S(n, s, src.offset, 1, d, dst.offset, 1);
    return;
  }
  const c = collapse(dst.shape, [src.strides, dst.strides]);
  const cs = c.shape, nd = cs.length, ss = c.strides[0]!, sd = c.strides[1]!;
  const len = cs[nd - 1]!, is1 = ss[nd - 1]!, id1 = sd[nd - 1]!;
  if (nd === 2 && is1 !== 1 && cs[0]! > 1 && len > 1 && Math.abs(ss[0]!) < Math.abs(is1)) {
    // a transpose-like block: the source's fast dim is the outer one
    k.tiled(cs[0]!, len, s, src.offset, ss[0]!, is1, d, dst.offset, sd[0]!, id1);
    return;
  }
  const rows = n / len;
  const idx = new Array<number>(nd).fill(0);
  const useSet = is1 === 1 && id1 === 1 && len >= LONG_ROW;
  let os = src.offset, od = dst.offset;
  for (let r = 0; r < rows; r++) {
    if (useSet) d.set(s.subarray(os, os + len), od);
    else k.S(len, s, os, is1, d, od, id1);
    for (let q = nd - 2; q >= 0; q--) {
      os += ss[q]!;
      od += sd[q]!;
      if (++idx[q]! < cs[q]!) break;
      os -= ss[q]! * cs[q]!;
      od -= sd[q]! * cs[q]!;
      idx[q] = 0;
    }
  }
}

function fill(dst: View, value: number): void {
  const kind = floatKind(dst.dtype);
  if (kind === 0 || !isKind(dst, kind)) return cpuBackend.fill(dst, value);
  const n = numelOf(dst.shape);
  if (n === 0) return;
  const d = dst.storage as F;
  if (contiguous(dst.shape, dst.strides)) {
    // a tensor in the kernels' shared memory (a parameter's .grad, zeroed every step) is filled in wasm
    if (kind === 32 && arenaFillF32(d as Float32Array, dst.offset, n, value)) return;
    d.fill(value, dst.offset, dst.offset + n);
    return;
  }
  const c = collapse(dst.shape, [dst.strides]);
  const cs = c.shape, nd = cs.length, st = c.strides[0]!;
  const len = cs[nd - 1]!, inner = st[nd - 1]!;
  const rows = n / len;
  const idx = new Array<number>(nd).fill(0);
  let od = dst.offset;
  for (let r = 0; r < rows; r++) {
    if (inner === 1) d.fill(value, od, od + len);
    else for (let k = 0, i = od; k < len; k++, i += inner) d[i] = value;
    for (let q = nd - 2; q >= 0; q--) {
      od += st[q]!;
      if (++idx[q]! < cs[q]!) break;
      od -= st[q]! * cs[q]!;
      idx[q] = 0;
    }
  }
}

/** Backend.thresholdBackward for float32: one pass (SIMD on long runs) instead of a comparison and a where. */
function thresholdBackward(g: View, y: View, t: number): Storage | null {
  if (g.dtype.name !== "float32" || y.dtype.name !== "float32" || !(g.storage instanceof Float32Array) || !(y.storage instanceof Float32Array)) return null;
  const n = numelOf(g.shape);
  if (g.shape.length !== y.shape.length || g.shape.some((d, i) => d !== y.shape[i]) || !contiguous(g.shape, g.strides) || !contiguous(y.shape, y.strides)) return null;
  const { o } = outputOf(32, n, undefined);
  const gs = g.storage, ys = y.storage, ig = g.offset, iy = y.offset, tf = Math.fround(t);
  if (!simdThresholdBackwardF32(n, gs, ig, ys, iy, tf, o as Float32Array, 0))
    for (let i = 0; i < n; i++) o[i] = ys[iy + i]! <= tf ? 0 : gs[ig + i]!;
  return o;
}

export const elementwiseKernels: Partial<Backend> = { unary, binary, ternary, where, copy: copyInto, fill, thresholdBackward };
