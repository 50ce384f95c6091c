// torch.distributions.constraints: what a parameter or a sample must satisfy, with PyTorch's check()
// and repr (the repr appears in validation errors).
import { Tensor } from "../tensor/tensor.js";
import { full } from "../ops/creation.js";
import { bool } from "../tensor/dtype.js";
import { choleskyEx } from "../linalg/decompositions.js";
import { formatValue, pyFloatRepr } from "./utils.js";

/** The base of all constraints: `check(value)` gives a bool tensor of the batch shape. */
export abstract class Constraint {
  /** whether the constrained space is discrete */
  isDiscrete = false;
  /** how many rightmost dims of a value form one event */
  eventDim = 0;
  abstract check(value: Tensor): Tensor;
  abstract repr(): string;
  toString(): string {
    return this.repr();
  }
}

/** A bound as PyTorch prints it: a float's repr, or the tensor. */
function boundRepr(b: number | Tensor): string {
  return typeof b === "number" ? pyFloatRepr(b) : formatValue(b);
}

/** constraints.dependent: a placeholder whose check depends on other parameters (never checked). */
export class Dependent extends Constraint {
  constructor(isDiscrete = false, eventDim = 0) {
    super();
    this.isDiscrete = isDiscrete;
    this.eventDim = eventDim;
  }
  check(_value: Tensor): Tensor {
    throw new Error("Cannot determine validity of dependent constraint");
  }
  repr(): string {
    return "_Dependent()";
  }
}

/** Whether a constraint is `dependent` (skipped by argument validation). */
export function isDependent(c: Constraint): boolean {
  return c instanceof Dependent;
}

class Real extends Constraint {
  check(v: Tensor): Tensor {
    return v.eq(v); // false only for NaN
  }
  repr(): string {
    return "Real()";
  }
}

class BooleanC extends Constraint {
  override isDiscrete = true;
  check(v: Tensor): Tensor {
    return v.eq(0).logicalOr(v.eq(1));
  }
  repr(): string {
    return "Boolean()";
  }
}

export class GreaterThan extends Constraint {
  constructor(readonly lowerBound: number | Tensor) {
    super();
  }
  check(v: Tensor): Tensor {
    return this.lowerBound instanceof Tensor ? this.lowerBound.lt(v) : v.gt(this.lowerBound);
  }
  repr(): string {
    return `GreaterThan(lower_bound=${boundRepr(this.lowerBound)})`;
  }
}

export class GreaterThanEq extends Constraint {
  constructor(readonly lowerBound: number | Tensor) {
    super();
  }
  check(v: Tensor): Tensor {
    return this.lowerBound instanceof Tensor ? this.lowerBound.le(v) : v.ge(this.lowerBound);
  }
  repr(): string {
    return `GreaterThanEq(lower_bound=${boundRepr(this.lowerBound)})`;
  }
}

export class Interval extends Constraint {
  constructor(readonly lowerBound: number | Tensor, readonly upperBound: number | Tensor) {
    super();
  }
  check(v: Tensor): Tensor {
    const lo = this.lowerBound instanceof Tensor ? this.lowerBound.le(v) : v.ge(this.lowerBound);
    const hi = this.upperBound instanceof Tensor ? v.le(this.upperBound) : v.le(this.upperBound);
    return lo.logicalAnd(hi);
  }
  repr(): string {
    return `Interval(lower_bound=${boundRepr(this.lowerBound)}, upper_bound=${boundRepr(this.upperBound)})`;
  }
}

export class IntegerInterval extends Constraint {
  override isDiscrete = true;
  constructor(readonly lowerBound: number, readonly upperBound: number) {
    super();
  }
  check(v: Tensor): Tensor {
    return v.remainder(1).eq(0).logicalAnd(v.ge(this.lowerBound)).logicalAnd(v.le(this.upperBound));
  }
  repr(): string {
    return `IntegerInterval(lower_bound=${this.lowerBound}, upper_bound=${this.upperBound})`;
  }
}

