// nn.ConvTranspose1d/2d, nn.Conv3d, the 1-d and adaptive max pooling layers, nn.MaxUnpool2d,
// nn.Upsample (and the deprecated UpsamplingNearest2d / UpsamplingBilinear2d), nn.PixelShuffle /
// PixelUnshuffle, nn.Unfold / Fold and the padding layers, with PyTorch 1.13's parameters,
// initialization and printouts.
import type { Tensor } from "../../tensor/tensor.js";
import { emptyLasting } from "../../ops/creation.js";
import type { DType } from "../../tensor/dtype.js";
import { ValueError } from "../../errors.js";
import { Module, pyBool, pyFloat, pyTuple } from "../module.js";
import { Parameter } from "../parameter.js";
import { _ConvNd, _MaxPoolNd, pyIntOrTuple, resetConvParameters, type ConvModuleOptions } from "./conv.js";
import { conv3d, convTranspose1d, convTranspose2d } from "../conv_transpose.js";
import { adaptiveAvgPool1d, adaptiveMaxPool1d, adaptiveMaxPool2d, avgPool1d, maxPool1d, maxUnpool2d } from "../pooling_extra.js";
import { fold, interpolate, pad, pixelShuffle, pixelUnshuffle, unfold, type InterpolateMode } from "../resample.js";
import type { IntOrTuple } from "../windows_nd.js";

function tuple(v: IntOrTuple, n: number): number[] {
  return typeof v === "number" ? Array<number>(n).fill(v) : v.length === 1 ? Array<number>(n).fill(v[0]!) : [...v];
}
/** Python's repr of an output size that may hold None. */
function pySize(v: number | readonly (number | null)[]): string {
  return typeof v === "number" ? String(v) : `(${v.map((x) => x ?? "None").join(", ")}${v.length === 1 ? "," : ""})`;
}

// ---------------------------------------------------------------- transposed convolutions
export interface ConvTransposeModuleOptions {
  stride?: IntOrTuple;
  padding?: IntOrTuple;
  outputPadding?: IntOrTuple;
  groups?: number;
  bias?: boolean;
  dilation?: IntOrTuple;
  paddingMode?: "zeros";
  dtype?: DType;
}

