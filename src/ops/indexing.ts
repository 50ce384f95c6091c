// gather / scatter / index_select / index_add, and Python-style indexing (x[...]) for reading and writing.
import { record } from "../autograd/function.js";
import { noGrad } from "../autograd/grad_mode.js";
import { bool, int64, intText } from "../tensor/dtype.js";
import { broadcastShapes, normalizeDim, numelOf } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { IndexError, RuntimeError, ValueError } from "../errors.js";
import { asTensor, backend, fromStorage, type Scalar } from "./core.js";
import { registerOp } from "./table.js";
import { alias, select, slice, unsqueeze } from "./views.js";

function checkIndex(index: Tensor, what: string): void {
  if (index.dtype !== int64) throw new RuntimeError(`${what}(): Expected dtype int64 for index`);
}

/**
 * The index with PyTorch's bounds check done and negative entries wrapped (k + size): the same
 * tensor when none is negative. Reads the index once. `kernel` names the checks of the kernels that
 * take no negative index: index_select / index_add (IndexError "index out of range in self") and
 * gather / scatter (a RuntimeError naming the index); advanced indexing (x[idx]) wraps.
 */
function checkedIndex(index: Tensor, size: number, dim: number, kernel: "wrap" | "index" | "gather" = "wrap"): Tensor {
  const v = index._values();
  let neg = false;
  for (let i = 0; i < v.length; i++) {
    const k = v[i]!;
    if (kernel === "index" && (k < 0 || k >= size)) throw new IndexError("index out of range in self");
    if (kernel === "gather" && (k < 0 || k >= size)) throw new RuntimeError(`index ${intText(k)} is out of bounds for dimension ${dim} with size ${size}`);
    if (k < -size || k >= size) throw new IndexError(`index ${intText(k)} is out of bounds for dimension ${dim} with size ${size}`);
    if (k < 0) neg = true;
  }
  if (!neg) return index;
  for (let i = 0; i < v.length; i++) if (v[i]! < 0) v[i] = v[i]! + size;
  return fromStorage(backend().fromValues(int64, v), index.shape, int64);
}

/**
 * Zeros of `shape` with g's slices added at the (checked, non-negative) 1-d int64 index along dim:
 * the gradient of index_select, x[index] and embedding, PyTorch's `zeros(...).index_add_(dim, index,
 * grad)` (IndexAddBackward0 for double backward), without index_add's copy of the zeros.
 */
export function indexAddToZeros(shape: readonly number[], dim: number, idx: Tensor, g: Tensor): Tensor {
  const y = fromStorage(backend().alloc(g.dtype, numelOf(shape)), shape, g.dtype);
  backend().indexAdd(y._view(), dim, idx._view(), g._view());
  return record("IndexAddBackward0", [g], y, (gg) => [gg.indexSelect(dim, idx)]);
}

export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim(dim, x.dim());
  if (index.dim() > 1) throw new IndexError("index_select(): Index is supposed to be a vector");
  if (index.dtype !== int64 && index.dtype.name !== "int32") throw new RuntimeError("index_select(): Expected dtype int32 or int64 for index");
  if (index.dtype !== int64) index = index.to(int64);
  if (x.dim() === 0) {
    // PyTorch: a 0-dim result whatever the index's length, every entry 0
    checkedIndex(index.reshape([-1]), 1, d, "index");
    const n = index.numel();
    const y = noGrad(() => x.clone());
    return record("IndexSelectBackward0", [x], y, (g) => {
      if (n !== 1) throw new IndexError("Dimension specified as 0 but tensor has no dimensions");
      return [g];
    });
  }
  const size = x.shape[d]!;
  if (x.dim() > 1 && index.numel() > 0 && (d === 1 || x.numel() === 0)) {
    // NOTE: PyTorch 1.13's index_select checks the index of an empty input, and of dim 1 (its
    // "fast pass"), with another function and words than the general kernel's IndexError
    if (size === 0) throw new RuntimeError("index_select(): self indexing axis dim should be positive");
    for (const k of index._values()) {
      if (k < 0 || k >= size) throw new RuntimeError(`INDICES element is out of DATA bounds, id=${intText(k)} axis_dim=${size}`);
    }
  }
  return indexSelectChecked(x, d, checkedIndex(index.reshape([-1]), size, d, "index"));
}

