// Loss modules beyond MSE / NLL / BCE: options in a trailing object, forward delegating to
// nn.functional (`new nn.TripletMarginLoss({ margin: 0.5, swap: true })`).
import type { Tensor } from "../../tensor/tensor.js";
import { AssertionError } from "../../errors.js";
import { _Loss, _WeightedLoss } from "./loss.js";
import type { Reduction } from "../functional.js";
import * as L from "../losses_extra.js";

/** nn.MarginRankingLoss({ margin = 0, reduction }). */
export class MarginRankingLoss extends _Loss {
  declare margin: number;
  constructor(opts: { margin?: number; reduction?: Reduction } = {}) {
    super(opts);
    this.margin = opts.margin ?? 0.0;
  }
  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return L.marginRankingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}

/** nn.HingeEmbeddingLoss({ margin = 1, reduction }). */
export class HingeEmbeddingLoss extends _Loss {
  declare margin: number;
  constructor(opts: { margin?: number; reduction?: Reduction } = {}) {
    super(opts);
    this.margin = opts.margin ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return L.hingeEmbeddingLoss(input, target, { margin: this.margin, reduction: this.reduction });
  }
}

/** nn.CosineEmbeddingLoss({ margin = 0, reduction }). */
export class CosineEmbeddingLoss extends _Loss {
  declare margin: number;
  constructor(opts: { margin?: number; reduction?: Reduction } = {}) {
    super(opts);
    this.margin = opts.margin ?? 0.0;
  }
  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return L.cosineEmbeddingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}

/** nn.TripletMarginLoss({ margin = 1, p = 2, eps = 1e-6, swap = false, reduction }). */
export class TripletMarginLoss extends _Loss {
  declare margin: number;
  declare p: number;
  declare eps: number;
  declare swap: boolean;
  constructor(opts: { margin?: number; p?: number; eps?: number; swap?: boolean; reduction?: Reduction } = {}) {
    super(opts);
    this.margin = opts.margin ?? 1.0;
    this.p = opts.p ?? 2.0;
    this.eps = opts.eps ?? 1e-6;
    this.swap = opts.swap ?? false;
  }
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return L.tripletMarginLoss(anchor, positive, negative, { margin: this.margin, p: this.p, eps: this.eps, swap: this.swap, reduction: this.reduction });
  }
}

/** nn.MultiLabelSoftMarginLoss({ weight, reduction }). */
export class MultiLabelSoftMarginLoss extends _WeightedLoss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return L.multilabelSoftMarginLoss(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/** nn.MultiMarginLoss({ p = 1, margin = 1, weight, reduction }). */
export class MultiMarginLoss extends _WeightedLoss {
  declare p: number;
  declare margin: number;
  constructor(opts: { p?: number; margin?: number; weight?: Tensor | null; reduction?: Reduction } = {}) {
    super(opts);
    const p = opts.p ?? 1;
    if (p !== 1 && p !== 2) throw new AssertionError("");
    if (opts.weight && opts.weight.dim() !== 1) throw new AssertionError("");
    this.p = p;
    this.margin = opts.margin ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return L.multiMarginLoss(input, target, { p: this.p, margin: this.margin, weight: this.weight, reduction: this.reduction });
  }
}

/** nn.MultiLabelMarginLoss({ reduction }). */
export class MultiLabelMarginLoss extends _Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return L.multilabelMarginLoss(input, target, { reduction: this.reduction });
  }
}

/** nn.SoftMarginLoss({ reduction }). */
export class SoftMarginLoss extends _Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return L.softMarginLoss(input, target, { reduction: this.reduction });
  }
}

/** nn.PoissonNLLLoss({ logInput = true, full = false, eps = 1e-8, reduction }). */
export class PoissonNLLLoss extends _Loss {
  declare logInput: boolean;
  declare full: boolean;
  declare eps: number;
  constructor(opts: { logInput?: boolean; full?: boolean; eps?: number; reduction?: Reduction } = {}) {
    super(opts);
    this.logInput = opts.logInput ?? true;
    this.full = opts.full ?? false;
    this.eps = opts.eps ?? 1e-8;
  }
  override forward(logInput: Tensor, target: Tensor): Tensor {
    return L.poissonNllLoss(logInput, target, { logInput: this.logInput, full: this.full, eps: this.eps, reduction: this.reduction });
  }
}

/** nn.GaussianNLLLoss({ full = false, eps = 1e-6, reduction }). */
export class GaussianNLLLoss extends _Loss {
  declare full: boolean;
  declare eps: number;
  constructor(opts: { full?: boolean; eps?: number; reduction?: Reduction } = {}) {
    super(opts);
    this.full = opts.full ?? false;
    this.eps = opts.eps ?? 1e-6;
  }
  override forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    return L.gaussianNllLoss(input, target, variance, { full: this.full, eps: this.eps, reduction: this.reduction });
  }
}

/** nn.CTCLoss({ blank = 0, reduction = "mean", zeroInfinity = false }). */
export class CTCLoss extends _Loss {
  declare blank: number;
  declare zeroInfinity: boolean;
  constructor(opts: { blank?: number; reduction?: Reduction; zeroInfinity?: boolean } = {}) {
    super(opts);
    this.blank = opts.blank ?? 0;
    this.zeroInfinity = opts.zeroInfinity ?? false;
  }
  override forward(logProbs: Tensor, targets: Tensor, inputLengths: Tensor | readonly number[], targetLengths: Tensor | readonly number[]): Tensor {
    return L.ctcLoss(logProbs, targets, inputLengths, targetLengths, { blank: this.blank, reduction: this.reduction, zeroInfinity: this.zeroInfinity });
  }
}
