// nn.functional normalizations beyond batch and layer norm: group_norm, instance_norm,
// local_response_norm and normalize, as PyTorch 1.13 composes or fuses them.
import type { Tensor } from "../tensor/tensor.js";
import { isGradEnabled, noGrad } from "../autograd/grad_mode.js";
import { record } from "../autograd/function.js";
import { RuntimeError, ValueError } from "../errors.js";
import { backend, fromStorage } from "../ops/core.js";
import type { Storage } from "../backend/backend.js";
import { batchNorm, pad } from "./functional.js";
import { avgPool2d } from "./conv_functional.js";

function sizeList(s: readonly number[]): string {
  return `[${s.join(", ")}]`;
}

/** PyTorch's _verify_batch_size: training statistics need more than one value per channel. */
function verifyBatchSize(size: readonly number[]): void {
  let prod = size[0]!;
  for (let i = 2; i < size.length; i++) prod *= size[i]!;
  if (prod === 1) throw new ValueError(`Expected more than 1 value per channel when training, got input size ${sizeList(size)}`);
}

/**
 * Group normalization (F.group_norm): the C channels are split into numGroups groups and each
 * (sample, group) is normalized over its channels and spatial positions with the biased variance,
 * then scaled and shifted per channel. One node, NativeGroupNormBackward0, as PyTorch's native_group_norm.
 */
export function groupNorm(input: Tensor, numGroups: number, weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  const N = input.size(0), C = input.size(1);
  // NOTE: F.group_norm's Python check, with the size it builds ([N * C // G, G, *spatial])
  if (numGroups !== 0) verifyBatchSize([Math.floor((N * C) / numGroups), numGroups, ...input.shape.slice(2)]);
  // check_group_norm_inputs, in its order
  if (!(numGroups > 0)) throw new RuntimeError(`Expected num groups to be greater than 0, got ${numGroups}`);
  if (C % numGroups !== 0)
    throw new RuntimeError(`Expected number of channels in input to be divisible by num_groups, but got input of shape ${sizeList(input.shape)} and num_groups=${numGroups}`);
  const w = weight ?? null, b = bias ?? null;
  if (w && (w.dim() !== 1 || w.numel() !== C))
    throw new RuntimeError(`Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape ${sizeList(w.shape)} and input of shape ${sizeList(input.shape)}`);
  // NOTE: PyTorch 1.13's message prints the weight's shape here ([0] without a weight), not the bias's
  if (b && (b.dim() !== 1 || b.numel() !== C))
    throw new RuntimeError(`Expected bias to be a vector of size equal to the number of channels in input, but got bias of shape ${w ? sizeList(w.shape) : "[0]"} and input of shape ${sizeList(input.shape)}`);
  const HxW = N * C === 0 ? 0 : input.numel() / (N * C);
  const G = numGroups, D = (C / G) * HxW;
  const cshape = [1, C, 1];
  const x3 = () => input.reshape(N, G, D);
  /** xhat [N, G, D] and rstd [N, G, 1], with a graph when grad mode is on. */
  const stats = () => {
    const x = x3();
    const mean = x.mean(2, true);
    const xc = x.sub(mean);
    const rstd = xc.mul(xc).mean(2, true).add(eps).rsqrt();
    return { xhat: xc.mul(rstd), rstd };
  };
  const affine = (xhat: Tensor): Tensor => {
    let y = xhat.reshape(N, C, HxW);
    if (w) y = y.mul(w.view(cshape));
    if (b) y = y.add(b.view(cshape));
    return y.view(input.shape);
  };
  const be = backend();
  const fused = be.normalize !== undefined && be.normalizeBackward !== undefined && input.numel() > 0 &&
    (input.dtype.name === "float32" || input.dtype.name === "float64") && (!w || w.dtype === input.dtype) && (!b || b.dtype === input.dtype);
  let xhat0: Tensor, rstd0: Tensor, fusedStats: { mean: Storage; rstd: Storage } | null = null;
  if (fused) {
    // NOTE: the backend's fused normalization (layer norm's kernel, no affine) over each of the N * G
    // rows of D elements; the per-channel affine is applied after.
    const r = noGrad(() => be.normalize!(x3()._view(), N * G, D, 1, false, null, null, eps, null));
    xhat0 = fromStorage(r.y, [N, G, D], input.dtype);
    rstd0 = fromStorage(r.rstd, [N, G, 1], input.dtype);
    fusedStats = { mean: r.mean, rstd: r.rstd };
  } else ({ xhat: xhat0, rstd: rstd0 } = noGrad(stats));
  const y = noGrad(() => affine(xhat0));
  return record("NativeGroupNormBackward0", [input, w, b], y, (g, _s, needs) => {
    const graph = isGradEnabled();
    const { xhat, rstd } = graph ? stats() : { xhat: xhat0, rstd: rstd0 };
    const g3 = g.reshape(N, C, HxW);
    let dx: Tensor | null = null;
    if (needs(0)) {
      const gw = (w ? g3.mul(w.view(cshape)) : g3).reshape(N, G, D);
      if (!graph && fusedStats) {
        // the fused backward of a normalization without affine, given g * w
        const [d] = be.normalizeBackward!(gw._view(), x3()._view(), fusedStats.mean, fusedStats.rstd, N * G, D, 1, false, null, false, [true, false, false]);
        dx = fromStorage(d!, input.shape, input.dtype);
      } else dx = gw.sub(gw.mean(2, true)).sub(xhat.mul(gw.mul(xhat).mean(2, true))).mul(rstd).view(input.shape);
    }
    const dw = w && needs(1) ? g3.mul(xhat.reshape(N, C, HxW)).sum([0, 2]) : null;
    const db = b && needs(2) ? g3.sum([0, 2]) : null;
    return [dx, dw, db];
    // (saved as PyTorch's NativeGroupNormBackward0 saves them: an in-place change before backward is an error)
  }, w ? [input, w] : [input]);
}

