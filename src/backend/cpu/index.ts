// The CPU reference backend ("reference"): plain TypeScript over typed arrays that rounds as PyTorch
// 1.13's CPU kernels do, so it gives PyTorch's bits (`torch.useExactNumerics(true)` selects it).
// Readable first; fast paths for contiguous data. The fast default backend (../wasm) falls back to
// it kernel by kernel and is tested against it.
import type { Backend, BinaryOp, ReduceOp, Storage, TernaryOp, UnaryOp, View } from "../backend.js";
import { registerBackend } from "../backend.js";
import { arrayTypeFor, dtypes, float32, float64, type DType, type TypedArray } from "../../tensor/dtype.js";
import { isNarrow, narrowStore, wideName } from "./narrow.js";
import { contiguousStrides, isContiguous, isNonOverlappingAndDense, numelOf } from "../../tensor/shape.js";
import { collapse, forEachRow1, forEachRow2, forEachRow3 } from "./strided.js";
import {
  binaryKernels, binaryKernelsF32, binaryKernelsF64, ternaryKernels, ternaryKernelsF32, ternaryKernelsF64,
  unaryKernels, unaryKernelsF32, unaryKernelsF64, type BinaryKernel, type TernaryKernel, type UnaryKernel,
} from "./kernels.js";
import { RuntimeError } from "../../errors.js";
import { zeroedArray } from "../buffer_pool.js";
import { matmulInto } from "./matmul.js";
import { cascadeSum, varAll, varDims } from "./sum.js";
import { softmaxBackwardLastDimF32, softmaxBackwardLastDimF64, softmaxLastDimF32, softmaxLastDimF64 } from "./softmax.js";
import { adagradStep, adamStep, rmspropStep, sgdStep } from "./optim.js";

const arr = (v: View) => v.storage as TypedArray;
/** Rows at least this long are copied with TypedArray.set (measured: shorter ones copy faster in a loop). */
const LONG_ROW = 32;

/**
 * A scalar parameter as the kernel for `dtype` sees it.
 * NOTE: PyTorch casts scalar arguments (alpha, a slope, an exponent, clamp bounds, a lerp weight)
 * to the kernel's scalar_t before computing, so a float32 kernel gets float32(0.01), not 0.01.
 * Done here once, for every kernel.
 */
function param(dtype: DType, p: number): number {
  return dtype.name === "float32" ? Math.fround(p) : p;
}

function unaryKernelFor(op: UnaryOp, dtype: DType): UnaryKernel {
  const k = dtype.name === "float32" ? unaryKernelsF32[op] : dtype.name === "float64" ? unaryKernelsF64[op] : undefined;
  return k ?? unaryKernels[op];
}
function binaryKernelFor(op: BinaryOp, dtype: DType): BinaryKernel {
  const k = dtype.name === "float32" ? binaryKernelsF32[op] : dtype.name === "float64" ? binaryKernelsF64[op] : undefined;
  return k ?? binaryKernels[op];
}
function ternaryKernelFor(op: TernaryOp, dtype: DType): TernaryKernel {
  return (dtype.name === "float32" ? ternaryKernelsF32 : dtype.name === "float64" ? ternaryKernelsF64 : ternaryKernels)[op];
}

function alloc(dtype: DType, n: number): TypedArray {
  const bytes = n * dtype.itemsize;
  // NOTE: PyTorch's allocator fails where malloc does: Linux refuses a request beyond the machine's
  // memory up front (its overcommit heuristic); so do we, rather than let V8 reserve it and the
  // process be killed when the pages are touched. A request V8 refuses (RangeError) gets the same words.
  if (bytes > memoryLimit()) throw allocError(bytes);
  try {
    return zeroedArray(arrayTypeFor(dtype) as new (n: number) => TypedArray, n);
  } catch (e) {
    if (e instanceof RangeError) throw allocError(bytes);
    throw e;
  }
}
function allocError(bytes: number): RuntimeError {
  return new RuntimeError(`[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate ${bytes} bytes. Error code 12 (Cannot allocate memory)`);
}
let limit: number | undefined;
/** The machine's memory in Node (os.totalmem), else no limit of our own (browsers: V8's). */
function memoryLimit(): number {
  if (limit === undefined) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (m: string) => unknown } }).process;
    const os = proc?.getBuiltinModule?.("os") as { totalmem?: () => number } | undefined;
    limit = os?.totalmem ? os.totalmem() : Infinity;
  }
  return limit;
}

