// nn.functional small layers: channel-wise and alpha dropout, embedding_bag, bilinear,
// cosine_similarity, pairwise_distance, as PyTorch 1.13 computes them.
import type { Tensor } from "../tensor/tensor.js";
import { noGrad } from "../autograd/grad_mode.js";
import { record } from "../autograd/function.js";
import { NotImplementedError, RuntimeError, ValueError } from "../errors.js";
import { arange, tensor, zeros } from "../ops/creation.js";
import { indexAddToZeros } from "../ops/indexing.js";
import { int64 } from "../tensor/dtype.js";

function checkP(p: number): void {
  if (p < 0 || p > 1) throw new ValueError(`dropout probability has to be between 0 and 1, but got ${p}`);
}

/**
 * PyTorch's _dropout_impl (aten/src/ATen/native/Dropout.cpp) for feature and alpha dropout.
 * NOTE: the noise is drawn as PyTorch's CPU kernel draws it, `bernoulli_(1 - p)` over a tensor of
 * the input's shape, or (feature dropout) of shape (N, C, 1, ...), so masks match under manualSeed.
 * Alpha dropout: a = 1 / sqrt((alpha^2 p + 1)(1 - p)), b = (noise - 1) * alpha * a + alpha * a * p,
 * result x * (noise * a) + b (AddBackward0), with alpha = SELU's negative saturation 1.7580993408473766.
 */
function dropoutImpl(input: Tensor, p: number, train: boolean, feature: boolean, alpha: boolean, inplace: boolean): Tensor {
  checkP(p);
  if (p === 0 || !train || input.numel() === 0) return input;
  if (p === 1) return inplace ? input.mul_(zeros([], { dtype: input.dtype })) : input.mul(zeros([], { dtype: input.dtype }));
  if (feature && input.dim() < 2) throw new RuntimeError("Feature dropout requires at least 2 dimensions in the input");
  const shape = feature ? input.shape.map((s, i) => (i < 2 ? s : 1)) : input.shape;
  const { noise, b } = noGrad(() => {
    const n = input.newZeros(shape).bernoulli_(1 - p);
    if (!alpha) return { noise: n.div_(1 - p), b: null };
    const al = 1.7580993408473766;
    const a = 1 / Math.sqrt((al * al * p + 1) * (1 - p));
    const bb = n.add(-1).mul_(al * a).add_(al * a * p);
    return { noise: n.mul_(a), b: bb };
  });
  const y = inplace ? input.mul_(noise) : input.mul(noise);
  return b ? y.add_(b) : y;
}

/** F.dropout1d: zeroes whole channels of (N, C, L) or (C, L) inputs (MulBackward0). */
export function dropout1d(input: Tensor, p = 0.5, training = true, inplace = false): Tensor {
  checkP(p);
  const d = input.dim();
  if (d !== 2 && d !== 3)
    throw new RuntimeError(`dropout1d: Expected 2D or 3D input, but received a ${d}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`);
  return featureDropoutBatched(input, p, training, inplace, d === 3);
}

/** The unbatched case as PyTorch: unsqueeze(0), feature dropout, squeeze(0). */
function featureDropoutBatched(input: Tensor, p: number, training: boolean, inplace: boolean, batched: boolean): Tensor {
  if (batched) return dropoutImpl(input, p, training, true, false, inplace);
  if (inplace && training && p !== 0 && input.numel() > 0) {
    // NOTE: PyTorch unsqueezes the input itself (unsqueeze_); here the noise drawn for the
    // unsqueezed shape (1, C, 1, ...) multiplies the input in place
    const ones = noGrad(() => input.unsqueeze(0).newOnes(input.unsqueeze(0).shape));
    const noise = noGrad(() => dropoutImpl(ones, p, training, true, false, false));
    return input.mul_(noise.squeeze(0));
  }
  return dropoutImpl(input.unsqueeze(0), p, training, true, false, false).squeeze(0);
}

