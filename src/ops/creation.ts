// Tensor creation: torch.tensor, zeros/ones/full/empty, arange/linspace/eye, the *Like forms, and the
// random factories (rand, randn, randint, randperm, normal) on PyTorch's generator.
import { getBackend } from "../backend/backend.js";
import { checkDevice, type DeviceLike } from "../tensor/device.js";
import { bool, dtypes, float32, float64, getDefaultDtype, int32, int64, type DType } from "../tensor/dtype.js";
import { isNonOverlappingAndDense, numelOf } from "../tensor/shape.js";
import { Tensor, type NestedArray } from "../tensor/tensor.js";
import { RuntimeError, TorchTypeError, ValueError, cppDouble, pythonTypeName } from "../errors.js";
import { fromStorage } from "./core.js";
import * as rnd from "../random/index.js";
import { fma32, fma64 } from "../random/fma.js";

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  device?: DeviceLike;
}
export interface RandomOptions extends TensorOptions {
  generator?: rnd.Generator;
}

type SizeArgs = (number | readonly number[] | TensorOptions | RandomOptions | undefined)[];

/** Splits PyTorch-style `(2, 3, opts)` / `([2, 3], opts)` arguments into a shape and options. */
export function parseSize<O extends object>(args: readonly unknown[], fn = "zeros", ints = "SymInts"): { shape: number[]; opts: O } {
  let opts = {} as O;
  let rest = args as unknown[];
  const last = rest[rest.length - 1];
  if (last !== undefined && typeof last === "object" && !Array.isArray(last)) {
    opts = last as O;
    rest = rest.slice(0, -1);
  }
  const list = rest.length === 1 && Array.isArray(rest[0]);
  const shape = list ? (rest[0] as number[]).slice() : (rest as number[]);
  shape.forEach((s, i) => {
    if (typeof s === "number" && Number.isInteger(s)) return;
    // (PyTorch's argument parser: one bad size alone is the argument's type, one in a sequence is named by position)
    if ((list || shape.length > 1) && i > 0)
      throw new TorchTypeError(`${fn}(): argument 'size' must be tuple of ${ints}, but found element of type ${pythonTypeName(s)} at pos ${i + 1}`);
    throw new TorchTypeError(`${fn}(): argument 'size' (position 1) must be tuple of ${ints}, not ${pythonTypeName(s)}`);
  });
  for (const s of shape)
    if (s < 0)
      throw new RuntimeError(`Trying to create tensor with negative dimension ${s}: [${shape.join(", ")}]`);
  return { shape, opts };
}

function finish(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.device !== undefined && opts.device !== null) checkDevice(opts.device);
  if (opts.requiresGrad && !t.dtype.isFloatingPoint)
    throw new RuntimeError("Only Tensors of floating point and complex dtype can require gradients");
  if (opts.requiresGrad) t.requiresGrad_(true);
  return t;
}

function filled(shape: number[], dtype: DType, value: number): Tensor {
  const t = fromStorage(getBackend().alloc(dtype, numelOf(shape)), shape, dtype);
  if (value !== 0) getBackend().fill(t._view(), value);
  return t;
}

export function zeros(...args: SizeArgs): Tensor {
  const { shape, opts } = parseSize<TensorOptions>(args);
  return finish(filled(shape, opts.dtype ?? getDefaultDtype(), 0), opts);
}
export function ones(...args: SizeArgs): Tensor {
  const { shape, opts } = parseSize<TensorOptions>(args, "ones");
  return finish(filled(shape, opts.dtype ?? getDefaultDtype(), 1), opts);
}
/** torch.empty: typetorch's storage starts zeroed. */
export function empty(...args: SizeArgs): Tensor {
  const { shape, opts } = parseSize<TensorOptions>(args, "empty");
  return finish(filled(shape, opts.dtype ?? getDefaultDtype(), 0), opts);
}
/**
 * torch.full(size, fillValue). NOTE: JavaScript has one number type, so the dtype defaults to the
 * default float dtype unless given (or unless fillValue is a boolean).
 */
