// nn.TransformerEncoderLayer, nn.TransformerEncoder, nn.TransformerDecoderLayer, nn.TransformerDecoder
// and nn.Transformer, as PyTorch 1.13 builds and runs them.
import { Tensor } from "../../tensor/tensor.js";
import { tensor } from "../../ops/creation.js";
import { bool, getDefaultDtype, type DType } from "../../tensor/dtype.js";
import { isGradEnabled } from "../../autograd/grad_mode.js";
import { RuntimeError } from "../../errors.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { Linear } from "./linear.js";
import { Dropout, LayerNorm } from "./misc.js";
import { ModuleList } from "./container.js";
import { ReLU, GELU } from "./activation.js";
import { MultiheadAttention, checkKeyPaddingMask, optionsOf } from "./attention.js";
import * as init from "../init.js";
import * as F from "../functional.js";

/** The feed-forward activation: "relu", "gelu", a function of a tensor, or a module (registered as the child `activation`). */
export type TransformerActivation = "relu" | "gelu" | ((x: Tensor) => Tensor) | Module;

export interface TransformerLayerOptions {
  /** the feed-forward width; default 2048 */
  dimFeedforward?: number;
  /** default 0.1 */
  dropout?: number;
  /** default "relu" */
  activation?: TransformerActivation;
  /** default 1e-5 */
  layerNormEps?: number;
  /** (batch, seq, feature) inputs; default false */
  batchFirst?: boolean;
  /** layer norm before attention and feed-forward (pre-norm); default false (after) */
  normFirst?: boolean;
  dtype?: DType;
}

// ---------------------------------------------------------------- deep copies (PyTorch's _get_clones)
function deepcopyValue(v: unknown, memo: Map<unknown, unknown>): unknown {
  if (v === null || (typeof v !== "object" && typeof v !== "function")) return v;
  if (memo.has(v)) return memo.get(v);
  if (v instanceof Module) return deepcopyModule(v, memo);
  if (v instanceof Tensor) {
    // NOTE: as PyTorch's Parameter.__deepcopy__: the data cloned, requires_grad kept, the grad not copied
    const c = v instanceof Parameter ? new Parameter(v.detach().clone(), v.requiresGrad) : v.detach().clone().requiresGrad_(v.requiresGrad);
    memo.set(v, c);
    return c;
  }
  if (Array.isArray(v)) {
    const c: unknown[] = [];
    memo.set(v, c);
    for (const x of v) c.push(deepcopyValue(x, memo));
    return c;
  }
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const c: Record<string, unknown> = {};
    memo.set(v, c);
    for (const [k, x] of Object.entries(v)) c[k] = deepcopyValue(x, memo);
    return c;
  }
  return v; // functions and other objects are shared, as Python's deepcopy shares functions
}

/**
 * copy.deepcopy of a module: a new module of the same class (its constructor not run again, as
 * Python's deepcopy does not run __init__), with cloned parameters and buffers, deep-copied children
 * and the same plain attributes; tensors shared inside the module stay shared inside the copy.
 */
export function deepcopyModule<M extends Module>(m: M, memo: Map<unknown, unknown> = new Map()): M {
  if (memo.has(m)) return memo.get(m) as M;
  const c = Reflect.construct(Module, [], m.constructor) as M;
  memo.set(m, c);
  c.training = m.training;
  for (const [k, p] of m._parameters) c._parameters.set(k, p ? (deepcopyValue(p, memo) as Parameter) : null);
  for (const [k, b] of m._buffers) c._buffers.set(k, b ? (deepcopyValue(b, memo) as Tensor) : null);
  for (const k of m._nonPersistent) c._nonPersistent.add(k);
  for (const [k, sub] of m._modules) c._modules.set(k, sub ? deepcopyModule(sub, memo) : null);
  for (const [k, h] of m._forwardPreHooks) c._forwardPreHooks.set(k, h);
  for (const [k, h] of m._forwardHooks) c._forwardHooks.set(k, h);
  for (const k of Object.keys(m)) Object.defineProperty(c, k, { value: deepcopyValue((m as unknown as Record<string, unknown>)[k], memo), writable: true, enumerable: true, configurable: true });
  return c;
}

