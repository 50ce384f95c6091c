// The fast backend's elementwise primitives (src/backend/wasm/elementwise.ts) against the reference
// backend's, element by element: every UnaryOp, BinaryOp, TernaryOp, where, copy and fill, on
// contiguous, offset, strided, transposed and broadcast views (a scalar, a bias row, a column, a
// general pattern), empty shapes, in-place `dst`, every dtype, and edge values (NaN, +-inf, -0, huge,
// denormal). Exact ops must give the reference's bits (Object.is per element, -0 and NaN included);
// the others get the tolerance their kernels honestly meet (see TOL), measured in float ulps.
// Also: the WebAssembly SIMD transcendental functions against Math.* in float64 over all float32
// bit patterns (strided), and the embedded wasm bytes against a fresh build of the .wat; and the
// exact SIMD kernels (binary ops, comparisons, mask products, cheap unary ops) against the float32
// loops bit for bit (setSimdEnabled(false) runs the loops): special values and every pair of them,
// random bit patterns, lengths around the thresholds and the 8192-float chunk, offsets, scalar and
// bias-row operands, in place.
import { test } from "node:test";
import assert from "node:assert/strict";

import "../src/index.js";
import { getBackend, type Backend, type BinaryOp, type TernaryOp, type UnaryOp, type View } from "../src/backend/backend.js";
import { bool, float32, float64, int32, int64, type DType, type TypedArray } from "../src/tensor/dtype.js";
import {
  EXACT_MIN_LENGTH, EXACT_MIN_LENGTH_TWO, setSimdEnabled, simdAvailable, simdBinaryF32, simdBinaryScalarF32, simdCompareF32, simdCompareScalarF32, simdMulMaskF32, simdUnaryF32,
} from "../src/backend/wasm/elementwise_simd.js";
import { binaryF32, compareF32, mulMaskF32, unaryF32 } from "../src/backend/wasm/elementwise_kernels.generated.js";
import { ELEMENTWISE_SIMD_WASM_BASE64 } from "../src/backend/wasm/elementwise_simd.generated.js";
import { buildWasm, generatedSource, MODULES } from "../scripts/build_wasm.js";

const fast: Backend = getBackend("wasm");
const ref: Backend = getBackend("reference");

// ------------------------------------------------------------------------------------------ values

/** A small deterministic generator (xorshift32). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

const EDGE = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -0.5, 2, -2, 3, 1e-40, -1e-40, 1e-7, 1e30, -1e30, 3e38, -3e38, 100, -100, 88.7, -87.5, 0.3, -0.7, 20, 1.5, -6.5, -8.1];
const INTS = [0, 1, -1, 2, -3, 7, 100, -100, 2 ** 40, -(2 ** 40), 5, 12];

/** n values for dtype: edge values mixed with random ones (floats ~ N(0, 2), ints small). */
function values(dtype: DType, n: number, seed: number, edges = true): number[] {
  const r = rng(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const pick = r();
    if (dtype === bool) out.push(r() < 0.5 ? 1 : 0);
    else if (dtype === int64) out.push(edges && pick < 0.3 ? INTS[Math.floor(r() * INTS.length)]! : Math.floor(r() * 21) - 10);
    else if (dtype === int32) out.push(Math.floor(r() * 41) - 20);
    else if (edges && pick < 0.25) out.push(EDGE[Math.floor(r() * EDGE.length)]!);
    else out.push((r() + r() + r() - 1.5) * 4);
  }
  return out;
}

// ------------------------------------------------------------------------------------------ layouts

/** A view pattern over an output shape: how an operand is laid out in its storage. */
type Layout = "contiguous" | "offset" | "strided" | "transposed" | "scalar" | "row" | "col" | "general";

/** The strides, offset and storage size of a layout for a 2-d or 3-d output shape. */
function layoutOf(kind: Layout, shape: readonly number[]): { strides: number[]; offset: number; size: number } {
  const nd = shape.length, last = shape[nd - 1]!;
  const numel = shape.reduce((a, b) => a * b, 1);
  const contig = (sh: readonly number[]) => {
    const st = new Array<number>(sh.length);
    let acc = 1;
    for (let i = sh.length - 1; i >= 0; i--) { st[i] = acc; acc *= Math.max(sh[i]!, 1); }
    return st;
  };
  switch (kind) {
    case "contiguous": return { strides: contig(shape), offset: 0, size: numel };
    case "offset": return { strides: contig(shape), offset: 5, size: numel + 9 };
    case "strided": { // every other element of a twice-as-wide last dim, from 1
      const st = contig(shape.map((s, i) => (i === nd - 1 ? 2 * s : s)));
      st[nd - 1] = 2;
      return { strides: st, offset: 1, size: 2 * numel + 2 };
    }
    case "transposed": { // the last two dims swapped in memory
      const sw = [...shape];
      [sw[nd - 2], sw[nd - 1]] = [sw[nd - 1]!, sw[nd - 2]!];
      const st = contig(sw);
      const t = [...st];
      [t[nd - 2], t[nd - 1]] = [st[nd - 1]!, st[nd - 2]!];
      return { strides: t, offset: 0, size: numel };
    }
    case "scalar": return { strides: shape.map(() => 0), offset: 3, size: 4 };
    case "row": { // a bias: the last dim only
      const st = shape.map(() => 0);
      st[nd - 1] = 1;
      return { strides: st, offset: 0, size: last };
    }
    case "col": { // [.., M, 1] broadcast over the last dim
      const st = contig(shape.slice(0, nd - 1)).concat([0]);
      return { strides: st, offset: 0, size: numel / last || 1 };
    }
    case "general": { // broadcast over the first dim, strided in the others
      const inner = shape.slice(1);
      const st = contig(inner).map((s) => s * 2);
      return { strides: [0, ...st], offset: 2, size: 2 * inner.reduce((a, b) => a * b, 1) + 3 };
    }
  }
}

function storageFor(dtype: DType, vals: number[]): TypedArray {
  return ref.fromValues(dtype, vals) as TypedArray;
}

/** A fresh view of layout `kind` over `shape` with deterministic values. */
function makeView(dtype: DType, kind: Layout, shape: readonly number[], seed: number, edges = true): View {
  const l = layoutOf(kind, shape);
  return { storage: storageFor(dtype, values(dtype, l.size, seed, edges)), dtype, shape, strides: l.strides, offset: l.offset };
}

