// 3-d pooling for nn.functional: F.max_pool3d (with indices) and F.avg_pool3d over (N, C, T, H, W)
// or unbatched (C, T, H, W).
// NOTE: both forwards are plain loops over each (T, H, W) volume, written as PyTorch 1.13's CPU
// kernels are (DilatedMaxPool3d.cpp, AveragePool3d.cpp): windows scanned t, then h, then w; a larger
// value or a NaN takes the maximum (so a tie keeps the first in window order); an average sums in
// the input's type (each float32 add rounded, as a Float32Array store rounds) and divides once. So
// values and indices are PyTorch's bits. max_pool3d's backward adds the gradient at the recorded
// indices (scatterAdd, itself differentiable); avg_pool3d's backward is its own loop (each output's
// gradient divided once, then added to its window, output cells in order, as PyTorch's kernel does),
// recorded as a node whose backward is avg_pool3d again, so double backward works.
import type { Tensor } from "../tensor/tensor.js";
import { backend, fromStorage } from "../ops/core.js";
import { record } from "../autograd/function.js";
import { zeros } from "../ops/creation.js";
import { arrayTypeFor, int64 } from "../tensor/dtype.js";
import { RuntimeError } from "../errors.js";
import type { IntOrTuple } from "./windows_nd.js";

type Arr = Float32Array | Float64Array;
const shapeStr = (s: readonly number[]) => `[${s.join(", ")}]`;

/** PyTorch's three-int argument: one int, or exactly three (else `msg`). */
function three(v: IntOrTuple, msg: string): number[] {
  if (typeof v === "number") return [v, v, v];
  if (v.length === 1) return [v[0]!, v[0]!, v[0]!];
  if (v.length !== 3) throw new RuntimeError(msg);
  return [...v];
}
const omitted = (v: IntOrTuple | null | undefined): v is null | undefined => v === undefined || v === null || (Array.isArray(v) && v.length === 0);

/** PyTorch 1.13's pooling_output_shape (its checks first): windows along one dim. */
function poolingOutputShape(n: number, k: number, p: number, s: number, d: number, ceil: boolean): number {
  if (s === 0) throw new RuntimeError("stride should not be zero");
  if (p < 0) throw new RuntimeError(`pad must be non-negative, but got pad: ${p}`);
  if (p > Math.trunc(k / 2)) throw new RuntimeError(`pad should be at most half of kernel size, but got pad=${p} and kernel_size=${k}`);
  let o = Math.floor((n + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (o - 1) * s >= n + p) o--;
  return o;
}

/** The geometry of one 3-d pooling call, after PyTorch's checks. */
interface Geo3 {
  planes: number; T: number; H: number; W: number; OT: number; OH: number; OW: number;
  k: number[]; s: number[]; p: number[]; d: number[];
}

/** PyTorch 1.13's pool3d_shape_check, after the output sizes are computed. */
function geometry(input: Tensor, k: number[], s: number[], p: number[], d: number[], ceil: boolean, fn: string, checkInputSize: boolean): Geo3 {
  const nd = input.dim();
  if (nd !== 4 && nd !== 5) throw new RuntimeError("non-empty 4D or 5D (batch mode) tensor expected for input");
  const T = input.size(-3), H = input.size(-2), W = input.size(-1), C = input.size(-4);
  const OT = poolingOutputShape(T, k[0]!, p[0]!, s[0]!, d[0]!, ceil);
  const OH = poolingOutputShape(H, k[1]!, p[1]!, s[1]!, d[1]!, ceil);
  const OW = poolingOutputShape(W, k[2]!, p[2]!, s[2]!, d[2]!, ceil);
  if (!(k[0]! > 0 && k[2]! > 0 && k[1]! > 0)) throw new RuntimeError(`kernel size should be greater than zero, but got kT: ${k[0]} kH: ${k[1]} kW: ${k[2]}`);
  if (!(s[0]! > 0 && s[2]! > 0 && s[1]! > 0)) throw new RuntimeError(`stride should be greater than zero, but got dT: ${s[0]} dH: ${s[1]} dW: ${s[2]}`);
  if (!(d[0]! > 0 && d[2]! > 0 && d[1]! > 0))
    throw new RuntimeError(`dilation should be greater than zero, but got dilationT: ${d[0]} dilationH: ${d[1]} dilationW: ${d[2]}`);
  for (let i = 0; i < nd; i++) {
    if (nd === 5 && i === 0) continue; // the batch may be empty
    if (!(input.size(i) > 0))
      throw new RuntimeError(`${fn}: Expected input's non-batch dimensions to have positive length, but input has a shape of ${shapeStr(input.shape)} and non-batch dimension ${input.size(i)} has length zero!`);
  }
  if (checkInputSize && !(T >= k[0]! && H >= k[1]! && W >= k[2]!))
    throw new RuntimeError(`input image (T: ${T} H: ${H} W: ${W}) smaller than kernel size (kT: ${k[0]} kH: ${k[1]} kW: ${k[2]})`);
  if (!(OT >= 1 && OW >= 1 && OH >= 1))
    throw new RuntimeError(`Given input size: (${C}x${T}x${H}x${W}). Calculated output size: (${C}x${OT}x${OH}x${OW}). Output size is too small`);
  return { planes: input.numel() / (T * H * W), T, H, W, OT, OH, OW, k, s, p, d };
}

const outShape = (input: Tensor, g: Geo3) => [...input.shape.slice(0, -3), g.OT, g.OH, g.OW];

export interface MaxPool3dOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  dilation?: IntOrTuple;
  ceilMode?: boolean;
  returnIndices?: boolean;
}

