// nn.functional: layers and losses as functions, composed from tensor ops. Where PyTorch has a fused
// kernel (and so its own grad_fn name), the forward is computed under noGrad and `record` makes the
// node with PyTorch's name and a backward written in tensor ops.
import { NllCascade } from "../backend/cpu/nll_cascade.js";
import { Tensor } from "../tensor/tensor.js";
import { isGradEnabled, noGrad } from "../autograd/grad_mode.js";
import { record } from "../autograd/function.js";
import { full, tensor, zeros, zerosLike } from "../ops/creation.js";
import { bool, int64, intText, type DType } from "../tensor/dtype.js";
import * as ew from "../ops/elementwise.js";
import { addmm } from "../ops/linalg.js";
import { indexAddToZeros } from "../ops/indexing.js";
import { RuntimeError, ValueError, IndexError } from "../errors.js";
import { backend, fromStorage } from "../ops/core.js";
import type { Backend } from "../backend/backend.js";

export type Reduction = "mean" | "sum" | "none";

function sizeStr(s: readonly number[]): string {
  return `torch.Size([${s.join(", ")}])`;
}

// ---------------------------------------------------------------- linear
/**
 * y = x W^T + b. NOTE: for a 2-D input with bias PyTorch uses one addmm (AddmmBackward0); other
 * ranks go through matmul and an add, which is what we do too.
 */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (input.dim() === 0 || (weight.dim() !== 2 && weight.dim() !== 1)) throw new RuntimeError("both arguments to linear need to be at least 1D, but they are " + `${input.dim()}D and ${weight.dim()}D`);
  const inF = input.size(-1);
  if (weight.dim() === 2 && weight.size(1) !== inF) {
    const rows = input.numel() / inF;
    throw new RuntimeError(`mat1 and mat2 shapes cannot be multiplied (${input.dim() === 1 ? 1 : rows}x${inF} and ${weight.size(1)}x${weight.size(0)})`);
  }
  // NOTE: PyTorch's linear is addmm(bias, input, weight.t()): the bias goes into C before the
  // products are added (BLAS beta = 1), which rounds differently from adding it afterwards.
  if (input.dim() === 2 && bias && weight.dim() === 2) return addmm(bias, input, weight.t());
  if (input.dim() > 2 && bias && weight.dim() === 2) {
    // NOTE: PyTorch folds the batch dims into one addmm and views the result back (ViewBackward0)
    const flat = input.isContiguous() ? input.view(-1, inF) : input.reshape(-1, inF);
    return linear(flat, weight, bias).view([...input.shape.slice(0, -1), weight.size(0)]);
  }
  const y = input.matmul(weight.t());
  return bias ? y.add(bias) : y;
}

// ---------------------------------------------------------------- activations
export function relu(input: Tensor, inplace = false): Tensor {
  return inplace ? input.relu_() : input.relu();
}
/**
 * HardTanh: clamp(x, minVal, maxVal) under HardtanhBackward0, whose gradient is g strictly inside
 * (minVal, maxVal) and 0 at and beyond the bounds (PyTorch's hardtanh_backward; clamp's keeps the bounds).
 * (PyTorch 1.13 does not check minVal <= maxVal here: the result is then maxVal, as clamp's.)
 */
export function hardtanh(input: Tensor, minVal = -1, maxVal = 1): Tensor {
  return ew.unaryParam("HardtanhBackward0", "clamp", input, minVal, maxVal, (g, x) => g.maskedFill(x.le(minVal).logicalOr(x.ge(maxVal)), 0), "x");
}
/** ReLU6: hardtanh(x, 0, 6), as PyTorch (HardtanhBackward0). */
export function relu6(input: Tensor): Tensor {
  return hardtanh(input, 0, 6);
}
export function leakyRelu(input: Tensor, negativeSlope = 0.01): Tensor {
  return ew.leakyRelu(input, negativeSlope);
}
export function elu(input: Tensor, alpha = 1.0): Tensor {
  return ew.elu(input, alpha);
}
/** GELU; approximate "tanh" uses 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
export function gelu(input: Tensor, opts: { approximate?: "none" | "tanh" } = {}): Tensor {
  const a = opts.approximate ?? "none";
  if (a !== "none" && a !== "tanh") throw new RuntimeError(`approximate argument must be either none or tanh.`);
  return ew.unary(a === "tanh" ? "geluTanh" : "gelu", input);
}
export function silu(input: Tensor): Tensor {
  return ew.unary("silu", input);
}
export function sigmoid(input: Tensor): Tensor {
  return input.sigmoid();
}
export function tanh(input: Tensor): Tensor {
  return input.tanh();
}
export function softplus(input: Tensor, beta = 1, threshold = 20): Tensor {
  return ew.softplus(input, beta, threshold);
}
export function softmax(input: Tensor, dim: number, opts: { dtype?: DType } = {}): Tensor {
  return (opts.dtype ? input.to(opts.dtype) : input).softmax(dim);
}
export function logSoftmax(input: Tensor, dim: number, opts: { dtype?: DType } = {}): Tensor {
  return (opts.dtype ? input.to(opts.dtype) : input).logSoftmax(dim);
}

// ---------------------------------------------------------------- dropout
/**
 * Zeroes each element with probability p and scales the rest by 1/(1-p) (training only).
 * NOTE: the mask is drawn as PyTorch's CPU kernel does, `empty_like(x).bernoulli_(1 - p)`, so masks
 * match under manualSeed.
 */
