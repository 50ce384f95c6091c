import { Tensor } from "../tensor/tensor.js";
import { Optimizer, Params, ParamState } from "./optimizer.js";
import { validate, zerosOf, pyPow } from "./_util.js";

export interface RAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
}

/**
 * The RAdam update (PyTorch's `_single_tensor_radam`):
 * ```
 * for each p, g:
 *   step += 1;  bc1 = 1 - beta1^step;  bc2 = 1 - beta2^step;  if wd != 0: g = g + wd * p
 *   m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g * g
 *   mHat = m / bc1
 *   rhoInf = 2 / (1 - beta2) - 1;  rhoT = rhoInf - 2 * step * beta2^step / bc2
 *   if rhoT > 5:
 *     rect = sqrt((rhoT - 4)(rhoT - 2) rhoInf / ((rhoInf - 4)(rhoInf - 2) rhoT))
 *     p = p - mHat * lr * (sqrt(bc2) / (sqrt(v) + eps)) * rect
 *   else p = p - mHat * lr
 * ```
 */
export function radamStep(params: Tensor[], grads: Tensor[], states: ParamState[], o: Required<RAdamOptions>): void {
  const [beta1, beta2] = o.betas;
  params.forEach((p, i) => {
    const s = states[i]!;
    let grad = grads[i]!;
    const stepT: Tensor = s["step"];
    stepT.add_(1);
    const step = stepT.item();
    const bc1 = 1 - pyPow(beta1, step), bc2 = 1 - pyPow(beta2, step);
    if (o.weightDecay !== 0) grad = grad.add(p, { alpha: o.weightDecay });
    const expAvg: Tensor = s["exp_avg"], expAvgSq: Tensor = s["exp_avg_sq"];
    expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
    expAvgSq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
    const corrected = expAvg.div(bc1);
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * step * pyPow(beta2, step)) / bc2;
    if (rhoT > 5) {
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      // NOTE: PyTorch computes `math.sqrt(bc2) / (sqrt(v) + eps)` as a scalar divided by a tensor.
      const adaptiveLr = expAvgSq.sqrt().add_(o.eps).reciprocal().mul(Math.sqrt(bc2));
      p.add_(corrected.mul(o.lr).mul(adaptiveLr).mul(rect), { alpha: -1 });
    } else p.add_(corrected.mul(o.lr), { alpha: -1 });
  });
}

/**
 * RAdam, rectified Adam (torch.optim.RAdam).
 * @example
 * const params = new nn.Linear(2, 1).parameters();
 * const opt = new optim.RAdam(params, { lr: 1e-3 });
 */
export class RAdam extends Optimizer {
  constructor(params: Params, opts: RAdamOptions = {}) {
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0 } = opts;
    validate({ lr, eps, betas, weightDecay });
    super(params, { lr, betas, eps, weightDecay, foreach: null });
  }
  step(closure?: () => Tensor | number): Tensor | number | null {
    return this.runStep(closure, (params, grads, states, g) => radamStep(params, grads, states, g as any), {
      step: "tensor",
      entries: (p) => ({ exp_avg: zerosOf(p), exp_avg_sq: zerosOf(p) }),
    });
  }
}
