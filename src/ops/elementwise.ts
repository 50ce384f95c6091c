// Elementwise ops: the unary and binary tables run through the backend, plus the parametrised
// elementwise ops (clamp, pow with a scalar, leaky_relu, ...), where, masked_fill, lerp, addcmul.
import { record } from "../autograd/function.js";
import { noGrad } from "../autograd/grad_mode.js";
import { bool, float16, getDefaultDtype, int64, type DType } from "../tensor/dtype.js";
import { broadcastShapes, broadcastStrides, shapesEqual, type Shape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { RuntimeError, TorchTypeError } from "../errors.js";
import { asTensor, backend, fromStorage, resultTypeOf, type Scalar, type TensorOrScalar } from "./core.js";
import { binaryTable, registerOp, unaryTable, type BinaryDef, type BinaryName, type UnaryDef, type UnaryName } from "./table.js";
import { leakyReluBackward } from "./activation_backward.js";
import type { BinaryOp, TernaryOp, UnaryOp, View } from "../backend/backend.js";

function broadcastView(t: Tensor, shape: readonly number[]) {
  const v = t._view();
  return { ...v, shape, strides: broadcastStrides(t._shape, t._strides, shape) };
}

/**
 * Where an in-place op's result may be written directly: `into` (the tensor an in-place op on the
 * no-grad path writes, see Tensor._inplace) when the result has its dtype and shape, it is
 * contiguous, and no operand overlaps it other than exactly (same storage, offset and strides:
 * elementwise, each element is then read before it is written). Otherwise undefined, and the result
 * goes to new storage that Tensor._inplace copies back (PyTorch's cast and broadcast rules apply).
 * NOTE: distinct storages never share memory; views of a tensor share its storage object.
 */
export function destination(into: Tensor | undefined, dtype: DType, shape: Shape, operands: readonly Tensor[]): View | undefined {
  if (!into || into._dtype !== dtype || !shapesEqual(into._shape, shape) || !into.isContiguous()) return undefined;
  for (const t of operands) if (t._storage === into._storage && !sameElements(t, into)) return undefined;
  return into._view();
}

/** Whether t, broadcast to out's shape, reads exactly out's elements in out's order. */
export function sameElements(t: Tensor, out: Tensor): boolean {
  if (t._offset !== out._offset) return false;
  const st = broadcastStrides(t._shape, t._strides, out._shape);
  for (let d = 0; d < out._shape.length; d++) if (out._shape[d]! > 1 && st[d] !== out._strides[d]) return false;
  return true;
}

/**
 * PyTorch's TypeError for a Python number where a binary op takes only tensors (maximum, minimum,
 * atan2): `maximum(): argument 'other' (position 1) must be Tensor, not float`. A JS number is
 * Python's int when it is an integer.
 */
export function requireTensor(op: string, arg: string, position: number, v: unknown): void {
  if (v instanceof Tensor) return;
  const type = typeof v === "boolean" ? "bool" : typeof v === "number" ? (Number.isInteger(v) ? "int" : "float") : v === null || v === undefined ? "NoneType" : typeof v;
  throw new TorchTypeError(`${op}(): argument '${arg}' (position ${position}) must be Tensor, not ${type}`);
}

/** PyTorch's errors for unary ops on bool tensors (its kernels have no bool case). */
const BOOL_ERRORS: Partial<Record<UnaryName, string>> = {
  neg: "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
  abs: `"abs_cpu" not implemented for 'Bool'`,
  relu: "Boolean inputs not supported for relu",
  floor: `"floor_vml_cpu" not implemented for 'Bool'`,
  ceil: `"ceil_vml_cpu" not implemented for 'Bool'`,
  round: `"round_vml_cpu" not implemented for 'Bool'`,
  trunc: `"trunc_vml_cpu" not implemented for 'Bool'`,
};

/** PyTorch 1.13's errors for unary ops whose CPU kernels have no Half case (checked with real PyTorch). */
const HALF_KERNELS: Partial<Record<UnaryName, string>> = {
  exp: "exp_vml_cpu", log: "log_vml_cpu", log2: "log2_vml_cpu", log10: "log10_vml_cpu", log1p: "log1p_vml_cpu",
  expm1: "expm1_vml_cpu", sqrt: "sqrt_vml_cpu", rsqrt: "rsqrt_cpu", sin: "sin_vml_cpu", cos: "cos_vml_cpu",
  tan: "tan_vml_cpu", asin: "asin_vml_cpu", acos: "acos_vml_cpu", atan: "atan_vml_cpu", sinh: "sinh_cpu",
  cosh: "cosh_cpu", tanh: "tanh_vml_cpu", sigmoid: "sigmoid_cpu", relu: "clamp_min_cpu", gelu: "GeluKernelImpl",
  geluTanh: "GeluKernelImpl", silu: "silu_cpu", erf: "erf_vml_cpu", floor: "floor_vml_cpu", ceil: "ceil_vml_cpu",
  round: "round_vml_cpu", trunc: "trunc_vml_cpu",
};

/** An op of the unary table; with `into`, see `destination`. */
export function unary(name: UnaryName, x: Tensor, into?: Tensor): Tensor {
  const def: UnaryDef = unaryTable[name];
  const boolError = x.dtype === bool ? BOOL_ERRORS[name] : undefined;
  if (boolError !== undefined) throw new RuntimeError(boolError);
  // (gelu and silu kernels have no integer or bool case in PyTorch 1.13, nor a Half one)
  const halfKernel = x.dtype === float16 || (!x.dtype.isFloatingPoint && (name === "gelu" || name === "geluTanh" || name === "silu")) ? HALF_KERNELS[name] : undefined;
  if (halfKernel !== undefined) throw new RuntimeError(`"${halfKernel}" not implemented for '${x.dtype.scalarName}'`);
  const out = def.ints === "float" && !x.dtype.isFloatingPoint ? getDefaultDtype() : x.dtype;
  const dst = destination(into, out, x._shape, [x]);
  if (dst) {
    backend().unary(def.prim, x._view(), out, 0, 0, dst);
    return into!;
  }
  const y = fromStorage(backend().unary(def.prim, x._view(), out), x.shape, out);
  const bw = def.backward;
  if (bw === "notDifferentiable" || !out.isFloatingPoint) return y;
  const saves = def.saves as readonly ("x" | "y")[];
  const saved = saves.map((s) => (s === "x" ? x : y));
  const ix = saves.indexOf("x"), iy = saves.indexOf("y");
  return record(def.gradFn, [x], y, (g, s) => [bw(g, ix >= 0 ? s(ix) : x, iy >= 0 ? s(iy) : y)], saved);
}

/** A unary primitive with scalar parameters, under its own grad_fn. */
export function unaryParam(
  gradFn: string,
  prim: UnaryOp,
  x: Tensor,
  p0: number,
  p1: number,
  backward: (g: Tensor, x: Tensor, y: Tensor) => Tensor,
  saves: "x" | "y" | "none",
  floatOut = false,
  into?: Tensor,
): Tensor {
  const out = floatOut && !x.dtype.isFloatingPoint ? getDefaultDtype() : x.dtype;
  const dst = destination(into, out, x._shape, [x]);
  if (dst) {
    backend().unary(prim, x._view(), out, p0, p1, dst);
    return into!;
  }
  const y = fromStorage(backend().unary(prim, x._view(), out, p0, p1), x.shape, out);
  if (!out.isFloatingPoint) return y;
  const saved = saves === "x" ? [x] : saves === "y" ? [y] : [];
  return record(gradFn, [x], y, (g, s) => [backward(g, saves === "x" ? s(0) : x, saves === "y" ? s(0) : y)], saved);
}

const INTEGER_DIVISIONS: ReadonlySet<string> = new Set(["remainder", "fmod", "floorDivide"]);

/**
 * Integer division by zero has no value to give; PyTorch raises "ZeroDivisionError" (as a RuntimeError)
 * where floats would give inf or nan.
 */
export function checkIntegerDivisor(b: Tensor): void {
  if (b.eq(0).any().item()) throw new RuntimeError("ZeroDivisionError");
}

/** PyTorch's sub_check: no bool operands (a JavaScript boolean is a bool operand too). */
export function checkSub(a: TensorOrScalar, b: TensorOrScalar): void {
  const aBool = a instanceof Tensor ? a.dtype === bool : typeof a === "boolean";
  const bBool = b instanceof Tensor ? b.dtype === bool : typeof b === "boolean";
  if (aBool && bBool)
    throw new RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.");
  if (aBool || bBool)
    throw new RuntimeError(
      "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
    );
}

/** An op of the binary table (add and sub with alpha); with `into`, see `destination`. */
export function binary(name: BinaryName, a: TensorOrScalar, b: TensorOrScalar, alpha?: number, into?: Tensor): Tensor {
  const def: BinaryDef = binaryTable[name];
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) throw new TorchTypeError(`${name}(): expected at least one Tensor argument`);
  const dt = resultTypeOf(a, b);
  const out: DType = def.out === "bool" ? bool : def.out === "float" && !dt.isFloatingPoint ? getDefaultDtype() : dt;
  if (name === "sub") checkSub(a, b);
  // (PyTorch's pow kernels have no bool case: True ** True and bool ** bool tensors fail)
  if (name === "pow" && dt === bool) throw new RuntimeError(`"pow" not implemented for 'Bool'`);
  const compute = def.out === "float" && !dt.isFloatingPoint ? out : dt;
  const ta = asTensor(a, compute), tb = asTensor(b, compute);
  if (!compute.isFloatingPoint && INTEGER_DIVISIONS.has(name)) checkIntegerDivisor(tb);
  const shape = broadcastShapes(ta.shape, tb.shape);
  let prim: BinaryOp = def.prim;
  let p = 1;
  if (alpha !== undefined && alpha !== 1) {
    if (name !== "add" && name !== "sub") throw new RuntimeError(`${name} does not take alpha`);
    if (!dt.isFloatingPoint && !Number.isInteger(alpha))
      throw new RuntimeError("For integral input tensors, argument alpha must not be a floating point number.");
    prim = "addScaled";
    p = name === "sub" ? -alpha : alpha;
  }
  const dst = destination(into, out, shape, [ta, tb]);
  if (dst) {
    backend().binary(prim, broadcastView(ta, shape), broadcastView(tb, shape), shape, out, p, dst);
    return into!;
  }
  const y = fromStorage(backend().binary(prim, broadcastView(ta, shape), broadcastView(tb, shape), shape, out, p), shape, out);
  const bw = def.backward;
  if (bw === "notDifferentiable" || !out.isFloatingPoint) return y;
  const scalarOther = !(b instanceof Tensor);
  const gradFn = scalarOther && def.gradFnScalar ? def.gradFnScalar : def.gradFn;
  // saved as PyTorch saves them: only for the gradients that will be computed (BinaryDef.saveFor)
  const needA = ta.requiresGrad, needB = tb.requiresGrad, saveFor = def.saveFor;
  const saved: Tensor[] = [];
  let ia = -1, ib = -1, iy = -1;
  for (const k of def.saves as readonly ("a" | "b" | "y")[]) {
    const w = saveFor?.[k];
    if (w && !w.some((i) => (i === "a" ? needA : needB))) continue;
    if (k === "a") ia = saved.push(ta) - 1;
    else if (k === "b") ib = saved.push(tb) - 1;
    else iy = saved.push(y) - 1;
  }
  return record(gradFn, [ta, tb], y, (g, s, needs) => {
    const [ga, gb] = bw(g, ia >= 0 ? s(ia) : ta, ib >= 0 ? s(ib) : tb, iy >= 0 ? s(iy) : y, needs);
    // NOTE: sub's table backward already negates b's gradient, so it is scaled by alpha, not by p = -alpha.
    return [ga, gb && alpha !== undefined && alpha !== 1 ? gb.mul(alpha) : gb];
  }, saved);
}

