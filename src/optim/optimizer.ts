// torch.optim.Optimizer: parameter groups, per-parameter state, zeroGrad, state dicts.
// Each optimizer subclass keeps its state here and does its math in one pure update function.

import { Tensor } from "../tensor/tensor.js";
import { noGrad, enableGrad } from "../autograd/grad_mode.js";
import { ValueError, TorchTypeError } from "../errors.js";
import { scalarTensor, toSnake } from "./_util.js";

/** Per-parameter optimizer state: PyTorch's snake_case keys (`exp_avg`, `momentum_buffer`, `step`). */
export type ParamState = Record<string, any>;

/** A parameter group: its tensors plus the options (camelCased) that apply to them. */
export interface ParamGroup {
  params: Tensor[];
  lr: number;
  [option: string]: any;
}

/** What users pass for a group: `{ params, lr?, momentum?, ... }`. */
export interface ParamGroupInput {
  params: Iterable<Tensor> | Tensor;
  [option: string]: any;
}

export type Params = Iterable<Tensor> | Iterable<ParamGroupInput>;

/** The serialized form, with PyTorch's structure and keys. */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  param_groups: Record<string, any>[];
}

/** Marks an option with no default that every group must give (PyTorch's `required`). */
export const required: unique symbol = Symbol("required");