/** index_select with a 1-d index already checked and wrapped. */
function indexSelectChecked(x: Tensor, d: number, idx: Tensor): Tensor {
  const shape = x.shape;
  if (shape.length) shape[d] = idx.numel();
  const y = fromStorage(backend().indexSelect(x._view(), d, idx._view()), shape, x.dtype);
  const xs = x.shape;
  return record("IndexSelectBackward0", [x], y, (g) => [indexAddToZeros(xs, d, idx, g)]);
}

export function indexAdd(x: Tensor, dim: number, index: Tensor, src: Tensor, alpha = 1): Tensor {
  const d = normalizeDim(dim, x.dim());
  if (index.dtype !== int64 && index.dtype.name !== "int32")
    throw new RuntimeError(`index_add_(): Expected dtype int32/int64 for index but got: ${index.dtype.scalarName}`);
  const idx = checkedIndex(index.reshape([-1]), x.dim() === 0 ? 1 : x.shape[d]!, d, "index");
  const y = x.detach().clone();
  const s = alpha === 1 ? src.detach() : src.detach().mul(alpha);
  backend().indexAdd(y._view(), d, idx._view(), s.to(x.dtype)._view());
  return record("IndexAddBackward0", [x, src], y, (g) => [g, g.indexSelect(d, idx).mul(alpha)]);
}

export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndex(index, "gather");
  const d = normalizeDim(dim, x.dim());
  if (index.dim() !== x.dim() && !(x.dim() === 0 && index.dim() <= 1))
    throw new RuntimeError("Index tensor must have the same number of dimensions as input tensor");
  for (let i = 0; i < index.dim(); i++)
    if (i !== d && index.shape[i]! > x.shape[i]!)
      throw new RuntimeError(`Size does not match at dimension ${i} expected index [${index.shape.join(", ")}] to be smaller than self [${x.shape.join(", ")}] apart from dimension ${d}`);
  const idx = checkedIndex(index, x.shape[d] ?? 1, d, "gather");
  const y = fromStorage(backend().gather(x._view(), d, idx._view()), index.shape, x.dtype);
  const xs = x.shape;
  // NOTE: PyTorch 1.13's GatherBackward0 saves self (gather_backward reads its sizes from it), so an
  // in-place change of x before backward is an error there too
  return record("GatherBackward0", [x], y, (g) => [g.new_zeros(xs).scatterAdd(d, idx, g)], [x]);
}

/**
 * torch.take_along_dim: gather with input and indices broadcast against each other in every dim but
 * `dim` (no dim: both flattened).
 */
export function takeAlongDim(x: Tensor, indices: Tensor, dim?: number | null): Tensor {
  if (indices.dtype !== int64) throw new RuntimeError(`torch.take_along_dim(): dtype of indices should be Long but got ${indices.dtype.scalarName}`);
  if (dim === undefined || dim === null) return gather(x.reshape([-1]), 0, indices.reshape([-1]));
  if (x.dim() !== indices.dim())
    throw new RuntimeError(`torch.take_along_dim(): input and indices should have the same number of dimensions, but got ${x.dim()} dimensions for input, and ${indices.dim()} dimensions for indices`);
  const d = normalizeDim(dim, x.dim());
  const xs = x.shape;
  xs[d] = indices.shape[d]!;
  const idx = indices.expand(broadcastShapes(xs, indices.shape));
  const is = idx.shape;
  is[d] = x.shape[d]!;
  return gather(x.expand(broadcastShapes(is, x.shape)), d, idx);
}

