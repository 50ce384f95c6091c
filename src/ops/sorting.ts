// Sorting and selection: sort, argsort, msort, topk, kthvalue, median, nanmedian, mode, cummax,
// cummin, logcumsumexp, searchsorted, bucketize, unique, unique_consecutive.
// Each kernel reads its input once in row-major order (backend.read), walks the lines along `dim`,
// and writes contiguous outputs (sort's in its input's layout, as PyTorch's). Which index PyTorch
// 1.13 returns for equal values depends on the algorithm its CPU kernel runs, so the kernels replay
// those algorithms (stl_sort.ts, stl_hash.ts); backwards are written with tensor ops (scatter,
// scatter_add, logcumsumexp itself), so double backward works.
import { needsGrad, record, recordN } from "../autograd/function.js";
import { arrayTypeFor, bool, float32, int32, int64, type DType, type TypedArray } from "../tensor/dtype.js";
import { contiguousStrides, isContiguous, isNonOverlappingAndDense, normalizeDim, numelOf, shapesEqual } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { IndexError, NotImplementedError, RuntimeError } from "../errors.js";
import { backend, fromStorage, resultTypeOf, scalarTensor } from "./core.js";
import type { ValuesIndices } from "./reduce.js";
import { registerOp } from "./table.js";
import { unorderedSetOrder } from "./stl_hash.js";
import * as stl from "./stl_sort.js";

// ---------------------------------------------------------------- helpers

/** The lines along dim d of a row-major array of `shape`: line (o, i) starts at o * n * inner + i, step inner. */
function linesOf(shape: readonly number[], d: number): { outer: number; n: number; inner: number } {
  if (shape.length === 0) return { outer: 1, n: 1, inner: 1 };
  let outer = 1, inner = 1;
  for (let i = 0; i < d; i++) outer *= shape[i]!;
  for (let i = d + 1; i < shape.length; i++) inner *= shape[i]!;
  return { outer, n: shape[d]!, inner };
}

function tensorOf(values: ArrayLike<number>, shape: readonly number[], dtype: DType): Tensor {
  return fromStorage(backend().fromValues(dtype, values), shape, dtype);
}

/**
 * PyTorch's infer_dense_strides: strides that lay out `shape` densely in the memory order of
 * `strides` (dims sorted by stride, a stable insertion sort that leaves stride-0 dims in place).
 */
function inferDenseStrides(shape: readonly number[], strides: readonly number[]): number[] {
  const nd = shape.length;
  const perm = Array.from({ length: nd }, (_, i) => nd - 1 - i);
  const cmp = (d0: number, d1: number): number => {
    const s0 = strides[d0]!, s1 = strides[d1]!;
    if (s0 === 0 || s1 === 0) return 0;
    if (s0 < s1) return -1;
    if (s0 > s1) return 1;
    return shape[d0]! > shape[d1]! ? 1 : 0;
  };
  for (let i = 1; i < nd; i++) {
    let d1 = i;
    for (let j = 1; j <= i; j++) {
      const d0 = i - j;
      const c = cmp(perm[d0]!, perm[d1]!);
      if (c > 0) {
        [perm[d0], perm[d1]] = [perm[d1]!, perm[d0]!];
        d1 = d0;
      } else if (c < 0) break;
    }
  }
  const out = new Array<number>(nd);
  let cur = 1;
  for (const i of perm) {
    out[i] = cur;
    if (shape[i]! > 1) cur *= shape[i]!;
  }
  return out;
}


/**
 * A contiguous result re-laid with x's memory layout, as PyTorch's sort allocates its outputs (x's
 * strides when dense, else infer_dense_strides of them).
 */
function likeLayout(c: Tensor, x: Tensor): Tensor {
  const shape = x.shape, strides = x.strides;
  if (isContiguous(shape, strides)) return c;
  const st = isNonOverlappingAndDense(shape, strides) ? strides : inferDenseStrides(shape, strides);
  if (shapesEqual(st, contiguousStrides(shape))) return c;
  const y = new Tensor(backend().alloc(c.dtype, c.numel()), shape, st, 0, c.dtype);
  backend().copy(c._view(), y._view());
  return y;
}

