// matmul on several threads (src/backend/cpu/wasm/threads.ts): worker threads share the wasm
// kernels' memory and each output chunk is computed whole by one thread, so the result must be
// bit for bit the one-thread result, whatever the shape, layout, batch, dtype or kernel (exact f64x2,
// relaxed SIMD, plain SIMD) -- and in exact mode the TypeScript kernel's. Also: the fast backend's
// matmul against the reference's, setNumThreads, and a process that used the threads exits.
import { before, after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

import * as torch from "../src/index.js";
import { matmulInto } from "../src/backend/cpu/matmul.js";
import {
  getComputeThreads, matmulThreadedJobs, matmulThreadsSupported, matmulWasmPlainAvailable, matmulWasmRelaxedAvailable,
  matmulWorkersReady, setComputeThreads, setMatmulThreadGates, setMatmulWasmEnabled, setMatmulWasmRelaxed, startMatmulWorkers,
} from "../src/backend/cpu/wasm/index.js";
import { Backoff } from "../src/backend/cpu/wasm/threads.js";
import { assertClose, exactly, fast } from "./helpers/numerics.js";

type F = Float32Array | Float64Array;

const supported = matmulThreadsSupported();
let ready = false;
let savedGates: [number, number, boolean, boolean] = [0, 0, true, false];
const savedThreads = getComputeThreads();

before(async () => {
  if (!supported) return;
  setComputeThreads(2);
  startMatmulWorkers();
  // workers start asynchronously (a few hundred ms; more on a loaded machine)
  for (let i = 0; i < 300 && matmulWorkersReady() < 1; i++) await new Promise((r) => setTimeout(r, 100));
  ready = matmulWorkersReady() >= 1;
  savedGates = setMatmulThreadGates(0, 0, false); // every wasm product through the threads
});

after(() => {
  if (!supported) return;
  setMatmulThreadGates(...savedGates);
  setComputeThreads(savedThreads);
});

/** mulberry32: deterministic values with mixed signs and magnitudes, some zeros. */
function fill(n: number, f64: boolean, seed: number): F {
  let s = seed >>> 0;
  const r = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const x = f64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    x[i] = u < 0.03 ? 0 : (r() - 0.5) * 4 * (u < 0.1 ? 1e3 : 1);
  }
  return x;
}

type Layout = "row" | "col" | "strided" | "bcast";
interface Operand { data: F; strides: [number, number, number]; off: number }

/** A B x R x C operand: row-major, transposed view (columns contiguous), strided, or broadcast over B. */
function operand(B: number, R: number, C: number, f64: boolean, layout: Layout, seed: number): Operand {
  if (layout === "row") return { data: fill(B * R * C, f64, seed), strides: [R * C, C, 1], off: 0 };
  if (layout === "col") return { data: fill(3 + B * R * C, f64, seed), strides: [R * C, 1, R], off: 3 };
  if (layout === "bcast") return { data: fill(R * C, f64, seed), strides: [0, C, 1], off: 0 };
  return { data: fill(5 + B * R * (2 * C + 1), f64, seed), strides: [R * (2 * C + 1), 2 * C + 1, 2], off: 5 };
}

interface Case { B: number; M: number; K: number; N: number; la: Layout; lb: Layout }

/** Shapes that cross the chunking: few rows (column split), tails (N % 4, N % 8), K blocks, batches. */
const CASES: Case[] = [
  { B: 1, M: 64, K: 64, N: 64, la: "row", lb: "row" },
  { B: 1, M: 128, K: 784, N: 256, la: "row", lb: "col" }, // x @ W.T
  { B: 1, M: 256, K: 128, N: 784, la: "col", lb: "row" }, // g.T @ x
  { B: 1, M: 128, K: 256, N: 784, la: "row", lb: "row" }, // g @ W
  { B: 1, M: 64, K: 1000, N: 100, la: "row", lb: "row" }, // program 06
  { B: 1, M: 100, K: 64, N: 1000, la: "col", lb: "row" },
  { B: 1, M: 4, K: 300, N: 900, la: "row", lb: "row" }, // one row panel: columns split
  { B: 1, M: 3, K: 50, N: 333, la: "strided", lb: "col" },
  { B: 1, M: 257, K: 33, N: 19, la: "row", lb: "strided" },
  { B: 1, M: 130, K: 700, N: 37, la: "col", lb: "col" },
  { B: 1, M: 40, K: 2000, N: 12, la: "row", lb: "row" },
  { B: 1, M: 300, K: 17, N: 1030, la: "row", lb: "row" }, // > NC columns
  { B: 3, M: 33, K: 65, N: 70, la: "row", lb: "bcast" },
  { B: 2, M: 70, K: 300, N: 41, la: "strided", lb: "row" },
];

