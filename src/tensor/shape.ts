// Shapes, strides and broadcasting.
import { IndexError, RuntimeError } from "../errors.js";

export type Shape = readonly number[];

export function numelOf(shape: Shape): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= Math.max(shape[i]!, 1);
  }
  return st;
}

export function isContiguous(shape: Shape, strides: Shape): boolean {
  // NOTE: as PyTorch's compute_contiguous, a tensor with no elements is contiguous whatever its strides
  if (shape.includes(0)) return true;
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const s = shape[i]!;
    if (s === 1) continue;
    if (strides[i] !== acc) return false;
    acc *= s;
  }
  return true;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** PyTorch's broadcast of two shapes, with its error message. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  // (from the last dim, as PyTorch's infer_size: its error names the rightmost mismatch)
  for (let i = n - 1; i >= 0; i--) {
    const da = i - (n - a.length), db = i - (n - b.length);
    const x = da >= 0 ? a[da]! : 1, y = db >= 0 ? b[db]! : 1;
    if (x === y || y === 1) out[i] = x;
    else if (x === 1) out[i] = y;
    else
      throw new RuntimeError(
        `The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`,
      );
  }
  return out;
}

/** Strides that read a tensor of `shape`/`strides` as if it had the (broadcast) shape `to`. */
export function broadcastStrides(shape: Shape, strides: Shape, to: Shape): number[] {
  const out = new Array<number>(to.length).fill(0);
  const off = to.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[i + off] = shape[i] === 1 ? 0 : strides[i]!;
  return out;
}

/** Checks that `shape` can be expanded to `to` (Tensor.expand's rule), with PyTorch's message. */
export function checkExpand(shape: Shape, to: Shape, scalarName = "Float"): void {
  if (to.length < shape.length)
    throw new RuntimeError(
      `expand(torch.${scalarName}Tensor{[${shape.join(", ")}]}, size=[${to.join(", ")}]): the number of sizes provided (${to.length}) must be greater or equal to the number of dimensions in the tensor (${shape.length})`,
    );
  const off = to.length - shape.length;
  // NOTE: PyTorch 1.13 checks from the last dim to the first (the first error it meets is the last
  // dim's); a size below -1 is not refused there but overflows numel later, and a 0-dim tensor
  // takes no -1 at all (its expand overflows numel too)
  const overflow = () => new RuntimeError("numel: integer multiplication overflow");
  if (shape.length === 0 && to.some((t) => t < 0)) throw overflow();
  for (let i = to.length - 1; i >= 0; i--) {
    const t = to[i]!;
    if (i < off) {
      if (t === -1) throw new RuntimeError(`The expanded size of the tensor (${t}) isn't allowed in a leading, non-existing dimension ${i}`);
      if (t < 0) throw overflow();
      continue;
    }
    const n = shape[i - off]!;
    if (t === -1 || t === n) continue;
    if (n !== 1)
      throw new RuntimeError(
        `The expanded size of the tensor (${t}) must match the existing size (${n}) at non-singleton dimension ${i}.  Target sizes: [${to.join(", ")}].  Tensor sizes: [${shape.join(", ")}]`,
      );
    if (t < 0) throw overflow();
  }
}

/** Wraps a possibly negative dim into [0, ndim), with PyTorch's message. */
export function normalizeDim(dim: number, ndim: number): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n)
    throw new IndexError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
  return dim < 0 ? dim + n : dim;
}

export function normalizeDims(dims: number | readonly number[] | null | undefined, ndim: number): number[] {
  if (dims === null || dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === "number" ? [dims] : dims;
  const out: number[] = [];
  for (const d of list) {
    const nd = normalizeDim(d, ndim);
    if (out.includes(nd)) throw new RuntimeError(`dim ${nd} appears multiple times in the list of dims`);
    out.push(nd);
  }
  return ndim === 0 ? [] : out;
}

/** Resolves a -1 in a view/reshape shape, with PyTorch's messages. */
export function inferSize(shape: readonly number[], numel: number): number[] {
  let infer = -1,
    prod = 1;
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i]!;
    if (s === -1) {
      if (infer >= 0) throw new RuntimeError("only one dimension can be inferred");
      infer = i;
    } else if (s >= 0 && Number.isInteger(s)) prod *= s;
    else throw new RuntimeError(`invalid shape dimension ${s}`);
  }
  const out = shape.slice();
  if (infer >= 0) {
    if (prod === 0 || numel % prod !== 0)
      throw new RuntimeError(`shape '[${shape.join(", ")}]' is invalid for input of size ${numel}`);
    out[infer] = numel / prod;
  } else if (prod !== numel) throw new RuntimeError(`shape '[${shape.join(", ")}]' is invalid for input of size ${numel}`);
  return out;
}

/**
 * Strides for viewing (shape, strides) as newShape without a copy, or null when impossible
 * (PyTorch's computeStride: dims may merge only where memory is contiguous across them).
 */
export function viewStrides(shape: Shape, strides: Shape, newShape: Shape): number[] | null {
  const n = numelOf(shape);
  const out = new Array<number>(newShape.length);
  if (n === 0) return contiguousStrides(newShape);
  // NOTE: as PyTorch's computeStride, a 0-dim tensor views as any shape of one element
  if (shape.length === 0) return newShape.map(() => 1);
  let viewD = newShape.length - 1;
  let chunkBase = strides[strides.length - 1] ?? 1;
  let tensorNumel = 1,
    viewNumel = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    tensorNumel *= shape[d]!;
    if (d === 0 || (shape[d - 1] !== 1 && strides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = strides[d - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return out;
}

export function shapeStr(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/**
 * PyTorch's is_non_overlapping_and_dense: the strides lay the shape out without gaps or overlap in
 * some order of the dims (a permutation of a contiguous layout; size-1 dims may have any stride,
 * an empty tensor is dense).
 */
export function isNonOverlappingAndDense(shape: readonly number[], strides: readonly number[]): boolean {
  if (shape.includes(0)) return true;
  const dims = shape.map((_, i) => i).filter((i) => shape[i]! > 1).sort((a, b) => strides[a]! - strides[b]!);
  let expected = 1;
  for (const i of dims) {
    if (strides[i] !== expected) return false;
    expected *= shape[i]!;
  }
  return true;
}
