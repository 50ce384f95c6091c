import { Tensor } from "../tensor/tensor.js";
import { noGrad, enableGrad } from "../autograd/grad_mode.js";
import { Optimizer, Params, ParamState, withGrads } from "./optimizer.js";
import { check, fmt, zerosOf } from "./_util.js";
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
 * const opt = new optim.Rprop(params, { lr: 0.01, etas: [0.5, 1.2], stepSizes: [1e-6, 50] });
 */
export class Rprop extends Optimizer {
  constructor(params: Params, opts: RpropOptions = {}) {
    const { lr = 1e-2, etas = [0.5, 1.2], stepSizes = [1e-6, 50], maximize = false } = opts;
    check(lr >= 0, `Invalid learning rate: ${fmt(lr)}`);
    check(0 < etas[0] && etas[0] < 1 && 1 < etas[1], `Invalid eta values: ${fmt(etas[0])}, ${fmt(etas[1])}`);
    super(params, { lr, etas, stepSizes, foreach: null, maximize });
  }
  step(closure?: () => Tensor | number): Tensor | number | null {
    const loss = closure ? enableGrad(closure) : null;
    noGrad(() => {
      for (const g of this.paramGroups) {
        const { params, grads } = withGrads(g);
        const states = params.map((p) => {
          const s = this.stateOf(p);
          if (!("step" in s)) {
            s["step"] = 0;
            s["prev"] = zerosOf(p);
            s["step_size"] = fullLike(p.grad!, g.lr);
          }
          s["step"] += 1;
          return s;
        });
        rpropStep(params, grads, states, g as any);
      }
    });
    return loss;
  }
}
