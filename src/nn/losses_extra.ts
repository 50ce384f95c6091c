// nn.functional losses beyond MSE / NLL / BCE: margin ranking, hinge embedding, cosine embedding,
// triplet margin, multilabel soft margin, multi margin, multilabel margin, soft margin, Poisson NLL,
// Gaussian NLL and CTC. PyTorch's composites (aten/src/ATen/native/Loss.cpp and torch/nn/functional.py)
// are composed the same way, so their grad_fn names and rounding follow; PyTorch's kernels
// (multi_margin_loss, multilabel_margin_loss, soft_margin_loss, _ctc_loss) are one node each, their
// forward and backward written as PyTorch's CPU loops.
import type { Tensor } from "../tensor/tensor.js";
import { isGradEnabled, noGrad } from "../autograd/grad_mode.js";
import { record } from "../autograd/function.js";
import { RuntimeError, ValueError } from "../errors.js";
import { tensor, zeros, zerosLike } from "../ops/creation.js";
import * as ew from "../ops/elementwise.js";
import { notImplemented } from "../ops/table.js";
import { int64 } from "../tensor/dtype.js";
import type { Reduction } from "./functional.js";
import { logsigmoid } from "./activation_extra.js";
import { pairwiseDistance } from "./layers_extra.js";

/** _Reduction.get_enum's check. */
function checkReduction(reduction: string): void {
  if (reduction !== "mean" && reduction !== "sum" && reduction !== "none") throw new ValueError(`${reduction} is not a valid value for reduction`);
}
/** ATen's apply_loss_reduction. */
function applyReduction(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === "mean") return loss.mean();
  if (reduction === "sum") return loss.sum();
  return loss;
}
/** at::clamp_min(x, min) (ClampMinBackward0: g where x >= min, else 0). */
function clampMin(x: Tensor, min: number): Tensor {
  return ew.unaryParam("ClampMinBackward0", "clamp", x, min, Infinity, (g, v) => g.where(v.ge(min), 0), "x");
}
const sizeList = (s: readonly number[]): string => `[${s.join(", ")}]`;
const torchSize = (s: readonly number[]): string => `torch.Size([${s.join(", ")}])`;
/** The rounding of a kernel's scalar_t arithmetic: float32 or float64. */
const rounder = (t: Tensor): ((v: number) => number) => (t.dtype.name === "float32" ? Math.fround : (v: number) => v);
const values = (t: Tensor): Float64Array => Float64Array.from(t.contiguous().dataSync() as ArrayLike<number>);
const ints = (t: Tensor): number[] => Array.from(t.contiguous().dataSync() as ArrayLike<number | bigint>, Number);

/**
 * The gradient a kernel's backward returns: under create_graph it carries PyTorch's NotImplemented
 * node for the backward's own derivative, which PyTorch 1.13 does not have for these kernels.
 */
function notDifferentiableTwice(aten: string, grad: Tensor, inputs: Tensor[]): Tensor {
  if (!isGradEnabled()) return grad;
  return record("NotImplemented", inputs, grad, notImplemented(aten));
}

export interface MarginOptions {
  margin?: number;
  reduction?: Reduction;
}

/** F.margin_ranking_loss: max(0, -y (x1 - x2) + margin). */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, opts: MarginOptions = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  checkReduction(reduction);
  if (input1.dim() !== input2.dim() || input1.dim() !== target.dim())
    throw new RuntimeError(`margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: ${torchSize(input1.shape)}, input2: ${torchSize(input2.shape)}, target: ${torchSize(target.shape)} `);
  return applyReduction(clampMin(target.neg().mul(input1.sub(input2)).add(opts.margin ?? 0), 0), reduction);
}

/** F.hinge_embedding_loss: x where y = 1, max(0, margin - x) where y = -1 (summed where y is neither). */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, opts: MarginOptions = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  checkReduction(reduction);
  const margin = opts.margin ?? 1.0;
  const z = zerosLike(input);
  const marginClamp = clampMin(input.neg().add(margin), 0);
  const outMargin = ew.where(target.ne(1), marginClamp, z);
  const outSelf = ew.where(target.ne(-1), input, z);
  return applyReduction(outMargin.add(outSelf), reduction);
}

/** Loss.cpp's EPSILON, a float constant. */
const EPSILON = Math.fround(1e-12);