/**
 * A float cast to int64 as PyTorch's CPU kernels cast it: toward zero, and NaN, infinities and values
 * outside int64's range become its minimum (x86's "integer indefinite", -2^63).
 */
export function toInt64(x: number): number {
  // (+ 0: an integer has no -0, which trunc(-0.5) would leave in the float64 storage)
  return x >= -9223372036854775808 && x < 9223372036854775808 ? Math.trunc(x) + 0 : -9223372036854775808;
}

/** A number cast to int32 as PyTorch's CPU kernels cast a float: toward zero, out of range (NaN too) -2^31. */
export function toInt32(x: number): number {
  return x >= -2147483648 && x < 2147483648 ? Math.trunc(x) : -2147483648;
}

/** Normalises values written into bool or integer storage the way a cast to that dtype would (o[start, end)). */
function fixDtype(o: TypedArray, dtype: DType, start = 0, end = o.length): void {
  if (dtype.name === "bool") for (let i = start; i < end; i++) o[i] = o[i] ? 1 : 0;
  else if (dtype.name === "int64") for (let i = start; i < end; i++) o[i] = toInt64(o[i]!);
}

/**
 * Where an elementwise primitive writes its n results: the contiguous view dst (an in-place op),
 * from its offset on, or new storage.
 */
function output(dtype: DType, n: number, dst: View | undefined): { o: TypedArray; o0: number } {
  return dst ? { o: arr(dst), o0: dst.offset } : { o: alloc(dtype, n), o0: 0 };
}

/** A contiguous typed array with the view's elements (the storage itself when already so). */
function contiguousData(v: View): TypedArray {
  const n = numelOf(v.shape);
  const a = arr(v);
  if (isContiguous(v.shape, v.strides)) return v.offset === 0 && a.length === n ? a : a.subarray(v.offset, v.offset + n);
  const out = new (a.constructor as { new (n: number): TypedArray })(n);
  copyInto(v, { storage: out, dtype: v.dtype, shape: v.shape, strides: contiguousStrides(v.shape), offset: 0 });
  return out;
}

/**
 * A result computed in the wide dtype (float32 for float16/bfloat16, int64 for the small integers)
 * stored into the narrow dtype `to`: into dst from its offset on, or new storage. (See narrow.ts.)
 */
function storeNarrow(wide: TypedArray, wideDtype: DType, to: DType, dst: View | undefined): TypedArray {
  const n = wide.length;
  const { o, o0 } = output(to, n, dst);
  const f = narrowStore(wideDtype, to);
  if (f) for (let i = 0; i < n; i++) o[o0 + i] = f(wide[i]!);
  else for (let i = 0; i < n; i++) o[o0 + i] = wide[i]!;
  return o;
}
const wideOf = (d: DType): DType => dtypes[wideName(d)];
/** Rounds o[start, end) in place to the narrow float dtype d (a no-op for other dtypes). */
function roundNarrow(o: TypedArray, d: DType, start = 0, end = o.length): void {
  const f = isNarrow(d) && d.isFloatingPoint ? narrowStore(float32, d) : null;
  if (f) for (let i = start; i < end; i++) o[i] = f(o[i]!);
}

function copyInto(src: View, dst: View): void {
  const n = numelOf(dst.shape);
  if (n === 0) return;
  const s = arr(src), d = arr(dst);
  // (into a narrow dtype: its rounding or wrapping rule, narrow.ts)
  const narrow = src.dtype !== dst.dtype ? narrowStore(src.dtype, dst.dtype) : null;
  // (float to integer: PyTorch's out-of-range rule, see toInt64)
  const toInt64Cast = dst.dtype.name === "int64" && src.dtype.isFloatingPoint;
  const toInt32Cast = dst.dtype.name === "int32" && src.dtype.isFloatingPoint;
  const toBool = dst.dtype.name === "bool" && src.dtype.name !== "bool";
  const c = collapse(dst.shape, [src.strides, dst.strides]);
  forEachRow2(c.shape, c.strides[0]!, src.offset, c.strides[1]!, dst.offset, (len, is, id) => {
    const ss = c.strides[0]![c.shape.length - 1]!, sd = c.strides[1]![c.shape.length - 1]!;
    if (narrow) for (let k = 0; k < len; k++, is += ss, id += sd) d[id] = narrow(s[is]!);
    else if (toInt64Cast) for (let k = 0; k < len; k++, is += ss, id += sd) d[id] = toInt64(s[is]!);
    else if (toInt32Cast) for (let k = 0; k < len; k++, is += ss, id += sd) d[id] = toInt32(s[is]!);
    else if (toBool) for (let k = 0; k < len; k++, is += ss, id += sd) d[id] = s[is] ? 1 : 0;
    else if (ss === 1 && sd === 1 && s.constructor === d.constructor) d.set(s.subarray(is, is + len), id);
    else for (let k = 0; k < len; k++, is += ss, id += sd) d[id] = s[is]!;
  });
}

