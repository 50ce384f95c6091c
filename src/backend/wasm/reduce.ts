// The fast backend's reductions, softmax and fused loss / normalisation kernels (see index.ts). Each
// primitive given here replaces the reference backend's for this backend; what is left out (prod,
// all, any, integer and bool data, cumulative sums) falls back to the reference.
//
// NOTE: what these give up and why. The reference sums float32 in PyTorch's cascade order, every add
// rounded to float32, which costs ~50 ms for 16M floats. Here float32 (and float64) sums accumulate
// in float64 with several independent accumulators (so the adds overlap in the CPU), and are rounded
// to the output dtype once at the end: at least as accurate as PyTorch's own float32 sums, and within
// float32 tolerance of them, though not their bits. Long contiguous sums run in a small WebAssembly
// SIMD kernel (reduce_wasm.ts) fed by chunks small enough to stay in the L1 cache; everything else is
// TypeScript over the typed arrays: rows (the reduced elements adjacent in memory) or columns (the
// kept ones adjacent: whole rows of outputs accumulated at once, as a bias's gradient sums [N, F]
// over dim 0). max / min / argmax / argmin are exact (they choose an element) and follow PyTorch's
// rules for NaN (the first wins) and ties (the first index).
// Softmax and log_softmax use float64 row sums of exp(x - max) (x - max rounded to float32 first, as
// PyTorch's kernel does); float32's exponentials run in WebAssembly SIMD, float64's through Math.exp. nll_loss reduces in PyTorch's own cascade (it costs nothing), so its bits
// are PyTorch's given the same log-probabilities. Layer and batch norm compute their statistics in
// float64 in two passes (mean, then squared deviations), and their backward in one fused pass per
// group. nn/functional.ts records PyTorch's nodes around them and keeps its composed formulas for a
// backward that must itself be differentiable (create_graph).
import { NllCascade } from "../cpu/nll_cascade.js";
import type { Backend, ReduceOp, Storage, View } from "../backend.js";
import { cpuBackend } from "../cpu/index.js";
import { intText, type DType } from "../../tensor/dtype.js";
import { isContiguous, numelOf } from "../../tensor/shape.js";
import { IndexError, RuntimeError } from "../../errors.js";
import { collapse, forEachRow1 } from "../cpu/strided.js";
import { wasmSqDevF32, wasmSqDevF64, wasmSumF32, wasmSumF64, WASM_SUM_MIN } from "./reduce_wasm.js";
import { zeroedArray } from "../buffer_pool.js";
import { SIMD_MIN_LENGTH, simdAvailable, simdUnaryF32 } from "./elementwise_simd.js";

type FloatArray = Float32Array | Float64Array;

const isFloatView = (v: View): boolean => v.dtype.name === "float32" || v.dtype.name === "float64";

/** A zeroed float output, from the backward pass's buffer pool where it has one (../buffer_pool.ts). */
function allocFloat(dtype: DType, n: number): FloatArray {
  return dtype.name === "float32" ? zeroedArray(Float32Array, n) : zeroedArray(Float64Array, n);
}

/** The view's elements as a contiguous array of its type (the storage itself, or a subarray of it, when already so). */
function contiguousFloat(v: View): FloatArray {
  const a = v.storage as FloatArray;
  const n = numelOf(v.shape);
  if (isContiguous(v.shape, v.strides)) return v.offset === 0 && a.length === n ? a : a.subarray(v.offset, v.offset + n);
  return cpuBackend.read(v) as FloatArray;
}

// ---------------------------------------------------------------- sums

/** Sum of n float32 values x[i], x[i + s], ... in float64, four accumulators. */
function sumF32(x: Float32Array, i: number, n: number, s: number): number {
  if (s === 1 && n >= WASM_SUM_MIN) return wasmSumF32(x, i, n);
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  let k = 0;
  if (s === 1) {
    for (; k + 3 < n; k += 4, i += 4) {
      a0 += x[i]!;
      a1 += x[i + 1]!;
      a2 += x[i + 2]!;
      a3 += x[i + 3]!;
    }
  } else {
    const s2 = 2 * s, s3 = 3 * s, s4 = 4 * s;
    for (; k + 3 < n; k += 4, i += s4) {
      a0 += x[i]!;
      a1 += x[i + s]!;
      a2 += x[i + s2]!;
      a3 += x[i + s3]!;
    }
  }
  for (; k < n; k++, i += s) a0 += x[i]!;
  return (a0 + a1) + (a2 + a3);
}

/** sumF32 for float64 data. */
function sumF64(x: Float64Array, i: number, n: number, s: number): number {
  if (s === 1 && n >= WASM_SUM_MIN) return wasmSumF64(x, i, n);
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  let k = 0;
  if (s === 1) {
    for (; k + 3 < n; k += 4, i += 4) {
      a0 += x[i]!;
      a1 += x[i + 1]!;
      a2 += x[i + 2]!;
      a3 += x[i + 3]!;
    }
  } else {
    const s2 = 2 * s, s3 = 3 * s, s4 = 4 * s;
    for (; k + 3 < n; k += 4, i += s4) {
      a0 += x[i]!;
      a1 += x[i + s]!;
      a2 += x[i + s2]!;
      a3 += x[i + s3]!;
    }
  }
  for (; k < n; k++, i += s) a0 += x[i]!;
  return (a0 + a1) + (a2 + a3);
}

/** acc[k] += x[i + k * s] for k < n (one row of a column sum), float32 data. */
function addRowF32(acc: Float64Array, a0: number, x: Float32Array, i: number, n: number, s: number): void {
  if (s === 1) for (let k = 0; k < n; k++) acc[a0 + k] += x[i + k]!;
  else for (let k = 0; k < n; k++, i += s) acc[a0 + k] += x[i]!;
}
function addRowF64(acc: Float64Array, a0: number, x: Float64Array, i: number, n: number, s: number): void {
  if (s === 1) for (let k = 0; k < n; k++) acc[a0 + k] += x[i + k]!;
  else for (let k = 0; k < n; k++, i += s) acc[a0 + k] += x[i]!;
}

