// torch.nn.utils.prune basics, as PyTorch 1.13's torch/nn/utils/prune.py: pruning `name` moves the
// parameter to `name_orig`, registers the buffer `name_mask`, and a forward pre-hook recomputes
// `name` = mask * orig (MulBackward0) before every forward; pruning the same tensor again combines
// the masks (a PruningContainer: the new method only sees the entries still unpruned).
import type { Tensor } from "../../tensor/tensor.js";
import { tensor } from "../../ops/creation.js";
import { noGrad } from "../../autograd/grad_mode.js";
import { AssertionError, TorchTypeError, ValueError } from "../../errors.js";
import type { Module } from "../module.js";
import { parametersToVector } from "./convert_parameters.js";

/**
 * A pruning method: computes a mask from importance scores and the mask so far. NOTE: an amount
 * that is an integer counts parameters (Python's int); any other number in [0, 1] is a fraction
 * (Python's float). A JS number cannot tell 1 from 1.0: 1 prunes one parameter.
 */
export abstract class BasePruningMethod {
  static PRUNING_TYPE: "unstructured" | "structured" | "global" = "unstructured";
  _tensorName: string | null = null;
  abstract computeMask(t: Tensor, defaultMask: Tensor): Tensor;
  /** mask.to(orig.dtype) * orig */
  applyMask(module: Module): Tensor {
    if (this._tensorName === null) throw new AssertionError(`Module ${String(module)} has to be pruned`);
    const m = module as unknown as Record<string, Tensor>;
    const mask = m[this._tensorName + "_mask"]!, orig = m[this._tensorName + "_orig"]!;
    return mask.to(orig.dtype).mul(orig);
  }
  /** method.prune(t): t times this method's mask (importance scores default to t). */
  prune(t: Tensor, defaultMask: Tensor | null = null, importanceScores: Tensor | null = null): Tensor {
    const scores = importanceScores ?? t;
    if (scores.shape.join(",") !== t.shape.join(",")) throw new AssertionError("importance_scores should have the same shape as tensor t");
    return t.mul(this.computeMask(scores, defaultMask ?? t.newOnes(t.shape)));
  }
  /** Makes the pruning permanent: `name` becomes the parameter again, holding orig * mask. */
  remove(module: Module): void {
    if (this._tensorName === null) throw new AssertionError(`Module ${String(module)} has to be pruned before pruning can be removed`);
    const name = this._tensorName;
    const weight = this.applyMask(module);
    Reflect.deleteProperty(module, name);
    const orig = module._parameters.get(name + "_orig")!;
    orig.data = weight.data;
    module._parameters.delete(name + "_orig");
    module._buffers.delete(name + "_mask");
    (module as unknown as Record<string, Tensor>)[name] = orig;
  }
}

/** PyTorch's PruningContainer: successive pruning of one tensor. */
export class PruningContainer extends BasePruningMethod {
  _pruningMethods: BasePruningMethod[] = [];
  constructor(...methods: BasePruningMethod[]) {
    super();
    if (methods.length === 1) this._tensorName = methods[0]!._tensorName;
    for (const m of methods) this.addPruningMethod(m);
  }
  addPruningMethod(method: BasePruningMethod): void {
    if (this._tensorName !== method._tensorName)
      throw new ValueError(`Can only add pruning methods acting on the parameter named '${this._tensorName}' to PruningContainer ${String(this)}. Found '${method._tensorName}'`);
    this._pruningMethods.push(method);
  }
  get length(): number {
    return this._pruningMethods.length;
  }
  /** The last method prunes only the entries the mask so far keeps (unstructured methods). */
  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    const method = this._pruningMethods[this._pruningMethods.length - 1]!;
    const type = (method.constructor as typeof BasePruningMethod).PRUNING_TYPE;
    if (type !== "unstructured" && type !== "global") throw new ValueError(`Unrecognized PRUNING_TYPE ${type}`);
    const newMask = defaultMask.to(t.dtype);
    if (type === "global") return method.computeMask(t, defaultMask).to(newMask.dtype);
    return noGrad(() => {
      const keep = defaultMask.eq(1);
      const partial = method.computeMask(t.maskedSelect(keep), defaultMask.maskedSelect(keep));
      const flat = newMask.contiguous().view(-1).clone();
      const where = Array.from(keep.reshape(-1).dataSync() as ArrayLike<number | boolean>).flatMap((k, i) => (k ? [i] : []));
      const pv = partial.to(newMask.dtype).dataSync();
      const out = Float64Array.from(flat.dataSync() as ArrayLike<number>);
      where.forEach((i, j) => (out[i] = Number(pv[j])));
      return tensor(Array.from(out), { dtype: newMask.dtype }).view(newMask.shape);
    });
  }
}