const cloneView = (v: View): View => ({ ...v, storage: (v.storage as TypedArray).slice() });

// ------------------------------------------------------------------------------------------ compare

const F32_MIN_NORMAL = 2 ** -126, F64_MIN_NORMAL = 2 ** -1022;

/** The spacing of float32 (or float64) values at |v|. */
function ulpOf(v: number, dtype: DType): number {
  const a = Math.abs(v);
  if (dtype === float32) return a < F32_MIN_NORMAL ? 2 ** -149 : 2 ** (Math.floor(Math.log2(a)) - 23);
  return a < F64_MIN_NORMAL ? 2 ** -1074 : 2 ** (Math.floor(Math.log2(a)) - 52);
}

/**
 * How far a fast result may be from the reference's: `ulps` ulps of the larger of |reference| and
 * `scale` (the size of the terms a result comes from, where cancellation can leave a small result).
 * NOTE: where the reference or the fast result is below the normal range (denormal, or flushed to 0
 * by the reference's overflowing exp, as PyTorch's is), they may differ by less than the smallest
 * normal number: the SIMD sigmoid/silu keep denormal results that PyTorch's formula loses.
 */
interface Tol { ulps: number; scale?: (i: number) => number }

function assertClose(got: TypedArray, want: TypedArray, dtype: DType, tol: Tol | 0, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!, w = want[i]!;
    if (Object.is(g, w)) continue;
    if (tol === 0 || !dtype.isFloatingPoint) assert.fail(`${what}: element ${i} is ${Object.is(g, -0) ? "-0" : g}, the reference's ${Object.is(w, -0) ? "-0" : w}`);
    if (Number.isNaN(w) || Number.isNaN(g) || !Number.isFinite(w) || !Number.isFinite(g))
      assert.fail(`${what}: element ${i} is ${g}, the reference's ${w}`);
    const scale = Math.max(Math.abs(w), tol.scale ? Math.abs(tol.scale(i)) : 0);
    let allowed = tol.ulps * ulpOf(scale, dtype);
    const minNormal = dtype === float32 ? F32_MIN_NORMAL : F64_MIN_NORMAL;
    if (Math.abs(w) < minNormal || Math.abs(g) < minNormal) allowed = Math.max(allowed, minNormal);
    assert.ok(Math.abs(g - w) <= allowed, `${what}: element ${i} is ${g}, the reference's ${w} (allowed ${allowed})`);
  }
}

/** The elements of a view in row-major order, as plain numbers. */
function elements(v: View): number[] {
  return Array.from(ref.read(v));
}

// ------------------------------------------------------------------------------------------ unary

const UNARY_OPS: UnaryOp[] = [
  "identity", "neg", "abs", "sign", "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "square", "reciprocal", "sin", "cos", "tan",
  "tanh", "sigmoid", "relu", "gelu", "geluTanh", "silu", "erf", "floor", "ceil", "round", "trunc", "logicalNot", "isnan", "asin",
  "acos", "atan", "sinh", "cosh", "log2", "log10", "exp2", "clamp", "powScalar", "rpowScalar", "leakyRelu", "elu", "softplus",
  "gtScalarMask",
];

/** Scalar parameters each parametrised op is tried with. */
const UNARY_PARAMS: Partial<Record<UnaryOp, [number, number][]>> = {
  clamp: [[-0.5, 0.7], [-Infinity, 1], [0.2, Infinity], [1, -1]],
  powScalar: [[2, 0], [3, 0], [0.5, 0], [-1, 0], [-2, 0], [1.7, 0], [1, 0], [0, 0]],
  rpowScalar: [[2.5, 0]],
  leakyRelu: [[0.01, 0], [0.2, 0]],
  elu: [[1, 0], [0.5, 0]],
  softplus: [[1, 20], [2, 5]],
  gtScalarMask: [[0, 0], [0.3, 0]],
};

/**
 * Unary tolerances, float32 / float64, in ulps of the reference result (0: the reference's bits).
 * - exp, log, tanh, sigmoid, silu: float32 through the SIMD polynomials (within 2 ulp of the true
 *   value, see the test below) against Sleef's (within 1), float64 Math.* against Sleef's exp/log;
 * - elu, float32: Math.exp for Sleef's expf away from 0; near 0, where exp(x) - 1 cancels, the
 *   reference's own exp for a contiguous run, but a strided operand (whose every element the
 *   reference computes with glibc's exp) may differ there by an ulp of 1 times alpha (the scale);
 *   softplus: log1p(exp(bx)) in float64 against the reference's float32 steps; gelu, float32:
 *   a Chebyshev erfc (1.2e-7 relative, within 2 ulps of the reference down to x = -5.5) for the
 *   reference's 1 + erf(x / sqrt 2), which cancels below that (noise of ~1e-16 |x| where the true
 *   value is as small; PyTorch's float32 gives 0 there): the scale |x| 2^-27 allows ~4e-15 |x|.
 */
const UNARY_TOL: Partial<Record<UnaryOp, [number, number]>> = {
  exp: [4, 2], log: [4, 2], tanh: [4, 2], sigmoid: [4, 2], silu: [4, 2],
  rsqrt: [0, 0], powScalar: [0, 0], elu: [4, 0], softplus: [4, 4], gelu: [4, 0],
};

const SHAPES_2D: number[][] = [[5, 7], [3, 40], [1, 17]];

test("unary: every op, dtype and layout gives the reference's results (exact or within TOL)", () => {
  const layouts: Layout[] = ["contiguous", "offset", "strided", "transposed", "scalar", "row", "col", "general"];
  // (input dtype, output dtype): the same; ints to float (ops of float output); bool results
  const pairs: [DType, DType][] = [[float32, float32], [float64, float64], [int64, int64], [int32, int32], [int64, float32], [float32, bool], [bool, bool]];
  let seed = 1, checked = 0;
  for (const op of UNARY_OPS)
    for (const [xd, od] of pairs) {
      if (od === bool && xd !== bool && op !== "identity" && op !== "isnan" && op !== "relu") continue;
      if ((op === "logicalNot" || op === "isnan") !== (od === bool) && xd !== bool) continue;
      for (const params of UNARY_PARAMS[op] ?? [[0, 0]])
        for (const shape of SHAPES_2D)
          for (const lay of layouts) {
            const x = makeView(xd, lay, shape, seed++);
            const got = fast.unary(op, x, od, params[0], params[1]) as TypedArray;
            const want = ref.unary(op, x, od, params[0], params[1]) as TypedArray;
            const t = UNARY_TOL[op];
            const ex = op === "gelu" ? elements(x) : [];
            const scale = op === "elu" ? () => params[0] : op === "gelu" ? (i: number) => Math.abs(ex[i]!) * 2 ** -27 : undefined;
            const tol = !t || !od.isFloatingPoint ? 0 : { ulps: t[od === float32 ? 0 : 1]!, scale };
            if (t && od.isFloatingPoint && t[od === float32 ? 0 : 1] === 0) assertClose(got, want, od, 0, `${op}(${params}) ${xd.name}->${od.name} ${lay} [${shape}]`);
            else assertClose(got, want, od, tol, `${op}(${params}) ${xd.name}->${od.name} ${lay} [${shape}]`);
            checked++;
          }
    }
  assert.ok(checked > 2000, `checked ${checked}`);
});

