import { Tensor } from "../tensor/tensor.js";
import { Optimizer, Params, ParamState } from "./optimizer.js";
import { validate, zerosOf, pyPow } from "./_util.js";

export interface AdamaxOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  maximize?: boolean;
}

/**
 * The Adamax update (PyTorch's `_single_tensor_adamax`):
 * ```
 * for each p, g:
 *   g = maximize ? -g : g;  step += 1;  if wd != 0: g = g + wd * p
 *   m = beta1 * m + (1 - beta1) * g
 *   u = max(beta2 * u, |g| + eps)
 *   p = p - lr / (1 - beta1^step) * m / u
 * ```
 */
export function adamaxStep(params: Tensor[], grads: Tensor[], states: ParamState[], o: Required<AdamaxOptions>): void {
  const [beta1, beta2] = o.betas;
  params.forEach((p, i) => {
    const s = states[i]!;
    let grad = o.maximize ? grads[i]!.neg() : grads[i]!;
    const stepT: Tensor = s["step"];
    stepT.add_(1);
    const step = stepT.item();
    if (o.weightDecay !== 0) grad = grad.add(p, { alpha: o.weightDecay });
    const expAvg: Tensor = s["exp_avg"], expInf: Tensor = s["exp_inf"];
    expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
    // NOTE: PyTorch takes amax over cat([beta2 * u, |g| + eps]); an elementwise maximum is the same.
    expInf.mul_(beta2);
    expInf.copy_(expInf.maximum(grad.abs().add_(o.eps)));
    const clr = o.lr / (1 - pyPow(beta1, step));
    p.addcdiv_(expAvg, expInf, { value: -clr });
  });
}

/**
 * Adamax, Adam with the infinity norm (torch.optim.Adamax).
 * @example
 * const params = new nn.Linear(2, 1).parameters();
 * const opt = new optim.Adamax(params, { lr: 2e-3 });
 */
export class Adamax extends Optimizer {
  constructor(params: Params, opts: AdamaxOptions = {}) {
    const { lr = 2e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, maximize = false } = opts;
    validate({ lr, eps, betas, weightDecay });
    super(params, { lr, betas, eps, weightDecay, foreach: null, maximize });
  }
  step(closure?: () => Tensor | number): Tensor | number | null {
    return this.runStep(closure, (params, grads, states, g) => adamaxStep(params, grads, states, g as any), {
      step: "tensor",
      entries: (p) => ({ exp_avg: zerosOf(p), exp_inf: zerosOf(p) }),
    });
  }
}