/** PyTorch's _get_clones: a ModuleList of n deep copies of module. */
function getClones<M extends Module>(module: M, n: number): ModuleList {
  return new ModuleList(Array.from({ length: n }, () => deepcopyModule(module)));
}

function getActivationFn(activation: string): (x: Tensor) => Tensor {
  if (activation === "relu") return F.relu;
  if (activation === "gelu") return F.gelu;
  throw new RuntimeError(`activation should be relu/gelu, not ${activation}`);
}

const LAYER_OPTIONS = ["dimFeedforward", "dropout", "activation", "layerNormEps", "batchFirst", "normFirst", "dtype"] as const;

/** Bool key padding mask (True = padding) as the fast paths read it: a float mask's non-zeros are padding. */
const asBoolMask = (m: Tensor): Tensor => (m.dtype === bool ? m : m.ne(0));

// ---------------------------------------------------------------- encoder layer
export interface TransformerEncoderLayerForwardOptions {
  srcMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * PyTorch's `nn.TransformerEncoderLayer`: self-attention and a feed-forward block, each with dropout,
 * a residual connection and layer norm (after, or before with normFirst).
 * @example
 * const layer = new nn.TransformerEncoderLayer(512, 8); // or (512, 8, { dimFeedforward: 1024, batchFirst: true })
 * layer(torch.rand(10, 32, 512)).shape; // [10, 32, 512]
 */
export class TransformerEncoderLayer extends Module {
  declare self_attn: MultiheadAttention;
  declare linear1: Linear;
  declare dropout: Dropout;
  declare linear2: Linear;
  declare normFirst: boolean;
  declare norm1: LayerNorm;
  declare norm2: LayerNorm;
  declare dropout1: Dropout;
  declare dropout2: Dropout;
  /** 1 for relu, 2 for gelu, 0 for another activation (PyTorch's activation_relu_or_gelu, which picks its fast path) */
  declare activationReluOrGelu: 0 | 1 | 2;
  declare activation: ((x: Tensor) => Tensor) | Module;