test("unary: in place (dst is the operand), empty shapes, and the SIMD path on long and chunked runs", () => {
  for (const op of ["exp", "log", "tanh", "sigmoid", "silu", "relu", "neg", "clamp", "gtScalarMask", "sqrt"] as UnaryOp[])
    for (const dt of [float32, float64]) {
      for (const n of [0, 3, 16, 17, 100, 8192, 8195, 20000]) {
        const x = makeView(dt, "contiguous", [n], n + 7);
        const want = ref.unary(op, cloneView(x), dt, -0.5, 0.5) as TypedArray;
        const y = cloneView(x);
        const got = fast.unary(op, y, dt, -0.5, 0.5, y) as TypedArray;
        assert.equal(got, y.storage, "dst's storage is returned");
        const t = UNARY_TOL[op];
        assertClose(got, want, dt, t ? { ulps: t[dt === float32 ? 0 : 1]! } : 0, `${op} in place ${dt.name} n=${n}`);
      }
      // dst at an offset inside a bigger storage: the elements around it stay untouched
      const x = makeView(dt, "offset", [4, 9], 3);
      const big = (x.storage as TypedArray).slice();
      const dst: View = { storage: big, dtype: dt, shape: [4, 9], strides: [9, 1], offset: 5 };
      const want = (x.storage as TypedArray).slice();
      want.set(ref.unary(op, x, dt, -0.5, 0.5) as TypedArray, 5);
      fast.unary(op, { ...dst }, dt, -0.5, 0.5, dst);
      const t = UNARY_TOL[op];
      assertClose(big, want, dt, t ? { ulps: t[dt === float32 ? 0 : 1]! } : 0, `${op} dst at offset ${dt.name}`);
    }
  // a strided operand written into a separate dst
  const x = makeView(float32, "transposed", [6, 5], 9);
  const dst: View = { storage: new Float32Array(30), dtype: float32, shape: [6, 5], strides: [5, 1], offset: 0 };
  fast.unary("exp", x, float32, 0, 0, dst);
  assertClose(dst.storage as TypedArray, ref.unary("exp", x, float32) as TypedArray, float32, { ulps: 4 }, "exp of a transposed view into dst");
  assert.equal((fast.unary("exp", makeView(float32, "contiguous", [0, 3], 1), float32) as TypedArray).length, 0);
});

// ------------------------------------------------------------------------------------------ binary

const BINARY_OPS: BinaryOp[] = [
  "add", "sub", "mul", "div", "pow", "maximum", "minimum", "remainder", "fmod", "atan2", "floorDivide", "eq", "ne", "lt", "le", "gt", "ge",
  "logicalAnd", "logicalOr", "logicalXor", "addScaled",
];
const COMPARE: ReadonlySet<BinaryOp> = new Set(["eq", "ne", "lt", "le", "gt", "ge", "logicalAnd", "logicalOr", "logicalXor"]);

/** Layout pairs: both contiguous, scalars, bias rows and columns, transposes, strides, general broadcasts. */
const PAIRS: [Layout, Layout][] = [
  ["contiguous", "contiguous"], ["contiguous", "scalar"], ["scalar", "contiguous"], ["contiguous", "row"], ["row", "contiguous"],
  ["contiguous", "col"], ["col", "contiguous"], ["col", "row"], ["transposed", "contiguous"], ["contiguous", "strided"],
  ["offset", "offset"], ["strided", "scalar"], ["scalar", "transposed"], ["general", "contiguous"], ["scalar", "scalar"], ["row", "col"],
];

/**
 * addScaled (a + p b), float32: computed in float64 and rounded once where PyTorch fuses; equal but
 * for a double rounding now and then (and PyTorch's unfused middle of a scalar-operand row, see the
 * reference's hoistedRange). float64: a + p b rounded twice against one FMA. Either way within an ulp
 * of the larger term.
 */
const BINARY_TOL: Partial<Record<BinaryOp, number>> = { addScaled: 1 };

test("binary: every op, dtype and broadcast pattern gives the reference's results", () => {
  let seed = 1000, checked = 0;
  // [40, 33]: a transposed operand read across 40 rows of 33 (strides [1, 40])
  const shapes: number[][] = [[5, 7], [3, 40], [2, 3, 8], [40, 33]];
  for (const op of BINARY_OPS)
    for (const dt of [float32, float64, int64, int32, bool])
      for (const p of op === "addScaled" ? [1, -1, 0.3, 2.5] : [1]) {
        if (op === "sub" && dt === bool) continue; // the op layer refuses it
        if ((op === "remainder" || op === "fmod" || op === "floorDivide") && !dt.isFloatingPoint) continue; // int divisors: the op layer checks for 0
        const out = COMPARE.has(op) ? bool : dt;
        for (const shape of shapes)
          for (const [la, lb] of PAIRS) {
            if (shape.length === 3 && la !== "general" && lb !== "contiguous") continue;
            const a = makeView(dt, la, shape, seed++), b = makeView(dt, lb, shape, seed++);
            const got = fast.binary(op, a, b, shape, out, p) as TypedArray;
            const want = ref.binary(op, a, b, shape, out, p) as TypedArray;
            const tol = BINARY_TOL[op] && out.isFloatingPoint ? { ulps: BINARY_TOL[op]!, scale: termScale(a, b, shape, p) } : 0;
            assertClose(got, want, out, tol, `${op}(p=${p}) ${dt.name} ${la} x ${lb} [${shape}]`);
            checked++;
          }
      }
  assert.ok(checked > 2000, `checked ${checked}`);
});