export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | Scalar, reduce: "none" | "add" = "none"): Tensor {
  checkIndex(index, reduce === "add" ? "scatter_add" : "scatter");
  const d = normalizeDim(dim, x.dim());
  const idx = checkedIndex(index, x.shape[d] ?? 1, d, "gather");
  const y = x.detach().clone();
  const srcT = src instanceof Tensor ? src.detach().to(x.dtype) : asTensor(src, x.dtype).to(x.dtype).expand(index.shape);
  backend().scatter(y._view(), d, idx._view(), srcT._view(), reduce);
  if (reduce === "add") return record("ScatterAddBackward0", [x, src instanceof Tensor ? src : null], y, (g) => [g, g.gather(d, idx)]);
  if (src instanceof Tensor) return record("ScatterBackward0", [x, src], y, (g) => [g.scatter(d, idx, 0), g.gather(d, idx)]);
  return record("ScatterBackward1", [x], y, (g) => [g.scatter(d, idx, 0)]);
}

/** A slice in an index: `{ start, stop, step }` (Python's start:stop:step); any part may be omitted. */
export interface Slice {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}
/** One entry of `x.index(...)`: an integer, a slice (object or "start:stop:step" string), "...",
 *  null (a new axis, Python's None), an integer/bool tensor, or an array of integers. */
export type IndexSpec = number | Slice | string | null | Tensor | readonly number[] | boolean;

/** Python's `slice(start, stop, step)`. */
export function sliceSpec(start?: number | null, stop?: number | null, step?: number | null): Slice {
  return { start: start ?? null, stop: stop ?? null, step: step ?? null };
}

function parseSliceString(s: string): Slice {
  const parts = s.split(":");
  if (parts.length < 2 || parts.length > 3) throw new IndexError(`invalid slice "${s}"`);
  const num = (p: string | undefined) => (p === undefined || p.trim() === "" ? null : Number(p));
  return { start: num(parts[0]), stop: num(parts[1]), step: num(parts[2]) };
}

interface Parsed {
  view: Tensor;
  /** advanced indices: (dim in view, int64 tensor) */
  adv: { dim: number; index: Tensor }[];
}

/** Applies the basic part of an index (ints, slices, None, ...) as views; collects tensor indices. */
export function applyBasic(x: Tensor, specs: readonly IndexSpec[]): Parsed {
  // NOTE: a single index (x.index(i) is Python's x[i]) has these words; several (a tuple) count dims
  if (x.dim() === 0 && specs.length === 1) {
    if (specs.some((s) => typeof s === "number"))
      throw new IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
    if (specs.some((s) => (typeof s === "string" && s !== "...") || (s !== null && typeof s === "object" && !(s instanceof Tensor) && !Array.isArray(s))))
      throw new IndexError("slice() cannot be applied to a 0-dim tensor.");
  }
  const ellipses = specs.filter((s) => s === "...").length;
  if (ellipses > 1) throw new IndexError("an index can only have a single ellipsis ('...')");
  let consumed = 0;
  for (const s of specs) {
    if (s === null || s === "..." || typeof s === "boolean") continue;
    if (s instanceof Tensor && s.dtype === bool) consumed += Math.max(s.dim(), 1);
    else consumed++;
  }
  if (consumed > x.dim())
    throw new IndexError(`too many indices for tensor of dimension ${x.dim()}`);
  let v = x;
  let d = 0;
  // NOTE: PyTorch's error messages name the dim as if integer indices kept their dim (x[0, 4]: dim 1)
  let ints = 0;
  const adv: Parsed["adv"] = [];
  for (let s of specs) {
    // NOTE: as in PyTorch, a 0-dim integer tensor index is an integer (x[torch.tensor(1)] is a view)
    if (s instanceof Tensor && s.dim() === 0 && (s.dtype === int64 || s.dtype.name === "int32")) s = s.item();
    if (s === "...") {
      d += x.dim() - consumed;
    } else if (s === null || s === true) {
      v = unsqueeze(v, d);
      d++;
    } else if (s === false) {
      throw new IndexError("indexing with False is not supported");
    } else if (typeof s === "number") {
      if (!Number.isInteger(s)) throw new IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices");
      const size = v.shape[d]!;
      if (s < -size || s >= size) throw new IndexError(`index ${intText(s)} is out of bounds for dimension ${d + ints} with size ${size}`);
      v = select(v, d, s);
      ints++;
    } else if (typeof s === "string") {
      const sl = parseSliceString(s);
      v = applySlice(v, d, sl);
      d++;
    } else if (s instanceof Tensor || Array.isArray(s)) {
      const t = s instanceof Tensor ? s : fromStorage(backend().fromValues(int64, s as number[]), [(s as number[]).length], int64);
      if (t.dtype === bool) {
        const k = Math.max(t.dim(), 1);
        for (let i = 0; i < k; i++)
          if (t.shape[i] !== v.shape[d + i])
            throw new IndexError(`The shape of the mask [${t.shape.join(", ")}] at index ${i} does not match the shape of the indexed tensor [${v.shape.join(", ")}] at index ${d + i}`);
        const nz = t.nonzero();
        for (let i = 0; i < k; i++) adv.push({ dim: d + i, index: nz.select(1, i) });
        d += k;
      } else {
        if (t.dtype !== int64 && t.dtype.name !== "int32")
          throw new IndexError("tensors used as indices must be long, byte or bool tensors");
        adv.push({ dim: d, index: checkedIndex(t.dtype === int64 ? t : t.to(int64), v.shape[d]!, d) });
        d++;
      }
    } else if (typeof s === "object") {
      v = applySlice(v, d, s as Slice);
      d++;
    }
  }
  return { view: v, adv };
}

