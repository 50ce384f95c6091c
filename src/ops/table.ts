// The op table: every elementwise op declared once, as data -- its name, PyTorch's grad_fn name, the
// backend primitive that computes it, its backward written in tensor ops, what it saves, and the
// domain its tests sample inputs from. Ops outside this table (reductions, views, matmul, indexing)
// register their names in `opRegistry` next to their code, so the test suite sees every op.
import type { BinaryOp, UnaryOp } from "../backend/backend.js";
import type { Tensor } from "../tensor/tensor.js";
import { RuntimeError } from "../errors.js";
import { reluBackward, sigmoidBackward, tanhBackward } from "./activation_backward.js";

/**
 * The backward of an op PyTorch gives no derivative: its result still requires grad, under a
 * "NotImplemented" node that raises at backward (PyTorch's `not_implemented("...")` in
 * derivatives.yaml), unlike "notDifferentiable" ops, whose results never require grad.
 */
export function notImplemented(aten: string): () => never {
  return () => {
    throw new RuntimeError(`derivative for ${aten} is not implemented`);
  };
}

/** How an elementwise op treats an integer or bool input. */
export type IntPolicy =
  /** keeps the input's dtype (neg, abs, floor, relu, ...) */
  | "keep"
  /** computes in the default float dtype (exp, sin, sqrt, ...) */
  | "float";

export interface UnaryDef {
  gradFn: string;
  prim: UnaryOp;
  /** gradient w.r.t. x from the output gradient g, the input x and the result y */
  backward: ((g: Tensor, x: Tensor, y: Tensor) => Tensor) | "notDifferentiable";
  /** which of x, y the backward reads (only those are saved) */
  saves: readonly ("x" | "y")[];
  ints: IntPolicy;
  /** inputs for tests: [low, high] */
  domain: readonly [number, number];
}

/**
 * The gradient of a piecewise-constant op (sign, floor, round, ...): zeros, as PyTorch's
 * zeros_like(grad), not g * 0 (which is NaN for an infinite or NaN incoming gradient).
 */
