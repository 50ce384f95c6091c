// Attention for nn.functional: PyTorch 1.13's multi_head_attention_forward, op for op, and PyTorch
// 2.0's scaled_dot_product_attention. Both are composed from differentiable tensor ops (linear, bmm,
// softmax, dropout, masked_fill, views), so autograd, double backward and every backend come free.
// NOTE: PyTorch adds the mask with one baddbmm(mask, q, k^T); here it is bmm then add (the same
// sum, rounded once either way), so the node under the scores is AddBackward0, not BaddbmmBackward0.
import type { Tensor } from "../tensor/tensor.js";
import { bool } from "../tensor/dtype.js";
import { AssertionError, RuntimeError } from "../errors.js";
import { cat } from "../ops/views.js";
import { tensor, zeros, zerosLike } from "../ops/creation.js";
import { dropout, linear, pad, softmax } from "./functional.js";

function sizeStr(s: readonly number[]): string {
  return `torch.Size([${s.join(", ")}])`;
}
/** Python's repr of a tuple of ints: (4, 5) or (3,). */
function tupleStr(v: readonly number[]): string {
  return v.length === 1 ? `(${v[0]},)` : `(${v.join(", ")})`;
}
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((s, i) => s === b[i]);

/**
 * PyTorch's _mha_shape_check: query 3-D (batched) or 2-D (unbatched), key and value alike, masks of
 * the matching ranks. Returns whether the input is batched.
 */
function mhaShapeCheck(query: Tensor, key: Tensor, value: Tensor, keyPaddingMask: Tensor | null, attnMask: Tensor | null, numHeads: number): boolean {
  if (query.dim() === 3) {
    if (key.dim() !== 3 || value.dim() !== 3)
      throw new AssertionError(`For batched (3-D) \`query\`, expected \`key\` and \`value\` to be 3-D but found ${key.dim()}-D and ${value.dim()}-D tensors respectively`);
    if (keyPaddingMask && keyPaddingMask.dim() !== 2)
      throw new AssertionError(`For batched (3-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 2-D but found ${keyPaddingMask.dim()}-D tensor instead`);
    if (attnMask && attnMask.dim() !== 2 && attnMask.dim() !== 3)
      throw new AssertionError(`For batched (3-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attnMask.dim()}-D tensor instead`);
    return true;
  }
  if (query.dim() === 2) {
    if (key.dim() !== 2 || value.dim() !== 2)
      throw new AssertionError(`For unbatched (2-D) \`query\`, expected \`key\` and \`value\` to be 2-D but found ${key.dim()}-D and ${value.dim()}-D tensors respectively`);
    if (keyPaddingMask && keyPaddingMask.dim() !== 1)
      throw new AssertionError(`For unbatched (2-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 1-D but found ${keyPaddingMask.dim()}-D tensor instead`);
    if (attnMask) {
      if (attnMask.dim() !== 2 && attnMask.dim() !== 3)
        throw new AssertionError(`For unbatched (2-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attnMask.dim()}-D tensor instead`);
      if (attnMask.dim() === 3) {
        const expected = [numHeads, query.size(0), key.size(0)];
        if (!sameShape(attnMask.shape, expected))
          throw new AssertionError(`Expected \`attn_mask\` shape to be ${tupleStr(expected)} but got ${sizeStr(attnMask.shape)}`);
      }
    }
    return false;
  }
  throw new AssertionError(`query should be unbatched 2D or batched 3D tensor but received ${query.dim()}-D query tensor`);
}

/** Checks that a key padding mask is bool or floating point. */
function checkKeyPaddingMaskDtype(mask: Tensor | null | undefined): void {
  if (mask && mask.dtype !== bool && !mask.dtype.isFloatingPoint)
    throw new AssertionError("only bool and floating types of key_padding_mask are supported");
}

/** PyTorch's _in_projection_packed: one linear when q, k and v are one tensor, two for encoder-decoder attention. */
function inProjectionPacked(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | null): Tensor[] {
  const E = q.size(-1);
  if (k === v) {
    if (q === k) return linear(q, w, b).chunk(3, -1);
    const [wq, wkv] = w.split([E, E * 2]);
    const [bq, bkv] = b ? b.split([E, E * 2]) : [null, null];
    return [linear(q, wq!, bq), ...linear(k, wkv!, bkv).chunk(2, -1)];
  }
  const [wq, wk, wv] = w.chunk(3);
  const [bq, bk, bv] = b ? b.chunk(3) : [null, null, null];
  return [linear(q, wq!, bq), linear(k, wk!, bk), linear(v, wv!, bv)];
}

