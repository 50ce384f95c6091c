import { Tensor } from "../tensor/tensor.js";
import { Optimizer, Params, ParamState } from "./optimizer.js";
import { scalarTensor, validate, zerosOf, pyPow } from "./_util.js";

export interface ASGDOptions {
  lr?: number;
  lambd?: number;
  alpha?: number;
  t0?: number;
  weightDecay?: number;
  maximize?: boolean;
}

/**
 * The averaged SGD update (PyTorch's `_single_tensor_asgd`):
 * ```
 * for each p, g:
 *   g = maximize ? -g : g;  step += 1;  if wd != 0: g = g + wd * p
 *   p = p * (1 - lambd * eta)
 *   p = p - eta * g
 *   ax = (mu != 1) ? ax + mu * (p - ax) : p
 *   eta = lr / (1 + lambd * lr * step)^alpha
 *   mu = 1 / max(1, step - t0)
 * ```
 * NOTE: eta and mu are float32 0-d tensors in PyTorch's state, so they are rounded to float32
 * (here too) even when the parameters are float64.
 */
export function asgdStep(params: Tensor[], grads: Tensor[], states: ParamState[], o: Required<ASGDOptions>): void {
  params.forEach((p, i) => {
    const s = states[i]!;
    let grad = o.maximize ? grads[i]!.neg() : grads[i]!;
    const stepT: Tensor = s["step"], eta: Tensor = s["eta"], mu: Tensor = s["mu"], ax: Tensor = s["ax"];
    stepT.add_(1);
    const step = stepT.item();
    if (o.weightDecay !== 0) grad = grad.add(p, { alpha: o.weightDecay });
    p.mul_(1 - o.lambd * eta.item());
    p.add_(grad, { alpha: -eta.item() });
    if (mu.item() !== 1) ax.add_(p.sub(ax).mul(mu.item()));
    else ax.copy_(p);
    eta.copy_(scalarTensor(o.lr / pyPow(1 + o.lambd * o.lr * step, o.alpha)));
    mu.copy_(scalarTensor(1 / Math.max(1, step - o.t0)));
  });
}

/**
 * Averaged stochastic gradient descent (torch.optim.ASGD); the average is in `state.get(p).ax`.
 * @example
 * const params = new nn.Linear(2, 1).parameters();
 * const opt = new optim.ASGD(params, { lr: 0.01, t0: 10 });
 */
export class ASGD extends Optimizer {
  constructor(params: Params, opts: ASGDOptions = {}) {
    const { lr = 1e-2, lambd = 1e-4, alpha = 0.75, t0 = 1e6, weightDecay = 0, maximize = false } = opts;
    validate({ lr, weightDecay });
    super(params, { lr, lambd, alpha, t0, weightDecay, foreach: null, maximize });
  }
  protected override get floatOptions(): Set<string> {
    return new Set(["t0"]);
  }
  step(closure?: () => Tensor | number): Tensor | number | null {
    return this.runStep(closure, (params, grads, states, g) => asgdStep(params, grads, states, g as any), {
      step: "tensor",
      entries: (p, g) => ({ eta: scalarTensor(g.lr), mu: scalarTensor(1), ax: zerosOf(p) }),
    });
  }
}
