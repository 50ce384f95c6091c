// torch.autograd.functional: jacobian, hessian, vjp, jvp, vhp and hvp of a function of tensors,
// ported from torch/autograd/functional.py (1.13) with its argument checks, strict-mode errors and
// result nesting: an array of tensors plays the part of Python's tuple.
import { NotImplementedError, RuntimeError, TorchTypeError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { zerosLike } from "../ops/creation.js";
import { stack } from "../ops/views.js";
import { enableGrad, isGradEnabled, withGradEnabled } from "./grad_mode.js";
import { grad } from "./index.js";

/** One tensor, or an array of tensors (Python's tuple of tensors). */
export type Tensors = Tensor | readonly Tensor[];
/** A function of tensors, as the functions of torch.autograd.functional take. */
export type TensorFunction<R> = (...inputs: Tensor[]) => R;
/** `Tensor` for a single tensor, `Tensor[]` for an array: how results mirror an argument. */
export type Like<T> = T extends Tensor ? Tensor : Tensor[];
/** How jacobian nests its result: by output (outer) and input (inner), each unpacked when single. */
export type Nested<O, I> = O extends Tensor ? Like<I> : I extends Tensor ? Tensor[] : Tensor[][];

export interface FunctionalOptions {
  /** Make the result differentiable (default false). */
  createGraph?: boolean;
  /** Throw when an output is independent of an input instead of returning zeros (default false). */
  strict?: boolean;
}
export interface JacobianOptions extends FunctionalOptions {
  /**
   * PyTorch computes all rows in one batched autograd.grad call (vmap). NOTE: there is no vmap here:
   * the rows are computed one by one, with the same results; the option keeps PyTorch's checks.
   */
  vectorize?: boolean;
  /** "reverse-mode" (default) or "forward-mode" (which PyTorch allows only with vectorize). */
  strategy?: "forward-mode" | "reverse-mode";
}
export interface HessianOptions extends FunctionalOptions {
  vectorize?: boolean;
  outerJacobianStrategy?: "forward-mode" | "reverse-mode";
}

type Maybe = Tensor | null;

function pyType(v: unknown): string {
  if (v === null || v === undefined) return "<class 'NoneType'>";
  if (typeof v === "number") return Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>";
  if (typeof v === "string") return "<class 'str'>";
  if (typeof v === "boolean") return "<class 'bool'>";
  return `<class '${(v as object).constructor?.name ?? "object"}'>`;
}
const sizeStr = (s: readonly number[]): string => `torch.Size([${s.join(", ")}])`;

/** PyTorch's _as_tuple: whether inp was a tuple (array), and its tensors; non-tensors are a TypeError. */
function asTuple(inp: unknown, argName: string, fnName: string): [boolean, Tensor[]] {
  const isTuple = Array.isArray(inp);
  const els: unknown[] = isTuple ? [...(inp as unknown[])] : [inp];
  els.forEach((el, i) => {
    if (el instanceof Tensor) return;
    if (isTuple)
      throw new TorchTypeError(`The ${argName} given to ${fnName} must be either a Tensor or a tuple of Tensors but the value at index ${i} has type ${pyType(el)}.`);
    throw new TorchTypeError(`The ${argName} given to ${fnName} must be either a Tensor or a tuple of Tensors but the given ${argName} has type ${pyType(el)}.`);
  });
  return [isTuple, els as Tensor[]];
}

/** PyTorch's _tuple_postprocess: undoes asTuple on a (possibly doubly) nested result. */
function tuplePostprocess(res: unknown[], toUnpack: boolean | [boolean, boolean]): unknown {
  if (Array.isArray(toUnpack)) {
    let r: unknown[] = res;
    if (!toUnpack[1]) r = r.map((el) => (el as unknown[])[0]);
    return toUnpack[0] ? r : r[0];
  }
  return toUnpack ? res : res[0];
}

/**
 * PyTorch's _grad_preprocess: fresh tensor objects for the inputs, so that the user function's own
 * captured tensors are told apart; they require grad when needGraph, and keep their history only
 * when createGraph (a view of the input) .
 */
function gradPreprocess(inputs: readonly Tensor[], createGraph: boolean, needGraph: boolean): Tensor[] {
  return inputs.map((inp) => (createGraph && inp.requiresGrad ? inp.viewAs(inp) : inp.detach().requiresGrad_(needGraph)));
}

/** PyTorch's _grad_postprocess: results lose their history unless createGraph. */
function gradPostprocess<T extends Maybe | Maybe[]>(inputs: T[], createGraph: boolean): T[] {
  if (createGraph) return inputs;
  return inputs.map((el) => (Array.isArray(el) ? gradPostprocess(el, createGraph) : el ? el.detach() : el)) as T[];
}

function validateV(v: readonly Tensor[], other: readonly Tensor[], isOtherTuple: boolean): void {
  if (other.length !== v.length) {
    if (isOtherTuple) throw new RuntimeError(`v is a tuple of invalid length: should be ${other.length} but got ${v.length}.`);
    throw new RuntimeError("The given v should contain a single Tensor.");
  }
  v.forEach((elV, idx) => {
    const elO = other[idx]!;
    if (elV.shape.length !== elO.shape.length || elV.shape.some((s, i) => s !== elO.shape[i])) {
      const prepend = isOtherTuple ? `Entry ${idx} in ` : "";
      throw new RuntimeError(`${prepend}v has invalid size: should be ${sizeStr(elO.shape)} but got ${sizeStr(elV.shape)}.`);
    }
  });
}

type CheckKind = "outputs" | "grad_inputs" | "jacobian" | "hessian";
function checkRequiresGrad(inputs: readonly Maybe[], kind: CheckKind, strict: boolean): void {
  if (!strict) return;
  inputs.forEach((inp, i) => {
    if (inp === null) throw new RuntimeError(`The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
    if (inp.requiresGrad) return;
    if (kind === "hessian")
      throw new RuntimeError(`The hessian of the user-provided function with respect to input ${i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is thrice differentiable and that the hessian depends on the inputs.`);
    if (kind === "jacobian")
      throw new RuntimeError(`While computing the hessian, found that the jacobian of the user-provided function with respect to input ${i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is twice differentiable and that the jacobian depends on the inputs (this would be violated by a linear function for example).`);
    if (kind === "grad_inputs")
      throw new RuntimeError(`The gradient with respect to input ${i} is independent of the inputs of the user-provided function. This is not allowed in strict mode.`);
    throw new RuntimeError(`Output ${i} of the user-provided function does not require gradients. The outputs must be computed in a differentiable manner from the input when running in strict mode.`);
  });
}

/** PyTorch's _autograd_grad: autograd.grad that skips outputs which are null or need no gradient. */
function autogradGrad(outputs: readonly Maybe[], inputs: readonly Tensor[], gradOutputs: readonly Maybe[] | null, createGraph: boolean, retainGraph?: boolean): Maybe[] {
  const go = gradOutputs ?? outputs.map(() => null);
  const newOutputs: Tensor[] = [], newGradOutputs: Maybe[] = [];
  outputs.forEach((out, i) => {
    if (out !== null && out.requiresGrad) {
      newOutputs.push(out);
      newGradOutputs.push(go[i] ?? null);
    }
  });
  if (newOutputs.length === 0) return inputs.map(() => null);
  const opts: { gradOutputs: Maybe[]; allowUnused: boolean; createGraph: boolean; retainGraph?: boolean } = { gradOutputs: newGradOutputs, allowUnused: true, createGraph };
  if (retainGraph !== undefined) opts.retainGraph = retainGraph;
  return grad(newOutputs, [...inputs], opts);
}

type Stage = "back" | "back_trick" | "double_back" | "double_back_trick";
/** PyTorch's _fill_in_zeros: null gradients become zeros, or strict mode's error for the stage. */
function fillInZeros(grads: readonly Maybe[], refs: readonly Tensor[], strict: boolean, createGraph: boolean, stage: Stage): Tensor[] {
  return grads.map((g, i) => {
    if (g === null) {
      if (strict) {
        if (stage === "back") throw new RuntimeError(`The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
        if (stage === "back_trick")
          throw new RuntimeError(`The gradient with respect to the input is independent of entry ${i} in the grad_outputs when using the double backward trick to compute forward mode gradients. This is not allowed in strict mode.`);
        if (stage === "double_back") throw new RuntimeError(`The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
        throw new RuntimeError(`The hessian of the user-provided function is independent of entry ${i} in the grad_jacobian. This is not allowed in strict mode as it prevents from using the double backward trick to replace forward mode AD.`);
      }
      return zerosLike(refs[i]!);
    }
    if (strict && createGraph && !g.requiresGrad) {
      if (!stage.includes("double"))
        throw new RuntimeError(`The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`);
      throw new RuntimeError(`The hessian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`);
    }
    return g;
  });
}

/**
 * torch.autograd.functional.vjp(func, inputs, v): the function's outputs and the product of `v`
 * with its Jacobian (one tensor per input). `v` may be left out when func returns one element.
 * @example
 * const x = torch.rand(4, 4);
 * const [out, g] = torch.autograd.functional.vjp((x) => x.exp().sum(1), x, torch.ones(4));
 */
export function vjp<I extends Tensors, R extends Tensors>(func: TensorFunction<R>, inputs: I, v?: Tensors | null, opts: FunctionalOptions = {}): [Like<R>, Like<I>] {
  const createGraph = opts.createGraph ?? false, strict = opts.strict ?? false;
  const [outputs, isOutputsTuple, ins, isInputsTuple] = enableGrad(() => {
    const [isInputsTuple, raw] = asTuple(inputs, "inputs", "vjp");
    const ins = gradPreprocess(raw, createGraph, true);
    const [isOutputsTuple, outputs] = asTuple(func(...ins), "outputs of the user-provided function", "vjp");
    checkRequiresGrad(outputs, "outputs", strict);
    return [outputs, isOutputsTuple, ins, isInputsTuple] as const;
  });
  let vs: Tensor[] | null = null;
  if (v !== undefined && v !== null) {
    vs = gradPreprocess(asTuple(v, "v", "vjp")[1], createGraph, false);
    validateV(vs, outputs, isOutputsTuple);
  } else if (outputs.length !== 1 || outputs[0]!.numel() !== 1)
    throw new RuntimeError("The vector v can only be None if the user-provided function returns a single Tensor with a single element.");
  const res = withGradEnabled(createGraph || isGradEnabled(), () => {
    const g = autogradGrad(outputs, ins, vs, createGraph);
    return fillInZeros(g, ins, strict, createGraph, "back");
  });
  return [tuplePostprocess(gradPostprocess(outputs, createGraph), isOutputsTuple), tuplePostprocess(gradPostprocess(res, createGraph), isInputsTuple)] as [Like<R>, Like<I>];
}

/**
 * torch.autograd.functional.jvp(func, inputs, v): the function's outputs and the product of its
 * Jacobian with `v` (one tensor per output), by the double-backward trick as PyTorch computes it.
 * @example
 * const x = torch.rand(4, 4);
 * const [out, jv] = torch.autograd.functional.jvp((x) => x.exp().sum(1), x, torch.ones(4, 4));
 */
export function jvp<I extends Tensors, R extends Tensors>(func: TensorFunction<R>, inputs: I, v?: Tensors | null, opts: FunctionalOptions = {}): [Like<R>, Like<R>] {
  const createGraph = opts.createGraph ?? false, strict = opts.strict ?? false;
  const [outputs, isOutputsTuple, gradInputs, gradOutputs, vs] = enableGrad(() => {
    const [isInputsTuple, raw] = asTuple(inputs, "inputs", "jvp");
    const ins = gradPreprocess(raw, createGraph, true);
    let vs: Tensor[] | null = null;
    if (v !== undefined && v !== null) {
      vs = gradPreprocess(asTuple(v, "v", "jvp")[1], createGraph, false);
      validateV(vs, ins, isInputsTuple);
    } else if (ins.length !== 1 || ins[0]!.numel() !== 1)
      throw new RuntimeError("The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.");
    const [isOutputsTuple, outputs] = asTuple(func(...ins), "outputs of the user-provided function", "jvp");
    checkRequiresGrad(outputs, "outputs", strict);
    // NOTE: the backward is linear in grad_outputs, so their value does not matter (zeros: no inf
    // or nan can enter the double backward graph)
    const gradOutputs = outputs.map((out) => zerosLike(out, { requiresGrad: true }));
    const gradInputs = autogradGrad(outputs, ins, gradOutputs, true);
    checkRequiresGrad(gradInputs, "grad_inputs", strict);
    return [outputs, isOutputsTuple, gradInputs, gradOutputs, vs] as const;
  });
  const run = (): Tensor[] => fillInZeros(autogradGrad(gradInputs, gradOutputs, vs, createGraph), outputs, strict, createGraph, "back_trick");
  const res = createGraph ? enableGrad(run) : run();
  return [tuplePostprocess(gradPostprocess(outputs, createGraph), isOutputsTuple), tuplePostprocess(gradPostprocess(res, createGraph), isOutputsTuple)] as [Like<R>, Like<R>];
}

/**
 * torch.autograd.functional.jacobian(func, inputs): J[i][j] is the Jacobian of output i with respect
 * to input j, of shape output.shape + input.shape; a single output or input is not nested.
 * @example
 * const J = torch.autograd.functional.jacobian((x) => x.exp().sum(1), torch.rand([2, 2])); // [2, 2, 2]
 */
export function jacobian<I extends Tensors, R extends Tensors>(func: TensorFunction<R>, inputs: I, opts: JacobianOptions = {}): Nested<R, I> {
  const createGraph = opts.createGraph ?? false, strict = opts.strict ?? false, vectorize = opts.vectorize ?? false;
  const strategy = opts.strategy ?? "reverse-mode";
  if (strategy !== "forward-mode" && strategy !== "reverse-mode")
    throw new RuntimeError('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your function has more outputs than inputs, "forward-mode" tends to be more performant. Otherwise, prefer to use "reverse-mode".');
  if (strategy === "forward-mode") {
    if (createGraph)
      throw new NotImplementedError('torch.autograd.functional.jacobian: `create_graph=True` and `strategy="forward-mode"` are not supported together (yet). Please either set `create_graph=False` or `strategy="reverse-mode"`.');
    if (strict)
      throw new RuntimeError('torch.autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` are not supported together (yet). Please either set `strict=False` or `strategy="reverse-mode"`.');
    if (!vectorize) throw new NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse Hessian isonly implemented for `vectorize=True`.");
  }
  return enableGrad(() => {
    const [isInputsTuple, raw] = asTuple(inputs, "inputs", "jacobian");
    const ins = gradPreprocess(raw, createGraph, true);
    const [isOutputsTuple, outputs] = asTuple(func(...ins), "outputs of the user-provided function", "jacobian");
    checkRequiresGrad(outputs, "outputs", strict);
    if (vectorize && strict)
      throw new RuntimeError("torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not supported together. Please either set `strict=False` or `vectorize=False`.");
    const jac: Tensor[][] = outputs.map((out, i) => {
      const rows: Tensor[][] = ins.map(() => []);
      const flat = out.reshape([-1]);
      for (let j = 0; j < out.numel(); j++) {
        const vj = autogradGrad([flat.select(0, j)], ins, null, createGraph, true);
        vj.forEach((g, k) => {
          if (g !== null) {
            if (strict && createGraph && !g.requiresGrad)
              throw new RuntimeError(`The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`);
            rows[k]!.push(g);
          } else {
            if (strict) throw new RuntimeError(`Output ${i} of the user-provided function is independent of input ${k}. This is not allowed in strict mode.`);
            rows[k]!.push(zerosLike(ins[k]!));
          }
        });
      }
      // NOTE: stack of no rows (an output without elements) is an error in PyTorch too
      return rows.map((r, k) => stack(r, 0).view([...out.shape, ...ins[k]!.shape]));
    });
    // NOTE: forward mode (PyTorch's vmap over dual tensors) gives the same Jacobian, in the output's dtype
    const res = strategy === "forward-mode" ? jac.map((row, i) => row.map((t) => t.to(outputs[i]!.dtype))) : jac;
    return tuplePostprocess(gradPostprocess(res, createGraph), [isOutputsTuple, isInputsTuple]) as Nested<R, I>;
  });
}

/**
 * torch.autograd.functional.hessian(func, inputs): the Hessian of a function returning one element;
 * H[i][j] (shape inputs[i].shape + inputs[j].shape) for an array of inputs, else one tensor.
 * @example
 * const H = torch.autograd.functional.hessian((x) => x.pow(3).sum(), torch.rand([2, 2])); // [2, 2, 2, 2]
 */
export function hessian<I extends Tensors>(func: TensorFunction<Tensors>, inputs: I, opts: HessianOptions = {}): I extends Tensor ? Tensor : Tensor[][] {
  const createGraph = opts.createGraph ?? false, strict = opts.strict ?? false, vectorize = opts.vectorize ?? false;
  const outer = opts.outerJacobianStrategy ?? "reverse-mode";
  const [isInputsTuple, ins] = asTuple(inputs, "inputs", "hessian");
  if (outer !== "forward-mode" && outer !== "reverse-mode") throw new RuntimeError('Expected strategy to be either "forward-mode" or "reverse-mode".');
  const ensureSingleOutput = (...inp: Tensor[]): Tensor => {
    const out = func(...inp);
    const [isOutTuple, tOut] = asTuple(out, "outputs of the user-provided function", "hessian");
    checkRequiresGrad(tOut, "outputs", strict);
    if (isOutTuple || !(out instanceof Tensor)) throw new RuntimeError("The function given to hessian should return a single Tensor");
    if (out.numel() !== 1) throw new RuntimeError("The Tensor returned by the function given to hessian should contain a single element");
    return out.squeeze();
  };
  const jacFunc = (...inp: Tensor[]): Tensor[] => {
    if (outer === "forward-mode") for (const t of inp) t.requiresGrad_(true);
    const jac = jacobian(ensureSingleOutput, inp, { createGraph: true });
    checkRequiresGrad(jac, "jacobian", strict);
    return jac;
  };
  const res = jacobian(jacFunc, ins, { createGraph, strict, vectorize, strategy: outer });
  return tuplePostprocess(res, [isInputsTuple, isInputsTuple]) as I extends Tensor ? Tensor : Tensor[][];
}

/** The shared first half of vhp and hvp: inputs, v, outputs and the Jacobian (with its graph). */
function scalarJacobian(func: TensorFunction<Tensors>, inputs: Tensors, v: Tensors | null | undefined, fnName: "vhp" | "hvp", createGraph: boolean, strict: boolean) {
  const [isInputsTuple, raw] = asTuple(inputs, "inputs", fnName);
  const ins = gradPreprocess(raw, createGraph, true);
  let vs: Tensor[] | null = null;
  if (v !== undefined && v !== null) {
    vs = gradPreprocess(asTuple(v, "v", fnName)[1], createGraph, false);
    validateV(vs, ins, isInputsTuple);
  } else if (ins.length !== 1 || ins[0]!.numel() !== 1)
    throw new RuntimeError("The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.");
  const out = func(...ins);
  const [isOutputsTuple, outputs] = asTuple(out, "outputs of the user-provided function", fnName);
  checkRequiresGrad(outputs, "outputs", strict);
  if (isOutputsTuple || !(outputs[0] instanceof Tensor)) throw new RuntimeError(`The function given to ${fnName} should return a single Tensor`);
  if (outputs[0].numel() !== 1) throw new RuntimeError(`The Tensor returned by the function given to ${fnName} should contain a single element`);
  const jac = autogradGrad(outputs, ins, null, true);
  checkRequiresGrad(jac, "jacobian", strict);
  return { isInputsTuple, ins, vs, outputs, isOutputsTuple, jac };
}

/**
 * torch.autograd.functional.vhp(func, inputs, v): the function's output and the product of `v`
 * with its Hessian (one tensor per input).
 * @example
 * const x = torch.rand(2, 2);
 * const [out, vh] = torch.autograd.functional.vhp((x) => x.pow(3).sum(), x, torch.ones([2, 2]));
 */
export function vhp<I extends Tensors>(func: TensorFunction<Tensors>, inputs: I, v?: Tensors | null, opts: FunctionalOptions = {}): [Tensor, Like<I>] {
  const createGraph = opts.createGraph ?? false, strict = opts.strict ?? false;
  const s = enableGrad(() => scalarJacobian(func, inputs, v, "vhp", createGraph, strict));
  const res = withGradEnabled(createGraph || isGradEnabled(), () =>
    fillInZeros(autogradGrad(s.jac, s.ins, s.vs, createGraph), s.ins, strict, createGraph, "double_back"),
  );
  return [tuplePostprocess(gradPostprocess(s.outputs, createGraph), s.isOutputsTuple), tuplePostprocess(gradPostprocess(res, createGraph), s.isInputsTuple)] as [Tensor, Like<I>];
}

/**
 * torch.autograd.functional.hvp(func, inputs, v): the function's output and the product of its
 * Hessian with `v`, by the double-backward trick (vhp is cheaper when the Hessian is symmetric).
 * @example
 * const x = torch.rand(2, 2);
 * const [out, hv] = torch.autograd.functional.hvp((x) => x.pow(3).sum(), x, torch.ones([2, 2]));
 */
export function hvp<I extends Tensors>(func: TensorFunction<Tensors>, inputs: I, v?: Tensors | null, opts: FunctionalOptions = {}): [Tensor, Like<I>] {
  const createGraph = opts.createGraph ?? false, strict = opts.strict ?? false;
  const [s, gradJac, doubleBack] = enableGrad(() => {
    const s = scalarJacobian(func, inputs, v, "hvp", createGraph, strict);
    const gradJac = s.ins.map((inp) => zerosLike(inp, { requiresGrad: true }));
    const doubleBack = autogradGrad(s.jac, s.ins, gradJac, true);
    // (PyTorch checks jac here again, not doubleBack)
    checkRequiresGrad(s.jac, "hessian", strict);
    return [s, gradJac, doubleBack] as const;
  });
  const res = withGradEnabled(createGraph || isGradEnabled(), () =>
    fillInZeros(autogradGrad(doubleBack, gradJac, s.vs, createGraph), s.ins, strict, createGraph, "double_back_trick"),
  );
  return [tuplePostprocess(gradPostprocess(s.outputs, createGraph), s.isOutputsTuple), tuplePostprocess(gradPostprocess(res, createGraph), s.isInputsTuple)] as [Tensor, Like<I>];
}