/** PyTorch's _in_projection: separate weights, for key and value dims other than the query's. */
function inProjection(
  q: Tensor, k: Tensor, v: Tensor, wq: Tensor, wk: Tensor, wv: Tensor, bq: Tensor | null, bk: Tensor | null, bv: Tensor | null,
): Tensor[] {
  const Eq = q.size(-1), Ek = k.size(-1), Ev = v.size(-1);
  const checks: [string, Tensor | null, number[]][] = [
    ["query weights", wq, [Eq, Eq]], ["key weights", wk, [Eq, Ek]], ["value weights", wv, [Eq, Ev]],
    ["query bias", bq, [Eq]], ["key bias", bk, [Eq]], ["value bias", bv, [Eq]],
  ];
  for (const [what, t, shape] of checks)
    if (t && !sameShape(t.shape, shape)) throw new AssertionError(`expecting ${what} shape of ${tupleStr(shape)}, but got ${sizeStr(t.shape)}`);
  return [linear(q, wq, bq), linear(k, wk, bk), linear(v, wv, bv)];
}

/** The keyword arguments of multiHeadAttentionForward, after PyTorch's positional ones. */
export interface MultiHeadAttentionForwardOptions {
  training?: boolean;
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  useSeparateProjWeight?: boolean;
  qProjWeight?: Tensor | null;
  kProjWeight?: Tensor | null;
  vProjWeight?: Tensor | null;
  staticK?: Tensor | null;
  staticV?: Tensor | null;
  averageAttnWeights?: boolean;
}

/**
 * PyTorch's F.multi_head_attention_forward (1.13), the computation of nn.MultiheadAttention.
 * query (L, N, E) or (L, E); key and value (S, N, E*) or (S, E*). Masks follow PyTorch's rule for
 * this API: a bool `attnMask` or `keyPaddingMask` is True where attention is NOT allowed; a float
 * mask is added to the scores. Returns [attnOutput, attnWeights or null]; the weights are averaged
 * over heads unless `averageAttnWeights` is false.
 * @example
 * const [q, k, v] = [torch.randn(5, 1, 8), torch.randn(5, 1, 8), torch.randn(5, 1, 8)]; // (L, N, E)
 * const [inW, inB, outW, outB] = [torch.randn(24, 8), torch.zeros(24), torch.randn(8, 8), torch.zeros(8)];
 * const [out, w] = F.multiHeadAttentionForward(q, k, v, 8, 2, inW, inB, null, null, false, 0, outW, outB);
 */