/**
 * F.dropout2d: zeroes whole channels of (N, C, H, W) inputs. NOTE: as PyTorch 1.13, a 3-d input is
 * taken as (N, C, L) (1-d channel dropout; PyTorch warns), and other ranks run feature dropout as they are.
 */
export function dropout2d(input: Tensor, p = 0.5, training = true, inplace = false): Tensor {
  checkP(p);
  return dropoutImpl(input, p, training, true, false, inplace);
}

/** F.dropout3d: zeroes whole channels of (N, C, D, H, W) or (C, D, H, W) inputs. */
export function dropout3d(input: Tensor, p = 0.5, training = true, inplace = false): Tensor {
  checkP(p);
  return featureDropoutBatched(input, p, training, inplace, input.dim() === 5);
}

/** F.alpha_dropout (training defaults to false, as PyTorch's): dropout that keeps SELU's mean and variance. */
export function alphaDropout(input: Tensor, p = 0.5, training = false, inplace = false): Tensor {
  return dropoutImpl(input, p, training, false, true, inplace);
}

/** F.feature_alpha_dropout: alpha dropout of whole channels. */
export function featureAlphaDropout(input: Tensor, p = 0.5, training = false, inplace = false): Tensor {
  return dropoutImpl(input, p, training, true, true, inplace);
}

// ---------------------------------------------------------------- embedding_bag
export interface EmbeddingBagOptions {
  offsets?: Tensor | null;
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  mode?: "sum" | "mean" | "max";
  sparse?: boolean;
  perSampleWeights?: Tensor | null;
  includeLastOffset?: boolean;
  paddingIdx?: number | null;
}

const ints = (t: Tensor): number[] => Array.from(t.contiguous().dataSync() as ArrayLike<number | bigint>, Number);

/**
 * F.embedding_bag: sums, means or maxima of bags of embedding rows without building the rows
 * (EmbeddingBagBackward0). A 2-D input is a batch of equal bags; a 1-D input is cut into bags at
 * `offsets`. Entries equal to paddingIdx are left out (and from the mean's count); an empty bag gives zeros.
 */
