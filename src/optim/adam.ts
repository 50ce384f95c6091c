import { Tensor } from "../tensor/tensor.js";
import { Optimizer, Params, ParamGroup, ParamState } from "./optimizer.js";
import { validate, zerosOf, pyPow } from "./_util.js";
import { bumpVersion, fusable, fusedBackend } from "./_fused.js";
import type { Backend } from "../backend/backend.js";

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

export interface AdamStepOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
  /** AdamW: decay the weights directly (p *= 1 - lr * wd) instead of adding wd * p to the gradient. */
  decoupled: boolean;
}

/**
 * The Adam / AdamW update (PyTorch's `_single_tensor_adam` / `_single_tensor_adamw`):
 * ```
 * for each p, g:
 *   g = maximize ? -g : g
 *   step += 1
 *   if decoupled: p = p * (1 - lr * wd)          (AdamW)
 *   elif wd != 0: g = g + wd * p                  (Adam)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g * g
 *   bc1 = 1 - beta1^step;  bc2 = 1 - beta2^step
 *   if amsgrad: vmax = max(vmax, v); v_hat = vmax else v_hat = v
 *   p = p - (lr / bc1) * m / (sqrt(v_hat) / sqrt(bc2) + eps)
 * ```
 * Must run under noGrad. Where the backend has a fused adamStep and the tensors are plain (see
 * _fused.ts), each parameter's update is that one call: the same bits on the reference
 * backend (PyTorch's), within an ulp per operation on the fast one.
 */
export function adamStep(params: Tensor[], grads: Tensor[], states: ParamState[], o: AdamStepOptions): void {
  const [beta1, beta2] = o.betas;
  const fused = fusedBackend(o);
  params.forEach((p, i) => {
    const s = states[i]!;
    if (fused?.adamStep && adamFused(fused, p, grads[i]!, s, o)) return;
    let grad = o.maximize ? grads[i]!.neg() : grads[i]!;
    const expAvg: Tensor = s["exp_avg"], expAvgSq: Tensor = s["exp_avg_sq"];
    const stepT: Tensor = s["step"];
    stepT.add_(1);
    if (o.decoupled) p.mul_(1 - o.lr * o.weightDecay);
    else if (o.weightDecay !== 0) grad = grad.add(p, { alpha: o.weightDecay });
    expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
    expAvgSq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
    const step = stepT.item();
    const bc1 = 1 - pyPow(beta1, step), bc2 = 1 - pyPow(beta2, step);
    const stepSize = o.lr / bc1;
    const bc2Sqrt = Math.sqrt(bc2);
    let denom: Tensor;
    if (o.amsgrad) {
      const mx: Tensor = s["max_exp_avg_sq"];
      mx.copy_(mx.maximum(expAvgSq));
      denom = mx.sqrt().div(bc2Sqrt).add_(o.eps);
    } else denom = expAvgSq.sqrt().div(bc2Sqrt).add_(o.eps);
    p.addcdiv_(expAvg, denom, { value: -stepSize });
  });
}

/**
 * The same update as one call of the backend's fused adamStep, when p, its gradient and its state
 * allow it (_fused.ts); false when they do not. The step count and the bias corrections are computed
 * as above; the version counters move as the in-place ops above move them.
 */
function adamFused(b: Backend, p: Tensor, g: Tensor, s: ParamState, o: AdamStepOptions): boolean {
  const expAvg = s["exp_avg"], expAvgSq = s["exp_avg_sq"], mx = o.amsgrad ? s["max_exp_avg_sq"] : null;
  const stepT = s["step"];
  if (!(stepT instanceof Tensor) || !fusable(p, g, o.amsgrad ? [expAvg, expAvgSq, mx] : [expAvg, expAvgSq])) return false;
  stepT.add_(1);
  const step = stepT.item();
  const [beta1, beta2] = o.betas;
  const bc1 = 1 - pyPow(beta1, step), bc2 = 1 - pyPow(beta2, step);
  b.adamStep!(p._view(), g._view(), (expAvg as Tensor)._view(), (expAvgSq as Tensor)._view(), mx ? (mx as Tensor)._view() : null, {
    lr: o.lr, beta1, beta2, eps: o.eps, weightDecay: o.weightDecay, amsgrad: o.amsgrad, maximize: o.maximize,
    decoupled: o.decoupled, stepSize: o.lr / bc1, biasCorrection2Sqrt: Math.sqrt(bc2),
  });
  bumpVersion(p, o.decoupled ? 2 : 1); // mul_ (AdamW), addcdiv_
  bumpVersion(expAvg, 2); // mul_, add_
  bumpVersion(expAvgSq, 2); // mul_, addcmul_
  if (mx) bumpVersion(mx); // copy_
  return true;
}

/** Adam's and AdamW's state, filled on a parameter's first step (Optimizer.runStep). */
export const adamState = {
  step: "tensor" as const,
  entries: (p: Tensor, g: ParamGroup): ParamState => ({
    exp_avg: zerosOf(p),
    exp_avg_sq: zerosOf(p),
    ...(g["amsgrad"] ? { max_exp_avg_sq: zerosOf(p) } : {}),
  }),
};

/**
 * Adam (torch.optim.Adam).
 * @example
 * const model = new nn.Linear(2, 1);
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3, betas: [0.9, 0.999] });
 */
export class Adam extends Optimizer {
  constructor(params: Params, opts: AdamOptions = {}) {
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, amsgrad = false, maximize = false } = opts;
    validate({ lr, eps, betas, weightDecay });
    super(params, { lr, betas, eps, weightDecay, amsgrad, maximize, foreach: null, capturable: false, differentiable: false, fused: false });
  }
  step(closure?: () => Tensor | number): Tensor | number | null {
    return this.runStep(closure, (params, grads, states, g) => adamStep(params, grads, states, { ...(g as any), decoupled: false }), adamState);
  }
}
