// The fast backend's optim kernels (see index.ts). Each primitive given here replaces the reference
// backend's for this backend; what is left out falls back to the reference.
//
// The fused optimizer updates (Backend.sgdStep, adamStep, rmspropStep, adagradStep): one pass over a
// parameter's elements. float32 tensors of at least OPTIM_WASM_MIN elements run in WebAssembly SIMD
// (optim.wat): a chunk of each operand is copied into the module's memory, updated there, and the
// arrays written (the parameter and its state) are copied back. Shorter tensors, float64 and engines
// without wasm SIMD run the TypeScript loops below: the reference's loops (../cpu/optim.ts) with its
// exact multiply-adds replaced by plain ones.
// NOTE: numerics. Where relaxed_madd fuses (x86 with FMA3, ARM64; probed at first use) the wasm
// updates are the reference's float32 loops op for op with one rounding per multiply-add: PyTorch's
// bits (every optimizer and option; NaN payloads aside), as test/optim_fused.test.ts checks. Elsewhere
// the plain-SIMD build (mul, add) rounds each multiply-add twice: off by half an ulp of its product
// (an ulp or two of the result on O(1) data; more where the sum cancels, as centered RMSprop's
// sq - ga^2 can). The TypeScript loops round fr(x * y + z): the fused result but where float64's
// rounding of the sum lands exactly on a float32 midpoint (one ulp off there), so the float32 updates
// are PyTorch's bits nearly everywhere; the float64 ones round the multiply-adds twice (within an ulp
// per op). Every other operation rounds as the reference does.
// NOTE: measured (Node 24, the MLP's 256x784 weight, both kernels in one run, best of 20 on a busy
// 2-core machine): the reference's exact multiply-adds (emulated in TypeScript) cost float32 SGD with
// momentum 5.5 ms against 0.9, Adam 14.7 against 5.8; float64's emulated fma64 costs Adam 25 ms
// against 1.9: so the float64 loops keep plain multiply-adds.
// One function per array type, so each sees one typed-array map.
import type { AdagradStepScalars, AdamStepScalars, Backend, RMSpropStepScalars, SGDStepScalars, View } from "../backend.js";
import { numelOf } from "../../tensor/shape.js";
import { OPTIM_WASM_BASE64 } from "./optim.generated.js";
import { OPTIM_PLAIN_WASM_BASE64 } from "./optim_plain.generated.js";
import { wasmModule } from "../wasm_module.js";

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

// ---------------------------------------------------------------- the wasm kernels (optim.wat)

interface OptimExports {
  memory: WebAssembly.Memory;
  sgd_plain(p: number, g: number, n: number, nlr: number): void;
  sgd_momentum(p: number, g: number, b: number, n: number, nlr: number, mom: number, omd: number): void;
  sgd(p: number, g: number, b: number, n: number, flags: number, nlr: number, wd: number, mom: number, omd: number, sg: number): void;
  adam_plain(p: number, g: number, m: number, v: number, n: number, decay: number,
    b1: number, omb1: number, b2: number, omb2: number, bc2: number, eps: number, nss: number, sg: number): void;
  adam(p: number, g: number, m: number, v: number, vm: number, n: number, flags: number, decay: number, wd: number,
    b1: number, omb1: number, b2: number, omb2: number, bc2: number, eps: number, nss: number, sg: number): void;
  rmsprop_plain(p: number, g: number, sq: number, n: number, al: number, oma: number, eps: number, nlr: number, sg: number): void;
  rmsprop(p: number, g: number, sq: number, ga: number, b: number, n: number, flags: number,
    al: number, oma: number, wd: number, eps: number, nlr: number, mom: number, sg: number): void;
  adagrad(p: number, g: number, s: number, n: number, flags: number, wd: number, eps: number, nclr: number, sg: number): void;
}

/**
 * float32 tensors with at least this many elements are updated in wasm (SGD: OPTIM_WASM_MIN_SGD).
 * NOTE: measured with `bench/optim_step.ts kernels` (Node 24, 2-core AMD EPYC, busy): a wasm call
 * with its copies costs 0.4-0.7 us at 16-64 elements. Adam, RMSprop, Adagrad and SGD with weight decay
 * and nesterov break even with their TypeScript loops at 48-64 elements (Adam with amsgrad below 48)
 * and are 2-3x faster at 256; plain SGD and SGD with momentum, whose loops cost ~3 ns an element,
 * break even at 128-192.
 */
