// float32 mm bit for bit against PyTorch's OpenBLAS (scripts/gen_matmul_fixtures.py): the summation
// order of the kernel decides the last bits, and training amplifies them (program 06).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import * as torch from "../src/index.js";
import { setMatmulWasmEnabled } from "../src/backend/cpu/wasm/index.js";
import { EPS, assertClose, exactly, fast } from "./helpers/numerics.js";

// layout: "ta" / "tb" / "tt" make a / b / both transposed (column-major) views of the same values.
// bias: the case is torch.addmm(bias, a, b) with a 1-D bias drawn after b (nn.Linear's product).
interface Case { seed: number; m: number; k: number; n: number; layout?: "nn" | "ta" | "tb" | "tt"; bias?: boolean; out: string }
const fixture = JSON.parse(readFileSync(new URL("./fixtures/matmul.json", import.meta.url), "utf8")) as { cases: Case[] };

// Shapes whose order is not reproduced yet (none at present; say why when adding one).
const pending = new Set<string>([]);

// Each shape runs on both kernels: the wasm SIMD one (where the engine has it) and the TypeScript one
// that browsers without SIMD fall back to.
for (const kernel of ["wasm", "typescript"] as const) {
  for (const c of fixture.cases) {
    const layout = c.layout ?? "nn";
    const key = `${c.m}x${c.k}x${c.n}${c.layout ? ` ${c.layout}` : ""}${c.bias ? " bias" : ""}`;
    const todo = pending.has(key) ? "summation order of this shape not reproduced yet" : undefined;
    test(`${c.bias ? "addmm" : "mm"} float32 ${c.m}x${c.k} @ ${c.k}x${c.n} (${layout}, ${kernel} kernel) matches OpenBLAS bit for bit (exact numerics) and closely (fast)`, { todo }, () => {
      torch.manualSeed(c.seed);
      let a = torch.randn(c.m, c.k);
      let b = torch.randn(c.k, c.n);
      const bias = c.bias ? torch.randn(c.n) : null;
      if (layout === "ta" || layout === "tt") a = a.t().contiguous().t();
      if (layout === "tb" || layout === "tt") b = b.t().contiguous().t();
      const bytes = Buffer.from(c.out, "base64");
      const want = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      const was = setMatmulWasmEnabled(kernel === "wasm");
      let got: number[], gotFast: number[];
      const run = () => (bias ? torch.addmm(bias, a, b) : torch.mm(a, b)).reshape(-1).tolist() as number[];
      try {
        got = exactly(run);
        gotFast = fast(run);
      } finally {
        setMatmulWasmEnabled(was);
      }
      // NOTE: two summation orders of a k-term dot product differ by at most 2 k eps sum|a_i b_i|.
      const absProd = exactly(() => (bias ? torch.addmm(bias.abs(), a.abs(), b.abs()) : torch.mm(a.abs(), b.abs())).reshape(-1).tolist() as number[]);
      assertClose(gotFast, Array.from(want), "fast", 0, absProd.map((v) => 2 * (c.k + 1) * EPS.float32 * v));
      assert.equal(got.length, want.length);
      let differ = 0, first = -1;
      for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) { differ++; if (first < 0) first = i; }
      assert.equal(differ, 0, `${differ} of ${want.length} elements differ; first at ${first}: ${got[first]} vs ${want[first]}`);
    });
  }
}
