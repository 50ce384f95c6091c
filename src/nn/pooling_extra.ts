// Pooling for nn.functional beyond conv_functional's 2-d max / avg / adaptive-avg pooling: max
// pooling with indices (1-d and 2-d), 1-d average and adaptive average pooling, adaptive max
// pooling (1-d and 2-d) and max unpooling.
// NOTE: max pooling with indices and adaptive max pooling are plain loops over each plane, written
// as PyTorch 1.13's CPU kernels are (windows scanned row by row, a larger value or a NaN takes over,
// the index starts at the window's first position inside the input), so values and indices are
// PyTorch's bits. Their backwards add the gradient at the recorded indices (scatterAdd, itself
// differentiable); the 1-d forms run as 2-d of height 1 and squeeze, as PyTorch does
// (SqueezeBackward1).
import type { Tensor } from "../tensor/tensor.js";
import type { Window2d } from "../backend/backend.js";
import { backend, fromStorage } from "../ops/core.js";
import { isGradEnabled, noGrad } from "../autograd/grad_mode.js";
import { record } from "../autograd/function.js";
import { zeros } from "../ops/creation.js";
import { arrayTypeFor, int64 } from "../tensor/dtype.js";
import { RuntimeError, ValueError } from "../errors.js";
import { adaptiveAvgPool2d, avgPool2d } from "./conv_functional.js";
import type { IntOrTuple } from "./windows_nd.js";

const shapeStr = (s: readonly number[]) => `[${s.join(", ")}]`;

/** PyTorch's checkDimRange message: dims in [lo, hi). */
function checkDimRange(name: string, t: Tensor, lo: number, hi: number): void {
  if (t.dim() < lo || t.dim() >= hi)
    throw new RuntimeError(`Expected ${lo} to ${hi - 1} dimensions, but got ${t.dim()}-dimensional tensor for argument #1 'self' (while checking arguments for ${name})`);
}
/** PyTorch's check1d: an int, or a list of exactly one int. */
function one(name: string, arg: string, v: IntOrTuple): number {
  if (typeof v === "number") return v;
  if (v.length !== 1) throw new RuntimeError(`${name}() argument '${arg}' should contain one int (got ${v.length})`);
  return v[0]!;
}
function two(name: string, v: IntOrTuple, what: string): number[] {
  if (typeof v === "number") return [v, v];
  if (v.length === 1) return [v[0]!, v[0]!];
  if (v.length !== 2) throw new RuntimeError(`${name}: ${what}`);
  return [...v];
}
function floatKernel(t: Tensor, name: string): void {
  if (t.dtype.name !== "float32" && t.dtype.name !== "float64") throw new RuntimeError(`"${name}" not implemented for '${t.dtype.scalarName}'`);
}
/** The backend's plain values of a float tensor (row-major) and an allocator of its array type. */
function valuesOf(t: Tensor): Float32Array | Float64Array {
  return t.contiguous()._values() as Float32Array | Float64Array;
}
function floatArray(t: Tensor, n: number): Float32Array | Float64Array {
  const A = arrayTypeFor(t.dtype);
  return new A(n) as Float32Array | Float64Array;
}

/** floor division, rounding toward negative infinity (PyTorch's div_rtn). */
const divRtn = (a: number, b: number) => Math.floor(a / b);

/** PyTorch 1.13's pooling_output_shape (its checks first): windows along one dim. */
function poolingOutputShape(n: number, k: number, p: number, s: number, d: number, ceil: boolean): number {
  if (s === 0) throw new RuntimeError("stride should not be zero");
  if (p < 0) throw new RuntimeError(`pad must be non-negative, but got pad: ${p}`);
  if (p > Math.trunc(k / 2)) throw new RuntimeError(`pad should be at most half of kernel size, but got pad=${p} and kernel_size=${k}`);
  let o = divRtn(n + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0), s) + 1;
  if (ceil && (o - 1) * s >= n + p) o--;
  return o;
}

/**
 * Max over windows of each plane, PyTorch's CPU kernel: per output cell, rows hs[oh] .. he[oh] by
 * hstep and columns ws[ow] .. we[ow] by wstep (already clipped to the input). Values and int64
 * indices (h * W + w in the plane).
 */
