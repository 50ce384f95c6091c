// torch.distributions.Distribution: batch and event shapes, argument and sample validation with
// PyTorch's words, sample through rsample under noGrad, and the repr PyTorch prints.
// NOTE: TypeScript sets a subclass's fields only after super() returns, so where PyTorch's
// __init__ sets the parameters and then calls Distribution.__init__ (which validates them), a
// subclass here sets them and then calls `this._init(batchShape, eventShape, validateArgs)`.
import { Tensor } from "../tensor/tensor.js";
import { noGrad } from "../autograd/grad_mode.js";
import { NotImplementedError, ValueError } from "../errors.js";
import { Parameter } from "../nn/parameter.js";
import { isDependent, type Constraint } from "./constraints.js";
import { formatValue, sizeRepr, tupleRepr } from "./utils.js";

export type SampleShape = readonly number[];

let defaultValidateArgs = true;

/** The name Python's `type(value).__name__` gives a parameter. */
function typeName(t: Tensor): string {
  return t instanceof Parameter ? "Parameter" : "Tensor";
}

/** The abstract base class for probability distributions (torch.distributions.Distribution). */
export abstract class Distribution {
  /** Distribution.set_default_validate_args(value): PyTorch validates by default (Python's __debug__). */
  static setDefaultValidateArgs(value: boolean): void {
    if (value !== true && value !== false) throw new ValueError();
    defaultValidateArgs = value;
  }

  protected _batchShape: number[] = [];
  protected _eventShape: number[] = [];
  /** whether arguments and samples are validated (validate_args) */
  _validateArgs = defaultValidateArgs;
  /** whether rsample is implemented (a getter, so that instances made by expand have it too) */
  get hasRsample(): boolean {
    return false;
  }
  get hasEnumerateSupport(): boolean {
    return false;
  }

  /** The constraint of each parameter, by PyTorch's (snake_case) name, in PyTorch's order. */
  get argConstraints(): Record<string, Constraint> {
    throw new NotImplementedError();
  }
  /** The support of the distribution (null where PyTorch's is None). */
  get support(): Constraint | null {
    throw new NotImplementedError();
  }

  /**
   * A parameter by its PyTorch name, if it is set: a lazily computed one (Categorical's logits when
   * made from probs) is absent until first read, as in PyTorch's `__dict__`.
   */
  protected _presentParam(_name: string): Tensor | undefined {
    return undefined;
  }
  /**
   * The value argument validation checks: the present parameter, or for a parameter that is a plain
   * property in PyTorch (OneHotCategorical's probs, Beta's concentrations), its computed value.
   */
  protected _validatedParam(name: string): Tensor | undefined {
    return this._presentParam(name);
  }

  /** Distribution.__init__: records the shapes and validates the parameters (unless validateArgs is false). */
  protected _init(batchShape: readonly number[] = [], eventShape: readonly number[] = [], validateArgs?: boolean | null): void {
    this._batchShape = batchShape.slice();
    this._eventShape = eventShape.slice();
    if (validateArgs !== undefined && validateArgs !== null) this._validateArgs = validateArgs;
    if (!this._validateArgs) return;
    for (const [param, constraint] of Object.entries(this.argConstraints)) {
      if (isDependent(constraint)) continue;
      const value = this._validatedParam(param);
      if (value === undefined) continue;
      const valid = noGrad(() => constraint.check(value));
      if (!(valid.all().item() as unknown as boolean))
        throw new ValueError(
          `Expected parameter ${param} (${typeName(value)} of shape ${tupleRepr(value.shape)}) of distribution ${this.repr()} ` +
          `to satisfy the constraint ${constraint.repr()}, but found invalid values:\n${formatValue(value)}`,
        );
    }
  }

  /** The shape over which parameters are batched. */
  get batchShape(): number[] {
    return this._batchShape.slice();
  }
  /** The shape of a single sample (without batching). */
  get eventShape(): number[] {
    return this._eventShape.slice();
  }

  /** A new distribution with batch dims expanded to batchShape (parameters expanded, not copied, not re-validated). */
  expand(_batchShape: readonly number[]): Distribution {
    throw new NotImplementedError();
  }

