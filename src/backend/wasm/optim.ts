// The fast backend's optim kernels (see index.ts). Each primitive given here replaces the reference
// backend's for this backend; what is left out falls back to the reference.
//
// The fused optimizer updates (Backend.sgdStep, adamStep, rmspropStep, adagradStep): one pass over a
// parameter's elements, the reference's loops (../cpu/optim.ts) with its exact multiply-adds
// replaced by plain ones.
// NOTE: measured (Node 24, the MLP's 256x784 weight, both kernels in one run, best of 20 on a busy
// 2-core machine): the exact multiply-adds cost float32 SGD with momentum 5.5 ms against 0.9, Adam
// 14.7 against 5.8; float64's emulated fma64 costs Adam 25 ms against 1.9. fr(x * y + z) is the
// fused result but where float64's rounding of the sum lands exactly on a float32 midpoint (one ulp
// off there), so the float32 updates are PyTorch's bits nearly everywhere; the float64 ones round
// the multiply-adds twice (within an ulp per op). Every other operation rounds as the reference does.
// TypeScript loops, not WebAssembly: the updates are memory-bound (3-5 arrays, ~10 flops an
// element), and copying the operands into wasm memory and back would cost more than the loop.
// One function per array type, so each sees one typed-array map.
import type { AdagradStepScalars, AdamStepScalars, Backend, RMSpropStepScalars, SGDStepScalars, View } from "../backend.js";
import { numelOf } from "../../tensor/shape.js";

const fr = Math.fround;

function arr32(v: View): Float32Array {
  const a = v.storage as Float32Array;
  return v.offset === 0 ? a : a.subarray(v.offset);
}
function arr64(v: View): Float64Array {
  const a = v.storage as Float64Array;
  return v.offset === 0 ? a : a.subarray(v.offset);
}

// NOTE: as in ../cpu/optim.ts, the common cases get loops without a loop-invariant branch (V8 keeps
// such a branch inside the loop, ~3x slower measured): maximize multiplies by -1, Adam's missing
// decay by 1, both exact.

/** ../cpu/optim.ts's sgdStepF32 with fr(x * y + z) for its multiply-adds. */
function sgdF32(p: Float32Array, g: Float32Array, b: Float32Array | null, n: number, o: SGDStepScalars): void {
  const nlr = fr(-o.lr), wd = fr(o.weightDecay), mom = fr(o.momentum), omd = fr(1 - o.dampening);
  const useWd = o.weightDecay !== 0, nesterov = o.nesterov, first = o.firstStep, sg = o.maximize ? -1 : 1;
  if (!useWd && (b === null || o.momentum === 0)) {
    for (let i = 0; i < n; i++) p[i] = nlr * (sg * g[i]!) + p[i]!;
    return;
  }
  if (!useWd && b !== null && !first && !nesterov) {
    for (let i = 0; i < n; i++) {
      const bi = fr(omd * (sg * g[i]!) + fr(b[i]! * mom));
      b[i] = bi;
      p[i] = nlr * bi + p[i]!;
    }
    return;
  }
  const useMom = b !== null && o.momentum !== 0;
  for (let i = 0; i < n; i++) {
    let d = sg * g[i]!;
    const pi = p[i]!;
    if (useWd) d = fr(wd * pi + d);
    if (useMom) {
      const bi = first ? d : fr(omd * d + fr(b![i]! * mom));
      b![i] = bi;
      d = nesterov ? fr(mom * bi + d) : bi;
    }
    p[i] = nlr * d + pi;
  }
}

/** ../cpu/optim.ts's sgdStepF64 with x * y + z for its multiply-adds. */
function sgdF64(p: Float64Array, g: Float64Array, b: Float64Array | null, n: number, o: SGDStepScalars): void {
  const nlr = -o.lr, wd = o.weightDecay, mom = o.momentum, omd = 1 - o.dampening;
  const useWd = o.weightDecay !== 0, nesterov = o.nesterov, first = o.firstStep, sg = o.maximize ? -1 : 1;
  if (!useWd && (b === null || o.momentum === 0)) {
    for (let i = 0; i < n; i++) p[i] = nlr * (sg * g[i]!) + p[i]!;
    return;
  }
  if (!useWd && b !== null && !first && !nesterov) {
    for (let i = 0; i < n; i++) {
      const bi = omd * (sg * g[i]!) + b[i]! * mom;
      b[i] = bi;
      p[i] = nlr * bi + p[i]!;
    }
    return;
  }
  const useMom = b !== null && o.momentum !== 0;
  for (let i = 0; i < n; i++) {
    let d = sg * g[i]!;
    const pi = p[i]!;
    if (useWd) d = wd * pi + d;
    if (useMom) {
      const bi = first ? d : omd * d + b![i]! * mom;
      b![i] = bi;
      d = nesterov ? mom * bi + d : bi;
    }
    p[i] = nlr * d + pi;
  }
}