/** PyTorch's _verify_spatial_size: instance statistics need more than one spatial element. */
function verifySpatialSize(size: readonly number[]): void {
  let prod = 1;
  for (let i = 2; i < size.length; i++) prod *= size[i]!;
  // (PyTorch formats the input's torch.Size here, a list in _verify_batch_size)
  if (prod === 1) throw new ValueError(`Expected more than 1 spatial element when training, got input size torch.Size(${sizeList(size)})`);
}

export interface InstanceNormOptions {
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  useInputStats?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * Instance normalization (F.instance_norm): each (sample, channel) normalized over its spatial
 * positions. NOTE: as PyTorch's at::instance_norm: the input is viewed as (1, N * C, *), batch norm
 * runs with the weight, bias and running statistics repeated N times, the running statistics are
 * written back as the mean of their N copies, and the result is viewed back (ViewBackward0).
 */
export function instanceNorm(input: Tensor, opts: InstanceNormOptions = {}): Tensor {
  const useInputStats = opts.useInputStats ?? true;
  const momentum = opts.momentum ?? 0.1, eps = opts.eps ?? 1e-5;
  const rm = opts.runningMean ?? null, rv = opts.runningVar ?? null;
  if (useInputStats) verifySpatialSize(input.shape);
  if (!useInputStats && (!rm || !rv)) throw new RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false");
  const N = input.size(0), C = input.size(1);
  const rep = (t: Tensor | null | undefined): Tensor | null => (t ? t.repeat(N) : null);
  const w = rep(opts.weight), b = rep(opts.bias);
  const rm_ = rm ? noGrad(() => rep(rm)!) : null, rv_ = rv ? noGrad(() => rep(rv)!) : null;
  const shape = input.shape.slice();
  shape[1] = N * C;
  shape[0] = 1;
  const out = batchNorm(input.contiguous().view(shape), rm_, rv_, w, b, useInputStats, momentum, eps);
  noGrad(() => {
    if (rm) rm.copy_(rm_!.view(N, C).mean(0));
    if (rv) rv.copy_(rv_!.view(N, C).mean(0));
  });
  return out.view(input.shape);
}

/**
 * Local response normalization across channels (F.local_response_norm):
 * x / (k + alpha * mean of x^2 over `size` neighbouring channels)^beta, zero-padded at the ends.
 * NOTE: PyTorch pools a 4-d and larger input with avg_pool3d over (size, 1, 1); the same window
 * sum is taken here by avg_pool2d over the channels and the flattened spatial dims.
 */
export function localResponseNorm(input: Tensor, size: number, alpha = 1e-4, beta = 0.75, k = 1.0): Tensor {
  const dim = input.dim();
  if (dim < 3) throw new ValueError(`Expected 3D or higher dimensionality                          input (got ${dim} dimensions)`);
  if (input.numel() === 0) return input;
  let div = input.mul(input).unsqueeze(1);
  const front = Math.floor(size / 2), back = Math.floor((size - 1) / 2);
  if (dim === 3) {
    div = pad(div, [0, 0, front, back]);
    div = avgPool2d(div, [size, 1], { stride: 1 }).squeeze(1);
  } else {
    const s = input.shape;
    div = div.view(s[0]!, 1, s[1]!, -1);
    div = pad(div, [0, 0, front, back]);
    div = avgPool2d(div, [size, 1], { stride: 1 }).squeeze(1);
    div = div.view(s);
  }
  div = div.mul(alpha).add(k).pow(beta);
  return input.div(div);
}

/**
 * Lp normalization along dim (F.normalize): x / max(||x||_p, eps), the norm expanded over dim.
 */
export function normalize(input: Tensor, p = 2.0, dim = 1, eps = 1e-12): Tensor {
  const denom = input.norm(p, dim, true).clamp(eps).expandAs(input);
  return input.div(denom);
}

export const group_norm = groupNorm;
export const instance_norm = instanceNorm;
export const local_response_norm = localResponseNorm;
