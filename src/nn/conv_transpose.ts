// Transposed convolutions (F.convTranspose1d / F.convTranspose2d) and F.conv3d for nn.functional.
// A transposed convolution's forward is a convolution's input gradient: the weight's transpose
// times the input gives patches of the output, which col2im adds up; its backward is a convolution
// (input gradient) and a convolution's weight gradient. The products are batched matmuls.
// NOTE: on a backend with fused conv kernels (the fast "wasm" backend), float32 / float64 1-d and 2-d
// transposed convolutions run the fused conv2d backward as their forward and the fused conv2d
// (and its weight gradient) as their backward; the composed path stays for the reference backend and
// for backward passes that must themselves be differentiable (create_graph). conv3d is composed only.
import type { Tensor } from "../tensor/tensor.js";
import type { Window2d } from "../backend/backend.js";
import { backend, fromStorage } from "../ops/core.js";
import { isGradEnabled, noGrad } from "../autograd/grad_mode.js";
import { record } from "../autograd/function.js";
import { zeros } from "../ops/creation.js";
import { RuntimeError } from "../errors.js";
import { col2im, expandParam, im2col, im2colDiff, prod, type IntOrTuple, type WindowsNd } from "./windows_nd.js";

export interface ConvTransposeOptions {
  stride?: IntOrTuple;
  padding?: IntOrTuple;
  outputPadding?: IntOrTuple;
  groups?: number;
  dilation?: IntOrTuple;
}

export interface Conv3dOptions {
  stride?: IntOrTuple;
  padding?: IntOrTuple | "valid" | "same";
  dilation?: IntOrTuple;
  groups?: number;
}

const shapeStr = (s: readonly number[]) => `[${s.join(", ")}]`;

/** Whether a fused kernel may take these tensors: all float32 or all float64, and some elements. */
function fusable(ts: readonly (Tensor | null | undefined)[]): boolean {
  const dt = ts[0]!.dtype;
  if (dt.name !== "float32" && dt.name !== "float64") return false;
  if (ts[0]!.numel() === 0) return false;
  return ts.every((t) => !t || (t.dtype === dt && t.numel() > 0));
}

/** PyTorch 1.13's check_shape_forward, the parts shared by both directions, in its order. */
function checkCommon(input: Tensor, weight: Tensor, groups: number, p: number[], op: number[] | null, s: number[]): void {
  if (p.some((v) => v < 0)) throw new RuntimeError("negative padding is not supported");
  if (op && op.some((v) => v < 0)) throw new RuntimeError("negative output_padding is not supported");
  if (s.some((v) => v <= 0)) throw new RuntimeError("non-positive stride is not supported");
  const ws = weight.shape;
  if (ws.length !== input.dim())
    throw new RuntimeError(`Expected ${ws.length}-dimensional input for ${ws.length}-dimensional weight ${shapeStr(ws)}, but got ${input.dim()}-dimensional input of size ${shapeStr(input.shape)} instead`);
  if (ws[0]! < groups) throw new RuntimeError(`Given groups=${groups}, expected weight to be at least ${groups} at dimension 0, but got weight of size ${shapeStr(ws)} instead`);
  // NOTE: PyTorch 1.13 prints this size in double brackets
  if (ws[0]! % groups !== 0) throw new RuntimeError(`Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size [${shapeStr(ws)}] instead`);
}

/**
 * Runs `f` on the input with a batch dim added when it has none (PyTorch's batchify): an unbatched
 * result is squeezed (SqueezeBackward1).
 */
function batchify(name: string, dims: number, input: Tensor, f: (x: Tensor) => Tensor): Tensor {
  if (input.dim() !== dims + 1 && input.dim() !== dims + 2)
    throw new RuntimeError(`Expected ${dims + 1}D (unbatched) or ${dims + 2}D (batched) input to ${name}, but got input of size: ${shapeStr(input.shape)}`);
  return input.dim() === dims + 1 ? f(input.unsqueeze(0)).squeeze(0) : f(input);
}

// ---------------------------------------------------------------- transposed convolution
function convTransposeNd(dims: 1 | 2, input: Tensor, weight: Tensor, bias: Tensor | null | undefined, opts: ConvTransposeOptions): Tensor {
  return batchify(`conv_transpose${dims}d`, dims, input, (x) => convTransposeBatched(dims, x, weight, bias ?? null, opts));
}