/**
 * F.max_pool3d_with_indices: max pooling of (N, C, T, H, W) (or (C, T, H, W)) and where each maximum
 * came from (t * H * W + h * W + w in its volume, int64), as MaxUnpool3d takes them. One node,
 * MaxPool3DWithIndicesBackward0.
 */
export function maxPool3dWithIndices(input: Tensor, kernelSize: IntOrTuple, opts: Omit<MaxPool3dOptions, "returnIndices"> = {}): [Tensor, Tensor] {
  const k = three(kernelSize, "max_pool3d: kernel_size must either be a single int, or a tuple of three ints");
  const s = omitted(opts.stride) ? k : three(opts.stride, "max_pool3d: stride must either be omitted, a single int, or a tuple of three ints");
  const p = three(opts.padding ?? 0, "max_pool3d: padding must be either be a single int, or a tuple of three ints");
  const d = three(opts.dilation ?? 1, "max_pool3d: dilation must be either a single int, or a tuple of three ints");
  const g = geometry(input, k, s, p, d, opts.ceilMode ?? false, "max_pool3d_with_indices_out_cpu_template()", false);
  if (input.dtype.name !== "float32" && input.dtype.name !== "float64")
    throw new RuntimeError(`"max_pool3d_with_indices_cpu" not implemented for '${input.dtype.scalarName}'`);
  const { planes, T, H, W, OT, OH, OW } = g, V = T * H * W, L = OT * OH * OW;
  const x = input.contiguous()._values() as Arr;
  const A = arrayTypeFor(input.dtype);
  const out = new A(planes * L) as Arr, idx = new Float64Array(planes * L);
  // the clipped window of each output position along one dim: [start, end) by the dilation
  const range = (O: number, n: number, kk: number, ss: number, pp: number, dd: number) => {
    const st = new Int32Array(O), en = new Int32Array(O);
    for (let o = 0; o < O; o++) {
      let a = o * ss - pp;
      en[o] = Math.min(a + (kk - 1) * dd + 1, n);
      while (a < 0) a += dd;
      st[o] = a;
    }
    return [st, en] as const;
  };
  const [ts, te] = range(OT, T, k[0]!, s[0]!, p[0]!, d[0]!), [hs, he] = range(OH, H, k[1]!, s[1]!, p[1]!, d[1]!), [ws, we] = range(OW, W, k[2]!, s[2]!, p[2]!, d[2]!);
  const [dt, dh, dw] = d as [number, number, number];
  let o = 0;
  for (let b = 0; b < planes; b++) {
    const base = b * V;
    for (let ot = 0; ot < OT; ot++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++, o++) {
          const t0 = ts[ot]!, t1 = te[ot]!, h0 = hs[oh]!, h1 = he[oh]!, w0 = ws[ow]!, w1 = we[ow]!;
          let maxIndex = t0 * H * W + h0 * W + w0, maxVal = -Infinity;
          for (let t = t0; t < t1; t += dt)
            for (let h = h0; h < h1; h += dh)
              for (let w = w0; w < w1; w += dw) {
                const i = t * H * W + h * W + w, v = x[base + i]!;
                if (v > maxVal || Number.isNaN(v)) {
                  maxVal = v;
                  maxIndex = i;
                }
              }
          out[o] = maxVal;
          idx[o] = maxIndex;
        }
  }
  const be = backend(), shape = outShape(input, g);
  const values = fromStorage(be.fromValues(input.dtype, out), shape, input.dtype);
  const indices = fromStorage(be.fromValues(int64, idx), shape, int64);
  const y = record("MaxPool3DWithIndicesBackward0", [input], values, (gr) => [
    zeros([planes, V], { dtype: gr.dtype }).scatterAdd(1, indices.reshape(planes, L), gr.reshape(planes, L)).reshape(input.shape),
  ]);
  return [y, indices];
}

