// Containers: nn.Sequential, nn.ModuleList, nn.ModuleDict.
import { Module } from "../module.js";
import { IndexError, KeyError, TorchTypeError } from "../../errors.js";

function indexOf(i: number, n: number, what: string): number {
  if (!Number.isInteger(i)) throw new TorchTypeError(`${what} indices must be integers`);
  if (i < -n || i >= n) throw new IndexError(`index ${i} is out of range`);
  return i < 0 ? i + n : i;
}

/**
 * Runs its modules in order, each on the previous one's output.
 * @example
 * const net = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
 * net.at(0).weight; net[0]; // the Linear
 */
export class Sequential extends Module {
  [index: number]: Module;
  constructor(...args: Module[] | [Map<string, Module>] | [Record<string, Module>]) {
    super();
    // (one Map or plain object: PyTorch's OrderedDict form; anything else must be modules)
    const dict = args.length === 1 && (args[0] instanceof Map || (typeof args[0] === "object" && args[0] !== null && Object.getPrototypeOf(args[0]) === Object.prototype));
    if (dict) {
      const entries = args[0] instanceof Map ? [...args[0]] : Object.entries(args[0] as Record<string, Module>);
      for (const [k, m] of entries) this.addModule(k, m);
    } else (args as Module[]).forEach((m, i) => this.addModule(String(i), m));
  }
  /** @internal net[-1] through the Module proxy */
  _indexGet(i: number): Module | undefined {
    const n = this._modules.size;
    if (i < -n || i >= n) return undefined;
    return this.at(i);
  }
  override get length(): number {
    return this._modules.size;
  }
  /** net[i] (negative counts from the end). */
  at<M extends Module = any>(i: number): M {
    const idx = indexOf(i, this._modules.size, "Sequential");
    return [...this._modules.values()][idx] as M;
  }
  /** net[start:stop] as a new Sequential keeping the names. */
  slice(start = 0, stop = this._modules.size): Sequential {
    const entries = [...this._modules].slice(start, stop) as [string, Module][];
    return new Sequential(new Map(entries));
  }
  append(module: Module): this {
    this.addModule(String(this._modules.size), module);
    return this;
  }
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }
  insert(index: number, module: Module): this {
    const n = this._modules.size;
    const i = indexOf(index, n + 1, "Sequential");
    const mods = [...this._modules.values()];
    mods.splice(i, 0, module as Module);
    this._modules.clear();
    mods.forEach((m, k) => this._modules.set(String(k), m));
    return this;
  }
  [Symbol.iterator](): IterableIterator<Module> {
    return ([...this._modules.values()] as Module[])[Symbol.iterator]();
  }
  override forward(input: any): any {
    let x = input;
    for (const m of this._modules.values()) if (m) x = m(x);
    return x;
  }
}

/** A list of modules, registered under "0", "1", ... */
export class ModuleList extends Module {
  [index: number]: Module;
  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }
  /** @internal */
  _indexGet(i: number): Module | undefined {
    const n = this._modules.size;
    if (i < -n || i >= n) return undefined;
    return this.at(i);
  }
  override get length(): number {
    return this._modules.size;
  }
  at<M extends Module = any>(i: number): M {
    const idx = indexOf(i, this._modules.size, "ModuleList");
    return [...this._modules.values()][idx] as M;
  }
  set(i: number, module: Module): void {
    const idx = indexOf(i, this._modules.size, "ModuleList");
    this._modules.set(String(idx), module);
  }
  append(module: Module): this {
    this.addModule(String(this._modules.size), module);
    return this;
  }
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }
  insert(index: number, module: Module): void {
    const mods = [...this._modules.values()];
    const n = mods.length;
    const i = index < 0 ? Math.max(0, index + n) : Math.min(index, n);
    mods.splice(i, 0, module);
    this._modules.clear();
    mods.forEach((m, k) => this._modules.set(String(k), m));
  }
  [Symbol.iterator](): IterableIterator<Module> {
    return ([...this._modules.values()] as Module[])[Symbol.iterator]();
  }
  override forward(): never {
    throw new Error("ModuleList is not callable: iterate over it in your forward()");
  }
}

/** An ordered dictionary of modules. */
export class ModuleDict extends Module {
  constructor(modules: Map<string, Module> | Record<string, Module> = {}) {
    super();
    const entries = modules instanceof Map ? [...modules] : Object.entries(modules);
    for (const [k, m] of entries) this.addModule(k, m);
  }
  get size(): number {
    return this._modules.size;
  }
  get<M extends Module = any>(key: string): M {
    if (!this._modules.has(key)) throw new KeyError(key);
    return this._modules.get(key) as M;
  }
  set(key: string, module: Module): void {
    this.addModule(key, module);
  }
  has(key: string): boolean {
    return this._modules.has(key);
  }
  delete(key: string): Module {
    const m = this.get(key);
    this._modules.delete(key);
    return m;
  }
  keys(): string[] {
    return [...this._modules.keys()];
  }
  values(): Module[] {
    return [...this._modules.values()] as Module[];
  }
  items(): [string, Module][] {
    return [...this._modules] as [string, Module][];
  }
  update(modules: Map<string, Module> | Record<string, Module>): void {
    const entries = modules instanceof Map ? [...modules] : Object.entries(modules);
    for (const [k, m] of entries) this.addModule(k, m);
  }
  [Symbol.iterator](): IterableIterator<string> {
    return this.keys()[Symbol.iterator]();
  }
  override forward(): never {
    throw new Error("ModuleDict is not callable: pick its modules by key in your forward()");
  }
}
