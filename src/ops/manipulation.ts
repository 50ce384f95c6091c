// Everyday tensor manipulation (issue 10): flips and rolls, triangles, repeats, diagonals, grids,
// cross products and distances, closeness tests (the scaled matrix products baddbmm, addmv and
// addbmm are in scaled_matmul.ts). Each op records PyTorch 1.13's grad_fn; forwards are computed
// under noGrad from views and existing kernels, backwards are written with tensor ops so that
// double backward works.
import { record } from "../autograd/function.js";
import { noGrad } from "../autograd/grad_mode.js";
import { bool, float64, getDefaultDtype, int32, int64, type DType } from "../tensor/dtype.js";
import { broadcastShapes, contiguousStrides, normalizeDim, numelOf } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { IndexError, NotImplementedError, RuntimeError, ValueError } from "../errors.js";
import { cppDouble } from "../random/distributions.js";
import { backend, fromStorage, scalarTensor } from "./core.js";
import * as ew from "./elementwise.js";
import { indexSelect } from "./indexing.js";
import { cat, clone, diagonal, embed, flip, narrow, slice, transpose } from "./views.js";

/** A dim of x for ops that take no dim of a 0-dim tensor (PyTorch's size(dim) without wrap_scalar). */
export function wrapDim(dim: number, ndim: number): number {
  if (ndim === 0) throw new IndexError(`Dimension specified as ${dim} but tensor has no dimensions`);
  return normalizeDim(dim, ndim);
}

/** A new zero-filled contiguous tensor. */
export function zerosOf(shape: readonly number[], dtype: DType): Tensor {
  return fromStorage(backend().alloc(dtype, numelOf(shape)), shape, dtype);
}

/** Where x is finite (every element of an integer or bool tensor is). Not differentiable. */
function isfinite(x: Tensor): Tensor {
  return noGrad(() => (x.dtype.isFloatingPoint ? x.eq(x).logicalAnd(x.abs().ne(Infinity)) : x.new_zeros(x.shape).eq(0)));
}

// ------------------------------------------------------------------------------------ flips, rolls

/** torch.fliplr: x flipped along dim 1 (x must have at least 2 dims). */
export function fliplr(x: Tensor): Tensor {
  if (x.dim() < 2) throw new RuntimeError("Input must be >= 2-d.");
  return flip(x, [1]);
}

/** torch.flipud: x flipped along dim 0 (x must have at least 1 dim). */
export function flipud(x: Tensor): Tensor {
  if (x.dim() < 1) throw new RuntimeError("Input must be >= 1-d.");
  return flip(x, [0]);
}

/** One dim of a roll, no graph: the last k entries along d moved to the front. */
function rollDim(x: Tensor, d: number, shift: number): Tensor {
  const n = x.shape[d]!;
  const k = ((shift % n) + n) % n;
  if (k === 0) return clone(x);
  return cat([narrow(x, d, n - k, k), narrow(x, d, 0, n - k)], d);
}

/**
 * torch.roll: x with its entries shifted along dims (wrapping around); with no dims, x is rolled as
 * if flattened and given back its shape. One RollBackward0 node, whose backward rolls back.
 * @example
 * torch.roll(torch.tensor([1, 2, 3, 4]), 1); // tensor([4., 1., 2., 3.])
 */
export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[] | null): Tensor {
  const sh = typeof shifts === "number" ? [shifts] : [...shifts];
  const ds = dims === undefined || dims === null ? [] : typeof dims === "number" ? [dims] : [...dims];
  if (sh.length !== 1 || ds.length !== 1) {
    // PyTorch's roll_common
    if (!sh.length) throw new RuntimeError("`shifts` required");
    if (!(ds.length === 0 && sh.length === 1) && sh.length !== ds.length)
      throw new RuntimeError(`shifts and dimensions must align. shifts: ${sh.length}, dims:${ds.length}`);
  }
  const y = noGrad(() => {
    if (ds.length === 0) {
      const flat = x.reshape([-1]);
      return flat.numel() ? rollDim(flat, 0, sh[0]!).reshape(x.shape) : clone(x);
    }
    // (as PyTorch's roll_cpu: an empty tensor is cloned before its dim is looked at)
    if (ds.length === 1 && x.numel() === 0) return clone(x);
    let r = x;
    ds.forEach((d, i) => {
      const w = wrapDim(d, x.dim());
      r = x.numel() === 0 ? r : rollDim(r, w, sh[i]!);
    });
    return r === x ? clone(x) : r;
  });
  return record("RollBackward0", [x], y, (g) => [roll(g, sh.map((s) => -s), ds)]);
}

