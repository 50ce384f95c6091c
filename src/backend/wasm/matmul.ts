// The fast backend's matmul kernels (see index.ts). Each primitive given here replaces the reference
// backend's for this backend; what is left out falls back to the reference.
//
// NOTE: matmul here is the reference's own matmulInto (../cpu/matmul.ts) with `fast` set: the same
// WebAssembly SIMD kernels on every compute thread (../cpu/wasm/index.ts, threads.ts), every layout
// backprop produces (a.T @ g, g @ b.T) read through strides with no transpose copy, and PyTorch's
// (OpenBLAS's) float32 summation order. Where the engine has relaxed SIMD (Node 22+, Chrome) that
// order costs nothing, so the bits are the reference's; without it (Node 20, Firefox, Safari) float32
// runs on the plain-SIMD kernel (f32x4.mul then f32x4.add, each product rounded to float32): within
// float32 tolerance of PyTorch, not its bits, 5x faster than the exact emulation. Products under
// MATMUL_WASM_MIN_WORK multiply-adds (about 8x8x8) stay in TypeScript, where a call into wasm costs
// more than it saves. Integer dtypes go to the reference.
import type { Backend, Storage, View } from "../backend.js";
import { cpuBackend } from "../cpu/index.js";
import { f32Plan, matmulInto } from "../cpu/matmul.js";
import { takePassArrayF32, takeArray, zeroedArray } from "../buffer_pool.js";
import { matmulWritesInPlace } from "../cpu/wasm/index.js";
import type { DType } from "../../tensor/dtype.js";

type FloatArray = Float32Array | Float64Array;

/** o (contiguous [B, M, N]) = init, a view of that shape with any strides (broadcast: stride 0). */
function fillFrom(init: View, o: FloatArray, B: number, M: number, N: number): void {
  const s = init.storage as FloatArray;
  const [sb, sm, sn] = init.strides as [number, number, number];
  if (sb === 0 && sm === 0 && sn === 1 && B * M > 1) {
    // one row repeated (addmm's bias): read it once, then copy within o. NOTE: the bias may live in
    // the kernels' shared memory (a parameter), where each TypedArray.set from it is V8's slower
    // relaxed-atomic copy
    o.set(s.subarray(init.offset, init.offset + N), 0);
    const total = B * M * N;
    for (let have = N; have < total; have *= 2) o.copyWithin(have, 0, Math.min(have, total - have));
    return;
  }
  for (let x = 0, d = 0; x < B; x++) {
    for (let i = 0; i < M; i++, d += N) {
      const r = init.offset + x * sb + i * sm;
      if (sn === 1) o.set(s.subarray(r, r + N), d);
      else for (let j = 0, q = r; j < N; j++, q += sn) o[d + j] = s[q]!;
    }
  }
}

export const matmulKernels: Partial<Backend> = {
  matmul(a: View, b: View, out: DType, init?: View): Storage {
    const f = out.name;
    if ((f !== "float32" && f !== "float64") || a.dtype.name !== f || b.dtype.name !== f || (init !== undefined && init.dtype.name !== f)) {
      return cpuBackend.matmul.call(this, a, b, out, init);
    }
    const [B, M, K] = a.shape as [number, number, number];
    const N = b.shape[2]!;
    // every element is written (K > 0: the sums; init: copied first); K = 0 leaves the zeros
    const get = K > 0 || init ? takeArray : zeroedArray;
    // a backward pass's product whose tiles the kernel writes where its output lies: output in the
    // kernels' shared memory, no copy out (and none back in for the .grad accumulating it)
    const inPlace = f === "float32" && K > 0 && !init && matmulWritesInPlace(M, K, N) &&
      f32Plan(M, K, N, a.strides[1]!, a.strides[2]!, b.strides[1]!, b.strides[2]!).dotFrom === N;
    const o = (inPlace ? takePassArrayF32(B * M * N) : null) ?? (f === "float32" ? get(Float32Array, B * M * N) : get(Float64Array, B * M * N));
    if (init) fillFrom(init, o, B, M, N);
    matmulInto(a.storage as FloatArray, a.strides, a.offset, b.storage as FloatArray, b.strides, b.offset, o, B, M, K, N, init !== undefined, true);
    return o;
  },
};
