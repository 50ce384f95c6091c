# Fixtures for torch.distributions (issue 10): Normal, Uniform, Bernoulli, Categorical, OneHotCategorical,
# MultivariateNormal, Exponential, Laplace, Gamma, Beta, Dirichlet, Independent and kl_divergence.
# Each case runs in real PyTorch 1.13 right after torch.manual_seed(0); its outcome (tensors with shape,
# dtype, grad_fn, requires_grad and values; strings such as a repr; or the error's class and message)
# goes to test/fixtures/distributions.json, and test/distributions.test.ts runs the same calls.
#   /usr/bin/python3 scripts/gen_distributions_fixtures.py
import json, math, torch
from torch.distributions import (Normal, Uniform, Bernoulli, Categorical, OneHotCategorical, MultivariateNormal,
                                 Exponential, Laplace, Gamma, Beta, Dirichlet, Independent, kl_divergence)

cases = {}

def enc(v):
    if isinstance(v, bool): return v
    if isinstance(v, float):
        if math.isnan(v): return "nan"
        if math.isinf(v): return "inf" if v > 0 else "-inf"
    return v

def enc_out(t):
    if t is None: return None
    if isinstance(t, str): return {"str": t}
    if isinstance(t, (bool, int, float)): return {"value": enc(t)}
    if isinstance(t, torch.Size): return {"value": list(t)}
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""),
            "grad_fn": t.grad_fn.name() if t.grad_fn is not None else None, "requires_grad": t.requires_grad,
            "values": [enc(v) for v in t.detach().reshape(-1).tolist()]}

def case(name, f):
    assert name not in cases, name
    torch.manual_seed(0)
    try:
        r = f()
        out = [enc_out(t) for t in r] if isinstance(r, (tuple, list)) else [enc_out(r)]
        cases[name] = {"out": out}
    except Exception as e:
        cases[name] = {"error": {"type": type(e).__name__, "message": str(e)}}

def weights(y):
    return (torch.arange(y.numel(), dtype=y.dtype) + 1).reshape(y.shape)

def grads(f, *params):
    """[f(*params), then each param's gradient of (f * [1, 2, ...]).sum()]"""
    ps = [p.clone().requires_grad_() for p in params]
    torch.manual_seed(0)
    y = f(*ps)
    (y * weights(y)).sum().backward()
    return [y] + [p.grad for p in ps]

D = torch.float64
LOC = torch.tensor([0.5, -1.0, 2.0])
SCALE = torch.tensor([1.0, 0.5, 2.0])
LOC64, SCALE64 = LOC.double(), SCALE.double()
VAL = torch.tensor([0.3, -0.7, 1.5])
P = torch.tensor([0.2, 0.5, 0.9])
LG = torch.tensor([-1.0, 0.0, 2.5])
PROBS = torch.tensor([[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25]])
LOGITS = torch.tensor([[1.0, -0.5, 0.3, 2.0], [0.0, 0.0, 1.0, -1.0]])
COV = torch.tensor([[2.0, 0.5, 0.1], [0.5, 1.0, 0.2], [0.1, 0.2, 0.8]])
MU = torch.tensor([0.5, -0.5, 1.0])
LTRIL = torch.linalg.cholesky(COV)
LTRIL64 = torch.linalg.cholesky(COV.double())

def shapes(d, s=(2,)):
    x = d.sample(s)
    return [d.batch_shape, d.event_shape, x, str(d)]

def moments(d):
    out = [d.mean, d.variance, d.stddev]
    try: out.append(d.mode)
    except NotImplementedError: out.append("no mode")
    return out