/**
 * acc[k] = sum over r < R of x[i + r * rs + k * ks] (k < K): a column sum, four rows at a time (their
 * float64 sum is added into acc once, so acc is loaded and stored a quarter as often).
 */
function colSum(acc: Float64Array, x: FloatArray, i: number, R: number, rs: number, K: number, ks: number): void {
  if (x instanceof Float32Array) colSumF32(acc, x, i, R, rs, K, ks);
  else colSumF64(acc, x, i, R, rs, K, ks);
}
function colSumF32(acc: Float64Array, x: Float32Array, i: number, R: number, rs: number, K: number, ks: number): void {
  let r = 0;
  for (; r + 3 < R; r += 4, i += 4 * rs) {
    const i1 = i + rs, i2 = i1 + rs, i3 = i2 + rs;
    if (ks === 1) for (let k = 0; k < K; k++) acc[k] += (x[i + k]! + x[i1 + k]!) + (x[i2 + k]! + x[i3 + k]!);
    else for (let k = 0, o = 0; k < K; k++, o += ks) acc[k] += (x[i + o]! + x[i1 + o]!) + (x[i2 + o]! + x[i3 + o]!);
  }
  for (; r < R; r++, i += rs) addRowF32(acc, 0, x, i, K, ks);
}
function colSumF64(acc: Float64Array, x: Float64Array, i: number, R: number, rs: number, K: number, ks: number): void {
  let r = 0;
  for (; r + 3 < R; r += 4, i += 4 * rs) {
    const i1 = i + rs, i2 = i1 + rs, i3 = i2 + rs;
    if (ks === 1) for (let k = 0; k < K; k++) acc[k] += (x[i + k]! + x[i1 + k]!) + (x[i2 + k]! + x[i3 + k]!);
    else for (let k = 0, o = 0; k < K; k++, o += ks) acc[k] += (x[i + o]! + x[i1 + o]!) + (x[i2 + o]! + x[i3 + o]!);
  }
  for (; r < R; r++, i += rs) addRowF64(acc, 0, x, i, K, ks);
}

/** Sum of (x - mean)^2 over x[i], x[i + s], ... (n values), float64, four accumulators. */
function sqDev(x: FloatArray, i: number, n: number, s: number, mean: number): number {
  if (s === 1 && n >= WASM_SUM_MIN) return x instanceof Float32Array ? wasmSqDevF32(x, i, n, mean) : wasmSqDevF64(x, i, n, mean);
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, k = 0;
  for (; k + 3 < n; k += 4, i += 4 * s) {
    const d0 = x[i]! - mean, d1 = x[i + s]! - mean, d2 = x[i + 2 * s]! - mean, d3 = x[i + 3 * s]! - mean;
    a0 += d0 * d0;
    a1 += d1 * d1;
    a2 += d2 * d2;
    a3 += d3 * d3;
  }
  for (; k < n; k++, i += s) {
    const d = x[i]! - mean;
    a0 += d * d;
  }
  return (a0 + a1) + (a2 + a3);
}

/**
 * var / std over dims in two passes in float64 (the mean, then the squared deviations from it),
 * rounded once at the end; for a single run of reduced elements per output (rows) or a single run of
 * outputs per reduced position (columns). Other layouts: null (the caller falls back).
 */
function varianceFloat(x: View, dims: readonly number[], correction: number, std: boolean): FloatArray | null {
  const { nOut, nRed, kShape, kStr, rShape, rStr } = splitDims(x, dims);
  const o = allocFloat(x.dtype, nOut);
  if (nOut === 0) return o;
  if (nRed === 0 || kShape.length !== 1 || rShape.length !== 1) return null;
  const xs = x.storage as FloatArray, f32 = xs instanceof Float32Array;
  const kIn = kStr[0]!, rIn = rStr[0]!, K = kShape[0]!, R = rShape[0]!;
  const divisor = nRed > correction ? nRed - correction : 0;
  const fin = (q: number) => (std ? Math.sqrt(q / divisor) : q / divisor);
  if (!(nOut > 1 && K > 1 && Math.abs(kIn) < Math.abs(rIn))) {
    for (let k = 0, b = x.offset; k < K; k++, b += kIn) {
      const mean = (f32 ? sumF32(xs as Float32Array, b, R, rIn) : sumF64(xs as Float64Array, b, R, rIn)) / R;
      o[k] = fin(sqDev(xs, b, R, rIn, mean));
    }
    return o;
  }
  const mean = new Float64Array(K), q = new Float64Array(K);
  colSum(mean, xs, x.offset, R, rIn, K, kIn);
  for (let k = 0; k < K; k++) mean[k] = mean[k]! / R;
  for (let r = 0, i = x.offset; r < R; r++, i += rIn)
    for (let k = 0, j = i; k < K; k++, j += kIn) {
      const d = xs[j]! - mean[k]!;
      q[k] += d * d;
    }
  for (let k = 0; k < K; k++) o[k] = fin(q[k]!);
  return o;
}

// ---------------------------------------------------------------- max / min / arg

