// WebAssembly SIMD matmul for the CPU backend: the interior columns of one batch of C = A @ B, bit for
// bit the numbers of the TypeScript kernel (../matmul.ts), several times faster. The kernels are in
// matmul.wat (see its NOTEs for why the bits match); this file copies operands in, drives the BLIS
// loops and copies the result out. No Node imports and no eval: it bundles for browsers.
import type { TypedArray } from "../../../tensor/dtype.js";
import { MATMUL_WASM_BASE64 } from "./matmul.generated.js";

interface MatmulExports {
  memory: WebAssembly.Memory;
  macro(f64: number, mode: number, ap: number, bp: number, c: number, mc: number, nc: number, kc: number, ldc: number): void;
  packA(src: number, f64: number, rs: number, cs: number, M: number, i0: number, mc: number, k0: number, kc: number, dst: number): void;
  packB(src: number, f64: number, rs: number, cs: number, k0: number, kc: number, j0: number, nc: number, dst: number): void;
}

/**
 * Below this many multiply-adds (M * K * cols) matmulWasm declines. NOTE: measured with
 * bench/wasm_matmul.ts --small (2-core Zen 4, Node 20, runs of a shared machine): a call costs
 * ~0.8-1 us at 4x4x4 and 8x8x8, where the TypeScript kernel takes 0.5-0.7 us and 1-2.8 us; from
 * 12x12x12 on wasm is 1.7-2.7x faster. So the crossover is near 8x8x8.
 */
export const MATMUL_WASM_MIN_WORK = 8 * 8 * 8;

let enabled = true;
/**
 * Turns the wasm kernel off (matmulWasm then declines and the TypeScript kernel runs) or back on;
 * returns the previous setting. For tests of the TypeScript path and for comparisons.
 */
export function setMatmulWasmEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

// NOTE: block sizes of the BLIS loops. A panel of MC rows x KC of k (f64) is 128*320*8 = 320 KiB, in
// L2; a B micro-panel KC x 4 (10 KiB) stays in L1 while the macro-kernel walks the A panels; B's
// packed NC columns x KC (2.5 MiB at most) are reused across all row panels. float32 takes its K
// blocks from the caller (OpenBLAS's, at most 320); float64 chunks K by KC64 (exactly: see the wat).
const MC = 128, NC = 1024, KC64 = 256;

let wasm: MatmulExports | null | undefined; // undefined: not tried yet; null: unavailable
let f32v = new Float32Array(0), f64v = new Float64Array(0);

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * The kernel instance, compiled synchronously on first use; null where WebAssembly or its SIMD is
 * missing or compiling fails. NOTE: synchronous compile works on browsers' main threads too, where
 * Chrome has refused it only for modules over 4 KiB; this one is about 1.6 KiB (keep it small).
 */
function instance(): MatmulExports | null {
  if (wasm !== undefined) return wasm;
  wasm = null;
  try {
    if (typeof WebAssembly !== "object" || typeof atob !== "function") return null;
    const bytes = decodeBase64(MATMUL_WASM_BASE64);
    if (!WebAssembly.validate(bytes)) return null; // no SIMD in this engine
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    wasm = inst.exports as unknown as MatmulExports;
  } catch {
    wasm = null;
  }
  return wasm;
}

/** Whether the wasm kernel can run here (WebAssembly with SIMD); compiles it on first call. */
export function matmulWasmAvailable(): boolean {
  return instance() !== null;
}

const align = (n: number): number => (n + 63) & ~63;

/** Grows the kernel's memory to at least `bytes`; false when that is more than it may address. */
function reserve(w: MatmulExports, bytes: number): boolean {
  if (bytes > 2 ** 31) return false; // the wat's offsets are i32 arithmetic
  const have = w.memory.buffer.byteLength;
  if (bytes > have) {
    try { w.memory.grow(Math.ceil((bytes - have) / 65536)); } catch { return false; }
  }
  if (f32v.buffer !== w.memory.buffer) { // new or grown (growing detaches the old views)
    f32v = new Float32Array(w.memory.buffer);
    f64v = new Float64Array(w.memory.buffer);
  }
  return true;
}

/**
 * Copies an R x C matrix given by element strides (src[off + r * sr + c * sc]) into `dst` at element
 * `at`, keeping whichever of its orientations has contiguous runs. Returns the element strides
 * [rs, cs] of the copy.
 */
function copyIn(
  src: Float32Array | Float64Array, off: number, sr: number, sc: number, R: number, C: number,
  dst: Float32Array | Float64Array, at: number,
): [number, number] {
  if (sc === 1 || C === 1) {
    if (sr === C || R === 1) { dst.set(src.subarray(off, off + R * C), at); return [C, 1]; }
    if (C >= 32) for (let r = 0; r < R; r++) dst.set(src.subarray(off + r * sr, off + r * sr + C), at + r * C);
    else for (let r = 0, d = at; r < R; r++) for (let c = 0, s = off + r * sr; c < C; c++, s += sc) dst[d++] = src[s]!;
    return [C, 1];
  }
  if (sr === 1) { // columns contiguous (a transposed view): copy as C x R
    if (R >= 32) for (let c = 0; c < C; c++) dst.set(src.subarray(off + c * sc, off + c * sc + R), at + c * R);
    else for (let c = 0, d = at; c < C; c++) for (let r = 0, s = off + c * sc; r < R; r++, s++) dst[d++] = src[s]!;
    return [1, R];
  }
  for (let r = 0, d = at; r < R; r++) for (let c = 0, s = off + r * sr; c < C; c++, s += sc) dst[d++] = src[s]!;
  return [C, 1];
}