export function dropout(input: Tensor, p = 0.5, training = true, inplace = false): Tensor {
  if (p < 0 || p > 1) throw new ValueError(`dropout probability has to be between 0 and 1, but got ${p}`);
  if (!training || p === 0) return input;
  if (p === 1) return inplace ? input.mul_(0) : input.mul(zeros([], { dtype: input.dtype }));
  const noise = noGrad(() => zerosLike(input).bernoulli_(1 - p).div_(1 - p));
  return inplace ? input.mul_(noise) : input.mul(noise);
}

// ---------------------------------------------------------------- normalization
/** Normalizes over the last normalizedShape.length dims, then scales and shifts. */
export function layerNorm(input: Tensor, normalizedShape: number | readonly number[], weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  const ns = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
  const shape = input.shape;
  const tail = shape.slice(shape.length - ns.length);
  if (ns.length > shape.length || tail.join(",") !== ns.join(","))
    throw new RuntimeError(
      `Given normalized_shape=[${ns.join(", ")}], expected input with shape [*, ${ns.join(", ")}], but got input of size[${shape.join(", ")}]`,
    );
  const dims = ns.map((_, i) => shape.length - ns.length + i);
  let D = 1;
  for (const s of ns) D *= s;
  const fused = { A: D === 0 ? 0 : input.numel() / D, G: D, B: 1, perChannel: false, stats: null };
  return normalizeCore("NativeLayerNormBackward0", input, dims, weight ?? null, bias ?? null, eps, null, undefined, fused);
}

/**
 * How normalizeCore may hand the work to the backend's fused normalize primitives (when it has them):
 * x read as [A, G, B], groups per row (layer norm) or per channel (batch norm), running statistics
 * for evaluation, and `onStats` to receive the batch's mean and biased variance (batch norm's
 * running statistics).
 */
interface FusedNorm {
  A: number; G: number; B: number; perChannel: boolean;
  stats: { mean: Tensor; var: Tensor } | null;
  onStats?: (mean: Tensor, varBiased: Tensor) => void;
}

/** Whether the backend's fused normalize can take x with this weight and bias (same float dtype, non-empty). */
function canFuseNorm(be: Backend, x: Tensor, weight: Tensor | null, bias: Tensor | null, fused: FusedNorm | undefined): fused is FusedNorm {
  if (!fused || !be.normalize || !be.normalizeBackward || x.numel() === 0) return false;
  if (x.dtype.name !== "float32" && x.dtype.name !== "float64") return false;
  if (fused.stats && (fused.stats.mean.dtype !== x.dtype || fused.stats.var.dtype !== x.dtype)) return false;
  return (!weight || weight.dtype === x.dtype) && (!bias || bias.dtype === x.dtype);
}

/**
 * The shared body of layer and batch norm: xhat = (x - mean) * rstd over `dims`, y = xhat * w + b.
 * `wShape` reshapes w and b to broadcast; with `fixed` (batch norm in eval) the statistics are
 * constants. Backward: dx = rstd * (gw - mean(gw) - xhat * mean(gw * xhat)) with gw = g * w.
 */
function normalizeCore(
  name: string, x: Tensor, dims: number[], weight: Tensor | null, bias: Tensor | null, eps: number,
  fixed: { mean: Tensor; rstd: Tensor } | null, wShape?: number[], fused?: FusedNorm,
): Tensor {
  const w = weight && wShape ? weight.view(wShape) : weight;
  const b = bias && wShape ? bias.view(wShape) : bias;
  const stats = () => {
    if (fixed) return { xhat: x.sub(fixed.mean).mul(fixed.rstd), rstd: fixed.rstd };
    const mean = x.mean(dims, true);
    const xc = x.sub(mean);
    const v = xc.mul(xc).mean(dims, true);
    const r = v.add(eps).rsqrt();
    return { xhat: xc.mul(r), rstd: r };
  };
  const red = (t: Tensor) => (wShape ? t.sum(dims.filter((d) => d !== 1)) : t);
  /** The backward in tensor ops, given xhat and rstd. */
  const composed = (g: Tensor, xhat: Tensor, rstd: Tensor): (Tensor | null)[] => {
    const gw = w ? g.mul(w) : g;
    let dx: Tensor;
    if (fixed) dx = gw.mul(rstd);
    else dx = gw.sub(gw.mean(dims, true)).sub(xhat.mul(gw.mul(xhat).mean(dims, true))).mul(rstd);
    return [dx, weight ? red(g.mul(xhat)) : null, bias ? red(g) : null];
  };
  // (saved as PyTorch's NativeLayerNormBackward0 / NativeBatchNormBackward0 save them: the input and
  // weight, and layer norm's bias: an in-place change of one before backward is an error there)
  const normSaved = (): Tensor[] => [x, ...(weight ? [weight] : []), ...(bias && name.includes("LayerNorm") ? [bias] : [])];
  const be = backend();
  if (canFuseNorm(be, x, weight, bias, fused)) {
    // NOTE: the backend's fused kernels, forward and backward; a backward that must itself be
    // differentiable (create_graph) recomputes the statistics with a graph and runs `composed`.
    const { A, G, B, perChannel } = fused;
    const st = fused.stats ? { mean: fused.stats.mean._view(), var: fused.stats.var._view() } : null;
    const r = be.normalize!(x._view(), A, G, B, perChannel, weight?._view() ?? null, bias?._view() ?? null, eps, st);
    const gShape = [perChannel ? G : A];
    fused.onStats?.(fromStorage(r.mean, gShape, x.dtype), fromStorage(r.var, gShape, x.dtype));
    const y = fromStorage(r.y, x.shape, x.dtype);
    return record(name, [x, weight, bias], y, (g, _s, needs) => {
      if (isGradEnabled()) {
        const { xhat, rstd } = stats();
        return composed(g, xhat, rstd);
      }
      const mask = [needs(0), weight !== null && needs(1), bias !== null && needs(2)] as const;
      const [dx, dw, db] = be.normalizeBackward!(g._view(), x._view(), r.mean, r.rstd, A, G, B, perChannel, weight?._view() ?? null, fixed !== null, mask);
      return [
        dx !== null ? fromStorage(dx, x.shape, x.dtype) : null,
        dw !== null && weight ? fromStorage(dw, weight.shape, x.dtype) : null,
        db !== null && bias ? fromStorage(db, bias.shape, x.dtype) : null,
      ];
    }, normSaved());
  }
  const { xhat: xhat0, rstd: rstd0 } = noGrad(stats);
  const y = noGrad(() => {
    let o = xhat0;
    if (w) o = o.mul(w);
    if (b) o = o.add(b);
    return o;
  });
  return record(name, [x, weight, bias], y, (g) => {
    // NOTE: under createGraph the statistics are recomputed with a graph, so double backward sees
    // how xhat and rstd depend on x.
    const { xhat, rstd } = isGradEnabled() ? stats() : { xhat: xhat0, rstd: rstd0 };
    return composed(g, xhat, rstd);
  }, normSaved());
}