export const OPTIM_WASM_MIN = 64;
/** OPTIM_WASM_MIN for SGD (see there). */
export const OPTIM_WASM_MIN_SGD = 192;
/**
 * Floats per array copied in per kernel call: the 2-5 arrays of a chunk (up to 80 KiB) stay in L2
 * between the copies and the kernel. NOTE: measured (`bench/optim_step.ts kernels 200704`, busy
 * 2-core machine): chunks of 1024, 2048, 4096 and 8192 floats were within the noise of each other
 * for every optimizer, 4096 as fast as any; 1024 lost ~10-30% to the per-chunk calls.
 */
const CHUNK = 4096;
/**
 * Byte offset of chunk slot k (5 slots from byte 2048: 82 KiB of the module's 3 pages).
 * NOTE: the slots start 2048 bytes past a 4 KiB boundary because of the copies' speed on this
 * machine (2-core AMD EPYC, glibc 2.36, measured): TypedArray.set is a memmove, which glibc does with
 * `rep movsb` for 2-16 KiB copies, and on these AMD cores that runs ~15x slower (16 KiB: 10 us instead
 * of 0.6) when the destination lies 1-31 bytes past the source modulo 4 KiB. Large typed arrays are
 * allocated by mmap at a page boundary plus 16 bytes, so page-aligned slots would hit it on every
 * copy out; 2048 past keeps both directions clear for those. An array placed elsewhere is slow with
 * a chance of 32 in 4096 per direction.
 */
const slot = (k: number): number => 2048 + k * CHUNK * 4;

/** The instantiated module with views of its memory: the whole of it and each slot's full chunk. */
interface Kernels {
  x: OptimExports;
  f32: Float32Array;
  full: Float32Array[];
}

export type OptimWasmVariant = "relaxed" | "plain";
let variant: OptimWasmVariant | null | undefined; // undefined: not chosen yet; null: no wasm SIMD
let forced: OptimWasmVariant | null | undefined; // setOptimWasmVariant's choice
const loaded: Partial<Record<OptimWasmVariant, Kernels | null>> = {};
let minOverride: number | null = null;

function instantiate(base64: string): Kernels | null {
  try {
    const m = wasmModule(base64);
    if (m === null) return null;
    const x = new WebAssembly.Instance(m, {}).exports as unknown as OptimExports;
    const f32 = new Float32Array(x.memory.buffer);
    const full = [0, 1, 2, 3, 4].map((k) => f32.subarray(slot(k) / 4, slot(k) / 4 + CHUNK));
    return { x, f32, full };
  } catch {
    return null;
  }
}

function kernelsOf(v: OptimWasmVariant): Kernels | null {
  let k = loaded[v];
  if (k === undefined) k = loaded[v] = instantiate(v === "relaxed" ? OPTIM_WASM_BASE64 : OPTIM_PLAIN_WASM_BASE64);
  return k;
}

/**
 * Whether this engine's relaxed_madd is one fused multiply-add: p = fma(a, b, c) with a = b =
 * 1 + 2^-12 and c = -(1 + 2^-11) is 2^-24 fused (the product 1 + 2^-11 + 2^-24 is exact), +0 when
 * the product is rounded first (it ties to even, 1 + 2^-11). All four lanes must say so.
 * NOTE: the probe runs in V8's baseline code (Liftoff), the hot loop later in TurboFan's; both pick
 * FMA3 or mul + add from the same CPU check (see ../cpu/wasm/index.ts's relaxedOk), and the tests
 * check the tiered-up kernels against the reference bit for bit.
 */
function relaxedFuses(k: Kernels): boolean {
  const a = 1 + 2 ** -12, P = slot(0) / 4, G = slot(1) / 4;
  for (let i = 0; i < 4; i++) {
    k.f32[P + i] = -(1 + 2 ** -11);
    k.f32[G + i] = a;
  }
  try {
    k.x.sgd_plain(slot(0), slot(1), 4, a);
  } catch {
    return false;
  }
  for (let i = 0; i < 4; i++) if (k.f32[P + i] !== 2 ** -24) return false;
  return true;
}

/** The kernels in use: relaxed where relaxed_madd validates and fuses, else plain SIMD, else none. */
function kernels(): Kernels | null {
  if (forced !== undefined) return forced === null ? null : kernelsOf(forced);
  if (variant === undefined) {
    const r = kernelsOf("relaxed");
    variant = r !== null && relaxedFuses(r) ? "relaxed" : kernelsOf("plain") !== null ? "plain" : null;
  }
  return variant === null ? null : kernelsOf(variant);
}

/** Which wasm build runs the float32 updates here: "relaxed" (PyTorch's bits), "plain", or null (TypeScript). */
export function optimWasmVariant(): OptimWasmVariant | null {
  return kernels() === null ? null : (forced ?? variant ?? null);
}

/**
 * @internal For tests and benchmarks: runs the float32 updates on the given build ("relaxed" even
 * where it does not fuse), on the TypeScript loops (null), or back on the probed choice (undefined);
 * returns the previous setting.
 */