function maxWindows(
  x: Float32Array | Float64Array, out: Float32Array | Float64Array, idx: Float64Array,
  planes: number, H: number, W: number, OH: number, OW: number,
  hs: Int32Array, he: Int32Array, hstep: number, ws: Int32Array, we: Int32Array, wstep: number,
): void {
  let o = 0;
  for (let b = 0; b < planes; b++) {
    const base = b * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = hs[oh]!, h1 = he[oh]!;
      for (let ow = 0; ow < OW; ow++, o++) {
        const w0 = ws[ow]!, w1 = we[ow]!;
        let maxIndex = h0 * W + w0, maxVal = -Infinity;
        for (let h = h0; h < h1; h += hstep)
          for (let w = w0; w < w1; w += wstep) {
            const i = h * W + w, v = x[base + i]!;
            if (v > maxVal || Number.isNaN(v)) {
              maxVal = v;
              maxIndex = i;
            }
          }
        out[o] = maxVal;
        idx[o] = maxIndex;
      }
    }
  }
}

/** The node of both max poolings: the gradient added at each maximum's place, differentiable. */
function recordMax(name: string, input: Tensor, values: Tensor, indices: Tensor, planes: number, L: number, HW: number): Tensor {
  return record(name, [input], values, (g) => [
    zeros([planes, HW], { dtype: g.dtype }).scatterAdd(1, indices.reshape(planes, L), g.reshape(planes, L)).reshape(input.shape),
  ]);
}

export interface MaxPool2dWithIndicesOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  dilation?: IntOrTuple;
  ceilMode?: boolean;
}

/**
 * F.max_pool2d_with_indices: max pooling of (N, C, H, W) (or (C, H, W)) and where each maximum came
 * from (h * W + w in its plane, int64), as MaxUnpool2d takes them. One node, MaxPool2DWithIndicesBackward0.
 */
export function maxPool2dWithIndices(input: Tensor, kernelSize: IntOrTuple, opts: MaxPool2dWithIndicesOptions = {}): [Tensor, Tensor] {
  const k = two("max_pool2d", kernelSize, "kernel_size must either be a single int, or a tuple of two ints");
  const s = opts.stride === undefined || opts.stride === null || (Array.isArray(opts.stride) && opts.stride.length === 0)
    ? k : two("max_pool2d", opts.stride, "stride must either be omitted, a single int, or a tuple of two ints");
  const p = two("max_pool2d", opts.padding ?? 0, "padding must either be a single int, or a tuple of two ints");
  const d = two("max_pool2d", opts.dilation ?? 1, "dilation must be either a single int, or a tuple of two ints");
  const ceil = opts.ceilMode ?? false;
  const nd = input.dim();
  if (nd !== 3 && nd !== 4) throw new RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input");
  const H = input.size(-2), W = input.size(-1), C = input.size(-3);
  const OH = poolingOutputShape(H, k[0]!, p[0]!, s[0]!, d[0]!, ceil), OW = poolingOutputShape(W, k[1]!, p[1]!, s[1]!, d[1]!, ceil);
  // pool2d_shape_check
  if (!(k[1]! > 0 && k[0]! > 0)) throw new RuntimeError(`kernel size should be greater than zero, but got kH: ${k[0]} kW: ${k[1]}`);
  if (!(s[1]! > 0 && s[0]! > 0)) throw new RuntimeError(`stride should be greater than zero, but got dH: ${s[0]} dW: ${s[1]}`);
  if (!(d[0]! > 0 && d[1]! > 0)) throw new RuntimeError(`dilation should be greater than zero, but got dilationH: ${d[0]} dilationW: ${d[1]}`);
  const valid = input.size(1) !== 0 && input.size(2) !== 0;
  if (!((nd === 3 && input.size(0) !== 0 && valid) || (nd === 4 && valid && input.size(3) !== 0)))
    throw new RuntimeError(`Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:${shapeStr(input.shape)}`);
  if (OW < 1 || OH < 1) throw new RuntimeError(`Given input size: (${C}x${H}x${W}). Calculated output size: (${C}x${OH}x${OW}). Output size is too small`);
  floatKernel(input, "max_pool2d");
  const planes = input.numel() / (H * W), L = OH * OW;
  const outShape = [...input.shape.slice(0, -2), OH, OW];
  const win: Window2d = { N: planes, C: 1, H, W, OH, OW, kh: k[0]!, kw: k[1]!, sh: s[0]!, sw: s[1]!, dh: d[0]!, dw: d[1]!, padT: p[0]!, padL: p[1]! };
  const be = backend();
  const fast = be.maxPool2d !== undefined && planes > 0;
  let values: Tensor, indices: Tensor;
  if (fast) {
    const r = be.maxPool2d!(input.reshape(planes, 1, H, W)._view(), win);
    values = fromStorage(r.values, outShape, input.dtype);
    indices = fromStorage(r.indices, outShape, int64);
  } else {
    const range = (O: number, n: number, kk: number, ss: number, pp: number, dd: number) => {
      const st = new Int32Array(O), en = new Int32Array(O);
      for (let o = 0; o < O; o++) {
        let a = o * ss - pp;
        const e = Math.min(a + (kk - 1) * dd + 1, n);
        while (a < 0) a += dd;
        st[o] = a;
        en[o] = e;
      }
      return [st, en] as const;
    };
    const [hs, he] = range(OH, H, k[0]!, s[0]!, p[0]!, d[0]!), [ws, we] = range(OW, W, k[1]!, s[1]!, p[1]!, d[1]!);
    const out = floatArray(input, planes * L), idx = new Float64Array(planes * L);
    maxWindows(valuesOf(input), out, idx, planes, H, W, OH, OW, hs, he, d[0]!, ws, we, d[1]!);
    values = fromStorage(be.fromValues(input.dtype, out), outShape, input.dtype);
    indices = fromStorage(be.fromValues(int64, idx), outShape, int64);
  }
  const y = record("MaxPool2DWithIndicesBackward0", [input], values, (g) => {
    const b = backend();
    if (b.maxPool2dBackward !== undefined && !isGradEnabled() && g.dtype === input.dtype && planes > 0)
      return [fromStorage(b.maxPool2dBackward(g.reshape(planes, 1, OH, OW)._view(), indices.reshape(planes, 1, OH, OW)._view(), win), input.shape as number[], input.dtype)];
    return [zeros([planes, H * W], { dtype: g.dtype }).scatterAdd(1, indices.reshape(planes, L), g.reshape(planes, L)).reshape(input.shape)];
  });
  return [y, indices];
}

