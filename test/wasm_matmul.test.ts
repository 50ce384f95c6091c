// The WebAssembly SIMD matmul against the TypeScript kernel's rule, bit for bit: float32 per element
// and K block acc = fround(a * b + acc) from +0, then C = first block's sum or fround(C + sum);
// float64 s += a * b in k order. Also against matmulInto itself, and the embedded bytes against
// a fresh build of matmul.wat.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { matmulWasm, matmulWasmAvailable, MATMUL_WASM_MIN_WORK, setMatmulWasmEnabled } from "../src/backend/cpu/wasm/index.js";
import { f32Plan, matmulInto } from "../src/backend/cpu/matmul.js";
import { buildMatmulWasm, generatedSource, GENERATED_PATH } from "../scripts/build_wasm.js";

type F = Float32Array | Float64Array;

/** A small deterministic generator (mulberry32) of values with mixed signs and magnitudes. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fill(n: number, f64: boolean, seed: number): F {
  const r = rng(seed), x = f64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    // mostly N(0,1)-like values, some exact zeros and a few of other magnitudes
    x[i] = u < 0.03 ? 0 : (r() - 0.5) * 4 * (u < 0.1 ? 1e3 : u < 0.15 ? 1e-3 : 1);
  }
  return x;
}

interface Operand { data: F; off: number; s0: number; s1: number }

/** An R x C operand laid out as "row" (row-major), "col" (transposed view) or "strided" (gaps). */
function operand(R: number, C: number, f64: boolean, layout: "row" | "col" | "strided", seed: number): Operand {
  const off = layout === "row" ? 0 : 3;
  if (layout === "row") return { data: fill(R * C, f64, seed), off, s0: C, s1: 1 };
  if (layout === "col") return { data: fill(off + R * C, f64, seed), off, s0: 1, s1: R };
  return { data: fill(off + R * C * 2 + 5, f64, seed), off, s0: 2 * C + 1, s1: 2 };
}

/** The TypeScript kernel's rule for columns [0, cols), written plainly. */
function reference(A: Operand, B: Operand, M: number, K: number, N: number, cols: number, ends: number[], o: F): void {
  const fr = Math.fround, f32 = o instanceof Float32Array;
  for (let i = 0; i < M; i++) for (let j = 0; j < cols; j++) {
    const at = (k: number): number => A.data[A.off + i * A.s0 + k * A.s1]! * B.data[B.off + k * B.s0 + j * B.s1]!;
    if (!f32) {
      let s = 0;
      for (let k = 0; k < K; k++) s += at(k);
      o[i * N + j] = s;
      continue;
    }
    let c = 0, k0 = 0;
    for (const k1 of ends) {
      let s = 0;
      for (let k = k0; k < k1; k++) s = fr(at(k) + s);
      c = k0 === 0 ? s : fr(c + s);
      k0 = k1;
    }
    o[i * N + j] = c;
  }
}

function firstDiff(got: F, want: F): number {
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) return i;
  return -1;
}

function check(
  M: number, K: number, N: number, cols: number, ends: number[], f64: boolean,
  la: "row" | "col" | "strided", lb: "row" | "col" | "strided", seed: number,
): void {
  const A = operand(M, K, f64, la, seed), B = operand(K, N, f64, lb, seed + 1);
  const mk = (n: number): F => (f64 ? new Float64Array(n) : new Float32Array(n));
  const want = mk(M * N).fill(-7), got = mk(M * N + 2).fill(-7);
  reference(A, B, M, K, N, cols, ends, want);
  assert.ok(matmulWasm(A.data, A.off, A.s0, A.s1, B.data, B.off, B.s0, B.s1, M, K, N, cols, ends, got, 1, 0));
  const g = got.subarray(1, 1 + M * N);
  const d = firstDiff(g, want);
  assert.equal(d, -1, `${f64 ? "f64" : "f32"} ${M}x${K}x${N} cols ${cols} ${la}/${lb}: first difference at ${d}: ${g[d]} vs ${want[d]}`);
  assert.equal(got[0], -7, "wrote before oOff");
  assert.equal(got[M * N + 1], -7, "wrote past the output");
}

test("embedded wasm bytes match a fresh build of matmul.wat", async () => {
  const bytes = await buildMatmulWasm();
  assert.equal(readFileSync(GENERATED_PATH, "utf8"), generatedSource(bytes), "stale: run `npm run build:wasm`");
  // Chrome has refused synchronous compiles of larger modules on the main thread (see index.ts)
  assert.ok(bytes.length < 4096, `${bytes.length} bytes`);
});