function pair(values: Tensor, indices: Tensor): ValuesIndices {
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

function notImplementedFor(kernel: string, x: Tensor): RuntimeError {
  return new RuntimeError(`"${kernel}" not implemented for '${x.dtype.scalarName}'`);
}

/** The shape of a reduction over d (kept as 1 or dropped); a 0-dim input stays 0-dim. */
function reducedShape(shape: readonly number[], d: number, keepdim: boolean): number[] {
  if (shape.length === 0) return [];
  const s = shape.slice();
  if (keepdim) s[d] = 1;
  else s.splice(d, 1);
  return s;
}

/**
 * PyTorch's value_selecting_reduction_backward: zeros of the input's shape with g scattered to the
 * selected indices (written with scatter, so that double backward works).
 */
function selectBackward(g: Tensor, d: number, indices: Tensor, sizes: readonly number[], keepdim: boolean): Tensor {
  let gg = g, ii = indices;
  if (!keepdim && sizes.length > 0) {
    gg = g.unsqueeze(d);
    ii = indices.unsqueeze(d);
  }
  return gg.newZeros(sizes).scatter(d, ii, gg);
}

/** Records the node of an op whose values are picked from x at `indices` along d. */
function recordSelect(name: string, x: Tensor, values: Tensor, indices: Tensor, d: number, keepdim: boolean): ValuesIndices {
  const sizes = x.shape;
  recordN(name, [x], [values, indices], (grads, saved) => {
    const g = grads[0];
    return [g ? selectBackward(g, d, saved(0), sizes, keepdim) : null];
  }, [indices]);
  return pair(values, indices);
}

/** Walks each line along d: `fn(key, base, step)` with the line's values as float64 keys. */
function forEachLine(src: TypedArray, shape: readonly number[], d: number, fn: (key: Float64Array, base: number, step: number, line: number) => void): void {
  const { outer, n, inner } = linesOf(shape, d);
  const key = new Float64Array(n);
  let line = 0;
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++, line++) {
      const base = o * n * inner + i;
      for (let j = 0; j < n; j++) key[j] = src[base + j * inner]!;
      fn(key, base, inner, line);
    }
}

function iota(p: Int32Array): Int32Array {
  for (let j = 0; j < p.length; j++) p[j] = j;
  return p;
}

// ---------------------------------------------------------------- sort, argsort, msort

export interface SortOptions {
  dim?: number;
  descending?: boolean;
  stable?: boolean;
}

/**
 * torch.sort(input, dim=-1, descending=False, stable=False): the values in order along dim and
 * where they came from. NaN sorts as the largest value. Without `stable`, PyTorch 1.13 runs
 * libstdc++'s std::sort, whose order among equal values is replayed here.
 */
export function sort(x: Tensor, dim = -1, descending = false, stable = false): ValuesIndices {
  const d = normalizeDim(dim, x.dim());
  const src = x._values();
  const shape = x.shape;
  const vals = new (arrayTypeFor(x.dtype))(src.length);
  const idx = new Float64Array(src.length);
  const n = x.dim() === 0 ? 1 : shape[d]!;
  const p = new Int32Array(n);
  forEachLine(src, shape, d, (key, base, step) => {
    stl.setOrder(stl.plainKeys(key, descending ? stl.DESC : stl.ASC));
    iota(p);
    if (stable) stl.stableSort(key, p);
    else stl.stdSort(key, p, 0, n);
    // (without NaN the sorted keys are the values, exactly: read in order, not through the indices)
    const sign = stl.hadNaN() ? 0 : descending ? -1 : 1;
    for (let j = 0; j < n; j++) {
      vals[base + j * step] = sign === 0 ? src[base + p[j]! * step]! : sign * key[j]!;
      idx[base + j * step] = p[j]!;
    }
  });
  const values = likeLayout(tensorOf(vals, shape, x.dtype), x), indices = likeLayout(tensorOf(idx, shape, int64), x);
  return recordSelect(stable ? "SortBackward1" : "SortBackward0", x, values, indices, d, true);
}

/** sort's arguments as PyTorch takes them: (dim, descending, { stable }) or ({ dim, descending, stable }). */
export function sortArgs(x: Tensor, dim?: number | SortOptions, descending?: boolean, opts?: { stable?: boolean }): ValuesIndices {
  if (typeof dim === "object" && dim !== null) return sort(x, dim.dim ?? -1, dim.descending ?? false, dim.stable ?? false);
  return sort(x, dim ?? -1, descending ?? false, opts?.stable ?? false);
}

/** torch.argsort(input, dim=-1, descending=False, stable=False): sort's indices. */
export function argsort(x: Tensor, dim = -1, descending = false, stable = false): Tensor {
  return sort(x, dim, descending, stable).indices;
}

/** torch.msort(input): sort along the first dim. */
export function msort(x: Tensor): Tensor {
  return sort(x, 0).values;
}

// ---------------------------------------------------------------- topk, kthvalue

/**
 * torch.topk(input, k, dim=-1, largest=True, sorted=True): the k largest (or smallest) values along
 * dim and their indices, as PyTorch 1.13's topk_impl_loop picks them (std::partial_sort when
 * k * 64 <= n, else std::nth_element and a std::sort of the first k - 1).
 */
