/**
 * `torch.multinomial` on the CPU, bit for bit with PyTorch 1.13: the same generator draws and the
 * same indices, ties included.
 *
 * Sources followed (PyTorch 1.13): aten/src/ATen/native/Distributions.cpp (`multinomial_out`:
 * argument checks, the no-replacement fast path), aten/src/ATen/native/cpu/MultinomialKernel.cpp
 * (with replacement), aten/src/ATen/native/TopKImpl.h (topk on the CPU), and libstdc++'s
 * bits/stl_algo.h and bits/stl_heap.h (the std::sort, std::nth_element and std::partial_sort
 * that topk calls, reproduced below because their order among equal values shows in the result).
 *
 * ## What `torch.multinomial(p, k, replacement)` draws
 *
 * - Without replacement ("exponential race", PyTorch's fast path): `q = empty_like(p).exponential_(1)`,
 *   i.e. one 53-bit uniform per element of p in memory order (see `fillExponential`), rounded to
 *   p's dtype; then `q = p / q` in p's dtype, and per row `argmax(q)` when k == 1, else the
 *   indices of `topk(q, k)` (largest first). Nothing depends on k or the size except which sort
 *   topk uses (see `topkIndices`).
 * - With replacement: per row, the cumulative sum of the row in p's dtype, divided by its total
 *   (in p's dtype), the last entry forced to 1; then per sample ONE 53-bit uniform u (two uint32)
 *   and a binary search for the first slot whose cumulative value is >= u. Rows are done one
 *   after the other, so an invalid row throws after the rows before it have drawn.
 */

import { RuntimeError } from "../errors.js";
import { exponential, type FloatDType } from "./distributions.js";
import type { Generator } from "./generator.js";

const fr = Math.fround;
const TWO_32 = 2 ** 32;
const TWO_M53 = 2 ** -53;

/** `uniform_real_distribution<double>(0, 1)`: as in distributions.ts. */
function uniform53(gen: Generator): number {
  const hi = gen.engine.nextUint32();
  const lo = gen.engine.nextUint32();
  return ((hi & 0x1fffff) * TWO_32 + lo) * TWO_M53;
}

export interface MultinomialOptions {
  /** Draw with replacement (default false). */
  replacement?: boolean;
  /** The dtype of the weights: the sums and quotients are rounded to it (default "float32"). */
  dtype?: FloatDType;
  /**
   * The weights tensor is a transposed contiguous matrix (strides [1, rows]). PyTorch's
   * `empty_like` then gives q the same layout and fills it in memory order, i.e. column by
   * column. Only matters without replacement. Default false (row-major).
   */
  columnMajor?: boolean;
}

/** The largest consecutive integer of float32; PyTorch's limit on the number of categories. */
const FLOAT32_MAX_CONSECUTIVE_INT = 2 ** 24;

/**
 * `torch.multinomial(probs, numSamples, replacement)` for `rows` rows of `categories` weights
 * (row-major, a 1-D input being one row). Returns the sampled indices, row-major
 * (rows x numSamples), as doubles. Throws PyTorch's RuntimeErrors for invalid weights or counts;
 * the dimension and dtype checks belong to the caller, which knows the tensor.
 *
 * @example
 * ```ts
 * multinomial(new Generator(0), [1, 2, 3, 4], 1, 4, 2, { dtype: "float64" }); // Float64Array [2, 1]
 * ```
 */
export function multinomial(
  gen: Generator,
  probs: ArrayLike<number>,
  rows: number,
  categories: number,
  numSamples: number,
  options: MultinomialOptions = {},
): Float64Array {
  const replacement = options.replacement ?? false;
  const dtype = options.dtype ?? "float32";
  if (probs.length !== rows * categories) {
    throw new RangeError(`multinomial: ${probs.length} weights given for ${rows} rows of ${categories}`);
  }
  if (!Number.isInteger(numSamples) || numSamples <= 0) {
    throw new RuntimeError("cannot sample n_sample <= 0 samples");
  }
  if (!replacement && numSamples > categories) {
    throw new RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
  }
  if (categories > FLOAT32_MAX_CONSECUTIVE_INT) {
    throw new RuntimeError("number of categories cannot exceed 2^24");
  }
  const out = new Float64Array(rows * numSamples);
  if (out.length === 0) return out;
  const round = dtype === "float32" ? fr : (x: number) => x;
  if (replacement) {
    sampleWithReplacement(gen, probs, rows, categories, numSamples, round, out);
  } else {
    sampleWithoutReplacement(gen, probs, rows, categories, numSamples, dtype, options.columnMajor ?? false, out);
  }
  return out;
}

