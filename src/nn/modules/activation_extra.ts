// Activation modules beyond ReLU/GELU/ELU: each forward delegates to nn.functional, and `inplace`
// is honoured where PyTorch honours it.
import type { Tensor } from "../../tensor/tensor.js";
import { emptyLasting } from "../../ops/creation.js";
import type { DType } from "../../tensor/dtype.js";
import { AssertionError } from "../../errors.js";
import { Module, pyFloat } from "../module.js";
import { Parameter } from "../parameter.js";
import * as init from "../init.js";
import { hardtanh } from "../functional.js";
import * as A from "../activation_extra.js";

const inplaceStr = (inplace: boolean, lead = ", "): string => (inplace ? `${lead}inplace=True` : "");

/** nn.PReLU(numParameters = 1, init = 0.25): one learnable negative slope per channel, or one shared. */
export class PReLU extends Module {
  declare numParameters: number;
  declare init: number;
  declare weight: Parameter;
  constructor(numParameters = 1, initValue = 0.25, opts: { dtype?: DType } = {}) {
    super();
    this.numParameters = numParameters;
    this.init = initValue;
    this.weight = new Parameter(emptyLasting([numParameters], opts.dtype ? { dtype: opts.dtype } : {}));
    this.resetParameters();
  }
  resetParameters(): void {
    init.constant_(this.weight, this.init);
  }
  override forward(input: Tensor): Tensor {
    return A.prelu(input, this.weight);
  }
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}

/**
 * nn.Hardtanh(minVal = -1, maxVal = 1, inplace = false).
 * NOTE: bounds print as Python floats (PyTorch prints what it was given: `Hardtanh(-2, 2)` shows ints,
 * which a JS number cannot tell apart).
 */
export class Hardtanh extends Module {
  declare minVal: number;
  declare maxVal: number;
  declare inplace: boolean;
  constructor(minVal = -1.0, maxVal = 1.0, inplace = false) {
    super();
    this.minVal = minVal;
    this.maxVal = maxVal;
    this.inplace = inplace;
    if (!(maxVal > minVal)) throw new AssertionError("");
  }
  override forward(input: Tensor): Tensor {
    return this.inplace ? input._inplace((s) => hardtanh(s, this.minVal, this.maxVal)) : hardtanh(input, this.minVal, this.maxVal);
  }
  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}${inplaceStr(this.inplace)}`;
  }
}

/** nn.ReLU6(inplace = false): Hardtanh(0, 6). */
export class ReLU6 extends Hardtanh {
  constructor(inplace = false) {
    super(0.0, 6.0, inplace);
  }
  override extraRepr(): string {
    return inplaceStr(this.inplace, "");
  }
}

/** nn.Hardswish(inplace = false). (PyTorch's repr shows no inplace.) */
export class Hardswish extends Module {
  declare inplace: boolean;
  constructor(inplace = false) {
    super();
    this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor {
    return A.hardswish(input, this.inplace);
  }
}

/** nn.Hardsigmoid(inplace = false). (PyTorch's repr shows no inplace.) */
export class Hardsigmoid extends Module {
  declare inplace: boolean;
  constructor(inplace = false) {
    super();
    this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor {
    return A.hardsigmoid(input, this.inplace);
  }
}

/** nn.Mish(inplace = false). */
export class Mish extends Module {
  declare inplace: boolean;
  constructor(inplace = false) {
    super();
    this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor {
    return A.mish(input, this.inplace);
  }
  override extraRepr(): string {
    return inplaceStr(this.inplace, "");
  }
}

/** nn.Softsign: x / (1 + |x|). */
export class Softsign extends Module {
  override forward(input: Tensor): Tensor {
    return A.softsign(input);
  }
}

/** nn.Tanhshrink: x - tanh(x). */
export class Tanhshrink extends Module {
  override forward(input: Tensor): Tensor {
    return A.tanhshrink(input);
  }
}

/** nn.Softshrink(lambd = 0.5). */
export class Softshrink extends Module {
  declare lambd: number;
  constructor(lambd = 0.5) {
    super();
    this.lambd = lambd;
  }
  override forward(input: Tensor): Tensor {
    return A.softshrink(input, this.lambd);
  }
  override extraRepr(): string {
    return pyFloat(this.lambd);
  }
}

/** nn.Hardshrink(lambd = 0.5). */
export class Hardshrink extends Module {
  declare lambd: number;
  constructor(lambd = 0.5) {
    super();
    this.lambd = lambd;
  }
  override forward(input: Tensor): Tensor {
    return A.hardshrink(input, this.lambd);
  }
  override extraRepr(): string {
    return pyFloat(this.lambd);
  }
}

/**
 * nn.Threshold(threshold, value, inplace = false).
 * NOTE: no defaults here, so the values print as JS numbers (PyTorch prints them as given).
 */
export class Threshold extends Module {
  declare threshold: number;
  declare value: number;
  declare inplace: boolean;
  constructor(threshold: number, value: number, inplace = false) {
    super();
    this.threshold = threshold;
    this.value = value;
    this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor {
    return A.threshold(input, this.threshold, this.value, this.inplace);
  }
  override extraRepr(): string {
    return `threshold=${this.threshold}, value=${this.value}${inplaceStr(this.inplace)}`;
  }
}

/** nn.GLU(dim = -1). */
export class GLU extends Module {
  declare dim: number;
  constructor(dim = -1) {
    super();
    this.dim = dim;
  }
  override forward(input: Tensor): Tensor {
    return A.glu(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** nn.LogSigmoid. */
export class LogSigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return A.logsigmoid(input);
  }
}

/** nn.Softmin(dim = null): softmax of -x (the implicit dim as Softmax's). */
export class Softmin extends Module {
  declare dim: number | null;
  constructor(dim: number | null = null) {
    super();
    this.dim = dim;
  }
  override forward(input: Tensor): Tensor {
    return A.softmin(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? "None"}`;
  }
}

/** nn.Softmax2d: softmax over the channels (dim -3) of a 3-d or 4-d input. */
export class Softmax2d extends Module {
  override forward(input: Tensor): Tensor {
    if (input.dim() !== 3 && input.dim() !== 4) throw new AssertionError("Softmax2d requires a 3D or 4D tensor as input");
    return input.softmax(-3);
  }
}

/** nn.CELU(alpha = 1.0, inplace = false). */
export class CELU extends Module {
  declare alpha: number;
  declare inplace: boolean;
  constructor(alpha = 1.0, inplace = false) {
    super();
    this.alpha = alpha;
    this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor {
    return A.celu(input, this.alpha, this.inplace);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}${inplaceStr(this.inplace)}`;
  }
}

/** nn.SELU(inplace = false). */
export class SELU extends Module {
  declare inplace: boolean;
  constructor(inplace = false) {
    super();
    this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor {
    return A.selu(input, this.inplace);
  }
  override extraRepr(): string {
    return inplaceStr(this.inplace, "");
  }
}

/** nn.RReLU(lower = 1/8, upper = 1/3, inplace = false): random slopes in training, their mean in evaluation. */
export class RReLU extends Module {
  declare lower: number;
  declare upper: number;
  declare inplace: boolean;
  constructor(lower = 1.0 / 8, upper = 1.0 / 3, inplace = false) {
    super();
    this.lower = lower;
    this.upper = upper;
    this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor {
    return A.rrelu(input, this.lower, this.upper, this.training, this.inplace);
  }
  override extraRepr(): string {
    return `lower=${pyFloat(this.lower)}, upper=${pyFloat(this.upper)}${inplaceStr(this.inplace)}`;
  }
}
