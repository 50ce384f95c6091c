// Bernoulli, Categorical and OneHotCategorical, parameterized by probs or logits (the other one
// computed lazily, as PyTorch's lazy_property). Samples come from PyTorch's bernoulli and multinomial
// kernels, so they are PyTorch's under torch.manualSeed.
import { Tensor } from "../tensor/tensor.js";
import { enableGrad, noGrad } from "../autograd/grad_mode.js";
import { ValueError } from "../errors.js";
import { float64, int64 } from "../tensor/dtype.js";
import { arange, eye, full } from "../ops/creation.js";
import { backend, fromStorage } from "../ops/core.js";
import { broadcastShapes } from "../tensor/shape.js";
import * as rnd from "../random/index.js";
import { binaryCrossEntropyWithLogits, oneHot } from "../nn/functional.js";
import { Distribution, blank, type SampleShape } from "./distribution.js";
import { constraints, type Constraint } from "./constraints.js";
import { broadcastAll, finfo, logitsToProbs, probsToLogits } from "./utils.js";

/** Probabilities or logits, given as PyTorch's keyword arguments. */
export interface ProbsOrLogits {
  probs?: Tensor | number | null;
  logits?: Tensor | number | null;
  validateArgs?: boolean | null;
}

/** The (probs, logits, validateArgs) of `new X(probs)`, `new X(null, logits)` or `new X({ logits })`. */
function parseArgs(a: Tensor | number | null | undefined | ProbsOrLogits, b?: Tensor | number | null, v?: boolean | null): ProbsOrLogits {
  if (a !== null && a !== undefined && typeof a === "object" && !(a instanceof Tensor)) return a;
  return { probs: a ?? null, logits: b ?? null, validateArgs: v ?? null };
}

/** torch.bernoulli(p): 1 where a uniform draw is below p, in p's dtype (PyTorch's draws: see random/). */
function bernoulliOf(p: Tensor): Tensor {
  const d = p.dtype === float64 ? "float64" : "float32";
  const v = rnd.bernoulliTensor(rnd.defaultGenerator, p._values(), d, d);
  return fromStorage(backend().fromValues(p.dtype, v), p.shape.slice(), p.dtype);
}

/**
 * torch.distributions.Bernoulli(probs=None, logits=None): 1 with probability probs (or
 * sigmoid(logits)), else 0.
 * @example
 * new torch.distributions.Bernoulli(torch.tensor([0.3])).sample(); // tensor([0.]) or tensor([1.])
 * new torch.distributions.Bernoulli({ logits: torch.tensor([0.0]) }).probs; // tensor([0.5000])
 */
export class Bernoulli extends Distribution {
  private _probs?: Tensor;
  private _logits?: Tensor;
  /** the parameter given (PyTorch's _param) */
  private _given!: Tensor;
  constructor(probs?: Tensor | number | null | ProbsOrLogits, logits?: Tensor | number | null, validateArgs?: boolean | null) {
    super();
    const a = parseArgs(probs, logits, validateArgs);
    const hasP = a.probs !== null && a.probs !== undefined, hasL = a.logits !== null && a.logits !== undefined;
    if (hasP === hasL) throw new ValueError("Either `probs` or `logits` must be specified, but not both.");
    const given = (hasP ? a.probs : a.logits)!;
    const [t] = broadcastAll(given) as [Tensor];
    if (hasP) this._probs = t;
    else this._logits = t;
    this._given = t;
    this._init(typeof given === "number" ? [] : t.shape, [], a.validateArgs);
  }
  override get argConstraints(): Record<string, Constraint> {
    return { probs: constraints.unitInterval, logits: constraints.real };
  }
  override get support(): Constraint {
    return constraints.boolean;
  }
  override get hasEnumerateSupport(): boolean {
    return true;
  }
  protected override _presentParam(name: string): Tensor | undefined {
    return name === "probs" ? this._probs : name === "logits" ? this._logits : undefined;
  }
  /** probabilities (sigmoid(logits) when made from logits, computed once). */
  get probs(): Tensor {
    return (this._probs ??= enableGrad(() => logitsToProbs(this._logits!, true)));
  }
  /** log-odds (log(p) - log1p(-p) of the clamped probs when made from probs, computed once). */
  get logits(): Tensor {
    return (this._logits ??= enableGrad(() => probsToLogits(this._probs!, true)));
  }
  get paramShape(): number[] {
    return this._given.shape;
  }
  override get mean(): Tensor {
    return this.probs;
  }
  override get mode(): Tensor {
    const p = this.probs;
    return p.ge(0.5).to(p.dtype).maskedFill(p.eq(0.5), NaN);
  }
  override get variance(): Tensor {
    return this.probs.mul(this.probs.neg().add(1));
  }
  override expand(batchShape: readonly number[]): Bernoulli {
    const n = blank(this);
    if (this._probs) n._probs = n._given = this._probs.expand(batchShape.slice());
    if (this._logits) n._logits = n._given = this._logits.expand(batchShape.slice());
    n._init(batchShape, [], false);
    n._validateArgs = this._validateArgs;
    return n;
  }
  /** torch.bernoulli(probs.expand(shape)) under noGrad. */
  override sample(sampleShape: SampleShape = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    return noGrad(() => bernoulliOf(this.probs.expand(shape)));
  }
  override logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const [l, v] = broadcastAll(this.logits, value) as [Tensor, Tensor];
    return binaryCrossEntropyWithLogits(l, v, { reduction: "none" }).neg();
  }
  override entropy(): Tensor {
    return binaryCrossEntropyWithLogits(this.logits, this.probs, { reduction: "none" });
  }
  override enumerateSupport(expand = true): Tensor {
    const values = arange(2, { dtype: this._given.dtype }).view([-1, ...this._batchShape.map(() => 1)]);
    return expand ? values.expand([-1, ...this._batchShape]) : values;
  }
}