/**
 * Columns [0, cols) of every row of one batch of o = a @ b, in WebAssembly SIMD, bit for bit what
 * matmulInto's TypeScript kernel computes for them.
 *
 * a is M x K with element strides (sam, sak) from aOff; b is K x N with strides (sbk, sbn) from bOff;
 * o is row-major with row stride N from oOff (columns >= cols are not touched). cols must be a
 * multiple of 4 (0 < cols <= N). All three arrays are Float32Array or all Float64Array (else it
 * returns false).
 * float32: `ends` are the K block ends (increasing, last = K): per element and block an accumulator
 * starts at +0 and takes fround(a * b + acc) in k order; o is set to the first block's sum and each
 * later block's sum is added with float32 rounding. float64: a plain s += a * b in k order (`ends`
 * ignored).
 *
 * Returns false, having written nothing, when WebAssembly SIMD is unavailable, the operands do not
 * fit its memory, or M * K * cols < minWork (default MATMUL_WASM_MIN_WORK): the caller then
 * computes those columns itself.
 *
 * @example
 * // the first 4 columns of a 2x3 @ 3x5 float32 product (column 4 stays with the caller)
 * const a = new Float32Array([1, 2, 3, 4, 5, 6]), b = new Float32Array(15).fill(1);
 * const o = new Float32Array(10);
 * matmulWasm(a, 0, 3, 1, b, 0, 5, 1, 2, 3, 5, 4, [3], o, 0, 0); // true (minWork 0: any size)
 * // o: [6, 6, 6, 6, 0, 15, 15, 15, 15, 0]
 */
export function matmulWasm(
  a: TypedArray, aOff: number, sam: number, sak: number,
  b: TypedArray, bOff: number, sbk: number, sbn: number,
  M: number, K: number, N: number, cols: number, ends: readonly number[],
  o: TypedArray, oOff: number,
  minWork: number = MATMUL_WASM_MIN_WORK,
): boolean {
  if (!enabled || M <= 0 || K <= 0 || cols <= 0 || (cols & 3) !== 0 || cols > N || M * K * cols < minWork) return false;
  // other element types (and mixed ones) stay with TypeScript
  let f64: boolean;
  if (a instanceof Float32Array && b instanceof Float32Array && o instanceof Float32Array) f64 = false;
  else if (a instanceof Float64Array && b instanceof Float64Array && o instanceof Float64Array) f64 = true;
  else return false;
  const w = instance();
  if (w === null) return false;

  // K chunks: float32 the caller's blocks; float64 KC64 at a time (the sum continues across chunks)
  const nChunks = f64 ? Math.ceil(K / KC64) : ends.length;
  const chunkEnd = (i: number): number => (f64 ? Math.min(K, (i + 1) * KC64) : ends[i]!);
  let maxKc = 0;
  for (let i = 0, k0 = 0; i < nChunks; i++) {
    const k1 = chunkEnd(i);
    if (!(k1 > k0) || (i === nChunks - 1 && k1 !== K)) return false; // empty, unordered or short ends
    maxKc = Math.max(maxKc, k1 - k0);
    k0 = k1;
  }
  if (maxKc === 0) return false;

  // memory: [A copy][B copy][C][packed A][packed B]; element sizes 4 or 8, packed panels f64
  const es = f64 ? 8 : 4, Mp = (M + 3) & ~3, nc0 = Math.min(NC, cols);
  const aAt = 64, bAt = align(aAt + M * K * es), cAt = align(bAt + K * cols * es);
  const apAt = align(cAt + Mp * cols * es), bpAt = align(apAt + Math.min(MC, Mp) * maxKc * 8);
  const end = bpAt + nc0 * maxKc * 8;
  if (!reserve(w, end)) return false;
  const view = f64 ? f64v : f32v;

  const [ars, acs] = copyIn(a, aOff, sam, sak, M, K, view, aAt / es);
  const [brs, bcs] = copyIn(b, bOff, sbk, sbn, K, cols, view, bAt / es);

  const F = f64 ? 1 : 0;
  for (let jc = 0; jc < cols; jc += NC) {
    const nc = Math.min(NC, cols - jc);
    let k0 = 0;
    for (let i = 0; i < nChunks; i++) {
      const k1 = chunkEnd(i), kc = k1 - k0;
      w.packB(bAt, F, brs, bcs, k0, kc, jc, nc, bpAt);
      for (let ic = 0; ic < Mp; ic += MC) {
        const mc = Math.min(MC, Mp - ic);
        w.packA(aAt, F, ars, acs, M, ic, mc, k0, kc, apAt);
        w.macro(F, i === 0 ? 0 : 1, apAt, bpAt, cAt + (ic * cols + jc) * es, mc, nc, kc, cols * es);
      }
      k0 = k1;
    }
  }

  // copy out (the rows past M are padding)
  const c0 = cAt / es;
  if (cols === N) o.set(view.subarray(c0, c0 + M * N), oOff);
  else if (cols >= 32) for (let i = 0; i < M; i++) o.set(view.subarray(c0 + i * cols, c0 + (i + 1) * cols), oOff + i * N);
  else for (let i = 0; i < M; i++) for (let j = 0, s = c0 + i * cols, d = oOff + i * N; j < cols; j++) o[d++] = view[s++]!;
  return true;
}