/**
 * torch.rot90: x rotated by 90 degrees k times in the plane of dims, from the first dim towards the
 * second. One Rot90Backward0 node (its backward rotates back); as PyTorch, an odd k gives a transposed
 * (non-contiguous) result.
 */
export function rot90(x: Tensor, k = 1, dims: readonly number[] = [0, 1]): Tensor {
  const n = x.dim();
  if (dims.length !== 2) throw new RuntimeError(`expected total rotation dims == 2, but got dims = ${dims.length}`);
  if (n < 2) throw new RuntimeError(`expected total dims >= 2, but got total dims = ${n}`);
  const [d0, d1] = dims as [number, number];
  if (d0 === d1 || Math.abs(d0 - d1) === n) throw new RuntimeError(`expected rotation dims to be different, but got dim0 = ${d0} and dim1 = ${d1}`);
  if (!(d0 < n && d0 >= -n)) throw new RuntimeError(`Rotation dim0 out of range, dim0 = ${d0}`);
  if (!(d1 < n && d1 >= -n)) throw new RuntimeError(`Rotation dim1 out of range, dim1 = ${d1}`);
  const r = (4 + (k % 4)) % 4;
  const a = normalizeDim(d0, n), b = normalizeDim(d1, n);
  const y = noGrad(() => {
    if (r === 1) return transpose(flip(x, [b]), a, b);
    if (r === 2) return flip(x, [a, b]);
    if (r === 3) return transpose(flip(x, [a]), a, b);
    return clone(x);
  });
  return record("Rot90Backward0", [x], y, (g) => [rot90(g, -k, dims)]);
}

// ------------------------------------------------------------------------------------ triangles

function triangle(x: Tensor, k: number, lower: boolean): Tensor {
  // (PyTorch returns an empty input, of any rank, before its dim checks)
  if (x.numel() === 0) return record(lower ? "TrilBackward0" : "TriuBackward0", [x], noGrad(() => x.clone()), (g) => [g]);
  if (x.dim() === 0) throw new IndexError("Dimension specified as -2 but tensor has no dimensions");
  normalizeDim(-2, x.dim()); // (PyTorch's words for a 1-d input)
  const R = x.shape[x.dim() - 2]!, C = x.shape[x.dim() - 1]!;
  // the entries to zero: above diagonal k (tril) or below it (triu)
  const drop = new Uint8Array(R * C);
  for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) drop[i * C + j] = (lower ? j - i > k : j - i < k) ? 1 : 0;
  const mask = fromStorage(backend().fromValues(bool, drop), [R, C], bool);
  const y = noGrad(() => ew.maskedFill(x, mask, 0));
  return record(lower ? "TrilBackward0" : "TriuBackward0", [x], y, (g) => [triangle(g, k, lower)]);
}

/** torch.tril: the lower triangle of the last two dims (entries with j - i <= diagonal), zeros elsewhere. */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangle(x, diagonal, true);
}

/** torch.triu: the upper triangle of the last two dims (entries with j - i >= diagonal), zeros elsewhere. */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangle(x, diagonal, false);
}

// ------------------------------------------------------------------------------------ repeats

/**
 * Tensor.repeat: x tiled `repeats[i]` times along each dim (x first given leading dims of size 1
 * up to repeats' length). One copy of a strided view that reads x with stride 0 along each repeat.
 */
