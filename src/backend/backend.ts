// The backend interface: storage plus a small set of primitives. Every op in src/ops is written on
// these; nothing above this file touches a backend's memory directly. A WebAssembly or WebGPU
// backend implements the same interface and registers itself by name.
import type { DType, TypedArray } from "../tensor/dtype.js";
import type { Shape } from "../tensor/shape.js";
import { RuntimeError } from "../errors.js";

/** An opaque handle to a backend's memory (the CPU backend: a typed array). */
export type Storage = unknown;

/** A strided window onto storage: what primitives read and write. */
export interface View {
  readonly storage: Storage;
  readonly dtype: DType;
  readonly shape: Shape;
  readonly strides: Shape;
  readonly offset: number;
}

export type UnaryOp =
  | "identity" | "neg" | "abs" | "sign" | "exp" | "log" | "log1p" | "expm1" | "sqrt" | "rsqrt"
  | "square" | "reciprocal" | "sin" | "cos" | "tan" | "tanh" | "sigmoid" | "relu" | "gelu" | "geluTanh"
  | "silu" | "erf" | "floor" | "ceil" | "round" | "trunc" | "logicalNot" | "isnan" | "asin" | "acos"
  | "atan" | "sinh" | "cosh" | "log2" | "log10" | "exp2"
  /** p0 = min (or NaN for none), p1 = max (or NaN) */
  | "clamp"
  /** x ** p0 */
  | "powScalar"
  /** p0 ** x */
  | "rpowScalar"
  /** x > 0 ? x : p0 * x */
  | "leakyRelu"
  /** x > 0 ? x : p0 * (exp(x) - 1) */
  | "elu"
  /** log(1 + exp(p0 * x)) / p0, linear above threshold p1 */
  | "softplus"
  /** 1 where x > p0 else 0 (a mask in x's float dtype) */
  | "gtScalarMask";

export type BinaryOp =
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum" | "remainder" | "fmod" | "atan2"
  | "floorDivide" | "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "logicalAnd" | "logicalOr" | "logicalXor"
  /** a + p * b  (add with alpha) */
  | "addScaled";

/**
 * Three-operand elementwise ops (all three broadcast to the output shape):
 * addcmul: a + p * b * c;  addcdiv: a + p * b / c;  lerp: a + c * (b - a) (c is the weight).
 */
export type TernaryOp = "addcmul" | "addcdiv" | "lerp";

export type ReduceOp = "sum" | "prod" | "max" | "min" | "argmax" | "argmin" | "all" | "any";

/**
 * Where the windows of a 2-d convolution or pooling lie (conv1d runs as a conv2d of height 1):
 * input [N, C, H, W], windows kh x kw with stride (sh, sw) and dilation (dh, dw), output [.., OH, OW].
 * Window (oh, ow) starts at input row oh * sh - padT and column ow * sw - padL; positions outside the
 * input are padding (zeros for convolution; skipped by pooling). The bottom/right padding is what
 * OH and OW imply (it may exceed padT/padL: padding="same" with an odd total, ceil_mode).
 */
export interface Window2d {
  N: number; C: number; H: number; W: number;
  OH: number; OW: number; kh: number; kw: number;
  sh: number; sw: number; dh: number; dw: number;
  padT: number; padL: number;
}

export interface Backend {
  readonly name: string;
  /**
   * Whether this backend's Storage is a typed array of the dtype's array type in this thread's memory
   * (the CPU backends: "reference" and "wasm"). Code outside backend/ that must read storage
   * directly checks it; a GPU backend says false.
   */
  readonly typedArrayStorage: boolean;
  /** Whether this backend computes PyTorch 1.13's CPU bits (see numerics.ts). */
  readonly exact: boolean;
  /** New zero-filled storage of n elements. */
  alloc(dtype: DType, n: number): Storage;
  /**
   * Optional: new zero-filled storage of n elements for a tensor that lives as long as a model (a
   * parameter, its gradient, optimizer state: ops/creation.ts's emptyLasting), where this backend's
   * kernels reach it without a copy; null (or absent) to take alloc's.
   */
  allocLasting?(dtype: DType, n: number): Storage | null;
  /**
   * Optional: PyTorch's threshold_backward, o = y <= threshold ? 0 : g (relu's backward; a NaN y
   * keeps g), g and y of one shape and dtype, contiguous output; null where the backend declines
   * (ops then compose it as g.masked_fill(y <= threshold, 0)).
   */
  thresholdBackward?(g: View, y: View, threshold: number): Storage | null;
  /** Optional: whether `s` came from allocLasting (absent: never). */
  isLasting?(s: Storage): boolean;
  /** New storage holding `values` (converted to dtype). */
  fromValues(dtype: DType, values: ArrayLike<number>): Storage;
  /** The view's elements in row-major order, as a new typed array of the view's dtype. */
  read(x: View): TypedArray;
  /** Number of elements the storage holds. */
  size(s: Storage): number;