export function full(size: readonly number[], fillValue: number | boolean, opts: TensorOptions = {}): Tensor {
  if (typeof fillValue !== "number" && typeof fillValue !== "boolean")
    throw new TorchTypeError(`full(): argument 'fill_value' (position 2) must be Number, not ${pythonTypeName(fillValue)}`);
  const dtype = opts.dtype ?? (typeof fillValue === "boolean" ? bool : getDefaultDtype());
  return finish(filled(parseSize<TensorOptions>([size], "full").shape, dtype, +fillValue), opts);
}
/**
 * @internal torch.empty (the same arguments and checks) for a tensor that lives as long as a model:
 * nn modules' parameters, optimizer state, a parameter's `.grad`. Its storage comes from the
 * backend's allocLasting where it has one (the fast backend: the kernels' shared memory, which matmul
 * and the optimizer updates read and write in place), else from alloc. Zero-filled.
 */
export function emptyLasting(...args: SizeArgs): Tensor {
  const { shape, opts } = parseSize<TensorOptions>(args, "empty");
  const dtype = opts.dtype ?? getDefaultDtype(), b = getBackend(), n = numelOf(shape);
  return finish(fromStorage(b.allocLasting?.(dtype, n) ?? b.alloc(dtype, n), shape, dtype), opts);
}
/**
 * @internal zerosLike(t) for a tensor that lives as long as t (optimizer state, t's `.grad`): as
 * emptyLasting where t is contiguous, else zerosLike (its strides).
 */
export function zerosLikeLasting(t: Tensor): Tensor {
  return t.isContiguous() ? emptyLasting(t.shape, { dtype: t.dtype }) : zerosLike(t);
}
/** @internal Whether t's storage came from the backend's allocLasting (see emptyLasting). */
export function isLasting(t: Tensor): boolean {
  return getBackend().isLasting?.(t._storage) ?? false;
}
/**
 * The new tensor of a *Like function. NOTE: PyTorch's default memory_format=torch.preserve_format
 * keeps the strides of an input that is non-overlapping and dense (a transposed tensor gives a
 * transposed result); any other input gives a contiguous result.
 */
function filledLike(t: Tensor, dtype: DType, value: number): Tensor {
  const strides = t.strides;
  if (t.isContiguous() || !isNonOverlappingAndDense(t.shape, strides)) return filled(t.shape, dtype, value);
  const y = new Tensor(getBackend().alloc(dtype, t.numel()), t.shape, strides, 0, dtype);
  if (value !== 0) getBackend().fill(y._view(), value);
  return y;
}
export function zerosLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return finish(filledLike(t, opts.dtype ?? t.dtype, 0), opts);
}
export function onesLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return finish(filledLike(t, opts.dtype ?? t.dtype, 1), opts);
}
export function emptyLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return zerosLike(t, opts);
}
export function fullLike(t: Tensor, fillValue: number, opts: TensorOptions = {}): Tensor {
  return finish(filledLike(t, opts.dtype ?? t.dtype, fillValue), opts);
}

/**
 * torch.arange(end) / (start, end) / (start, end, step). All-integer arguments give int64, as in
 * PyTorch; otherwise the default float dtype.
 */
export function arange(...args: (number | TensorOptions)[]): Tensor {
  let opts: TensorOptions = {};
  const last = args[args.length - 1];
  if (typeof last === "object") {
    opts = last;
    args = args.slice(0, -1);
  }
  const nums = args as number[];
  let start = 0, end: number, step = 1;
  if (nums.length === 1) end = nums[0]!;
  else {
    start = nums[0]!;
    end = nums[1]!;
    step = nums[2] ?? 1;
  }
  // NOTE: PyTorch computes an integer arange in the dtype's accumulate type: the arguments truncate first
  const dtype = opts.dtype ?? ([start, end, step].every(Number.isInteger) ? int64 : getDefaultDtype());
  if (!dtype.isFloatingPoint) {
    start = Math.trunc(start);
    end = Math.trunc(end);
    step = Math.trunc(step);
  }
  if (!(step > 0 || step < 0)) throw new RuntimeError("step must be nonzero"); // (NaN too, as PyTorch)
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RuntimeError(`unsupported range: ${cppDouble(start)} -> ${cppDouble(end)}`);
  if ((step > 0 && end < start) || (step < 0 && end > start))
    throw new RuntimeError("upper bound and larger bound inconsistent with step sign");
  const n = Math.ceil((end - start) / step);
  if (!(n < 2 ** 63)) throw new RuntimeError("invalid size, possible overflow?");
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = start + i * step;
  return finish(fromStorage(getBackend().fromValues(dtype, v), [n], dtype), opts);
}