const zerosOf = (g: Tensor): Tensor => g.newZeros(g.shape);

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export const unaryTable = {
  neg: { gradFn: "NegBackward0", prim: "neg", backward: (g) => g.neg(), saves: [], ints: "keep", domain: [-2, 2] },
  abs: { gradFn: "AbsBackward0", prim: "abs", backward: (g, x) => g.mul(x.sign()), saves: ["x"], ints: "keep", domain: [0.1, 2] },
  sign: { gradFn: "SignBackward0", prim: "sign", backward: zerosOf, saves: [], ints: "keep", domain: [-2, 2] },
  exp: { gradFn: "ExpBackward0", prim: "exp", backward: (g, _x, y) => g.mul(y), saves: ["y"], ints: "float", domain: [-2, 2] },
  exp2: { gradFn: "Exp2Backward0", prim: "exp2", backward: (g, _x, y) => g.mul(y).mul(Math.LN2), saves: ["y"], ints: "float", domain: [-2, 2] },
  log: { gradFn: "LogBackward0", prim: "log", backward: (g, x) => g.div(x), saves: ["x"], ints: "float", domain: [0.2, 3] },
  log2: { gradFn: "Log2Backward0", prim: "log2", backward: (g, x) => g.div(x.mul(Math.LN2)), saves: ["x"], ints: "float", domain: [0.2, 3] },
  log10: { gradFn: "Log10Backward0", prim: "log10", backward: (g, x) => g.div(x.mul(Math.LN10)), saves: ["x"], ints: "float", domain: [0.2, 3] },
  log1p: { gradFn: "Log1PBackward0", prim: "log1p", backward: (g, x) => g.div(x.add(1)), saves: ["x"], ints: "float", domain: [-0.5, 2] },
  expm1: { gradFn: "Expm1Backward0", prim: "expm1", backward: (g, _x, y) => g.mul(y.add(1)), saves: ["y"], ints: "float", domain: [-2, 2] },
  sqrt: { gradFn: "SqrtBackward0", prim: "sqrt", backward: (g, _x, y) => g.div(y.mul(2)), saves: ["y"], ints: "float", domain: [0.2, 3] },
  rsqrt: { gradFn: "RsqrtBackward0", prim: "rsqrt", backward: (g, _x, y) => g.mul(y.pow(3)).mul(-0.5), saves: ["y"], ints: "float", domain: [0.2, 3] },
  reciprocal: { gradFn: "ReciprocalBackward0", prim: "reciprocal", backward: (g, _x, y) => g.mul(y.mul(y)).neg(), saves: ["y"], ints: "float", domain: [0.3, 3] },
  sin: { gradFn: "SinBackward0", prim: "sin", backward: (g, x) => g.mul(x.cos()), saves: ["x"], ints: "float", domain: [-3, 3] },
  cos: { gradFn: "CosBackward0", prim: "cos", backward: (g, x) => g.mul(x.sin()).neg(), saves: ["x"], ints: "float", domain: [-3, 3] },
  tan: { gradFn: "TanBackward0", prim: "tan", backward: (g, _x, y) => g.mul(y.mul(y).add(1)), saves: ["y"], ints: "float", domain: [-1.2, 1.2] },
  asin: { gradFn: "AsinBackward0", prim: "asin", backward: (g, x) => g.mul(x.mul(x).neg().add(1).rsqrt()), saves: ["x"], ints: "float", domain: [-0.9, 0.9] },
  acos: { gradFn: "AcosBackward0", prim: "acos", backward: (g, x) => g.mul(x.mul(x).neg().add(1).rsqrt()).neg(), saves: ["x"], ints: "float", domain: [-0.9, 0.9] },
  atan: { gradFn: "AtanBackward0", prim: "atan", backward: (g, x) => g.div(x.mul(x).add(1)), saves: ["x"], ints: "float", domain: [-3, 3] },
  sinh: { gradFn: "SinhBackward0", prim: "sinh", backward: (g, x) => g.mul(x.cosh()), saves: ["x"], ints: "float", domain: [-2, 2] },
  cosh: { gradFn: "CoshBackward0", prim: "cosh", backward: (g, x) => g.mul(x.sinh()), saves: ["x"], ints: "float", domain: [-2, 2] },
  // NOTE: PyTorch's tanh_backward is g * fma(-y, y, 1) (one rounding: addcmul of 1 with value -1) and
  // sigmoid_backward is (g * (1 - y)) * y, left to right; other groupings differ in the last bit.
  tanh: { gradFn: "TanhBackward0", prim: "tanh", backward: (g, _x, y) => tanhBackward(g, y), saves: ["y"], ints: "float", domain: [-2, 2] },
  sigmoid: { gradFn: "SigmoidBackward0", prim: "sigmoid", backward: (g, _x, y) => sigmoidBackward(g, y), saves: ["y"], ints: "float", domain: [-3, 3] },
  // NOTE: PyTorch's threshold_backward: result <= 0 ? 0 : g (a mask written into g, not g * mask: an
  // infinite g stays finite where masked, and a NaN result passes g); the gradient at exactly 0 is 0.
  relu: { gradFn: "ReluBackward0", prim: "relu", backward: (g, _x, y) => reluBackward(g, y), saves: ["y"], ints: "keep", domain: [-2, 2] },
  gelu: {
    gradFn: "GeluBackward0", prim: "gelu", saves: ["x"], ints: "float", domain: [-3, 3],
    // d/dx x*Phi(x) = Phi(x) + x*phi(x)
    backward: (g, x) => g.mul(x.mul(Math.SQRT1_2).erf().add(1).mul(0.5).add(x.mul(x.mul(x).mul(-0.5).exp()).mul(INV_SQRT_2PI))),
  },
  geluTanh: {
    gradFn: "GeluBackward0", prim: "geluTanh", saves: ["x"], ints: "float", domain: [-3, 3],
    backward: (g, x) => {
      const inner = x.add(x.pow(3).mul(0.044715)).mul(SQRT_2_OVER_PI);
      const t = inner.tanh();
      const dInner = x.mul(x).mul(3 * 0.044715).add(1).mul(SQRT_2_OVER_PI);
      return g.mul(t.add(1).mul(0.5).add(x.mul(0.5).mul(t.mul(t).neg().add(1)).mul(dInner)));
    },
  },
  silu: {
    gradFn: "SiluBackward0", prim: "silu", saves: ["x"], ints: "float", domain: [-3, 3],
    backward: (g, x) => {
      const s = x.sigmoid();
      return g.mul(s.mul(x.mul(s.neg().add(1)).add(1)));
    },
  },
  erf: { gradFn: "ErfBackward0", prim: "erf", backward: (g, x) => g.mul(x.mul(x).neg().exp().mul(2 / Math.sqrt(Math.PI))), saves: ["x"], ints: "float", domain: [-2, 2] },
  floor: { gradFn: "FloorBackward0", prim: "floor", backward: zerosOf, saves: [], ints: "keep", domain: [-3, 3] },
  ceil: { gradFn: "CeilBackward0", prim: "ceil", backward: zerosOf, saves: [], ints: "keep", domain: [-3, 3] },
  round: { gradFn: "RoundBackward0", prim: "round", backward: zerosOf, saves: [], ints: "keep", domain: [-3, 3] },
  trunc: { gradFn: "TruncBackward0", prim: "trunc", backward: zerosOf, saves: [], ints: "keep", domain: [-3, 3] },
} satisfies Record<string, UnaryDef>;

