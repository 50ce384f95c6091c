// nn.Conv1d, nn.Conv2d and the 2-D pooling layers.
import type { Tensor } from "../../tensor/tensor.js";
import { emptyLasting } from "../../ops/creation.js";
import type { DType } from "../../tensor/dtype.js";
import { ValueError } from "../../errors.js";
import { Module, pyBool, pyTuple } from "../module.js";
import { Parameter } from "../parameter.js";
import * as init from "../init.js";
import * as F from "../functional.js";
import type { IntOrPair } from "../conv_functional.js";

export interface ConvModuleOptions {
  stride?: IntOrPair;
  padding?: IntOrPair | "valid" | "same";
  dilation?: IntOrPair;
  groups?: number;
  bias?: boolean;
  paddingMode?: "zeros";
  dtype?: DType;
}

function tuple(v: IntOrPair, n: number): number[] {
  return typeof v === "number" ? Array(n).fill(v) : v.length === 1 ? Array(n).fill(v[0]) : [...v];
}

/**
 * @internal PyTorch's _ConvNd.reset_parameters (convolutions and transposed ones): kaiming_uniform_
 * (a = sqrt(5)) on the weight, then the bias uniform in +-1/sqrt(fan_in), drawn in this order from
 * the global generator (so manualSeed gives PyTorch's values).
 */
export function resetConvParameters(weight: Parameter, bias: Parameter | null | undefined): void {
  init.kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (!bias) return;
  const [fanIn] = init.calculateFanInAndFanOut(weight);
  if (fanIn !== 0) {
    const bound = 1 / Math.sqrt(fanIn);
    init.uniform_(bias, -bound, bound);
  }
}

/** Shared by Conv1d and Conv2d (PyTorch's _ConvNd). */
export abstract class _ConvNd extends Module {
  declare inChannels: number;
  declare outChannels: number;
  declare kernelSize: number[];
  declare stride: number[];
  declare padding: number[] | "valid" | "same";
  declare dilation: number[];
  declare groups: number;
  declare paddingMode: string;
  declare weight: Parameter;
  declare bias: Parameter | null;
  constructor(n: number, inChannels: number, outChannels: number, kernelSize: IntOrPair, opts: ConvModuleOptions = {}) {
    super();
    const groups = opts.groups ?? 1;
    if (groups <= 0) throw new ValueError("groups must be a positive integer");
    if (inChannels % groups !== 0) throw new ValueError("in_channels must be divisible by groups");
    if (outChannels % groups !== 0) throw new ValueError("out_channels must be divisible by groups");
    const padding = opts.padding ?? 0;
    if (typeof padding === "string") {
      if (padding !== "valid" && padding !== "same") throw new ValueError(`Invalid padding string '${padding}', should be one of ['valid', 'same']`);
      if (padding === "same" && tuple(opts.stride ?? 1, n).some((s) => s !== 1)) throw new ValueError("padding='same' is not supported for strided convolutions");
    }
    if ((opts.paddingMode ?? "zeros") !== "zeros") throw new ValueError(`typetorch: padding_mode '${opts.paddingMode}' is not implemented`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = tuple(kernelSize, n);
    this.stride = tuple(opts.stride ?? 1, n);
    this.padding = typeof padding === "string" ? padding : tuple(padding, n);
    this.dilation = tuple(opts.dilation ?? 1, n);
    this.groups = groups;
    this.paddingMode = "zeros";
    const o = opts.dtype ? { dtype: opts.dtype } : {};
    this.weight = new Parameter(emptyLasting([outChannels, inChannels / groups, ...this.kernelSize], o));
    if (opts.bias ?? true) this.bias = new Parameter(emptyLasting([outChannels], o));
    else this.registerParameter("bias", null);
    this.resetParameters();
  }
  /** NOTE: the same kaiming_uniform_(a = sqrt(5)) as Linear, with fan_in = (C / groups) * prod(kernel). */
  resetParameters(): void {
    resetConvParameters(this.weight, this.bias);
  }
  /** @internal */
  _convOpts(): F.ConvOptions {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups };
  }
  override extraRepr(): string {
    const n = this.kernelSize.length;
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    const zeros = (v: number[]) => v.every((x) => x === 0);
    if (typeof this.padding === "string") s += `, padding=${this.padding}`;
    else if (!zeros(this.padding)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += `, bias=${pyBool(false)}`;
    void n;
    return s;
  }
}

export class Conv1d extends _ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrPair, opts: ConvModuleOptions = {}) {
    super(1, inChannels, outChannels, kernelSize, opts);
  }
  override forward(input: Tensor): Tensor {
    return F.conv1d(input, this.weight, this.bias, this._convOpts());
  }
}