function convTransposeBatched(dims: 1 | 2, input: Tensor, weight: Tensor, bias: Tensor | null, opts: ConvTransposeOptions): Tensor {
  const groups = opts.groups ?? 1;
  if (weight.dim() < 3) throw new RuntimeError("weight should have at least three dimensions");
  if (groups <= 0) throw new RuntimeError("non-positive groups is not supported");
  const nd = weight.dim() - 2;
  const s = expandParam(opts.stride ?? 1, nd, "stride");
  const p = expandParam(opts.padding ?? 0, nd, "padding");
  const d = expandParam(opts.dilation ?? 1, nd, "dilation");
  const op = expandParam(opts.outputPadding ?? 0, nd, "output_padding");
  checkCommon(input, weight, groups, p, op, s);
  const ws = weight.shape;
  const Cin = input.size(1), Cout = ws[1]! * groups;
  if (Cin !== ws[0]) throw new RuntimeError(`Given transposed=1, weight of size ${shapeStr(ws)}, expected input${shapeStr(input.shape)} to have ${ws[0]} channels, but got ${Cin} channels instead`);
  if (bias && (bias.dim() !== 1 || bias.size(0) !== Cout))
    throw new RuntimeError(`Given transposed=1, weight of size ${shapeStr(ws)}, expected bias to be 1-dimensional with ${Cout} elements, but got bias of size ${shapeStr(bias.shape)} instead`);
  // PyTorch 1.13's slow_conv_transpose2d_shape_check (a 1-d one runs as 2-d of height 1)
  const k = ws.slice(2);
  const two = (v: number[], one: number) => (dims === 1 ? [one, v[0]!] : v);
  const [kh, kw] = two(k, 1), [sh, sw] = two(s, 1), [dh, dw] = two(d, 1), [oph, opw] = two(op, 0);
  if (!(kw! > 0 && kh! > 0)) throw new RuntimeError(`kernel size should be greater than zero, but got kernel_height: ${kh} kernel_width: ${kw}`);
  if (!(dw! > 0 && dh! > 0)) throw new RuntimeError(`dilation should be greater than zero, but got dilation_height: ${dh}, dilation_width: ${dw}`);
  if (!((opw! < sw! || opw! < dw!) && (oph! < sh! || oph! < dh!)))
    throw new RuntimeError(
      `output padding must be smaller than either stride or dilation, but got output_padding_height: ${oph} output_padding_width: ${opw} stride_height: ${sh} stride_width: ${sw} dilation_height: ${dh} dilation_width: ${dw}`,
    );
  const inSize = input.shape.slice(2);
  const outSize = inSize.map((n, i) => (n - 1) * s[i]! - 2 * p[i]! + d[i]! * (k[i]! - 1) + 1 + op[i]!);
  if (outSize.some((o) => o < 1)) {
    const two2 = (v: number[], one: number) => (dims === 1 ? [one, ...v] : v);
    throw new RuntimeError(`Given input size per channel: (${two2(inSize, 1).join(" x ")}). Calculated output size per channel: (${two2(outSize, 1).join(" x ")}). Output size is too small`);
  }
  if (weight.dtype !== input.dtype) throw new RuntimeError(`expected scalar type ${input.dtype.scalarName} but found ${weight.dtype.scalarName}`);
  if (bias && bias.dtype !== input.dtype) throw new RuntimeError(`expected scalar type ${input.dtype.scalarName} but found ${bias.dtype.scalarName}`);

  const N = input.size(0), G = groups, Cg = Cin / G, Og = Cout / G, K = prod(k), Lin = prod(inSize);
  const yShape = [N, Cout, ...outSize];
  // the convolution this one transposes: from the output [N, Cout, ...outSize] to the input's size
  const geo: WindowsNd = { B: N, C: Cout, inSize: outSize, outSize: inSize, k, s, d, padBefore: p, padAfter: p };
  const ph = dims === 1 ? 0 : p[0]!, pw = p[dims - 1]!;
  const [H, W] = dims === 1 ? [1, inSize[0]!] : inSize, [OH, OW] = dims === 1 ? [1, outSize[0]!] : outSize;
  const win: Window2d = { N, C: Cout, H: OH!, W: OW!, OH: H!, OW: W!, kh: kh!, kw: kw!, sh: sh!, sw: sw!, dh: dh!, dw: dw!, padT: ph, padL: pw };
  const x4 = [N, Cin, H!, W!], y4 = [N, Cout, OH!, OW!], w4 = [Cin, Og, kh!, kw!];
  const be = backend();
  const fast = be.conv2dBackward !== undefined && be.conv2d !== undefined && fusable([input, weight, bias]);
  const y = noGrad(() => {
    if (N === 0 || Cout === 0) return zeros(yShape, { dtype: input.dtype });
    let out: Tensor;
    if (fast) {
      // NOTE: the fused conv2d backward with only the input's gradient asked reads no input: a
      // zero-strided view of one zero stands for it
      const none = zeros([1], { dtype: input.dtype }).expand(y4);
      const [gx] = be.conv2dBackward!(input.reshape(x4)._view(), none._view(), weight.reshape(w4)._view(), win, Cin, G, [true, false, false]);
      out = fromStorage(gx!, yShape, input.dtype);
    } else {
      const cols = weight.reshape(G, Cg, Og * K).transpose(1, 2).matmul(input.reshape(N, G, Cg, Lin));
      out = col2im(cols.reshape(N, Cout * K, Lin), geo);
    }
    return bias ? out.add(bias.view(Cout, ...outSize.map(() => 1))) : out.contiguous();
  });
  return record("ConvolutionBackward0", [input, weight, bias], y, (g, _s, needs) => {
    const b = backend();
    if (!isGradEnabled() && g.dtype === input.dtype && b.conv2d !== undefined && b.conv2dBackward !== undefined && fusable([input, weight, bias]) && N > 0) {
      const g4 = g.reshape(y4)._view();
      const gx = needs(0) ? fromStorage(b.conv2d(g4, weight.reshape(w4)._view(), null, win, Cin, G), input.shape as number[], input.dtype) : null;
      const gw = needs(1) ? fromStorage(b.conv2dBackward(input.reshape(x4)._view(), g4, weight.reshape(w4)._view(), win, Cin, G, [false, true, false])[1]!, weight.shape as number[], weight.dtype) : null;
      const gb = bias && needs(2) ? g.sum([0, ...outSize.map((_, i) => 2 + i)]) : null;
      return [gx, gw, gb];
    }
    // the patches of the output's gradient: the convolution of g (with a graph under create_graph)
    const gc = needs(0) || needs(1) ? (isGradEnabled() ? im2colDiff(g, geo) : im2col(g, geo)).view(N, G, Og * K, Lin) : null;
    const gx = needs(0) ? weight.reshape(G, Cg, Og * K).matmul(gc!).reshape(input.shape) : null;
    const gw = needs(1) ? input.reshape(N, G, Cg, Lin).matmul(gc!.transpose(-1, -2)).sum(0).reshape(weight.shape) : null;
    const gb = bias && needs(2) ? g.sum([0, ...outSize.map((_, i) => 2 + i)]) : null;
    return [gx, gw, gb];
  });
}

