// Resampling and rearranging for nn.functional: F.interpolate (nearest, nearest-exact, linear,
// bilinear, area), F.pixelShuffle / F.pixelUnshuffle, F.pad in all its modes, F.unfold / F.fold.
// NOTE: interpolation is separable: along each spatial dim the output gathers one (nearest) or two
// (linear) input positions, with weights computed as PyTorch 1.13's CPU kernels compute them (in the
// input's float type), so a bilinear output is the same two-by-two weighted sum as PyTorch's. The
// backwards add the gradient back with indexAdd, dim by dim; they are differentiable.
import type { Tensor } from "../tensor/tensor.js";
import { isGradEnabled, noGrad } from "../autograd/grad_mode.js";
import { record } from "../autograd/function.js";
import { empty, tensor, zeros } from "../ops/creation.js";
import { float32, int64 } from "../tensor/dtype.js";
import { IndexError, NotImplementedError, RuntimeError, TorchTypeError, ValueError } from "../errors.js";
import { pyFloat } from "./module.js";
import { adaptiveAvgPool2d } from "./conv_functional.js";
import { adaptiveAvgPool1d } from "./pooling_extra.js";
import { col2im, constantPadNd, im2col, prod, type WindowsNd } from "./windows_nd.js";
import { bilinearDirect, tapsAlong, tapsAlongAdjoint, type Tap } from "./dim_kernels.js";

const shapeStr = (s: readonly number[]) => `[${s.join(", ")}]`;
/** How PyTorch's C++ prints a tensor in a message: `[ torch.FloatTensor{2,0,4} ]`. */
const cppTensor = (t: Tensor) => `[ torch.${t.dtype.scalarName}Tensor{${t.shape.join(",")}} ]`;
function floatKernel(t: Tensor, name: string): void {
  if (t.dtype.name !== "float32" && t.dtype.name !== "float64") throw new RuntimeError(`"${name}" not implemented for '${t.dtype.scalarName}'`);
}

// ---------------------------------------------------------------- interpolate
export type InterpolateMode = "nearest" | "nearest-exact" | "linear" | "bilinear" | "bicubic" | "trilinear" | "area";

export interface InterpolateOptions {
  size?: number | readonly number[] | null;
  scaleFactor?: number | readonly number[] | null;
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
  recomputeScaleFactor?: boolean | null;
  antialias?: boolean;
}

/**
 * One gathering node: along each spatial dim i (from `first`), output position o reads input
 * position idx[i][o]. The backward adds the gradient back, dim by dim (indexAdd), at bwdIdx (the
 * same positions, but for PyTorch 1.13's nearest upsampling: see nearestIndices).
 */
function gatherNd(name: string, input: Tensor, idx: number[][], first = 2, bwdIdx: number[][] = idx): Tensor {
  const tap = (v: number[]): Tap[] => [{ idx: Int32Array.from(v), w: null }];
  const y = noGrad(() => idx.reduce((t, ix, i) => tapsAlong(t, first + i, tap(ix)), input));
  return record(name, [input], y, (g) => {
    let r = g;
    if (!isGradEnabled()) {
      for (let i = idx.length - 1; i >= 0; i--) r = tapsAlongAdjoint(r, first + i, input.size(first + i), tap(bwdIdx[i]!));
      return [r];
    }
    // under create_graph: the same sums as differentiable ops
    const bwdT = bwdIdx.map((v) => tensor(v, { dtype: int64 }));
    for (let i = idx.length - 1; i >= 0; i--) {
      const shape = r.shape.slice();
      shape[first + i] = input.size(first + i);
      r = zeros(shape, { dtype: r.dtype }).indexAdd(first + i, bwdT[i]!, r);
    }
    return [r];
  });
}

interface LinearTaps { i0: number[]; i1: number[]; l0: Tensor; l1: Tensor; taps: Tap[] }

/**
 * One linear resampling node: along each spatial dim, output o is l0[o] x[i0[o]] + l1[o] x[i1[o]],
 * applied to the last dim first, as PyTorch's kernel nests its sums ((x00 w0 + x01 w1) h0 + ...).
 */