export function repeat(x: Tensor, repeats: readonly number[]): Tensor {
  if (repeats.length < x.dim())
    throw new RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
  const pad = repeats.length - x.dim();
  const padded = [...new Array<number>(pad).fill(1), ...x.shape];
  const target = padded.map((s, i) => s * repeats[i]!);
  const neg = target.find((t) => t < 0);
  if (neg !== undefined) throw new RuntimeError(`Trying to create tensor with negative dimension ${neg}: [${target.join(", ")}]`);
  // x read as [r0, s0, r1, s1, ...] (stride 0 along each r), written to a contiguous [r0*s0, r1*s1, ...]
  const split = padded.flatMap((s, i) => [repeats[i]!, s]);
  const xs = x.strides;
  const reads = padded.flatMap((_, i) => [0, i < pad ? 0 : xs[i - pad]!]);
  const y = zerosOf(target, x.dtype);
  if (y.numel())
    backend().copy(
      { storage: x._storage, dtype: x.dtype, shape: split, strides: reads, offset: x._offset },
      { storage: y._storage, dtype: x.dtype, shape: split, strides: contiguousStrides(split), offset: 0 },
    );
  const shape = x.shape;
  return record("RepeatBackward0", [x], y, (g) => {
    // PyTorch's repeat_backward, step for step (its node names under create_graph): the leading
    // repeats summed away one by one, then each repeated dim split into (repeat, size) and summed
    if (repeats.includes(0)) return [g.newZeros(shape)];
    let gg = g;
    for (let i = 0; i < pad; i++) gg = gg.sum(0);
    const gradSize: number[] = [], sumDims: number[] = [];
    shape.forEach((n, dim) => {
      const r = repeats[dim + pad]!;
      if (r !== 1) {
        gradSize.push(r);
        sumDims.push(gradSize.length - 1);
      }
      gradSize.push(n);
    });
    gg = gg.reshape(gradSize);
    return [sumDims.length ? gg.sum(sumDims) : gg];
  });
}

/** torch.tile: repeat, with `dims` padded by leading 1s when x has more dims. */
export function tile(x: Tensor, dims: readonly number[]): Tensor {
  const diff = x.dim() - dims.length;
  return repeat(x, diff > 0 ? [...new Array<number>(diff).fill(1), ...dims] : dims);
}

/**
 * The one-argument torch.repeat_interleave(repeats): index i repeated repeats[i] times, in the dtype
 * of repeats (int64 or int32).
 */
function repeatIndices(repeats: Tensor, outputSize?: number | null): Tensor {
  if (repeats.dtype !== int64 && repeats.dtype !== int32)
    throw new RuntimeError(`"repeat_interleave_cpu" not implemented for '${repeats.dtype.scalarName}'`);
  if (repeats.dim() !== 1) throw new RuntimeError("repeat_interleave only accept 1D vector as repeat");
  const r = repeats._values();
  let total = 0;
  for (let i = 0; i < r.length; i++) {
    if (r[i]! < 0) throw new RuntimeError("repeats can not be negative");
    total += r[i]!;
  }
  if (outputSize !== undefined && outputSize !== null && outputSize !== total && r.length)
    throw new RuntimeError("allocated size does not match required size");
  const out = new Float64Array(total);
  let k = 0;
  for (let i = 0; i < r.length; i++) for (let j = 0; j < r[i]!; j++) out[k++] = i;
  return fromStorage(backend().fromValues(repeats.dtype, out), [total], repeats.dtype);
}

/**
 * torch.repeat_interleave: each entry of x along dim repeated (an int, or a tensor of counts per
 * entry); with no dim, x is flattened first. `repeatInterleave(repeats)` alone (a 1-d integer tensor)
 * gives the indices 0, 0, 1, ... that the two-argument form selects with (index_select:
 * IndexSelectBackward0).
 * @example
 * torch.repeatInterleave(torch.tensor([1, 2]), 2); // tensor([1., 1., 2., 2.])
 * torch.repeatInterleave(torch.tensor([1, 2], { dtype: torch.int64 })); // tensor([0, 1, 1])
 */
export function repeatInterleave(input: Tensor, repeats?: number | Tensor | null, dim?: number | null, opts: { outputSize?: number | null } = {}): Tensor {
  if (repeats === undefined || repeats === null) return repeatIndices(input, opts.outputSize);
  if (typeof repeats === "number") {
    // PyTorch makes a one-element int64 tensor of it
    repeats = fromStorage(backend().fromValues(int64, [repeats]), [1], int64);
  }
  const x = dim === undefined || dim === null ? input.flatten() : input;
  const d = dim === undefined || dim === null ? 0 : dim;
  let reps = repeats;
  if (repeats.dim() === 0 || (repeats.dim() === 1 && repeats.shape[0] === 1)) {
    const n = x.shape[wrapDim(d, x.dim())]!;
    reps = repeats.reshape([1]).expand([n]);
  } else if (repeats.dim() === 1) {
    if (repeats.shape[0] !== x.shape[wrapDim(d, x.dim())]) throw new RuntimeError("repeats must have the same size as input along dim");
  } else throw new RuntimeError("repeats must be 0-dim or 1-dim tensor");
  const idx = repeatIndices(reps, opts.outputSize);
  return indexSelect(x, d, idx.dtype === int64 ? idx : idx.to(int64));
}

