import { Tensor } from "../tensor/tensor.js";
import { Optimizer, Params, ParamState, required } from "./optimizer.js";
import { check, validate, zerosOf } from "./_util.js";
import { bumpVersion, fusable, fusedBackend } from "./_fused.js";
import type { Backend } from "../backend/backend.js";

export interface SGDOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}

/**
 * The SGD update (PyTorch's `_single_tensor_sgd`), on params with their grads:
 * ```
 * for each p, g:
 *   d = maximize ? -g : g
 *   if weightDecay != 0: d = d + weightDecay * p
 *   if momentum != 0:
 *     buf = first step ? clone(d) : momentum * buf + (1 - dampening) * d
 *     d = nesterov ? d + momentum * buf : buf
 *   p = p - lr * d
 * ```
 * Must run under noGrad. Where the backend has a fused sgdStep and the tensors are plain (see
 * _fused.ts), each parameter's update is that one call: the same bits on the reference
 * backend (PyTorch's), within an ulp per operation on the fast one.
 */
export function sgdStep(params: Tensor[], grads: Tensor[], states: ParamState[], o: Required<SGDOptions> & { lr: number }): void {
  const fused = fusedBackend(o);
  params.forEach((p, i) => {
    if (fused?.sgdStep && sgdFused(fused, p, grads[i]!, states[i]!, o)) return;
    let d = o.maximize ? grads[i]!.neg() : grads[i]!;
    if (o.weightDecay !== 0) d = d.add(p, { alpha: o.weightDecay });
    if (o.momentum !== 0) {
      let buf: Tensor | undefined = states[i]!["momentum_buffer"];
      if (buf === undefined || buf === null) {
        buf = d.clone().detach();
        states[i]!["momentum_buffer"] = buf;
      } else buf.mul_(o.momentum).add_(d, { alpha: 1 - o.dampening });
      d = o.nesterov ? d.add(buf, { alpha: o.momentum }) : buf;
    }
    p.add_(d, { alpha: -o.lr });
  });
}

/**
 * The same update as one call of the backend's fused sgdStep, when p, its gradient and its buffer
 * allow it (_fused.ts); false when they do not. The version counters move as the in-place ops above
 * move them: p once, an existing buffer twice (mul_, add_); a new buffer is a fresh tensor.
 */
function sgdFused(b: Backend, p: Tensor, g: Tensor, s: ParamState, o: Required<SGDOptions>): boolean {
  let buf: Tensor | null = null;
  const first = o.momentum !== 0 && (s["momentum_buffer"] === undefined || s["momentum_buffer"] === null);
  if (o.momentum !== 0 && !first) buf = s["momentum_buffer"];
  if (!fusable(p, g, buf ? [buf] : [])) return false;
  if (first) buf = s["momentum_buffer"] = zerosOf(p);
  b.sgdStep!(p._view(), g._view(), buf ? buf._view() : null, {
    lr: o.lr, momentum: o.momentum, dampening: o.dampening, weightDecay: o.weightDecay,
    nesterov: o.nesterov, maximize: o.maximize, firstStep: first,
  });
  bumpVersion(p);
  if (buf && !first) bumpVersion(buf, 2);
  return true;
}

/**
 * Stochastic gradient descent, optionally with (Nesterov) momentum (torch.optim.SGD).
 * @example
 * const model = new nn.Linear(2, 1);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
 */
export class SGD extends Optimizer {
  constructor(params: Params, opts: SGDOptions = {}) {
    const { momentum = 0, dampening = 0, weightDecay = 0, nesterov = false, maximize = false } = opts;
    // NOTE: lr is `required` in PyTorch 1.13: a group without one (here or in the group) is an error.
    // (lr: null is Python's None, which PyTorch compares with 0.0: a TypeError in validate)
    const lr = opts.lr === undefined ? required : opts.lr;
    validate({ lr, momentum, weightDecay }, "<");
    if (nesterov && (momentum <= 0 || dampening !== 0)) check(false, "Nesterov momentum requires a momentum and zero dampening");
    super(params, { lr, momentum, dampening, weightDecay, nesterov, maximize, foreach: null, differentiable: false });
  }
  step(closure?: () => Tensor | number): Tensor | number | null {
    return this.runStep(closure, (params, grads, states, g) => {
      sgdStep(params, grads, states, g as any);
      // NOTE: PyTorch stores momentum_buffer = None for every stepped param when momentum == 0
      for (const s of states) if (!("momentum_buffer" in s)) s["momentum_buffer"] = null;
    });
  }
}