export function topk(x: Tensor, k: number, dim = -1, largest = true, sorted = true): ValuesIndices {
  const d = normalizeDim(dim, x.dim());
  if (!(Number.isInteger(k) && k >= 0 && k <= (x.dim() > 0 ? x.shape[d]! : 1))) throw new RuntimeError("selected index k out of range");
  if (x.dim() === 0) return recordSelect("TopkBackward0", x, x.detach().clone(), tensorOf([0], [], int64), d, true);
  if (x.dtype === bool) throw notImplementedFor("topk_cpu", x);
  const src = x._values();
  const shape = x.shape;
  const n = shape[d]!;
  const outShape = shape.slice();
  outShape[d] = k;
  const { inner } = linesOf(shape, d);
  const vals = new (arrayTypeFor(x.dtype))(numelOf(outShape));
  const idx = new Float64Array(vals.length);
  const p = new Int32Array(n);
  forEachLine(src, shape, d, (key, base, step, line) => {
    stl.setOrder(stl.plainKeys(key, largest ? stl.DESC : stl.ASC));
    iota(p);
    if (k * 64 <= n) stl.stdPartialSort(key, p, 0, k, n);
    else {
      stl.stdNthElement(key, p, 0, k - 1, n);
      if (sorted) stl.stdSort(key, p, 0, k - 1);
    }
    const ob = Math.floor(line / inner) * k * inner + (line % inner);
    for (let j = 0; j < k; j++) {
      vals[ob + j * step] = src[base + p[j]! * step]!;
      idx[ob + j * step] = p[j]!;
    }
  });
  return recordSelect("TopkBackward0", x, tensorOf(vals, outShape, x.dtype), tensorOf(idx, outShape, int64), d, true);
}

export interface TopkOptions {
  dim?: number;
  largest?: boolean;
  sorted?: boolean;
}

/** topk's arguments: (k, dim, largest, sorted) or (k, { dim, largest, sorted }). */
export function topkArgs(x: Tensor, k: number, dim?: number | TopkOptions, largest?: boolean, sorted?: boolean): ValuesIndices {
  if (typeof dim === "object" && dim !== null) return topk(x, k, dim.dim ?? -1, dim.largest ?? true, dim.sorted ?? true);
  return topk(x, k, dim ?? -1, largest ?? true, sorted ?? true);
}

/** The IndexError of a reduction along an empty dim ("kthvalue(): Expected reduction dim 0 ..."). */
function checkNonEmptyDim(name: string, x: Tensor, d: number): void {
  if (x.dim() > 0 && x.shape[d] === 0) throw new IndexError(`${name}(): Expected reduction dim ${d} to have non-zero size.`);
}

/**
 * A reduction along d that picks one element of each line: `pick(key)` returns its position in the
 * line; the values and indices come out in the reduced shape.
 */
function selectAlong(x: Tensor, d: number, keepdim: boolean, pick: (key: Float64Array) => number): [Tensor, Tensor] {
  const src = x._values();
  const shape = x.shape;
  const outShape = reducedShape(shape, d, keepdim);
  const count = numelOf(outShape);
  const vals = new (arrayTypeFor(x.dtype))(count);
  const idx = new Float64Array(count);
  forEachLine(src, shape, d, (key, base, step, line) => {
    const j = pick(key);
    vals[line] = src[base + j * step]!;
    idx[line] = j;
  });
  return [tensorOf(vals, outShape, x.dtype), tensorOf(idx, outShape, int64)];
}

/**
 * torch.kthvalue(input, k, dim=-1, keepdim=False): the k-th smallest value along dim and its index,
 * found by PyTorch's quickselect (whose pick among equal values this replays).
 */
export function kthvalue(x: Tensor, k: number, dim = -1, keepdim = false): ValuesIndices {
  const d = normalizeDim(dim, x.dim());
  checkNonEmptyDim("kthvalue", x, d);
  if (!(Number.isInteger(k) && k > 0 && k <= (x.dim() > 0 ? x.shape[d]! : 1)))
    throw new RuntimeError(`kthvalue(): selected number k out of range for dimension ${d}`);
  if (x.dim() === 0) return recordSelect("KthvalueBackward0", x, x.detach().clone(), tensorOf([0], [], int64), d, keepdim);
  if (x.dtype === bool) throw notImplementedFor("kthvalue_cpu", x);
  const p = new Int32Array(x.shape[d]!);
  const [values, indices] = selectAlong(x, d, keepdim, (key) => {
    stl.quickSelect(key, iota(p), k - 1);
    return p[k - 1]!;
  });
  return recordSelect("KthvalueBackward0", x, values, indices, d, keepdim);
}

// ---------------------------------------------------------------- median, nanmedian, mode

/**
 * PyTorch's evenly_distribute_backward: g / count written where x equals the result (where x is NaN
 * for a NaN result), zeros elsewhere.
 */
