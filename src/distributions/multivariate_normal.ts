// MultivariateNormal (parameterized by a covariance, precision or lower-Cholesky scale matrix) and
// Independent (batch dims reinterpreted as event dims).
import { Tensor } from "../tensor/tensor.js";
import { enableGrad } from "../autograd/grad_mode.js";
import { NotImplementedError, ValueError } from "../errors.js";
import { broadcastShapes } from "../tensor/shape.js";
import { eye } from "../ops/creation.js";
import { cholesky, solveTriangular } from "../linalg/decompositions.js";
import { Distribution, blank, type SampleShape } from "./distribution.js";
import { constraints, type Constraint } from "./constraints.js";
import { standardNormal, sumRightmost } from "./utils.js";

/** bmat @ bvec for batches of matrices and vectors (broadcast). */
function batchMv(bmat: Tensor, bvec: Tensor): Tensor {
  return bmat.matmul(bvec.unsqueeze(-1)).squeeze(-1);
}

/**
 * The squared Mahalanobis distance x^T (L L^T)^{-1} x, with L's batch broadcast against x's:
 * |L^{-1} x|^2 by a triangular solve.
 */
export function batchMahalanobis(L: Tensor, x: Tensor): Tensor {
  return solveTriangular(L, x.unsqueeze(-1), { upper: false }).squeeze(-1).pow(2).sum(-1);
}

/** The lower Cholesky factor of P^{-1} from P, as PyTorch's _precision_to_scale_tril (flips, cholesky, triangular solve). */
function precisionToScaleTril(P: Tensor): Tensor {
  const Lf = cholesky(P.flip(-2, -1));
  const Linv = Lf.flip(-2, -1).transpose(-2, -1);
  const Id = eye(P.shape[P.dim() - 1]!, { dtype: P.dtype });
  return solveTriangular(Linv, Id, { upper: false });
}

export interface MultivariateNormalOptions {
  covarianceMatrix?: Tensor | null;
  precisionMatrix?: Tensor | null;
  scaleTril?: Tensor | null;
  validateArgs?: boolean | null;
}

/**
 * torch.distributions.MultivariateNormal(loc, covariance_matrix=None, precision_matrix=None,
 * scale_tril=None): exactly one matrix is given (`new MultivariateNormal(loc, cov)` or
 * `new MultivariateNormal(loc, { scaleTril })`). rsample is loc + L eps with eps from normal_, as PyTorch's.
 */
