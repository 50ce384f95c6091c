// Shape ops. Most are views that share storage (and the version counter) with their input, as in
// PyTorch; cat, stack, flip and clone copy.
import { record, recordN, viewNodes } from "../autograd/function.js";
import { isGradEnabled, noGrad } from "../autograd/grad_mode.js";
import { int64, type DType } from "../tensor/dtype.js";
import { checkExpand, inferSize, isContiguous, normalizeDim, normalizeDims, numelOf, shapesEqual, viewStrides } from "../tensor/shape.js";
import { CreationMeta, Tensor } from "../tensor/tensor.js";
import { IndexError, RuntimeError } from "../errors.js";
import { backend, fromStorage, resultTypeOf } from "./core.js";
import { registerOp } from "./table.js";

export type ViewFn = (t: Tensor) => Tensor;

/**
 * The gradient of a view that picks part of x (select, narrow, slicing): a zero tensor of x's shape
 * with the gradient written where the view looked. Differentiable: its own backward applies the view.
 */
export function embed(g: Tensor, shape: readonly number[], viewFn: ViewFn, name: string): Tensor {
  const z = fromStorage(backend().alloc(g.dtype, numelOf(shape)), shape, g.dtype);
  noGrad(() => {
    const region = viewFn(z);
    backend().copy(g._view(), region._view());
  });
  return record(name, [g], z, (gg) => [viewFn(gg)]);
}

function contiguousOrClone(x: Tensor): Tensor {
  return isContiguous(x.shape, x.strides) ? x : x.clone();
}

export function view(x: Tensor, shape: readonly number[]): Tensor {
  const s = inferSize(shape, x.numel());
  const st = viewStrides(x.shape, x.strides, s);
  if (!st)
    throw new RuntimeError(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
  const y = x._makeView(s, st, x._offset);
  return record("ViewBackward0", [x], y, (g) => [g.reshape(x.shape as number[])]);
}

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const s = inferSize(shape, x.numel());
  const st = viewStrides(x.shape, x.strides, s);
  if (st) {
    const y = x._makeView(s, st, x._offset);
    return record("ReshapeAliasBackward0", [x], y, (g) => [g.reshape(x.shape as number[])]);
  }
  // NOTE: the copy path is PyTorch's _unsafe_view of a clone: no view (an in-place op on it records
  // its own node, not CopySlices)
  const c = x.clone();
  const y = fromStorage(c._storage, s, c.dtype);
  return record("UnsafeViewBackward0", [c], y, (g) => [g.reshape(x.shape as number[])]);
}