  /** (dModel, nhead, { dimFeedforward, dropout, ... }) or PyTorch's positional order (dModel, nhead, dimFeedforward, dropout, ...). */
  constructor(dModel: number, nhead: number, opts?: TransformerLayerOptions);
  constructor(
    dModel: number, nhead: number, dimFeedforward?: number, dropout?: number, activation?: TransformerActivation, layerNormEps?: number,
    batchFirst?: boolean, normFirst?: boolean, opts?: { dtype?: DType },
  );
  constructor(dModel: number, nhead: number, ...args: unknown[]) {
    super();
    const o = optionsOf<TransformerLayerOptions>("TransformerEncoderLayer.__init__", args, LAYER_OPTIONS);
    const f = o.dtype ? { dtype: o.dtype } : {};
    const p = o.dropout ?? 0.1, eps = o.layerNormEps ?? 1e-5;
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: o.batchFirst ?? false, ...f });
    this.linear1 = new Linear(dModel, o.dimFeedforward ?? 2048, true, f);
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(o.dimFeedforward ?? 2048, dModel, true, f);
    this.normFirst = o.normFirst ?? false;
    this.norm1 = new LayerNorm(dModel, eps, true, f);
    this.norm2 = new LayerNorm(dModel, eps, true, f);
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    let act = o.activation ?? F.relu;
    if (typeof act === "string") act = getActivationFn(act);
    if (act === F.relu || act instanceof ReLU) this.activationReluOrGelu = 1;
    else if (act === F.gelu || act instanceof GELU) this.activationReluOrGelu = 2;
    else this.activationReluOrGelu = 0;
    this.activation = act;
  }

  get selfAttn(): MultiheadAttention { return this.self_attn; }

  /**
   * Whether PyTorch 1.13 runs this call as torch._transformer_encoder_layer_fwd: batched input in eval
   * mode, batchFirst, relu or gelu, equal norm eps, no srcMask, an even number of heads, no gradient
   * to record. Same math, except that a float padding mask is read as bool and a GELU module runs
   * as the exact gelu (its `approximate` is not passed on), which `forward` mirrors.
   */
  _fastPath(src: Tensor, srcMask: Tensor | null): boolean {
    const sa = this.self_attn;
    if (src.dim() !== 3 || this.training || !sa.batchFirst || !sa._qkvSameEmbedDim || !this.activationReluOrGelu) return false;
    if (this.norm1.eps !== this.norm2.eps || srcMask || sa.numHeads % 2 === 1) return false;
    const args = [
      src, sa.in_proj_weight, sa.in_proj_bias, sa.out_proj.weight, sa.out_proj.bias, this.norm1.weight, this.norm1.bias,
      this.norm2.weight, this.norm2.bias, this.linear1.weight, this.linear1.bias, this.linear2.weight, this.linear2.bias,
    ];
    return !(isGradEnabled() && args.some((t) => t?.requiresGrad));
  }

  /** src (S, N, E) [(N, S, E) with batchFirst, (S, E) unbatched]; srcMask (S, S); srcKeyPaddingMask (N, S). */
  override forward(src: Tensor, opts?: TransformerEncoderLayerForwardOptions): Tensor;
  override forward(src: Tensor, srcMask?: Tensor | null, srcKeyPaddingMask?: Tensor | null): Tensor;
  override forward(src: Tensor, ...args: unknown[]): Tensor {
    const opts = optionsOf<TransformerEncoderLayerForwardOptions>("forward", args, ["srcMask", "srcKeyPaddingMask"]);
    const srcMask = opts.srcMask ?? null;
    let kpm = opts.srcKeyPaddingMask ?? null;
    checkKeyPaddingMask(kpm);
    let act: (x: Tensor) => Tensor = (x) => (this.activation as (x: Tensor) => Tensor)(x);
    if (this._fastPath(src, srcMask)) {
      if (kpm) kpm = asBoolMask(kpm);
      act = this.activationReluOrGelu === 2 ? (x) => F.gelu(x) : (x) => F.relu(x);
    }
    const sa = (x: Tensor) => this.dropout1(this.self_attn(x, x, x, { attnMask: srcMask, keyPaddingMask: kpm, needWeights: false })[0]);
    const ff = (x: Tensor) => this.dropout2(this.linear2(this.dropout(act(this.linear1(x)))));
    let x = src;
    if (this.normFirst) {
      x = x.add(sa(this.norm1(x)));
      x = x.add(ff(this.norm2(x)));
    } else {
      x = this.norm1(x.add(sa(x)));
      x = this.norm2(x.add(ff(x)));
    }
    return x;
  }
}

// ---------------------------------------------------------------- encoder
export interface TransformerEncoderForwardOptions {
  mask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
}

/** Whether each row of `keep` (True = token) is a run of True then a run of False (PyTorch's _nested_tensor_from_mask_left_aligned). */
function leftAligned(keep: Tensor): boolean {
  const [n, s] = keep.shape as [number, number];
  const v = keep.dataSync() as ArrayLike<number | boolean>;
  for (let i = 0; i < n; i++) {
    let ended = false;
    for (let j = 0; j < s; j++) {
      const t = Boolean(v[i * s + j]);
      if (!t) ended = true;
      else if (ended) return false;
    }
  }
  return true;
}

/**
 * PyTorch's `nn.TransformerEncoder`: numLayers deep copies of encoderLayer, then an optional norm.
 * @example
 * const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(512, 8), 6);
 * const src = torch.rand(4, 2, 512); // (S, N, E)
 * const srcKeyPaddingMask = torch.tensor([[false, false, false, true], [false, false, false, false]]); // (N, S)
 * enc(src, { srcKeyPaddingMask });
 */
