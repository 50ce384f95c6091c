import { Tensor } from "../tensor/tensor.js";
import { Optimizer, Params, ParamState } from "./optimizer.js";
import { check, fmt, validate, zerosOf } from "./_util.js";
import { fullLike } from "../ops/creation.js";

export interface RpropOptions {
  lr?: number;
  etas?: [number, number];
  stepSizes?: [number, number];
  maximize?: boolean;
}

/**
 * The Rprop update (PyTorch's `_single_tensor_rprop`):
 * ```
 * for each p, g:
 *   g = maximize ? -g : g
 *   f = sign(g * prev) > 0 ? etaplus : (< 0 ? etaminus : 1)
 *   stepSize = clamp(stepSize * f, stepSizeMin, stepSizeMax)
 *   g = (f == etaminus) ? 0 : g
 *   p = p - sign(g) * stepSize
 *   prev = g
 * ```
 */
export function rpropStep(params: Tensor[], grads: Tensor[], states: ParamState[], o: Required<RpropOptions>): void {
  const [etaminus, etaplus] = o.etas;
  const [min, max] = o.stepSizes;
  params.forEach((p, i) => {
    const s = states[i]!;
    let grad = o.maximize ? grads[i]!.neg() : grads[i]!;
    const prev: Tensor = s["prev"], stepSize: Tensor = s["step_size"];
    const sign = grad.mul(prev).sign();
    const factor = fullLike(sign, 1).where(sign.eq(0), fullLike(sign, etaminus).where(sign.lt(0), fullLike(sign, etaplus)));
    stepSize.mul_(factor).clamp_(min, max);
    grad = fullLike(grad, 0).where(factor.eq(etaminus), grad);
    p.addcmul_(grad.sign(), stepSize, { value: -1 });
    prev.copy_(grad);
  });
}

/**
 * Resilient backpropagation (torch.optim.Rprop).
 * @example
 * const params = new nn.Linear(2, 1).parameters();
 * const opt = new optim.Rprop(params, { lr: 0.01, etas: [0.5, 1.2], stepSizes: [1e-6, 50] });
 */
export class Rprop extends Optimizer {
  constructor(params: Params, opts: RpropOptions = {}) {
    const { lr = 1e-2, etas = [0.5, 1.2], stepSizes = [1e-6, 50], maximize = false } = opts;
    validate({ lr });
    check(0 < etas[0] && etas[0] < 1 && 1 < etas[1], `Invalid eta values: ${fmt(etas[0])}, ${fmt(etas[1])}`);
    super(params, { lr, etas, stepSizes, foreach: null, maximize });
  }
  step(closure?: () => Tensor | number): Tensor | number | null {
    return this.runStep(closure, (params, grads, states, g) => rpropStep(params, grads, states, g as any), {
      step: "int",
      entries: (p, g) => ({ prev: zerosOf(p), step_size: fullLike(p.grad!, g.lr) }),
    });
  }
}