/**
 * torch.div with rounding_mode "trunc" or "floor": one DivBackward2 node whose gradients are zero,
 * as PyTorch's div_tensor_self_backward / div_tensor_other_backward give for a rounding mode.
 * NOTE: "trunc" is true division then truncation (an integer result for integer operands);
 * "floor" is floor_divide's kernel.
 */
export function divRounding(a: Tensor, b: TensorOrScalar, mode: "trunc" | "floor"): Tensor {
  const y = noGrad(() => {
    if (mode === "floor") return binary("floorDivide", a, b);
    const rt = resultTypeOf(a, b);
    if (!rt.isFloatingPoint) checkIntegerDivisor(asTensor(b, rt));
    const q = unary("trunc", binary("div", a, b));
    return rt.isFloatingPoint ? q : q.to(rt);
  });
  if (!y.dtype.isFloatingPoint) return y;
  const bt = b instanceof Tensor ? b : null;
  // NOTE: the gradients are zeros, but PyTorch saves what div's formulas read (as BinaryDef.saveFor
  // of div): self for other's gradient, other for both; so an in-place change to them is caught
  const saved: Tensor[] = [];
  if (bt && bt.requiresGrad) saved.push(a);
  if (bt && (a.requiresGrad || bt.requiresGrad)) saved.push(bt);
  return record("DivBackward2", [a, bt], y, (g, s) => {
    saved.forEach((_, i) => s(i)); // (unpacking checks their versions)
    return [g.new_zeros(a.shape), bt ? g.new_zeros(bt.shape) : null];
  }, saved);
}