# ---------------------------------------------------------------- Normal
case("normal_sample", lambda: Normal(LOC, SCALE).sample((4,)))
case("normal_sample_scalar", lambda: Normal(0.0, 1.0).sample())
case("normal_sample_many", lambda: Normal(LOC, SCALE).sample((7,)))
case("normal_sample_f64", lambda: Normal(LOC64, SCALE64).sample((5,)))
case("normal_sample_bcast", lambda: Normal(torch.zeros(2, 1), torch.ones(3)).sample((2,)))
case("normal_rsample", lambda: grads(lambda l, s: Normal(l, s).rsample((4,)), LOC64, SCALE64))
case("normal_rsample_f32", lambda: Normal(LOC, SCALE).rsample((3,)))
case("normal_log_prob", lambda: grads(lambda l, s: Normal(l, s).log_prob(VAL.double()), LOC64, SCALE64))
case("normal_log_prob_f32", lambda: Normal(LOC, SCALE).log_prob(VAL))
case("normal_log_prob_bcast", lambda: Normal(LOC, SCALE).log_prob(torch.tensor([[0.0], [1.0]])))
case("normal_entropy", lambda: grads(lambda l, s: Normal(l, s).entropy(), LOC64, SCALE64))
case("normal_cdf", lambda: Normal(LOC, SCALE).cdf(VAL))
case("normal_moments", lambda: moments(Normal(LOC, SCALE)))
case("normal_shapes", lambda: shapes(Normal(LOC, SCALE)))
case("normal_scalar_shapes", lambda: shapes(Normal(0.0, 1.0), (3,)))
case("normal_repr_1elem", lambda: str(Normal(torch.tensor([0.0]), 1.0)))
case("normal_expand", lambda: shapes(Normal(LOC, SCALE).expand((2, 3))))
case("normal_expand_bad", lambda: Normal(LOC, SCALE).expand((2, 4)))
case("normal_perplexity", lambda: Normal(LOC, SCALE).perplexity())
case("normal_bad_scale", lambda: Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, -1.0])))
case("normal_nan_loc", lambda: Normal(torch.tensor([0.0, float("nan")]), torch.tensor([1.0, 1.0])))
case("normal_bad_scale_scalar", lambda: Normal(0.0, -1.0))
case("normal_bad_scale_grad", lambda: Normal(torch.tensor([0.0]), torch.tensor([-1.0], requires_grad=True)))
case("normal_bad_scale_novalidate", lambda: Normal(0.0, -1.0, validate_args=False).scale)
case("normal_value_nan", lambda: Normal(0.0, 1.0).log_prob(torch.tensor([float("nan")])))
case("normal_value_shape", lambda: Normal(torch.zeros(2), 1.0).log_prob(torch.zeros(3)))
case("normal_value_event", lambda: MultivariateNormal(MU, COV).log_prob(torch.zeros(2)))

# ---------------------------------------------------------------- Uniform
case("uniform_sample", lambda: Uniform(LOC, LOC + SCALE).sample((4,)))
case("uniform_sample_scalar", lambda: Uniform(0.0, 1.0).sample((3,)))
case("uniform_rsample", lambda: grads(lambda a, b: Uniform(a, b).rsample((3,)), LOC64, LOC64 + SCALE64))
case("uniform_log_prob", lambda: grads(lambda a, b: Uniform(a, b).log_prob(torch.tensor([1.0, -0.8, 3.0], dtype=D)), LOC64, LOC64 + SCALE64))
case("uniform_entropy", lambda: Uniform(LOC, LOC + SCALE).entropy())
case("uniform_cdf_icdf", lambda: [Uniform(LOC, LOC + SCALE).cdf(torch.tensor([1.0, -0.8, 3.0])), Uniform(LOC, LOC + SCALE).icdf(torch.tensor([0.1, 0.5, 0.9]))])
case("uniform_cdf_outside", lambda: Uniform(LOC, LOC + SCALE).cdf(VAL))
case("uniform_moments", lambda: moments(Uniform(LOC, LOC + SCALE)))
case("uniform_shapes", lambda: shapes(Uniform(0.0, torch.ones(2, 2))))
case("uniform_bad", lambda: Uniform(1.0, 0.0))
case("uniform_outside", lambda: Uniform(0.0, 1.0).log_prob(torch.tensor(2.0)))
case("uniform_outside_novalidate", lambda: Uniform(0.0, 1.0, validate_args=False).log_prob(torch.tensor([2.0, 0.5])))

