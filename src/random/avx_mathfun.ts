/**
 * One lane of PyTorch's AVX2 Box-Muller kernel (`normal_fill_16_AVX2` in
 * aten/src/ATen/native/cpu/DistributionTemplates.h), which uses the Cephes-style `log256_ps`
 * and `sincos256_ps` of aten/src/ATen/native/cpu/avx_mathfun.h (after Julien Pommier's
 * sse_mathfun) instead of libm. Every step is rounded to float32 exactly as the vector code
 * rounds it, so `torch.randn` of 16 or more float32 values comes out bit for bit.
 *
 * NOTE (FMA): the kernel is compiled with `-mavx2 -mfma`, and GCC contracts a multiply whose only
 * use is an add or subtract into one FMA (its intrinsics are plain vector `*` and `+`); where two
 * multiplies feed one add, the first in program order is fused. Fused sites are written
 * `fr(a * b + c)`: the product of two float32 is exact in a double, so only the sum is rounded
 * before the final rounding to float32. That double rounding could in principle differ from a
 * true FMA when the sum lands exactly on a float32 midpoint, but for the inputs this kernel can
 * receive (u = k * 2^-24, k < 2^24) it never does: scripts/verify_avx_mathfun.ts checks all
 * 2^24 inputs of the log and of the sincos against an exactly rounded FMA (fma32). Unfused
 * sites are written `fr(fr(a * b) + c)`. This placement was confirmed against PyTorch 1.13
 * (Debian build, AVX2 dispatch) on 160000 samples with no differing bit; any other placement
 * differs in about 1 sample of 1000.
 */

import { fma32 } from "./fma.js";

const fr = Math.fround;

// Scratch for float32 <-> int32 bit casts.
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

// log256_ps constants (float32, as the _PS256_CONST tables hold them).
const SQRTHF = fr(0.707106781186547524);
const LOG_P0 = fr(7.0376836292e-2);
const LOG_P1 = fr(-1.151461031e-1);
const LOG_P2 = fr(1.167699874e-1);
const LOG_P3 = fr(-1.2420140846e-1);
const LOG_P4 = fr(1.4249322787e-1);
const LOG_P5 = fr(-1.6668057665e-1);
const LOG_P6 = fr(2.0000714765e-1);
const LOG_P7 = fr(-2.4999993993e-1);
const LOG_P8 = fr(3.3333331174e-1);
const LOG_Q1 = fr(-2.1219444e-4);
const LOG_Q2 = fr(0.693359375);
const MIN_NORM_POS = 1.1754943508222875e-38; // 0x00800000

/** `log256_ps` for one positive float32 lane. */
export function logAvx(x: number): number {
  if (x < MIN_NORM_POS) x = MIN_NORM_POS; // cut off denormals (the kernel never gets there)
  f32[0] = x;
  const bits = i32[0]!;
  // Split into exponent e and mantissa m in [0.5, 1).
  i32[0] = (bits & ~0x7f800000) | 0x3f000000;
  let m = f32[0]!;
  let e = (bits >>> 23) - 0x7f + 1; // a small integer: exact in float32
  if (m < SQRTHF) {
    e -= 1;
    m = fr(fr(m - 1) + m);
  } else {
    m = fr(m - 1);
  }
  const z = fr(m * m);
  // Horner steps, each multiply fused into its add.
  let y = fr(LOG_P0 * m + LOG_P1);
  y = fr(y * m + LOG_P2);
  y = fr(y * m + LOG_P3);
  y = fr(y * m + LOG_P4);
  y = fr(y * m + LOG_P5);
  y = fr(y * m + LOG_P6);
  y = fr(y * m + LOG_P7);
  y = fr(y * m + LOG_P8);
  y = fr(y * m); // feeds a multiply: not fused
  // y*z + e*q1: y*z comes first in the source, so it is the fused one.
  y = fr(y * z + fr(e * LOG_Q1));
  y = fr(y - z * 0.5); // z * 0.5 is exact, fused or not
  return fr(e * LOG_Q2 + fr(m + y));
}