  /**
   * out[i] = op(x[i]), contiguous output of x.shape in dtype `out`.
   * `dst` (here and in binary, ternary, where): when given, the result is written into it instead
   * of new storage, and dst.storage is returned. dst is contiguous, of the output's shape and dtype;
   * an operand may be dst itself (same storage, offset and strides: each element is read before it
   * is written) but must not otherwise overlap it. In-place ops use it to skip a temporary.
   */
  unary(op: UnaryOp, x: View, out: DType, p0?: number, p1?: number, dst?: View): Storage;
  /** a and b are already broadcast to `shape` (stride 0 on broadcast dims); contiguous output. */
  binary(op: BinaryOp, a: View, b: View, shape: Shape, out: DType, p?: number, dst?: View): Storage;
  /**
   * out = op(a, b, c) with scalar p, all three broadcast to `shape`; contiguous output.
   * NOTE: a backend must round as PyTorch's CPU kernels do (scalar parameters cast to the output
   * dtype, and the multiply-adds the AVX2 build fuses rounded once).
   */
  ternary(op: TernaryOp, a: View, b: View, c: View, shape: Shape, out: DType, p?: number, dst?: View): Storage;
  /** out = cond ? a : b, all three broadcast to `shape`. */
  where(cond: View, a: View, b: View, shape: Shape, out: DType, dst?: View): Storage;
  /** Reduces the listed dims away (output shape is x.shape without them), contiguous output. */
  reduce(op: ReduceOp, x: View, dims: readonly number[], out: DType): Storage;
  /** Cumulative sum or product along dim, contiguous output of x.shape. */
  cumulative(op: "cumsum" | "cumprod", x: View, dim: number, out: DType): Storage;
  /**
   * Batched matrix product: a is [B, M, K], b is [B, K, N] (any strides); output [B, M, N] contiguous.
   * With `init` (a view of shape [B, M, N], broadcast allowed), the output starts as init and the
   * products are added into it, as BLAS does with beta = 1 (torch.addmm, nn.Linear's bias).
   */
  matmul(a: View, b: View, out: DType, init?: View): Storage;
  /**
   * Optional: float32 / float64 softmax (log: log_softmax) over the last dim of x, contiguous output,
   * in PyTorch's kernel order so the bits are its. Ops compose softmax from primitives without it.
   */
  softmaxLastDim?(x: View, log: boolean): Storage;
  /** Optional: the backward of softmaxLastDim given its output y and the incoming gradient g. */
  softmaxBackwardLastDim?(g: View, y: View, log: boolean): Storage;
  /**
   * Optional: float32 / float64 negative log likelihood of class indices (nll_loss's forward). x is
   * [N, C, S] (S: the positions of an (N, C, d1, ...) input, 1 otherwise), target [N, S] of integers,
   * weight [C] (x's dtype) or null; positions whose target is ignoreIndex count nothing; a target out
   * of [0, C) throws IndexError. "none": loss is the [N, S] values -w[t] x[n, t, s] (x's dtype);
   * "sum" / "mean": loss holds one element, the sum (divided by totalWeight for "mean"). totalWeight
   * is the sum of w[t] (or the count) over the positions not ignored.
   * nn.functional composes nll_loss from primitives without it.
   */
  nllLoss?(x: View, target: View, weight: View | null, ignoreIndex: number, reduction: "none" | "sum" | "mean"): { loss: Storage; totalWeight: number };
  /**
   * Optional: nllLoss's backward, the gradient of x as a contiguous [N, C, S] storage of g's dtype:
   * -w[t] * g (g / totalWeight for "mean") at each picked class, 0 elsewhere. g holds one element
   * ("sum", "mean") or is [N, S] ("none").
   */
  nllLossBackward?(g: View, target: View, weight: View | null, ignoreIndex: number, reduction: "none" | "sum" | "mean",
    totalWeight: number, N: number, C: number, S: number): Storage;
  /**
   * Optional: float32 / float64 normalisation over groups of x's elements, x read as [A, G, B] (its
   * elements in row-major order, any strides). The forward of native_layer_norm (`perChannel` false:
   * x is [M, D, 1], each of the A = M rows normalised over its D elements, weight / bias [D]) and of
   * native_batch_norm (`perChannel` true: x is [N, C, S], each of the G = C channels normalised over
   * its N * S elements, weight / bias [C]): y = (x - mean) * rstd * w + b, rstd = 1 / sqrt(var + eps)
   * (var biased). With `stats` (batch norm in evaluation: the running mean and variance, [C]) those
   * are used instead of the batch's. Returns y (contiguous, x's shape) and, per group, mean, var and
   * rstd (x's dtype).
   * nn.functional composes the normalisations from primitives without it.
   */
  normalize?(x: View, A: number, G: number, B: number, perChannel: boolean, weight: View | null, bias: View | null,
    eps: number, stats: { mean: View; var: View } | null): { y: Storage; mean: Storage; var: Storage; rstd: Storage };
  /**
   * Optional: normalize's backward given the output's gradient g (x's shape), the forward's mean and
   * rstd: the gradients of x, weight and bias, each where `mask` asks (else null). With `fixedStats`
   * (evaluation) the statistics are constants: dx = g * w * rstd; otherwise
   * dx = rstd * (gw - mean(gw) - xhat * mean(gw * xhat)) with gw = g * w over each group.
   */
  normalizeBackward?(g: View, x: View, mean: Storage, rstd: Storage, A: number, G: number, B: number, perChannel: boolean,
    weight: View | null, fixedStats: boolean, mask: readonly [boolean, boolean, boolean]): [Storage | null, Storage | null, Storage | null];
  /**
   * Optional: float32 / float64 2-d convolution (PyTorch's convolution with zero padding): x is
   * [N, C, H, W], w [O, C / groups, kh, kw], bias [O] or null (all of x's dtype, any strides);
   * contiguous output [N, O, OH, OW]. nn.functional composes convolution from primitives without it.
   */
  conv2d?(x: View, w: View, bias: View | null, win: Window2d, O: number, groups: number): Storage;
  /**
   * Optional: conv2d's backward (PyTorch's convolution_backward) given the output's gradient gy
   * [N, O, OH, OW]: the gradients of x, w and bias, each computed only where `mask` asks (else null).
   */
  conv2dBackward?(gy: View, x: View, w: View, win: Window2d, O: number, groups: number,
    mask: readonly [boolean, boolean, boolean]): [Storage | null, Storage | null, Storage | null];
  /**
   * Optional: float32 / float64 max pooling over each of the N * C planes of x (win.N, win.C): the
   * maxima [N, C, OH, OW] and, as int64 storage of the same shape, where each came from (h * W + w
   * in its plane, PyTorch's max_pool2d_with_indices). Ties go to the first position in the window;
   * NaN wins, as in PyTorch's CPU kernel.
   */
  maxPool2d?(x: View, win: Window2d): { values: Storage; indices: Storage };
  /** Optional: maxPool2d's backward: gy [N, C, OH, OW] added into a zero [N, C, H, W] at `indices`. */
  maxPool2dBackward?(gy: View, indices: View, win: Window2d): Storage;
  /**
   * Optional: float32 / float64 average pooling (PyTorch's avg_pool2d, symmetric padding padT/padL):
   * each window's sum over the input divided by divisorOverride when non-zero, else by the window's
   * size counting padding (countIncludePad) or not; contiguous [N, C, OH, OW].
   */
  avgPool2d?(x: View, win: Window2d, countIncludePad: boolean, divisorOverride: number): Storage;
  /** Optional: avgPool2d's backward given gy [N, C, OH, OW]: contiguous [N, C, H, W]. */
  avgPool2dBackward?(gy: View, win: Window2d, countIncludePad: boolean, divisorOverride: number): Storage;
  /**
   * Optional: one torch.optim.SGD step on one parameter, in place and in one pass over its elements:
   * param (and momentumBuffer, null when momentum is 0) updated from grad. The views are contiguous,
   * of one shape and one dtype, float32 or float64, and do not overlap (the optimizer checks, and
   * bumps the version counters). A backend rounds each element as PyTorch's sequence of kernels does
   * (src/optim/sgd.ts) where it can, so the bits are the composed update's; the optimizers compose
   * the update from primitives without it.
   */
  sgdStep?(param: View, grad: View, momentumBuffer: View | null, o: SGDStepScalars): void;
  /** Optional: likewise one Adam / AdamW step (src/optim/adam.ts); maxExpAvgSq is null unless amsgrad. */
  adamStep?(param: View, grad: View, expAvg: View, expAvgSq: View, maxExpAvgSq: View | null, o: AdamStepScalars): void;
  /** Optional: likewise one RMSprop step (src/optim/rmsprop.ts); gradAvg only when centered, momentumBuffer when momentum > 0. */
  rmspropStep?(param: View, grad: View, squareAvg: View, gradAvg: View | null, momentumBuffer: View | null, o: RMSpropStepScalars): void;
  /** Optional: likewise one Adagrad step (src/optim/adagrad.ts), with the step's decayed lr. */
  adagradStep?(param: View, grad: View, sum: View, o: AdagradStepScalars): void;
  /**
   * Optional: float32 / float64 variance (or, with `std`, standard deviation) over `dims` with
   * Bessel's `correction`, output of x.shape without those dims. Ops compose it from primitives
   * without it. NOTE: the reference gives PyTorch 1.13's bits (its two-pass and Welford kernels).
   */
  variance?(x: View, dims: readonly number[], correction: number, std: boolean): Storage;
  /** Writes src (same shape) into the strided region dst, casting to dst's dtype. */
  copy(src: View, dst: View): void;
  /** Writes `value` into every element of the strided region dst. */
  fill(dst: View, value: number): void;
  /** out[..., i, ...] = x[..., index[i], ...] along dim; index is a 1-d int64 view. */
  indexSelect(x: View, dim: number, index: View): Storage;
  /** torch.gather: out has index's shape. */
  gather(x: View, dim: number, index: View): Storage;
  /** In place on dst (a contiguous view): dst[...index...] = src (or += src with reduce "add"). */
  scatter(dst: View, dim: number, index: View, src: View, reduce: "none" | "add"): void;
  /** In place on dst along dim: dst[..., index[i], ...] += src[..., i, ...] (Tensor.index_add_). */
  indexAdd(dst: View, dim: number, index: View, src: View): void;
  /** Indices of the non-zero elements, as a contiguous int64 [n, ndim] storage; returns it and n. */
  nonzero(x: View): { storage: Storage; count: number };
}

