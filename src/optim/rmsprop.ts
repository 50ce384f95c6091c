import { Tensor } from "../tensor/tensor.js";
import { Optimizer, Params, ParamState } from "./optimizer.js";
import { validate, zerosOf } from "./_util.js";

export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}

/**
 * The RMSprop update (PyTorch's `_single_tensor_rmsprop`):
 * ```
 * for each p, g:
 *   g = maximize ? -g : g;  if wd != 0: g = g + wd * p
 *   sq = alpha * sq + (1 - alpha) * g * g
 *   if centered: ga = alpha * ga + (1 - alpha) * g;  avg = sqrt(sq - ga * ga) + eps
 *   else avg = sqrt(sq) + eps
 *   if momentum > 0: buf = momentum * buf + g / avg;  p = p - lr * buf
 *   else p = p - lr * g / avg
 * ```
 */
export function rmspropStep(params: Tensor[], grads: Tensor[], states: ParamState[], o: Required<RMSpropOptions>): void {
  params.forEach((p, i) => {
    const s = states[i]!;
    let grad = o.maximize ? grads[i]!.neg() : grads[i]!;
    if (o.weightDecay !== 0) grad = grad.add(p, { alpha: o.weightDecay });
    const sq: Tensor = s["square_avg"];
    sq.mul_(o.alpha).addcmul_(grad, grad, { value: 1 - o.alpha });
    let avg: Tensor;
    if (o.centered) {
      const ga: Tensor = s["grad_avg"];
      ga.mul_(o.alpha).add_(grad, { alpha: 1 - o.alpha });
      avg = sq.addcmul(ga, ga, { value: -1 }).sqrt_();
    } else avg = sq.sqrt();
    avg = avg.add_(o.eps);
    if (o.momentum > 0) {
      const buf: Tensor = s["momentum_buffer"];
      buf.mul_(o.momentum).addcdiv_(grad, avg);
      p.add_(buf, { alpha: -o.lr });
    } else p.addcdiv_(grad, avg, { value: -o.lr });
  });
}

/**
 * RMSprop (torch.optim.RMSprop).
 * @example
 * const opt = new optim.RMSprop(params, { lr: 0.01, momentum: 0.9, centered: true });
 */
export class RMSprop extends Optimizer {
  constructor(params: Params, opts: RMSpropOptions = {}) {
    const { lr = 1e-2, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0, centered = false, maximize = false } = opts;
    validate({ lr, eps, momentum, weightDecay, alpha });
    super(params, { lr, momentum, alpha, eps, centered, weightDecay, foreach: null, maximize, differentiable: false });
  }
  step(closure?: () => Tensor | number): Tensor | number | null {
    return this.runStep(closure, (params, grads, states, g) => rmspropStep(params, grads, states, g as any), {
      step: "int",
      entries: (p, g) => ({
        square_avg: zerosOf(p),
        ...(g["momentum"] > 0 ? { momentum_buffer: zerosOf(p) } : {}),
        ...(g["centered"] ? { grad_avg: zerosOf(p) } : {}),
      }),
    });
  }
}