/** F.cosine_embedding_loss: 1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1. */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, opts: MarginOptions = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  checkReduction(reduction);
  const margin = opts.margin ?? 0;
  const td = target.dim();
  if (td !== 1 && td !== 0) throw new RuntimeError("0D or 1D target tensor expected, multi-target not supported");
  if (td === 1 && input1.dim() !== 2)
    throw new RuntimeError(`1D target tensor expects 2D input tensors, but found inputs with sizes ${sizeList(input1.shape)} and ${sizeList(input2.shape)}.`);
  if (td === 0 && input1.dim() !== 1)
    throw new RuntimeError(`0D target tensor expects 1D input tensors, but found inputs with sizes ${sizeList(input1.shape)} and ${sizeList(input2.shape)}.`);
  const prodSum = input1.mul(input2).sum(td);
  const mag1 = input1.mul(input1).sum(td).add(EPSILON);
  const mag2 = input2.mul(input2).sum(td).add(EPSILON);
  const cos = prodSum.div(mag1.mul(mag2).sqrt());
  const z = zerosLike(cos);
  const pos = cos.neg().add(1);
  const neg = clampMin(cos.sub(margin), 0);
  const outPos = ew.where(target.eq(1), pos, z);
  const outNeg = ew.where(target.eq(-1), neg, z);
  return applyReduction(outPos.add(outNeg), reduction);
}

export interface TripletMarginOptions extends MarginOptions {
  p?: number;
  eps?: number;
  swap?: boolean;
}

/** F.triplet_margin_loss: max(d(a, p) - d(a, n) + margin, 0), d the pairwise distance (swap: min with d(p, n)). */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, opts: TripletMarginOptions = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  checkReduction(reduction);
  const margin = opts.margin ?? 1.0, p = opts.p ?? 2, eps = opts.eps ?? 1e-6;
  const [a, pd, n] = [anchor.dim(), positive.dim(), negative.dim()];
  if (a !== pd || pd !== n) throw new RuntimeError(`All inputs should have same dimension but got ${a}D, ${pd}D and ${n}D inputs.`);
  const dPos = pairwiseDistance(anchor, positive, p, eps);
  let dNeg = pairwiseDistance(anchor, negative, p, eps);
  if (opts.swap) dNeg = dNeg.minimum(pairwiseDistance(positive, negative, p, eps));
  // NOTE: `margin + dist_pos - dist_neg`, left to right, as ATen writes it
  return applyReduction(clampMin(dPos.add(margin).sub(dNeg), 0), reduction);
}

/**
 * F.multilabel_soft_margin_loss: -mean over classes of (y log sigmoid(x) + (1 - y) log sigmoid(-x)),
 * weighted per class, composed as PyTorch's Python.
 */
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, opts: { weight?: Tensor | null; reduction?: Reduction } = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  let loss = target.mul(logsigmoid(input)).add(target.neg().add(1).mul(logsigmoid(input.neg()))).neg();
  if (opts.weight) loss = loss.mul(opts.weight);
  const classDim = input.dim() - 1;
  const C = input.size(classDim);
  loss = loss.sum(classDim).div(C);
  if (reduction === "none") return loss;
  if (reduction === "mean") return loss.mean();
  if (reduction === "sum") return loss.sum();
  throw new ValueError(`${reduction} is not valid`);
}

export interface MultiMarginOptions extends MarginOptions {
  p?: number;
  weight?: Tensor | null;
}

/** multi_margin_loss_shape_check: [nframe, dim]. */
function marginShape(input: Tensor, target: Tensor, targetError: (t: Tensor) => string, multilabel: boolean): [number, number] {
  const nd = input.dim();
  const valid = (nd === 2 && input.size(1) !== 0) || (nd === 1 && input.size(0) !== 0) || nd === 0;
  const nframe = nd <= 1 ? 1 : input.size(0), dim = nd === 0 ? 1 : nd === 1 ? input.size(0) : input.size(1);
  if (!valid) throw new RuntimeError(`Expected non-empty vector or matrix with optional 0-dim batch size, but got: ${sizeList(input.shape)}`);
  const ok = multilabel
    ? nd <= 1 ? target.dim() <= 1 && target.numel() === dim : target.dim() === 2 && target.size(0) === nframe && target.size(1) === dim
    : target.dim() <= 1 && target.numel() === nframe;
  if (!ok) throw new RuntimeError(targetError(target));
  return [nframe, dim];
}