/** F.max_pool3d over (N, C, T, H, W) (or (C, T, H, W)); with returnIndices, [values, indices]. */
export function maxPool3d(input: Tensor, kernelSize: IntOrTuple, opts: MaxPool3dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool3d(input: Tensor, kernelSize: IntOrTuple, opts?: MaxPool3dOptions & { returnIndices?: false }): Tensor;
export function maxPool3d(input: Tensor, kernelSize: IntOrTuple, opts?: MaxPool3dOptions): Tensor | [Tensor, Tensor];
export function maxPool3d(input: Tensor, kernelSize: IntOrTuple, opts: MaxPool3dOptions = {}): Tensor | [Tensor, Tensor] {
  const r = maxPool3dWithIndices(input, kernelSize, opts);
  return opts.returnIndices ? r : r[0];
}

export interface AvgPool3dOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

interface AvgParams { g: Geo3; cip: boolean; divisor: number | null }

/** Each output cell's clipped window and divisor (PyTorch's avg_pool3d kernel); null where the window is empty. */
function avgWindows(a: AvgParams): (readonly [number, number, number, number, number, number, number] | null)[] {
  const { g, cip, divisor } = a;
  const r: (readonly [number, number, number, number, number, number, number] | null)[] = [];
  for (let ot = 0; ot < g.OT; ot++)
    for (let oh = 0; oh < g.OH; oh++)
      for (let ow = 0; ow < g.OW; ow++) {
        let t0 = ot * g.s[0]! - g.p[0]!, h0 = oh * g.s[1]! - g.p[1]!, w0 = ow * g.s[2]! - g.p[2]!;
        let t1 = Math.min(t0 + g.k[0]!, g.T + g.p[0]!), h1 = Math.min(h0 + g.k[1]!, g.H + g.p[1]!), w1 = Math.min(w0 + g.k[2]!, g.W + g.p[2]!);
        const poolSize = (t1 - t0) * (h1 - h0) * (w1 - w0);
        t0 = Math.max(t0, 0); h0 = Math.max(h0, 0); w0 = Math.max(w0, 0);
        t1 = Math.min(t1, g.T); h1 = Math.min(h1, g.H); w1 = Math.min(w1, g.W);
        if (t0 >= t1 || h0 >= h1 || w0 >= w1) {
          r.push(null);
          continue;
        }
        const div = divisor !== null ? divisor : cip ? poolSize : (t1 - t0) * (h1 - h0) * (w1 - w0);
        r.push([t0, t1, h0, h1, w0, w1, div] as const);
      }
  return r;
}

/** avg_pool3d's backward: each output's gradient divided once and added over its window (a loop). */
function avgPool3dBackward(gr: Tensor, input: Tensor, a: AvgParams): Tensor {
  const { g } = a, V = g.T * g.H * g.W, L = g.OT * g.OH * g.OW;
  const gv = gr.contiguous()._values() as Arr;
  const A = arrayTypeFor(gr.dtype);
  const out = new A(g.planes * V) as Arr;
  const win = avgWindows(a);
  for (let b = 0; b < g.planes; b++) {
    const base = b * V;
    for (let o = 0; o < L; o++) {
      const wn = win[o];
      if (!wn) continue;
      const [t0, t1, h0, h1, w0, w1, div] = wn;
      // NOTE: the quotient is stored in the gradient's type first, as PyTorch's scalar_t val is
      const val = A === Float32Array ? Math.fround(gv[b * L + o]! / div) : gv[b * L + o]! / div;
      for (let t = t0; t < t1; t++) for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) out[base + t * g.H * g.W + h * g.W + w] += val;
    }
  }
  const gx = fromStorage(backend().fromValues(gr.dtype, out), input.shape as number[], gr.dtype);
  // NOTE: avg_pool3d_backward is linear in the gradient: its own gradient is avg_pool3d of the
  // incoming one (PyTorch's AvgPool3DBackwardBackward0)
  return record("AvgPool3DBackwardBackward0", [gr], gx, (gg) => [avgForward(gg, a, gr.shape as number[])]);
}

