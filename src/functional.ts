// torch.* function forms of the tensor methods (torch.add(a, b), torch.exp(x), torch.cat(...)).
import { Tensor } from "./tensor/tensor.js";
import * as ew from "./ops/elementwise.js";
import * as vw from "./ops/views.js";
import * as la from "./ops/linalg.js";
import * as red from "./ops/reduce.js";
import * as so from "./ops/sorting.js";
import type { Scalar, TensorOrScalar } from "./ops/core.js";
import { TorchTypeError } from "./errors.js";
import type { DType } from "./tensor/dtype.js";
import type { VarOptions } from "./ops/reduce.js";
import type { Generator } from "./random/generator.js";

function first(a: TensorOrScalar, name: string): Tensor {
  if (!(a instanceof Tensor)) throw new TorchTypeError(`${name}(): argument 'input' must be Tensor, not number`);
  return a;
}

/** torch.add(a, b, {alpha}); a JS scalar first is Python's `2 + x`. */
export function add(a: TensorOrScalar, b: TensorOrScalar, opts?: { alpha?: number }): Tensor {
  return ew.binary("add", a, b, opts?.alpha);
}
/** torch.sub(a, b, {alpha}); a JS scalar first is Python's `2 - x` (RsubBackward1). */
export function sub(a: TensorOrScalar, b: TensorOrScalar, opts?: { alpha?: number }): Tensor {
  if (!(a instanceof Tensor) && b instanceof Tensor) return ew.rsub(b, a, opts?.alpha ?? 1);
  return ew.binary("sub", a, b, opts?.alpha);
}
export const subtract = sub;
/** torch.rsub(x, other) = other - x. */
export function rsub(x: Tensor, other: Scalar, opts?: { alpha?: number }): Tensor {
  return ew.rsub(x, other, opts?.alpha ?? 1);
}
export function mul(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return ew.binary("mul", a, b);
}
export const multiply = mul;
/** torch.div(a, b); a JS scalar first is Python's `2 / x`, computed as 2 * x.reciprocal() as PyTorch does. */
export function div(a: TensorOrScalar, b: TensorOrScalar, opts?: { roundingMode?: "trunc" | "floor" | null }): Tensor {
  if (!(a instanceof Tensor) && b instanceof Tensor) return b.reciprocal().mul(a);
  return first(a, "div").div(b, opts);
}
export const divide = div;
export function pow(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  if (!(a instanceof Tensor)) return ew.binary("pow", a, b);
  return a.pow(b);
}
export function remainder(a: TensorOrScalar, b: TensorOrScalar): Tensor { return ew.binary("remainder", a, b); }
export function fmod(a: Tensor, b: TensorOrScalar): Tensor { return ew.binary("fmod", a, b); }
export function floorDivide(a: Tensor, b: TensorOrScalar): Tensor { return ew.binary("floorDivide", a, b); }
/** torch.xlogy(x, y): x * log(y), 0 where x == 0; see ops/elementwise.ts. */
export function xlogy(a: TensorOrScalar, b: TensorOrScalar): Tensor { return ew.xlogy(a, b); }
export function atan2(a: Tensor, b: Tensor): Tensor {
  ew.requireTensor("atan2", "input", 1, a);
  ew.requireTensor("atan2", "other", 2, b);
  return ew.binary("atan2", a, b);
}
export function maximum(a: Tensor, b: Tensor): Tensor {
  ew.requireTensor("maximum", "input", 1, a);
  ew.requireTensor("maximum", "other", 2, b);
  return ew.binary("maximum", a, b);
}
export function minimum(a: Tensor, b: Tensor): Tensor {
  ew.requireTensor("minimum", "input", 1, a);
  ew.requireTensor("minimum", "other", 2, b);
  return ew.binary("minimum", a, b);
}
export function eq(a: Tensor, b: TensorOrScalar): Tensor { return a.eq(b); }
export function ne(a: Tensor, b: TensorOrScalar): Tensor { return a.ne(b); }
export function lt(a: Tensor, b: TensorOrScalar): Tensor { return a.lt(b); }
export function le(a: Tensor, b: TensorOrScalar): Tensor { return a.le(b); }
export function gt(a: Tensor, b: TensorOrScalar): Tensor { return a.gt(b); }
export function ge(a: Tensor, b: TensorOrScalar): Tensor { return a.ge(b); }
export function logicalAnd(a: Tensor, b: Tensor): Tensor { return a.logicalAnd(b); }
export function logicalOr(a: Tensor, b: Tensor): Tensor { return a.logicalOr(b); }
export function logicalXor(a: Tensor, b: Tensor): Tensor { return a.logicalXor(b); }
export function logicalNot(a: Tensor): Tensor { return a.logicalNot(); }
export function where(cond: Tensor, a: TensorOrScalar, b: TensorOrScalar): Tensor { return ew.where(cond, a, b); }
export function clamp(x: Tensor, min?: number | Tensor | null | ew.ClampOptions, max?: number | Tensor | null): Tensor { return x.clamp(min, max); }
export const clip = clamp;
export function lerp(a: Tensor, b: Tensor, w: number | Tensor): Tensor { return ew.lerp(a, b, w); }
export function addcmul(x: Tensor, a: Tensor, b: Tensor, opts?: { value?: number }): Tensor { return ew.addcmul(x, a, b, opts?.value); }
export function addcdiv(x: Tensor, a: Tensor, b: Tensor, opts?: { value?: number }): Tensor { return ew.addcdiv(x, a, b, opts?.value); }
export function maskedFill(x: Tensor, mask: Tensor, v: Scalar | Tensor): Tensor { return ew.maskedFill(x, mask, v); }

