// Graph nodes (PyTorch's grad_fn objects) and saved tensors with their version checks.
import { RuntimeError } from "../errors.js";
import type { DType } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { captureAnomaly, isAnomalyEnabled, type AnomalyMetadata } from "./anomaly_mode.js";

export const BACKWARD_TWICE =
  "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";

let sequence = 0;

export type Hook = (grad: Tensor) => Tensor | void | null | undefined;

/** Shape and dtype of one input of a node: the engine sums broadcast gradients back to it. */
export interface InputMeta {
  shape: readonly number[];
  dtype: DType;
}

/**
 * A node of the backward graph: what PyTorch calls a grad_fn. `name()` is PyTorch's class name
 * (`MulBackward0`); `nextFunctions` are (node, outputNr) pairs, one per differentiable input.
 */
export class Node {
  /** @internal */ readonly seq = sequence++;
  /** @internal */ released = false;
  /** @internal hooks and retain_grad tensors, per output */
  tensorHooks: Map<number, Hook[]> | null = null;
  /** @internal */ retained: Map<number, Tensor> | null = null;
  /** @internal */ inputMeta: (InputMeta | null)[];
  /** @internal the forward stack, kept only in anomaly mode (normal mode pays one flag test) */
  readonly anomaly: AnomalyMetadata | null = isAnomalyEnabled() ? captureAnomaly() : null;

  constructor(
    private readonly _name: string,
    readonly nextFunctions: [Node | null, number][],
    inputMeta: (InputMeta | null)[],
    /** @internal */ readonly numOutputs: number,
    /** @internal */ private backwardFn: ((grads: (Tensor | null)[], node: Node) => (Tensor | null)[]) | null,
    /** @internal */ private saved: SavedTensor[],
  ) {
    this.inputMeta = inputMeta;
  }

  /** PyTorch's `grad_fn.name()`. */
  name(): string {
    return this._name;
  }

  /** @internal runs the backward formula; grads has one entry per output. */
  apply(grads: (Tensor | null)[]): (Tensor | null)[] {
    if (!this.backwardFn) throw new RuntimeError(`${this._name} has no backward`);
    // NOTE: as PyTorch's generated nodes, every saved tensor is unpacked (its version checked) when
    // the node runs, whether or not the formulas computed use it
    for (let i = 0; i < this.saved.length; i++) this.unpack(i);
    return this.backwardFn(grads, this);
  }

  /** @internal reads a saved tensor, checking that it was neither freed nor modified in place. */
  unpack(i: number): Tensor {
    if (this.released) throw new RuntimeError(BACKWARD_TWICE);
    return this.saved[i]!.unpack(this);
  }

  /**
   * @internal an in-place op computes its result out of place and writes it into the target tensor;
   * the result this node saved is re-pointed at the target, so that a later in-place change of the
   * target is caught by the version check, as in PyTorch.
   */
  rebindSaved(from: Tensor, to: Tensor): void {
    this.saved = this.saved.map((s) => s.rebound(from, to));
  }

  /**
   * @internal the tensors this node saved for backward, without the version check (for pictures
   * of the graph: utils.makeDot's showSaved); empty once freed by a backward pass
   */
  _savedTensors(): { tensor: Tensor; isOutput: boolean }[] {
    return this.saved.map((s) => s._peek());
  }

  /** @internal frees saved tensors (retain_graph=False). */
  release(): void {
    if (this.saved.length) {
      this.released = true;
      this.saved = [];
    }
  }

  /** Registers a hook on the gradient of this node's (single) output's input edges -- grad_fn.register_hook. */
  registerHook(hook: Hook, outputNr = 0): void {
    this.tensorHooks ??= new Map();
    const list = this.tensorHooks.get(outputNr) ?? [];
    list.push(hook);
    this.tensorHooks.set(outputNr, list);
  }

  toString(): string {
    return `<${this._name} object>`;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** The node that accumulates a leaf's gradient into `.grad`. */
export class AccumulateGrad extends Node {
  constructor(readonly variable: Tensor) {
    super("AccumulateGrad", [], [{ shape: variable.shape, dtype: variable.dtype }], 1, null, []);
  }
}

/** A tensor saved for backward, with the version it had when saved. */
export class SavedTensor {
  private readonly version: number;
  constructor(
    private readonly tensor: Tensor,
    private readonly isOutput: boolean,
  ) {
    this.version = tensor._version.value;
  }
  /** @internal the saved tensor and whether it is an output of its node, unchecked. */
  _peek(): { tensor: Tensor; isOutput: boolean } {
    return { tensor: this.tensor, isOutput: this.isOutput };
  }
  /** @internal this saved tensor, or the same saved as `to` (at its current version) when it was `from`. */
  rebound(from: Tensor, to: Tensor): SavedTensor {
    return this.tensor === from ? new SavedTensor(to, this.isOutput) : this;
  }
  unpack(node: Node): Tensor {
    const t = this.tensor;
    if (t._version.value !== this.version) {
      const desc = `[torch.${t.dtype.scalarName}Tensor [${t.shape.join(", ")}]]`;
      const fn = this.isOutput ? node : t.gradFn;
      // NOTE: PyTorch's CopySlices and CopyBackwards are hand-written C++ nodes, not generated ones:
      // their name() is namespace-qualified (Python's repr shows the bare class name)
      const bare = fn?.name();
      const name = bare === "CopySlices" || bare === "CopyBackwards" ? `torch::autograd::${bare}` : bare;
      const where = t.gradFn ? `, which is output ${t._outputNr} of ${name},` : "";
      throw new RuntimeError(
        `one of the variables needed for gradient computation has been modified by an inplace operation: ${desc}${where} is at version ${t._version.value}; expected version ${this.version} instead. ${isAnomalyEnabled() ? "Hint: the backtrace further above shows the operation that failed to compute its gradient. The variable in question was changed in there or anywhere later. Good luck!" : "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True)."}`,
      );
    }
    return t;
  }
}