function linearNd(name: string, input: Tensor, taps: LinearTaps[], direct: boolean): Tensor {
  const nd = taps.length;
  const w = (t: Tensor, i: number) => t.view(...taps.map((_, j) => (j === i ? -1 : 1)));
  const y = noGrad(() => {
    if (direct) return bilinearDirect(input, taps[0]!.taps as [Tap, Tap], taps[1]!.taps as [Tap, Tap]);
    let t = input;
    for (let i = nd - 1; i >= 0; i--) t = tapsAlong(t, 2 + i, taps[i]!.taps);
    return t;
  });
  return record(name, [input], y, (g) => {
    let r = g;
    if (!isGradEnabled()) {
      for (let i = 0; i < nd; i++) r = tapsAlongAdjoint(r, 2 + i, input.size(2 + i), taps[i]!.taps);
      return [r];
    }
    // under create_graph: the same sums as differentiable ops
    const ix = taps.map((t) => [tensor(t.i0, { dtype: int64 }), tensor(t.i1, { dtype: int64 })] as const);
    for (let i = 0; i < nd; i++) {
      const [a, b] = ix[i]!;
      const shape = r.shape.slice();
      shape[2 + i] = input.size(2 + i);
      r = zeros(shape, { dtype: r.dtype }).indexAdd(2 + i, a, r.mul(w(taps[i]!.l0, i))).indexAdd(2 + i, b, r.mul(w(taps[i]!.l1, i)));
    }
    return [r];
  });
}

/** Rounds to the kernel's float type (PyTorch computes scales and weights in the input's type). */
const rounder = (t: Tensor) => (t.dtype === float32 ? Math.fround : (v: number) => v);

/**
 * The source positions of nearest / nearest-exact resampling along one dim, as PyTorch 1.13's CPU
 * kernels compute them: [forward, backward]. NOTE: 1.13's nearest forward maps o to
 * floor(o * scale) with the scale in the input's float type (1 / scale_factor when one was given,
 * else in / out), but its backward uses the older nearest_idx, whose scale is a float and which
 * maps o to o when out == in and to o >> 1 when out == 2 in. With a scale_factor such as 2.3 (out
 * = 2 in) the two disagree; the gradient is PyTorch's, kept so.
 */
function nearestIndices(input: Tensor, n: number, O: number, scale: number | null, exact: boolean): [number[], number[]] {
  const f = Math.fround, r = rounder(input);
  const given = scale !== null && scale > 0;
  const scF = given ? f(1 / scale) : f(n / O);
  const bwd = new Array<number>(O);
  for (let o = 0; o < O; o++) {
    if (!exact && O === n) bwd[o] = o;
    else if (!exact && O === 2 * n) bwd[o] = o >> 1;
    else bwd[o] = Math.min(Math.floor(f((exact ? o + 0.5 : o) * scF)), n - 1);
  }
  if (exact) return [bwd, bwd];
  const sc = given ? r(1 / scale) : r(n / O);
  const fwd = new Array<number>(O);
  // floorf of the source index (a double one rounded to float first)
  for (let o = 0; o < O; o++) fwd[o] = Math.min(Math.floor(f(r(sc * o))), n - 1);
  return [fwd, bwd];
}

/**
 * PyTorch's compute_source_index_and_lambda for one dim. NOTE: as PyTorch 1.13's CPU kernel does
 * (measured against it: every weight agrees), the scale is in the input's float type but the source
 * position and its fraction are computed in double; the weights are then rounded to the input's type.
 */
function linearTaps(input: Tensor, n: number, O: number, alignCorners: boolean, scale: number | null): LinearTaps {
  const r = rounder(input);
  let sc: number;
  if (alignCorners) sc = O > 1 ? r((n - 1) / (O - 1)) : 0;
  else sc = scale !== null && scale > 0 ? r(1 / scale) : r(n / O);
  const i0 = new Array<number>(O), i1 = new Array<number>(O), l0 = new Array<number>(O), l1 = new Array<number>(O);
  for (let o = 0; o < O; o++) {
    if (O === n) {
      i0[o] = i1[o] = o;
      l0[o] = 1;
      l1[o] = 0;
      continue;
    }
    let real = alignCorners ? sc * o : sc * (o + 0.5) - 0.5;
    if (!alignCorners && real < 0) real = 0;
    const a = Math.trunc(real);
    i0[o] = a;
    i1[o] = a + (a < n - 1 ? 1 : 0);
    const lam = r(Math.min(Math.max(real - a, 0), 1));
    l1[o] = lam;
    l0[o] = r(1 - lam);
  }
  return {
    i0, i1, l0: tensor(l0, { dtype: input.dtype }), l1: tensor(l1, { dtype: input.dtype }),
    taps: [{ idx: Int32Array.from(i0), w: Float64Array.from(l0) }, { idx: Int32Array.from(i1), w: Float64Array.from(l1) }],
  };
}

const DIM_LETTERS = [["W"], ["H", "W"], ["D", "H", "W"]];