/**
 * F.multi_margin_loss: per sample, sum over classes d != y of max(0, margin - x[y] + x[d])^p (times
 * weight[y]) / C (MultiMarginLossBackward0). NOTE: the sums run in the input's dtype and the batch
 * total in double, as PyTorch's CPU kernel accumulates them.
 */
export function multiMarginLoss(input: Tensor, target: Tensor, opts: MultiMarginOptions = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  checkReduction(reduction);
  const p = opts.p ?? 1, w = opts.weight ?? null;
  if (p !== 1 && p !== 2) throw new ValueError("only p == 1 and p == 2 supported");
  if (w && w.dim() !== 1) throw new ValueError("weight must be one-dimensional");
  const [nframe, dim] = marginShape(input, target, (t) => `inconsistent target size, got: ${sizeList(t.shape)}`, false);
  if (!input.dtype.isFloatingPoint) throw new RuntimeError(`"multi_margin_loss_cpu_kernel" not implemented for '${input.dtype.scalarName}'`);
  if (target.dtype !== int64) throw new RuntimeError(`expected scalar type Long but found ${target.dtype.scalarName}`);
  const r = rounder(input);
  const x = values(input), t = ints(target), wv = w ? values(w) : null;
  const margin = r(opts.margin ?? 1);
  const idxOf = (i: number): number => {
    const k = t[i]!;
    if (k < 0 || k >= dim) throw new RuntimeError("target out of range");
    return k;
  };
  const perSample = (i: number): number => {
    const k = idxOf(i), o = i * dim, xt = x[o + k]!;
    let sum = 0;
    for (let d = 0; d < dim; d++) {
      if (d === k) continue;
      const z = r(r(margin - xt) + x[o + d]!);
      if (z > 0) {
        let h = p === 1 ? z : r(z * z);
        if (wv) h = r(h * wv[k]!);
        sum = r(sum + h);
      }
    }
    return r(sum / dim);
  };
  const none = reduction === "none" && target.dim() > 0;
  let y: Tensor;
  if (none) y = tensor(Array.from({ length: nframe }, (_, i) => perSample(i)), { dtype: input.dtype });
  else {
    let sum = 0;
    for (let i = 0; i < nframe; i++) sum += perSample(i);
    if (reduction === "mean") sum /= nframe;
    y = tensor(r(sum), { dtype: input.dtype });
  }
  return record("MultiMarginLossBackward0", [input], y, (g, s) => {
    const xs = values(s(0));
    const gs = r(reduction === "mean" ? 1 / (nframe * dim) : 1 / dim);
    const gi = new Float64Array(nframe * dim);
    for (let i = 0; i < nframe; i++) {
      const k = idxOf(i), o = i * dim, xt = xs[o + k]!;
      let gt = 0;
      for (let d = 0; d < dim; d++) {
        const z = r(r(margin - xt) + xs[o + d]!);
        if (d === k) continue;
        if (z > 0) {
          let h = p === 1 ? gs : r(r(2 * gs) * z);
          if (wv) h = r(h * wv[k]!);
          gt = r(gt - h);
          gi[o + d] = h;
        } else gi[o + d] = 0;
      }
      gi[o + k] = gt;
    }
    const coef = tensor(Array.from(gi), { dtype: input.dtype }).view(nframe, dim);
    const gg = none ? g.view(nframe, 1) : g;
    return [notDifferentiableTwice("aten::multi_margin_loss_backward", coef.mul(gg).view(input.shape), [g, s(0)])];
  }, [input]);
}

/**
 * F.multilabel_margin_loss: per sample, sum over its target classes j (the leading entries of the
 * target row before the first -1) and the non-target classes d of max(0, 1 - x[j] + x[d]), over C
 * (MultilabelMarginLossBackward0). NOTE: as PyTorch's CPU kernel, each sample's sum is accumulated
 * in double and stored in the input's dtype; the batch total is accumulated in double.
 */