export type UnaryName = keyof typeof unaryTable;

export interface BinaryDef {
  /** grad_fn name when the other operand is a tensor; with a JS scalar other (where PyTorch differs) */
  gradFn: string;
  gradFnScalar?: string;
  prim: BinaryOp;
  /**
   * gradients w.r.t. a and b from g, inputs a, b and result y ("notDifferentiable" for bool results);
   * `needs(i)` says whether input i needs its gradient (a formula may skip the other)
   */
  backward: ((g: Tensor, a: Tensor, b: Tensor, y: Tensor, needs: (i: number) => boolean) => [Tensor | null, Tensor | null]) | "notDifferentiable";
  saves: readonly ("a" | "b" | "y")[];
  /**
   * PyTorch saves a tensor only for the gradient formulas that use it: here, per saved tensor, the
   * inputs whose gradient needs it (it is saved when one of them requires grad; absent: always).
   * Saving more than PyTorch turns an in-place change it allows into a version error.
   */
  saveFor?: Partial<Record<"a" | "b" | "y", readonly ("a" | "b")[]>>;
  /** the result dtype: the promoted type, bool (comparisons), or floating (true division) */
  out: "promote" | "bool" | "float";
  domain: readonly [number, number];
  /** domain of the second operand when it differs */
  domainB?: readonly [number, number];
}