test("the loader bundles for browsers: no Node imports, no eval", () => {
  for (const f of ["index.ts", "matmul.generated.ts"]) {
    const src = readFileSync(new URL(`../src/backend/cpu/wasm/${f}`, import.meta.url), "utf8");
    assert.doesNotMatch(src, /from "node:|require\(|\beval\(|new Function\(/, f);
  }
});

test("WebAssembly SIMD is available in Node 20", () => {
  assert.equal(matmulWasmAvailable(), true);
});

const layouts = ["row", "col", "strided"] as const;

for (const f64 of [false, true]) {
  const name = f64 ? "float64" : "float32";

  test(`${name}: random shapes and layouts, bit for bit`, () => {
    const r = rng(f64 ? 11 : 7);
    for (let t = 0; t < 60; t++) {
      const M = 1 + Math.floor(r() * 23), K = 1 + Math.floor(r() * 40), N = 4 + Math.floor(r() * 30);
      const cols = N & ~3;
      // K blocks of any sizes, as the caller may pass
      const ends: number[] = [];
      for (let k = 0; k < K;) { k = Math.min(K, k + 1 + Math.floor(r() * 17)); ends.push(k); }
      check(M, K, N, cols, ends, f64, layouts[t % 3]!, layouts[Math.floor(t / 3) % 3]!, 100 + t);
    }
  });

  test(`${name}: K over several blocks (320, 640, 820, 1000)`, () => {
    for (const [la, lb] of [["row", "row"], ["col", "row"], ["row", "col"], ["strided", "strided"]] as const) {
      check(13, 1000, 22, 20, [320, 640, 820, 1000], f64, la, lb, 5);
    }
    check(64, 1000, 100, 100, [320, 640, 820, 1000], f64, "row", "row", 6);
    check(9, 321, 5, 4, [161, 321], f64, "row", "col", 8);
  });

  test(`${name}: shapes crossing the row (128) and column (1024) panel sizes`, () => {
    check(261, 37, 12, 12, [37], f64, "row", "row", 9);
    check(5, 9, 1030, 1028, [9], f64, "row", "col", 10);
    check(130, 300, 1033, 1032, [150, 300], f64, "col", "row", 12);
  });

  test(`${name}: broadcast (stride 0) operands`, () => {
    const M = 9, K = 30, N = 16, f = (n: number, seed: number) => fill(n, f64, seed);
    const cases: [Operand, Operand][] = [
      [{ data: f(K, 1), off: 0, s0: 0, s1: 1 }, { data: f(K * N, 2), off: 0, s0: N, s1: 1 }], // A rows repeat
      [{ data: f(M * K, 3), off: 0, s0: K, s1: 1 }, { data: f(N, 4), off: 0, s0: 0, s1: 1 }], // B rows repeat
      [{ data: f(M, 5), off: 0, s0: 1, s1: 0 }, { data: f(K, 6), off: 0, s0: 1, s1: 0 }], // columns repeat
    ];
    for (const [A, B] of cases) {
      const want = f64 ? new Float64Array(M * N) : new Float32Array(M * N);
      const got = f64 ? new Float64Array(M * N) : new Float32Array(M * N);
      reference(A, B, M, K, N, N, [K], want);
      assert.ok(matmulWasm(A.data, A.off, A.s0, A.s1, B.data, B.off, B.s0, B.s1, M, K, N, N, [K], got, 0, 0));
      assert.equal(firstDiff(got, want), -1);
    }
  });

  test(`${name}: only columns [0, cols) are written`, () => {
    const M = 6, K = 10, N = 11, cols = 8;
    const A = operand(M, K, f64, "row", 1), B = operand(K, N, f64, "row", 2);
    const o = f64 ? new Float64Array(M * N).fill(5) : new Float32Array(M * N).fill(5);
    assert.ok(matmulWasm(A.data, 0, K, 1, B.data, 0, N, 1, M, K, N, cols, [K], o, 0, 0));
    for (let i = 0; i < M; i++) for (let j = cols; j < N; j++) assert.equal(o[i * N + j], 5);
  });
}

test("infinities, NaN and signed zeros propagate as in the TypeScript rule", () => {
  for (const f64 of [false, true]) {
    const M = 5, K = 7, N = 8;
    const A = operand(M, K, f64, "row", 3), B = operand(K, N, f64, "row", 4);
    A.data[2] = Infinity; A.data[K + 1] = -0; B.data[3] = NaN; B.data[N + 5] = -Infinity; B.data[2 * N] = 0;
    const want = f64 ? new Float64Array(M * N) : new Float32Array(M * N);
    const got = f64 ? new Float64Array(M * N) : new Float32Array(M * N);
    reference(A, B, M, K, N, N, [3, K], want);
    assert.ok(matmulWasm(A.data, 0, K, 1, B.data, 0, N, 1, M, K, N, N, [3, K], got, 0, 0));
    assert.equal(firstDiff(got, want), -1);
    assert.ok(got.some((x) => Number.isNaN(x)) && got.some((x) => x === Infinity || x === -Infinity));
  }
});

test("declines what it should not do, writing nothing", () => {
  const a = new Float32Array(64), b = new Float32Array(64), o = new Float32Array(64).fill(3);
  assert.equal(matmulWasm(a, 0, 2, 1, b, 0, 4, 1, 2, 2, 4, 4, [2], o, 0), false, "below MATMUL_WASM_MIN_WORK");
  assert.ok(2 * 2 * 4 < MATMUL_WASM_MIN_WORK);
  assert.equal(matmulWasm(a, 0, 8, 1, b, 0, 8, 1, 8, 8, 8, 6, [8], o, 0, 0), false, "cols not a multiple of 4");
  assert.equal(matmulWasm(a, 0, 8, 1, b, 0, 8, 1, 8, 8, 8, 8, [4], o, 0, 0), false, "ends do not reach K");
  assert.equal(matmulWasm(a, 0, 8, 1, new Float64Array(64), 0, 8, 1, 8, 8, 8, 8, [8], o, 0, 0), false, "mixed dtypes");
  const i32 = new Int32Array(64);
  assert.equal(matmulWasm(i32, 0, 8, 1, i32, 0, 8, 1, 8, 8, 8, 8, [8], i32, 0, 0), false, "integer arrays");
  assert.ok(o.every((x) => x === 3));
});

test("matmulWasm's TSDoc example", () => {
  const a = new Float32Array([1, 2, 3, 4, 5, 6]), b = new Float32Array(15).fill(1);
  const o = new Float32Array(10);
  assert.equal(matmulWasm(a, 0, 3, 1, b, 0, 5, 1, 2, 3, 5, 4, [3], o, 0, 0), true);
  assert.deepEqual([...o], [6, 6, 6, 6, 0, 15, 15, 15, 15, 0]);
});

test("equals matmulInto's interior columns (float32 and float64)", () => {
  for (const f64 of [false, true]) {
    const shapes = [[64, 784, 256], [20, 1000, 20], [33, 641, 17], [7, 50, 9], [128, 100, 64], [40, 1000, 100], [9, 321, 45]] as const;
    for (const [M, K, N] of shapes) {
      // float32: row-major operands (the plan mirrored above); float64 has one order for all layouts
      const A = operand(M, K, f64, f64 ? "col" : "row", M + K), B = operand(K, N, f64, f64 ? "strided" : "row", N);
      const ts = f64 ? new Float64Array(M * N) : new Float32Array(M * N);
      const wa = f64 ? new Float64Array(M * N) : new Float32Array(M * N);
      // the reference: matmulInto on its TypeScript kernel alone
      const was = setMatmulWasmEnabled(false);
      try {
        matmulInto(A.data, [0, A.s0, A.s1], A.off, B.data, [0, B.s0, B.s1], B.off, ts, 1, M, K, N);
      } finally {
        setMatmulWasmEnabled(was);
      }
      const plan = f64 ? { ends: [K], dotFrom: N } : f32Plan(M, K, N, A.s0, A.s1, B.s0, B.s1);
      const ends = plan.ends, cols = Math.min(N & ~3, plan.dotFrom);
      assert.ok(matmulWasm(A.data, A.off, A.s0, A.s1, B.data, B.off, B.s0, B.s1, M, K, N, cols, ends, wa, 0, 0));
      for (let i = 0; i < M; i++) for (let j = 0; j < cols; j++) {
        assert.ok(Object.is(wa[i * N + j], ts[i * N + j]), `${f64 ? "f64" : "f32"} ${M}x${K}x${N} at (${i}, ${j}): ${wa[i * N + j]} vs ${ts[i * N + j]}`);
      }
    }
  }
});