export class TransformerEncoder extends Module {
  declare layers: ModuleList;
  declare numLayers: number;
  declare norm: Module | null;
  declare enableNestedTensor: boolean;
  declare maskCheck: boolean;
  constructor(encoderLayer: Module, numLayers: number, norm?: Module | null, opts?: { enableNestedTensor?: boolean; maskCheck?: boolean });
  constructor(encoderLayer: Module, numLayers: number, norm?: Module | null, enableNestedTensor?: boolean, maskCheck?: boolean);
  constructor(encoderLayer: Module, numLayers: number, norm: Module | null = null, ...args: unknown[]) {
    super();
    const opts = optionsOf<{ enableNestedTensor?: boolean; maskCheck?: boolean }>("TransformerEncoder.__init__", args, ["enableNestedTensor", "maskCheck"]);
    this.layers = getClones(encoderLayer, numLayers);
    this.numLayers = numLayers;
    this.norm = norm;
    this.enableNestedTensor = opts.enableNestedTensor ?? true;
    this.maskCheck = opts.maskCheck ?? true;
  }

  /**
   * Whether PyTorch 1.13 turns src into a nested tensor here (its "sparsity fast path"): the first layer
   * would take its own fast path, post-norm, with a left-aligned srcKeyPaddingMask and no mask.
   */
  _nestedPath(src: Tensor, mask: Tensor | null, kpm: Tensor | null): boolean {
    const first = this.layers.at(0) as Module;
    if (!(first instanceof TransformerEncoderLayer)) return false;
    const sa = first.self_attn;
    if (first.normFirst || first.training || !sa.batchFirst || !sa._qkvSameEmbedDim || !first.activationReluOrGelu) return false;
    if (first.norm1.eps !== first.norm2.eps || src.dim() !== 3 || !this.enableNestedTensor || !kpm) return false;
    if (this.maskCheck && !leftAligned(kpm.logicalNot())) return false;
    if (mask || sa.numHeads % 2 === 1) return false;
    const args = [
      src, sa.in_proj_weight, sa.in_proj_bias, sa.out_proj.weight, sa.out_proj.bias, first.norm1.weight, first.norm1.bias,
      first.norm2.weight, first.norm2.bias, first.linear1.weight, first.linear1.bias, first.linear2.weight, first.linear2.bias,
    ];
    return !(isGradEnabled() && args.some((t) => t?.requiresGrad));
  }

  /** src (S, N, E) [(N, S, E) with batchFirst]; mask (S, S); srcKeyPaddingMask (N, S). */
  override forward(src: Tensor, opts?: TransformerEncoderForwardOptions): Tensor;
  override forward(src: Tensor, mask?: Tensor | null, srcKeyPaddingMask?: Tensor | null): Tensor;
  override forward(src: Tensor, ...args: unknown[]): Tensor {
    const opts = optionsOf<TransformerEncoderForwardOptions>("forward", args, ["mask", "srcKeyPaddingMask"]);
    const mask = opts.mask ?? null;
    let kpm = opts.srcKeyPaddingMask ?? null;
    checkKeyPaddingMask(kpm);
    let output = src;
    const nested = this._nestedPath(src, mask, kpm);
    // NOTE: on that path PyTorch runs the layers on each sequence's tokens only and pads the result
    // back with zeros, to the longest sequence (so the output can be shorter than src). Attending with
    // the padding mask gives the tokens the same values; the padding is then zeroed and cut.
    if (nested) kpm = asBoolMask(kpm!);
    for (const mod of this.layers) output = mod(output, { srcMask: mask, srcKeyPaddingMask: kpm });
    if (nested) {
      const pad = kpm!;
      const keep = pad.logicalNot().sum(1);
      const maxLen = Math.max(0, ...Array.from(keep.dataSync() as ArrayLike<number | bigint>, Number));
      output = output.maskedFill(pad.unsqueeze(-1), 0).narrow(1, 0, maxLen);
    }
    if (this.norm) output = this.norm(output);
    return output;
  }
}

// ---------------------------------------------------------------- decoder layer
export interface TransformerDecoderLayerForwardOptions {
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
}
const DECODER_FORWARD = ["tgtMask", "memoryMask", "tgtKeyPaddingMask", "memoryKeyPaddingMask"] as const;

/**
 * PyTorch's `nn.TransformerDecoderLayer`: self-attention, attention over the encoder's memory and a
 * feed-forward block, each with dropout, a residual connection and layer norm.
 * @example
 * const layer = new nn.TransformerDecoderLayer(512, 8);
 * const [tgt, memory] = [torch.rand(3, 2, 512), torch.rand(4, 2, 512)]; // (T, N, E), (S, N, E)
 * layer(tgt, memory, { tgtMask: nn.Transformer.generateSquareSubsequentMask(tgt.size(0)) });
 */
