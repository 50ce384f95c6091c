// Matrix products and softmax.
import { record } from "../autograd/function.js";
import { isGradEnabled, noGrad } from "../autograd/grad_mode.js";
import { broadcastShapes } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { RuntimeError } from "../errors.js";
import { bfloat16, bool, float16 } from "../tensor/dtype.js";
import { backend, fromStorage } from "./core.js";
import { registerOp } from "./table.js";
import { normalizeDim } from "../tensor/shape.js";
import { logSoftmaxBackwardData, softmaxBackwardData } from "./activation_backward.js";

/**
 * PyTorch 1.13's dtype checks of a matrix product's CPU kernel (addmm_impl_cpu_, bmm, addmv_impl_cpu):
 * the kernel is dispatched on the first operand's dtype, which has no bool case; then the second
 * operand must have the first's dtype.
 */
function checkProduct(a: Tensor, b: Tensor, kernel: "addmm_impl_cpu_" | "bmm" | "addmv_impl_cpu"): void {
  if (a.dtype === bool || a.dtype === float16) throw new RuntimeError(`"${kernel}" not implemented for '${a.dtype.scalarName}'`);
  if (a.dtype !== b.dtype) throw new RuntimeError(`expected scalar type ${a.dtype.scalarName} but found ${b.dtype.scalarName}`);
}

/** Raw batched product of 3-d views (no graph). */
function bmmRaw(a: Tensor, b: Tensor): Tensor {
  const [B, M] = a.shape as [number, number, number];
  const N = b.shape[2]!;
  return fromStorage(backend().matmul(a._view(), b._view(), a.dtype), [B, M, N], a.dtype);
}

