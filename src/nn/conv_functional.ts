// Convolution and pooling for nn.functional, written as im2col with tensor ops: the patches of the
// (padded) input are gathered with one indexSelect over precomputed flat offsets, the convolution is
// one batched matmul, and the backward scatters patch gradients back with indexAdd (col2im).
// NOTE: no backend primitive is needed. Where the current backend has fused kernels (conv2d,
// conv2dBackward, maxPool2d, avgPool2d and their backwards: the fast "wasm" backend), float32 and
// float64 take them instead; the composed path stays for other backends (the exact reference) and
// for backward passes that must themselves be differentiable (create_graph), which the fused
// backwards are not.
import { Tensor } from "../tensor/tensor.js";
import type { Window2d } from "../backend/backend.js";
import { backend, fromStorage } from "../ops/core.js";
import { isGradEnabled, noGrad } from "../autograd/grad_mode.js";
import { record } from "../autograd/function.js";
import { full, tensor, zeros } from "../ops/creation.js";
import { int64 } from "../tensor/dtype.js";
import { RuntimeError, ValueError } from "../errors.js";
import { maxPool2dWithIndices } from "./pooling_extra.js";

export type IntOrPair = number | readonly number[];
type Padding2 = [number, number, number, number]; // top, bottom, left, right

function pair(v: IntOrPair, n: number, name: string): number[] {
  if (typeof v === "number") return Array(n).fill(v);
  if (v.length === 1) return Array(n).fill(v[0]);
  if (v.length !== n) throw new RuntimeError(`expected ${name} to be a single integer value or a list of ${n} values to match the convolution dimensions, but got ${name}=[${v.join(", ")}]`);
  return [...v];
}

/** Flat offsets into a (C, Hp, Wp) block for patches ordered (c, ki, kj, oh, ow). */
function patchIndex(C: number, Hp: number, Wp: number, kh: number, kw: number, OH: number, OW: number, s: number[], d: number[]): Tensor {
  const out = new Array<number>(C * kh * kw * OH * OW);
  let p = 0;
  for (let c = 0; c < C; c++)
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        for (let oh = 0; oh < OH; oh++)
          for (let ow = 0; ow < OW; ow++) out[p++] = c * Hp * Wp + (oh * s[0]! + i * d[0]!) * Wp + (ow * s[1]! + j * d[1]!);
  return tensor(out, { dtype: int64 });
}

/** x (B, C, H, W) padded with `value`. */
function padded(x: Tensor, pad: Padding2, value: number): Tensor {
  if (pad.every((p) => p === 0)) return x;
  const [B, C, H, W] = x.shape as [number, number, number, number];
  const o = full([B, C, H + pad[0] + pad[1], W + pad[2] + pad[3]], value, { dtype: x.dtype });
  o.narrow(2, pad[0], H).narrow(3, pad[2], W).copy_(x);
  return o;
}

interface Geometry {
  B: number; C: number; H: number; W: number; Hp: number; Wp: number; OH: number; OW: number;
  kh: number; kw: number; s: number[]; d: number[]; pad: Padding2; idx: Tensor | null;
}
function geometry(shape: number[], k: number[], s: number[], d: number[], pad: Padding2, outH: number, outW: number, C: number): Geometry {
  const [B, , H, W] = shape as [number, number, number, number];
  const Hp = H + pad[0] + pad[1], Wp = W + pad[2] + pad[3];
  return { B, C, H, W, Hp, Wp, OH: outH, OW: outW, kh: k[0]!, kw: k[1]!, s, d, pad, idx: null };
}
/**
 * (B, C, H, W) -> patches (B, C*kh*kw*OH*OW), no graph. NOTE: a strided view (B, C, kh, kw, OH, OW)
 * of the padded input made contiguous: one strided copy, several times faster than gathering by index.
 */