  get mean(): Tensor {
    throw new NotImplementedError();
  }
  get mode(): Tensor {
    throw new NotImplementedError(`<class 'torch.distributions.${this.constructor.name.toLowerCase()}.${this.constructor.name}'> does not implement mode`);
  }
  get variance(): Tensor {
    throw new NotImplementedError();
  }
  get stddev(): Tensor {
    return this.variance.sqrt();
  }

  /** Draws a sample of shape sampleShape + batchShape + eventShape, without gradient. */
  sample(sampleShape: SampleShape = []): Tensor {
    return noGrad(() => this.rsample(sampleShape));
  }
  /** A reparameterized sample: differentiable with respect to the parameters. */
  rsample(_sampleShape: SampleShape = []): Tensor {
    throw new NotImplementedError();
  }
  /** Distribution.sample_n(n): sample([n]). */
  sampleN(n: number): Tensor {
    return this.sample([n]);
  }
  /** The log of the density / mass function at value. */
  logProb(_value: Tensor): Tensor {
    throw new NotImplementedError();
  }
  cdf(_value: Tensor): Tensor {
    throw new NotImplementedError();
  }
  icdf(_value: Tensor): Tensor {
    throw new NotImplementedError();
  }
  enumerateSupport(_expand = true): Tensor {
    throw new NotImplementedError();
  }
  /** The entropy, batched over batchShape. */
  entropy(): Tensor {
    throw new NotImplementedError();
  }
  /** exp(entropy). */
  perplexity(): Tensor {
    return this.entropy().exp();
  }

  /** sampleShape + batchShape + eventShape. */
  protected _extendedShape(sampleShape: SampleShape = []): number[] {
    return [...sampleShape, ...this._batchShape, ...this._eventShape];
  }

  /** Distribution._validate_sample: value's rightmost dims match the event shape, broadcast with the batch shape, and lie in the support. */
  protected _validateSample(value: unknown): void {
    if (!(value instanceof Tensor)) throw new ValueError("The value argument to log_prob must be a Tensor");
    const start = value.dim() - this._eventShape.length;
    const tail = value.shape.slice(start < 0 ? 0 : start);
    if (start < 0 || tail.length !== this._eventShape.length || tail.some((s, i) => s !== this._eventShape[i]))
      throw new ValueError(`The right-most size of value must match event_shape: ${sizeRepr(value.shape)} vs ${sizeRepr(this._eventShape)}.`);
    const actual = value.shape, expected = [...this._batchShape, ...this._eventShape];
    for (let k = 1; k <= Math.min(actual.length, expected.length); k++) {
      const i = actual[actual.length - k]!, j = expected[expected.length - k]!;
      if (i !== 1 && j !== 1 && i !== j)
        throw new ValueError(`Value is not broadcastable with batch_shape+event_shape: ${sizeRepr(actual)} vs ${sizeRepr(expected)}.`);
    }
    const support = this.support;
    if (support === null) return;
    const valid = noGrad(() => support.check(value));
    if (!(valid.all().item() as unknown as boolean))
      throw new ValueError(
        `Expected value argument (${typeName(value)} of shape ${tupleRepr(value.shape)}) to be within the support (${support.repr()}) ` +
        `of the distribution ${this.repr()}, but found invalid values:\n${formatValue(value)}`,
      );
  }

  /** The class name PyTorch prints. */
  protected get _name(): string {
    return this.constructor.name;
  }

  /** Python's repr: `Normal(loc: 0.0, scale: torch.Size([2]))`, each parameter that is set, by its value when it has one element. */
  repr(): string {
    const parts: string[] = [];
    for (const name of Object.keys(this.argConstraints)) {
      const v = this._presentParam(name);
      if (v === undefined) continue;
      parts.push(`${name}: ${v.numel() === 1 ? formatValue(v) : sizeRepr(v.shape)}`);
    }
    return `${this._name}(${parts.join(", ")})`;
  }
  toString(): string {
    return this.repr();
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.repr();
  }
}

/** An instance of cls made without running its constructor (PyTorch's `_get_checked_instance` for expand). */
export function blank<T extends Distribution>(self: T): T {
  return Object.create(Object.getPrototypeOf(self) as object) as T;
}