export function setOptimWasmVariant(v: OptimWasmVariant | null | undefined): OptimWasmVariant | null | undefined {
  const was = forced;
  forced = v;
  return was;
}

/**
 * @internal For tests and benchmarks: the length from which float32 updates run in wasm, for every
 * optimizer (null: OPTIM_WASM_MIN and OPTIM_WASM_MIN_SGD); returns the previous setting.
 */
export function setOptimWasmMin(n: number | null): number | null {
  const was = minOverride;
  minOverride = n;
  return was;
}

/** The kernels when an n-element float32 update should run in wasm (`min`: the optimizer's threshold), else null. */
function wasmFor(n: number, min: number): Kernels | null {
  return n >= (minOverride ?? min) && n > 0 ? kernels() : null;
}

/** Copies a[i .. i + len) into slot k. */
function put(k: Kernels, s: number, a: Float32Array, i: number, len: number): void {
  k.f32.set(a.subarray(i, i + len), slot(s) / 4);
}
/** Copies slot s's first len floats back to a[i ..). */
function take(k: Kernels, s: number, a: Float32Array, i: number, len: number): void {
  a.set(len === CHUNK ? k.full[s]! : k.f32.subarray(slot(s) / 4, slot(s) / 4 + len), i);
}

function sgdWasm(k: Kernels, p: Float32Array, g: Float32Array, b: Float32Array | null, n: number, o: SGDStepScalars): void {
  const useMom = b !== null && o.momentum !== 0, first = o.firstStep;
  const flags = (o.weightDecay !== 0 ? 1 : 0) | (useMom ? 2 : 0) | (first ? 4 : 0) | (o.nesterov ? 8 : 0);
  const nlr = -o.lr, wd = o.weightDecay, mom = o.momentum, omd = 1 - o.dampening, sg = o.maximize ? -1 : 1;
  if ((flags & 3) === 0) {
    // fma(nlr, -g, p) = fma(lr, g, p): the negation is exact
    for (let i = 0; i < n; i += CHUNK) {
      const len = Math.min(CHUNK, n - i);
      put(k, 0, p, i, len);
      put(k, 1, g, i, len);
      k.x.sgd_plain(slot(0), slot(1), len, nlr * sg);
      take(k, 0, p, i, len);
    }
    return;
  }
  if (flags === 2) {
    // fma(omd, -g, t) = fma(-omd, g, t): the negation is exact
    for (let i = 0; i < n; i += CHUNK) {
      const len = Math.min(CHUNK, n - i);
      put(k, 0, p, i, len);
      put(k, 1, g, i, len);
      put(k, 2, b!, i, len);
      k.x.sgd_momentum(slot(0), slot(1), slot(2), len, nlr, mom, omd * sg);
      take(k, 0, p, i, len);
      take(k, 2, b!, i, len);
    }
    return;
  }
  for (let i = 0; i < n; i += CHUNK) {
    const len = Math.min(CHUNK, n - i);
    put(k, 0, p, i, len);
    put(k, 1, g, i, len);
    if (useMom && !first) put(k, 2, b!, i, len);
    k.x.sgd(slot(0), slot(1), slot(2), len, flags, nlr, wd, mom, omd, sg);
    take(k, 0, p, i, len);
    if (useMom) take(k, 2, b!, i, len);
  }
}

function adamWasm(k: Kernels, p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, vmax: Float32Array | null, n: number, o: AdamStepScalars): void {
  const ams = o.amsgrad && vmax !== null;
  const flags = (!o.decoupled && o.weightDecay !== 0 ? 1 : 0) | (ams ? 2 : 0);
  // NOTE: f32 params round as Math.fround does: these are the reference's scalars
  const decay = o.decoupled ? 1 - o.lr * o.weightDecay : 1;
  for (let i = 0; i < n; i += CHUNK) {
    const len = Math.min(CHUNK, n - i);
    put(k, 0, p, i, len);
    put(k, 1, g, i, len);
    put(k, 2, m, i, len);
    put(k, 3, v, i, len);
    if (ams) put(k, 4, vmax!, i, len);
    if (flags === 0)
      k.x.adam_plain(slot(0), slot(1), slot(2), slot(3), len, decay, o.beta1, 1 - o.beta1,
        o.beta2, 1 - o.beta2, o.biasCorrection2Sqrt, o.eps, -o.stepSize, o.maximize ? -1 : 1);
    else
      k.x.adam(slot(0), slot(1), slot(2), slot(3), slot(4), len, flags, decay, o.weightDecay, o.beta1, 1 - o.beta1,
        o.beta2, 1 - o.beta2, o.biasCorrection2Sqrt, o.eps, -o.stepSize, o.maximize ? -1 : 1);
    take(k, 0, p, i, len);
    take(k, 2, m, i, len);
    take(k, 3, v, i, len);
    if (ams) take(k, 4, vmax!, i, len);
  }
}