// NOTE: the contiguous row kernels keep four running maxima (or minima, with their first index), so
// that the compares of different lanes overlap; `chk` accumulates v - v, which is NaN only after a NaN
// or an infinity, and then the row is redone by the sequential kernel, whose rules are PyTorch's
// (the first NaN wins). A maximum of zero is redone too: which of -0 and +0 comes first decides its sign.
/** max of the n >= 1 values x[i], x[i + s], ...; NaN as soon as one is NaN. */
function maxRow(x: FloatArray, i: number, n: number, s: number): number {
  if (s !== 1 || n < 16) return maxRowSeq(x, i, n, s);
  let m0 = x[i]!, m1 = m0, m2 = m0, m3 = m0, chk = 0, k = 1;
  for (; k + 3 < n; k += 4) {
    const a = x[i + k]!, b = x[i + k + 1]!, c = x[i + k + 2]!, d = x[i + k + 3]!;
    if (a > m0) m0 = a;
    if (b > m1) m1 = b;
    if (c > m2) m2 = c;
    if (d > m3) m3 = d;
    chk += (a - a) + (b - b) + (c - c) + (d - d);
  }
  for (; k < n; k++) {
    const a = x[i + k]!;
    if (a > m0) m0 = a;
    chk += a - a;
  }
  if (m1 > m0) m0 = m1;
  if (m3 > m2) m2 = m3;
  if (m2 > m0) m0 = m2;
  return chk === 0 && m0 !== 0 && m0 === m0 ? m0 : maxRowSeq(x, i, n, s);
}
function minRow(x: FloatArray, i: number, n: number, s: number): number {
  if (s !== 1 || n < 16) return minRowSeq(x, i, n, s);
  let m0 = x[i]!, m1 = m0, m2 = m0, m3 = m0, chk = 0, k = 1;
  for (; k + 3 < n; k += 4) {
    const a = x[i + k]!, b = x[i + k + 1]!, c = x[i + k + 2]!, d = x[i + k + 3]!;
    if (a < m0) m0 = a;
    if (b < m1) m1 = b;
    if (c < m2) m2 = c;
    if (d < m3) m3 = d;
    chk += (a - a) + (b - b) + (c - c) + (d - d);
  }
  for (; k < n; k++) {
    const a = x[i + k]!;
    if (a < m0) m0 = a;
    chk += a - a;
  }
  if (m1 < m0) m0 = m1;
  if (m3 < m2) m2 = m3;
  if (m2 < m0) m0 = m2;
  return chk === 0 && m0 !== 0 && m0 === m0 ? m0 : minRowSeq(x, i, n, s);
}
/** The lane-combined first index of the max (ties: the smaller index, which is the first occurrence). */
function argmaxRow(x: FloatArray, i: number, n: number, s: number): number {
  if (s !== 1 || n < 16) return argmaxRowSeq(x, i, n, s);
  let m0 = x[i]!, m1 = m0, m2 = m0, m3 = m0, j0 = 0, j1 = 0, j2 = 0, j3 = 0, chk = 0, k = 1;
  for (; k + 3 < n; k += 4) {
    const a = x[i + k]!, b = x[i + k + 1]!, c = x[i + k + 2]!, d = x[i + k + 3]!;
    if (a > m0) { m0 = a; j0 = k; }
    if (b > m1) { m1 = b; j1 = k + 1; }
    if (c > m2) { m2 = c; j2 = k + 2; }
    if (d > m3) { m3 = d; j3 = k + 3; }
    chk += (a - a) + (b - b) + (c - c) + (d - d);
  }
  for (; k < n; k++) {
    const a = x[i + k]!;
    if (a > m0) { m0 = a; j0 = k; }
    chk += a - a;
  }
  if (chk !== 0 || m0 !== m0) return argmaxRowSeq(x, i, n, s);
  if (m1 > m0 || (m1 === m0 && j1 < j0)) { m0 = m1; j0 = j1; }
  if (m3 > m2 || (m3 === m2 && j3 < j2)) { m2 = m3; j2 = j3; }
  if (m2 > m0 || (m2 === m0 && j2 < j0)) j0 = j2;
  return j0;
}
function argminRow(x: FloatArray, i: number, n: number, s: number): number {
  if (s !== 1 || n < 16) return argminRowSeq(x, i, n, s);
  let m0 = x[i]!, m1 = m0, m2 = m0, m3 = m0, j0 = 0, j1 = 0, j2 = 0, j3 = 0, chk = 0, k = 1;
  for (; k + 3 < n; k += 4) {
    const a = x[i + k]!, b = x[i + k + 1]!, c = x[i + k + 2]!, d = x[i + k + 3]!;
    if (a < m0) { m0 = a; j0 = k; }
    if (b < m1) { m1 = b; j1 = k + 1; }
    if (c < m2) { m2 = c; j2 = k + 2; }
    if (d < m3) { m3 = d; j3 = k + 3; }
    chk += (a - a) + (b - b) + (c - c) + (d - d);
  }
  for (; k < n; k++) {
    const a = x[i + k]!;
    if (a < m0) { m0 = a; j0 = k; }
    chk += a - a;
  }
  if (chk !== 0 || m0 !== m0) return argminRowSeq(x, i, n, s);
  if (m1 < m0 || (m1 === m0 && j1 < j0)) { m0 = m1; j0 = j1; }
  if (m3 < m2 || (m3 === m2 && j3 < j2)) { m2 = m3; j2 = j3; }
  if (m2 < m0 || (m2 === m0 && j2 < j0)) j0 = j2;
  return j0;
}

/** max of x[i], x[i + s], ... (n >= 1); NaN as soon as one is NaN. */
function maxRowSeq(x: FloatArray, i: number, n: number, s: number): number {
  let m = x[i]!;
  if (m !== m) return m;
  for (let k = 1; k < n; k++) {
    const v = x[(i += s)]!;
    if (v > m) m = v;
    else if (v !== v) return v;
  }
  return m;
}
function minRowSeq(x: FloatArray, i: number, n: number, s: number): number {
  let m = x[i]!;
  if (m !== m) return m;
  for (let k = 1; k < n; k++) {
    const v = x[(i += s)]!;
    if (v < m) m = v;
    else if (v !== v) return v;
  }
  return m;
}
/** Index (0..n-1) of the first max (or of the first NaN). */
function argmaxRowSeq(x: FloatArray, i: number, n: number, s: number): number {
  let m = x[i]!, best = 0;
  if (m !== m) return 0;
  for (let k = 1; k < n; k++) {
    const v = x[(i += s)]!;
    if (v > m) {
      m = v;
      best = k;
    } else if (v !== v) return k;
  }
  return best;
}
function argminRowSeq(x: FloatArray, i: number, n: number, s: number): number {
  let m = x[i]!, best = 0;
  if (m !== m) return 0;
  for (let k = 1; k < n; k++) {
    const v = x[(i += s)]!;
    if (v < m) {
      m = v;
      best = k;
    } else if (v !== v) return k;
  }
  return best;
}

