// Scalar math the CPU kernels need beyond Math.*.

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * erf(x) to about 1e-15 relative.
 * NOTE: uses the all-positive series erf(x) = 2/sqrt(pi) * exp(-x^2) * sum 2^n x^(2n+1) / (2n+1)!!,
 * which has no cancellation (unlike the Taylor series), so float64 gradcheck of erf and gelu holds.
 * Beyond |x| = 6, erf is +-1 in double precision.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return x > 0 ? 1 : -1;
  const x2 = ax * ax;
  let term = ax,
    sum = ax;
  for (let n = 0; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 3);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  const r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  return x < 0 ? -r : r;
}

/** Round half to even, as torch.round (C's nearbyint) does. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r;
}

/** Python's modulo: the result has the sign of the divisor. */
export function pyRemainder(a: number, b: number): number {
  const m = a % b;
  return m !== 0 && m < 0 !== b < 0 ? m + b : m;
}

/**
 * Python's a // b for floats, as PyTorch's div_floor_floating (c10/util/generic_math.h) computes it:
 * from fmod rather than floor(a / b), so that 1 // inf is 0 and -1 // inf is -1, a zero quotient keeps
 * the sign of a / b, and a quotient rounded up to an integer is not floored below it. `rnd` rounds each
 * step to the kernel's dtype (Math.fround for float32; fmod itself is exact). Integer operands give
 * Python's floor division too (a nonzero divisor is checked before).
 */
export function divFloor(a: number, b: number, rnd: (v: number) => number = (v) => v): number {
  if (b === 0) return a / b;
  const mod = a % b;
  let div = rnd(rnd(a - mod) / b);
  if (mod !== 0 && b < 0 !== mod < 0) div = rnd(div - 1);
  if (div === 0) {
    const q = a / b;
    return q < 0 || Object.is(q, -0) ? -0 : 0;
  }
  const f = Math.floor(div);
  return rnd(div - f) > 0.5 ? rnd(f + 1) : f;
}