export class MultivariateNormal extends Distribution {
  loc!: Tensor;
  _unbroadcastedScaleTril!: Tensor;
  private _cov?: Tensor;
  private _prec?: Tensor;
  private _tril?: Tensor;
  constructor(loc: Tensor, covarianceMatrix?: Tensor | null | MultivariateNormalOptions, precisionMatrix?: Tensor | null, scaleTril?: Tensor | null, validateArgs?: boolean | null) {
    super();
    let o: MultivariateNormalOptions;
    if (covarianceMatrix !== null && covarianceMatrix !== undefined && !(covarianceMatrix instanceof Tensor)) o = covarianceMatrix;
    else o = { covarianceMatrix: covarianceMatrix ?? null, precisionMatrix: precisionMatrix ?? null, scaleTril: scaleTril ?? null, validateArgs: validateArgs ?? null };
    if (loc.dim() < 1) throw new ValueError("loc must be at least one-dimensional.");
    const cov = o.covarianceMatrix ?? null, prec = o.precisionMatrix ?? null, tril = o.scaleTril ?? null;
    if (+(cov !== null) + +(tril !== null) + +(prec !== null) !== 1)
      throw new ValueError("Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.");
    let batch: number[];
    if (tril) {
      if (tril.dim() < 2) throw new ValueError("scale_tril matrix must be at least two-dimensional, with optional leading batch dimensions");
      batch = broadcastShapes(tril.shape.slice(0, -2), loc.shape.slice(0, -1));
      this._tril = tril.expand([...batch, -1, -1]);
    } else if (cov) {
      if (cov.dim() < 2) throw new ValueError("covariance_matrix must be at least two-dimensional, with optional leading batch dimensions");
      batch = broadcastShapes(cov.shape.slice(0, -2), loc.shape.slice(0, -1));
      this._cov = cov.expand([...batch, -1, -1]);
    } else {
      if (prec!.dim() < 2) throw new ValueError("precision_matrix must be at least two-dimensional, with optional leading batch dimensions");
      batch = broadcastShapes(prec!.shape.slice(0, -2), loc.shape.slice(0, -1));
      this._prec = prec!.expand([...batch, -1, -1]);
    }
    this.loc = loc.expand([...batch, -1]);
    this._init(batch, this.loc.shape.slice(-1), o.validateArgs);
    if (tril) this._unbroadcastedScaleTril = tril;
    else if (cov) this._unbroadcastedScaleTril = cholesky(cov);
    else this._unbroadcastedScaleTril = precisionToScaleTril(prec!);
  }
  override get argConstraints(): Record<string, Constraint> {
    return { loc: constraints.realVector, covariance_matrix: constraints.positiveDefinite, precision_matrix: constraints.positiveDefinite, scale_tril: constraints.lowerCholesky };
  }
  override get support(): Constraint {
    return constraints.realVector;
  }
  override get hasRsample(): boolean {
    return true;
  }
  protected override _presentParam(name: string): Tensor | undefined {
    switch (name) {
      case "loc": return this.loc;
      case "covariance_matrix": return this._cov;
      case "precision_matrix": return this._prec;
      case "scale_tril": return this._tril;
    }
    return undefined;
  }
  private get _matShape(): number[] {
    return [...this._batchShape, ...this._eventShape, ...this._eventShape];
  }
  /** the lower Cholesky factor of the covariance (computed once) */
  get scaleTril(): Tensor {
    return (this._tril ??= enableGrad(() => this._unbroadcastedScaleTril.expand(this._matShape)));
  }
  /** L L^T (computed once) */
  get covarianceMatrix(): Tensor {
    return (this._cov ??= enableGrad(() => this._unbroadcastedScaleTril.matmul(this._unbroadcastedScaleTril.mT).expand(this._matShape)));
  }
  /** (L L^T)^{-1} (computed once; PyTorch's cholesky_inverse, here L^{-T} L^{-1} by a triangular solve) */
  get precisionMatrix(): Tensor {
    return (this._prec ??= enableGrad(() => {
      const L = this._unbroadcastedScaleTril;
      const Linv = solveTriangular(L, eye(L.shape[L.dim() - 1]!, { dtype: L.dtype }), { upper: false });
      return Linv.mT.matmul(Linv).expand(this._matShape);
    }));
  }
  override get mean(): Tensor {
    return this.loc;
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get variance(): Tensor {
    return this._unbroadcastedScaleTril.pow(2).sum(-1).expand([...this._batchShape, ...this._eventShape]);
  }
  override expand(batchShape: readonly number[]): MultivariateNormal {
    const n = blank(this);
    const locShape = [...batchShape, ...this._eventShape];
    const covShape = [...batchShape, ...this._eventShape, ...this._eventShape];
    n.loc = this.loc.expand(locShape);
    n._unbroadcastedScaleTril = this._unbroadcastedScaleTril;
    if (this._cov) n._cov = this._cov.expand(covShape);
    if (this._tril) n._tril = this._tril.expand(covShape);
    if (this._prec) n._prec = this._prec.expand(covShape);
    n._init(batchShape, this._eventShape, false);
    n._validateArgs = this._validateArgs;
    return n;
  }
  /** loc + L eps, eps = torch.empty(shape).normal_(). */
  override rsample(sampleShape: SampleShape = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    const eps = standardNormal(shape, this.loc.dtype);
    return this.loc.add(batchMv(this._unbroadcastedScaleTril, eps));
  }
  override logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const diff = value.sub(this.loc);
    const M = batchMahalanobis(this._unbroadcastedScaleTril, diff);
    const halfLogDet = this._unbroadcastedScaleTril.diagonal(0, -2, -1).log().sum(-1);
    return M.add(this._eventShape[0]! * Math.log(2 * Math.PI)).mul(-0.5).sub(halfLogDet);
  }
  override entropy(): Tensor {
    const halfLogDet = this._unbroadcastedScaleTril.diagonal(0, -2, -1).log().sum(-1);
    const H = halfLogDet.add(0.5 * this._eventShape[0]! * (1.0 + Math.log(2 * Math.PI)));
    return this._batchShape.length === 0 ? H : H.expand(this._batchShape);
  }
}