type RowKernel = (x: FloatArray, i: number, n: number, s: number) => number;
const rowKernels: Partial<Record<ReduceOp, RowKernel>> = { max: maxRow, min: minRow, argmax: argmaxRow, argmin: argminRow };

/** o[k] = kern(row k) for the K rows starting at base + k * ks. */
function rowsOf(kern: RowKernel, x: FloatArray, base: number, K: number, ks: number, n: number, s: number, o: FloatArray): void {
  for (let k = 0; k < K; k++, base += ks) o[k] = kern(x, base, n, s);
}

/**
 * Column step of max / min / argmax / argmin: folds the row x[i + k * s] (k < n), the r-th of the
 * reduced positions, into acc (and idx for the arg ops). PyTorch's rules: the first NaN wins, else
 * the first strict max (min).
 */
function foldRow(op: ReduceOp, acc: Float64Array, idx: Float64Array, a0: number, x: FloatArray, i: number, n: number, s: number, r: number): void {
  switch (op) {
    case "max":
      for (let k = 0; k < n; k++, i += s) {
        const v = x[i]!, a = acc[a0 + k]!;
        if (v > a || (v !== v && a === a)) acc[a0 + k] = v;
      }
      return;
    case "min":
      for (let k = 0; k < n; k++, i += s) {
        const v = x[i]!, a = acc[a0 + k]!;
        if (v < a || (v !== v && a === a)) acc[a0 + k] = v;
      }
      return;
    case "argmax":
      for (let k = 0; k < n; k++, i += s) {
        const v = x[i]!, a = acc[a0 + k]!;
        if (v > a || (v !== v && a === a)) {
          acc[a0 + k] = v;
          idx[a0 + k] = r;
        }
      }
      return;
    case "argmin":
      for (let k = 0; k < n; k++, i += s) {
        const v = x[i]!, a = acc[a0 + k]!;
        if (v < a || (v !== v && a === a)) {
          acc[a0 + k] = v;
          idx[a0 + k] = r;
        }
      }
      return;
    default:
      throw new RuntimeError(`internal: foldRow(${op})`);
  }
}

// ---------------------------------------------------------------- the reduce primitive

/** The kept and reduced dims of x, each collapsed where memory allows. */
function splitDims(x: View, dims: readonly number[]) {
  const keptShape: number[] = [], keptStrides: number[] = [], redShape: number[] = [], redStrides: number[] = [];
  for (let d = 0; d < x.shape.length; d++) {
    if (dims.includes(d)) {
      redShape.push(x.shape[d]!);
      redStrides.push(x.strides[d]!);
    } else {
      keptShape.push(x.shape[d]!);
      keptStrides.push(x.strides[d]!);
    }
  }
  const kc = collapse(keptShape, [keptStrides]), rc = collapse(redShape, [redStrides]);
  return { nOut: numelOf(keptShape), nRed: numelOf(redShape), kShape: kc.shape, kStr: kc.strides[0]!, rShape: rc.shape, rStr: rc.strides[0]! };
}

/**
 * sum / max / min / argmax / argmin of float32 or float64 data, any dims and strides. Two loop
 * orders, chosen by the strides: a row order (each output reduces its own run of elements; used
 * when the reduced elements are the closer ones in memory) and a column order (whole rows of
 * outputs are accumulated at once, reduced position after position; used when the kept elements
 * are the closer ones, as the gradient of a bias: [128, 256] summed over dim 0).
 */