/**
 * Batch norm over all dims but 1. In training the batch statistics normalize and the running
 * statistics are updated in place: running = (1 - momentum) * running + momentum * stat, with the
 * unbiased variance (as PyTorch does).
 */
export function batchNorm(
  input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight?: Tensor | null, bias?: Tensor | null,
  training = false, momentum = 0.1, eps = 1e-5,
): Tensor {
  const shape = input.shape;
  if (training) {
    let size = 1;
    for (let i = 0; i < shape.length; i++) if (i !== 1) size *= shape[i]!;
    if (size === 1) throw new ValueError(`Expected more than 1 value per channel when training, got input size ${sizeStr(shape)}`);
  }
  const C = shape[1]!;
  // PyTorch's check_dims_match_num_input_features, in its order
  for (const [name, t] of [["running_mean", runningMean], ["running_var", runningVar], ["weight", weight], ["bias", bias]] as const)
    if (t && t.numel() !== C) throw new RuntimeError(`${name} should contain ${C} elements not ${t.numel()}`);
  const dims = shape.map((_, i) => i).filter((i) => i !== 1);
  const bshape = shape.map((s, i) => (i === 1 ? s : 1));
  const N = shape[0]!, S = N * C === 0 ? 0 : input.numel() / (N * C);
  if (training) {
    // NOTE: with the backend's fused kernel the running statistics are updated from the batch's
    // mean and biased variance it returns (the unbiased one is var * n / (n - 1)).
    const fused: FusedNorm = {
      A: N, G: C, B: S, perChannel: true, stats: null,
      onStats: (mean, varB) => {
        if (!runningMean || !runningVar) return;
        const n = N * S;
        noGrad(() => {
          runningMean.mul_(1 - momentum).add_(mean.mul(momentum));
          runningVar.mul_(1 - momentum).add_(varB.mul(n / (n - 1)).mul(momentum));
        });
      },
    };
    if (canFuseNorm(backend(), input, weight ?? null, bias ?? null, fused))
      return normalizeCore("NativeBatchNormBackward0", input, dims, weight ?? null, bias ?? null, eps, null, bshape, fused);
    if (runningMean && runningVar)
      noGrad(() => {
        const n = input.numel() / C;
        const mean = input.mean(dims);
        const xc = input.sub(mean.view(bshape));
        // NOTE: the running variance is the unbiased one (n - 1), the normalization uses the biased one
        const varU = xc.mul(xc).sum(dims).div(n - 1);
        runningMean.mul_(1 - momentum).add_(mean.mul(momentum));
        runningVar.mul_(1 - momentum).add_(varU.mul(momentum));
      });
    return normalizeCore("NativeBatchNormBackward0", input, dims, weight ?? null, bias ?? null, eps, null, bshape);
  }
  if (!runningMean || !runningVar) throw new RuntimeError("running_mean and running_var must be defined in evaluation mode");
  const fixed = noGrad(() => ({ mean: runningMean.view(bshape), rstd: runningVar.add(eps).rsqrt().view(bshape) }));
  const fused: FusedNorm = { A: N, G: C, B: S, perChannel: true, stats: { mean: runningMean, var: runningVar } };
  return normalizeCore("NativeBatchNormBackward0", input, dims, weight ?? null, bias ?? null, eps, fixed, bshape, fused);
}

// ---------------------------------------------------------------- embedding
/** Rows of weight picked by integer indices; the row paddingIdx gets no gradient. */
export function embedding(input: Tensor, weight: Tensor, paddingIdx?: number | null): Tensor {
  if (input.dtype.isFloatingPoint || input.dtype.scalarName === "Bool")
    throw new RuntimeError(`Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.${input.dtype.scalarName}Tensor instead (while checking arguments for embedding)`);
  const n = weight.size(0);
  let pad = paddingIdx ?? null;
  if (pad !== null) {
    if (pad >= n || pad < -n) throw new Error("Padding_idx must be within num_embeddings");
    if (pad < 0) pad += n;
  }
  const idx = input.reshape(-1);
  for (const k of Array.from(idx.dataSync() as ArrayLike<number | bigint>, Number)) {
    if (k < 0 || k >= n) throw new IndexError("index out of range in self");
  }
  const D = weight.size(1);
  const y = noGrad(() => weight.indexSelect(0, idx).view([...input.shape, D]));
  // (PyTorch's EmbeddingBackward0 saves the indices and weight (for its row count): an in-place change of weight fails backward)
  return record("EmbeddingBackward0", [weight], y, (g) => {
    let gw = indexAddToZeros(weight.shape, 0, idx, g.reshape(-1, D));
    if (pad !== null) {
      const mask = zeros([n, 1], { dtype: weight.dtype });
      noGrad(() => mask.fill_(1).select(0, pad!).fill_(0));
      gw = gw.mul(mask);
    }
    return [gw];
  }, [weight]);
}

