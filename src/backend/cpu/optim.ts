// Fused optimizer updates of the reference backend: one pass over a parameter's elements in place of
// the dozen kernels (and temporaries) that src/optim composes its update from.
//
// NOTE: each loop rounds every intermediate exactly as PyTorch's sequence of kernels does, so the
// result is the composed update's, bit for bit (test/optim_fused.test.ts checks it):
// - a scalar is cast to the tensor's dtype before use (`buf.mul_(0.9)` multiplies by float32(0.9));
// - add with alpha (`a.add_(b, alpha)`) and addcmul are one fused multiply-add in PyTorch's AVX2
//   build (see kernels.ts): fmaF / fmaD here, rounded once;
// - every other op (mul, div, sqrt, add, addcdiv's `a + (v * b) / c`) rounds its result to the
//   dtype: Math.fround for float32. Computing a float32 op in float64 and rounding once gives the
//   float32 op's result (float64 has more than twice float32's precision, so the double rounding is
//   harmless for +, -, *, / and sqrt).
// The loops are monomorphic, one per dtype; the options are loop invariants.
import type { AdagradStepScalars, AdamStepScalars, RMSpropStepScalars, SGDStepScalars, View } from "../backend.js";
import { fma64 } from "../../random/fma.js";
import { numelOf } from "../../tensor/shape.js";

const fr = Math.fround;

/**
 * float32 fma of float32 values, rounded once (fma32's algorithm, written small so V8 inlines it):
 * x * y is exact in float64, so their sum rounded to float64 and then to float32 is the fused result
 * unless it fell exactly on a float32 midpoint (double rounding); the exact sum's error term then
 * breaks the tie.
 */
function fmaF(x: number, y: number, z: number): number {
  const p = x * y, s = p + z, r = fr(s), d = s - r;
  if (d === 0) return r;
  const m = r + 2 * d;
  if (fr(m) !== m) return r;
  const bb = s - p, err = p - (s - bb) + (z - bb);
  return err === 0 ? r : err > 0 === d > 0 ? m : r;
}

/** float64 fma (kernels.ts's fmaD): an infinite or NaN addend passes through. */
function fmaD(a: number, b: number, c: number): number {
  return Number.isFinite(c) ? fma64(a, b, c) : a * b + c;
}

/** The storage of a contiguous view, from its offset, as the dtype's array type. */
function arr32(v: View): Float32Array {
  const a = v.storage as Float32Array;
  return v.offset === 0 ? a : a.subarray(v.offset);
}
function arr64(v: View): Float64Array {
  const a = v.storage as Float64Array;
  return v.offset === 0 ? a : a.subarray(v.offset);
}

// ---------------------------------------------------------------- SGD
// NOTE: V8 does not move a loop-invariant `if` out of a loop, and such a branch made these loops
// ~3x slower (measured). So the common cases get loops without one: maximize is a multiplication by
// -1 (exact), and the other options pick a loop; the general loop covers the rest.

/**
 * The SGD step of sgd.ts, per element, float32:
 * d = g (negated for maximize); d = fma(wd, p, d); buf = first ? d : fma(1 - dampening, d, buf * momentum);
 * d = nesterov ? fma(momentum, buf, d) : buf; p = fma(-lr, d, p).
 */
export function sgdStepF32(p: Float32Array, g: Float32Array, b: Float32Array | null, n: number, o: SGDStepScalars): void {
  const nlr = fr(-o.lr), wd = fr(o.weightDecay), mom = fr(o.momentum), omd = fr(1 - o.dampening);
  const useWd = o.weightDecay !== 0, maximize = o.maximize, nesterov = o.nesterov, first = o.firstStep;
  const sg = maximize ? -1 : 1;
  if (!useWd && (b === null || o.momentum === 0)) {
    for (let i = 0; i < n; i++) p[i] = fmaF(nlr, sg * g[i]!, p[i]!);
    return;
  }
  if (!useWd && b !== null && !first && !nesterov) {
    // NOTE: alpha 1 (no dampening) is a plain add in PyTorch and here: fr(d + t) is the fused result.
    if (omd === 1)
      for (let i = 0; i < n; i++) {
        const bi = fr(sg * g[i]! + fr(b[i]! * mom));
        b[i] = bi;
        p[i] = fmaF(nlr, bi, p[i]!);
      }
    else
      for (let i = 0; i < n; i++) {
        const bi = fmaF(omd, sg * g[i]!, fr(b[i]! * mom));
        b[i] = bi;
        p[i] = fmaF(nlr, bi, p[i]!);
      }
    return;
  }
  const useMom = b !== null && o.momentum !== 0;
  for (let i = 0; i < n; i++) {
    let d = sg * g[i]!;
    const pi = p[i]!;
    if (useWd) d = fmaF(wd, pi, d);
    if (useMom) {
      const t = fr(b![i]! * mom);
      const bi = first ? d : omd === 1 ? fr(d + t) : fmaF(omd, d, t);
      b![i] = bi;
      d = nesterov ? fmaF(mom, bi, d) : bi;
    }
    p[i] = fmaF(nlr, d, pi);
  }
}