# ---------------------------------------------------------------- Bernoulli
case("bernoulli_sample", lambda: Bernoulli(P).sample((5,)))
case("bernoulli_sample_f64", lambda: Bernoulli(P.double()).sample((4,)))
case("bernoulli_sample_logits", lambda: Bernoulli(logits=LG).sample((4,)))
case("bernoulli_sample_scalar", lambda: Bernoulli(0.3).sample((6,)))
case("bernoulli_probs_logits", lambda: [Bernoulli(logits=LG).probs, Bernoulli(P).logits])
case("bernoulli_log_prob", lambda: grads(lambda p: Bernoulli(p).log_prob(torch.tensor([1.0, 0.0, 1.0], dtype=D)), P.double()))
case("bernoulli_log_prob_logits", lambda: grads(lambda l: Bernoulli(logits=l).log_prob(torch.tensor([[1.0], [0.0]], dtype=D)), LG.double()))
case("bernoulli_entropy", lambda: grads(lambda p: Bernoulli(p).entropy(), P.double()))
case("bernoulli_moments", lambda: moments(Bernoulli(torch.tensor([0.2, 0.5, 0.9]))))
case("bernoulli_shapes", lambda: shapes(Bernoulli(P)))
case("bernoulli_repr_logits", lambda: str(Bernoulli(logits=torch.zeros(2))))
case("bernoulli_repr_after", lambda: (lambda b: [b.entropy(), str(b)])(Bernoulli(P)))
case("bernoulli_enumerate", lambda: [Bernoulli(P).enumerate_support(), Bernoulli(P).enumerate_support(expand=False)])
case("bernoulli_expand", lambda: shapes(Bernoulli(logits=LG).expand((2, 3))))
case("bernoulli_bad", lambda: Bernoulli(torch.tensor([0.5, 1.5])))
case("bernoulli_both", lambda: Bernoulli(P, LG))
case("bernoulli_none", lambda: Bernoulli())
case("bernoulli_rsample", lambda: Bernoulli(P).rsample())
case("categorical_rsample", lambda: Categorical(PROBS).rsample())
case("has_rsample", lambda: [Normal(0.0, 1.0).has_rsample, Bernoulli(P).has_rsample, Categorical(PROBS).has_enumerate_support, Independent(Normal(LOC, SCALE), 1).has_rsample])
case("bernoulli_value", lambda: Bernoulli(0.5).log_prob(torch.tensor([0.5])))

