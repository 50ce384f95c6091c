// The fast backend's optim kernels (see index.ts). Each primitive given here replaces the reference
// backend's for this backend; what is left out falls back to the reference.
//
// The fused optimizer updates (Backend.sgdStep, adamStep, rmspropStep, adagradStep): one pass over a
// parameter's elements. float32 tensors of at least OPTIM_WASM_MIN elements run in WebAssembly SIMD
// (optim.wat). Where the matmul kernels have a shared memory, the module runs on it, and the
// operands that live there (nn modules' parameters, their gradients and the optimizer's state:
// ../cpu/wasm/index.ts's arenaArray) are updated where they lie, all at once; any other operand has a
// chunk at a time copied into a slot, and copied back when it is written (the parameter and its
// state). Elsewhere the module has a memory of its own and every operand goes through the slots.
// The same module fills (zero_grad) and adds into (the gradient's accumulation) float32 tensors
// that live in the shared memory: arenaFillF32 and arenaAddF32, for ./elementwise.ts. Shorter tensors, float64 and engines
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
import { OPTIM_SHARED_WASM_BASE64 } from "./optim_shared.generated.js";
import { OPTIM_PLAIN_SHARED_WASM_BASE64 } from "./optim_plain_shared.generated.js";
import { arenaRegion, inArena, releaseArenaRegion } from "../cpu/wasm/index.js";
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
  fill(p: number, n: number, v: number): void;
  add(d: number, s: number, n: number): void;
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
 * Byte offset of chunk slot k from the call's base (5 slots from byte 2048: 82 KiB).
 * NOTE: the slots start 2048 bytes past a 4 KiB boundary because of the copies' speed on this
 * machine (2-core AMD EPYC, glibc 2.36, measured): TypedArray.set is a memmove, which glibc does with
 * `rep movsb` for 2-16 KiB copies, and on these AMD cores that runs ~15x slower (16 KiB: 10 us instead
 * of 0.6) when the destination lies 1-31 bytes past the source modulo 4 KiB. Large typed arrays are
 * allocated by mmap at a page boundary plus 16 bytes, so page-aligned slots would hit it on every
 * copy out; 2048 past keeps both directions clear for those. An array placed elsewhere is slow with
 * a chance of 32 in 4096 per direction.
 */
const SLOTS_AT = 2048, SLOTS_BYTES = SLOTS_AT + 5 * CHUNK * 4;

/** The module on a memory: its own, or the matmul kernels' shared one (where lasting tensors live). */
interface Home { x: OptimExports; memory: WebAssembly.Memory }

/**
 * One call's kernels: the module, a view of its memory, where the slots start, and whether that is
 * the shared memory (then operands that live in it are passed where they lie).
 */
interface Kernels {
  x: OptimExports;
  f32: Float32Array;
  base: number;
  shared: boolean;
}

export type OptimWasmVariant = "relaxed" | "plain";
let variant: OptimWasmVariant | null | undefined; // undefined: not chosen yet; null: no wasm SIMD
let forced: OptimWasmVariant | null | undefined; // setOptimWasmVariant's choice
const own: Partial<Record<OptimWasmVariant, Home | null>> = {};
const onArena: Partial<Record<OptimWasmVariant, Home | null>> = {};
let minOverride: number | null = null;
let arenaAllowed = true;
/** A view of the whole shared memory (its buffer as the last call saw it: it changes when the memory grows). */
let sharedView: Float32Array | null = null;
/** The same for the module's own memory (which never grows). */
let ownView: Float32Array | null = null;

function instantiate(base64: string, memory: WebAssembly.Memory): Home | null {
  try {
    const m = wasmModule(base64);
    if (m === null) return null;
    return { x: new WebAssembly.Instance(m, { env: { memory } }).exports as unknown as OptimExports, memory };
  } catch {
    return null;
  }
}