export function embeddingBag(input: Tensor, weight: Tensor, opts: EmbeddingBagOptions = {}): Tensor {
  let offsets = opts.offsets ?? null;
  let psw = opts.perSampleWeights ?? null;
  const mode = opts.mode ?? "mean";
  if (psw && input.shape.join(",") !== psw.shape.join(","))
    throw new ValueError(`embedding_bag: If per_sample_weights (torch.Size([${psw.shape.join(", ")}])) is not None, then it must have the same shape as the input (torch.Size([${input.shape.join(", ")}]))`);
  if (input.dim() === 2) {
    if (offsets) throw new ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences. However, found offsets of type <class 'torch.Tensor'>");
    offsets = arange(0, input.numel(), input.size(1), { dtype: input.dtype });
    input = input.reshape(-1);
    if (psw) psw = psw.reshape(-1);
  } else if (input.dim() === 1) {
    if (!offsets) throw new ValueError("offsets has to be a 1D Tensor but got None");
    if (offsets.dim() !== 1) throw new ValueError("offsets has to be a 1D Tensor");
  } else throw new ValueError(`input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.dim()}`);
  if (mode !== "sum" && mode !== "mean" && mode !== "max") throw new ValueError("mode has to be one of sum, mean or max");
  if (mode === "max") {
    if (opts.scaleGradByFreq) throw new ValueError("max mode does not support scaling the gradient by the frequency");
    if (opts.sparse) throw new ValueError("max mode does not support sparse weights");
  }
  if (opts.sparse) throw new NotImplementedError("typetorch: sparse gradients (sparse=True) are not implemented");
  for (const [t, name] of [[input, "indices"], [offsets, "offsets"]] as const)
    if (t.dtype !== int64 && t.dtype.name !== "int32")
      throw new RuntimeError(`Expected tensor for argument #1 '${name}' to have one of the following scalar types: Long, Int; but got torch.${t.dtype.scalarName}Tensor instead (while checking arguments for embedding_bag)`);
  const V = weight.size(0), D = weight.size(1);
  let pad = -1;
  if (opts.paddingIdx !== undefined && opts.paddingIdx !== null) {
    pad = opts.paddingIdx;
    if (pad < -V || pad >= V) throw new RuntimeError(`padding_idx must be within the number of embeddings, -${V} through ${V - 1}, but got ${pad}`);
    if (pad < 0) pad += V;
  }
  if (opts.maxNorm !== undefined && opts.maxNorm !== null) embeddingRenorm_(weight, input, opts.maxNorm, opts.normType ?? 2);
  if (psw && mode !== "sum")
    throw new NotImplementedError(`embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${mode}'). Please open a feature request on GitHub.`);
  if (psw && psw.dtype !== weight.dtype)
    throw new RuntimeError(`Expected tensor for argument #1 'weight' to have the same type as tensor for argument #1 'per_sample_weights'; but type torch.${weight.dtype.scalarName}Tensor does not equal torch.${psw.dtype.scalarName}Tensor (while checking arguments for embedding_bag)`);
  const idx = ints(input), offs = ints(offsets!);
  const n = idx.length;
  const includeLast = opts.includeLastOffset ?? false;
  if (offs.length > 0 && offs[0] !== 0)
    throw new RuntimeError(`offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. However, got ${offs[0]}\n[ torch.${offsets!.dtype.scalarName}Tensor{} ]`);
  if (offs.length > 0 && offs[offs.length - 1]! > n)
    throw new RuntimeError(`offsets[-1] can not be greater than input's length ${n} but got offsets[-1] of ${offs[offs.length - 1]}`);
  // NOTE: PyTorch's messages for an index outside the table: fbgemm's (float32 sum / mean) or its own
  for (let i = 0; i < n; i++) {
    const k = idx[i]!;
    if (k < 0 || k >= V) {
      if (mode !== "max" && weight.dtype.name === "float32")
        throw new RuntimeError(`[enforce fail at embedding_lookup_idx.cc:${input.dtype === int64 ? 214 : 213}] 0 <= idx && idx < data_size. Index ${i} is out of bounds: ${k}, range 0 to ${V}`);
      throw new RuntimeError(`embedding_bag: Expected idx >= 0 && idx < num_embeddings but found idx to be ${k}`);
    }
  }
  const B = includeLast ? Math.max(offs.length - 1, 0) : offs.length;
  const bagOf = new Array<number>(n).fill(-1);
  const counts = new Array<number>(B).fill(0);
  for (let b = 0; b < B; b++) {
    const end = b + 1 < offs.length ? Math.min(offs[b + 1]!, n) : n;
    for (let i = offs[b]!; i < end; i++) {
      bagOf[i] = b;
      if (idx[i] !== pad) counts[b]!++;
    }
  }
  // forward in the weight's dtype, accumulated in PyTorch's order (bag by bag, entry by entry)
  const rnd = weight.dtype.name === "float32" ? Math.fround : (v: number) => v;
  const W = weight.contiguous().dataSync() as Float32Array | Float64Array;
  const pw = psw ? (psw.contiguous().dataSync() as Float32Array | Float64Array) : null;
  const out = new Float64Array(B * D);
  const maxIdx = mode === "max" ? new Array<number>(B * D).fill(-1) : null;
  for (let i = 0; i < n; i++) {
    const b = bagOf[i]!, k = idx[i]!;
    if (b < 0 || k === pad) continue;
    for (let d = 0; d < D; d++) {
      const v = W[k * D + d]!;
      if (maxIdx) {
        if (maxIdx[b * D + d] === -1 || v > out[b * D + d]!) { out[b * D + d] = v; maxIdx[b * D + d] = k; }
      } else out[b * D + d] = rnd(out[b * D + d]! + (pw ? rnd(pw[i]! * v) : v));
    }
  }
  if (mode === "mean") for (let b = 0; b < B; b++) if (counts[b]! > 0) for (let d = 0; d < D; d++) out[b * D + d] = rnd(out[b * D + d]! / counts[b]!);
  const y = tensor(Array.from(out), { dtype: weight.dtype }).view(B, D);
  // the per-entry coefficient of the weight's gradient: 1 / bag size (mean), 1 / frequency (scaleGradByFreq)
  // NOTE: scaleGradByFreq as PyTorch 1.13's CPU backward (_embedding_bag_dense_backward_cpu_sum_mean)
  // computes it: the entries are sorted by index, and the gradient of the i-th distinct index is
  // divided by counts[sorted[i]], the count of the index at sorted POSITION i (`counts[indices_data[i]]`
  // with i the group number), which is that index's own count only while no earlier index repeats.
  const divisorOf = new Map<number, number>();
  if (opts.scaleGradByFreq) {
    const counts = new Map<number, number>();
    for (const k of idx) counts.set(k, (counts.get(k) ?? 0) + 1);
    const sorted = idx.slice().sort((a, b) => a - b);
    [...new Set(sorted)].forEach((k, i) => divisorOf.set(k, counts.get(sorted[i]!)!));
  }
  const live: number[] = [];
  for (let i = 0; i < n; i++) if (bagOf[i]! >= 0 && idx[i] !== pad) live.push(i);
  const coef = live.map((i) => {
    let c = 1;
    if (mode === "mean") c /= counts[bagOf[i]!]!;
    if (opts.scaleGradByFreq) c /= divisorOf.get(idx[i]!)!;
    return c;
  });
  const liveT = tensor(live, { dtype: int64 });
  const liveIdx = tensor(live.map((i) => idx[i]!), { dtype: int64 });
  const liveBag = tensor(live.map((i) => bagOf[i]!), { dtype: int64 });
  const coefT = tensor(coef, { dtype: weight.dtype }).view(-1, 1);
  return record("EmbeddingBagBackward0", [weight, psw], y, (g, s, needs) => {
    let gw: Tensor | null = null, gp: Tensor | null = null;
    if (needs(0)) {
      if (maxIdx) {
        const flat: number[] = [], src: number[] = [];
        maxIdx.forEach((k, j) => {
          if (k >= 0) { flat.push(k * D + (j % D)); src.push(j); }
        });
        gw = indexAddToZeros([V * D], 0, tensor(flat, { dtype: int64 }), g.reshape(-1).indexSelect(0, tensor(src, { dtype: int64 }))).view(V, D);
      } else {
        let rows = g.indexSelect(0, liveBag).mul(coefT);
        if (psw) rows = rows.mul(s(1).indexSelect(0, liveT).view(-1, 1));
        gw = indexAddToZeros([V, D], 0, liveIdx, rows);
      }
    }
    if (psw && needs(1)) {
      // d out[bag] / d psw[i] = weight[idx[i]]: the dot product with the bag's gradient (0 for padding)
      const dots = g.indexSelect(0, liveBag).mul(s(0).indexSelect(0, liveIdx)).sum(1);
      gp = indexAddToZeros([n], 0, liveT, dots);
    }
    return [gw, gp];
  }, psw ? [weight, psw] : [weight]);
}