// ------------------------------------------------------------------------------------ diagonals

/**
 * torch.diag: a 1-d x becomes the square matrix with x on diagonal `diagonal` (above the main one
 * when positive); a 2-d x gives that diagonal as a new 1-d tensor. DiagBackward0.
 */
export function diag(x: Tensor, diagonal_ = 0): Tensor {
  const k = diagonal_;
  if (x.dim() === 1) {
    const n = x.shape[0]! + Math.abs(k);
    const y = zerosOf([n, n], x.dtype);
    if (x.numel()) noGrad(() => backend().copy(x._view(), diagonal(y, k)._view()));
    return record("DiagBackward0", [x], y, (g) => [g.diagonal(k)]);
  }
  if (x.dim() === 2) {
    const [R, C] = x.shape as [number, number];
    // NOTE: PyTorch 1.13 sizes the result before looking at it: an offset past the matrix by more than
    // one overflows its numel check
    if ((k >= 0 ? Math.min(R, C - k) : Math.min(R + k, C)) < 0) throw new RuntimeError("numel: integer multiplication overflow");
    const y = noGrad(() => clone(diagonal(x, k)));
    const xs = x.shape;
    return record("DiagBackward0", [x], y, (g) => [embed(g, xs, (z) => diagonal(z, k), "DiagBackwardBackward0")]);
  }
  throw new RuntimeError("matrix or a vector expected");
}

/**
 * torch.diag_embed: a tensor whose diagonals (offset, over the new dims dim1 and dim2) hold the
 * last dim of x, zeros elsewhere. DiagEmbedBackward0.
 */
export function diagEmbed(x: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  const nd = x.dim() + 1;
  const d1 = normalizeDim(dim1, nd), d2 = normalizeDim(dim2, nd);
  if (d1 === d2) throw new RuntimeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const m = x.shape[x.dim() - 1]! + Math.abs(offset);
  const shape = x.shape.slice(0, -1);
  shape.splice(Math.min(d1, d2), 0, m);
  shape.splice(Math.max(d1, d2), 0, m);
  const y = zerosOf(shape, x.dtype);
  if (x.numel()) noGrad(() => backend().copy(x._view(), diagonal(y, offset, d1, d2)._view()));
  return record("DiagEmbedBackward0", [x], y, (g) => [g.diagonal(offset, d1, d2)]);
}

/**
 * torch.trace: the sum of the main diagonal of a matrix (integers give int64). TraceBackward0.
 * NOTE: as PyTorch's CPU kernel, the sum is accumulated in double (acc_type of float on the CPU)
 * and rounded once to the result dtype.
 */
export function trace(x: Tensor): Tensor {
  // (PyTorch dispatches on the dtype first: a bool tensor of any rank fails there)
  if (x.dtype === bool) throw new RuntimeError(`"trace" not implemented for 'Bool'`);
  if (x.dim() !== 2) throw new RuntimeError(`trace: expected a matrix, but got tensor with dim ${x.dim()}`);
  const v = noGrad(() => diagonal(x))._values();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  const dt = x.dtype.isFloatingPoint ? x.dtype : int64;
  const y = fromStorage(backend().fromValues(dt, [s]), [], dt);
  // NOTE: PyTorch 1.13's trace_backward fills every (cols + 1)-th entry of the flattened gradient,
  // which for a matrix with more rows than columns reaches past the diagonal (a 4x2 matrix's (3, 0)
  // gets the gradient too); the same entries here, so that gradients agree with PyTorch's
  const xs = x.shape, N = numelOf(xs), step = xs[1]! + 1, k = Math.ceil(N / step);
  return record("TraceBackward0", [x], y, (g) => [embed(g.expand([k]), [N], (z) => slice(z, 0, 0, N, step), "TraceBackwardBackward0").reshape(xs)]);
}