/** sgdStepF32 in float64 (the multiply-adds fused through fma64's exact emulation). */
export function sgdStepF64(p: Float64Array, g: Float64Array, b: Float64Array | null, n: number, o: SGDStepScalars): void {
  const nlr = -o.lr, wd = o.weightDecay, mom = o.momentum, omd = 1 - o.dampening;
  const useWd = o.weightDecay !== 0, maximize = o.maximize, nesterov = o.nesterov, first = o.firstStep;
  const sg = maximize ? -1 : 1;
  if (!useWd && (b === null || o.momentum === 0)) {
    for (let i = 0; i < n; i++) p[i] = fmaD(nlr, sg * g[i]!, p[i]!);
    return;
  }
  if (!useWd && b !== null && !first && !nesterov) {
    if (omd === 1)
      for (let i = 0; i < n; i++) {
        const bi = sg * g[i]! + b[i]! * mom;
        b[i] = bi;
        p[i] = fmaD(nlr, bi, p[i]!);
      }
    else
      for (let i = 0; i < n; i++) {
        const bi = fmaD(omd, sg * g[i]!, b[i]! * mom);
        b[i] = bi;
        p[i] = fmaD(nlr, bi, p[i]!);
      }
    return;
  }
  const useMom = b !== null && o.momentum !== 0;
  for (let i = 0; i < n; i++) {
    let d = sg * g[i]!;
    const pi = p[i]!;
    if (useWd) d = fmaD(wd, pi, d);
    if (useMom) {
      const t = b![i]! * mom;
      const bi = first ? d : omd === 1 ? d + t : fmaD(omd, d, t);
      b![i] = bi;
      d = nesterov ? fmaD(mom, bi, d) : bi;
    }
    p[i] = fmaD(nlr, d, pi);
  }
}

// ---------------------------------------------------------------- Adam / AdamW
/**
 * The Adam / AdamW step of adam.ts, per element, float32:
 * g (negated for maximize); AdamW: p = p * (1 - lr * wd), Adam: g = fma(wd, p, g);
 * m = fma(1 - beta1, g, m * beta1); v = fma((1 - beta2) * g, g, v * beta2); amsgrad: vmax = max(vmax, v);
 * denom = sqrt(v or vmax) / bc2Sqrt + eps; p = p + (-stepSize * m) / denom.
 * Without amsgrad or Adam's weight decay, the loop has no branch: AdamW's decay multiplies by 1
 * for Adam (exact), maximize by -1.
 */
