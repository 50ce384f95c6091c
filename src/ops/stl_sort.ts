// The sorting algorithms of GNU libstdc++ (GCC 12, bits/stl_algo.h and bits/stl_heap.h), step for
// step: std::sort (introsort), std::partial_sort, std::nth_element, plus a stable merge sort and the
// Sedgewick quickselect of PyTorch's kthvalue (aten/src/ATen/native/Sorting.cpp).
// NOTE: PyTorch 1.13's CPU kernels call these with comparators that only look at the value, so among
// equal values the indices come out in whatever order the algorithm leaves them (torch.sort without
// stable, topk, kthvalue, mode). Doing the same moves in the same order is the only way to return
// the same indices for ties; a different (even a "better") algorithm would return other indices.
//
// Each algorithm permutes, in lockstep, a Float64Array `v` of keys and an Int32Array `p` of element
// ids (as PyTorch's kernels move (value, index) pairs): comparisons read keys next to each other, not
// through the ids. One module-level comparator `less` serves every order, so that V8 inlines it.

/** Ascending, NaN largest (PyTorch's KeyValueCompAsc; topk's smallest). */
export const ASC = 0;
/** Descending, NaN first (KeyValueCompDesc; topk's largest; kthvalue's gt_or_nan). */
export const DESC = 1;
/** The bare `a < b` of mode's std::sort and median's std::nth_element (NaN compares false). */
export const PLAIN = 2;
/** By value, then by id, NaN last: median / nanmedian along a dim (a total order). */
export const VALUE_INDEX = 3;
/** Rows of a matrix compared lexicographically with `<` and `>` (unique with a dim). */
export const ROWS = 4;
export type Order = typeof ASC | typeof DESC | typeof PLAIN | typeof VALUE_INDEX | typeof ROWS;

let ORDER: Order = ASC;
let ROW_DATA: ArrayLike<number> = new Float64Array(0);
let ROW_LEN = 0;
let V: Float64Array = new Float64Array(0);
let P: Int32Array = new Int32Array(0);

/** The order the next algorithm sorts by. */
export function setOrder(order: Order): void {
  ORDER = order;
}

/** For ROWS: row i is data[i * len .. (i + 1) * len). */
export function setRows(data: ArrayLike<number>, len: number): void {
  ROW_DATA = data;
  ROW_LEN = len;
  ORDER = ROWS;
}

/**
 * Rewrites ASC or DESC keys in place so that PLAIN's bare `<` orders them the same way (NaN as +inf
 * ascending; negated, NaN as -inf, descending), unless NaN and +inf both occur. Returns the order to
 * sort by. NOTE: the same comparisons give the same moves, and the bare `<` is the fast path.
 */
export function plainKeys(v: Float64Array, order: typeof ASC | typeof DESC): Order {
  let nan = false, inf = false;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x !== x) nan = true;
    else if (x === Infinity) inf = true;
  }
  keysHadNaN = nan;
  if (nan && inf) return order;
  if (order === ASC) {
    if (nan) for (let i = 0; i < v.length; i++) if (v[i] !== v[i]) v[i] = Infinity;
  } else for (let i = 0; i < v.length; i++) v[i] = v[i] !== v[i] ? -Infinity : -v[i]!;
  return PLAIN;
}

let keysHadNaN = false;
/** Whether the keys plainKeys last saw held a NaN (without one, sorted keys are the values, negated if DESC). */
export function hadNaN(): boolean {
  return keysHadNaN;
}

function rowsLess(a: number, b: number): boolean {
  const d = ROW_DATA, n = ROW_LEN;
  for (let i = 0; i < n; i++) {
    const x = d[a * n + i]!, y = d[b * n + i]!;
    if (x < y) return true;
    if (x > y) return false;
  }
  return false;
}

/** The comparator: is element (x, key x, id a) before (y, id b)? */
function less(x: number, a: number, y: number, b: number): boolean {
  switch (ORDER) {
    case PLAIN:
      return x < y;
    case ASC:
      return x < y || (y !== y && x === x);
    case DESC:
      return x > y || (x !== x && y === y);
    case VALUE_INDEX:
      return x < y || (x === y && a < b) || (y !== y && x === x);
    default:
      return rowsLess(a, b);
  }
}

/** Compares the elements at positions i and j. */
function lessAt(i: number, j: number): boolean {
  return less(V[i]!, P[i]!, V[j]!, P[j]!);
}

/** std::__lg: floor(log2(n)) for n > 0. */
function lg(n: number): number {
  return 31 - Math.clz32(n);
}

function swap(i: number, j: number): void {
  const t = P[i]!;
  P[i] = P[j]!;
  P[j] = t;
  const u = V[i]!;
  V[i] = V[j]!;
  V[j] = u;
}

