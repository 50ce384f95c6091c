// Helpers shared by the optimizers (internal).
import { Tensor } from "../tensor/tensor.js";
import { tensor, zerosLike } from "../ops/creation.js";
import { float32 } from "../tensor/dtype.js";
import { ValueError } from "../errors.js";

/** A 0-d float32 tensor, as PyTorch's `torch.tensor(x)` for the `step`/`eta`/`mu` state entries. */
export function scalarTensor(x: number): Tensor {
  return tensor(x, { dtype: float32 });
}
export function zerosOf(p: Tensor): Tensor {
  return zerosLike(p);
}
/** Throws PyTorch's ValueError with msg unless ok (the constructors' option checks). */
export function check(ok: boolean, msg: string): void {
  if (!ok) throw new ValueError(msg);
}
/**
 * A number in PyTorch's messages. NOTE: Python prints what the user passed (`-1` or `-1.0`);
 * JavaScript has one number type, so integers print as `-1` (what `lr=-1` gives in PyTorch).
 */
export function fmt(x: number): string {
  return String(x);
}
/** Python's str() of a float (1 -> "1.0"), for options that are always floats in PyTorch (betas). */
export function pyFloat(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}