/**
 * torch.distributions.Categorical(probs=None, logits=None): one of K categories (the last dim of the
 * parameter), probs normalized to sum to 1 (logits to logsumexp 0).
 * @example
 * torch.manualSeed(0);
 * new torch.distributions.Categorical(torch.tensor([0.25, 0.25, 0.5])).sample([4]); // PyTorch's draws
 */
export class Categorical extends Distribution {
  private _probs?: Tensor;
  private _logits?: Tensor;
  private _given!: Tensor;
  /** K, the number of categories */
  _numEvents!: number;
  constructor(probs?: Tensor | null | ProbsOrLogits, logits?: Tensor | null, validateArgs?: boolean | null) {
    super();
    const a = parseArgs(probs, logits, validateArgs);
    const hasP = a.probs !== null && a.probs !== undefined, hasL = a.logits !== null && a.logits !== undefined;
    if (hasP === hasL) throw new ValueError("Either `probs` or `logits` must be specified, but not both.");
    if (hasP) {
      const p = a.probs as Tensor;
      if (p.dim() < 1) throw new ValueError("`probs` parameter must be at least one-dimensional.");
      this._given = this._probs = p.div(p.sum(-1, true));
    } else {
      const l = a.logits as Tensor;
      if (l.dim() < 1) throw new ValueError("`logits` parameter must be at least one-dimensional.");
      this._given = this._logits = l.sub(l.logsumexp(-1, true));
    }
    this._numEvents = this._given.shape[this._given.dim() - 1]!;
    const batch = this._given.dim() > 1 ? this._given.shape.slice(0, -1) : [];
    this._init(batch, [], a.validateArgs);
  }
  override get argConstraints(): Record<string, Constraint> {
    return { probs: constraints.simplex, logits: constraints.realVector };
  }
  override get support(): Constraint {
    return constraints.integerInterval(0, this._numEvents - 1);
  }
  override get hasEnumerateSupport(): boolean {
    return true;
  }
  protected override _presentParam(name: string): Tensor | undefined {
    return name === "probs" ? this._probs : name === "logits" ? this._logits : undefined;
  }
  /** normalized probabilities (softmax(logits) when made from logits, computed once). */
  get probs(): Tensor {
    return (this._probs ??= enableGrad(() => logitsToProbs(this._logits!)));
  }
  /** normalized log-probabilities (log of the clamped probs when made from probs, computed once). */
  get logits(): Tensor {
    return (this._logits ??= enableGrad(() => probsToLogits(this._probs!)));
  }
  /** the parameter given (PyTorch's _param) */
  get _param(): Tensor {
    return this._given;
  }
  get paramShape(): number[] {
    return this._given.shape;
  }
  override get mean(): Tensor {
    return full(this._extendedShape(), NaN, { dtype: this.probs.dtype });
  }
  override get mode(): Tensor {
    return this.probs.argmax(-1);
  }
  override get variance(): Tensor {
    return full(this._extendedShape(), NaN, { dtype: this.probs.dtype });
  }
  override expand(batchShape: readonly number[]): Categorical {
    const n = blank(this);
    const paramShape = [...batchShape, this._numEvents];
    if (this._probs) n._probs = n._given = this._probs.expand(paramShape);
    if (this._logits) n._logits = n._given = this._logits.expand(paramShape);
    n._numEvents = this._numEvents;
    n._init(batchShape, [], false);
    n._validateArgs = this._validateArgs;
    return n;
  }
  /** torch.multinomial(probs.reshape(-1, K), sampleShape.numel(), True).T, reshaped. */
  override sample(sampleShape: SampleShape = []): Tensor {
    const n = sampleShape.reduce((a, b) => a * b, 1);
    return noGrad(() => {
      const probs2d = this.probs.reshape([-1, this._numEvents]);
      return probs2d.multinomial(n, true).t().reshape(this._extendedShape(sampleShape));
    });
  }
  override logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const v = value.long().unsqueeze(-1);
    const shape = broadcastShapes(v.shape, this.logits.shape);
    const vb = v.expand(shape).narrow(-1, 0, 1);
    const logPmf = this.logits.expand(shape);
    return logPmf.gather(-1, vb).squeeze(-1);
  }
  override entropy(): Tensor {
    const minReal = finfo(this.logits.dtype).min;
    const logits = this.logits.clamp(minReal);
    return logits.mul(this.probs).sum(-1).neg();
  }
  override enumerateSupport(expand = true): Tensor {
    const values = arange(this._numEvents, { dtype: int64 }).view([-1, ...this._batchShape.map(() => 1)]);
    return expand ? values.expand([-1, ...this._batchShape]) : values;
  }
}