# ---------------------------------------------------------------- Categorical, OneHotCategorical
case("categorical_sample", lambda: Categorical(PROBS).sample((6,)))
case("categorical_sample_1d", lambda: Categorical(torch.tensor([0.1, 0.6, 0.3])).sample((10,)))
case("categorical_sample_scalar", lambda: Categorical(torch.tensor([0.1, 0.6, 0.3])).sample())
case("categorical_sample_logits", lambda: Categorical(logits=LOGITS).sample((3, 2)))
case("categorical_sample_f64", lambda: Categorical(PROBS.double()).sample((5,)))
case("categorical_probs_logits", lambda: [Categorical(logits=LOGITS).probs, Categorical(PROBS * 2).logits, Categorical(PROBS * 2).probs])
case("categorical_log_prob", lambda: grads(lambda p: Categorical(p).log_prob(torch.tensor([3, 0])), PROBS.double()))
case("categorical_log_prob_logits", lambda: grads(lambda l: Categorical(logits=l).log_prob(torch.tensor([[3, 0], [1, 2]])), LOGITS.double()))
case("categorical_entropy", lambda: grads(lambda l: Categorical(logits=l).entropy(), LOGITS.double()))
case("categorical_entropy_zero", lambda: Categorical(torch.tensor([0.0, 0.5, 0.5])).entropy())
case("categorical_moments", lambda: moments(Categorical(PROBS)))
case("categorical_shapes", lambda: shapes(Categorical(PROBS)))
case("categorical_repr_after", lambda: (lambda c: [c.log_prob(torch.tensor([1, 1])), str(c)])(Categorical(PROBS)))
case("categorical_enumerate", lambda: [Categorical(PROBS).enumerate_support(), Categorical(PROBS).enumerate_support(False)])
case("categorical_expand", lambda: shapes(Categorical(logits=LOGITS[0]).expand((3,)), (2,)))
case("categorical_bad", lambda: Categorical(torch.tensor([0.5, -0.5])))
case("categorical_0d", lambda: Categorical(torch.tensor(1.0)))
case("categorical_value", lambda: Categorical(torch.ones(3)).log_prob(torch.tensor([3])))
case("onehot_sample", lambda: OneHotCategorical(PROBS).sample((3,)))
case("onehot_log_prob", lambda: grads(lambda p: OneHotCategorical(p).log_prob(torch.tensor([[0.0, 0, 0, 1], [1, 0, 0, 0]], dtype=D)), PROBS.double()))
case("onehot_entropy_moments", lambda: [OneHotCategorical(logits=LOGITS).entropy()] + moments(OneHotCategorical(PROBS)))
case("onehot_shapes", lambda: shapes(OneHotCategorical(PROBS)))
case("onehot_enumerate", lambda: OneHotCategorical(PROBS).enumerate_support())
case("onehot_value", lambda: OneHotCategorical(PROBS).log_prob(torch.tensor([[0.0, 1, 1, 0], [1, 0, 0, 0]])))

# ---------------------------------------------------------------- MultivariateNormal
case("mvn_sample", lambda: MultivariateNormal(MU, COV).sample((4,)))
case("mvn_sample_tril", lambda: MultivariateNormal(MU, scale_tril=torch.tensor([[1.5, 0, 0], [0.3, 0.9, 0], [-0.2, 0.4, 0.7]])).sample((5,)))
case("mvn_rsample", lambda: grads(lambda m, L: MultivariateNormal(m, scale_tril=L).rsample((3,)), MU.double(), LTRIL64))
case("mvn_rsample_cov", lambda: grads(lambda m, c: MultivariateNormal(m, c).rsample((2,)), MU.double(), COV.double()))
case("mvn_log_prob", lambda: grads(lambda m, c: MultivariateNormal(m, c).log_prob(torch.tensor([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5]], dtype=D)), MU.double(), COV.double()))
case("mvn_log_prob_f32", lambda: MultivariateNormal(MU, COV).log_prob(torch.tensor([0.1, 0.2, 0.3])))
case("mvn_log_prob_precision", lambda: grads(lambda m, p: MultivariateNormal(m, precision_matrix=p).log_prob(torch.tensor([0.1, 0.2, 0.3], dtype=D)), MU.double(), torch.linalg.inv(COV.double())))
case("mvn_log_prob_batched", lambda: MultivariateNormal(torch.zeros(2, 3), COV).log_prob(torch.ones(4, 1, 3)))
case("mvn_entropy", lambda: grads(lambda c: MultivariateNormal(MU.double(), c).entropy(), COV.double()))
case("mvn_entropy_batched", lambda: MultivariateNormal(torch.zeros(2, 3), COV).entropy())
case("mvn_moments", lambda: moments(MultivariateNormal(MU, COV)))
case("mvn_matrices", lambda: (lambda m: [m.scale_tril, m.covariance_matrix, m.precision_matrix])(MultivariateNormal(MU, precision_matrix=torch.linalg.inv(COV))))
case("mvn_shapes", lambda: shapes(MultivariateNormal(torch.zeros(2, 3), COV)))
case("mvn_repr_tril", lambda: str(MultivariateNormal(MU, scale_tril=LTRIL)))
case("mvn_expand", lambda: shapes(MultivariateNormal(MU, COV).expand((2,))))
case("mvn_not_pd", lambda: MultivariateNormal(torch.zeros(2), torch.tensor([[1.0, 2], [2, 1]])))
case("mvn_not_sym", lambda: MultivariateNormal(torch.zeros(2), torch.tensor([[1.0, 0.5], [0, 1]])))
case("mvn_not_pd_novalidate", lambda: MultivariateNormal(torch.zeros(2), torch.tensor([[1.0, 2], [2, 1]]), validate_args=False))
case("mvn_bad_tril", lambda: MultivariateNormal(torch.zeros(2), scale_tril=torch.tensor([[1.0, 1.0], [0, 1]])))
case("mvn_none", lambda: MultivariateNormal(torch.zeros(2)))
case("mvn_loc_0d", lambda: MultivariateNormal(torch.tensor(0.0), COV))