function sampleWithReplacement(
  gen: Generator,
  probs: ArrayLike<number>,
  rows: number,
  categories: number,
  numSamples: number,
  round: (x: number) => number,
  out: Float64Array,
): void {
  const cum = new Float64Array(categories);
  for (let i = 0; i < rows; i++) {
    const base = i * categories;
    // NOTE: the sum accumulates in the weights' dtype, left to right, and each partial sum is
    // stored: float32 weights give float32 cumulative values, as PyTorch's kernel keeps them.
    let sum = 0;
    for (let j = 0; j < categories; j++) {
      const val = round(probs[base + j]!);
      // NOTE: this check comes first, so NaN reports "< 0", as PyTorch's does.
      if (!(val >= 0)) {
        throw new RuntimeError("invalid multinomial distribution (encountering probability entry < 0)");
      }
      if (!Number.isFinite(val)) {
        throw new RuntimeError("invalid multinomial distribution (encountering probability entry = infinity or NaN)");
      }
      sum = round(sum + val);
      cum[j] = sum;
    }
    if (!(sum > 0)) throw new RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)");
    for (let j = 0; j < categories; j++) cum[j] = round(cum[j]! / sum);
    // NOTE: forcing the last bucket to 1 makes every u in [0, 1) land in a bucket despite
    // rounding; a zero-weight tail before it can still be hit only if its cumulative value
    // rounded below 1, as in PyTorch.
    cum[categories - 1] = 1;
    const o = i * numSamples;
    for (let s = 0; s < numSamples; s++) {
      const u = uniform53(gen);
      let left = 0;
      let right = categories;
      while (right - left > 0) {
        const mid = left + Math.floor((right - left) / 2);
        if (cum[mid]! < u) left = mid + 1;
        else right = mid;
      }
      out[o + s] = left;
    }
  }
}

function sampleWithoutReplacement(
  gen: Generator,
  probs: ArrayLike<number>,
  rows: number,
  categories: number,
  numSamples: number,
  dtype: FloatDType,
  columnMajor: boolean,
  out: Float64Array,
): void {
  const n = rows * categories;
  // NOTE: PyTorch checks `(p.max() < inf) & (p.min() >= 0)`; a NaN makes max() NaN, so it fails too.
  for (let i = 0; i < n; i++) {
    const v = probs[i]!;
    if (!(v >= 0 && v < Infinity)) {
      throw new RuntimeError("probability tensor contains either `inf`, `nan` or element < 0");
    }
  }
  // Then `p.sum(-1) == 0` for any row: with finite non-negative weights, a row of zeros.
  for (let i = 0; i < rows; i++) {
    let j = 0;
    while (j < categories && probs[i * categories + j] === 0) j++;
    if (j === categories) throw new RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)");
  }

  // q ~ Exp(1), one draw per element in memory order, rounded to the weights' dtype.
  const drawn = exponential(gen, n, dtype, 1);
  const q = new Float64Array(n);
  if (columnMajor) {
    for (let t = 0; t < n; t++) q[(t % rows) * categories + Math.floor(t / rows)] = drawn[t]!;
  } else {
    q.set(drawn);
  }
  // NOTE: argmax(p / q) is a sample of p (the Gumbel-max trick with exp applied: -log(u) is
  // Exp(1)); the top k of p / q are k samples without replacement. The quotient is rounded to
  // the weights' dtype, so ties and orders are those of PyTorch's float32 values.
  const round = dtype === "float32" ? fr : (x: number) => x;
  const row = new Float64Array(categories);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < categories; j++) row[j] = round(round(probs[i * categories + j]!) / q[i * categories + j]!);
    if (numSamples === 1) {
      out[i] = argmax(row);
    } else {
      const top = topkIndices(row, numSamples);
      for (let s = 0; s < numSamples; s++) out[i * numSamples + s] = top[s]!;
    }
  }
}

