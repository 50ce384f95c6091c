// torch.Tensor: a strided view onto backend storage, plus autograd metadata. Methods delegate to
// src/ops; this file holds the API surface and the in-place machinery (version counters, leaf checks).
import { getBackend, type Backend, type Storage, type View } from "../backend/backend.js";
import { escape } from "../backend/buffer_pool.js";
import { AccumulateGrad, Node, type Hook } from "../autograd/graph.js";
import { isGradEnabled, noGrad } from "../autograd/grad_mode.js";
import { runBackward } from "../autograd/engine.js";
import { attachNode, record } from "../autograd/function.js";
import { bool, canCast, dtypes, float32, float64, int32, int64, type DType, type TypedArray } from "./dtype.js";
import { broadcastShapes, contiguousStrides, isContiguous, normalizeDim, numelOf, shapesEqual, type Shape } from "./shape.js";
import { formatTensor } from "./format.js";
import { CPU, Device, checkDevice, type DeviceLike } from "./device.js";
import { RuntimeError, TorchTypeError, ValueError, pythonTypeName } from "../errors.js";
import * as ew from "../ops/elementwise.js";
import * as red from "../ops/reduce.js";
import * as vw from "../ops/views.js";
import * as la from "../ops/linalg.js";
import * as ix from "../ops/indexing.js";
import * as mp from "../ops/manipulation.js";
import * as sm from "../ops/scaled_matmul.js";
import * as so from "../ops/sorting.js";
import { fromStorage, resultTypeOf, type Scalar, type TensorOrScalar } from "../ops/core.js";
import type { UnaryName } from "../ops/table.js";
import * as rnd from "../random/index.js";

type Sizes = readonly number[];
/** Sizes as varargs or one array, as PyTorch accepts: `view(2, 3)` or `view([2, 3])`. */
function sizesOf(args: readonly (number | Sizes)[]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return (args[0] as Sizes).slice();
  return args as number[];
}

export type NestedArray = number | boolean | NestedArray[];

/** Tensor.backward's keyword arguments. */
export interface BackwardOpts { retainGraph?: boolean; createGraph?: boolean; inputs?: Tensor[] }

/**
 * A multi-dimensional array with autograd: PyTorch's `torch.Tensor`.
 * @example
 * const x = torch.ones(2, 2, { requiresGrad: true });
 * const y = x.add(2).mul(x).mean();
 * y.backward(); // x.grad is now filled
 */
export class Tensor {
  /** @internal */ _storage: Storage;
  /** @internal */ _shape: number[];
  /** @internal */ _strides: number[];
  /** @internal */ _offset: number;
  /** @internal */ _dtype: DType;
  /** @internal shared by a tensor and all its views */ _version: { value: number } = { value: 0 };
  /** @internal the tensor this one is a view of */ _base: Tensor | null = null;
  /**
   * @internal a view's `_version` when its grad_fn was last set (PyTorch's attr_version): when the
   * shared counter has moved on, an in-place op changed the base or another view since, and the
   * view's grad_fn is regenerated when next read (see `gradFn`)
   */
  _viewVersion = 0;
  /** @internal how a view was made (PyTorch's CreationMeta): which in-place ops it forbids */
  _creationMeta: CreationMeta = CreationMeta.DEFAULT;
  /** @internal */ _gradFn: Node | null = null;
  /** @internal */ _outputNr = 0;
  /** @internal */ _leafRequiresGrad = false;
  /** @internal */ _accumulator: AccumulateGrad | null = null;
  /** @internal a JS scalar wrapped for an op (type promotion treats it as a scalar) */ _wrappedNumber = false;
  /** @internal */ _leafHooks: Hook[] | null = null;
  /** @internal */ _grad: Tensor | null = null;
  /** The accumulated gradient of a leaf (or of a tensor that called retainGrad()). */
  get grad(): Tensor | null {
    return this._grad;
  }
  /** Assigning `.grad` checks what PyTorch's setter checks: a tensor (or null) of this dtype and shape. */
  set grad(g: Tensor | null | undefined) {
    if (g === null || g === undefined) {
      this._grad = null;
      return;
    }
    if (!(g instanceof Tensor)) throw new TorchTypeError(`assigned grad expected to be a Tensor or None but got grad of type ${pythonTypeName(g)}`);
    if (g === this) throw new RuntimeError("can't assign Variable as its own grad");
    if (g._dtype !== this._dtype) throw new RuntimeError("assigned grad has data of a different type");
    if (!shapesEqual(g._shape, this._shape)) throw new RuntimeError("assigned grad has data of a different size");
    escape(g._storage); // a .grad made in a backward pass outlives it (backend/buffer_pool.ts)
    this._grad = g;
  }

  /** @internal use torch.tensor / torch.zeros / ... to make tensors */
  constructor(storage: Storage, shape: Shape, strides: Shape, offset: number, dtype: DType) {
    this._storage = storage;
    this._shape = shape as number[];
    this._strides = strides as number[];
    this._offset = offset;
    this._dtype = dtype;
  }

