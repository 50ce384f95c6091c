// torch.nn.utils.weight_norm / remove_weight_norm: w = g * v / ||v||, as PyTorch 1.13's hook-based
// WeightNorm (torch/nn/utils/weight_norm.py): the parameter `name` is replaced by `name_g` (the
// norm, shaped to broadcast) and `name_v` (the direction), and a forward pre-hook recomputes the
// weight before every forward.
import type { Tensor } from "../../tensor/tensor.js";
import { noGrad } from "../../autograd/grad_mode.js";
import { record } from "../../autograd/function.js";
import { RuntimeError, ValueError } from "../../errors.js";
import type { Module } from "../module.js";
import { Parameter } from "../parameter.js";

/**
 * torch.norm_except_dim(v, pow, dim): the pow-norm over every dim but `dim`, kept as size-1 dims
 * (dim -1: the norm of the whole tensor, 0-dim).
 */
export function normExceptDim(v: Tensor, pow = 2, dim = 0): Tensor {
  if (dim === -1) return v.norm(pow);
  if (dim === 0) {
    const out = v.shape.map((s, i) => (i === 0 ? s : 1));
    return v.contiguous().view(v.size(0), -1).norm(pow, 1).view(out);
  }
  if (dim === v.dim() - 1) {
    const out = v.shape.map((s, i) => (i === v.dim() - 1 ? s : 1));
    return v.contiguous().view(-1, v.size(v.dim() - 1)).norm(pow, 0).view(out);
  }
  return normExceptDim(v.transpose(0, dim), pow, 0).transpose(0, dim);
}

/**
 * torch._weight_norm(v, g, dim): v * (g / norm_except_dim(v, 2, dim)). NOTE: for dim 0 or the last
 * dim PyTorch runs its fused kernel (WeightNormInterfaceBackward0); other dims are composed (MulBackward0).
 */
export function weightNormCompute(v: Tensor, g: Tensor, dim = 0): Tensor {
  if (dim !== 0 && dim !== v.dim() - 1) return v.mul(g.div(normExceptDim(v, 2, dim)));
  const norms = (vv: Tensor) => normExceptDim(vv, 2, dim);
  const n0 = noGrad(() => norms(v));
  const w = noGrad(() => v.mul(g.div(n0)));
  const others = v.shape.map((_, i) => i).filter((i) => i !== dim);
  return record("WeightNormInterfaceBackward0", [v, g], w, (gw, s) => {
    // grad_g = sum(gw * v) / norm; grad_v = (g / norm) * (gw - v * grad_g / norm), summed over the other dims
    const vv = s(0), gg = s(1);
    const n = norms(vv);
    const dot = gw.mul(vv).sum(others, true);
    const gradG = dot.div(n);
    const gradV = gg.div(n).mul(gw.sub(vv.mul(gradG.div(n))));
    return [gradV, gradG.view(g.shape)];
  }, [v, g]);
}

/** The hook object PyTorch keeps in _forward_pre_hooks (found again by removeWeightNorm). */
interface WeightNormHook {
  (module: Module, inputs: unknown[]): void;
  weightNorm: { name: string; dim: number };
}

function hooksOf(module: Module): [number, WeightNormHook][] {
  return [...module._forwardPreHooks.entries()].filter((e): e is [number, WeightNormHook] => "weightNorm" in e[1]);
}

function computeWeight(module: Module, name: string, dim: number): Tensor {
  const m = module as unknown as Record<string, Tensor>;
  return weightNormCompute(m[name + "_v"]!, m[name + "_g"]!, dim);
}

/**
 * torch.nn.utils.weight_norm(module, name = "weight", dim = 0): replaces `name` with `name_g` and
 * `name_v` and recomputes it before each forward. dim null computes one norm over the whole tensor.
 * @example
 * const m = nn.utils.weightNorm(new nn.Linear(20, 40)); m.weight_g.shape; // [40, 1]
 */
export function weightNorm<M extends Module>(module: M, name = "weight", dim: number | null = 0): M {
  for (const [, h] of hooksOf(module))
    if (h.weightNorm.name === name) throw new RuntimeError(`Cannot register two weight_norm hooks on the same parameter ${name}`);
  const d = dim === null ? -1 : dim;
  const weight = (module as unknown as Record<string, Tensor>)[name]!;
  module._parameters.delete(name);
  module.registerParameter(name + "_g", new Parameter(noGrad(() => normExceptDim(weight, 2, d)).data));
  module.registerParameter(name + "_v", new Parameter(weight.data));
  (module as unknown as Record<string, Tensor>)[name] = computeWeight(module, name, d);
  const hook = Object.assign((m: Module) => {
    (m as unknown as Record<string, Tensor>)[name] = computeWeight(m, name, d);
  }, { weightNorm: { name, dim: d } });
  module.registerForwardPreHook(hook);
  return module;
}

/** torch.nn.utils.remove_weight_norm(module, name = "weight"): the weight becomes a plain parameter again. */
export function removeWeightNorm<M extends Module>(module: M, name = "weight"): M {
  for (const [k, h] of hooksOf(module)) {
    if (h.weightNorm.name !== name) continue;
    const weight = computeWeight(module, name, h.weightNorm.dim);
    Reflect.deleteProperty(module, name);
    module._parameters.delete(name + "_g");
    module._parameters.delete(name + "_v");
    (module as unknown as Record<string, Tensor>)[name] = new Parameter(weight.data);
    module._forwardPreHooks.delete(k);
    return module;
  }
  throw new ValueError(`weight_norm of '${name}' not found in ${String(module)}`);
}

export const weight_norm = weightNorm;
export const remove_weight_norm = removeWeightNorm;
