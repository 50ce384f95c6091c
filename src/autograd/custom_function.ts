// torch.autograd.Function: user-defined ops with their own forward and backward, as PyTorch users
// subclass it (static forward/backward, `Cls.apply(...)`), with PyTorch's checks and error words
// (torch/autograd/function.py, torch/csrc/autograd/python_function.cpp and custom_function.cpp).
import { NotImplementedError, RuntimeError, TorchTypeError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { CreationMeta } from "../tensor/tensor.js";
import { zeros } from "../ops/creation.js";
import { isGradEnabled, noGrad, withGradEnabled } from "./grad_mode.js";
import { BACKWARD_TWICE, Node, SavedTensor, type InputMeta } from "./graph.js";
import { attachNode, edgeOf } from "./function.js";
import { poisonPass } from "../backend/buffer_pool.js";

/** Python's type name of a JS value, for PyTorch's "... is of type int" messages. */
function typeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return "tuple";
  if (typeof v === "function") return "function";
  return (v as object).constructor?.name ?? "object";
}

/**
 * The `ctx` a custom Function's forward and backward receive (PyTorch's FunctionCtx): it saves
 * tensors for backward, marks dirty and non-differentiable outputs, and carries any other value
 * forward stores on it (`ctx.k = k`, as in Python).
 */
export class FunctionCtx {
  // NOTE: as a Python ctx, any attribute may be set in forward and read in backward; `any` keeps
  // `g.mul(ctx.k)` as short as Python's (the methods below keep their own types)
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [attribute: string]: any;

  /** Per argument of forward: whether it is a tensor that requires grad (PyTorch's needs_input_grad). */
  readonly needsInputGrad: readonly boolean[];
  /** @internal */ _toSave: readonly unknown[] | null = null;
  /** @internal */ _dirty: readonly unknown[] = [];
  /** @internal */ _nonDifferentiable: readonly unknown[] = [];
  /** @internal */ _materializeGrads = true;
  /** @internal the saved tensors with their versions (set when forward returns, if a node was made) */
  _saved: (SavedTensor | null)[] | null = null;
  /** @internal */ _node: Node | null = null;
  /** @internal set when the node's buffers are freed (backward without retainGraph) */
  _freed = false;

  /** @internal made by Function.apply */
  constructor(needsInputGrad: readonly boolean[]) {
    this.needsInputGrad = needsInputGrad;
  }

  /**
   * ctx.save_for_backward(*tensors): saves tensors (or null) for backward, where `savedTensors`
   * returns them after checking that none was modified in place since.
   */
  saveForBackward(...tensors: (Tensor | null | undefined)[]): void {
    this._toSave = tensors;
  }

  /**
   * ctx.saved_tensors: the tensors given to saveForBackward, version-checked.
   * NOTE: typed `Tensor[]` so that `const [y] = ctx.savedTensors; g.mul(y)` reads as Python's; an
   * entry saved as null comes back as null, as in PyTorch.
   */
  get savedTensors(): Tensor[] {
    if (this._freed) throw new RuntimeError(BACKWARD_TWICE);
    if (!this._saved) return [];
    const node = this._node!;
    return this._saved.map((s) => (s ? s.unpack(node) : null)) as Tensor[];
  }

  /** ctx.mark_dirty(*tensors): marks inputs that forward modified in place. */
  markDirty(...tensors: Tensor[]): void {
    this._dirty = tensors;
  }

  /** ctx.mark_non_differentiable(*tensors): outputs that get no gradient (indices, masks). */
  markNonDifferentiable(...tensors: Tensor[]): void {
    this._nonDifferentiable = tensors;
  }

  /**
   * ctx.set_materialize_grads(value): with false, backward receives null for outputs whose gradient
   * is undefined instead of a tensor of zeros.
   */
  setMaterializeGrads(value: boolean): void {
    this._materializeGrads = value;
  }
}

