// Activation modules: each forward delegates to nn.functional.
import type { Tensor } from "../../tensor/tensor.js";
import { Module, pyFloat } from "../module.js";
import * as F from "../functional.js";

export class ReLU extends Module {
  declare inplace: boolean;
  constructor(inplace = false) {
    super();
    this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor {
    return F.relu(input, this.inplace);
  }
  override extraRepr(): string {
    return this.inplace ? "inplace=True" : "";
  }
}

export class LeakyReLU extends Module {
  declare negativeSlope: number;
  declare inplace: boolean;
  constructor(negativeSlope = 1e-2, inplace = false) {
    super();
    this.negativeSlope = negativeSlope;
    this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor {
    return F.leakyRelu(input, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}${this.inplace ? ", inplace=True" : ""}`;
  }
}

export class ELU extends Module {
  declare alpha: number;
  declare inplace: boolean;
  constructor(alpha = 1.0, inplace = false) {
    super();
    this.alpha = alpha;
    this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor {
    return F.elu(input, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}${this.inplace ? ", inplace=True" : ""}`;
  }
}

export class GELU extends Module {
  declare approximate: "none" | "tanh";
  constructor(approximate: "none" | "tanh" = "none") {
    super();
    this.approximate = approximate;
  }
  override forward(input: Tensor): Tensor {
    return F.gelu(input, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

export class SiLU extends Module {
  declare inplace: boolean;
  constructor(inplace = false) {
    super();
    this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor {
    return F.silu(input);
  }
  override extraRepr(): string {
    return this.inplace ? "inplace=True" : "";
  }
}

export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}

export class Tanh extends Module {
  override forward(input: Tensor): Tensor {
    return F.tanh(input);
  }
}

export class Softplus extends Module {
  declare beta: number;
  declare threshold: number;
  constructor(beta = 1, threshold = 20) {
    super();
    this.beta = beta;
    this.threshold = threshold;
  }
  override forward(input: Tensor): Tensor {
    return F.softplus(input, this.beta, this.threshold);
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/**
 * NOTE: PyTorch's Softmax(dim=None) picks a dim from the rank (0 for ranks 0, 1 and 3, else 1) and
 * warns; we follow the same rule.
 */
function implicitDim(ndim: number): number {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

export class Softmax extends Module {
  declare dim: number | null;
  constructor(dim: number | null = null) {
    super();
    this.dim = dim;
  }
  override forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim ?? implicitDim(input.dim()));
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? "None"}`;
  }
}

export class LogSoftmax extends Module {
  declare dim: number | null;
  constructor(dim: number | null = null) {
    super();
    this.dim = dim;
  }
  override forward(input: Tensor): Tensor {
    return F.logSoftmax(input, this.dim ?? implicitDim(input.dim()));
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? "None"}`;
  }
}
