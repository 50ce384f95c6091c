// nn.GroupNorm, nn.InstanceNorm1d/2d/3d, nn.BatchNorm3d, nn.LocalResponseNorm.
import type { Tensor } from "../../tensor/tensor.js";
import { emptyLasting } from "../../ops/creation.js";
import type { DType } from "../../tensor/dtype.js";
import { ValueError } from "../../errors.js";
import { Module, pyBool, pyFloat } from "../module.js";
import { Parameter } from "../parameter.js";
import * as init from "../init.js";
import { _BatchNorm, type BatchNormOptions } from "./misc.js";
import { groupNorm, instanceNorm, localResponseNorm } from "../norm_extra.js";

/**
 * nn.GroupNorm(numGroups, numChannels, eps = 1e-5, affine = true): per-channel weight (ones) and
 * bias (zeros) when affine.
 */
export class GroupNorm extends Module {
  declare numGroups: number;
  declare numChannels: number;
  declare eps: number;
  declare affine: boolean;
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  constructor(numGroups: number, numChannels: number, eps = 1e-5, affine = true, opts: { dtype?: DType } = {}) {
    super();
    if (numChannels % numGroups !== 0) throw new ValueError("num_channels must be divisible by num_groups");
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = eps;
    this.affine = affine;
    const o = opts.dtype ? { dtype: opts.dtype } : {};
    if (affine) {
      this.weight = new Parameter(emptyLasting([numChannels], o));
      this.bias = new Parameter(emptyLasting([numChannels], o));
    } else {
      this.registerParameter("weight", null);
      this.registerParameter("bias", null);
    }
    this.resetParameters();
  }
  resetParameters(): void {
    if (this.affine) {
      init.ones_(this.weight!);
      init.zeros_(this.bias!);
    }
  }
  override forward(input: Tensor): Tensor {
    return groupNorm(input, this.numGroups, this.weight, this.bias, this.eps);
  }
  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}

/**
 * Shared by InstanceNorm1d/2d/3d: PyTorch's _InstanceNorm (a _NormBase, as batch norm) with
 * affine and trackRunningStats off by default. Batch statistics are used in training, or always
 * when no running statistics are tracked; an input without the batch dim is unsqueezed.
 */
export abstract class _InstanceNorm extends _BatchNorm {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super(numFeatures, { ...opts, affine: opts.affine ?? false, trackRunningStats: opts.trackRunningStats ?? false });
  }
  /** @internal the rank of an input without a batch dim */
  abstract _noBatchDim(): number;
  private applyInstanceNorm(input: Tensor): Tensor {
    return instanceNorm(input, {
      runningMean: this.running_mean, runningVar: this.running_var, weight: this.weight, bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats, momentum: this.momentum ?? 0.1, eps: this.eps,
    });
  }
  override forward(input: Tensor): Tensor {
    this._checkInputDim(input);
    if (input.dim() === this._noBatchDim()) return this.applyInstanceNorm(input.unsqueeze(0)).squeeze(0);
    return this.applyInstanceNorm(input);
  }
}

export class InstanceNorm1d extends _InstanceNorm {
  override _noBatchDim(): number { return 2; }
  override _checkInputDim(input: Tensor): void {
    if (input.dim() !== 2 && input.dim() !== 3) throw new ValueError(`expected 2D or 3D input (got ${input.dim()}D input)`);
  }
}
export class InstanceNorm2d extends _InstanceNorm {
  override _noBatchDim(): number { return 3; }
  override _checkInputDim(input: Tensor): void {
    if (input.dim() !== 3 && input.dim() !== 4) throw new ValueError(`expected 3D or 4D input (got ${input.dim()}D input)`);
  }
}
export class InstanceNorm3d extends _InstanceNorm {
  override _noBatchDim(): number { return 4; }
  override _checkInputDim(input: Tensor): void {
    if (input.dim() !== 4 && input.dim() !== 5) throw new ValueError(`expected 4D or 5D input (got ${input.dim()}D input)`);
  }
}

/** nn.BatchNorm3d: batch norm over (N, C, D, H, W) inputs. */
export class BatchNorm3d extends _BatchNorm {
  override _checkInputDim(input: Tensor): void {
    if (input.dim() !== 5) throw new ValueError(`expected 5D input (got ${input.dim()}D input)`);
  }
}

/** nn.LocalResponseNorm(size, alpha = 1e-4, beta = 0.75, k = 1.0). */
export class LocalResponseNorm extends Module {
  declare size: number;
  declare alpha: number;
  declare beta: number;
  declare k: number;
  constructor(size: number, alpha = 1e-4, beta = 0.75, k = 1.0) {
    super();
    this.size = size;
    this.alpha = alpha;
    this.beta = beta;
    this.k = k;
  }
  override forward(input: Tensor): Tensor {
    return localResponseNorm(input, this.size, this.alpha, this.beta, this.k);
  }
  override extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}
