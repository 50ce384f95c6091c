import { Tensor } from "../tensor/tensor.js";
import { Optimizer, Params } from "./optimizer.js";
import { validate } from "./_util.js";
import { AdamOptions, adamState, adamStep } from "./adam.js";

export type AdamWOptions = AdamOptions;

/**
 * AdamW: Adam with decoupled weight decay (torch.optim.AdamW); the update is `adamStep` with
 * `decoupled: true`:
 * ```
 * p = p * (1 - lr * weightDecay); then Adam's moment update and step without wd in the gradient
 * ```
 * @example
 * const model = new nn.Linear(2, 1);
 * const opt = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
 */
export class AdamW extends Optimizer {
  constructor(params: Params, opts: AdamWOptions = {}) {
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 1e-2, amsgrad = false, maximize = false } = opts;
    validate({ lr, eps, betas, weightDecay });
    super(params, { lr, betas, eps, weightDecay, amsgrad, foreach: null, maximize, capturable: false });
  }
  step(closure?: () => Tensor | number): Tensor | number | null {
    return this.runStep(closure, (params, grads, states, g) => adamStep(params, grads, states, { ...(g as any), decoupled: true }), adamState);
  }
}