/** The view's elements, contiguous, in a new array of dtype w (each converted as a cast would). */
function contiguousAs(v: View, w: DType): TypedArray {
  const o = alloc(w, numelOf(v.shape));
  copyInto(v, { storage: o, dtype: w, shape: v.shape, strides: contiguousStrides(v.shape), offset: 0 });
  return o;
}

/**
 * A bfloat16 matrix product as PyTorch 1.13's CPU gemm loops compute it (checked against PyTorch for
 * row-major and transposed operands): each output starts at 0 and takes `c = c + a * b` for
 * k = 0, 1, ... in turn with c10::BFloat16's operators, so the product is rounded to bfloat16 and
 * then every partial sum is (not float accumulation rounded once).
 */
function matmulBf16(a: View, b: View): TypedArray {
  const [B, M, K] = a.shape as [number, number, number];
  const N = b.shape[2]!;
  const as = arr(a), bs = arr(b);
  const o = new Float32Array(B * M * N);
  const round = narrowStore(float32, a.dtype)!;
  for (let bt = 0; bt < B; bt++)
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let c = 0;
        const ia = a.offset + bt * a.strides[0]! + i * a.strides[1]!, ib = b.offset + bt * b.strides[0]! + j * b.strides[2]!;
        const sa = a.strides[2]!, sb = b.strides[1]!;
        for (let k = 0; k < K; k++) c = round(c + round(as[ia + k * sa]! * bs[ib + k * sb]!));
        o[(bt * M + i) * N + j] = c;
      }
  return o;
}

type RowReducer = (n: number, x: TypedArray, i: number, s: number, acc: number) => number;
const rowReducers: Record<"sum" | "prod" | "max" | "min" | "all" | "any", RowReducer> = {
  sum: (n, x, i, s, acc) => { for (let k = 0; k < n; k++, i += s) acc += x[i]!; return acc; },
  prod: (n, x, i, s, acc) => { for (let k = 0; k < n; k++, i += s) acc *= x[i]!; return acc; },
  // NOTE: max/min propagate NaN, as PyTorch's do.
  max: (n, x, i, s, acc) => { for (let k = 0; k < n; k++, i += s) { const v = x[i]!; if (v > acc || v !== v) acc = v; if (acc !== acc) return acc; } return acc; },
  min: (n, x, i, s, acc) => { for (let k = 0; k < n; k++, i += s) { const v = x[i]!; if (v < acc || v !== v) acc = v; if (acc !== acc) return acc; } return acc; },
  all: (n, x, i, s, acc) => { for (let k = 0; k < n; k++, i += s) if (!x[i]) return 0; return acc; },
  any: (n, x, i, s, acc) => { for (let k = 0; k < n; k++, i += s) if (x[i]) return 1; return acc; },
};
const initial: Record<keyof typeof rowReducers, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity, all: 1, any: 0 };

/** float32 unary kernels whose rounding depends on an element's place in a contiguous run (kernels.ts vectorEnd). */
const positionalF32 = new Set<UnaryOp>(["sigmoid", "silu", "elu"]);