/** For a + p b: the larger of |a| and |p b| per output element (the terms' size). */
function termScale(a: View, b: View, shape: readonly number[], p: number): (i: number) => number {
  const ea = elements({ ...a, shape }), eb = elements({ ...b, shape });
  return (i) => Math.max(Math.abs(ea[i]!), Math.abs(p * eb[i]!));
}

test("binary: mixed operands (a float with a bool mask, a float32 with a float64 scalar) and bool arithmetic", () => {
  let seed = 5000;
  for (const dt of [float32, float64])
    for (const [la, lb] of PAIRS) {
      const shape = [5, 7];
      const a = makeView(dt, la, shape, seed++), m = makeView(bool, lb, shape, seed++);
      assertClose(fast.binary("mul", a, m, shape, dt) as TypedArray, ref.binary("mul", a, m, shape, dt) as TypedArray, dt, 0, `mul ${dt.name} ${la} x bool ${lb}`);
      assertClose(fast.binary("mul", m, a, shape, dt) as TypedArray, ref.binary("mul", m, a, shape, dt) as TypedArray, dt, 0, `mul bool ${la} x ${dt.name} ${lb}`);
      const other = dt === float32 ? float64 : float32;
      const s = makeView(other, "scalar", shape, seed++);
      for (const op of ["add", "mul", "div", "lt"] as BinaryOp[]) {
        const out = op === "lt" ? bool : dt;
        assertClose(fast.binary(op, a, s, shape, out) as TypedArray, ref.binary(op, a, s, shape, out) as TypedArray, out, 0, `${op} ${dt.name} ${la} with a ${other.name} scalar`);
      }
    }
  for (const op of ["add", "mul", "maximum", "addScaled"] as BinaryOp[]) {
    const a = makeView(bool, "contiguous", [4, 6], 1), b = makeView(bool, "row", [4, 6], 2);
    assertClose(fast.binary(op, a, b, [4, 6], bool, 2) as TypedArray, ref.binary(op, a, b, [4, 6], bool, 2) as TypedArray, bool, 0, `${op} on bools`);
  }
});

test("binary: in place into an operand (dst), at an offset, and empty shapes", () => {
  let seed = 7000;
  for (const op of ["add", "sub", "mul", "div", "maximum", "minimum", "addScaled", "lt"] as BinaryOp[])
    for (const dt of [float32, float64, int64])
      for (const lb of ["contiguous", "scalar", "row", "col", "transposed"] as Layout[]) {
        const out = op === "lt" ? bool : dt;
        if (out === bool) continue;
        const shape = lb === "transposed" ? [40, 33] : [6, 10];
        const a = makeView(dt, "offset", shape, seed++), b = makeView(dt, lb, shape, seed++);
        const wantStorage = (a.storage as TypedArray).slice();
        wantStorage.set(ref.binary(op, a, b, shape, out, 0.5) as TypedArray, a.offset);
        const a2 = cloneView(a);
        const got = fast.binary(op, a2, b, shape, out, 0.5, a2) as TypedArray;
        assert.equal(got, a2.storage);
        const tol = BINARY_TOL[op] && dt.isFloatingPoint ? { ulps: 1, scale: () => 1e3 } : 0;
        assertClose(got, wantStorage, dt, tol, `${op} in place ${dt.name} with ${lb}`);
      }
  for (const dt of [float32, float64]) {
    const a = makeView(dt, "contiguous", [0, 4], 1), b = makeView(dt, "row", [0, 4], 2);
    assert.equal((fast.binary("add", a, b, [0, 4], dt) as TypedArray).length, 0);
    assert.equal((fast.binary("lt", a, b, [0, 4], bool) as TypedArray).length, 0);
  }
});

// ------------------------------------------------------------------------------------------ ternary, where

test("ternary: addcmul, addcdiv, lerp on every layout and dtype, in place too", () => {
  const ops: TernaryOp[] = ["addcmul", "addcdiv", "lerp"];
  const triples: [Layout, Layout, Layout][] = [
    ["contiguous", "contiguous", "contiguous"], ["contiguous", "contiguous", "scalar"], ["offset", "transposed", "row"],
    ["col", "contiguous", "strided"], ["scalar", "scalar", "contiguous"], ["general", "contiguous", "col"],
  ];
  let seed = 9000;
  for (const op of ops)
    for (const dt of [float32, float64, int64])
      for (const p of [1, 0.5, -2])
        for (const [la, lb, lc] of triples) {
          if (op === "lerp" && !dt.isFloatingPoint) continue;
          const shape = p === 0.5 ? [40, 33] : [4, 12];
          const a = makeView(dt, la, shape, seed++), b = makeView(dt, lb, shape, seed++);
          // lerp's weight in [-1, 2) away from edge values (the branch on |w| < 0.5 is what matters)
          const c = op === "lerp" ? { ...makeView(dt, lc, shape, seed++, false) } : makeView(dt, lc, shape, seed++);
          if (op === "lerp") { const s = c.storage as TypedArray; for (let i = 0; i < s.length; i++) s[i] = (s[i]! / 8 + 0.5) % 1.5; }
          const want = ref.ternary(op, a, b, c, shape, dt, p) as TypedArray;
          const got = fast.ternary(op, a, b, c, shape, dt, p) as TypedArray;
          // float: a result within 2 ulps of the largest term (a, p b c or p b / c; lerp: a, b)
          const ea = elements({ ...a, shape }), eb = elements({ ...b, shape }), ec = elements({ ...c, shape });
          const scale = (i: number) => Math.max(Math.abs(ea[i]!), Math.abs(op === "lerp" ? eb[i]! : op === "addcmul" ? p * eb[i]! * ec[i]! : (p * eb[i]!) / ec[i]!));
          assertClose(got, want, dt, dt.isFloatingPoint ? { ulps: 2, scale } : 0, `${op}(p=${p}) ${dt.name} ${la}/${lb}/${lc}`);
          if (la === "contiguous" || la === "offset") {
            const a2 = cloneView(a);
            const wantIn = (a.storage as TypedArray).slice();
            wantIn.set(want, a.offset);
            fast.ternary(op, a2, b, c, shape, dt, p, a2);
            const numel = shape[0]! * shape[1]!;
            assertClose(a2.storage as TypedArray, wantIn, dt, dt.isFloatingPoint ? { ulps: 2, scale: (i) => (i >= a.offset && i < a.offset + numel ? scale(i - a.offset) : 0) } : 0, `${op} in place ${dt.name}`);
          }
        }
});