function product(c: Case, f64: boolean, seed: number, accumulate: boolean, fastMode: boolean): F {
  const A = operand(c.B, c.M, c.K, f64, c.la, seed), Bo = operand(c.B, c.K, c.N, f64, c.lb, seed + 7);
  const o = accumulate ? fill(c.B * c.M * c.N, f64, seed + 13) : f64 ? new Float64Array(c.B * c.M * c.N) : new Float32Array(c.B * c.M * c.N);
  matmulInto(A.data, A.strides, A.off, Bo.data, Bo.strides, Bo.off, o, c.B, c.M, c.K, c.N, accumulate, fastMode);
  return o;
}

function firstDiff(got: F, want: F): number {
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) return i;
  return -1;
}

const name = (c: Case): string => `${c.B}x${c.M}x${c.K}x${c.N} ${c.la}/${c.lb}`;

/** The product on 1 thread and on 2, which must agree bit for bit (and the 2 really used). */
function threadedMatchesOne(c: Case, f64: boolean, seed: number, accumulate: boolean, fastMode: boolean): F {
  setComputeThreads(1);
  const one = product(c, f64, seed, accumulate, fastMode);
  setComputeThreads(2);
  const two = product(c, f64, seed, accumulate, fastMode);
  const d = firstDiff(two, one);
  assert.equal(d, -1, `${name(c)} ${f64 ? "f64" : "f32"}${accumulate ? " +C" : ""}: 2 threads differ at ${d}: ${two[d]} vs ${one[d]}`);
  return two;
}

const threaded = (title: string, fn: () => void): void => {
  test(title, (t) => {
    if (!supported) { t.skip("no worker threads here"); return; }
    assert.ok(ready, "the worker thread did not start");
    const jobs = matmulThreadedJobs();
    fn();
    assert.ok(matmulThreadedJobs() > jobs, "no job ran on the worker");
  });
};

for (const f64 of [false, true]) {
  const dt = f64 ? "float64" : "float32";
  threaded(`${dt}: 2 threads give the one-thread bits (exact mode), and the TypeScript kernel's`, () => {
    CASES.forEach((c, i) => {
      for (const accumulate of [false, true]) {
        const two = threadedMatchesOne(c, f64, 100 + i, accumulate, false);
        const was = setMatmulWasmEnabled(false);
        let ts: F;
        try { ts = product(c, f64, 100 + i, accumulate, false); } finally { setMatmulWasmEnabled(was); }
        const d = firstDiff(two, ts);
        assert.equal(d, -1, `${name(c)} ${dt}${accumulate ? " +C" : ""}: differs from TypeScript at ${d}: ${two[d]} vs ${ts[d]}`);
      }
    });
  });
}

threaded("float32 on the exact f64x2 kernel (relaxed SIMD off): 2 threads give the one-thread bits", () => {
  const was = setMatmulWasmRelaxed(false);
  try {
    CASES.forEach((c, i) => threadedMatchesOne(c, false, 200 + i, i % 2 === 1, false));
  } finally {
    setMatmulWasmRelaxed(was);
  }
});

threaded("float32 on the plain-SIMD kernel (fast mode, no relaxed SIMD): 2 threads give the one-thread bits, near the exact ones", () => {
  assert.ok(matmulWasmPlainAvailable());
  const was = setMatmulWasmRelaxed(false);
  try {
    CASES.forEach((c, i) => {
      const two = threadedMatchesOne(c, false, 300 + i, false, true);
      const exact = product(c, false, 300 + i, false, false);
      // each product rounded to float32 once more than in the FMA: a few ulps of the sum of |a||b|
      const A = operand(c.B, c.M, c.K, true, c.la, 300 + i), Bo = operand(c.B, c.K, c.N, true, c.lb, 307 + i);
      const mag = new Float64Array(c.B * c.M * c.N);
      matmulInto(A.data.map(Math.abs), A.strides, A.off, Bo.data.map(Math.abs), Bo.strides, Bo.off, mag, c.B, c.M, c.K, c.N);
      assertClose(two, exact, `${name(c)} plain vs exact`, 0, mag.map((m) => m * 2 ** -23 * 4));
    });
  } finally {
    setMatmulWasmRelaxed(was);
  }
});

