// Shared plumbing of torch.linalg: PyTorch's argument checks and words, reading a batch of matrices
// into float64, and making result tensors.
import { Tensor } from "../tensor/tensor.js";
import { RuntimeError } from "../errors.js";
import { backend, fromStorage } from "../ops/core.js";
import type { DType } from "../tensor/dtype.js";
import { noGrad } from "../autograd/grad_mode.js";
import { broadcastShapes } from "../tensor/shape.js";

/**
 * torch.linalg.LinAlgError: what PyTorch raises when a factorization fails (a singular matrix, one
 * that is not positive-definite). A RuntimeError, as in PyTorch; its Python type name is
 * `_LinAlgError` (torch._C._LinAlgError), which is what `name` holds.
 */
export class LinAlgError extends RuntimeError {
  override name = "_LinAlgError";
}

/** PyTorch's checkIsMatrix: at least 2 dims. */
export function checkIsMatrix(A: Tensor, fn: string, name = "A"): void {
  if (A.dim() < 2) throw new RuntimeError(`${fn}: The input tensor ${name} must have at least 2 dimensions.`);
}

/** PyTorch's squareCheckInputs: at least 2 dims, then square. */
export function checkSquare(A: Tensor, fn: string, name = "A"): void {
  checkIsMatrix(A, fn, name);
  const m = A.shape[A.dim() - 2]!, n = A.shape[A.dim() - 1]!;
  if (m !== n) throw new RuntimeError(`${fn}: ${name} must be batches of square matrices, but they are ${m} by ${n} matrices`);
}

/** PyTorch's checkFloatingOrComplex. */
export function checkFloating(A: Tensor, fn: string, name = "input"): void {
  if (!A.dtype.isFloatingPoint) throw new RuntimeError(`${fn}: Expected a floating point or complex tensor as ${name}. Got ${A.dtype.scalarName}`);
}

/** The prefix PyTorch's batched error messages carry: "(Batch element i): " when A has batch dims. */
export function batchPrefix(A: Tensor, i: number): string {
  return A.dim() > 2 ? `(Batch element ${i}): ` : "";
}

/** A batch of m x n matrices read as float64, row-major, one after the other. */
export interface Batch {
  batch: number[];
  m: number;
  n: number;
  count: number;
  data: Float64Array;
}

export function readBatch(x: Tensor): Batch {
  const d = x.dim();
  const m = x.shape[d - 2]!, n = x.shape[d - 1]!;
  const batch = x.shape.slice(0, -2);
  const count = batch.reduce((a, b) => a * b, 1);
  const vals = x._values();
  const data = vals instanceof Float64Array ? vals : Float64Array.from(vals as ArrayLike<number>);
  return { batch, m, n, count, data };
}

/** Matrix i of a batch. */
export function matAt(b: Batch, i: number): Float64Array {
  const sz = b.m * b.n;
  return b.data.subarray(i * sz, (i + 1) * sz);
}

/** A contiguous tensor of dtype holding data (rounded to dtype). */
export function make(shape: readonly number[], dtype: DType, data: ArrayLike<number>): Tensor {
  return fromStorage(backend().fromValues(dtype, data), shape.slice(), dtype);
}

/** Concatenates per-matrix results into one array. */
export function concat(parts: readonly ArrayLike<number>[], size: number): Float64Array {
  const out = new Float64Array(parts.length * size);
  parts.forEach((p, i) => out.set(p, i * size));
  return out;
}

/** The batch dims of two operands broadcast, each expanded to them (no graph). */
export function broadcastBatch(A: Tensor, B: Tensor): [Tensor, Tensor, number[]] {
  const batch = broadcastShapes(A.shape.slice(0, -2), B.shape.slice(0, -2));
  return noGrad(() => [A.expand([...batch, ...A.shape.slice(-2)]), B.expand([...batch, ...B.shape.slice(-2)]), batch]);
}

/** An identity of size n in dtype. */
export function eyeLike(n: number, dtype: DType): Tensor {
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) e[i * n + i] = 1;
  return make([n, n], dtype, e);
}

/** Whether `t` is a tensor (a null gradient is an output no one used). */
export function defined(t: Tensor | null | undefined): t is Tensor {
  return t instanceof Tensor;
}