test("where: every dtype and layout (cond, a, b broadcast), in place (maskedFill) too", () => {
  let seed = 11000;
  const triples: [Layout, Layout, Layout][] = [
    ["contiguous", "contiguous", "contiguous"], ["contiguous", "scalar", "contiguous"], ["row", "contiguous", "scalar"],
    ["col", "transposed", "offset"], ["general", "strided", "col"], ["scalar", "row", "contiguous"],
  ];
  for (const dt of [float32, float64, int64, int32, bool])
    for (const [lm, la, lb] of triples)
      for (const shape of [[5, 7], [2, 3, 9], [40, 33]]) {
        if (shape.length === 3 && lm !== "general") continue;
        const m = makeView(bool, lm, shape, seed++), a = makeView(dt, la, shape, seed++), b = makeView(dt, lb, shape, seed++);
        assertClose(fast.where(m, a, b, shape, dt) as TypedArray, ref.where(m, a, b, shape, dt) as TypedArray, dt, 0, `where ${dt.name} ${lm}/${la}/${lb}`);
      }
  for (const dt of [float32, float64]) {
    const shape = [8, 9];
    const m = makeView(bool, "row", shape, 1), v = makeView(dt, "scalar", shape, 2), x = makeView(dt, "offset", shape, 3);
    const want = (x.storage as TypedArray).slice();
    want.set(ref.where(m, v, x, shape, dt) as TypedArray, x.offset);
    const x2 = cloneView(x);
    fast.where(m, v, x2, shape, dt, x2);
    assertClose(x2.storage as TypedArray, want, dt, 0, `masked fill in place ${dt.name}`);
    assert.equal((fast.where(makeView(bool, "contiguous", [0, 2], 1), makeView(dt, "contiguous", [0, 2], 2), makeView(dt, "contiguous", [0, 2], 3), [0, 2], dt) as TypedArray).length, 0);
  }
});

// ------------------------------------------------------------------------------------------ copy, fill

test("copy: same-dtype and casting copies between every layout (transposes tiled), fill on strided regions", () => {
  let seed = 13000;
  const dsts: Layout[] = ["contiguous", "offset", "strided", "transposed"];
  const srcs: Layout[] = ["contiguous", "offset", "strided", "transposed", "scalar", "row", "col", "general"];
  const casts: [DType, DType][] = [[float32, float32], [float64, float64], [int64, int64], [int32, int32], [bool, bool], [float32, float64], [float64, int64], [float32, bool], [int64, float32]];
  for (const [sd, dd] of casts)
    for (const shape of [[5, 7], [40, 33], [3, 1, 37], [70, 1]])
      for (const ls of srcs)
        for (const ld of dsts) {
          if (shape.length === 3 && ls === "transposed") continue;
          const src = makeView(sd, ls, shape, seed++);
          const d1 = makeView(dd, ld, shape, seed), d2 = makeView(dd, ld, shape, seed++);
          fast.copy(src, d1);
          ref.copy(src, d2);
          assertClose(d1.storage as TypedArray, d2.storage as TypedArray, dd, 0, `copy ${sd.name} ${ls} -> ${dd.name} ${ld} [${shape}]`);
        }
  // a 1024 x 1024 transpose made contiguous, as Tensor.contiguous() does
  const n = 1024, s = new Float32Array(n * n).map((_, i) => i);
  const dst = new Float32Array(n * n);
  fast.copy({ storage: s, dtype: float32, shape: [n, n], strides: [1, n], offset: 0 }, { storage: dst, dtype: float32, shape: [n, n], strides: [n, 1], offset: 0 });
  for (let i = 0; i < n; i += 37) for (let j = 0; j < n; j += 41) assert.equal(dst[i * n + j], j * n + i);
  // fill
  for (const dt of [float32, float64, int64, int32, bool])
    for (const ld of dsts)
      for (const v of [0, -0, 1.5, NaN, -Infinity, 7]) {
        const d1 = makeView(dt, ld, [6, 11], seed), d2 = makeView(dt, ld, [6, 11], seed++);
        fast.fill(d1, v);
        ref.fill(d2, v);
        assertClose(d1.storage as TypedArray, d2.storage as TypedArray, dt, 0, `fill ${dt.name} ${ld} ${v}`);
      }
});

// ------------------------------------------------------------------------------------------ SIMD accuracy

/** An integer that orders float32 values (adjacent floats differ by 1; -0 and +0 are the same). */
const ORD_F = new Float32Array(1), ORD_U = new Uint32Array(ORD_F.buffer);
function ordered(x: number): number {
  ORD_F[0] = x;
  const u = ORD_U[0]!;
  return u & 0x80000000 ? -(u & 0x7fffffff) : u;
}

test("SIMD exp/log/tanh/sigmoid/silu: within 1-3 float32 ulps of Math.* in float64 over every 4099th bit pattern", { skip: !simdAvailable() && "no WebAssembly SIMD here" }, () => {
  const exact: Record<string, (x: number) => number> = {
    exp: Math.exp, log: Math.log, tanh: Math.tanh, sigmoid: (x) => 1 / (1 + Math.exp(-x)), silu: (x) => x / (1 + Math.exp(-x)),
  };
  const BOUND: Record<string, number> = { exp: 1, log: 1, tanh: 1, sigmoid: 2, silu: 3 };
  // every 4099th float32 bit pattern: all signs, exponents (denormals, NaNs, infinities) and ~2000 mantissas each
  const n = Math.floor(2 ** 32 / 4099);
  const xs = new Float32Array(n), u = new Uint32Array(xs.buffer);
  for (let i = 0; i < n; i++) u[i] = (i * 4099 + 5) >>> 0;
  const extra = [0, -0, Infinity, -Infinity, NaN, 88.72, 88.73, -87.33, -103.9, -104, 1e-45, -1e-45, 1.17549435e-38, 0.625, -0.625, 9, -9];
  const all = new Float32Array(n + extra.length);
  all.set(xs);
  all.set(extra, n);
  const out = new Float32Array(all.length);
  for (const [op, f] of Object.entries(exact)) {
    assert.ok(simdUnaryF32(op as UnaryOp, all.length, all, 0, out, 0));
    let worst = 0, worstAt = 0;
    for (let i = 0; i < all.length; i++) {
      const x = all[i]!, want = Math.fround(f(x)), got = out[i]!;
      if (Number.isNaN(want) || Number.isNaN(got)) {
        assert.ok(Number.isNaN(want) && Number.isNaN(got), `${op}(${x}) = ${got}, want ${want}`);
        continue;
      }
      if (!Number.isFinite(want) || !Number.isFinite(got)) {
        assert.equal(got, want, `${op}(${x})`);
        continue;
      }
      const d = Math.abs(ordered(got) - ordered(want));
      if (d > worst) { worst = d; worstAt = x; }
    }
    // measured: exp, log, tanh 1 ulp; sigmoid 2; silu 3 (denormal results included)
    assert.ok(worst <= BOUND[op]!, `${op}: ${worst} ulps at ${worstAt}`);
  }
});