# ---------------------------------------------------------------- Exponential, Laplace
case("exponential_sample", lambda: Exponential(SCALE).sample((4,)))
case("exponential_rsample", lambda: grads(lambda r: Exponential(r).rsample((3,)), SCALE64))
case("exponential_log_prob", lambda: grads(lambda r: Exponential(r).log_prob(torch.tensor([0.3, 0.7, 1.5], dtype=D)), SCALE64))
case("exponential_misc", lambda: [Exponential(SCALE).entropy(), Exponential(SCALE).cdf(torch.tensor([0.3, 0.7, 1.5])), Exponential(SCALE).icdf(torch.tensor([0.1, 0.5, 0.9]))] + moments(Exponential(SCALE)))
case("exponential_negative_value", lambda: Exponential(1.0).log_prob(torch.tensor(-1.0)))
case("laplace_sample", lambda: Laplace(LOC, SCALE).sample((4,)))
case("laplace_rsample", lambda: grads(lambda l, s: Laplace(l, s).rsample((3,)), LOC64, SCALE64))
case("laplace_log_prob", lambda: grads(lambda l, s: Laplace(l, s).log_prob(VAL.double()), LOC64, SCALE64))
case("laplace_misc", lambda: [Laplace(LOC, SCALE).entropy(), Laplace(LOC, SCALE).cdf(VAL), Laplace(LOC, SCALE).icdf(torch.tensor([0.1, 0.5, 0.9]))] + moments(Laplace(LOC, SCALE)))

