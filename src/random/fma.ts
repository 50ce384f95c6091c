/**
 * Fused multiply-add, emulated exactly.
 *
 * NOTE: PyTorch's CPU kernels are compiled once per CPU capability; the AVX2 build uses
 * `-mavx2 -mfma`, and GCC then contracts `a * b + c` into one FMA instruction (a single
 * rounding). To print PyTorch's numbers bit for bit we must round exactly once too, which
 * JavaScript has no instruction for; these helpers compute the correctly rounded result.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Index of the low 32-bit word of a float64 (little-endian on every platform Node runs on,
// but checked rather than assumed).
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/** float32 fma: round(a * b + c) to float32 with one rounding. a, b, c must be float32 values. */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b; // exact: 24 + 24 significant bits fit in a double
  const s = p + c;
  const r = Math.fround(s);
  if (r === s) return r;
  // s was rounded to double; that can only change the float32 result if s fell exactly on a
  // float32 midpoint (double rounding). Check that case and break the tie with the error term.
  const d = s - r; // exact
  const other = r + 2 * d; // the float32 neighbour on the other side of s, if s is a midpoint
  if (Math.fround(other) !== other) return r;
  const bb = s - p;
  const err = p - (s - bb) + (c - bb); // s + err === p + c exactly (TwoSum)
  if (err === 0) return r; // a genuine tie: fround already rounded it to even
  return (err > 0) === (d > 0) ? other : r;
}

/** Veltkamp split constant for binary64: 2^27 + 1. */
const SPLIT = 134217729;

/** Rounds x + y to odd (the result's last bit is set whenever the sum was inexact). */
function addRoundToOdd(x: number, y: number): number {
  const s = x + y;
  const bb = s - x;
  const e = x - (s - bb) + (y - bb);
  if (e === 0) return s;
  f64[0] = s;
  if ((u32[LO]! & 1) === 1) return s;
  // s is even and inexact: step one ulp toward the exact value, which makes it odd.
  const awayFromZero = e > 0 === s > 0;
  const lo = u32[LO]!;
  const hi = u32[1 - LO]!;
  if (awayFromZero) {
    if (lo === 0xffffffff) {
      u32[LO] = 0;
      u32[1 - LO] = hi + 1;
    } else u32[LO] = lo + 1;
  } else {
    if (lo === 0) {
      u32[LO] = 0xffffffff;
      u32[1 - LO] = hi - 1;
    } else u32[LO] = lo - 1;
  }
  return f64[0]!;
}

/**
 * float64 fma: round(a * b + c) with one rounding.
 *
 * NOTE: Boldo & Melquiond's emulation ("Emulation of FMA and correctly rounded sums: proved
 * algorithms using rounding to odd", IEEE TC 2008): the product is split exactly into
 * uh + ul (Dekker), c + uh exactly into th + tl, and then RN(th + RO(tl + ul)) is the
 * correctly rounded a*b + c. Valid away from overflow and underflow, which the samplers never
 * reach.
 */
export function fma64(a: number, b: number, c: number): number {
  const uh = a * b;
  if (!Number.isFinite(uh) || uh === 0) return uh + c;
  // Dekker's exact product: a * b = uh + ul.
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const ul = al * bl - (uh - ah * bh - al * bh - ah * bl);
  // c + uh = th + tl exactly.
  const th = c + uh;
  const bb = th - c;
  const tl = c - (th - bb) + (uh - bb);
  return th + addRoundToOdd(tl, ul);
}
