// torch.linalg.vector_norm, matrix_norm and norm, composed as PyTorch 1.13 composes them (so the
// grad_fn names fall out: LinalgVectorNormBackward0; AmaxBackward0 / AminBackward0 for the 1, inf and
// spectral norms; SumBackward1 for the nuclear norm).
import { Tensor } from "../tensor/tensor.js";
import { RuntimeError, TorchTypeError, IndexError, pythonTypeName } from "../errors.js";
import type { DType } from "../tensor/dtype.js";
import { normalizeDim } from "../tensor/shape.js";
import * as red from "../ops/reduce.js";
import { checkFloating, checkIsMatrix } from "./common.js";
import { svdvals } from "./decompositions.js";

export type Dim = number | readonly number[] | null;

/** torch.linalg.vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None). LinalgVectorNormBackward0. */
export function vectorNorm(x: Tensor, ord: number = 2, dim: Dim = null, keepdim = false, opts: { dtype?: DType } = {}): Tensor {
  if (typeof ord !== "number")
    throw new TorchTypeError(`linalg_vector_norm(): argument 'ord' (position 2) must be Number, not ${pythonTypeName(ord)}`);
  checkFloating(x, "linalg.vector_norm");
  if (opts.dtype && opts.dtype !== x.dtype) x = x.to(opts.dtype);
  const dims = dim === null || dim === undefined ? [] : typeof dim === "number" ? [dim] : dim.slice();
  if (x.numel() === 0 && !(ord >= 0 && Number.isFinite(ord))) {
    // PyTorch's words (its missing space included): max/min of an empty dim has no identity
    const nd = dims.length ? dims.map((d) => normalizeDim(d, x.dim())) : x.shape.map((_, i) => i);
    for (const d of nd)
      if (x.shape[d] === 0)
        throw new RuntimeError(`linalg.vector_norm cannot compute the ${ord > 0 ? "inf" : "-inf"} norm on the dimension ${d}because this dimension is empty and the operation does not have an identity`);
  }
  return red.norm(x, ord, dims.length ? dims : null, keepdim, "LinalgVectorNormBackward0");
}

export type MatrixOrd = number | "fro" | "nuc";

/**
 * torch.linalg.matrix_norm(A, ord='fro', dim=(-2, -1), keepdim=False, *, dtype=None): ord "fro",
 * "nuc", inf, -inf, 1, -1, 2, -2 over the two dims.
 */
export function matrixNorm(A: Tensor, ord: MatrixOrd = "fro", dim: readonly number[] = [-2, -1], keepdim = false, opts: { dtype?: DType } = {}): Tensor {
  const fn = "linalg.matrix_norm";
  checkIsMatrix(A, fn);
  checkFloating(A, fn);
  if (!Array.isArray(dim) || dim.length !== 2) throw new RuntimeError(`${fn}: dim must be a 2-tuple. Got ${Array.isArray(dim) ? dim.join(" ") : String(dim)}`);
  const d0 = normalizeDim(dim[0]!, A.dim()), d1 = normalizeDim(dim[1]!, A.dim());
  if (d0 === d1) throw new RuntimeError(`${fn}: dims must be different. Got (${dim[0]}, ${dim[1]})`);
  if (opts.dtype && opts.dtype !== A.dtype) A = A.to(opts.dtype);
  if (ord === "fro") return vectorNorm(A, 2, [d0, d1], keepdim);
  if (ord === "nuc" || ord === 2 || ord === -2) {
    if (typeof ord === "number" && A.numel() === 0) throw new IndexError(`${ord > 0 ? "amax" : "amin"}(): Expected reduction dim -1 to have non-zero size.`);
    // the two dims moved to the end, then the singular values reduced
    const rest = A.shape.map((_, i) => i).filter((i) => i !== d0 && i !== d1);
    const S = svdvals(A.permute([...rest, d0, d1]));
    let r = ord === "nuc" ? S.sum(-1) : ord > 0 ? S.amax(-1) : S.amin(-1);
    if (keepdim) for (const d of [d0, d1].sort((a, b) => a - b)) r = r.unsqueeze(d);
    return r;
  }
  if (ord === 1 || ord === -1 || ord === Infinity || ord === -Infinity) {
    let a = d0, b = d1;
    if (Math.abs(ord) === Infinity) [a, b] = [b, a];
    // (PyTorch's order: the 1-norm of each column (row for inf), then the max (min) over the other dim)
    if (!keepdim && a < b) b--;
    const v = vectorNorm(A, 1, [a], keepdim);
    return ord > 0 ? v.amax(b, keepdim) : v.amin(b, keepdim);
  }
  throw new RuntimeError(`${fn}: Order ${typeof ord === "number" ? fmtOrd(ord) : ord} not supported.`);
}

/** A number as PyTorch's C++ prints a Scalar (3, 0.5, inf). */
function fmtOrd(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return Number.isFinite(x) ? String(x) : x > 0 ? "inf" : "-inf";
}

/**
 * torch.linalg.norm(A, ord=None, dim=None, keepdim=False, *, dtype=None): a vector norm or a matrix
 * norm, chosen by dim (1 or 2 dims) or, without dim, by A's dims when ord is given (2-norm of the
 * flattened A when neither is).
 */
export function norm(A: Tensor, ord: MatrixOrd | null = null, dim: Dim = null, keepdim = false, opts: { dtype?: DType } = {}): Tensor {
  if (dim !== null && dim !== undefined) {
    const ds = typeof dim === "number" ? [dim] : dim.slice();
    if (ds.length === 1) {
      if (typeof ord === "string") return matrixNorm(A, ord, ds, keepdim, opts);
      return vectorNorm(A, ord ?? 2, ds, keepdim, opts);
    }
    if (ds.length === 2) return matrixNorm(A, ord ?? "fro", ds, keepdim, opts);
    throw new RuntimeError(`linalg.norm: If dim is specified, it must be of length 1 or 2. Got [${ds.join(", ")}]`);
  }
  if (ord !== null && ord !== undefined) {
    if (A.dim() === 1 && typeof ord === "number") return vectorNorm(A, ord, null, keepdim, opts);
    if (A.dim() === 2 || (A.dim() === 1 && typeof ord === "string")) return matrixNorm(A, ord, [-2, -1], keepdim, opts);
    throw new RuntimeError(`linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got ${A.dim()}D.`);
  }
  return vectorNorm(A, 2, null, keepdim, opts);
}