/**
 * PyTorch's embedding_renorm_ (under no_grad): each distinct referenced row whose normType-norm
 * exceeds maxNorm is scaled by maxNorm / (norm + 1e-7), in place.
 */
export function embeddingRenorm_(weight: Tensor, indices: Tensor, maxNorm: number, normType = 2): Tensor {
  const seen = [...new Set(ints(indices))].sort((a, b) => a - b);
  noGrad(() => {
    for (const k of seen) {
      const row = weight.select(0, k);
      const norm = row.norm(normType).item() as number;
      if (norm > maxNorm) row.mul_(maxNorm / (norm + 1e-7));
    }
  });
  return weight;
}

// ---------------------------------------------------------------- bilinear, similarity, distance
/**
 * F.bilinear: y = x1^T A x2 + b for each of A's outFeatures slices (weight [out, in1, in2]).
 * NOTE: PyTorch flattens the batch dims, contracts with _trilinear and reshapes back
 * (ReshapeAliasBackward0, AddBackward0 with a bias); the contraction here is a matmul of x1 with
 * the weight laid out as [in1, out * in2], a product with x2 and a sum.
 */
export function bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (input1.dim() !== input2.dim()) throw new RuntimeError(`bilinear(): input dimensions do not match: got ${input1.dim()} and ${input2.dim()}`);
  for (let i = 0; i < input1.dim() - 1; i++)
    if (input1.size(i) !== input2.size(i))
      throw new RuntimeError(`bilinear(): input batch dimensions do not match at dim ${i}: got ${input1.size(i)} and ${input2.size(i)}`);
  if (input1.size(-1) !== weight.size(1)) throw new RuntimeError(`bilinear(): input1 size does not match weight size: got ${input1.size(-1)} but expected ${weight.size(1)}`);
  if (input2.size(-1) !== weight.size(2)) throw new RuntimeError(`bilinear(): input2 size does not match weight size: got ${input2.size(-1)} but expected ${weight.size(2)}`);
  if (bias && bias.size(0) !== weight.size(0)) throw new RuntimeError(`bilinear(): bias size does not match weight size: got ${bias.size(0)} but expected ${weight.size(0)}`);
  const O = weight.size(0), I = weight.size(1), J = weight.size(2);
  const outShape = [...input1.shape.slice(0, -1), O];
  const a = input1.reshape(-1, I), c = input2.reshape(-1, J);
  const t = a.matmul(weight.permute([1, 0, 2]).reshape(I, O * J)).view(-1, O, J);
  const out = t.mul(c.unsqueeze(1)).sum(2).reshape(outShape);
  return bias ? out.add(bias) : out;
}