export function multilabelMarginLoss(input: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  checkReduction(reduction);
  const [nframe, dim] = marginShape(input, target, (t) => `inconsistent size ${sizeList(t.shape)} for argument #2 'target'`, true);
  if (target.dtype !== int64) throw new RuntimeError(`expected scalar type Long but found ${target.dtype.scalarName}`);
  if (!input.dtype.isFloatingPoint) throw new RuntimeError(`"multilabel_margin_loss_forward_out_frame" not implemented for '${input.dtype.scalarName}'`);
  const r = rounder(input);
  const x = values(input), t = ints(target);
  for (const k of t) if (k < -1 || k >= dim) throw new RuntimeError("argument #2 'target' is out of range");
  const isTarget = new Uint8Array(nframe * dim);
  for (let i = 0; i < nframe; i++)
    for (let j = 0; j < dim; j++) {
      const k = t[i * dim + j]!;
      if (k < 0) break;
      isTarget[i * dim + k] = 1;
    }
  const inner = (i: number): number => {
    const o = i * dim;
    let sum = 0;
    for (let j = 0; j < dim; j++) {
      const k = t[o + j]!;
      if (k < 0) break;
      const xt = x[o + k]!;
      for (let d = 0; d < dim; d++) {
        if (isTarget[o + d]) continue;
        const z = r(r(1 - xt) + x[o + d]!);
        if (z > 0) sum += z;
      }
    }
    return r(sum);
  };
  const none = reduction === "none" && target.dim() > 1;
  let y: Tensor;
  if (none) y = tensor(Array.from({ length: nframe }, (_, i) => r(inner(i) / dim)), { dtype: input.dtype });
  else {
    let sum = 0;
    for (let i = 0; i < nframe; i++) sum += inner(i);
    sum /= dim;
    if (reduction === "mean") sum /= nframe;
    y = tensor(r(sum), { dtype: input.dtype });
  }
  return record("MultilabelMarginLossBackward0", [input], y, (g, s) => {
    const xs = values(s(0));
    const gs = r(reduction === "mean" ? 1 / (nframe * dim) : 1 / dim);
    const gi = new Float64Array(nframe * dim);
    for (let i = 0; i < nframe; i++) {
      const o = i * dim;
      for (let j = 0; j < dim; j++) {
        const k = t[o + j]!;
        if (k < 0) break;
        const xt = xs[o + k]!;
        for (let d = 0; d < dim; d++) {
          if (isTarget[o + d]) continue;
          const z = r(r(1 - xt) + xs[o + d]!);
          if (z > 0) {
            gi[o + k] = r(gi[o + k]! - gs);
            gi[o + d] = r(gi[o + d]! + gs);
          }
        }
      }
    }
    const coef = tensor(Array.from(gi), { dtype: input.dtype }).view(nframe, dim);
    const gg = none ? g.view(nframe, 1) : g;
    return [notDifferentiableTwice("aten::multilabel_margin_loss_backward", coef.mul(gg).view(input.shape), [g, s(0)])];
  }, [input]);
}

/**
 * F.soft_margin_loss: log(1 + exp(-y x)) (SoftMarginLossBackward0). PyTorch does not differentiate
 * it with respect to the target.
 */
export function softMarginLoss(input: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  checkReduction(reduction);
  if (target.requiresGrad && isGradEnabled())
    throw new RuntimeError("The function 'soft_margin_loss' is not differentiable with respect to argument 'target'. This input cannot have requires_grad True.");
  // (PyTorch's: neg_out(output, input).mul_(target).exp_().log1p_(), then the reduction)
  const y = noGrad(() => applyReduction(input.neg().mul(target).exp().log1p(), reduction));
  return record("SoftMarginLossBackward0", [input], y, (g, s) => {
    const x = s(0), tt = s(1);
    const norm = reduction === "mean" ? 1 / x.numel() : 1;
    // grad_input = -norm * target * z / (1 + z) * grad_output with z = exp(-target * input), in ATen's order
    const z = tt.neg().mul(x).exp();
    return [tt.mul(z).mul(-norm).div(z.add(1)).mul(g)];
  }, [input, target]);
}

export interface PoissonNllOptions {
  logInput?: boolean;
  full?: boolean;
  eps?: number;
  reduction?: Reduction;
}

/**
 * F.poisson_nll_loss: exp(x) - y x (logInput) or x - y log(x + eps), plus with `full` Stirling's
 * y log y - y + 0.5 log(2 pi y) where y > 1.
 */
