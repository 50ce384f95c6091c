// The WebAssembly SIMD matmul against the TypeScript kernel's rule, bit for bit: float32 per element
// and K block acc = fround(a * b + acc) from +0, then C = first block's sum or fround(C + sum);
// float64 s += a * b in k order. Also against matmulInto itself, and the embedded bytes against
// a fresh build of matmul.wat.
// float32 runs on both wasm kernels: the exact f64x2 one (matmul.wat) and the relaxed-SIMD one
// (matmul_relaxed.wat, a fused f32x4.relaxed_madd), the latter where it is available. Where this
// engine lacks relaxed SIMD (Node 20 by default), one test reruns this file's relaxed-kernel tests in
// a child `node --experimental-wasm-relaxed-simd --import tsx` (env TYPETORCH_WASM_RELAXED_CHILD=1).
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import {
  matmulWasm, matmulWasmAvailable, matmulWasmRelaxedAvailable, MATMUL_WASM_MIN_WORK, RELAXED_PROBE,
  relaxedProbeIsFused, setMatmulWasmEnabled, setMatmulWasmRelaxed,
} from "../src/backend/cpu/wasm/index.js";
import { MATMUL_RELAXED_WASM_BASE64 } from "../src/backend/cpu/wasm/matmul_relaxed.generated.js";
import { f32Plan, matmulInto } from "../src/backend/cpu/matmul.js";
import { buildWasm, generatedSource, MODULES, pathOf } from "../scripts/build_wasm.js";
import wabtInit from "wabt";

/** In the child that runs only the relaxed kernel's tests. */
const CHILD = process.env.TYPETORCH_WASM_RELAXED_CHILD === "1";
/** Whether this engine validates relaxed SIMD at all. */
const relaxedValidates = WebAssembly.validate(Buffer.from(MATMUL_RELAXED_WASM_BASE64, "base64"));
/** Whether the relaxed kernel runs here (relaxed SIMD and a fused relaxed_madd). */
const relaxedHere = matmulWasmRelaxedAvailable();

type Kernel = "exact" | "relaxed";
/** The kernels to test float32 on in this process. */
const f32Kernels: Kernel[] = CHILD ? (relaxedHere ? ["relaxed"] : []) : relaxedHere ? ["exact", "relaxed"] : ["exact"];

/** Runs fn with float32 on the given kernel (asserting that the relaxed one is there). */
function onKernel<T>(kernel: Kernel, fn: () => T): T {
  const was = setMatmulWasmRelaxed(kernel === "relaxed");
  try {
    if (kernel === "relaxed") assert.ok(matmulWasmRelaxedAvailable(), "relaxed kernel unavailable");
    return fn();
  } finally {
    setMatmulWasmRelaxed(was);
  }
}

/** test(), or nothing in the child (which runs only the relaxed kernel's tests). */
const parentTest = (name: string, fn: (t: TestContext) => void | Promise<void>): void => {
  if (!CHILD) test(name, fn);
};

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

parentTest("embedded wasm bytes match fresh builds of matmul.wat and matmul_relaxed.wat (every variant)", async () => {
  for (const spec of MODULES) {
    const bytes = await buildWasm(spec);
    assert.equal(readFileSync(pathOf(spec.generated), "utf8"), generatedSource(bytes, spec), `${spec.generated} stale: run \`npm run build:wasm\``);
    // Chrome has refused synchronous compiles of larger modules on the main thread (see index.ts);
    // elementwise_simd.wat is larger and compiles asynchronously where that happens (its loader)
    const limit = spec.wat.endsWith("elementwise_simd.wat") ? 16384 : 4096;
    assert.ok(bytes.length < limit, `${spec.wat}: ${bytes.length} bytes`);
  }
});