/**
 * Whether PyTorch would see the input as channels-last contiguous (its is_contiguous(ChannelsLast) /
 * ChannelsLast3d: dims of size 1 skipped), as a contiguous input with one channel is: its upsampling
 * kernels then take another path (another name in dtype errors, other roundings for bilinear).
 */
function channelsLast(t: Tensor): boolean {
  const order = t.dim() === 4 ? [1, 3, 2, 0] : t.dim() === 5 ? [1, 4, 3, 2, 0] : null;
  if (!order) return false;
  let expected = 1;
  for (const d of order) {
    const n = t.size(d);
    if (n === 1) continue;
    if (t.stride(d) !== expected) return false;
    expected *= n;
  }
  return true;
}

/** upsample_*_common_check and the kernels' empty-input check, in PyTorch 1.13's words. */
function checkUpsample(input: Tensor, out: number[], kernel: string): void {
  const nd = out.length, ins = input.shape.slice(2), L = DIM_LETTERS[nd - 1]!;
  if (ins.some((v) => !(v > 0)) || out.some((v) => !(v > 0))) {
    const f = (v: number[]) => v.map((x, i) => `${L[i]}: ${x}`).join(", ");
    // NOTE: PyTorch 1.13's 1-d message says "and output", the others "output"
    throw new RuntimeError(`Input and output sizes should be greater than 0, but got input (${f(ins)}) ${nd === 1 ? "and " : ""}output (${f(out)})`);
  }
  if (input.numel() === 0 && prod(input.shape.slice(1)) === 0)
    throw new RuntimeError(`Non-empty ${nd + 2}D data tensor expected but got a tensor with sizes ${shapeStr(input.shape)}`);
  floatKernel(input, kernel);
}

/**
 * F.interpolate: resizes (N, C, ...spatial) to `size` or by `scaleFactor` (PyTorch 1.13's rules: the
 * output size is floor(in * scale); unless recomputeScaleFactor, the kernel maps positions with the
 * given scale, else with in / out). Modes nearest, nearest-exact, linear (3-d input), bilinear (4-d),
 * area (adaptive average pooling).
 * @example
 * const x = torch.rand(1, 1, 2, 2); // (N, C, H, W)
 * F.interpolate(x, { scaleFactor: 2, mode: "bilinear" }) // (1, 1, 4, 4)
 */