/** `scalar - tensor` (Python's __rsub__), RsubBackward1. */
export function rsub(x: Tensor, other: Scalar, alpha = 1): Tensor {
  const dt = resultTypeOf(x, other);
  const y = binaryRaw("addScaled", asTensor(other, dt), x, dt, -alpha);
  if (!dt.isFloatingPoint) return y;
  return record("RsubBackward1", [x], y, (g) => [g.mul(-alpha)]);
}

function binaryRaw(prim: "addScaled", a: Tensor, b: Tensor, dt: DType, p: number): Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  return fromStorage(backend().binary(prim, broadcastView(a, shape), broadcastView(b, shape), shape, dt, p), shape, dt);
}

/** Tensor ** scalar: PowBackward0. */
export function powScalar(x: Tensor, e: number, into?: Tensor): Tensor {
  const floatOut = !Number.isInteger(e);
  if (!x.dtype.isFloatingPoint && Number.isInteger(e) && e < 0)
    throw new RuntimeError("Integers to negative integer powers are not allowed.");
  // NOTE: a bool tensor to an integer power promotes as bool and an int scalar do: int64 (True ** 2 is 1)
  if (x.dtype === bool && !floatOut) x = x.to(int64);
  // NOTE: the gradient for exponent 0 is zeros (PyTorch's zeros_like(self)), not g * 0
  return unaryParam("PowBackward0", "powScalar", x, e, 0, (g, x) => (e === 0 ? x.newZeros(x.shape) : g.mul(x.pow(e - 1)).mul(e)), "x", floatOut, into);
}

