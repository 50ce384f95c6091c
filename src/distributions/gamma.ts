// Gamma, Dirichlet and Beta. Samples follow PyTorch's CPU rejection sampler draw for draw (see
// special.ts for where they may part); rsample's gradient with respect to the concentration is the
// implicit reparameterization derivative (PyTorch evaluates fitted approximations of the same
// quantity, so the two agree to about 1e-4 relative, not to rounding).
import { Tensor } from "../tensor/tensor.js";
import { noGrad } from "../autograd/grad_mode.js";
import { recordN } from "../autograd/function.js";
import { ValueError } from "../errors.js";
import { getDefaultDtype } from "../tensor/dtype.js";
import { tensor } from "../ops/creation.js";
import { stack as stackT } from "../ops/views.js";
import { oneHot } from "../nn/functional.js";
import { xlogy } from "../ops/elementwise.js";
import { Distribution, blank, type SampleShape } from "./distribution.js";
import { constraints, type Constraint } from "./constraints.js";
import { broadcastAll, finfo } from "./utils.js";
import { digamma, dirichletGrad, lgamma, sampleDirichlet, standardGamma } from "./special.js";

/** torch.distributions.Gamma(concentration, rate): density rate^a x^(a-1) e^(-rate x) / Gamma(a). */
export class Gamma extends Distribution {
  concentration!: Tensor;
  rate!: Tensor;
  constructor(concentration: Tensor | number, rate: Tensor | number, validateArgs?: boolean | null) {
    super();
    [this.concentration, this.rate] = broadcastAll(concentration, rate) as [Tensor, Tensor];
    const batch = typeof concentration === "number" && typeof rate === "number" ? [] : this.concentration.shape;
    this._init(batch, [], validateArgs);
  }
  override get argConstraints(): Record<string, Constraint> {
    return { concentration: constraints.positive, rate: constraints.positive };
  }
  override get support(): Constraint {
    return constraints.nonnegative;
  }
  override get hasRsample(): boolean {
    return true;
  }
  protected override _presentParam(name: string): Tensor | undefined {
    return name === "concentration" ? this.concentration : name === "rate" ? this.rate : undefined;
  }
  override get mean(): Tensor {
    return this.concentration.div(this.rate);
  }
  override get mode(): Tensor {
    return this.concentration.sub(1).div(this.rate).clamp(0);
  }
  override get variance(): Tensor {
    return this.concentration.div(this.rate.pow(2));
  }
  override expand(batchShape: readonly number[]): Gamma {
    const n = blank(this);
    n.concentration = this.concentration.expand(batchShape.slice());
    n.rate = this.rate.expand(batchShape.slice());
    n._init(batchShape, [], false);
    n._validateArgs = this._validateArgs;
    return n;
  }
  /** torch._standard_gamma(concentration.expand(shape)) / rate.expand(shape), clamped (untracked) to finfo.tiny. */
  override rsample(sampleShape: SampleShape = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    const value = standardGamma(this.concentration.expand(shape)).div(this.rate.expand(shape));
    noGrad(() => value.detach().clamp_(finfo(value.dtype).tiny));
    return value;
  }
  override logProb(value: Tensor | number): Tensor {
    const v = value instanceof Tensor ? value.to(this.rate.dtype) : tensor(value, { dtype: this.rate.dtype });
    if (this._validateArgs) this._validateSample(v);
    return xlogy(this.concentration, this.rate).add(xlogy(this.concentration.sub(1), v)).sub(this.rate.mul(v)).sub(lgamma(this.concentration));
  }
  override entropy(): Tensor {
    const c = this.concentration;
    return c.sub(this.rate.log()).add(lgamma(c)).add(c.neg().add(1.0).mul(digamma(c)));
  }
}

