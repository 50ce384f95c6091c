// Normal, Uniform, Exponential and Laplace: location-scale families sampled from PyTorch's generator
// by the same kernels PyTorch calls (normal_, rand, exponential_, uniform_), so that samples under
// torch.manualSeed are PyTorch's.
import { Tensor } from "../tensor/tensor.js";
import { noGrad } from "../autograd/grad_mode.js";
import { ValueError } from "../errors.js";
import { empty, normal as torchNormal, rand, zerosLike } from "../ops/creation.js";
import { Distribution, blank, type SampleShape } from "./distribution.js";
import { constraints, type Constraint } from "./constraints.js";
import { broadcastAll, finfo, standardNormal } from "./utils.js";

const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));

/**
 * torch.distributions.Normal(loc, scale): the normal distribution N(loc, scale^2).
 * @example
 * torch.manualSeed(0);
 * new torch.distributions.Normal(torch.tensor([0.0]), torch.tensor([1.0])).sample(); // tensor([1.5410]), as PyTorch
 */
export class Normal extends Distribution {
  loc!: Tensor;
  scale!: Tensor;
  constructor(loc: Tensor | number, scale: Tensor | number, validateArgs?: boolean | null) {
    super();
    [this.loc, this.scale] = broadcastAll(loc, scale) as [Tensor, Tensor];
    const batch = typeof loc === "number" && typeof scale === "number" ? [] : this.loc.shape;
    this._init(batch, [], validateArgs);
  }
  override get argConstraints(): Record<string, Constraint> {
    return { loc: constraints.real, scale: constraints.positive };
  }
  override get support(): Constraint {
    return constraints.real;
  }
  override get hasRsample(): boolean {
    return true;
  }
  protected override _presentParam(name: string): Tensor | undefined {
    return name === "loc" ? this.loc : name === "scale" ? this.scale : undefined;
  }
  override get mean(): Tensor {
    return this.loc;
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get stddev(): Tensor {
    return this.scale;
  }
  override get variance(): Tensor {
    return this.stddev.pow(2);
  }
  override expand(batchShape: readonly number[]): Normal {
    const n = blank(this);
    n.loc = this.loc.expand(batchShape.slice());
    n.scale = this.scale.expand(batchShape.slice());
    n._init(batchShape, [], false);
    n._validateArgs = this._validateArgs;
    return n;
  }
  /** torch.normal(loc.expand(shape), scale.expand(shape)) under noGrad. */
  override sample(sampleShape: SampleShape = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    return noGrad(() => torchNormal(this.loc.expand(shape), this.scale.expand(shape)));
  }
  /** loc + eps * scale with eps = torch.empty(shape).normal_(). */
  override rsample(sampleShape: SampleShape = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    const eps = standardNormal(shape, this.loc.dtype);
    return this.loc.add(eps.mul(this.scale));
  }
  override logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const v = this.scale.pow(2);
    return value.sub(this.loc).pow(2).neg().div(v.mul(2)).sub(this.scale.log()).sub(LOG_SQRT_2PI);
  }
  override cdf(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    return value.sub(this.loc).mul(this.scale.reciprocal()).div(Math.SQRT2).erf().add(1).mul(0.5);
  }
  override entropy(): Tensor {
    return this.scale.log().add(0.5 + 0.5 * Math.log(2 * Math.PI));
  }
}

/** torch.distributions.Uniform(low, high): uniform on the half-open interval [low, high). */
export class Uniform extends Distribution {
  low!: Tensor;
  high!: Tensor;
  constructor(low: Tensor | number, high: Tensor | number, validateArgs?: boolean | null) {
    super();
    [this.low, this.high] = broadcastAll(low, high) as [Tensor, Tensor];
    const batch = typeof low === "number" && typeof high === "number" ? [] : this.low.shape;
    this._init(batch, [], validateArgs);
    if (this._validateArgs && !(noGrad(() => this.low.lt(this.high).all()).item() as unknown as boolean))
      throw new ValueError("Uniform is not defined when low>= high");
  }
  override get argConstraints(): Record<string, Constraint> {
    return { low: constraints.dependent, high: constraints.dependent };
  }
  override get support(): Constraint {
    return constraints.interval(this.low, this.high);
  }
  override get hasRsample(): boolean {
    return true;
  }
  protected override _presentParam(name: string): Tensor | undefined {
    return name === "low" ? this.low : name === "high" ? this.high : undefined;
  }
  override get mean(): Tensor {
    return this.high.add(this.low).div(2);
  }
  override get mode(): Tensor {
    return this.high.mul(NaN);
  }
  override get stddev(): Tensor {
    return this.high.sub(this.low).div(12 ** 0.5);
  }
  override get variance(): Tensor {
    return this.high.sub(this.low).pow(2).div(12);
  }
  override expand(batchShape: readonly number[]): Uniform {
    const n = blank(this);
    n.low = this.low.expand(batchShape.slice());
    n.high = this.high.expand(batchShape.slice());
    n._init(batchShape, [], false);
    n._validateArgs = this._validateArgs;
    return n;
  }
  /** low + torch.rand(shape) * (high - low). */
  override rsample(sampleShape: SampleShape = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    const r = rand(shape, { dtype: this.low.dtype });
    return this.low.add(r.mul(this.high.sub(this.low)));
  }
  override logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const lb = this.low.le(value).to(this.low.dtype);
    const ub = this.high.gt(value).to(this.low.dtype);
    return lb.mul(ub).log().sub(this.high.sub(this.low).log());
  }
  override cdf(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    return value.sub(this.low).div(this.high.sub(this.low)).clamp(0, 1);
  }
  override icdf(value: Tensor): Tensor {
    return value.mul(this.high.sub(this.low)).add(this.low);
  }
  override entropy(): Tensor {
    return this.high.sub(this.low).log();
  }
}