function reduceFloat(op: ReduceOp, x: View, dims: readonly number[], outDtype: DType): Storage {
  const { nOut, nRed, kShape, kStr, rShape, rStr } = splitDims(x, dims);
  const isSum = op === "sum";
  const o = isSum ? allocFloat(outDtype, nOut) : op === "argmax" || op === "argmin" ? new Float64Array(nOut) : allocFloat(x.dtype, nOut);
  if (nOut === 0 || (isSum && nRed === 0)) return o;
  const xs = x.storage as FloatArray;
  const f32 = x.dtype.name === "float32";
  const kIn = kStr[kStr.length - 1]!, rIn = rStr[rStr.length - 1]!, kLen = kShape[kShape.length - 1]!;
  const columns = nOut > 1 && kLen > 1 && Math.abs(kIn) < Math.abs(rIn);
  if (!columns) {
    // row order: one output after another
    const rLen = rShape[rShape.length - 1]!;
    const oneRun = rShape.length === 1;
    const kern = isSum ? null : rowKernels[op]!;
    if (oneRun && kShape.length === 1) {
      // NOTE: a plain loop, not forEachRow1's closure: V8 inlines the row kernel into the closure
      // and then reloads the captured array inside its loop (measured 4x slower for max).
      if (kern) rowsOf(kern, xs, x.offset, kLen, kIn, rLen, rIn, o);
      else if (f32) for (let k = 0, b = x.offset; k < kLen; k++, b += kIn) o[k] = sumF32(xs as Float32Array, b, rLen, rIn);
      else for (let k = 0, b = x.offset; k < kLen; k++, b += kIn) o[k] = sumF64(xs as Float64Array, b, rLen, rIn);
      return o;
    }
    let io = 0;
    forEachRow1(kShape, kStr, x.offset, (len, base) => {
      for (let k = 0; k < len; k++, base += kIn) {
        if (oneRun) {
          if (kern) o[io++] = kern(xs, base, rLen, rIn);
          else o[io++] = f32 ? sumF32(xs as Float32Array, base, rLen, rIn) : sumF64(xs as Float64Array, base, rLen, rIn);
          continue;
        }
        // several reduced runs (a reduction over non-adjacent dims): fold run by run
        let acc = 0, flat = 0, best = -1;
        const arg = op === "argmax" || op === "argmin";
        forEachRow1(rShape, rStr, base, (rl, ri) => {
          if (isSum) acc += f32 ? sumF32(xs as Float32Array, ri, rl, rIn) : sumF64(xs as Float64Array, ri, rl, rIn);
          else if (arg) {
            const j = kern!(xs, ri, rl, rIn), v = xs[ri + j * rIn]!;
            const better = best < 0 || (op === "argmax" ? v > acc : v < acc) || (v !== v && acc === acc);
            if (better) {
              acc = v;
              best = flat + j;
            }
          } else {
            const v = kern!(xs, ri, rl, rIn);
            if (flat === 0 || (op === "max" ? v > acc : v < acc) || (v !== v && acc === acc)) acc = v;
          }
          flat += rl;
        });
        o[io++] = arg ? best : acc;
      }
    });
    return o;
  }
  // column order: acc holds a whole row of outputs (in float64), reduced positions folded in turn
  const acc = isSum ? new Float64Array(nOut) : new Float64Array(nOut).fill(op === "max" || op === "argmax" ? -Infinity : Infinity);
  const idx = op === "argmax" || op === "argmin" ? (o as Float64Array) : acc;
  const oneKept = kShape.length === 1;
  if (isSum && oneKept && rShape.length === 1) {
    colSum(acc, xs, x.offset, rShape[0]!, rIn, kLen, kIn);
    o.set(acc);
    return o;
  }
  let r = 0;
  forEachRow1(rShape, rStr, x.offset, (rl, ri) => {
    for (let j = 0; j < rl; j++, ri += rIn, r++) {
      if (oneKept) {
        if (!isSum) foldRow(op, acc, idx, 0, xs, ri, kLen, kIn, r);
        else if (f32) addRowF32(acc, 0, xs as Float32Array, ri, kLen, kIn);
        else addRowF64(acc, 0, xs as Float64Array, ri, kLen, kIn);
        continue;
      }
      let a0 = 0;
      const rr = r;
      forEachRow1(kShape, kStr, ri, (len, base) => {
        if (!isSum) foldRow(op, acc, idx, a0, xs, base, len, kIn, rr);
        else if (f32) addRowF32(acc, a0, xs as Float32Array, base, len, kIn);
        else addRowF64(acc, a0, xs as Float64Array, base, len, kIn);
        a0 += len;
      });
    }
  });
  if (idx !== acc) return o; // the arg ops wrote their indices into o
  o.set(acc);
  return o;
}

// ---------------------------------------------------------------- softmax

/** The sum of a[i0 .. i0 + D) in float64, in four lanes (the adds overlap; error ~D / 4 ulps at worst). */
function rowSumF32(a: Float32Array, i0: number, D: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, k = 0;
  for (; k + 3 < D; k += 4) {
    s0 += a[i0 + k]!;
    s1 += a[i0 + k + 1]!;
    s2 += a[i0 + k + 2]!;
    s3 += a[i0 + k + 3]!;
  }
  for (; k < D; k++) s0 += a[i0 + k]!;
  return (s0 + s1) + (s2 + s3);
}

/**
 * softmaxRows for float32 with the exponentials in WebAssembly SIMD (elementwise_simd.wat's Cephes
 * expf, within ~2 ulp like the Sleef expf PyTorch's kernel vectorizes with); false, having written
 * nothing that counts, where that module is unavailable or n is short.
 * NOTE: Math.exp and Math.log cost 23-87 ns a call here (V8 calls its fdlibm port): log_softmax of
 * the demo's 10,000 x 10 test logits took ~4 ms, PyTorch's ~0.5. With the exponentials (and the
 * rows' logs) in SIMD it takes ~1.7-2 ms, the rest being the passes over the rows in TypeScript
 * (max and x - max, the sums, the outputs: ~15 ns an element together on this machine for rows
 * of 10).
 */
function softmaxRowsSimdF32(x: Float32Array, o: Float32Array, rows: number, D: number, log: boolean): boolean {
  const n = rows * D;
  if (n < SIMD_MIN_LENGTH || !simdAvailable()) return false;
  const maxes = new Float32Array(rows), sums = new Float32Array(rows);
  for (let r = 0, i0 = 0; r < rows; r++, i0 += D) {
    // Math.max: no data-dependent branch (one mispredicted ~every third element of random rows), and
    // NaN wins as in PyTorch; between +0 and -0 it may keep the other one, which x - max cannot tell
    let m = x[i0]!;
    for (let k = 1; k < D; k++) m = Math.max(m, x[i0 + k]!);
    maxes[r] = m;
    for (let k = 0; k < D; k++) o[i0 + k] = x[i0 + k]! - m; // rounded to float32 by the store
  }
  if (!simdUnaryF32("exp", n, o, 0, o, 0)) return false;
  for (let r = 0, i0 = 0; r < rows; r++, i0 += D) {
    const sum = rowSumF32(o, i0, D);
    if (log) sums[r] = sum;
    else {
      const inv = 1 / sum;
      for (let k = 0; k < D; k++) o[i0 + k] = o[i0 + k]! * inv;
    }
  }
  if (!log) return true;
  // the rows' log(sum) in float32, as PyTorch's kernel takes it (Math.log costs as much as Math.exp)
  if (!(rows >= SIMD_MIN_LENGTH && simdUnaryF32("log", rows, sums, 0, sums, 0))) for (let r = 0; r < rows; r++) sums[r] = Math.log(sums[r]!);
  for (let r = 0, i0 = 0; r < rows; r++, i0 += D) {
    const m = maxes[r]!, ls = sums[r]!;
    for (let k = 0; k < D; k++) o[i0 + k] = Math.fround(x[i0 + k]! - m) - ls;
  }
  return true;
}

