// Helpers shared by the ops: making tensors from backend storage, wrapping JS scalars, views.
import { getBackend, type Storage, type View } from "../backend/backend.js";
import { float32, int64, bool, getDefaultDtype, type DType, scalarDtype, type PromotionOperand, resultType } from "../tensor/dtype.js";
import { contiguousStrides, type Shape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { TorchTypeError } from "../errors.js";

export type Scalar = number | boolean;
export type TensorOrScalar = Tensor | Scalar;

export function backend() {
  return getBackend();
}

/** A new contiguous tensor over freshly made storage. */
export function fromStorage(storage: Storage, shape: Shape, dtype: DType): Tensor {
  return new Tensor(storage, shape.slice(), contiguousStrides(shape), 0, dtype);
}

export function viewOf(t: Tensor): View {
  return t._view();
}

/** The "wrapped number" form of a JS scalar: a 0-dim tensor that type promotion treats as a scalar. */
export function scalarTensor(v: Scalar, dtype?: DType): Tensor {
  const d = dtype ?? scalarDtype(v);
  const t = fromStorage(backend().fromValues(d, [typeof v === "boolean" ? +v : v]), [], d);
  t._wrappedNumber = true;
  return t;
}

export function isScalar(v: unknown): v is Scalar {
  return typeof v === "number" || typeof v === "boolean";
}

export function operandOf(v: TensorOrScalar): PromotionOperand {
  if (v instanceof Tensor) return { dtype: v.dtype, kind: v._wrappedNumber ? "scalar" : v.dim() === 0 ? "zerodim" : "dim" };
  return { dtype: scalarDtype(v), kind: "scalar" };
}

export function resultTypeOf(...vs: TensorOrScalar[]): DType {
  return resultType(vs.map(operandOf));
}

/** Converts a scalar to a tensor of dtype (as a wrapped number), or returns the tensor. */
export function asTensor(v: TensorOrScalar, dtype: DType): Tensor {
  if (v instanceof Tensor) return v;
  if (!isScalar(v)) throw new TorchTypeError(`expected Tensor or number, but got ${typeof v}`);
  return scalarTensor(v, dtype.isFloatingPoint || dtype === bool ? dtype : typeof v === "number" && !Number.isInteger(v) ? getDefaultDtype() : dtype);
}

export { float32, int64, bool };