test("SIMD path on and off give the same kernel results within TOL; the generated wasm is fresh", async () => {
  const x = makeView(float32, "contiguous", [3000], 77);
  for (const op of ["exp", "log", "tanh", "sigmoid", "silu"] as UnaryOp[]) {
    const on = fast.unary(op, x, float32) as TypedArray;
    const was = setSimdEnabled(false);
    const off = fast.unary(op, x, float32) as TypedArray;
    setSimdEnabled(was);
    assertClose(on, off, float32, { ulps: 3 }, `${op} SIMD vs Math.*`);
  }
  const spec = MODULES.find((m) => m.wat.endsWith("elementwise_simd.wat"));
  assert.ok(spec, "elementwise_simd.wat is registered in scripts/build_wasm.ts");
  const bytes = await buildWasm(spec);
  assert.equal(Buffer.from(ELEMENTWISE_SIMD_WASM_BASE64, "base64").toString("hex"), Buffer.from(bytes).toString("hex"), "run `npm run build:wasm`");
  assert.ok(generatedSource(bytes, spec).includes(ELEMENTWISE_SIMD_WASM_BASE64.slice(0, 96)));
});

test("elementwise_kernels.generated.ts is scripts/gen_elementwise_kernels.mjs's output", async () => {
  const { execFileSync } = await import("node:child_process");
  const { readFileSync } = await import("node:fs");
  const script = new URL("../scripts/gen_elementwise_kernels.mjs", import.meta.url);
  const fresh = execFileSync(process.execPath, [script.pathname], { encoding: "utf8" });
  const committed = readFileSync(new URL("../src/backend/wasm/elementwise_kernels.generated.ts", import.meta.url), "utf8");
  assert.equal(committed, fresh, "run: node scripts/gen_elementwise_kernels.mjs > src/backend/wasm/elementwise_kernels.generated.ts");
});

// ------------------------------------------------------------------------------------------ exact SIMD kernels

/** float32 values that matter to the exact kernels: zeros, infinities, NaN, denormals, the extremes, ties. */
const F32_SPECIAL = Float32Array.from([
  NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -0.5, 2, -2, 3, 1.5, -2.5, 2.5, 0.49999997, -0.49999997, 8388609, -8388607.5,
  1e-40, -1e-40, 1e-45, -1e-45, 1.1754942e-38, -1.17549435e-38, 3.4028235e38, -3.4028235e38, 1e20, -1e20, 1e-20, -1e-20, 0.3, -0.7,
]);

/**
 * n float32 values: a third random bit patterns (every sign, exponent, denormal and NaN payload), a
 * third special values, a third ~N(0, 2) (so that comparisons and selects see both outcomes).
 */
function f32Data(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n), bits = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const pick = r();
    if (pick < 0.33) bits[i] = (r() * 4294967296) >>> 0;
    else if (pick < 0.66) out[i] = F32_SPECIAL[Math.floor(r() * F32_SPECIAL.length)]!;
    else out[i] = (r() + r() + r() - 1.5) * 4;
  }
  return out;
}

/** got and want hold the same float32 (or byte) values bit for bit; any NaN matches any NaN (payloads may differ). */
function assertSameBits(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!, w = want[i]!;
    if (Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w))) continue;
    assert.fail(`${what}: element ${i} is ${Object.is(g, -0) ? "-0" : g}, the loop's ${Object.is(w, -0) ? "-0" : w}`);
  }
}

/** Runs fn with the SIMD paths on and off; returns both results. */
function onOff<T>(fn: () => T): [T, T] {
  const was = setSimdEnabled(true);
  try {
    const on = fn();
    setSimdEnabled(false);
    return [on, fn()];
  } finally {
    setSimdEnabled(was);
  }
}

/** Lengths around the SIMD thresholds, the vector widths and the chunk (8192 floats). */
const SIMD_LENGTHS = [
  1, 5, EXACT_MIN_LENGTH - 1, EXACT_MIN_LENGTH, EXACT_MIN_LENGTH + 3, EXACT_MIN_LENGTH_TWO - 1, EXACT_MIN_LENGTH_TWO + 5, 257, 8191, 8192, 8193, 8195, 16390, 20001,
];

const EXACT_UNARY_CASES: [UnaryOp, number, number][] = [
  ["relu", 0, 0], ["neg", 0, 0], ["abs", 0, 0], ["sqrt", 0, 0], ["square", 0, 0], ["reciprocal", 0, 0], ["rsqrt", 0, 0],
  ["floor", 0, 0], ["ceil", 0, 0], ["trunc", 0, 0], ["round", 0, 0], ["sign", 0, 0],
  ["clamp", -0.5, 0.7], ["clamp", -Infinity, 1], ["clamp", 0.2, Infinity], ["clamp", 1, -1], ["clamp", -0, 0], ["clamp", NaN, NaN],
  ["leakyRelu", 0.01, 0], ["leakyRelu", -0.3, 0], ["gtScalarMask", 0, 0], ["gtScalarMask", 0.3, 0], ["gtScalarMask", -Infinity, 0],
  ["powScalar", 2, 0], ["powScalar", 3, 0], ["powScalar", -2, 0], ["powScalar", -1, 0], ["powScalar", 0.5, 0], ["powScalar", -0.5, 0],
];