export function multiHeadAttentionForward(
  query: Tensor, key: Tensor, value: Tensor, embedDimToCheck: number, numHeads: number,
  inProjWeight: Tensor | null, inProjBias: Tensor | null, biasK: Tensor | null, biasV: Tensor | null,
  addZeroAttn: boolean, dropoutP: number, outProjWeight: Tensor, outProjBias: Tensor | null,
  opts: MultiHeadAttentionForwardOptions = {},
): [Tensor, Tensor | null] {
  const training = opts.training ?? true, needWeights = opts.needWeights ?? true, average = opts.averageAttnWeights ?? true;
  let keyPaddingMask = opts.keyPaddingMask ?? null;
  let attnMask = opts.attnMask ?? null;
  const isBatched = mhaShapeCheck(query, key, value, keyPaddingMask, attnMask, numHeads);
  // NOTE: unbatched input runs as a batch of one (dim 1), squeezed again at the end, as PyTorch does
  // (each one separately, so `query === key` no longer holds: three projections, as in PyTorch)
  if (!isBatched) {
    query = query.unsqueeze(1);
    key = key.unsqueeze(1);
    value = value.unsqueeze(1);
    if (keyPaddingMask) keyPaddingMask = keyPaddingMask.unsqueeze(0);
  }
  const [tgtLen, bsz, embedDim] = query.shape as [number, number, number];
  const srcLen0 = key.size(0);
  checkKeyPaddingMaskDtype(keyPaddingMask);
  if (embedDim !== embedDimToCheck) throw new AssertionError(`was expecting embedding dimension of ${embedDimToCheck}, but got ${embedDim}`);
  const headDim = Math.floor(embedDim / numHeads);
  if (headDim * numHeads !== embedDim) throw new AssertionError(`embed_dim ${embedDim} not divisible by num_heads ${numHeads}`);
  if (opts.useSeparateProjWeight) {
    if (!sameShape(key.shape.slice(0, 2), value.shape.slice(0, 2)))
      throw new AssertionError(`key's sequence and batch dims ${sizeStr(key.shape.slice(0, 2))} do not match value's ${sizeStr(value.shape.slice(0, 2))}`);
  } else if (!sameShape(key.shape, value.shape))
    throw new AssertionError(`key shape ${sizeStr(key.shape)} does not match value shape ${sizeStr(value.shape)}`);

  // in-projection
  let q: Tensor, k: Tensor, v: Tensor;
  if (!opts.useSeparateProjWeight) {
    if (!inProjWeight) throw new AssertionError("use_separate_proj_weight is False but in_proj_weight is None");
    [q, k, v] = inProjectionPacked(query, key, value, inProjWeight, inProjBias) as [Tensor, Tensor, Tensor];
  } else {
    const { qProjWeight: wq, kProjWeight: wk, vProjWeight: wv } = opts;
    if (!wq) throw new AssertionError("use_separate_proj_weight is True but q_proj_weight is None");
    if (!wk) throw new AssertionError("use_separate_proj_weight is True but k_proj_weight is None");
    if (!wv) throw new AssertionError("use_separate_proj_weight is True but v_proj_weight is None");
    const [bq, bk, bv] = inProjBias ? inProjBias.chunk(3) : [null, null, null];
    [q, k, v] = inProjection(query, key, value, wq, wk, wv, bq ?? null, bk ?? null, bv ?? null) as [Tensor, Tensor, Tensor];
  }

  // the attention mask, made 3-D
  if (attnMask) {
    if (!attnMask.dtype.isFloatingPoint && attnMask.dtype !== bool)
      throw new AssertionError(`Only float, byte, and bool types are supported for attn_mask, not torch.${attnMask.dtype.name}`);
    if (attnMask.dim() === 2) {
      const correct = [tgtLen, srcLen0];
      if (!sameShape(attnMask.shape, correct))
        throw new RuntimeError(`The shape of the 2D attn_mask is ${sizeStr(attnMask.shape)}, but should be ${tupleStr(correct)}.`);
      attnMask = attnMask.unsqueeze(0);
    } else if (attnMask.dim() === 3) {
      const correct = [bsz * numHeads, tgtLen, srcLen0];
      if (!sameShape(attnMask.shape, correct))
        throw new RuntimeError(`The shape of the 3D attn_mask is ${sizeStr(attnMask.shape)}, but should be ${tupleStr(correct)}.`);
    } else throw new RuntimeError(`attn_mask's dimension ${attnMask.dim()} is not supported`);
  }

  // bias_k and bias_v: one more key and value position (masks padded with "not masked")
  if (biasK && biasV) {
    if (opts.staticK) throw new AssertionError("bias cannot be added to static key.");
    if (opts.staticV) throw new AssertionError("bias cannot be added to static value.");
    // NOTE: PyTorch repeats bias_k along the batch (repeat(1, bsz, 1)); expand is the same values and
    // the same gradient (summed over the batch)
    k = cat([k, biasK.expand(1, bsz, biasK.size(-1))]);
    v = cat([v, biasV.expand(1, bsz, biasV.size(-1))]);
    if (attnMask) attnMask = pad(attnMask, [0, 1]);
    if (keyPaddingMask) keyPaddingMask = pad(keyPaddingMask, [0, 1]);
  } else if (biasK || biasV) throw new AssertionError("");

  // heads into the batch: (N * H, L, head_dim)
  q = q.contiguous().view(tgtLen, bsz * numHeads, headDim).transpose(0, 1);
  if (!opts.staticK) k = k.contiguous().view(k.size(0), bsz * numHeads, headDim).transpose(0, 1);
  else {
    if (opts.staticK.size(0) !== bsz * numHeads) throw new AssertionError(`expecting static_k.size(0) of ${bsz * numHeads}, but got ${opts.staticK.size(0)}`);
    if (opts.staticK.size(2) !== headDim) throw new AssertionError(`expecting static_k.size(2) of ${headDim}, but got ${opts.staticK.size(2)}`);
    k = opts.staticK;
  }
  if (!opts.staticV) v = v.contiguous().view(v.size(0), bsz * numHeads, headDim).transpose(0, 1);
  else {
    if (opts.staticV.size(0) !== bsz * numHeads) throw new AssertionError(`expecting static_v.size(0) of ${bsz * numHeads}, but got ${opts.staticV.size(0)}`);
    if (opts.staticV.size(2) !== headDim) throw new AssertionError(`expecting static_v.size(2) of ${headDim}, but got ${opts.staticV.size(2)}`);
    v = opts.staticV;
  }

  // add_zero_attn: a key and value of zeros at the end
  if (addZeroAttn) {
    const zshape = [bsz * numHeads, 1, headDim];
    k = cat([k, zeros(zshape, { dtype: k.dtype })], 1);
    v = cat([v, zeros(zshape, { dtype: v.dtype })], 1);
    if (attnMask) attnMask = pad(attnMask, [0, 1]);
    if (keyPaddingMask) keyPaddingMask = pad(keyPaddingMask, [0, 1]);
  }
  const srcLen = k.size(1);

  // merge the key padding mask into the attention mask
  if (keyPaddingMask) {
    if (!sameShape(keyPaddingMask.shape, [bsz, srcLen]))
      throw new AssertionError(`expecting key_padding_mask shape of ${tupleStr([bsz, srcLen])}, but got ${sizeStr(keyPaddingMask.shape)}`);
    keyPaddingMask = keyPaddingMask.view(bsz, 1, 1, srcLen).expand(-1, numHeads, -1, -1).reshape(bsz * numHeads, 1, srcLen);
    if (!attnMask) attnMask = keyPaddingMask;
    else if (attnMask.dtype === bool) attnMask = attnMask.logicalOr(keyPaddingMask);
    else attnMask = attnMask.maskedFill(keyPaddingMask, -Infinity);
  }
  // a bool mask becomes an additive one: -inf where masked
  if (attnMask && attnMask.dtype === bool) attnMask = zerosLike(attnMask, { dtype: q.dtype }).maskedFill_(attnMask, -Infinity);
  if (!training) dropoutP = 0.0;

  // the attention and the out projection
  const E = q.size(2);
  const qScaled = q.div(Math.sqrt(E));
  let weights = qScaled.bmm(k.transpose(-2, -1));
  if (attnMask) weights = weights.add(attnMask);
  weights = softmax(weights, -1);
  if (dropoutP > 0.0) weights = dropout(weights, dropoutP);
  let out = weights.bmm(v);
  out = out.transpose(0, 1).contiguous().view(tgtLen * bsz, embedDim);
  out = linear(out, outProjWeight, outProjBias);
  out = out.view(tgtLen, bsz, out.size(1));
  if (!needWeights) return [isBatched ? out : out.squeeze(1), null];
  weights = weights.view(bsz, numHeads, tgtLen, srcLen);
  if (average) weights = weights.sum(1).div(numHeads);
  if (!isBatched) return [out.squeeze(1), weights.squeeze(0)];
  return [out, weights];
}