function rmspropWasm(k: Kernels, p: Float32Array, g: Float32Array, sq: Float32Array, ga: Float32Array | null, b: Float32Array | null, n: number, o: RMSpropStepScalars): void {
  const centered = o.centered && ga !== null, useMom = o.momentum > 0 && b !== null;
  const flags = (o.weightDecay !== 0 ? 1 : 0) | (centered ? 2 : 0) | (useMom ? 4 : 0);
  for (let i = 0; i < n; i += CHUNK) {
    const len = Math.min(CHUNK, n - i);
    put(k, 0, p, i, len);
    put(k, 1, g, i, len);
    put(k, 2, sq, i, len);
    if (centered) put(k, 3, ga!, i, len);
    if (useMom) put(k, 4, b!, i, len);
    if (flags === 0) k.x.rmsprop_plain(slot(0), slot(1), slot(2), len, o.alpha, 1 - o.alpha, o.eps, -o.lr, o.maximize ? -1 : 1);
    else
      k.x.rmsprop(slot(0), slot(1), slot(2), slot(3), slot(4), len, flags, o.alpha, 1 - o.alpha, o.weightDecay, o.eps,
        -o.lr, o.momentum, o.maximize ? -1 : 1);
    take(k, 0, p, i, len);
    take(k, 2, sq, i, len);
    if (centered) take(k, 3, ga!, i, len);
    if (useMom) take(k, 4, b!, i, len);
  }
}

function adagradWasm(k: Kernels, p: Float32Array, g: Float32Array, sum: Float32Array, n: number, o: AdagradStepScalars): void {
  const flags = o.weightDecay !== 0 ? 1 : 0;
  for (let i = 0; i < n; i += CHUNK) {
    const len = Math.min(CHUNK, n - i);
    put(k, 0, p, i, len);
    put(k, 1, g, i, len);
    put(k, 2, sum, i, len);
    k.x.adagrad(slot(0), slot(1), slot(2), len, flags, o.weightDecay, o.eps, -o.clr, o.maximize ? -1 : 1);
    take(k, 0, p, i, len);
    take(k, 2, sum, i, len);
  }
}

// ---------------------------------------------------------------- the primitives

export const optimKernels: Partial<Backend> = {
  sgdStep(param, grad, buf, o) {
    const n = numelOf(param.shape);
    if (param.dtype.name !== "float32") sgdF64(arr64(param), arr64(grad), buf && arr64(buf), n, o);
    else {
      const k = wasmFor(n, OPTIM_WASM_MIN_SGD);
      if (k) sgdWasm(k, arr32(param), arr32(grad), buf && arr32(buf), n, o);
      else sgdF32(arr32(param), arr32(grad), buf && arr32(buf), n, o);
    }
  },
  adamStep(param, grad, m, v, vmax, o) {
    const n = numelOf(param.shape);
    if (param.dtype.name !== "float32") adamF64(arr64(param), arr64(grad), arr64(m), arr64(v), vmax && arr64(vmax), n, o);
    else {
      const k = wasmFor(n, OPTIM_WASM_MIN);
      if (k) adamWasm(k, arr32(param), arr32(grad), arr32(m), arr32(v), vmax && arr32(vmax), n, o);
      else adamF32(arr32(param), arr32(grad), arr32(m), arr32(v), vmax && arr32(vmax), n, o);
    }
  },
  rmspropStep(param, grad, sq, ga, buf, o) {
    const n = numelOf(param.shape);
    if (param.dtype.name !== "float32") rmspropF64(arr64(param), arr64(grad), arr64(sq), ga && arr64(ga), buf && arr64(buf), n, o);
    else {
      const k = wasmFor(n, OPTIM_WASM_MIN);
      if (k) rmspropWasm(k, arr32(param), arr32(grad), arr32(sq), ga && arr32(ga), buf && arr32(buf), n, o);
      else rmspropF32(arr32(param), arr32(grad), arr32(sq), ga && arr32(ga), buf && arr32(buf), n, o);
    }
  },
  adagradStep(param, grad, sum, o) {
    const n = numelOf(param.shape);
    if (param.dtype.name !== "float32") adagradF64(arr64(param), arr64(grad), arr64(sum), n, o);
    else {
      const k = wasmFor(n, OPTIM_WASM_MIN);
      if (k) adagradWasm(k, arr32(param), arr32(grad), arr32(sum), n, o);
      else adagradF32(arr32(param), arr32(grad), arr32(sum), n, o);
    }
  },
};