export function interpolate(input: Tensor, sizeOrOpts?: number | readonly number[] | InterpolateOptions | null, opts: InterpolateOptions = {}): Tensor {
  const o: InterpolateOptions = sizeOrOpts !== null && typeof sizeOrOpts === "object" && !Array.isArray(sizeOrOpts)
    ? (sizeOrOpts as InterpolateOptions)
    : { ...opts, size: (sizeOrOpts as number | readonly number[] | null | undefined) ?? opts.size ?? null };
  const mode = o.mode ?? "nearest";
  let alignCorners = o.alignCorners ?? null;
  if (mode === "nearest" || mode === "area" || mode === "nearest-exact") {
    if (alignCorners !== null) throw new ValueError("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
  } else alignCorners ??= false;
  const dim = input.dim() - 2;
  const size = o.size ?? null, sf = o.scaleFactor ?? null;
  let outputSize: number[] | null = null, scales: number[] | null = null;
  const spatial = shapeStr(input.shape.slice(2));
  if (size !== null && sf !== null) throw new ValueError("only one of size or scale_factor should be defined");
  else if (size !== null) {
    if (typeof size !== "number") {
      if (size.length !== dim)
        throw new ValueError(
          `Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${spatial} and output size of ${shapeStr(size)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`,
        );
      outputSize = [...size];
    } else outputSize = Array<number>(Math.max(dim, 0)).fill(size);
  } else if (sf !== null) {
    if (typeof sf !== "number") {
      if (sf.length !== dim)
        throw new ValueError(
          `Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${spatial} and scale_factor of shape [${sf.map(pyFloat).join(", ")}]. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`,
        );
      scales = [...sf];
    } else scales = Array<number>(Math.max(dim, 0)).fill(sf);
  } else throw new ValueError("either size or scale_factor should be defined");
  let recompute = o.recomputeScaleFactor ?? null;
  if (recompute && size !== null) throw new ValueError("recompute_scale_factor is not meaningful with an explicit size.");
  if (mode === "area" && outputSize === null) recompute = true;
  if (recompute) {
    outputSize = scales!.map((s, i) => Math.floor(input.size(i + 2) * s));
    scales = null;
  }
  if (o.antialias && !((mode === "bilinear" || mode === "bicubic") && input.dim() === 4))
    throw new ValueError("Anti-alias option is only supported for bilinear and bicubic modes");
  // NOTE: the C++ side's compute_output_size: in * scale, truncated toward zero
  const out = outputSize ?? scales!.map((s, i) => Math.trunc(input.size(i + 2) * s));
  const sc = (i: number) => (scales ? scales[i]! : null);
  const nd = input.dim();
  if (o.antialias) throw new NotImplementedError(`typetorch: interpolate with antialias=True is not implemented`);
  if ((mode === "nearest" || mode === "nearest-exact") && nd >= 3 && nd <= 5) {
    const exact = mode === "nearest-exact";
    checkUpsample(input, out, channelsLast(input) ? `upsample_nearest${nd - 2}d_channels_last` : "compute_indices_weights_nearest");
    const idx = out.map((O, i) => nearestIndices(input, input.size(2 + i), O, sc(i), exact));
    const name = exact ? `UpsampleNearestExact${nd - 2}DBackward1` : `UpsampleNearest${nd - 2}DBackward1`;
    return gatherNd(name, input, idx.map((p) => p[0]), 2, idx.map((p) => p[1]));
  }
  if (mode === "area" && (nd === 3 || nd === 4)) return nd === 3 ? adaptiveAvgPool1d(input, out) : adaptiveAvgPool2d(input, out);
  if ((mode === "linear" && nd === 3) || (mode === "bilinear" && nd === 4)) {
    const cl = channelsLast(input);
    checkUpsample(input, out, cl ? "upsample_bilinear2d_channels_last" : "compute_indices_weights_linear");
    const taps = out.map((O, i) => linearTaps(input, input.size(2 + i), O, alignCorners!, sc(i)));
    return linearNd(nd === 3 ? "UpsampleLinear1DBackward1" : "UpsampleBilinear2DBackward1", input, taps, cl);
  }
  if ((mode === "bicubic" && nd === 4) || (mode === "trilinear" && nd === 5) || (mode === "area" && nd === 5))
    throw new NotImplementedError(`typetorch: interpolate mode '${mode}' is not implemented`);
  const need: Record<string, number> = { linear: 3, bilinear: 4, trilinear: 5 };
  if (need[mode] !== undefined && (nd === 3 || nd === 4 || nd === 5) && need[mode] !== nd)
    throw new NotImplementedError(`Got ${nd}D input, but ${mode} mode needs ${need[mode]}D input`);
  throw new NotImplementedError(
    `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${nd}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`,
  );
}

// ---------------------------------------------------------------- pixel shuffle
/** F.pixel_shuffle: (*, C r^2, H, W) -> (*, C, H r, W r). One node, PixelShuffleBackward0 (its backward is pixel_unshuffle). */
export function pixelShuffle(input: Tensor, upscaleFactor: number): Tensor {
  if (input.dim() < 3) throw new RuntimeError(`pixel_shuffle expects input to have at least 3 dimensions, but got input with ${input.dim()} dimension(s)`);
  const r = upscaleFactor;
  if (!(r > 0)) throw new RuntimeError(`pixel_shuffle expects a positive upscale_factor, but got ${r}`);
  const c = input.size(-3), r2 = r * r;
  if (c % r2 !== 0)
    throw new RuntimeError(`pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r2}`);
  const lead = input.shape.slice(0, -3), H = input.size(-2), W = input.size(-1), n = lead.length;
  const y = noGrad(() =>
    input.reshape(...lead, c / r2, r, r, H, W).permute(...lead.map((_, i) => i), n, n + 3, n + 1, n + 4, n + 2).contiguous().view(...lead, c / r2, H * r, W * r),
  );
  return record("PixelShuffleBackward0", [input], y, (g) => [pixelUnshuffle(g, r)]);
}

/** F.pixel_unshuffle: (*, C, H r, W r) -> (*, C r^2, H, W). One node, PixelUnshuffleBackward0 (its backward is pixel_shuffle). */
export function pixelUnshuffle(input: Tensor, downscaleFactor: number): Tensor {
  if (input.dim() < 3) throw new RuntimeError(`pixel_unshuffle expects input to have at least 3 dimensions, but got input with ${input.dim()} dimension(s)`);
  const r = downscaleFactor;
  if (!(r > 0)) throw new RuntimeError(`pixel_unshuffle expects a positive downscale_factor, but got ${r}`);
  const c = input.size(-3), h = input.size(-2), w = input.size(-1);
  if (h % r !== 0) throw new RuntimeError(`pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=${h} is not divisible by ${r}`);
  if (w % r !== 0) throw new RuntimeError(`pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=${w} is not divisible by ${r}`);
  const lead = input.shape.slice(0, -3), n = lead.length, H = h / r, W = w / r;
  const y = noGrad(() =>
    input.reshape(...lead, c, H, r, W, r).permute(...lead.map((_, i) => i), n, n + 2, n + 4, n + 1, n + 3).contiguous().view(...lead, c * r * r, H, W),
  );
  return record("PixelUnshuffleBackward0", [input], y, (g) => [pixelShuffle(g, r)]);
}

// ---------------------------------------------------------------- pad
export type PadMode = "constant" | "reflect" | "replicate" | "circular";

/**
 * The source index of each output position along one dim, for reflect or replicate padding with
 * (possibly negative) pads before / after, as PyTorch's kernels compute it.
 */
function padIndex(n: number, before: number, after: number, reflect: boolean): number[] {
  const O = n + before + after, iStart = Math.max(0, -before), oStart = Math.max(0, before);
  const out = new Array<number>(O);
  for (let j = 0; j < O; j++) {
    let ip: number;
    if (j < before) ip = reflect ? before * 2 - j : before;
    else if (j < n + before) ip = j;
    else ip = reflect ? (n + before - 1) * 2 - j : n + before - 1;
    out[j] = ip - oStart + iStart;
  }
  return out;
}

/** Reflection / replication padding of the last `k` dims (pads from the last dim backwards), one node. */
function indexPad(name: string, input: Tensor, pad: readonly number[], reflect: boolean): Tensor {
  const k = pad.length / 2, nd = input.dim();
  const idx: number[][] = [];
  for (let i = 0; i < k; i++) {
    const dim = nd - k + i, pi = 2 * (k - 1 - i);
    idx.push(padIndex(input.size(dim), pad[pi]!, pad[pi + 1]!, reflect));
  }
  return gatherNd(name, input, idx, nd - k);
}

function reflectionPad(input: Tensor, pad: readonly number[]): Tensor {
  const k = pad.length / 2, nd = input.dim();
  if (k === 1) {
    if (!((nd === 2 && input.size(1) !== 0) || (nd === 3 && input.size(1) !== 0 && input.size(2) !== 0)))
      throw new RuntimeError(`2D or 3D (batch mode) tensor expected for input, but got: ${cppTensor(input)}`);
  } else if (k === 2) {
    const valid = input.size(1) !== 0 && input.size(2) !== 0;
    if (!((nd === 3 && valid) || (nd === 4 && valid && input.size(3) !== 0)))
      throw new RuntimeError(`3D or 4D (batch mode) tensor expected for input, but got: ${cppTensor(input)}`);
  } else {
    const valid = input.size(1) !== 0 && input.size(2) !== 0 && input.size(3) !== 0;
    if (!((nd === 4 && input.size(0) !== 0 && valid) || (nd === 5 && valid && input.size(4) !== 0)))
      throw new RuntimeError(`Expected 4D or 5D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${shapeStr(input.shape)}`);
  }
  const size = (i: number) => input.size(nd - 1 - i); // i = 0: W, 1: H, 2: D
  // NOTE: PyTorch 1.13's 2-d check prints the input's rank where the 1-d and 3-d ones print its sizes
  const where = k === 2 ? String(nd) : shapeStr(input.shape);
  for (let i = 0; i < k; i++) {
    const a = pad[2 * i]!, b = pad[2 * i + 1]!;
    if (!(a < size(i) && b < size(i)))
      throw new RuntimeError(`Argument #${4 + 2 * i}: Padding size should be less than the corresponding input dimension, but got: padding (${a}, ${b}) at dimension ${nd - 1 - i} of input ${where}`);
  }
  const out = Array.from({ length: k }, (_, i) => size(i) + pad[2 * i]! + pad[2 * i + 1]!);
  if (k === 1 && !(out[0]! >= 1)) throw new RuntimeError(`2input (W: ${size(0)})is too small. Calculated output W: ${out[0]}`);
  if (k === 2 && !(out[0]! >= 1 || out[1]! >= 1))
    throw new RuntimeError(`input (H: ${size(1)}, W: ${size(0)})is too small.  Calculated output H: ${out[1]} W: ${out[0]}`);
  if (k === 3 && !(out[0]! >= 1 || out[1]! >= 1 || out[2]! >= 1))
    throw new RuntimeError(`input (D: ${size(2)} H: ${size(1)}, W: ${size(0)}) is too small. Calculated output D: ${out[2]} H: ${out[1]} W: ${out[0]}`);
  negativeDims(input, out, k === 2);
  floatKernel(input, `reflection_pad${k}d`);
  return indexPad(`ReflectionPad${k}DBackward0`, input, pad, true);
}

/** A negative output size: PyTorch's resize says so (reflection_pad2d's resize_ overflows instead). */
function negativeDims(input: Tensor, out: number[], overflow: boolean): void {
  if (!out.some((v) => v < 0)) return;
  if (overflow) throw new RuntimeError("numel: integer multiplication overflow");
  const shape = input.shape.slice();
  out.forEach((v, i) => (shape[shape.length - 1 - i] = v));
  throw new RuntimeError(`Trying to create tensor with negative dimension ${out.find((v) => v < 0)}: ${shapeStr(shape)}`);
}

function replicationPad(input: Tensor, pad: readonly number[]): Tensor {
  const k = pad.length / 2, nd = input.dim();
  const sizesNonZero = (from: number) => input.shape.slice(from).every((v) => v !== 0);
  if (!((nd === k + 1 && sizesNonZero(0)) || (nd === k + 2 && sizesNonZero(1))))
    throw new RuntimeError(`Expected ${k + 1}D or ${k + 2}D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${shapeStr(input.shape)}`);
  const size = (i: number) => input.size(nd - 1 - i);
  const out = Array.from({ length: k }, (_, i) => size(i) + pad[2 * i]! + pad[2 * i + 1]!);
  if (k === 1 && !(out[0]! >= 1)) throw new RuntimeError(`input (W: ${size(0)}) is too small. Calculated output W: ${out[0]}`);
  if (k === 2 && !(out[0]! >= 1 || out[1]! >= 1))
    throw new RuntimeError(`input (H: ${size(1)}, W: ${size(0)} ) is too small. Calculated output H: ${out[1]} W: ${out[0]}`);
  if (k === 3 && !(out[0]! >= 1 || out[1]! >= 1 || out[2]! >= 1))
    throw new RuntimeError(`input (D: ${size(2)} H: ${size(1)}, W: ${size(0)}) is too small. Calculated output D: ${out[2]} H: ${out[1]} W: ${out[0]}`);
  negativeDims(input, out, false);
  floatKernel(input, `replication_pad${k}d_cpu`);
  return indexPad(`ReplicationPad${k}DBackward0`, input, pad, false);
}

/**
 * PyTorch 1.13's _pad_circular, step for step: the input copied into an empty output, then each
 * padded border copied from the other side of the output (CopySlices, as PyTorch records).
 */
function circularPad(input: Tensor, pad: readonly number[]): Tensor {
  const inShape = input.shape, ndim = inShape.length - 2;
  if (pad.length + 4 !== inShape.length * 2) throw new RuntimeError(`Invalid padding size, expected ${ndim * 2} but got ${pad.length}`);
  const outShape = inShape.slice();
  for (let i = 0; i < ndim; i++) {
    const l = pad[2 * (ndim - i - 1)]!, r = pad[2 * (ndim - i - 1) + 1]!, n = inShape[2 + i]!;
    outShape[2 + i] = n + l + r;
    if (!(l <= n && r <= n)) throw new RuntimeError("Padding value causes wrapping around more than once.");
    if (!(outShape[2 + i]! >= 0)) throw new RuntimeError("Negative padding value is resulting in an empty dimension");
  }
  const out = empty(outShape, { dtype: input.dtype });
  const slice = (t: Tensor, dim: number, a: number, b: number) => t.narrow(dim, a, b - a);
  let o = out, x = input;
  for (let i = 0; i < ndim; i++) {
    const dim = ndim - i + 1, l = pad[2 * i]!, r = pad[2 * i + 1]!;
    o = slice(o, dim, Math.max(l, 0), outShape[dim]! - Math.max(r, 0));
    x = slice(x, dim, Math.max(-l, 0), inShape[dim]! - Math.max(-r, 0));
  }
  o.copy_(x);
  for (let i = 0; i < ndim; i++) {
    const dim = ndim - i + 1, l = pad[2 * i]!, r = pad[2 * i + 1]!, n = outShape[dim]!;
    if (l > 0) slice(out, dim, 0, l).copy_(slice(out, dim, n - l - Math.max(r, 0), n - Math.max(r, 0)));
    if (r > 0) slice(out, dim, n - r, n).copy_(slice(out, dim, Math.max(l, 0), Math.max(l, 0) + r));
  }
  return out;
}

/**
 * F.pad: `pad` lists (before, after) pairs from the last dim backwards, as PyTorch orders them.
 * Modes: constant (any dims, negative pads crop; ConstantPadNdBackward0), reflect and replicate
 * (the last 1, 2 or 3 dims of a (batched) input; ReflectionPad2DBackward0, ...), circular (batched
 * input; CopySlices).
 * @example
 * const x = torch.rand(1, 1, 3, 4); // (N, C, H, W)
 * F.pad(x, [1, 1, 2, 0], "reflect") // W padded by 1 on each side, H by 2 on top
 */
export function pad(input: Tensor, pad: readonly number[], mode: PadMode = "constant", value?: number | null): Tensor {
  if (pad.some((p) => !Number.isInteger(p))) throw new TorchTypeError("pad(): argument 'pad' (position 2) must be tuple of ints, not list");
  const modes = ["reflect", "constant", "replicate", "circular"];
  if (!modes.includes(mode)) throw new NotImplementedError(`Unrecognised padding mode ${mode}`);
  const nd = input.dim();
  if (pad.length % 2 !== 0) throw new RuntimeError("Padding length must be divisible by 2");
  if (pad.length > nd * 2) throw new RuntimeError("Padding length too large");
  if (mode === "constant") return constantPadNd(input, pad, value ?? 0);
  // NOTE: PyTorch 1.13 lets a value of 0 through for the other modes
  if (value !== undefined && value !== null && value !== 0) throw new RuntimeError(`Padding mode "${mode}" doesn't take in value argument`);
  const k = pad.length / 2;
  if (k >= 1 && k <= 3 && (nd === k + 1 || nd === k + 2)) {
    if (mode === "reflect") return reflectionPad(input, pad);
    if (mode === "replicate") return replicationPad(input, pad);
    return circularPad(input, pad);
  }
  throw new NotImplementedError("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
}

// ---------------------------------------------------------------- unfold / fold
type Int2 = number | readonly number[];
const pair = (v: Int2): [number, number] => (typeof v === "number" ? [v, v] : v.length === 1 ? [v[0]!, v[0]!] : [v[0]!, v[1]!]);

interface BlockArgs { k: [number, number]; d: [number, number]; p: [number, number]; s: [number, number] }

/** The sliding-block windows of an (N, C, H, W) image. */
function blocks(N: number, C: number, H: number, W: number, a: BlockArgs, OH: number, OW: number): WindowsNd {
  return { B: N, C, inSize: [H, W], outSize: [OH, OW], k: a.k, s: a.s, d: a.d, padBefore: a.p, padAfter: a.p };
}

function unfoldCore(input: Tensor, a: BlockArgs): Tensor {
  const { k, d, p, s } = a;
  if (!(k[1] > 0 && k[0] > 0)) throw new RuntimeError(`kernel size should be greater than zero, but got kernel_height: ${k[0]} kernel_width: ${k[1]}`);
  if (!(d[1] > 0 && d[0] > 0)) throw new RuntimeError(`dilation should be greater than zero, but got dilation_height: ${d[0]} dilation_width: ${d[1]}`);
  if (!(p[1] >= 0 && p[0] >= 0)) throw new RuntimeError(`padding should be non-negative, but got pad_height: ${p[0]} pad_width: ${p[1]}`);
  if (!(s[1] > 0 && s[0] > 0)) throw new RuntimeError(`stride should be greater than zero, but got stride_height: ${s[0]} stride_width: ${s[1]}`);
  const nd = input.dim();
  for (const i of [1, 2])
    if (i >= nd) throw new IndexError(`Dimension out of range (expected to be in range of [${-Math.max(nd, 1)}, ${Math.max(nd, 1) - 1}], but got ${i})`);
  const valid = input.size(1) !== 0 && input.size(2) !== 0;
  if (!((nd === 3 && input.size(0) !== 0 && valid) || (nd === 4 && valid && input.size(3) !== 0)))
    throw new RuntimeError(`Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${shapeStr(input.shape)}`);
  const H = input.size(-2), W = input.size(-1);
  const OH = Math.floor((H + 2 * p[0] - (d[0] * (k[0] - 1) + 1)) / s[0]) + 1, OW = Math.floor((W + 2 * p[1] - (d[1] * (k[1] - 1) + 1)) / s[1]) + 1;
  if (OH < 1 || OW < 1)
    throw new RuntimeError(
      `Given input with spatial size (${H}, ${H}), kernel_size=(${k[0]}, ${k[1]}), dilation=(${d[0]}, ${d[1]}), padding=(${p[0]}, ${p[1]}), calculated shape of the array of sliding blocks as (${OH}, ${OW}), but its components must be at least one.`,
    );
  floatKernel(input, "im2col_out_cpu");
  const x = nd === 3 ? input.unsqueeze(0) : input;
  const N = x.size(0), C = x.size(1);
  const geo = blocks(N, C, H, W, a, OH, OW);
  const y0 = noGrad(() => (N === 0 ? zeros([0, C * k[0] * k[1], OH * OW], { dtype: input.dtype }) : im2col(x, geo)));
  const y = nd === 3 ? noGrad(() => y0.squeeze(0)) : y0;
  return record("Im2ColBackward0", [input], y, (g) => [foldCore(g, [H, W], a)]);
}

function foldCore(input: Tensor, outputSize: [number, number], a: BlockArgs): Tensor {
  const { k, d, p, s } = a;
  const [H, W] = outputSize;
  if (!(k[1] > 0 && k[0] > 0)) throw new RuntimeError(`kernel size should be greater than zero, but got kernel_height: ${k[0]} kernel_width: ${k[1]}`);
  if (!(s[1] > 0 && s[0] > 0)) throw new RuntimeError(`stride should be greater than zero, but got stride_height: ${s[0]} stride_width: ${s[1]}`);
  if (!(d[1] > 0 && d[0] > 0)) throw new RuntimeError(`dilation should be greater than zero, but got dilation_height: ${d[0]} dilation_width: ${d[1]}`);
  if (!(p[1] >= 0 && p[0] >= 0)) throw new RuntimeError(`padding should be non-negative, but got pad_height: ${p[0]} pad_width: ${p[1]}`);
  const nd = input.dim();
  if (!((nd === 2 && input.size(0) !== 0 && input.size(1) !== 0) || (nd === 3 && input.size(1) !== 0 && input.size(2) !== 0)))
    throw new RuntimeError(`Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions for input, but got: ${shapeStr(input.shape)}`);
  const planes = input.size(-2), L = input.size(-1), KK = k[0] * k[1];
  if (planes % KK !== 0)
    throw new RuntimeError(`Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=${planes} and kernel_size=(${k[0]}, ${k[1]}).`);
  const OH = Math.floor((H + 2 * p[0] - d[0] * (k[0] - 1) - 1) / s[0]) + 1, OW = Math.floor((W + 2 * p[1] - d[1] * (k[1] - 1) - 1) / s[1]) + 1;
  const args = `output_size=(${H}, ${W}), kernel_size=(${k[0]}, ${k[1]}), dilation=(${d[0]}, ${d[1]}), padding=(${p[0]}, ${p[1]}), stride=(${s[0]}, ${s[1]})`;
  if (L !== OH * OW)
    throw new RuntimeError(`Given ${args}, expected size of input's dimension 2 to match the calculated number of sliding blocks ${OH} * ${OW} = ${OH * OW}, but got input.size(2)=${L}.`);
  if (!(OH >= 1 && OW >= 1)) throw new RuntimeError(`Given ${args}, calculated shape of the array of sliding blocks as (${OH}, ${OW}), which is too small (non-positive)`);
  if (W < 1 || H < 1) throw new RuntimeError(`Expected output spatial size to be positive, but got: output_size=(${H}, ${W}).`);
  floatKernel(input, "col2im_out_cpu");
  const cols = nd === 2 ? input.unsqueeze(0) : input;
  const N = cols.size(0), C = planes / KK;
  const geo = blocks(N, C, H, W, a, OH, OW);
  const y0 = noGrad(() => (N === 0 ? zeros([0, C, H, W], { dtype: input.dtype }) : col2im(cols, geo).contiguous()));
  const y = nd === 2 ? noGrad(() => y0.squeeze(0)) : y0;
  return record("Col2ImBackward0", [input], y, (g) => [unfoldCore(g, a)]);
}

export interface UnfoldOptions {
  dilation?: Int2;
  padding?: Int2;
  stride?: Int2;
}

/**
 * F.unfold: the sliding blocks of (N, C, H, W) (or (C, H, W)) as columns (N, C kh kw, L). One node,
 * Im2ColBackward0 (its backward is F.fold).
 */
export function unfold(input: Tensor, kernelSize: Int2, opts: UnfoldOptions = {}): Tensor {
  return unfoldCore(input, { k: pair(kernelSize), d: pair(opts.dilation ?? 1), p: pair(opts.padding ?? 0), s: pair(opts.stride ?? 1) });
}

/**
 * F.fold: sums columns (N, C kh kw, L) (or (C kh kw, L)) back into (N, C, H, W) of `outputSize`.
 * One node, Col2ImBackward0 (its backward is F.unfold).
 */
export function fold(input: Tensor, outputSize: Int2, kernelSize: Int2, opts: UnfoldOptions = {}): Tensor {
  return foldCore(input, pair(outputSize), { k: pair(kernelSize), d: pair(opts.dilation ?? 1), p: pair(opts.padding ?? 0), s: pair(opts.stride ?? 1) });
}

export const pixel_shuffle = pixelShuffle;
export const pixel_unshuffle = pixelUnshuffle;
