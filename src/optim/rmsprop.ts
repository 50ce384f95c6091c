import { Tensor } from "../tensor/tensor.js";
import { Optimizer, Params, ParamState } from "./optimizer.js";
import { validate, zerosOf } from "./_util.js";
import { bumpVersion, fusable, fusedBackend } from "./_fused.js";
import type { Backend } from "../backend/backend.js";

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
 * Where the backend has a fused rmspropStep and the tensors are plain (see _fused.ts), each
 * parameter's update is that one call: the same bits on the reference
 * backend (PyTorch's), within an ulp per operation on the fast one.
 */
export function rmspropStep(params: Tensor[], grads: Tensor[], states: ParamState[], o: Required<RMSpropOptions>): void {
  const fused = fusedBackend(o);
  params.forEach((p, i) => {
    const s = states[i]!;
    if (fused?.rmspropStep && rmspropFused(fused, p, grads[i]!, s, o)) return;
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
 * The same update as one call of the backend's fused rmspropStep, when p, its gradient and its state
 * allow it (_fused.ts); false when they do not. The version counters move as the in-place ops above
 * move them.
 */
function rmspropFused(b: Backend, p: Tensor, g: Tensor, s: ParamState, o: Required<RMSpropOptions>): boolean {
  const sq = s["square_avg"], ga = o.centered ? s["grad_avg"] : null, buf = o.momentum > 0 ? s["momentum_buffer"] : null;
  const state = [sq];
  if (o.centered) state.push(ga);
  if (o.momentum > 0) state.push(buf);
  if (!fusable(p, g, state)) return false;
  b.rmspropStep!(p._view(), g._view(), (sq as Tensor)._view(), ga ? (ga as Tensor)._view() : null, buf ? (buf as Tensor)._view() : null, {
    lr: o.lr, alpha: o.alpha, eps: o.eps, weightDecay: o.weightDecay, momentum: o.momentum, centered: o.centered, maximize: o.maximize,
  });
  bumpVersion(p); // add_ or addcdiv_
  bumpVersion(sq, 2); // mul_, addcmul_
  if (ga) bumpVersion(ga, 2); // mul_, add_
  if (buf) bumpVersion(buf, 2); // mul_, addcdiv_
  return true;
}

/**
 * RMSprop (torch.optim.RMSprop).
 * @example
 * const params = new nn.Linear(2, 1).parameters();
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