export interface ClampOptions {
  min?: number | Tensor | null;
  max?: number | Tensor | null;
}

export function clamp(x: Tensor, min?: number | Tensor | null, max?: number | Tensor | null, into?: Tensor): Tensor {
  if ((min === undefined || min === null) && (max === undefined || max === null))
    throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  if (min instanceof Tensor || max instanceof Tensor) {
    // ClampBackward0: tensor bounds
    const lo = min instanceof Tensor ? min : min ?? null, hi = max instanceof Tensor ? max : max ?? null;
    let y = x.detach();
    if (lo !== null) y = binary("maximum", y, lo instanceof Tensor ? lo.detach() : lo);
    if (hi !== null) y = binary("minimum", y, hi instanceof Tensor ? hi.detach() : hi);
    const loT = lo instanceof Tensor ? lo : null, hiT = hi instanceof Tensor ? hi : null;
    // NOTE: PyTorch's clamp_backward_min_max: each gradient is where(mask, g, 0) (never g * mask, which
    // is NaN for an infinite g), and where min > max the result is max: max gets g, min nothing.
    const less = (a: number | Tensor, b: number | Tensor): Tensor => (a instanceof Tensor ? a.lt(b) : (b as Tensor).gt(a));
    return record("ClampBackward0", [x, loT, hiT], y, (g) => {
      if (lo !== null && hi !== null)
        return [
          g.where(x.ge(lo).logicalAnd(x.le(hi)), 0),
          g.where(x.lt(lo).logicalAnd(less(lo, hi)), 0),
          g.where(x.gt(hi).logicalOr(less(hi, lo)), 0),
        ];
      if (lo !== null) return [g.where(x.ge(lo), 0), g.where(x.lt(lo), 0), null];
      return [g.where(x.le(hi!), 0), null, g.where(x.gt(hi!), 0)];
    }, [x, loT, hiT].filter((t): t is Tensor => t !== null)); // (saved as PyTorch's: self, min, max)
  }
  const lo = typeof min === "number" ? min : NaN, hi = typeof max === "number" ? max : NaN;
  const out = (typeof min === "number" && !Number.isInteger(min)) || (typeof max === "number" && !Number.isInteger(max)) ? true : false;
  // NOTE: PyTorch's clamp_backward: where(min <= x <= max, g, 0) (a NaN x gets 0; an infinite g stays
  // out of the clamped elements instead of making them NaN).
  return unaryParam("ClampBackward1", "clamp", x, Number.isNaN(lo) ? -Infinity : lo, Number.isNaN(hi) ? Infinity : hi, (g, x) => {
    if (Number.isNaN(lo)) return g.where(x.le(hi), 0);
    if (Number.isNaN(hi)) return g.where(x.ge(lo), 0);
    return g.where(x.ge(lo).logicalAnd(x.le(hi)), 0);
  }, "x", out, into);
}