/** constraints.independent(base, n): base's check, all over the n rightmost dims. */
export class IndependentConstraint extends Constraint {
  constructor(readonly baseConstraint: Constraint, readonly reinterpretedBatchNdims: number) {
    super();
    this.isDiscrete = baseConstraint.isDiscrete;
    this.eventDim = baseConstraint.eventDim + reinterpretedBatchNdims;
  }
  check(v: Tensor): Tensor {
    let r = this.baseConstraint.check(v);
    const n = this.reinterpretedBatchNdims;
    if (r.dim() < n) throw new Error(`Expected value.dim() >= ${n} but got ${r.dim()}`);
    r = r.reshape([...r.shape.slice(0, r.dim() - n), -1]);
    return r.all(-1);
  }
  repr(): string {
    return `IndependentConstraint(${this.baseConstraint.repr()}, ${this.reinterpretedBatchNdims})`;
  }
}

class Simplex extends Constraint {
  override eventDim = 1;
  check(v: Tensor): Tensor {
    return v.ge(0).all(-1).logicalAnd(v.sum(-1).sub(1).abs().lt(1e-6));
  }
  repr(): string {
    return "Simplex()";
  }
}

class OneHot extends Constraint {
  override isDiscrete = true;
  override eventDim = 1;
  check(v: Tensor): Tensor {
    const isBool = v.eq(0).logicalOr(v.eq(1));
    return isBool.all(-1).logicalAnd(v.sum(-1).eq(1));
  }
  repr(): string {
    return "OneHot()";
  }
}

class LowerCholesky extends Constraint {
  override eventDim = 2;
  check(v: Tensor): Tensor {
    const lowerTriangular = v.tril().eq(v).reshape([...v.shape.slice(0, -2), -1]).all(-1);
    const positiveDiagonal = v.diagonal(0, -2, -1).gt(0).all(-1);
    return lowerTriangular.logicalAnd(positiveDiagonal);
  }
  repr(): string {
    return "LowerCholesky()";
  }
}

class PositiveDefinite extends Constraint {
  override eventDim = 2;
  check(v: Tensor): Tensor {
    // square, then symmetric (within atol 1e-6), then a Cholesky factorization that succeeds
    const batch = v.shape.slice(0, -2);
    if (v.shape[v.dim() - 1] !== v.shape[v.dim() - 2]) return full(batch, false, { dtype: bool });
    const sym = v.isclose(v.mT, 1e-5, 1e-6).all(-1).all(-1);
    if (!(sym.all().item() as unknown as boolean)) return sym;
    return choleskyEx(v).info.eq(0);
  }
  repr(): string {
    return "PositiveDefinite()";
  }
}

/** torch.distributions.constraints, PyTorch's names spelled camelCase. */
export const constraints = {
  dependent: new Dependent(),
  real: new Real() as Constraint,
  realVector: new IndependentConstraint(new Real(), 1) as Constraint,
  boolean: new BooleanC() as Constraint,
  positive: new GreaterThan(0) as Constraint,
  nonnegative: new GreaterThanEq(0) as Constraint,
  unitInterval: new Interval(0, 1) as Constraint,
  simplex: new Simplex() as Constraint,
  oneHot: new OneHot() as Constraint,
  lowerCholesky: new LowerCholesky() as Constraint,
  positiveDefinite: new PositiveDefinite() as Constraint,
  greaterThan: (lowerBound: number | Tensor): Constraint => new GreaterThan(lowerBound),
  greaterThanEq: (lowerBound: number | Tensor): Constraint => new GreaterThanEq(lowerBound),
  interval: (lowerBound: number | Tensor, upperBound: number | Tensor): Constraint => new Interval(lowerBound, upperBound),
  integerInterval: (lowerBound: number, upperBound: number): Constraint => new IntegerInterval(lowerBound, upperBound),
  independent: (base: Constraint, n: number): Constraint => new IndependentConstraint(base, n),
};