/** The scalars of one fused SGD step (Backend.sgdStep): the group's torch.optim.SGD options. */
export interface SGDStepScalars {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
  /** The momentum buffer is new: it is set to this step's direction (PyTorch's clone), not updated. */
  firstStep: boolean;
}

/** The scalars of one fused Adam / AdamW step (Backend.adamStep). */
export interface AdamStepScalars {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
  /** AdamW: p *= 1 - lr * weightDecay first, instead of adding weightDecay * p to the gradient. */
  decoupled: boolean;
  /** lr / (1 - beta1^step), as the optimizer computes it in float64. */
  stepSize: number;
  /** sqrt(1 - beta2^step), likewise. */
  biasCorrection2Sqrt: number;
}

/** The scalars of one fused RMSprop step (Backend.rmspropStep): the group's options. */
export interface RMSpropStepScalars {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/** The scalars of one fused Adagrad step (Backend.adagradStep). */
export interface AdagradStepScalars {
  /** lr / (1 + (step - 1) * lrDecay), as the optimizer computes it in float64. */
  clr: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

const registry = new Map<string, Backend>();
let current: Backend | null = null;

export function registerBackend(b: Backend): void {
  registry.set(b.name, b);
  if (!current) current = b;
}

export function getBackend(name?: string): Backend {
  if (name === undefined) {
    if (!current) throw new RuntimeError("no typetorch backend is registered; import \"typetorch\" to get the CPU backend");
    return current;
  }
  const b = registry.get(name);
  if (!b)
    throw new RuntimeError(
      `typetorch backend "${name}" is not available (registered: ${[...registry.keys()].join(", ")}). The "cpu" backend is built in; others must be imported and enabled first.`,
    );
  return b;
}

export function setBackend(name: string): void {
  current = getBackend(name);
}

/** Every registered backend (for tests that run on each). */
export function listBackends(): string[] {
  return [...registry.keys()];
}
