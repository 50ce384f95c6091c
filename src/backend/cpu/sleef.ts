/**
 * PyTorch's exp, log and tanh on CPU, bit for bit: Sleef 3.5's vectorised `expf_u10`, `logf_u10`,
 * `tanhf_u10` (float32) and `exp_u10`, `log_u10` (float64) as compiled for AVX2 (with FMA),
 * emulated one operation at a time.
 *
 * NOTE: PyTorch 1.13's AVX2 build computes `exp` / `log` / `tanh` (the unary ops, and the exp/log
 * inside softmax, log_softmax, sigmoid, silu, elu) with `Vectorized<float>::exp()` =
 * `Sleef_expf8_u10`, `log()` = `Sleef_logf8_u10`, `tanh()` = `Sleef_tanhf8_u10` and their double
 * counterparts (Debian links the system libsleef.so.3, 3.5.1). The steps below follow the
 * instructions of `Sleef_expf8_u10avx2`, `Sleef_finz_logf8_u10avx2`, `Sleef_finz_tanhf8_u10avx2`,
 * `Sleef_expd4_u10avx2` and `Sleef_logd4_u10avx2` in that library (read with objdump; see
 * docs/notes/float32-transcendentals.md): every float32 multiply, add and subtract is rounded with
 * Math.fround, and every `vfmadd` / `vfmsub` / `vfnmadd` is one rounding (fmaF, fma64).
 * This is our own code written from the algorithm (Sleef is Boost-licensed; nothing is copied).
 */
import { fma32, fma64 } from "../../random/fma.js";

const fr = Math.fround;

/**
 * fma32 for float32 x, y, z, small enough for V8 to inline: x * y is exact in float64, so the sum
 * rounded to float64 and then to float32 is the fused result unless it fell exactly on a float32
 * midpoint (double rounding), which is rare and handed to fma32. Finite inputs only.
 */
export function fmaF(x: number, y: number, z: number): number {
  const s = x * y + z, r = fr(s), d = s - r;
  if (d === 0) return r;
  const m = r + 2 * d;
  return fr(m) !== m ? r : fma32(x, y, z);
}

/** 2^k for integer k in [-160, 160], as exact doubles (index k + 160). */
const POW2 = new Float64Array(321);
for (let k = -160; k <= 160; k++) POW2[k + 160] = Math.pow(2, k);

/** 1.5 * 2^52: adding and subtracting it rounds a double to an integer, ties to even (cvtps2dq). */
const RINT = 6755399441055744;

// Sleef's constants for expf (float32 values).
const R_LN2F = fr(1.442695040888963407359924681001892137426645954152985934135449406931);
const NL2UF = fr(-0.693145751953125);
const NL2LF = fr(-1.428606765330187045e-06);
const E0 = fr(0.000198527617612853646278381);
const E1 = fr(0.00139304355252534151077271);
const E2 = fr(0.00833336077630519866943359);
const E3 = fr(0.0416664853692054748535156);
const E4 = fr(0.166666671633720397949219);

/**
 * Sleef's expf_u10 (AVX2) on one float32 value d:
 *   q = rint(d * R_LN2) (float32 product, then cvtps2dq: ties to even)
 *   s = fma(q, -L2U, d); s = fma(q, -L2L, s)        (Cody-Waite reduction, two FMAs)
 *   u = Horner over E0..E4, 0.5 with one FMA per step
 *   u = fma(s * s, u, s) + 1
 *   u = (u * 2^(q >> 1)) * 2^(q - (q >> 1))         (two float32 multiplies: ldexp2)
 *   d < -104 -> +0, d > 100 -> +inf; NaN stays NaN.
 */
export function expf(d: number): number {
  if (!(d >= -104)) return d !== d ? d : 0;
  if (d > 100) return Infinity;
  const q = fr(d * R_LN2F) + RINT - RINT;
  let s = fmaF(q, NL2UF, d);
  s = fmaF(q, NL2LF, s);
  let u = fmaF(E0, s, E1);
  u = fmaF(u, s, E2);
  u = fmaF(u, s, E3);
  u = fmaF(u, s, E4);
  u = fmaF(u, s, 0.5);
  u = fr(fmaF(fr(s * s), u, s) + 1);
  const q1 = q >> 1;
  return fr(fr(u * POW2[q1 + 160]!) * POW2[q - q1 + 160]!);
}

/** Row kernel: o[io + k] = expf(x[ix + k * sx]) for k < n (the float32 `exp` unary op). */
export function expfRow(n: number, x: ArrayLike<number>, ix: number, sx: number, o: { [i: number]: number }, io: number): void {
  for (let k = 0; k < n; k++, ix += sx) o[io + k] = expf(x[ix]!);
}