export { toSnake };
/** snake_case key -> camelCase option name. */
export function toCamel(k: string): string {
  return k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function deepCopy(v: any): any {
  if (v instanceof Tensor) return v.detach().clone();
  if (Array.isArray(v)) return v.map(deepCopy);
  if (v !== null && typeof v === "object") {
    const o: Record<string, any> = {};
    for (const [k, x] of Object.entries(v)) o[k] = deepCopy(x);
    return o;
  }
  return v;
}

/**
 * Base class of all optimizers (torch.optim.Optimizer).
 * @example
 * const w = torch.tensor([1, 2], { requiresGrad: true });
 * const loss = () => w.mul(w).sum();
 * const opt = new optim.SGD([w], { lr: 0.1 });
 * opt.zeroGrad(); loss().backward(); opt.step();
 */
export abstract class Optimizer {
  readonly defaults: Record<string, any>;
  paramGroups: ParamGroup[] = [];
  /** Per-parameter state, keyed by the parameter tensor. */
  state: Map<Tensor, ParamState> = new Map();

  constructor(params: Params, defaults: Record<string, any>) {
    this.defaults = defaults;
    if (params instanceof Tensor)
      throw new TorchTypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.${params.dtype.scalarName}Tensor`);
    const groups = Array.from(params as Iterable<Tensor | ParamGroupInput>);
    if (groups.length === 0) throw new ValueError("optimizer got an empty parameter list");
    const list: ParamGroupInput[] = groups[0] instanceof Tensor ? [{ params: groups as Tensor[] }] : (groups as ParamGroupInput[]);
    for (const g of list) this.addParamGroup(g);
  }

  /** Adds a group (e.g. layers unfrozen for fine-tuning); options it omits take the defaults. */
  addParamGroup(paramGroup: ParamGroupInput): void {
    if (paramGroup === null || typeof paramGroup !== "object" || paramGroup instanceof Tensor)
      throw new TorchTypeError("param group must be a dict");
    const raw = paramGroup.params;
    if (raw instanceof Set)
      throw new TorchTypeError("optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.");
    const params: Tensor[] = raw instanceof Tensor ? [raw] : Array.from(raw as Iterable<Tensor>);
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TorchTypeError("optimizer can only optimize Tensors, but one of the params is " + typeof p);
      if (!this.defaults["differentiable"] && !(p.isLeaf || p.retainsGrad)) throw new ValueError("can't optimize a non-leaf Tensor");
    }
    const group: ParamGroup = { ...paramGroup, params } as ParamGroup;
    for (const [name, def] of Object.entries(this.defaults)) {
      if (def === required && !(name in paramGroup))
        throw new ValueError("parameter group didn't specify a value of required optimization parameter " + toSnake(name));
      if (!(name in group) || group[name] === undefined) group[name] = def;
    }
    const seen = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    if (params.some((p) => seen.has(p))) throw new ValueError("some parameters appear in more than one parameter group");
    this.paramGroups.push(group);
  }

  /**
   * Resets the gradients of all optimized tensors. PyTorch 1.13's default (setToNone = false)
   * zeroes them in place; setToNone = true drops them (`p.grad = null`).
   */
  zeroGrad(setToNone = false): void {
    for (const g of this.paramGroups)
      for (const p of g.params) {
        if (p.grad === null) continue;
        if (setToNone) p.grad = null;
        else {
          const grad = p.grad.gradFn ? p.grad.detach() : p.grad;
          if (grad !== p.grad) p.grad = grad;
          noGrad(() => grad.zero_());
        }
      }
  }

  /**
   * Performs one optimization step. A closure, if given, re-evaluates the loss with grad enabled
   * (PyTorch's `with torch.enable_grad(): loss = closure()`) and its result is returned; LBFGS
   * requires one. The update itself runs under noGrad.
   */
  abstract step(closure?: () => Tensor | number): Tensor | number | null;

  /**
   * The state as PyTorch's `state_dict()` lays it out: parameters become their index in group
   * order, options take PyTorch's snake_case names. Tensors are the live state (as in PyTorch).
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    let next = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const packed: Record<string, any> = {};
      for (const [k, v] of Object.entries(g)) if (k !== "params") packed[toSnake(k)] = v;
      for (const p of g.params) if (!index.has(p)) index.set(p, next++);
      packed["params"] = g.params.map((p) => index.get(p)!);
      return packed;
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = s;
    }
    return { state, param_groups: paramGroups };
  }

  /** Loads a state dict (from stateDict() or from a file PyTorch wrote); copies its values. */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const sd = deepCopy(stateDict) as OptimizerStateDict;
    const groups = this.paramGroups, saved = sd.param_groups;
    if (groups.length !== saved.length) throw new ValueError("loaded state dict has a different number of parameter groups");
    if (groups.some((g, i) => g.params.length !== (saved[i]!["params"] as number[]).length))
      throw new ValueError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
    const idMap = new Map<number, Tensor>();
    saved.forEach((g, gi) => (g["params"] as number[]).forEach((id, j) => idMap.set(id, groups[gi]!.params[j]!)));
    const state = new Map<Tensor, ParamState>();
    for (const [k, v] of Object.entries(sd.state)) {
      const p = idMap.get(Number(k));
      if (!p) continue;
      const s: ParamState = {};
      for (const [key, val] of Object.entries(v as ParamState)) s[key] = castState(p, val, key);
      state.set(p, s);
    }
    this.state = state;
    this.paramGroups = groups.map((g, i) => {
      const ng: ParamGroup = { params: g.params } as ParamGroup;
      for (const [k, v] of Object.entries(saved[i]!)) if (k !== "params") ng[toCamel(k)] = v;
      return ng;
    });
  }

  /**
   * PyTorch's `repr(optimizer)`: each group's options, sorted by their snake_case names.
   * @example
   * const w = torch.zeros(2, { requiresGrad: true });
   * console.log(String(new optim.SGD([w], { lr: 0.1 })));  // "SGD (\nParameter Group 0\n    dampening: 0\n ..."
   */
  toString(): string {
    let s = this.constructor.name + " (";
    this.paramGroups.forEach((g, i) => {
      s += `\nParameter Group ${i}\n`;
      const entries = Object.entries(g).filter(([k]) => k !== "params").map(([k, v]) => [toSnake(k), v] as const);
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [k, v] of entries) s += `    ${k}: ${pyStr(v, this.floatOptions.has(k))}\n`;
    });
    return s + ")";
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
  /**
   * Options whose PyTorch default is a float with an integral value (Adadelta's lr=1.0), printed
   * as `1.0`. NOTE: JavaScript cannot tell `1` from `1.0`; other integral values print as ints.
   */
  protected get floatOptions(): Set<string> {
    return new Set();
  }

  /** The state of p, created empty on first use (PyTorch's defaultdict(dict)). */
  protected stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (!s) this.state.set(p, (s = {}));
    return s;
  }

  /**
   * The step skeleton shared by the optimizers: run the closure with grad enabled, then under
   * noGrad, for each group, take the parameters that have gradients, fetch their state (filling
   * it on first use: `step` first, as an int or a 0-d tensor, then `init`'s entries; an int step
   * is counted here, a tensor step by the update) and hand them to the pure update function.
   */
  protected runStep(
    closure: (() => Tensor | number) | undefined,
    update: (params: Tensor[], grads: Tensor[], states: ParamState[], group: ParamGroup) => void,
    init?: { step: "int" | "tensor"; entries: (p: Tensor, group: ParamGroup) => ParamState },
  ): Tensor | number | null {
    const loss = closure ? enableGrad(closure) : null;
    noGrad(() => {
      for (const g of this.paramGroups) {
        const { params, grads } = withGrads(g);
        const states = params.map((p) => {
          const s = this.stateOf(p);
          if (!init) return s;
          if (!("step" in s)) {
            s["step"] = init.step === "int" ? 0 : scalarTensor(0);
            Object.assign(s, init.entries(p, g));
          }
          if (init.step === "int") s["step"] += 1;
          return s;
        });
        update(params, grads, states, g);
      }
    });
    return loss;
  }
}

/** Python's repr of a float: shortest digits, exponent form below 1e-4 and from 1e16 on. */
export function pyFloatRepr(x: number, isFloat = false): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  if (Number.isInteger(x) && !isFloat && Math.abs(x) < 1e16) return String(x);
  const [mant, expStr] = x.toExponential().split("e") as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  const fixed = x.toFixed(Math.max(0, (mant.split(".")[1]?.length ?? 0) - exp));
  return fixed.includes(".") ? fixed : fixed + ".0";
}

/** Python's str() of an option value (True, None, tuples). */
function pyStr(v: unknown, isFloat: boolean): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return pyFloatRepr(v, isFloat);
  if (Array.isArray(v)) return "(" + v.map((x) => pyStr(x, false)).join(", ") + (v.length === 1 ? ",)" : ")");
  return String(v);
}

/** Floating-point state tensors follow the parameter's dtype, except `step` (PyTorch issue 74424). */
function castState(p: Tensor, v: any, key?: string): any {
  if (v instanceof Tensor) return key !== "step" && p.isFloatingPoint() && v.isFloatingPoint() ? v.to(p.dtype) : v;
  if (Array.isArray(v)) return v.map((x) => castState(p, x));
  return v;
}

/** The parameters of a group that have gradients, with their gradients. */
export function withGrads(group: ParamGroup): { params: Tensor[]; grads: Tensor[] } {
  const params: Tensor[] = [], grads: Tensor[] = [];
  for (const p of group.params) if (p.grad !== null) { params.push(p); grads.push(p.grad); }
  return { params, grads };
}
