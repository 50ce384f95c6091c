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

function edgeOf(t: Tensor | null | undefined): [Node | null, number] {
  if (!t || !t.requiresGrad) return [null, 0];
  if (t.gradFn) return [t.gradFn, t._outputNr];
  return [t._gradAccumulator(), 0];
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
  if (!needsGrad(inputs)) return;
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
