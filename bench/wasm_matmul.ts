// GFLOP/s of the WebAssembly SIMD matmul (src/backend/cpu/wasm) against the TypeScript kernel, one
// batch, row-major operands, float32 (OpenBLAS's K blocks) and float64. float32 also on the
// relaxed-SIMD kernel (a fused f32x4.relaxed_madd, same bits) where the engine has relaxed SIMD and
// fuses it: on Node 20 run with the V8 flag (NODE_OPTIONS refuses it):
//   node --experimental-wasm-relaxed-simd --import tsx bench/wasm_matmul.ts
//   npx tsx bench/wasm_matmul.ts            the shapes of the report (no relaxed column on Node 20)
//   npx tsx bench/wasm_matmul.ts --small    small cubes, to place MATMUL_WASM_MIN_WORK
import { f32Plan, matmulInto } from "../src/backend/cpu/matmul.js";
import { matmulWasm, matmulWasmRelaxedAvailable, setMatmulWasmEnabled, setMatmulWasmRelaxed } from "../src/backend/cpu/wasm/index.js";

// the TypeScript kernel is timed through matmulInto with wasm off
setMatmulWasmEnabled(false);

/** Best seconds per call over 7 timed rounds (the machine is shared: the minimum is the steadiest), each long enough (~60 ms) to swamp the clock. */
function time(fn: () => void): number {
  fn(); fn();
  let reps = 1;
  for (;;) { const t = performance.now(); for (let i = 0; i < reps; i++) fn(); if (performance.now() - t > 20) break; reps *= 2; }
  reps = Math.max(1, Math.ceil(reps * 3));
  const runs: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) fn();
    runs.push((performance.now() - t) / 1e3 / reps);
  }
  return Math.min(...runs);
}

const small = process.argv.includes("--small");
// [M, K, N, layout]: "" both row-major; "bT" b is a transposed view (x @ W.t() in Linear's forward);
// "aT" a is a transposed view (grad_W = grad.t() @ x in Linear's backward)
const shapes: [number, number, number, string][] = small
  ? [[4, 4, 4, ""], [8, 8, 8, ""], [12, 12, 12, ""], [16, 16, 16, ""], [24, 24, 24, ""], [32, 32, 32, ""], [64, 64, 64, ""], [128, 1, 128, ""], [1, 256, 256, ""]]
  : [[256, 256, 256, ""], [64, 1000, 100, ""], [1000, 64, 100, ""], [64, 784, 256, ""], [64, 784, 256, "bT"], [256, 64, 784, "aT"], [1024, 1024, 1024, ""]];

const relaxed = matmulWasmRelaxedAvailable();
console.log(`relaxed-SIMD kernel: ${relaxed ? "available (relaxed_madd fused)" : "unavailable (no relaxed SIMD, or its madd is not fused): run node --experimental-wasm-relaxed-simd"}`);
console.log("shape           dtype    TS GFLOP/s  wasm GFLOP/s  speedup  relaxed GFLOP/s  speedup  (TS / wasm / relaxed us)");
for (const [M, K, N, layout] of shapes) {
  for (const f64 of [false, true]) {
    const mk = (n: number) => (f64 ? new Float64Array(n) : new Float32Array(n));
    const a = mk(M * K), b = mk(K * N), o1 = mk(M * N), o2 = mk(M * N), o3 = mk(M * N);
    for (let i = 0; i < a.length; i++) a[i] = Math.random() - 0.5;
    for (let i = 0; i < b.length; i++) b[i] = Math.random() - 0.5;
    const [sam, sak] = layout === "aT" ? [1, M] : [K, 1], [sbk, sbn] = layout === "bT" ? [1, K] : [N, 1];
    const plan = f64 ? { ends: [K], dotFrom: N } : f32Plan(M, K, N, sam, sak, sbk, sbn);
    const ends = plan.ends, cols = Math.min(N & ~3, plan.dotFrom);
    const tTs = time(() => matmulInto(a, [0, sam, sak], 0, b, [0, sbk, sbn], 0, o1, 1, M, K, N));
    const wasm = (on: boolean, o: Float32Array | Float64Array) => (): void => {
      setMatmulWasmEnabled(true); setMatmulWasmRelaxed(on);
      matmulWasm(a, 0, sam, sak, b, 0, sbk, sbn, M, K, N, cols, ends, o, 0, 0);
      setMatmulWasmEnabled(false);
    };
    const tW = time(wasm(false, o2));
    const tR = !f64 && relaxed ? time(wasm(true, o3)) : NaN;
    if (!Number.isNaN(tR)) { // the same bits (interior columns)
      for (let i = 0; i < M; i++) for (let j = 0; j < cols; j++) {
        if (!Object.is(o2[i * N + j], o3[i * N + j])) throw new Error(`${M}x${K}x${N}: relaxed differs at (${i}, ${j})`);
      }
    }
    const gf = (t: number) => (Number.isNaN(t) ? "-" : (2 * M * K * N / t / 1e9).toFixed(2)).padStart(10);
    const us = (t: number) => (Number.isNaN(t) ? "-" : (t * 1e6).toFixed(1));
    console.log(`${`${M}x${K}x${N}${layout ? ` ${layout}` : ""}`.padEnd(16)}${(f64 ? "float64" : "float32").padEnd(9)}${gf(tTs)}  ${gf(tW)}  ${(tTs / tW).toFixed(2).padStart(6)}x  ${gf(tR).padStart(15)}  ${Number.isNaN(tR) ? "      -" : `${(tTs / tR).toFixed(2).padStart(6)}x`}  (${us(tTs)} / ${us(tW)} / ${us(tR)})`);
  }
}