export class Conv2d extends _ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrPair, opts: ConvModuleOptions = {}) {
    super(2, inChannels, outChannels, kernelSize, opts);
  }
  override forward(input: Tensor): Tensor {
    return F.conv2d(input, this.weight, this.bias, this._convOpts());
  }
}

/** An int or a tuple as Python prints what the user gave. */
export function pyIntOrTuple(v: IntOrPair): string {
  return typeof v === "number" ? String(v) : pyTuple(v);
}

/** The options of nn.MaxPool1d/2d/3d. */
export interface MaxPoolModuleOptions { stride?: IntOrPair | null; padding?: IntOrPair; dilation?: IntOrPair; returnIndices?: boolean; ceilMode?: boolean }

/** PyTorch's _MaxPoolNd: the parameters and printout of nn.MaxPool1d/2d/3d, which differ in forward. */
export abstract class _MaxPoolNd extends Module {
  declare kernelSize: IntOrPair;
  declare stride: IntOrPair;
  declare padding: IntOrPair;
  declare dilation: IntOrPair;
  declare returnIndices: boolean;
  declare ceilMode: boolean;
  constructor(kernelSize: IntOrPair, opts: MaxPoolModuleOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.returnIndices = opts.returnIndices ?? false;
    this.ceilMode = opts.ceilMode ?? false;
  }
  /** The functional's options from the module's parameters. */
  protected _poolOpts(): { stride: IntOrPair; padding: IntOrPair; dilation: IntOrPair; ceilMode: boolean; returnIndices: boolean } {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode, returnIndices: this.returnIndices };
  }
  override extraRepr(): string {
    return `kernel_size=${pyIntOrTuple(this.kernelSize)}, stride=${pyIntOrTuple(this.stride)}, padding=${pyIntOrTuple(this.padding)}, dilation=${pyIntOrTuple(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

export class MaxPool2d extends _MaxPoolNd {
  /** The pooled tensor; with returnIndices, [values, indices] (what nn.MaxUnpool2d takes). */
  override forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return F.maxPool2d(input, this.kernelSize, this._poolOpts());
  }
}

export class AvgPool2d extends Module {
  declare kernelSize: IntOrPair;
  declare stride: IntOrPair;
  declare padding: IntOrPair;
  declare ceilMode: boolean;
  declare countIncludePad: boolean;
  declare divisorOverride: number | null;
  constructor(kernelSize: IntOrPair, opts: { stride?: IntOrPair | null; padding?: IntOrPair; ceilMode?: boolean; countIncludePad?: boolean; divisorOverride?: number | null } = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    this.divisorOverride = opts.divisorOverride ?? null;
  }
  override forward(input: Tensor): Tensor {
    return F.avgPool2d(input, this.kernelSize, { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride });
  }
  override extraRepr(): string {
    return `kernel_size=${pyIntOrTuple(this.kernelSize)}, stride=${pyIntOrTuple(this.stride)}, padding=${pyIntOrTuple(this.padding)}`;
  }
}

export class AdaptiveAvgPool2d extends Module {
  declare outputSize: number | (number | null)[];
  constructor(outputSize: number | readonly (number | null)[]) {
    super();
    this.outputSize = typeof outputSize === "number" ? outputSize : [...outputSize];
  }
  override forward(input: Tensor): Tensor {
    return F.adaptiveAvgPool2d(input, this.outputSize);
  }
  override extraRepr(): string {
    const o = this.outputSize;
    return `output_size=${typeof o === "number" ? o : `(${o.map((v) => v ?? "None").join(", ")}${o.length === 1 ? "," : ""})`}`;
  }
}