/** The node of a custom Function: `<ClassName>Backward`, whose release also frees ctx's saved tensors. */
class CustomFunctionNode extends Node {
  constructor(
    name: string,
    edges: [Node | null, number][],
    meta: (InputMeta | null)[],
    numOutputs: number,
    backward: (grads: (Tensor | null)[], node: Node) => (Tensor | null)[],
    private readonly ctx: FunctionCtx,
  ) {
    super(name, edges, meta, numOutputs, backward, []);
  }
  override release(): void {
    this.ctx._freed = true;
    this.ctx._saved = null;
    super.release();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyArgs = any[];
type ForwardArgs<C> = C extends { forward(ctx: FunctionCtx, ...args: infer A): unknown } ? A : never;
type ForwardResult<C> = C extends { forward(ctx: FunctionCtx, ...args: AnyArgs): infer R } ? R : never;

/** PyTorch's is_expandable_to(shape, desired): a gradient of shape `desired` sums back to `shape`. */
function isExpandableTo(shape: readonly number[], desired: readonly number[]): boolean {
  if (shape.length > desired.length) return false;
  for (let i = 1; i <= shape.length; i++) {
    const s = shape[shape.length - i]!, d = desired[desired.length - i]!;
    if (s !== d && s !== 1) return false;
  }
  return true;
}

const shapeStr = (s: readonly number[]): string => `[${s.join(", ")}]`;

/**
 * torch.autograd.Function: subclass it with static `forward(ctx, ...args)` and
 * `backward(ctx, ...grads)`, then call `Cls.apply(...args)`. forward runs with grad mode off;
 * backward gets one gradient per output and returns one per forward argument (null for arguments
 * that are not tensors or need no gradient). The node is named `<ClassName>Backward`.
 * @example
 * const x = torch.randn(3, { requiresGrad: true });
 * class Exp extends torch.autograd.Function {
 *   static override forward(ctx: FunctionCtx, x: Tensor) { const y = x.exp(); ctx.saveForBackward(y); return y; }
 *   static override backward(ctx: FunctionCtx, g: Tensor) { const [y] = ctx.savedTensors; return g.mul(y); }
 * }
 * const y = Exp.apply(x); // y.gradFn.name() === "ExpBackward"
 */
export class Function {
  /** The computation; runs under noGrad. Return a tensor, or an array of outputs. */
  static forward(_ctx: FunctionCtx, ..._args: AnyArgs): unknown {
    throw new NotImplementedError("You must implement the forward function for custom autograd.Function.");
  }

  /** The gradients of forward's arguments given those of its outputs (one per output). */
  static backward(_ctx: FunctionCtx, ..._grads: AnyArgs): unknown {
    throw new NotImplementedError("You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.");
  }

  /** Function.apply(*args): runs forward and records the `<ClassName>Backward` node. */
  static apply<C extends typeof Function>(this: C, ...args: ForwardArgs<C>): ForwardResult<C> {
    return applyFunction(this, args as unknown[]) as ForwardResult<C>;
  }
}

/** PyTorch's THPFunction_apply: forward without grad, then the outputs wrapped into the graph. */
function applyFunction(cls: typeof Function, args: unknown[]): unknown {
  const isTensorArg = args.map((a) => a instanceof Tensor);
  const tensorInputs = args.filter((a): a is Tensor => a instanceof Tensor);
  const needsInputGrad = args.map((a) => a instanceof Tensor && a.requiresGrad);
  const executable = isGradEnabled() && tensorInputs.some((t) => t.requiresGrad);
  const ctx = new FunctionCtx(needsInputGrad);

  const raw = withGradEnabled(false, () => cls.forward(ctx, ...args));
  const isTuple = Array.isArray(raw);
  const outputs: unknown[] = isTuple ? [...(raw as unknown[])] : [raw];

  // ctx.mark_dirty / mark_non_differentiable take tensors only
  ctx._dirty.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new RuntimeError(`mark_dirty can only accept variables, but argument ${i} is of type ${typeName(t)}`);
  });
  for (const t of ctx._nonDifferentiable)
    if (!(t instanceof Tensor)) throw new RuntimeError(`mark_non_differentiable only accepts variable arguments, but got ${typeName(t)}`);
  const dirty = new Set(ctx._dirty as Tensor[]);
  const nonDifferentiable = new Set(ctx._nonDifferentiable as Tensor[]);
  // NOTE: as PyTorch, each dirty tensor's version is bumped once more when forward returns (whether or
  // not forward actually wrote into it), so tensors saved earlier see the change
  for (const t of dirty) t._version.value++;