// ------------------------------------------------------------------------------------ grids

export type MeshgridOptions = { indexing?: "ij" | "xy" };
let meshgridWarned = false;

/**
 * torch.meshgrid: for n 0-d or 1-d tensors, n grids of shape [len0, len1, ...] (indexing "ij"), or
 * with the first two dims swapped (indexing "xy", NumPy's default). Each grid is a view of its input
 * (ExpandBackward0). As PyTorch 1.13, an omitted indexing means "ij" with a one-time warning.
 * @example
 * const [gx, gy] = torch.meshgrid(torch.tensor([1, 2]), torch.tensor([3, 4, 5]), { indexing: "ij" });
 */
export function meshgrid(...args: (Tensor | readonly Tensor[] | MeshgridOptions)[]): Tensor[] {
  let opts: MeshgridOptions = {};
  const last = args[args.length - 1];
  if (last !== undefined && !(last instanceof Tensor) && !Array.isArray(last)) {
    opts = last as MeshgridOptions;
    args = args.slice(0, -1);
  }
  const tensors = args.flatMap((a) => (a instanceof Tensor ? [a] : (a as readonly Tensor[])));
  if (!tensors.length) throw new RuntimeError("meshgrid expects a non-empty TensorList");
  if (tensors.some((t) => t.dtype !== tensors[0]!.dtype)) throw new RuntimeError("meshgrid expects all tensors to have the same dtype");
  let indexing = opts.indexing;
  if (indexing === undefined) {
    if (!meshgridWarned) {
      meshgridWarned = true;
      globalThis.console?.warn("UserWarning: torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.");
    }
    indexing = "ij";
  }
  if (indexing !== "ij" && indexing !== "xy")
    throw new RuntimeError(`torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${String(indexing)}`);
  const swap = indexing === "xy" && tensors.length >= 2;
  const ts = tensors.slice();
  if (swap) [ts[0], ts[1]] = [ts[1]!, ts[0]!];
  // NOTE: PyTorch prints the offending tensor with its C++ printer; typetorch appends its own printout
  for (const t of ts) if (t.dim() > 1) throw new RuntimeError(`torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: ${String(t)}`);
  const shape = ts.map((t) => t.numel());
  const grids = ts.map((t, i) => {
    const vs = shape.map((_, j) => (j === i ? -1 : 1));
    return t.view(vs).expand(shape);
  });
  if (swap) [grids[0], grids[1]] = [grids[1]!, grids[0]!];
  return grids;
}

// ------------------------------------------------------------------------------------ cross, cdist

/** torch.linalg.cross: the cross product along dim (size 3 in both), the batch dims broadcast. LinalgCrossBackward0. */
export function linalgCross(input: Tensor, other: Tensor, dim = -1): Tensor {
  if (input.dim() !== other.dim()) throw new RuntimeError("linalg.cross: inputs must have the same number of dimensions.");
  const d = wrapDim(dim, input.dim());
  if (input.shape[d] !== 3 || other.shape[d] !== 3)
    throw new RuntimeError(`linalg.cross: inputs dimension ${dim} must have length 3. Got ${input.shape[d]} and ${other.shape[d]}`);
  const shape = broadcastShapes(input.shape, other.shape);
  if (input.dtype !== other.dtype) throw new RuntimeError(`expected scalar type ${input.dtype.scalarName} but found ${other.dtype.scalarName}`);
  if (input.dtype === bool) throw new RuntimeError(`"cross" not implemented for 'Bool'`);
  const y = noGrad(() => {
    const a = input.expand(shape), b = other.expand(shape);
    const at = (t: Tensor, i: number) => narrow(t, d, i, 1);
    const [a0, a1, a2] = [at(a, 0), at(a, 1), at(a, 2)], [b0, b1, b2] = [at(b, 0), at(b, 1), at(b, 2)];
    return cat([a1.mul(b2).sub(a2.mul(b1)), a2.mul(b0).sub(a0.mul(b2)), a0.mul(b1).sub(a1.mul(b0))], d);
  });
  // (as PyTorch's node: each operand saved only for the other one's gradient)
  const saved: Tensor[] = [];
  const io = input.requiresGrad ? saved.push(other) - 1 : -1, ii = other.requiresGrad ? saved.push(input) - 1 : -1;
  return record("LinalgCrossBackward0", [input, other], y, (g, s, needs) => [
    needs(0) ? linalgCross(s(io), g, d) : null,
    needs(1) ? linalgCross(g, s(ii), d) : null,
  ], saved);
}

