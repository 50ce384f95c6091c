// Reductions over all or some dims, with keepdim.
import { needsGrad, record, recordN } from "../autograd/function.js";
import { isGradEnabled } from "../autograd/grad_mode.js";
import { bool, getDefaultDtype, int64, type DType } from "../tensor/dtype.js";
import { normalizeDim, normalizeDims, numelOf } from "../tensor/shape.js";
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
  // NOTE: PyTorch's unsqueeze_multiple: one unsqueeze per reduced dim, in increasing order, so that a
  // double backward records SqueezeBackward1 nodes as PyTorch's does
  for (let i = 0; i < ndim; i++) if (dims.includes(i)) g = g.unsqueeze(i);
  return g;
}

/**
 * The dims a reduction runs over: every dim when none is given and, as in PyTorch 1.13, when an
 * empty list is given too (`x.sum([])`, `x.amax([])` reduce everything).
 */
export function reduceDims(dim: Dims, ndim: number): number[] {
  const d = normalizeDims(dim, ndim);
  return d.length === 0 ? Array.from({ length: ndim }, (_, i) => i) : d;
}

/**
 * A reduction asked for an integer or bool result (`dtype=`) of an input that requires grad: PyTorch
 * 1.13 records its node anyway and fails on this internal assert; typetorch raises the same error.
 */
function checkDifferentiableOut(x: Tensor, out: DType): void {
  if (!out.isFloatingPoint && needsGrad([x]))
    throw new RuntimeError('isDifferentiableType(variable.scalar_type()) INTERNAL ASSERT FAILED at "./torch/csrc/autograd/functions/utils.h":75, please report a bug to PyTorch. ');
}

/**
 * The input of a reduction with a `dtype` argument: PyTorch casts the input to that dtype first and
 * then reduces (`sum(dtype=int64)` of 1.5, 2.5 is 1 + 2 = 3), detached (the node is recorded on x).
 */
function castFor(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x.detach() : x.detach().to(dtype);
}

function raw(op: ReduceOp, x: Tensor, dims: number[], keepdim: boolean, out: DType): Tensor {
  return fromStorage(backend().reduce(op, x._view(), dims, out), keptShape(x.shape, dims, keepdim), out);
}

function sumDtype(x: Tensor, dtype?: DType): DType {
  return dtype ?? (x.dtype.isFloatingPoint ? x.dtype : int64);
}

export function sum(x: Tensor, dim?: Dims, keepdim = false, dtype?: DType): Tensor {
  const all = dim === undefined || dim === null;
  const dims = reduceDims(dim, x.dim());
  const out = sumDtype(x, dtype);
  checkDifferentiableOut(x, out);
  // NOTE: a sum in bool is a logical or (PyTorch's `sum(dtype=torch.bool)`)
  const y = raw(out === bool ? "any" : "sum", castFor(x, out), dims, keepdim, out);
  return record(all ? "SumBackward0" : "SumBackward1", [x], y, (g) => [unsqueezeDims(g, dims, x.dim(), keepdim).expand(x.shape)]);
}

export function mean(x: Tensor, dim?: Dims, keepdim = false, dtype?: DType): Tensor {
  const d = dtype ?? x.dtype;
  if (!d.isFloatingPoint)
    throw new RuntimeError(
      `mean(): could not infer output dtype. ${dtype ? "Optional" : "Input"} dtype must be either a floating point or complex dtype. Got: ${d.scalarName}`,
    );
  const all = dim === undefined || dim === null;
  const dims = reduceDims(dim, x.dim());
  let n = 1;
  for (const i of dims) n *= x.shape[i]!;
  const s = raw("sum", castFor(x, d), dims, keepdim, d);
  // NOTE: the mean is the sum divided by the count (`sum_out(...).div_(n)` in PyTorch 1.13), in the
  // output dtype: the count is a scalar cast to that dtype first (float32 divides by fround(n)).
  const b = backend(), sv = s._view();
  const count: View = { storage: b.fromValues(d, [n]), dtype: d, shape: sv.shape, strides: sv.shape.map(() => 0), offset: 0 };
  const y = fromStorage(b.binary("div", sv, count, sv.shape, d, 1, sv), s.shape, d);
  // NOTE: PyTorch 1.13's MeanBackward1 saves self (its formula reads self.sizes() and numel() from
  // it), so an in-place change of x before backward is an error there; MeanBackward0 saves sizes only
  return record(all ? "MeanBackward0" : "MeanBackward1", [x], y, (g) => [unsqueezeDims(g, dims, x.dim(), keepdim).expand(x.shape).div(n)], all ? [] : [x]);
}

