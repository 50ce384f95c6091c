// nn.functional activations beyond relu/gelu/elu: prelu, hardswish, hardsigmoid, mish, softsign,
// tanhshrink, softshrink, hardshrink, threshold, glu, logsigmoid, softmin, celu, selu, rrelu.
// Each PyTorch kernel is one node under PyTorch's grad_fn name: the forward is computed under
// noGrad in PyTorch's operation order, and the backward is written in tensor ops (so double
// backward works). PyTorch's composites (softsign, tanhshrink, softmin) are composed as PyTorch does.
import type { Tensor } from "../tensor/tensor.js";
import { noGrad } from "../autograd/grad_mode.js";
import { record } from "../autograd/function.js";
import { RuntimeError, IndexError } from "../errors.js";
import { tensor } from "../ops/creation.js";
import { defaultGenerator, type Generator } from "../random/generator.js";
import type { DType } from "../tensor/dtype.js";

/** A floating kernel's dispatch error for other dtypes (PyTorch's AT_DISPATCH words). */
function checkFloat(x: Tensor, kernel: string): void {
  if (!x.dtype.isFloatingPoint) throw new RuntimeError(`"${kernel}" not implemented for '${x.dtype.scalarName}'`);
}

/** One elementwise node: y = fwd(x) (computed without a graph), dx = grad(g, x) in tensor ops. */
function pointwise(name: string, x: Tensor, fwd: (x: Tensor) => Tensor, grad: (g: Tensor, x: Tensor) => Tensor): Tensor {
  const y = noGrad(() => fwd(x));
  return record(name, [x], y, (g, s) => [grad(g, s(0))], [x]);
}

/** Runs an out-of-place activation in place on x (PyTorch's `inplace=True`). */
function maybeInplace(x: Tensor, inplace: boolean, f: (x: Tensor) => Tensor): Tensor {
  return inplace ? x._inplace((s) => f(s)) : f(x);
}

/**
 * PReLU (F.prelu): x where x > 0, else weight * x, with one weight per channel (dim 1) or one shared.
 * NOTE: the weight's gradient sums g * x over every position its channel covers (PreluBackward0).
 */
export function prelu(input: Tensor, weight: Tensor): Tensor {
  const wn = weight.numel();
  if (weight.dim() > 1) throw new RuntimeError(`prelu: Expected \`weight\` to be a scalar or 1D tensor, but got ndim = ${weight.dim()}`);
  if (wn !== 1) {
    if (input.dim() === 0) throw new RuntimeError("Not allow zero-dim input tensor.");
    const channels = input.dim() > 1 ? input.size(1) : 1;
    if (channels !== wn) throw new RuntimeError(`Mismatch of parameter numbers and input channel size. Found parameter numbers = ${wn} and channel size = ${channels}.`);
  }
  // (then PyTorch's TensorIterator compares the weight's dtype with the input's, then the kernel dispatches)
  if (weight.dtype !== input.dtype) throw new RuntimeError(`Found dtype ${weight.dtype.scalarName} but expected ${input.dtype.scalarName}`);
  checkFloat(input, "prelu_cpu");
  const wShape = wn === 1 || input.dim() < 2 ? [] : input.shape.map((s, i) => (i === 1 ? s : 1));
  const wv = (w: Tensor) => (wShape.length ? w.reshape(wShape) : w.reshape([]));
  const y = noGrad(() => input.where(input.gt(0), wv(weight).mul(input)));
  return record("PreluBackward0", [input, weight], y, (g, s, needs) => {
    const x = s(0), w = s(1);
    const pos = x.gt(0);
    const gx = needs(0) ? g.where(pos, wv(w).mul(g)) : null;
    let gw: Tensor | null = null;
    if (needs(1)) {
      const part = x.mul(g).maskedFill(pos, 0);
      gw = (wShape.length ? part.sum(wShape.map((_, i) => i).filter((i) => i !== 1)) : part.sum()).reshape(weight.shape);
    }
    return [gx, gw];
  }, [input, weight]);
}

/** Hardswish (F.hardswish): x * relu6(x + 3) / 6. */
export function hardswish(input: Tensor, inplace = false): Tensor {
  checkFloat(input, "hardswish_cpu");
  return maybeInplace(input, inplace, (x) => pointwise("HardswishBackward0", x,
    (v) => v.mul(v.add(3).clamp(0, 6)).div(6),
    // NOTE: PyTorch's hardswish_backward: 0 below -3, g from 3 up, g * (x / 3 + 0.5) between. At
    // exactly x = 3 PyTorch's vectorised loop (which takes all but a tensor's last few elements)
    // gives g and its scalar tail loop g * 1.5; this follows the vectorised loop.
    (g, v) => g.mul(v.div(3).add(0.5)).where(v.lt(3), g).maskedFill(v.lt(-3), 0)));
}