export function adamStepF32(
  p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, vmax: Float32Array | null, n: number, o: AdamStepScalars,
): void {
  const b1 = fr(o.beta1), omb1 = fr(1 - o.beta1), b2 = fr(o.beta2), omb2 = fr(1 - o.beta2);
  const decay = o.decoupled ? fr(1 - o.lr * o.weightDecay) : 1, wd = fr(o.weightDecay);
  const useWd = !o.decoupled && o.weightDecay !== 0, sg = o.maximize ? -1 : 1;
  const bc2 = fr(o.biasCorrection2Sqrt), eps = fr(o.eps), nss = fr(-o.stepSize);
  const ams = o.amsgrad && vmax !== null;
  if (!useWd && !ams) {
    for (let i = 0; i < n; i++) {
      const gi = sg * g[i]!, pi = fr(p[i]! * decay);
      const mi = fmaF(omb1, gi, fr(m[i]! * b1));
      m[i] = mi;
      const vi = fmaF(fr(omb2 * gi), gi, fr(v[i]! * b2));
      v[i] = vi;
      p[i] = pi + fr(fr(nss * mi) / fr(fr(fr(Math.sqrt(vi)) / bc2) + eps));
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    let gi = sg * g[i]!;
    const pi = fr(p[i]! * decay);
    if (useWd) gi = fmaF(wd, pi, gi);
    const mi = fmaF(omb1, gi, fr(m[i]! * b1));
    m[i] = mi;
    let vi = fmaF(fr(omb2 * gi), gi, fr(v[i]! * b2));
    v[i] = vi;
    if (ams) {
      const x = vmax![i]!;
      vi = x !== x || vi !== vi ? NaN : x > vi ? x : vi;
      vmax![i] = vi;
    }
    p[i] = pi + fr(fr(nss * mi) / fr(fr(fr(Math.sqrt(vi)) / bc2) + eps));
  }
}

/** adamStepF32 in float64 (the multiply-adds fused through fma64's exact emulation). */
export function adamStepF64(
  p: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, vmax: Float64Array | null, n: number, o: AdamStepScalars,
): void {
  const b1 = o.beta1, omb1 = 1 - o.beta1, b2 = o.beta2, omb2 = 1 - o.beta2;
  const decay = o.decoupled ? 1 - o.lr * o.weightDecay : 1, wd = o.weightDecay;
  const useWd = !o.decoupled && o.weightDecay !== 0, sg = o.maximize ? -1 : 1;
  const bc2 = o.biasCorrection2Sqrt, eps = o.eps, nss = -o.stepSize;
  const ams = o.amsgrad && vmax !== null;
  if (!useWd && !ams) {
    for (let i = 0; i < n; i++) {
      const gi = sg * g[i]!, pi = p[i]! * decay;
      const mi = fmaD(omb1, gi, m[i]! * b1);
      m[i] = mi;
      const vi = fmaD(omb2 * gi, gi, v[i]! * b2);
      v[i] = vi;
      p[i] = pi + (nss * mi) / (Math.sqrt(vi) / bc2 + eps);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    let gi = sg * g[i]!;
    const pi = p[i]! * decay;
    if (useWd) gi = fmaD(wd, pi, gi);
    const mi = fmaD(omb1, gi, m[i]! * b1);
    m[i] = mi;
    let vi = fmaD(omb2 * gi, gi, v[i]! * b2);
    v[i] = vi;
    if (ams) {
      const x = vmax![i]!;
      vi = x !== x || vi !== vi ? NaN : x > vi ? x : vi;
      vmax![i] = vi;
    }
    p[i] = pi + (nss * mi) / (Math.sqrt(vi) / bc2 + eps);
  }
}

// ---------------------------------------------------------------- RMSprop
/**
 * The RMSprop step of rmsprop.ts, per element, float32:
 * g (negated for maximize); g = fma(wd, p, g); sq = fma((1 - alpha) * g, g, sq * alpha);
 * centered: ga = fma(1 - alpha, g, ga * alpha), avg = sqrt(fma(-ga, ga, sq)), else avg = sqrt(sq); avg += eps;
 * momentum: buf = buf * momentum + g / avg, p = fma(-lr, buf, p); else p = p + (-lr * g) / avg.
 */
export function rmspropStepF32(
  p: Float32Array, g: Float32Array, sq: Float32Array, ga: Float32Array | null, b: Float32Array | null, n: number, o: RMSpropStepScalars,
): void {
  const al = fr(o.alpha), oma = fr(1 - o.alpha), wd = fr(o.weightDecay), eps = fr(o.eps), nlr = fr(-o.lr), mom = fr(o.momentum);
  const useWd = o.weightDecay !== 0, sg = o.maximize ? -1 : 1, centered = o.centered && ga !== null, useMom = o.momentum > 0 && b !== null;
  if (!useWd && !centered && !useMom) {
    for (let i = 0; i < n; i++) {
      const gi = sg * g[i]!;
      const si = fmaF(fr(oma * gi), gi, fr(sq[i]! * al));
      sq[i] = si;
      p[i] = p[i]! + fr(fr(nlr * gi) / fr(fr(Math.sqrt(si)) + eps));
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    let gi = sg * g[i]!;
    const pi = p[i]!;
    if (useWd) gi = fmaF(wd, pi, gi);
    const si = fmaF(fr(oma * gi), gi, fr(sq[i]! * al));
    sq[i] = si;
    let avg: number;
    if (centered) {
      const ai = fmaF(oma, gi, fr(ga![i]! * al));
      ga![i] = ai;
      avg = fr(Math.sqrt(fmaF(-ai, ai, si)));
    } else avg = fr(Math.sqrt(si));
    avg = fr(avg + eps);
    if (useMom) {
      const bi = fr(fr(b![i]! * mom) + fr(gi / avg));
      b![i] = bi;
      p[i] = fmaF(nlr, bi, pi);
    } else p[i] = pi + fr(fr(nlr * gi) / avg);
  }
}

/** rmspropStepF32 in float64 (the multiply-adds fused through fma64's exact emulation). */
export function rmspropStepF64(
  p: Float64Array, g: Float64Array, sq: Float64Array, ga: Float64Array | null, b: Float64Array | null, n: number, o: RMSpropStepScalars,
): void {
  const al = o.alpha, oma = 1 - o.alpha, wd = o.weightDecay, eps = o.eps, nlr = -o.lr, mom = o.momentum;
  const useWd = o.weightDecay !== 0, sg = o.maximize ? -1 : 1, centered = o.centered && ga !== null, useMom = o.momentum > 0 && b !== null;
  for (let i = 0; i < n; i++) {
    let gi = sg * g[i]!;
    const pi = p[i]!;
    if (useWd) gi = fmaD(wd, pi, gi);
    const si = fmaD(oma * gi, gi, sq[i]! * al);
    sq[i] = si;
    let avg: number;
    if (centered) {
      const ai = fmaD(oma, gi, ga![i]! * al);
      ga![i] = ai;
      avg = Math.sqrt(fmaD(-ai, ai, si));
    } else avg = Math.sqrt(si);
    avg = avg + eps;
    if (useMom) {
      const bi = b![i]! * mom + gi / avg;
      b![i] = bi;
      p[i] = fmaD(nlr, bi, pi);
    } else p[i] = pi + (nlr * gi) / avg;
  }
}

// ---------------------------------------------------------------- Adagrad
/**
 * The Adagrad step of adagrad.ts, per element, float32:
 * g (negated for maximize); g = fma(wd, p, g); sum = fma(g, g, sum); p = p + (-clr * g) / (sqrt(sum) + eps).
 */
export function adagradStepF32(p: Float32Array, g: Float32Array, sum: Float32Array, n: number, o: AdagradStepScalars): void {
  const wd = fr(o.weightDecay), eps = fr(o.eps), nclr = fr(-o.clr), sg = o.maximize ? -1 : 1;
  if (o.weightDecay === 0) {
    for (let i = 0; i < n; i++) {
      const gi = sg * g[i]!;
      const si = fmaF(gi, gi, sum[i]!);
      sum[i] = si;
      p[i] = p[i]! + fr(fr(nclr * gi) / fr(fr(Math.sqrt(si)) + eps));
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const pi = p[i]!, gi = fmaF(wd, pi, sg * g[i]!);
    const si = fmaF(gi, gi, sum[i]!);
    sum[i] = si;
    p[i] = pi + fr(fr(nclr * gi) / fr(fr(Math.sqrt(si)) + eps));
  }
}

/** adagradStepF32 in float64 (the multiply-adds fused through fma64's exact emulation). */
export function adagradStepF64(p: Float64Array, g: Float64Array, sum: Float64Array, n: number, o: AdagradStepScalars): void {
  const wd = o.weightDecay, eps = o.eps, nclr = -o.clr, sg = o.maximize ? -1 : 1, useWd = o.weightDecay !== 0;
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    let gi = sg * g[i]!;
    if (useWd) gi = fmaD(wd, pi, gi);
    const si = fmaD(gi, gi, sum[i]!);
    sum[i] = si;
    p[i] = pi + (nclr * gi) / (Math.sqrt(si) + eps);
  }
}

// ---------------------------------------------------------------- the primitives
/** The reference backend's sgdStep (backend.ts): PyTorch's bits. */
export function sgdStep(param: View, grad: View, buf: View | null, o: SGDStepScalars): void {
  const n = numelOf(param.shape);
  if (param.dtype.name === "float32") sgdStepF32(arr32(param), arr32(grad), buf && arr32(buf), n, o);
  else sgdStepF64(arr64(param), arr64(grad), buf && arr64(buf), n, o);
}

/** The reference backend's adamStep (backend.ts): PyTorch's bits. */
export function adamStep(param: View, grad: View, m: View, v: View, vmax: View | null, o: AdamStepScalars): void {
  const n = numelOf(param.shape);
  if (param.dtype.name === "float32") adamStepF32(arr32(param), arr32(grad), arr32(m), arr32(v), vmax && arr32(vmax), n, o);
  else adamStepF64(arr64(param), arr64(grad), arr64(m), arr64(v), vmax && arr64(vmax), n, o);
}

/** The reference backend's rmspropStep (backend.ts): PyTorch's bits. */
export function rmspropStep(param: View, grad: View, sq: View, ga: View | null, buf: View | null, o: RMSpropStepScalars): void {
  const n = numelOf(param.shape);
  if (param.dtype.name === "float32") rmspropStepF32(arr32(param), arr32(grad), arr32(sq), ga && arr32(ga), buf && arr32(buf), n, o);
  else rmspropStepF64(arr64(param), arr64(grad), arr64(sq), ga && arr64(ga), buf && arr64(buf), n, o);
}

/** The reference backend's adagradStep (backend.ts): PyTorch's bits. */
export function adagradStep(param: View, grad: View, sum: View, o: AdagradStepScalars): void {
  const n = numelOf(param.shape);
  if (param.dtype.name === "float32") adagradStepF32(arr32(param), arr32(grad), arr32(sum), n, o);
  else adagradStepF64(arr64(param), arr64(grad), arr64(sum), n, o);
}