function evenlyDistribute(g: Tensor, xs: Tensor, ys: Tensor): Tensor {
  const mask = Number.isNaN(ys.item()) ? xs.isnan() : xs.eq(ys);
  return xs.newZeros(xs.shape).maskedFill(mask, g.div(mask.sum()));
}

function medianAll(x: Tensor, ignoreNan: boolean): Tensor {
  if (x.dtype === bool) throw notImplementedFor("median_cpu", x);
  const src = x._values();
  let value: number;
  // (an empty input gives NaN, cast to the dtype: an integer NaN is the lowest value, as on x86)
  if (src.length === 0) value = x.dtype === int64 ? -(2 ** 63) : x.dtype === int32 ? -(2 ** 31) : NaN;
  else {
    let nans = 0;
    for (let i = 0; i < src.length; i++) if (src[i] !== src[i]) nans++;
    if (nans && !ignoreNan) value = NaN;
    else {
      // NOTE: std::nth_element on the values (a bare `<`, NaN last for nanmedian): the value is the
      // order statistic, and the replayed moves also pick PyTorch's one of -0 and 0
      const key = Float64Array.from(src), p = iota(new Int32Array(src.length));
      stl.setOrder(ignoreNan ? stl.ASC : stl.PLAIN);
      const nth = Math.trunc((src.length - nans - 1) / 2);
      stl.stdNthElement(key, p, 0, nth, src.length);
      value = src[p[nth]!]!;
    }
  }
  const y = tensorOf([value], [], x.dtype);
  return record(ignoreNan ? "NanmedianBackward0" : "MedianBackward0", [x], y, (g, s) => [evenlyDistribute(g, s(0), s(1))], [x, y]);
}

function medianDim(x: Tensor, dim: number, keepdim: boolean, ignoreNan: boolean): ValuesIndices {
  const d = normalizeDim(dim, x.dim());
  checkNonEmptyDim("median", x, d);
  if (x.dtype === bool) throw notImplementedFor("median_out", x);
  const n = x.dim() > 0 ? x.shape[d]! : 1;
  const p = new Int32Array(n);
  const [values, indices] = selectAlong(x, d, keepdim, (key) => {
    let nans = 0;
    for (let j = 0; j < n; j++)
      if (key[j] !== key[j]) {
        if (!ignoreNan) return j; // (median: the first NaN)
        nans++;
      }
    // NOTE: PyTorch orders (value, index) pairs, NaN last: among equal values the lowest index wins
    stl.setOrder(stl.VALUE_INDEX);
    const nth = Math.trunc((n - nans - 1) / 2);
    stl.stdNthElement(key, iota(p), 0, nth, n);
    return p[nth]!;
  });
  return recordSelect(ignoreNan ? "NanmedianBackward1" : "MedianBackward1", x, values, indices, d, keepdim);
}

/**
 * torch.median(input): the lower median of all elements (NaN if any is NaN); torch.median(input, dim,
 * keepdim=False): the median along dim and its index.
 */
export function median(x: Tensor, dim?: number | null, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined || dim === null ? medianAll(x, false) : medianDim(x, dim, keepdim, false);
}

/** torch.nanmedian: median ignoring NaNs (NaN only where every value is NaN). */
export function nanmedian(x: Tensor, dim?: number | null, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined || dim === null ? medianAll(x, true) : medianDim(x, dim, keepdim, true);
}

/**
 * torch.mode(input, dim=-1, keepdim=False): the most frequent value along dim (the smallest of the
 * most frequent) and an index of it: PyTorch sorts (value, index) pairs by value with std::sort and
 * takes the index that ends its run.
 */
export function mode(x: Tensor, dim = -1, keepdim = false): ValuesIndices {
  const d = normalizeDim(dim, x.dim());
  checkNonEmptyDim("mode", x, d);
  const n = x.dim() > 0 ? x.shape[d]! : 1;
  const p = new Int32Array(n);
  const [values, indices] = selectAlong(x, d, keepdim, (key) => {
    stl.setOrder(stl.PLAIN);
    stl.stdSort(key, iota(p), 0, n);
    let freq = 0, best = 0, at = 0;
    for (let j = 0; j < n; j++) {
      freq++;
      if (j === n - 1 || key[j] !== key[j + 1]) {
        if (freq > best) {
          at = p[j]!;
          best = freq;
        }
        freq = 0;
      }
    }
    return at;
  });
  return recordSelect("ModeBackward0", x, values, indices, d, keepdim);
}

// ---------------------------------------------------------------- cummax, cummin, logcumsumexp