/** torch.distributions.Exponential(rate): density rate * exp(-rate x) on x >= 0. */
export class Exponential extends Distribution {
  rate!: Tensor;
  constructor(rate: Tensor | number, validateArgs?: boolean | null) {
    super();
    [this.rate] = broadcastAll(rate) as [Tensor];
    this._init(typeof rate === "number" ? [] : this.rate.shape, [], validateArgs);
  }
  override get argConstraints(): Record<string, Constraint> {
    return { rate: constraints.positive };
  }
  override get support(): Constraint {
    return constraints.nonnegative;
  }
  override get hasRsample(): boolean {
    return true;
  }
  protected override _presentParam(name: string): Tensor | undefined {
    return name === "rate" ? this.rate : undefined;
  }
  override get mean(): Tensor {
    return this.rate.reciprocal();
  }
  override get mode(): Tensor {
    return zerosLike(this.rate);
  }
  override get stddev(): Tensor {
    return this.rate.reciprocal();
  }
  override get variance(): Tensor {
    return this.rate.pow(-2);
  }
  override expand(batchShape: readonly number[]): Exponential {
    const n = blank(this);
    n.rate = this.rate.expand(batchShape.slice());
    n._init(batchShape, [], false);
    n._validateArgs = this._validateArgs;
    return n;
  }
  /** rate.new(shape).exponential_() / rate. */
  override rsample(sampleShape: SampleShape = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    return empty(shape, { dtype: this.rate.dtype }).exponential_().div(this.rate);
  }
  override logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    return this.rate.log().sub(this.rate.mul(value));
  }
  override cdf(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    return this.rate.neg().mul(value).exp().neg().add(1);
  }
  override icdf(value: Tensor): Tensor {
    return value.neg().add(1).log().neg().div(this.rate);
  }
  override entropy(): Tensor {
    return this.rate.log().neg().add(1.0);
  }
}

/** torch.distributions.Laplace(loc, scale): density exp(-|x - loc| / scale) / (2 scale). */
export class Laplace extends Distribution {
  loc!: Tensor;
  scale!: Tensor;
  constructor(loc: Tensor | number, scale: Tensor | number, validateArgs?: boolean | null) {
    super();
    [this.loc, this.scale] = broadcastAll(loc, scale) as [Tensor, Tensor];
    const batch = typeof loc === "number" && typeof scale === "number" ? [] : this.loc.shape;
    this._init(batch, [], validateArgs);
  }
  override get argConstraints(): Record<string, Constraint> {
    return { loc: constraints.real, scale: constraints.positive };
  }
  override get support(): Constraint {
    return constraints.real;
  }
  override get hasRsample(): boolean {
    return true;
  }
  protected override _presentParam(name: string): Tensor | undefined {
    return name === "loc" ? this.loc : name === "scale" ? this.scale : undefined;
  }
  override get mean(): Tensor {
    return this.loc;
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get variance(): Tensor {
    return this.scale.pow(2).mul(2);
  }
  override get stddev(): Tensor {
    return this.scale.mul(2 ** 0.5);
  }
  override expand(batchShape: readonly number[]): Laplace {
    const n = blank(this);
    n.loc = this.loc.expand(batchShape.slice());
    n.scale = this.scale.expand(batchShape.slice());
    n._init(batchShape, [], false);
    n._validateArgs = this._validateArgs;
    return n;
  }
  /** u = loc.new(shape).uniform_(eps - 1, 1); loc - scale * sign(u) * log1p(-|u|). */
  override rsample(sampleShape: SampleShape = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    const eps = finfo(this.loc.dtype).eps;
    const u = empty(shape, { dtype: this.loc.dtype }).uniform_(eps - 1, 1);
    return this.loc.sub(this.scale.mul(u.sign()).mul(u.abs().neg().log1p()));
  }
  override logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    return this.scale.mul(2).log().neg().sub(value.sub(this.loc).abs().div(this.scale));
  }
  override cdf(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const d = value.sub(this.loc);
    return d.sign().mul(0.5).mul(d.abs().neg().div(this.scale).expm1()).neg().add(0.5);
  }
  override icdf(value: Tensor): Tensor {
    const term = value.sub(0.5);
    return this.loc.sub(this.scale.mul(term.sign()).mul(term.abs().mul(-2).log1p()));
  }
  override entropy(): Tensor {
    return this.scale.mul(2).log().add(1);
  }
}

