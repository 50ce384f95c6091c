// Long contiguous float sums in WebAssembly SIMD (reduce.wat), for the fast backend's reduce kernels.
// The data stays on the JS heap: it is copied into the module's memory a chunk at a time and each
// chunk summed there. NOTE: measured (Node 24, 2-core Zen 4, sum of 16M float32): a TypeScript loop
// with 4-8 float64 accumulators takes 18-23 ms; copying the whole array in and summing takes ~23 ms
// (the copy misses every cache); chunks of 16 KiB (they stay in L1 between the copy and the sum)
// take ~8.5 ms; the sum alone, data already inside, ~6 ms (memory bound). Below WASM_SUM_MIN
// elements the TypeScript loop is as fast (the call and the copies cost ~1 us).
// The module is ~1 KiB: it compiles synchronously everywhere (browsers allow up to 4 KiB on the
// main thread). Without wasm SIMD the callers' TypeScript loops run instead.
import { REDUCE_WASM_BASE64 } from "./reduce.generated.js";
import { wasmModule } from "../wasm_module.js";

interface ReduceExports {
  memory: WebAssembly.Memory;
  sum_f32(p: number, n: number): number;
  sum_f64(p: number, n: number): number;
  sqdev_f32(p: number, n: number, mean: number): number;
  sqdev_f64(p: number, n: number, mean: number): number;
}

/** Contiguous runs at least this long are summed in wasm. */
export const WASM_SUM_MIN = 4096;
/** Bytes copied in per call: small enough that the copy is still in L1 when the kernel reads it. */
const CHUNK_BYTES = 16384;

let mod: ReduceExports | null | undefined; // undefined: not tried yet; null: unavailable
let f32v: Float32Array, f64v: Float64Array;

function load(): ReduceExports | null {
  if (mod !== undefined) return mod;
  mod = null;
  try {
    const m = wasmModule(REDUCE_WASM_BASE64);
    if (m === null) return null;
    mod = new WebAssembly.Instance(m, {}).exports as unknown as ReduceExports;
    f32v = new Float32Array(mod.memory.buffer, 0, CHUNK_BYTES / 4);
    f64v = new Float64Array(mod.memory.buffer, 0, CHUNK_BYTES / 8);
  } catch {
    mod = null;
  }
  return mod;
}

/** Sum in float64 of the n float32 values x[i .. i + n). */
export function wasmSumF32(x: Float32Array, i: number, n: number): number {
  const m = load();
  if (!m) return plainSum(x, i, n);
  const CH = CHUNK_BYTES / 4;
  let s = 0;
  for (let a = 0; a < n; a += CH) {
    const len = Math.min(CH, n - a);
    f32v.set(x.subarray(i + a, i + a + len));
    s += m.sum_f32(0, len);
  }
  return s;
}

/** Sum of the n float64 values x[i .. i + n). */
export function wasmSumF64(x: Float64Array, i: number, n: number): number {
  const m = load();
  if (!m) return plainSum(x, i, n);
  const CH = CHUNK_BYTES / 8;
  let s = 0;
  for (let a = 0; a < n; a += CH) {
    const len = Math.min(CH, n - a);
    f64v.set(x.subarray(i + a, i + a + len));
    s += m.sum_f64(0, len);
  }
  return s;
}

/** Sum in float64 of (x - mean)^2 over the n float32 values x[i .. i + n) (a variance's second pass). */
export function wasmSqDevF32(x: Float32Array, i: number, n: number, mean: number): number {
  const m = load();
  if (!m) return plainSqDev(x, i, n, mean);
  const CH = CHUNK_BYTES / 4;
  let s = 0;
  for (let a = 0; a < n; a += CH) {
    const len = Math.min(CH, n - a);
    f32v.set(x.subarray(i + a, i + a + len));
    s += m.sqdev_f32(0, len, mean);
  }
  return s;
}

/** wasmSqDevF32 for float64 data. */
export function wasmSqDevF64(x: Float64Array, i: number, n: number, mean: number): number {
  const m = load();
  if (!m) return plainSqDev(x, i, n, mean);
  const CH = CHUNK_BYTES / 8;
  let s = 0;
  for (let a = 0; a < n; a += CH) {
    const len = Math.min(CH, n - a);
    f64v.set(x.subarray(i + a, i + a + len));
    s += m.sqdev_f64(0, len, mean);
  }
  return s;
}

function plainSqDev(x: Float32Array | Float64Array, i: number, n: number, mean: number): number {
  let s = 0;
  for (let k = 0; k < n; k++) {
    const d = x[i + k]! - mean;
    s += d * d;
  }
  return s;
}

function plainSum(x: Float32Array | Float64Array, i: number, n: number): number {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, k = 0;
  for (; k + 3 < n; k += 4, i += 4) {
    a0 += x[i]!;
    a1 += x[i + 1]!;
    a2 += x[i + 2]!;
    a3 += x[i + 3]!;
  }
  for (; k < n; k++, i++) a0 += x[i]!;
  return (a0 + a1) + (a2 + a3);
}
