// Floating-point sum in PyTorch 1.13's CPU summation order, so that float32 (and float64) sums and
// means give PyTorch's bits. See docs/notes/float32-sum-order.md for the evidence.
//
// PyTorch's `sum` (aten/src/ATen/native/cpu/SumKernel.cpp, `cascade_sum`) accumulates in the input's
// own type (float32 adds for float32) but in a fixed, multi-level order:
// - TensorIterator first orders the dims (reduced dims innermost, then by input stride) and merges
//   dims that are contiguous with each other; the kernel sees 2-D planes [size0, size1].
// - Each plane is summed by one of four loops, chosen by the strides: a vectorised inner sum (the
//   reduced dim is contiguous), a vectorised outer sum (the kept dim is contiguous), or their scalar
//   versions. All of them are built from `multi_row_sum`, a cascade with 4 levels of accumulators
//   whose block size grows with the length, and `row_sum`, which interleaves 4 such accumulators.
// - The result of each plane is added to the output (which starts at 0).
// Vector widths are those of PyTorch's AVX2 (and default) build, 8 floats or 4 doubles, unless
// setSumCpuCapability("avx512") asks for 16 / 8.

import { fma64 } from "../../random/fma.js";

/** A float array the sum runs over; its element type decides the rounding of every add. */
export type FloatArray = Float32Array | Float64Array;

const NUM_LEVELS = 4;

/** Bytes of one Vectorized<T>: 32 in PyTorch's AVX2 and default builds, 64 in its AVX512 build. */
let vecBytes = 32;

/**
 * Which of PyTorch's CPU kernel builds the sums reproduce: "avx2" (what PyTorch 1.13 picks on x86
 * machines with AVX2, AVX512 ones included) and "default" (no AVX, `ATEN_CPU_CAPABILITY=default`)
 * both use 8-float / 4-double vectors; "avx512" (`ATEN_CPU_CAPABILITY=avx512`) 16 / 8, which changes
 * the order.
 */
export function setSumCpuCapability(c: "avx2" | "default" | "avx512"): void {
  if (c !== "avx2" && c !== "default" && c !== "avx512") throw new RangeError(`unknown CPU capability "${String(c)}"`);
  vecBytes = c === "avx512" ? 64 : 32;
}

let emulatedThreads = 1;

/**
 * How many intra-op threads the emulated PyTorch runs with (`torch.get_num_threads()`; 1 by
 * default, what PyTorch 1.13 picked on the 2-vCPU machine the fixtures come from). Reductions of at
 * least 32768 elements depend on it: PyTorch splits a full reduction into one contiguous chunk per
 * thread (each summed in the order below) and adds the chunk sums at the end, and splits other
 * reductions over a kept dim, which changes which outputs its loops take in blocks.
 */