/** Hardsigmoid (F.hardsigmoid): relu6(x + 3) / 6. */
export function hardsigmoid(input: Tensor, inplace = false): Tensor {
  checkFloat(input, "hardsigmoid_cpu");
  return maybeInplace(input, inplace, (x) => pointwise("HardsigmoidBackward0", x,
    (v) => v.add(3).clamp(0, 6).div(6),
    // NOTE: g / 6 strictly inside (-3, 3), 0 elsewhere (PyTorch's hardsigmoid_backward)
    (g, v) => g.div(6).maskedFill(v.le(-3).logicalOr(v.ge(3)), 0)));
}

/** Mish (F.mish): x * tanh(softplus(x)), softplus as log1p(exp(x)) (PyTorch's kernel). */
export function mish(input: Tensor, inplace = false): Tensor {
  checkFloat(input, "mish_cpu");
  return maybeInplace(input, inplace, (x) => pointwise("MishBackward0", x,
    (v) => v.mul(v.exp().log1p().tanh()),
    (g, v) => {
      const t = v.exp().log1p().tanh();
      return g.mul(t.add(v.mul(v.sigmoid()).mul(t.mul(t).neg().add(1))));
    }));
}

/** Softsign (F.softsign): x / (1 + |x|), composed as PyTorch (DivBackward0). */
export function softsign(input: Tensor): Tensor {
  return input.div(input.abs().add(1));
}

/** Tanhshrink (F.tanhshrink): x - tanh(x), composed as PyTorch (SubBackward0). */
export function tanhshrink(input: Tensor): Tensor {
  return input.sub(input.tanh());
}

/** Softshrink (F.softshrink): x - lambd above lambd, x + lambd below -lambd, 0 between. */
export function softshrink(input: Tensor, lambd = 0.5): Tensor {
  checkFloat(input, "softshrink_cpu");
  if (!(lambd >= 0)) throw new RuntimeError(`lambda must be greater or equal to 0, but found to be ${lambd}.`);
  return pointwise("SoftshrinkBackward0", input,
    (v) => v.sub(lambd).where(v.gt(lambd), v.add(lambd).where(v.lt(-lambd), 0)),
    (g, v) => g.maskedFill(v.ge(-lambd).logicalAnd(v.le(lambd)), 0));
}

/** Hardshrink (F.hardshrink): x where |x| > lambd, else 0. */
export function hardshrink(input: Tensor, lambd = 0.5): Tensor {
  checkFloat(input, "hardshrink_cpu");
  return pointwise("HardshrinkBackward0", input,
    (v) => v.maskedFill(v.ge(-lambd).logicalAnd(v.le(lambd)), 0),
    (g, v) => g.maskedFill(v.ge(-lambd).logicalAnd(v.le(lambd)), 0));
}

/** Threshold (F.threshold): value where x <= threshold, else x (ThresholdBackward0; in place ThresholdBackward1). */
export function threshold(input: Tensor, threshold: number, value: number, inplace = false): Tensor {
  const f = (name: string) => (x: Tensor) => {
    if (!x.dtype.isFloatingPoint) return x.maskedFill(x.le(threshold), value);
    return pointwise(name, x, (v) => v.maskedFill(v.le(threshold), value), (g, v) => g.maskedFill(v.le(threshold), 0));
  };
  return inplace ? input._inplace((s) => f("ThresholdBackward1")(s)) : f("ThresholdBackward0")(input);
}

/** GLU (F.glu): a * sigmoid(b), a and b the two halves of input along dim. */
export function glu(input: Tensor, dim = -1): Tensor {
  checkFloat(input, "glu_cpu");
  if (input.dim() === 0) throw new RuntimeError("glu does not support scalars because halving size must be even");
  const nd = input.dim();
  if (dim < -nd || dim >= nd) throw new IndexError(`Dimension out of range (expected to be in range of [${-nd}, ${nd - 1}], but got ${dim})`);
  const d = dim < 0 ? dim + nd : dim;
  const n = input.size(d);
  if (n % 2 !== 0) throw new RuntimeError(`Halving dimension must be even, but dimension ${d} is size ${n}`);
  const h = n / 2;
  const y = noGrad(() => input.narrow(d, 0, h).mul(input.narrow(d, h, h).sigmoid()));
  return record("GluBackward0", [input], y, (g, s) => {
    const x = s(0);
    const a = x.narrow(d, 0, h), sb = x.narrow(d, h, h).sigmoid();
    return [g.mul(sb).cat(g.mul(a).mul(sb).mul(sb.neg().add(1)), d)];
  }, [input]);
}

/** LogSigmoid (F.logsigmoid): log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), computed stably. */
export function logsigmoid(input: Tensor): Tensor {
  checkFloat(input, "log_sigmoid_cpu");
  return pointwise("LogSigmoidBackward0", input,
    (v) => v.clamp(null, 0).sub(v.abs().neg().exp().log1p()),
    // NOTE: PyTorch's log_sigmoid_backward: z = exp(-|x|); g * (1 - z / (1 + z)) for x < 0, g * z / (1 + z) else
    (g, v) => {
      const z = v.abs().neg().exp();
      const q = z.div(z.add(1));
      return g.mul(q.neg().add(1).where(v.lt(0), q));
    });
}

