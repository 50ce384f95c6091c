// Special functions and samplers for the Gamma family: lgamma, digamma, polygamma as differentiable
// elementwise ops (LgammaBackward0, DigammaBackward0, PolygammaBackward0), PyTorch's CPU Gamma and
// Dirichlet samplers (same draws from the generator), and the reparameterized gradients of a Gamma or
// Beta sample with respect to its concentration.
import { record } from "../autograd/function.js";
import { Tensor } from "../tensor/tensor.js";
import { float64 } from "../tensor/dtype.js";
import { defaultGenerator, type Generator } from "../random/generator.js";
import { normalScalar } from "../random/distributions.js";
import { backend, fromStorage } from "../ops/core.js";

// ------------------------------------------------------------------------------------------ scalar functions

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log|Gamma(x)| in double: shifted up to x >= 10, where Stirling's series with terms to x^-13 is
 * accurate to rounding; reflection for x < 0.5. Poles (0, -1, -2, ...) give +inf.
 */
export function lgammaScalar(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) {
    // Gamma(x) Gamma(1 - x) = pi / sin(pi x)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgammaScalar(1 - x);
  }
  let shift = 0;
  let prod = 1;
  while (x < 10) {
    prod *= x;
    x += 1;
    // (keep the running product in range)
    if (prod > 1e280) { shift += Math.log(prod); prod = 1; }
  }
  shift += Math.log(prod);
  const z = 1 / (x * x);
  const series = (1 / 12 - z * (1 / 360 - z * (1 / 1260 - z * (1 / 1680 - z * (1 / 1188 - z * (691 / 360360 - z / 156)))))) / x;
  return (x - 0.5) * Math.log(x) - x + LOG_SQRT_2PI + series - shift;
}

/**
 * The digamma function psi(x) = d/dx log Gamma(x), in double: recurrence up to x >= 10, then the
 * asymptotic series; reflection for negative x. As PyTorch: psi(+-0) = -+inf, a negative integer NaN.
 */