function applySlice(v: Tensor, d: number, sl: Slice): Tensor {
  const size = v.shape[d]!;
  const step = sl.step ?? 1;
  if (step <= 0) throw new ValueError("step must be greater than zero");
  const start = sl.start ?? 0, stop = sl.stop ?? size;
  // NOTE: a full slice is a view too (x[:] is SliceBackward0 in PyTorch 1.13), so that writing through it records CopySlices
  return slice(v, d, start, stop, step);
}

/** The flat offsets (into x's logical row-major layout) that an advanced index reads. */
function linearIndex(shape: readonly number[], specs: readonly IndexSpec[]): Tensor {
  const n = numelOf(shape);
  const ar = fromStorage(backend().fromValues(int64, Float64Array.from({ length: n }, (_, i) => i)), shape, int64);
  return noGrad(() => getIndex(ar, specs));
}

/** x[specs]: basic indices give views; tensor indices gather (IndexBackward0). */
export function getIndex(x: Tensor, specs: readonly IndexSpec[]): Tensor {
  // x[...] alone is an alias: a view of all of x
  if (specs.length === 1 && specs[0] === "...") return alias(x);
  const { view, adv } = applyBasic(x, specs);
  if (!adv.length) return view;
  if (adv.length === 1) {
    const { dim, index } = adv[0]!;
    const flat = index.reshape([-1]);
    const y = noGrad(() => {
      const r = indexSelectChecked(view, dim, flat);
      return r.reshape([...view.shape.slice(0, dim), ...index.shape, ...view.shape.slice(dim + 1)]);
    });
    const vs = view.shape;
    return record("IndexBackward0", [view], y, (g) => [
      indexAddToZeros(vs, dim, flat, g.reshape([...vs.slice(0, dim), index.numel(), ...vs.slice(dim + 1)])),
    ]);
  }
  // several tensor indices: broadcast them and gather by linear offsets
  const dims = adv.map((a) => a.dim);
  const adjacent = dims.every((dd, i) => i === 0 || dd === dims[i - 1]! + 1);
  const idx = adv.map((a) => a.index);
  let bshape: readonly number[] = idx[0]!.shape;
  for (const t of idx) bshape = broadcast(bshape, t.shape);
  const rest = view.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const perm = [...dims, ...rest];
  const moved = view.permute(...perm);
  const lead = dims.map((dd) => view.shape[dd]!);
  const flat = moved.reshape([-1, ...rest.map((i) => view.shape[i]!)]);
  let lin = idx[0]!.expand(bshape as number[]).mul(1);
  for (let i = 1; i < idx.length; i++) lin = lin.mul(lead[i]!).add(idx[i]!.expand(bshape as number[]));
  const linFlat = lin.reshape([-1]);
  const restShape = rest.map((i) => view.shape[i]!);
  const order: number[] = [];
  if (adjacent && dims[0]! > 0) {
    const nb = bshape.length, first = dims[0]!;
    for (let i = 0; i < first; i++) order.push(nb + i);
    for (let i = 0; i < nb; i++) order.push(i);
    for (let i = first; i < rest.length; i++) order.push(nb + i);
  }
  // NOTE: computed without recording, then recorded as one IndexBackward0 node, as PyTorch's graph shows.
  const y = noGrad(() => {
    const r = flat.indexSelect(0, linFlat).reshape([...bshape, ...restShape]);
    return order.length ? r.permute(...order) : r;
  });
  const inverse = (p: readonly number[]) => p.map((_, i) => p.indexOf(i));
  const vs = view.shape;
  return record("IndexBackward0", [view], y, (g) => {
    const gb = (order.length ? g.permute(...inverse(order)) : g).reshape([linFlat.numel(), ...restShape]);
    const leadN = lead.reduce((p, q) => p * q, 1);
    const gFlat = g.new_zeros([leadN, ...restShape]).indexAdd(0, linFlat, gb);
    return [gFlat.reshape([...lead, ...restShape]).permute(...inverse(perm)).reshape([...vs])];
  });
}