/** PyTorch's implicit softmax dim (and its warning's rule): 0 for ranks 0, 1 and 3, else 1. */
function implicitDim(ndim: number): number {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

/** Softmin (F.softmin): softmax(-x) along dim (SoftmaxBackward0). */
export function softmin(input: Tensor, dim?: number | null, opts: { dtype?: DType } = {}): Tensor {
  const d = dim ?? implicitDim(input.dim());
  const neg = input.neg();
  return (opts.dtype ? neg.to(opts.dtype) : neg).softmax(d);
}

/**
 * CELU (F.celu): x above 0, alpha * (exp(x / alpha) - 1) at or below (PyTorch's elu kernel with
 * input scale 1 / alpha; CeluBackward0, in place CeluBackward1).
 */
export function celu(input: Tensor, alpha = 1.0, inplace = false): Tensor {
  checkFloat(input, "elu_cpu");
  if (alpha === 0) throw new RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU");
  const inv = 1 / alpha;
  return eluLike(inplace ? "CeluBackward1" : "CeluBackward0", input, alpha, 1, inv, inplace);
}

/** SELU's constants (PyTorch's). */
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** SELU (F.selu): scale * (x above 0, alpha * (exp(x) - 1) at or below) (EluBackward0, in place EluBackward1). */
export function selu(input: Tensor, inplace = false): Tensor {
  checkFloat(input, "elu_cpu");
  return eluLike(inplace ? "EluBackward1" : "EluBackward0", input, SELU_ALPHA, SELU_SCALE, 1, inplace);
}

/**
 * PyTorch's elu kernel with its three coefficients: x <= 0 ? (exp(x * inputScale) - 1) * alpha * scale : x * scale.
 * NOTE: the coefficients are rounded to the input's dtype first (alpha * scale as a product of the
 * two rounded values), as the kernel's `scalar_t` locals are.
 */
function eluLike(name: string, input: Tensor, alpha: number, scale: number, inputScale: number, inplace: boolean): Tensor {
  const r = input.dtype.name === "float32" ? Math.fround : (v: number) => v;
  const negcoef = r(r(alpha) * r(scale)), poscoef = r(scale), negiptcoef = r(inputScale);
  return maybeInplace(input, inplace, (x) => pointwise(name, x,
    (v) => v.mul(poscoef).where(v.gt(0), v.mul(negiptcoef).exp().sub(1).mul(negcoef)),
    (g, v) => g.mul(poscoef).where(v.gt(0), g.mul(negiptcoef).mul(negcoef).mul(v.mul(negiptcoef).exp()))));
}

/**
 * RReLU (F.rrelu): in training each element at or below 0 is multiplied by a slope drawn from
 * U(lower, upper); in evaluation by (lower + upper) / 2 (RreluWithNoiseBackward0).
 * NOTE: the slopes are drawn as PyTorch's CPU kernel draws them: one uniform_real_distribution<double>
 * (a 64-bit draw) per element <= 0, in order, from the default generator; other elements draw nothing.
 */
export function rrelu(input: Tensor, lower = 1.0 / 8, upper = 1.0 / 3, training = false, inplace = false, opts: { generator?: Generator } = {}): Tensor {
  checkFloat(input, "leaky_relu_cpu");
  if (!(lower <= upper)) throw new RuntimeError("Lower bound should be less than or equal to the upper bound");
  const f = (x: Tensor): Tensor => {
    const name = inplace ? "RreluWithNoiseBackward1" : "RreluWithNoiseBackward0";
    if (!training) {
      const slope = (lower + upper) / 2;
      return pointwise(name, x, (v) => v.where(v.gt(0), v.mul(slope)), (g, v) => g.where(v.gt(0), g.mul(slope)));
    }
    const gen = opts.generator ?? defaultGenerator;
    const rd = x.dtype.name === "float32" ? Math.fround : (v: number) => v;
    const lo = rd(lower), hi = rd(upper);
    const xs = x.contiguous().dataSync() as Float32Array | Float64Array;
    const noise = new Array<number>(xs.length);
    for (let i = 0; i < xs.length; i++) {
      if (xs[i]! <= 0) {
        const u = (Number(gen.random64() & 0x1fffffffffffffn)) * 2 ** -53;
        noise[i] = rd(u * (hi - lo) + lo);
      } else noise[i] = 1;
    }
    const nz = tensor(noise, { dtype: x.dtype }).view(x.shape);
    const useNoise = upper - lower > 1e-6;
    const slope = (lower + upper) / 2;
    return pointwise(name, x, (v) => v.mul(nz), (g, v) => (useNoise ? g.mul(nz) : g.where(v.gt(0), g.mul(slope))));
  };
  return maybeInplace(input, inplace, f);
}