// ---------------------------------------------------------------- shape helpers
export function flatten(input: Tensor, startDim = 0, endDim = -1): Tensor {
  return input.flatten(startDim, endDim);
}

/** F.pad in all its modes (constant, reflect, replicate, circular): see resample.ts. */
export { pad } from "./resample.js";

/** One-hot encoding of int64 class indices; numClasses -1 means max + 1. */
export function oneHot(input: Tensor, numClasses = -1): Tensor {
  if (input.dtype !== int64) throw new RuntimeError("one_hot is only applicable to index tensor.");
  const vals = Array.from(input.dataSync() as ArrayLike<number | bigint>, Number);
  if (vals.some((v) => v < 0)) throw new RuntimeError("Class values must be non-negative.");
  let C = numClasses;
  if (C === -1) {
    if (!vals.length) throw new RuntimeError("Can not infer total number of classes from empty tensor.");
    C = Math.max(...vals) + 1;
  } else if (vals.some((v) => v >= C)) throw new RuntimeError("Class values must be smaller than num_classes.");
  const out = new Array<number>(vals.length * C).fill(0);
  vals.forEach((v, i) => (out[i * C + v] = 1));
  return tensor(out, { dtype: int64 }).view([...input.shape, C]);
}

// ---------------------------------------------------------------- losses
function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === "mean") return loss.mean();
  if (reduction === "sum") return loss.sum();
  if (reduction === "none") return loss;
  throw new ValueError(`${reduction} is not a valid value for reduction`);
}
function checkReduction(reduction: string): void {
  if (reduction !== "mean" && reduction !== "sum" && reduction !== "none") throw new ValueError(`${reduction} is not a valid value for reduction`);
}
function broadcastPair(input: Tensor, target: Tensor): [Tensor, Tensor] {
  if (input.shape.join(",") === target.shape.join(",")) return [input, target];
  // NOTE: PyTorch warns here ("Using a target size ... different to the input size"); broadcasting follows.
  const n = Math.max(input.dim(), target.dim());
  const a = [...Array(n - input.dim()).fill(1), ...input.shape], b = [...Array(n - target.dim()).fill(1), ...target.shape];
  const s = a.map((x, i) => {
    const y = b[i]!;
    if (x !== y && x !== 1 && y !== 1)
      throw new RuntimeError(`The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`);
    return Math.max(x, y);
  });
  return [input.expand(s), target.expand(s)];
}

/**
 * An elementwise loss with PyTorch's fused node: value(d) and its derivative dv(d) in d = x - t.
 * The node gives grad d_input = g * dv / n (mean), and d_target = -d_input.
 */
/**
 * `sameDtypeBackward`: PyTorch 1.13's backward kernel (mse, huber) runs in the input's dtype and
 * refuses a target of another (the forward promotes; l1 and smooth_l1 do not check).
 */
function pointwiseLoss(
  name: string, input: Tensor, target: Tensor, reduction: Reduction, value: (d: Tensor) => Tensor, dv: (d: Tensor) => Tensor, sameDtypeBackward = false,
  backwardOp?: (g: Tensor, x: Tensor, t: Tensor, reduction: Reduction) => Tensor,
): Tensor {
  checkReduction(reduction);
  const [x, t] = broadcastPair(input, target);
  const y = noGrad(() => reduce(value(x.sub(t)), reduction));
  // (PyTorch's MseLossBackward0 and the others save self and target: an in-place change to either
  // before backward is a version error, not a gradient from the changed values)
  return record(name, [x, t], y, (g, s, needs) => {
    if (sameDtypeBackward && x.dtype !== t.dtype)
      throw new RuntimeError(`Found dtype ${t.dtype.scalarName} but expected ${x.dtype.scalarName}`);
    let gx: Tensor;
    if (backwardOp) gx = backwardOp(g, s(0), s(1), reduction);
    else {
      gx = g.mul(dv(s(0).sub(s(1))));
      if (reduction === "mean") gx = gx.div(x.numel());
    }
    return [needs(0) ? gx : null, needs(1) ? gx.neg() : null];
  }, [x, t]);
}

export interface ReductionOptions {
  reduction?: Reduction;
}

/** Mean squared error (MseLossBackward0). */
export function mseLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  // NOTE: PyTorch's mse kernel promotes a bool operand (l1_loss's subtraction rejects it)
  if (input.dtype.name === "bool" && target.dtype.name === "bool") throw new RuntimeError(`"mse_cpu" not implemented for 'Bool'`);
  if (input.dtype.name === "bool") input = input.to(target.dtype);
  if (target.dtype.name === "bool") target = target.to(input.dtype);
  return pointwiseLoss("MseLossBackward0", input, target, opts.reduction ?? "mean", (d) => d.mul(d), (d) => d.mul(2), true, mseLossBackward);
}

/**
 * mse_loss's backward as PyTorch's mse_loss_backward op (MseLossBackwardBackward0 under create_graph):
 * 2 (x - t) g, divided by numel for "mean". Its own gradients, as PyTorch's formulas: g's is
 * mse_loss_backward(gg) for "none", else the sum of 2 (x - t) / n * gg; x's 2 gg g (/ n), t's minus that.
 */