  const name = `${cls.name}Backward`;
  const outMeta: ({ shape: number[]; dtype: Tensor["dtype"] } | null)[] = outputs.map(() => null);
  let node: CustomFunctionNode | null = null;
  if (executable) {
    const meta = tensorInputs.map((t) => (t.requiresGrad ? { shape: t.shape, dtype: t.dtype } : null));
    node = new CustomFunctionNode(name, tensorInputs.map(edgeOf), meta, outputs.length, (grads) => runBackward(cls, ctx, name, grads, outMeta, isTensorArg, meta), ctx);
    ctx._node = node;
  }

  // PyTorch's _wrap_outputs: each tensor output gets its place in the graph
  let numDiffOutputs = 0;
  for (let i = 0; i < outputs.length; i++) {
    const out = outputs[i];
    if (!(out instanceof Tensor)) continue;
    let o: Tensor = out;
    const isInput = tensorInputs.includes(o);
    const isModified = dirty.has(o);
    const isDifferentiable = node !== null && !nonDifferentiable.has(o) && o.dtype.isFloatingPoint;
    if (node) outMeta[i] = { shape: o.shape, dtype: o.dtype };
    if (!isDifferentiable) {
      if (!o.requiresGrad) {
        // an input returned as it is comes back as a view of it (hooks on it do not reach the input)
        if (isInput && !isModified) {
          const t = o;
          o = noGrad(() => t.viewAs(t));
        }
      } else if (isInput) o = o.detach();
      else if (!o._isView) o.detach_();
    } else if (isModified) {
      if (o.isLeaf && o.requiresGrad) throw new RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.");
      if (!isInput)
        console.warn("UserWarning: Only input Tensors should be given to ctx.mark_dirty(). If a Tensor is not an input, there is no need to pass it to mark_dirty().");
      if (o._isView && outputs.length > 1)
        throw new RuntimeError(
          "If your Function modifies inplace an input that is a view of another Tensor, your Function cannot return more than one Tensor. This is not supported by the current autograd engine. You should either make sure the input is not a view (using .clone() for example) or make your Function only return one Tensor (potentially splitting it into two Functions: one doing the inplace that returns a single Tensor and a second one that does the other operations). You can ask on the forum https://discuss.pytorch.org/ if you need help to do this change.",
        );
      // PyTorch's rebase_history: a view's base gets CopySlices over this node
      if (o._isView) {
        const r = o.detach();
        r._setGradFn(node!, i);
        o._rebaseView(r);
      } else o._setGradFn(node!, i);
    } else {
      if (isInput) {
        const t = o;
        o = noGrad(() => t.viewAs(t));
      }
      o._setGradFn(node!, i);
      o._viewVersion = o._version.value;
    }
    // a view returned by a custom Function may not be modified in place (its backward is the Function's)
    if (!(isInput && isModified) && o._isView) o._creationMeta = CreationMeta.IN_CUSTOM_FUNCTION;
    if (isDifferentiable) numDiffOutputs++;
    outputs[i] = o;
  }
  if (numDiffOutputs > 1)
    for (const o of outputs) if (o instanceof Tensor && o._isView && o._gradFn !== null) o._creationMeta = CreationMeta.MULTI_OUTPUT_NODE;

  // saved tensors remember their versions now, after forward's in-place changes
  if (node)
    ctx._saved = (ctx._toSave ?? []).map((t, i) => {
      if (t === null || t === undefined) return null;
      if (!(t instanceof Tensor)) throw new TorchTypeError(`save_for_backward can only save variables, but argument ${i} is of type ${typeName(t)}`);
      return new SavedTensor(t, t._gradFn === node);
    });
  return isTuple ? outputs : outputs[0];
}