export interface MaxPool1dOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  dilation?: IntOrTuple;
  ceilMode?: boolean;
  returnIndices?: boolean;
}

/** F.max_pool1d_with_indices: max pooling of (N, C, L) (or (C, L)) and the index of each maximum along L. */
export function maxPool1dWithIndices(input: Tensor, kernelSize: IntOrTuple, opts: Omit<MaxPool1dOptions, "returnIndices"> = {}): [Tensor, Tensor] {
  const stride = opts.stride === undefined || opts.stride === null || (Array.isArray(opts.stride) && opts.stride.length === 0) ? kernelSize : opts.stride;
  checkDimRange("max_pool1d", input, 2, 4);
  const k = one("max_pool1d", "kernel_size", kernelSize), s = one("max_pool1d", "stride", stride);
  const p = one("max_pool1d", "padding", opts.padding ?? 0), d = one("max_pool1d", "dilation", opts.dilation ?? 1);
  const [v, i] = maxPool2dWithIndices(input.unsqueeze(-2), [1, k], { stride: [1, s], padding: [0, p], dilation: [1, d], ceilMode: opts.ceilMode ?? false });
  return [v.squeeze(-2), i.squeeze(-2)];
}

/**
 * F.max_pool1d over (N, C, L) (or (C, L)); with returnIndices, [values, indices]. NOTE: as in PyTorch
 * 1.13, an input that needs no gradient takes the direct kernel (its own checks and words, and an
 * empty result where no window fits); one that needs a gradient goes through max_pool2d_with_indices.
 */
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple, opts: MaxPool1dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple, opts?: MaxPool1dOptions & { returnIndices?: false }): Tensor;
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple, opts?: MaxPool1dOptions): Tensor | [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple, opts: MaxPool1dOptions = {}): Tensor | [Tensor, Tensor] {
  if (opts.returnIndices) return maxPool1dWithIndices(input, kernelSize, opts);
  const nd = input.dim();
  if (!((nd === 2 && input.size(0) !== 0 && input.size(1) !== 0) || (nd === 3 && input.size(1) !== 0 && input.size(2) !== 0)))
    throw new RuntimeError(`max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:${shapeStr(input.shape)}`);
  if (input.requiresGrad && isGradEnabled()) return maxPool1dWithIndices(input, kernelSize, opts)[0];
  // check_max_pool1d
  const ks = typeof kernelSize === "number" ? [kernelSize] : kernelSize;
  let ss = opts.stride === undefined || opts.stride === null ? [] : typeof opts.stride === "number" ? [opts.stride] : opts.stride;
  const pv = opts.padding ?? 0, dv = opts.dilation ?? 1;
  const ps = typeof pv === "number" ? [pv] : pv, ds = typeof dv === "number" ? [dv] : dv;
  if (ks.length !== 1) throw new RuntimeError(`max_pool1d() kernel_size must be an int, list of ints or tuple of ints of size 1 but got size ${ks.length}`);
  if (ss.length > 1) throw new RuntimeError(`max_pool1d() stride must be None, an int, list of ints, or tuple of ints of size 1 but got size ${ss.length}`);
  if (ps.length !== 1) throw new RuntimeError(`max_pool1d() padding must be an int, list of ints, or tuple of ints of size 1 but got size ${ps.length}`);
  if (ds.length !== 1) throw new RuntimeError(`max_pool1d() dilation must be an int, list of ints or tuple of ints of size 1 but got size ${ds.length}`);
  if (ss.length === 0) ss = ks;
  const k = ks[0]!, s = ss[0]!, p = ps[0]!, d = ds[0]!, ceil = opts.ceilMode ?? false;
  if (!(k > 0)) throw new RuntimeError(`max_pool1d() kernel_size must be greater than zero, but got ${k}`);
  if (!(s > 0)) throw new RuntimeError(`max_pool1d() stride must be greater than zero, but got ${s}`);
  if (!(p >= 0)) throw new RuntimeError(`max_pool1d() padding must be non-negative, but got ${p}`);
  if (p > Math.trunc(k / 2)) throw new RuntimeError(`max_pool1d() padding should be at most half of kernel size, but got padding=${p} and kernel_size=${k}`);
  if (!(d > 0)) throw new RuntimeError(`max_pool1d() dilation must be greater than zero, but got ${d}`);
  const n = input.size(-1);
  let OW = divRtn(n + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0), s) + 1;
  if (ceil && (OW - 1) * s >= n + p) OW--;
  if (OW < 0) throw new RuntimeError(`max_pool1d() Invalid computed output size: ${OW}`);
  floatKernel(input, "max_pool1d_impl");
  if (OW === 0) return zeros([...input.shape.slice(0, -1), 0], { dtype: input.dtype });
  return noGrad(() => maxPool1dWithIndices(input, k, { stride: s, padding: p, dilation: d, ceilMode: ceil })[0]);
}