// sincos256_ps constants.
const FOPI = fr(1.27323954473516); // 4 / pi
const MINUS_DP1 = fr(-0.78515625);
const MINUS_DP2 = fr(-2.4187564849853515625e-4);
const MINUS_DP3 = fr(-3.77489497744594108e-8);
const SIN_P0 = fr(-1.9515295891e-4);
const SIN_P1 = fr(8.3321608736e-3);
const SIN_P2 = fr(-1.6666654611e-1);
const COS_P0 = fr(2.443315711809948e-5);
const COS_P1 = fr(-1.388731625493765e-3);
const COS_P2 = fr(4.166664568298827e-2);

/** Results of the last `sincosAvx` call (avoids allocating a pair per sample). */
export const sincosOut = { sin: 0, cos: 0 };

/** `sincos256_ps` for one float32 lane with x >= 0 (the kernel only passes 2*pi*u, u in [0, 1)). */
export function sincosAvx(x: number): void {
  // Octant j, rounded up to even, as in Cephes.
  const j = (Math.trunc(fr(x * FOPI)) + 1) & ~1;
  // Extended-precision reduction x - j*pi/4; each product fused into its add.
  x = fr(j * MINUS_DP1 + x);
  x = fr(j * MINUS_DP2 + x);
  x = fr(j * MINUS_DP3 + x);
  const z = fr(x * x);
  let yc = fr(COS_P0 * z + COS_P1);
  yc = fr(yc * z + COS_P2);
  yc = fr(yc * z);
  yc = fr(yc * z - z * 0.5); // the second y*z is fused with the subtraction of (exact) z*0.5
  yc = fr(yc + 1);
  let ys = fr(SIN_P0 * z + SIN_P1);
  ys = fr(ys * z + SIN_P2);
  ys = fr(ys * z);
  ys = fr(ys * x + x);
  // j & 2 picks the polynomial for the sine (the cosine takes the other); j & 4 and
  // (j - 2) & 4 give the signs.
  const swap = (j & 2) !== 0;
  const s = swap ? yc : ys;
  const c = swap ? ys : yc;
  sincosOut.sin = (j & 4) !== 0 ? -s : s;
  sincosOut.cos = (~(j - 2) & 4) !== 0 ? -c : c;
}

const TWO_PI_F = fr(2 * Math.PI); // _mm256_set1_ps(2.0f * c10::pi<double>)

/**
 * `normal_fill_16_AVX2`: turns 16 uniforms at data[o..o+16) into 16 normals in place.
 * Lane j pairs u1 = 1 - data[o+j] with u2 = data[o+j+8]; the cosine sample goes to o+j and the
 * sine sample to o+j+8. `mean` and `std` must be float32 values.
 */
export function normalFill16Avx2(data: Float32Array, o: number, mean: number, std: number): void {
  const plain = std === 1 && mean === 0;
  for (let j = 0; j < 8; j++) {
    const u1 = fr(1 - data[o + j]!);
    const u2 = data[o + j + 8]!;
    const radius = fr(Math.sqrt(fr(-2 * logAvx(u1))));
    sincosAvx(fr(TWO_PI_F * u2));
    const n1 = fr(radius * sincosOut.cos);
    const n2 = fr(radius * sincosOut.sin);
    if (plain) {
      // fma(n, 1, 0) is n, except that it turns -0 into +0; so does n + 0.
      data[o + j] = n1 + 0;
      data[o + j + 8] = n2 + 0;
    } else {
      // _mm256_fmadd_ps(n, std, mean): an explicit FMA, for arbitrary std and mean, so exact.
      data[o + j] = fma32(n1, std, mean);
      data[o + j + 8] = fma32(n2, std, mean);
    }
  }
}