export function flatten(x: Tensor, start = 0, end = -1): Tensor {
  if (x.dim() === 0) return x.reshape([1]);
  const s = normalizeDim(start, x.dim()), e = normalizeDim(end, x.dim());
  if (s > e) throw new RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim");
  if (s === e) return x;
  const shape = [...x.shape.slice(0, s), x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

export function transpose(x: Tensor, d0: number, d1: number, name = "TransposeBackward0"): Tensor {
  const n = x.dim();
  if (n === 0) return record(name, [x], x._makeView([], [], x._offset), (g) => [g]);
  const a = normalizeDim(d0, n), b = normalizeDim(d1, n);
  const shape = x.shape.slice(), strides = x.strides.slice();
  [shape[a], shape[b]] = [shape[b]!, shape[a]!];
  [strides[a], strides[b]] = [strides[b]!, strides[a]!];
  const y = x._makeView(shape, strides, x._offset);
  return record(name, [x], y, (g) => [g.transpose(a, b)]);
}

export function t(x: Tensor): Tensor {
  if (x.dim() > 2) throw new RuntimeError(`t() expects a tensor with <= 2 dimensions, but self is ${x.dim()}D`);
  if (x.dim() < 2) return record("TBackward0", [x], x._makeView(x.shape, x.strides, x._offset), (g) => [g]);
  return transpose(x, 0, 1, "TBackward0");
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const n = x.dim();
  if (dims.length !== n)
    throw new RuntimeError(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${n} is not equal to len(dims) = ${dims.length}`);
  const d = dims.map((i) => normalizeDim(i, n));
  if (new Set(d).size !== d.length) throw new RuntimeError("permute(): duplicate dims are not allowed.");
  const y = x._makeView(d.map((i) => x.shape[i]!), d.map((i) => x.strides[i]!), x._offset);
  const inv = new Array<number>(n);
  d.forEach((v, i) => (inv[v] = i));
  return record("PermuteBackward0", [x], y, (g) => [g.permute(...inv)]);
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.dim() + 1);
  const shape = x.shape.slice(), strides = x.strides.slice();
  const st = d < x.dim() ? x.shape[d]! * x.strides[d]! : 1;
  shape.splice(d, 0, 1);
  strides.splice(d, 0, st);
  const y = x._makeView(shape, strides, x._offset);
  return record("UnsqueezeBackward0", [x], y, (g) => [g.squeeze(d)]);
}

export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const n = x.dim();
  let dims: number[];
  if (dim === undefined) dims = x.shape.map((s, i) => (s === 1 ? i : -1)).filter((i) => i >= 0);
  else dims = normalizeDims(dim, n).filter((i) => x.shape[i] === 1);
  const shape: number[] = [], strides: number[] = [];
  x.shape.forEach((s, i) => {
    if (!dims.includes(i)) {
      shape.push(s);
      strides.push(x.strides[i]!);
    }
  });
  const y = x._makeView(shape, strides, x._offset);
  return record(dim === undefined ? "SqueezeBackward0" : "SqueezeBackward1", [x], y, (g) => [g.reshape(x.shape as number[])]);
}

export function expand(x: Tensor, sizes: readonly number[]): Tensor {
  checkExpand(x.shape, sizes, x.dtype.scalarName);
  const off = sizes.length - x.dim();
  const shape = sizes.map((s, i) => (s === -1 ? x.shape[i - off]! : s));
  const strides = shape.map((s, i) => {
    const j = i - off;
    if (j < 0) return 0;
    return x.shape[j] === 1 && s !== 1 ? 0 : x.strides[j]!;
  });
  const y = x._makeView(shape, strides, x._offset);
  // NOTE: the engine sums the expanded gradient back to x's shape.
  return record("ExpandBackward0", [x], y, (g) => [g]);
}

export function narrow(x: Tensor, dim: number, start: number, length: number, name = "SliceBackward0"): Tensor {
  if (x.dim() === 0) throw new RuntimeError("narrow() cannot be applied to a 0-dim tensor.");
  const d = normalizeDim(dim, x.dim());
  const size = x.shape[d]!;
  if (start < 0) start += size;
  if (start < 0 || length < 0 || start + length > size)
    throw new RuntimeError(`start (${start}) + length (${length}) exceeds dimension size (${size}).`);
  return slice(x, d, start, start + length, 1, name);
}

/** x[start:stop:step] along dim (bounds already clamped by the caller or valid). */
export function slice(x: Tensor, dim: number, start: number, stop: number, step: number, name = "SliceBackward0"): Tensor {
  const d = normalizeDim(dim, x.dim());
  if (step <= 0) throw new RuntimeError("slice step must be positive");
  const size = x.shape[d]!;
  const clampIdx = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  const s0 = clampIdx(start), s1 = Math.max(clampIdx(stop), s0);
  const len = Math.ceil((s1 - s0) / step);
  const shape = x.shape.slice(), strides = x.strides.slice();
  shape[d] = len;
  strides[d] = x.strides[d]! * step;
  const y = x._makeView(shape, strides, x._offset + s0 * x.strides[d]!);
  const xs = x.shape;
  return record(name, [x], y, (g) => [embed(g, xs, (z) => slice(z, d, s0, s1, step), "SliceBackwardBackward0")]);
}

export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.dim() === 0) throw new IndexError("select() cannot be applied to a 0-dim tensor.");
  const d = normalizeDim(dim, x.dim());
  const size = x.shape[d]!;
  if (index < -size || index >= size)
    throw new IndexError(`select(): index ${index} out of range for tensor of size [${x.shape.join(", ")}] at dimension ${d}`);
  const i = index < 0 ? index + size : index;
  const shape = x.shape.slice(), strides = x.strides.slice();
  shape.splice(d, 1);
  strides.splice(d, 1);
  const y = x._makeView(shape, strides, x._offset + i * x.strides[d]!);
  const xs = x.shape;
  return record("SelectBackward0", [x], y, (g) => [embed(g, xs, (z) => select(z, d, i), "SelectBackwardBackward0")]);
}

/**
 * torch.diagonal: the view of the elements x[..., i, ..., i + offset, ...] over dims dim1 and dim2
 * (offset < 0: below the main diagonal), those dims removed and the diagonal appended last.
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  const d1 = normalizeDim(dim1, x.dim()), d2 = normalizeDim(dim2, x.dim());
  if (d1 === d2) throw new RuntimeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const xs = x.shape, st = x.strides;
  const len = Math.max(offset >= 0 ? Math.min(xs[d1]!, xs[d2]! - offset) : Math.min(xs[d1]! + offset, xs[d2]!), 0);
  // (as PyTorch: an empty diagonal keeps x's storage offset)
  const off = x._offset + (len === 0 ? 0 : offset >= 0 ? offset * st[d2]! : -offset * st[d1]!);
  const shape: number[] = [], strides: number[] = [];
  for (let k = 0; k < xs.length; k++) if (k !== d1 && k !== d2) { shape.push(xs[k]!); strides.push(st[k]!); }
  shape.push(len);
  strides.push(st[d1]! + st[d2]!);
  const y = x._makeView(shape, strides, off);
  return record("DiagonalBackward0", [x], y, (g) => [embed(g, xs, (z) => diagonal(z, offset, d1, d2), "DiagonalBackwardBackward0")]);
}

/** A view of all of x: PyTorch's alias, what `x[...]` gives (internal: reached through index, registered there). */
export function alias(x: Tensor): Tensor {
  return record("AliasBackward0", [x], x._makeView(x.shape, x.strides, x._offset), (g) => [g]);
}

/** Splits into views along dim (UnbindBackward0 / SplitBackward0 share one multi-output node). */
function pieces(x: Tensor, dim: number, sizes: readonly number[], name: string, drop: boolean): Tensor[] {
  const d = normalizeDim(dim, x.dim());
  const outs: Tensor[] = [];
  let start = 0;
  noGrad(() => {
    for (const s of sizes) {
      const p = drop ? select(x, d, start) : narrow(x, d, start, s);
      outs.push(p);
      start += s;
    }
  });
  recordN(name, [x], outs, (grads) => {
    // NOTE: a piece without a gradient contributes zeros (new ones: x * 0 is NaN where x is inf or NaN)
    const gs = grads.map((g, i) => g ?? x.newZeros(x.shape.flatMap((s, k) => (k !== d ? [s] : drop ? [] : [sizes[i]!]))));
    return [drop ? stack(gs, d) : cat(gs, d)];
  });
  // NOTE: as in PyTorch, the outputs of a multi-output view op made in grad mode may not be modified
  // in place once autograd is involved (made in no_grad mode they are NO_GRAD_MODE views already)
  if (isGradEnabled()) for (const o of outs) o._creationMeta = CreationMeta.MULTI_OUTPUT_NODE;
  return outs;
}

export function unbind(x: Tensor, dim = 0): Tensor[] {
  if (x.dim() === 0) throw new IndexError("Dimension specified as 0 but tensor has no dimensions");
  const d = normalizeDim(dim, x.dim());
  return pieces(x, d, new Array<number>(x.shape[d]!).fill(1), "UnbindBackward0", true);
}

export function split(x: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
  const d = normalizeDim(dim, x.dim());
  const size = x.shape[d]!;
  if (typeof splitSize === "number") {
    if (splitSize < 0) throw new RuntimeError(`split expects split_size be non-negative, but got split_size=${splitSize}`);
    if (splitSize <= 0 && size > 0) throw new RuntimeError(`split_size can only be 0 if dimension size is 0, but got dimension size of ${size}`);
    const sizes: number[] = [];
    for (let s = 0; s < size; s += splitSize) sizes.push(Math.min(splitSize, size - s));
    if (!sizes.length) sizes.push(0);
    return pieces(x, d, sizes, "SplitBackward0", false);
  }
  const total = splitSize.reduce((a, b) => a + b, 0);
  if (total !== size)
    throw new RuntimeError(`split_with_sizes expects split_sizes to sum exactly to ${size} (input tensor's size at dimension ${d}), but got split_sizes=[${splitSize.join(", ")}]`);
  return pieces(x, d, splitSize, "SplitWithSizesBackward0", false);
}

export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (chunks <= 0) throw new RuntimeError("chunk expects `chunks` to be greater than 0, got: " + chunks);
  const d = normalizeDim(dim, x.dim());
  const size = x.shape[d]!;
  // NOTE: as PyTorch, an empty dim gives `chunks` empty pieces
  if (size === 0) return split(x, new Array<number>(chunks).fill(0), d);
  return split(x, Math.ceil(size / chunks), d);
}

export function clone(x: Tensor): Tensor {
  const s = backend().alloc(x.dtype, x.numel());
  const y = fromStorage(s, x.shape, x.dtype);
  backend().copy(x._view(), y._view());
  return record("CloneBackward0", [x], y, (g) => [g]);
}

export function contiguous(x: Tensor): Tensor {
  return contiguousOrClone(x);
}

export function toDtype(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const y = fromStorage(backend().unary("identity", x._view(), dtype), x.shape, dtype);
  if (!dtype.isFloatingPoint) return y;
  return record("ToCopyBackward0", [x], y, (g) => [g.to(x.dtype)]);
}

export function flip(x: Tensor, dims: readonly number[]): Tensor {
  const d = normalizeDims(dims, x.dim());
  let off = x._offset;
  const strides = x.strides.slice();
  for (const i of d) {
    off += (x.shape[i]! - 1) * x.strides[i]!;
    strides[i] = -strides[i]!;
  }
  const src = noGrad(() => x._makeView(x.shape, strides, off));
  const y = fromStorage(backend().alloc(x.dtype, x.numel()), x.shape, x.dtype);
  if (x.numel()) backend().copy(src._view(), y._view());
  return record("FlipBackward0", [x], y, (g) => [g.flip(d)]);
}

export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!tensors.length) throw new RuntimeError("torch.cat(): expected a non-empty list of Tensors");
  // NOTE: 1-d empty tensors are skipped, as PyTorch's legacy rule allows.
  const parts = tensors.filter((t) => !(t.dim() === 1 && t.shape[0] === 0));
  const ref = parts[0] ?? tensors[0]!;
  const zeroDim = tensors.findIndex((t) => t.dim() === 0);
  if (zeroDim >= 0) throw new RuntimeError(`zero-dimensional tensor (at position ${zeroDim}) cannot be concatenated`);
  const d = normalizeDim(dim, ref.dim());
  const dtype = resultTypeOf(...parts);
  parts.forEach((p, i) => {
    if (p.dim() !== ref.dim())
      throw new RuntimeError(`Tensors must have same number of dimensions: got ${ref.dim()} and ${p.dim()}`);
    for (let k = 0; k < ref.dim(); k++)
      if (k !== d && p.shape[k] !== ref.shape[k])
        throw new RuntimeError(`Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[k]} but got size ${p.shape[k]} for tensor number ${i} in the list.`);
  });
  const shape = ref.shape.slice();
  shape[d] = parts.reduce((a, p) => a + p.shape[d]!, 0);
  const y = fromStorage(backend().alloc(dtype, numelOf(shape)), shape, dtype);
  // NOTE: each part is copied into its slice of y through a View made here, not a narrow()ed Tensor:
  // measured, a DataLoader batch of 128 samples spent ~1 ms in the per-part tensor views.
  const b = backend(), ys = y._storage, st = y._strides;
  let start = 0;
  for (const p of parts) {
    const n = p.shape[d]!;
    if (n) {
      const sh = shape.slice();
      sh[d] = n;
      b.copy(p._view(), { storage: ys, dtype, shape: sh, strides: st, offset: start * st[d]! });
    }
    start += n;
  }
  // (every tensor is an input of the node, the skipped empty ones too: PyTorch gives them an empty gradient)
  const skipped = tensors.map((t) => t.dim() === 1 && t.shape[0] === 0);
  return record("CatBackward0", tensors, y, (g) => {
    let s = 0;
    return tensors.map((t, i) => {
      if (skipped[i]) return g.newZeros([0]);
      const n = t.shape[d]!;
      const r = g.narrow(d, s, n);
      s += n;
      return r;
    });
  });
}

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!tensors.length) throw new RuntimeError("stack expects a non-empty TensorList");
  const ref = tensors[0]!;
  tensors.forEach((p, i) => {
    if (!shapesEqual(p.shape, ref.shape))
      throw new RuntimeError(`stack expects each tensor to be equal size, but got [${ref.shape.join(", ")}] at entry 0 and [${p.shape.join(", ")}] at entry ${i}`);
  });
  const d = normalizeDim(dim, ref.dim() + 1);
  const dtype = resultTypeOf(...tensors);
  const shape = ref.shape.slice();
  shape.splice(d, 0, tensors.length);
  const y = fromStorage(backend().alloc(dtype, numelOf(shape)), shape, dtype);
  // each tensor is copied into y.select(d, i), a View made here (see cat's NOTE)
  const b = backend(), ys = y._storage, st = y._strides, step = st[d]!;
  const inner = st.filter((_, k) => k !== d);
  if (numelOf(ref.shape) > 0) tensors.forEach((p, i) => b.copy(p._view(), { storage: ys, dtype, shape: ref.shape, strides: inner, offset: i * step }));
  return record("StackBackward0", tensors, y, (g) => tensors.map((_, i) => g.select(d, i)));
}