/** `argmax` along a row: the first maximum, a NaN counting as the maximum (the first NaN wins). */
function argmax(v: Float64Array): number {
  let best = 0;
  let bv = v[0]!;
  if (bv !== bv) return 0;
  for (let j = 1; j < v.length; j++) {
    const x = v[j]!;
    if (x !== x) return j;
    if (x > bv) {
      bv = x;
      best = j;
    }
  }
  return best;
}

// ------------------------------------------------------------------------------------------
// topk, as PyTorch's CPU kernel orders it
// ------------------------------------------------------------------------------------------

/** topk's "largest" order: NaN first, then greater values. */
function before(a: number, b: number): boolean {
  return (a !== a && b === b) || a > b;
}

/**
 * The indices of `torch.topk(v, k, largest=True, sorted=True)` for one row, in PyTorch's order.
 *
 * NOTE: PyTorch's CPU topk (`topk_impl_loop`) pairs each value with its index and, when
 * k * 64 <= n, calls `std::partial_sort` on the first k; otherwise `std::nth_element` at k - 1
 * and then `std::sort` of the first k - 1. None of these is stable, so among equal values (for
 * multinomial: the zero weights, once k exceeds the positive ones) the order is whatever
 * libstdc++'s algorithms leave; the functions below follow libstdc++ step by step to leave the
 * same one.
 */
export function topkIndices(v: ArrayLike<number>, k: number): Int32Array {
  const n = v.length;
  const q = new Int32Array(n);
  for (let j = 0; j < n; j++) q[j] = j;
  if (k === 0) return q.subarray(0, 0);
  const s = new StlSort(v, q);
  if (k * 64 <= n) {
    s.partialSort(0, k, n);
  } else {
    s.nthElement(0, k - 1, n);
    s.sort(0, k - 1);
  }
  return q.subarray(0, k);
}

/**
 * The indices of `torch.sort(v, descending=True)` (stable=False) for one row, in PyTorch's order:
 * its CPU kernel runs libstdc++'s std::sort over (value, index) pairs with the same "NaN first,
 * then greater" comparison as topk, so among equal values the order is std::sort's (stable below
 * 17 elements, where introsort leaves the range to insertion sort).
 */
export function sortIndicesDescending(v: ArrayLike<number>): Int32Array {
  const q = new Int32Array(v.length);
  for (let j = 0; j < v.length; j++) q[j] = j;
  new StlSort(v, q).sort(0, v.length);
  return q;
}

/** floor(log2(n)) for n >= 1 (libstdc++'s `std::__lg`). */
function lg(n: number): number {
  return 31 - Math.clz32(n);
}

/** C++ integer division (truncates toward zero). */
function idiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

/** libstdc++'s `_S_threshold`: introsort leaves ranges this short to insertion sort. */
const S_THRESHOLD = 16;

/**
 * libstdc++'s std::sort, std::nth_element and std::partial_sort over the positions q[first..last)
 * of an index array, comparing `v[q[i]]` with `before`. Moving an index moves its (value, index)
 * pair, as the C++ code moves pairs.
 */
class StlSort {
  constructor(
    private readonly v: ArrayLike<number>,
    private readonly q: Int32Array,
  ) {}

  private val(pos: number): number {
    return this.v[this.q[pos]!]!;
  }

  private swap(a: number, b: number): void {
    const q = this.q;
    const t = q[a]!;
    q[a] = q[b]!;
    q[b] = t;
  }

  /** std::sort */
  sort(first: number, last: number): void {
    if (first === last) return;
    this.introsortLoop(first, last, lg(last - first) * 2);
    this.finalInsertionSort(first, last);
  }

  /** std::nth_element */
  nthElement(first: number, nth: number, last: number): void {
    if (first === last || nth === last) return;
    let depth = lg(last - first) * 2;
    while (last - first > 3) {
      if (depth === 0) {
        this.heapSelect(first, nth + 1, last);
        this.swap(first, nth);
        return;
      }
      depth--;
      const cut = this.unguardedPartitionPivot(first, last);
      if (cut <= nth) first = cut;
      else last = cut;
    }
    this.insertionSort(first, last);
  }

  /** std::partial_sort */
  partialSort(first: number, middle: number, last: number): void {
    this.heapSelect(first, middle, last);
    this.sortHeap(first, middle);
  }