/** Python's round(): halves to even. */
function pyRound(x: number): number {
  const f = Math.floor(x), d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function validateAmountInit(amount: number): void {
  if (typeof amount !== "number" || Number.isNaN(amount)) throw new TorchTypeError(`Invalid type for amount: ${String(amount)}. Must be int or float.`);
  if ((Number.isInteger(amount) && amount < 0) || (!Number.isInteger(amount) && (amount > 1 || amount < 0)))
    throw new ValueError(`amount=${amount} should either be a float in the range [0, 1] or a non-negative integer`);
}
function nparamsToPrune(amount: number, size: number): number {
  const n = Number.isInteger(amount) ? amount : pyRound(amount * size);
  if (Number.isInteger(amount) && amount > size) throw new ValueError(`amount=${amount} should be smaller than the number of parameters to prune=${size}`);
  return n;
}

/** Zeroes the mask at these flat positions (mask.view(-1)[indices] = 0). */
function zeroAt(defaultMask: Tensor, indices: Tensor): Tensor {
  const mask = defaultMask.contiguous().clone();
  const vals = Float64Array.from(mask.dataSync() as ArrayLike<number>);
  for (const i of Array.from(indices.dataSync() as ArrayLike<number | bigint>, Number)) vals[i] = 0;
  return tensor(Array.from(vals), { dtype: mask.dtype }).view(mask.shape);
}

/** PyTorch's Identity pruning: the mask as it is. */
export class Identity extends BasePruningMethod {
  computeMask(_t: Tensor, defaultMask: Tensor): Tensor {
    return defaultMask;
  }
}

/** RandomUnstructured(amount): prunes the entries with the largest of torch.rand_like(t) draws. */
export class RandomUnstructured extends BasePruningMethod {
  constructor(public amount: number) {
    super();
    validateAmountInit(amount);
  }
  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    const k = nparamsToPrune(this.amount, t.numel());
    if (k === 0) return defaultMask.contiguous().clone();
    return noGrad(() => {
      const prob = t.newZeros(t.shape).uniform_();
      return zeroAt(defaultMask, prob.view(-1).topk(k).indices);
    });
  }
}

/** L1Unstructured(amount): prunes the entries of smallest absolute value (topk, largest = false). */
export class L1Unstructured extends BasePruningMethod {
  constructor(public amount: number) {
    super();
    validateAmountInit(amount);
  }
  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    const k = nparamsToPrune(this.amount, t.numel());
    if (k === 0) return defaultMask.contiguous().clone();
    return noGrad(() => zeroAt(defaultMask, t.abs().contiguous().view(-1).topk(k, 0, false).indices));
  }
}

/** CustomFromMask(mask): the given mask times the mask so far. */
export class CustomFromMask extends BasePruningMethod {
  constructor(public mask: Tensor) {
    super();
  }
  computeMask(_t: Tensor, defaultMask: Tensor): Tensor {
    if (defaultMask.shape.join(",") !== this.mask.shape.join(",")) throw new AssertionError("");
    return noGrad(() => defaultMask.mul(this.mask.to(defaultMask.dtype)));
  }
}

/** The hook PyTorch keeps in _forward_pre_hooks: the method itself. */
type PruneHook = ((m: Module, inputs: unknown[]) => void) & { pruning: BasePruningMethod };

function pruneHooks(module: Module): [number, PruneHook][] {
  return [...module._forwardPreHooks.entries()].filter((e): e is [number, PruneHook] => "pruning" in e[1]);
}

/** BasePruningMethod.apply: attaches `make()` to module's `name`, combining with an earlier pruning. */
function applyMethod(module: Module, name: string, make: () => BasePruningMethod, importanceScores: Tensor | null = null): BasePruningMethod {
  const old = pruneHooks(module).filter(([, h]) => h.pruning._tensorName === name);
  if (old.length > 1) throw new AssertionError(`Avoid adding multiple pruning hooks to the                same tensor ${name} of module ${String(module)}. Use a PruningContainer.`);
  for (const [k] of old) module._forwardPreHooks.delete(k);
  let method = make();
  method._tensorName = name;
  if (old.length) {
    const prev = old[0]![1].pruning;
    if (prev instanceof PruningContainer) {
      prev.addPruningMethod(method);
      method = prev;
    } else {
      const c = new PruningContainer(prev);
      c.addPruningMethod(method);
      method = c;
    }
  }
  const orig = (module as unknown as Record<string, Tensor>)[name]!;
  const scores = importanceScores ?? orig;
  if (scores.shape.join(",") !== orig.shape.join(",")) throw new AssertionError(`importance_scores should have the same shape as parameter                 ${name} of ${String(module)}`);
  let defaultMask: Tensor;
  if (!(method instanceof PruningContainer)) {
    module.registerParameter(name + "_orig", module._parameters.get(name)!);
    module._parameters.delete(name);
    defaultMask = noGrad(() => orig.newOnes(orig.shape));
  } else defaultMask = noGrad(() => (module as unknown as Record<string, Tensor>)[name + "_mask"]!.detach().contiguous().clone());
  try {
    const mask = noGrad(() => method.computeMask(scores.detach(), defaultMask));
    module.registerBuffer(name + "_mask", mask);
    (module as unknown as Record<string, Tensor>)[name] = method.applyMask(module);
    const m = method;
    const hook = Object.assign((mod: Module) => {
      (mod as unknown as Record<string, Tensor>)[name] = m.applyMask(mod);
    }, { pruning: m });
    module.registerForwardPreHook(hook);
  } catch (e) {
    if (!(method instanceof PruningContainer)) {
      const o = module._parameters.get(name + "_orig")!;
      module.registerParameter(name, o);
      module._parameters.delete(name + "_orig");
    }
    throw e;
  }
  return method;
}

