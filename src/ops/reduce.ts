// Reductions over all or some dims, with keepdim.
import { record, recordN } from "../autograd/function.js";
import { bool, getDefaultDtype, int64, type DType } from "../tensor/dtype.js";
import { normalizeDims, numelOf } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { IndexError, RuntimeError } from "../errors.js";
import { backend, fromStorage } from "./core.js";
import { registerOp } from "./table.js";
import type { ReduceOp, View } from "../backend/backend.js";

export type Dims = number | readonly number[] | null | undefined;

function keptShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  const out: number[] = [];
  shape.forEach((s, i) => {
    if (!dims.includes(i)) out.push(s);
    else if (keepdim) out.push(1);
  });
  return out;
}

/** Re-inserts reduced dims as size 1 so a reduced gradient broadcasts against the input. */
export function unsqueezeDims(g: Tensor, dims: readonly number[], ndim: number, keepdim: boolean): Tensor {
  if (keepdim || dims.length === 0) return g;
  const shape: number[] = [];
  let j = 0;
  for (let i = 0; i < ndim; i++) shape.push(dims.includes(i) ? 1 : g.shape[j++]!);
  return g.reshape(shape);
}

function raw(op: ReduceOp, x: Tensor, dims: number[], keepdim: boolean, out: DType): Tensor {
  return fromStorage(backend().reduce(op, x._view(), dims, out), keptShape(x.shape, dims, keepdim), out);
}

function sumDtype(x: Tensor, dtype?: DType): DType {
  return dtype ?? (x.dtype.isFloatingPoint ? x.dtype : int64);
}

export function sum(x: Tensor, dim?: Dims, keepdim = false, dtype?: DType): Tensor {
  const all = dim === undefined || dim === null;
  const dims = normalizeDims(dim, x.dim());
  const y = raw("sum", x, dims, keepdim, sumDtype(x, dtype));
  return record(all ? "SumBackward0" : "SumBackward1", [x], y, (g) => [unsqueezeDims(g, dims, x.dim(), keepdim).expand(x.shape)]);
}

