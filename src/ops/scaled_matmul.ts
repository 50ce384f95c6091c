// The scaled matrix products of issue 10: torch.baddbmm, torch.addmv and torch.addbmm (addmm is in
// linalg.ts): beta * input + alpha * product, with PyTorch 1.13's checks in its order, input
// broadcast (and cast) to the product, BLAS's beta = 0 that ignores input, and integer alpha/beta
// truncated as PyTorch's Scalar is for an integer kernel.
import { record } from "../autograd/function.js";
import { noGrad } from "../autograd/grad_mode.js";
import { bool, type DType } from "../tensor/dtype.js";
import { checkExpand } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { IndexError, RuntimeError } from "../errors.js";
import { backend, fromStorage } from "./core.js";
import { bmm, mm } from "./linalg.js";
import { wrapDim, zerosOf } from "./manipulation.js";
import { clone } from "./views.js";

/** A JS scalar as PyTorch's Scalar converts it for an integer kernel (alpha=0.5 of an int64 baddbmm is 0). */
function scalarFor(v: number, dtype: DType): number {
  return dtype.isFloatingPoint || dtype === bool ? v : Math.trunc(v);
}

/**
 * What a product's node saves, as PyTorch's generated nodes: each operand only when the other one's
 * gradient will be computed. Returns the saved list and the indices of a and b in it (-1: not saved).
 */
function savedPair(a: Tensor, b: Tensor): [Tensor[], number, number] {
  const saved: Tensor[] = [];
  const ia = b.requiresGrad ? saved.push(a) - 1 : -1;
  const ib = a.requiresGrad ? saved.push(b) - 1 : -1;
  return [saved, ia, ib];
}

type Scale = { beta?: number; alpha?: number };

/** beta * input + alpha * prod (prod without a graph); beta = 0 ignores input (its NaNs too), as BLAS. */
function scaledSum(input: Tensor, prod: Tensor, beta: number, alpha: number): Tensor {
  const dt = prod.dtype;
  const p = alpha === 1 ? prod : prod.mul(alpha);
  if (beta === 0) return p;
  const i = input.to(dt).expand(prod.shape);
  return (beta === 1 ? i : i.mul(beta)).add(p);
}

/**
 * torch.baddbmm: beta * input + alpha * (batch1 @ batch2) for batches [B, n, m] @ [B, m, p], input
 * broadcast to [B, n, p] (and cast to the batches' dtype). BaddbmmBackward0.
 */
export function baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, opts: Scale = {}): Tensor {
  const size = (t: Tensor, d: number) => t.shape[wrapDim(d, t.dim())]!;
  const shape = [size(batch1, 0), size(batch1, 1), size(batch2, 2)];
  checkExpand(input.shape, shape, input.dtype.scalarName);
  if (batch1.dim() !== 3) throw new RuntimeError("batch1 must be a 3D tensor");
  if (batch2.dim() !== 3) throw new RuntimeError("batch2 must be a 3D tensor");
  const [B, , K] = batch1.shape as [number, number, number];
  if (batch2.shape[0] !== B || batch2.shape[1] !== K)
    throw new RuntimeError(`Expected size for first two dimensions of batch2 tensor to be: [${B}, ${K}] but got: [${batch2.shape[0]}, ${batch2.shape[1]}].`);
  if (batch1.dtype === bool) throw new RuntimeError(`"baddbmm" not implemented for 'Bool'`);
  if (batch1.dtype !== batch2.dtype) throw new RuntimeError(`expected scalar type ${batch1.dtype.scalarName} but found ${batch2.dtype.scalarName}`);
  const dt = batch1.dtype;
  const beta = scalarFor(opts.beta ?? 1, dt), alpha = scalarFor(opts.alpha ?? 1, dt);
  const y = noGrad(() => {
    if (beta === 1 && alpha === 1) {
      // NOTE: beta = alpha = 1 adds the product into a copy of input as BLAS does with beta = 1
      const init = input.to(dt).expand(shape);
      return fromStorage(backend().matmul(batch1._view(), batch2._view(), dt, init._view()), shape, dt);
    }
    return scaledSum(input, bmm(batch1, batch2), beta, alpha);
  });
  const [saved, i1, i2] = savedPair(batch1, batch2);
  return record("BaddbmmBackward0", [input, batch1, batch2], y, (g, s, needs) => [
    needs(0) ? (beta === 1 ? g : g.mul(beta)) : null,
    needs(1) ? times(g.bmm(s(i2).transpose(1, 2)), alpha) : null,
    needs(2) ? times(s(i1).transpose(1, 2).bmm(g), alpha) : null,
  ], saved);
}

function times(t: Tensor, alpha: number): Tensor {
  return alpha === 1 ? t : t.mul(alpha);
}

/**
 * torch.addmv: beta * input + alpha * (mat @ vec), input a vector of mat's rows (or one element) and
 * cast to vec's dtype. AddmvBackward0.
 */