/**
 * torch.cross: linalg.cross along dim; with no dim (PyTorch 1.13's default), along the first dim of
 * input that has size 3.
 */
export function cross(input: Tensor, other: Tensor, dim?: number | null): Tensor {
  if (dim === undefined || dim === null) {
    const i = input.shape.indexOf(3);
    if (i < 0) throw new RuntimeError("no dimension of size 3 in input");
    dim = i;
  }
  return linalgCross(input, other, dim);
}

export type CdistComputeMode = "use_mm_for_euclid_dist_if_necessary" | "use_mm_for_euclid_dist" | "donot_use_mm_for_euclid_dist";

/**
 * PyTorch's _euclidean_dist: sqrt(|a|^2 - 2 a.b + |b|^2) by one batched matrix product, clamped
 * at 1e-30 before the root. EuclideanDistBackward0.
 */
function euclideanDist(x1: Tensor, x2: Tensor): Tensor {
  const y = noGrad(() => {
    const n1 = x1.pow(2).sum(-1, true), n2 = x2.pow(2).sum(-1, true);
    const a = cat([x1.mul(-2), n1, n1.newOnes(n1.shape)], -1);
    const b = cat([x2, n2.newOnes(n2.shape), n2], -1);
    return a.matmul(b.mT).clamp({ min: 1e-30 }).sqrt();
  });
  return record("EuclideanDistBackward0", [x1, x2], y, (g, s) => {
    const a = s(0), b = s(1), r = s(2);
    const ratio = g.div(r).maskedFill(r.eq(0), 0);
    return [a.mul(ratio.sum(-1, true)).sub(ratio.matmul(b)), b.mul(ratio.sum(-2).unsqueeze(-1)).sub(ratio.mT.matmul(a))];
  }, [x1, x2, y]);
}

/**
 * torch.cdist: the p-norm distances between the rows of x1 [..., P, M] and of x2 [..., R, M]
 * ([..., P, R]; batch dims broadcast). For p = 2 with more than 25 rows on a side (or compute mode
 * "use_mm_for_euclid_dist") PyTorch computes by matrix product, as here; otherwise one CdistBackward0
 * node over the direct differences.
 */