export function poissonNllLoss(input: Tensor, target: Tensor, opts: PoissonNllOptions = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  if (reduction !== "none" && reduction !== "mean" && reduction !== "sum") throw new ValueError(`${reduction} is not valid`);
  const logInput = opts.logInput ?? true, eps = opts.eps ?? 1e-8;
  let loss = logInput ? input.exp().sub(target.mul(input)) : input.sub(target.mul(input.add(eps).log()));
  if (opts.full) {
    const stirling = target.mul(target.log()).sub(target).add(target.mul(2 * Math.PI).log().mul(0.5));
    loss = loss.add_(stirling.maskedFill(target.le(1), 0));
  }
  return applyReduction(loss, reduction);
}

export interface GaussianNllOptions {
  full?: boolean;
  eps?: number;
  reduction?: Reduction;
}

/**
 * F.gaussian_nll_loss: 0.5 (log(max(var, eps)) + (x - y)^2 / max(var, eps)) (+ 0.5 log(2 pi) with
 * `full`). NOTE: as PyTorch, var is cloned and clamped in place under no_grad, so its gradient
 * flows as if unclamped.
 */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, opts: GaussianNllOptions = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  const eps = opts.eps ?? 1e-6;
  let v = variance;
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((s, i) => s === b[i]);
  if (!same(v.shape, input.shape)) {
    const lead = input.shape.slice(0, -1);
    if (same(lead, v.shape)) v = v.unsqueeze(-1);
    else if (same(lead, v.shape.slice(0, -1)) && v.size(-1) === 1) { /* homoscedastic, broadcasts */ }
    else throw new ValueError("var is of incorrect size");
  }
  if (reduction !== "none" && reduction !== "mean" && reduction !== "sum") throw new ValueError(`${reduction} is not valid`);
  if (v.lt(0).any().item()) throw new ValueError("var has negative entry/entries");
  v = v.clone();
  noGrad(() => v.clamp_(eps));
  let loss = v.log().add(input.sub(target).pow(2).div(v)).mul(0.5);
  if (opts.full) loss = loss.add_(0.5 * Math.log(2 * Math.PI));
  if (reduction === "mean") return loss.mean();
  if (reduction === "sum") return loss.sum();
  return loss;
}

// ---------------------------------------------------------------- CTC
export interface CtcOptions {
  blank?: number;
  reduction?: Reduction;
  zeroInfinity?: boolean;
}

type Lengths = Tensor | readonly number[] | number;
const lengthsOf = (l: Lengths): number[] => (typeof l === "number" ? [l] : Array.isArray(l) ? [...(l as number[])] : ints(l as Tensor));

/**
 * F.ctc_loss: the negative log likelihood of each target sequence under the CTC alignment model,
 * from log probabilities (T, N, C) (or (T, C) unbatched), targets (N, S) padded or concatenated
 * (sum of targetLengths), and the lengths. "mean" divides each loss by its target length (at least 1)
 * and averages; zeroInfinity replaces infinite losses (impossible alignments) and their gradients by 0.
 * NOTE: PyTorch's CPU algorithm (aten/src/ATen/native/LossCTC.cpp): alpha and beta recursions in log
 * space in the input's dtype; the gradient (CtcLossBackward0) is exp(lp) - exp(log(alpha beta) + nll - lp),
 * that is, the gradient with respect to the logits when the log probabilities come from log_softmax
 * (as PyTorch's: not the derivative with respect to log_probs taken as free inputs).
 */
