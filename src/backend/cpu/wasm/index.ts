// WebAssembly SIMD matmul for the CPU backend: the interior columns of one batch of C = A @ B, bit for
// bit the numbers of the TypeScript kernel (../matmul.ts), several times faster. The kernels are in
// matmul.wat (see its NOTEs for why the bits match) and, for float32 where the engine has relaxed
// SIMD and fuses f32x4.relaxed_madd, matmul_relaxed.wat (5x faster again); this file picks the
// kernel, copies operands in, drives the BLIS loops and copies the result out. No Node imports, no
// eval and no V8 flags: it bundles for browsers.
// NOTE: relaxed SIMD is on by default in Node 22+ and Chrome 114+; Node 20 has it only when started
// with `node --experimental-wasm-relaxed-simd ...` (NODE_OPTIONS refuses the flag). The library
// never sets the flag: the user chooses. Without it float32 runs on the exact f64x2 kernel, same bits.
import type { TypedArray } from "../../../tensor/dtype.js";
import { MATMUL_WASM_BASE64 } from "./matmul.generated.js";
import { MATMUL_RELAXED_WASM_BASE64 } from "./matmul_relaxed.generated.js";

interface MatmulExports {
  memory: WebAssembly.Memory;
  macro(f64: number, mode: number, ap: number, bp: number, c: number, mc: number, nc: number, kc: number, ldc: number): void;
  packA(src: number, f64: number, rs: number, cs: number, M: number, i0: number, mc: number, k0: number, kc: number, dst: number): void;
  packB(src: number, f64: number, rs: number, cs: number, k0: number, kc: number, j0: number, nc: number, dst: number): void;
}