export class TransformerDecoderLayer extends Module {
  declare self_attn: MultiheadAttention;
  declare multihead_attn: MultiheadAttention;
  declare linear1: Linear;
  declare dropout: Dropout;
  declare linear2: Linear;
  declare normFirst: boolean;
  declare norm1: LayerNorm;
  declare norm2: LayerNorm;
  declare norm3: LayerNorm;
  declare dropout1: Dropout;
  declare dropout2: Dropout;
  declare dropout3: Dropout;
  declare activation: ((x: Tensor) => Tensor) | Module;

  /** (dModel, nhead, { dimFeedforward, dropout, ... }) or PyTorch's positional order (dModel, nhead, dimFeedforward, dropout, ...). */
  constructor(dModel: number, nhead: number, opts?: TransformerLayerOptions);
  constructor(
    dModel: number, nhead: number, dimFeedforward?: number, dropout?: number, activation?: TransformerActivation, layerNormEps?: number,
    batchFirst?: boolean, normFirst?: boolean, opts?: { dtype?: DType },
  );
  constructor(dModel: number, nhead: number, ...args: unknown[]) {
    super();
    const o = optionsOf<TransformerLayerOptions>("TransformerDecoderLayer.__init__", args, LAYER_OPTIONS);
    const f = o.dtype ? { dtype: o.dtype } : {};
    const p = o.dropout ?? 0.1, eps = o.layerNormEps ?? 1e-5;
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: o.batchFirst ?? false, ...f });
    this.multihead_attn = new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: o.batchFirst ?? false, ...f });
    this.linear1 = new Linear(dModel, o.dimFeedforward ?? 2048, true, f);
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(o.dimFeedforward ?? 2048, dModel, true, f);
    this.normFirst = o.normFirst ?? false;
    this.norm1 = new LayerNorm(dModel, eps, true, f);
    this.norm2 = new LayerNorm(dModel, eps, true, f);
    this.norm3 = new LayerNorm(dModel, eps, true, f);
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    this.dropout3 = new Dropout(p);
    const act = o.activation ?? F.relu;
    this.activation = typeof act === "string" ? getActivationFn(act) : act;
  }

  get selfAttn(): MultiheadAttention { return this.self_attn; }
  get multiheadAttn(): MultiheadAttention { return this.multihead_attn; }

  /** tgt (T, N, E), memory (S, N, E) [batch first with batchFirst]; masks (T, T), (T, S), (N, T), (N, S). */
  override forward(tgt: Tensor, memory: Tensor, opts?: TransformerDecoderLayerForwardOptions): Tensor;
  override forward(
    tgt: Tensor, memory: Tensor, tgtMask?: Tensor | null, memoryMask?: Tensor | null, tgtKeyPaddingMask?: Tensor | null, memoryKeyPaddingMask?: Tensor | null,
  ): Tensor;
  override forward(tgt: Tensor, memory: Tensor, ...args: unknown[]): Tensor {
    const opts = optionsOf<TransformerDecoderLayerForwardOptions>("forward", args, DECODER_FORWARD);
    const act = (x: Tensor) => (this.activation as (x: Tensor) => Tensor)(x);
    const sa = (x: Tensor) =>
      this.dropout1(this.self_attn(x, x, x, { attnMask: opts.tgtMask ?? null, keyPaddingMask: opts.tgtKeyPaddingMask ?? null, needWeights: false })[0]);
    const mha = (x: Tensor) =>
      this.dropout2(this.multihead_attn(x, memory, memory, { attnMask: opts.memoryMask ?? null, keyPaddingMask: opts.memoryKeyPaddingMask ?? null, needWeights: false })[0]);
    const ff = (x: Tensor) => this.dropout3(this.linear2(this.dropout(act(this.linear1(x)))));
    let x = tgt;
    if (this.normFirst) {
      x = x.add(sa(this.norm1(x)));
      x = x.add(mha(this.norm2(x)));
      x = x.add(ff(this.norm3(x)));
    } else {
      x = this.norm1(x.add(sa(x)));
      x = this.norm2(x.add(mha(x)));
      x = this.norm3(x.add(ff(x)));
    }
    return x;
  }
}