function cumExtremum(kind: "cummax" | "cummin", x: Tensor, dim: number): ValuesIndices {
  const d = normalizeDim(dim, x.dim());
  const src = x._values();
  const shape = x.shape;
  const vals = new (arrayTypeFor(x.dtype))(src.length);
  const idx = new Float64Array(src.length);
  const max = kind === "cummax";
  const { n } = linesOf(shape, d);
  if (src.length)
    forEachLine(src, shape, d, (key, base, step) => {
      // NOTE: PyTorch's cummax_cummin_helper: a NaN always takes over, and ties move the index on
      // (>= for cummax, <= for cummin)
      let out = key[0]!, at = 0;
      for (let j = 0; j < n; j++) {
        const v = key[j]!;
        if (v !== v || (out === out && (max ? v >= out : v <= out))) {
          out = v;
          at = j;
        }
        vals[base + j * step] = src[base + at * step]!;
        idx[base + j * step] = at;
      }
    });
  const values = tensorOf(vals, shape, x.dtype), indices = tensorOf(idx, shape, int64);
  recordN(max ? "CummaxBackward0" : "CumminBackward0", [x], [values, indices], (grads, saved) => {
    const g = grads[0];
    if (!g) return [null];
    const xs = saved(0);
    // (PyTorch's cummaxmin_backward: the gradients added at the indices; an empty input gives itself)
    if (xs.numel() === 0) return [xs];
    if (xs.dim() === 0) return [g];
    return [g.newZeros(xs.shape).scatterAdd(d, saved(1), g)];
  }, [x, indices]);
  return pair(values, indices);
}

/** torch.cummax(input, dim): running maximum along dim and where it was reached (the latest of ties). */
export function cummax(x: Tensor, dim: number): ValuesIndices {
  return cumExtremum("cummax", x, dim);
}

/** torch.cummin(input, dim): running minimum along dim and where it was reached. */
export function cummin(x: Tensor, dim: number): ValuesIndices {
  return cumExtremum("cummin", x, dim);
}

/** PyTorch's _log_add_exp_helper(x, y): log(exp(x) + exp(y)) without overflow, infinities kept. */
function logAddExp(x: number, y: number): number {
  // (std::min / std::max return their first argument when the other comparison is false)
  const min = y !== y ? y : y < x ? y : x;
  const max = y !== y ? y : x < y ? y : x;
  if (min !== max || Number.isFinite(min)) return Math.log1p(Math.exp(min - max)) + max;
  return x;
}

/**
 * torch.logcumsumexp(input, dim): log(cumsum(exp(input))) along dim, computed stably.
 * NOTE: as PyTorch's CPU kernel, the running value is kept in double (acc_type) and each output is
 * rounded to the input's dtype.
 */
export function logcumsumexp(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.dim());
  if (!x.dtype.isFloatingPoint) throw notImplementedFor("logcumsumexp_out_cpu", x);
  const src = x._values();
  const shape = x.shape;
  const out = new (arrayTypeFor(x.dtype))(src.length);
  const { n } = linesOf(shape, d);
  if (src.length)
    forEachLine(src, shape, d, (key, base, step) => {
      let cum = -Infinity;
      for (let j = 0; j < n; j++) {
        cum = logAddExp(key[j]!, cum);
        out[base + j * step] = cum;
      }
    });
  const y = tensorOf(out, shape, x.dtype);
  // NOTE: PyTorch 1.13's logcumsumexp_backward (TensorFlow's formula): the positive and negative
  // parts of g go through log space separately, with the dtype's lowest value standing for log(0).
  return record("LogcumsumexpBackward0", [x], y, (g, s) => {
    if (g.dim() === 0 || g.numel() === 0) return [g];
    const xs = s(0), r = s(1);
    const lowest = g.dtype === float32 ? -3.4028234663852886e38 : -Number.MAX_VALUE;
    const rev = (t: Tensor): Tensor => logcumsumexp(t.flip([d]), d).flip([d]);
    const pos = g.log().where(g.gt(0), lowest);
    const neg = g.neg().log().where(g.lt(0), lowest);
    return [rev(pos.sub(r)).add(xs).exp().sub(rev(neg.sub(r)).add(xs).exp())];
  }, [x, y]);
}

// ---------------------------------------------------------------- searchsorted, bucketize

export interface SearchsortedOptions {
  outInt32?: boolean;
  right?: boolean;
  side?: "left" | "right";
  sorter?: Tensor | null;
}

/**
 * torch.searchsorted(sortedSequence, values, *, out_int32=False, right=False, side=None, sorter=None):
 * for each value, the index where it would be inserted into the innermost dim of sortedSequence to
 * keep it sorted (the first such index; the last with `right` or side "right").
 */