export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.dim() !== 2) throw new RuntimeError("self must be a matrix");
  if (b.dim() !== 2) throw new RuntimeError("mat2 must be a matrix");
  if (a.shape[1] !== b.shape[0])
    throw new RuntimeError(`mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  checkProduct(a, b, "addmm_impl_cpu_");
  const y = noGrad(() => bmmRaw(a.unsqueeze(0), b.unsqueeze(0)).squeeze(0));
  const la = a.stride(), lb = b.stride(), sa = a.shape, sb = b.shape;
  const [saved, ia, ib] = savedPair(a, b);
  return record("MmBackward0", [a, b], y, (g, s, needs) => [
    needs(0) ? mat1Backward(g, s(ib), sa, la) : null,
    needs(1) ? mat2Backward(g, s(ia), sb, lb) : null,
  ], saved);
}

/**
 * What a product saves, as PyTorch's generated nodes: each operand only when the other one's
 * gradient will be computed (an in-place change of an operand whose partner needs no gradient is
 * no error at backward). Returns the saved list and the indices of a and b in it (-1: not saved).
 */
function savedPair(a: Tensor, b: Tensor): [Tensor[], number, number] {
  const saved: Tensor[] = [];
  const ia = b.requiresGrad ? saved.push(a) - 1 : -1;
  const ib = a.requiresGrad ? saved.push(b) - 1 : -1;
  return [saved, ia, ib];
}

/** Whether a matrix of these sizes and strides is column-major (a transposed contiguous one, as W.t()). */
const columnMajor = (sizes: readonly number[], strides: readonly number[]) => strides[0] === 1 && strides[1] === sizes[0];

/**
 * The gradients of mat1 and mat2 in mat1 @ mat2, laid out as the operand was.
 * NOTE: PyTorch's mm_mat1_backward / mm_mat2_backward: for a column-major operand (nn.Linear's
 * W.t()) the gradient is computed as the transposed product, so it comes out column-major too and
 * W's gradient is contiguous; accumulating a transposed gradient into W.grad would walk memory
 * with a stride of a whole row. The products are the ones PyTorch's BLAS calls compute.
 */
function mat1Backward(g: Tensor, mat2: Tensor, sizes: readonly number[], strides: readonly number[]): Tensor {
  return columnMajor(sizes, strides) ? mat2.mm(g.t()).t() : g.mm(mat2.t());
}
function mat2Backward(g: Tensor, mat1: Tensor, sizes: readonly number[], strides: readonly number[]): Tensor {
  return columnMajor(sizes, strides) ? g.t().mm(mat1).t() : mat1.t().mm(g);
}

/**
 * torch.addmm: beta * input + alpha * (mat1 @ mat2), input broadcast to the product's shape.
 * NOTE: with beta = alpha = 1 (nn.Linear's case) the product is added into a copy of input as BLAS
 * does with beta = 1, so the float32 bits are PyTorch's; other scalings compose the scaled terms.
 * @example
 * torch.addmm(torch.zeros(3), torch.ones(2, 4), torch.ones(4, 3)); // tensor([[4., 4., 4.], [4., 4., 4.]])
 */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, opts: { beta?: number; alpha?: number } = {}): Tensor {
  const beta = opts.beta ?? 1, alpha = opts.alpha ?? 1;
  if (mat1.dim() !== 2) throw new RuntimeError("mat1 must be a matrix, got " + mat1.dim() + "-D tensor");
  if (mat2.dim() !== 2) throw new RuntimeError("mat2 must be a matrix, got " + mat2.dim() + "-D tensor");
  if (mat1.shape[1] !== mat2.shape[0])
    throw new RuntimeError(`mat1 and mat2 shapes cannot be multiplied (${mat1.shape[0]}x${mat1.shape[1]} and ${mat2.shape[0]}x${mat2.shape[1]})`);
  // NOTE: PyTorch's addmm_impl_cpu_ checks self against mat2 first, then mat1 against mat2
  if (input.dtype !== mat2.dtype) throw new RuntimeError("self and mat2 must have the same dtype");
  if (mat1.dtype !== mat2.dtype) throw new RuntimeError("mat1 and mat2 must have the same dtype");
  checkProduct(mat1, mat2, "addmm_impl_cpu_");
  const shape = [mat1.shape[0]!, mat2.shape[1]!];
  const init = input.expand(shape); // PyTorch's expand errors for an input that does not broadcast
  const y = noGrad(() => {
    if (beta === 1 && alpha === 1) {
      const a = mat1.unsqueeze(0), b = mat2.unsqueeze(0), c = init.unsqueeze(0);
      return fromStorage(backend().matmul(a._view(), b._view(), mat1.dtype, c._view()), [1, ...shape], mat1.dtype).squeeze(0);
    }
    const prod = bmmRaw(mat1.unsqueeze(0), mat2.unsqueeze(0)).squeeze(0);
    return (beta === 0 ? prod.mul(alpha) : init.mul(beta).add(prod, { alpha }));
  });
  const s1 = mat1.shape, l1 = mat1.stride(), s2 = mat2.shape, l2 = mat2.stride();
  const [saved, i1, i2] = savedPair(mat1, mat2);
  return record("AddmmBackward0", [input, mat1, mat2], y, (g, s, needs) => [
    needs(0) ? (beta === 1 ? g : g.mul(beta)) : null,
    needs(1) ? scaled(mat1Backward(g, s(i2), s1, l1), alpha) : null,
    needs(2) ? scaled(mat2Backward(g, s(i1), s2, l2), alpha) : null,
  ], saved);
}
function scaled(t: Tensor, alpha: number): Tensor {
  return alpha === 1 ? t : t.mul(alpha);
}

export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.dim() !== 3) throw new RuntimeError("batch1 must be a 3D tensor");
  if (b.dim() !== 3) throw new RuntimeError("batch2 must be a 3D tensor");
  if (b.shape[0] !== a.shape[0] || b.shape[1] !== a.shape[2])
    throw new RuntimeError(`Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
  checkProduct(a, b, "bmm");
  const y = bmmRaw(a, b);
  const [saved, ia, ib] = savedPair(a, b);
  return record("BmmBackward0", [a, b], y, (g, s, needs) => [
    needs(0) ? g.bmm(s(ib).transpose(1, 2)) : null,
    needs(1) ? s(ia).transpose(1, 2).bmm(g) : null,
  ], saved);
}

export function mv(a: Tensor, v: Tensor): Tensor {
  if (a.dim() !== 2 || v.dim() !== 1 || a.shape[1] !== v.shape[0])
    // NOTE: PyTorch 1.13's text (addmv_impl_cpu), terse as it is.
    throw new RuntimeError(`size mismatch, got ${a.shape[0]}, ${a.shape.join("x")},${v.shape[0]}`);
  checkProduct(a, v, "addmv_impl_cpu");
  const y = noGrad(() => bmmRaw(a.unsqueeze(0), v.reshape([1, -1, 1])).reshape([-1]));
  const [saved, ia, iv] = savedPair(a, v);
  return record("MvBackward0", [a, v], y, (g, s, needs) => [
    needs(0) ? g.unsqueeze(1).mul(s(iv).unsqueeze(0)) : null,
    needs(1) ? s(ia).t().mv(g) : null,
  ], saved);
}

