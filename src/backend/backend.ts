// The backend interface: storage plus a small set of primitives. Every op in src/ops is written on
// these; nothing above this file touches a backend's memory directly. A WebAssembly or WebGPU
// backend implements the same interface and registers itself by name.
import type { DType, TypedArray } from "../tensor/dtype.js";
import type { Shape } from "../tensor/shape.js";
import { RuntimeError } from "../errors.js";

/** An opaque handle to a backend's memory (the CPU backend: a typed array). */
export type Storage = unknown;

/** A strided window onto storage: what primitives read and write. */
export interface View {
  readonly storage: Storage;
  readonly dtype: DType;
  readonly shape: Shape;
  readonly strides: Shape;
  readonly offset: number;
}

export type UnaryOp =
  | "identity" | "neg" | "abs" | "sign" | "exp" | "log" | "log1p" | "expm1" | "sqrt" | "rsqrt"
  | "square" | "reciprocal" | "sin" | "cos" | "tan" | "tanh" | "sigmoid" | "relu" | "gelu" | "geluTanh"
  | "silu" | "erf" | "floor" | "ceil" | "round" | "trunc" | "logicalNot" | "isnan" | "asin" | "acos"
  | "atan" | "sinh" | "cosh" | "log2" | "log10" | "exp2"
  /** p0 = min (or NaN for none), p1 = max (or NaN) */
  | "clamp"
  /** x ** p0 */
  | "powScalar"
  /** p0 ** x */
  | "rpowScalar"
  /** x > 0 ? x : p0 * x */
  | "leakyRelu"
  /** x > 0 ? x : p0 * (exp(x) - 1) */
  | "elu"
  /** log(1 + exp(p0 * x)) / p0, linear above threshold p1 */
  | "softplus"
  /** 1 where x > p0 else 0 (a mask in x's float dtype) */
  | "gtScalarMask";

export type BinaryOp =
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum" | "remainder" | "fmod" | "atan2"
  | "floorDivide" | "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "logicalAnd" | "logicalOr" | "logicalXor"
  /** a + p * b  (add with alpha) */
  | "addScaled";

/**
 * Three-operand elementwise ops (all three broadcast to the output shape):
 * addcmul: a + p * b * c;  addcdiv: a + p * b / c;  lerp: a + c * (b - a) (c is the weight).
 */
export type TernaryOp = "addcmul" | "addcdiv" | "lerp";

export type ReduceOp = "sum" | "prod" | "max" | "min" | "argmax" | "argmin" | "all" | "any";

export interface Backend {
  readonly name: string;
  /**
   * Whether this backend's Storage is a typed array of the dtype's array type in this thread's memory
   * (the CPU backends: "reference" and "wasm"). Code outside backend/ that must read storage
   * directly checks it; a GPU backend says false.
   */
  readonly typedArrayStorage: boolean;
  /** Whether this backend computes PyTorch 1.13's CPU bits (see numerics.ts). */
  readonly exact: boolean;
  /** New zero-filled storage of n elements. */
  alloc(dtype: DType, n: number): Storage;
  /** New storage holding `values` (converted to dtype). */
  fromValues(dtype: DType, values: ArrayLike<number>): Storage;
  /** The view's elements in row-major order, as a new typed array of the view's dtype. */
  read(x: View): TypedArray;
  /** Number of elements the storage holds. */
  size(s: Storage): number;

