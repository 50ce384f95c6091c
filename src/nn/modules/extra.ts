// nn.Unflatten, nn.Dropout1d/2d/3d, nn.AlphaDropout, nn.FeatureAlphaDropout, nn.EmbeddingBag,
// nn.Bilinear, nn.CosineSimilarity, nn.PairwiseDistance.
import type { Tensor } from "../../tensor/tensor.js";
import { emptyLasting } from "../../ops/creation.js";
import type { DType } from "../../tensor/dtype.js";
import { noGrad } from "../../autograd/grad_mode.js";
import { AssertionError, RuntimeError, ValueError } from "../../errors.js";
import { Module, pyBool, pyFloat, pyTuple } from "../module.js";
import { Parameter } from "../parameter.js";
import * as init from "../init.js";
import * as L from "../layers_extra.js";

/**
 * Tensor.unflatten(dim, sizes): dim split into `sizes` (one of them may be -1), as a view (ViewBackward0).
 */
export function unflatten(input: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const nd = input.dim();
  const d = dim < 0 ? dim + nd : dim;
  const n = input.size(d);
  let known = 1, infer = -1;
  sizes.forEach((s, i) => (s === -1 ? (infer = i) : (known *= s)));
  const full = sizes.slice();
  if (infer >= 0 && known > 0 && n % known === 0) full[infer] = n / known;
  const prod = full.reduce((a, b) => a * b, 1);
  if (prod !== n || (infer >= 0 && (known === 0 || n % known !== 0)))
    throw new RuntimeError(`unflatten: Provided sizes [${sizes.join(", ")}] don't multiply up to the size of dim ${dim} (${n}) in the input tensor`);
  return input.view([...input.shape.slice(0, d), ...full, ...input.shape.slice(d + 1)]);
}

