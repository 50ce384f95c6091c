// torch.distributions.utils: broadcasting parameters, logits <-> probs, and how PyTorch prints a
// parameter inside a message.
import { Tensor } from "../tensor/tensor.js";
import { float64, getDefaultDtype, type DType } from "../tensor/dtype.js";
import { broadcastShapes } from "../tensor/shape.js";
import { empty, tensor } from "../ops/creation.js";
import { ValueError } from "../errors.js";

/** torch.finfo(dtype) for the float dtypes: eps, tiny (smallest normal), min and max. */
export function finfo(dtype: DType): { eps: number; tiny: number; min: number; max: number } {
  if (dtype === float64) return { eps: 2 ** -52, tiny: 2 ** -1022, min: -Number.MAX_VALUE, max: Number.MAX_VALUE };
  const max = (2 - 2 ** -23) * 2 ** 127;
  return { eps: 2 ** -23, tiny: 2 ** -126, min: -max, max };
}

/**
 * Python's repr of a float (`repr(0.1)`, `repr(1.0)`, `repr(1e-05)`): the shortest digits that round
 * trip (as JavaScript's), written as Python writes them.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, expStr] = x.toExponential().split("e") as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  const s = String(x);
  return s.includes(".") || s.includes("e") ? s : `${s}.0`;
}

/**
 * What Python's `f"{t}"` / `"{}".format(t)` prints for a tensor: a 0-dim tensor formats its item
 * (`0.30000001192092896`, `3`, `True`), any other tensor its str.
 */
export function formatValue(t: Tensor): string {
  if (t.dim() === 0) {
    const v = t.item() as number | boolean;
    if (typeof v === "boolean") return v ? "True" : "False";
    return t.dtype.isFloatingPoint ? pyFloatRepr(v) : String(v);
  }
  return String(t);
}

/** `torch.Size([2, 3])` as Python prints a Size. */
export function sizeRepr(shape: readonly number[]): string {
  return `torch.Size([${shape.join(", ")}])`;
}

/** A Python tuple of ints: `()`, `(2,)`, `(2, 3)`. */
export function tupleRepr(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/**
 * torch.distributions.utils.broadcast_all: numbers become tensors of the first tensor's dtype (the
 * default dtype when all are numbers), then all are broadcast to one shape (a tensor already of that
 * shape is returned as it is, as torch.broadcast_tensors does).
 */
export function broadcastAll(...values: (Tensor | number)[]): Tensor[] {
  for (const v of values)
    if (!(v instanceof Tensor) && typeof v !== "number")
      throw new ValueError("Input arguments must all be instances of numbers.Number, torch.Tensor or objects implementing __torch_function__.");
  const first = values.find((v): v is Tensor => v instanceof Tensor);
  const dtype = first ? first.dtype : getDefaultDtype();
  const ts = values.map((v) => (v instanceof Tensor ? v : tensor(v, { dtype })));
  const shape = ts.reduce<number[]>((s, t) => broadcastShapes(s, t.shape), []);
  return ts.map((t) => (t.shape.length === shape.length && t.shape.every((s, i) => s === shape[i]) ? t : t.expand(shape)));
}

/** `torch.empty(shape, dtype).normal_()`: standard normals, PyTorch's draws under manualSeed. */
export function standardNormal(shape: readonly number[], dtype: DType): Tensor {
  return empty(shape.slice(), { dtype }).normal_();
}

/** Sums out the `dim` rightmost dims. */
export function sumRightmost(value: Tensor, dim: number): Tensor {
  if (dim === 0) return value;
  return value.reshape([...value.shape.slice(0, value.dim() - dim), -1]).sum(-1);
}

/** logits to probabilities: sigmoid (binary) or softmax over the last dim. */
export function logitsToProbs(logits: Tensor, isBinary = false): Tensor {
  return isBinary ? logits.sigmoid() : logits.softmax(-1);
}

/** Probabilities clamped to [eps, 1 - eps] of their dtype. */
export function clampProbs(probs: Tensor): Tensor {
  const eps = finfo(probs.dtype).eps;
  return probs.clamp(eps, 1 - eps);
}

/** probabilities to logits: log(p) - log1p(-p) (binary) or log(p), from clamped probabilities. */
export function probsToLogits(probs: Tensor, isBinary = false): Tensor {
  const p = clampProbs(probs);
  return isBinary ? p.log().sub(p.neg().log1p()) : p.log();
}

export const eulerConstant = 0.5772156649015329;
