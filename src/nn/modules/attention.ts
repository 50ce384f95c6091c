// nn.MultiheadAttention (PyTorch 1.13), and the Linear subclass it keeps its out projection in.
import { Tensor } from "../../tensor/tensor.js";
import { emptyLasting } from "../../ops/creation.js";
import { bool, type DType } from "../../tensor/dtype.js";
import { isGradEnabled } from "../../autograd/grad_mode.js";
import { AssertionError, TorchTypeError } from "../../errors.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { Linear } from "./linear.js";
import * as init from "../init.js";
import * as F from "../functional.js";

/**
 * PyTorch's NonDynamicallyQuantizableLinear: a Linear under another name (so that quantization leaves
 * MultiheadAttention's out projection alone); it shows in the module's printout.
 */
export class NonDynamicallyQuantizableLinear extends Linear {}

export interface MultiheadAttentionOptions {
  /** dropout on the attention weights (training only); default 0 */
  dropout?: number;
  /** biases of the in and out projections; default true */
  bias?: boolean;
  /** a learned key and value appended to the sequences (bias_k, bias_v); default false */
  addBiasKv?: boolean;
  /** a zero key and value appended to the sequences; default false */
  addZeroAttn?: boolean;
  /** key features (default embedDim); other than embedDim, separate q/k/v projection weights */
  kdim?: number | null;
  /** value features (default embedDim) */
  vdim?: number | null;
  /** inputs and outputs as (batch, seq, feature); default false: (seq, batch, feature) */
  batchFirst?: boolean;
  dtype?: DType;
}

export interface MultiheadAttentionForwardOptions {
  /** (N, S) or (S): bool True = ignore that key; float: added to the scores */
  keyPaddingMask?: Tensor | null;
  /** return the attention weights too; default true */
  needWeights?: boolean;
  /** (L, S) or (N * numHeads, L, S): bool True = not allowed to attend; float: added to the scores */
  attnMask?: Tensor | null;
  /** average the weights over heads; default true (else per head: (N, numHeads, L, S)) */
  averageAttnWeights?: boolean;
}

/**
 * PyTorch's positional-or-keyword parameters, in TypeScript: the trailing arguments of a call are the
 * values in PyTorch's order, or one options object, or some values then an options object. An
 * option the function does not take throws Python's TypeError, as an unknown keyword argument does
 * (so that a misspelled mask is not silently ignored).
 */
export function optionsOf<T extends object>(fn: string, args: readonly unknown[], names: readonly (keyof T & string)[]): T {
  const vals = [...args];
  while (vals.length && vals[vals.length - 1] === undefined) vals.pop();
  const last = vals[vals.length - 1];
  const isOptions = last !== null && typeof last === "object" && !(last instanceof Tensor) && Object.getPrototypeOf(last) === Object.prototype;
  const o: Record<string, unknown> = isOptions ? { ...(vals.pop() as object) } : {};
  for (const k of Object.keys(o)) if (!names.includes(k as keyof T & string)) throw new TorchTypeError(`${fn}() got an unexpected keyword argument '${k}'`);
  if (vals.length > names.length) throw new TorchTypeError(`${fn}() takes at most ${names.length} optional positional arguments but ${vals.length} were given`);
  vals.forEach((v, i) => {
    const k = names[i]!;
    if (v === undefined) return;
    if (k in o) throw new TorchTypeError(`${fn}() got multiple values for argument '${k}'`);
    o[k] = v;
  });
  return o as T;
}

/** Throws PyTorch's AssertionError for a key padding mask that is neither bool nor floating point. */
export function checkKeyPaddingMask(mask: Tensor | null | undefined): void {
  if (mask && mask.dtype !== bool && !mask.dtype.isFloatingPoint)
    throw new AssertionError("only bool and floating types of key_padding_mask are supported");
}

/**
 * Multi-head attention, PyTorch's `nn.MultiheadAttention`: parameters under PyTorch's names
 * (`in_proj_weight`, `in_proj_bias`, `out_proj.weight`, `out_proj.bias`, or `q_proj_weight`,
 * `k_proj_weight`, `v_proj_weight` when kdim or vdim differ from embedDim; `bias_k`, `bias_v`),
 * so state dicts load from and save to PyTorch. `forward` returns [attnOutput, attnWeights or null].
 * @example
 * const mha = new nn.MultiheadAttention(8, 2);
 * const x = torch.randn(5, 3, 8);
 * const [out, weights] = mha(x, x, x); // x: (L, N, 8) -> out (L, N, 8), weights (N, L, L)
 */