// Sleef's constants for logf_u10 (float32 values).
const FLT_MIN = 1.1754943508222875e-38;
const TWO64 = 18446744073709551616;
const FOUR_THIRDS = fr(1 / 0.75);
const LN2_HI = fr(0.69314718246459960938);
const LN2_LO = fr(-1.904654323148236017e-09);
const L0 = fr(0.3027294874);
const L1 = fr(0.3996108174);
const L2 = fr(0.6666694880);

const scratchF = new Float32Array(1);
const scratchI = new Int32Array(scratchF.buffer);

/**
 * Sleef's logf_u10 (AVX2) on one float32 value d, in double-float (hi + lo float32 pairs):
 *   d < FLT_MIN: d *= 2^64 (and e -= 64 below)
 *   e = biased exponent of float32(d * 4/3) - 127;  m = d / 2^e  (in [0.75, 1.5))
 *   s = (ln2_hi, ln2_lo) * e                        (dfmul with FMA error terms)
 *   x = (m - 1) / (m + 1)                           (dfadd2 twice, dfdiv with FMAs)
 *   t = (L0 * x2 + L1) * x2 + L2, x2 = x.hi^2
 *   s = s + 2x;  s = s + x.hi * x2 * t;  result = s.hi + s.lo
 *   +inf -> +inf, d < 0 or NaN -> NaN, +-0 -> -inf.
 */
export function logf(d: number): number {
  const o = d < FLT_MIN;
  if (o) d = fr(d * TWO64);
  scratchF[0] = d * FOUR_THIRDS;
  const eRaw = (scratchI[0]! >>> 23) & 0xff;
  const m = d * POW2[160 + 127 - eRaw]!; // exact: only the exponent changes (d normal here)
  const e = eRaw - (o ? 191 : 127);
  // s = dfmul((LN2_HI, LN2_LO), e)
  const sx = fr(e * LN2_HI);
  const sy = fmaF(e, LN2_LO, fmaF(e, LN2_HI, -sx));
  // num = dfadd2(-1, m)
  const nx = fr(m - 1), nv = fr(nx + 1);
  const ny = fr(fr(-1 - fr(nx - nv)) + fr(m - nv));
  // den = dfadd2(1, m)
  const dx = fr(m + 1), dv = fr(dx - 1);
  const dy = fr(fr(1 - fr(dx - dv)) + fr(m - dv));
  // x = dfdiv(num, den)
  const t = fr(1 / dx);
  const qx = fr(nx * t);
  let u = fmaF(t, nx, -qx);
  let w = fmaF(-t, dx, 1);
  w = fmaF(-t, dy, w);
  u = fmaF(t, ny, u);
  const qy = fmaF(qx, w, u);
  const x2 = fr(qx * qx);
  let p = fmaF(x2, L0, L1);
  p = fmaF(x2, p, L2);
  // r = dfadd(s, 2x)
  const x2x = qx + qx, x2y = qy + qy;
  const rx = fr(sx + x2x);
  const ry = fr(fr(fr(fr(sx - rx) + x2x) + sy) + x2y);
  // r = dfadd(r, x.hi * x2 * t)
  const pp = fr(fr(qx * x2) * p);
  const zx = fr(rx + pp);
  const zy = fr(fr(fr(rx - zx) + pp) + ry);
  const r = fr(zx + zy);
  if (d === Infinity) return Infinity;
  if (!(d >= 0)) return NaN;
  if (d === 0) return -Infinity;
  return r;
}

/** Row kernel: o[io + k] = logf(x[ix + k * sx]) (the float32 `log` unary op). */
export function logfRow(n: number, x: ArrayLike<number>, ix: number, sx: number, o: { [i: number]: number }, io: number): void {
  for (let k = 0; k < n; k++, ix += sx) o[io + k] = logf(x[ix]!);
}

// ---------------------------------------------------------------- float64: Sleef's exp_u10 (AVX2)

/** 2^k for integer k in [-1100, 1100] (index k + 1100). */
const POW2D = new Float64Array(2201);
for (let k = -1100; k <= 1100; k++) POW2D[k + 1100] = Math.pow(2, k);

const R_LN2 = 1.4426950408889634;
const NL2U = -0.693147180559663;
const NL2L = -2.8235290563031577e-13;
const D0 = 2.0812763782371645e-09, D1 = 2.511210703042288e-08, D2 = 2.755762628169491e-07, D3 = 2.7557234020253882e-06;
const D4 = 2.4801586874796863e-05, D5 = 0.00019841269898558658, D6 = 0.0013888888889144978, D7 = 0.008333333333314938;
const D8 = 0.041666666666666026, D9 = 0.1666666666666669;
const EXP_HI = 709.7827111495575;