  /**
   * out[i] = op(x[i]), contiguous output of x.shape in dtype `out`.
   * `dst` (here and in binary, ternary, where): when given, the result is written into it instead
   * of new storage, and dst.storage is returned. dst is contiguous, of the output's shape and dtype;
   * an operand may be dst itself (same storage, offset and strides: each element is read before it
   * is written) but must not otherwise overlap it. In-place ops use it to skip a temporary.
   */
  unary(op: UnaryOp, x: View, out: DType, p0?: number, p1?: number, dst?: View): Storage;
  /** a and b are already broadcast to `shape` (stride 0 on broadcast dims); contiguous output. */
  binary(op: BinaryOp, a: View, b: View, shape: Shape, out: DType, p?: number, dst?: View): Storage;
  /**
   * out = op(a, b, c) with scalar p, all three broadcast to `shape`; contiguous output.
   * NOTE: a backend must round as PyTorch's CPU kernels do (scalar parameters cast to the output
   * dtype, and the multiply-adds the AVX2 build fuses rounded once).
   */
  ternary(op: TernaryOp, a: View, b: View, c: View, shape: Shape, out: DType, p?: number, dst?: View): Storage;
  /** out = cond ? a : b, all three broadcast to `shape`. */
  where(cond: View, a: View, b: View, shape: Shape, out: DType, dst?: View): Storage;
  /** Reduces the listed dims away (output shape is x.shape without them), contiguous output. */
  reduce(op: ReduceOp, x: View, dims: readonly number[], out: DType): Storage;
  /** Cumulative sum or product along dim, contiguous output of x.shape. */
  cumulative(op: "cumsum" | "cumprod", x: View, dim: number, out: DType): Storage;
  /**
   * Batched matrix product: a is [B, M, K], b is [B, K, N] (any strides); output [B, M, N] contiguous.
   * With `init` (a view of shape [B, M, N], broadcast allowed), the output starts as init and the
   * products are added into it, as BLAS does with beta = 1 (torch.addmm, nn.Linear's bias).
   */
  matmul(a: View, b: View, out: DType, init?: View): Storage;
  /**
   * Optional: float32 / float64 softmax (log: log_softmax) over the last dim of x, contiguous output,
   * in PyTorch's kernel order so the bits are its. Ops compose softmax from primitives without it.
   */
  softmaxLastDim?(x: View, log: boolean): Storage;
  /** Optional: the backward of softmaxLastDim given its output y and the incoming gradient g. */
  softmaxBackwardLastDim?(g: View, y: View, log: boolean): Storage;
  /** Writes src (same shape) into the strided region dst, casting to dst's dtype. */
  copy(src: View, dst: View): void;
  /** Writes `value` into every element of the strided region dst. */
  fill(dst: View, value: number): void;
  /** out[..., i, ...] = x[..., index[i], ...] along dim; index is a 1-d int64 view. */
  indexSelect(x: View, dim: number, index: View): Storage;
  /** torch.gather: out has index's shape. */
  gather(x: View, dim: number, index: View): Storage;
  /** In place on dst (a contiguous view): dst[...index...] = src (or += src with reduce "add"). */
  scatter(dst: View, dim: number, index: View, src: View, reduce: "none" | "add"): void;
  /** In place on dst along dim: dst[..., index[i], ...] += src[..., i, ...] (Tensor.index_add_). */
  indexAdd(dst: View, dim: number, index: View, src: View): void;
  /** Indices of the non-zero elements, as a contiguous int64 [n, ndim] storage; returns it and n. */
  nonzero(x: View): { storage: Storage; count: number };
}

const registry = new Map<string, Backend>();
let current: Backend | null = null;

export function registerBackend(b: Backend): void {
  registry.set(b.name, b);
  if (!current) current = b;
}

export function getBackend(name?: string): Backend {
  if (name === undefined) {
    if (!current) throw new RuntimeError("no typetorch backend is registered; import \"typetorch\" to get the CPU backend");
    return current;
  }
  const b = registry.get(name);
  if (!b)
    throw new RuntimeError(
      `typetorch backend "${name}" is not available (registered: ${[...registry.keys()].join(", ")}). The "cpu" backend is built in; others must be imported and enabled first.`,
    );
  return b;
}

export function setBackend(name: string): void {
  current = getBackend(name);
}

/** Every registered backend (for tests that run on each). */
export function listBackends(): string[] {
  return [...registry.keys()];
}