function mseLossBackward(g: Tensor, x: Tensor, t: Tensor, reduction: Reduction): Tensor {
  const n = reduction === "mean" ? x.numel() : 1;
  const r = noGrad(() => {
    const gx = g.mul(x.sub(t).mul(2));
    return n === 1 ? gx : gx.div(n);
  });
  return record("MseLossBackwardBackward0", [g, x, t], r, (gg, s, needs) => {
    const go = s(0), xs = s(1), ts = s(2);
    const dxx = needs(1) || needs(2) ? (n === 1 ? gg.mul(go).mul(2) : gg.mul(go).mul(2).div(n)) : null;
    let dg: Tensor | null = null;
    if (needs(0)) {
      const d = xs.sub(ts).mul(2);
      dg = reduction === "none" ? mseLossBackward(gg, xs, ts, "none") : (n === 1 ? d : d.div(n)).mul(gg).sum();
    }
    return [dg, needs(1) ? dxx : null, needs(2) ? dxx!.neg() : null];
  }, [g, x, t]);
}
/** Mean absolute error, composed as |x - t| then the reduction (MeanBackward0 / SumBackward0 / AbsBackward0). */
export function l1Loss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  checkReduction(opts.reduction ?? "mean");
  const [x, t] = broadcastPair(input, target);
  return reduce(x.sub(t).abs(), opts.reduction ?? "mean");
}
/** Smooth L1: 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta. beta = 0 is the L1 loss. */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: ReductionOptions & { beta?: number } = {}): Tensor {
  const beta = opts.beta ?? 1.0;
  if (beta < 0) throw new RuntimeError("smooth_l1_loss does not support negative values for beta.");
  // NOTE: beta = 0 is PyTorch 1.13's smooth_l1 kernel too (SmoothL1LossBackward0, not l1_loss): its
  // derivative is -1 where d <= -beta, 1 where d >= beta, d / beta between (so -1 at d = 0 when beta = 0)
  return pointwiseLoss(
    "SmoothL1LossBackward0", input, target, opts.reduction ?? "mean",
    (d) => { const z = d.abs(); return ew.where(z.lt(beta), z.mul(z).mul(0.5 / beta), z.sub(0.5 * beta)); },
    (d) => ew.where(d.le(-beta), -1, ew.where(d.ge(beta), 1, d.div(beta))),
  );
}
/** Huber: 0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta). */
export function huberLoss(input: Tensor, target: Tensor, opts: ReductionOptions & { delta?: number } = {}): Tensor {
  const delta = opts.delta ?? 1.0;
  if (delta <= 0) throw new RuntimeError("huber_loss does not support non-positive values for delta.");
  return pointwiseLoss(
    "HuberLossBackward0", input, target, opts.reduction ?? "mean",
    (d) => { const z = d.abs(); return ew.where(z.lt(delta), z.mul(z).mul(0.5), z.sub(0.5 * delta).mul(delta)); },
    (d) => ew.where(d.abs().lt(delta), d, d.sign().mul(delta)),
    true,
  );
}

/**
 * Binary cross entropy on probabilities: -w (t log x + (1 - t) log(1 - x)).
 * NOTE: each log is clamped at -100, as PyTorch does, so that x = 0 or 1 gives a finite loss.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: ReductionOptions & { weight?: Tensor | null } = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  checkReduction(reduction);
  if (target.shape.join(",") !== input.shape.join(","))
    throw new ValueError(`Using a target size (${sizeStr(target.shape)}) that is different to the input size (${sizeStr(input.shape)}) is deprecated. Please ensure they have the same size.`);
  const vals = input.dataSync();
  for (let i = 0; i < vals.length; i++) if (!(vals[i]! >= 0 && vals[i]! <= 1)) throw new RuntimeError("all elements of input should be between 0 and 1");
  const w = opts.weight ?? null;
  const y = noGrad(() => {
    const lx = input.log().clamp(-100), l1x = input.neg().add(1).log().clamp(-100);
    let l = target.mul(lx).add(target.neg().add(1).mul(l1x)).neg();
    if (w) l = l.mul(w);
    return reduce(l, reduction);
  });
  return record("BinaryCrossEntropyBackward0", [input, target], y, (g, _s, needs) => {
    const n = reduction === "mean" ? input.numel() : 1;
    let gx: Tensor | null = null, gt: Tensor | null = null;
    if (needs(0)) {
      gx = g.mul(input.sub(target)).div(input.mul(input.neg().add(1)).clamp(1e-12));
      if (w) gx = gx.mul(w);
      if (n !== 1) gx = gx.div(n);
    }
    if (needs(1)) {
      gt = g.mul(input.neg().add(1).log().clamp(-100).sub(input.log().clamp(-100)));
      if (w) gt = gt.mul(w);
      if (n !== 1) gt = gt.div(n);
    }
    return [gx, gt];
  });
}

/**
 * BCE on logits in the stable form: (1 - t) x + lw (log(1 + exp(-|x|)) + max(-x, 0)), with
 * lw = 1 + (pos_weight - 1) t. NOTE: never computes sigmoid(x) then log, which loses all precision
 * for large |x|.
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor, target: Tensor, opts: ReductionOptions & { weight?: Tensor | null; posWeight?: Tensor | null } = {},
): Tensor {
  const reduction = opts.reduction ?? "mean";
  checkReduction(reduction);
  if (target.shape.join(",") !== input.shape.join(","))
    throw new ValueError(`Target size (${sizeStr(target.shape)}) must be the same as input size (${sizeStr(input.shape)})`);
  const w = opts.weight ?? null, pw = opts.posWeight ?? null;
  // log(1 + exp(-x)) computed stably
  const softplusNeg = (x: Tensor) => { const m = x.neg().clamp(0); return m.neg().exp().add(x.neg().sub(m).exp()).log().add(m); };
  const y = noGrad(() => {
    const sp = softplusNeg(input);
    let l: Tensor;
    if (pw) l = target.neg().add(1).mul(input).add(pw.sub(1).mul(target).add(1).mul(sp));
    else l = target.neg().add(1).mul(input).add(sp);
    if (w) l = l.mul(w);
    return reduce(l, reduction);
  });
  return record("BinaryCrossEntropyWithLogitsBackward0", [input, target], y, (g, _s, needs) => {
    const n = reduction === "mean" ? input.numel() : 1;
    let gx: Tensor | null = null, gt: Tensor | null = null;
    if (needs(0)) {
      const sg = input.sigmoid();
      gx = pw ? pw.mul(target).add(target.neg().add(1)).mul(sg).sub(pw.mul(target)) : sg.sub(target);
      gx = gx.mul(g);
      if (w) gx = gx.mul(w);
      if (n !== 1) gx = gx.div(n);
    }
    if (needs(1)) {
      gt = pw ? input.neg().add(pw.sub(1).mul(softplusNeg(input))) : input.neg();
      gt = gt.mul(g);
      if (w) gt = gt.mul(w);
      if (n !== 1) gt = gt.div(n);
    }
    return [gx, gt];
  }, [input, target, ...(w ? [w] : []), ...(pw ? [pw] : [])]); // (saved as PyTorch's: self, target, weight, pos_weight)
}

export interface NllOptions extends ReductionOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
}

/**
 * Negative log likelihood of class indices: -w[t_i] x[i, t_i], averaged by sum of w[t_i] over
 * targets that are not ignoreIndex. Inputs (C), (N, C) or (N, C, d1, ...).
 */