export function cdist(x1: Tensor, x2: Tensor, p = 2, computeMode: CdistComputeMode = "use_mm_for_euclid_dist_if_necessary"): Tensor {
  const modes: readonly string[] = ["use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist"];
  const mode = modes.indexOf(computeMode);
  if (mode < 0) throw new ValueError(`${String(computeMode)} is not a valid value for compute_mode`);
  if (x1.dim() < 2) throw new RuntimeError(`cdist only supports at least 2D tensors, X1 got: ${x1.dim()}D`);
  if (x2.dim() < 2) throw new RuntimeError(`cdist only supports at least 2D tensors, X2 got: ${x2.dim()}D`);
  const c = x1.shape[x1.dim() - 1]!;
  if (c !== x2.shape[x2.dim() - 1]) throw new RuntimeError(`X1 and X2 must have the same number of columns. X1: ${c} X2: ${x2.shape[x2.dim() - 1]}`);
  for (const [t, n] of [[x1, "X1"], [x2, "X2"]] as const)
    if (!t.dtype.isFloatingPoint) throw new RuntimeError(`cdist only supports floating-point dtypes, ${n} got: ${t.dtype.scalarName}`);
  if (!(p >= 0)) throw new RuntimeError("cdist only supports non-negative p values");
  const r1 = x1.shape[x1.dim() - 2]!, r2 = x2.shape[x2.dim() - 2]!;
  const batch = broadcastShapes(x1.shape.slice(0, -2), x2.shape.slice(0, -2));
  if (x1.dtype !== x2.dtype) throw new RuntimeError(`expected scalar type ${x1.dtype.scalarName} but found ${x2.dtype.scalarName}`);
  const outShape = [...batch, r1, r2];
  const empty = x1.numel() === 0 || x2.numel() === 0;
  if (!empty && p === 2 && (mode === 1 || (mode === 0 && (r1 > 25 || r2 > 25)))) {
    const nb = numelOf(batch);
    const a = x1.expand([...batch, r1, c]).reshape([nb, r1, c]), b = x2.expand([...batch, r2, c]).reshape([nb, r2, c]);
    return euclideanDist(a, b).view(outShape);
  }
  const y = numelOf(outShape) === 0 || c === 0 ? zerosOf(outShape, x1.dtype) : cdistKernel(x1, x2, batch, p);
  return record("CdistBackward0", [x1, x2], y, (g, s) => {
    const a = s(0), b = s(1), dist = s(2);
    const [ga, gb] = noGrad(() => {
      if (p === 0 || numelOf(outShape) === 0 || c === 0) return [a.newZeros(a.shape), b.newZeros(b.shape)];
      // NOTE: the differences a_i - b_j are made for a block of rows at a time (about 4M elements),
      // so that memory stays bounded as in PyTorch's kernel, which makes none
      const per = Math.max(1, Math.floor(2 ** 22 / Math.max(1, numelOf(batch) * r2 * c)));
      const parts: Tensor[] = [];
      let sumB: Tensor | null = null;
      for (let i = 0; i < r1; i += per) {
        const n = Math.min(per, r1 - i);
        const term = cdistBackwardTerm(narrow(g, -2, i, n), narrow(a, -2, i, n), b, narrow(dist, -2, i, n), p);
        parts.push(term.sum(-2));
        const tb = term.sum(-3);
        sumB = sumB ? sumB.add(tb) : tb;
      }
      return [parts.length === 1 ? parts[0]! : cat(parts, -2), sumB!.neg()];
    });
    // NOTE: as PyTorch 1.13, whose _cdist_backward has no derivative: the gradients are
    // CdistBackwardBackward0 nodes that raise when differentiated again
    const none = (): never => {
      throw new NotImplementedError("the derivative for '_cdist_backward' is not implemented.");
    };
    return [record("CdistBackwardBackward0", [g, a, b, dist], ga!, none), record("CdistBackwardBackward0", [g, b, a, dist], gb!, none)];
  }, [x1, x2, y]);
}

/**
 * The distances of the direct path, as PyTorch's CPU kernel: per pair of rows, the p-norm of their
 * difference (p = 0: the count of differing entries; inf: the largest), accumulated in double.
 */
function cdistKernel(x1: Tensor, x2: Tensor, batch: readonly number[], p: number): Tensor {
  const P = x1.shape[x1.dim() - 2]!, R = x2.shape[x2.dim() - 2]!, M = x1.shape[x1.dim() - 1]!, nb = numelOf(batch);
  const a = noGrad(() => x1.expand([...batch, P, M]))._values(), b = noGrad(() => x2.expand([...batch, R, M]))._values();
  const out = new Float64Array(nb * P * R);
  let o = 0;
  for (let n = 0; n < nb; n++)
    for (let i = 0; i < P; i++) {
      const ai = (n * P + i) * M;
      for (let j = 0; j < R; j++, o++) {
        const bj = (n * R + j) * M;
        let acc = 0;
        if (p === 0) for (let m = 0; m < M; m++) acc += a[ai + m]! - b[bj + m]! !== 0 ? 1 : 0;
        else if (p === 1) for (let m = 0; m < M; m++) acc += Math.abs(a[ai + m]! - b[bj + m]!);
        else if (p === 2) {
          for (let m = 0; m < M; m++) { const d = a[ai + m]! - b[bj + m]!; acc += d * d; }
          acc = Math.sqrt(acc);
        } else if (p === Infinity) for (let m = 0; m < M; m++) acc = Math.max(acc, Math.abs(a[ai + m]! - b[bj + m]!));
        else {
          for (let m = 0; m < M; m++) acc += Math.abs(a[ai + m]! - b[bj + m]!) ** p;
          acc = acc ** (1 / p);
        }
        out[o] = acc;
      }
    }
  return fromStorage(backend().fromValues(x1.dtype, out), [...batch, P, R], x1.dtype);
}

/**
 * PyTorch's _cdist_backward per element of diff = a_i - b_j ([..., P, R, M]), with its zeros where
 * the distance (or, for p < 1, the difference) is 0; written in tensor ops for double backward.
 */
