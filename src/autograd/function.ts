// Recording an op into the graph: the one place where nodes are made.
import { isGradEnabled } from "./grad_mode.js";
import { Node, SavedTensor, type InputMeta } from "./graph.js";
import type { Tensor } from "../tensor/tensor.js";

export type Saved = (i: number) => Tensor;
/** Whether input i needs a gradient (lets a backward skip work, as mm does for inputs without grad). */
export type Needs = (i: number) => boolean;
export type Backward1 = (grad: Tensor, saved: Saved, needs: Needs) => (Tensor | null)[];
export type BackwardN = (grads: (Tensor | null)[], saved: Saved, needs: Needs) => (Tensor | null)[];

/** Whether an op on these inputs must record a node. */
export function needsGrad(inputs: readonly (Tensor | null | undefined)[]): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t && t.requiresGrad) return true;
  return false;
}

/** @internal the (node, outputNr) edge an op records for input t (null when t needs no gradient). */
export function edgeOf(t: Tensor | null | undefined): [Node | null, number] {
  if (!t || !t.requiresGrad) return [null, 0];
  // NOTE: reading gradFn regenerates a stale view's history (see Tensor.gradFn), so it is read first
  const fn = t.gradFn;
  if (fn) return [fn, t._outputNr];
  // a view made in no_grad mode of a tensor that requires grad requires grad too, but has no edge
  // (PyTorch's grad_accumulator() is null unless the tensor's own requires_grad flag is set)
  return t._leafRequiresGrad ? [t._gradAccumulator(), 0] : [null, 0];
}

/**
 * Makes the node `name` for outputs computed from inputs (when any input requires grad and grad
 * mode is on). `backward` maps the output gradient(s) to one gradient per input, in input order,
 * written with tensor ops so that double backward works; broadcasting and dtype are undone by the
 * engine, so a gradient may come back in the output's (broadcast) shape.
 */
export function recordN(
  name: string,
  inputs: readonly (Tensor | null | undefined)[],
  outputs: readonly Tensor[],
  backward: BackwardN,
  save: readonly Tensor[] = [],
): void {
  for (const o of outputs) if (o._base !== null && !viewNodes.has(name)) ownResult(o);
  if (!needsGrad(inputs)) return;
  attachNode(name, inputs, outputs, backward, save);
}

/** The grad_fn names of PyTorch's view ops (ops/views.ts registers them): only their outputs are views. */
export const viewNodes = new Set<string>();

/**
 * An op's output that is a view of its own temporary (a product computed under noGrad and then
 * reshaped, say) is no view in PyTorch (`_unsafe_view`, `squeeze_` of a fresh result): it becomes a
 * tensor of its own with a fresh version counter, so that an in-place op on it records its own
 * node, not CopySlices on the temporary (nor the no_grad-view error the temporary's view would raise).
 */
function ownResult(o: Tensor): void {
  o._base = null;
  o._version = { value: 0 };
}

/**
 * recordN without the grad-mode check: makes the node and makes it the outputs' grad_fn. Used where
 * PyTorch builds a node whatever the grad mode (a view's regenerated AsStridedBackward0).
 */
export function attachNode(
  name: string,
  inputs: readonly (Tensor | null | undefined)[],
  outputs: readonly Tensor[],
  backward: BackwardN,
  save: readonly Tensor[] = [],
): void {
  const meta: (InputMeta | null)[] = inputs.map((t) => (t && t.requiresGrad ? { shape: t.shape, dtype: t.dtype } : null));
  const saved = save.map((t) => new SavedTensor(t, outputs.includes(t)));
  const node = new Node(name, inputs.map(edgeOf), meta, outputs.length, (grads, n) => backward(grads, (i) => n.unpack(i), (i) => n.nextFunctions[i]![0] !== null), saved);
  outputs.forEach((o, i) => {
    if (o.dtype.isFloatingPoint) o._setGradFn(node, i);
  });
}

/** recordN for the common single-output op. */
export function record(
  name: string,
  inputs: readonly (Tensor | null | undefined)[],
  output: Tensor,
  backward: Backward1,
  save: readonly Tensor[] = [],
): Tensor {
  recordN(name, inputs, [output], (grads, saved, needs) => backward(grads[0]!, saved, needs), save);
  return output;
}
