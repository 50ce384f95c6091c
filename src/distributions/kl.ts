// torch.distributions.kl: KL(p || q) for the pairs PyTorch 1.13 registers among the distributions
// typetorch has, with its formulas (term for term, so that values and gradients agree).
import { Tensor } from "../tensor/tensor.js";
import { NotImplementedError, ValueError } from "../errors.js";
import { broadcastShapes } from "../tensor/shape.js";
import { softplus } from "../ops/elementwise.js";
import { solveTriangular } from "../linalg/decompositions.js";
import type { Distribution } from "./distribution.js";
import { Normal, Uniform, Exponential, Laplace } from "./normal.js";
import { Bernoulli, Categorical, OneHotCategorical } from "./categorical.js";
import { MultivariateNormal, Independent, batchMahalanobis } from "./multivariate_normal.js";
import { Gamma, Beta, Dirichlet } from "./gamma.js";
import { digamma, lgamma } from "./special.js";
import { eulerConstant, sumRightmost } from "./utils.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ctor = abstract new (...args: any[]) => Distribution;
type KlFn = (p: Distribution, q: Distribution) => Tensor;

const registry = new Map<Ctor, Map<Ctor, KlFn>>();

/**
 * torch.distributions.kl.register_kl(TypeP, TypeQ): registers fn as KL(p || q) for those classes
 * (and their subclasses, the most specific registration winning).
 */
export function registerKl<P extends Distribution, Q extends Distribution>(typeP: abstract new (...args: never[]) => P, typeQ: abstract new (...args: never[]) => Q, fn: (p: P, q: Q) => Tensor): void {
  const tp = typeP as unknown as Ctor, tq = typeQ as unknown as Ctor;
  if (!registry.has(tp)) registry.set(tp, new Map());
  registry.get(tp)!.set(tq, fn as unknown as KlFn);
}

/** The classes from obj's own up to Distribution. */
function chain(obj: Distribution): Ctor[] {
  const out: Ctor[] = [];
  let proto = Object.getPrototypeOf(obj) as { constructor: Ctor } | null;
  while (proto && (proto.constructor as unknown) !== Object) {
    out.push(proto.constructor);
    proto = Object.getPrototypeOf(proto) as { constructor: Ctor } | null;
  }
  return out;
}

/**
 * torch.distributions.kl.kl_divergence(p, q): KL(p || q), batched over the batch shape.
 * @example
 * const p = new torch.distributions.Normal(0, 1), q = new torch.distributions.Normal(1, 2);
 * torch.distributions.kl.klDivergence(p, q); // tensor(0.4431)
 */
export function klDivergence(p: Distribution, q: Distribution): Tensor {
  for (const cp of chain(p)) {
    const row = registry.get(cp);
    if (!row) continue;
    for (const cq of chain(q)) {
      const fn = row.get(cq);
      if (fn) return fn(p, q);
    }
  }
  throw new NotImplementedError(`No KL(p || q) is implemented for p type ${p.constructor.name} and q type ${q.constructor.name}`);
}

const inf = Infinity;
const xLogX = (t: Tensor) => t.mul(t.log());

registerKl(Normal, Normal, (p, q) => {
  const varRatio = p.scale.div(q.scale).pow(2);
  const t1 = p.loc.sub(q.loc).div(q.scale).pow(2);
  return varRatio.add(t1).sub(1).sub(varRatio.log()).mul(0.5);
});

registerKl(Bernoulli, Bernoulli, (p, q) => {
  let t1 = p.probs.mul(softplus(q.logits.neg()).sub(softplus(p.logits.neg())));
  t1 = t1.maskedFill(q.probs.eq(0), inf).maskedFill(p.probs.eq(0), 0);
  let t2 = p.probs.neg().add(1).mul(softplus(q.logits).sub(softplus(p.logits)));
  t2 = t2.maskedFill(q.probs.eq(1), inf).maskedFill(p.probs.eq(1), 0);
  return t1.add(t2);
});

