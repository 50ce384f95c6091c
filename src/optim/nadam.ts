import { Tensor } from "../tensor/tensor.js";
import { Optimizer, Params, ParamState } from "./optimizer.js";
import { scalarTensor, validate, zerosOf, pyPow } from "./_util.js";

export interface NAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  momentumDecay?: number;
}

/**
 * The NAdam update (PyTorch's `_single_tensor_nadam`):
 * ```
 * for each p, g:
 *   step += 1;  bc2 = 1 - beta2^step;  if wd != 0: g = g + wd * p
 *   mu = beta1 * (1 - 0.5 * 0.96^(step * psi));  muNext = beta1 * (1 - 0.5 * 0.96^((step + 1) * psi))
 *   muProduct = muProduct * mu;  muProductNext = muProduct * mu * muNext
 *   m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g * g
 *   denom = sqrt(v / bc2) + eps
 *   p = p - lr * (1 - mu) / (1 - muProduct) * g / denom
 *   p = p - lr * muNext / (1 - muProductNext) * m / denom
 * ```
 * NOTE: muProduct is a float32 0-d tensor in PyTorch's state (and muProductNext is computed from
 * it in float32); kept so here, which is why float64 runs still see float32 rounding there.
 */
export function nadamStep(params: Tensor[], grads: Tensor[], states: ParamState[], o: Required<NAdamOptions>): void {
  const [beta1, beta2] = o.betas;
  params.forEach((p, i) => {
    const s = states[i]!;
    let grad = grads[i]!;
    const stepT: Tensor = s["step"], muProduct: Tensor = s["mu_product"];
    stepT.add_(1);
    const step = stepT.item();
    const bc2 = 1 - pyPow(beta2, step);
    if (o.weightDecay !== 0) grad = grad.add(p, { alpha: o.weightDecay });
    const mu = beta1 * (1 - 0.5 * pyPow(0.96, step * o.momentumDecay));
    const muNext = beta1 * (1 - 0.5 * pyPow(0.96, (step + 1) * o.momentumDecay));
    muProduct.mul_(mu);
    const muProductNext = muProduct.mul(mu).mul(muNext);
    const expAvg: Tensor = s["exp_avg"], expAvgSq: Tensor = s["exp_avg_sq"];
    expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
    expAvgSq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
    const denom = expAvgSq.div(bc2).sqrt().add_(o.eps);
    p.addcdiv_(grad, denom, { value: (-o.lr * (1 - mu)) / (1 - muProduct.item()) });
    p.addcdiv_(expAvg, denom, { value: (-o.lr * muNext) / (1 - muProductNext.item()) });
  });
}

/**
 * NAdam, Adam with Nesterov momentum (torch.optim.NAdam).
 * @example
 * const params = new nn.Linear(2, 1).parameters();
 * const opt = new optim.NAdam(params, { lr: 2e-3, momentumDecay: 4e-3 });
 */
export class NAdam extends Optimizer {
  constructor(params: Params, opts: NAdamOptions = {}) {
    const { lr = 2e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, momentumDecay = 4e-3 } = opts;
    validate({ lr, eps, betas, weightDecay, momentumDecay });
    super(params, { lr, betas, eps, weightDecay, momentumDecay, foreach: null });
  }
  step(closure?: () => Tensor | number): Tensor | number | null {
    return this.runStep(closure, (params, grads, states, g) => nadamStep(params, grads, states, g as any), {
      step: "tensor",
      entries: (p) => ({ mu_product: scalarTensor(1), exp_avg: zerosOf(p), exp_avg_sq: zerosOf(p) }),
    });
  }
}