# ---------------------------------------------------------------- Gamma, Beta, Dirichlet
CONC = torch.tensor([0.5, 2.0, 7.5])
RATE = torch.tensor([1.0, 0.5, 2.0])
case("gamma_sample", lambda: Gamma(CONC, RATE).sample((4,)))
case("gamma_sample_f64", lambda: Gamma(CONC.double(), RATE.double()).sample((4,)))
case("gamma_sample_small", lambda: Gamma(torch.tensor([0.05, 0.3]), 1.0).sample((5,)))
case("gamma_rsample", lambda: grads(lambda c, r: Gamma(c, r).rsample((3,)), CONC.double(), RATE.double()))
case("gamma_log_prob", lambda: grads(lambda c, r: Gamma(c, r).log_prob(torch.tensor([0.3, 1.7, 4.5], dtype=D)), CONC.double(), RATE.double()))
case("gamma_entropy", lambda: grads(lambda c, r: Gamma(c, r).entropy(), CONC.double(), RATE.double()))
case("gamma_moments", lambda: moments(Gamma(CONC, RATE)))
case("gamma_shapes", lambda: shapes(Gamma(1.0, 2.0)))
case("gamma_bad", lambda: Gamma(-1.0, 1.0))
case("beta_sample", lambda: Beta(CONC, RATE).sample((3,)))
case("beta_rsample", lambda: grads(lambda a, b: Beta(a, b).rsample((2,)), CONC.double(), RATE.double()))
case("beta_log_prob", lambda: grads(lambda a, b: Beta(a, b).log_prob(torch.tensor([0.3, 0.5, 0.9], dtype=D)), CONC.double(), RATE.double()))
case("beta_entropy", lambda: grads(lambda a, b: Beta(a, b).entropy(), CONC.double(), RATE.double()))
case("beta_moments", lambda: moments(Beta(CONC, RATE)))
case("beta_shapes", lambda: shapes(Beta(2.0, 3.0)))
case("beta_bad", lambda: Beta(torch.tensor([1.0, -1.0]), 1.0))
DCONC = torch.tensor([[0.5, 1.0, 3.0], [2.0, 2.0, 9.0]])
case("dirichlet_sample", lambda: Dirichlet(DCONC).sample((2,)))
case("dirichlet_rsample", lambda: grads(lambda c: Dirichlet(c).rsample((2,)), DCONC.double()))
case("dirichlet_log_prob", lambda: grads(lambda c: Dirichlet(c).log_prob(torch.tensor([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]], dtype=D)), DCONC.double()))
case("dirichlet_entropy", lambda: grads(lambda c: Dirichlet(c).entropy(), DCONC.double()))
case("dirichlet_moments", lambda: moments(Dirichlet(DCONC)) + [Dirichlet(torch.tensor([[0.5, 0.2, 0.9], [2.0, 3.0, 4.0]])).mode])
case("dirichlet_shapes", lambda: shapes(Dirichlet(DCONC)))
case("dirichlet_bad", lambda: Dirichlet(torch.tensor([1.0, -1.0])))
case("dirichlet_value", lambda: Dirichlet(torch.ones(3)).log_prob(torch.tensor([0.5, 0.6, 0.1])))

# ---------------------------------------------------------------- Independent
case("independent", lambda: (lambda d: [d.batch_shape, d.event_shape, d.log_prob(torch.zeros(2, 3)), d.entropy(), d.sample((2,)), str(d)])(Independent(Normal(torch.zeros(2, 3), SCALE), 1)))
case("independent_rsample", lambda: grads(lambda l: Independent(Normal(l, 1.0), 1).rsample((2,)), LOC64))
case("independent_bad", lambda: Independent(Normal(0.0, 1.0), 1))
case("independent_expand", lambda: shapes(Independent(Normal(torch.zeros(3), 1.0), 1).expand((2,))))

# ---------------------------------------------------------------- expand
case("uniform_expand", lambda: shapes(Uniform(LOC, LOC + SCALE).expand((2, 3))))
case("onehot_expand", lambda: shapes(OneHotCategorical(PROBS[0]).expand((3,))))
case("exponential_expand", lambda: shapes(Exponential(SCALE).expand((2, 3))))
case("laplace_expand", lambda: shapes(Laplace(LOC, SCALE).expand((2, 3))))
case("gamma_expand", lambda: shapes(Gamma(CONC, RATE).expand((2, 3))))
case("beta_expand", lambda: shapes(Beta(CONC, RATE).expand((2, 3))))
case("dirichlet_expand", lambda: shapes(Dirichlet(DCONC[0]).expand((2,))))
case("expand_keeps_validation", lambda: Normal(LOC, SCALE).expand((2, 3)).log_prob(torch.full((3,), float("nan"))))