export function digammaScalar(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity;
  if (x === Infinity) return Infinity;
  if (x < 0) {
    if (Number.isInteger(x)) return NaN;
    // psi(1 - x) - psi(x) = pi cot(pi x)
    return digammaScalar(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let r = 0;
  while (x < 10) {
    r -= 1 / x;
    x += 1;
  }
  const z = 1 / (x * x);
  const series = z * (1 / 12 - z * (1 / 120 - z * (1 / 252 - z * (1 / 240 - z * (1 / 132 - z * (691 / 32760 - z / 12))))));
  return r + Math.log(x) - 0.5 / x - series;
}

/** Bernoulli numbers B_2, B_4, ..., B_20. */
const B2K = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330];

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/**
 * The polygamma function psi^(n)(x) for n >= 1 (n = 0 is digamma), x > 0 in double: recurrence
 * psi^(n)(x) = psi^(n)(x + 1) + (-1)^(n+1) n! / x^(n+1) up to x >= 20, then the asymptotic series
 * (-1)^(n+1) [(n-1)!/x^n + n!/(2 x^(n+1)) + sum_k B_2k (2k+n-1)! / ((2k)! x^(2k+n))].
 */
export function polygammaScalar(n: number, x: number): number {
  if (n === 0) return digammaScalar(x);
  if (n === 1) return trigammaScalar(x);
  if (Number.isNaN(x)) return NaN;
  const sign = n % 2 === 1 ? 1 : -1;
  if (x <= 0 && Number.isInteger(x)) return n % 2 === 1 ? Infinity : NaN;
  if (x < 0) {
    // no reflection formula of our own for n >= 1 on negative x: sum the recurrence from x up
    let acc = 0;
    while (x < 20) {
      acc += sign * factorial(n) / Math.pow(x, n + 1);
      x += 1;
    }
    return acc + polygammaScalar(n, x);
  }
  let acc = 0;
  const nf = factorial(n);
  while (x < 20) {
    acc += (sign * nf) / Math.pow(x, n + 1);
    x += 1;
  }
  let s = factorial(n - 1) / Math.pow(x, n) + nf / (2 * Math.pow(x, n + 1));
  for (let k = 1; k <= B2K.length; k++) {
    const term = (B2K[k - 1]! * factorial(2 * k + n - 1)) / (factorial(2 * k) * Math.pow(x, 2 * k + n));
    s += term;
    if (Math.abs(term) < 1e-17 * Math.abs(s)) break;
  }
  return acc + sign * s;
}

/**
 * The trigamma function psi^(1)(x) as PyTorch computes it (so that gradients through digamma agree
 * with PyTorch's to rounding): reflection below 1/2, six steps of the recurrence, then the asymptotic
 * series 1/x + 1/(2x^2) + 1/(6x^3) - 1/(30x^5) + 1/(42x^7). NOTE: stopping the series there leaves an
 * error of about 1e-10 relative near x = 7; PyTorch's values carry the same error.
 */
export function trigammaScalar(x: number): number {
  let sign = 1, result = 0;
  if (x < 0.5) {
    sign = -1;
    const s = Math.sin(Math.PI * x);
    result -= (Math.PI * Math.PI) / (s * s);
    x = 1 - x;
  }
  for (let i = 0; i < 6; i++) {
    result += 1 / (x * x);
    x += 1;
  }
  const ixx = 1 / (x * x);
  result += (1 + 1 / (2 * x) + ixx * (1 / 6 - ixx * (1 / 30 - ixx * (1 / 42)))) / x;
  return sign * result;
}

// ------------------------------------------------------------------------------------------ tensor ops

/** Applies f elementwise in double; the result keeps x's (floating) dtype. */
function mapValues(x: Tensor, f: (v: number) => number): Tensor {
  const v = x._values();
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = f(Number(v[i]));
  const dtype = x.dtype.isFloatingPoint ? x.dtype : float64;
  return fromStorage(backend().fromValues(dtype, out), x.shape.slice(), dtype);
}

/** torch.lgamma(x): log|Gamma(x)|. LgammaBackward0 (gradient g * digamma(x)). */
export function lgamma(x: Tensor): Tensor {
  return record("LgammaBackward0", [x], mapValues(x, lgammaScalar), (g, s) => [g.mul(digamma(s(0)))], [x]);
}

/** torch.digamma(x). DigammaBackward0 (gradient g * polygamma(1, x)). */
export function digamma(x: Tensor): Tensor {
  return record("DigammaBackward0", [x], mapValues(x, digammaScalar), (g, s) => [g.mul(polygamma(1, s(0)))], [x]);
}

/** torch.polygamma(n, x). PolygammaBackward0 (gradient g * polygamma(n + 1, x)). */
export function polygamma(n: number, x: Tensor): Tensor {
  if (n === 0) return digamma(x);
  return record("PolygammaBackward0", [x], mapValues(x, (v) => polygammaScalar(n, v)), (g, s) => [g.mul(polygamma(n + 1, s(0)))], [x]);
}

// ------------------------------------------------------------------------------------------ samplers

/** `uniform_real_distribution<double>(0, 1)`: the low 53 bits of `random64()` times 2^-53. */
function uniform53(gen: Generator): number {
  const hi = gen.random();
  const lo = gen.random();
  return ((hi & 0x1fffff) * 2 ** 32 + lo) * 2 ** -53;
}

const F32_1_3 = Math.fround(1 / 3);
const F32_0_0331 = Math.fround(0.0331);

/**
 * One draw of PyTorch's CPU `sample_gamma` (Marsaglia and Tsang's rejection method, alpha < 1 boosted
 * by u^(1/alpha)), drawing from the generator in PyTorch's order: a 53-bit uniform for the boost, then
 * per attempt normals (the generator's cached Box-Muller pair) until 1 + c x > 0, then a 53-bit uniform.
 * `f32`: the concentration is a float (as `sample_gamma<float, double>` for float32 tensors), so
 * 1 / alpha, alpha + 1 and alpha - 1/3 are rounded to float; the rest runs in double.
 * NOTE: the float constants 1.0f / 3.0f and 0.0331f are PyTorch's (rounded to float even for double).
 * NOTE: log and pow are V8's, not glibc's; they differ in the last bit now and then, which can move a
 * float64 sample by an ulp and, very rarely, flip an acceptance test (then the streams part).
 */
export function sampleGamma(gen: Generator, alpha: number, f32: boolean): number {
  const fr = f32 ? Math.fround : (v: number) => v;
  let scale = 1.0;
  if (alpha < 1) {
    if (alpha === 0) return 0;
    scale *= Math.pow(1 - uniform53(gen), fr(1 / alpha));
    alpha = fr(alpha + 1);
  }
  const d = fr(alpha - F32_1_3);
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, y: number;
    do {
      x = normalScalar(gen);
      y = 1 + c * x;
    } while (y <= 0);
    const v = y * y * y;
    const u = 1 - uniform53(gen);
    const xx = x * x;
    if (u < 1 - F32_0_0331 * xx * xx) return scale * d * v;
    if (Math.log(u) < 0.5 * xx + d * (1 - v + Math.log(v))) return scale * d * v;
  }
}

