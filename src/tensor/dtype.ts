// dtypes and PyTorch's type promotion.
// NOTE: int64 is stored as float64 (a Float64Array): every integer of magnitude up to 2^53
// (9,007,199,254,740,992) is exact; beyond that values round as doubles do. BigInt storage would make
// every op on indices an order of magnitude slower, and tensors of indices never get near 2^53.

import { TorchTypeError, pythonTypeName } from "../errors.js";
export type DTypeName = "float32" | "float64" | "int64" | "int32" | "bool";
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** A tensor element type, as `torch.float32` and friends. Compare with `===`. */
export class DType {
  /** @internal */
  constructor(
    readonly name: DTypeName,
    readonly isFloatingPoint: boolean,
    readonly itemsize: number,
    /** 0: bool, 1: integral, 2: floating (the category PyTorch's promotion works on) */
    readonly category: 0 | 1 | 2,
    /** PyTorch's scalar type name, as error messages spell it ("Float", "Long") */
    readonly scalarName: string,
    /** the C++ type's name, as some of PyTorch's messages spell it ("float", "long int") */
    readonly cppName: string,
  ) {}
  get isSigned(): boolean {
    return this.name !== "bool";
  }
  toString(): string {
    return `torch.${this.name}`;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

export const float32 = new DType("float32", true, 4, 2, "Float", "float");
export const float64 = new DType("float64", true, 8, 2, "Double", "double");
export const int64 = new DType("int64", false, 8, 1, "Long", "long int");
export const int32 = new DType("int32", false, 4, 1, "Int", "int");
export const bool = new DType("bool", false, 1, 0, "Bool", "bool");

export const dtypes: Record<DTypeName, DType> = { float32, float64, int64, int32, bool };

let defaultDtype: DType = float32;
export function getDefaultDtype(): DType {
  return defaultDtype;
}
export function setDefaultDtype(d: DType): void {
  if (!d.isFloatingPoint) throw new TorchTypeError("only floating-point types are supported as the default type");
  defaultDtype = d;
}

export function arrayTypeFor(d: DType): { new (n: number): TypedArray; new (a: ArrayLike<number>): TypedArray } {
  switch (d.name) {
    case "float32":
      return Float32Array;
    case "float64":
    case "int64":
      return Float64Array;
    case "int32":
      return Int32Array;
    case "bool":
      return Uint8Array;
  }
  // (a string such as "float32" where a torch.dtype belongs: PyTorch's TypeError, not a crash)
  throw new TorchTypeError(`argument 'dtype' must be torch.dtype, not ${pythonTypeName(d)}`);
}

// Promotion lattice among tensor dtypes (the part of PyTorch's table our dtypes span).
const rank: Record<DTypeName, number> = { bool: 0, int32: 1, int64: 2, float32: 3, float64: 4 };
const byRank: DType[] = [bool, int32, int64, float32, float64];

export function promoteTypes(a: DType, b: DType): DType {
  return byRank[Math.max(rank[a.name], rank[b.name])]!;
}

/** An operand as type promotion sees it: a tensor with dims, a 0-dim tensor, or a JS scalar. */
export interface PromotionOperand {
  dtype: DType;
  kind: "dim" | "zerodim" | "scalar";
}

/**
 * PyTorch's result_type: dimensioned tensors decide first; a 0-dim tensor or a scalar only raises the
 * result when it is of a higher category (bool < integral < floating) than everything before it.
 * NOTE: a JS number counts as integral when it is integer-valued and floating otherwise (JavaScript
 * has one number type); a floating scalar then gives the default dtype, as a Python float does.
 */
export function resultType(ops: PromotionOperand[]): DType {
  let dim: DType | null = null,
    zero: DType | null = null,
    scal: DType | null = null;
  for (const o of ops) {
    if (o.kind === "dim") dim = dim ? promoteTypes(dim, o.dtype) : o.dtype;
    else if (o.kind === "zerodim") zero = zero ? promoteTypes(zero, o.dtype) : o.dtype;
    else scal = scal ? promoteTypes(scal, o.dtype) : o.dtype;
  }
  let r = dim;
  if (zero) r = !r ? zero : zero.category > r.category ? zero : r;
  if (scal) {
    if (!r) r = scal.category === 2 ? getDefaultDtype() : scal;
    else if (scal.category > r.category) r = scal.category === 2 ? getDefaultDtype() : scal.category === 1 ? int64 : bool;
  }
  return r ?? getDefaultDtype();
}

/** Whether a value of dtype `from` may be written into a tensor of dtype `to` (PyTorch's canCast). */
export function canCast(from: DType, to: DType): boolean {
  if (from.isFloatingPoint && !to.isFloatingPoint) return false;
  if (from !== bool && to === bool) return false;
  return true;
}

/** The dtype a JS scalar takes on its own. */
export function scalarDtype(v: number | boolean): DType {
  if (typeof v === "boolean") return bool;
  return Number.isInteger(v) ? int64 : getDefaultDtype();
}

/**
 * An int64 value (stored as a double) as PyTorch prints it in messages: exact digits, where String()
 * rounds past 2^53 (NaN cast to int64 is -2^63: "-9223372036854775808", not "-9223372036854776000").
 */
export function intText(v: number): string {
  return Number.isInteger(v) ? BigInt(v).toString() : String(v);
}