/**
 * torch.linspace(start, end, steps), bit for bit as PyTorch's CPU kernel computes it.
 * NOTE: PyTorch fills the first half from the start and the second half from the end, so the last
 * value is exactly `end`; a single step gives `start`. The kernel works in the output dtype (double
 * for integer dtypes), its `a + step * i` is contracted to one FMA (see src/random/fma.ts), and in
 * runs of two AVX2 vectors (8 floats or 4 doubles/int64s each) every vector starts from its own
 * first value (one FMA) and adds k * step (rounded product, then rounded sum: Vectorized::arange),
 * so the values there can differ in the last bit from the scalar formula. Checked against
 * PyTorch 1.13 (AVX2 build) for float32 over many (start, end, steps).
 */
export function linspace(start: number, end: number, steps: number, opts: TensorOptions = {}): Tensor {
  if (steps < 0) throw new RuntimeError("number of steps must be non-negative");
  const dtype = opts.dtype ?? getDefaultDtype();
  const v = new Float64Array(steps);
  const f32 = dtype === float32;
  const fma = f32 ? fma32 : fma64;
  const cast = f32 ? Math.fround : (x: number) => x;
  const isInt = !dtype.isFloatingPoint;
  const s = isInt ? Math.trunc(start) : cast(start), e = isInt ? Math.trunc(end) : cast(end);
  if (steps === 1) v[0] = s;
  else if (steps > 1) {
    const step = cast(cast(e - s) / (steps - 1));
    const half = Math.floor(steps / 2);
    const at = (i: number): number => (i < half ? fma(step, i, s) : fma(-step, steps - i - 1, e));
    const vec = f32 ? 8 : 4;
    let i = 0;
    for (; i + 2 * vec <= steps; i += 2 * vec)
      for (let j = i; j < i + 2 * vec; j += vec) {
        const base = isInt ? Math.trunc(at(j)) : at(j);
        for (let k = 0; k < vec; k++) v[j + k] = cast(base + cast(k * step));
      }
    for (; i < steps; i++) v[i] = at(i);
    // NOTE: int64 is held in doubles: truncate here, and `+ 0` turns -0 into 0
    if (isInt) for (let k = 0; k < steps; k++) v[k] = Math.trunc(v[k]!) + 0;
  }
  return finish(fromStorage(getBackend().fromValues(dtype, v), [steps], dtype), opts);
}

export function eye(n: number, m?: number | TensorOptions, opts: TensorOptions = {}): Tensor {
  if (typeof m === "object") {
    opts = m;
    m = undefined;
  }
  const cols = m ?? n;
  for (const [name, v, pos] of [["n", n, 1], ["m", cols, 2]] as const) {
    if (typeof v !== "number" || !Number.isInteger(v))
      throw new TorchTypeError(`eye(): argument '${name}' (position ${pos}) must be int, not ${pythonTypeName(v)}`);
    if (v < 0) throw new RuntimeError(`${name} must be greater or equal to 0, got ${v}`);
  }
  const t = filled([n, cols], opts.dtype ?? getDefaultDtype(), 0);
  // the diagonal as a strided view, filled by the backend
  getBackend().fill({ ...t._view(), shape: [Math.min(n, cols)], strides: [cols + 1] }, 1);
  return finish(t, opts);
}

type Leaf = number | boolean | bigint | Tensor;
function inferShape(data: unknown): number[] {
  const shape: number[] = [];
  let d: unknown = data;
  while (Array.isArray(d)) {
    shape.push(d.length);
    d = d[0];
  }
  if (d instanceof Tensor) shape.push(...d.shape);
  return shape;
}