/**
 * Sleef's exp_u10 (AVX2, `Sleef_expd4_u10avx2`) on one float64 d, every FMA rounded once (fma64):
 *   q = rint(d * R_LN2);  s = fma(q, -L2U, d);  s = fma(q, -L2L, s)
 *   degree-10 polynomial in s by Estrin's scheme over s, s^2, s^4, s^8 (one FMA per pair), then
 *   u = fma(s, u, 0.5); u = fma(s, u, 1); u = fma(s, u, 1)
 *   u = (u * 2^(q >> 1)) * 2^(q - (q >> 1));  d > 709.78... -> +inf, d < -1000 -> +0, NaN stays.
 */
export function expd(d: number): number {
  if (!(d >= -1000)) return d !== d ? d : 0;
  if (d > EXP_HI) return Infinity;
  const q = d * R_LN2 + RINT - RINT;
  let s = fma64(q, NL2U, d);
  s = fma64(q, NL2L, s);
  const s2 = s * s, s4 = s2 * s2, s8 = s4 * s4;
  const a = fma64(s, D0, D1);
  const b = fma64(s, D2, D3);
  const c = fma64(s2, b, fma64(s, D4, D5));
  const e = fma64(s, D6, D7);
  let f = fma64(s2, e, fma64(s, D8, D9));
  f = fma64(s4, c, f);
  f = fma64(s8, a, f);
  let u = fma64(s, f, 0.5);
  u = fma64(s, u, 1);
  u = fma64(s, u, 1);
  const q1 = q >> 1;
  return u * POW2D[q1 + 1100]! * POW2D[q - q1 + 1100]!;
}

/** Row kernel: o[io + k] = expd(x[ix + k * sx]) (the float64 `exp` unary op). */
export function expdRow(n: number, x: ArrayLike<number>, ix: number, sx: number, o: { [i: number]: number }, io: number): void {
  for (let k = 0; k < n; k++, ix += sx) o[io + k] = expd(x[ix]!);
}

// ---------------------------------------------------------------- float64: Sleef's log_u10 (AVX2)