function klCategorical(p: Categorical, q: Categorical): Tensor {
  let t = p.probs.mul(p.logits.sub(q.logits));
  t = t.maskedFill(q.probs.eq(0).expand(t.shape), inf).maskedFill(p.probs.eq(0).expand(t.shape), 0);
  return t.sum(-1);
}
registerKl(Categorical, Categorical, klCategorical);
registerKl(OneHotCategorical, OneHotCategorical, (p, q) => klCategorical(p._categorical, q._categorical));

registerKl(Uniform, Uniform, (p, q) => {
  const result = q.high.sub(q.low).div(p.high.sub(p.low)).log();
  return result.maskedFill(q.low.gt(p.low).logicalOr(q.high.lt(p.high)), inf);
});

registerKl(Exponential, Exponential, (p, q) => {
  const rateRatio = q.rate.div(p.rate);
  return rateRatio.log().neg().add(rateRatio).sub(1);
});

registerKl(Laplace, Laplace, (p, q) => {
  const scaleRatio = p.scale.div(q.scale);
  const locAbsDiff = p.loc.sub(q.loc).abs();
  const t1 = scaleRatio.log().neg();
  const t2 = locAbsDiff.div(q.scale);
  const t3 = scaleRatio.mul(locAbsDiff.neg().div(p.scale).exp());
  return t1.add(t2).add(t3).sub(1);
});

registerKl(Gamma, Gamma, (p, q) => {
  const t1 = q.concentration.mul(p.rate.div(q.rate).log());
  const t2 = lgamma(q.concentration).sub(lgamma(p.concentration));
  const t3 = p.concentration.sub(q.concentration).mul(digamma(p.concentration));
  const t4 = q.rate.sub(p.rate).mul(p.concentration.div(p.rate));
  return t1.add(t2).add(t3).add(t4);
});

registerKl(Beta, Beta, (p, q) => {
  const sp = p.concentration1.add(p.concentration0), sq = q.concentration1.add(q.concentration0);
  const t1 = lgamma(q.concentration1).add(lgamma(q.concentration0)).add(lgamma(sp));
  const t2 = lgamma(p.concentration1).add(lgamma(p.concentration0)).add(lgamma(sq));
  const t3 = p.concentration1.sub(q.concentration1).mul(digamma(p.concentration1));
  const t4 = p.concentration0.sub(q.concentration0).mul(digamma(p.concentration0));
  const t5 = sq.sub(sp).mul(digamma(sp));
  return t1.sub(t2).add(t3).add(t4).add(t5);
});

registerKl(Dirichlet, Dirichlet, (p, q) => {
  const sp = p.concentration.sum(-1), sq = q.concentration.sum(-1);
  const t1 = lgamma(sp).sub(lgamma(sq));
  const t2 = lgamma(p.concentration).sub(lgamma(q.concentration)).sum(-1);
  const t3 = p.concentration.sub(q.concentration);
  const t4 = digamma(p.concentration).sub(digamma(sp).unsqueeze(-1));
  return t1.sub(t2).add(t3.mul(t4).sum(-1));
});

registerKl(MultivariateNormal, MultivariateNormal, (p, q) => {
  if (p.eventShape.join(",") !== q.eventShape.join(","))
    throw new ValueError("KL-divergence between two Multivariate Normals with                          different event shapes cannot be computed");
  const pL = p._unbroadcastedScaleTril, qL = q._unbroadcastedScaleTril;
  const halfTerm1 = qL.diagonal(0, -2, -1).log().sum(-1).sub(pL.diagonal(0, -2, -1).log().sum(-1));
  const batch = broadcastShapes(qL.shape.slice(0, -2), pL.shape.slice(0, -2));
  const n = p.eventShape[0]!;
  const qs = qL.expand([...batch, n, n]), ps = pL.expand([...batch, n, n]);
  const X = solveTriangular(qs, ps, { upper: false });
  const term2 = X.reshape([-1, n * n]).pow(2).sum(-1).reshape(X.shape.slice(0, -2));
  const term3 = batchMahalanobis(qL, q.loc.sub(p.loc));
  return halfTerm1.add(term2.add(term3).sub(n).mul(0.5));
});