parentTest("the loader bundles for browsers: no Node imports, no eval, no V8 flags", () => {
  const generated = MODULES.filter((m) => m.shared !== undefined).map((m) => m.generated);
  for (const f of ["index.ts", "threads.ts", ...generated]) {
    let src = readFileSync(new URL(`../src/backend/cpu/wasm/${f}`, import.meta.url), "utf8");
    // the worker's own source (a string, run only inside a Node worker) may require worker_threads
    if (f === "threads.ts") src = src.replace(/const WORKER_MAIN = `[^`]*`;|export const WORKER_SOURCE = `[^`]*`;/g, "");
    assert.doesNotMatch(src, /from "node:|import\(|require\(|\beval\(|new Function\(|setFlagsFromString/, f);
  }
});

parentTest("WebAssembly SIMD is available in Node 20", () => {
  assert.equal(matmulWasmAvailable(), true);
});

// ---- the relaxed kernel's availability: relaxed SIMD validates and the probe shows a fused madd

/** RELAXED_PROBE's product, each step rounded once (fused) or the product rounded first (unfused). */
function probeProduct(fused: boolean): Float32Array {
  const { M, K, N, a, b } = RELAXED_PROBE, fr = Math.fround, out = new Float32Array(M * N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = 0;
    // fused: a * b is exact in f64 and so is the sum here (checked below), so one fround is one rounding
    for (let k = 0; k < K; k++) s = fused ? fr(a[i * K + k]! * b[k * N + j]! + s) : fr(fr(a[i * K + k]! * b[k * N + j]!) + s);
    out[i * N + j] = s;
  }
  return out;
}

parentTest("the fused-madd probe: its inputs separate fused from unfused in every element", () => {
  const fused = probeProduct(true), unfused = probeProduct(false);
  for (let i = 0; i < fused.length; i++) {
    assert.notEqual(fused[i], 0, `fused ${i}`);
    assert.ok(Object.is(unfused[i], 0), `unfused ${i}: ${unfused[i]}`);
    // the fused value is exact: s 2^(j-24), s = -1 on odd rows
    const r = Math.floor(i / RELAXED_PROBE.N), j = i % RELAXED_PROBE.N;
    assert.equal(fused[i], (r & 1 ? -1 : 1) * 2 ** (j - 24));
  }
  // the 2x16-style products: a = b = 1 + 2^-12 gives 1 + 2^-11 + 2^-24, a float32 tie
  assert.equal(Math.fround((1 + 2 ** -12) ** 2), 1 + 2 ** -11);
});

parentTest("the fused-madd decision, on fake probe results", () => {
  const fused = probeProduct(true), unfused = probeProduct(false);
  assert.equal(relaxedProbeIsFused(fused), true);
  assert.equal(relaxedProbeIsFused(Array.from(fused)), true);
  assert.equal(relaxedProbeIsFused(unfused), false, "mul + add");
  for (const lane of [0, 1, 2, 3, 5, 31]) { // one lane of one accumulator unfused
    const mixed = fused.slice();
    mixed[lane] = unfused[lane]!;
    assert.equal(relaxedProbeIsFused(mixed), false, `lane ${lane}`);
  }
  const negZero = unfused.map(() => -0);
  assert.equal(relaxedProbeIsFused(negZero), false, "-0");
  const nan = fused.slice(); nan[7] = NaN;
  assert.equal(relaxedProbeIsFused(nan), false, "NaN");
  const flipped = fused.slice(); flipped[8] = -flipped[8]!;
  assert.equal(relaxedProbeIsFused(flipped), false, "sign");
  assert.equal(relaxedProbeIsFused(fused.subarray(0, 31)), false, "short");
  assert.equal(relaxedProbeIsFused(new Float32Array(33).fill(1)), false, "long");
  assert.equal(relaxedProbeIsFused([]), false, "empty");
});

parentTest("the relaxed kernel is used only where relaxed SIMD validates", () => {
  if (!relaxedValidates) assert.equal(relaxedHere, false);
  // and setMatmulWasmRelaxed(false) turns it off
  const was = setMatmulWasmRelaxed(false);
  try { assert.equal(matmulWasmRelaxedAvailable(), false); } finally { setMatmulWasmRelaxed(was); }
});

// A lone f32x4.relaxed_madd, outside the kernel: where it is fused, the kernel must be available (so a
// kernel broken into failing its probe fails here rather than skipping its tests).
if (relaxedValidates) {
  test("where a lone relaxed_madd is fused, the relaxed kernel is available", async () => {
    const wabt = await wabtInit();
    const mod = wabt.parseWat("madd.wat", `(module (memory (export "memory") 1)
      (func (export "f") (v128.store (i32.const 0) (f32x4.relaxed_madd
        (v128.load (i32.const 0)) (v128.load (i32.const 16)) (v128.load (i32.const 32))))))`, { simd: true, relaxed_simd: true });
    let bytes: Uint8Array<ArrayBuffer>;
    try { mod.validate(); bytes = mod.toBinary({}).buffer.slice(); } finally { mod.destroy(); }
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const mem = new Float32Array((inst.exports.memory as WebAssembly.Memory).buffer, 0, 12);
    const e = 1 + 2 ** -12, c = -(1 + 2 ** -11);
    mem.set([e, -e, e, -e, e, e, -e, -e, c, -c, -c, c]);
    (inst.exports.f as () => void)();
    const fused = [...mem.subarray(0, 4)].every((x, i) => x === [1, -1, -1, 1][i]! * 2 ** -24);
    const unfused = [...mem.subarray(0, 4)].every((x) => x === 0);
    assert.ok(fused || unfused, `relaxed_madd gave ${[...mem.subarray(0, 4)]}`);
    assert.equal(matmulWasmRelaxedAvailable(), fused, fused ? "relaxed_madd is fused here but the kernel failed its probe" : "");
  });
}

for (const kernel of f32Kernels) {
  test(`float32 (${kernel}): the probe's product through matmulWasm is the fused one`, () => {
    const { M, K, N, a, b } = RELAXED_PROBE, out = new Float32Array(M * N);
    onKernel(kernel, () => assert.ok(matmulWasm(a, 0, K, 1, b, 0, N, 1, M, K, N, N, [K], out, 0, 0)));
    // the exact kernel emulates the FMA, the relaxed one is the FMA
    assert.equal(relaxedProbeIsFused(out), true);
  });
}

parentTest("the relaxed kernel's tests, in a child node with --experimental-wasm-relaxed-simd where needed", (t) => {
  if (relaxedValidates) {
    t.skip(relaxedHere ? "relaxed SIMD here: its tests ran in this process" : "relaxed SIMD validates but relaxed_madd is not fused here");
    return;
  }
  const root = fileURLToPath(new URL("..", import.meta.url));
  const env: NodeJS.ProcessEnv = { ...process.env, TYPETORCH_WASM_RELAXED_CHILD: "1" };
  delete env.NODE_TEST_CONTEXT; // the child reports on its own stdout, not to this test runner
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, ["--experimental-wasm-relaxed-simd", "--import", "tsx", fileURLToPath(import.meta.url)], {
    cwd: root, env, encoding: "utf8", timeout: 300_000,
  });
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, `child failed (status ${r.status}, signal ${r.signal}):\n${out.slice(-6000)}`);
  if (/relaxed kernel: unavailable/.test(out)) { t.skip("relaxed_madd is not fused on this machine"); return; }
  const pass = /^# pass (\d+)/m.exec(out), fail = /^# fail (\d+)/m.exec(out);
  assert.ok(pass && Number(pass[1]) > 0 && fail && fail[1] === "0", out.slice(-3000));
  t.diagnostic(`child: ${pass[1]} relaxed-kernel tests passed`);
});