export function setSumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setSumThreads: expected a positive integer, got ${n}`);
  emulatedThreads = n;
}
export function getSumThreads(): number {
  return emulatedThreads;
}

const GRAIN_SIZE = 32768;

/** ceil(log2(x)) for x > 2, else 1 (ATen's utils::CeilLog2: the bit length of x - 1). */
function ceilLog2(x: number): number {
  if (x <= 2) return 1;
  let v = x - 1;
  if (v < 2 ** 31) return 32 - Math.clz32(v);
  let n = 0;
  while (v >= 1) {
    v = Math.floor(v / 2);
    n++;
  }
  return n;
}

/** Scratch accumulators, reused between calls (4 levels x lanes). */
let scratch32 = new Float32Array(4 * 64);
let scratch64 = new Float64Array(4 * 64);
function scratchFor(f32: boolean, n: number): FloatArray {
  if (f32) {
    if (scratch32.length < n) scratch32 = new Float32Array(n);
    return scratch32;
  }
  if (scratch64.length < n) scratch64 = new Float64Array(n);
  return scratch64;
}

/**
 * ATen's `multi_row_sum`: sums `size` rows (row r starts at base + r * rowStride) of `nl` lanes
 * (lane k at offset lane[k]) into res[resOff..resOff + nl), each lane with its own cascade of 4
 * levels: level 0 takes `step` = 2^p rows (p = max(4, ceilLog2(size) / 4)), then is added into
 * level 1 and cleared; level j - 1 is carried on into level j while the row count is a multiple of
 * step^j. The rows left over go into level 0; at the end the levels are added in order 0 + 1 + 2 + 3.
 * NOTE: every add rounds to the input's type (Math.fround for float32), as PyTorch's do. The lanes
 * are independent, so each lane's level-0 run is summed in a register, lane after lane.
 */
function multiRowSum(
  x: FloatArray, base: number, rowStride: number, lane: Int32Array, nl: number, size: number,
  acc: FloatArray, res: FloatArray, resOff: number, f32: boolean,
): void {
  const levelPower = Math.max(4, Math.floor(ceilLog2(size) / NUM_LEVELS));
  const levelStep = 2 ** levelPower;
  acc.fill(0, 0, NUM_LEVELS * nl);
  // NOTE: levels never reached stay +0, and adding +0 changes nothing (a level-0 sum that starts
  // at +0 is never -0), so only levels up to `top` are added at the end.
  let top = 0;
  let i = 0;
  for (; i + levelStep <= size; i += levelStep) {
    const p0 = base + i * rowStride;
    if (f32) level0F32(x as Float32Array, p0, rowStride, lane, nl, levelStep, acc as Float32Array);
    else level0F64(x as Float64Array, p0, rowStride, lane, nl, levelStep, acc as Float64Array);
    const done = i + levelStep;
    for (let j = 1; j < NUM_LEVELS; j++) {
      const a = j * nl, b = (j - 1) * nl;
      for (let k = 0; k < nl; k++) {
        acc[a + k] = acc[a + k]! + acc[b + k]!;
        acc[b + k] = 0;
      }
      if (j > top) top = j;
      // (i & (mask << (j * levelPower))) != 0, without 32-bit shifts
      if (Math.floor(done / 2 ** (j * levelPower)) % levelStep !== 0) break;
    }
  }
  if (i < size) {
    if (f32) level0F32(x as Float32Array, base + i * rowStride, rowStride, lane, nl, size - i, acc as Float32Array);
    else level0F64(x as Float64Array, base + i * rowStride, rowStride, lane, nl, size - i, acc as Float64Array);
  }
  for (let j = 1; j <= top; j++) for (let k = 0; k < nl; k++) acc[k] = acc[k]! + acc[j * nl + k]!;
  for (let k = 0; k < nl; k++) res[resOff + k] = acc[k]!;
}

/**
 * acc[k] += the n rows of lane k, in row order (8 lanes at a time, each its own chain of adds, so
 * that the adds of different lanes overlap), rounding to float32 at every add.
 */
function level0F32(x: Float32Array, p0: number, rowStride: number, lane: Int32Array, nl: number, n: number, acc: Float32Array): void {
  let k = 0;
  for (; k + 8 <= nl; k += 8) {
    let a0 = acc[k + 0]!; let a1 = acc[k + 1]!; let a2 = acc[k + 2]!; let a3 = acc[k + 3]!; let a4 = acc[k + 4]!; let a5 = acc[k + 5]!; let a6 = acc[k + 6]!; let a7 = acc[k + 7]!;
    const o0 = lane[k + 0]!, o1 = lane[k + 1]!, o2 = lane[k + 2]!, o3 = lane[k + 3]!, o4 = lane[k + 4]!, o5 = lane[k + 5]!, o6 = lane[k + 6]!, o7 = lane[k + 7]!;
    for (let j = 0, p = p0; j < n; j++, p += rowStride) {
      a0 = Math.fround(a0 + x[p + o0]!);
      a1 = Math.fround(a1 + x[p + o1]!);
      a2 = Math.fround(a2 + x[p + o2]!);
      a3 = Math.fround(a3 + x[p + o3]!);
      a4 = Math.fround(a4 + x[p + o4]!);
      a5 = Math.fround(a5 + x[p + o5]!);
      a6 = Math.fround(a6 + x[p + o6]!);
      a7 = Math.fround(a7 + x[p + o7]!);
    }
    acc[k + 0] = a0; acc[k + 1] = a1; acc[k + 2] = a2; acc[k + 3] = a3; acc[k + 4] = a4; acc[k + 5] = a5; acc[k + 6] = a6; acc[k + 7] = a7;
  }
  for (; k + 4 <= nl; k += 4) {
    let a0 = acc[k + 0]!; let a1 = acc[k + 1]!; let a2 = acc[k + 2]!; let a3 = acc[k + 3]!;
    const o0 = lane[k + 0]!, o1 = lane[k + 1]!, o2 = lane[k + 2]!, o3 = lane[k + 3]!;
    for (let j = 0, p = p0; j < n; j++, p += rowStride) {
      a0 = Math.fround(a0 + x[p + o0]!);
      a1 = Math.fround(a1 + x[p + o1]!);
      a2 = Math.fround(a2 + x[p + o2]!);
      a3 = Math.fround(a3 + x[p + o3]!);
    }
    acc[k + 0] = a0; acc[k + 1] = a1; acc[k + 2] = a2; acc[k + 3] = a3;
  }
  for (; k < nl; k += 1) {
    let a0 = acc[k + 0]!;
    const o0 = lane[k + 0]!;
    for (let j = 0, p = p0; j < n; j++, p += rowStride) {
      a0 = Math.fround(a0 + x[p + o0]!);
    }
    acc[k + 0] = a0;
  }
}
/** level0F32 for float64. */
function level0F64(x: Float64Array, p0: number, rowStride: number, lane: Int32Array, nl: number, n: number, acc: Float64Array): void {
  let k = 0;
  for (; k + 8 <= nl; k += 8) {
    let a0 = acc[k + 0]!; let a1 = acc[k + 1]!; let a2 = acc[k + 2]!; let a3 = acc[k + 3]!; let a4 = acc[k + 4]!; let a5 = acc[k + 5]!; let a6 = acc[k + 6]!; let a7 = acc[k + 7]!;
    const o0 = lane[k + 0]!, o1 = lane[k + 1]!, o2 = lane[k + 2]!, o3 = lane[k + 3]!, o4 = lane[k + 4]!, o5 = lane[k + 5]!, o6 = lane[k + 6]!, o7 = lane[k + 7]!;
    for (let j = 0, p = p0; j < n; j++, p += rowStride) {
      a0 = a0 + x[p + o0]!;
      a1 = a1 + x[p + o1]!;
      a2 = a2 + x[p + o2]!;
      a3 = a3 + x[p + o3]!;
      a4 = a4 + x[p + o4]!;
      a5 = a5 + x[p + o5]!;
      a6 = a6 + x[p + o6]!;
      a7 = a7 + x[p + o7]!;
    }
    acc[k + 0] = a0; acc[k + 1] = a1; acc[k + 2] = a2; acc[k + 3] = a3; acc[k + 4] = a4; acc[k + 5] = a5; acc[k + 6] = a6; acc[k + 7] = a7;
  }
  for (; k + 4 <= nl; k += 4) {
    let a0 = acc[k + 0]!; let a1 = acc[k + 1]!; let a2 = acc[k + 2]!; let a3 = acc[k + 3]!;
    const o0 = lane[k + 0]!, o1 = lane[k + 1]!, o2 = lane[k + 2]!, o3 = lane[k + 3]!;
    for (let j = 0, p = p0; j < n; j++, p += rowStride) {
      a0 = a0 + x[p + o0]!;
      a1 = a1 + x[p + o1]!;
      a2 = a2 + x[p + o2]!;
      a3 = a3 + x[p + o3]!;
    }
    acc[k + 0] = a0; acc[k + 1] = a1; acc[k + 2] = a2; acc[k + 3] = a3;
  }
  for (; k < nl; k += 1) {
    let a0 = acc[k + 0]!;
    const o0 = lane[k + 0]!;
    for (let j = 0, p = p0; j < n; j++, p += rowStride) {
      a0 = a0 + x[p + o0]!;
    }
    acc[k + 0] = a0;
  }
}

/**
 * ATen's `row_sum` over `size` elements (element i at base + i * stride) of nw lanes each (lane w at
 * offset w): 4 interleaved cascades (element 4r + k into cascade k), the last size % 4 elements
 * added to cascade 0, then cascade 0 + 1 + 2 + 3. `lane` is laneOffsets(4, stride, nw).
 */
function rowSum(
  x: FloatArray, base: number, stride: number, lane: Int32Array, nw: number, size: number, f32: boolean, res: FloatArray,
): void {
  const sizeIlp = Math.floor(size / 4);
  const nl = 4 * nw;
  const part = f32 ? partial32 : partial64;
  multiRowSum(x, base, 4 * stride, lane, nl, sizeIlp, scratchFor(f32, NUM_LEVELS * nl), part, 0, f32);
  for (let i = sizeIlp * 4; i < size; i++) {
    const p = base + i * stride;
    for (let w = 0; w < nw; w++) part[w] = part[w]! + x[p + w]!;
  }
  for (let k = 1; k < 4; k++) for (let w = 0; w < nw; w++) part[w] = part[w]! + part[k * nw + w]!;
  for (let w = 0; w < nw; w++) res[w] = part[w]!;
}
const partial32 = new Float32Array(4 * 16);
const partial64 = new Float64Array(4 * 16);
const result32 = new Float32Array(64);
const result64 = new Float64Array(64);

const laneCache = new Map<string, Int32Array>();
/**
 * Offsets of nk groups of nw contiguous lanes, group k at k * kStride. Cached: small sums call this
 * several times each, and allocating it was their largest cost.
 */
function laneOffsets(nk: number, kStride: number, nw: number): Int32Array {
  const key = `${nk},${kStride},${nw}`;
  let l = laneCache.get(key);
  if (l) return l;
  l = new Int32Array(nk * nw);
  for (let k = 0; k < nk; k++) for (let w = 0; w < nw; w++) l[k * nw + w] = k * kStride + w;
  if (laneCache.size > 256) laneCache.clear();
  laneCache.set(key, l);
  return l;
}

/**
 * One call of cascade_sum's loop over a 2-D plane: size0 x size1 elements of x (strides is0, is1
 * from xBase), added into o (strides os0, os1 from oBase).
 */
function sumPlane(
  x: FloatArray, xBase: number, o: FloatArray, oBase: number,
  size0: number, size1: number, is0: number, is1: number, os0: number, os1: number, f32: boolean,
): void {
  // move the reduction to the first dim
  if (os0 !== 0 && os1 === 0) {
    [is0, is1] = [is1, is0];
    [os0, os1] = [os1, os0];
    [size0, size1] = [size1, size0];
  }
  if (os0 !== 0 && os1 !== 0) {
    // not a reduction: out += in, elementwise
    for (let j = 0; j < size1; j++)
      for (let i = 0; i < size0; i++) {
        const oi = oBase + i * os0 + j * os1;
        o[oi] = o[oi]! + x[xBase + i * is0 + j * is1]!;
      }
    return;
  }
  const W = vecBytes / (f32 ? 4 : 8);
  const res = f32 ? result32 : result64;
  const os = os1;
  if (is0 === 1 && size0 >= W) {
    // vectorized_inner_sum: each of the size1 rows is contiguous
    const nVec = Math.floor(size0 / W);
    const lane = laneOffsets(4, W, W);
    for (let j = 0; j < size1; j++) {
      const row = xBase + j * is1;
      rowSum(x, row, W, lane, W, nVec, f32, res);
      let fin = 0;
      if (f32) {
        for (let k = nVec * W; k < size0; k++) fin = Math.fround(fin + x[row + k]!);
        for (let k = 0; k < W; k++) fin = Math.fround(fin + res[k]!);
      } else {
        for (let k = nVec * W; k < size0; k++) fin += x[row + k]!;
        for (let k = 0; k < W; k++) fin += res[k]!;
      }
      o[oBase + j * os] = o[oBase + j * os]! + fin;
    }
  } else if (is1 === 1 && size1 >= W) {
    // vectorized_outer_sum: columns contiguous; blocks of 4 vectors, then vectors, then scalars
    const L = 4 * W;
    let j = 0;
    const acc = scratchFor(f32, NUM_LEVELS * L);
    const lane = laneOffsets(1, 0, L);
    for (; j + L <= size1; j += L) {
      multiRowSum(x, xBase + j, is0, lane, L, size0, acc, res, 0, f32);
      for (let k = 0; k < L; k++) o[oBase + (j + k) * os] = o[oBase + (j + k) * os]! + res[k]!;
    }
    const laneV = laneOffsets(4, is0, W), lane1 = laneOffsets(4, is0, 1);
    for (; j + W <= size1; j += W) {
      rowSum(x, xBase + j, is0, laneV, W, size0, f32, res);
      for (let k = 0; k < W; k++) o[oBase + (j + k) * os] = o[oBase + (j + k) * os]! + res[k]!;
    }
    for (; j < size1; j++) {
      rowSum(x, xBase + j, is0, lane1, 1, size0, f32, res);
      o[oBase + j * os] = o[oBase + j * os]! + res[0]!;
    }
  } else if (is0 < is1) {
    // scalar_inner_sum
    const lane1 = laneOffsets(4, is0, 1);
    for (let j = 0; j < size1; j++) {
      rowSum(x, xBase + j * is1, is0, lane1, 1, size0, f32, res);
      o[oBase + j * os] = o[oBase + j * os]! + res[0]!;
    }
  } else {
    // scalar_outer_sum: 4 outputs at a time through one cascade each, the rest one by one
    let j = 0;
    const acc = scratchFor(f32, NUM_LEVELS * 4);
    const lane = laneOffsets(4, is1, 1), lane1 = laneOffsets(4, is0, 1);
    for (; j + 3 < size1; j += 4) {
      multiRowSum(x, xBase + j * is1, is0, lane, 4, size0, acc, res, 0, f32);
      for (let k = 0; k < 4; k++) o[oBase + (j + k) * os] = o[oBase + (j + k) * os]! + res[k]!;
    }
    for (; j < size1; j++) {
      rowSum(x, xBase + j * is1, is0, lane1, 1, size0, f32, res);
      o[oBase + j * os] = o[oBase + j * os]! + res[0]!;
    }
  }
}

interface IterDims {
  shape: number[];
  is: number[];
  os: number[];
  reduced: boolean[];
}

/**
 * TensorIterator's reorder_dimensions comparison of dims d0 and d1 (1: swap them); os are the output
 * strides of the kept dims. NOTE: a top-level function, not a closure: small sums run this per call.
 */
function shouldSwap(
  d0: number, d1: number, red: ReadonlySet<number>, os: readonly number[], shape: readonly number[], strides: readonly number[],
): number {
  // output operand: reduced dims (stride 0) go first
  const o0 = red.has(d0) ? 0 : os[d0]!, o1 = red.has(d1) ? 0 : os[d1]!;
  if ((o0 === 0) !== (o1 === 0)) return o1 === 0 ? 1 : -1;
  if (o0 !== 0 && o1 !== 0) {
    if (o0 < o1) return -1;
    if (o0 > o1) return 1;
    if (shape[d0]! > shape[d1]!) return 1;
  }
  const s0 = strides[d0]!, s1 = strides[d1]!;
  if (s0 !== 0 && s1 !== 0) {
    if (s0 < s1) return -1;
    if (s0 > s1) return 1;
    if (shape[d0]! > shape[d1]!) return 1;
  }
  return 0;
}

/**
 * The dims of TensorIterator's reduction iterator, fastest first: reduced dims moved innermost,
 * then ordered by output and input strides (`reorder_dimensions`), then merged where contiguous for
 * both operands (`coalesce_dimensions`). The output is contiguous over the kept dims.
 * NOTE: size-1 dims are dropped first; TensorIterator would merge them into a neighbour anyway.
 */
function iterationDims(shape: readonly number[], strides: readonly number[], dims: readonly number[]): IterDims {
  const nd = shape.length;
  const red = new Set(dims);
  const os = new Array<number>(nd).fill(0);
  let run = 1;
  for (let d = nd - 1; d >= 0; d--) {
    if (red.has(d)) continue;
    os[d] = run;
    run *= shape[d]!;
  }
  const keep: number[] = [];
  for (let d = 0; d < nd; d++) if (shape[d] !== 1) keep.push(d);
  // perm[0] is the fastest dim; start from the reversed dim order
  const perm = keep.slice().reverse();
  for (let i = 1; i < perm.length; i++) {
    let dim1 = i;
    for (let dim0 = i - 1; dim0 >= 0; dim0--) {
      const c = shouldSwap(perm[dim0]!, perm[dim1]!, red, os, shape, strides);
      if (c > 0) {
        [perm[dim0], perm[dim1]] = [perm[dim1]!, perm[dim0]!];
        dim1 = dim0;
      } else if (c < 0) break;
    }
  }
  const out: IterDims = { shape: [], is: [], os: [], reduced: [] };
  for (const d of perm) {
    const n = out.shape.length - 1;
    const s = shape[d]!, si = strides[d]!, so = red.has(d) ? 0 : os[d]!;
    if (n >= 0 && out.shape[n]! * out.is[n]! === si && out.shape[n]! * out.os[n]! === so) {
      out.shape[n] = out.shape[n]! * s;
    } else {
      out.shape.push(s);
      out.is.push(si);
      out.os.push(so);
      out.reduced.push(red.has(d));
    }
  }
  return out;
}

/**
 * TensorIterator's serial_for_each over the linear range [begin, end) of the iteration space: calls
 * step(xBase, oBase, size0, size1) on the largest pieces that stay inside one 2-D plane (partial
 * rows at the ends of the range).
 */
function serialForEach(
  it: IterDims, xOff: number, oOff: number, begin: number, end: number,
  step: (xb: number, ob: number, size0: number, size1: number) => void,
): void {
  const nd = it.shape.length;
  if (nd === 0) {
    if (end > begin) step(xOff, oOff, 1, 1);
    return;
  }
  const shape = it.shape, is = it.is, os = it.os;
  const s0 = shape[0]!, s1 = nd > 1 ? shape[1]! : 1;
  const vals = new Array<number>(nd).fill(0);
  let rem = begin;
  for (let d = 0; d < nd; d++) {
    vals[d] = rem % shape[d]!;
    rem = Math.floor(rem / shape[d]!);
  }
  let offset = begin;
  while (offset < end) {
    let xb = xOff, ob = oOff;
    for (let d = 0; d < nd; d++) {
      xb += vals[d]! * is[d]!;
      ob += vals[d]! * os[d]!;
    }
    const step0 = Math.min(s0 - vals[0]!, end - offset);
    let step1 = 1;
    if (step0 === s0 && nd > 1) step1 = Math.min(s1 - vals[1]!, Math.floor((end - offset) / s0));
    step(xb, ob, step0, step1);
    offset += step0 * step1;
    if (step1 === 1) {
      vals[0] = vals[0]! + step0;
      if (vals[0]! >= s0) {
        vals[0] = vals[0]! - s0;
        carry(vals, shape, 1, 1);
      }
    } else {
      vals[0] = 0;
      carry(vals, shape, 1, step1);
    }
  }
}

function forEachPlane(
  it: IterDims, x: FloatArray, xOff: number, o: FloatArray, oOff: number, begin: number, end: number, f32: boolean,
): void {
  const nd = it.shape.length;
  const is0 = it.is[0] ?? 0, os0 = it.os[0] ?? 0, is1 = nd > 1 ? it.is[1]! : 0, os1 = nd > 1 ? it.os[1]! : 0;
  serialForEach(it, xOff, oOff, begin, end, (xb, ob, size0, size1) =>
    sumPlane(x, xb, o, ob, size0, size1, is0, is1, os0, os1, f32));
}
function carry(vals: number[], shape: number[], from: number, by: number): void {
  let overflow = by;
  for (let d = from; d < shape.length && overflow > 0; d++) {
    const v = vals[d]! + overflow;
    if (v >= shape[d]!) {
      overflow = 1;
      vals[d] = v - shape[d]!;
    } else {
      overflow = 0;
      vals[d] = v;
    }
  }
}

/**
 * Sum of x (shape, strides, offset over `xs`) over `dims`, into a new contiguous array of the kept
 * dims, in PyTorch 1.13's order. `out` is the output dtype's array constructor; the input is read as
 * it is (a float32 input summed into float64 is what PyTorch does after casting, which is exact).
 */
export function cascadeSum(
  xs: FloatArray, shape: readonly number[], strides: readonly number[], offset: number,
  dims: readonly number[], out: FloatArray,
): void {
  const f32 = out instanceof Float32Array;
  let x = xs;
  if (f32 !== (xs instanceof Float32Array)) {
    // NOTE: PyTorch casts the input to the output dtype first (self.to(dtype)); copy it over
    // (keeping strides) so every add rounds in the output's type.
    x = f32 ? new Float32Array(xs) : new Float64Array(xs);
  }
  let numel = 1;
  for (const s of shape) numel *= s;
  if (numel === 0) return;
  if (out.length === 1 && (numel < GRAIN_SIZE || emulatedThreads === 1) && isDense(shape, strides)) {
    // everything reduced over contiguous data: the iterator coalesces to one dim [numel], stride 1
    // (what iterationDims + serialForEach give, without their per-call setup: small sums are common)
    sumPlane(x, offset, out, 0, numel, 1, 1, 0, 0, 0, f32);
    return;
  }
  const it = iterationDims(shape, strides, dims);
  if (numel < GRAIN_SIZE || emulatedThreads === 1) {
    forEachPlane(it, x, offset, out, 0, 0, numel, f32);
    return;
  }
  if (out.length === 1) {
    // two_pass_reduction: one contiguous chunk of the iteration range per thread, each summed
    // into its own buffer, then the buffers summed like a length-`threads` tensor.
    const threads = Math.min(emulatedThreads, Math.ceil(numel / GRAIN_SIZE));
    const chunk = Math.ceil(numel / threads);
    const buf = f32 ? new Float32Array(emulatedThreads) : new Float64Array(emulatedThreads);
    for (let t = 0; t < threads; t++) {
      const b = t * chunk;
      if (b < numel) forEachPlane(it, x, offset, buf, t, b, Math.min(numel, b + chunk), f32);
    }
    forEachPlane({ shape: [emulatedThreads], is: [1], os: [0], reduced: [true] }, buf, 0, out, 0, 0, emulatedThreads, f32);
    return;
  }
  // parallel_dim_reduction: one range of a kept dim per thread (rounded to 128-byte column blocks
  // when that dim is contiguous), each summed as its own, narrower iterator. Every output keeps its
  // own sum, but where a range starts decides which outputs the vectorised and scalar outer sums
  // take in blocks (of 4 vectors, of 4 outputs) and which one by one.
  const nd = it.shape.length;
  let split = nd - 1;
  for (let d = nd - 1, best = nd - 1; d >= 0 && !it.reduced[d]; d--) {
    if (it.shape[d]! >= emulatedThreads) {
      split = d;
      break;
    }
    if (it.shape[d]! > it.shape[best]!) best = d;
    split = best;
  }
  const cols = it.shape[split]!;
  const round = it.is[split] === 1 ? 128 / (f32 ? 4 : 8) : 1;
  const threads = Math.min(emulatedThreads, cols);
  const chunk = Math.ceil(cols / threads);
  for (let t = 0; t < threads; t++) {
    let begin = t * chunk;
    if (begin >= cols) break;
    let end = Math.min(cols, begin + chunk);
    begin -= begin % round;
    if (end !== cols) end -= end % round;
    if (begin === end) continue;
    const shape = it.shape.slice();
    shape[split] = end - begin;
    const sub: IterDims = { shape, is: it.is, os: it.os, reduced: it.reduced };
    let n = 1;
    for (const s of shape) n *= s;
    forEachPlane(sub, x, offset + begin * it.is[split]!, out, begin * it.os[split]!, 0, n, f32);
  }
}

/** Whether strides are the contiguous row-major ones for shape (size-1 dims may have any stride). */
function isDense(shape: readonly number[], strides: readonly number[]): boolean {
  let run = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] === 1) continue;
    if (strides[d] !== run) return false;
    run *= shape[d]!;
  }
  return true;
}

/**
 * PyTorch 1.13's var/std over all elements (`std_var_all_cpu`): the mean as PyTorch's `mean` gives it
 * (float32 for float32 input), then the sum of (x - mean)^2 in float64, element by element in
 * iteration order (one running sum per thread chunk), divided by max(0, n - correction); the square
 * root for std; rounded to the input's type at the end.
 */
export function varAll(
  xs: FloatArray, shape: readonly number[], strides: readonly number[], offset: number, correction: number, takeSqrt: boolean,
): number {
  const f32 = xs instanceof Float32Array;
  let numel = 1;
  for (const s of shape) numel *= s;
  const all = shape.map((_, i) => i);
  const s = f32 ? new Float32Array(1) : new Float64Array(1);
  cascadeSum(xs, shape, strides, offset, all, s);
  const mean = f32 ? Math.fround(s[0]! / Math.fround(numel)) : s[0]! / numel;
  // iteration order of a one-input TensorIterator: dims by stride, merged where contiguous
  const it = iterationDims(shape, strides, all);
  const nd = it.shape.length;
  const is0 = it.is[0] ?? 0, is1 = nd > 1 ? it.is[1]! : 0;
  const sq = (begin: number, end: number): number => {
    // NOTE: each 2-D piece is summed into a local sum that is then added to the thread's sum.
    let total = 0;
    serialForEach(it, offset, 0, begin, end, (xb, _ob, size0, size1) => {
      let local = 0;
      for (let j = 0; j < size1; j++)
        for (let i = 0, p = xb + j * is1; i < size0; i++, p += is0) {
          const dx = xs[p]! - mean;
          local += dx * dx;
        }
      total += local;
    });
    return total;
  };
  let sum: number;
  if (numel <= GRAIN_SIZE || emulatedThreads === 1) sum = sq(0, numel);
  else {
    const threads = Math.min(emulatedThreads, Math.ceil(numel / GRAIN_SIZE));
    const chunk = Math.ceil(numel / threads);
    sum = 0;
    for (let t = 0; t < threads; t++) {
      const b = t * chunk;
      sum += b < numel ? sq(b, Math.min(numel, b + chunk)) : 0;
    }
  }
  const v = sum / Math.max(0, numel - correction);
  const r = takeSqrt ? Math.sqrt(v) : v;
  return f32 ? Math.fround(r) : r;
}

/**
 * PyTorch 1.13's var/std over some dims (`std_var_kernel_impl`: `binary_kernel_reduce` with
 * WelfordOps, accumulating in float64): for each output, Welford's update over its elements in
 * iteration order (`mean += (x - mean) / n; m2 += (x - mean_old) * (x - mean_new)`), then
 * m2 / max(0, n - correction), its square root for std, rounded to the input's type.
 * NOTE: the m2 update is one fused multiply-add: GCC contracts `m2 + d * d2` in the AVX2 build.
 * Writes the kept dims contiguously into `out`. The thread count does not matter here: with more
 * than one output PyTorch gives each thread whole outputs.
 */
export function varDims(
  xs: FloatArray, shape: readonly number[], strides: readonly number[], offset: number, dims: readonly number[],
  correction: number, takeSqrt: boolean, out: FloatArray,
): void {
  const it = iterationDims(shape, strides, dims);
  // reduced dims come first (fastest) in the iterator; kept dims after them
  const rShape: number[] = [], rStr: number[] = [], kShape: number[] = [], kIs: number[] = [], kOs: number[] = [];
  it.shape.forEach((s, d) => {
    if (it.os[d] === 0) {
      rShape.push(s);
      rStr.push(it.is[d]!);
    } else {
      kShape.push(s);
      kIs.push(it.is[d]!);
      kOs.push(it.os[d]!);
    }
  });
  let nRed = 1;
  for (const s of rShape) nRed *= s;
  let nOut = 1;
  for (const s of kShape) nOut *= s;
  const f32 = out instanceof Float32Array;
  const rIdx = new Array<number>(rShape.length).fill(0);
  const kIdx = new Array<number>(kShape.length).fill(0);
  for (let o = 0; o < nOut; o++) {
    let xb = offset, ob = 0;
    for (let d = 0; d < kShape.length; d++) {
      xb += kIdx[d]! * kIs[d]!;
      ob += kIdx[d]! * kOs[d]!;
    }
    let mean = 0, m2 = 0;
    rIdx.fill(0);
    let p = xb;
    for (let i = 0; i < nRed; i++) {
      const v = xs[p]!;
      const delta = v - mean;
      mean = mean + delta / (i + 1);
      m2 = fma64(delta, v - mean, m2);
      for (let d = 0; d < rShape.length; d++) {
        p += rStr[d]!;
        if (++rIdx[d]! < rShape[d]!) break;
        p -= rStr[d]! * rShape[d]!;
        rIdx[d] = 0;
      }
    }
    const divisor = nRed > correction ? nRed - correction : 0;
    const v = m2 / divisor;
    const r = takeSqrt ? Math.sqrt(v) : v;
    out[ob] = f32 ? Math.fround(r) : r;
    for (let d = 0; d < kShape.length; d++) {
      if (++kIdx[d]! < kShape[d]!) break;
      kIdx[d] = 0;
    }
  }
}
