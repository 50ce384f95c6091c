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

/** camelCase option name -> PyTorch's snake_case key (`weightDecay` -> `weight_decay`). */
export function toSnake(k: string): string {
  return k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}
/**
 * PyTorch's constructor checks with its exact messages, in the order of the keys given: `lr`
 * ("Invalid learning rate"), `eps` ("Invalid epsilon value"), `rho` (in [0, 1]), `betas` (each
 * in [0, 1)); any other option must be >= 0 ("Invalid weight_decay value: -1"). A `required`
 * marker (a symbol: SGD's lr) is skipped; Optimizer's group check reports it.
 * @example
 * validate({ lr: -1, eps: 1e-8 });  // throws ValueError("Invalid learning rate: -1")
 */
export function validate(values: Record<string, any>): void {
  for (const [name, v] of Object.entries(values)) {
    if (typeof v === "symbol") continue;
    if (name === "lr") check(v >= 0, `Invalid learning rate: ${fmt(v)}`);
    else if (name === "eps") check(v >= 0, `Invalid epsilon value: ${fmt(v)}`);
    else if (name === "rho") check(v >= 0 && v <= 1, `Invalid rho value: ${fmt(v)}`);
    else if (name === "betas")
      for (const i of [0, 1]) check(v[i] >= 0 && v[i] < 1, `Invalid beta parameter at index ${i}: ${pyFloat(v[i])}`);
    else check(v >= 0, `Invalid ${toSnake(name)} value: ${fmt(v)}`);
  }
}