function im2col(x: Tensor, g: Geometry, padValue: number): Tensor {
  return noGrad(() => {
    const xp = padded(x, g.pad, padValue).contiguous();
    const { Hp, Wp, C, s, d } = g;
    const v = xp.asStrided([g.B, C, g.kh, g.kw, g.OH, g.OW], [C * Hp * Wp, Hp * Wp, d[0]! * Wp, d[1]!, s[0]! * Wp, s[1]!], xp.storageOffset());
    return v.contiguous().reshape(g.B, -1);
  });
}
/**
 * im2col recorded in the graph (for double backward): constant pad, then a gather by flat offsets.
 * NOTE: not as_strided: its backward must add up overlapping windows, which the core's
 * AsStridedBackward0 does not do yet; indexSelect's backward (index_add) does.
 */
function im2colDiff(x: Tensor, g: Geometry, padValue: number): Tensor {
  const p = g.pad;
  const xp = p.every((v) => v === 0) ? x : constantPad(x, p, padValue);
  g.idx ??= patchIndex(g.C, g.Hp, g.Wp, g.kh, g.kw, g.OH, g.OW, g.s, g.d);
  return xp.reshape(g.B, g.C * g.Hp * g.Wp).indexSelect(1, g.idx);
}
/** Differentiable constant padding of the last two dims (top, bottom, left, right). */
function constantPad(x: Tensor, pad: Padding2, value: number): Tensor {
  const H = x.size(2), W = x.size(3);
  const region = (t: Tensor) => t.narrow(2, pad[0], H).narrow(3, pad[2], W);
  const y = noGrad(() => padded(x, pad, value));
  return record("ConstantPadNdBackward0", [x], y, (g) => [region(g)]);
}
/** patches (B, C*kh*kw*OH*OW) -> gradient of the unpadded input (B, C, H, W), by index_add (col2im). */
function col2im(cols: Tensor, g: Geometry): Tensor {
  g.idx ??= patchIndex(g.C, g.Hp, g.Wp, g.kh, g.kw, g.OH, g.OW, g.s, g.d);
  const z = zeros([g.B, g.C * g.Hp * g.Wp], { dtype: cols.dtype }).indexAdd(1, g.idx, cols.reshape(g.B, -1));
  return z.view(g.B, g.C, g.Hp, g.Wp).narrow(2, g.pad[0], g.H).narrow(3, g.pad[2], g.W);
}

/** Whether a fused kernel may take these tensors: all float32 or all float64, and some elements. */
function fusable(ts: readonly (Tensor | null | undefined)[]): boolean {
  const dt = ts[0]!.dtype;
  if (dt.name !== "float32" && dt.name !== "float64") return false;
  if (ts[0]!.numel() === 0) return false;
  return ts.every((t) => !t || t.dtype === dt);
}
/** The fused backward runs unless its result must carry a graph (create_graph) or the dtypes differ. */
function fusedBackward(g: Tensor, like: Tensor): boolean {
  return !isGradEnabled() && g.dtype === like.dtype;
}

function outSize(n: number, padTotal: number, d: number, k: number, s: number, ceil = false): number {
  const v = (n + padTotal - d * (k - 1) - 1) / s;
  return (ceil ? Math.ceil(v) : Math.floor(v)) + 1;
}

export interface ConvOptions {
  stride?: IntOrPair;
  padding?: IntOrPair | "valid" | "same";
  dilation?: IntOrPair;
  groups?: number;
}

/**
 * The one convolution: x (N, C, H, W) with weight (O, C/groups, kh, kw). `dims` is 1 or 2 (conv1d
 * runs as a conv2d of height 1). One node, ConvolutionBackward0, as PyTorch records.
 */