export function addmv(input: Tensor, mat: Tensor, vec: Tensor, opts: Scale = {}): Tensor {
  if (!(mat.dim() === 2 && vec.dim() === 1 && input.dim() <= 1))
    throw new RuntimeError(`vector + matrix @ vector expected, got ${input.dim()}, ${mat.dim()}, ${vec.dim()}`);
  const [R, C] = mat.shape as [number, number];
  if (!(C === vec.shape[0] && (R === input.numel() || input.numel() === 1))) {
    if (input.dim() === 0) throw new IndexError("Dimension specified as 0 but tensor has no dimensions");
    throw new RuntimeError(`size mismatch, got ${input.shape[0]}, ${R}x${C},${vec.shape[0]}`);
  }
  if (mat.dtype === bool) throw new RuntimeError(`"addmv_impl_cpu" not implemented for 'Bool'`);
  if (mat.dtype !== vec.dtype) throw new RuntimeError(`expected scalar type ${mat.dtype.scalarName} but found ${vec.dtype.scalarName}`);
  const dt = vec.dtype;
  const beta = scalarFor(opts.beta ?? 1, dt), alpha = scalarFor(opts.alpha ?? 1, dt);
  const y = noGrad(() => {
    const prod = fromStorage(backend().matmul(mat.unsqueeze(0)._view(), vec.reshape([1, -1, 1])._view(), dt), [R], dt);
    return scaledSum(input, prod, beta, alpha);
  });
  const [saved, im, iv] = savedPair(mat, vec);
  return record("AddmvBackward0", [input, mat, vec], y, (g, s, needs) => [
    needs(0) ? (beta === 1 ? g : g.mul(beta)) : null,
    needs(1) ? times(g.unsqueeze(1).mul(s(iv).unsqueeze(0)), alpha) : null,
    needs(2) ? times(s(im).t().mv(g), alpha) : null,
  ], saved);
}

/**
 * torch.addbmm: beta * input + alpha * sum_b batch1[b] @ batch2[b], input broadcast to [n, p].
 * NOTE: as PyTorch's CPU kernel, the batches are accumulated one by one into the result (addmm_ with
 * beta only on the first). AddbmmBackward0.
 */
export function addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, opts: Scale = {}): Tensor {
  const size = (t: Tensor, d: number) => t.shape[wrapDim(d, t.dim())]!;
  const shape = [size(batch1, 1), size(batch2, 2)];
  checkExpand(input.shape, shape, input.dtype.scalarName);
  if (batch1.dim() !== 3) throw new RuntimeError("batch1 must be a 3D tensor");
  if (batch2.dim() !== 3) throw new RuntimeError("batch2 must be a 3D tensor");
  const [B, N, K] = batch1.shape as [number, number, number];
  if (batch2.shape[0] !== B) throw new RuntimeError(`batch1 and batch2 must have same number of batches, got ${B} and ${batch2.shape[0]}`);
  if (batch2.shape[1] !== K) throw new RuntimeError(`Incompatible matrix sizes for bmm (${N}x${K} and ${batch2.shape[1]}x${batch2.shape[2]})`);
  const dt = input.dtype;
  if (B > 0) {
    if (batch1.dtype !== batch2.dtype) throw new RuntimeError("mat1 and mat2 must have the same dtype");
    if (dt !== batch2.dtype) throw new RuntimeError("self and mat2 must have the same dtype");
    if (dt === bool) throw new RuntimeError(`"addmm_impl_cpu_" not implemented for 'Bool'`);
  }
  const beta = scalarFor(opts.beta ?? 1, dt), alpha = scalarFor(opts.alpha ?? 1, dt);
  const y = noGrad(() => {
    let r = beta === 0 ? zerosOf(shape, dt) : clone(input.expand(shape));
    if (B === 0) return beta === 0 || beta === 1 ? r : r.mul(beta);
    for (let b = 0; b < B; b++) {
      const m1 = batch1.select(0, b), m2 = batch2.select(0, b);
      const first = b === 0 && beta !== 0 && beta !== 1;
      if (alpha === 1 && !first) {
        r = fromStorage(backend().matmul(m1.unsqueeze(0)._view(), m2.unsqueeze(0)._view(), dt, r.unsqueeze(0)._view()), shape, dt);
      } else r = (first ? r.mul(beta) : r).add(mm(m1, m2), { alpha });
    }
    return r;
  });
  const [saved, i1, i2] = savedPair(batch1, batch2);
  return record("AddbmmBackward0", [input, batch1, batch2], y, (g, s, needs) => {
    const ge = () => g.unsqueeze(0).expand([B, N, shape[1]!]);
    return [
      needs(0) ? (beta === 1 ? g : g.mul(beta)) : null,
      needs(1) ? times(ge().bmm(s(i2).transpose(1, 2)), alpha) : null,
      needs(2) ? times(s(i1).transpose(1, 2).bmm(ge()), alpha) : null,
    ];
  }, saved);
}