export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.dim() !== 1 || b.dim() !== 1)
    throw new RuntimeError(`1D tensors expected, but got ${a.dim()}D and ${b.dim()}D tensors`);
  if (a.shape[0] !== b.shape[0])
    throw new RuntimeError(`inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  if (a.dtype !== b.dtype)
    throw new RuntimeError(`dot : expected both vectors to have same dtype, but found ${a.dtype.scalarName} and ${b.dtype.scalarName}`);
  if (a.dtype === bool || a.dtype === float16) throw new RuntimeError(`"dot" not implemented for '${a.dtype.scalarName}'`);
  const y = noGrad(() => bmmRaw(a.reshape([1, 1, -1]), b.reshape([1, -1, 1])).reshape([]));
  const [saved, ia, ib] = savedPair(a, b);
  return record("DotBackward0", [a, b], y, (g, s, needs) => [needs(0) ? g.mul(s(ib)) : null, needs(1) ? g.mul(s(ia)) : null], saved);
}

export function outer(a: Tensor, b: Tensor): Tensor {
  return a.reshape([-1, 1]).mul(b.reshape([1, -1]));
}

/** torch.matmul: dot, mv, mm or broadcast batched products by the operands' dims. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const da = a.dim(), db = b.dim();
  if (da === 0 || db === 0)
    throw new RuntimeError(`both arguments to matmul need to be at least 1D, but they are ${da}D and ${db}D`);
  if (da === 1 && db === 1) return dot(a, b);
  if (da === 2 && db === 1) return mv(a, b);
  if (da === 1 && db === 2) {
    const m = mm(a.unsqueeze(0), b);
    return record("SqueezeBackward3", [m], noGrad(() => m.squeeze(0)), (g) => [g.unsqueeze(0)]);
  }
  if (da === 2 && db === 2) return mm(a, b);
  if (da >= 3 && (db === 1 || db === 2)) {
    // fold a's batch dims into rows: one mm (a vector: one mv, as PyTorch), then an unsafe view back
    const rows = a.reshape([-1, a.shape[da - 1]!]);
    const p = db === 1 ? mv(rows, b) : mm(rows, b);
    const shape = db === 1 ? a.shape.slice(0, -1) : [...a.shape.slice(0, -1), b.shape[1]!];
    return record("UnsafeViewBackward0", [p], noGrad(() => p.reshape(shape)), (g) => [g.reshape(p.shape as number[])]);
  }
  if ((da === 1 || da === 2) && db >= 3) {
    // PyTorch 1.13's fold the other way: (b^T with its batch folded into rows) @ a^T, transposed back
    // (a copy: CloneBackward0 over TransposeBackward0), or with a vector, one mv
    const t1 = b.transpose(-1, -2), t2 = da === 2 ? a.t() : a;
    const shape = t1.shape.slice(0, -1);
    const folded = t1.reshape([shape.reduce((x, y) => x * y, 1), t1.shape[db - 1]!]);
    if (da === 1) {
      const p = mv(folded, t2);
      return record("UnsafeViewBackward0", [p], noGrad(() => p.reshape(shape)), (g) => [g.reshape(p.shape as number[])]);
    }
    shape.push(t2.shape[1]!);
    const p = mm(folded, t2);
    const out = record("UnsafeViewBackward0", [p], noGrad(() => p.reshape(shape)), (g) => [g.reshape(p.shape as number[])]);
    return out.transpose(-1, -2).contiguous();
  }
  // batched: broadcast the batch dims, then bmm
  const a2 = da === 1 ? a.unsqueeze(0) : a;
  const b2 = db === 1 ? b.unsqueeze(1) : b;
  const n = a2.shape[a2.dim() - 2]!, k = a2.shape[a2.dim() - 1]!, k2 = b2.shape[b2.dim() - 2]!, m = b2.shape[b2.dim() - 1]!;
  // (as PyTorch: the batch dims broadcast first, then bmm checks the expanded operands)
  const batch = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const nb = batch.reduce((x, y) => x * y, 1);
  if (k !== k2) throw new RuntimeError(`Expected size for first two dimensions of batch2 tensor to be: [${nb}, ${k}] but got: [${nb}, ${k2}].`);
  const A = a2.expand([...batch, n, k]).reshape([nb, n, k]);
  const B = b2.expand([...batch, k, m]).reshape([nb, k, m]);
  const p = bmm(A, B);
  let shape = [...batch, n, m];
  if (da === 1) shape = [...batch, m];
  if (db === 1) shape = da === 1 ? batch : [...batch, n];
  return record("UnsafeViewBackward0", [p], noGrad(() => p.reshape(shape)), (g) => [g.reshape(p.shape as number[])]);
}

/**
 * NOTE: PyTorch's CPU kernel for the last dim (the usual case: cross entropy over [batch, classes])
 * is taken when the backend has it; it needs float32 or float64 and a non-empty tensor of at least one dim.
 * The backward uses it too unless a graph of the backward is being built (create_graph), which needs
 * the composed, differentiable formula.
 */
function lastDimFused(x: Tensor, d: number): boolean {
  return (x.dtype.name === "float32" || x.dtype.name === "float64") && x.dim() > 0 && d === x.dim() - 1 && x.numel() > 0 && backend().softmaxLastDim !== undefined;
}

/**
 * PyTorch's error for softmax / log_softmax of a non-float tensor, after the dim check: the kernel
 * for the last dim (a 0-dim tensor's too) is named per function, the other one is softmax's.
 */
function checkSoftmaxDtype(x: Tensor, d: number, log: boolean): void {
  if ((x.dtype.isFloatingPoint && x.dtype !== float16) || x.numel() === 0) return;
  const kernel = x.dim() === 0 || d === x.dim() - 1 ? (log ? "log_softmax_lastdim_kernel_impl" : "softmax_lastdim_kernel_impl") : "softmax_kernel_impl";
  throw new RuntimeError(`"${kernel}" not implemented for '${x.dtype.scalarName}'`);
}

export function softmax(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.dim());
  checkSoftmaxDtype(x, d, false);
  if (x.numel() === 0 && !x.dtype.isFloatingPoint) return x.clone(); // (PyTorch returns before the kernel)
  const fast = lastDimFused(x, d);
  const y = noGrad(() => {
    if (fast) return fromStorage(backend().softmaxLastDim!(x._view(), false), x.shape as number[], x.dtype);
    // NOTE: PyTorch's bfloat16 softmax computes in float and rounds once (checked bit for bit)
    if (x.dtype === bfloat16) return softmax(x.float(), d).to(bfloat16);
    if (x.numel() === 0) return x.clone(); // (an empty dim has no max: PyTorch returns the empty result)
    // NOTE: subtracting the row max keeps exp from overflowing; the result is unchanged.
    const e = x.sub(x.amax(d, true)).exp();
    return e.div(e.sum(d, true));
  });
  return record("SoftmaxBackward0", [x], y, (g, s) => {
    const ys = s(0);
    if (fast && !isGradEnabled() && g.dtype === ys.dtype)
      return [fromStorage(backend().softmaxBackwardLastDim!(g.expand(ys.shape as number[])._view(), ys._view(), false), ys.shape as number[], ys.dtype)];
    return [softmaxBackwardData(g, ys, d)];
  }, [y]);
}

export function logSoftmax(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.dim());
  checkSoftmaxDtype(x, d, true);
  if (x.numel() === 0 && !x.dtype.isFloatingPoint) return x.clone(); // (PyTorch returns before the kernel)
  const fast = lastDimFused(x, d);
  const y = noGrad(() => {
    if (fast) return fromStorage(backend().softmaxLastDim!(x._view(), true), x.shape as number[], x.dtype);
    if (x.dtype === bfloat16) return logSoftmax(x.float(), d).to(bfloat16); // (as softmax's)
    if (x.numel() === 0) return x.clone(); // (an empty dim has no max: PyTorch returns the empty result)
    // NOTE: log-sum-exp with the max subtracted, so large logits do not overflow.
    const shifted = x.sub(x.amax(d, true));
    return shifted.sub(shifted.exp().sum(d, true).log());
  });
  return record("LogSoftmaxBackward0", [x], y, (g, s) => {
    const ys = s(0);
    if (fast && !isGradEnabled() && g.dtype === ys.dtype)
      return [fromStorage(backend().softmaxBackwardLastDim!(g.expand(ys.shape as number[])._view(), ys._view(), true), ys.shape as number[], ys.dtype)];
    return [logSoftmaxBackwardData(g, ys, d)];
  }, [y]);
}

for (const [n, g] of [
  ["mm", "MmBackward0"], ["bmm", "BmmBackward0"], ["mv", "MvBackward0"], ["dot", "DotBackward0"], ["outer", "MulBackward0"],
  ["matmul", "MmBackward0"], ["softmax", "SoftmaxBackward0"], ["logSoftmax", "LogSoftmaxBackward0"],
] as const)
  registerOp(n, g);
