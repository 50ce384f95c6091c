// dtypes and PyTorch's type promotion.
// NOTE: int64 is stored as float64 (a Float64Array): every integer of magnitude up to 2^53
// (9,007,199,254,740,992) is exact; beyond that values round as doubles do. BigInt storage would make
// every op on indices an order of magnitude slower, and tensors of indices never get near 2^53.

import { TorchTypeError, pythonTypeName } from "../errors.js";
export type DTypeName = "float32" | "float64" | "int64" | "int32" | "bool" | "float16" | "bfloat16" | "uint8" | "int8" | "int16";
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array | Int16Array;

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
    return this.name !== "bool" && this.name !== "uint8";
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
// NOTE: float16 and bfloat16 are stored in Float32Arrays holding only values the narrow type can
// represent (see backend/cpu/narrow.ts); uint8/int8/int16 in their own typed arrays.
export const float16 = new DType("float16", true, 2, 2, "Half", "c10::Half");
export const bfloat16 = new DType("bfloat16", true, 2, 2, "BFloat16", "c10::BFloat16");
export const uint8 = new DType("uint8", false, 1, 1, "Byte", "unsigned char");
export const int8 = new DType("int8", false, 1, 1, "Char", "signed char");
export const int16 = new DType("int16", false, 2, 1, "Short", "short int");

export const dtypes: Record<DTypeName, DType> = { float32, float64, int64, int32, bool, float16, bfloat16, uint8, int8, int16 };

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
    case "float16":
    case "bfloat16":
      return Float32Array;
    case "float64":
    case "int64":
      return Float64Array;
    case "int32":
      return Int32Array;
    case "bool":
    case "uint8":
      return Uint8Array;
    case "int8":
      return Int8Array;
    case "int16":
      return Int16Array;
  }
  // (a string such as "float32" where a torch.dtype belongs: PyTorch's TypeError, not a crash)
  throw new TorchTypeError(`argument 'dtype' must be torch.dtype, not ${pythonTypeName(d)}`);
}

// PyTorch 1.13's promotion table (torch.promote_types over these dtypes, printed by real PyTorch).
const order: DTypeName[] = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64"];
const table: string[] = [
  // b  u1 i1 i2 i4 i8 f2 bf f4 f8   (indices into `order`)
  "0123456789", // bool
  "1133456789", // uint8
  "2323456789", // int8
  "3333456789", // int16
  "4444456789", // int32
  "5555556789", // int64
  "6666666889", // float16
  "7777778789", // bfloat16
  "8888888889", // float32
  "9999999999", // float64
];
const index = new Map(order.map((n, i) => [n, i]));

export function promoteTypes(a: DType, b: DType): DType {
  const row = table[index.get(a.name)!]!;
  return dtypes[order[+row[index.get(b.name)!]!]!];
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