/** matmul_relaxed.wat: float32 only, f32 panels, B panels 8 columns wide. */
interface RelaxedExports {
  memory: WebAssembly.Memory;
  macro(mode: number, ap: number, bp: number, c: number, mc: number, nc: number, kc: number, ldc: number): void;
  packA(src: number, rs: number, cs: number, M: number, i0: number, mc: number, k0: number, kc: number, dst: number): void;
  packB(src: number, rs: number, cs: number, k0: number, kc: number, j0: number, nc: number, dst: number): void;
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

// NOTE: block sizes of the BLIS loops (the relaxed kernel's panels are f32, half these bytes, and its
// B micro-panels 8 columns wide). A panel of MC rows x KC of k (f64) is 128*320*8 = 320 KiB, in
// L2; a B micro-panel KC x 4 (10 KiB) stays in L1 while the macro-kernel walks the A panels; B's
// packed NC columns x KC (2.5 MiB at most) are reused across all row panels. float32 takes its K
// blocks from the caller (OpenBLAS's, at most 320); float64 chunks K by KC64 (exactly: see the wat).
const MC = 128, NC = 1024, KC64 = 256;

/**
 * One compiled kernel module with its views of its memory. `relaxed`: the float32-only module of
 * matmul_relaxed.wat (f32 panels, 4x8 tiles of relaxed_madd); else matmul.wat (both dtypes).
 */
interface Kernel { relaxed: boolean; w: MatmulExports | RelaxedExports; f32v: Float32Array; f64v: Float64Array }

let exact: Kernel | null | undefined; // undefined: not tried yet; null: unavailable
let fast: Kernel | null | undefined;
let relaxedAllowed = true;

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Compiles and instantiates a module synchronously; null where the engine rejects it. */
function compile(base64: string, relaxed: boolean): Kernel | null {
  try {
    if (typeof WebAssembly !== "object" || typeof atob !== "function") return null;
    const bytes = decodeBase64(base64);
    if (!WebAssembly.validate(bytes)) return null; // no SIMD (or relaxed SIMD) in this engine
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    return { relaxed, w: inst.exports as unknown as MatmulExports | RelaxedExports, f32v: new Float32Array(0), f64v: new Float64Array(0) };
  } catch {
    return null;
  }
}

/**
 * The exact kernel instance, compiled synchronously on first use; null where WebAssembly or its SIMD
 * is missing or compiling fails. NOTE: synchronous compile works on browsers' main threads too,
 * where Chrome has refused it only for modules over 4 KiB; this one is about 1.7 KiB and the relaxed
 * one about 1 KiB (keep them small).
 */
function instance(): Kernel | null {
  if (exact === undefined) exact = compile(MATMUL_WASM_BASE64, false);
  return exact;
}

/**
 * The probe of relaxed_madd's rounding: a RELAXED_PROBE.M x K @ K x N float32 product (row-major)
 * whose every element comes out different when relaxed_madd rounds twice. Row r, column j: the
 * first product, -s(1 + 2^-11) 2^j (s = +-1 by row), is exact; the second, s(1 + 2^-11 + 2^-24) 2^j,
 * is exact in a fused multiply-add, whose sum is then s 2^(j-24), while a rounded product ties to
 * even, s(1 + 2^-11) 2^j, and the sum is +0. 4 rows x 8 columns: every lane of every accumulator.
 */
export const RELAXED_PROBE: { readonly M: number; readonly K: number; readonly N: number; readonly a: Float32Array; readonly b: Float32Array } = (() => {
  const M = 4, K = 2, N = 8, a = new Float32Array(M * K), b = new Float32Array(K * N);
  for (let r = 0; r < M; r++) {
    const s = r & 1 ? -1 : 1;
    a[r * K] = -s * (1 + 2 ** -11);
    a[r * K + 1] = s * (1 + 2 ** -12);
  }
  for (let j = 0; j < N; j++) {
    b[j] = 2 ** j;
    b[N + j] = (1 + 2 ** -12) * 2 ** j;
  }
  return { M, K, N, a, b };
})();

/**
 * Whether `out`, RELAXED_PROBE's product as a kernel computed it, is what a fused multiply-add gives
 * in every element (s 2^(j-24) at row r, column j, s = -1 on odd rows). Anything else (the +0 of
 * unfused mul + add, a mix, NaN, a wrong length) says no: the relaxed kernel is then not used.
 */
export function relaxedProbeIsFused(out: ArrayLike<number>): boolean {
  const { M, N } = RELAXED_PROBE;
  if (out.length !== M * N) return false;
  for (let r = 0; r < M; r++) {
    for (let j = 0; j < N; j++) if (!Object.is(out[r * N + j], (r & 1 ? -1 : 1) * 2 ** (j - 24))) return false;
  }
  return true;
}

/**
 * The relaxed kernel where it may be used: the engine validates relaxed SIMD (Node 22+, Chrome 114+;
 * Node 20 only with `node --experimental-wasm-relaxed-simd`, which this library never turns on
 * itself) and RELAXED_PROBE, run through the kernel itself, shows relaxed_madd fused here (x86 with
 * FMA3, ARM64). Else null, and float32 keeps the exact f64x2 kernel. Decided once, at first use.
 * NOTE: the probe runs in V8's baseline code (Liftoff), the hot kernel later in TurboFan's; both
 * emit vfmadd231ps for it on the 2-core Zen 4 (node --print-wasm-code), and both choose FMA3 or
 * mul + add from the same CPU check, so the probe speaks for the hot code too. The tests check the
 * tiered-up kernel against the rule on many shapes.
 */
function relaxedInstance(): Kernel | null {
  if (fast !== undefined) return fast;
  fast = null;
  const k = compile(MATMUL_RELAXED_WASM_BASE64, true);
  if (k === null) return null;
  const { M, K, N, a, b } = RELAXED_PROBE, out = new Float32Array(M * N);
  try {
    if (run(k, a, 0, K, 1, b, 0, N, 1, M, K, N, N, [K], out, 0, false) && relaxedProbeIsFused(out)) fast = k;
  } catch {
    fast = null;
  }
  return fast;
}

/**
 * Whether the relaxed-SIMD float32 kernel runs here: relaxed SIMD validates and its multiply-add is
 * fused (see relaxedInstance); compiles and probes it on first call. False also while
 * setMatmulWasmRelaxed(false) holds.
 */
export function matmulWasmRelaxedAvailable(): boolean {
  return relaxedAllowed && relaxedInstance() !== null;
}

/**
 * Lets float32 use the relaxed-SIMD kernel where it is available (the default) or keeps it on the
 * exact f64x2 kernel; returns the previous setting. The bits are the same either way; for tests and
 * comparisons.
 */
export function setMatmulWasmRelaxed(on: boolean): boolean {
  const was = relaxedAllowed;
  relaxedAllowed = on;
  return was;
}

/** Whether the wasm kernel can run here (WebAssembly with SIMD); compiles it on first call. */
export function matmulWasmAvailable(): boolean {
  return instance() !== null;
}

const align = (n: number): number => (n + 63) & ~63;

/** Grows the kernel's memory to at least `bytes`; false when that is more than it may address. */
function reserve(k: Kernel, bytes: number): boolean {
  if (bytes > 2 ** 31) return false; // the wat's offsets are i32 arithmetic
  const memory = k.w.memory, have = memory.buffer.byteLength;
  if (bytes > have) {
    try { memory.grow(Math.ceil((bytes - have) / 65536)); } catch { return false; }
  }
  if (k.f32v.buffer !== memory.buffer) { // new or grown (growing detaches the old views)
    k.f32v = new Float32Array(memory.buffer);
    k.f64v = new Float64Array(memory.buffer);
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
 * matmulInto's TypeScript kernel computes for them. float32 runs on the relaxed-SIMD kernel where
 * matmulWasmRelaxedAvailable() (and setMatmulWasmRelaxed has not turned it off), else on the exact
 * f64x2 kernel; float64 always on the latter.
 *
 * a is M x K with element strides (sam, sak) from aOff; b is K x N with strides (sbk, sbn) from bOff;
 * o is row-major with row stride N from oOff (columns >= cols are not touched). cols must be a
 * multiple of 4 (0 < cols <= N). All three arrays are Float32Array or all Float64Array (else it
 * returns false).
 * float32: `ends` are the K block ends (increasing, last = K): per element and block an accumulator
 * starts at +0 and takes fround(a * b + acc) in k order; o is set to the first block's sum and each
 * later block's sum is added with float32 rounding. float64: a plain s += a * b in k order (`ends`
 * ignored). With `accumulate`, o's columns [0, cols) already hold C and every block's sum is added
 * (float32: the first block's too, with float32 rounding; float64: o + s), matmulInto's addmm path.
 * NOTE: fround(a * b + acc) is the float32 FMA (OpenBLAS's step) but where the float64 sum lands
 * exactly on a float32 midpoint (the double rounding of matmul.ts's NOTE, never seen in random data):
 * there the relaxed kernel, a true FMA, gives OpenBLAS's bits, and the exact kernel and TypeScript
 * the double-rounded ones (test/wasm_matmul.test.ts has such a case).
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
  accumulate = false,
): boolean {
  if (!enabled || M <= 0 || K <= 0 || cols <= 0 || (cols & 3) !== 0 || cols > N || M * K * cols < minWork) return false;
  // other element types (and mixed ones) stay with TypeScript
  let f64: boolean;
  if (a instanceof Float32Array && b instanceof Float32Array && o instanceof Float32Array) f64 = false;
  else if (a instanceof Float64Array && b instanceof Float64Array && o instanceof Float64Array) f64 = true;
  else return false;
  if (!f64 && relaxedAllowed) {
    const k = relaxedInstance();
    if (k !== null) return run(k, a as Float32Array, aOff, sam, sak, b as Float32Array, bOff, sbk, sbn, M, K, N, cols, ends, o as Float32Array, oOff, accumulate);
  }
  const k = instance();
  if (k === null) return false;
  return run(k, a as Float32Array | Float64Array, aOff, sam, sak, b as Float32Array | Float64Array, bOff, sbk, sbn, M, K, N, cols, ends, o as Float32Array | Float64Array, oOff, accumulate);
}

/** matmulWasm on one kernel module, its arguments checked but for `ends`; false if it declines. */
function run(
  k: Kernel, a: Float32Array | Float64Array, aOff: number, sam: number, sak: number,
  b: Float32Array | Float64Array, bOff: number, sbk: number, sbn: number,
  M: number, K: number, N: number, cols: number, ends: readonly number[],
  o: Float32Array | Float64Array, oOff: number, accumulate: boolean,
): boolean {
  const f64 = o instanceof Float64Array;
  if (k.relaxed && f64) return false;

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

  // memory: [A copy][B copy][C][packed A][packed B], from byte 64 (the relaxed module reads zeros
  // below); element sizes es = 4 or 8. Packed panels: f64 in the exact module, f32 in the relaxed
  // one, whose B panels are 8 columns wide, so its C has its row length ldc rounded up to 8 columns.
  const es = f64 ? 8 : 4, ps = k.relaxed ? 4 : 8, Mp = (M + 3) & ~3;
  const ldc = k.relaxed ? (cols + 7) & ~7 : cols, nc0 = Math.min(NC, ldc);
  const aAt = 64, bAt = align(aAt + M * K * es), cAt = align(bAt + K * cols * es);
  const apAt = align(cAt + Mp * ldc * es), bpAt = align(apAt + Math.min(MC, Mp) * maxKc * ps);
  const end = bpAt + nc0 * maxKc * ps;
  if (!reserve(k, end)) return false;
  const view = f64 ? k.f64v : k.f32v;

  const [ars, acs] = copyIn(a, aOff, sam, sak, M, K, view, aAt / es);
  const [brs, bcs] = copyIn(b, bOff, sbk, sbn, K, cols, view, bAt / es);
  // float32 with accumulate: C starts as o (row stride ldc) and every block adds into it (mode 1);
  // float64 adds o back after the product (below), as the TypeScript kernel's c + s does.
  const addBlocks = accumulate && !f64;
  if (addBlocks) for (let i = 0; i < M; i++) view.set(o.subarray(oOff + i * N, oOff + i * N + cols), cAt / es + i * ldc);

  for (let jc = 0; jc < cols; jc += NC) {
    const nc = Math.min(NC, cols - jc);
    let k0 = 0;
    for (let i = 0; i < nChunks; i++) {
      const k1 = chunkEnd(i), kc = k1 - k0, mode = i === 0 && !addBlocks ? 0 : 1;
      if (k.relaxed) {
        const w = k.w as RelaxedExports, nc8 = (nc + 7) & ~7;
        w.packB(bAt, brs, bcs, k0, kc, jc, nc, bpAt);
        for (let ic = 0; ic < Mp; ic += MC) {
          const mc = Math.min(MC, Mp - ic);
          w.packA(aAt, ars, acs, M, ic, mc, k0, kc, apAt);
          w.macro(mode, apAt, bpAt, cAt + (ic * ldc + jc) * 4, mc, nc8, kc, ldc * 4);
        }
      } else {
        const w = k.w as MatmulExports, F = f64 ? 1 : 0;
        w.packB(bAt, F, brs, bcs, k0, kc, jc, nc, bpAt);
        for (let ic = 0; ic < Mp; ic += MC) {
          const mc = Math.min(MC, Mp - ic);
          w.packA(aAt, F, ars, acs, M, ic, mc, k0, kc, apAt);
          w.macro(F, mode, apAt, bpAt, cAt + (ic * ldc + jc) * es, mc, nc, kc, ldc * es);
        }
      }
      k0 = k1;
    }
  }

  // copy out (the rows past M and the columns past cols are padding)
  const c0 = cAt / es;
  if (accumulate && f64) for (let i = 0; i < M; i++) for (let j = 0, s = c0 + i * ldc, d = oOff + i * N; j < cols; j++, s++, d++) o[d] = o[d]! + view[s]!;
  else if (cols === N && ldc === N) o.set(view.subarray(c0, c0 + M * N), oOff);
  else if (cols >= 32) for (let i = 0; i < M; i++) o.set(view.subarray(c0 + i * ldc, c0 + i * ldc + cols), oOff + i * N);
  else for (let i = 0; i < M; i++) for (let j = 0, s = c0 + i * ldc, d = oOff + i * N; j < cols; j++) o[d++] = view[s++]!;
  return true;
}