/** A view with explicit geometry (torch.as_strided), offsets relative to x's storage. */
export function asStrided(x: Tensor, shape: readonly number[], strides: readonly number[], offset?: number): Tensor {
  const y = x._makeView(shape.slice(), strides.slice(), offset ?? x._offset);
  const xs = x.shape;
  const region = (z: Tensor) => z._makeView(shape.slice(), strides.slice(), offset ?? 0);
  return record("AsStridedBackward0", [x], y, (g) => [embedSum(g, xs, region)]);
}

/**
 * Like embed, but windows of the view may overlap (as_strided): each element of x receives the sum
 * of the gradients of every view element that reads it.
 */
export function embedSum(g: Tensor, shape: readonly number[], viewFn: ViewFn): Tensor {
  const n = numelOf(shape);
  const positions = fromStorage(backend().fromValues(int64, Float64Array.from({ length: n }, (_, i) => i)), shape, int64);
  const idx = noGrad(() => viewFn(positions).reshape([-1]));
  const z = fromStorage(backend().alloc(g.dtype, n), [n], g.dtype);
  noGrad(() => backend().indexAdd(z._view(), 0, idx._view(), g.contiguous().reshape([-1])._view()));
  const out = noGrad(() => z.reshape(shape as number[]));
  return record("AsStridedBackwardBackward0", [g], out, (gg) => [viewFn(gg)]);
}

