// nn.Flatten, nn.Dropout, nn.Embedding, nn.LayerNorm, nn.BatchNorm1d/2d.
import type { Tensor } from "../../tensor/tensor.js";
import { tensor, zeros, ones, emptyLasting } from "../../ops/creation.js";
import { int64, type DType } from "../../tensor/dtype.js";
import { noGrad } from "../../autograd/grad_mode.js";
import { ValueError } from "../../errors.js";
import { Module, pyBool, pyFloat, pyTuple } from "../module.js";
import { Parameter } from "../parameter.js";
import * as init from "../init.js";
import * as F from "../functional.js";

export class Flatten extends Module {
  declare startDim: number;
  declare endDim: number;
  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = startDim;
    this.endDim = endDim;
  }
  override forward(input: Tensor): Tensor {
    return input.flatten(this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

export class Dropout extends Module {
  declare p: number;
  declare inplace: boolean;
  constructor(p = 0.5, inplace = false) {
    super();
    if (p < 0 || p > 1) throw new ValueError(`dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
    this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor {
    return F.dropout(input, this.p, this.training, this.inplace);
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyBool(this.inplace)}`;
  }
}

export class Embedding extends Module {
  declare numEmbeddings: number;
  declare embeddingDim: number;
  declare paddingIdx: number | null;
  declare weight: Parameter;
  constructor(numEmbeddings: number, embeddingDim: number, opts: { paddingIdx?: number | null; weight?: Tensor; dtype?: DType } = {}) {
    super();
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (pad > 0 && pad >= numEmbeddings) throw new Error("Padding_idx must be within num_embeddings");
      if (pad < 0) {
        if (pad < -numEmbeddings) throw new Error("Padding_idx must be within num_embeddings");
        pad += numEmbeddings;
      }
    }
    this.paddingIdx = pad;
    if (opts.weight) this.weight = new Parameter(opts.weight);
    else {
      this.weight = new Parameter(emptyLasting([numEmbeddings, embeddingDim], opts.dtype ? { dtype: opts.dtype } : {}));
      this.resetParameters();
    }
  }
  /** N(0, 1), with the padding row zeroed. */
  resetParameters(): void {
    init.normal_(this.weight);
    if (this.paddingIdx !== null) noGrad(() => this.weight.select(0, this.paddingIdx!).fill_(0));
  }
  override forward(input: Tensor): Tensor {
    return F.embedding(input, this.weight, this.paddingIdx);
  }
  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}` + (this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : "");
  }
  static fromPretrained(embeddings: Tensor, freeze = true, opts: { paddingIdx?: number | null } = {}): Embedding {
    if (embeddings.dim() !== 2) throw new Error("Embeddings parameter is expected to be 2-dimensional");
    const e = new Embedding(embeddings.size(0), embeddings.size(1), { weight: embeddings, paddingIdx: opts.paddingIdx ?? null });
    e.weight.requiresGrad_(!freeze);
    return e;
  }
}

export class LayerNorm extends Module {
  declare normalizedShape: number[];
  declare eps: number;
  declare elementwiseAffine: boolean;
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  constructor(normalizedShape: number | readonly number[], eps = 1e-5, elementwiseAffine = true, opts: { dtype?: DType } = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine;
    const o = opts.dtype ? { dtype: opts.dtype } : {};
    if (elementwiseAffine) {
      this.weight = new Parameter(emptyLasting(this.normalizedShape, o));
      this.bias = new Parameter(emptyLasting(this.normalizedShape, o));
    } else {
      this.registerParameter("weight", null);
      this.registerParameter("bias", null);
    }
    this.resetParameters();
  }
  resetParameters(): void {
    if (this.weight) init.ones_(this.weight);
    if (this.bias) init.zeros_(this.bias);
  }
  override forward(input: Tensor): Tensor {
    return F.layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }
  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}

export interface BatchNormOptions {
  eps?: number;
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
  dtype?: DType;
}

/** Shared by BatchNorm1d and BatchNorm2d. */
export abstract class _BatchNorm extends Module {
  /** 2 since num_batches_tracked joined the state dict (PyTorch's _NormBase._version). */
  static override _version = 2;
  declare numFeatures: number;
  declare eps: number;
  declare momentum: number | null;
  declare affine: boolean;
  declare trackRunningStats: boolean;
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super();
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    const o = opts.dtype ? { dtype: opts.dtype } : {};
    if (this.affine) {
      this.weight = new Parameter(emptyLasting([numFeatures], o));
      this.bias = new Parameter(emptyLasting([numFeatures], o));
    } else {
      this.registerParameter("weight", null);
      this.registerParameter("bias", null);
    }
    if (this.trackRunningStats) {
      this.registerBuffer("running_mean", zeros([numFeatures], o));
      this.registerBuffer("running_var", ones([numFeatures], o));
      this.registerBuffer("num_batches_tracked", tensor(0, { dtype: int64 }));
    } else {
      this.registerBuffer("running_mean", null);
      this.registerBuffer("running_var", null);
      this.registerBuffer("num_batches_tracked", null);
    }
    this.resetParameters();
  }
  /** camelCase aliases of the buffers (registered under PyTorch's state-dict names) */
  get runningMean(): Tensor | null {
    return this.running_mean;
  }
  get runningVar(): Tensor | null {
    return this.running_var;
  }
  get numBatchesTracked(): Tensor | null {
    return this.num_batches_tracked;
  }
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    noGrad(() => {
      this.running_mean!.zero_();
      this.running_var!.fill_(1);
      this.num_batches_tracked!.zero_();
    });
  }
  resetParameters(): void {
    this.resetRunningStats();
    if (this.affine) {
      init.ones_(this.weight!);
      init.zeros_(this.bias!);
    }
  }
  /** @internal */
  abstract _checkInputDim(input: Tensor): void;
  override forward(input: Tensor): Tensor {
    this._checkInputDim(input);
    let eaf = this.momentum ?? 0.0;
    if (this.training && this.trackRunningStats && this.num_batches_tracked) {
      noGrad(() => this.num_batches_tracked!.add_(1));
      // NOTE: momentum=None means a cumulative moving average: 1 / num_batches_tracked
      if (this.momentum === null) eaf = 1.0 / this.num_batches_tracked.item();
    }
    const bnTraining = this.training ? true : this.running_mean === null && this.running_var === null;
    return F.batchNorm(
      input,
      !this.training || this.trackRunningStats ? this.running_mean : null,
      !this.training || this.trackRunningStats ? this.running_var : null,
      this.weight, this.bias, bnTraining, eaf, this.eps,
    );
  }
  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? "None" : pyFloat(this.momentum)}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}

export class BatchNorm1d extends _BatchNorm {
  override _checkInputDim(input: Tensor): void {
    if (input.dim() !== 2 && input.dim() !== 3) throw new ValueError(`expected 2D or 3D input (got ${input.dim()}D input)`);
  }
}
export class BatchNorm2d extends _BatchNorm {
  override _checkInputDim(input: Tensor): void {
    if (input.dim() !== 4) throw new ValueError(`expected 4D input (got ${input.dim()}D input)`);
  }
}