const F32_TINY = 2 ** -126;
const F64_TINY = 2 ** -1022;

/**
 * torch._standard_gamma(alpha): one Gamma(alpha, 1) draw per element, in row-major order, each at
 * least the dtype's smallest normal number. StandardGammaBackward0: the gradient is g times the
 * reparameterized derivative (standardGammaGrad).
 */
export function standardGamma(alpha: Tensor, gen: Generator = defaultGenerator): Tensor {
  const f32 = alpha.dtype !== float64;
  const a = alpha._values();
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const s = sampleGamma(gen, f32 ? Math.fround(Number(a[i])) : Number(a[i]), f32);
    out[i] = f32 ? Math.max(F32_TINY, Math.fround(s)) : Math.max(F64_TINY, s);
  }
  const x = fromStorage(backend().fromValues(alpha.dtype, out), alpha.shape.slice(), alpha.dtype);
  return record("StandardGammaBackward0", [alpha], x, (g, s) => [g.mul(standardGammaGrad(s(0), s(1)))], [alpha, x]);
}

/**
 * torch._sample_dirichlet(alpha): Gamma(alpha_i) draws in double (row-major, as PyTorch's kernel),
 * each normalized by its row's sum, then clamped to [smallest normal, largest value below 1] of the
 * dtype.
 */
export function sampleDirichlet(alpha: Tensor, gen: Generator = defaultGenerator): Tensor {
  const a = alpha._values();
  const k = alpha.shape[alpha.dim() - 1]!;
  const g = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) g[i] = Math.max(F64_TINY, sampleGamma(gen, Number(a[i]), false));
  const f32 = alpha.dtype !== float64;
  const hi = f32 ? 1 - 2 ** -24 : 1 - 2 ** -53;
  const lo = f32 ? F32_TINY : F64_TINY;
  const out = new Float64Array(a.length);
  for (let r = 0; r < a.length / k; r++) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += g[r * k + j]!;
    for (let j = 0; j < k; j++) {
      const v = g[r * k + j]! / sum;
      out[r * k + j] = Math.min(hi, Math.max(lo, f32 ? Math.fround(v) : v));
    }
  }
  return fromStorage(backend().fromValues(alpha.dtype, out), alpha.shape.slice(), alpha.dtype);
}

// ------------------------------------------------------------------------------------------ reparameterized gradients

/**
 * The regularized lower incomplete gamma P(a, x) by its series (x < a + 1), or 1 - Q by the
 * continued fraction of Q (Lentz's method) otherwise; `upper` asks for Q instead.
 */
function incGamma(a: number, x: number, upper: boolean): number {
  if (x <= 0) return upper ? 1 : 0;
  const lead = a * Math.log(x) - x - lgammaScalar(a);
  if (x < a + 1) {
    let term = 1 / a, sum = term;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    const p = sum * Math.exp(lead);
    return upper ? 1 - p : p;
  }
  const tiny = 1e-300;
  let b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  const q = Math.exp(lead) * h;
  return upper ? q : 1 - q;
}