/**
 * softmax (or log_softmax) of `rows` contiguous rows of D values: max, then exp(x - max) summed in
 * float64, then the row scaled by 1 / sum (or (x - max) - log(sum)).
 */
function softmaxRows(x: FloatArray, o: FloatArray, rows: number, D: number, log: boolean): void {
  if (x instanceof Float32Array && o instanceof Float32Array && softmaxRowsSimdF32(x, o, rows, D, log)) return;
  // NOTE: x - max is rounded to float32 for float32 data, as PyTorch's kernel computes it: exp
  // magnifies that rounding (by |x - max| ulps), so skipping it would move far-off entries off
  // PyTorch's values by more than the exp's own error.
  const f32 = x instanceof Float32Array;
  for (let r = 0, i0 = 0; r < rows; r++, i0 += D) {
    let m = x[i0]!;
    for (let k = 1; k < D; k++) {
      const v = x[i0 + k]!;
      if (v > m || v !== v) m = v;
    }
    // exp(x - max) into o (rounded to o's dtype, as PyTorch's kernel stores them), summed in four
    // float64 lanes (the sum's error then grows as D / 4 ulps at worst, PyTorch's as D / 8 or D / 4)
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, k = 0;
    if (f32)
      for (; k + 3 < D; k += 4) {
        const i = i0 + k;
        s0 += o[i] = Math.exp(Math.fround(x[i]! - m));
        s1 += o[i + 1] = Math.exp(Math.fround(x[i + 1]! - m));
        s2 += o[i + 2] = Math.exp(Math.fround(x[i + 2]! - m));
        s3 += o[i + 3] = Math.exp(Math.fround(x[i + 3]! - m));
      }
    else
      for (; k + 3 < D; k += 4) {
        const i = i0 + k;
        s0 += o[i] = Math.exp(x[i]! - m);
        s1 += o[i + 1] = Math.exp(x[i + 1]! - m);
        s2 += o[i + 2] = Math.exp(x[i + 2]! - m);
        s3 += o[i + 3] = Math.exp(x[i + 3]! - m);
      }
    for (; k < D; k++) s0 += o[i0 + k] = Math.exp(f32 ? Math.fround(x[i0 + k]! - m) : x[i0 + k]! - m);
    const s = (s0 + s1) + (s2 + s3);
    if (log) {
      const ls = Math.log(s);
      if (f32) for (let k = 0; k < D; k++) o[i0 + k] = Math.fround(x[i0 + k]! - m) - ls;
      else for (let k = 0; k < D; k++) o[i0 + k] = x[i0 + k]! - m - ls;
    } else {
      const inv = 1 / s;
      for (let k = 0; k < D; k++) o[i0 + k] = o[i0 + k]! * inv;
    }
  }
}

/** Backward over contiguous rows: log: g - exp(y) * sum(g); softmax: (g - sum(g * y)) * y. */
function softmaxBackwardRows(g: FloatArray, y: FloatArray, o: FloatArray, rows: number, D: number, log: boolean): void {
  // log_softmax's exp(y) in WebAssembly SIMD (see softmaxRowsSimdF32), rounded to float32 there
  if (log && g instanceof Float32Array && y instanceof Float32Array && o instanceof Float32Array && rows * D >= SIMD_MIN_LENGTH && simdUnaryF32("exp", rows * D, y, 0, o, 0)) {
    for (let r = 0, i0 = 0; r < rows; r++, i0 += D) {
      const s = rowSumF32(g, i0, D);
      for (let k = 0; k < D; k++) o[i0 + k] = g[i0 + k]! - o[i0 + k]! * s;
    }
    return;
  }
  for (let r = 0, i0 = 0; r < rows; r++, i0 += D) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, k = 0;
    if (log) {
      for (; k + 3 < D; k += 4) {
        s0 += g[i0 + k]!;
        s1 += g[i0 + k + 1]!;
        s2 += g[i0 + k + 2]!;
        s3 += g[i0 + k + 3]!;
      }
      for (; k < D; k++) s0 += g[i0 + k]!;
      const s = (s0 + s1) + (s2 + s3);
      for (let k = 0; k < D; k++) o[i0 + k] = g[i0 + k]! - Math.exp(y[i0 + k]!) * s;
    } else {
      for (; k + 3 < D; k += 4) {
        s0 += g[i0 + k]! * y[i0 + k]!;
        s1 += g[i0 + k + 1]! * y[i0 + k + 1]!;
        s2 += g[i0 + k + 2]! * y[i0 + k + 2]!;
        s3 += g[i0 + k + 3]! * y[i0 + k + 3]!;
      }
      for (; k < D; k++) s0 += g[i0 + k]! * y[i0 + k]!;
      const s = (s0 + s1) + (s2 + s3);
      for (let k = 0; k < D; k++) o[i0 + k] = (g[i0 + k]! - s) * y[i0 + k]!;
    }
  }
}

// ---------------------------------------------------------------- nll loss

/**
 * The NLL terms of the positions of x [N, C, S] (strided) and target [N, S], in position order,
 * reduced in PyTorch 1.13's order (NllCascade: it costs nothing over a plain loop, so the fast
 * backend keeps PyTorch's bits here, given the same log-probabilities).
 */