/** F.conv_transpose1d: the transposed 1-d convolution of (N, Cin, L) (or unbatched (Cin, L)) with weight (Cin, Cout / groups, k). */
export function convTranspose1d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvTransposeOptions = {}): Tensor {
  return convTransposeNd(1, input, weight, bias, opts);
}
/** F.conv_transpose2d: the transposed 2-d convolution of (N, Cin, H, W) (or unbatched) with weight (Cin, Cout / groups, kh, kw). */
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvTransposeOptions = {}): Tensor {
  return convTransposeNd(2, input, weight, bias, opts);
}

// ---------------------------------------------------------------- conv3d
/** F.conv3d: 3-d convolution of (N, C, D, H, W) (or unbatched) with weight (O, C / groups, kd, kh, kw). One node, ConvolutionBackward0. */
export function conv3d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: Conv3dOptions = {}): Tensor {
  return batchify("conv3d", 3, input, (x) => conv3dBatched(x, weight, bias ?? null, opts));
}

function conv3dBatched(input: Tensor, weight: Tensor, bias: Tensor | null, opts: Conv3dOptions): Tensor {
  const groups = opts.groups ?? 1;
  if (weight.dim() < 3) throw new RuntimeError("weight should have at least three dimensions");
  if (groups <= 0) throw new RuntimeError("non-positive groups is not supported");
  const nd = weight.dim() - 2;
  const s = expandParam(opts.stride ?? 1, nd, "stride");
  const d = expandParam(opts.dilation ?? 1, nd, "dilation");
  const ws = weight.shape, k = ws.slice(2);
  let pb: number[], pa: number[];
  const pad = opts.padding ?? 0;
  if (typeof pad === "string") {
    if (pad === "valid") pb = pa = Array<number>(nd).fill(0);
    else if (pad === "same") {
      if (s.some((v) => v !== 1)) throw new RuntimeError("padding='same' is not supported for strided convolutions");
      // NOTE: an odd total pads one more after than before, as PyTorch does
      const tot = k.map((kk, i) => d[i]! * (kk - 1));
      pb = tot.map((t) => Math.floor(t / 2));
      pa = tot.map((t, i) => t - pb[i]!);
    } else throw new RuntimeError(`Invalid padding string: '${pad as string}'`);
  } else pb = pa = expandParam(pad, nd, "padding");
  checkCommon(input, weight, groups, pb, null, s);
  const C = input.size(1), O = ws[0]!, Cg = ws[1]!;
  if (C !== Cg * groups)
    throw new RuntimeError(`Given groups=${groups}, weight of size ${shapeStr(ws)}, expected input${shapeStr(input.shape)} to have ${Cg * groups} channels, but got ${C} channels instead`);
  if (bias && (bias.dim() !== 1 || bias.size(0) !== O))
    throw new RuntimeError(`Given weight of size ${shapeStr(ws)}, expected bias to be 1-dimensional with ${O} elements, but got bias of size ${shapeStr(bias.shape)} instead`);
  const inSize = input.shape.slice(2);
  // NOTE: PyTorch compares the symmetric padded size (the smaller pad, for 'same') with the dilated kernel
  const padded = inSize.map((n, i) => n + 2 * Math.min(pb[i]!, pa[i]!)), dk = k.map((kk, i) => d[i]! * (kk - 1) + 1);
  if (padded.some((n, i) => n < dk[i]!))
    throw new RuntimeError(`Calculated padded input size per channel: (${padded.join(" x ")}). Kernel size: (${dk.join(" x ")}). Kernel size can't be greater than actual input size`);
  if (k.some((v) => v <= 0)) throw new RuntimeError(`kernel size should be greater than zero, but got: ${k.join(" x ")} (TxHxW)`);
  if (d.some((v) => v <= 0)) throw new RuntimeError(`dilation should be greater than zero, but got ${shapeStr(d)}`);
  if (weight.dtype !== input.dtype) throw new RuntimeError(`expected scalar type ${input.dtype.scalarName} but found ${weight.dtype.scalarName}`);
  const outSize = inSize.map((n, i) => Math.floor((n + pb[i]! + pa[i]! - dk[i]!) / s[i]!) + 1);
  const N = input.size(0), G = groups, Og = O / G, K = Cg * prod(k), L = prod(outSize);
  const geo: WindowsNd = { B: N, C, inSize, outSize, k, s, d, padBefore: pb, padAfter: pa };
  let cols: Tensor | null = null;
  const y = noGrad(() => {
    if (N === 0) return zeros([N, O, ...outSize], { dtype: input.dtype });
    cols = im2col(input, geo).view(N, G, K, L);
    const out = weight.reshape(1, G, Og, K).matmul(cols).reshape(N, O, ...outSize);
    // NOTE: PyTorch 1.13's slow_conv3d takes a bias of another float type, cast to the input's
    return bias ? out.add(bias.to(input.dtype).view(O, 1, 1, 1)) : out;
  });
  return record("ConvolutionBackward0", [input, weight, bias], y, (g, _s, needs) => {
    const gy = g.reshape(N, G, Og, L);
    const gx = needs(0) ? col2im(weight.reshape(1, G, Og, K).transpose(-1, -2).matmul(gy).reshape(N, C * prod(k), L), geo).reshape(input.shape) : null;
    // under create_graph the patches are rebuilt with a graph so that double backward reaches the input
    const c = needs(1) ? (isGradEnabled() ? im2colDiff(input, geo).view(N, G, K, L) : cols ?? im2col(input, geo).view(N, G, K, L)) : null;
    const gw = needs(1) ? gy.matmul(c!.transpose(-1, -2)).sum(0).reshape(weight.shape) : null;
    const gb = bias && needs(2) ? gy.reshape(N, O, L).sum([0, 2]) : null;
    return [gx, gw, gb];
  });
}

export const conv_transpose1d = convTranspose1d;
export const conv_transpose2d = convTranspose2d;
