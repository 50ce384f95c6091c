// nn.MaxPool3d and nn.AvgPool3d, with PyTorch 1.13's parameters and printouts; forward delegates to
// F.max_pool3d / F.avg_pool3d (src/nn/pool3d.ts).
import type { Tensor } from "../../tensor/tensor.js";
import { Module, pyBool } from "../module.js";
import { _MaxPoolNd, pyIntOrTuple } from "./conv.js";
import { avgPool3d, maxPool3d } from "../pool3d.js";
import type { IntOrTuple } from "../windows_nd.js";


/** nn.MaxPool3d: max pooling over (N, C, T, H, W) or (C, T, H, W); with returnIndices, [values, indices]. */
export class MaxPool3d extends _MaxPoolNd {
  override forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return maxPool3d(input, this.kernelSize, this._poolOpts());
  }
}

/** nn.AvgPool3d: average pooling over (N, C, T, H, W) or (C, T, H, W). */
export class AvgPool3d extends Module {
  declare kernelSize: IntOrTuple;
  declare stride: IntOrTuple;
  declare padding: IntOrTuple;
  declare ceilMode: boolean;
  declare countIncludePad: boolean;
  declare divisorOverride: number | null;
  constructor(kernelSize: IntOrTuple, opts: { stride?: IntOrTuple | null; padding?: IntOrTuple; ceilMode?: boolean; countIncludePad?: boolean; divisorOverride?: number | null } = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    this.divisorOverride = opts.divisorOverride ?? null;
  }
  override forward(input: Tensor): Tensor {
    return avgPool3d(input, this.kernelSize, { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride });
  }
  override extraRepr(): string {
    return `kernel_size=${pyIntOrTuple(this.kernelSize)}, stride=${pyIntOrTuple(this.stride)}, padding=${pyIntOrTuple(this.padding)}`;
  }
}
