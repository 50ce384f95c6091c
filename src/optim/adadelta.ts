import { Tensor } from "../tensor/tensor.js";
import { Optimizer, Params, ParamState } from "./optimizer.js";
import { validate, zerosOf } from "./_util.js";

export interface AdadeltaOptions {
  lr?: number;
  rho?: number;
  eps?: number;
  weightDecay?: number;
  maximize?: boolean;
}

/**
 * The Adadelta update (PyTorch's `_single_tensor_adadelta`):
 * ```
 * for each p, g:
 *   g = maximize ? -g : g;  if wd != 0: g = g + wd * p
 *   sq = rho * sq + (1 - rho) * g * g
 *   delta = sqrt(acc + eps) / sqrt(sq + eps) * g
 *   acc = rho * acc + (1 - rho) * delta * delta
 *   p = p - lr * delta
 * ```
 */
export function adadeltaStep(params: Tensor[], grads: Tensor[], states: ParamState[], o: Required<AdadeltaOptions>): void {
  params.forEach((p, i) => {
    const s = states[i]!;
    let grad = o.maximize ? grads[i]!.neg() : grads[i]!;
    if (o.weightDecay !== 0) grad = grad.add(p, { alpha: o.weightDecay });
    const sq: Tensor = s["square_avg"], acc: Tensor = s["acc_delta"];
    sq.mul_(o.rho).addcmul_(grad, grad, { value: 1 - o.rho });
    const std = sq.add(o.eps).sqrt_();
    const delta = acc.add(o.eps).sqrt_().div_(std).mul_(grad);
    acc.mul_(o.rho).addcmul_(delta, delta, { value: 1 - o.rho });
    p.add_(delta, { alpha: -o.lr });
  });
}

/**
 * Adadelta (torch.optim.Adadelta).
 * @example
 * const params = new nn.Linear(2, 1).parameters();
 * const opt = new optim.Adadelta(params, { rho: 0.9 });
 */
export class Adadelta extends Optimizer {
  constructor(params: Params, opts: AdadeltaOptions = {}) {
    const { lr = 1.0, rho = 0.9, eps = 1e-6, weightDecay = 0, maximize = false } = opts;
    validate({ lr, rho, eps, weightDecay });
    super(params, { lr, rho, eps, weightDecay, maximize, foreach: null });
  }
  protected override get floatOptions(): Set<string> {
    return new Set(["lr"]);
  }
  step(closure?: () => Tensor | number): Tensor | number | null {
    return this.runStep(closure, (params, grads, states, g) => adadeltaStep(params, grads, states, g as any), {
      step: "int",
      entries: (p) => ({ square_avg: zerosOf(p), acc_delta: zerosOf(p) }),
    });
  }
}