if (CHILD && !relaxedHere) {
  test("relaxed kernel: unavailable", (t) => {
    t.skip(relaxedValidates ? "relaxed_madd is not fused here" : "relaxed SIMD does not validate");
  });
  console.log("relaxed kernel: unavailable");
}

// ---- bit for bit against the rule, on every kernel

const layouts = ["row", "col", "strided"] as const;

const variants: { name: string; f64: boolean; kernel: Kernel }[] = [
  ...f32Kernels.map((kernel) => ({ name: `float32 (${kernel})`, f64: false, kernel })),
  ...(CHILD ? [] : [{ name: "float64", f64: true, kernel: "exact" as Kernel }]),
];

for (const { name, f64, kernel } of variants) {
  const t32 = (title: string, fn: () => void): void => { test(`${name}: ${title}`, () => onKernel(kernel, fn)); };

  t32("random shapes and layouts, bit for bit", () => {
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

  t32("column counts that are not multiples of the panel width (the last panel padded), bit for bit", () => {
    const r = rng(f64 ? 41 : kernel === "relaxed" ? 43 : 47);
    for (let t = 0; t < 60; t++) {
      const M = 1 + Math.floor(r() * 30), K = 1 + Math.floor(r() * 200), N = 1 + Math.floor(r() * 40);
      const cols = 1 + Math.floor(r() * N);
      const ends: number[] = [];
      for (let k = 0; k < K;) { k = Math.min(K, k + 1 + Math.floor(r() * 90)); ends.push(k); }
      check(M, K, N, cols, ends, f64, layouts[t % 3]!, layouts[Math.floor(t / 3) % 3]!, 3000 + t);
    }
  });

  if (!f64) {
    t32("more random shapes, column counts of every residue mod 8, cols < N", () => {
      const r = rng(kernel === "relaxed" ? 29 : 31);
      for (let t = 0; t < 120; t++) {
        const M = 1 + Math.floor(r() * 40), K = 1 + Math.floor(r() * 300), N = 4 + Math.floor(r() * 70);
        const cols = Math.max(4, (N & ~3) - 4 * Math.floor(r() * 3));
        const ends: number[] = [];
        for (let k = 0; k < K;) { k = Math.min(K, k + 1 + Math.floor(r() * 130)); ends.push(k); }
        check(M, K, N, cols, ends, false, layouts[t % 3]!, layouts[Math.floor(t / 3) % 3]!, 1000 + t);
      }
    });
  }

  t32("K over several blocks (320, 640, 820, 1000)", () => {
    for (const [la, lb] of [["row", "row"], ["col", "row"], ["row", "col"], ["strided", "strided"]] as const) {
      check(13, 1000, 22, 20, [320, 640, 820, 1000], f64, la, lb, 5);
    }
    check(64, 1000, 100, 100, [320, 640, 820, 1000], f64, "row", "row", 6);
    check(9, 321, 5, 4, [161, 321], f64, "row", "col", 8);
  });

  t32("shapes crossing the row (128) and column (1024) panel sizes", () => {
    check(261, 37, 12, 12, [37], f64, "row", "row", 9);
    check(5, 9, 1030, 1028, [9], f64, "row", "col", 10);
    check(130, 300, 1033, 1032, [150, 300], f64, "col", "row", 12);
    if (!f64) check(7, 20, 1045, 1044, [20], f64, "strided", "row", 13); // the last column panel has 4 of 8
  });

  t32("broadcast (stride 0) operands", () => {
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

  t32("only columns [0, cols) are written", () => {
    for (const [M, K, N, cols] of [[6, 10, 11, 8], [6, 10, 16, 12], [5, 9, 24, 20], [3, 12, 8, 4]] as const) {
      const A = operand(M, K, f64, "row", 1), B = operand(K, N, f64, "row", 2);
      const o = f64 ? new Float64Array(M * N).fill(5) : new Float32Array(M * N).fill(5);
      assert.ok(matmulWasm(A.data, 0, K, 1, B.data, 0, N, 1, M, K, N, cols, [K], o, 0, 0));
      for (let i = 0; i < M; i++) for (let j = cols; j < N; j++) assert.equal(o[i * N + j], 5, `${M}x${K}x${N} cols ${cols}`);
    }
  });

  t32("infinities, NaN and signed zeros propagate as in the TypeScript rule", () => {
    const M = 5, K = 7, N = 8;
    const A = operand(M, K, f64, "row", 3), B = operand(K, N, f64, "row", 4);
    A.data[2] = Infinity; A.data[K + 1] = -0; B.data[3] = NaN; B.data[N + 5] = -Infinity; B.data[2 * N] = 0;
    const want = f64 ? new Float64Array(M * N) : new Float32Array(M * N);
    const got = f64 ? new Float64Array(M * N) : new Float32Array(M * N);
    reference(A, B, M, K, N, N, [3, K], want);
    assert.ok(matmulWasm(A.data, 0, K, 1, B.data, 0, N, 1, M, K, N, N, [3, K], got, 0, 0));
    assert.equal(firstDiff(got, want), -1);
    assert.ok(got.some((x) => Number.isNaN(x)) && got.some((x) => x === Infinity || x === -Infinity));
  });

  t32("signed zeros and subnormals", () => {
    const M = 4, K = 6, N = 8, tiny = 2 ** -140;
    const A = operand(M, K, f64, "row", 3), B = operand(K, N, f64, "row", 4);
    A.data.fill(-0); B.data.fill(0); // all -0 products: +0 + -0 = +0 from the +0 start
    const want = f64 ? new Float64Array(M * N) : new Float32Array(M * N);
    const got = f64 ? new Float64Array(M * N) : new Float32Array(M * N);
    for (const fillA of [-0, tiny, -tiny]) {
      A.data.fill(fillA); B.data.fill(fillA === -0 ? 0 : 1.5);
      reference(A, B, M, K, N, N, [2, K], want);
      assert.ok(matmulWasm(A.data, 0, K, 1, B.data, 0, N, 1, M, K, N, N, [2, K], got, 0, 0));
      assert.equal(firstDiff(got, want), -1, `a = ${fillA}`);
    }
  });

  t32("equals matmulInto's interior columns", () => {
    const shapes = [[64, 784, 256], [20, 1000, 20], [33, 641, 17], [7, 50, 9], [128, 100, 64], [40, 1000, 100], [9, 321, 45], [256, 64, 100]] as const;
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
        assert.ok(Object.is(wa[i * N + j], ts[i * N + j]), `${name} ${M}x${K}x${N} at (${i}, ${j}): ${wa[i * N + j]} vs ${ts[i * N + j]}`);
      }
    }
  });

  t32("matmulInto gives the same bits with wasm on and off", () => {
    for (const [M, K, N, la, lb] of [[64, 784, 256, "row", "col"], [50, 300, 36, "col", "row"], [17, 1000, 30, "row", "row"]] as const) {
      const A = operand(M, K, f64, la, M), B = operand(K, N, f64, lb, N);
      const on = f64 ? new Float64Array(M * N) : new Float32Array(M * N), off = on.slice();
      matmulInto(A.data, [0, A.s0, A.s1], A.off, B.data, [0, B.s0, B.s1], B.off, on, 1, M, K, N);
      const was = setMatmulWasmEnabled(false);
      try { matmulInto(A.data, [0, A.s0, A.s1], A.off, B.data, [0, B.s0, B.s1], B.off, off, 1, M, K, N); } finally { setMatmulWasmEnabled(was); }
      assert.equal(firstDiff(on, off), -1, `${M}x${K}x${N} ${la}/${lb}`);
    }
  });
}

// The double rounding of matmul.ts's NOTE: acc = 1, then a * b = 2^-24 (1 + 2^-36) with
// a = 2^-12 (1 + 2^-12), b = 2^-12 (1 - 4095 * 2^-24). The exact sum 1 + 2^-24 + 2^-60 lies just above
// the float32 midpoint 1 + 2^-24, so a float32 FMA (OpenBLAS's step) rounds up to 1 + 2^-23; the f64
// sum rounds to the midpoint itself and fround then ties to even, 1.
for (const kernel of f32Kernels) {
  test(`float32 (${kernel}): the double-rounding case`, () => {
    const a1 = 2 ** -12 * (1 + 2 ** -12), b1 = 2 ** -12 * (1 - 4095 * 2 ** -24);
    assert.equal(Math.fround(a1), a1);
    assert.equal(Math.fround(b1), b1);
    assert.equal(a1 * b1, 2 ** -24 + 2 ** -60); // exact in float64
    const M = 4, K = 2, N = 8, a = new Float32Array(M * K), b = new Float32Array(K * N), o = new Float32Array(M * N);
    for (let i = 0; i < M; i++) { a[i * K] = 1; a[i * K + 1] = a1; }
    for (let j = 0; j < N; j++) { b[j] = 1; b[N + j] = b1; }
    onKernel(kernel, () => assert.ok(matmulWasm(a, 0, K, 1, b, 0, N, 1, M, K, N, N, [K], o, 0, 0)));
    // relaxed: the true FMA, OpenBLAS's bits; exact: the TypeScript kernel's double-rounded ones
    const want = kernel === "relaxed" ? 1 + 2 ** -23 : 1;
    assert.ok(o.every((x) => x === want), `${kernel}: ${o[0]} (want ${want})`);
  });
}

parentTest("declines what it should not do, writing nothing", () => {
  const a = new Float32Array(64), b = new Float32Array(64), o = new Float32Array(64).fill(3);
  assert.equal(matmulWasm(a, 0, 2, 1, b, 0, 4, 1, 2, 2, 4, 4, [2], o, 0), false, "below MATMUL_WASM_MIN_WORK");
  assert.ok(2 * 2 * 4 < MATMUL_WASM_MIN_WORK);
  assert.equal(matmulWasm(a, 0, 8, 1, b, 0, 8, 1, 8, 8, 8, 8, [4], o, 0, 0), false, "ends do not reach K");
  assert.equal(matmulWasm(a, 0, 8, 1, b, 0, 8, 1, 8, 8, 8, 8, [4, 4, 8], o, 0, 0), false, "an empty block");
  assert.equal(matmulWasm(a, 0, 8, 1, new Float64Array(64), 0, 8, 1, 8, 8, 8, 8, [8], o, 0, 0), false, "mixed dtypes");
  const i32 = new Int32Array(64);
  assert.equal(matmulWasm(i32, 0, 8, 1, i32, 0, 8, 1, 8, 8, 8, 8, [8], i32, 0, 0), false, "integer arrays");
  assert.ok(o.every((x) => x === 3));
});

parentTest("matmulWasm's TSDoc example", () => {
  const a = new Float32Array([1, 2, 3, 4, 5, 6]), b = new Float32Array(15).fill(1);
  const o = new Float32Array(10);
  assert.equal(matmulWasm(a, 0, 3, 1, b, 0, 5, 1, 2, 3, 5, 4, [3], o, 0, 0), true);
  assert.deepEqual([...o], [6, 6, 6, 6, 0, 15, 15, 15, 15, 0]);
});