export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  return unaryParam("LeakyReluBackward0", "leakyRelu", x, slope, 0, (g, x) => leakyReluBackward(g, x, slope), "x");
}

export function elu(x: Tensor, alpha = 1): Tensor {
  // NOTE: PyTorch 1.13's elu saves its input (elu_backward with is_result false): alpha * exp(x) at
  // x <= 0, 1 elsewhere (NaN takes the 1)
  return unaryParam("EluBackward0", "elu", x, alpha, 0, (g, xs) => g.mul(where(xs.le(0), xs.exp().mul(alpha), 1)), "x");
}

export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  return unaryParam("SoftplusBackward0", "softplus", x, beta, threshold, (g, x) => {
    const bx = x.mul(beta);
    return g.mul(where(bx.gt(threshold), 1, bx.sigmoid()));
  }, "x", true);
}

/** torch.where(condition, x, y); scalars allowed for x and y. */
export function where(cond: Tensor, a: TensorOrScalar, b: TensorOrScalar): Tensor {
  if (cond.dtype !== bool) throw new RuntimeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${cond.dtype.scalarName}`);
  const dt = resultTypeOf(a, b);
  const ta = asTensor(a, dt), tb = asTensor(b, dt);
  const shape = broadcastShapes(broadcastShapes(cond.shape, ta.shape), tb.shape);
  const y = fromStorage(
    backend().where(broadcastView(cond, shape), broadcastView(ta, shape), broadcastView(tb, shape), shape, dt),
    shape,
    dt,
  );
  if (!dt.isFloatingPoint) return y;
  return record("WhereBackward0", [cond, ta, tb], y, (g) => [null, g.maskedFill(cond.logicalNot(), 0), g.maskedFill(cond, 0)]);
}

export function maskedFill(x: Tensor, mask: Tensor, value: Scalar | Tensor, into?: Tensor): Tensor {
  if (mask.dtype === int64 || mask.dtype.name === "int32") {
    // NOTE: PyTorch 1.13 still takes an integer mask of 0s and 1s (its old byte masks)
    if (mask._values().some((v) => v !== 0 && v !== 1)) throw new RuntimeError("Mask tensor can take 0 and 1 values only");
    mask = mask.to(bool);
  }
  // (a floating mask: PyTorch 1.13 reads its first byte per element as the flag; typetorch refuses it)
  if (mask.dtype !== bool) throw new RuntimeError(`masked_fill_ only supports boolean masks, but got mask with dtype ${mask.dtype.scalarName}`);
  if (value instanceof Tensor && value.dim() !== 0)
    throw new RuntimeError(`masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.dim()} dimension(s).`);
  const shape = broadcastShapes(x.shape, mask.shape);
  // (out of place, PyTorch's masked_fill expands self to the broadcast shape first)
  if (!into && (shape.length !== x.shape.length || shape.some((s, i) => s !== x.shape[i]))) x = x.expand(shape);
  if (shape.length !== x.shape.length || shape.some((s, i) => s !== x.shape[i]))
    throw new RuntimeError(`The size of tensor a (${x.shape[x.dim() - 1]}) must match the size of tensor b (${mask.shape[mask.dim() - 1]}) at non-singleton dimension ${x.dim() - 1}`);
  const v = value instanceof Tensor ? value.detach().to(x.dtype) : asTensor(value, x.dtype).to(x.dtype);
  const dst = destination(into, x.dtype, shape, [mask, v, x]);
  if (dst) {
    backend().where(broadcastView(mask, shape), broadcastView(v, shape), x._view(), shape, x.dtype, dst);
    return into!;
  }
  const y = fromStorage(backend().where(broadcastView(mask, shape), broadcastView(v, shape), x._view(), shape, x.dtype), shape, x.dtype);
  if (value instanceof Tensor)
    return record("MaskedFillBackward1", [x, value], y, (g) => [g.maskedFill(mask, 0), g.mul(mask).sum()]);
  return record("MaskedFillBackward0", [x], y, (g) => [g.maskedFill(mask, 0)]);
}

/**
 * An operand as the kernel computes on it: cast to the computation dtype (detached: the caller
 * records the graph on the original). NOTE: PyTorch's TensorIterator casts every operand to the
 * common dtype before the kernel runs, so a float64 0-d tensor meets a float32 kernel as float32.
 */
function kernelOperand(t: Tensor, dt: DType): Tensor {
  return t.dtype === dt ? t : t.detach().to(dt);
}

/** The ternary primitive on a, b, c cast to dt; with `into`, see `destination` (the result is then into). */
function ternaryRaw(prim: TernaryOp, a: Tensor, b: Tensor, c: Tensor, dt: DType, p = 1, into?: Tensor): Tensor {
  const shape = broadcastShapes(broadcastShapes(a.shape, b.shape), c.shape);
  const ka = kernelOperand(a, dt), kb = kernelOperand(b, dt), kc = kernelOperand(c, dt);
  const va = broadcastView(ka, shape), vb = broadcastView(kb, shape), vc = broadcastView(kc, shape);
  const dst = destination(into, dt, shape, [ka, kb, kc]);
  if (dst) {
    backend().ternary(prim, va, vb, vc, shape, dt, p, dst);
    return into!;
  }
  return fromStorage(backend().ternary(prim, va, vb, vc, shape, dt, p), shape, dt);
}

/**
 * torch.lerp: start + weight * (end - start).
 * NOTE: PyTorch computes |w| < 0.5 ? start + w * (end - start) : end - (end - start) * (1 - w), each
 * as one fused multiply-add, with the weight cast to the tensors' dtype (the "lerp" primitive).
 */
export function lerp(start: Tensor, end: Tensor, weight: number | Tensor, into?: Tensor): Tensor {
  const dt = resultTypeOf(start, end);
  if (weight instanceof Tensor) {
    const y = ternaryRaw("lerp", start, end, weight, dt, 1, into);
    if (y === into) return y;
    return record("LerpBackward1", [start, end, weight], y, (g) => [g.mul(weight.neg().add(1)), g.mul(weight), g.mul(end.sub(start))]);
  }
  const y = ternaryRaw("lerp", start, end, asTensor(weight, dt), dt, 1, into);
  if (y === into) return y;
  return record("LerpBackward0", [start, end], y, (g) => [g.mul(1 - weight), g.mul(weight)]);
}

/** input + value * t1 * t2. NOTE: PyTorch fuses it as fma(value * t1, t2, input) (the "addcmul" primitive). */
export function addcmul(input: Tensor, t1: Tensor, t2: Tensor, value = 1, into?: Tensor): Tensor {
  const dt = resultTypeOf(input, t1, t2);
  const y = ternaryRaw("addcmul", input, t1, t2, dt, value, into);
  if (y === into) return y;
  // (saved as PyTorch saves them: t2 for t1's gradient, t1 for t2's)
  const saved: Tensor[] = [];
  const i2 = t1.requiresGrad ? saved.push(t2) - 1 : -1, i1 = t2.requiresGrad ? saved.push(t1) - 1 : -1;
  return record("AddcmulBackward0", [input, t1, t2], y, (g, s, needs) => [
    g, needs(1) ? g.mul(s(i2)).mul(value) : null, needs(2) ? g.mul(s(i1)).mul(value) : null,
  ], saved);
}

/** input + value * t1 / t2, computed as input + ((value * t1) / t2), as PyTorch's kernel does. */
export function addcdiv(input: Tensor, t1: Tensor, t2: Tensor, value = 1, into?: Tensor): Tensor {
  if (!t1.dtype.isFloatingPoint && !t2.dtype.isFloatingPoint)
    throw new RuntimeError("Integer division with addcdiv is no longer supported, and in a future release addcdiv will perform a true division of tensor1 and tensor2.");
  const dt = resultTypeOf(input, t1, t2);
  const y = ternaryRaw("addcdiv", input, t1, t2, dt, value, into);
  if (y === into) return y;
  return record("AddcdivBackward0", [input, t1, t2], y, (g, s) => {
    const a = s(0), b = s(1);
    return [g, g.div(b).mul(value), g.mul(a).div(b.mul(b)).mul(-value)];
  }, [t1, t2]);
}

/**
 * torch.xlogy(x, y): x * log(y), with 0 where x == 0 (y finite or not) and NaN where y is NaN, as
 * PyTorch's kernel. Integer operands compute in the default float dtype.
 * NOTE: y's gradient g * x / y is NaN at x = y = 0 (kl_div's target gradient at a zero target), as PyTorch's.
 * @example
 * torch.xlogy(torch.tensor([0, 2]), torch.tensor([0, Math.E])); // tensor([0., 2.])
 */
export function xlogy(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  const rt = resultTypeOf(a, b);
  const dt = rt.isFloatingPoint ? rt : getDefaultDtype();
  const ta = asTensor(a, dt), tb = asTensor(b, dt);
  const y = noGrad(() => {
    const x = ta.detach().to(dt), z = tb.detach().to(dt);
    return x.mul(z.log()).maskedFill(x.eq(0), 0).maskedFill(z.isnan(), NaN);
  });
  // NOTE: PyTorch's formulas (derivatives.yaml): x's gradient is xlogy(g, y) masked to 0 where x == 0
  // and y <= 0 (for a scalar y: masked where x == 0 unless y > 0); y's is g * x / y.
  if (!(b instanceof Tensor)) {
    const yv = Number(b);
    return record("XlogyBackward2", [ta], y, (g, s) => {
      const r = xlogy(g, tb);
      return [yv > 0 ? r : r.maskedFill(s(0).eq(0), 0)];
    }, [ta]);
  }
  return record(a instanceof Tensor ? "XlogyBackward0" : "XlogyBackward1", [ta, tb], y, (g, s, needs) => {
    const x = s(0), z = s(1);
    return [needs(0) ? xlogy(g, z).maskedFill(x.eq(0).logicalAnd(z.le(0)), 0) : null, needs(1) ? g.mul(x).div(z) : null];
  }, [ta, tb]);
}

registerOp("rsub", "RsubBackward1");
registerOp("powScalar", "PowBackward0");
registerOp("clamp", "ClampBackward1");
registerOp("clampTensor", "ClampBackward0");
registerOp("leakyRelu", "LeakyReluBackward0");
registerOp("elu", "EluBackward0");
registerOp("softplus", "SoftplusBackward0");
registerOp("where", "WhereBackward0");
registerOp("maskedFill", "MaskedFillBackward0");
registerOp("lerp", "LerpBackward0");
registerOp("addcmul", "AddcmulBackward0");
registerOp("addcdiv", "AddcdivBackward0");
registerOp("xlogy", "XlogyBackward0");