function convNd(dims: 1 | 2, input: Tensor, weight: Tensor, bias: Tensor | null | undefined, opts: ConvOptions): Tensor {
  const name = `conv${dims}d`;
  const groups = opts.groups ?? 1;
  const batchedRank = dims + 2;
  if (input.dim() !== batchedRank && input.dim() !== batchedRank - 1)
    throw new RuntimeError(`Expected ${batchedRank - 1}D (unbatched) or ${batchedRank}D (batched) input to ${name}, but got input of size: [${input.shape.join(", ")}]`);
  if (weight.dim() !== batchedRank)
    throw new RuntimeError(`weight should have at least three dimensions`);
  if (input.dim() === batchedRank - 1) return convNd(dims, input.unsqueeze(0), weight, bias, opts).squeeze(0);
  const unbatched = false;
  const x4Shape = unbatched ? [1, ...input.shape] : input.shape;
  if (dims === 1) x4Shape.splice(2, 0, 1);
  const w4Shape = weight.shape;
  if (dims === 1) w4Shape.splice(2, 0, 1);
  const [N, C, H, W] = x4Shape as [number, number, number, number];
  const [O, Cg, kh, kw] = w4Shape as [number, number, number, number];
  if (groups <= 0) throw new RuntimeError("non-positive groups is not supported");
  if (O % groups !== 0) throw new RuntimeError("Given groups=" + groups + ", expected weight to be divisible by " + groups + " at dimension 0, but got weight of size [" + weight.shape.join(", ") + "] instead");
  if (Cg * groups !== C) {
    const inShape = unbatched ? [1, ...input.shape] : input.shape;
    throw new RuntimeError(`Given groups=${groups}, weight of size [${weight.shape.join(", ")}], expected input[${inShape.join(", ")}] to have ${Cg * groups} channels, but got ${C} channels instead`);
  }
  if (bias && (bias.dim() !== 1 || bias.numel() !== O))
    throw new RuntimeError(`Given weight of size [${weight.shape.join(", ")}], expected bias to be 1-dimensional with ${O} elements, but got bias of size [${bias.shape.join(", ")}] instead`);
  const s1 = pair(opts.stride ?? 1, dims, "stride"), d1 = pair(opts.dilation ?? 1, dims, "dilation");
  const s = dims === 1 ? [1, s1[0]!] : s1, d = dims === 1 ? [1, d1[0]!] : d1;
  // NOTE: PyTorch 1.13's order: negative padding, a non-positive stride, the input vs kernel size,
  // then the kernel's own checks (a kernel dim of 0, a non-positive dilation)
  const negPad = typeof opts.padding !== "string" && pair(opts.padding ?? 0, dims, "padding").some((v) => v < 0);
  if (!negPad && s.some((v) => v <= 0)) throw new RuntimeError("non-positive stride is not supported");
  let pad: Padding2;
  const p = opts.padding ?? 0;
  if (p === "valid") pad = [0, 0, 0, 0];
  else if (p === "same") {
    if (s.some((v) => v !== 1)) throw new RuntimeError("padding='same' is not supported for strided convolutions");
    const tot = [d[0]! * (kh - 1), d[1]! * (kw - 1)];
    // NOTE: an odd total pads one more on the right/bottom, as PyTorch does
    pad = [Math.floor(tot[0]! / 2), tot[0]! - Math.floor(tot[0]! / 2), Math.floor(tot[1]! / 2), tot[1]! - Math.floor(tot[1]! / 2)];
  } else {
    const pp = pair(p, dims, "padding");
    const ph = dims === 1 ? 0 : pp[0]!, pw = dims === 1 ? pp[0]! : pp[1]!;
    if (ph < 0 || pw < 0) throw new RuntimeError("negative padding is not supported");
    pad = [ph, ph, pw, pw];
  }
  const OH = outSize(H, pad[0] + pad[1], d[0]!, kh, s[0]!), OW = outSize(W, pad[2] + pad[3], d[1]!, kw, s[1]!);
  if (OH <= 0 || OW <= 0) {
    const ins = [C, ...(dims === 1 ? [W] : [H, W])].map((v, i) => (i === 0 ? v : v + (dims === 1 ? pad[2] * 2 : pad[0] * 2)));
    throw new RuntimeError(`Calculated padded input size per channel: (${ins.slice(1).join(" x ")}). Kernel size: (${(dims === 1 ? [kw] : [kh, kw]).join(" x ")}). Kernel size can't be greater than actual input size`);
  }
  if (kh <= 0 || kw <= 0) throw new RuntimeError(`kernel size should be greater than zero, but got kernel_height: ${kh} kernel_width: ${kw}`);
  if (d1.some((v) => v <= 0)) throw new RuntimeError(`dilation should be greater than zero, but got [${d1.join(", ")}]`);
  // NOTE: PyTorch 1.13's checks, after the shape ones: the bias's type in C++'s words, then the
  // kernel's (dispatched on the input's dtype, the weight must match)
  if (bias && bias.dtype !== input.dtype)
    throw new RuntimeError(`Input type (${input.dtype.cppName}) and bias type (${bias.dtype.cppName}) should be the same`);
  if (weight.dtype !== input.dtype) throw new RuntimeError(`expected scalar type ${input.dtype.scalarName} but found ${weight.dtype.scalarName}`);
  const geo = geometry([N, C, H, W], [kh, kw], s, d, pad, OH, OW, C);
  const L = OH * OW, K = Cg * kh * kw, G = groups, Og = O / G;
  const outShape = unbatched ? [O, ...(dims === 1 ? [OW] : [OH, OW])] : [N, O, ...(dims === 1 ? [OW] : [OH, OW])];
  const win: Window2d = { N, C, H, W, OH, OW, kh, kw, sh: s[0]!, sw: s[1]!, dh: d[0]!, dw: d[1]!, padT: pad[0], padL: pad[2] };
  const fast = backend().conv2d !== undefined && fusable([input, weight, bias]);
  let cols: Tensor | null = null; // the composed forward's patches, kept for the weight's gradient
  const y = noGrad(() => {
    const x4 = input.reshape(x4Shape);
    if (fast) return fromStorage(backend().conv2d!(x4._view(), weight.reshape(w4Shape)._view(), bias ? bias._view() : null, win, O, G), [N, O, OH, OW], input.dtype).reshape(outShape);
    cols = im2col(x4, geo, 0).view(N, G, K, L);
    let y = weight.reshape(1, G, Og, K).matmul(cols).reshape(N, O, L);
    if (bias) y = y.add(bias.view(1, O, 1));
    return y.reshape(outShape);
  });
  return record("ConvolutionBackward0", [input, weight, bias], y, (g, _s, needs) => {
    const be = backend();
    if (be.conv2dBackward !== undefined && fusedBackward(g, input) && fusable([input, weight, bias])) {
      const [gx, gw, gb] = be.conv2dBackward(g.reshape(N, O, OH, OW)._view(), input.reshape(x4Shape)._view(), weight.reshape(w4Shape)._view(), win, O, G, [needs(0), needs(1), !!bias && needs(2)]);
      return [
        gx === null ? null : fromStorage(gx, input.shape as number[], input.dtype),
        gw === null ? null : fromStorage(gw, weight.shape as number[], weight.dtype),
        gb === null ? null : fromStorage(gb, [O], bias!.dtype),
      ];
    }
    const gy = g.reshape(N, G, Og, L);
    const gx = needs(0) ? col2im(weight.reshape(1, G, Og, K).transpose(-1, -2).matmul(gy), geo).reshape(input.shape) : null;
    // NOTE: under createGraph the patches are rebuilt with a graph so that double backward reaches the input
    const c = needs(1) && isGradEnabled() ? im2colDiff(input.reshape(x4Shape), geo, 0).view(N, G, K, L) : needs(1) ? (cols ?? im2col(input.reshape(x4Shape), geo, 0).view(N, G, K, L)) : null;
    const gw = needs(1) ? gy.matmul(c!.transpose(-1, -2)).sum(0).reshape(weight.shape) : null;
    const gb = bias && needs(2) ? gy.reshape(N, O, L).sum([0, 2]) : null;
    return [gx, gw, gb];
  });
}