export const binaryTable = {
  add: { gradFn: "AddBackward0", prim: "add", backward: (g) => [g, g], saves: [], out: "promote", domain: [-2, 2] },
  sub: { gradFn: "SubBackward0", prim: "sub", backward: (g) => [g, g.neg()], saves: [], out: "promote", domain: [-2, 2] },
  mul: {
    gradFn: "MulBackward0", prim: "mul", saves: ["a", "b"], saveFor: { a: ["b"], b: ["a"] }, out: "promote", domain: [-2, 2],
    backward: (g, a, b, _y, needs) => [needs(0) ? g.mul(b) : null, needs(1) ? g.mul(a) : null],
  },
  div: {
    gradFn: "DivBackward0", prim: "div", saves: ["a", "b"], saveFor: { a: ["b"], b: ["a", "b"] }, out: "float", domain: [-2, 2], domainB: [0.5, 2],
    // NOTE: b's gradient as PyTorch's div_tensor_other_backward computes it, -g * ((a / b) / b): the
    // same rounding steps, which float16/bfloat16 (each op rounded to 8 or 11 bits) make visible.
    backward: (g, a, b, _y, needs) => [needs(0) ? g.div(b) : null, needs(1) ? g.neg().mul(a.div(b).div(b)) : null],
  },
  pow: {
    gradFn: "PowBackward1", gradFnScalar: "PowBackward0", prim: "pow", saves: ["a", "b", "y"], saveFor: { y: ["b"] }, out: "promote", domain: [0.5, 2], domainB: [-2, 2],
    // NOTE: d/db a^b = a^b * log(a), taken as 0 where a == 0 (and b >= 0) as PyTorch does;
    // d/da is taken as 0 where b == 0 (else 0 * 0^-1 = NaN at a == 0), as PyTorch's pow_backward_self.
    backward: (g, a, b, y) => [g.mul(b).mul(a.pow(b.sub(1))).maskedFill(b.eq(0), 0), g.mul(y.mul(a.log()).maskedFill(a.eq(0).logicalAnd(b.ge(0)), 0))],
  },
  maximum: {
    gradFn: "MaximumBackward0", prim: "maximum", saves: ["a", "b"], out: "promote", domain: [-2, 2],
    // NOTE: PyTorch's formula: where(a == b, g / 2, g).masked_fill_(a < b, 0): ties split the gradient
    // in half, the smaller operand gets 0 (not g * 0), and a NaN comparison passes g to both.
    backward: (g, a, b) => {
      const h = g.div(2).where(a.eq(b), g);
      return [h.maskedFill(a.lt(b), 0), h.maskedFill(a.gt(b), 0)];
    },
  },
  minimum: {
    gradFn: "MinimumBackward0", prim: "minimum", saves: ["a", "b"], out: "promote", domain: [-2, 2],
    backward: (g, a, b) => {
      const h = g.div(2).where(a.eq(b), g);
      return [h.maskedFill(a.gt(b), 0), h.maskedFill(a.lt(b), 0)];
    },
  },
  remainder: {
    gradFn: "RemainderBackward1", gradFnScalar: "RemainderBackward0", prim: "remainder", saves: ["a", "b"], out: "promote", domain: [-3, 3], domainB: [0.7, 2],
    // NOTE: -g * a.div(b, rounding_mode="floor") as PyTorch: floor division, not floor(a / b), which
    // differs at an infinite b (-1 // inf is -1) and where a / b rounds up to an integer.
    backward: (g, a, b) => [g, g.mul(a.div(b, { roundingMode: "floor" })).neg()],
  },
  fmod: {
    gradFn: "FmodBackward1", gradFnScalar: "FmodBackward0", prim: "fmod", saves: ["a", "b"], out: "promote", domain: [-3, 3], domainB: [0.7, 2],
    backward: (g, a, b) => [g, g.mul(a.div(b).trunc()).neg()],
  },
  atan2: {
    gradFn: "Atan2Backward0", prim: "atan2", saves: ["a", "b"], out: "float", domain: [-2, 2], domainB: [0.5, 2],
    backward: (g, a, b) => {
      const r = a.mul(a).add(b.mul(b));
      return [g.mul(b).div(r), g.mul(a).div(r).neg()];
    },
  },
  floorDivide: { gradFn: "NotImplemented", prim: "floorDivide", backward: notImplemented("aten::floor_divide"), saves: [], out: "promote", domain: [-3, 3], domainB: [0.7, 2] },
  eq: { gradFn: "EqBackward0", prim: "eq", backward: "notDifferentiable", saves: [], out: "bool", domain: [-2, 2] },
  ne: { gradFn: "NeBackward0", prim: "ne", backward: "notDifferentiable", saves: [], out: "bool", domain: [-2, 2] },
  lt: { gradFn: "LtBackward0", prim: "lt", backward: "notDifferentiable", saves: [], out: "bool", domain: [-2, 2] },
  le: { gradFn: "LeBackward0", prim: "le", backward: "notDifferentiable", saves: [], out: "bool", domain: [-2, 2] },
  gt: { gradFn: "GtBackward0", prim: "gt", backward: "notDifferentiable", saves: [], out: "bool", domain: [-2, 2] },
  ge: { gradFn: "GeBackward0", prim: "ge", backward: "notDifferentiable", saves: [], out: "bool", domain: [-2, 2] },
  logicalAnd: { gradFn: "LogicalAndBackward0", prim: "logicalAnd", backward: "notDifferentiable", saves: [], out: "bool", domain: [-1, 1] },
  logicalOr: { gradFn: "LogicalOrBackward0", prim: "logicalOr", backward: "notDifferentiable", saves: [], out: "bool", domain: [-1, 1] },
  logicalXor: { gradFn: "LogicalXorBackward0", prim: "logicalXor", backward: "notDifferentiable", saves: [], out: "bool", domain: [-1, 1] },
} satisfies Record<string, BinaryDef>;

export type BinaryName = keyof typeof binaryTable;

/** Every op typetorch implements outside the two tables above, by name, with its grad_fn name(s). */
export const opRegistry = new Map<string, { gradFn: string | null; note?: string }>();
export function registerOp(name: string, gradFn: string | null, note?: string): void {
  opRegistry.set(name, note === undefined ? { gradFn } : { gradFn, note });
}