function nllForward(x: View, target: View, weight: View | null, ignore: number, reduction: "none" | "sum" | "mean"): { loss: Storage; totalWeight: number } {
  const [N, C, S] = x.shape as [number, number, number];
  const xs = x.storage as FloatArray, [xN, xC, xS] = x.strides as [number, number, number];
  const ts = target.storage as ArrayLike<number>, [tN, tS] = target.strides as [number, number];
  const wv = weight ? contiguousFloat(weight) : null;
  const f32 = x.dtype.name === "float32";
  const rnd = f32 ? Math.fround : (v: number) => v;
  const M = N * S;
  const target0 = (n: number, s: number): number => {
    const t = ts[target.offset + n * tN + s * tS]!;
    if (t !== ignore && !(t >= 0 && t < C)) throw new IndexError(`Target ${intText(t)} is out of bounds.`);
    return t;
  };
  if (reduction === "none") {
    const o = allocFloat(x.dtype, M);
    let total = 0;
    for (let n = 0, i = 0; n < N; n++)
      for (let s = 0; s < S; s++, i++) {
        const t = target0(n, s);
        if (t === ignore) continue;
        const v = xs[x.offset + n * xN + t * xC + s * xS]!;
        const wt = wv ? wv[t]! : 1;
        o[i] = -rnd(v * wt);
        total += wt;
      }
    return { loss: o, totalWeight: total };
  }
  const acc = new NllCascade(M, rnd);
  for (let n = 0, i = 0; n < N; n++)
    for (let s = 0; s < S; s++, i++) {
      const t = target0(n, s);
      if (t === ignore) {
        acc.skip();
        continue;
      }
      acc.add(i, xs[x.offset + n * xN + t * xC + s * xS]!, wv ? wv[t]! : undefined);
    }
  const { loss: out, totalWeight } = acc.result(reduction, wv !== null);
  const o = allocFloat(x.dtype, 1);
  o[0] = out;
  return { loss: o, totalWeight };
}

function nllBackward(g: View, target: View, weight: View | null, ignore: number, reduction: "none" | "sum" | "mean",
  totalWeight: number, N: number, C: number, S: number): Storage {
  const o = allocFloat(g.dtype, N * C * S);
  const gs = g.storage as FloatArray;
  const ts = target.storage as ArrayLike<number>, [tN, tS] = target.strides as [number, number];
  const wv = weight ? contiguousFloat(weight) : null;
  const rnd = g.dtype.name === "float32" ? Math.fround : (v: number) => v;
  // NOTE: PyTorch writes w[t] * -(g / total_weight) ("mean") or w[t] * -g at each picked class, +0 elsewhere.
  let gq = gs[g.offset]!;
  if (reduction === "mean") gq = rnd(gq / totalWeight);
  const [gN, gS] = reduction === "none" ? (g.strides as [number, number]) : [0, 0];
  for (let n = 0; n < N; n++)
    for (let s = 0; s < S; s++) {
      const t = ts[target.offset + n * tN + s * tS]!;
      if (t === ignore) continue;
      const gv = reduction === "none" ? gs[g.offset + n * gN + s * gS]! : gq;
      o[(n * C + t) * S + s] = wv ? rnd(-gv * wv[t]!) : -gv;
    }
  return o;
}

// ---------------------------------------------------------------- layer norm / batch norm

/** A float array of `dtype` holding vals (float64 values rounded as the dtype's stores do). */
function floatArrayOf(dtype: DType, vals: Float64Array): FloatArray {
  const o = allocFloat(dtype, vals.length);
  o.set(vals);
  return o;
}

function normalizeForward(x: View, A: number, G: number, B: number, perChannel: boolean, weight: View | null, bias: View | null,
  eps: number, stats: { mean: View; var: View } | null) {
  const xs = contiguousFloat(x);
  const n = A * G * B;
  const y = allocFloat(x.dtype, n);
  const wv = weight ? contiguousFloat(weight) : null, bv = bias ? contiguousFloat(bias) : null;
  const groups = perChannel ? G : A;
  const mean = new Float64Array(groups), vr = new Float64Array(groups), rstd = new Float64Array(groups);
  if (!perChannel) {
    // layer norm: row a of D = G * B elements; weight and bias per element of the row
    const D = G * B;
    for (let a = 0, i0 = 0; a < A; a++, i0 += D) {
      let s = 0;
      for (let k = 0; k < D; k++) s += xs[i0 + k]!;
      const m = s / D;
      let q = 0;
      for (let k = 0; k < D; k++) {
        const d = xs[i0 + k]! - m;
        q += d * d;
      }
      const v = q / D, r = 1 / Math.sqrt(v + eps);
      mean[a] = m;
      vr[a] = v;
      rstd[a] = r;
      if (wv && bv) for (let k = 0; k < D; k++) y[i0 + k] = (xs[i0 + k]! - m) * r * wv[k]! + bv[k]!;
      else if (wv) for (let k = 0; k < D; k++) y[i0 + k] = (xs[i0 + k]! - m) * r * wv[k]!;
      else if (bv) for (let k = 0; k < D; k++) y[i0 + k] = (xs[i0 + k]! - m) * r + bv[k]!;
      else for (let k = 0; k < D; k++) y[i0 + k] = (xs[i0 + k]! - m) * r;
    }
  } else {
    // batch norm: channel c is the runs x[a, c, :] for every a
    const sm = stats ? contiguousFloat(stats.mean) : null, sv = stats ? contiguousFloat(stats.var) : null;
    const cnt = A * B;
    for (let c = 0; c < G; c++) {
      let m: number, v: number;
      if (sm && sv) {
        m = sm[c]!;
        v = sv[c]!;
      } else {
        let s = 0;
        for (let a = 0; a < A; a++) {
          const i0 = (a * G + c) * B;
          for (let k = 0; k < B; k++) s += xs[i0 + k]!;
        }
        m = s / cnt;
        let q = 0;
        for (let a = 0; a < A; a++) {
          const i0 = (a * G + c) * B;
          for (let k = 0; k < B; k++) {
            const d = xs[i0 + k]! - m;
            q += d * d;
          }
        }
        v = q / cnt;
      }
      const r = 1 / Math.sqrt(v + eps);
      mean[c] = m;
      vr[c] = v;
      rstd[c] = r;
      const scale = wv ? r * wv[c]! : r, shift = bv ? bv[c]! : 0;
      for (let a = 0; a < A; a++) {
        const i0 = (a * G + c) * B;
        for (let k = 0; k < B; k++) y[i0 + k] = (xs[i0 + k]! - m) * scale + shift;
      }
    }
  }
  return { y, mean: floatArrayOf(x.dtype, mean), var: floatArrayOf(x.dtype, vr), rstd: floatArrayOf(x.dtype, rstd) };
}

