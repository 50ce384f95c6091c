import { Tensor } from "../tensor/tensor.js";
import { Optimizer, Params, ParamState } from "./optimizer.js";
import { scalarTensor, validate } from "./_util.js";
import { fullLike } from "../ops/creation.js";
import { bumpVersion, fusable, fusedBackend } from "./_fused.js";
import type { Backend } from "../backend/backend.js";

export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
  maximize?: boolean;
}

/**
 * The Adagrad update (PyTorch's `_single_tensor_adagrad`):
 * ```
 * for each p, g:
 *   step += 1;  g = maximize ? -g : g
 *   if wd != 0: g = g + wd * p
 *   clr = lr / (1 + (step - 1) * lrDecay)
 *   sum = sum + g * g
 *   p = p - clr * g / (sqrt(sum) + eps)
 * ```
 * Where the backend has a fused adagradStep and the tensors are plain (see _fused.ts), each
 * parameter's update is that one call: the same bits on the reference
 * backend (PyTorch's), within an ulp per operation on the fast one.
 */
export function adagradStep(params: Tensor[], grads: Tensor[], states: ParamState[], o: Required<AdagradOptions>): void {
  const fused = fusedBackend(o);
  params.forEach((p, i) => {
    const s = states[i]!;
    if (fused?.adagradStep && adagradFused(fused, p, grads[i]!, s, o)) return;
    const stepT: Tensor = s["step"];
    stepT.add_(1);
    const step = stepT.item();
    let grad = o.maximize ? grads[i]!.neg() : grads[i]!;
    if (o.weightDecay !== 0) grad = grad.add(p, { alpha: o.weightDecay });
    const clr = o.lr / (1 + (step - 1) * o.lrDecay);
    const sum: Tensor = s["sum"];
    sum.addcmul_(grad, grad, { value: 1 });
    const std = sum.sqrt().add_(o.eps);
    p.addcdiv_(grad, std, { value: -clr });
  });
}

/**
 * The same update as one call of the backend's fused adagradStep, when p, its gradient and its state
 * allow it (_fused.ts); false when they do not. The version counters move as the in-place ops above
 * move them.
 */
function adagradFused(b: Backend, p: Tensor, g: Tensor, s: ParamState, o: Required<AdagradOptions>): boolean {
  const stepT = s["step"], sum = s["sum"];
  if (!(stepT instanceof Tensor) || !fusable(p, g, [sum])) return false;
  stepT.add_(1);
  const step = stepT.item();
  b.adagradStep!(p._view(), g._view(), (sum as Tensor)._view(), {
    clr: o.lr / (1 + (step - 1) * o.lrDecay), eps: o.eps, weightDecay: o.weightDecay, maximize: o.maximize,
  });
  bumpVersion(p); // addcdiv_
  bumpVersion(sum); // addcmul_
  return true;
}

/**
 * Adagrad (torch.optim.Adagrad). Its state is created in the constructor, as PyTorch's is.
 * @example
 * const params = new nn.Linear(2, 1).parameters();
 * const opt = new optim.Adagrad(params, { lr: 0.01, lrDecay: 1e-4 });
 */
export class Adagrad extends Optimizer {
  constructor(params: Params, opts: AdagradOptions = {}) {
    const { lr = 1e-2, lrDecay = 0, weightDecay = 0, initialAccumulatorValue = 0, eps = 1e-10, maximize = false } = opts;
    validate({ lr, lrDecay, weightDecay, initialAccumulatorValue, eps });
    super(params, { lr, lrDecay, eps, weightDecay, initialAccumulatorValue, foreach: null, maximize });
    for (const g of this.paramGroups)
      for (const p of g.params) {
        const s = this.stateOf(p);
        s["step"] = scalarTensor(0);
        s["sum"] = fullLike(p, g["initialAccumulatorValue"]);
      }
  }
  step(closure?: () => Tensor | number): Tensor | number | null {
    return this.runStep(closure, (params, grads, states, g) => adagradStep(params, grads, states, g as any));
  }
}