/** 2-D convolution over (N, C, H, W) (or unbatched (C, H, W)). */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvOptions = {}): Tensor {
  return convNd(2, input, weight, bias, opts);
}
/** 1-D convolution over (N, C, L) (or unbatched (C, L)). */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvOptions = {}): Tensor {
  return convNd(1, input, weight, bias, opts);
}

function pool2dInput(input: Tensor, name: string): { x4: number[]; unbatched: boolean } {
  if (input.dim() !== 3 && input.dim() !== 4)
    throw new RuntimeError(`${name}: Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[${input.shape.join(", ")}]`);
  const unbatched = input.dim() === 3;
  const s = unbatched ? [1, ...input.shape] : input.shape;
  // channels fold into the batch: (N*C, 1, H, W)
  return { x4: [s[0]! * s[1]!, 1, s[2]!, s[3]!], unbatched };
}

/**
 * PyTorch 1.13's pooling parameter checks, in its order: pooling_output_shape's (a zero stride, a
 * negative pad) per dim, then pool2d_shape_check's (kernel, stride, dilation above zero; pad at most
 * half the kernel).
 */
function checkPool2d(k: readonly number[], s: readonly number[], p: readonly number[], d: readonly number[]): void {
  for (let i = 0; i < 2; i++) {
    if (s[i] === 0) throw new RuntimeError("stride should not be zero");
    if (p[i]! < 0) throw new RuntimeError(`pad must be non-negative, but got pad: ${p[i]}`);
  }
  if (!(k[0]! > 0 && k[1]! > 0)) throw new RuntimeError(`kernel size should be greater than zero, but got kH: ${k[0]} kW: ${k[1]}`);
  if (!(s[0]! > 0 && s[1]! > 0)) throw new RuntimeError(`stride should be greater than zero, but got dH: ${s[0]} dW: ${s[1]}`);
  if (!(d[0]! > 0 && d[1]! > 0)) throw new RuntimeError(`dilation should be greater than zero, but got dilationH: ${d[0]} dilationW: ${d[1]}`);
  for (let i = 0; i < 2; i++)
    if (p[i]! > k[i]! / 2) throw new RuntimeError(`pad should be at most half of kernel size, but got pad=${p[i]} and kernel_size=${k[i]}`);
}