test("exact SIMD unary kernels give the float32 loops' bits (special values, odd lengths, offsets, in place)", { skip: !simdAvailable() && "no WebAssembly SIMD here" }, () => {
  let seed = 20000;
  for (const [op, p0, p1] of EXACT_UNARY_CASES) {
    const q0 = Math.fround(p0), q1 = Math.fround(p1);
    for (const n of SIMD_LENGTHS)
      for (const [ix, io] of [[0, 0], [3, 1]] as const) {
        const x = f32Data(n + ix + 2, seed++);
        // the module's function directly, against the loop
        const got = new Float32Array(n + io + 1).fill(7), want = got.slice();
        const ran = simdUnaryF32(op, n, x, ix, got, io, q0, q1);
        assert.equal(ran, n >= EXACT_MIN_LENGTH, `${op}: SIMD ran for n=${n}`);
        if (!ran) continue;
        unaryF32[op]!(n, x, ix, want, io, q0, q1);
        assertSameBits(got, want, `${op}(${p0}, ${p1}) n=${n} ix=${ix} io=${io}`);
        // through the backend: a view at an offset, into a new array and in place
        const v: View = { storage: x, dtype: float32, shape: [n], strides: [1], offset: ix };
        const [on, off] = onOff(() => fast.unary(op, v, float32, p0, p1) as Float32Array);
        assertSameBits(on, off, `backend ${op}(${p0}, ${p1}) n=${n} offset ${ix}`);
        const [inOn, inOff] = onOff(() => {
          const y = cloneView(v);
          return fast.unary(op, y, float32, p0, p1, y) as Float32Array;
        });
        assertSameBits(inOn, inOff, `backend ${op} in place n=${n} offset ${ix}`);
      }
  }
  // exponents without an exact kernel keep the loop
  assert.equal(simdUnaryF32("powScalar", 100, f32Data(100, 1), 0, new Float32Array(100), 0, Math.fround(1.7), 0), false);
});

const EXACT_BINARY_OPS: BinaryOp[] = ["add", "sub", "mul", "div", "maximum", "minimum", "addScaled"];

test("exact SIMD binary kernels give the float32 loops' bits: every pair of special values", { skip: !simdAvailable() && "no WebAssembly SIMD here" }, () => {
  const m = F32_SPECIAL.length, n = m * m;
  const a = new Float32Array(n), b = new Float32Array(n);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) { a[i * m + j] = F32_SPECIAL[i]!; b[i * m + j] = F32_SPECIAL[j]!; }
  for (const op of EXACT_BINARY_OPS)
    for (const p of op === "addScaled" ? [1, -1, 0.3, 2.5, 1e-6, -3e38] : [1]) {
      const q = Math.fround(p);
      const got = new Float32Array(n), want = new Float32Array(n);
      assert.ok(simdBinaryF32(op, n, a, 0, b, 0, got, 0, q));
      binaryF32[op]!.C(n, a, 0, b, 0, want, 0, q);
      assertSameBits(got, want, `${op}(p=${p}) on special pairs`);
      // each special value as a scalar, either side
      for (const y of F32_SPECIAL) {
        got.fill(0); want.fill(0);
        assert.ok(simdBinaryScalarF32(op, n, a, 0, y, false, got, 0, q));
        binaryF32[op]!.CS(n, a, 0, y, want, 0, q);
        assertSameBits(got, want, `${op}(p=${p}) with the scalar ${y} second`);
        assert.ok(simdBinaryScalarF32(op, n, a, 0, y, true, got, 0, q));
        binaryF32[op]!.SC(n, y, a, 0, want, 0, q);
        assertSameBits(got, want, `${op}(p=${p}) with the scalar ${y} first`);
      }
    }
  for (const op of ["eq", "ne", "lt", "le", "gt", "ge"] as BinaryOp[]) {
    const got = new Uint8Array(n), want = new Uint8Array(n);
    assert.ok(simdCompareF32(op, n, a, 0, b, 0, got, 0));
    compareF32[op]!.C(n, a, 0, b, 0, want, 0, 1);
    assertSameBits(got, want, `${op} on special pairs`);
    for (const y of F32_SPECIAL) {
      assert.ok(simdCompareScalarF32(op, n, a, 0, y, false, got, 0));
      compareF32[op]!.CS(n, a, 0, y, want, 0, 1);
      assertSameBits(got, want, `${op} with the scalar ${y} second`);
      assert.ok(simdCompareScalarF32(op, n, a, 0, y, true, got, 0));
      compareF32[op]!.SC(n, y, a, 0, want, 0, 1);
      assertSameBits(got, want, `${op} with the scalar ${y} first`);
    }
  }
});

/** An [M, N] float32 view of a layout over fresh random data (f32Data). */
function f32View(lay: "offset" | "scalar" | "row" | "col" | "transposed", shape: [number, number], seed: number): View {
  const l = layoutOf(lay, shape);
  return { storage: f32Data(l.size, seed), dtype: float32, shape, strides: l.strides, offset: l.offset };
}

test("exact SIMD binary kernels through the backend: contiguous, scalar, bias-row and column operands, in place, around the chunk", { skip: !simdAvailable() && "no WebAssembly SIMD here" }, () => {
  let seed = 30000;
  // [97, 85]: rows tiled 96 to a chunk; [5000, 3]: short rows; [2, 4097]: rows over half a chunk (one by one);
  // [1, 8195] and [3, 8192]: around the chunk; [7, 9]: below the threshold
  const shapes: [number, number][] = [[1, 8195], [3, 8192], [97, 85], [5000, 3], [2, 4097], [64, 256], [7, 9], [2, 33]];
  const pairs: ["offset" | "scalar" | "row" | "col" | "transposed", "offset" | "scalar" | "row" | "col" | "transposed"][] = [
    ["offset", "offset"], ["offset", "scalar"], ["scalar", "offset"], ["offset", "row"], ["row", "offset"], ["offset", "col"], ["col", "offset"],
    ["transposed", "row"],
  ];
  for (const op of [...EXACT_BINARY_OPS, "lt", "eq", "ne", "ge"] as BinaryOp[])
    for (const p of op === "addScaled" ? [-1, 0.3] : [1])
      for (const shape of shapes)
        for (const [la, lb] of pairs) {
          const out = COMPARE.has(op) ? bool : float32;
          const a = f32View(la, shape, seed++), b = f32View(lb, shape, seed++);
          const [on, off] = onOff(() => fast.binary(op, a, b, shape, out, p) as TypedArray);
          assertSameBits(on, off, `${op}(p=${p}) ${la} x ${lb} [${shape}]`);
          if (out === bool) continue;
          // in place: into a (b) where it is the contiguous operand
          for (const [x, which] of [[a, "a"], [b, "b"]] as const) {
            if (x !== a && lb !== "offset") continue;
            if (x === a && la !== "offset") continue;
            const [inOn, inOff] = onOff(() => {
              const a2 = which === "a" ? cloneView(a) : a, b2 = which === "b" ? cloneView(b) : b;
              const d = which === "a" ? a2 : b2;
              fast.binary(op, a2, b2, shape, float32, p, d);
              return d.storage as Float32Array;
            });
            assertSameBits(inOn, inOff, `${op}(p=${p}) in place into ${which}, ${la} x ${lb} [${shape}]`);
          }
        }
});