/** prune.identity(module, name): a mask of ones (the reparametrization without pruning). */
export function identity<M extends Module>(module: M, name: string): M {
  applyMethod(module, name, () => new Identity());
  return module;
}
/** prune.random_unstructured(module, name, amount). */
export function randomUnstructured<M extends Module>(module: M, name: string, amount: number): M {
  applyMethod(module, name, () => new RandomUnstructured(amount));
  return module;
}
/** prune.l1_unstructured(module, name, amount, importanceScores = null). */
export function l1Unstructured<M extends Module>(module: M, name: string, amount: number, importanceScores: Tensor | null = null): M {
  applyMethod(module, name, () => new L1Unstructured(amount), importanceScores);
  return module;
}
/** prune.custom_from_mask(module, name, mask). */
export function customFromMask<M extends Module>(module: M, name: string, mask: Tensor): M {
  applyMethod(module, name, () => new CustomFromMask(mask));
  return module;
}

/**
 * prune.global_unstructured(parameters, pruningMethod, importanceScores, { amount }): one mask
 * computed over all the listed tensors flattened together, then applied to each as custom_from_mask.
 */
export function globalUnstructured(
  parameters: Iterable<[Module, string]>, pruningMethod: new (amount: number) => BasePruningMethod,
  importanceScores: Map<[Module, string], Tensor> | null = null, opts: { amount: number },
): void {
  const params = [...parameters];
  const scoreOf = (m: Module, n: string): Tensor => {
    for (const [[mm, nn], t] of importanceScores ?? new Map()) if (mm === m && nn === n) return t;
    return (m as unknown as Record<string, Tensor>)[n]!;
  };
  const scores = noGrad(() => parametersToVector(params.map(([m, n]) => scoreOf(m, n))));
  const defaultMask = noGrad(() => parametersToVector(params.map(([m, n]) => {
    const mask = (m as unknown as Record<string, Tensor | undefined>)[n + "_mask"];
    return mask ?? (m as unknown as Record<string, Tensor>)[n]!.newOnes((m as unknown as Record<string, Tensor>)[n]!.shape);
  })));
  const method = new pruningMethod(opts.amount);
  if ((method.constructor as typeof BasePruningMethod).PRUNING_TYPE !== "unstructured")
    throw new TorchTypeError(`Only "unstructured" PRUNING_TYPE supported for the \`pruning_method\`. Found method ${pruningMethod.name} of type ${(method.constructor as typeof BasePruningMethod).PRUNING_TYPE}`);
  method._tensorName = "temp";
  const container = new PruningContainer();
  container._tensorName = "temp";
  container.addPruningMethod(method);
  const finalMask = container.computeMask(scores, defaultMask);
  let pointer = 0;
  for (const [m, n] of params) {
    const p = (m as unknown as Record<string, Tensor>)[n]!;
    const k = p.numel();
    customFromMask(m, n, finalMask.narrow(0, pointer, k).view(p.shape));
    pointer += k;
  }
}

/** prune.remove(module, name): makes the pruning permanent. */
export function remove<M extends Module>(module: M, name: string): M {
  for (const [k, h] of pruneHooks(module)) {
    if (h.pruning._tensorName !== name) continue;
    h.pruning.remove(module);
    module._forwardPreHooks.delete(k);
    return module;
  }
  throw new ValueError(`Parameter '${name}' of module ${String(module)} has to be pruned before pruning can be removed`);
}

/** prune.is_pruned(module): whether any submodule carries a pruning hook. */
export function isPruned(module: Module): boolean {
  for (const [, sub] of module.namedModules()) if (pruneHooks(sub).length) return true;
  return false;
}

export const random_unstructured = randomUnstructured;
export const l1_unstructured = l1Unstructured;
export const custom_from_mask = customFromMask;
export const global_unstructured = globalUnstructured;
export const is_pruned = isPruned;