// the nodes whose outputs are views of their input (an op recorded under any other name returns a tensor of its own)
for (const n of [
  "ViewBackward0", "ReshapeAliasBackward0", "TransposeBackward0", "TBackward0", "PermuteBackward0", "UnsqueezeBackward0",
  "SqueezeBackward0", "SqueezeBackward1", "ExpandBackward0", "SliceBackward0", "SelectBackward0", "DiagonalBackward0",
  "AliasBackward0", "AsStridedBackward0", "UnbindBackward0", "SplitBackward0", "SplitWithSizesBackward0",
])
  viewNodes.add(n);

for (const [n, g] of [
  ["view", "ViewBackward0"], ["reshape", "ReshapeAliasBackward0"], ["transpose", "TransposeBackward0"], ["t", "TBackward0"],
  ["permute", "PermuteBackward0"], ["unsqueeze", "UnsqueezeBackward0"], ["squeeze", "SqueezeBackward0"], ["squeezeDim", "SqueezeBackward1"],
  ["expand", "ExpandBackward0"], ["narrow", "SliceBackward0"], ["slice", "SliceBackward0"], ["select", "SelectBackward0"],
  ["unbind", "UnbindBackward0"], ["split", "SplitBackward0"], ["chunk", "SplitBackward0"], ["clone", "CloneBackward0"],
  ["to", "ToCopyBackward0"], ["flip", "FlipBackward0"], ["cat", "CatBackward0"], ["stack", "StackBackward0"], ["flatten", "ReshapeAliasBackward0"],
  ["diagonal", "DiagonalBackward0"],
] as const)
  registerOp(n, g);