export interface AvgPool1dOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  ceilMode?: boolean;
  countIncludePad?: boolean;
}

/** F.avg_pool1d over (N, C, L) (or (C, L)): avg_pool2d of height 1, squeezed, as PyTorch computes it. */
export function avgPool1d(input: Tensor, kernelSize: IntOrTuple, opts: AvgPool1dOptions = {}): Tensor {
  const stride = opts.stride === undefined || opts.stride === null || (Array.isArray(opts.stride) && opts.stride.length === 0) ? kernelSize : opts.stride;
  checkDimRange("avg_pool1d", input, 2, 4);
  const k = one("avg_pool1d", "kernel_size", kernelSize), s = one("avg_pool1d", "stride", stride), p = one("avg_pool1d", "padding", opts.padding ?? 0);
  return avgPool2d(input.unsqueeze(-2), [1, k], { stride: [1, s], padding: [0, p], ceilMode: opts.ceilMode ?? false, countIncludePad: opts.countIncludePad ?? true }).squeeze(-2);
}

/** F.adaptive_avg_pool1d over (N, C, L) (or (C, L)): adaptive_avg_pool2d of height 1, squeezed, as PyTorch computes it. */
export function adaptiveAvgPool1d(input: Tensor, outputSize: IntOrTuple): Tensor {
  checkDimRange("adaptive_avg_pool1d", input, 2, 4);
  const o = one("adaptive_avg_pool1d", "output_size", outputSize);
  return adaptiveAvgPool2d(input.unsqueeze(-2), [1, o]).squeeze(-2);
}