function moveMedianToFirst(result: number, a: number, b: number, c: number): void {
  if (lessAt(a, b)) {
    if (lessAt(b, c)) swap(result, b);
    else if (lessAt(a, c)) swap(result, c);
    else swap(result, a);
  } else if (lessAt(a, c)) swap(result, a);
  else if (lessAt(b, c)) swap(result, c);
  else swap(result, b);
}

function unguardedPartition(first: number, last: number, pivot: number): number {
  const pv = V[pivot]!, pi = P[pivot]!;
  for (;;) {
    while (less(V[first]!, P[first]!, pv, pi)) ++first;
    --last;
    while (less(pv, pi, V[last]!, P[last]!)) --last;
    if (!(first < last)) return first;
    swap(first, last);
    ++first;
  }
}

function unguardedPartitionPivot(first: number, last: number): number {
  const mid = first + ((last - first) >> 1);
  moveMedianToFirst(first, first + 1, mid, last - 1);
  return unguardedPartition(first + 1, last, first);
}

function unguardedLinearInsert(last: number): void {
  const v = V[last]!, id = P[last]!;
  let next = last - 1;
  // (libstdc++ relies on a smaller element before; `next >= 0` only stops a read before the array)
  while (next >= 0 && less(v, id, V[next]!, P[next]!)) {
    V[last] = V[next]!;
    P[last] = P[next]!;
    last = next;
    --next;
  }
  V[last] = v;
  P[last] = id;
}

function insertionSort(first: number, last: number): void {
  if (first === last) return;
  for (let i = first + 1; i !== last; ++i) {
    const v = V[i]!, id = P[i]!;
    if (less(v, id, V[first]!, P[first]!)) {
      V.copyWithin(first + 1, first, i);
      P.copyWithin(first + 1, first, i);
      V[first] = v;
      P[first] = id;
    } else unguardedLinearInsert(i);
  }
}

const THRESHOLD = 16;

function finalInsertionSort(first: number, last: number): void {
  if (last - first > THRESHOLD) {
    insertionSort(first, first + THRESHOLD);
    for (let i = first + THRESHOLD; i !== last; ++i) unguardedLinearInsert(i);
  } else insertionSort(first, last);
}

// ---------------------------------------------------------------- heaps (offsets relative to `first`)
function pushHeap(first: number, hole: number, top: number, v: number, id: number): void {
  let parent = ((hole - 1) / 2) | 0;
  while (hole > top && less(V[first + parent]!, P[first + parent]!, v, id)) {
    V[first + hole] = V[first + parent]!;
    P[first + hole] = P[first + parent]!;
    hole = parent;
    parent = ((hole - 1) / 2) | 0;
  }
  V[first + hole] = v;
  P[first + hole] = id;
}

function adjustHeap(first: number, hole: number, len: number, v: number, id: number): void {
  const top = hole;
  let second = hole;
  while (second < (((len - 1) / 2) | 0)) {
    second = 2 * (second + 1);
    if (lessAt(first + second, first + second - 1)) second--;
    V[first + hole] = V[first + second]!;
    P[first + hole] = P[first + second]!;
    hole = second;
  }
  if ((len & 1) === 0 && second === (((len - 2) / 2) | 0)) {
    second = 2 * (second + 1);
    V[first + hole] = V[first + second - 1]!;
    P[first + hole] = P[first + second - 1]!;
    hole = second - 1;
  }
  pushHeap(first, hole, top, v, id);
}

function popHeap(first: number, last: number, result: number): void {
  const v = V[result]!, id = P[result]!;
  V[result] = V[first]!;
  P[result] = P[first]!;
  adjustHeap(first, 0, last - first, v, id);
}

function makeHeap(first: number, last: number): void {
  if (last - first < 2) return;
  const len = last - first;
  let parent = ((len - 2) / 2) | 0;
  for (;;) {
    adjustHeap(first, parent, len, V[first + parent]!, P[first + parent]!);
    if (parent === 0) return;
    parent--;
  }
}

function heapSelect(first: number, middle: number, last: number): void {
  makeHeap(first, middle);
  for (let i = middle; i < last; ++i) if (lessAt(i, first)) popHeap(first, middle, i);
}

function sortHeap(first: number, last: number): void {
  while (last - first > 1) {
    --last;
    popHeap(first, last, last);
  }
}

function partialSortImpl(first: number, middle: number, last: number): void {
  heapSelect(first, middle, last);
  sortHeap(first, middle);
}

function introsortLoop(first: number, last: number, depth: number): void {
  while (last - first > THRESHOLD) {
    if (depth === 0) {
      partialSortImpl(first, last, last);
      return;
    }
    --depth;
    const cut = unguardedPartitionPivot(first, last);
    introsortLoop(cut, last, depth);
    last = cut;
  }
}

