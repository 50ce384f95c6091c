/**
 * Exhaustive check behind the FMA NOTE in src/random/avx_mathfun.ts (about 10 s):
 *
 *     npx tsx scripts/verify_avx_mathfun.ts
 *
 * PyTorch's AVX2 normal kernel fuses some multiply-adds into FMAs (one rounding). Our kernel
 * computes those sites as `fr(a * b + c)`: the float32 product is exact in a double, but the
 * double sum is rounded before the float32 rounding, which could differ from a true FMA if it
 * landed exactly on a float32 midpoint. The kernel only ever sees u = k * 2^-24 (k < 2^24), via
 * log(1 - u) and sincos(2*pi*u), so we can try every input: this script evaluates both
 * functions with an exactly rounded FMA (fma32) at every fused site and compares all 2^24
 * inputs with the fast versions. Run it again after any change to avx_mathfun.ts.
 */

import { fma32 } from "../src/random/fma.js";
import { logAvx, sincosAvx, sincosOut } from "../src/random/avx_mathfun.js";

const fr = Math.fround;
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

// The same constants as avx_mathfun.ts (avx_mathfun.h's tables).
const SQRTHF = fr(0.707106781186547524);
const LOG_P = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(fr);
const LOG_Q1 = fr(-2.1219444e-4);
const LOG_Q2 = fr(0.693359375);
const FOPI = fr(1.27323954473516);
const MINUS_DP = [-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8].map(fr);
const SIN_P = [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1].map(fr);
const COS_P = [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2].map(fr);
const TWO_PI_F = fr(2 * Math.PI);

/** log256_ps with an exact FMA at every fused site. */
function logExact(x: number): number {
  f32[0] = x;
  const bits = i32[0]!;
  i32[0] = (bits & ~0x7f800000) | 0x3f000000;
  let m = f32[0]!;
  let e = (bits >>> 23) - 0x7f + 1;
  if (m < SQRTHF) {
    e -= 1;
    m = fr(fr(m - 1) + m);
  } else {
    m = fr(m - 1);
  }
  const z = fr(m * m);
  let y = fma32(LOG_P[0]!, m, LOG_P[1]!);
  for (let k = 2; k <= 8; k++) y = fma32(y, m, LOG_P[k]!);
  y = fr(y * m);
  y = fma32(y, z, fr(e * LOG_Q1));
  y = fma32(z, -0.5, y);
  return fma32(e, LOG_Q2, fr(m + y));
}

/** sincos256_ps with an exact FMA at every fused site; returns [sin, cos]. */
function sincosExact(x: number): [number, number] {
  const j = (Math.trunc(fr(x * FOPI)) + 1) & ~1;
  for (const dp of MINUS_DP) x = fma32(j, dp, x);
  const z = fr(x * x);
  let yc = fma32(COS_P[0]!, z, COS_P[1]!);
  yc = fma32(yc, z, COS_P[2]!);
  yc = fr(yc * z);
  yc = fma32(yc, z, -fr(z * 0.5));
  yc = fr(yc + 1);
  let ys = fma32(SIN_P[0]!, z, SIN_P[1]!);
  ys = fma32(ys, z, SIN_P[2]!);
  ys = fr(ys * z);
  ys = fma32(ys, x, x);
  const swap = (j & 2) !== 0;
  const s = swap ? yc : ys;
  const c = swap ? ys : yc;
  return [(j & 4) !== 0 ? -s : s, (~(j - 2) & 4) !== 0 ? -c : c];
}

let badLog = 0;
let badSincos = 0;
const t0 = performance.now();
for (let k = 0; k < 1 << 24; k++) {
  const u = k * 2 ** -24;
  const u1 = fr(1 - u);
  const a = logAvx(u1);
  const b = logExact(u1);
  if (!Object.is(a, b)) {
    if (badLog++ < 5) console.log(`log(${u1}): fast ${a}, exact ${b}`);
  }
  const theta = fr(TWO_PI_F * u);
  sincosAvx(theta);
  const [s, c] = sincosExact(theta);
  if (!Object.is(sincosOut.sin, s) || !Object.is(sincosOut.cos, c)) {
    if (badSincos++ < 5) console.log(`sincos(${theta}): fast ${sincosOut.sin}, ${sincosOut.cos}; exact ${s}, ${c}`);
  }
}
const secs = ((performance.now() - t0) / 1000).toFixed(1);
console.log(`checked 2^24 inputs in ${secs} s: ${badLog} log and ${badSincos} sincos mismatches`);
if (badLog + badSincos > 0) process.exit(1);
