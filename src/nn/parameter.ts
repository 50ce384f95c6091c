// nn.Parameter: a Tensor that a Module registers as a parameter when assigned to one of its fields.
import { Tensor } from "../tensor/tensor.js";
import { zeros } from "../ops/creation.js";

/**
 * A leaf tensor that requires grad by default and that `Module` registers as a parameter.
 * It shares storage (and version counter) with `data`.
 * @example
 * const w = new nn.Parameter(torch.ones(2)); // w.requiresGrad === true
 */
export class Parameter extends Tensor {
  constructor(data?: Tensor | null, requiresGrad = true) {
    const d = data ?? zeros(0);
    super(d._storage, d._shape.slice(), d._strides.slice(), d._offset, d._dtype);
    this._version = d._version;
    if (requiresGrad) this.requiresGrad_(true);
  }
  override toString(): string {
    return "Parameter containing:\n" + super.toString();
  }
}

/** Whether `t` is an nn.Parameter. */
export function isParameter(t: unknown): t is Parameter {
  return t instanceof Parameter;
}