// ---------------------------------------------------------------- decoder
/**
 * PyTorch's `nn.TransformerDecoder`: numLayers deep copies of decoderLayer, then an optional norm.
 * @example
 * const dec = new nn.TransformerDecoder(new nn.TransformerDecoderLayer(512, 8), 6);
 * const [tgt, memory] = [torch.rand(3, 2, 512), torch.rand(4, 2, 512)]; // (T, N, E), (S, N, E)
 * const tgtMask = nn.Transformer.generateSquareSubsequentMask(3);
 * dec(tgt, memory, { tgtMask });
 */
export class TransformerDecoder extends Module {
  declare layers: ModuleList;
  declare numLayers: number;
  declare norm: Module | null;
  constructor(decoderLayer: Module, numLayers: number, norm: Module | null = null) {
    super();
    this.layers = getClones(decoderLayer, numLayers);
    this.numLayers = numLayers;
    this.norm = norm;
  }
  override forward(tgt: Tensor, memory: Tensor, opts?: TransformerDecoderLayerForwardOptions): Tensor;
  override forward(
    tgt: Tensor, memory: Tensor, tgtMask?: Tensor | null, memoryMask?: Tensor | null, tgtKeyPaddingMask?: Tensor | null, memoryKeyPaddingMask?: Tensor | null,
  ): Tensor;
  override forward(tgt: Tensor, memory: Tensor, ...args: unknown[]): Tensor {
    const opts = optionsOf<TransformerDecoderLayerForwardOptions>("forward", args, DECODER_FORWARD);
    let output = tgt;
    for (const mod of this.layers) output = mod(output, memory, opts);
    if (this.norm) output = this.norm(output);
    return output;
  }
}

// ---------------------------------------------------------------- transformer
export interface TransformerOptions extends TransformerLayerOptions {
  /** default 512 */
  dModel?: number;
  /** default 8 */
  nhead?: number;
  /** default 6 */
  numEncoderLayers?: number;
  /** default 6 */
  numDecoderLayers?: number;
  customEncoder?: Module | null;
  customDecoder?: Module | null;
}

export interface TransformerForwardOptions {
  srcMask?: Tensor | null;
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
}

/**
 * PyTorch's `nn.Transformer`: an encoder and a decoder (with final layer norms), every weight matrix
 * then re-drawn by xavier_uniform_ as PyTorch's _reset_parameters does.
 * @example
 * const model = new nn.Transformer({ dModel: 16, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2 });
 * const [src, tgt] = [torch.rand(5, 2, 16), torch.rand(3, 2, 16)]; // (S, N, E), (T, N, E)
 * model(src, tgt, { tgtMask: nn.Transformer.generateSquareSubsequentMask(tgt.size(0)) });
 */