/**
 * F.cosine_similarity: sum over dim of (x1 / max(||x1||, eps)) * (x2 / max(||x2||, eps)).
 * NOTE: PyTorch 1.13's formulation: each input divided by its own norm first (the result stays in
 * [-1, 1]); the norms are clamped to eps in place under no_grad, so the gradient flows as if unclamped.
 */
export function cosineSimilarity(x1: Tensor, x2: Tensor, dim = 1, eps = 1e-8): Tensor {
  const fl = (t: Tensor) => t.dtype.isFloatingPoint;
  if (!fl(x1) && !fl(x2)) throw new RuntimeError(`expected common dtype to be floating point, yet common dtype is ${x1.dtype === x2.dtype ? x1.dtype.scalarName : "Long"}`);
  const common = fl(x1) ? x1.dtype : x2.dtype;
  let a = fl(x1) ? x1 : x1.to(common), b = fl(x2) ? x2 : x2.to(common);
  if (a.shape.join(",") !== b.shape.join(",")) {
    const nd = Math.max(a.dim(), b.dim());
    const sa = [...Array(nd - a.dim()).fill(1), ...a.shape] as number[], sb = [...Array(nd - b.dim()).fill(1), ...b.shape] as number[];
    const s = sa.map((x, i) => {
      const y = sb[i]!;
      if (x !== y && x !== 1 && y !== 1) throw new RuntimeError(`The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`);
      return Math.max(x, y);
    });
    a = a.expand(s);
    b = b.expand(s);
  }
  const na = a.norm(2, dim, true).clone(), nb = b.norm(2, dim, true).clone();
  noGrad(() => {
    na.clamp_(eps);
    nb.clamp_(eps);
  });
  return a.div(na).mul(b.div(nb)).sum(dim);
}

/** F.pairwise_distance: ||x1 - x2 + eps||_p over the last dim (NormBackward1). */
export function pairwiseDistance(x1: Tensor, x2: Tensor, p = 2.0, eps = 1e-6, keepdim = false): Tensor {
  const outDim = Math.max(x1.dim(), x2.dim());
  return x1.sub(x2).add(eps).norm(p, outDim - 1, keepdim);
}

export const alpha_dropout = alphaDropout;
export const feature_alpha_dropout = featureAlphaDropout;
export const embedding_bag = embeddingBag;
export const cosine_similarity = cosineSimilarity;
export const pairwise_distance = pairwiseDistance;