  // ---------------------------------------------------------------- metadata
  get shape(): number[] {
    return this._shape.slice();
  }
  /** size() gives the shape; size(dim) one entry of it. */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return this.shape;
    return this._shape[normalizeDim(dim, this.dim())] ?? 1;
  }
  get strides(): number[] {
    return this._strides.slice();
  }
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    if (dim === undefined) return this.strides;
    return this._strides[normalizeDim(dim, this.dim())]!;
  }
  get dtype(): DType {
    return this._dtype;
  }
  /** Where the data lives: `device(type='cpu')` (String(t.device) is "cpu"). */
  get device(): Device {
    return CPU;
  }
  get ndim(): number {
    return this._shape.length;
  }
  dim(): number {
    return this._shape.length;
  }
  numel(): number {
    return numelOf(this._shape);
  }
  storageOffset(): number {
    return this._offset;
  }
  isContiguous(): boolean {
    return isContiguous(this._shape, this._strides);
  }
  isFloatingPoint(): boolean {
    return this._dtype.isFloatingPoint;
  }
  elementSize(): number {
    return this._dtype.itemsize;
  }

  // ---------------------------------------------------------------- internals
  /** @internal */
  get _backend(): Backend {
    return getBackend();
  }
  /** @internal the backend view of this tensor */
  _view(): View {
    return { storage: this._storage, dtype: this._dtype, shape: this._shape, strides: this._strides, offset: this._offset };
  }
  /** @internal the elements in row-major order */
  _values(): TypedArray {
    return getBackend().read(this._view());
  }
  /** @internal a view sharing storage and version counter */
  _makeView(shape: Shape, strides: Shape, offset: number): Tensor {
    const t = new Tensor(this._storage, shape, strides, offset, this._dtype);
    t._version = this._version;
    t._base = this._base ?? this;
    t._viewVersion = this._version.value;
    // NOTE: PyTorch's propagate_creation_meta: a view made in no_grad mode is NO_GRAD_MODE; otherwise
    // a view of a view inherits how that view was made
    t._creationMeta = !isGradEnabled() ? CreationMeta.NO_GRAD_MODE : this._base !== null ? this._creationMeta : CreationMeta.DEFAULT;
    return t;
  }
  /** @internal */
  _setGradFn(node: Node, outputNr: number): void {
    this._gradFn = node;
    this._outputNr = outputNr;
  }
  /** @internal the AccumulateGrad node of a leaf */
  _gradAccumulator(): AccumulateGrad {
    if (!this._accumulator) {
      this._accumulator = new AccumulateGrad(this);
      if (this._leafHooks) for (const h of this._leafHooks) this._accumulator.registerHook(h);
    }
    return this._accumulator;
  }

  // ---------------------------------------------------------------- autograd
  get requiresGrad(): boolean {
    // NOTE: as PyTorch's DifferentiableViewMeta, a view requires grad when its base does, even one
    // made in no_grad mode (whose grad_fn stays None)
    return this._leafRequiresGrad || this._gradFn !== null || (this._base !== null && this._base.requiresGrad);
  }
  set requiresGrad(v: boolean) {
    this.requiresGrad_(v);
  }
  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  /**
   * The node that made this tensor (PyTorch's grad_fn). A view whose base or sibling view was
   * modified in place since its grad_fn was set gets a fresh one here, AsStridedBackward0 over the
   * base's current history, as PyTorch's VariableHooks::grad_fn does: every op reads its inputs'
   * gradFn, so each sees the new history. The common case costs one comparison.
   */
  get gradFn(): Node | null {
    if (this._base === null || this._viewVersion === this._version.value) return this._gradFn;
    return this._regenerateViewGradFn(true);
  }
  /**
   * @internal PyTorch's regeneration of a view's grad_fn after an in-place op on its base or on
   * another view (`indirect`), or on this view itself: AsStridedBackward0 with the view's geometry
   * over the base's history. Views made in no_grad mode and outputs of multi-output ops raise instead.
   */
  _regenerateViewGradFn(indirect: boolean): Node | null {
    const base = this._base!;
    if (this._gradFn === null && !base.requiresGrad) return null;
    if (this._creationMeta !== CreationMeta.DEFAULT) throw this._viewRebaseError(indirect);
    const region = viewRegion(base, this);
    const overlapping = this._shape.some((n, i) => n > 1 && this._strides[i] === 0);
    attachNode("AsStridedBackward0", [base], [this], (grads) => [
      overlapping ? vw.embedSum(grads[0]!, base.shape, region) : vw.embed(grads[0]!, base.shape, region, "AsStridedBackwardBackward0"),
    ]);
    this._outputNr = 0;
    this._viewVersion = this._version.value;
    return this._gradFn;
  }
  /** @internal PyTorch's handle_view_on_rebase error for a view that may not be modified in place. */
  _viewRebaseError(indirect: boolean): RuntimeError {
    const modified = indirect ? "its base or another view of its base has been" : "is being";
    const g = this._gradFn;
    let msg = g
      ? `Output ${this._outputNr} of ${g.name()} is a view and ${modified} modified inplace.`
      : `A view was created in no_grad mode and ${modified} modified inplace with grad mode enabled.`;
    if (this._creationMeta === CreationMeta.MULTI_OUTPUT_NODE)
      msg += " This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.";
    else if (this._creationMeta === CreationMeta.IN_CUSTOM_FUNCTION)
      msg += " This view was created inside a custom Function (or because an input was returned as-is) and the autograd logic to handle view+inplace would override the custom backward associated with the custom Function, leading to incorrect gradients. This behavior is forbidden. You can fix this by cloning the output of the custom Function.";
    else
      msg += " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).";
    return new RuntimeError(msg);
  }
  /** @internal for in-place ops */
  get _isView(): boolean {
    return this._base !== null;
  }

  requiresGrad_(requiresGrad = true): this {
    if (!this.isLeaf)
      throw new RuntimeError(
        "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
      );
    if (requiresGrad && !this._dtype.isFloatingPoint)
      throw new RuntimeError("only Tensors of floating point dtype can require gradients");
    this._leafRequiresGrad = requiresGrad;
    return this;
  }

  /**
   * Computes the gradient of this tensor w.r.t. graph leaves, accumulating into their `.grad`.
   * `gradient` is required unless this tensor holds a single element; the options may come first
   * when it is not given (`loss.backward({ retainGraph: true })`).
   */
  backward(opts?: BackwardOpts): void;
  backward(gradient?: Tensor | null, opts?: BackwardOpts): void;
  backward(gradient?: Tensor | null | BackwardOpts, opts: BackwardOpts = {}): void {
    if (gradient !== null && gradient !== undefined && !(gradient instanceof Tensor)) {
      // PyTorch's keyword arguments, written as TypeScript writes them
      if (Object.getPrototypeOf(gradient) === Object.prototype) {
        opts = gradient as BackwardOpts;
        gradient = null;
      } else throw new TorchTypeError(`gradients can be either Tensors or None, but got ${pythonTypeName(gradient)}`);
    }
    if (!this.requiresGrad) throw new RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn");
    let g = gradient ?? null;
    if (!g) {
      if (this.numel() !== 1) throw new RuntimeError("grad can be implicitly created only for scalar outputs");
      g = fromStorage(getBackend().fromValues(this._dtype, [1]), this._shape, this._dtype);
    } else if (!shapesEqual(g.shape, this._shape))
      throw new RuntimeError(`Mismatch in shape: grad_output[0] has a shape of torch.Size([${g.shape.join(", ")}]) and output[0] has a shape of torch.Size([${this._shape.join(", ")}]).`);
    if (opts.inputs) {
      const grads = runBackward([this], [g], { ...opts, inputs: opts.inputs, allowUnused: true });
      opts.inputs.forEach((t, i) => {
        const gi = grads[i];
        if (gi) t.grad = t.grad ? t.grad.add(gi) : gi.detach();
      });
      return;
    }
    const bo: { retainGraph?: boolean; createGraph?: boolean } = {};
    if (opts.retainGraph !== undefined) bo.retainGraph = opts.retainGraph;
    if (opts.createGraph !== undefined) bo.createGraph = opts.createGraph;
    runBackward([this], [g], bo);
  }

  /** A new tensor sharing storage, cut from the graph. */
  detach(): Tensor {
    const t = new Tensor(this._storage, this._shape, this._strides, this._offset, this._dtype);
    t._version = this._version;
    return t;
  }
  /** Cuts this tensor from the graph in place, making it a leaf. */
  detach_(): this {
    // NOTE: every view, as PyTorch 1.13 (whose view ops all make differentiable views)
    if (this._base !== null)
      throw new RuntimeError("Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence detach_() cannot be called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.");
    this._gradFn = null;
    this._leafRequiresGrad = false;
    return this;
  }
  /** Keeps the gradient of this non-leaf tensor in `.grad` after backward. */
  retainGrad(): void {
    if (this.isLeaf) return;
    if (!this.requiresGrad) throw new RuntimeError("can't retain_grad on Tensor that has requires_grad=False");
    const n = this.gradFn!;
    n.retained ??= new Map();
    n.retained.set(this._outputNr, this);
  }
  get retainsGrad(): boolean {
    return !this.isLeaf && (this.gradFn!.retained?.get(this._outputNr) === this);
  }
  /** Registers a hook called with this tensor's gradient; it may return a replacement. */
  registerHook(hook: Hook): { remove(): void } {
    if (!this.requiresGrad) throw new RuntimeError("cannot register a hook on a tensor that doesn't require gradient");
    if (this.isLeaf) {
      (this._leafHooks ??= []).push(hook);
      this._accumulator?.registerHook(hook);
    } else this.gradFn!.registerHook(hook, this._outputNr);
    return {
      remove: () => {
        const lists = [this._leafHooks, this._accumulator?.tensorHooks?.get(0), this.gradFn?.tensorHooks?.get(this._outputNr)];
        for (const l of lists) if (l) { const i = l.indexOf(hook); if (i >= 0) l.splice(i, 1); }
      },
    };
  }
  /** A detached alias of the data (`.data`); writes through it are not seen by autograd. */
  get data(): Tensor {
    const t = new Tensor(this._storage, this._shape, this._strides, this._offset, this._dtype);
    return t;
  }
  set data(t: Tensor) {
    this._storage = t._storage;
    this._shape = t._shape.slice();
    this._strides = t._strides.slice();
    this._offset = t._offset;
    this._dtype = t._dtype;
  }

  // ---------------------------------------------------------------- conversion
  /** The single value of a one-element tensor, as a JS number (or boolean for bool tensors). */
  item(): number {
    if (this.numel() !== 1)
      throw new ValueError("only one element tensors can be converted to Python scalars");
    const v = getBackend().read(this._view())[0]!;
    if (this._dtype === bool) return (v !== 0) as unknown as number;
    // NOTE: integer dtypes are held in doubles, where a truncation can leave -0; Python's int has none
    return this._dtype.isFloatingPoint ? v : v + 0;
  }
  /** Nested JS arrays of the values (a number for a 0-dim tensor). */
  tolist(): NestedArray {
    const v = this._values();
    const isBool = this._dtype === bool, isInt = !this._dtype.isFloatingPoint;
    const shape = this._shape;
    let i = 0;
    const build = (d: number): NestedArray => {
      if (d === shape.length) {
        const x = v[i++]!;
        return isBool ? x !== 0 : isInt ? x + 0 : x;
      }
      const out: NestedArray[] = [];
      for (let k = 0; k < shape[d]!; k++) out.push(build(d + 1));
      return out;
    };
    return build(0);
  }
  /** The values as a typed array copy, row-major. */
  dataSync(): TypedArray {
    return this._values();
  }
  /**
   * The values as a typed array copy, row-major, asynchronously: the one way to read a tensor that
   * works for every device (a GPU's data arrives later; the CPU's at once).
   * NOTE: named beside dataSync() (TensorFlow.js's pair) because `.data` is PyTorch's detached alias.
   * @example
   * const v = await torch.tensor([1, 2]).dataAsync(); // Float32Array [1, 2]
   */
  async dataAsync(): Promise<TypedArray> {
    return this._values();
  }
  /**
   * `t.to(dtype)`, `t.to("cpu")`, `t.to(torch.device("cpu"))`, `t.to({ device, dtype })`: this tensor when
   * nothing changes, else a copy. A device this build lacks raises PyTorch's error.
   */
  to(target: DType | DeviceLike | { dtype?: DType; device?: DeviceLike }): Tensor {
    if (typeof target === "string" || target instanceof Device) {
      checkDevice(target);
      return this;
    }
    if (target instanceof Object && "isFloatingPoint" in target) return vw.toDtype(this, target as DType);
    const o = target as { dtype?: DType; device?: DeviceLike };
    if (o.device !== undefined) checkDevice(o.device);
    return o.dtype ? vw.toDtype(this, o.dtype) : this;
  }
  type(dtype?: DType): Tensor | string {
    if (!dtype) return `torch.${this._dtype.scalarName}Tensor`;
    return this.to(dtype);
  }
  float(): Tensor { return this.to(float32); }
  double(): Tensor { return this.to(float64); }
  long(): Tensor { return this.to(int64); }
  int(): Tensor { return this.to(int32); }
  bool(): Tensor { return this.to(bool); }
  /** Tensor.half(): a float16 copy (values rounded to nearest-even half). */
  half(): Tensor { return this.to(dtypes.float16); }
  /** Tensor.bfloat16(): a bfloat16 copy. */
  bfloat16(): Tensor { return this.to(dtypes.bfloat16); }
  /** Tensor.byte(): a uint8 copy (floats truncated toward zero, then wrapped modulo 2^8, as PyTorch casts). */
  byte(): Tensor { return this.to(dtypes.uint8); }
  /** Tensor.char(): an int8 copy. */
  char(): Tensor { return this.to(dtypes.int8); }
  /** Tensor.short(): an int16 copy. */
  short(): Tensor { return this.to(dtypes.int16); }
  cpu(): Tensor { return this; }

  toString(): string {
    const g = this.gradFn;
    return formatTensor(this._values(), this._shape, this._dtype.name, {
      requiresGrad: this.requiresGrad && !g,
      gradFnName: g ? g.name() : null,
    });
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
  /** Iterates over the first dimension, as Python's `for row in tensor` (through unbind). */
  *[Symbol.iterator](): IterableIterator<Tensor> {
    if (this.dim() === 0) throw new TorchTypeError("iteration over a 0-d tensor");
    yield* vw.unbind(this, 0);
  }

  // ---------------------------------------------------------------- unary
  private u(name: UnaryName): Tensor { return ew.unary(name, this); }
  neg(): Tensor { return this.u("neg"); }
  negative(): Tensor { return this.u("neg"); }
  abs(): Tensor { return this.u("abs"); }
  sign(): Tensor { return this.u("sign"); }
  exp(): Tensor { return this.u("exp"); }
  exp2(): Tensor { return this.u("exp2"); }
  log(): Tensor { return this.u("log"); }
  log2(): Tensor { return this.u("log2"); }
  log10(): Tensor { return this.u("log10"); }
  log1p(): Tensor { return this.u("log1p"); }
  expm1(): Tensor { return this.u("expm1"); }
  sqrt(): Tensor { return this.u("sqrt"); }
  rsqrt(): Tensor { return this.u("rsqrt"); }
  square(): Tensor { return ew.powScalar(this, 2); }
  reciprocal(): Tensor { return this.u("reciprocal"); }
  sin(): Tensor { return this.u("sin"); }
  cos(): Tensor { return this.u("cos"); }
  tan(): Tensor { return this.u("tan"); }
  asin(): Tensor { return this.u("asin"); }
  acos(): Tensor { return this.u("acos"); }
  atan(): Tensor { return this.u("atan"); }
  sinh(): Tensor { return this.u("sinh"); }
  cosh(): Tensor { return this.u("cosh"); }
  tanh(): Tensor { return this.u("tanh"); }
  sigmoid(): Tensor { return this.u("sigmoid"); }
  relu(): Tensor { return this.u("relu"); }
  erf(): Tensor { return this.u("erf"); }
  floor(): Tensor { return this.u("floor"); }
  ceil(): Tensor { return this.u("ceil"); }
  round(): Tensor { return this.u("round"); }
  trunc(): Tensor { return this.u("trunc"); }
  clamp(min?: number | Tensor | null | ew.ClampOptions, max?: number | Tensor | null): Tensor {
    if (min !== null && typeof min === "object" && !(min instanceof Tensor)) return ew.clamp(this, min.min, min.max);
    return ew.clamp(this, min as number | Tensor | null | undefined, max);
  }
  clip(min?: number | Tensor | null | ew.ClampOptions, max?: number | Tensor | null): Tensor {
    return this.clamp(min, max);
  }
  logicalNot(): Tensor {
    return fromStorage(getBackend().unary("logicalNot", this._view(), bool), this._shape, bool);
  }
  isnan(): Tensor {
    return fromStorage(getBackend().unary("isnan", this._view(), bool), this._shape, bool);
  }

  // ---------------------------------------------------------------- binary
  add(other: TensorOrScalar, opts?: { alpha?: number }): Tensor { return ew.binary("add", this, other, opts?.alpha); }
  sub(other: TensorOrScalar, opts?: { alpha?: number }): Tensor { return ew.binary("sub", this, other, opts?.alpha); }
  subtract(other: TensorOrScalar, opts?: { alpha?: number }): Tensor { return this.sub(other, opts); }
  mul(other: TensorOrScalar): Tensor { return ew.binary("mul", this, other); }
  multiply(other: TensorOrScalar): Tensor { return this.mul(other); }
  div(other: TensorOrScalar, opts?: { roundingMode?: "trunc" | "floor" | null }): Tensor {
    const m = opts?.roundingMode;
    if (m === "floor" || m === "trunc") return ew.divRounding(this, other, m);
    return ew.binary("div", this, other);
  }
  divide(other: TensorOrScalar, opts?: { roundingMode?: "trunc" | "floor" | null }): Tensor { return this.div(other, opts); }
  true_divide(other: TensorOrScalar): Tensor { return this.div(other); }
  floorDivide(other: TensorOrScalar): Tensor { return ew.binary("floorDivide", this, other); }
  pow(exponent: TensorOrScalar): Tensor {
    if (typeof exponent === "number") return ew.powScalar(this, exponent);
    return ew.binary("pow", this, exponent);
  }
  maximum(other: Tensor): Tensor {
    ew.requireTensor("maximum", "other", 1, other);
    return ew.binary("maximum", this, other);
  }
  minimum(other: Tensor): Tensor {
    ew.requireTensor("minimum", "other", 1, other);
    return ew.binary("minimum", this, other);
  }
  remainder(other: TensorOrScalar): Tensor { return ew.binary("remainder", this, other); }
  fmod(other: TensorOrScalar): Tensor { return ew.binary("fmod", this, other); }
  atan2(other: Tensor): Tensor {
    ew.requireTensor("atan2", "other", 1, other);
    return ew.binary("atan2", this, other);
  }
  eq(other: TensorOrScalar): Tensor { return ew.binary("eq", this, other); }
  ne(other: TensorOrScalar): Tensor { return ew.binary("ne", this, other); }
  lt(other: TensorOrScalar): Tensor { return ew.binary("lt", this, other); }
  le(other: TensorOrScalar): Tensor { return ew.binary("le", this, other); }
  gt(other: TensorOrScalar): Tensor { return ew.binary("gt", this, other); }
  ge(other: TensorOrScalar): Tensor { return ew.binary("ge", this, other); }
  logicalAnd(other: Tensor): Tensor { return ew.binary("logicalAnd", this, other); }
  logicalOr(other: Tensor): Tensor { return ew.binary("logicalOr", this, other); }
  logicalXor(other: Tensor): Tensor { return ew.binary("logicalXor", this, other); }
  /** Tensor.where(condition, y): self where condition, else y. */
  where(condition: Tensor, other: TensorOrScalar): Tensor { return ew.where(condition, this, other); }
  maskedFill(mask: Tensor, value: Scalar | Tensor): Tensor { return ew.maskedFill(this, mask, value); }
  lerp(end: Tensor, weight: number | Tensor): Tensor { return ew.lerp(this, end, weight); }
  addcmul(t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor { return ew.addcmul(this, t1, t2, opts?.value); }
  addcdiv(t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor { return ew.addcdiv(this, t1, t2, opts?.value); }
  equal(other: Tensor): boolean {
    if (!shapesEqual(this._shape, other._shape)) return false;
    return this.eq(other).all().item() as unknown as boolean;
  }
  /** torch.allclose: isclose(...).all(), as a JS boolean (one dtype, broadcast shapes). */
  allclose(other: Tensor, rtol = 1e-5, atol = 1e-8, equalNan = false): boolean { return mp.allclose(this, other, rtol, atol, equalNan); }
  /** torch.isclose: |self - other| <= atol + rtol * |other| elementwise. */
  isclose(other: Tensor, rtol = 1e-5, atol = 1e-8, equalNan = false): Tensor { return mp.isclose(this, other, rtol, atol, equalNan); }
  /** torch.nan_to_num: NaN, +inf and -inf replaced (by default 0 and the dtype's largest finite values). */
  nanToNum(nan = 0, posinf?: number | null, neginf?: number | null): Tensor { return mp.nanToNum(this, nan, posinf, neginf); }
  /** Tensor.nan_to_num_: nanToNum in place. */
  nanToNum_(nan = 0, posinf?: number | null, neginf?: number | null): this { return this._inplace((s) => mp.nanToNum(s, nan, posinf, neginf)); }

  // ---------------------------------------------------------------- reductions
  sum(dim?: number | readonly number[] | null | { dim?: number | number[]; keepdim?: boolean; dtype?: DType }, keepdim = false, opts?: { dtype?: DType }): Tensor {
    if (dim !== null && typeof dim === "object" && !Array.isArray(dim)) {
      const o = dim as { dim?: number | number[]; keepdim?: boolean; dtype?: DType };
      return red.sum(this, o.dim, o.keepdim ?? false, o.dtype);
    }
    return red.sum(this, dim as number | number[] | null | undefined, keepdim, opts?.dtype);
  }
  mean(dim?: number | readonly number[] | null | { dim?: number | number[]; keepdim?: boolean; dtype?: DType }, keepdim = false, opts?: { dtype?: DType }): Tensor {
    if (dim !== null && typeof dim === "object" && !Array.isArray(dim)) {
      const o = dim as { dim?: number | number[]; keepdim?: boolean; dtype?: DType };
      return red.mean(this, o.dim, o.keepdim ?? false, o.dtype);
    }
    return red.mean(this, dim as number | number[] | null | undefined, keepdim, opts?.dtype);
  }
  prod(dim?: number | null, keepdim = false, opts?: { dtype?: DType }): Tensor { return red.prod(this, dim, keepdim, opts?.dtype); }
  amax(dim: number | readonly number[] = [], keepdim = false): Tensor { return red.amax(this, dim, keepdim); }
  amin(dim: number | readonly number[] = [], keepdim = false): Tensor { return red.amin(this, dim, keepdim); }
  /** max() over all, max(dim, keepdim) with [values, indices], or max(other) = maximum. */
  max(): Tensor;
  max(other: Tensor): Tensor;
  max(dim: number, keepdim?: boolean): red.ValuesIndices;
  max(dim?: number | Tensor, keepdim = false): Tensor | red.ValuesIndices {
    if (dim instanceof Tensor) return this.maximum(dim);
    return red.maxMin("max", this, dim, keepdim);
  }
  min(): Tensor;
  min(other: Tensor): Tensor;
  min(dim: number, keepdim?: boolean): red.ValuesIndices;
  min(dim?: number | Tensor, keepdim = false): Tensor | red.ValuesIndices {
    if (dim instanceof Tensor) return this.minimum(dim);
    return red.maxMin("min", this, dim, keepdim);
  }
  argmax(dim?: number | null, keepdim = false): Tensor { return red.argmaxMin("argmax", this, dim, keepdim); }
  argmin(dim?: number | null, keepdim = false): Tensor { return red.argmaxMin("argmin", this, dim, keepdim); }
  var(dim?: number | readonly number[] | null, opts: red.VarOptions = {}): Tensor { return red.variance(this, dim, opts, false); }
  std(dim?: number | readonly number[] | null, opts: red.VarOptions = {}): Tensor { return red.variance(this, dim, opts, true); }
  logsumexp(dim: number | readonly number[], keepdim = false): Tensor { return red.logsumexp(this, dim, keepdim); }
  norm(p: number | "fro" = 2, dim?: number | readonly number[] | null, keepdim = false): Tensor { return red.norm(this, p, dim, keepdim); }
  all(dim?: number, keepdim = false): Tensor { return red.allAny("all", this, dim, keepdim); }
  any(dim?: number, keepdim = false): Tensor { return red.allAny("any", this, dim, keepdim); }
  cumsum(dim: number, opts?: { dtype?: DType }): Tensor { return red.cumulative("cumsum", this, dim, opts?.dtype); }
  cumprod(dim: number, opts?: { dtype?: DType }): Tensor { return red.cumulative("cumprod", this, dim, opts?.dtype); }

  // ---------------------------------------------------------------- sorting and selection (ops/sorting.ts)
  /** Tensor.sort(dim=-1, descending=False, *, stable=False): [values, indices] (also `{ dim, descending, stable }`). */
  sort(dim?: number | so.SortOptions, descending?: boolean, opts?: { stable?: boolean }): red.ValuesIndices { return so.sortArgs(this, dim, descending, opts); }
  /** Tensor.argsort(dim=-1, descending=False, *, stable=False): the indices of sort. */
  argsort(dim?: number | so.SortOptions, descending?: boolean, opts?: { stable?: boolean }): Tensor { return so.sortArgs(this, dim, descending, opts).indices; }
  /** Tensor.msort(): sorted along the first dim. */
  msort(): Tensor { return so.msort(this); }
  /** Tensor.topk(k, dim=-1, largest=True, sorted=True): [values, indices] (also `(k, { dim, largest, sorted })`). */
  topk(k: number, dim?: number | so.TopkOptions, largest?: boolean, sorted?: boolean): red.ValuesIndices { return so.topkArgs(this, k, dim, largest, sorted); }
  /** Tensor.kthvalue(k, dim=-1, keepdim=False): the k-th smallest along dim, [values, indices]. */
  kthvalue(k: number, dim = -1, keepdim = false): red.ValuesIndices { return so.kthvalue(this, k, dim, keepdim); }
  /** Tensor.median(): the lower median of all elements; median(dim, keepdim=False): [values, indices]. */
  median(): Tensor;
  median(dim: number, keepdim?: boolean): red.ValuesIndices;
  median(dim?: number, keepdim = false): Tensor | red.ValuesIndices { return so.median(this, dim, keepdim); }
  /** Tensor.nanmedian(): median ignoring NaNs; nanmedian(dim, keepdim=False): [values, indices]. */
  nanmedian(): Tensor;
  nanmedian(dim: number, keepdim?: boolean): red.ValuesIndices;
  nanmedian(dim?: number, keepdim = false): Tensor | red.ValuesIndices { return so.nanmedian(this, dim, keepdim); }
  /** Tensor.mode(dim=-1, keepdim=False): the most frequent value along dim, [values, indices]. */
  mode(dim = -1, keepdim = false): red.ValuesIndices { return so.mode(this, dim, keepdim); }
  /** Tensor.unique(sorted=True, return_inverse=False, return_counts=False, dim=None), options as `{ sorted, returnInverse, returnCounts, dim }`. */
  unique<const O extends so.UniqueOptions = {}>(opts?: O): so.UniqueReturn<O> { return so.unique(this, opts) as so.UniqueReturn<O>; }
  /** Tensor.unique_consecutive(return_inverse=False, return_counts=False, dim=None). */
  uniqueConsecutive<const O extends so.UniqueConsecutiveOptions = {}>(opts?: O): so.UniqueReturn<O> { return so.uniqueConsecutive(this, opts) as so.UniqueReturn<O>; }
  /** Tensor.cummax(dim): running maximum, [values, indices]. */
  cummax(dim: number): red.ValuesIndices { return so.cummax(this, dim); }
  /** Tensor.cummin(dim): running minimum, [values, indices]. */
  cummin(dim: number): red.ValuesIndices { return so.cummin(this, dim); }
  /** Tensor.logcumsumexp(dim): log of the cumulative sum of exp along dim. */
  logcumsumexp(dim: number): Tensor { return so.logcumsumexp(this, dim); }

  // ---------------------------------------------------------------- linear algebra
  matmul(other: Tensor): Tensor { return la.matmul(this, other); }
  mm(other: Tensor): Tensor { return la.mm(this, other); }
  bmm(other: Tensor): Tensor { return la.bmm(this, other); }
  mv(vec: Tensor): Tensor { return la.mv(this, vec); }
  /** torch.addmm: beta * self + alpha * (mat1 @ mat2). */
  addmm(mat1: Tensor, mat2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor { return la.addmm(this, mat1, mat2, opts); }
  /** torch.addmv: beta * self + alpha * (mat @ vec). */
  addmv(mat: Tensor, vec: Tensor, opts?: { beta?: number; alpha?: number }): Tensor { return sm.addmv(this, mat, vec, opts); }
  /** torch.baddbmm: beta * self + alpha * (batch1 @ batch2), batched. */
  baddbmm(batch1: Tensor, batch2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor { return sm.baddbmm(this, batch1, batch2, opts); }
  /** torch.addbmm: beta * self + alpha * the sum over the batch of batch1[b] @ batch2[b]. */
  addbmm(batch1: Tensor, batch2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor { return sm.addbmm(this, batch1, batch2, opts); }
  /** torch.cross: the cross product along dim (default: the first dim of size 3). */
  cross(other: Tensor, dim?: number | null): Tensor { return mp.cross(this, other, dim); }
  dot(other: Tensor): Tensor { return la.dot(this, other); }
  outer(other: Tensor): Tensor { return la.outer(this, other); }
  softmax(dim: number): Tensor { return la.softmax(this, dim); }
  logSoftmax(dim: number): Tensor { return la.logSoftmax(this, dim); }

  // ---------------------------------------------------------------- shape
  view(...shape: (number | Sizes)[]): Tensor {
    if (shape.length === 1 && shape[0] instanceof Object && "isFloatingPoint" in (shape[0] as object))
      throw new RuntimeError("view(dtype) is not supported");
    return vw.view(this, sizesOf(shape));
  }
  viewAs(other: Tensor): Tensor { return vw.view(this, other._shape); }
  reshape(...shape: (number | Sizes)[]): Tensor { return vw.reshape(this, sizesOf(shape)); }
  reshapeAs(other: Tensor): Tensor { return vw.reshape(this, other._shape); }
  flatten(startDim = 0, endDim = -1): Tensor { return vw.flatten(this, startDim, endDim); }
  transpose(dim0: number, dim1: number): Tensor { return vw.transpose(this, dim0, dim1); }
  swapaxes(dim0: number, dim1: number): Tensor { return vw.transpose(this, dim0, dim1); }
  t(): Tensor { return vw.t(this); }
  get T(): Tensor { return this.dim() <= 2 ? vw.t(this) : vw.permute(this, this._shape.map((_, i) => this.dim() - 1 - i)); }
  get mT(): Tensor { return vw.transpose(this, -2, -1); }
  permute(...dims: (number | Sizes)[]): Tensor { return vw.permute(this, sizesOf(dims)); }
  unsqueeze(dim: number): Tensor { return vw.unsqueeze(this, dim); }
  squeeze(dim?: number | readonly number[]): Tensor { return vw.squeeze(this, dim); }
  expand(...sizes: (number | Sizes)[]): Tensor { return vw.expand(this, sizesOf(sizes)); }
  expandAs(other: Tensor): Tensor { return vw.expand(this, other._shape); }
  narrow(dim: number, start: number, length: number): Tensor { return vw.narrow(this, dim, start, length); }
  /** torch.diagonal: a view of the diagonal over dim1 and dim2 (offset > 0: above the main one), appended as the last dim. */
  diagonal(offset = 0, dim1 = 0, dim2 = 1): Tensor { return vw.diagonal(this, offset, dim1, dim2); }
  select(dim: number, index: number): Tensor { return vw.select(this, dim, index); }
  unbind(dim = 0): Tensor[] { return vw.unbind(this, dim); }
  split(splitSize: number | readonly number[], dim = 0): Tensor[] { return vw.split(this, splitSize, dim); }
  chunk(chunks: number, dim = 0): Tensor[] { return vw.chunk(this, chunks, dim); }
  contiguous(): Tensor { return vw.contiguous(this); }
  clone(): Tensor { return vw.clone(this); }
  flip(...dims: (number | Sizes)[]): Tensor { return vw.flip(this, sizesOf(dims)); }
  /** torch.fliplr: flipped along dim 1. */
  fliplr(): Tensor { return mp.fliplr(this); }
  /** torch.flipud: flipped along dim 0. */
  flipud(): Tensor { return mp.flipud(this); }
  /** torch.roll: entries shifted along dims, wrapping around (no dims: as if flattened). */
  roll(shifts: number | Sizes, dims?: number | Sizes | null): Tensor { return mp.roll(this, shifts, dims); }
  /** torch.rot90: rotated by 90 degrees k times in the plane of dims. */
  rot90(k = 1, dims: Sizes = [0, 1]): Tensor { return mp.rot90(this, k, dims); }
  /** torch.tril: the lower triangle of the last two dims. */
  tril(diagonal = 0): Tensor { return mp.tril(this, diagonal); }
  /** torch.triu: the upper triangle of the last two dims. */
  triu(diagonal = 0): Tensor { return mp.triu(this, diagonal); }
  /** Tensor.tril_: tril in place. */
  tril_(diagonal = 0): this { return this._inplace((s) => mp.tril(s, diagonal)); }
  /** Tensor.triu_: triu in place. */
  triu_(diagonal = 0): this { return this._inplace((s) => mp.triu(s, diagonal)); }
  /** Tensor.repeat: tiled repeats[i] times along each dim: `x.repeat(2, 1)` or `x.repeat([2, 1])`. */
  repeat(...repeats: (number | Sizes)[]): Tensor { return mp.repeat(this, sizesOf(repeats)); }
  /** torch.tile: repeat, with leading 1s added to dims when it is shorter than the tensor's dims. */
  tile(...dims: (number | Sizes)[]): Tensor { return mp.tile(this, sizesOf(dims)); }
  /**
   * torch.repeat_interleave: each entry along dim repeated (an int or a tensor of counts; no dim:
   * flattened); with no repeats, this 1-d integer tensor is the counts and the indices are returned.
   */
  repeatInterleave(repeats?: number | Tensor | null, dim?: number | null, opts?: { outputSize?: number | null }): Tensor {
    return mp.repeatInterleave(this, repeats, dim, opts);
  }
  /** torch.diag: a vector to a diagonal matrix, or a matrix's diagonal as a vector. */
  diag(diagonal = 0): Tensor { return mp.diag(this, diagonal); }
  /** torch.diag_embed: the last dim placed on the diagonals over the new dims dim1 and dim2. */
  diagEmbed(offset = 0, dim1 = -2, dim2 = -1): Tensor { return mp.diagEmbed(this, offset, dim1, dim2); }
  /** torch.trace: the sum of a matrix's main diagonal. */
  trace(): Tensor { return mp.trace(this); }
  cat(other: Tensor, dim = 0): Tensor { return vw.cat([this, other], dim); }
  asStrided(size: Sizes, stride: Sizes, storageOffset?: number): Tensor { return vw.asStrided(this, size, stride, storageOffset); }
  /** Python's x[...]: integers, slices ("1:3" or {start, stop, step}), "...", null, index tensors. */
  index(...specs: ix.IndexSpec[]): Tensor { return ix.getIndex(this, specs); }
  /**
   * Python's `x[specs] = value`, in place, as PyTorch's setitem: the basic part of the index (ints,
   * slices, None) is applied as a view, written by copy_ (fill_ for a 0-dim value of another shape) or,
   * with index tensors, by index_put_ on that view; writing through a view records CopySlices on x.
   */
  indexPut_(specs: ix.IndexSpec | readonly ix.IndexSpec[], value: TensorOrScalar): this {
    // NOTE: an array is the tuple of indices, as README says (`x[1, 0] = v` -> `indexPut_([1, 0], v)`);
    // a list index is an array inside it (`x[[1, 0]] = v` -> `indexPut_([[1, 0]], v)`)
    const list = Array.isArray(specs) ? (specs as ix.IndexSpec[]) : [specs as ix.IndexSpec];
    // NOTE: a JS scalar becomes a 0-dim tensor of x's dtype, as PyTorch's setitem does with a Python one
    const v = value instanceof Tensor ? value : fromStorage(getBackend().fromValues(this._dtype, [+value]), [], this._dtype);
    const { view, adv } = ix.applyBasic(this, list);
    if (!adv.length) {
      // PyTorch's copy_to: the value without its leading 1s, expanded to the view (expand's errors), copied
      if (shapesEqual(view._shape, v._shape)) view.copy_(v);
      else if (v.dim() === 0) view.fill_(v);
      else {
        let lead = 0;
        while (lead < v.dim() && v._shape[lead] === 1) lead++;
        const src = lead ? v.view(v._shape.slice(lead)) : v;
        view.copy_(vw.expand(src, view._shape));
      }
      return this;
    }
    const put = ix.advancedSpecs(view, adv);
    // NOTE: PyTorch's index_put_ takes a single bool mask with a 0-dim value as masked_fill_, which casts the value
    const tensors = list.filter((sp): sp is Tensor => sp instanceof Tensor);
    const mask = tensors.length === 1 && tensors[0]!.dtype === bool && !list.some((sp) => Array.isArray(sp));
    const val = mask && v.dim() === 0 && v.dtype !== this._dtype ? v.to(this._dtype) : v;
    view._inplace((old) => ix.indexPut(old, put, val), [val]);
    return this;
  }
  /** index_put_(indices, values, accumulate) */
  indexPutAccumulate_(specs: readonly ix.IndexSpec[], value: Tensor, accumulate = false): this {
    return this._inplace((old) => ix.indexPut(old, specs, value, accumulate), [value]);
  }

  // ---------------------------------------------------------------- indexing ops
  gather(dim: number, index: Tensor): Tensor { return ix.gather(this, dim, index); }
  /** torch.take_along_dim: gather with input and indices broadcast but along dim (no dim: flattened). */
  takeAlongDim(indices: Tensor, dim?: number | null): Tensor { return ix.takeAlongDim(this, indices, dim); }
  scatter(dim: number, index: Tensor, src: TensorOrScalar): Tensor { return ix.scatter(this, dim, index, src); }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return ix.scatter(this, dim, index, src, "add"); }
  indexSelect(dim: number, index: Tensor): Tensor { return ix.indexSelect(this, dim, index); }
  indexAdd(dim: number, index: Tensor, source: Tensor, opts?: { alpha?: number }): Tensor { return ix.indexAdd(this, dim, index, source, opts?.alpha); }
  maskedSelect(mask: Tensor): Tensor {
    if (mask.dtype !== bool) throw new RuntimeError("masked_select: expected BoolTensor or ByteTensor for mask");
    // (PyTorch broadcasts both; a 0-dim input selects from a 1-element view)
    const shape = broadcastShapes(this._shape, mask._shape);
    const m = shape.length === 0 ? mask.reshape([1]) : mask.expand(shape);
    const y = noGrad(() => ix.getIndex(shape.length === 0 ? this.reshape([1]) : this.expand(shape), [m]));
    // MaskedSelectBackward0 (saves self and mask, as PyTorch): the gradient scattered into zeros of
    // the broadcast shape (the engine sums it back to self's shape)
    const full = shape.length === 0 ? [1] : shape;
    return record("MaskedSelectBackward0", [this], y, (g) => {
      const z = g.newZeros(full);
      return [z.indexPut_([m], g).reshape(shape)];
    }, [this, mask]);
  }
  nonzero(): Tensor {
    const { storage, count } = getBackend().nonzero(this._view());
    return fromStorage(storage, [count, this.dim()], int64);
  }
  new_zeros(shape: Sizes): Tensor {
    return fromStorage(getBackend().alloc(this._dtype, numelOf(shape)), shape, this._dtype);
  }
  newZeros(...shape: (number | Sizes)[]): Tensor { return this.new_zeros(sizesOf(shape)); }
  newOnes(...shape: (number | Sizes)[]): Tensor { return this.newFull(sizesOf(shape), 1); }
  newFull(shape: Sizes, value: number): Tensor {
    const t = this.new_zeros(shape);
    getBackend().fill(t._view(), value);
    return t;
  }

  // ---------------------------------------------------------------- in place
  /**
   * @internal runs an in-place op: checks PyTorch's leaf rule, computes the result out of place
   * (recording the graph on a snapshot of the old value), writes it into this storage, bumps the
   * version counter, and makes this tensor the op's output in the graph.
   * When nothing needs a gradient, `compute` gets this tensor as `into` too: an op that can write
   * its result straight into it (same dtype and shape, no operand overlapping it other than
   * exactly; see ops/elementwise.ts `destination`) does so and returns it, and no temporary is made.
   * `checkOverlap` false skips the memory-overlap checks (fill_, zero_); `operands` says how operands
   * that share this storage are checked: "partial" (an elementwise kernel's assert_no_partial_overlap),
   * "any" (scatter_/index_add_'s assert_no_overlap), "none" (masked_fill_ reads its value as a scalar).
   */
  _inplace(
    compute: (self: Tensor, into?: Tensor) => Tensor,
    others: readonly unknown[] = [],
    checkOverlap = true,
    operands: "partial" | "any" | "none" = "partial",
    precheck?: () => void,
  ): this {
    // PyTorch's check_inplace: only when autograd is involved (grad mode, and self or an operand requires grad)
    let needs = false;
    if (isGradEnabled()) {
      needs = this.requiresGrad;
      if (!needs) for (const o of others) if (o instanceof Tensor && o.requiresGrad) { needs = true; break; }
    }
    if (needs) {
      const base = this._base;
      if (base !== null) {
        if (this._creationMeta !== CreationMeta.DEFAULT) throw this._viewRebaseError(false);
        if (this.requiresGrad && base.isLeaf)
          throw new RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.");
      }
      if (this.requiresGrad && this.isLeaf)
        throw new RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.");
    }
    // then the op's own checks (before its TensorIterator's), then the kernel's memory-overlap checks
    precheck?.();
    if (checkOverlap) {
      // NOTE: PyTorch's assert_no_internal_overlap: only a stride-0 dim of size > 1 is known to overlap
      if (this._shape.some((s, i) => s > 1 && this._strides[i] === 0))
        throw new RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.");
      if (operands !== "none")
        for (const o of others) {
          if (!(o instanceof Tensor) || o._storage !== this._storage) continue;
          const st = overlapStatus(this, o);
          if (st === "partial" || (st === "full" && operands === "any"))
            throw new RuntimeError("unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.");
        }
    }
    if (!needs) {
      const r = noGrad(() => compute(this, this));
      if (r === this) this._version.value++;
      else this._writeResult(r);
      return this;
    }
    // the old value, with this tensor's place in the graph (a stale view's regenerated one)
    const old = noGrad(() => vw.clone(this));
    const fn = this.gradFn;
    if (fn) old._setGradFn(fn, this._outputNr);
    const r = compute(old);
    this._writeResult(r);
    // the result saved for backward (exp_, sigmoid_, ...) is now this tensor: track its version
    r._gradFn?.rebindSaved(r, this);
    if (this._base) this._rebaseView(r);
    else if (r._gradFn) this._setGradFn(r._gradFn, r._outputNr);
    return this;
  }
  /** @internal */
  private _writeResult(r: Tensor): void {
    // (PyTorch's TensorIterator checks the output's shape before the result type's cast)
    if (!shapesEqual(r._shape, this._shape)) {
      if (r.numel() !== this.numel() && !(r._shape.length <= this._shape.length))
        throw new RuntimeError(`output with shape [${this._shape.join(", ")}] doesn't match the broadcast shape [${r._shape.join(", ")}]`);
      try {
        r = r.expand(this._shape);
      } catch {
        throw new RuntimeError(`output with shape [${this._shape.join(", ")}] doesn't match the broadcast shape [${r._shape.join(", ")}]`);
      }
    }
    if (!canCast(r.dtype, this._dtype))
      throw new RuntimeError(`result type ${r.dtype.scalarName} can't be cast to the desired output type ${this._dtype.scalarName}`);
    getBackend().copy(r._view(), this._view());
    this._version.value++;
  }
  /**
   * @internal an in-place op on a view (PyTorch's rebase_history): the base's grad_fn becomes
   * CopySlices (the base's old gradient outside the view, the op's gradient inside it), and this
   * view's grad_fn AsStridedBackward0 over it. Other views of the base regenerate theirs when next
   * read, the shared version counter having moved. (Also autograd/custom_function.ts, for an input
   * a custom Function marks dirty.)
   */
  _rebaseView(r: Tensor): void {
    const base = this._base!;
    const region = viewRegion(base, this);
    // NOTE: PyTorch's CopySlices copies the op's gradient over the region of a clone of the base's
    // gradient; maskedFill overwrites likewise (a NaN outside the view's gradient does not leak in)
    // and stays differentiable for double backward
    const shape = base._shape.slice();
    const inside = (): Tensor => noGrad(() => {
      const m = fromStorage(getBackend().alloc(bool, numelOf(shape)), shape, bool);
      getBackend().fill(region(m)._view(), 1);
      return m;
    });
    // (PyTorch's CopySlices copies the op's gradient into the view's region of the base's gradient:
    // a region whose elements overlap, as an expanded view's, fails that copy's overlap check)
    const overlapping = this._shape.some((n, i) => n > 1 && this._strides[i] === 0);
    record("CopySlices", [base, r], base, (g) => {
      if (overlapping)
        throw new RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.");
      return [g.maskedFill(inside(), 0), vw.contiguous(region(g))];
    });
    this._regenerateViewGradFn(false);
  }

  // NOTE: each in-place op calls the same ew function as its out-of-place twin, passing `into` on.
  add_(other: TensorOrScalar, opts?: { alpha?: number }): this { return this._inplace((s, into) => ew.binary("add", s, other, opts?.alpha, into), [other]); }
  sub_(other: TensorOrScalar, opts?: { alpha?: number }): this {
    return this._inplace((s, into) => ew.binary("sub", s, other, opts?.alpha, into), [other], true, "partial", () => ew.checkSub(this, other));
  }
  mul_(other: TensorOrScalar): this { return this._inplace((s, into) => ew.binary("mul", s, other, undefined, into), [other]); }
  div_(other: TensorOrScalar, opts?: { roundingMode?: "trunc" | "floor" | null }): this {
    const m = opts?.roundingMode;
    return this._inplace((s, into) => (m === "floor" || m === "trunc" ? ew.divRounding(s, other, m) : ew.binary("div", s, other, undefined, into)), [other]);
  }
  pow_(e: TensorOrScalar): this { return this._inplace((s, into) => (typeof e === "number" ? ew.powScalar(s, e, into) : ew.binary("pow", s, e, undefined, into)), [e]); }
  neg_(): this { return this._unary_("neg"); }
  abs_(): this { return this._unary_("abs"); }
  exp_(): this { return this._unary_("exp"); }
  log_(): this { return this._unary_("log"); }
  sqrt_(): this { return this._unary_("sqrt"); }
  relu_(): this { return this._unary_("relu"); }
  sigmoid_(): this { return this._unary_("sigmoid"); }
  tanh_(): this { return this._unary_("tanh"); }
  floor_(): this { return this._unary_("floor"); }
  round_(): this { return this._unary_("round"); }
  /** @internal */
  private _unary_(name: UnaryName): this { return this._inplace((s, into) => ew.unary(name, s, into)); }
  clamp_(min?: number | Tensor | null | ew.ClampOptions, max?: number | Tensor | null): this {
    if (min !== null && typeof min === "object" && !(min instanceof Tensor)) [min, max] = [min.min, min.max];
    const lo = min as number | Tensor | null | undefined;
    // (PyTorch's clamp with scalar bounds checks the result type before its TensorIterator's
    // overlap checks; C++'s type names, "long int", "bool")
    const precheck = (): void => {
      if (lo instanceof Tensor || max instanceof Tensor || this._dtype.isFloatingPoint) return;
      const rt = resultTypeOf(this, ...[lo, max].filter((v): v is number => typeof v === "number"));
      if (rt !== this._dtype) throw new RuntimeError(`result type ${rt.scalarName} can't be cast to the desired output type ${this._dtype.cppName}`);
    };
    try {
      return this._inplace((s, into) => ew.clamp(s, lo, max, into), [lo, max], true, "partial", precheck);
    } catch (e) {
      // NOTE: PyTorch's clamp_ names the output type as C++ does ("long int", "bool")
      const tail = `can't be cast to the desired output type ${this._dtype.scalarName}`;
      if (e instanceof RuntimeError && e.message.endsWith(tail))
        throw new RuntimeError(e.message.slice(0, -this._dtype.scalarName.length) + this._dtype.cppName);
      throw e;
    }
  }
  maskedFill_(mask: Tensor, value: Scalar | Tensor): this { return this._inplace((s, into) => ew.maskedFill(s, mask, value, into), [value], true, "none"); }
  addcmul_(t1: Tensor, t2: Tensor, opts?: { value?: number }): this { return this._inplace((s, into) => ew.addcmul(s, t1, t2, opts?.value, into), [t1, t2]); }
  addcdiv_(t1: Tensor, t2: Tensor, opts?: { value?: number }): this { return this._inplace((s, into) => ew.addcdiv(s, t1, t2, opts?.value, into), [t1, t2]); }
  lerp_(end: Tensor, weight: number | Tensor): this { return this._inplace((s, into) => ew.lerp(s, end, weight, into), [end, weight]); }
  scatter_(dim: number, index: Tensor, src: TensorOrScalar): this { return this._inplace((s) => s.scatter(dim, index, src), [src], true, "any"); }
  scatterAdd_(dim: number, index: Tensor, src: Tensor): this { return this._inplace((s) => s.scatterAdd(dim, index, src), [src], true, "any"); }
  indexAdd_(dim: number, index: Tensor, source: Tensor, opts?: { alpha?: number }): this { return this._inplace((s) => s.indexAdd(dim, index, source, opts), [source], true, "any"); }
  /** Copies src (broadcast to this shape, cast to this dtype) into this tensor. */
  copy_(src: TensorOrScalar): this {
    return this._inplace((s, into) => {
      const v = src instanceof Tensor ? src : fromStorage(getBackend().fromValues(this._dtype, [src as number]), [], this._dtype);
      // PyTorch's copy_ broadcasts src to self's shape as TensorIterator does, with its errors
      const b = broadcastShapes(s._shape, v._shape);
      if (!shapesEqual(b, s._shape))
        throw new RuntimeError(`output with shape [${s._shape.join(", ")}] doesn't match the broadcast shape [${b.join(", ")}]`);
      const e = vw.expand(v, s._shape);
      // written straight into self unless src overlaps it other than exactly
      if (into && (v._storage !== into._storage || ew.sameElements(v, into))) {
        getBackend().copy(e._view(), into._view());
        return into;
      }
      const y = fromStorage(getBackend().alloc(this._dtype, s.numel()), s._shape, this._dtype);
      getBackend().copy(e._view(), y._view());
      // (zeros, not g * 0: an infinite or NaN gradient gives zeros in PyTorch)
      return record("CopyBackwards", [s, src instanceof Tensor ? src : null], y, (g) => [g.new_zeros(g.shape), g]);
    }, [src], src !== this); // (PyTorch's copy_ of a tensor onto itself returns before its overlap checks)
  }
  fill_(value: number | boolean | Tensor): this {
    if (value instanceof Tensor) return this._inplace((s, into) => {
      if (into && value._storage !== into._storage) {
        getBackend().copy(vw.expand(value.detach(), s._shape)._view(), into._view());
        return into;
      }
      const y = fromStorage(getBackend().alloc(this._dtype, s.numel()), s._shape, this._dtype);
      getBackend().copy(vw.expand(value.detach(), s._shape)._view(), y._view());
      return record("FillBackward3", [s, value], y, (g) => [g.new_zeros(g.shape), g.sum()]);
    }, [value], false);
    return this._inplace((s, into) => {
      if (into) {
        getBackend().fill(into._view(), +value);
        return into;
      }
      const y = fromStorage(getBackend().alloc(this._dtype, s.numel()), s._shape, this._dtype);
      getBackend().fill(y._view(), +value);
      return record("FillBackward2", [s], y, (g) => [g.new_zeros(g.shape)]);
    }, [], false);
  }
  zero_(): this {
    return this._inplace((s, into) => {
      if (into) {
        getBackend().fill(into._view(), 0);
        return into;
      }
      const y = fromStorage(getBackend().alloc(this._dtype, s.numel()), s._shape, this._dtype);
      return record("ZeroBackward0", [s], y, (g) => [g.new_zeros(g.shape)]);
    }, [], false);
  }
  /** Fills with samples of N(mean, std) from the generator (PyTorch's stream under manualSeed). */
  normal_(mean = 0, std = 1, opts?: { generator?: rnd.Generator }): this {
    return this._fillRandom(() => rnd.normal(opts?.generator ?? rnd.defaultGenerator, this.numel(), this._floatName(), mean, std));
  }
  /** Fills with samples of U(from, to). */
  uniform_(from = 0, to = 1, opts?: { generator?: rnd.Generator }): this {
    return this._fillRandom(() => rnd.uniform(opts?.generator ?? rnd.defaultGenerator, this.numel(), this._floatName(), from, to));
  }
  /** Fills with Bernoulli(p) samples (0 or 1). */
  bernoulli_(p = 0.5, opts?: { generator?: rnd.Generator }): this {
    return this._fillRandom(() => rnd.bernoulli(opts?.generator ?? rnd.defaultGenerator, this.numel(), p, this._floatName()));
  }
  /** Fills with samples of Exp(lambd): `-log(1 - u) / lambd` per element (PyTorch's stream under manualSeed). */
  exponential_(lambd = 1, opts?: { generator?: rnd.Generator }): this {
    return this._fillRandom(() => {
      if (!(lambd >= 0)) throw new RuntimeError(`exponential_ expects lambda >= 0.0, but found lambda=${rnd.cppDouble(lambd)}`);
      if (!this._dtype.isFloatingPoint) throw new RuntimeError(`"exponential_cpu" not implemented for '${this._dtype.scalarName}'`);
      return rnd.exponential(opts?.generator ?? rnd.defaultGenerator, this.numel(), this._floatName(), lambd);
    });
  }
  /**
   * `numSamples` indices drawn from the categories weighted by this 1-D tensor (or by each row of
   * this 2-D one), with or without replacement: an int64 tensor of shape [numSamples] or
   * [rows, numSamples], PyTorch's indices under the same seed.
   * @example
   * torch.manualSeed(0);
   * torch.tensor([1, 2, 3, 4]).multinomial(2); // tensor([2, 1]), as PyTorch after manual_seed(0)
   */
  multinomial(numSamples: number, replacement: boolean | { replacement?: boolean; generator?: rnd.Generator } = false, opts: { generator?: rnd.Generator } = {}): Tensor {
    if (typeof replacement === "object") [opts, replacement] = [replacement, replacement.replacement ?? false];
    const d = this.dim();
    if (d < 1 || d > 2) throw new RuntimeError("prob_dist must be 1 or 2 dim");
    if (!this._dtype.isFloatingPoint) throw new RuntimeError(`multinomial only supports floating-point dtypes for input, got: ${this._dtype.scalarName}`);
    const rows = d === 2 ? this._shape[0]! : 1, cats = this._shape[d - 1]!;
    // NOTE: a transposed matrix gets a transposed `empty_like` in PyTorch, whose random fill then runs column by column.
    const columnMajor = d === 2 && rows > 1 && cats > 1 && this._strides[0] === 1 && this._strides[1] === rows;
    const v = rnd.multinomial(opts.generator ?? rnd.defaultGenerator, this._values(), rows, cats, numSamples, { replacement, dtype: this._floatName(), columnMajor });
    return fromStorage(getBackend().fromValues(int64, v), d === 2 ? [rows, numSamples] : [numSamples], int64);
  }
  /** @internal */
  private _floatName(): "float32" | "float64" {
    if (this._dtype === float64) return "float64";
    if (this._dtype === float32) return "float32";
    throw new RuntimeError(`"normal_kernel_cpu" not implemented for '${this._dtype.scalarName}'`);
  }
  /** @internal */
  private _fillRandom(gen: () => ArrayLike<number>): this {
    if (isGradEnabled() && this.isLeaf && this.requiresGrad)
      throw new RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.");
    const vals = gen();
    const src = fromStorage(getBackend().fromValues(this._dtype, vals), this._shape, this._dtype);
    getBackend().copy(src._view(), this._view());
    this._version.value++;
    return this;
  }
}

/**
 * PyTorch's get_overlap_status for two tensors on one storage: "full" when they are the same
 * elements in the same layout, "partial" when their memory ranges meet otherwise, "none" when they
 * do not, and "too_hard" (no check) unless both are non-overlapping and dense.
 */
function overlapStatus(a: Tensor, b: Tensor): "full" | "partial" | "none" | "too_hard" {
  if (a === b) return "full";
  const na = a.numel(), nb = b.numel();
  if (na === 0 || nb === 0) return "none";
  if (!nonOverlappingAndDense(a) || !nonOverlappingAndDense(b)) return "too_hard";
  const a0 = a._offset * a._dtype.itemsize, a1 = a0 + na * a._dtype.itemsize;
  const b0 = b._offset * b._dtype.itemsize, b1 = b0 + nb * b._dtype.itemsize;
  if (a0 === b0 && a1 === b1) return a._strides.length === b._strides.length && a._strides.every((s, i) => s === b._strides[i]) ? "full" : "partial";
  return a0 < b1 && b0 < a1 ? "partial" : "none";
}

/** Whether t's elements fill a block of memory exactly, in some order of its dims (PyTorch's is_non_overlapping_and_dense). */
function nonOverlappingAndDense(t: Tensor): boolean {
  const dims = t._shape.map((n, i) => [n, t._strides[i]!] as const).filter(([n]) => n !== 1).sort((x, y) => x[1] - y[1]);
  let expected = 1;
  for (const [n, s] of dims) {
    if (s !== expected) return false;
    expected *= n;
  }
  return true;
}

/** How a view was made (PyTorch's CreationMeta; INFERENCE_MODE has no use here; IN_CUSTOM_FUNCTION: autograd/custom_function.ts). */
export const CreationMeta = { DEFAULT: 0, NO_GRAD_MODE: 1, MULTI_OUTPUT_NODE: 2, IN_CUSTOM_FUNCTION: 3 } as const;
export type CreationMeta = (typeof CreationMeta)[keyof typeof CreationMeta];

/**
 * The view `v` of `base` as a function of any tensor of base's shape: its geometry re-expressed inside
 * a contiguous tensor of that shape, taken with as_strided (so differentiable, for double backward).
 */
function viewRegion(base: Tensor, v: Tensor): (z: Tensor) => Tensor {
  const shape = v._shape.slice();
  const rel = relativeGeometry(base, shape, v._strides, v._offset);
  return (z) => {
    const c = vw.contiguous(z);
    return vw.asStrided(c, shape, rel.strides, c._offset + rel.offset);
  };
}

/** The strides/offset of a view of `base`, re-expressed inside a contiguous tensor of base's shape. */
function relativeGeometry(base: Tensor, shape: number[], strides: number[], offset: number): { strides: number[]; offset: number } {
  const bc = contiguousStrides(base._shape);
  // map a storage offset relative to base into logical coordinates of base, then to contiguous offsets
  const toContig = (off: number): number => {
    let rem = off - base._offset;
    let out = 0;
    const order = base._strides.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
    for (const [s, i] of order) {
      if (s === 0) continue;
      const q = Math.floor(rem / s);
      rem -= q * s;
      out += q * bc[i]!;
    }
    return out;
  };
  const o = toContig(offset);
  return { offset: o, strides: strides.map((s, i) => (shape[i] === 1 ? 0 : toContig(offset + s) - o)) };
}

export { dtypes };