/** torch.distributions.Dirichlet(concentration): a distribution over the simplex (event shape [K]). */
export class Dirichlet extends Distribution {
  concentration!: Tensor;
  constructor(concentration: Tensor, validateArgs?: boolean | null) {
    super();
    if (concentration.dim() < 1) throw new ValueError("`concentration` parameter must be at least one-dimensional.");
    this.concentration = concentration;
    this._init(concentration.shape.slice(0, -1), concentration.shape.slice(-1), validateArgs);
  }
  override get argConstraints(): Record<string, Constraint> {
    return { concentration: constraints.independent(constraints.positive, 1) };
  }
  override get support(): Constraint {
    return constraints.simplex;
  }
  override get hasRsample(): boolean {
    return true;
  }
  protected override _presentParam(name: string): Tensor | undefined {
    return name === "concentration" ? this.concentration : undefined;
  }
  override expand(batchShape: readonly number[]): Dirichlet {
    const n = blank(this);
    n.concentration = this.concentration.expand([...batchShape, ...this._eventShape]);
    n._init(batchShape, this._eventShape, false);
    n._validateArgs = this._validateArgs;
    return n;
  }
  /**
   * torch._sample_dirichlet(concentration.expand(shape)) as PyTorch's _Dirichlet function
   * (_DirichletBackward): the gradient is _dirichlet_grad(x, alpha, total) (g - sum(x g)).
   */
  override rsample(sampleShape: SampleShape = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    const conc = this.concentration.expand(shape);
    const x = noGrad(() => sampleDirichlet(conc));
    recordN("_DirichletBackward", [conc], [x], (grads, s) => {
      const g = grads[0]!, xs = s(1), a = s(0);
      const total = a.sum(-1, true).expand(a.shape);
      // (once differentiable, as PyTorch's: the gradient is computed without a graph)
      return [noGrad(() => dirichletGrad(xs, a, total).mul(g.sub(xs.mul(g).sum(-1, true))))];
    }, [conc, x]);
    return x;
  }
  override logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const c = this.concentration;
    return value.log().mul(c.sub(1.0)).sum(-1).add(lgamma(c.sum(-1))).sub(lgamma(c).sum(-1));
  }
  override get mean(): Tensor {
    return this.concentration.div(this.concentration.sum(-1, true));
  }
  override get mode(): Tensor {
    const cm1 = this.concentration.sub(1).clamp(0);
    let mode = cm1.div(cm1.sum(-1, true));
    const mask = this.concentration.lt(1).all(-1);
    if (mask.any().item()) {
      const K = cm1.shape[cm1.dim() - 1]!;
      const oh = oneHot(mode.argmax(-1), K).to(mode.dtype);
      mode = oh.where(mask.unsqueeze(-1), mode);
    }
    return mode;
  }
  override get variance(): Tensor {
    const c0 = this.concentration.sum(-1, true);
    return this.concentration.mul(c0.sub(this.concentration)).div(c0.pow(2).mul(c0.add(1)));
  }
  override entropy(): Tensor {
    const c = this.concentration;
    const k = c.shape[c.dim() - 1]!;
    const a0 = c.sum(-1);
    return lgamma(c).sum(-1).sub(lgamma(a0)).sub(a0.neg().add(k).mul(digamma(a0))).sub(c.sub(1.0).mul(digamma(c)).sum(-1));
  }
}

/** torch.distributions.Beta(concentration1, concentration0): a Dirichlet over [x, 1 - x]. */
export class Beta extends Distribution {
  _dirichlet!: Dirichlet;
  constructor(concentration1: Tensor | number, concentration0: Tensor | number, validateArgs?: boolean | null) {
    super();
    let c10: Tensor;
    if (typeof concentration1 === "number" && typeof concentration0 === "number") c10 = tensor([concentration1, concentration0], { dtype: getDefaultDtype() });
    else {
      const [c1, c0] = broadcastAll(concentration1, concentration0) as [Tensor, Tensor];
      c10 = stackT([c1, c0], -1);
    }
    this._dirichlet = new Dirichlet(c10, validateArgs);
    this._init(this._dirichlet.batchShape, [], validateArgs);
  }
  override get argConstraints(): Record<string, Constraint> {
    return { concentration1: constraints.positive, concentration0: constraints.positive };
  }
  override get support(): Constraint {
    return constraints.unitInterval;
  }
  override get hasRsample(): boolean {
    return true;
  }
  protected override _validatedParam(name: string): Tensor | undefined {
    return name === "concentration1" ? this.concentration1 : name === "concentration0" ? this.concentration0 : undefined;
  }
  get concentration1(): Tensor {
    return this._dirichlet.concentration.select(-1, 0);
  }
  get concentration0(): Tensor {
    return this._dirichlet.concentration.select(-1, 1);
  }
  override expand(batchShape: readonly number[]): Beta {
    const n = blank(this);
    n._dirichlet = this._dirichlet.expand(batchShape);
    n._init(batchShape, [], false);
    n._validateArgs = this._validateArgs;
    return n;
  }
  override get mean(): Tensor {
    return this.concentration1.div(this.concentration1.add(this.concentration0));
  }
  override get mode(): Tensor {
    return this._dirichlet.mode.select(-1, 0);
  }
  override get variance(): Tensor {
    const total = this.concentration1.add(this.concentration0);
    return this.concentration1.mul(this.concentration0).div(total.pow(2).mul(total.add(1)));
  }
  override rsample(sampleShape: SampleShape = []): Tensor {
    return this._dirichlet.rsample(sampleShape).select(-1, 0);
  }
  override logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const headsTails = stackT([value, value.neg().add(1.0)], -1);
    return this._dirichlet.logProb(headsTails);
  }
  override entropy(): Tensor {
    return this._dirichlet.entropy();
  }
}