/**
 * torch.tensor(data): numbers, booleans, nested arrays, typed arrays, or tensors inside arrays.
 * NOTE: JavaScript has one number type: plain numbers give the default float dtype (float32) as
 * Python floats do; pass `{ dtype: torch.int64 }` for integers, or give bigints / a BigInt64Array /
 * an Int32Array. Booleans give bool.
 * @example
 * torch.tensor([[1, 2], [3, 4]]).shape // [2, 2]
 */
export function tensor(data: NestedArray | Leaf | ArrayLike<number> | BigInt64Array | readonly Leaf[] | readonly unknown[], opts: TensorOptions = {}): Tensor {
  // NOTE: torch.tensor(t) copies t, keeping its strides when dense (as clone() with preserve_format)
  if (data instanceof Tensor) {
    const y = filledLike(data, opts.dtype ?? data.dtype, 0);
    getBackend().copy(data._view(), y._view());
    return finish(y, opts);
  }
  let dtype = opts.dtype;
  let flat: number[] | ArrayLike<number>;
  let shape: number[];
  if (ArrayBuffer.isView(data)) {
    const ta = data as unknown as ArrayLike<number> & { constructor: unknown };
    if (data instanceof Float64Array) dtype ??= float64;
    else if (data instanceof Int32Array) dtype ??= int32;
    else if (data instanceof Int8Array) dtype ??= dtypes.int8;
    else if (data instanceof Int16Array) dtype ??= dtypes.int16;
    else if (data instanceof BigInt64Array) {
      dtype ??= int64;
      flat = Array.from(data as BigInt64Array, (b) => Number(b));
      return finish(fromStorage(getBackend().fromValues(dtype, flat), [flat.length], dtype), opts);
    } else if ((data as object) instanceof Uint8Array) dtype ??= dtypes.uint8; // (image bytes, as numpy's uint8 arrays give)
    else dtype ??= float32;
    flat = ta;
    shape = [ta.length];
  } else {
    shape = inferShape(data);
    const out: number[] = [];
    let sawBool = false, sawBig = false, sawFloatTensor: DType | null = null;
    const walk = (d: unknown, depth: number): void => {
      if (Array.isArray(d)) {
        if (d.length !== shape[depth])
          throw new ValueError(`expected sequence of length ${shape[depth]} at dim ${depth} (got ${d.length})`);
        for (const x of d) walk(x, depth + 1);
      } else if (d instanceof Tensor) {
        sawFloatTensor = sawFloatTensor ?? d.dtype;
        const v = d._values();
        for (let i = 0; i < v.length; i++) out.push(v[i]!);
      } else if (typeof d === "boolean") {
        sawBool = true;
        out.push(+d);
      } else if (typeof d === "bigint") {
        sawBig = true;
        if (d < -(2n ** 63n) || d >= 2n ** 63n) throw new RuntimeError("Overflow when unpacking long");
        out.push(Number(d));
      } else if (typeof d === "number") out.push(d);
      else if (typeof d === "string") throw new ValueError("too many dimensions 'str'");
      else throw new RuntimeError(`Could not infer dtype of ${pythonTypeName(d)}`);
    };
    walk(data, 0);
    if (dtype) checkSmallIntRange(out, dtype);
    if (!dtype) dtype = sawFloatTensor ?? (sawBig ? int64 : sawBool && out.length > 0 && !Array.prototype.some.call(data, (x: unknown) => typeof x === "number") ? bool : getDefaultDtype());
    flat = out;
  }
  return finish(fromStorage(getBackend().fromValues(dtype, flat), shape, dtype), opts);
}

/**
 * PyTorch's check of Python numbers written into uint8/int8/int16 by torch.tensor: beyond the type's
 * range (for uint8, a negative value down to -255 wraps), NaN or infinite is an error.
 */
function checkSmallIntRange(values: readonly number[], d: DType): void {
  const max = d.name === "uint8" ? 255 : d.name === "int8" ? 127 : d.name === "int16" ? 32767 : 0;
  if (!max) return;
  const min = d.name === "uint8" ? -255 : -max - 1;
  for (const v of values)
    if (!(v >= min && v <= max)) throw new RuntimeError(`value cannot be converted to type ${d.name} without overflow`);
}