export function neg(x: Tensor): Tensor { return x.neg(); }
export function abs(x: Tensor): Tensor { return x.abs(); }
export function sign(x: Tensor): Tensor { return x.sign(); }
export function exp(x: Tensor): Tensor { return x.exp(); }
export function log(x: Tensor): Tensor { return x.log(); }
export function log1p(x: Tensor): Tensor { return x.log1p(); }
export function log2(x: Tensor): Tensor { return x.log2(); }
export function log10(x: Tensor): Tensor { return x.log10(); }
export function expm1(x: Tensor): Tensor { return x.expm1(); }
export function sqrt(x: Tensor): Tensor { return x.sqrt(); }
export function rsqrt(x: Tensor): Tensor { return x.rsqrt(); }
export function square(x: Tensor): Tensor { return x.square(); }
export function reciprocal(x: Tensor): Tensor { return x.reciprocal(); }
export function sin(x: Tensor): Tensor { return x.sin(); }
export function cos(x: Tensor): Tensor { return x.cos(); }
export function tan(x: Tensor): Tensor { return x.tan(); }
export function tanh(x: Tensor): Tensor { return x.tanh(); }
export function sigmoid(x: Tensor): Tensor { return x.sigmoid(); }
export function relu(x: Tensor): Tensor { return x.relu(); }
export function erf(x: Tensor): Tensor { return x.erf(); }
export function floor(x: Tensor): Tensor { return x.floor(); }
export function ceil(x: Tensor): Tensor { return x.ceil(); }
export function round(x: Tensor): Tensor { return x.round(); }
export function trunc(x: Tensor): Tensor { return x.trunc(); }
export function isnan(x: Tensor): Tensor { return x.isnan(); }