/** Shared by ConvTranspose1d and ConvTranspose2d (PyTorch's _ConvTransposeNd). The weight is [in, out / groups, ...kernel]. */
export abstract class _ConvTransposeNd extends Module {
  declare inChannels: number;
  declare outChannels: number;
  declare kernelSize: number[];
  declare stride: number[];
  declare padding: number[];
  declare dilation: number[];
  declare outputPadding: number[];
  declare groups: number;
  declare paddingMode: string;
  declare transposed: boolean;
  declare weight: Parameter;
  declare bias: Parameter | null;
  constructor(n: number, inChannels: number, outChannels: number, kernelSize: IntOrTuple, opts: ConvTransposeModuleOptions = {}) {
    super();
    if ((opts.paddingMode ?? "zeros") !== "zeros") throw new ValueError(`Only "zeros" padding mode is supported for ${this.constructor.name}`);
    const groups = opts.groups ?? 1;
    if (groups <= 0) throw new ValueError("groups must be a positive integer");
    if (inChannels % groups !== 0) throw new ValueError("in_channels must be divisible by groups");
    if (outChannels % groups !== 0) throw new ValueError("out_channels must be divisible by groups");
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = tuple(kernelSize, n);
    this.stride = tuple(opts.stride ?? 1, n);
    this.padding = tuple(opts.padding ?? 0, n);
    this.dilation = tuple(opts.dilation ?? 1, n);
    this.transposed = true;
    this.outputPadding = tuple(opts.outputPadding ?? 0, n);
    this.groups = groups;
    this.paddingMode = "zeros";
    const o = opts.dtype ? { dtype: opts.dtype } : {};
    this.weight = new Parameter(emptyLasting([inChannels, outChannels / groups, ...this.kernelSize], o));
    if (opts.bias ?? true) this.bias = new Parameter(emptyLasting([outChannels], o));
    else this.registerParameter("bias", null);
    this.resetParameters();
  }
  /**
   * PyTorch's _ConvNd.reset_parameters: kaiming_uniform_(a = sqrt(5)) on the weight, whose fan_in is
   * then (out / groups) * prod(kernel) (dim 1 of the transposed layout), and the bias uniform in
   * +-1/sqrt(fan_in). NOTE: drawn in this order from the global generator, so manualSeed gives
   * PyTorch's values.
   */
  resetParameters(): void {
    resetConvParameters(this.weight, this.bias);
  }
  /**
   * The output padding that gives `outputSize` (PyTorch's _output_padding): the spatial sizes, or
   * with the batch and channel dims in front.
   */
  _outputPadding(input: Tensor, outputSize: readonly number[] | null | undefined): number[] {
    if (outputSize === null || outputSize === undefined) return this.outputPadding;
    const n = this.kernelSize.length;
    const nonSpatial = input.dim() === n + 2 ? 2 : 1;
    let os = [...outputSize];
    if (os.length === nonSpatial + n) os = os.slice(nonSpatial);
    if (os.length !== n) throw new ValueError(`ConvTranspose${n}D: for ${input.dim()}D input, output_size must have ${n} or ${nonSpatial + n} elements (got ${os.length})`);
    const minSizes = os.map((_, d) => (input.size(d + nonSpatial) - 1) * this.stride[d]! - 2 * this.padding[d]! + this.dilation[d]! * (this.kernelSize[d]! - 1) + 1);
    const maxSizes = minSizes.map((m, d) => m + this.stride[d]! - 1);
    os.forEach((size, i) => {
      if (size < minSizes[i]! || size > maxSizes[i]!)
        throw new ValueError(
          `requested an output size of [${os.join(", ")}], but valid sizes range from [${minSizes.join(", ")}] to [${maxSizes.join(", ")}] (for an input of torch.Size([${input.shape.slice(2).join(", ")}]))`,
        );
    });
    return os.map((s, d) => s - minSizes[d]!);
  }
  override extraRepr(): string {
    const all = (v: number[], x: number) => v.every((e) => e === x);
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (!all(this.padding, 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (!all(this.dilation, 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (!all(this.outputPadding, 0)) s += `, output_padding=${pyTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += `, bias=${pyBool(false)}`;
    return s;
  }
}

/** nn.ConvTranspose1d: weight [in, out / groups, k], bias [out]. */
export class ConvTranspose1d extends _ConvTransposeNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, opts: ConvTransposeModuleOptions = {}) {
    super(1, inChannels, outChannels, kernelSize, opts);
  }
  override forward(input: Tensor, outputSize?: readonly number[] | null): Tensor {
    const outputPadding = this._outputPadding(input, outputSize);
    return convTranspose1d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding, outputPadding, groups: this.groups, dilation: this.dilation });
  }
}

/** nn.ConvTranspose2d: weight [in, out / groups, kh, kw], bias [out]; forward(input, outputSize?). */
export class ConvTranspose2d extends _ConvTransposeNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, opts: ConvTransposeModuleOptions = {}) {
    super(2, inChannels, outChannels, kernelSize, opts);
  }
  override forward(input: Tensor, outputSize?: readonly number[] | null): Tensor {
    const outputPadding = this._outputPadding(input, outputSize);
    return convTranspose2d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding, outputPadding, groups: this.groups, dilation: this.dilation });
  }
}

/** nn.Conv3d: weight [out, in / groups, kd, kh, kw], bias [out]. */
export class Conv3d extends _ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, opts: ConvModuleOptions = {}) {
    super(3, inChannels, outChannels, kernelSize, opts);
  }
  override forward(input: Tensor): Tensor {
    return conv3d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}

// ---------------------------------------------------------------- pooling
/** nn.MaxPool1d; with returnIndices its forward gives [values, indices]. */
export class MaxPool1d extends _MaxPoolNd {
  override forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return maxPool1d(input, this.kernelSize, this._poolOpts());
  }
}

/** nn.AvgPool1d. */
export class AvgPool1d extends Module {
  declare kernelSize: number[];
  declare stride: number[];
  declare padding: number[];
  declare ceilMode: boolean;
  declare countIncludePad: boolean;
  constructor(kernelSize: IntOrTuple, opts: { stride?: IntOrTuple | null; padding?: IntOrTuple; ceilMode?: boolean; countIncludePad?: boolean } = {}) {
    super();
    // NOTE: PyTorch's AvgPool1d keeps its sizes as 1-tuples (_single), which its printout shows
    this.kernelSize = tuple(kernelSize, 1);
    this.stride = tuple(opts.stride ?? kernelSize, 1);
    this.padding = tuple(opts.padding ?? 0, 1);
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
  }
  override forward(input: Tensor): Tensor {
    return avgPool1d(input, this.kernelSize, { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad });
  }
  override extraRepr(): string {
    return `kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}, padding=${pyTuple(this.padding)}`;
  }
}

/** nn.AdaptiveAvgPool1d. */
export class AdaptiveAvgPool1d extends Module {
  declare outputSize: IntOrTuple;
  constructor(outputSize: IntOrTuple) {
    super();
    this.outputSize = typeof outputSize === "number" ? outputSize : [...outputSize];
  }
  override forward(input: Tensor): Tensor {
    return adaptiveAvgPool1d(input, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${pyIntOrTuple(this.outputSize)}`;
  }
}

/** nn.AdaptiveMaxPool1d; with returnIndices its forward gives [values, indices]. */
export class AdaptiveMaxPool1d extends Module {
  declare outputSize: IntOrTuple;
  declare returnIndices: boolean;
  constructor(outputSize: IntOrTuple, returnIndices = false) {
    super();
    this.outputSize = typeof outputSize === "number" ? outputSize : [...outputSize];
    this.returnIndices = returnIndices;
  }
  override forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return adaptiveMaxPool1d(input, this.outputSize, this.returnIndices);
  }
  override extraRepr(): string {
    return `output_size=${pyIntOrTuple(this.outputSize)}`;
  }
}

/** nn.AdaptiveMaxPool2d (a null size keeps the input's); with returnIndices its forward gives [values, indices]. */
export class AdaptiveMaxPool2d extends Module {
  declare outputSize: number | (number | null)[];
  declare returnIndices: boolean;
  constructor(outputSize: number | readonly (number | null)[], returnIndices = false) {
    super();
    this.outputSize = typeof outputSize === "number" ? outputSize : [...outputSize];
    this.returnIndices = returnIndices;
  }
  override forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return adaptiveMaxPool2d(input, this.outputSize, this.returnIndices);
  }
  override extraRepr(): string {
    return `output_size=${pySize(this.outputSize)}`;
  }
}

/** nn.MaxUnpool2d: forward(input, indices, outputSize?) puts each value back where MaxPool2d took it. */
export class MaxUnpool2d extends Module {
  declare kernelSize: number[];
  declare stride: number[];
  declare padding: number[];
  constructor(kernelSize: IntOrTuple, opts: { stride?: IntOrTuple | null; padding?: IntOrTuple } = {}) {
    super();
    this.kernelSize = tuple(kernelSize, 2);
    this.stride = tuple(opts.stride ?? kernelSize, 2);
    this.padding = tuple(opts.padding ?? 0, 2);
  }
  override forward(input: Tensor, indices: Tensor, outputSize?: readonly number[] | null): Tensor {
    return maxUnpool2d(input, indices, this.kernelSize, { stride: this.stride, padding: this.padding, outputSize: outputSize ?? null });
  }
  override extraRepr(): string {
    return `kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}, padding=${pyTuple(this.padding)}`;
  }
}

// ---------------------------------------------------------------- resampling
export interface UpsampleOptions {
  size?: number | readonly number[] | null;
  scaleFactor?: number | readonly number[] | null;
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
  recomputeScaleFactor?: boolean | null;
}

/**
 * nn.Upsample: F.interpolate with the options given at construction.
 * @example
 * new nn.Upsample({ scaleFactor: 2, mode: "bilinear" })
 */
export class Upsample extends Module {
  declare size: number | number[] | null;
  declare scaleFactor: number | number[] | null;
  declare mode: InterpolateMode;
  declare alignCorners: boolean | null;
  declare recomputeScaleFactor: boolean | null;
  constructor(sizeOrOpts: number | readonly number[] | UpsampleOptions | null = {}, opts: UpsampleOptions = {}) {
    super();
    const o: UpsampleOptions = sizeOrOpts !== null && typeof sizeOrOpts === "object" && !Array.isArray(sizeOrOpts)
      ? (sizeOrOpts as UpsampleOptions)
      : { ...opts, size: sizeOrOpts as number | readonly number[] | null };
    const size = o.size ?? null, sf = o.scaleFactor ?? null;
    this.size = size === null || typeof size === "number" ? size : [...size];
    this.scaleFactor = sf === null || typeof sf === "number" ? sf : [...sf];
    this.mode = o.mode ?? "nearest";
    this.alignCorners = o.alignCorners ?? null;
    this.recomputeScaleFactor = o.recomputeScaleFactor ?? null;
  }
  override forward(input: Tensor): Tensor {
    return interpolate(input, { size: this.size, scaleFactor: this.scaleFactor, mode: this.mode, alignCorners: this.alignCorners, recomputeScaleFactor: this.recomputeScaleFactor });
  }
  override extraRepr(): string {
    // NOTE: PyTorch stores scale_factor as float(s), so it prints 2.0
    const sf = this.scaleFactor, sz = this.size;
    const info = sf !== null ? `scale_factor=${typeof sf === "number" ? pyFloat(sf) : `(${sf.map(pyFloat).join(", ")}${sf.length === 1 ? "," : ""})`}` : `size=${sz === null ? "None" : pyIntOrTuple(sz)}`;
    return `${info}, mode=${this.mode}`;
  }
}

/** nn.UpsamplingNearest2d (deprecated in PyTorch): Upsample with mode nearest. */
export class UpsamplingNearest2d extends Upsample {
  constructor(sizeOrOpts: number | readonly number[] | Pick<UpsampleOptions, "size" | "scaleFactor"> | null = {}, opts: Pick<UpsampleOptions, "size" | "scaleFactor"> = {}) {
    const o = sizeOrOpts !== null && typeof sizeOrOpts === "object" && !Array.isArray(sizeOrOpts) ? (sizeOrOpts as UpsampleOptions) : { ...opts, size: sizeOrOpts as number | readonly number[] | null };
    super({ size: o.size ?? null, scaleFactor: o.scaleFactor ?? null, mode: "nearest" });
  }
}

/** nn.UpsamplingBilinear2d (deprecated in PyTorch): Upsample with mode bilinear and alignCorners true. */
export class UpsamplingBilinear2d extends Upsample {
  constructor(sizeOrOpts: number | readonly number[] | Pick<UpsampleOptions, "size" | "scaleFactor"> | null = {}, opts: Pick<UpsampleOptions, "size" | "scaleFactor"> = {}) {
    const o = sizeOrOpts !== null && typeof sizeOrOpts === "object" && !Array.isArray(sizeOrOpts) ? (sizeOrOpts as UpsampleOptions) : { ...opts, size: sizeOrOpts as number | readonly number[] | null };
    super({ size: o.size ?? null, scaleFactor: o.scaleFactor ?? null, mode: "bilinear", alignCorners: true });
  }
}

/** nn.PixelShuffle. */
export class PixelShuffle extends Module {
  declare upscaleFactor: number;
  constructor(upscaleFactor: number) {
    super();
    this.upscaleFactor = upscaleFactor;
  }
  override forward(input: Tensor): Tensor {
    return pixelShuffle(input, this.upscaleFactor);
  }
  override extraRepr(): string {
    return `upscale_factor=${this.upscaleFactor}`;
  }
}

/** nn.PixelUnshuffle. */
export class PixelUnshuffle extends Module {
  declare downscaleFactor: number;
  constructor(downscaleFactor: number) {
    super();
    this.downscaleFactor = downscaleFactor;
  }
  override forward(input: Tensor): Tensor {
    return pixelUnshuffle(input, this.downscaleFactor);
  }
  override extraRepr(): string {
    return `downscale_factor=${this.downscaleFactor}`;
  }
}

type UnfoldModuleOptions = { dilation?: IntOrTuple; padding?: IntOrTuple; stride?: IntOrTuple };

/** nn.Unfold: F.unfold with the sizes given at construction. */
export class Unfold extends Module {
  declare kernelSize: IntOrTuple;
  declare dilation: IntOrTuple;
  declare padding: IntOrTuple;
  declare stride: IntOrTuple;
  constructor(kernelSize: IntOrTuple, opts: UnfoldModuleOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.dilation = opts.dilation ?? 1;
    this.padding = opts.padding ?? 0;
    this.stride = opts.stride ?? 1;
  }
  override forward(input: Tensor): Tensor {
    return unfold(input, this.kernelSize, { dilation: this.dilation, padding: this.padding, stride: this.stride });
  }
  override extraRepr(): string {
    return `kernel_size=${pyIntOrTuple(this.kernelSize)}, dilation=${pyIntOrTuple(this.dilation)}, padding=${pyIntOrTuple(this.padding)}, stride=${pyIntOrTuple(this.stride)}`;
  }
}

/** nn.Fold: F.fold with the sizes given at construction. */
export class Fold extends Module {
  declare outputSize: IntOrTuple;
  declare kernelSize: IntOrTuple;
  declare dilation: IntOrTuple;
  declare padding: IntOrTuple;
  declare stride: IntOrTuple;
  constructor(outputSize: IntOrTuple, kernelSize: IntOrTuple, opts: UnfoldModuleOptions = {}) {
    super();
    this.outputSize = outputSize;
    this.kernelSize = kernelSize;
    this.dilation = opts.dilation ?? 1;
    this.padding = opts.padding ?? 0;
    this.stride = opts.stride ?? 1;
  }
  override forward(input: Tensor): Tensor {
    return fold(input, this.outputSize, this.kernelSize, { dilation: this.dilation, padding: this.padding, stride: this.stride });
  }
  override extraRepr(): string {
    return `output_size=${pyIntOrTuple(this.outputSize)}, kernel_size=${pyIntOrTuple(this.kernelSize)}, dilation=${pyIntOrTuple(this.dilation)}, padding=${pyIntOrTuple(this.padding)}, stride=${pyIntOrTuple(this.stride)}`;
  }
}

// ---------------------------------------------------------------- padding layers
/** One int pads every side; a tuple gives (left, right, top, bottom, front, back) as F.pad orders them. */
function padTuple(padding: IntOrTuple, n: number): number[] {
  return typeof padding === "number" ? Array<number>(2 * n).fill(padding) : [...padding];
}

/** PyTorch's _ConstantPadNd. NOTE: the value prints as a JavaScript number (1, not Python's 1.0). */
abstract class _ConstantPadNd extends Module {
  declare padding: number[];
  declare value: number;
  constructor(n: number, padding: IntOrTuple, value: number) {
    super();
    this.padding = padTuple(padding, n);
    this.value = value;
  }
  override forward(input: Tensor): Tensor {
    return pad(input, this.padding, "constant", this.value);
  }
  override extraRepr(): string {
    return `padding=${pyTuple(this.padding)}, value=${this.value}`;
  }
}
/** nn.ConstantPad1d. */
export class ConstantPad1d extends _ConstantPadNd {
  constructor(padding: IntOrTuple, value: number) {
    super(1, padding, value);
  }
}
/** nn.ConstantPad2d. */
export class ConstantPad2d extends _ConstantPadNd {
  constructor(padding: IntOrTuple, value: number) {
    super(2, padding, value);
  }
}
/** nn.ConstantPad3d. */
export class ConstantPad3d extends _ConstantPadNd {
  constructor(padding: IntOrTuple, value: number) {
    super(3, padding, value);
  }
}
/** nn.ZeroPad2d: ConstantPad2d with value 0. */
export class ZeroPad2d extends ConstantPad2d {
  constructor(padding: IntOrTuple) {
    super(padding, 0);
  }
  override extraRepr(): string {
    return pyTuple(this.padding);
  }
}

/** Reflection and replication padding layers (PyTorch's _ReflectionPadNd / _ReplicationPadNd). */
abstract class _IndexPadNd extends Module {
  declare padding: number[];
  constructor(n: number, padding: IntOrTuple) {
    super();
    this.padding = padTuple(padding, n);
  }
  abstract get mode(): "reflect" | "replicate";
  override forward(input: Tensor): Tensor {
    return pad(input, this.padding, this.mode);
  }
  override extraRepr(): string {
    return pyTuple(this.padding);
  }
}
/** nn.ReflectionPad1d. */
export class ReflectionPad1d extends _IndexPadNd {
  get mode() {
    return "reflect" as const;
  }
  constructor(padding: IntOrTuple) {
    super(1, padding);
  }
}
/** nn.ReflectionPad2d. */
export class ReflectionPad2d extends _IndexPadNd {
  get mode() {
    return "reflect" as const;
  }
  constructor(padding: IntOrTuple) {
    super(2, padding);
  }
}
/** nn.ReflectionPad3d. */
export class ReflectionPad3d extends _IndexPadNd {
  get mode() {
    return "reflect" as const;
  }
  constructor(padding: IntOrTuple) {
    super(3, padding);
  }
}
/** nn.ReplicationPad1d. */
export class ReplicationPad1d extends _IndexPadNd {
  get mode() {
    return "replicate" as const;
  }
  constructor(padding: IntOrTuple) {
    super(1, padding);
  }
}
/** nn.ReplicationPad2d. */
export class ReplicationPad2d extends _IndexPadNd {
  get mode() {
    return "replicate" as const;
  }
  constructor(padding: IntOrTuple) {
    super(2, padding);
  }
}
/** nn.ReplicationPad3d. */
export class ReplicationPad3d extends _IndexPadNd {
  get mode() {
    return "replicate" as const;
  }
  constructor(padding: IntOrTuple) {
    super(3, padding);
  }
}