export function prod(x: Tensor, dim?: number | null, keepdim = false, dtype?: DType): Tensor {
  const all = dim === undefined || dim === null;
  const dims = reduceDims(dim, x.dim());
  const out = sumDtype(x, dtype);
  checkDifferentiableOut(x, out);
  // NOTE: a product in bool is a logical and
  const y = raw(out === bool ? "all" : "prod", castFor(x, out), dims, keepdim, out);
  // NOTE: PyTorch's prod_backward: g * (prod / x) without zeros (x cast to the result's dtype);
  // with zeros that division is 0 / 0, so each element gets the product of the others (exclusive
  // cumulative products from both sides). Over everything with two or more zeros, outside grad mode,
  // every gradient is zeros (zeros_like, not g * 0, which is NaN for an infinite g).
  return record(all ? "ProdBackward0" : "ProdBackward1", [x], y, (g, s) => {
    const xs = s(0).to(y.dtype), ys = s(1);
    if (xs.dim() === 0) return [g];
    const gg = unsqueezeDims(g, dims, x.dim(), keepdim);
    const zeros = xs.eq(0).sum().item();
    if (zeros === 0) return [gg.mul(unsqueezeDims(ys, dims, x.dim(), keepdim).div(xs))];
    if (all && zeros > 1 && !isGradEnabled()) return [xs.newZeros(xs.shape)];
    return [gg.mul(prodOthers(xs, dims))];
  }, [x, y]);
}

/** For each element, the product of the other elements of its reduction group (zero-safe). */
function prodOthers(x: Tensor, dims: number[]): Tensor {
  // exclusive cumulative products from both sides along a flattened reduction dim
  const d = dims.length === 1 ? dims[0]! : 0;
  const xx = dims.length === 1 ? x : x.reshape(-1);
  const ones = xx.newOnes(xx.narrow(d, 0, 1).shape);
  const n = xx.shape[d]!;
  const left = n > 1 ? ones.cat(xx.narrow(d, 0, n - 1).cumprod(d), d) : ones;
  const rightRev = n > 1 ? ones.cat(xx.flip([d]).narrow(d, 0, n - 1).cumprod(d), d).flip([d]) : ones;
  return left.mul(rightRev).reshape(x.shape as number[]);
}

/**
 * amax/amin (and max()/min() over everything): the checks of PyTorch's reductions without an
 * identity, then the reduction. `name` is the op's name in PyTorch's messages.
 */
