// torch.nn.utils.parametrize: register_parametrization / remove_parametrizations / is_parametrized /
// cached, as PyTorch 1.13's torch/nn/utils/parametrize.py. The tensor `name` moves into
// `module.parametrizations[name].original` (a ParametrizationList of the parametrization modules),
// and reading `module[name]` runs them on it; the module's repr names it Parametrized<Class>.
import { Tensor } from "../../tensor/tensor.js";
import { noGrad } from "../../autograd/grad_mode.js";
import { RuntimeError, ValueError } from "../../errors.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { ModuleDict } from "../modules/container.js";

/** A parametrization may define rightInverse (PyTorch's right_inverse) to initialise `original`. */
type WithRightInverse = Module & { rightInverse?: (x: Tensor) => Tensor };

const sizeStr = (s: readonly number[]) => `torch.Size([${s.join(", ")}])`;

function registerParameterOrBuffer(module: Module, name: string, x: Tensor): void {
  if (x instanceof Parameter) module.registerParameter(name, x);
  else module.registerBuffer(name, x);
}

/** PyTorch's ParametrizationList: the parametrizations of one tensor, applied in order to `original`. */
export class ParametrizationList extends Module {
  declare original: Tensor;
  declare unsafe: boolean;
  constructor(modules: Module[], original: Tensor, unsafe = false) {
    if (modules.length === 0) throw new ValueError("ParametrizationList requires one or more modules.");
    super();
    for (const m of modules) this.append(m);
    this.unsafe = unsafe;
    const shape = original.shape, dtype = original.dtype;
    let neu = original;
    noGrad(() => {
      for (const m of [...modules].reverse()) {
        const ri = (m as WithRightInverse).rightInverse;
        if (ri) neu = ri.call(m, neu);
      }
    });
    if (original.dtype !== neu.dtype)
      throw new ValueError(`When \`right_inverse\` outputs one tensor, it may not change the dtype.\noriginal.dtype: torch.${original.dtype.name}\nright_inverse(original).dtype: torch.${neu.dtype.name}`);
    if (neu !== original) noGrad(() => { original.data = neu.detach(); });
    registerParameterOrBuffer(this, "original", original);
    if (!unsafe) {
      const Z = this.forward();
      if (!(Z instanceof Tensor)) throw new ValueError(`A parametrization must return a tensor. Got ${typeof Z}.`);
      if (Z.dtype !== dtype)
        throw new ValueError(`Registering a parametrization may not change the dtype of the tensor, unless \`unsafe\` flag is enabled.\nunparametrized dtype: torch.${dtype.name}\nparametrized dtype: torch.${Z.dtype.name}`);
      if (Z.shape.join(",") !== shape.join(","))
        throw new ValueError(`Registering a parametrization may not change the shape of the tensor, unless \`unsafe\` flag is enabled.\nunparametrized shape: ${sizeStr(shape)}\nparametrized shape: ${sizeStr(Z.shape)}`);
    }
  }
  /** As ModuleList's append. */
  append(module: Module): this {
    this.addModule(String(this._modules.size), module);
    return this;
  }
  override get length(): number {
    return this._modules.size;
  }
  /** Sets `original` so that the parametrized tensor becomes `value` (each rightInverse, last first). */
  rightInverse(value: Tensor): void {
    noGrad(() => {
      for (const m of [...this._modules.values()].reverse()) {
        const ri = (m as WithRightInverse | null)?.rightInverse;
        if (!ri) throw new RuntimeError(`parametrization ${m!.constructor.name} does not implement right_inverse.`);
        value = ri.call(m, value);
      }
      if (value.dtype !== this.original.dtype)
        throw new ValueError(`The tensor returned by \`right_inverse\` has dtype torch.${value.dtype.name} while \`original\` has dtype torch.${this.original.dtype.name}`);
      this.original.data = value.detach();
    });
  }
  override forward(): Tensor {
    let x = this.original;
    for (const m of this._modules.values()) x = m!.call(x) as Tensor;
    return x;
  }
}

let cacheEnabled = 0;
const cache = new Map<Module, Map<string, Tensor>>();

/** parametrize.cached(): within fn, each parametrized tensor is computed once (PyTorch's context manager). */
export function cached<T>(fn: () => T): T {
  cacheEnabled++;
  try {
    return fn();
  } finally {
    cacheEnabled--;
    if (!cacheEnabled) cache.clear();
  }
}

function parametrizationsOf(module: Module): ModuleDict | null {
  const p = module._modules.get("parametrizations");
  return p instanceof ModuleDict ? p : null;
}

/** parametrize.is_parametrized(module, tensorName = null). */
export function isParametrized(module: Module, tensorName: string | null = null): boolean {
  const p = parametrizationsOf(module);
  if (!p) return false;
  return tensorName === null ? p._modules.size > 0 : p._modules.has(tensorName);
}