  private introsortLoop(first: number, last: number, depth: number): void {
    while (last - first > S_THRESHOLD) {
      if (depth === 0) {
        this.partialSort(first, last, last);
        return;
      }
      depth--;
      const cut = this.unguardedPartitionPivot(first, last);
      this.introsortLoop(cut, last, depth);
      last = cut;
    }
  }

  private unguardedPartitionPivot(first: number, last: number): number {
    const mid = first + idiv(last - first, 2);
    this.moveMedianToFirst(first, first + 1, mid, last - 1);
    return this.unguardedPartition(first + 1, last, first);
  }

  private moveMedianToFirst(result: number, a: number, b: number, c: number): void {
    const va = this.val(a);
    const vb = this.val(b);
    const vc = this.val(c);
    if (before(va, vb)) {
      if (before(vb, vc)) this.swap(result, b);
      else if (before(va, vc)) this.swap(result, c);
      else this.swap(result, a);
    } else if (before(va, vc)) this.swap(result, a);
    else if (before(vb, vc)) this.swap(result, c);
    else this.swap(result, b);
  }

  private unguardedPartition(first: number, last: number, pivot: number): number {
    const pv = this.val(pivot); // the pivot sits outside [first, last) and does not move
    for (;;) {
      while (before(this.val(first), pv)) first++;
      last--;
      while (before(pv, this.val(last))) last--;
      if (!(first < last)) return first;
      this.swap(first, last);
      first++;
    }
  }

  private finalInsertionSort(first: number, last: number): void {
    if (last - first > S_THRESHOLD) {
      this.insertionSort(first, first + S_THRESHOLD);
      for (let i = first + S_THRESHOLD; i < last; i++) this.unguardedLinearInsert(i);
    } else {
      this.insertionSort(first, last);
    }
  }

  private insertionSort(first: number, last: number): void {
    if (first === last) return;
    const q = this.q;
    for (let i = first + 1; i < last; i++) {
      if (before(this.val(i), this.val(first))) {
        const x = q[i]!;
        q.copyWithin(first + 1, first, i);
        q[first] = x;
      } else {
        this.unguardedLinearInsert(i);
      }
    }
  }

  private unguardedLinearInsert(last: number): void {
    const q = this.q;
    const x = q[last]!;
    const xv = this.v[x]!;
    let next = last - 1;
    while (before(xv, this.val(next))) {
      q[last] = q[next]!;
      last = next;
      next--;
    }
    q[last] = x;
  }

  // Heaps (bits/stl_heap.h): a max-heap under `before` on q[first..first+len).

  private heapSelect(first: number, middle: number, last: number): void {
    this.makeHeap(first, middle);
    for (let i = middle; i < last; i++) {
      if (before(this.val(i), this.val(first))) this.popHeap(first, middle, i);
    }
  }

  private sortHeap(first: number, last: number): void {
    while (last - first > 1) {
      last--;
      this.popHeap(first, last, last);
    }
  }

  private makeHeap(first: number, last: number): void {
    const len = last - first;
    if (len < 2) return;
    let parent = idiv(len - 2, 2);
    for (;;) {
      this.adjustHeap(first, parent, len, this.q[first + parent]!);
      if (parent === 0) return;
      parent--;
    }
  }

  private popHeap(first: number, last: number, result: number): void {
    const q = this.q;
    const x = q[result]!;
    q[result] = q[first]!;
    this.adjustHeap(first, 0, last - first, x);
  }

  private adjustHeap(first: number, hole: number, len: number, x: number): void {
    const q = this.q;
    const top = hole;
    let second = hole;
    while (second < idiv(len - 1, 2)) {
      second = 2 * (second + 1);
      if (before(this.val(first + second), this.val(first + second - 1))) second--;
      q[first + hole] = q[first + second]!;
      hole = second;
    }
    if ((len & 1) === 0 && second === idiv(len - 2, 2)) {
      second = 2 * (second + 1);
      q[first + hole] = q[first + second - 1]!;
      hole = second - 1;
    }
    // __push_heap
    const xv = this.v[x]!;
    let parent = idiv(hole - 1, 2);
    while (hole > top && before(this.val(first + parent), xv)) {
      q[first + hole] = q[first + parent]!;
      hole = parent;
      parent = idiv(hole - 1, 2);
    }
    q[first + hole] = x;
  }
}