export function mean(x: Tensor, dim?: Dims, keepdim = false, dtype?: DType): Tensor {
  const d = dtype ?? x.dtype;
  if (!d.isFloatingPoint)
    throw new RuntimeError(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${x.dtype.scalarName}`,
    );
  const all = dim === undefined || dim === null;
  const dims = normalizeDims(dim, x.dim());
  let n = 1;
  for (const i of dims) n *= x.shape[i]!;
  const s = raw("sum", x, dims, keepdim, d);
  // NOTE: the mean is the sum divided by the count (`sum_out(...).div_(n)` in PyTorch 1.13), in the
  // output dtype: the count is a scalar cast to that dtype first (float32 divides by fround(n)).
  const b = backend(), sv = s._view();
  const count: View = { storage: b.fromValues(d, [n]), dtype: d, shape: sv.shape, strides: sv.shape.map(() => 0), offset: 0 };
  const y = fromStorage(b.binary("div", sv, count, sv.shape, d, 1, sv), s.shape, d);
  return record(all ? "MeanBackward0" : "MeanBackward1", [x], y, (g) => [unsqueezeDims(g, dims, x.dim(), keepdim).expand(x.shape).div(n)]);
}

export function prod(x: Tensor, dim?: number, keepdim = false): Tensor {
  const all = dim === undefined || dim === null;
  const dims = normalizeDims(dim, x.dim());
  const y = raw("prod", x, dims, keepdim, sumDtype(x));
  // NOTE: d prod / d x_i = prod / x_i; where x_i == 0 this divides by zero, so the product of the
  // other elements is recomputed for those entries.
  return record(all ? "ProdBackward0" : "ProdBackward1", [x], y, (g, s) => {
    const xs = s(0), ys = s(1);
    const gy = unsqueezeDims(g.mul(ys), dims, x.dim(), keepdim);
    const zero = xs.eq(0);
    if (!zero.any().item()) return [gy.div(xs)];
    const others = prodOthers(xs, dims);
    return [unsqueezeDims(g, dims, x.dim(), keepdim).mul(others)];
  }, [x, y]);
}

/** For each element, the product of the other elements of its reduction group (zero-safe). */
function prodOthers(x: Tensor, dims: number[]): Tensor {
  // exclusive cumulative products from both sides along a flattened reduction dim
  const d = dims.length === 1 ? dims[0]! : 0;
  const xx = dims.length === 1 ? x : x.reshape(-1);
  const ones = xx.narrow(d, 0, 1).mul(0).add(1);
  const n = xx.shape[d]!;
  const left = n > 1 ? ones.cat(xx.narrow(d, 0, n - 1).cumprod(d), d) : ones;
  const rightRev = n > 1 ? ones.cat(xx.flip([d]).narrow(d, 0, n - 1).cumprod(d), d).flip([d]) : ones;
  return left.mul(rightRev).reshape(x.shape as number[]);
}

function extremum(kind: "amax" | "amin", x: Tensor, dim: Dims, keepdim: boolean, gradFn: string): Tensor {
  const dims = normalizeDims(dim, x.dim());
  if (numelOf(x.shape) === 0 && dims.length === 0)
    throw new RuntimeError(`${kind === "amax" ? "max" : "min"}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
  const y = raw(kind === "amax" ? "max" : "min", x, dims, keepdim, x.dtype);
  if (!x.dtype.isFloatingPoint) return y;
  // NOTE: ties share the gradient evenly, as PyTorch's amax/amin and full max/min do.
  return record(gradFn, [x], y, (g, s) => {
    const xs = s(0), ys = unsqueezeDims(s(1), dims, x.dim(), keepdim);
    const mask = xs.eq(ys);
    const count = mask.sum(dims, true);
    return [unsqueezeDims(g, dims, x.dim(), keepdim).mul(mask).div(count)];
  }, [x, y]);
}

export function amax(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  return extremum("amax", x, dim ?? [], keepdim, "AmaxBackward0");
}
export function amin(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  return extremum("amin", x, dim ?? [], keepdim, "AminBackward0");
}

export type ValuesIndices = [Tensor, Tensor] & { values: Tensor; indices: Tensor };

/** max()/min() over everything (MaxBackward1) or along a dim with indices (MaxBackward0). */
export function maxMin(kind: "max" | "min", x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  const name = kind === "max" ? "Max" : "Min";
  if (dim === undefined) return extremum(kind === "max" ? "amax" : "amin", x, null, false, `${name}Backward1`);
  const d = normalizeDims(dim, x.dim());
  if (x.dim() > 0 && x.shape[d[0]!] === 0)
    throw new IndexError(`${kind}(): Expected reduction dim ${dim} to have non-zero size.`);
  const values = raw(kind, x, d, keepdim, x.dtype);
  const indices = raw(kind === "max" ? "argmax" : "argmin", x, d, keepdim, int64);
  if (x.dtype.isFloatingPoint)
    recordN(`${name}Backward0`, [x], [values, indices], (grads) => {
      const g = grads[0];
      if (!g) return [null];
      const idx = unsqueezeDims(indices, d, x.dim(), keepdim);
      const gg = unsqueezeDims(g, d, x.dim(), keepdim);
      return [x.detach().mul(0).scatter(d[0] ?? 0, idx, gg)];
    });
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

export function argmaxMin(kind: "argmax" | "argmin", x: Tensor, dim?: number | null, keepdim = false): Tensor {
  if (dim === undefined || dim === null) {
    const flat = x.reshape(-1);
    const r = raw(kind, flat, [0], false, int64);
    return keepdim ? r.reshape(x.shape.map(() => 1)) : r;
  }
  return raw(kind, x, normalizeDims(dim, x.dim()), keepdim, int64);
}

export function allAny(kind: "all" | "any", x: Tensor, dim?: number, keepdim = false): Tensor {
  return raw(kind, x, normalizeDims(dim ?? null, x.dim()), keepdim, bool);
}

export interface VarOptions {
  correction?: number;
  unbiased?: boolean;
  keepdim?: boolean;
}

export function variance(x: Tensor, dim: Dims, opts: VarOptions, std: boolean): Tensor {
  if (!x.dtype.isFloatingPoint)
    throw new RuntimeError(`${std ? "std" : "var"} only supports floating-point dtypes`);
  const keepdim = opts.keepdim ?? false;
  const correction = opts.correction ?? (opts.unbiased === false ? 0 : 1);
  const dims = normalizeDims(dim, x.dim());
  let n = 1;
  for (const i of dims) n *= x.shape[i]!;
  const xd = x.detach();
  let y: Tensor;
  const b = backend();
  if (n > 0 && b.variance && (x.dtype.name === "float32" || x.dtype.name === "float64")) {
    const shape = keptShape(x.shape, dims, keepdim);
    y = fromStorage(b.variance(xd._view(), dims, correction, std), shape, x.dtype);
  } else {
    const mu = xd.mean(dims, true);
    const dev = xd.sub(mu);
    const v = dev.mul(dev).sum(dims, keepdim).div(Math.max(n - correction, 0));
    y = std ? v.sqrt() : v;
  }
  const name = std ? "StdBackward0" : "VarBackward0";
  return record(name, [x], y, (g, s) => {
    const xs = s(0);
    const d = xs.sub(xs.mean(dims, true));
    const gg = unsqueezeDims(g, dims, x.dim(), keepdim);
    if (std) return [gg.mul(d).div(unsqueezeDims(s(1), dims, x.dim(), keepdim).mul(n - correction))];
    return [gg.mul(d).mul(2 / (n - correction))];
  }, std ? [x, y] : [x]);
}

export function logsumexp(x: Tensor, dim: Dims, keepdim = false): Tensor {
  const dims = normalizeDims(dim, x.dim());
  const xd = x.detach().dtype.isFloatingPoint ? x.detach() : x.detach().to(getDefaultDtype());
  // NOTE: subtracting the max keeps exp from overflowing; an all -inf row keeps max 0.
  const m = xd.amax(dims, true);
  const mSafe = m.maskedFill(m.abs().eq(Infinity), 0);
  let y = xd.sub(mSafe).exp().sum(dims, true).log().add(mSafe);
  if (!keepdim) y = y.squeeze(dims);
  return record("LogsumexpBackward0", [x], y, (g, s) => {
    const r = unsqueezeDims(s(1), dims, x.dim(), keepdim);
    return [unsqueezeDims(g, dims, x.dim(), keepdim).mul(s(0).sub(r).exp())];
  }, [x, y]);
}

export function norm(x: Tensor, p: number | "fro" = 2, dim?: Dims, keepdim = false): Tensor {
  const pp = p === "fro" ? 2 : p;
  const dims = normalizeDims(dim, x.dim());
  const xd = x.detach();
  let y: Tensor;
  if (pp === Infinity) y = xd.abs().amax(dims, keepdim);
  else if (pp === 1) y = xd.abs().sum(dims, keepdim);
  else if (pp === 2) y = xd.mul(xd).sum(dims, keepdim).sqrt();
  else y = xd.abs().pow(pp).sum(dims, keepdim).pow(1 / pp);
  return record("NormBackward1", [x], y, (g, s) => {
    const xs = s(0), ys = unsqueezeDims(s(1), dims, x.dim(), keepdim);
    const gg = unsqueezeDims(g, dims, x.dim(), keepdim);
    if (pp === 1) return [gg.mul(xs.sign())];
    if (pp === 2) return [gg.mul(xs).div(ys).maskedFill(ys.eq(0), 0)];
    if (pp === Infinity) {
      const mask = xs.abs().eq(ys);
      return [gg.mul(xs.sign()).mul(mask).div(mask.sum(dims, true))];
    }
    return [gg.mul(xs.sign()).mul(xs.abs().pow(pp - 1)).div(ys.pow(pp - 1)).maskedFill(ys.eq(0), 0)];
  }, [x, y]);
}

export function cumulative(kind: "cumsum" | "cumprod", x: Tensor, dim: number, dtype?: DType): Tensor {
  const d = normalizeDims(dim, x.dim())[0] ?? 0;
  const out = dtype ?? (x.dtype.isFloatingPoint ? x.dtype : int64);
  const y = fromStorage(backend().cumulative(kind, x._view(), d, out), x.shape, out);
  if (!out.isFloatingPoint) return y;
  if (kind === "cumsum")
    // NOTE: the gradient of a cumulative sum is the reversed cumulative sum of the gradient.
    return record("CumsumBackward0", [x], y, (g) => [g.dim() === 0 ? g : g.flip([d]).cumsum(d).flip([d])]);
  return record("CumprodBackward0", [x], y, (g, s) => {
    const xs = s(0), ys = s(1);
    if (xs.dim() === 0) return [g];
    if (!xs._values().some((v) => v === 0)) {
      // valid where x has no zeros: sum_{j>=i} g_j y_j / x_i
      const t = g.mul(ys);
      return [t.flip([d]).cumsum(d).flip([d]).div(xs)];
    }
    // NOTE: with a zero in x the division above is 0/0. Instead, for each position i,
    // sum_{j>=i} g_j prod_{k<=j, k!=i} x_k: one cumprod with x_i replaced by 1 (O(n^2), still
    // composed of differentiable ops, so double backward works).
    const n = xs.shape[d]!;
    const mshape = xs.shape.map((sz, k) => (k === d ? sz : 1));
    let out: Tensor | null = null;
    for (let i = 0; i < n; i++) {
      const onehot = fromStorage(backend().fromValues(bool, Array.from({ length: n }, (_, k) => (k === i ? 1 : 0))), mshape, bool);
      const c = xs.maskedFill(onehot, 1).cumprod(d);
      const part = g.mul(c).narrow(d, i, n - i).sum(d, true);
      out = out ? out.cat(part, d) : part;
    }
    return [out!];
  }, [x, y]);
}

for (const [n, g] of [
  ["sum", "SumBackward0"], ["sumDim", "SumBackward1"], ["mean", "MeanBackward0"], ["meanDim", "MeanBackward1"],
  ["prod", "ProdBackward0"], ["prodDim", "ProdBackward1"], ["amax", "AmaxBackward0"], ["amin", "AminBackward0"],
  ["max", "MaxBackward1"], ["maxDim", "MaxBackward0"], ["min", "MinBackward1"], ["minDim", "MinBackward0"],
  ["var", "VarBackward0"], ["std", "StdBackward0"], ["logsumexp", "LogsumexpBackward0"], ["norm", "NormBackward1"],
  ["cumsum", "CumsumBackward0"], ["cumprod", "CumprodBackward0"],
] as const)
  registerOp(n, g);
registerOp("argmax", null, "integer result");
registerOp("argmin", null, "integer result");
registerOp("all", null, "bool result");
registerOp("any", null, "bool result");