/** nll_loss's kernel reads class indices as int64 (PyTorch's words otherwise). */
function checkTargetDtype(target: Tensor): void {
  if (target.dtype !== int64) throw new RuntimeError(`expected scalar type Long but found ${target.dtype.scalarName}`);
}

export function nllLoss(input: Tensor, target: Tensor, opts: NllOptions = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  checkReduction(reduction);
  const ignore = opts.ignoreIndex ?? -100;
  const w = opts.weight ?? null;
  if (input.dim() < 1) throw new ValueError(`Expected 1 or more dimensions (got ${input.dim()})`);
  // NOTE: PyTorch 1.13's order (nll_loss_nd, then nll_loss / nll_loss2d): the batch sizes, the
  // shapes, the weight, the input's dtype (the kernel's dispatch), the target's dtype, its values
  if (input.dim() !== 1 && target.dim() > 0 && input.size(0) !== target.size(0))
    throw new ValueError(`Expected input batch_size (${input.size(0)}) to match target batch_size (${target.size(0)}).`);
  if (input.dim() > 2) {
    const N = input.size(0), C = input.size(1);
    if (input.dim() !== 4) {
      if (target.dim() !== input.dim() - 1 || target.shape.slice(1).join(",") !== input.shape.slice(2).join(","))
        throw new RuntimeError(`Expected target size [${[N, ...input.shape.slice(2)].join(", ")}], got [${target.shape.join(", ")}]`);
      // NOTE: as PyTorch's nll_loss_nd: other ranks are viewed as (N, C, d1, rest) and go through nll_loss2d
      const rest = input.shape.slice(3).reduce((a, b) => a * b, 1);
      const d1 = input.size(2);
      const l = nllLoss(input.reshape(N, C, d1, rest), target.reshape(N, d1, rest), opts);
      return reduction === "none" ? l.view(target.shape) : l;
    }
    if (target.dim() !== 3) throw new RuntimeError(`only batches of spatial targets supported (3D tensors) but got targets of dimension: ${target.dim()}`);
    if (w && w.numel() !== C) throw new RuntimeError("weight tensor should be defined either for all or no classes");
    if (target.shape.slice(1).join(",") !== input.shape.slice(2).join(","))
      throw new RuntimeError(`size mismatch (got input: [${input.shape.join(", ")}] , target: [${target.shape.join(", ")}]`);
    checkInputDtype(input, "nll_loss2d_forward_out_frame");
    checkTargetDtype(target);
    return nllCore("NllLoss2DBackward0", input, target, reduction, ignore, w);
  }
  if (input.dim() === 2 && target.dim() !== 1 || input.dim() === 1 && target.dim() !== 0)
    throw new RuntimeError(`0D or 1D target tensor expected, multi-target not supported`);
  const C = input.size(input.dim() - 1);
  if (w && (w.dim() !== 1 || w.numel() !== C)) throw new RuntimeError(`weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: [${w.shape.join(", ")}]`);
  checkInputDtype(input, "nll_loss_out_frame");
  checkTargetDtype(target);
  return nllCore("NllLossBackward0", input, target, reduction, ignore, w);
}

/** nll_loss's kernels are defined for floating inputs (PyTorch's dispatch error otherwise). */
function checkInputDtype(input: Tensor, kernel: string): void {
  if (!input.dtype.isFloatingPoint) throw new RuntimeError(`"${kernel}" not implemented for '${input.dtype.scalarName}'`);
}

/**
 * The NLL node: a constant coefficient tensor coef (input's shape) holds -w[t] at each picked
 * class, so the loss is sum(input * coef) (divided by the picked weights' sum for "mean"; summed
 * over the class dim for "none") and its gradient is g * coef.
 */