export function searchsorted(sortedSequence: Tensor, input: Tensor | number, opts: SearchsortedOptions = {}): Tensor {
  const bd = sortedSequence;
  const outInt32 = opts.outInt32 ?? false, right = opts.right ?? false;
  const sorter = opts.sorter ?? null;
  const side = opts.side;
  if (side !== undefined && side !== null) {
    if (side !== "left" && side !== "right") throw new RuntimeError(`torch.searchsorted(): side can only be 'left' or 'right' but got ${String(side)}`);
    if (right && side !== "right") throw new RuntimeError(`torch.searchsorted(): side and right can't be set to opposites, got side of ${side} while right was True`);
  }
  const values = input instanceof Tensor ? input : scalarTensor(input);
  if (sorter) {
    if (!shapesEqual(sorter.shape, bd.shape))
      throw new RuntimeError(`torch.searchsorted(): boundary and sorter must have the same size, but got boundary tensor [${bd.shape.join(", ")}]and got sorter tensor [${sorter.shape.join(", ")}]`);
    if (sorter.dtype !== int64) throw new RuntimeError(`torch.searchsorted(): sorter must be a tensor of long dtype but got dtype ${sorter.dtype.scalarName}`);
  }
  if (!(values.dim() > 0 || (values.numel() === 1 && bd.dim() === 1)))
    throw new RuntimeError(`torch.searchsorted(): input value can be a scalar only when boundaries tensor dimension is 1, but we got boundaries tensor dim(${bd.dim()}) and input value's dim(${values.dim()}) numel(${values.numel()})`);
  if (bd.dim() === 0) throw new RuntimeError("torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension");
  if (bd.dim() !== 1 && !(bd.dim() === values.dim() && bd.shape.slice(0, -1).every((s, i) => s === values.shape[i])))
    throw new RuntimeError(`torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match, but we got boundaries tensor [${bd.shape.join(", ")}] and input value tensor [${values.shape.join(", ")}]`);
  const outDtype = outInt32 ? int32 : int64;
  const isRight = side !== undefined && side !== null ? side === "right" : right;
  const count = values.numel();
  if (count === 0) return tensorOf([], values.shape, outDtype);
  // NOTE: the comparisons run in the common dtype of both (an int64 sequence searched for 2.5 is
  // compared in float32), as PyTorch casts before its kernel
  const common = bd.dtype === values.dtype ? bd.dtype : resultTypeOf(bd, values);
  if (common === bool) throw new RuntimeError(`"searchsorted_out_cpu" not implemented for 'Bool'`);
  const b = bd.detach().to(common)._values(), v = values.detach().to(common)._values();
  const st = sorter ? sorter._values() : null;
  const inner = values.dim() === 0 ? 1 : values.shape[values.dim() - 1]!;
  const m = bd.shape[bd.dim() - 1]!;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    // (PyTorch's cus_lower_bound / cus_upper_bound: `!(mid >= val)` moves right, so NaN goes last)
    const startBd = bd.dim() === 1 ? 0 : Math.floor(i / inner) * m;
    let lo = startBd, hi = startBd + m;
    const val = v[i]!;
    while (lo < hi) {
      const mid = lo + ((hi - lo) >> 1);
      const mv = st ? b[st[mid]! + startBd]! : b[mid]!;
      if (isRight ? !(mv > val) : !(mv >= val)) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo - startBd;
  }
  return tensorOf(out, values.shape, outDtype);
}

/** torch.bucketize(input, boundaries, *, out_int32=False, right=False): searchsorted over 1-d boundaries. */
export function bucketize(input: Tensor | number, boundaries: Tensor, opts: { outInt32?: boolean; right?: boolean } = {}): Tensor {
  if (boundaries.dim() !== 1) throw new RuntimeError(`boundaries tensor must be 1 dimension, but got dim(${boundaries.dim()})`);
  return searchsorted(boundaries, input, { outInt32: opts.outInt32 ?? false, right: opts.right ?? false });
}

// ---------------------------------------------------------------- unique, unique_consecutive

export interface UniqueOptions {
  sorted?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  dim?: number | null;
}
export interface UniqueConsecutiveOptions {
  returnInverse?: boolean;
  returnCounts?: boolean;
  dim?: number | null;
}
export type UniqueResult = Tensor | [Tensor, Tensor] | [Tensor, Tensor, Tensor];
/** What torch.unique returns for options O: the output, with the inverse and counts O asks for. */
export type UniqueReturn<O> = O extends { returnInverse: true }
  ? O extends { returnCounts: true } ? [Tensor, Tensor, Tensor] : [Tensor, Tensor]
  : O extends { returnCounts: true } ? [Tensor, Tensor] : O extends { returnInverse: boolean } | { returnCounts: boolean } ? UniqueResult : Tensor;

/** The form torch.unique returns: the output alone, or with the inverse and/or the counts. */
function uniqueResult(out: Tensor, inverse: Tensor, counts: Tensor, opts: { returnInverse?: boolean; returnCounts?: boolean }): UniqueResult {
  if (opts.returnInverse && opts.returnCounts) return [out, inverse, counts];
  if (opts.returnInverse) return [out, inverse];
  if (opts.returnCounts) return [out, counts];
  return out;
}

