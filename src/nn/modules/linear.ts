// nn.Linear and nn.Identity.
import type { Tensor } from "../../tensor/tensor.js";
import { emptyLasting } from "../../ops/creation.js";
import type { DType } from "../../tensor/dtype.js";
import { Module, pyBool } from "../module.js";
import { Parameter } from "../parameter.js";
import * as init from "../init.js";
import * as F from "../functional.js";

/** A placeholder that returns its input. */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return input;
  }
}

/**
 * y = x W^T + b, with W of shape (outFeatures, inFeatures).
 * @example
 * const lin = new nn.Linear(3, 2); lin(torch.ones(4, 3)).shape; // [4, 2]
 */
export class Linear extends Module {
  declare inFeatures: number;
  declare outFeatures: number;
  declare weight: Parameter;
  declare bias: Parameter | null;
  constructor(inFeatures: number, outFeatures: number, bias = true, opts: { dtype?: DType } = {}) {
    super();
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const o = opts.dtype ? { dtype: opts.dtype } : {};
    this.weight = new Parameter(emptyLasting([outFeatures, inFeatures], o));
    if (bias) this.bias = new Parameter(emptyLasting([outFeatures], o));
    else this.registerParameter("bias", null);
    this.resetParameters();
  }
  /**
   * NOTE: kaiming_uniform_ with a = sqrt(5) gives U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for the weight
   * (gain sqrt(2/6) times sqrt(3/fan_in)); PyTorch keeps this historical choice and so do we, so that
   * seeded models match. The bias uses the same bound.
   */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }
  override forward(input: Tensor): Tensor {
    return F.linear(input, this.weight, this.bias);
  }
  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}