export function sum(x: Tensor, dim?: number | number[] | null, keepdim = false, opts?: { dtype?: DType }): Tensor { return x.sum(dim, keepdim, opts); }
export function mean(x: Tensor, dim?: number | number[] | null, keepdim = false, opts?: { dtype?: DType }): Tensor { return x.mean(dim, keepdim, opts); }
/** torch.prod(x, dim, keepdim, { dtype }): with a dtype the input is cast to it first, as PyTorch does. */
export function prod(x: Tensor, dim?: number | null, keepdim = false, opts?: { dtype?: DType }): Tensor { return red.prod(x, dim, keepdim, opts?.dtype); }
export function amax(x: Tensor, dim: number | number[] = [], keepdim = false): Tensor { return x.amax(dim, keepdim); }
export function amin(x: Tensor, dim: number | number[] = [], keepdim = false): Tensor { return x.amin(dim, keepdim); }
export function max(x: Tensor, dim?: number | Tensor, keepdim = false) {
  if (dim === undefined) return x.max();
  if (dim instanceof Tensor) return x.maximum(dim);
  return x.max(dim, keepdim);
}
export function min(x: Tensor, dim?: number | Tensor, keepdim = false) {
  if (dim === undefined) return x.min();
  if (dim instanceof Tensor) return x.minimum(dim);
  return x.min(dim, keepdim);
}
export function argmax(x: Tensor, dim?: number | null, keepdim = false): Tensor { return x.argmax(dim, keepdim); }
export function argmin(x: Tensor, dim?: number | null, keepdim = false): Tensor { return x.argmin(dim, keepdim); }
export function variance(x: Tensor, dim?: number | number[] | null, opts?: VarOptions): Tensor { return x.var(dim, opts); }
export { variance as var };
export function std(x: Tensor, dim?: number | number[] | null, opts?: VarOptions): Tensor { return x.std(dim, opts); }
export function logsumexp(x: Tensor, dim: number | number[], keepdim = false): Tensor { return x.logsumexp(dim, keepdim); }
export function norm(x: Tensor, p: number | "fro" = 2, dim?: number | number[] | null, keepdim = false): Tensor { return x.norm(p, dim, keepdim); }
export function all(x: Tensor, dim?: number, keepdim = false): Tensor { return x.all(dim, keepdim); }
export function any(x: Tensor, dim?: number, keepdim = false): Tensor { return x.any(dim, keepdim); }
export function cumsum(x: Tensor, dim: number, opts?: { dtype?: DType }): Tensor { return x.cumsum(dim, opts); }
export function cumprod(x: Tensor, dim: number, opts?: { dtype?: DType }): Tensor { return x.cumprod(dim, opts); }
/** torch.sort(input, dim=-1, descending=False, *, stable=False): [values, indices] (also `(x, { dim, descending, stable })`). */
export function sort(x: Tensor, dim?: number | so.SortOptions, descending?: boolean, opts?: { stable?: boolean }): red.ValuesIndices { return so.sortArgs(x, dim, descending, opts); }
/** torch.argsort(input, dim=-1, descending=False, *, stable=False). */
export function argsort(x: Tensor, dim?: number | so.SortOptions, descending?: boolean, opts?: { stable?: boolean }): Tensor { return so.sortArgs(x, dim, descending, opts).indices; }
/** torch.msort(input): sorted along the first dim. */
export function msort(x: Tensor): Tensor { return so.msort(x); }
/** torch.topk(input, k, dim=-1, largest=True, sorted=True): [values, indices]. */
export function topk(x: Tensor, k: number, dim?: number | so.TopkOptions, largest?: boolean, sorted?: boolean): red.ValuesIndices { return so.topkArgs(x, k, dim, largest, sorted); }
/** torch.kthvalue(input, k, dim=-1, keepdim=False): [values, indices]. */
export function kthvalue(x: Tensor, k: number, dim = -1, keepdim = false): red.ValuesIndices { return so.kthvalue(x, k, dim, keepdim); }
/** torch.median(input) / torch.median(input, dim, keepdim=False). */
export function median(x: Tensor): Tensor;
export function median(x: Tensor, dim: number, keepdim?: boolean): red.ValuesIndices;
export function median(x: Tensor, dim?: number, keepdim = false): Tensor | red.ValuesIndices { return so.median(x, dim, keepdim); }
/** torch.nanmedian(input) / torch.nanmedian(input, dim, keepdim=False). */
export function nanmedian(x: Tensor): Tensor;
export function nanmedian(x: Tensor, dim: number, keepdim?: boolean): red.ValuesIndices;
export function nanmedian(x: Tensor, dim?: number, keepdim = false): Tensor | red.ValuesIndices { return so.nanmedian(x, dim, keepdim); }
/** torch.mode(input, dim=-1, keepdim=False): [values, indices]. */
export function mode(x: Tensor, dim = -1, keepdim = false): red.ValuesIndices { return so.mode(x, dim, keepdim); }
/** torch.unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None), options as `{ sorted, returnInverse, returnCounts, dim }`. */
export function unique<const O extends so.UniqueOptions = {}>(x: Tensor, opts?: O): so.UniqueReturn<O> { return so.unique(x, opts) as so.UniqueReturn<O>; }
/** torch.unique_consecutive(input, return_inverse=False, return_counts=False, dim=None). */
export function uniqueConsecutive<const O extends so.UniqueConsecutiveOptions = {}>(x: Tensor, opts?: O): so.UniqueReturn<O> { return so.uniqueConsecutive(x, opts) as so.UniqueReturn<O>; }
/** torch.searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None, sorter=None). */
export function searchsorted(sortedSequence: Tensor, values: Tensor | number, opts?: so.SearchsortedOptions): Tensor { return so.searchsorted(sortedSequence, values, opts); }
/** torch.bucketize(input, boundaries, *, out_int32=False, right=False). */
export function bucketize(input: Tensor | number, boundaries: Tensor, opts?: { outInt32?: boolean; right?: boolean }): Tensor { return so.bucketize(input, boundaries, opts); }
/** torch.cummax(input, dim): [values, indices]. */
export function cummax(x: Tensor, dim: number): red.ValuesIndices { return so.cummax(x, dim); }
/** torch.cummin(input, dim): [values, indices]. */
export function cummin(x: Tensor, dim: number): red.ValuesIndices { return so.cummin(x, dim); }
/** torch.logcumsumexp(input, dim). */
export function logcumsumexp(x: Tensor, dim: number): Tensor { return so.logcumsumexp(x, dim); }