/** The node of an op PyTorch gives no derivative: backward raises NotImplementedError. */
function recordNoDerivative(name: string, aten: string, x: Tensor, out: Tensor): void {
  if (!needsGrad([x]) || !x.dtype.isFloatingPoint) return;
  recordN(name, [x], [out], () => {
    throw new NotImplementedError(`the derivative for '${aten}' is not implemented.`);
  });
}

/** A dim for unique / unique_consecutive: a 0-dim input has none (maybe_wrap_dim without wrap_scalar). */
function uniqueDimOf(x: Tensor, dim: number): number {
  if (x.dim() === 0) throw new IndexError(`Dimension specified as ${dim} but tensor has no dimensions`);
  return normalizeDim(dim, x.dim());
}

/**
 * torch.unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None): the distinct
 * values (or, with dim, the distinct slices along dim), with the inverse indices and counts asked for.
 * NOTE: PyTorch 1.13's CPU kernel collects the values in a std::unordered_set: with sorted=False they
 * come in that set's iteration order (replayed in stl_hash.ts); NaNs are all distinct, each with
 * inverse index 0 and count 0, as in PyTorch.
 */
export function unique(x: Tensor, opts: UniqueOptions = {}): UniqueResult {
  if (opts.dim !== undefined && opts.dim !== null) {
    const [out, inverse, counts] = uniqueDim(x, uniqueDimOf(x, opts.dim), false);
    recordNoDerivative("UniqueDimBackward0", "unique_dim", x, out);
    return uniqueResult(out, inverse, counts, opts);
  }
  const sorted = opts.sorted ?? true;
  const src = x._values();
  const n = src.length;
  // Equal values found once, by a stable sort (NaN last): groupOf[i] is element i's group (-1 for
  // NaN, equal to nothing), rep[g] the group's first element in input order, size[g] its count.
  const key = Float64Array.from(src), p = iota(new Int32Array(n));
  stl.setOrder(stl.plainKeys(key, stl.ASC));
  stl.stableSort(key, p);
  const groupOf = new Int32Array(n).fill(-1), rep: number[] = [], size: number[] = [];
  let nans = false;
  for (let j = 0; j < n; j++) {
    const id = p[j]!, v = src[id]!;
    if (v !== v) {
      nans = true;
      continue;
    }
    if (j === 0 || src[p[j - 1]!] !== v) {
      rep.push(id);
      size.push(0);
    }
    groupOf[id] = rep.length - 1;
    size[rep.length - 1]!++;
  }
  let order: number[];
  // (bool: PyTorch's kernel gives false then true, whichever occur; sorted without NaN: the groups'
  // order, ascending, whatever order the set had)
  if (x.dtype === bool || (sorted && !nans)) order = rep;
  else {
    const inserted = new Uint8Array(n);
    for (let i = 0; i < n; i++) inserted[i] = groupOf[i] === -1 || rep[groupOf[i]!] === i ? 1 : 0;
    order = unorderedSetOrder(src, inserted, x.dtype.isFloatingPoint ? (x.dtype === float32 ? "float32" : "float64") : "int");
    if (sorted) {
      // std::sort of the set's elements with a bare `<` (with NaNs, the result depends on the set's order)
      const k2 = Float64Array.from(order, (i) => src[i]!), q = Int32Array.from(order);
      stl.setOrder(stl.PLAIN);
      stl.stdSort(k2, q, 0, q.length);
      order = Array.from(q);
    }
  }
  const k = order.length;
  const outVals = new (arrayTypeFor(x.dtype))(k);
  const posOfGroup = new Int32Array(rep.length), cnt = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const id = order[i]!;
    outVals[i] = src[id]!;
    const g = groupOf[id]!;
    // (a NaN: PyTorch's map lookups find nothing for it: count 0, and inverse index 0 below)
    if (g >= 0) {
      posOfGroup[g] = i;
      cnt[i] = size[g]!;
    }
  }
  const inv = new Float64Array(n);
  for (let i = 0; i < n; i++) if (groupOf[i]! >= 0) inv[i] = posOfGroup[groupOf[i]!]!;
  const out = tensorOf(outVals, [k], x.dtype);
  recordNoDerivative("Unique2Backward0", "_unique2", x, out);
  return uniqueResult(out, tensorOf(inv, x.shape, int64), tensorOf(cnt, [k], int64), opts);
}

/**
 * PyTorch's _unique_dim_cpu_template: the slices along d as rows, sorted (std::sort, lexicographic
 * `<`) unless consecutive, runs of equal rows merged. Returns output, inverse (one per slice), counts.
 */