/** ../cpu/optim.ts's adamStepF32 with fr(x * y + z) for its multiply-adds. */
function adamF32(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, vmax: Float32Array | null, n: number, o: AdamStepScalars): void {
  const b1 = fr(o.beta1), omb1 = fr(1 - o.beta1), b2 = fr(o.beta2), omb2 = fr(1 - o.beta2);
  const decay = o.decoupled ? fr(1 - o.lr * o.weightDecay) : 1, wd = fr(o.weightDecay);
  const useWd = !o.decoupled && o.weightDecay !== 0, sg = o.maximize ? -1 : 1;
  const bc2 = fr(o.biasCorrection2Sqrt), eps = fr(o.eps), nss = fr(-o.stepSize);
  const ams = o.amsgrad && vmax !== null;
  if (!useWd && !ams) {
    for (let i = 0; i < n; i++) {
      const gi = sg * g[i]!, pi = fr(p[i]! * decay);
      const mi = fr(omb1 * gi + fr(m[i]! * b1));
      m[i] = mi;
      const vi = fr(fr(omb2 * gi) * gi + fr(v[i]! * b2));
      v[i] = vi;
      p[i] = pi + fr(fr(nss * mi) / fr(fr(fr(Math.sqrt(vi)) / bc2) + eps));
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    let gi = sg * g[i]!;
    const pi = fr(p[i]! * decay);
    if (useWd) gi = fr(wd * pi + gi);
    const mi = fr(omb1 * gi + fr(m[i]! * b1));
    m[i] = mi;
    let vi = fr(fr(omb2 * gi) * gi + fr(v[i]! * b2));
    v[i] = vi;
    if (ams) {
      const x = vmax![i]!;
      vi = x !== x || vi !== vi ? NaN : x > vi ? x : vi;
      vmax![i] = vi;
    }
    p[i] = pi + fr(fr(nss * mi) / fr(fr(fr(Math.sqrt(vi)) / bc2) + eps));
  }
}

/** ../cpu/optim.ts's adamStepF64 with x * y + z for its multiply-adds. */
function adamF64(p: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, vmax: Float64Array | null, n: number, o: AdamStepScalars): void {
  const b1 = o.beta1, omb1 = 1 - o.beta1, b2 = o.beta2, omb2 = 1 - o.beta2;
  const decay = o.decoupled ? 1 - o.lr * o.weightDecay : 1, wd = o.weightDecay;
  const useWd = !o.decoupled && o.weightDecay !== 0, sg = o.maximize ? -1 : 1;
  const bc2 = o.biasCorrection2Sqrt, eps = o.eps, nss = -o.stepSize;
  const ams = o.amsgrad && vmax !== null;
  if (!useWd && !ams) {
    for (let i = 0; i < n; i++) {
      const gi = sg * g[i]!, pi = p[i]! * decay;
      const mi = omb1 * gi + m[i]! * b1;
      m[i] = mi;
      const vi = omb2 * gi * gi + v[i]! * b2;
      v[i] = vi;
      p[i] = pi + (nss * mi) / (Math.sqrt(vi) / bc2 + eps);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    let gi = sg * g[i]!;
    const pi = p[i]! * decay;
    if (useWd) gi = wd * pi + gi;
    const mi = omb1 * gi + m[i]! * b1;
    m[i] = mi;
    let vi = omb2 * gi * gi + v[i]! * b2;
    v[i] = vi;
    if (ams) {
      const x = vmax![i]!;
      vi = x !== x || vi !== vi ? NaN : x > vi ? x : vi;
      vmax![i] = vi;
    }
    p[i] = pi + (nss * mi) / (Math.sqrt(vi) / bc2 + eps);
  }
}

/** ../cpu/optim.ts's rmspropStepF32 with fr(x * y + z) for its multiply-adds. */
function rmspropF32(p: Float32Array, g: Float32Array, sq: Float32Array, ga: Float32Array | null, b: Float32Array | null, n: number, o: RMSpropStepScalars): void {
  const al = fr(o.alpha), oma = fr(1 - o.alpha), wd = fr(o.weightDecay), eps = fr(o.eps), nlr = fr(-o.lr), mom = fr(o.momentum);
  const useWd = o.weightDecay !== 0, sg = o.maximize ? -1 : 1, centered = o.centered && ga !== null, useMom = o.momentum > 0 && b !== null;
  if (!useWd && !centered && !useMom) {
    for (let i = 0; i < n; i++) {
      const gi = sg * g[i]!;
      const si = fr(fr(oma * gi) * gi + fr(sq[i]! * al));
      sq[i] = si;
      p[i] = p[i]! + fr(fr(nlr * gi) / fr(fr(Math.sqrt(si)) + eps));
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    let gi = sg * g[i]!;
    const pi = p[i]!;
    if (useWd) gi = fr(wd * pi + gi);
    const si = fr(fr(oma * gi) * gi + fr(sq[i]! * al));
    sq[i] = si;
    let avg: number;
    if (centered) {
      const ai = fr(oma * gi + fr(ga![i]! * al));
      ga![i] = ai;
      avg = fr(Math.sqrt(fr(si - ai * ai)));
    } else avg = fr(Math.sqrt(si));
    avg = fr(avg + eps);
    if (useMom) {
      const bi = fr(fr(b![i]! * mom) + fr(gi / avg));
      b![i] = bi;
      p[i] = nlr * bi + pi;
    } else p[i] = pi + fr(fr(nlr * gi) / avg);
  }
}

/** ../cpu/optim.ts's rmspropStepF64 with x * y + z for its multiply-adds. */
function rmspropF64(p: Float64Array, g: Float64Array, sq: Float64Array, ga: Float64Array | null, b: Float64Array | null, n: number, o: RMSpropStepScalars): void {
  const al = o.alpha, oma = 1 - o.alpha, wd = o.weightDecay, eps = o.eps, nlr = -o.lr, mom = o.momentum;
  const useWd = o.weightDecay !== 0, sg = o.maximize ? -1 : 1, centered = o.centered && ga !== null, useMom = o.momentum > 0 && b !== null;
  if (!useWd && !centered && !useMom) {
    for (let i = 0; i < n; i++) {
      const gi = sg * g[i]!;
      const si = oma * gi * gi + sq[i]! * al;
      sq[i] = si;
      p[i] = p[i]! + (nlr * gi) / (Math.sqrt(si) + eps);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    let gi = sg * g[i]!;
    const pi = p[i]!;
    if (useWd) gi = wd * pi + gi;
    const si = oma * gi * gi + sq[i]! * al;
    sq[i] = si;
    let avg: number;
    if (centered) {
      const ai = oma * gi + ga![i]! * al;
      ga![i] = ai;
      avg = Math.sqrt(si - ai * ai);
    } else avg = Math.sqrt(si);
    avg = avg + eps;
    if (useMom) {
      const bi = b![i]! * mom + gi / avg;
      b![i] = bi;
      p[i] = nlr * bi + pi;
    } else p[i] = pi + (nlr * gi) / avg;
  }
}

/** ../cpu/optim.ts's adagradStepF32 with fr(x * y + z) for its multiply-adds. */
function adagradF32(p: Float32Array, g: Float32Array, sum: Float32Array, n: number, o: AdagradStepScalars): void {
  const wd = fr(o.weightDecay), eps = fr(o.eps), nclr = fr(-o.clr), sg = o.maximize ? -1 : 1;
  if (o.weightDecay === 0) {
    for (let i = 0; i < n; i++) {
      const gi = sg * g[i]!;
      const si = fr(gi * gi + sum[i]!);
      sum[i] = si;
      p[i] = p[i]! + fr(fr(nclr * gi) / fr(fr(Math.sqrt(si)) + eps));
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const pi = p[i]!, gi = fr(wd * pi + sg * g[i]!);
    const si = fr(gi * gi + sum[i]!);
    sum[i] = si;
    p[i] = pi + fr(fr(nclr * gi) / fr(fr(Math.sqrt(si)) + eps));
  }
}

/** ../cpu/optim.ts's adagradStepF64 with x * y + z for its multiply-adds. */
function adagradF64(p: Float64Array, g: Float64Array, sum: Float64Array, n: number, o: AdagradStepScalars): void {
  const wd = o.weightDecay, eps = o.eps, nclr = -o.clr, sg = o.maximize ? -1 : 1;
  if (o.weightDecay === 0) {
    for (let i = 0; i < n; i++) {
      const gi = sg * g[i]!;
      const si = gi * gi + sum[i]!;
      sum[i] = si;
      p[i] = p[i]! + (nclr * gi) / (Math.sqrt(si) + eps);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const pi = p[i]!, gi = wd * pi + sg * g[i]!;
    const si = gi * gi + sum[i]!;
    sum[i] = si;
    p[i] = pi + (nclr * gi) / (Math.sqrt(si) + eps);
  }
}

export const optimKernels: Partial<Backend> = {
  sgdStep(param, grad, buf, o) {
    const n = numelOf(param.shape);
    if (param.dtype.name === "float32") sgdF32(arr32(param), arr32(grad), buf && arr32(buf), n, o);
    else sgdF64(arr64(param), arr64(grad), buf && arr64(buf), n, o);
  },
  adamStep(param, grad, m, v, vmax, o) {
    const n = numelOf(param.shape);
    if (param.dtype.name === "float32") adamF32(arr32(param), arr32(grad), arr32(m), arr32(v), vmax && arr32(vmax), n, o);
    else adamF64(arr64(param), arr64(grad), arr64(m), arr64(v), vmax && arr64(vmax), n, o);
  },
  rmspropStep(param, grad, sq, ga, buf, o) {
    const n = numelOf(param.shape);
    if (param.dtype.name === "float32") rmspropF32(arr32(param), arr32(grad), arr32(sq), ga && arr32(ga), buf && arr32(buf), n, o);
    else rmspropF64(arr64(param), arr64(grad), arr64(sq), ga && arr64(ga), buf && arr64(buf), n, o);
  },
  adagradStep(param, grad, sum, o) {
    const n = numelOf(param.shape);
    if (param.dtype.name === "float32") adagradF32(arr32(param), arr32(grad), arr32(sum), n, o);
    else adagradF64(arr64(param), arr64(grad), arr64(sum), n, o);
  },
};