registerKl(Independent, Independent, (p, q) => {
  if (p.reinterpretedBatchNdims !== q.reinterpretedBatchNdims) throw new NotImplementedError();
  return sumRightmost(klDivergence(p.baseDist, q.baseDist), p.reinterpretedBatchNdims);
});

// mixed pairs
registerKl(Uniform, Normal, (p, q) => {
  const common = p.high.sub(p.low);
  const t1 = q.scale.mul(Math.sqrt(Math.PI * 2)).div(common).log();
  const t2 = common.pow(2).div(12);
  const t3 = p.high.add(p.low).sub(q.loc.mul(2)).div(2).pow(2);
  return t1.add(t2.add(t3).mul(0.5).div(q.scale.pow(2)));
});

registerKl(Normal, Laplace, (p, q) => {
  const locDiff = p.loc.sub(q.loc);
  const scaleRatio = p.scale.div(q.scale);
  const ldsr = locDiff.div(p.scale);
  const t1 = scaleRatio.log();
  const t2 = p.scale.mul(Math.sqrt(2 / Math.PI)).mul(ldsr.pow(2).mul(-0.5).exp());
  const t3 = locDiff.mul(ldsr.mul(Math.sqrt(0.5)).erf());
  return t1.neg().add(t2.add(t3).div(q.scale)).sub(0.5 * (1 + Math.log(0.5 * Math.PI)));
});

registerKl(Exponential, Normal, (p, q) => {
  const varNormal = q.scale.pow(2);
  const rateSqr = p.rate.pow(2);
  const t1 = rateSqr.mul(varNormal).mul(2).mul(Math.PI).log().mul(0.5);
  const t2 = rateSqr.reciprocal();
  const t3 = q.loc.div(p.rate);
  const t4 = q.loc.pow(2).mul(0.5);
  return t1.sub(1).add(t2.sub(t3).add(t4).div(varNormal));
});

registerKl(Exponential, Gamma, (p, q) => {
  const ratio = q.rate.div(p.rate);
  const t1 = q.concentration.neg().mul(ratio.log());
  return t1.add(ratio).add(lgamma(q.concentration)).add(q.concentration.mul(eulerConstant)).sub(1 + eulerConstant);
});

registerKl(Gamma, Exponential, (p, q) => p.entropy().neg().sub(q.rate.log()).add(q.rate.mul(p.concentration).div(p.rate)));

registerKl(Laplace, Normal, (p, q) => {
  const varNormal = q.scale.pow(2);
  const r = p.scale.pow(2).div(varNormal);
  const t1 = r.mul(2).div(Math.PI).log().mul(0.5);
  const t2 = p.loc.pow(2).mul(0.5);
  const t3 = p.loc.mul(q.loc);
  const t4 = q.loc.pow(2).mul(0.5);
  return t1.neg().add(r).add(t2.sub(t3).add(t4).div(varNormal)).sub(1);
});

registerKl(Uniform, Exponential, (p, q) => {
  const result = q.rate.mul(p.high.add(p.low)).div(2).sub(p.high.sub(p.low).mul(q.rate).log());
  return result.maskedFill(p.low.lt(0), inf);
});

registerKl(Uniform, Gamma, (p, q) => {
  const common = p.high.sub(p.low);
  const t1 = common.log();
  const t2 = lgamma(q.concentration).sub(q.concentration.mul(q.rate.log()));
  const t3 = q.concentration.neg().add(1).mul(xLogX(p.high).sub(xLogX(p.low)).sub(common)).div(common);
  const t4 = q.rate.mul(p.high.add(p.low)).div(2);
  return t1.neg().add(t2).add(t3).add(t4).maskedFill(p.low.lt(0), inf);
});