/** Output size with ceil mode's rule: the last window must start inside the input or left padding. */
function poolOut(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  let o = outSize(n, 2 * p, d, k, s, ceil);
  if (ceil && (o - 1) * s >= n + p) o--;
  return o;
}

export interface MaxPoolOptions {
  stride?: IntOrPair | null;
  padding?: IntOrPair;
  dilation?: IntOrPair;
  ceilMode?: boolean;
  /** [values, indices] as F.max_pool2d_with_indices gives them (pooling_extra.ts), for nn.MaxUnpool2d. */
  returnIndices?: boolean;
}

/** Max pooling; ties go to the first position in the window, as in PyTorch. With returnIndices, [values, indices]. */
export function maxPool2d(input: Tensor, kernelSize: IntOrPair, opts: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: IntOrPair, opts?: MaxPoolOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(input: Tensor, kernelSize: IntOrPair, opts?: MaxPoolOptions): Tensor | [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: IntOrPair, opts: MaxPoolOptions = {}): Tensor | [Tensor, Tensor] {
  if (opts.returnIndices) return maxPool2dWithIndices(input, kernelSize, opts);
  const k = pair(kernelSize, 2, "kernel_size");
  const s = opts.stride === undefined || opts.stride === null || (Array.isArray(opts.stride) && opts.stride.length === 0) ? k : pair(opts.stride, 2, "stride");
  const p = pair(opts.padding ?? 0, 2, "padding"), d = pair(opts.dilation ?? 1, 2, "dilation");
  const ceil = opts.ceilMode ?? false;
  checkPool2d(k, s, p, d);
  const { x4, unbatched } = pool2dInput(input, "max_pool2d");
  const [B, , H, W] = x4 as [number, number, number, number];
  const OH = poolOut(H, k[0]!, s[0]!, p[0]!, d[0]!, ceil), OW = poolOut(W, k[1]!, s[1]!, p[1]!, d[1]!, ceil);
  if (OH <= 0 || OW <= 0)
    throw new RuntimeError(`Given input size: (${[input.size(-3), H, W].join("x")}). Calculated output size: (${[input.size(-3), OH, OW].join("x")}). Output size is too small`);
  // extra bottom/right padding so every (ceil-mode) window stays inside the buffer
  const needH = (OH - 1) * s[0]! + d[0]! * (k[0]! - 1) + 1, needW = (OW - 1) * s[1]! + d[1]! * (k[1]! - 1) + 1;
  const pad: Padding2 = [p[0]!, Math.max(p[0]!, needH - H - p[0]!), p[1]!, Math.max(p[1]!, needW - W - p[1]!)];
  const geo = geometry(x4, k, s, d, pad, OH, OW, 1);
  const KK = k[0]! * k[1]!, L = OH * OW;
  const outShape = [...input.shape.slice(0, -2), OH, OW];
  const win: Window2d = { N: B, C: 1, H, W, OH, OW, kh: k[0]!, kw: k[1]!, sh: s[0]!, sw: s[1]!, dh: d[0]!, dw: d[1]!, padT: p[0]!, padL: p[1]! };
  const fast = backend().maxPool2d !== undefined && fusable([input]);
  // fused: `at` holds where each maximum came from in its plane (h * W + w); composed: `arg`, its
  // position in the window
  let at: Tensor | null = null, arg: Tensor | null = null;
  const y = noGrad(() => {
    if (fast) {
      const r = backend().maxPool2d!(input.reshape(x4)._view(), win);
      at = fromStorage(r.indices, [B, L], int64);
      return fromStorage(r.values, outShape, input.dtype);
    }
    const cols = im2col(input.reshape(x4), geo, -Infinity).view(B, KK, L);
    const [v, i] = cols.max(1) as unknown as [Tensor, Tensor];
    arg = i;
    return v.reshape(outShape);
  });
  void unbatched;
  return record("MaxPool2DWithIndicesBackward0", [input], y, (g) => {
    if (at !== null) {
      const be = backend();
      if (be.maxPool2dBackward !== undefined && fusedBackward(g, input))
        return [fromStorage(be.maxPool2dBackward(g.reshape(B, 1, OH, OW)._view(), at._view(), win), input.shape as number[], input.dtype)];
      // differentiable (create_graph): the gradient added at each maximum's place
      return [zeros([B, H * W], { dtype: g.dtype }).scatterAdd(1, at, g.reshape(B, L)).reshape(input.shape)];
    }
    const gc = zeros([B, KK, L], { dtype: g.dtype }).scatter(1, arg!.unsqueeze(1), g.reshape(B, 1, L));
    return [col2im(gc, geo).reshape(input.shape)];
  });
}

export interface AvgPoolOptions {
  stride?: IntOrPair | null;
  padding?: IntOrPair;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/** Average pooling; zero padding counts in the divisor unless countIncludePad is false. */
export function avgPool2d(input: Tensor, kernelSize: IntOrPair, opts: AvgPoolOptions = {}): Tensor {
  const k = pair(kernelSize, 2, "kernel_size");
  const s = opts.stride === undefined || opts.stride === null || (Array.isArray(opts.stride) && opts.stride.length === 0) ? k : pair(opts.stride, 2, "stride");
  const p = pair(opts.padding ?? 0, 2, "padding");
  const ceil = opts.ceilMode ?? false;
  const cip = opts.countIncludePad ?? true;
  checkPool2d(k, s, p, [1, 1]);
  const { x4 } = pool2dInput(input, "avg_pool2d");
  const [B, , H, W] = x4 as [number, number, number, number];
  const OH = poolOut(H, k[0]!, s[0]!, p[0]!, 1, ceil), OW = poolOut(W, k[1]!, s[1]!, p[1]!, 1, ceil);
  if (OH <= 0 || OW <= 0)
    throw new RuntimeError(`Given input size: (${[input.size(-3), H, W].join("x")}). Calculated output size: (${[input.size(-3), OH, OW].join("x")}). Output size is too small`);
  const needH = (OH - 1) * s[0]! + k[0]!, needW = (OW - 1) * s[1]! + k[1]!;
  const pad: Padding2 = [p[0]!, Math.max(p[0]!, needH - H - p[0]!), p[1]!, Math.max(p[1]!, needW - W - p[1]!)];
  const geo = geometry(x4, k, s, [1, 1], pad, OH, OW, 1);
  const KK = k[0]! * k[1]!, L = OH * OW;
  // the divisor of each window, as PyTorch's avg_pool2d kernel computes it
  const div = new Array<number>(L);
  for (let oh = 0; oh < OH; oh++)
    for (let ow = 0; ow < OW; ow++) {
      let hs = oh * s[0]! - p[0]!, ws = ow * s[1]! - p[1]!;
      let he = Math.min(hs + k[0]!, H + p[0]!), we = Math.min(ws + k[1]!, W + p[1]!);
      const poolSize = (he - hs) * (we - ws);
      hs = Math.max(hs, 0); ws = Math.max(ws, 0); he = Math.min(he, H); we = Math.min(we, W);
      div[oh * OW + ow] = opts.divisorOverride ? opts.divisorOverride : cip ? poolSize : (he - hs) * (we - ws);
    }
  const divT = tensor(div, { dtype: input.dtype }).view(1, 1, L);
  const outShape = [...input.shape.slice(0, -2), OH, OW];
  const win: Window2d = { N: B, C: 1, H, W, OH, OW, kh: k[0]!, kw: k[1]!, sh: s[0]!, sw: s[1]!, dh: 1, dw: 1, padT: p[0]!, padL: p[1]! };
  const divisor = opts.divisorOverride || 0;
  const fast = backend().avgPool2d !== undefined && fusable([input]);
  const y = noGrad(() =>
    fast
      ? fromStorage(backend().avgPool2d!(input.reshape(x4)._view(), win, cip, divisor), outShape, input.dtype)
      : im2col(input.reshape(x4), geo, 0).view(B, KK, L).sum(1, true).div(divT).reshape(outShape),
  );
  return record("AvgPool2DBackward0", [input], y, (g) => {
    const be = backend();
    if (be.avgPool2dBackward !== undefined && fusedBackward(g, input) && fusable([input]))
      return [fromStorage(be.avgPool2dBackward(g.reshape(B, 1, OH, OW)._view(), win, cip, divisor), input.shape as number[], input.dtype)];
    return [col2im(g.reshape(B, 1, L).div(divT).expand(B, KK, L), geo).reshape(input.shape)];
  });
}

/**
 * Adaptive average pooling: output cell i averages input rows floor(i*H/OH) to ceil((i+1)*H/OH).
 * Computed as one matmul with a fixed averaging matrix.
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  const { x4 } = pool2dInput(input, "adaptive_avg_pool2d");
  const [B, , H, W] = x4 as [number, number, number, number];
  const os = typeof outputSize === "number" ? [outputSize, outputSize] : outputSize.length === 1 ? [outputSize[0]!, outputSize[0]!] : [...outputSize];
  if (os.length !== 2) throw new ValueError("adaptive_avg_pool2d: output_size must be 2");
  const OH = os[0] ?? H, OW = os[1] ?? W;
  // NOTE: PyTorch special-cases a 1x1 output as a mean over the last two dims (MeanBackward1)
  if (OH === 1 && OW === 1) return input.mean([-1, -2], true);
  const A = new Array<number>(OH * OW * H * W).fill(0);
  for (let oh = 0; oh < OH; oh++) {
    const h0 = Math.floor((oh * H) / OH), h1 = Math.ceil(((oh + 1) * H) / OH);
    for (let ow = 0; ow < OW; ow++) {
      const w0 = Math.floor((ow * W) / OW), w1 = Math.ceil(((ow + 1) * W) / OW);
      const c = 1 / ((h1 - h0) * (w1 - w0));
      for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) A[(oh * OW + ow) * H * W + h * W + w] = c;
    }
  }
  const At = tensor(A, { dtype: input.dtype }).view(OH * OW, H * W);
  const outShape = [...input.shape.slice(0, -2), OH, OW];
  const y = noGrad(() => input.reshape(B, H * W).matmul(At.t()).reshape(outShape));
  return record("AdaptiveAvgPool2DBackward0", [input], y, (g) => [g.reshape(B, OH * OW).matmul(At).reshape(input.shape)]);
}

export const max_pool2d = maxPool2d;
export const avg_pool2d = avgPool2d;
export const adaptive_avg_pool2d = adaptiveAvgPool2d;