export function ctcLoss(logProbs: Tensor, targets: Tensor, inputLengths: Lengths, targetLengths: Lengths, opts: CtcOptions = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  checkReduction(reduction);
  const blank = opts.blank ?? 0, zeroInf = opts.zeroInfinity ?? false;
  const batched = logProbs.dim() === 3;
  const lp3 = batched ? logProbs : logProbs.unsqueeze(1);
  const il = lengthsOf(inputLengths), tl = lengthsOf(targetLengths);
  if (!lp3.dtype.isFloatingPoint) throw new RuntimeError(`"ctc_loss_cpu" not implemented for '${lp3.dtype.scalarName}'`);
  if (lp3.dim() !== 3) throw new RuntimeError(`Expected 3-dimensional tensor, but got ${lp3.dim()}-dimensional tensor for argument #1 'log_probs' (while checking arguments for ctc_loss_cpu)`);
  const tg = targets.dtype === int64 ? targets : targets.to(int64);
  if (tg.dim() < 1 || tg.dim() > 2)
    throw new RuntimeError(`Expected 1 to 2 dimensions, but got ${tg.dim()}-dimensional tensor for argument #2 'targets' (while checking arguments for ctc_loss_cpu)`);
  const [T, B, C] = lp3.shape as [number, number, number];
  if (!(blank >= 0 && blank < C)) throw new RuntimeError("blank must be in label range");
  if (il.length !== B) throw new RuntimeError("input_lengths must be of size batch_size");
  if (tl.length !== B) throw new RuntimeError("target_lengths must be of size batch_size");
  const tgOff = new Array<number>(B);
  let maxTL = 0;
  const tgv = ints(tg);
  if (tg.dim() === 1) {
    let pos = 0;
    for (let b = 0; b < B; b++) {
      tgOff[b] = pos;
      pos += tl[b]!;
      maxTL = Math.max(maxTL, tl[b]!);
    }
    if (tg.size(0) !== pos)
      throw new RuntimeError(`Expected tensor to have size ${pos} at dimension 0, but got size ${tg.size(0)} for argument #2 'targets' (while checking arguments for ctc_loss_cpu)`);
  } else {
    const rowLen = tg.size(1);
    for (let b = 0; b < B; b++) {
      tgOff[b] = b * rowLen;
      maxTL = Math.max(maxTL, tl[b]!);
    }
    if (tg.size(0) !== B)
      throw new RuntimeError(`Expected tensor to have size ${B} at dimension 0, but got size ${tg.size(0)} for argument #2 'targets' (while checking arguments for ctc_loss_cpu)`);
    if (rowLen < maxTL)
      throw new RuntimeError(`Expected tensor to have size at least ${maxTL} at dimension 1, but got size ${rowLen} for argument #2 'targets' (while checking arguments for ctc_loss_cpu)`);
  }
  for (let b = 0; b < B; b++)
    if (il[b]! > T) throw new RuntimeError(`Expected input_lengths to have value at most ${T}, but got value ${il[b]} (while checking arguments for ctc_loss_cpu)`);
  const r = rounder(lp3);
  const lp = values(lp3); // [T, B, C]
  const S = 2 * maxTL + 1;
  const at = (t: number, b: number, c: number) => lp[(t * B + b) * C + c]!;
  // (the targets are read flattened in row-major order: target j of batch entry b is tgv[tgOff[b] + j])
  const prime = (b: number, s: number) => (s % 2 === 0 ? blank : tgv[tgOff[b]! + (s - 1) / 2]!);
  const lse3 = (a1: number, a2: number, a3: number): number => {
    let m = a1;
    if (a2 > m) m = a2;
    if (a3 > m) m = a3;
    if (m === -Infinity) m = 0;
    const sum = r(r(r(Math.exp(r(a1 - m))) + r(Math.exp(r(a2 - m)))) + r(Math.exp(r(a3 - m))));
    return r(r(Math.log(sum)) + m);
  };
  // log_alpha [B, T, S]
  const alpha = new Float64Array(B * T * S).fill(-Infinity);
  const nll = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const inL = il[b]!, tL = tl[b]!;
    const A = (t: number, s: number) => (b * T + t) * S + s;
    if (inL === 0) { nll[b] = tL === 0 ? 0 : Infinity; continue; }
    alpha[A(0, 0)] = at(0, b, blank);
    if (tL > 0) alpha[A(0, 1)] = at(0, b, prime(b, 1));
    for (let t = 1; t < inL; t++)
      for (let s = 0; s < 2 * tL + 1; s++) {
        const cur = prime(b, s);
        const la1 = alpha[A(t - 1, s)]!;
        const la2 = s > 0 ? alpha[A(t - 1, s - 1)]! : -Infinity;
        const la3 = s > 1 && prime(b, s - 2) !== cur ? alpha[A(t - 1, s - 2)]! : -Infinity;
        alpha[A(t, s)] = r(lse3(la1, la2, la3) + at(t, b, cur));
      }
    if (tL === 0) nll[b] = -alpha[A(inL - 1, 0)]!;
    else {
      const l1 = alpha[A(inL - 1, 2 * tL)]!, l2 = alpha[A(inL - 1, 2 * tL - 1)]!;
      let m = Math.max(l1, l2);
      if (m === -Infinity) m = 0;
      nll[b] = -r(r(Math.log(r(r(Math.exp(r(l1 - m))) + r(Math.exp(r(l2 - m)))))) + m);
    }
  }
  let res = record("CtcLossBackward0", [lp3], tensor(Array.from(nll), { dtype: lp3.dtype }), (g, s) => {
    const gv = values(g);
    const grad = new Float64Array(T * B * C).fill(-Infinity);
    const G = (t: number, b: number, c: number) => (t * B + b) * C + c;
    const beta = new Float64Array(B * T * S).fill(-Infinity);
    for (let b = 0; b < B; b++) {
      const inL = il[b]!, tL = tl[b]!;
      const nl = nll[b]!;
      if (zeroInf && nl === Infinity) {
        for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) grad[G(t, b, c)] = 0;
        continue;
      }
      const A = (t: number, s: number) => (b * T + t) * S + s;
      if (inL > 0) {
        beta[A(inL - 1, 2 * tL)] = at(inL - 1, b, blank);
        grad[G(inL - 1, b, blank)] = r(alpha[A(inL - 1, 2 * tL)]! + beta[A(inL - 1, 2 * tL)]!);
        if (tL > 0) {
          const cur = prime(b, 2 * tL - 1);
          beta[A(inL - 1, 2 * tL - 1)] = at(inL - 1, b, cur);
          grad[G(inL - 1, b, cur)] = r(alpha[A(inL - 1, 2 * tL - 1)]! + beta[A(inL - 1, 2 * tL - 1)]!);
        }
      }
      for (let t = inL - 2; t >= 0; t--)
        for (let s2 = 2 * tL; s2 >= 0; s2--) {
          const cur = prime(b, s2);
          const lb1 = beta[A(t + 1, s2)]!;
          const lb2 = s2 < 2 * tL ? beta[A(t + 1, s2 + 1)]! : -Infinity;
          const lb3 = s2 < 2 * tL - 1 && prime(b, s2 + 2) !== cur ? beta[A(t + 1, s2 + 2)]! : -Infinity;
          beta[A(t, s2)] = r(lse3(lb1, lb2, lb3) + at(t, b, cur));
          const lab = r(alpha[A(t, s2)]! + beta[A(t, s2)]!);
          const k = G(t, b, cur);
          const lcab = grad[k]!;
          if (lcab === -Infinity) grad[k] = lab;
          else {
            const m = Math.max(lcab, lab);
            grad[k] = r(r(Math.log(r(r(Math.exp(r(lcab - m))) + r(Math.exp(r(lab - m)))))) + m);
          }
        }
      const gr = gv[b]!;
      for (let t = 0; t < inL; t++)
        for (let c = 0; c < C; c++) {
          const k = G(t, b, c);
          const l = at(t, b, c);
          grad[k] = r(r(r(Math.exp(l)) - r(Math.exp(r(r(grad[k]! + nl) - l)))) * gr);
        }
      for (let t = inL; t < T; t++) for (let c = 0; c < C; c++) grad[G(t, b, c)] = 0;
    }
    const gt = tensor(Array.from(grad), { dtype: lp3.dtype }).view(T, B, C);
    return [notDifferentiableTwice("aten::_ctc_loss_backward", gt, [g, s(0)])];
  }, [lp3]);
  if (zeroInf) res = ew.where(res.eq(Infinity), zeros([], { dtype: res.dtype }), res);
  if (reduction === "mean") return res.div(tensor(tl, { dtype: res.dtype }).clamp(1)).mean();
  if (reduction === "sum") return res.sum();
  return batched ? res : res.squeeze(0);
}

export const margin_ranking_loss = marginRankingLoss;
export const hinge_embedding_loss = hingeEmbeddingLoss;
export const cosine_embedding_loss = cosineEmbeddingLoss;
export const triplet_margin_loss = tripletMarginLoss;
export const multilabel_soft_margin_loss = multilabelSoftMarginLoss;
export const multi_margin_loss = multiMarginLoss;
export const multilabel_margin_loss = multilabelMarginLoss;
export const soft_margin_loss = softMarginLoss;
export const poisson_nll_loss = poissonNllLoss;
export const gaussian_nll_loss = gaussianNllLoss;
export const ctc_loss = ctcLoss;