/** d/da of f at a, by central differences with one Richardson step (error O(h^4)). */
function dda(f: (a: number) => number, a: number): number {
  const h = 1e-3 * Math.max(a, 1e-2);
  const d1 = (f(a + h) - f(a - h)) / (2 * h);
  const d2 = (f(a + h / 2) - f(a - h / 2)) / h;
  return (4 * d2 - d1) / 3;
}

/**
 * The reparameterized derivative dx/dalpha of a Gamma(alpha, 1) sample x: -(dP(alpha, x)/dalpha) /
 * pdf(x; alpha), with dP/dalpha taken numerically from P (or from Q in the upper tail, where Q keeps
 * its relative precision).
 * NOTE: PyTorch's `_standard_gamma_grad` evaluates fitted approximations instead (a Taylor series,
 * a saddle-point expansion, a rational fit), accurate to about 2e-4 relative (measured against
 * mpmath on 280 samples); this is the derivative itself, so the two agree to that accuracy, not to
 * rounding.
 */
export function gammaGradScalar(alpha: number, x: number): number {
  const upper = !(x < alpha + 1);
  const dP = upper ? -dda((a) => incGamma(a, x, true), alpha) : dda((a) => incGamma(a, x, false), alpha);
  const logPdf = (alpha - 1) * Math.log(x) - x - lgammaScalar(alpha);
  const r = -dP / Math.exp(logPdf);
  return Number.isFinite(r) ? r : 0;
}

/** torch._standard_gamma_grad(alpha, x), elementwise (not differentiable itself, as in PyTorch). */
export function standardGammaGrad(alpha: Tensor, x: Tensor): Tensor {
  const a = alpha._values(), v = x._values();
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = gammaGradScalar(Number(a[i]), Number(v[i]));
  return fromStorage(backend().fromValues(alpha.dtype, out), alpha.shape.slice(), alpha.dtype);
}

/** The regularized incomplete beta I_x(a, b) by its continued fraction (valid for x < (a + 1) / (a + b + 2)). */
function betaCf(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1, d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  const lead = a * Math.log(x) + b * Math.log1p(-x) - (lgammaScalar(a) + lgammaScalar(b) - lgammaScalar(a + b));
  return (Math.exp(lead) * h) / a;
}

/**
 * PyTorch's `_dirichlet_grad` element: -(d/dalpha I_x(alpha, beta)) / pdf(x; alpha, beta) / (1 - x)
 * with beta = total - alpha held fixed, the derivative taken numerically from whichever side of the
 * incomplete beta keeps its relative precision.
 * NOTE: PyTorch evaluates fitted approximations here too (asymptotic series near 0 and 1, a
 * saddle-point expansion, a rational correction), so the two agree to their accuracy, not to rounding.
 */
export function dirichletGradScalar(x: number, alpha: number, total: number): number {
  const beta = total - alpha;
  const lower = x < (alpha + 1) / (total + 2);
  const dI = lower ? dda((a) => betaCf(x, a, beta), alpha) : -dda((a) => betaCf(1 - x, beta, a), alpha);
  const logPdf = (alpha - 1) * Math.log(x) + (beta - 1) * Math.log1p(-x) - (lgammaScalar(alpha) + lgammaScalar(beta) - lgammaScalar(total));
  const r = -dI / Math.exp(logPdf) / (1 - x);
  return Number.isFinite(r) ? r : 0;
}

/** torch._dirichlet_grad(x, alpha, total), elementwise. */
export function dirichletGrad(x: Tensor, alpha: Tensor, total: Tensor): Tensor {
  const xv = x._values(), av = alpha._values(), tv = total._values();
  const out = new Float64Array(xv.length);
  for (let i = 0; i < xv.length; i++) out[i] = dirichletGradScalar(Number(xv[i]), Number(av[i]), Number(tv[i]));
  return fromStorage(backend().fromValues(x.dtype, out), x.shape.slice(), x.dtype);
}