function introselect(first: number, nth: number, last: number, depth: number): void {
  while (last - first > 3) {
    if (depth === 0) {
      heapSelect(first, nth + 1, last);
      swap(first, nth);
      return;
    }
    --depth;
    const cut = unguardedPartitionPivot(first, last);
    if (cut <= nth) first = cut;
    else last = cut;
  }
  insertionSort(first, last);
}

function use(v: Float64Array, p: Int32Array): void {
  V = v;
  P = p;
}

/** std::sort over positions [first, last) of (v, p). */
export function stdSort(v: Float64Array, p: Int32Array, first: number, last: number): void {
  if (first === last) return;
  use(v, p);
  introsortLoop(first, last, lg(last - first) * 2);
  finalInsertionSort(first, last);
}

/** std::partial_sort(first, middle, last). */
export function stdPartialSort(v: Float64Array, p: Int32Array, first: number, middle: number, last: number): void {
  use(v, p);
  partialSortImpl(first, middle, last);
}

/** std::nth_element(first, nth, last). */
export function stdNthElement(v: Float64Array, p: Int32Array, first: number, nth: number, last: number): void {
  if (first === last || nth === last) return;
  use(v, p);
  introselect(first, nth, last, lg(last - first) * 2);
}

/**
 * A stable sort of all of (v, p) (std::stable_sort's result is fixed by the order alone): merges of
 * insertion-sorted runs that take from the right run only when strictly less.
 */
export function stableSort(v: Float64Array, p: Int32Array): void {
  const n = p.length;
  if (n < 2) return;
  use(v, p);
  const RUN = 16;
  for (let s = 0; s < n; s += RUN) insertionSortStable(s, Math.min(s + RUN, n));
  let sv: Float64Array = v, sp: Int32Array = p, dv: Float64Array = new Float64Array(n), dp: Int32Array = new Int32Array(n);
  for (let w = RUN; w < n; w *= 2) {
    for (let s = 0; s < n; s += 2 * w) {
      const m = Math.min(s + w, n), e = Math.min(s + 2 * w, n);
      let i = s, j = m, k = s;
      while (i < m && j < e) {
        if (less(sv[j]!, sp[j]!, sv[i]!, sp[i]!)) {
          dv[k] = sv[j]!;
          dp[k++] = sp[j++]!;
        } else {
          dv[k] = sv[i]!;
          dp[k++] = sp[i++]!;
        }
      }
      for (; i < m; i++, k++) {
        dv[k] = sv[i]!;
        dp[k] = sp[i]!;
      }
      for (; j < e; j++, k++) {
        dv[k] = sv[j]!;
        dp[k] = sp[j]!;
      }
    }
    [sv, dv] = [dv, sv];
    [sp, dp] = [dp, sp];
  }
  if (sp !== p) {
    p.set(sp);
    v.set(sv);
  }
}

/** Insertion sort that moves an element only past strictly greater ones. */
function insertionSortStable(s: number, e: number): void {
  for (let i = s + 1; i < e; i++) {
    const x = V[i]!, id = P[i]!;
    let j = i - 1;
    while (j >= s && less(x, id, V[j]!, P[j]!)) {
      V[j + 1] = V[j]!;
      P[j + 1] = P[j]!;
      j--;
    }
    V[j + 1] = x;
    P[j + 1] = id;
  }
}

/**
 * PyTorch's quick_select_template (Sedgewick's Program 2, median-of-three pivot) on (v, p) with
 * kthvalue's "greater, or NaN" (DESC's comparator): the k-th smallest (0-based) ends at position k.
 */
export function quickSelect(v: Float64Array, p: Int32Array, k: number): void {
  use(v, p);
  const gt = (x: number, y: number): boolean => (x !== x && y === y) || x > y;
  let L = 0, R = p.length - 1;
  for (;;) {
    if (R <= L) return;
    if (R === L + 1) {
      if (gt(V[L]!, V[R]!)) swap(L, R);
      return;
    }
    const mid = (L + R) >> 1;
    swap(mid, L + 1);
    if (gt(V[L + 1]!, V[R]!)) swap(L + 1, R);
    if (gt(V[L]!, V[R]!)) swap(L, R);
    if (gt(V[L + 1]!, V[L]!)) swap(L + 1, L);
    let i = L + 1, j = R;
    const piv = V[L]!;
    for (;;) {
      do i++;
      while (gt(piv, V[i]!));
      do j--;
      while (gt(V[j]!, piv));
      if (j < i) break;
      swap(i, j);
    }
    swap(L, j);
    if (j <= k) L = i;
    if (j >= k) R = j - 1;
  }
}