/** PyTorch's PyNode::apply and the engine's validate_outputs for a custom Function's node. */
function runBackward(
  cls: typeof Function,
  ctx: FunctionCtx,
  name: string,
  grads: (Tensor | null)[],
  outMeta: ({ shape: number[]; dtype: Tensor["dtype"] } | null)[],
  isTensorArg: boolean[],
  inputMeta: (InputMeta | null)[],
): (Tensor | null)[] {
  poisonPass(); // user code: it may keep this backward pass's tensors (backend/buffer_pool.ts)
  const gs = grads.map((g, i) => {
    if (g || !ctx._materializeGrads) return g;
    const m = outMeta[i];
    return m ? zeros(m.shape, { dtype: m.dtype }) : null;
  });
  const r = cls.backward(ctx, ...gs);
  let res: unknown[] = Array.isArray(r) ? [...(r as unknown[])] : [r];
  const n = isTensorArg.length;
  // returning too many results is fine as long as the extra ones are all null
  if (res.length > n && res.slice(n).every((g) => g === null || g === undefined)) res = res.slice(0, n);
  if (res.length !== n) throw new RuntimeError(`function ${name} returned an incorrect number of gradients (expected ${n}, got ${res.length})`);
  const out: (Tensor | null)[] = [];
  for (let i = 0; i < n; i++) {
    const g = res[i];
    if (!isTensorArg[i]) {
      if (g !== null && g !== undefined)
        throw new RuntimeError(`function ${name} returned a gradient different than None at position ${i + 1}, but the corresponding forward input was not a Variable`);
      continue;
    }
    if (g === null || g === undefined) out.push(null);
    else if (!(g instanceof Tensor)) throw new RuntimeError(`expected Variable or None (got ${typeName(g)})`);
    else out.push(g);
  }
  // the engine's validate_outputs: a gradient must sum back to its input's shape
  out.forEach((g, i) => {
    const m = inputMeta[i];
    if (!g || !m) return;
    if (!isExpandableTo(m.shape, g.shape))
      throw new RuntimeError(`Function ${name} returned an invalid gradient at index ${i} - got ${shapeStr(g.shape)} but expected shape compatible with ${shapeStr(m.shape)}`);
  });
  return out;
}

type BackwardFn = (ctx: FunctionCtx, ...grads: AnyArgs) => unknown;

/**
 * torch.autograd.function.once_differentiable: wraps a backward so that it runs under noGrad and its
 * results, when a double backward could reach them, get a node that raises PyTorch's error. Use it
 * as a decorator (`@onceDifferentiable static override backward(...)`) or as a wrapper
 * (`static override backward = onceDifferentiable((ctx, g) => ...)`).
 */
export function onceDifferentiable<F extends BackwardFn>(fn: F, _context?: unknown): F {
  const wrapper = function (this: unknown, ctx: FunctionCtx, ...args: unknown[]): unknown {
    const outputs = noGrad(() => fn.call(this, ctx, ...args));
    if (!isGradEnabled()) return outputs;
    // NOTE: as PyTorch, only an approximation: outputs may need grad through ctx's saved tensors even
    // when no gradient argument requires grad
    if (!args.some((a) => a instanceof Tensor && a.requiresGrad)) return outputs;
    const outs: unknown[] = Array.isArray(outputs) ? outputs : [outputs];
    // PyTorch's DelayedError: aliases of the results, through a node whose backward raises
    const leaves = outs.map((v) => (v instanceof Tensor ? v.detach().requiresGrad_(true) : null));
    const aliases = leaves.map((l) => (l ? l.detach() : null));
    const tensors = aliases.filter((a): a is Tensor => a !== null);
    attachNode("Error", leaves, tensors, () => {
      throw new RuntimeError("trying to differentiate twice a function that was marked with @once_differentiable");
    });
    return aliases;
  };
  return wrapper as unknown as F;
}