# ---------------------------------------------------------------- kl_divergence
case("kl_normal_normal", lambda: grads(lambda a, b: kl_divergence(Normal(a, b), Normal(0.0, 2.0)), LOC64, SCALE64))
case("kl_bernoulli", lambda: kl_divergence(Bernoulli(P), Bernoulli(torch.tensor([0.5, 0.0, 1.0]))))
case("kl_bernoulli_grad", lambda: grads(lambda p: kl_divergence(Bernoulli(p), Bernoulli(torch.tensor([0.3, 0.6, 0.5], dtype=D))), P.double()))
case("kl_categorical", lambda: grads(lambda l: kl_divergence(Categorical(logits=l), Categorical(PROBS.double())), LOGITS.double()))
case("kl_categorical_zero", lambda: kl_divergence(Categorical(torch.tensor([0.5, 0.5, 0.0])), Categorical(torch.tensor([0.0, 0.5, 0.5]))))
case("kl_onehot", lambda: kl_divergence(OneHotCategorical(PROBS), OneHotCategorical(logits=LOGITS)))
case("kl_uniform", lambda: kl_divergence(Uniform(LOC, LOC + SCALE), Uniform(LOC - 1, LOC + 3 * SCALE)))
case("kl_uniform_inf", lambda: kl_divergence(Uniform(0.0, 2.0), Uniform(0.5, 3.0)))
case("kl_mvn", lambda: grads(lambda m, c: kl_divergence(MultivariateNormal(m, c), MultivariateNormal(torch.zeros(3, dtype=D), torch.eye(3, dtype=D) * 2)), MU.double(), COV.double()))
case("kl_mvn_batched", lambda: kl_divergence(MultivariateNormal(torch.zeros(2, 3), COV), MultivariateNormal(MU, scale_tril=LTRIL * 2)))
case("kl_mvn_event", lambda: kl_divergence(MultivariateNormal(torch.zeros(2), torch.eye(2)), MultivariateNormal(MU, COV)))
case("kl_exponential", lambda: kl_divergence(Exponential(SCALE), Exponential(RATE)))
case("kl_laplace", lambda: kl_divergence(Laplace(LOC, SCALE), Laplace(0.0, 1.0)))
case("kl_gamma", lambda: grads(lambda c, r: kl_divergence(Gamma(c, r), Gamma(torch.tensor([1.0, 1.0, 3.0], dtype=D), torch.tensor([2.0, 1.0, 1.0], dtype=D))), CONC.double(), RATE.double()))
case("kl_beta", lambda: kl_divergence(Beta(CONC, RATE), Beta(RATE, CONC)))
case("kl_dirichlet", lambda: grads(lambda c: kl_divergence(Dirichlet(c), Dirichlet(torch.ones(3, dtype=D))), DCONC.double()))
case("kl_independent", lambda: kl_divergence(Independent(Normal(torch.zeros(2, 3), 1.0), 1), Independent(Normal(torch.ones(2, 3), 2.0), 1)))
case("kl_uniform_normal", lambda: kl_divergence(Uniform(LOC, LOC + SCALE), Normal(0.0, 2.0)))
case("kl_normal_laplace", lambda: kl_divergence(Normal(LOC, SCALE), Laplace(0.0, 2.0)))
case("kl_exponential_normal", lambda: kl_divergence(Exponential(SCALE), Normal(LOC, 2.0)))
case("kl_exponential_gamma", lambda: kl_divergence(Exponential(SCALE), Gamma(CONC, RATE)))
case("kl_gamma_exponential", lambda: kl_divergence(Gamma(CONC, RATE), Exponential(SCALE)))
case("kl_laplace_normal", lambda: kl_divergence(Laplace(LOC, SCALE), Normal(0.0, 2.0)))
case("kl_uniform_exponential", lambda: kl_divergence(Uniform(torch.tensor([-1.0, 0.5]), 2.0), Exponential(1.5)))
case("kl_uniform_gamma", lambda: kl_divergence(Uniform(torch.tensor([-1.0, 0.5]), 2.0), Gamma(2.0, 1.5)))
case("kl_missing", lambda: kl_divergence(Laplace(0.0, 1.0), Bernoulli(0.5)))

out = {"cases": cases}
with open("test/fixtures/distributions.json", "w") as f:
    json.dump(out, f, separators=(",", ":"))
print(f"{len(cases)} cases")