function cdistBackwardTerm(g: Tensor, a: Tensor, b: Tensor, dist: Tensor, p: number): Tensor {
  const diff = a.unsqueeze(-2).sub(b.unsqueeze(-3));
  const d = dist.unsqueeze(-1), gg = g.unsqueeze(-1);
  if (p === 1) return gg.mul(diff.sign());
  if (p === 2) return gg.mul(diff).div(d).maskedFill(d.eq(0), 0);
  if (p === Infinity) return gg.mul(diff.sign()).mul(diff.abs().eq(d));
  if (p < 2) {
    const zero = p < 1 ? d.eq(0).logicalOr(diff.eq(0)) : d.eq(0);
    return diff.sign().mul(diff.abs().pow(p - 1)).mul(gg).div(d.pow(p - 1)).maskedFill(zero, 0);
  }
  return diff.mul(diff.abs().pow(p - 2)).mul(gg).div(d.pow(p - 1)).maskedFill(d.eq(0), 0);
}

// ------------------------------------------------------------------------------------ closeness

/**
 * torch.isclose: |a - b| <= atol + rtol * |b| elementwise (bool), equal infinities close, NaNs close
 * only with equalNan. As PyTorch, a and b must have one dtype and the error terms are computed in it
 * (in the default float dtype for integers' rtol * b).
 */
export function isclose(a: Tensor, b: Tensor, rtol = 1e-5, atol = 1e-8, equalNan = false): Tensor {
  if (a.dtype !== b.dtype) throw new RuntimeError(`${a.dtype.scalarName} did not match ${b.dtype.scalarName}`);
  if (!(rtol >= 0)) throw new RuntimeError(`rtol must be greater than or equal to zero, but got ${cppDouble(rtol)}`);
  if (!(atol >= 0)) throw new RuntimeError(`atol must be greater than or equal to zero, but got ${cppDouble(atol)}`);
  return noGrad(() => {
    let close = a.eq(b);
    if (equalNan && a.dtype.isFloatingPoint) close = close.logicalOr(a.isnan().logicalAnd(b.isnan()));
    // zero tolerances: an equality check (no false positive from inf - inf)
    if (rtol === 0 && atol === 0) return close;
    const ca = a.dtype === bool ? a.to(getDefaultDtype()) : a, cb = b.dtype === bool ? b.to(getDefaultDtype()) : b;
    // (rtol and atol are doubles: an integer b gives a float error bound, as PyTorch's Scalar does)
    const allowed = cb.mul(scalarTensor(rtol, float64)).abs().add(scalarTensor(atol, float64));
    const actual = ca.sub(cb).abs();
    return close.logicalOr(isfinite(actual).logicalAnd(actual.le(allowed)));
  });
}

/** torch.allclose: whether isclose holds everywhere (a JS boolean). */
export function allclose(a: Tensor, b: Tensor, rtol = 1e-5, atol = 1e-8, equalNan = false): boolean {
  return isclose(a, b, rtol, atol, equalNan).all().item() as unknown as boolean;
}

/**
 * torch.nan_to_num: NaN replaced by `nan`, +inf by `posinf` and -inf by `neginf` (by default the
 * dtype's largest and lowest finite values); integer and bool tensors come back as a copy.
 * NanToNumBackward0 (the gradient is 0 where x was not finite).
 */
export function nanToNum(x: Tensor, nan = 0, posinf?: number | null, neginf?: number | null): Tensor {
  if (!x.dtype.isFloatingPoint) return noGrad(() => clone(x));
  const big = x.dtype === float64 ? Number.MAX_VALUE : 3.4028234663852886e38;
  const hi = posinf ?? big, lo = neginf ?? -big;
  const v = x._values();
  for (let i = 0; i < v.length; i++) {
    const e = v[i]!;
    if (Number.isNaN(e)) v[i] = nan;
    else if (e === Infinity) v[i] = hi;
    else if (e === -Infinity) v[i] = lo;
  }
  const y = fromStorage(backend().fromValues(x.dtype, v), x.shape, x.dtype);
  return record("NanToNumBackward0", [x], y, (g, s) => [g.mul(isfinite(s(0)))], [x]);
}
