// When an optimizer may hand a parameter's update to a backend's fused primitive (internal).
//
// NOTE: a fused primitive (Backend.sgdStep, adamStep) updates a parameter and its state in one pass
// over their elements, rounding as the composed update's kernels do, so it changes speed, not
// results. It takes plain data: float32 / float64, contiguous, all of the parameter's shape and
// dtype, no two written tensors sharing storage. Anything else (a strided view, a gradient of
// another dtype, a missing state entry, `differentiable`) takes the composed path, which also gives
// the errors PyTorch gives. The caller bumps the version counters as the composed in-place ops do.
import { Tensor } from "../tensor/tensor.js";
import { getBackend, type Backend } from "../backend/backend.js";
import { shapesEqual } from "../tensor/shape.js";

let enabled = true;

/**
 * @internal turns the fused updates off (the optimizers then compose every update from tensor ops)
 * or back on; returns the previous setting. For tests and benchmarks that compare the two paths.
 */
export function setFusedUpdates(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** The current backend when fused updates are on and the group allows them, else null. */
export function fusedBackend(group: object): Backend | null {
  return enabled && !(group as { differentiable?: unknown }).differentiable ? getBackend() : null;
}

/**
 * Whether p, its gradient g and its state tensors `state` (written in place) can go to a fused
 * primitive: see the NOTE above.
 */
export function fusable(p: Tensor, g: Tensor, state: readonly unknown[]): boolean {
  const dt = p._dtype;
  if ((dt.name !== "float32" && dt.name !== "float64") || !p.isContiguous()) return false;
  if (!(g instanceof Tensor) || g._dtype !== dt || !shapesEqual(g._shape, p._shape) || !g.isContiguous() || g._storage === p._storage) return false;
  for (let i = 0; i < state.length; i++) {
    const s = state[i];
    if (!(s instanceof Tensor) || s._dtype !== dt || !shapesEqual(s._shape, p._shape) || !s.isContiguous()) return false;
    if (s._storage === p._storage || s._storage === g._storage) return false;
    for (let j = 0; j < i; j++) if ((state[j] as Tensor)._storage === s._storage) return false;
  }
  return true;
}

/** Bumps t's version counter by n: what n in-place ops on it would have done. */
export function bumpVersion(t: Tensor, n = 1): void {
  t._version.value += n;
}