export class Transformer extends Module {
  declare encoder: Module;
  declare decoder: Module;
  declare dModel: number;
  declare nhead: number;
  declare batchFirst: boolean;
  /** ({ dModel, nhead, ... }) or PyTorch's positional order (dModel, nhead, numEncoderLayers, numDecoderLayers, dimFeedforward, dropout, ...). */
  constructor(opts?: TransformerOptions);
  constructor(
    dModel?: number, nhead?: number, numEncoderLayers?: number, numDecoderLayers?: number, dimFeedforward?: number, dropout?: number,
    activation?: TransformerActivation, customEncoder?: Module | null, customDecoder?: Module | null, layerNormEps?: number,
    batchFirst?: boolean, normFirst?: boolean, opts?: { dtype?: DType },
  );
  constructor(...args: unknown[]) {
    super();
    const opts = optionsOf<TransformerOptions>("Transformer.__init__", args, [
      "dModel", "nhead", "numEncoderLayers", "numDecoderLayers", "dimFeedforward", "dropout", "activation", "customEncoder", "customDecoder",
      "layerNormEps", "batchFirst", "normFirst", "dtype",
    ]);
    const dModel = opts.dModel ?? 512, nhead = opts.nhead ?? 8, eps = opts.layerNormEps ?? 1e-5;
    const f = opts.dtype ? { dtype: opts.dtype } : {};
    const layerOpts: TransformerLayerOptions = {
      dimFeedforward: opts.dimFeedforward ?? 2048, dropout: opts.dropout ?? 0.1, activation: opts.activation ?? F.relu,
      layerNormEps: eps, batchFirst: opts.batchFirst ?? false, normFirst: opts.normFirst ?? false, ...f,
    };
    if (opts.customEncoder) this.encoder = opts.customEncoder;
    else {
      const layer = new TransformerEncoderLayer(dModel, nhead, layerOpts);
      const norm = new LayerNorm(dModel, eps, true, f);
      this.encoder = new TransformerEncoder(layer, opts.numEncoderLayers ?? 6, norm);
    }
    if (opts.customDecoder) this.decoder = opts.customDecoder;
    else {
      const layer = new TransformerDecoderLayer(dModel, nhead, layerOpts);
      const norm = new LayerNorm(dModel, eps, true, f);
      this.decoder = new TransformerDecoder(layer, opts.numDecoderLayers ?? 6, norm);
    }
    this._resetParameters();
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = opts.batchFirst ?? false;
  }

  /** src (S, N, E), tgt (T, N, E) [batch first with batchFirst; unbatched (S, E), (T, E)]; returns (T, N, E). */
  override forward(src: Tensor, tgt: Tensor, opts?: TransformerForwardOptions): Tensor;
  override forward(
    src: Tensor, tgt: Tensor, srcMask?: Tensor | null, tgtMask?: Tensor | null, memoryMask?: Tensor | null,
    srcKeyPaddingMask?: Tensor | null, tgtKeyPaddingMask?: Tensor | null, memoryKeyPaddingMask?: Tensor | null,
  ): Tensor;
  override forward(src: Tensor, tgt: Tensor, ...args: unknown[]): Tensor {
    const opts = optionsOf<TransformerForwardOptions>("forward", args, [
      "srcMask", "tgtMask", "memoryMask", "srcKeyPaddingMask", "tgtKeyPaddingMask", "memoryKeyPaddingMask",
    ]);
    const isBatched = src.dim() === 3;
    if (!this.batchFirst && src.size(1) !== tgt.size(1) && isBatched) throw new RuntimeError("the batch number of src and tgt must be equal");
    else if (this.batchFirst && src.size(0) !== tgt.size(0) && isBatched) throw new RuntimeError("the batch number of src and tgt must be equal");
    if (src.size(-1) !== this.dModel || tgt.size(-1) !== this.dModel) throw new RuntimeError("the feature number of src and tgt must be equal to d_model");
    const memory = this.encoder(src, { mask: opts.srcMask ?? null, srcKeyPaddingMask: opts.srcKeyPaddingMask ?? null });
    return this.decoder(tgt, memory, {
      tgtMask: opts.tgtMask ?? null, memoryMask: opts.memoryMask ?? null,
      tgtKeyPaddingMask: opts.tgtKeyPaddingMask ?? null, memoryKeyPaddingMask: opts.memoryKeyPaddingMask ?? null,
    });
  }

  /**
   * PyTorch's Transformer.generate_square_subsequent_mask: (sz, sz) of the default dtype, -inf above
   * the diagonal (the future) and 0 elsewhere.
   */
  static generateSquareSubsequentMask(sz: number, opts: { dtype?: DType } = {}): Tensor {
    const vals = new Array<number>(sz * sz);
    for (let i = 0; i < sz; i++) for (let j = 0; j < sz; j++) vals[i * sz + j] = j > i ? -Infinity : 0;
    return tensor(vals, { dtype: opts.dtype ?? getDefaultDtype() }).view(sz, sz);
  }

  /** xavier_uniform_ of every parameter with more than one dim, in parameters() order (PyTorch's _reset_parameters). */
  _resetParameters(): void {
    for (const p of this.parameters()) if (p.dim() > 1) init.xavierUniform_(p);
  }
}
