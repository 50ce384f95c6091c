// float32 exp / log / tanh / sigmoid / silu through WebAssembly SIMD (elementwise_simd.wat) for the
// fast backend's unary kernel: the operand is copied into the module's memory a chunk at a time,
// mapped in place there, and copied out. No Node imports, no eval: it bundles for browsers; the
// module (~2 KiB) compiles synchronously on first use, also on a browser's main thread.
// NOTE: measured on the 2-core Zen 4 (Node 24, 1M floats, CPU time on a shared machine): Math.exp in
// a monomorphic loop costs ~18 ns an element, Math.tanh ~30; this module with the copies ~5 and ~8
// (the reference's Sleef emulation ~90 and ~320). Below SIMD_MIN_LENGTH elements the call and copies
// do not pay and the caller's Math.* loop runs.
import type { UnaryOp } from "../backend.js";
import { ELEMENTWISE_SIMD_WASM_BASE64 } from "./elementwise_simd.generated.js";

interface SimdExports {
  memory: WebAssembly.Memory;
  exp(p: number, n: number): void;
  log(p: number, n: number): void;
  tanh(p: number, n: number): void;
  sigmoid(p: number, n: number): void;
  silu(p: number, n: number): void;
}

/** The ops the module gives. */
export const SIMD_OPS: ReadonlySet<UnaryOp> = new Set(["exp", "log", "tanh", "sigmoid", "silu"]);

/**
 * Shorter runs go to the TypeScript loop. NOTE: measured (Node 24, CPU time, 1000 calls): exp of 16
 * floats 0.41 us through wasm against 0.30 us with Math.exp, of 32 floats 0.48 against 0.66, of 256
 * 1.8 against 3.3 (tanh's Math loop is slower still).
 */
export const SIMD_MIN_LENGTH = 24;

/** Floats per chunk: 32 KiB, half of the module's one page, in L1/L2 while it is mapped. */
const CHUNK = 8192;

let mod: { w: SimdExports; f: Float32Array } | null | undefined; // undefined: not tried; null: unavailable
let enabled = true;

/** Turns the SIMD path off (the Math.* loops run) or on; returns the previous setting. For tests and comparisons. */
export function setSimdEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

function load(): { w: SimdExports; f: Float32Array } | null {
  try {
    if (typeof WebAssembly !== "object" || typeof atob !== "function") return null;
    const bin = atob(ELEMENTWISE_SIMD_WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    if (!WebAssembly.validate(bytes)) return null; // no SIMD in this engine
    const w = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as SimdExports;
    return { w, f: new Float32Array(w.memory.buffer, 0, CHUNK) };
  } catch {
    return null;
  }
}

/** Whether the SIMD module is available here (compiling it on first call). */
export function simdAvailable(): boolean {
  if (mod === undefined) mod = load();
  return mod !== null;
}

/**
 * o[io + k] = op(x[ix + k]) for k < n through the SIMD module when op is one of SIMD_OPS, n is long
 * enough and the module is available; returns whether it ran (false: the caller computes).
 * x and o may be the same array at the same offset.
 */
export function simdUnaryF32(op: UnaryOp, n: number, x: Float32Array, ix: number, o: Float32Array, io: number): boolean {
  if (!enabled || n < SIMD_MIN_LENGTH || !SIMD_OPS.has(op)) return false;
  if (mod === undefined) mod = load();
  if (!mod) return false;
  const { w, f } = mod;
  const fn = w[op as "exp"];
  for (let s = 0; s < n; s += CHUNK) {
    const len = Math.min(CHUNK, n - s);
    f.set(x.subarray(ix + s, ix + s + len));
    fn(0, len);
    o.set(len === CHUNK ? f : f.subarray(0, len), io + s);
  }
  return true;
}