function ownHome(v: OptimWasmVariant): Home | null {
  let h = own[v];
  if (h === undefined) {
    let memory: WebAssembly.Memory | null = null;
    try {
      memory = new WebAssembly.Memory({ initial: Math.ceil(SLOTS_BYTES / 65536) });
    } catch { /* no wasm */ }
    h = own[v] = memory && instantiate(v === "relaxed" ? OPTIM_WASM_BASE64 : OPTIM_PLAIN_WASM_BASE64, memory);
  }
  return h;
}

/**
 * Whether this engine's relaxed_madd is one fused multiply-add: p = fma(a, b, c) with a = b =
 * 1 + 2^-12 and c = -(1 + 2^-11) is 2^-24 fused (the product 1 + 2^-11 + 2^-24 is exact), +0 when
 * the product is rounded first (it ties to even, 1 + 2^-11). All four lanes must say so.
 * NOTE: the probe runs in V8's baseline code (Liftoff), the hot loop later in TurboFan's; both pick
 * FMA3 or mul + add from the same CPU check (see ../cpu/wasm/index.ts's relaxedOk), and the tests
 * check the tiered-up kernels against the reference bit for bit.
 */
function relaxedFuses(h: Home): boolean {
  const a = 1 + 2 ** -12, f32 = new Float32Array(h.memory.buffer), P = SLOTS_AT, G = SLOTS_AT + 64;
  for (let i = 0; i < 4; i++) {
    f32[P / 4 + i] = -(1 + 2 ** -11);
    f32[G / 4 + i] = a;
  }
  try {
    h.x.sgd_plain(P, G, 4, a);
  } catch {
    return false;
  }
  for (let i = 0; i < 4; i++) if (f32[P / 4 + i] !== 2 ** -24) return false;
  return true;
}

/** The build in use: relaxed where relaxed_madd validates and fuses, else plain SIMD, else none. */
function chosen(): OptimWasmVariant | null {
  if (forced !== undefined) return forced === null || ownHome(forced) === null ? null : forced;
  if (variant === undefined) {
    const r = ownHome("relaxed");
    variant = r !== null && relaxedFuses(r) ? "relaxed" : ownHome("plain") !== null ? "plain" : null;
  }
  return variant;
}

/**
 * The kernels for one call, `bytes` of scratch (the slots) included: with `shared` (an operand lives
 * in the matmul kernels' shared memory) on that memory, in a region lent for the call (the caller
 * ends it with done()), else on the module's own memory (where copies in and out are plain memmoves,
 * not V8's slower copies into a SharedArrayBuffer); null without wasm SIMD.
 */
function kernels(shared: boolean, bytes = SLOTS_BYTES): Kernels | null {
  const v = chosen();
  if (v === null) return null;
  const lent = arenaAllowed && shared ? arenaRegion(bytes + 4096) : null;
  if (lent !== null) {
    let h = onArena[v];
    if (h === undefined || h?.memory !== lent.memory)
      h = onArena[v] = instantiate(v === "relaxed" ? OPTIM_SHARED_WASM_BASE64 : OPTIM_PLAIN_SHARED_WASM_BASE64, lent.memory);
    // the slots 2048 bytes past a 4 KiB boundary (see SLOTS_AT)
    if (h !== null) {
      if (sharedView?.buffer !== lent.buffer) sharedView = new Float32Array(lent.buffer);
      return { x: h.x, f32: sharedView, base: Math.ceil(lent.at / 4096) * 4096, shared: true };
    }
    releaseArenaRegion();
  }
  const h = ownHome(v)!;
  if (ownView?.buffer !== h.memory.buffer) ownView = new Float32Array(h.memory.buffer);
  return { x: h.x, f32: ownView, base: 0, shared: false };
}

/** Ends a call on kernels(): gives the lent region back. */
function done(k: Kernels): void {
  if (k.shared) releaseArenaRegion();
}