/** torch.as_tensor / from arrays: same as tensor(). */
export const asTensor = tensor;

/** The sampler's float type; other dtypes fail with PyTorch's message for the kernel (rand's or randn's). */
function floatName(d: DType, kernel = "check_uniform_bounds"): "float32" | "float64" {
  if (d === float64) return "float64";
  if (d === float32) return "float32";
  throw new RuntimeError(`"${kernel}" not implemented for '${d.scalarName}'`);
}

export function rand(...args: SizeArgs): Tensor {
  const { shape, opts } = parseSize<RandomOptions>(args, "rand", "ints");
  const dtype = opts.dtype ?? getDefaultDtype();
  const v = rnd.uniform(opts.generator ?? rnd.defaultGenerator, numelOf(shape), floatName(dtype));
  return finish(fromStorage(getBackend().fromValues(dtype, v), shape, dtype), opts);
}

export function randn(...args: SizeArgs): Tensor {
  const { shape, opts } = parseSize<RandomOptions>(args, "randn", "ints");
  const dtype = opts.dtype ?? getDefaultDtype();
  const v = rnd.normal(opts.generator ?? rnd.defaultGenerator, numelOf(shape), floatName(dtype, "normal_kernel_cpu"));
  return finish(fromStorage(getBackend().fromValues(dtype, v), shape, dtype), opts);
}

/** torch.randint(high, size) or (low, high, size); int64 by default. */
export function randint(...args: (number | readonly number[] | RandomOptions)[]): Tensor {
  let opts: RandomOptions = {};
  if (typeof args[args.length - 1] === "object" && !Array.isArray(args[args.length - 1])) opts = args.pop() as RandomOptions;
  const size = args.pop() as number[];
  const [low, high] = args.length === 1 ? [0, args[0] as number] : [args[0] as number, args[1] as number];
  if (!Array.isArray(size)) throw new TorchTypeError("randint() missing the size argument (an array of sizes)");
  if (low >= high) throw new RuntimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  const dtype = opts.dtype ?? int64;
  const v = rnd.randint(opts.generator ?? rnd.defaultGenerator, numelOf(size), low, high);
  return finish(fromStorage(getBackend().fromValues(dtype, v), size, dtype), opts);
}

export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  const dtype = opts.dtype ?? int64;
  const v = rnd.randperm(opts.generator ?? rnd.defaultGenerator, n);
  return finish(fromStorage(getBackend().fromValues(dtype, v), [n], dtype), opts);
}

/**
 * torch.normal(mean, std, size) with numbers, or torch.normal(meanTensor, stdTensor) elementwise.
 */
export function normal(mean: number | Tensor, std: number | Tensor, size?: readonly number[] | RandomOptions, opts: RandomOptions = {}): Tensor {
  if (size !== undefined && !Array.isArray(size)) {
    opts = size as RandomOptions;
    size = undefined;
  }
  const gen = opts.generator ?? rnd.defaultGenerator;
  if (typeof mean === "number" && typeof std === "number") {
    if (!size) throw new TorchTypeError("normal() with float mean and std needs a size");
    if (std < 0) throw new RuntimeError(`normal expects std >= 0.0, but found std ${std}`);
    const shape = (size as number[]).slice();
    const dtype = opts.dtype ?? getDefaultDtype();
    const v = rnd.normal(gen, numelOf(shape), floatName(dtype, "normal_kernel_cpu"), mean, std);
    return finish(fromStorage(getBackend().fromValues(dtype, v), shape, dtype), opts);
  }
  const mt = mean instanceof Tensor ? mean : null, st = std instanceof Tensor ? std : null;
  const ref = (mt ?? st)!;
  const shape = mt && st ? mt.shape : ref.shape;
  const dtype = ref.dtype;
  const n = numelOf(shape);
  const means = mt ? mt.expand(shape)._values() : new Float64Array(n).fill(mean as number);
  const stds = st ? st.expand(shape)._values() : new Float64Array(n).fill(std as number);
  const v = rnd.normalTensorParams(gen, means, stds, floatName(dtype, "normal_kernel_cpu"));
  return finish(fromStorage(getBackend().fromValues(dtype, v), shape, dtype), opts);
}
