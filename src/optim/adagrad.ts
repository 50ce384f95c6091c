import { Tensor } from "../tensor/tensor.js";
import { Optimizer, Params, ParamState } from "./optimizer.js";
import { scalarTensor, validate } from "./_util.js";
import { fullLike } from "../ops/creation.js";

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
 */
export function adagradStep(params: Tensor[], grads: Tensor[], states: ParamState[], o: Required<AdagradOptions>): void {
  params.forEach((p, i) => {
    const s = states[i]!;
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
 * Adagrad (torch.optim.Adagrad). Its state is created in the constructor, as PyTorch's is.
 * @example
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
