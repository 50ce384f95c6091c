import { Tensor } from "../tensor/tensor.js";
import { noGrad, enableGrad } from "../autograd/grad_mode.js";
import { Optimizer, Params, ParamState, withGrads } from "./optimizer.js";
import { check, fmt, pyFloat, scalarTensor, zerosOf } from "./_util.js";

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
    const bc2 = 1 - beta2 ** step;
    if (o.weightDecay !== 0) grad = grad.add(p, { alpha: o.weightDecay });
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * o.momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * o.momentumDecay));
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
 * const opt = new optim.NAdam(params, { lr: 2e-3, momentumDecay: 4e-3 });
 */
export class NAdam extends Optimizer {
  constructor(params: Params, opts: NAdamOptions = {}) {
    const { lr = 2e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, momentumDecay = 4e-3 } = opts;
    check(lr >= 0, `Invalid learning rate: ${fmt(lr)}`);
    check(eps >= 0, `Invalid epsilon value: ${fmt(eps)}`);
    check(betas[0] >= 0 && betas[0] < 1, `Invalid beta parameter at index 0: ${pyFloat(betas[0])}`);
    check(betas[1] >= 0 && betas[1] < 1, `Invalid beta parameter at index 1: ${pyFloat(betas[1])}`);
    check(weightDecay >= 0, `Invalid weight_decay value: ${fmt(weightDecay)}`);
    check(momentumDecay >= 0, `Invalid momentum_decay value: ${fmt(momentumDecay)}`);
    super(params, { lr, betas, eps, weightDecay, momentumDecay, foreach: null });
  }
  step(closure?: () => Tensor | number): Tensor | number | null {
    const loss = closure ? enableGrad(closure) : null;
    noGrad(() => {
      for (const g of this.paramGroups) {
        const { params, grads } = withGrads(g);
        const states = params.map((p) => {
          const s = this.stateOf(p);
          if (!("step" in s)) {
            s["step"] = scalarTensor(0);
            s["mu_product"] = scalarTensor(1);
            s["exp_avg"] = zerosOf(p);
            s["exp_avg_sq"] = zerosOf(p);
          }
          return s;
        });
        nadamStep(params, grads, states, g as any);
      }
    });
    return loss;
  }
}