export class MultiheadAttention extends Module {
  declare embedDim: number;
  declare kdim: number;
  declare vdim: number;
  declare _qkvSameEmbedDim: boolean;
  declare numHeads: number;
  declare dropout: number;
  declare batchFirst: boolean;
  declare headDim: number;
  declare addZeroAttn: boolean;
  declare in_proj_weight: Parameter | null;
  declare q_proj_weight: Parameter | null;
  declare k_proj_weight: Parameter | null;
  declare v_proj_weight: Parameter | null;
  declare in_proj_bias: Parameter | null;
  declare out_proj: NonDynamicallyQuantizableLinear;
  declare bias_k: Parameter | null;
  declare bias_v: Parameter | null;

  /** `new MultiheadAttention(embedDim, numHeads, { dropout, bias, ... })`, or the options positionally in PyTorch's order. */
  constructor(embedDim: number, numHeads: number, opts?: MultiheadAttentionOptions);
  constructor(
    embedDim: number, numHeads: number, dropout?: number, bias?: boolean, addBiasKv?: boolean, addZeroAttn?: boolean,
    kdim?: number | null, vdim?: number | null, batchFirst?: boolean, opts?: { dtype?: DType },
  );
  constructor(embedDim: number, numHeads: number, ...args: unknown[]) {
    super();
    const o = optionsOf<MultiheadAttentionOptions>("MultiheadAttention.__init__", args, [
      "dropout", "bias", "addBiasKv", "addZeroAttn", "kdim", "vdim", "batchFirst", "dtype",
    ]);
    const f = o.dtype ? { dtype: o.dtype } : {};
    this.embedDim = embedDim;
    this.kdim = o.kdim ?? embedDim;
    this.vdim = o.vdim ?? embedDim;
    this._qkvSameEmbedDim = this.kdim === embedDim && this.vdim === embedDim;
    this.numHeads = numHeads;
    this.dropout = o.dropout ?? 0.0;
    this.batchFirst = o.batchFirst ?? false;
    this.headDim = Math.floor(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim) throw new AssertionError("embed_dim must be divisible by num_heads");
    // NOTE: registration order is PyTorch's, so parameters(), the state dict and seeded inits agree
    if (!this._qkvSameEmbedDim) {
      this.q_proj_weight = new Parameter(emptyLasting([embedDim, embedDim], f));
      this.k_proj_weight = new Parameter(emptyLasting([embedDim, this.kdim], f));
      this.v_proj_weight = new Parameter(emptyLasting([embedDim, this.vdim], f));
      this.registerParameter("in_proj_weight", null);
    } else {
      this.in_proj_weight = new Parameter(emptyLasting([3 * embedDim, embedDim], f));
      this.registerParameter("q_proj_weight", null);
      this.registerParameter("k_proj_weight", null);
      this.registerParameter("v_proj_weight", null);
    }
    if (o.bias ?? true) this.in_proj_bias = new Parameter(emptyLasting([3 * embedDim], f));
    else this.registerParameter("in_proj_bias", null);
    this.out_proj = new NonDynamicallyQuantizableLinear(embedDim, embedDim, o.bias ?? true, f);
    if (o.addBiasKv) {
      this.bias_k = new Parameter(emptyLasting([1, 1, embedDim], f));
      this.bias_v = new Parameter(emptyLasting([1, 1, embedDim], f));
    } else {
      this.bias_k = null;
      this.bias_v = null;
    }
    this.addZeroAttn = o.addZeroAttn ?? false;
    this._resetParameters();
  }

  /** camelCase aliases of the parameters and the out projection (registered under PyTorch's names) */
  get inProjWeight(): Parameter | null { return this.in_proj_weight; }
  get qProjWeight(): Parameter | null { return this.q_proj_weight; }
  get kProjWeight(): Parameter | null { return this.k_proj_weight; }
  get vProjWeight(): Parameter | null { return this.v_proj_weight; }
  get inProjBias(): Parameter | null { return this.in_proj_bias; }
  get outProj(): NonDynamicallyQuantizableLinear { return this.out_proj; }
  get biasK(): Parameter | null { return this.bias_k; }
  get biasV(): Parameter | null { return this.bias_v; }