/** F.adaptive_max_pool2d_with_indices: adaptive max pooling of (N, C, H, W) (or (C, H, W)) and where each maximum came from. */
export function adaptiveMaxPool2dWithIndices(input: Tensor, outputSize: number | readonly (number | null)[]): [Tensor, Tensor] {
  let os: number[];
  if (typeof outputSize === "number") os = [outputSize, outputSize];
  else {
    // NOTE: F's _list_with_default: None takes the input's size
    if (input.dim() <= outputSize.length) throw new ValueError(`Input dimension should be at least ${outputSize.length + 1}`);
    const tail = input.shape.slice(-outputSize.length);
    os = outputSize.map((v, i) => v ?? tail[i]!);
    if (os.length === 1) os = [os[0]!, os[0]!];
  }
  const nd = input.dim();
  if (nd !== 3 && nd !== 4) throw new RuntimeError(`adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: ${shapeStr(input.shape)}`);
  for (let i = 1; i < nd; i++)
    if (!(input.size(i) > 0))
      throw new RuntimeError(`adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${shapeStr(input.shape)} with dimension ${i} being empty`);
  if (os.length !== 2) throw new RuntimeError("adaptive_max_pool2d(): internal error: output_size.size() must be 2");
  floatKernel(input, "adaptive_max_pool2d");
  const [OH, OW] = os as [number, number];
  const H = input.size(-2), W = input.size(-1), planes = input.numel() / (H * W), L = OH * OW;
  // NOTE: PyTorch's start_index / end_index: cell i covers floor(i * n / O) .. ceil((i + 1) * n / O)
  const range = (O: number, n: number) => {
    const st = new Int32Array(O), en = new Int32Array(O);
    for (let o = 0; o < O; o++) {
      st[o] = Math.floor((o * n) / O);
      en[o] = Math.ceil(((o + 1) * n) / O);
    }
    return [st, en] as const;
  };
  const [hs, he] = range(OH, H), [ws, we] = range(OW, W);
  const out = floatArray(input, planes * L), idx = new Float64Array(planes * L);
  if (planes * L > 0) maxWindows(valuesOf(input), out, idx, planes, H, W, OH, OW, hs, he, 1, ws, we, 1);
  const be = backend(), outShape = [...input.shape.slice(0, -2), OH, OW];
  const values = fromStorage(be.fromValues(input.dtype, out), outShape, input.dtype);
  const indices = fromStorage(be.fromValues(int64, idx), outShape, int64);
  return [recordMax("AdaptiveMaxPool2DBackward0", input, values, indices, planes, L, H * W), indices];
}

/** F.adaptive_max_pool2d; with returnIndices, [values, indices]. */
export function adaptiveMaxPool2d(input: Tensor, outputSize: number | readonly (number | null)[], returnIndices: true): [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, outputSize: number | readonly (number | null)[], returnIndices?: false): Tensor;
export function adaptiveMaxPool2d(input: Tensor, outputSize: number | readonly (number | null)[], returnIndices?: boolean): Tensor | [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, outputSize: number | readonly (number | null)[], returnIndices = false): Tensor | [Tensor, Tensor] {
  const r = adaptiveMaxPool2dWithIndices(input, outputSize);
  return returnIndices ? r : r[0];
}

/** F.adaptive_max_pool1d_with_indices over (N, C, L) (or (C, L)). */
export function adaptiveMaxPool1dWithIndices(input: Tensor, outputSize: IntOrTuple): [Tensor, Tensor] {
  checkDimRange("adaptive_max_pool1d", input, 2, 4);
  const o = one("adaptive_max_pool1d", "output_size", outputSize);
  const [v, i] = adaptiveMaxPool2dWithIndices(input.unsqueeze(-2), [1, o]);
  return [v.squeeze(-2), i.squeeze(-2)];
}

/** F.adaptive_max_pool1d; with returnIndices, [values, indices]. */
export function adaptiveMaxPool1d(input: Tensor, outputSize: IntOrTuple, returnIndices: true): [Tensor, Tensor];
export function adaptiveMaxPool1d(input: Tensor, outputSize: IntOrTuple, returnIndices?: false): Tensor;
export function adaptiveMaxPool1d(input: Tensor, outputSize: IntOrTuple, returnIndices?: boolean): Tensor | [Tensor, Tensor];
export function adaptiveMaxPool1d(input: Tensor, outputSize: IntOrTuple, returnIndices = false): Tensor | [Tensor, Tensor] {
  const r = adaptiveMaxPool1dWithIndices(input, outputSize);
  return returnIndices ? r : r[0];
}

export interface MaxUnpool2dOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  outputSize?: readonly number[] | null;
}