function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1, y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1)
      throw new IndexError(`shape mismatch: indexing tensors could not be broadcast together with shapes [${a.join(", ")}], [${b.join(", ")}]`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Whether an index has only basic parts (so x[specs] is a view). */
export function isBasicIndex(specs: readonly IndexSpec[]): boolean {
  return specs.every((s) => !(s instanceof Tensor) && !Array.isArray(s));
}

/**
 * The advanced part of `x[specs] = value` once the basic part is applied (`view` of `applyBasic`):
 * index_put_'s indices, as specs over the view's dims (":" where a dim has no index tensor).
 */
export function advancedSpecs(view: Tensor, adv: Parsed["adv"]): IndexSpec[] {
  const out: IndexSpec[] = new Array<IndexSpec>(view.dim()).fill(":");
  for (const a of adv) out[a.dim] = a.index;
  // trailing full slices change nothing
  while (out.length && out[out.length - 1] === ":") out.pop();
  return out;
}

/** Out-of-place index_put: y = x with y[specs] = value (IndexPutBackward0). */
export function indexPut(x: Tensor, specs: readonly IndexSpec[], value: Tensor | Scalar, accumulate = false): Tensor {
  if (value instanceof Tensor && value.dtype !== x.dtype)
    throw new RuntimeError(`Index put requires the source and destination dtypes match, got ${x.dtype.scalarName} for the destination and ${value.dtype.scalarName} for the source.`);
  const lin = linearIndex(x.shape, specs);
  const flatIdx = lin.reshape([-1]);
  const v = value instanceof Tensor ? value : asTensor(value, x.dtype);
  const vExp = noGrad(() => v.detach().to(x.dtype).expand(lin.shape as number[]).reshape([-1]));
  const y = noGrad(() => {
    const out = x.detach().reshape([-1]).clone();
    if (accumulate) backend().indexAdd(out._view(), 0, flatIdx._view(), vExp._view());
    else backend().scatter(out._view(), 0, flatIdx._view(), vExp._view(), "none");
    return out.reshape(x.shape as number[]);
  });
  const vt = value instanceof Tensor ? value : null;
  return record("IndexPutBackward0", [x, vt], y, (g) => {
    const gf = g.reshape([-1]);
    const gx = accumulate ? g : gf.scatter(0, flatIdx, 0).reshape(x.shape as number[]);
    return [gx, vt ? gf.indexSelect(0, flatIdx).reshape(lin.shape as number[]) : null];
  });
}

for (const [n, g] of [
  ["indexSelect", "IndexSelectBackward0"], ["indexAdd", "IndexAddBackward0"], ["gather", "GatherBackward0"],
  ["scatter", "ScatterBackward0"], ["scatterValue", "ScatterBackward1"], ["scatterAdd", "ScatterAddBackward0"],
  ["index", "IndexBackward0"], ["indexPut", "IndexPutBackward0"],
] as const)
  registerOp(n, g);
