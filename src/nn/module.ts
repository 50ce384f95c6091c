// nn.Module: parameters, buffers and child modules kept in explicit, ordered registries.
//
// NOTE: TypeScript class fields are defined with [[Define]] semantics (useDefineForClassFields under
// ES2022), so a setter on Module.prototype never sees `linear = new nn.Linear(1, 1)`. The Module
// constructor therefore returns a Proxy whose `set` and `defineProperty` traps route Parameters,
// Modules and registered buffers into the registries, in assignment order, and whose `get` trap
// reads them back. Subclasses of subclasses work because every derived constructor's `this` is the
// proxy returned by the base constructor. Declare typed fields that are assigned in a constructor
// with `declare weight: Parameter;` (a plain `weight!: Parameter;` would define it as undefined first).
import { Device, checkDevice, type DeviceLike } from "../tensor/device.js";
import { Tensor } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { noGrad } from "../autograd/grad_mode.js";
import { KeyError, NotImplementedError, RuntimeError, TorchTypeError, ValueError, pythonTypeName } from "../errors.js";
import { Parameter } from "./parameter.js";

export type ForwardPreHook = (module: Module, inputs: unknown[]) => unknown[] | unknown | void;
export type ForwardHook = (module: Module, inputs: unknown[], output: unknown) => unknown | void;
export interface RemovableHandle {
  remove(): void;
}
export type StateDict = Map<string, Tensor>;
/** A state dict as `stateDict()` returns it: PyTorch's `_metadata` rides along, not enumerable. */
type StateDictWithMetadata = StateDict & { _metadata?: Map<string, { version: number }> };
export interface IncompatibleKeys {
  missingKeys: string[];
  unexpectedKeys: string[];
}

let hookId = 0;

function addIndent(s: string, n: number): string {
  const lines = s.split("\n");
  if (lines.length === 1) return s;
  const pad = " ".repeat(n);
  return [lines[0]!, ...lines.slice(1).map((l) => pad + l)].join("\n");
}

function typeNameOf(v: unknown): string {
  if (v instanceof Tensor) return `torch.${v.dtype.scalarName}Tensor`;
  return pythonTypeName(v);
}

const INTERNAL = new Set(["_parameters", "_buffers", "_modules", "_nonPersistent", "_forwardHooks", "_forwardPreHooks", "training"]);

/**
 * A module is callable as in PyTorch: `model(x)` runs `model.call(x)` (pre-hooks, forward, hooks).
 * NOTE: the call signature returns `any` because each subclass's forward has its own types; use
 * `model.forward(x)` or a typed wrapper where the static type matters.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Module {
  (...args: any[]): any;
}

/**
 * Base class of all neural network modules, PyTorch's `torch.nn.Module`.
 * @example
 * class LinearRegression extends nn.Module {
 *   linear = new nn.Linear(1, 1);
 *   forward(x: Tensor) { return this.linear(x); }
 * }
 * new LinearRegression().namedParameters().map(([n]) => n); // ["linear.weight", "linear.bias"]
 */
export class Module {
  /** @internal */ declare _parameters: Map<string, Parameter | null>;
  /** @internal */ declare _buffers: Map<string, Tensor | null>;
  /** @internal */ declare _nonPersistent: Set<string>;
  /** @internal */ declare _modules: Map<string, Module | null>;
  /** @internal */ declare _forwardHooks: Map<number, ForwardHook>;
  /** @internal */ declare _forwardPreHooks: Map<number, ForwardPreHook>;
  declare training: boolean;
  /** The version of this module's state dict layout, saved in `_metadata` (PyTorch's `_version`). */
  static _version = 1;