const pyList = (v: readonly number[]) => `[${v.join(", ")}]`;

/**
 * F.max_unpool2d: the partial inverse of max pooling: each value of (N, C, H, W) (or (C, H, W)) put
 * at its index in a zero plane of the output size. One node, MaxUnpool2DBackward0 (the gradient
 * gathered back from those places).
 */
export function maxUnpool2d(input: Tensor, indices: Tensor, kernelSize: IntOrTuple, opts: MaxUnpool2dOptions = {}): Tensor {
  const pr = (v: IntOrTuple) => (typeof v === "number" ? [v, v] : v.length === 1 ? [v[0]!, v[0]!] : [...v]);
  const k = pr(kernelSize), s = opts.stride === undefined || opts.stride === null ? k : pr(opts.stride), p = pr(opts.padding ?? 0);
  // F's _unpool_output_size
  const def = k.map((kk, i) => (input.size(-k.length + i) - 1) * s[i]! + kk - 2 * p[i]!);
  let os: number[];
  if (opts.outputSize === undefined || opts.outputSize === null) os = def;
  else {
    let o = [...opts.outputSize];
    if (o.length === k.length + 2) o = o.slice(2);
    if (o.length !== k.length) throw new ValueError(`output_size should be a sequence containing ${k.length} or ${k.length + 2} elements, but it has a length of '${o.length}'`);
    for (let i = 0; i < k.length; i++) {
      const lo = def[i]! - s[i]!, hi = def[i]! + s[i]!;
      if (!(lo < o[i]! && o[i]! < hi)) throw new ValueError(`invalid output_size "${pyList(opts.outputSize)}" (dim ${i} must be between ${lo} and ${hi})`);
    }
    os = o;
  }
  const [OH, OW] = os as [number, number];
  if (indices.dtype !== int64) throw new RuntimeError(`elements in indices should be type int64 but got: ${indices.dtype.scalarName}`);
  const nd = input.dim();
  if (nd !== 3 && nd !== 4) throw new RuntimeError(`Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with ${nd} dimensions.`);
  if (input.shape.join(",") !== indices.shape.join(","))
    throw new RuntimeError(`Expected shape of indices to be same as that of the input tensor (${shapeStr(input.shape)}) but got indices tensor with shape: ${shapeStr(indices.shape)}`);
  for (let i = 1; i < nd; i++)
    if (!(input.size(i) > 0))
      throw new RuntimeError(`max_unpooling2d_forward_out_cpu(): Expected input to have non-zero size for non-batch dimensions, but got ${shapeStr(input.shape)} with dimension ${i} being empty.`);
  floatKernel(input, "max_unpooling2d_forward_out_cpu_frame");
  const H = input.size(-2), W = input.size(-1), L = H * W, planes = input.numel() / L, OL = OH * OW;
  const x = valuesOf(input), ix = indices.contiguous()._values();
  const out = floatArray(input, planes * OL);
  // NOTE: PyTorch reports the last invalid index it meets (its loop runs on, then fails)
  let bad: number | null = null;
  for (let b = 0; b < planes; b++)
    for (let i = 0; i < L; i++) {
      const m = Number(ix[b * L + i]);
      if (m < 0 || m >= OL) bad = m;
      else out[b * OL + m] = x[b * L + i]!;
    }
  if (bad !== null) throw new RuntimeError(`Found an invalid max index: ${bad} (output volumes are of size ${OH}x${OW}`);
  const y = fromStorage(backend().fromValues(input.dtype, out), [...input.shape.slice(0, -2), OH, OW], input.dtype);
  return record("MaxUnpool2DBackward0", [input], y, (g) => [g.reshape(planes, OL).gather(1, indices.reshape(planes, L)).reshape(input.shape)]);
}

export const max_pool1d = maxPool1d;
export const max_pool1d_with_indices = maxPool1dWithIndices;
export const max_pool2d_with_indices = maxPool2dWithIndices;
export const avg_pool1d = avgPool1d;
export const adaptive_avg_pool1d = adaptiveAvgPool1d;
export const adaptive_max_pool1d = adaptiveMaxPool1d;
export const adaptive_max_pool1d_with_indices = adaptiveMaxPool1dWithIndices;
export const adaptive_max_pool2d = adaptiveMaxPool2d;
export const adaptive_max_pool2d_with_indices = adaptiveMaxPool2dWithIndices;
export const max_unpool2d = maxUnpool2d;