function nllCore(name: string, input: Tensor, target: Tensor, reduction: Reduction, ignore: number, w: Tensor | null): Tensor {
  const classDim = input.dim() === 1 ? 0 : 1;
  const C = input.size(classDim);
  const be = backend();
  if (be.nllLoss && be.nllLossBackward && (input.dtype.name === "float32" || input.dtype.name === "float64") && (!w || w.dtype === input.dtype) && input.numel() > 0)
    return nllFused(be, name, input, target, reduction, ignore, w, C);
  const ts = Array.from(target.dataSync() as ArrayLike<number | bigint>, Number);
  const wv = w ? Array.from(w.dataSync()) : null;
  // coef in (M, C) layout, M = positions of the target; unpicked: every entry but the picked classes
  const coef = new Array<number>(ts.length * C).fill(0);
  const unpicked = new Array<boolean>(ts.length * C).fill(true);
  ts.forEach((t, i) => {
    if (t === ignore) return;
    if (t < 0 || t >= C) throw new IndexError(`Target ${intText(t)} is out of bounds.`);
    coef[i * C + t] = -(wv ? wv[t]! : 1);
    unpicked[i * C + t] = false;
  });
  const inInputLayout = (t: Tensor): Tensor => {
    if (input.dim() <= 2) return t.view(input.shape);
    const spatial = input.shape.slice(2);
    return t.view([input.size(0), ...spatial, C]).permute([0, input.dim() - 1, ...spatial.map((_, i) => i + 1)]).contiguous();
  };
  const coefT = inInputLayout(tensor(coef, { dtype: input.dtype }));
  const unpickedT = inInputLayout(tensor(unpicked, { dtype: bool }));
  const reduced = reduction === "none" ? null : nllReduced(input, ts, C, reduction, ignore, wv);
  const y = noGrad(() => {
    if (reduced) return tensor(reduced.loss, { dtype: input.dtype });
    const picked = input.mul(coefT);
    return input.dim() === 1 ? picked.sum() : picked.sum(1);
  });
  // NOTE: PyTorch's nll_loss_backward writes w[t] * -(g / total_weight) at each picked class:
  // (g / total) * (-w) is the same value; every other entry stays +0 (never g * 0: with every target
  // ignored the total weight is 0, and g / 0 * 0 would be NaN where PyTorch gives 0).
  return record(name, [input], y, (g) => {
    let gi: Tensor;
    if (reduction === "none") gi = input.dim() === 1 ? g.mul(coefT) : g.unsqueeze(1).mul(coefT);
    else gi = reduction === "sum" ? g.mul(coefT) : g.div(reduced!.totalWeight).mul(coefT);
    return [gi.maskedFill(unpickedT, 0)];
  }, [input, target, ...(w ? [w] : [])]); // (saved as PyTorch's NllLossBackward0: self, target, weight)
}

/**
 * nllCore on the backend's fused nll_loss kernels: input read as [N, C, S], target as [N, S]. The
 * backward writes the gradient directly; one that must itself be differentiable (create_graph) is the
 * gradient for g = 1 (a constant) times g.
 */
function nllFused(be: Backend, name: string, input: Tensor, target: Tensor, reduction: Reduction, ignore: number, w: Tensor | null, C: number): Tensor {
  const N = input.dim() === 1 ? 1 : input.size(0);
  const S = input.numel() / (N * C);
  const { x3, t2 } = noGrad(() => ({ x3: input.reshape(N, C, S), t2: target.reshape(N, S) }));
  const wv = w ? w._view() : null;
  const { loss, totalWeight } = be.nllLoss!(x3._view(), t2._view(), wv, ignore, reduction);
  const y = fromStorage(loss, reduction === "none" ? target.shape : [], input.dtype);
  const grad = (g: Tensor): Tensor =>
    fromStorage(be.nllLossBackward!(g._view(), t2._view(), wv, ignore, reduction, totalWeight, N, C, S), input.shape, input.dtype);
  return record(name, [input], y, (g) => {
    if (!isGradEnabled()) return [grad(reduction === "none" ? g.reshape(N, S) : g)];
    if (reduction !== "none") return [g.mul(grad(full([], 1, { dtype: g.dtype })))];
    return [g.reshape(N, 1, S).mul(grad(full([N, S], 1, { dtype: g.dtype })).view(N, C, S)).view(input.shape)];
  }, [input, target, ...(w ? [w] : [])]); // (saved as PyTorch's NllLossBackward0: self, target, weight)
}

/**
 * The reduced NLL loss value and total weight as PyTorch 1.13's nll_loss_out_frame /
 * nll_loss2d_forward_out_frame compute them, in the input's dtype (the order: NllCascade).
 */
function nllReduced(input: Tensor, ts: number[], C: number, reduction: Reduction, ignore: number, wv: number[] | null): { loss: number; totalWeight: number } {
  const rnd = input.dtype.name === "float32" ? Math.fround : (v: number) => v;
  const x = input.contiguous().dataSync();
  const M = ts.length;
  const map = input.dim() > 2 ? input.shape.slice(2).reduce((a, b) => a * b, 1) : 1;
  const acc = new NllCascade(M, rnd);
  for (let i = 0; i < M; i++) {
    const t = ts[i]!;
    if (t === ignore) { acc.skip(); continue; }
    // position i = (b, elem): the picked value is input[b, t, elem]
    const b = Math.floor(i / map), e = i - b * map;
    acc.add(i, x[(b * C + t) * map + e]!, wv ? rnd(wv[t]!) : undefined);
  }
  return acc.result(reduction === "mean" ? "mean" : "sum", wv !== null);
}