export const cpuBackend: Backend = {
  name: "reference",
  typedArrayStorage: true,
  exact: true,
  alloc,
  fromValues(dtype, values) {
    const out = alloc(dtype, values.length);
    if (dtype.name === "bool") for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
    else if (dtype.name === "int64") for (let i = 0; i < values.length; i++) out[i] = toInt64(values[i]!);
    else if (dtype.name === "int32") for (let i = 0; i < values.length; i++) out[i] = toInt32(values[i]!);
    else if (isNarrow(dtype)) {
      const f = narrowStore(float64, dtype);
      if (f) for (let i = 0; i < values.length; i++) out[i] = f(values[i]!);
      else out.set(values);
    } else out.set(values);
    return out;
  },
  read(x) {
    const c = contiguousData(x);
    return c.buffer === arr(x).buffer ? c.slice() : c;
  },
  size(s) {
    return (s as TypedArray).length;
  },

  unary(op: UnaryOp, x, outDtype, p0 = 0, p1 = 0, dst?) {
    const n = numelOf(x.shape);
    if (isNarrow(outDtype)) {
      if (op === "identity" && x.dtype !== outDtype) {
        // (a cast: copy's rounding and wrapping rules)
        const { o, o0 } = output(outDtype, n, dst);
        copyInto(x, { storage: o, dtype: outDtype, shape: x.shape, strides: contiguousStrides(x.shape), offset: o0 });
        return o;
      }
      const w = wideOf(outDtype);
      return storeNarrow(cpuBackend.unary(op, x, w, p0, p1) as TypedArray, w, outDtype, dst);
    }
    const { o, o0 } = output(outDtype, n, dst);
    if (n === 0) return o;
    if (op === "identity" && outDtype.name === "int32" && x.dtype.isFloatingPoint) {
      // (a float to int32 cast: copy's out-of-range rule, NaN and beyond-range values to -2^31, as
      // PyTorch's cast; an Int32Array store would wrap them, or make NaN 0)
      this.copy(x, { storage: o, dtype: outDtype, shape: x.shape, strides: contiguousStrides(x.shape), offset: o0 });
      return o;
    }
    const kern = unaryKernelFor(op, outDtype);
    p0 = param(outDtype, p0);
    p1 = param(outDtype, p1);
    const xs = arr(x);
    // NOTE: a bool result is computed in float64 first and then tested against zero, so that 0.5
    // casts to True (a Uint8Array would truncate it to 0 on the way in).
    const toBool = outDtype.name === "bool" && x.dtype.name !== "bool" && op !== "logicalNot" && op !== "isnan";
    if (toBool) {
      const tmp = new Float64Array(n);
      this.copy(x, { storage: tmp, dtype: x.dtype, shape: x.shape, strides: contiguousStrides(x.shape), offset: 0 });
      kern(n, tmp, 0, 1, tmp, 0, p0, p1);
      for (let i = 0; i < n; i++) o[o0 + i] = tmp[i] !== 0 ? 1 : 0;
      return o;
    }
    if (isContiguous(x.shape, x.strides)) kern(n, xs, x.offset, 1, o, o0, p0, p1);
    else if (outDtype.name === "float32" && positionalF32.has(op) && isNonOverlappingAndDense(x.shape, x.strides)) {
      // NOTE: PyTorch's TensorIterator walks a dense (permuted) input in memory order, as one
      // contiguous run, and these kernels round differently in its vector loop and its tail.
      const tmp = alloc(outDtype, n);
      kern(n, xs, x.offset, 1, tmp, 0, p0, p1);
      this.copy({ storage: tmp, dtype: outDtype, shape: x.shape, strides: x.strides, offset: 0 }, { storage: o, dtype: outDtype, shape: x.shape, strides: contiguousStrides(x.shape), offset: o0 });
    } else {
      const c = collapse(x.shape, [x.strides]);
      const st = c.strides[0]!, inner = st[st.length - 1]!;
      let io = o0;
      forEachRow1(c.shape, st, x.offset, (len, ix) => {
        kern(len, xs, ix, inner, o, io, p0, p1);
        io += len;
      });
    }
    if (outDtype.name === "bool" || (outDtype.name === "int64" && op !== "identity")) fixDtype(o, outDtype, o0, o0 + n);
    else if (outDtype.name === "int64" && x.dtype.isFloatingPoint) fixDtype(o, outDtype, o0, o0 + n);
    return o;
  },

  binary(op: BinaryOp, a, b, shape, outDtype, p = 1, dst?) {
    const n = numelOf(shape);
    if (isNarrow(outDtype)) {
      const w = wideOf(outDtype);
      return storeNarrow(cpuBackend.binary(op, a, b, shape, w, p) as TypedArray, w, outDtype, dst);
    }
    const { o, o0 } = output(outDtype, n, dst);
    if (n === 0) return o;
    const kern = binaryKernelFor(op, outDtype);
    p = param(outDtype, p);
    const as = arr(a), bs = arr(b);
    const cmpOp = op === "eq" || op === "ne" || op === "lt" || op === "le" || op === "gt" || op === "ge" || op.startsWith("logical");
    if (outDtype.name === "bool" && !cmpOp) {
      // arithmetic on bools: compute in float64, then test against zero (True + True is True)
      const tmp = this.binary(op, a, b, shape, float64, p) as Float64Array;
      for (let i = 0; i < n; i++) o[o0 + i] = tmp[i] !== 0 ? 1 : 0;
      return o;
    }
    const c = collapse(shape, [a.strides, b.strides]);
    const sa = c.strides[0]!, sb = c.strides[1]!, last = c.shape.length - 1;
    const ia = sa[last]!, ib = sb[last]!;
    let io = o0;
    forEachRow2(c.shape, sa, a.offset, sb, b.offset, (len, oa, ob) => {
      kern(len, as, oa, ia, bs, ob, ib, o, io, p);
      io += len;
    });
    if (!cmpOp && (outDtype.name === "bool" || outDtype.name === "int64")) fixDtype(o, outDtype, o0, o0 + n);
    return o;
  },

  ternary(op: TernaryOp, a, b, c, shape, outDtype, p = 1, dst?) {
    const n = numelOf(shape);
    if (isNarrow(outDtype)) {
      const w = wideOf(outDtype);
      return storeNarrow(cpuBackend.ternary(op, a, b, c, shape, w, p) as TypedArray, w, outDtype, dst);
    }
    const { o, o0 } = output(outDtype, n, dst);
    if (n === 0) return o;
    const kern = ternaryKernelFor(op, outDtype);
    p = param(outDtype, p);
    const as = arr(a), bs = arr(b), cs = arr(c);
    const cl = collapse(shape, [a.strides, b.strides, c.strides]);
    const last = cl.shape.length - 1;
    const sa = cl.strides[0]![last]!, sb = cl.strides[1]![last]!, sc = cl.strides[2]![last]!;
    let io = o0;
    forEachRow3(cl.shape, cl.strides[0]!, a.offset, cl.strides[1]!, b.offset, cl.strides[2]!, c.offset, (len, ia, ib, ic) => {
      kern(len, as, ia, sa, bs, ib, sb, cs, ic, sc, o, io, p);
      io += len;
    });
    if (outDtype.name === "int64") fixDtype(o, outDtype, o0, o0 + n);
    return o;
  },

  where(cond, a, b, shape, outDtype, dst?) {
    const n = numelOf(shape);
    if (isNarrow(outDtype) && (a.dtype !== outDtype || b.dtype !== outDtype)) {
      const w = wideOf(outDtype);
      return storeNarrow(cpuBackend.where(cond, a, b, shape, w) as TypedArray, w, outDtype, dst);
    }
    const { o, o0 } = output(outDtype, n, dst);
    if (n === 0) return o;
    const cs = arr(cond), as = arr(a), bs = arr(b);
    const c = collapse(shape, [cond.strides, a.strides, b.strides]);
    const last = c.shape.length - 1;
    const sc = c.strides[0]![last]!, sa = c.strides[1]![last]!, sb = c.strides[2]![last]!;
    let io = o0;
    forEachRow3(c.shape, c.strides[0]!, cond.offset, c.strides[1]!, a.offset, c.strides[2]!, b.offset, (len, ic, ia, ib) => {
      for (let k = 0; k < len; k++, ic += sc, ia += sa, ib += sb) o[io++] = cs[ic] ? as[ia]! : bs[ib]!;
    });
    return o;
  },

  reduce(op: ReduceOp, x, dims, outDtype) {
    if (isNarrow(outDtype)) {
      // NOTE: PyTorch reduces float16/bfloat16 in float (its acc_type) and rounds once at the end.
      const w = wideOf(outDtype);
      return storeNarrow(cpuBackend.reduce(op, x, dims, w) as TypedArray, w, outDtype, undefined);
    }
    // NOTE: float sums follow PyTorch's summation order (sum.ts), so that they give its bits.
    if (op === "sum" && outDtype.isFloatingPoint && x.dtype.isFloatingPoint) {
      const o = alloc(outDtype, numelOf(x.shape.filter((_, d) => !dims.includes(d))));
      cascadeSum(arr(x) as Float32Array | Float64Array, x.shape, x.strides, x.offset, dims, o as Float32Array | Float64Array);
      return o;
    }
    const nd = x.shape.length;
    const red = new Set(dims);
    const keptShape: number[] = [], keptStrides: number[] = [], redShape: number[] = [], redStrides: number[] = [];
    for (let d = 0; d < nd; d++) {
      if (red.has(d)) {
        redShape.push(x.shape[d]!);
        redStrides.push(x.strides[d]!);
      } else {
        keptShape.push(x.shape[d]!);
        keptStrides.push(x.strides[d]!);
      }
    }
    const nOut = numelOf(keptShape);
    const o = alloc(outDtype, nOut);
    if (nOut === 0) return o;
    const nRed = numelOf(redShape);
    const xs = arr(x);
    const isArg = op === "argmax" || op === "argmin";
    if (nRed === 0) {
      if (op === "max" || op === "min" || isArg)
        throw new RuntimeError(`${op}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
      o.fill(initial[op]);
      return o;
    }
    const rc = collapse(redShape, [redStrides]);
    const rShape = rc.shape, rStr = rc.strides[0]!, rInner = rStr[rStr.length - 1]!;
    const kc = collapse(keptShape, [keptStrides]);
    let io = 0;
    if (isArg) {
      const better = op === "argmax" ? (v: number, best: number) => v > best || (v !== v && best === best) : (v: number, best: number) => v < best || (v !== v && best === best);
      forEachRow1(kc.shape, kc.strides[0]!, x.offset, (len, base) => {
        const ks = kc.strides[0]![kc.shape.length - 1]!;
        for (let k = 0; k < len; k++, base += ks) {
          let best = NaN, bestI = -1, flat = 0;
          forEachRow1(rShape, rStr, base, (rl, ri) => {
            for (let j = 0; j < rl; j++, ri += rInner, flat++) {
              const v = xs[ri]!;
              if (bestI < 0 || better(v, best)) {
                best = v;
                bestI = flat;
              }
            }
          });
          o[io++] = bestI;
        }
      });
      return o;
    }
    const rr = rowReducers[op];
    const init = initial[op];
    forEachRow1(kc.shape, kc.strides[0]!, x.offset, (len, base) => {
      const ks = kc.strides[0]![kc.shape.length - 1]!;
      for (let k = 0; k < len; k++, base += ks) {
        let acc = init;
        if (rShape.length === 1) acc = rr(rShape[0]!, xs, base, rInner, acc);
        else forEachRow1(rShape, rStr, base, (rl, ri) => { acc = rr(rl, xs, ri, rInner, acc); });
        o[io++] = acc;
      }
    });
    if (outDtype.name === "bool") fixDtype(o, outDtype);
    return o;
  },

  cumulative(op, x, dim, outDtype) {
    if (isNarrow(outDtype)) {
      const w = wideOf(outDtype);
      return storeNarrow(cpuBackend.cumulative(op, x, dim, w) as TypedArray, w, outDtype, undefined);
    }
    const src = contiguousData(x);
    const n = src.length;
    const o = alloc(outDtype, n);
    const size = x.shape[dim] ?? 1;
    let inner = 1;
    for (let d = dim + 1; d < x.shape.length; d++) inner *= x.shape[d]!;
    const outer = size * inner === 0 ? 0 : n / (size * inner);
    for (let a = 0; a < outer; a++)
      for (let c = 0; c < inner; c++) {
        let acc = op === "cumsum" ? 0 : 1;
        for (let s = 0, i = a * size * inner + c; s < size; s++, i += inner) {
          acc = op === "cumsum" ? acc + src[i]! : acc * src[i]!;
          o[i] = acc;
        }
      }
    return o;
  },

  matmul(a, b, outDtype, init) {
    if (outDtype.name === "bfloat16" && a.dtype === outDtype && b.dtype === outDtype && !init) return matmulBf16(a, b);
    if (isNarrow(outDtype)) {
      const w = wideOf(outDtype);
      const wa = a.dtype === w ? a : { ...a, storage: contiguousAs(a, w), strides: contiguousStrides(a.shape), offset: 0, dtype: w };
      const wb = b.dtype === w ? b : { ...b, storage: contiguousAs(b, w), strides: contiguousStrides(b.shape), offset: 0, dtype: w };
      const wi = init && init.dtype !== w ? { ...init, storage: contiguousAs(init, w), strides: contiguousStrides(init.shape), offset: 0, dtype: w } : init;
      return storeNarrow(cpuBackend.matmul(wa, wb, w, wi) as TypedArray, w, outDtype, undefined);
    }
    const [B, M, K] = a.shape as [number, number, number];
    const N = b.shape[2]!;
    const o = alloc(outDtype, B * M * N);
    if (init) copyInto(init, { storage: o, dtype: outDtype, shape: [B, M, N], strides: contiguousStrides([B, M, N]), offset: 0 });
    matmulInto(arr(a), a.strides, a.offset, arr(b), b.strides, b.offset, o, B, M, K, N, init !== undefined);
    return o;
  },

  variance(x, dims, correction, std) {
    if (isNarrow(x.dtype)) {
      const w = wideOf(x.dtype);
      const wx = { ...x, storage: contiguousAs(x, w), strides: contiguousStrides(x.shape), offset: 0, dtype: w };
      return storeNarrow(cpuBackend.variance!(wx, dims, correction, std) as TypedArray, w, x.dtype, undefined);
    }
    // NOTE: PyTorch 1.13 computes a var/std over every element in two passes (its float mean, then
    // the squared deviations summed in float64: `std_var_all_cpu`), and over some dims runs
    // Welford's algorithm in float64 for each output; both round to the dtype at the end.
    const xs = arr(x) as Float32Array | Float64Array;
    const nOut = numelOf(x.shape.filter((_, d) => !dims.includes(d)));
    if (nOut === 1 && numelOf(x.shape) > 0) return this.fromValues(x.dtype, [varAll(xs, x.shape, x.strides, x.offset, correction, std)]);
    const o = alloc(x.dtype, nOut) as Float32Array | Float64Array;
    varDims(xs, x.shape, x.strides, x.offset, dims, correction, std, o);
    return o;
  },

  copy: copyInto,

  fill(dst, value) {
    const d = arr(dst);
    const narrow = narrowStore(float64, dst.dtype);
    const v = dst.dtype.name === "bool" ? (value ? 1 : 0) : dst.dtype.name === "int64" ? toInt64(value) : narrow ? narrow(value) : value;
    if (isContiguous(dst.shape, dst.strides)) {
      d.fill(v, dst.offset, dst.offset + numelOf(dst.shape));
      return;
    }
    const c = collapse(dst.shape, [dst.strides]);
    const st = c.strides[0]!, inner = st[st.length - 1]!;
    forEachRow1(c.shape, st, dst.offset, (len, i) => {
      for (let k = 0; k < len; k++, i += inner) d[i] = v;
    });
  },

  indexSelect(x, dim, index) {
    const src = contiguousData(x);
    const idx = contiguousData(index);
    const size = x.shape[dim]!;
    let inner = 1;
    for (let d = dim + 1; d < x.shape.length; d++) inner *= x.shape[d]!;
    let outer = 1;
    for (let d = 0; d < dim; d++) outer *= x.shape[d]!;
    const m = idx.length;
    const o = alloc(x.dtype, outer * m * inner);
    // NOTE: each index copies a whole row of `inner` elements; TypedArray.set pays for a subarray
    // object per row, which only long rows repay.
    for (let a = 0, d = 0; a < outer; a++)
      for (let j = 0; j < m; j++, d += inner) {
        const s = (a * size + idx[j]!) * inner;
        if (inner >= LONG_ROW) o.set(src.subarray(s, s + inner), d);
        else for (let k = 0; k < inner; k++) o[d + k] = src[s + k]!;
      }
    return o;
  },

  gather(x, dim, index) {
    const idx = contiguousData(index);
    const xs = arr(x);
    const shape = index.shape, nd = shape.length;
    const o = alloc(x.dtype, idx.length);
    const pos = new Array<number>(nd).fill(0);
    for (let i = 0; i < idx.length; i++) {
      let off = x.offset;
      for (let d = 0; d < nd; d++) off += (d === dim ? idx[i]! : pos[d]!) * x.strides[d]!;
      o[i] = xs[off]!;
      for (let d = nd - 1; d >= 0; d--) {
        if (++pos[d]! < shape[d]!) break;
        pos[d] = 0;
      }
    }
    return o;
  },

  scatter(dst, dim, index, src, reduce) {
    const idx = contiguousData(index);
    const ss = contiguousData({ ...src, shape: src.shape });
    const ds = arr(dst);
    const shape = index.shape, nd = shape.length;
    const srcStrides = contiguousStrides(src.shape);
    const round = isNarrow(dst.dtype) && dst.dtype.isFloatingPoint ? narrowStore(float32, dst.dtype)! : (v: number) => v;
    const pos = new Array<number>(nd).fill(0);
    for (let i = 0; i < idx.length; i++) {
      let off = dst.offset, so = 0;
      for (let d = 0; d < nd; d++) {
        off += (d === dim ? idx[i]! : pos[d]!) * dst.strides[d]!;
        so += pos[d]! * srcStrides[d]!;
      }
      if (reduce === "add") ds[off] = round(ds[off]! + ss[so]!);
      else ds[off] = ss[so]!;
      for (let d = nd - 1; d >= 0; d--) {
        if (++pos[d]! < shape[d]!) break;
        pos[d] = 0;
      }
    }
  },

  indexAdd(dst, dim, index, src) {
    const idx = contiguousData(index);
    const ss = contiguousData(src);
    const ds = arr(dst);
    // dst is contiguous (the caller guarantees it)
    const size = dst.shape[dim]!;
    let inner = 1;
    for (let d = dim + 1; d < dst.shape.length; d++) inner *= dst.shape[d]!;
    let outer = 1;
    for (let d = 0; d < dim; d++) outer *= dst.shape[d]!;
    const m = idx.length;
    for (let a = 0; a < outer; a++)
      for (let j = 0; j < m; j++) {
        const d0 = dst.offset + (a * size + idx[j]!) * inner, s0 = (a * m + j) * inner;
        for (let k = 0; k < inner; k++) ds[d0 + k] = ds[d0 + k]! + ss[s0 + k]!;
        roundNarrow(ds, dst.dtype, d0, d0 + inner);
      }
  },

  softmaxLastDim(x, log) {
    const n = numelOf(x.shape), D = x.shape[x.shape.length - 1]!;
    if (x.dtype.name === "float64") {
      const o = new Float64Array(n);
      if (n > 0) softmaxLastDimF64(contiguousData(x), 0, o, n / D, D, log);
      return o;
    }
    const o = new Float32Array(n);
    if (n > 0) softmaxLastDimF32(contiguousData(x), 0, o, n / D, D, log);
    roundNarrow(o, x.dtype);
    return o;
  },
  softmaxBackwardLastDim(g, y, log) {
    const n = numelOf(y.shape), D = y.shape[y.shape.length - 1]!;
    if (y.dtype.name === "float64") {
      const o = new Float64Array(n);
      if (n > 0) softmaxBackwardLastDimF64(contiguousData(g), 0, contiguousData(y), 0, o, n / D, D, log);
      return o;
    }
    const o = new Float32Array(n);
    if (n > 0) softmaxBackwardLastDimF32(contiguousData(g), 0, contiguousData(y), 0, o, n / D, D, log);
    roundNarrow(o, y.dtype);
    return o;
  },

  nonzero(x) {
    const c = contiguousData(x);
    const nd = x.shape.length;
    let count = 0;
    for (let i = 0; i < c.length; i++) if (c[i]) count++;
    const o = new Float64Array(count * nd);
    const st = contiguousStrides(x.shape);
    let w = 0;
    for (let i = 0; i < c.length; i++)
      if (c[i]) {
        let r = i;
        for (let d = 0; d < nd; d++) {
          const q = Math.floor(r / st[d]!);
          o[w++] = q;
          r -= q * st[d]!;
        }
      }
    return { storage: o, count };
  },

  // the fused optimizer updates (optim.ts), PyTorch's bits
  sgdStep,
  adamStep,
  rmspropStep,
  adagradStep,
};

registerBackend(cpuBackend);