/** Which wasm build runs the float32 updates here: "relaxed" (PyTorch's bits), "plain", or null (TypeScript). */
export function optimWasmVariant(): OptimWasmVariant | null {
  return chosen();
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

/**
 * @internal For tests and benchmarks: whether the kernels run on the matmul kernels' shared memory
 * where it exists (true, the default: operands living there are updated where they lie) or always on
 * the module's own memory (false: every operand copied in and out); returns the previous setting.
 */
export function setOptimOnArena(on: boolean): boolean {
  const was = arenaAllowed;
  arenaAllowed = on;
  return was;
}

/**
 * The kernels when an n-element float32 update of `param` should run in wasm (`min`: the optimizer's
 * threshold), else null: on the shared memory where the parameter lives there (its state and
 * gradient then do too).
 */
function wasmFor(n: number, min: number, param: View): Kernels | null {
  return n >= (minOverride ?? min) && n > 0 ? kernels(inArena(param.storage as Float32Array)) : null;
}

const slot = (k: Kernels, s: number): number => k.base + SLOTS_AT + s * CHUNK * 4;

/**
 * The address of a[i .. i + len) for a kernel: where it lies, when it lives in the kernels' shared
 * memory and len is whole vectors (the kernels compute len rounded up to 4); else slot s, with the
 * chunk copied in when `read`.
 */
function at(k: Kernels, s: number, a: Float32Array, i: number, len: number, read = true): number {
  if (k.shared && (len & 3) === 0 && inArena(a)) return a.byteOffset + 4 * i;
  if (read) k.f32.set(a.subarray(i, i + len), slot(k, s) / 4);
  return slot(k, s);
}
/** Copies slot s's first len floats back to a[i ..), unless `ptr` (at's answer) is a itself. */
function back(k: Kernels, s: number, ptr: number, a: Float32Array, i: number, len: number): void {
  if (ptr === slot(k, s)) a.set(k.f32.subarray(ptr / 4, ptr / 4 + len), i);
}
/**
 * The chunk length for arrays updated together (null: an option's array that is off): everything at
 * once (but a tail of under 4) where all of them live in the shared memory, else CHUNK (the copies'
 * slots). `spare`: the kernel is given a slot for an option that is off (a general loop loads and
 * stores it anyway), which holds CHUNK floats, so chunks stay that long.
 */
function chunkOf(k: Kernels, n: number, arrays: readonly (Float32Array | null)[], spare: boolean): number {
  return k.shared && !spare && n >= 4 && arrays.every((a) => a === null || inArena(a)) ? n & ~3 : CHUNK;
}

function sgdWasm(k: Kernels, p: Float32Array, g: Float32Array, b: Float32Array | null, n: number, o: SGDStepScalars): void {
  const useMom = b !== null && o.momentum !== 0, first = o.firstStep;
  const flags = (o.weightDecay !== 0 ? 1 : 0) | (useMom ? 2 : 0) | (first ? 4 : 0) | (o.nesterov ? 8 : 0);
  const nlr = -o.lr, wd = o.weightDecay, mom = o.momentum, omd = 1 - o.dampening, sg = o.maximize ? -1 : 1;
  const step = chunkOf(k, n, [p, g, useMom ? b : null], (flags & 3) !== 0 && flags !== 2 && !useMom);
  for (let i = 0, len = 0; i < n; i += len) {
    len = Math.min(step, n - i);
    const P = at(k, 0, p, i, len), G = at(k, 1, g, i, len);
    if ((flags & 3) === 0) k.x.sgd_plain(P, G, len, nlr * sg); // fma(nlr, -g, p) = fma(lr, g, p): the negation is exact
    else if (flags === 2) {
      // fma(omd, -g, t) = fma(-omd, g, t): the negation is exact
      const B = at(k, 2, b!, i, len);
      k.x.sgd_momentum(P, G, B, len, nlr, mom, omd * sg);
      back(k, 2, B, b!, i, len);
    } else {
      const B = useMom ? at(k, 2, b!, i, len, !first) : slot(k, 2);
      k.x.sgd(P, G, B, len, flags, nlr, wd, mom, omd, sg);
      if (useMom) back(k, 2, B, b!, i, len);
    }
    back(k, 0, P, p, i, len);
  }
}

function adamWasm(k: Kernels, p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, vmax: Float32Array | null, n: number, o: AdamStepScalars): void {
  const ams = o.amsgrad && vmax !== null;
  const flags = (!o.decoupled && o.weightDecay !== 0 ? 1 : 0) | (ams ? 2 : 0);
  // NOTE: f32 params round as Math.fround does: these are the reference's scalars
  const decay = o.decoupled ? 1 - o.lr * o.weightDecay : 1;
  const step = chunkOf(k, n, [p, g, m, v, ams ? vmax : null], flags !== 0 && !ams);
  for (let i = 0, len = 0; i < n; i += len) {
    len = Math.min(step, n - i);
    const P = at(k, 0, p, i, len), G = at(k, 1, g, i, len), M = at(k, 2, m, i, len), V = at(k, 3, v, i, len);
    const VM = ams ? at(k, 4, vmax!, i, len) : slot(k, 4);
    if (flags === 0)
      k.x.adam_plain(P, G, M, V, len, decay, o.beta1, 1 - o.beta1,
        o.beta2, 1 - o.beta2, o.biasCorrection2Sqrt, o.eps, -o.stepSize, o.maximize ? -1 : 1);
    else
      k.x.adam(P, G, M, V, VM, len, flags, decay, o.weightDecay, o.beta1, 1 - o.beta1,
        o.beta2, 1 - o.beta2, o.biasCorrection2Sqrt, o.eps, -o.stepSize, o.maximize ? -1 : 1);
    back(k, 0, P, p, i, len);
    back(k, 2, M, m, i, len);
    back(k, 3, V, v, i, len);
    if (ams) back(k, 4, VM, vmax!, i, len);
  }
}

function rmspropWasm(k: Kernels, p: Float32Array, g: Float32Array, sq: Float32Array, ga: Float32Array | null, b: Float32Array | null, n: number, o: RMSpropStepScalars): void {
  const centered = o.centered && ga !== null, useMom = o.momentum > 0 && b !== null;
  const flags = (o.weightDecay !== 0 ? 1 : 0) | (centered ? 2 : 0) | (useMom ? 4 : 0);
  const step = chunkOf(k, n, [p, g, sq, centered ? ga : null, useMom ? b : null], flags !== 0 && (!centered || !useMom));
  for (let i = 0, len = 0; i < n; i += len) {
    len = Math.min(step, n - i);
    const P = at(k, 0, p, i, len), G = at(k, 1, g, i, len), S = at(k, 2, sq, i, len);
    const GA = centered ? at(k, 3, ga!, i, len) : slot(k, 3), B = useMom ? at(k, 4, b!, i, len) : slot(k, 4);
    if (flags === 0) k.x.rmsprop_plain(P, G, S, len, o.alpha, 1 - o.alpha, o.eps, -o.lr, o.maximize ? -1 : 1);
    else
      k.x.rmsprop(P, G, S, GA, B, len, flags, o.alpha, 1 - o.alpha, o.weightDecay, o.eps,
        -o.lr, o.momentum, o.maximize ? -1 : 1);
    back(k, 0, P, p, i, len);
    back(k, 2, S, sq, i, len);
    if (centered) back(k, 3, GA, ga!, i, len);
    if (useMom) back(k, 4, B, b!, i, len);
  }
}

function adagradWasm(k: Kernels, p: Float32Array, g: Float32Array, sum: Float32Array, n: number, o: AdagradStepScalars): void {
  const flags = o.weightDecay !== 0 ? 1 : 0;
  const step = chunkOf(k, n, [p, g, sum], false);
  for (let i = 0, len = 0; i < n; i += len) {
    len = Math.min(step, n - i);
    const P = at(k, 0, p, i, len), G = at(k, 1, g, i, len), S = at(k, 2, sum, i, len);
    k.x.adagrad(P, G, S, len, flags, o.weightDecay, o.eps, -o.clr, o.maximize ? -1 : 1);
    back(k, 0, P, p, i, len);
    back(k, 2, S, sum, i, len);
  }
}

/**
 * a[off .. off + n) = v for a float32 array living in the kernels' shared memory (zero_grad on a
 * parameter's gradient there: a fill from JavaScript on a SharedArrayBuffer takes V8's slow
 * relaxed-atomic path). False, having done nothing, elsewhere.
 */
export function arenaFillF32(a: Float32Array, off: number, n: number, v: number): boolean {
  if (n < OPTIM_WASM_MIN || !inArena(a)) return false;
  const k = kernels(true, 0);
  if (k === null) return false;
  try {
    if (!k.shared) return false;
    k.x.fill(a.byteOffset + 4 * off, n, v);
    return true;
  } finally {
    done(k);
  }
}

/**
 * d[dOff + i] += s[sOff + i] for i < n, d a float32 array living in the kernels' shared memory (a
 * gradient's accumulation there), s any float32 array (copied in chunk by chunk unless it lives there
 * too). False, having done nothing, elsewhere.
 */
export function arenaAddF32(d: Float32Array, dOff: number, s: Float32Array, sOff: number, n: number): boolean {
  if (n < OPTIM_WASM_MIN || !inArena(d)) return false;
  const k = kernels(true);
  if (k === null) return false;
  try {
    if (!k.shared) return false;
    const D = d.byteOffset + 4 * dOff;
    if (inArena(s)) k.x.add(D, s.byteOffset + 4 * sOff, n);
    else
      for (let i = 0, len = 0; i < n; i += len) {
        len = Math.min(CHUNK, n - i);
        k.f32.set(s.subarray(sOff + i, sOff + i + len), slot(k, 1) / 4);
        k.x.add(D + 4 * i, slot(k, 1), len);
      }
    return true;
  } finally {
    done(k);
  }
}

// ---------------------------------------------------------------- the primitives

export const optimKernels: Partial<Backend> = {
  sgdStep(param, grad, buf, o) {
    const n = numelOf(param.shape);
    if (param.dtype.name !== "float32") sgdF64(arr64(param), arr64(grad), buf && arr64(buf), n, o);
    else {
      const k = wasmFor(n, OPTIM_WASM_MIN_SGD, param);
      if (k) {
        try {
          sgdWasm(k, arr32(param), arr32(grad), buf && arr32(buf), n, o);
        } finally {
          done(k);
        }
      }
      else sgdF32(arr32(param), arr32(grad), buf && arr32(buf), n, o);
    }
  },
  adamStep(param, grad, m, v, vmax, o) {
    const n = numelOf(param.shape);
    if (param.dtype.name !== "float32") adamF64(arr64(param), arr64(grad), arr64(m), arr64(v), vmax && arr64(vmax), n, o);
    else {
      const k = wasmFor(n, OPTIM_WASM_MIN, param);
      if (k) {
        try {
          adamWasm(k, arr32(param), arr32(grad), arr32(m), arr32(v), vmax && arr32(vmax), n, o);
        } finally {
          done(k);
        }
      }
      else adamF32(arr32(param), arr32(grad), arr32(m), arr32(v), vmax && arr32(vmax), n, o);
    }
  },
  rmspropStep(param, grad, sq, ga, buf, o) {
    const n = numelOf(param.shape);
    if (param.dtype.name !== "float32") rmspropF64(arr64(param), arr64(grad), arr64(sq), ga && arr64(ga), buf && arr64(buf), n, o);
    else {
      const k = wasmFor(n, OPTIM_WASM_MIN, param);
      if (k) {
        try {
          rmspropWasm(k, arr32(param), arr32(grad), arr32(sq), ga && arr32(ga), buf && arr32(buf), n, o);
        } finally {
          done(k);
        }
      }
      else rmspropF32(arr32(param), arr32(grad), arr32(sq), ga && arr32(ga), buf && arr32(buf), n, o);
    }
  },
  adagradStep(param, grad, sum, o) {
    const n = numelOf(param.shape);
    if (param.dtype.name !== "float32") adagradF64(arr64(param), arr64(grad), arr64(sum), n, o);
    else {
      const k = wasmFor(n, OPTIM_WASM_MIN, param);
      if (k) {
        try {
          adagradWasm(k, arr32(param), arr32(grad), arr32(sum), n, o);
        } finally {
          done(k);
        }
      }
      else adagradF32(arr32(param), arr32(grad), arr32(sum), n, o);
    }
  },
};