/**
 * torch.distributions.Independent(base_distribution, reinterpreted_batch_ndims): the rightmost
 * reinterpretedBatchNdims batch dims of base become event dims (logProb and entropy summed over them).
 */
export class Independent extends Distribution {
  baseDist!: Distribution;
  reinterpretedBatchNdims!: number;
  constructor(baseDistribution: Distribution, reinterpretedBatchNdims: number, validateArgs?: boolean | null) {
    super();
    const bs = baseDistribution.batchShape;
    if (reinterpretedBatchNdims > bs.length)
      throw new ValueError(`Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shape), actual ${reinterpretedBatchNdims} vs ${bs.length}`);
    const shape = [...bs, ...baseDistribution.eventShape];
    const eventDim = reinterpretedBatchNdims + baseDistribution.eventShape.length;
    this.baseDist = baseDistribution;
    this.reinterpretedBatchNdims = reinterpretedBatchNdims;
    this._init(shape.slice(0, shape.length - eventDim), shape.slice(shape.length - eventDim), validateArgs);
  }
  override get argConstraints(): Record<string, Constraint> {
    return {};
  }
  override get hasRsample(): boolean {
    return this.baseDist.hasRsample;
  }
  override get hasEnumerateSupport(): boolean {
    return this.reinterpretedBatchNdims > 0 ? false : this.baseDist.hasEnumerateSupport;
  }
  override get support(): Constraint | null {
    const r = this.baseDist.support;
    return r && this.reinterpretedBatchNdims ? constraints.independent(r, this.reinterpretedBatchNdims) : r;
  }
  override get mean(): Tensor {
    return this.baseDist.mean;
  }
  override get mode(): Tensor {
    return this.baseDist.mode;
  }
  override get variance(): Tensor {
    return this.baseDist.variance;
  }
  override expand(batchShape: readonly number[]): Independent {
    const n = blank(this);
    n.baseDist = this.baseDist.expand([...batchShape, ...this._eventShape.slice(0, this.reinterpretedBatchNdims)]);
    n.reinterpretedBatchNdims = this.reinterpretedBatchNdims;
    n._init(batchShape, this._eventShape, false);
    n._validateArgs = this._validateArgs;
    return n;
  }
  override sample(sampleShape: SampleShape = []): Tensor {
    return this.baseDist.sample(sampleShape);
  }
  override rsample(sampleShape: SampleShape = []): Tensor {
    return this.baseDist.rsample(sampleShape);
  }
  override logProb(value: Tensor): Tensor {
    return sumRightmost(this.baseDist.logProb(value), this.reinterpretedBatchNdims);
  }
  override entropy(): Tensor {
    return sumRightmost(this.baseDist.entropy(), this.reinterpretedBatchNdims);
  }
  override enumerateSupport(expand = true): Tensor {
    if (this.reinterpretedBatchNdims > 0) throw new NotImplementedError("Enumeration over cartesian product is not implemented");
    return this.baseDist.enumerateSupport(expand);
  }
  override repr(): string {
    return `Independent(${this.baseDist.repr()}, ${this.reinterpretedBatchNdims})`;
  }
}