function injectProperty(module: Module, name: string): void {
  Object.defineProperty(module, name, {
    configurable: true,
    enumerable: false,
    get(this: Module): Tensor {
      const list = parametrizationsOf(this)!.get<ParametrizationList>(name);
      if (!cacheEnabled) return list.forward();
      let m = cache.get(this);
      if (!m) cache.set(this, (m = new Map()));
      let t = m.get(name);
      if (!t) m.set(name, (t = list.forward()));
      return t;
    },
    set(this: Module, value: Tensor) {
      parametrizationsOf(this)!.get<ParametrizationList>(name).rightInverse(value);
    },
  });
}

/**
 * parametrize.register_parametrization(module, tensorName, parametrization, { unsafe }): from now
 * on `module[tensorName]` is parametrization(original); registering again on the same tensor
 * appends to its list.
 * @example
 * class Symmetric extends nn.Module { forward(X: Tensor) { return X.triu().add(X.triu(1).transpose(0, 1)); } }
 * const layer = new nn.Linear(3, 3);
 * nn.utils.parametrize.registerParametrization(layer, "weight", new Symmetric());
 */
export function registerParametrization<M extends Module>(module: M, tensorName: string, parametrization: Module, opts: { unsafe?: boolean } = {}): M {
  const unsafe = opts.unsafe ?? false;
  parametrization.train(module.training);
  if (isParametrized(module, tensorName)) {
    if (!unsafe) {
      const Y = (module as unknown as Record<string, Tensor>)[tensorName]!;
      const X = parametrization.call(Y) as Tensor;
      if (!(X instanceof Tensor)) throw new ValueError(`A parametrization must return a tensor. Got ${typeof X}.`);
      if (X.dtype !== Y.dtype)
        throw new ValueError(`Registering a parametrization may not change the dtype of the tensor, unless the \`unsafe\` flag is enabled.\nmodule.${tensorName}.dtype: torch.${Y.dtype.name}\nparametrization(module.${tensorName}).dtype: torch.${X.dtype.name}`);
      if (X.shape.join(",") !== Y.shape.join(","))
        throw new ValueError(`Registering a parametrization may not change the shape of the tensor, unless the \`unsafe\` flag is enabled.\nmodule.${tensorName}.shape: ${sizeStr(Y.shape)}\nparametrization(module.${tensorName}).shape: ${sizeStr(X.shape)}`);
    }
    const list = parametrizationsOf(module)!.get<ParametrizationList>(tensorName);
    list.append(parametrization);
    list.unsafe = list.unsafe || unsafe;
  } else if (module._buffers.has(tensorName) || module._parameters.has(tensorName)) {
    const original = (module as unknown as Record<string, Tensor>)[tensorName]!;
    const list = new ParametrizationList([parametrization], original, unsafe);
    module._parameters.delete(tensorName);
    module._buffers.delete(tensorName);
    if (!isParametrized(module)) {
      const base = module._getName();
      Object.defineProperty(module, "_getName", { value: () => `Parametrized${base}`, configurable: true, enumerable: false, writable: true });
      (module as unknown as Record<string, Module>).parametrizations = new ModuleDict();
    }
    injectProperty(module, tensorName);
    parametrizationsOf(module)!.set(tensorName, list);
  } else
    throw new ValueError(`Module '${String(module)}' does not have a parameter, a buffer, or a parametrized element with name '${tensorName}'`);
  return module;
}

/**
 * parametrize.remove_parametrizations(module, tensorName, leaveParametrized = true): `tensorName`
 * becomes a plain parameter (or buffer) again, holding the parametrized value (or the original).
 */
export function removeParametrizations<M extends Module>(module: M, tensorName: string, leaveParametrized = true): M {
  if (!isParametrized(module, tensorName)) throw new ValueError(`Module ${String(module)} does not have a parametrization on ${tensorName}`);
  const dict = parametrizationsOf(module)!;
  const list = dict.get<ParametrizationList>(tensorName);
  const original = list.original;
  if (leaveParametrized) {
    const t = noGrad(() => (module as unknown as Record<string, Tensor>)[tensorName]!);
    noGrad(() => { original.data = t.detach(); });
  }
  Reflect.deleteProperty(module, tensorName);
  dict._modules.delete(tensorName);
  registerParameterOrBuffer(module, tensorName, original);
  if (!isParametrized(module)) {
    module._modules.delete("parametrizations");
    Reflect.deleteProperty(module, "_getName");
  }
  return module;
}

/** parametrize.type_before_parametrizations(module): the module's own class name (PyTorch returns the class). */
export function typeBeforeParametrizations(module: Module): string {
  return module.constructor.name;
}

export const register_parametrization = registerParametrization;
export const remove_parametrizations = removeParametrizations;
export const is_parametrized = isParametrized;