export interface CrossEntropyOptions extends NllOptions {
  labelSmoothing?: number;
}

/**
 * Cross entropy of logits: logSoftmax over dim 1 (dim 0 for an unbatched input), then NLL for class
 * indices or -sum(target * logp) for class probabilities. NOTE: logSoftmax subtracts the row max,
 * so large logits do not overflow.
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  checkReduction(reduction);
  const ls = opts.labelSmoothing ?? 0;
  if (ls < 0 || ls > 1) throw new RuntimeError(`label_smoothing must be between 0.0 and 1.0. Got: ${ls}`);
  const classDim = input.dim() === 1 ? 0 : 1;
  // NOTE: as PyTorch's cross_entropy_loss: a target of the input's shape holds class probabilities
  // (it must be floating point), any other a class index per position (nll_loss's checks)
  const soft = target.shape.join(",") === input.shape.join(",");
  if (soft && !target.dtype.isFloatingPoint)
    throw new RuntimeError(`Expected floating point type for target with class probabilities, got ${target.dtype.scalarName}`);
  const C = input.size(classDim);
  const logp = input.logSoftmax(classDim);
  const w = opts.weight ?? null;
  // (class indices: nll_loss checks the weight, with its words)
  if (soft && w && (w.dim() !== 1 || w.numel() !== C))
    throw new RuntimeError(`cross_entropy: weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: [${w.shape.join(", ")}]`);
  const wView = (): Tensor | null => (w ? w.view(input.shape.map((s, i) => (i === classDim ? s : 1))) : null);
  if (soft) {
    if (opts.ignoreIndex !== undefined && opts.ignoreIndex !== -100)
      throw new RuntimeError("ignore_index is not supported for floating point target");
    const t = ls > 0 ? target.mul(1 - ls).add(ls / C) : target;
    let prod = logp.mul(t);
    const wv = wView();
    if (wv) prod = prod.mul(wv);
    // NOTE: PyTorch negates after the sum (NegBackward0 for "none" and "sum")
    if (reduction === "none") return prod.sum(classDim).neg();
    const s = prod.sum().neg();
    if (reduction === "sum") return s;
    const n = input.numel() / C;
    const y = noGrad(() => s.div(n));
    return record("DivBackward1", [s], y, (g) => [g.div(n)]);
  }
  const nll = nllLoss(logp, target, opts);
  if (ls <= 0) return nll;
  const ignore = opts.ignoreIndex ?? -100;
  const ignoreMask = target.eq(ignore);
  const wv = wView();
  let smooth = (wv ? logp.mul(wv) : logp).sum(classDim).neg();
  smooth = smooth.maskedFill(ignoreMask, 0);
  let ret: Tensor;
  if (reduction === "mean") {
    // NOTE: as PyTorch, divided by the weights of the targets that are not ignored (a float sum in the
    // weights' dtype), or by their count: not by every position (0 / 0 = NaN when all are ignored)
    const keep = target.reshape(-1).maskedSelect(ignoreMask.reshape(-1).logicalNot());
    ret = smooth.sum().div(w ? w.gather(0, keep).sum() : keep.numel());
  } else ret = reduction === "sum" ? smooth.sum() : smooth;
  return nll.mul(1 - ls).add(ret.mul(ls / C));
}

/**
 * KL divergence with the input in log space: t (log t - x), or exp(t) (t - x) with logTarget.
 * "batchmean" divides the sum by the batch size (the true KL); "mean" divides by every element.
 */
export function klDiv(input: Tensor, target: Tensor, opts: { reduction?: Reduction | "batchmean"; logTarget?: boolean } = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  if (!["mean", "sum", "none", "batchmean"].includes(reduction)) throw new ValueError(`${reduction} is not a valid value for reduction`);
  let out: Tensor;
  if (opts.logTarget) out = target.exp().mul(target.sub(input));
  // NOTE: xlogy(t, t) - t * input, as PyTorch 1.13: 0 where t == 0, NaN where t < 0 (log of a negative).
  // t * input is made first, as GCC evaluates PyTorch's `at::xlogy(target, target) - target * input`
  // (right operand first): the engine then runs xlogy's backward first, and the target's gradient
  // sums its parts in PyTorch's order (they cancel, so the order shows in the last bits).
  else {
    const ti = target.mul(input);
    out = ew.xlogy(target, target).sub(ti);
  }
  if (reduction === "batchmean") {
    const s = out.sum();
    return input.dim() !== 0 ? s.div(input.size(0)) : s;
  }
  return reduce(out, reduction);
}

// snake_case aliases (as the PyTorch names)
export const leaky_relu = leakyRelu;
export const log_softmax = logSoftmax;
export const layer_norm = layerNorm;
export const batch_norm = batchNorm;
export const one_hot = oneHot;
export const mse_loss = mseLoss;
export const l1_loss = l1Loss;
export const smooth_l1_loss = smoothL1Loss;
export const huber_loss = huberLoss;
export const binary_cross_entropy = binaryCrossEntropy;
export const binary_cross_entropy_with_logits = binaryCrossEntropyWithLogits;
export const nll_loss = nllLoss;
export const cross_entropy = crossEntropy;
export const kl_div = klDiv;

export * from "./conv_functional.js";
export * from "./attention_functional.js";
export * from "./norm_extra.js";
export * from "./activation_extra.js";
export * from "./layers_extra.js";
export * from "./losses_extra.js";
export * from "./conv_transpose.js";
export * from "./pooling_extra.js";
export * from "./resample.js";
export * from "./pool3d.js";
export * from "./grid_sample.js";