export function matmul(a: Tensor, b: Tensor): Tensor { return la.matmul(a, b); }
export function mm(a: Tensor, b: Tensor): Tensor { return la.mm(a, b); }
export function bmm(a: Tensor, b: Tensor): Tensor { return la.bmm(a, b); }
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor { return la.addmm(input, mat1, mat2, opts); }
export function mv(a: Tensor, b: Tensor): Tensor { return la.mv(a, b); }
export function dot(a: Tensor, b: Tensor): Tensor { return la.dot(a, b); }
export function outer(a: Tensor, b: Tensor): Tensor { return la.outer(a, b); }
export function softmax(x: Tensor, dim: number): Tensor { return la.softmax(x, dim); }
export function logSoftmax(x: Tensor, dim: number): Tensor { return la.logSoftmax(x, dim); }

export function cat(tensors: readonly Tensor[], dim = 0): Tensor { return vw.cat(tensors, dim); }
export const concat = cat;
export function stack(tensors: readonly Tensor[], dim = 0): Tensor { return vw.stack(tensors, dim); }
export function reshape(x: Tensor, shape: readonly number[]): Tensor { return x.reshape(shape); }
export function flatten(x: Tensor, start = 0, end = -1): Tensor { return x.flatten(start, end); }
export function transpose(x: Tensor, a: number, b: number): Tensor { return x.transpose(a, b); }
export function permute(x: Tensor, dims: readonly number[]): Tensor { return x.permute(dims); }
export function t(x: Tensor): Tensor { return x.t(); }
export function unsqueeze(x: Tensor, d: number): Tensor { return x.unsqueeze(d); }
export function squeeze(x: Tensor, d?: number): Tensor { return x.squeeze(d); }
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor { return x.narrow(dim, start, length); }
export function takeAlongDim(x: Tensor, indices: Tensor, dim?: number | null): Tensor { return x.takeAlongDim(indices, dim); }
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor { return x.diagonal(offset, dim1, dim2); }
export function select(x: Tensor, dim: number, index: number): Tensor { return x.select(dim, index); }
export function unbind(x: Tensor, dim = 0): Tensor[] { return x.unbind(dim); }
export function split(x: Tensor, s: number | number[], dim = 0): Tensor[] { return x.split(s, dim); }
export function chunk(x: Tensor, n: number, dim = 0): Tensor[] { return x.chunk(n, dim); }
export function flip(x: Tensor, dims: readonly number[]): Tensor { return x.flip(dims); }
export function clone(x: Tensor): Tensor { return x.clone(); }
export function gather(x: Tensor, dim: number, index: Tensor): Tensor { return x.gather(dim, index); }
export function scatter(x: Tensor, dim: number, index: Tensor, src: TensorOrScalar): Tensor { return x.scatter(dim, index, src); }
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor { return x.scatterAdd(dim, index, src); }
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor { return x.indexSelect(dim, index); }
export function nonzero(x: Tensor): Tensor { return x.nonzero(); }
export function numel(x: Tensor): number { return x.numel(); }
export function isTensor(x: unknown): x is Tensor { return x instanceof Tensor; }
export function equal(a: Tensor, b: Tensor): boolean { return a.equal(b); }
export function allclose(a: Tensor, b: Tensor, rtol = 1e-5, atol = 1e-8, equalNan = false): boolean { return a.allclose(b, rtol, atol, equalNan); }
/** torch.multinomial(input, numSamples, { replacement, generator }): see Tensor.multinomial. */
export function multinomial(input: Tensor, numSamples: number, replacement?: boolean | { replacement?: boolean; generator?: Generator }, opts?: { generator?: Generator }): Tensor {
  return input.multinomial(numSamples, replacement, opts);
}