/** The avg_pool3d loop over a checked geometry, recorded (AvgPool3DBackward0). */
function avgForward(input: Tensor, a: AvgParams, shape: number[]): Tensor {
  const { g } = a, V = g.T * g.H * g.W, L = g.OT * g.OH * g.OW;
  const x = input.contiguous()._values() as Arr;
  const A = arrayTypeFor(input.dtype);
  const out = new A(g.planes * L) as Arr;
  const isInt = !input.dtype.isFloatingPoint;
  const win = avgWindows(a);
  for (let b = 0; b < g.planes; b++) {
    const base = b * V;
    for (let o = 0; o < L; o++) {
      const wn = win[o];
      if (!wn) continue;
      const [t0, t1, h0, h1, w0, w1, div] = wn;
      let sum = 0;
      if (A === Float32Array) {
        for (let t = t0; t < t1; t++) for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) sum = Math.fround(sum + x[base + t * g.H * g.W + h * g.W + w]!);
      } else for (let t = t0; t < t1; t++) for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) sum += x[base + t * g.H * g.W + h * g.W + w]!;
      // NOTE: an int64 average is C++'s integer division (rounded toward zero)
      out[b * L + o] = isInt ? Math.trunc(sum / div) : sum / div;
    }
  }
  const y = fromStorage(backend().fromValues(input.dtype, out), shape, input.dtype);
  if (isInt) return y;
  return record("AvgPool3DBackward0", [input], y, (gr) => [avgPool3dBackward(gr, input, a)]);
}

/**
 * F.avg_pool3d over (N, C, T, H, W) (or (C, T, H, W)); zero padding counts in the divisor unless
 * countIncludePad is false; divisorOverride replaces the divisor. One node, AvgPool3DBackward0.
 */
export function avgPool3d(input: Tensor, kernelSize: IntOrTuple, opts: AvgPool3dOptions = {}): Tensor {
  const k = three(kernelSize, "avg_pool3d: kernel_size must be a single int, or a tuple of three ints");
  const s = omitted(opts.stride) ? k : three(opts.stride, "avg_pool3d: stride must be omitted, a single int, or a tuple of three ints");
  const p = three(opts.padding ?? 0, "avg_pool3d: padding must be a single int, or a tuple of three ints");
  if (input.dim() !== 4 && input.dim() !== 5) throw new RuntimeError("non-empty 4D or 5D (batch mode) tensor expected for input");
  const divisor = opts.divisorOverride ?? null;
  if (divisor === 0) throw new RuntimeError("divisor must be not zero");
  const g = geometry(input, k, s, p, [1, 1, 1], opts.ceilMode ?? false, "avg_pool3d()", true);
  const n = input.dtype.name;
  if (n !== "float32" && n !== "float64" && n !== "int64") throw new RuntimeError(`"avg_pool3d_out_frame" not implemented for '${input.dtype.scalarName}'`);
  return avgForward(input, { g, cip: opts.countIncludePad ?? true, divisor }, outShape(input, g));
}

export const max_pool3d = maxPool3d;
export const max_pool3d_with_indices = maxPool3dWithIndices;
export const avg_pool3d = avgPool3d;
