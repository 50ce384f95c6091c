// torch.nn.utils.spectral_norm / remove_spectral_norm: W / sigma(W), sigma estimated by power
// iteration, as PyTorch 1.13's hook-based SpectralNorm (torch/nn/utils/spectral_norm.py): the
// parameter `name` becomes `name_orig`, the buffers `name_u` and `name_v` hold the power
// iteration's vectors (updated in place in training), and a forward pre-hook recomputes the weight.
import type { Tensor } from "../../tensor/tensor.js";
import { noGrad } from "../../autograd/grad_mode.js";
import { RuntimeError, ValueError } from "../../errors.js";
import type { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { normalize } from "../norm_extra.js";

interface SpectralNormFn {
  name: string;
  dim: number;
  nPowerIterations: number;
  eps: number;
}
interface SpectralNormHook {
  (module: Module, inputs: unknown[]): void;
  spectralNorm: SpectralNormFn;
}

function hooksOf(module: Module): [number, SpectralNormHook][] {
  return [...module._forwardPreHooks.entries()].filter((e): e is [number, SpectralNormHook] => "spectralNorm" in e[1]);
}

/** The weight as a matrix: dim moved first, the rest flattened. */
function weightMatrix(weight: Tensor, dim: number): Tensor {
  let w = weight;
  if (dim !== 0) w = w.permute([dim, ...w.shape.map((_, i) => i).filter((i) => i !== dim)]);
  return w.reshape(w.size(0), -1);
}

function computeWeight(module: Module, fn: SpectralNormFn, doPowerIteration: boolean): Tensor {
  const m = module as unknown as Record<string, Tensor>;
  const weight = m[fn.name + "_orig"]!;
  let u = m[fn.name + "_u"]!, v = m[fn.name + "_v"]!;
  const mat = weightMatrix(weight, fn.dim);
  if (doPowerIteration) {
    // NOTE: under no_grad, u and v are normalized into the buffers in place (F.normalize(..., out=)),
    // then cloned so that the weight's graph keeps these values whatever later steps write
    noGrad(() => {
      for (let i = 0; i < fn.nPowerIterations; i++) {
        v.copy_(normalize(mat.t().mv(u), 2, 0, fn.eps));
        u.copy_(normalize(mat.mv(v), 2, 0, fn.eps));
      }
      u = u.clone();
      v = v.clone();
    });
  }
  const sigma = u.dot(mat.mv(v));
  return weight.div(sigma);
}

/**
 * torch.nn.utils.spectral_norm(module, name = "weight", nPowerIterations = 1, eps = 1e-12, dim = null):
 * dim defaults to 1 for ConvTranspose modules, else 0. u and v start as normalized N(0, 1) draws
 * (u first), as PyTorch draws them.
 */
export function spectralNorm<M extends Module>(module: M, name = "weight", nPowerIterations = 1, eps = 1e-12, dim: number | null = null): M {
  const d = dim ?? (module.constructor.name.startsWith("ConvTranspose") ? 1 : 0);
  for (const [, h] of hooksOf(module))
    if (h.spectralNorm.name === name) throw new RuntimeError(`Cannot register two spectral_norm hooks on the same parameter ${name}`);
  if (nPowerIterations <= 0) throw new ValueError(`Expected n_power_iterations to be positive, but got n_power_iterations=${nPowerIterations}`);
  const fn: SpectralNormFn = { name, dim: d, nPowerIterations, eps };
  const weight = module._parameters.get(name) ?? null;
  if (!weight) throw new ValueError(`\`SpectralNorm\` cannot be applied as parameter \`${name}\` is None`);
  const { u, v } = noGrad(() => {
    const mat = weightMatrix(weight, d);
    const [h, w] = mat.shape as [number, number];
    const uu = normalize(weight.newZeros([h]).normal_(0, 1), 2, 0, eps);
    const vv = normalize(weight.newZeros([w]).normal_(0, 1), 2, 0, eps);
    return { u: uu, v: vv };
  });
  module._parameters.delete(name);
  module.registerParameter(name + "_orig", weight);
  (module as unknown as Record<string, Tensor>)[name] = weight.data;
  module.registerBuffer(name + "_u", u);
  module.registerBuffer(name + "_v", v);
  const hook = Object.assign((m: Module) => {
    (m as unknown as Record<string, Tensor>)[name] = computeWeight(m, fn, m.training);
  }, { spectralNorm: fn });
  module.registerForwardPreHook(hook);
  return module;
}

/** torch.nn.utils.remove_spectral_norm(module, name = "weight"): the current W / sigma becomes a plain parameter. */
export function removeSpectralNorm<M extends Module>(module: M, name = "weight"): M {
  for (const [k, h] of hooksOf(module)) {
    if (h.spectralNorm.name !== name) continue;
    const weight = noGrad(() => computeWeight(module, h.spectralNorm, false));
    Reflect.deleteProperty(module, name);
    module._buffers.delete(name + "_u");
    module._buffers.delete(name + "_v");
    module._parameters.delete(name + "_orig");
    module.registerParameter(name, new Parameter(weight.detach()));
    module._forwardPreHooks.delete(k);
    return module;
  }
  throw new ValueError(`spectral_norm of '${name}' not found in ${String(module)}`);
}

export const spectral_norm = spectralNorm;
export const remove_spectral_norm = removeSpectralNorm;