test("SIMD mask products (relu's backward) give the loops' bits", { skip: !simdAvailable() && "no WebAssembly SIMD here" }, () => {
  let seed = 40000;
  for (const n of SIMD_LENGTHS)
    for (const [ix, im] of [[0, 0], [1, 3]] as const) {
      const x = f32Data(n + ix, seed++);
      const r = rng(seed++);
      const mask = new Uint8Array(n + im).map(() => (r() < 0.5 ? 1 : 0));
      const got = new Float32Array(n), want = new Float32Array(n);
      assert.equal(simdMulMaskF32(n, x, ix, mask, im, got, 0), n >= EXACT_MIN_LENGTH);
      if (n < EXACT_MIN_LENGTH) continue;
      mulMaskF32.C(n, x, ix, mask, im, want, 0);
      assertSameBits(got, want, `mulMask n=${n} ix=${ix} im=${im}`);
      // through the backend, both orders, and in place into x
      const xv: View = { storage: x, dtype: float32, shape: [n], strides: [1], offset: ix };
      const mv: View = { storage: mask, dtype: bool, shape: [n], strides: [1], offset: im };
      for (const [u, v] of [[xv, mv], [mv, xv]]) {
        const [on, off] = onOff(() => fast.binary("mul", u, v, [n], float32) as Float32Array);
        assertSameBits(on, off, `backend mul by mask n=${n}`);
      }
      const [inOn, inOff] = onOff(() => {
        const x2 = cloneView(xv);
        fast.binary("mul", x2, mv, [n], float32, 1, x2);
        return x2.storage as Float32Array;
      });
      assertSameBits(inOn, inOff, `backend mul by mask in place n=${n}`);
    }
});

test("exact SIMD binary kernels on two long arrays: lengths around the threshold and the chunk, offsets, in place", { skip: !simdAvailable() && "no WebAssembly SIMD here" }, () => {
  let seed = 50000;
  for (const op of [...EXACT_BINARY_OPS, "le", "ne"] as BinaryOp[])
    for (const n of SIMD_LENGTHS)
      for (const [ia, ib, io] of [[0, 0, 0], [2, 5, 1]] as const) {
        const a = f32Data(n + ia, seed++), b = f32Data(n + ib, seed++), p = Math.fround(op === "addScaled" ? -0.37 : 1);
        const cmp = COMPARE.has(op);
        const got = cmp ? new Uint8Array(n + io) : new Float32Array(n + io), want = got.slice();
        const ran = cmp
          ? simdCompareF32(op, n, a, ia, b, ib, got as Uint8Array, io)
          : simdBinaryF32(op, n, a, ia, b, ib, got as Float32Array, io, p);
        assert.equal(ran, n >= EXACT_MIN_LENGTH_TWO, `${op}: SIMD ran for n=${n}`);
        if (!ran) continue;
        if (cmp) compareF32[op]!.C(n, a, ia, b, ib, want as Uint8Array, io, 1);
        else binaryF32[op]!.C(n, a, ia, b, ib, want as Float32Array, io, p);
        assertSameBits(got, want, `${op} n=${n} offsets ${ia} ${ib} ${io}`);
        if (cmp) continue;
        // in place: the result over a, then over b (the same offsets)
        for (const into of ["a", "b"] as const) {
          const x = a.slice(), y = b.slice();
          const d = into === "a" ? x : y, id = into === "a" ? ia : ib;
          assert.ok(simdBinaryF32(op, n, x, ia, y, ib, d, id, p));
          assertSameBits(d.subarray(id, id + n), (want as Float32Array).subarray(io), `${op} in place into ${into} n=${n}`);
        }
      }
});

test("thresholdBackward (relu's backward in one pass): the composed g.masked_fill(y <= 0, 0)'s bits, SIMD and loop", () => {
  const specials = [0, -0, 1, -1, NaN, Infinity, -Infinity, 1e-45, -1e-45, 3.4e38, -3.4e38, 0.5];
  const next = rng(11);
  for (const n of [0, 1, 5, EXACT_MIN_LENGTH_TWO - 1, EXACT_MIN_LENGTH_TWO, 8191, 8192, 8193, 20001]) {
    const g = new Float32Array(n + 3), y = new Float32Array(n + 2);
    for (let i = 0; i < g.length; i++) g[i] = next() < 0.2 ? specials[Math.floor(next() * specials.length)]! : next() * 4 - 2;
    for (let i = 0; i < y.length; i++) y[i] = next() < 0.3 ? specials[Math.floor(next() * specials.length)]! : next() * 4 - 2;
    const gv: View = { storage: g, dtype: float32, shape: [n], strides: [1], offset: 3 };
    const yv: View = { storage: y, dtype: float32, shape: [n], strides: [1], offset: 2 };
    for (const simd of [true, false]) {
      const was = setSimdEnabled(simd);
      try {
        const got = fast.thresholdBackward!(gv, yv, 0) as Float32Array;
        for (let i = 0; i < n; i++) {
          const want = y[i + 2]! <= 0 ? 0 : g[i + 3]!;
          if (!Object.is(got[i], want)) assert.fail(`n ${n} simd ${simd} [${i}]: y ${y[i + 2]}, g ${g[i + 3]}: got ${got[i]}, want ${want}`);
        }
      } finally {
        setSimdEnabled(was);
      }
    }
  }
  // it declines what it does not take: other dtypes, strided or mismatched operands
  const v64: View = { storage: new Float64Array(4), dtype: float64, shape: [4], strides: [1], offset: 0 };
  assert.equal(fast.thresholdBackward!(v64, v64, 0), null);
  const s32: View = { storage: new Float32Array(8), dtype: float32, shape: [4], strides: [2], offset: 0 };
  assert.equal(fast.thresholdBackward!(s32, s32, 0), null);
  assert.equal(ref.thresholdBackward, undefined, "the reference composes it");
});