  /**
   * PyTorch 1.13's _reset_parameters: xavier_uniform_ of the in projection weight(s), zero in and
   * out projection biases, xavier_normal_ of bias_k and bias_v. NOTE: out_proj already drew its
   * Linear init when it was built (before this), so under manualSeed the numbers match PyTorch's.
   */
  _resetParameters(): void {
    if (this._qkvSameEmbedDim) init.xavierUniform_(this.in_proj_weight!);
    else {
      init.xavierUniform_(this.q_proj_weight!);
      init.xavierUniform_(this.k_proj_weight!);
      init.xavierUniform_(this.v_proj_weight!);
    }
    if (this.in_proj_bias) {
      init.constant_(this.in_proj_bias, 0);
      init.constant_(this.out_proj.bias!, 0);
    }
    if (this.bias_k) init.xavierNormal_(this.bias_k);
    if (this.bias_v) init.xavierNormal_(this.bias_v);
  }

  /**
   * Whether PyTorch 1.13 would run this call on its fast path (torch._native_multi_head_attention):
   * batched self-attention (query, key and value one tensor) in eval mode, batchFirst, no bias_k,
   * dropout or zero attention, one packed projection, no attnMask, an even number of heads, and no
   * gradient to record. The numbers are the same math, but a float key padding mask is read there as
   * bool (non-zero = ignore), which `forward` mirrors.
   */
  _fastPath(query: Tensor, key: Tensor, value: Tensor, attnMask: Tensor | null): boolean {
    if (query.dim() !== 3 || query !== key || key !== value) return false;
    if (this.in_proj_bias && query.dtype !== this.in_proj_bias.dtype) return false;
    if (this.in_proj_weight && query.dtype !== this.in_proj_weight.dtype) return false;
    if (this.training || !this.batchFirst || this.bias_k || this.bias_v || this.dropout || this.addZeroAttn) return false;
    if (!this._qkvSameEmbedDim || attnMask || this.numHeads % 2 === 1) return false;
    const args = [query, this.in_proj_weight, this.in_proj_bias, this.out_proj.weight, this.out_proj.bias];
    return !(isGradEnabled() && args.some((t) => t?.requiresGrad));
  }

  /**
   * query (L, N, E) [or (N, L, E) with batchFirst, or (L, E) unbatched], key and value (S, N, kdim/vdim).
   * Returns [attnOutput (L, N, E), attnWeights (N, L, S) averaged over heads, per head
   * (N, numHeads, L, S), or null when needWeights is false].
   */
  override forward(query: Tensor, key: Tensor, value: Tensor, opts?: MultiheadAttentionForwardOptions): [Tensor, Tensor | null];
  override forward(
    query: Tensor, key: Tensor, value: Tensor, keyPaddingMask?: Tensor | null, needWeights?: boolean, attnMask?: Tensor | null, averageAttnWeights?: boolean,
  ): [Tensor, Tensor | null];
  override forward(query: Tensor, key: Tensor, value: Tensor, ...args: unknown[]): [Tensor, Tensor | null] {
    const opts = optionsOf<MultiheadAttentionForwardOptions>("forward", args, ["keyPaddingMask", "needWeights", "attnMask", "averageAttnWeights"]);
    const isBatched = query.dim() === 3;
    let keyPaddingMask = opts.keyPaddingMask ?? null;
    const attnMask = opts.attnMask ?? null;
    checkKeyPaddingMask(keyPaddingMask);
    if (keyPaddingMask && keyPaddingMask.dtype !== bool && this._fastPath(query, key, value, attnMask)) keyPaddingMask = keyPaddingMask.ne(0);
    if (this.batchFirst && isBatched) {
      // NOTE: transposed once per distinct tensor, so that `query === key` still holds where it did
      if (key === value) {
        if (query === key) query = key = value = query.transpose(1, 0);
        else {
          query = query.transpose(1, 0);
          key = value = key.transpose(1, 0);
        }
      } else [query, key, value] = [query.transpose(1, 0), key.transpose(1, 0), value.transpose(1, 0)];
    }
    const common = {
      training: this.training, keyPaddingMask, needWeights: opts.needWeights ?? true, attnMask,
      averageAttnWeights: opts.averageAttnWeights ?? true,
    };
    const [out, weights] = F.multiHeadAttentionForward(
      query, key, value, this.embedDim, this.numHeads, this.in_proj_weight, this.in_proj_bias, this.bias_k, this.bias_v,
      this.addZeroAttn, this.dropout, this.out_proj.weight, this.out_proj.bias,
      this._qkvSameEmbedDim ? common : {
        ...common, useSeparateProjWeight: true, qProjWeight: this.q_proj_weight, kProjWeight: this.k_proj_weight, vProjWeight: this.v_proj_weight,
      },
    );
    return [this.batchFirst && isBatched ? out.transpose(1, 0) : out, weights];
  }
}