test("the fast backend's matmul: the reference's bits where relaxed SIMD runs, else float32 tolerance", () => {
  const relaxed = matmulWasmRelaxedAvailable();
  torch.manualSeed(1);
  const x = torch.randn(64, 1000), w1 = torch.randn(1000, 100), W = torch.randn(256, 784), h = torch.randn(128, 784);
  const bias = torch.randn(256), g = torch.randn(128, 256), xb = torch.randn(3, 20, 30), yb = torch.randn(3, 30, 40);
  const run = (): number[][] => [
    Array.from(x.mm(w1).dataSync()),
    Array.from(h.mm(W.t()).dataSync()),
    Array.from(torch.nn.functional.linear(h, W, bias).dataSync()), // addmm: beta = 1 on the bias
    Array.from(g.t().mm(h).dataSync()),
    Array.from(g.mm(W).dataSync()),
    Array.from(xb.matmul(yb).dataSync()),
    Array.from(x.double().mm(w1.double()).dataSync()),
  ];
  const want = exactly(run), got = fast(run);
  got.forEach((v, i) => {
    if (relaxed || i === got.length - 1) assert.deepEqual(v, want[i], `product ${i}: not the reference's bits`);
    else assertClose(v, want[i]!, `product ${i}`, 1e-4, 1e-3);
  });
});

test("setNumThreads(1) keeps matmul on the main thread; setNumThreads sets the compute threads", (t) => {
  if (!supported) { t.skip("no worker threads here"); return; }
  const was = torch.getNumThreads();
  try {
    torch.setNumThreads(1);
    assert.equal(getComputeThreads(), 1);
    const jobs = matmulThreadedJobs();
    const a = torch.randn(200, 300), b = torch.randn(300, 200);
    a.mm(b);
    assert.equal(matmulThreadedJobs(), jobs);
    torch.setNumThreads(2);
    assert.equal(getComputeThreads(), 2);
    assert.equal(torch.getNumThreads(), 2);
  } finally {
    torch.setNumThreads(was);
    setComputeThreads(2);
  }
});

test("a process whose matmuls ran on worker threads exits by itself", (t) => {
  if (!supported) { t.skip("no worker threads here"); return; }
  const idx = fileURLToPath(new URL("../src/backend/cpu/wasm/index.ts", import.meta.url));
  const code = `
    const w = await import(${JSON.stringify(idx)});
    w.setComputeThreads(2); w.setMatmulThreadGates(0, 0, false); w.startMatmulWorkers();
    for (let i = 0; i < 300 && w.matmulWorkersReady() < 1; i++) await new Promise((r) => setTimeout(r, 100));
    const n = 512, a = new Float32Array(n * n).fill(1), b = new Float32Array(n * n).fill(2), o = new Float32Array(n * n);
    for (let i = 0; i < 5; i++) w.matmulWasm(a, 0, n, 1, b, 0, n, 1, n, n, n, n, [n], o, 0);
    console.log("jobs", w.matmulThreadedJobs(), o[n * n - 1]);`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8", timeout: 60_000 });
  assert.equal(r.error, undefined, `child did not exit: ${r.error}`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /jobs [1-9]\d* 1024\n/, "the child's matmuls did not use the worker");
});

test("the threads' backoff: 3 misses among the last 16 jobs, scattered or not; longer while it keeps missing; short again after 64 hits", () => {
  const b = new Backoff();
  const run = (pattern: string): number[] => [...pattern].map((c) => b.record(c === "M"));
  // misses scattered among hits (a worker that gets half a core) still back off
  assert.deepEqual(run("HMHHMHHHM"), [0, 0, 0, 0, 0, 0, 0, 0, 20]);
  // two misses in the next 15 do not; a third within 16 doubles the backoff (it kept missing)
  assert.deepEqual(run("MHHHHHHHHHHHHHM"), Array(15).fill(0));
  assert.deepEqual(run("M"), [40]);
  // misses older than 16 jobs are forgotten
  assert.deepEqual(run("M" + "H".repeat(16) + "MH"), Array(19).fill(0));
  // 64 hits in a row: the next backoff starts at 20 ms again (not 80)
  run("H".repeat(64));
  assert.deepEqual(run("MMM"), [0, 0, 20]);
  // up to 1 s
  const longest = Math.max(...run("MMM".repeat(12)));
  assert.equal(longest, 1000);
});