  constructor() {
    // The module is an arrow function (callable, no own `prototype`) given this class's prototype;
    // `length` and `name` are dropped so that fields and getters of those names work.
    const self = ((...args: unknown[]) => proxy.call(...args)) as unknown as Module;
    Reflect.deleteProperty(self, "length");
    Reflect.deleteProperty(self, "name");
    Object.setPrototypeOf(self, new.target.prototype);
    const def = (k: string, v: unknown) => Object.defineProperty(self, k, { value: v, writable: true, enumerable: false, configurable: true });
    def("_parameters", new Map());
    def("_buffers", new Map());
    def("_nonPersistent", new Set());
    def("_modules", new Map());
    def("_forwardHooks", new Map());
    def("_forwardPreHooks", new Map());
    def("training", true);
    const proxy: Module = new Proxy(self, {
      apply(_target, _thisArg, args) {
        return proxy.call(...args);
      },
      get(target, prop, receiver) {
        if (typeof prop === "string" && !INTERNAL.has(prop)) {
          if (target._parameters.has(prop)) return target._parameters.get(prop);
          if (target._buffers.has(prop)) return target._buffers.get(prop);
          if (target._modules.has(prop)) return target._modules.get(prop);
          const ix = (target as unknown as { _indexGet?: (i: number) => unknown })._indexGet;
          if (ix && /^-?\d+$/.test(prop)) return ix.call(receiver, Number(prop));
        }
        return Reflect.get(target, prop, receiver);
      },
      set(target, prop, value, receiver) {
        if (typeof prop === "string" && target._route(prop, value)) return true;
        return Reflect.set(target, prop, value, receiver);
      },
      defineProperty(target, prop, desc) {
        if (typeof prop === "string" && "value" in desc && target._route(prop, desc.value)) return true;
        return Reflect.defineProperty(target, prop, desc);
      },
      has(target, prop) {
        if (typeof prop === "string" && (target._parameters.has(prop) || target._buffers.has(prop) || target._modules.has(prop))) return true;
        return Reflect.has(target, prop);
      },
      deleteProperty(target, prop) {
        if (typeof prop === "string") {
          if (target._parameters.delete(prop) || target._buffers.delete(prop) || target._modules.delete(prop)) {
            target._nonPersistent.delete(prop);
            return true;
          }
        }
        return Reflect.deleteProperty(target, prop);
      },
    });
    return proxy;
  }

  /** @internal PyTorch's __setattr__: returns true when the value went into a registry. */
  _route(name: string, value: unknown): boolean {
    if (INTERNAL.has(name)) return false;
    const dropOwn = () => {
      if (Object.prototype.hasOwnProperty.call(this, name)) Reflect.deleteProperty(this, name);
    };
    if (value instanceof Parameter) {
      this._buffers.delete(name);
      this._modules.delete(name);
      dropOwn();
      this.registerParameter(name, value);
      return true;
    }
    if (this._parameters.has(name)) {
      if (value !== null && value !== undefined)
        throw new TorchTypeError(`cannot assign '${typeNameOf(value)}' as parameter '${name}' (torch.nn.Parameter or None expected)`);
      this._parameters.set(name, null);
      return true;
    }
    if (value instanceof Module) {
      this._parameters.delete(name);
      this._buffers.delete(name);
      dropOwn();
      this._modules.set(name, value);
      return true;
    }
    if (this._modules.has(name)) {
      if (value !== null && value !== undefined)
        throw new TorchTypeError(`cannot assign '${typeNameOf(value)}' as child module '${name}' (torch.nn.Module or None expected)`);
      this._modules.set(name, null);
      return true;
    }
    if (this._buffers.has(name)) {
      if (value !== null && value !== undefined && !(value instanceof Tensor))
        throw new TorchTypeError(`cannot assign '${typeNameOf(value)}' as buffer '${name}' (torch.Tensor or None expected)`);
      this._buffers.set(name, (value as Tensor | null | undefined) ?? null);
      return true;
    }
    return false;
  }

  /** The computation; subclasses override it. Call modules as `module(x)` (or `module.call(x)`), which runs hooks. */
  forward(..._args: any[]): any {
    throw new NotImplementedError(`Module [${this.constructor.name}] is missing the required "forward" function`);
  }