function uniqueDim(x: Tensor, d: number, consecutive: boolean): [Tensor, Tensor, Tensor] {
  const shape = x.shape;
  const zeros = shape.filter((s) => s === 0).length;
  if (shape[d] === 0) {
    if (zeros !== 1) throw new RuntimeError("Number of zero sized dimensions is more than one, so unique cannot be applied ");
    return [tensorOf([], shape, x.dtype), tensorOf([], [0], int64), tensorOf([], [0], int64)];
  }
  if (zeros !== 0) throw new RuntimeError("There are 0 sized dimensions, and they aren't selected, so unique cannot be applied");
  // rows: input.moveaxis(d, 0).contiguous().view(n, -1)
  const perm = [d, ...shape.map((_, i) => i).filter((i) => i !== d)];
  const moved = x.detach().permute(perm);
  const rows = moved._values();
  const n = shape[d]!, len = rows.length / n;
  const p = iota(new Int32Array(n));
  if (!consecutive) {
    stl.setRows(rows, len);
    stl.stdSort(new Float64Array(n), p, 0, n);
  }
  const rowEq = (a: number, b: number): boolean => {
    for (let i = 0; i < len; i++) if (!(rows[a * len + i] === rows[b * len + i])) return false;
    return true;
  };
  const kept: number[] = [p[0]!];
  const inv = new Float64Array(n), counts: number[] = [];
  let prev = 0;
  for (let j = 1; j < n; j++) {
    if (!rowEq(p[j]!, kept[kept.length - 1]!)) {
      kept.push(p[j]!);
      counts.push(j - prev);
      prev = j;
    }
    inv[p[j]!] = kept.length - 1;
  }
  counts.push(n - prev);
  const outVals = new (arrayTypeFor(x.dtype))(kept.length * len);
  kept.forEach((r, i) => outVals.set(rows.subarray(r * len, (r + 1) * len), i * len));
  // (PyTorch returns output.moveaxis(0, dim): the slices' memory order, not contiguous unless dim is 0)
  const movedShape = moved.shape;
  movedShape[0] = kept.length;
  const ms = contiguousStrides(movedShape);
  const back = shape.map((_, i) => perm.indexOf(i));
  const out = new Tensor(backend().fromValues(x.dtype, outVals), back.map((i) => movedShape[i]!), back.map((i) => ms[i]!), 0, x.dtype);
  return [out, tensorOf(inv, [n], int64), tensorOf(counts, [counts.length], int64)];
}

/**
 * torch.unique_consecutive(input, return_inverse=False, return_counts=False, dim=None): the input
 * with each run of equal consecutive values (or slices along dim) kept once.
 */
export function uniqueConsecutive(x: Tensor, opts: UniqueConsecutiveOptions = {}): UniqueResult {
  const dim = opts.dim;
  if (dim !== undefined && dim !== null && !(dim === 0 && x.dim() === 1)) {
    const [out, inverse, counts] = uniqueDim(x, uniqueDimOf(x, dim), true);
    recordNoDerivative("UniqueConsecutiveBackward0", "unique_consecutive", x, out);
    return uniqueResult(out, inverse, counts, opts);
  }
  const src = x._values();
  const n = src.length;
  const outVals: number[] = [], counts: number[] = [];
  const inv = new Float64Array(n);
  let last = 0;
  for (let i = 0; i < n; i++) {
    // (PyTorch compares with `!=`: each NaN starts a run)
    if (i === 0 || src[i] !== src[i - 1]) {
      if (i > 0) counts.push(i - last);
      last = i;
      outVals.push(src[i]!);
    }
    inv[i] = outVals.length - 1;
  }
  if (n > 0) counts.push(n - last);
  const out = tensorOf(outVals, [outVals.length], x.dtype);
  recordNoDerivative("UniqueConsecutiveBackward0", "unique_consecutive", x, out);
  const inverse = opts.returnInverse ? tensorOf(inv, x.shape, int64) : tensorOf([], [0], int64);
  return uniqueResult(out, inverse, tensorOf(counts, [counts.length], int64), opts);
}

for (const [n, g] of [
  ["sort", "SortBackward0"], ["topk", "TopkBackward0"], ["kthvalue", "KthvalueBackward0"], ["median", "MedianBackward0"],
  ["medianDim", "MedianBackward1"], ["nanmedian", "NanmedianBackward0"], ["nanmedianDim", "NanmedianBackward1"],
  ["mode", "ModeBackward0"], ["cummax", "CummaxBackward0"], ["cummin", "CumminBackward0"], ["logcumsumexp", "LogcumsumexpBackward0"],
] as const)
  registerOp(n, g);
registerOp("argsort", null, "integer result");
registerOp("searchsorted", null, "integer result");
registerOp("bucketize", null, "integer result");
registerOp("unique", "Unique2Backward0", "PyTorch has no derivative: backward raises NotImplementedError");
registerOp("uniqueConsecutive", "UniqueConsecutiveBackward0", "PyTorch has no derivative: backward raises NotImplementedError");