/**
 * torch.distributions.OneHotCategorical(probs=None, logits=None): a Categorical whose samples are
 * one-hot vectors of length K (event shape [K]).
 */
export class OneHotCategorical extends Distribution {
  _categorical!: Categorical;
  constructor(probs?: Tensor | null | ProbsOrLogits, logits?: Tensor | null, validateArgs?: boolean | null) {
    super();
    const a = parseArgs(probs, logits, validateArgs);
    this._categorical = new Categorical(a.probs as Tensor | null, a.logits as Tensor | null);
    this._init(this._categorical.batchShape, this._categorical.paramShape.slice(-1), a.validateArgs);
  }
  override get argConstraints(): Record<string, Constraint> {
    return { probs: constraints.simplex, logits: constraints.realVector };
  }
  override get support(): Constraint {
    return constraints.oneHot;
  }
  override get hasEnumerateSupport(): boolean {
    return true;
  }
  protected override _validatedParam(name: string): Tensor | undefined {
    return name === "probs" ? this.probs : name === "logits" ? this.logits : undefined;
  }
  get probs(): Tensor {
    return this._categorical.probs;
  }
  get logits(): Tensor {
    return this._categorical.logits;
  }
  get paramShape(): number[] {
    return this._categorical.paramShape;
  }
  override get mean(): Tensor {
    return this._categorical.probs;
  }
  override get mode(): Tensor {
    const p = this._categorical.probs;
    return oneHot(p.argmax(-1), p.shape[p.dim() - 1]!).to(p.dtype);
  }
  override get variance(): Tensor {
    const p = this._categorical.probs;
    return p.mul(p.neg().add(1));
  }
  override expand(batchShape: readonly number[]): OneHotCategorical {
    const n = blank(this);
    n._categorical = this._categorical.expand(batchShape);
    n._init(batchShape, this._eventShape, false);
    n._validateArgs = this._validateArgs;
    return n;
  }
  override sample(sampleShape: SampleShape = []): Tensor {
    const probs = this._categorical.probs;
    const idx = this._categorical.sample(sampleShape);
    return oneHot(idx, this._categorical._numEvents).to(probs.dtype);
  }
  override logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const indices = (value.max(-1) as unknown as [Tensor, Tensor])[1];
    return this._categorical.logProb(indices);
  }
  override entropy(): Tensor {
    return this._categorical.entropy();
  }
  override enumerateSupport(expand = true): Tensor {
    const n = this._eventShape[0]!;
    const values = eye(n, { dtype: this._categorical._param.dtype }).view([n, ...this._batchShape.map(() => 1), n]);
    return expand ? values.expand([n, ...this._batchShape, n]) : values;
  }
}