  /** PyTorch's `module(*args)`: forward pre-hooks, forward, forward hooks. */
  call(...args: any[]): any {
    let inputs = args;
    for (const h of [...this._forwardPreHooks.values()]) {
      const r = h(this, inputs);
      if (r !== undefined && r !== null) inputs = Array.isArray(r) ? r : [r];
    }
    let out = this.forward(...inputs);
    for (const h of [...this._forwardHooks.values()]) {
      const r = h(this, inputs, out);
      if (r !== undefined && r !== null) out = r;
    }
    return out;
  }

  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    const id = hookId++;
    this._forwardPreHooks.set(id, hook);
    return { remove: () => void this._forwardPreHooks.delete(id) };
  }
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    const id = hookId++;
    this._forwardHooks.set(id, hook);
    return { remove: () => void this._forwardHooks.delete(id) };
  }

  // ---------------------------------------------------------------- registration
  private checkName(name: string, kind: string): void {
    if (typeof name !== "string") throw new TorchTypeError(`${kind} name should be a string. Got ${typeof name}`);
    if (name.includes(".")) throw new KeyError(`${kind} name can't contain ".", got: ${name}`);
    if (name === "") throw new KeyError(`${kind} name can't be empty string ""`);
  }
  registerParameter(name: string, param: Parameter | null): void {
    this.checkName(name, "parameter");
    if ((Object.prototype.hasOwnProperty.call(this, name) || name in Object.getPrototypeOf(this)) && !this._parameters.has(name))
      throw new KeyError(`attribute '${name}' already exists`);
    if (param === null) {
      this._parameters.set(name, null);
      return;
    }
    if (!(param instanceof Parameter))
      throw new TorchTypeError(`cannot assign '${typeNameOf(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    if (param.gradFn)
      throw new RuntimeError(
        `Cannot assign non-leaf Tensor to parameter '${name}'. Model parameters must be created explicitly. To express '${name}' as a function of another Tensor, compute the value in the forward() method.`,
      );
    this._parameters.set(name, param);
  }
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    this.checkName(name, "buffer");
    if ((this._parameters.has(name) || this._modules.has(name)) && !this._buffers.has(name))
      throw new KeyError(`attribute '${name}' already exists`);
    if (tensor !== null && !(tensor instanceof Tensor))
      throw new TorchTypeError(`cannot assign '${typeNameOf(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    if (Object.prototype.hasOwnProperty.call(this, name)) Reflect.deleteProperty(this, name);
    this._buffers.set(name, tensor);
    if (persistent) this._nonPersistent.delete(name);
    else this._nonPersistent.add(name);
  }
  addModule(name: string, module: Module | null): void {
    this.checkName(name, "module");
    if (module !== null && !(module instanceof Module)) throw new TorchTypeError(`${typeNameOf(module)} is not a Module subclass`);
    if ((this._parameters.has(name) || this._buffers.has(name)) && !this._modules.has(name))
      throw new KeyError(`attribute '${name}' already exists`);
    this._modules.set(name, module);
  }
  registerModule(name: string, module: Module | null): void {
    this.addModule(name, module);
  }
  /** getSubmodule("a.b") */
  getSubmodule(target: string): Module {
    if (target === "") return this;
    let m: Module = this;
    for (const item of target.split(".")) {
      const c = m._modules.get(item);
      if (!c) throw new RuntimeError(`${m.constructor.name} has no attribute \`${item}\``);
      m = c;
    }
    return m;
  }

  // ---------------------------------------------------------------- traversal
  *namedModulesIter(memo = new Set<Module>(), prefix = "", removeDuplicate = true): Generator<[string, Module]> {
    if (memo.has(this) && removeDuplicate) return;
    if (removeDuplicate) memo.add(this);
    yield [prefix, this];
    for (const [name, m] of this._modules) {
      if (!m) continue;
      yield* m.namedModulesIter(memo, prefix + (prefix ? "." : "") + name, removeDuplicate);
    }
  }
  namedModules(prefix = ""): [string, Module][] {
    return [...this.namedModulesIter(new Set(), prefix)];
  }
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }
  namedChildren(): [string, Module][] {
    const seen = new Set<Module>();
    const out: [string, Module][] = [];
    for (const [n, m] of this._modules) if (m && !seen.has(m)) { seen.add(m); out.push([n, m]); }
    return out;
  }
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }
  private namedMembers<T extends Tensor>(get: (m: Module) => Map<string, T | null>, prefix: string, recurse: boolean, removeDuplicate = true): [string, T][] {
    const memo = new Set<Tensor>();
    const mods: [string, Module][] = recurse ? [...this.namedModulesIter(new Set(), prefix, removeDuplicate)] : [[prefix, this]];
    const out: [string, T][] = [];
    for (const [mp, m] of mods)
      for (const [k, v] of get(m)) {
        if (!v || memo.has(v)) continue;
        if (removeDuplicate) memo.add(v);
        out.push([mp + (mp ? "." : "") + k, v]);
      }
    return out;
  }
  namedParameters(prefix = "", recurse = true): [string, Parameter][] {
    return this.namedMembers((m) => m._parameters, prefix, recurse);
  }
  parameters(recurse = true): Parameter[] {
    return this.namedParameters("", recurse).map(([, p]) => p);
  }
  namedBuffers(prefix = "", recurse = true): [string, Tensor][] {
    return this.namedMembers((m) => m._buffers, prefix, recurse);
  }
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers("", recurse).map(([, b]) => b);
  }

  // ---------------------------------------------------------------- modes and bulk ops
  train(mode = true): this {
    if (typeof mode !== "boolean") throw new ValueError("training mode is expected to be boolean");
    this.training = mode;
    for (const m of this.children()) m.train(mode);
    return this;
  }
  eval(): this {
    return this.train(false);
  }
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }
  /**
   * Clears the gradients of all parameters. NOTE: PyTorch 1.13's default is set_to_none=False
   * (zeroes the existing gradient tensors in place); pass true to drop them.
   */
  zeroGrad(setToNone = false): void {
    for (const p of this.parameters()) {
      if (!p.grad) continue;
      if (setToNone) p.grad = null;
      else {
        const g = p.grad;
        if (g.gradFn) g.detach_();
        else g.requiresGrad_(false);
        noGrad(() => g.zero_());
      }
    }
  }
  /** Applies fn to every submodule (children first) and then to this module. */
  apply(fn: (m: Module) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }
  /** @internal applies fn to every parameter's data, gradient and buffer */
  _applyTensors(fn: (t: Tensor) => Tensor): this {
    for (const m of this.children()) m._applyTensors(fn);
    for (const [k, p] of this._parameters) {
      if (!p) continue;
      noGrad(() => {
        p.data = fn(p.data);
        if (p.grad) p.grad.data = fn(p.grad.data);
      });
      this._parameters.set(k, p);
    }
    for (const [k, b] of this._buffers) if (b) this._buffers.set(k, fn(b));
    return this;
  }
  /** module.to(dtype) / to("cpu") / to(torch.device("cpu")): casts floating point parameters and buffers, in place. */
  to(target: DType | DeviceLike | { dtype?: DType; device?: DeviceLike }): this {
    if (typeof target === "string" || target instanceof Device) {
      checkDevice(target);
      return this;
    }
    if (!("isFloatingPoint" in target) && (target as { device?: DeviceLike }).device !== undefined) checkDevice((target as { device: DeviceLike }).device);
    const dtype = "isFloatingPoint" in target ? (target as DType) : (target as { dtype?: DType }).dtype;
    if (!dtype) return this;
    if (!dtype.isFloatingPoint) throw new TorchTypeError(`nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=${dtype.name}`);
    return this._applyTensors((t) => (t.dtype.isFloatingPoint ? t.to(dtype) : t));
  }
  float(): this { return this._applyTensors((t) => (t.dtype.isFloatingPoint ? t.float() : t)); }
  double(): this { return this._applyTensors((t) => (t.dtype.isFloatingPoint ? t.double() : t)); }
  cpu(): this { return this; }

  // ---------------------------------------------------------------- state dict
  /** Parameters and persistent buffers, detached, under PyTorch's dotted keys, in registration order. */
  stateDict(destination: StateDict = new Map(), prefix = "", keepVars = false): StateDict {
    // NOTE: PyTorch attaches `_metadata` (module prefix -> {version}) to the state dict; torch.save
    // writes it, and modules whose stored layout changed between versions (BatchNorm: 2) read it.
    let meta = (destination as StateDictWithMetadata)._metadata;
    if (!meta) {
      meta = new Map();
      Object.defineProperty(destination, "_metadata", { value: meta, enumerable: false, writable: true, configurable: true });
    }
    meta.set(prefix.slice(0, -1), { version: (this.constructor as typeof Module)._version });
    for (const [k, p] of this._parameters) if (p) destination.set(prefix + k, keepVars ? p : p.detach());
    for (const [k, b] of this._buffers) if (b && !this._nonPersistent.has(k)) destination.set(prefix + k, keepVars ? b : b.detach());
    for (const [k, m] of this._modules) if (m) m.stateDict(destination, prefix + k + ".", keepVars);
    return destination;
  }
  /** Copies parameters and buffers from stateDict; strict checks that the keys match exactly. */
  loadStateDict(stateDict: StateDict | Record<string, Tensor>, strict = true): IncompatibleKeys {
    if (stateDict === null || typeof stateDict !== "object" || Array.isArray(stateDict) || stateDict instanceof Tensor)
      throw new TorchTypeError(`Expected state_dict to be dict-like, got <class '${typeNameOf(stateDict)}'>.`);
    const sd: Map<string, Tensor> = stateDict instanceof Map ? stateDict : new Map(Object.entries(stateDict));
    const missing: string[] = [], unexpected: string[] = [], errors: string[] = [];
    const load = (m: Module, prefix: string) => {
      const local: [string, Tensor][] = [];
      for (const [k, p] of m._parameters) if (p) local.push([k, p]);
      for (const [k, b] of m._buffers) if (b && !m._nonPersistent.has(k)) local.push([k, b]);
      for (const [name, param] of local) {
        const key = prefix + name;
        const input = sd.get(key);
        if (input === undefined) {
          if (strict) missing.push(key);
          else missing.push(key);
          continue;
        }
        if (!(input instanceof Tensor)) {
          errors.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${typeNameOf(input)}`);
          continue;
        }
        if (input.shape.join(",") !== param.shape.join(",")) {
          errors.push(
            `size mismatch for ${key}: copying a param with shape torch.Size([${input.shape.join(", ")}]) from checkpoint, the shape in current model is torch.Size([${param.shape.join(", ")}]).`,
          );
          continue;
        }
        noGrad(() => param.copy_(input));
      }
      if (strict) {
        for (const key of sd.keys()) {
          if (!key.startsWith(prefix)) continue;
          const inputName = key.slice(prefix.length).split(".")[0]!;
          if (!m._modules.has(inputName) && !local.some(([n]) => n === inputName)) unexpected.push(key);
        }
      }
      for (const [name, child] of m._modules) if (child) load(child, prefix + name + ".");
    };
    load(this, "");
    if (strict) {
      if (unexpected.length) errors.unshift(`Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${k}"`).join(", ")}. `);
      if (missing.length) errors.unshift(`Missing key(s) in state_dict: ${missing.map((k) => `"${k}"`).join(", ")}. `);
    }
    if (errors.length) throw new RuntimeError(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join("\n\t")}`);
    return { missingKeys: missing, unexpectedKeys: unexpected };
  }

  // ---------------------------------------------------------------- printing
  /** The layer's own description inside the parentheses (e.g. `in_features=1, out_features=1, bias=True`). */
  extraRepr(): string {
    return "";
  }
  /** @internal the name printed in the repr */
  _getName(): string {
    return this.constructor.name;
  }
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split("\n") : [];
    const childLines: string[] = [];
    for (const [k, m] of this._modules) childLines.push(`(${k}): ` + addIndent(m ? m.toString() : "None", 2));
    const lines = [...extraLines, ...childLines];
    let main = this._getName() + "(";
    if (lines.length) {
      if (extraLines.length === 1 && !childLines.length) main += extraLines[0];
      else main += "\n  " + lines.join("\n  ") + "\n";
    }
    return main + ")";
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** Python's bool repr, for extraRepr. */
export function pyBool(b: boolean): string {
  return b ? "True" : "False";
}
/** Python's tuple repr of ints: (3, 3) or (3,). */
export function pyTuple(v: readonly number[]): string {
  return v.length === 1 ? `(${v[0]},)` : `(${v.join(", ")})`;
}
/** Python's float repr (1e-05, 0.1, 1.0). */
export function pyFloat(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return v.toFixed(1);
  const s = v !== 0 && Math.abs(v) < 1e-4 ? v.toExponential() : String(v);
  if (s.includes("e")) {
    const [m, e] = s.split("e");
    const ex = Number(e);
    return `${m}e${ex < 0 ? "-" : "+"}${String(Math.abs(ex)).padStart(2, "0")}`;
  }
  return s;
}