/** The keyword arguments of scaledDotProductAttention. */
export interface ScaledDotProductAttentionOptions {
  /** bool: True where the position takes part; float: added to the scores. Broadcast to (..., L, S). */
  attnMask?: Tensor | null;
  dropoutP?: number;
  /** a lower-triangular mask of ones(L, S) (query i sees keys 0..i); attnMask must then be unset */
  isCausal?: boolean;
  /** PyTorch 2.1's `scale`; by default 1 / sqrt(E) */
  scale?: number | null;
}

/**
 * PyTorch 2.0's F.scaled_dot_product_attention (there is no public one in 1.13):
 * softmax(q k^T / sqrt(E) + mask) v, with dropout on the weights when dropoutP > 0.
 * query (N, ..., L, E), key (N, ..., S, E), value (N, ..., S, Ev) -> (N, ..., L, Ev).
 * NOTE: a bool mask here means True = take part, the opposite of nn.MultiheadAttention's rule, as in
 * PyTorch; a fully masked row gives NaN, as PyTorch 2.0's math kernel does.
 * @example
 * const [q, k, v] = [torch.randn(2, 4, 8), torch.randn(2, 4, 8), torch.randn(2, 4, 8)]; // (N, L, E)
 * const out = F.scaledDotProductAttention(q, k, v, { isCausal: true });
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, opts: ScaledDotProductAttentionOptions = {}): Tensor {
  let mask = opts.attnMask ?? null;
  const p = opts.dropoutP ?? 0.0;
  if (opts.isCausal) {
    if (mask) throw new RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True");
    const L = query.size(-2), S = key.size(-2);
    const vals = new Array<boolean>(L * S);
    for (let i = 0; i < L; i++) for (let j = 0; j < S; j++) vals[i * S + j] = j <= i;
    mask = tensor(vals, { dtype: bool }).view(L, S);
  }
  if (mask && mask.dtype === bool) mask = zerosLike(mask, { dtype: query.dtype }).maskedFill_(mask.logicalNot(), -Infinity);
  // NOTE: as PyTorch's math kernel, q and k^T are each scaled by sqrt(scale) before the product
  // (smaller intermediate values than scaling the product)
  const s = Math.sqrt(opts.scale ?? 1 / Math.sqrt(query.size(-1)));
  let attn = query.mul(s).matmul(key.transpose(-2, -1).mul(s));
  if (mask) attn = attn.add(mask);
  attn = softmax(attn, -1);
  if (p > 0.0) attn = dropout(attn, p, true);
  return attn.matmul(value);
}

export const multi_head_attention_forward = multiHeadAttentionForward;
export const scaled_dot_product_attention = scaledDotProductAttention;