function normalizeBackwardKernel(g: View, x: View, meanS: Storage, rstdS: Storage, A: number, G: number, B: number, perChannel: boolean,
  weight: View | null, fixedStats: boolean, mask: readonly [boolean, boolean, boolean]): [Storage | null, Storage | null, Storage | null] {
  const xs = contiguousFloat(x), gs = contiguousFloat(g);
  const mean = meanS as FloatArray, rstd = rstdS as FloatArray;
  const wv = weight ? contiguousFloat(weight) : null;
  const n = A * G * B;
  const dx = mask[0] ? allocFloat(x.dtype, n) : null;
  if (!perChannel) {
    const D = G * B;
    const dw = mask[1] ? new Float64Array(D) : null, db = mask[2] ? new Float64Array(D) : null;
    for (let a = 0, i0 = 0; a < A; a++, i0 += D) {
      const m = mean[a]!, r = rstd[a]!;
      if (dw) for (let k = 0; k < D; k++) dw[k] += gs[i0 + k]! * (xs[i0 + k]! - m) * r;
      if (db) for (let k = 0; k < D; k++) db[k] += gs[i0 + k]!;
      if (!dx) continue;
      let s1 = 0, s2 = 0;
      for (let k = 0; k < D; k++) {
        const gw = wv ? gs[i0 + k]! * wv[k]! : gs[i0 + k]!;
        s1 += gw;
        s2 += gw * (xs[i0 + k]! - m) * r;
      }
      const c1 = s1 / D, c2 = s2 / D;
      for (let k = 0; k < D; k++) {
        const gw = wv ? gs[i0 + k]! * wv[k]! : gs[i0 + k]!;
        dx[i0 + k] = r * (gw - c1 - (xs[i0 + k]! - m) * r * c2);
      }
    }
    return [dx, dw && floatArrayOf(x.dtype, dw), db && floatArrayOf(x.dtype, db)];
  }
  const dw = mask[1] ? new Float64Array(G) : null, db = mask[2] ? new Float64Array(G) : null;
  const cnt = A * B;
  for (let c = 0; c < G; c++) {
    const m = mean[c]!, r = rstd[c]!, w = wv ? wv[c]! : 1;
    let sg = 0, sgx = 0;
    for (let a = 0; a < A; a++) {
      const i0 = (a * G + c) * B;
      for (let k = 0; k < B; k++) {
        const gv = gs[i0 + k]!;
        sg += gv;
        sgx += gv * (xs[i0 + k]! - m);
      }
    }
    sgx *= r; // sum of g * xhat
    if (dw) dw[c] = sgx;
    if (db) db[c] = sg;
    if (!dx) continue;
    if (fixedStats) {
      const f = w * r;
      for (let a = 0; a < A; a++) {
        const i0 = (a * G + c) * B;
        for (let k = 0; k < B; k++) dx[i0 + k] = gs[i0 + k]! * f;
      }
      continue;
    }
    const c1 = sg / cnt, c2 = (sgx / cnt) * r, f = w * r;
    for (let a = 0; a < A; a++) {
      const i0 = (a * G + c) * B;
      for (let k = 0; k < B; k++) dx[i0 + k] = f * (gs[i0 + k]! - c1 - (xs[i0 + k]! - m) * c2);
    }
  }
  return [dx, dw && floatArrayOf(x.dtype, dw), db && floatArrayOf(x.dtype, db)];
}


export const reduceKernels: Partial<Backend> = {
  reduce(op, x, dims, outDtype) {
    // NOTE: prod, all and any, integer and bool data, and max / argmax over an empty dim (an error)
    // are the reference's.
    const fast = op === "sum" ? outDtype.isFloatingPoint : op !== "prod" && op !== "all" && op !== "any" && !dims.some((d) => x.shape[d] === 0);
    if (fast && isFloatView(x)) return reduceFloat(op, x, dims, outDtype);
    return cpuBackend.reduce.call(this, op, x, dims, outDtype);
  },

  softmaxLastDim(x, log) {
    if (!isFloatView(x)) return cpuBackend.softmaxLastDim!.call(this, x, log); // (bfloat16: the reference's)
    const n = numelOf(x.shape), D = x.shape[x.shape.length - 1]!;
    const o = allocFloat(x.dtype, n);
    if (n > 0) softmaxRows(contiguousFloat(x), o, n / D, D, log);
    return o;
  },

  variance(x, dims, correction, std) {
    if (isFloatView(x)) {
      const o = varianceFloat(x, dims, correction, std);
      if (o) return o;
    }
    return cpuBackend.variance!.call(this, x, dims, correction, std);
  },

  nllLoss: nllForward,
  nllLossBackward: nllBackward,
  normalize: normalizeForward,
  normalizeBackward: normalizeBackwardKernel,

  softmaxBackwardLastDim(g, y, log) {
    if (!isFloatView(y) || !isFloatView(g)) return cpuBackend.softmaxBackwardLastDim!.call(this, g, y, log);
    const n = numelOf(y.shape), D = y.shape[y.shape.length - 1]!;
    const o = allocFloat(y.dtype, n);
    if (n > 0) softmaxBackwardRows(contiguousFloat(g), contiguousFloat(y), o, n / D, D, log);
    return o;
  },
};