function extremumRaw(kind: "amax" | "amin", name: string, x: Tensor, dim: Dims, keepdim: boolean): { y: Tensor; dims: number[] } {
  const given = dim === undefined || dim === null ? [] : normalizeDims(dim, x.dim());
  if (numelOf(x.shape) === 0) {
    if (given.length === 0)
      throw new RuntimeError(`${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
    const list = typeof dim === "number" ? [dim] : (dim as readonly number[]);
    const bad = given.findIndex((d) => x.shape[d] === 0);
    if (bad >= 0) throw new IndexError(`${name}(): Expected reduction dim ${list[bad]} to have non-zero size.`);
  }
  const dims = reduceDims(dim, x.dim());
  return { y: raw(kind === "amax" ? "max" : "min", x, dims, keepdim, x.dtype), dims };
}

function extremum(kind: "amax" | "amin", x: Tensor, dim: Dims, keepdim: boolean, gradFn: string): Tensor {
  const { y, dims } = extremumRaw(kind, kind, x, dim, keepdim);
  if (!x.dtype.isFloatingPoint) return y;
  // NOTE: ties share the gradient evenly: PyTorch's scale_grad_by_count, (g / count) * mask (so an
  // infinite gradient gives NaN at the elements that are not the extremum, as in PyTorch).
  return record(gradFn, [x], y, (g, s) => {
    const xs = s(0), ys = unsqueezeDims(s(1), dims, x.dim(), keepdim);
    const mask = xs.eq(ys);
    return [unsqueezeDims(g, dims, x.dim(), keepdim).div(mask.sum(dims, true)).mul(mask)];
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
  if (dim === undefined) {
    const { y } = extremumRaw(kind === "max" ? "amax" : "amin", kind, x, null, false);
    if (!x.dtype.isFloatingPoint) return y;
    // NOTE: PyTorch's evenly_distribute_backward: zeros with g / count written where x is the result
    // (where x is NaN for a NaN result), so elements that are not the extremum get 0 for any g.
    return record(`${name}Backward1`, [x], y, (g, s) => {
      const xs = s(0), ys = s(1);
      const mask = Number.isNaN(ys.item()) ? xs.isnan() : xs.eq(ys);
      return [xs.newZeros(xs.shape).maskedFill(mask, g.div(mask.sum()))];
    }, [x, y]);
  }
  const d = normalizeDims(dim, x.dim());
  if (x.dim() > 0 && x.shape[d[0]!] === 0)
    throw new IndexError(`${kind}(): Expected reduction dim ${d[0]} to have non-zero size.`);
  const values = raw(kind, x, d, keepdim, x.dtype);
  const indices = raw(kind === "max" ? "argmax" : "argmin", x, d, keepdim, int64);
  if (x.dtype.isFloatingPoint)
    recordN(`${name}Backward0`, [x], [values, indices], (grads) => {
      const g = grads[0];
      if (!g) return [null];
      const idx = unsqueezeDims(indices, d, x.dim(), keepdim);
      const gg = unsqueezeDims(g, d, x.dim(), keepdim);
      // NOTE: PyTorch's value_selecting_reduction_backward scatters g into zeros
      return [g.newZeros(x.shape).scatter(d[0] ?? 0, idx, gg)];
    });
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

export function argmaxMin(kind: "argmax" | "argmin", x: Tensor, dim?: number | null, keepdim = false): Tensor {
  let trivial = false; // (a reduced dim of size 1: PyTorch gives zeros without running the kernel)
  if (dim !== undefined && dim !== null) {
    const d = normalizeDim(dim, x.dim()); // (the dim's error comes first)
    if (x.dim() > 0 && x.shape[d] === 0) throw new IndexError(`${kind}(): Expected reduction dim ${d} to have non-zero size.`);
    trivial = x.dim() > 0 && x.shape[d] === 1;
  }
  if (x.dtype === bool && !trivial) throw new RuntimeError(`"${kind}_cpu" not implemented for 'Bool'`);
  // (argmax/argmin's own words and class for an empty input without a dim)
  if ((dim === undefined || dim === null) && x.numel() === 0)
    throw new IndexError(`${kind}(): Expected reduction dim to be specified for input.numel() == 0.`);
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
    throw new RuntimeError("std and var only support floating point and complex dtypes");
  const keepdim = opts.keepdim ?? false;
  const correction = opts.correction ?? (opts.unbiased === false ? 0 : 1);
  const full = dim === undefined || dim === null;
  const dims = reduceDims(dim, x.dim());
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
  // NOTE: PyTorch 1.13's std_backward and var_backward, formula for formula:
  //   std: g_var = (g / (2 * std)).masked_fill_(std == 0, 0) (a zero spread gives 0, not 0 / 0), then var's;
  //   var over everything (no dim, or a 0-dim input): n == correction gives g * inf, else
  //     (2 / (n - correction)) * g * (x - x.mean());
  //   var over dims: (2 / dof) * g * (x - x.mean(dims, keepdim=True)), dof = (product of the dims'
  //     sizes: 1 for an explicit empty list, though the forward reduced everything) - correction.
  const name = std ? "StdBackward0" : "VarBackward0";
  return record(name, [x], y, (g, s) => {
    const xs = s(0);
    let gv = g;
    if (std) {
      const r = s(1);
      gv = g.div(r.mul(2)).maskedFill(r.eq(0), 0);
    }
    if (x.dim() === 0 || full) {
      if (xs.numel() === correction) {
        // (g * inf keeps g's shape, and PyTorch's engine rejects it where x's shape does not expand to it)
        if (!expandableTo(x.shape, gv.shape))
          throw new RuntimeError(`Function ${name} returned an invalid gradient at index 0 - got [${gv.shape.join(", ")}] but expected shape compatible with [${x.shape.join(", ")}]`);
        return [gv.mul(Infinity)];
      }
      return [gv.mul(2 / (xs.numel() - correction)).mul(xs.sub(xs.mean()))];
    }
    const dof = (normalizeDims(dim, x.dim()).length === 0 ? 1 : n) - correction;
    return [unsqueezeDims(gv, dims, x.dim(), keepdim).mul(2 / dof).mul(xs.sub(xs.mean(dims, true)))];
  }, std ? [x, y] : [x]);
}

/** PyTorch's is_expandable_to(shape, desired). */
function expandableTo(shape: readonly number[], desired: readonly number[]): boolean {
  if (shape.length > desired.length) return false;
  for (let i = 1; i <= shape.length; i++) {
    const a = shape[shape.length - i]!;
    if (a !== desired[desired.length - i] && a !== 1) return false;
  }
  return true;
}

export function logsumexp(x: Tensor, dim: Dims, keepdim = false): Tensor {
  // NOTE: an explicit empty list is passed on as PyTorch 1.13's logsumexp_out_impl does: the max
  // (amax over [], keepdim) and the sum (over []) then cover everything, and without keepdim adding
  // the [1, ..., 1] max into the [] result fails with PyTorch's error (keepdim, or a 0-dim input, works).
  const dims = normalizeDims(dim, x.dim());
  const xd = x.detach().dtype.isFloatingPoint ? x.detach() : x.detach().to(getDefaultDtype());
  let y: Tensor;
  if (xd.numel() === 0) {
    // NOTE: no max of an empty tensor: log(sum(exp(x))), -inf for an empty sum (PyTorch's branch)
    y = xd.exp().sum(dims, keepdim).log();
  } else {
    if (dims.length === 0 && !keepdim && x.dim() > 0)
      throw new RuntimeError(`output with shape [] doesn't match the broadcast shape [${x.shape.map(() => 1).join(", ")}]`);
    // NOTE: subtracting the max keeps exp from overflowing; an all -inf row keeps max 0.
    const m = xd.amax(dims, true);
    const mSafe = m.maskedFill(m.abs().eq(Infinity), 0);
    y = xd.sub(mSafe).exp().sum(dims, true).log().add(mSafe);
    if (!keepdim) y = y.squeeze(dims);
  }
  const all = reduceDims(dim, x.dim());
  return record("LogsumexpBackward0", [x], y, (g, s) => {
    const r = unsqueezeDims(s(1), all, x.dim(), keepdim);
    return [unsqueezeDims(g, all, x.dim(), keepdim).mul(s(0).sub(r).exp())];
  }, [x, y]);
}

/**
 * torch.norm(x, p, dim, keepdim): (sum |x|^p)^(1/p); p = 0 counts the non-zero elements, p = inf
 * and -inf are the largest and smallest |x|. An empty reduction gives 0 for every p.
 * (`gradFn`: torch.linalg.vector_norm records the same formula as LinalgVectorNormBackward0.)
 */
export function norm(x: Tensor, p: number | "fro" = 2, dim?: Dims, keepdim = false, gradFn = "NormBackward1"): Tensor {
  if (!x.dtype.isFloatingPoint)
    throw new RuntimeError(`norm(): input dtype should be either floating point or complex. Got ${x.dtype.scalarName} instead.`);
  const pp = p === "fro" ? 2 : p;
  const dims = reduceDims(dim, x.dim());
  const xd = x.detach();
  let y: Tensor;
  if (xd.numel() === 0) y = xd.sum(dims, keepdim);
  else if (pp === 0) y = xd.ne(0).sum(dims, keepdim).to(x.dtype);
  else if (pp === Infinity) y = xd.abs().amax(dims, keepdim);
  else if (pp === -Infinity) y = xd.abs().amin(dims, keepdim);
  else if (pp === 1) y = xd.abs().sum(dims, keepdim);
  else if (pp === 2) y = xd.mul(xd).sum(dims, keepdim).sqrt();
  else y = xd.abs().pow(pp).sum(dims, keepdim).pow(1 / pp);
  // NOTE: PyTorch 1.13's norm_backward, branch for branch: p = 0 has no gradient (undefined: the
  // inputs' .grad stays None); the 0 / 0 of each branch at zeros is masked to 0 as PyTorch masks it.
  return record(gradFn, [x], y, (g, s) => {
    if (pp === 0) return [null];
    const xs = s(0), ys = unsqueezeDims(s(1), dims, x.dim(), keepdim);
    const gg = unsqueezeDims(g, dims, x.dim(), keepdim);
    if (pp === 1) return [xs.sign().mul(gg)];
    if (pp === 2) return [gg.mul(xs.div(ys).maskedFill(ys.eq(0), 0))];
    if (pp === Infinity || pp === -Infinity) {
      const a = xs.abs();
      const mask = a.eq(ys).logicalOr(a.isnan());
      return [xs.sign().mul(gg.div(mask.sum(dims, true)).mul(mask))];
    }
    if (pp < 1) return [xs.sign().mul(xs.abs().pow(pp - 1).maskedFill(xs.eq(0), 0)).mul(gg).mul(ys.pow(1 - pp))];
    const scale = gg.div(ys.pow(pp - 1)).maskedFill(ys.eq(0), 0);
    if (pp < 2) return [xs.sign().mul(xs.abs().pow(pp - 1)).mul(scale)];
    return [xs.mul(xs.abs().pow(pp - 2)).mul(scale)];
  }, [x, y]);
}

export function cumulative(kind: "cumsum" | "cumprod", x: Tensor, dim: number, dtype?: DType): Tensor {
  const d = normalizeDims(dim, x.dim())[0] ?? 0;
  const out = dtype ?? (x.dtype.isFloatingPoint ? x.dtype : int64);
  checkDifferentiableOut(x, out);
  const y = fromStorage(backend().cumulative(kind, castFor(x, out)._view(), d, out), x.shape, out);
  if (!out.isFloatingPoint) return y;
  if (kind === "cumsum")
    // NOTE: the gradient of a cumulative sum is the reversed cumulative sum of the gradient.
    return record("CumsumBackward0", [x], y, (g) => [g.dim() === 0 ? g : g.flip([d]).cumsum(d).flip([d])]);
  return record("CumprodBackward0", [x], y, (g, s) => {
    const xs = s(0), ys = s(1);
    if (xs.numel() <= 1 || xs.shape[d] === 1) return [g];
    if (!xs._values().some((v) => v === 0)) {
      // valid where x has no zeros: sum_{j>=i} g_j y_j / x_i
      const t = g.mul(ys);
      return [t.flip([d]).cumsum(d).flip([d]).div(xs)];
    }
    if (!isGradEnabled()) return [cumprodBackwardZeros(g, xs, ys, d)];
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

/**
 * cumprod's gradient for an x with zeros, outside grad mode: PyTorch 1.13's O(n) formula, term for
 * term. Along dim, before the first zero z1 it is the zero-free formula (reversed cumsum of y * g,
 * over x); at z1 it is sum_j>=z1 g_j prod_{z1<k<=j} x_k (up to the second zero) times y_{z1-1}; after
 * z1 it is 0. Each part is selected (masked_scatter_ into zeros), never multiplied by a mask, so an
 * infinite g gives PyTorch's finite entries. (In grad mode PyTorch, and typetorch, use the O(n^2) form.)
 */
function cumprodBackwardZeros(g: Tensor, xs: Tensor, ys: Tensor, d: number): Tensor {
  const w = ys.mul(g);
  const cum = xs.eq(0).cumsum(d);
  const before = cum.eq(0);
  const rc = w.maskedFill(before.logicalNot(), 0).flip([d]).cumsum(d).flip([d]).div(xs);
  let out = g.newZeros(xs.shape).where(before.logicalNot(), rc);
  const run = cum.eq(1);
  const z1 = run.to(int64).argmax(d, true);
  const firstZero = g.newZeros(xs.shape).to(bool).scatter(d, z1, true).logicalAnd(run);
  const between = run.logicalAnd(firstZero.logicalNot());
  const prev = ys.gather(d, z1.sub(1).clamp(0)).maskedFill(z1.eq(0), 1);
  const atZero = xs.maskedFill(between.logicalNot(), 1).cumprod(d).mul(g.maskedFill(cum.ne(1), 0)).sum(d, true).mul(prev);
  out = atZero.expand(xs.shape).where(firstZero, out);
  return out;
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