const DBL_MIN = 2.2250738585072014e-308;
const TWO64D = 18446744073709551616;
const LN2D_HI = 0.6931471805599453, LN2D_LO = 2.3190468138462996e-17;
const G0 = 0.15256290510034287, G1 = 0.1818605932937786, G2 = 0.15320769885027014, G3 = 0.222221451983938;
const G4 = 0.28571429327942993, G5 = 0.3999999999635252, G6 = 0.6666666666667334;
const scratchD = new Float64Array(1);
const scratchDI = new Uint32Array(scratchD.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * Sleef's log_u10 (AVX2, `Sleef_logd4_u10avx2`) on one float64 d: the float32 algorithm (logf) in
 * double-double, with a 7-term polynomial in x.hi^2 by Estrin's scheme (x2, x4, x8).
 */
export function logd(d: number): number {
  const o = d < DBL_MIN;
  if (o) d = d * TWO64D;
  scratchD[0] = d * (4 / 3);
  const eRaw = (scratchDI[HI]! >>> 20) & 0x7ff;
  const m = d * POW2D[1100 + 1023 - eRaw]!; // exact: only the exponent changes
  const e = eRaw - (o ? 1087 : 1023);
  const nx = m - 1, nv = nx + 1;
  const ny = m - nv + (-1 - (nx - nv));
  const dx = m + 1, dv = dx - 1;
  const dy = 1 - (dx - dv) + (m - dv);
  const t = 1 / dx;
  const qx = t * nx;
  let u = fma64(t, nx, -qx);
  let w = fma64(-t, dx, 1);
  w = fma64(-t, dy, w);
  u = fma64(t, ny, u);
  const qy = fma64(qx, w, u);
  const x2 = qx * qx, x4 = x2 * x2, x8 = x4 * x4;
  const pa = fma64(x4, G2, fma64(x2, G0, G1));
  let p = fma64(x4, fma64(x2, G3, G4), fma64(x2, G5, G6));
  p = fma64(x8, pa, p);
  const sx = e * LN2D_HI;
  const sy = fma64(e, LN2D_LO, fma64(e, LN2D_HI, -sx));
  const x2x = qx + qx, x2y = qy + qy;
  const rx = x2x + sx;
  const ry = x2y + (sy + (sx - rx + x2x));
  const pp = p * (qx * x2);
  const zx = pp + rx;
  const zy = pp + (rx - zx) + ry;
  const r = zx + zy;
  if (d === Infinity) return Infinity;
  if (!(d >= 0)) return NaN;
  if (d === 0) return -Infinity;
  return r;
}

/** Row kernel: o[io + k] = logd(x[ix + k * sx]) (the float64 `log` unary op). */
export function logdRow(n: number, x: ArrayLike<number>, ix: number, sx: number, o: { [i: number]: number }, io: number): void {
  for (let k = 0; k < n; k++, ix += sx) o[io + k] = logd(x[ix]!);
}

// ---------------------------------------------------------------- float32: Sleef's tanhf_u10 (AVX2)

const T0 = fr(0.00019809602235909551), T1 = fr(0.0013942564837634563), T2 = fr(0.008333456702530384);
const T3 = fr(0.04166637361049652), T4 = fr(0.1666666567325592);
const TANH_ONE = fr(8.664340019226074);

/**
 * Sleef's tanhf_u10 (AVX2, `Sleef_tanhf8_u10avx2`) on one float32 x, in double-float (hi, lo):
 *   a = |x|;  G = exp(a) by expk2f (Cody-Waite with exact-sum additions, a 4-term FMA polynomial,
 *   then double-float multiply-adds up to 1 + s + s^2 * (...), both halves scaled by 2^q)
 *   E = 1 / G (dfrec);  y = (G - E) / (G + E) (dfadd twice, dfdiv);  hi + lo
 *   a > 8.66434 -> 1; the sign of x copied; NaN stays NaN.
 */
export function tanhf(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a > TANH_ONE) return x > 0 ? 1 : -1;
  // expk2f((a, 0))
  const q = fr(a * R_LN2F) + RINT - RINT;
  const p1 = fr(q * NL2UF);
  let sx = fr(p1 + a), v = fr(sx - a);
  let sy = fr(fr(a - fr(sx - v)) + fr(p1 - v));
  const p2 = fr(q * NL2LF);
  const s2x = fr(p2 + sx);
  v = fr(s2x - sx);
  sy = fr(sy + fr(fr(p2 - v) + fr(sx - fr(s2x - v))));
  sx = s2x;
  let u = fmaF(sx, T0, T1);
  u = fmaF(sx, u, T2);
  u = fmaF(sx, u, T3);
  // m = s * u (dfmul by a float)
  const mx = fr(sx * u);
  const my = fmaF(sy, u, fmaF(sx, u, -mx));
  // t = m + T4 (dfadd2)
  let tx = fr(mx + T4);
  v = fr(tx - mx);
  let ty = fr(my + fr(fr(T4 - v) + fr(mx - fr(tx - v))));
  // r = s * t (dfmul)
  const rx = fr(tx * sx);
  const ry = fmaF(sx, ty, fmaF(sy, tx, fmaF(sx, tx, -rx)));
  // T = r + 0.5 (dfadd2)
  tx = fr(0.5 + rx);
  v = fr(tx - rx);
  ty = fr(ry + fr(fr(0.5 - v) + fr(rx - fr(tx - v))));
  // W = s^2 * T (dfsqu, dfmul);  F = s + W (dfadd2)
  const q2x = fr(sx * sx);
  const q2y = fmaF(sy, fr(sx + sx), fmaF(sx, sx, -q2x));
  const wx = fr(q2x * tx);
  const wy = fmaF(q2x, ty, fmaF(tx, q2y, fmaF(q2x, tx, -wx)));
  const fx = fr(sx + wx);
  v = fr(fx - sx);
  const fy = fr(fr(fr(sx - fr(fx - v)) + fr(wx - v)) + fr(wy + sy));
  // G = 1 + F (dfadd), scaled by 2^q in two steps
  let gx = fr(fx + 1);
  let gy = fr(fr(fx + fr(1 - gx)) + fy);
  const q1 = q >> 1, e1 = POW2[q1 + 160]!, e2 = POW2[q - q1 + 160]!;
  gx = fr(fr(gx * e1) * e2);
  gy = fr(fr(gy * e1) * e2);
  // E = 1 / G (dfrec)
  const ex = fr(1 / gx);
  const ey = fr(ex * fmaF(-gy, ex, fmaF(-gx, ex, 1)));
  // N = G - E, D = G + E (dfadd)
  const nx = fr(gx - ex);
  const ny = fr(fr(fr(fr(gx - nx) - ex) + gy) - ey);
  const dx = fr(ex + gx);
  const dy = fr(fr(fr(ex + fr(gx - dx)) + gy) + ey);
  // y = N / D (dfdiv)
  const t = fr(1 / dx);
  const qx = fr(nx * t);
  let uu = fmaF(t, nx, -qx);
  let w = fmaF(-t, dx, 1);
  w = fmaF(-t, dy, w);
  uu = fmaF(t, ny, uu);
  const y = fr(fmaF(qx, w, uu) + qx);
  return x < 0 || (x === 0 && 1 / x < 0) ? -y : y;
}

/** Row kernel: o[io + k] = tanhf(x[ix + k * sx]) (the float32 `tanh` unary op). */
export function tanhfRow(n: number, x: ArrayLike<number>, ix: number, sx: number, o: { [i: number]: number }, io: number): void {
  for (let k = 0; k < n; k++, ix += sx) o[io + k] = tanhf(x[ix]!);
}