/** nn.Unflatten(dim, unflattenedSize): the inverse of Flatten over one dim. */
export class Unflatten extends Module {
  declare dim: number;
  declare unflattenedSize: number[];
  constructor(dim: number, unflattenedSize: readonly number[]) {
    super();
    this.dim = dim;
    this.unflattenedSize = [...unflattenedSize];
  }
  override forward(input: Tensor): Tensor {
    return unflatten(input, this.dim, this.unflattenedSize);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=${pyTuple(this.unflattenedSize)}`;
  }
}

/** PyTorch's _DropoutNd: p checked in [0, 1], `p=..., inplace=...` in the repr. */
abstract class _DropoutNd extends Module {
  declare p: number;
  declare inplace: boolean;
  constructor(p = 0.5, inplace = false) {
    super();
    if (p < 0 || p > 1) throw new ValueError(`dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
    this.inplace = inplace;
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyBool(this.inplace)}`;
  }
}

/** nn.Dropout1d: zeroes whole channels of (N, C, L) / (C, L) inputs in training. */
export class Dropout1d extends _DropoutNd {
  override forward(input: Tensor): Tensor {
    return L.dropout1d(input, this.p, this.training, this.inplace);
  }
}
/** nn.Dropout2d: zeroes whole channels of (N, C, H, W) inputs in training. */
export class Dropout2d extends _DropoutNd {
  override forward(input: Tensor): Tensor {
    return L.dropout2d(input, this.p, this.training, this.inplace);
  }
}
/** nn.Dropout3d: zeroes whole channels of (N, C, D, H, W) / (C, D, H, W) inputs in training. */
export class Dropout3d extends _DropoutNd {
  override forward(input: Tensor): Tensor {
    return L.dropout3d(input, this.p, this.training, this.inplace);
  }
}
/** nn.AlphaDropout. NOTE: as PyTorch's, its forward never runs in place (`inplace` only shows in the repr). */
export class AlphaDropout extends _DropoutNd {
  override forward(input: Tensor): Tensor {
    return L.alphaDropout(input, this.p, this.training);
  }
}
/** nn.FeatureAlphaDropout (as AlphaDropout, `inplace` is not used by PyTorch's forward). */
export class FeatureAlphaDropout extends _DropoutNd {
  override forward(input: Tensor): Tensor {
    return L.featureAlphaDropout(input, this.p, this.training);
  }
}

export interface EmbeddingBagModuleOptions {
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  mode?: "sum" | "mean" | "max";
  sparse?: boolean;
  weight?: Tensor | null;
  includeLastOffset?: boolean;
  paddingIdx?: number | null;
  dtype?: DType;
}

/** nn.EmbeddingBag(numEmbeddings, embeddingDim, opts): weight N(0, 1), the padding row zeroed. */
export class EmbeddingBag extends Module {
  declare numEmbeddings: number;
  declare embeddingDim: number;
  declare maxNorm: number | null;
  declare normType: number;
  declare scaleGradByFreq: boolean;
  declare mode: "sum" | "mean" | "max";
  declare sparse: boolean;
  declare includeLastOffset: boolean;
  declare paddingIdx: number | null;
  declare weight: Parameter;
  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingBagModuleOptions = {}) {
    super();
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.maxNorm = opts.maxNorm ?? null;
    this.normType = opts.normType ?? 2.0;
    this.scaleGradByFreq = opts.scaleGradByFreq ?? false;
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (pad > 0 && pad >= numEmbeddings) throw new AssertionError("padding_idx must be within num_embeddings");
      if (pad < 0) {
        if (pad < -numEmbeddings) throw new AssertionError("padding_idx must be within num_embeddings");
        pad += numEmbeddings;
      }
    }
    this.paddingIdx = pad;
    if (opts.weight) {
      if (opts.weight.shape.join(",") !== `${numEmbeddings},${embeddingDim}`) throw new AssertionError("Shape of weight does not match num_embeddings and embedding_dim");
      this.weight = new Parameter(opts.weight);
    } else {
      this.weight = new Parameter(emptyLasting([numEmbeddings, embeddingDim], opts.dtype ? { dtype: opts.dtype } : {}));
      this.resetParameters();
    }
    this.mode = opts.mode ?? "mean";
    this.sparse = opts.sparse ?? false;
    this.includeLastOffset = opts.includeLastOffset ?? false;
  }
  resetParameters(): void {
    init.normal_(this.weight);
    if (this.paddingIdx !== null) noGrad(() => this.weight.select(0, this.paddingIdx!).fill_(0));
  }
  override forward(input: Tensor, offsets: Tensor | null = null, perSampleWeights: Tensor | null = null): Tensor {
    return L.embeddingBag(input, this.weight, {
      offsets, maxNorm: this.maxNorm, normType: this.normType, scaleGradByFreq: this.scaleGradByFreq, mode: this.mode,
      sparse: this.sparse, perSampleWeights, includeLastOffset: this.includeLastOffset, paddingIdx: this.paddingIdx,
    });
  }
  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.maxNorm !== null) s += `, max_norm=${pyFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, norm_type=${pyFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += `, scale_grad_by_freq=True`;
    s += `, mode=${this.mode}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    return s;
  }
  /** EmbeddingBag.from_pretrained(embeddings, freeze = true, opts). */
  static fromPretrained(embeddings: Tensor, freeze = true, opts: Omit<EmbeddingBagModuleOptions, "weight" | "dtype"> = {}): EmbeddingBag {
    if (embeddings.dim() !== 2) throw new AssertionError("Embeddings parameter is expected to be 2-dimensional");
    const e = new EmbeddingBag(embeddings.size(0), embeddings.size(1), { ...opts, weight: embeddings });
    e.weight.requiresGrad_(!freeze);
    return e;
  }
}

/** nn.Bilinear(in1Features, in2Features, outFeatures, bias = true): weight and bias U(-1/sqrt(in1), 1/sqrt(in1)). */
export class Bilinear extends Module {
  declare in1Features: number;
  declare in2Features: number;
  declare outFeatures: number;
  declare weight: Parameter;
  declare bias: Parameter | null;
  constructor(in1Features: number, in2Features: number, outFeatures: number, bias = true, opts: { dtype?: DType } = {}) {
    super();
    this.in1Features = in1Features;
    this.in2Features = in2Features;
    this.outFeatures = outFeatures;
    const o = opts.dtype ? { dtype: opts.dtype } : {};
    this.weight = new Parameter(emptyLasting([outFeatures, in1Features, in2Features], o));
    if (bias) this.bias = new Parameter(emptyLasting([outFeatures], o));
    else this.registerParameter("bias", null);
    this.resetParameters();
  }
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.weight.size(1));
    init.uniform_(this.weight, -bound, bound);
    if (this.bias) init.uniform_(this.bias, -bound, bound);
  }
  override forward(input1: Tensor, input2: Tensor): Tensor {
    return L.bilinear(input1, input2, this.weight, this.bias);
  }
  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}

/** nn.CosineSimilarity(dim = 1, eps = 1e-8). */
export class CosineSimilarity extends Module {
  declare dim: number;
  declare eps: number;
  constructor(dim = 1, eps = 1e-8) {
    super();
    this.dim = dim;
    this.eps = eps;
  }
  override forward(x1: Tensor, x2: Tensor): Tensor {
    return L.cosineSimilarity(x1, x2, this.dim, this.eps);
  }
}

/** nn.PairwiseDistance(p = 2, eps = 1e-6, keepdim = false). */
export class PairwiseDistance extends Module {
  declare norm: number;
  declare eps: number;
  declare keepdim: boolean;
  constructor(p = 2.0, eps = 1e-6, keepdim = false) {
    super();
    this.norm = p;
    this.eps = eps;
    this.keepdim = keepdim;
  }
  override forward(x1: Tensor, x2: Tensor): Tensor {
    return L.pairwiseDistance(x1, x2, this.norm, this.eps, this.keepdim);
  }
}
