// float sum / mean / var / std bit for bit against PyTorch 1.13 (scripts/gen_sum_fixtures.py): the
// summation order of ATen's cascade_sum decides the last bits, and training amplifies them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { setSumCpuCapability } from "../src/backend/cpu/sum.js";
import { EPS, assertClose, exactly, fast } from "./helpers/numerics.js";

interface Case {
  seed: number;
  op: "sum" | "mean" | "var" | "std";
  shape: number[];
  dtype?: "float32" | "float64";
  dist?: "randn" | "rand" | "randn+3";
  view?: (string | number | number[])[];
  dim?: number | number[];
  keepdim?: boolean;
  unbiased?: boolean;
  threads?: number;
  cap?: "avx512" | "default";
  outShape: number[];
  out?: string;
  sha256?: string;
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/sum.json", import.meta.url), "utf8")) as { cases: Case[] };

// Cases whose order is not reproduced yet, with the reason.
const pending: [(c: Case) => boolean, string][] = [];

function input(c: Case): Tensor {
  torch.manualSeed(c.seed);
  const dtype = c.dtype === "float64" ? torch.float64 : torch.float32;
  let x = c.dist === "rand" ? torch.rand(c.shape, { dtype }) : torch.randn(c.shape, { dtype });
  if (c.dist === "randn+3") x = x.add(3);
  const v = c.view;
  if (v) {
    if (v[0] === "t") x = x.t();
    else if (v[0] === "narrow") x = x.narrow(v[1] as number, v[2] as number, v[3] as number);
    else if (v[0] === "permute") x = x.permute(v[1] as number[]);
    else if (v[0] === "transpose") x = x.transpose(v[1] as number, v[2] as number);
  }
  return x;
}

function name(c: Case): string {
  const view = c.view ? ` ${JSON.stringify(c.view)}` : "";
  const dim = c.dim === undefined ? "" : ` dim=${JSON.stringify(c.dim)}${c.keepdim ? " keepdim" : ""}`;
  const th = (c.threads ? ` threads=${c.threads}` : "") + (c.cap ? ` ${c.cap}` : "");
  return `${c.op} ${c.dtype ?? "float32"} [${c.shape.join(", ")}] ${c.dist ?? "randn"}${view}${dim}${c.unbiased === false ? " biased" : ""}${th}`;
}

for (const c of fixture.cases) {
  const why = pending.find(([p]) => p(c))?.[1];
  test(`${name(c)} matches PyTorch bit for bit`, { todo: why }, () => {
    const x = input(c);
    const was = torch.getNumThreads();
    torch.setNumThreads(c.threads ?? 1); // PyTorch's torch.set_num_threads: the sums' thread split
    setSumCpuCapability(c.cap ?? "avx2");
    const run = (t: Tensor): Tensor => {
      if (c.op === "sum" || c.op === "mean") return c.dim === undefined ? t[c.op]() : t[c.op](c.dim, c.keepdim ?? false);
      return t[c.op](c.dim ?? null, { unbiased: c.unbiased ?? true, keepdim: c.keepdim ?? false });
    };
    let y: Tensor;
    try {
      y = exactly(() => run(x));
    } finally {
      torch.setNumThreads(was);
      setSumCpuCapability("avx2");
    }
    assert.deepEqual(y.shape, c.outShape);
    const vals = y._values();
    const bytes = Buffer.from(vals.buffer, vals.byteOffset, vals.byteLength);
    if (c.out !== undefined) {
      const want = Buffer.from(c.out, "base64");
      if (!bytes.equals(want)) {
        const w = c.dtype === "float64" ? new Float64Array(want.buffer, want.byteOffset, want.byteLength / 8) : new Float32Array(want.buffer, want.byteOffset, want.byteLength / 4);
        let bad = 0, first = -1;
        for (let i = 0; i < w.length; i++) if (!Object.is(w[i], vals[i])) { bad++; if (first < 0) first = i; }
        assert.fail(`${bad} of ${w.length} differ; first at ${first}: got ${vals[first]}, want ${w[first]}`);
      }
    } else assert.equal(createHash("sha256").update(bytes).digest("hex"), c.sha256);

    // The fast default against PyTorch's values. NOTE: a cascade sum's error is at most about
    // (log2 n + 2) eps sum|x| and a float64-accumulated one smaller, so that bounds their difference.
    const yf = fast(() => run(x));
    assert.deepEqual(yf.shape, c.outShape);
    const eps = EPS[c.dtype ?? "float32"];
    const d = c.dim === undefined ? null : c.dim;
    if (c.op === "sum" || c.op === "mean") {
      const n = x.numel() / Math.max(1, y.numel());
      const absSum = exactly(() => (d === null ? x.double().abs().sum() : x.double().abs().sum(d, c.keepdim ?? false)));
      const scale = (c.op === "mean" ? 1 / Math.max(n, 1) : 1) * (Math.log2(Math.max(n, 2)) + 2) * eps;
      assertClose(Array.from(yf._values()), Array.from(vals), "fast", 0, Array.from(absSum._values(), (v) => v * scale));
    } else assertClose(Array.from(yf._values()), Array.from(vals), "fast", 64 * eps, 64 * eps);
  });
}

test("torch.setNumThreads / getNumThreads: PyTorch's default and argument checks", () => {
  assert.equal(torch.getNumThreads(), 1);
  assert.throws(() => torch.setNumThreads(0), { name: "RuntimeError", message: "set_num_threads expects a positive integer" });
  assert.throws(() => torch.setNumThreads(-1), { name: "RuntimeError", message: "set_num_threads expects a positive integer" });
  assert.throws(() => torch.setNumThreads(1.5), { name: "RuntimeError", message: "set_num_threads expects an int, but got float" });
  assert.equal(torch.getNumThreads(), 1);
});
