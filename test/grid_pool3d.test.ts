// F.max_pool3d / F.avg_pool3d, F.affine_grid and F.grid_sample (and nn.MaxPool3d / AvgPool3d) against
// real PyTorch 1.13 (test/fixtures/grid_pool3d.json, from scripts/gen_grid_pool3d_fixtures.py):
// outputs, indices, grad_fn names and gradients for given inputs, on both backends; printouts; errors;
// float64 gradchecks (and gradgradchecks of the pools and affine_grid); the align_corners warning.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";
import * as nn from "../src/nn/index.js";
import { BACKENDS, onBackend } from "./helpers/numerics.js";

const F = nn.functional;

type Num = number | string | boolean;
interface Enc { shape: number[]; dtype: string; data: Num[] }
type Json = Record<string, unknown>;
type Arg = Enc | number | string | boolean | null | unknown[];
interface Case { name: string; fn: string; args: Arg[]; kw: Json; outs: Enc[]; gradFn: string | null; r?: Enc; grads?: (Enc | null)[] }
const fx = JSON.parse(readFileSync(new URL("./fixtures/grid_pool3d.json", import.meta.url), "utf8")) as {
  cases: Case[]; reprs: Record<string, string>; errors: Record<string, { type: string; message: string }>;
};

const DTYPES: Record<string, torch.DType> = { float32: torch.float32, float64: torch.float64, int64: torch.int64 };
const num = (v: Num): number => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v));
const isEnc = (v: unknown): v is Enc => typeof v === "object" && v !== null && !Array.isArray(v) && "dtype" in v;
const dec = (e: Enc): Tensor => torch.tensor(e.data.map(num), { dtype: DTYPES[e.dtype]! }).reshape(e.shape);

/** |got - want| <= atol + rtol |want| elementwise (NaN matches NaN); 0, 0 means bit for bit. */
function close(got: Tensor | null | undefined, want: Enc, what: string, rtol: number, atol: number): void {
  assert.ok(got, `${what}: missing`);
  assert.deepEqual(got!.shape, want.shape, `${what}: shape`);
  assert.equal(got!.dtype.name, want.dtype, `${what}: dtype`);
  const g = Array.from(got!.detach().reshape(-1).tolist() as number[], Number);
  let bad = 0, first = "";
  const f32 = want.dtype === "float32";
  want.data.forEach((v, i) => {
    // the fixture holds the shortest decimal of each float32: rounded back, it is PyTorch's value
    const w = f32 ? Math.fround(num(v)) : num(v), x = g[i]!;
    if (Number.isNaN(w) ? Number.isNaN(x) : !Number.isFinite(w) ? x === w : Math.abs(x - w) <= atol + rtol * Math.abs(w)) return;
    if (!bad++) first = `[${i}] got ${x}, want ${w}`;
  });
  assert.equal(bad, 0, `${what}: ${bad} of ${want.data.length} differ; first ${first}`);
}
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
function camelKeys(o: Json, omit: string[] = []): Json {
  const r: Json = {};
  for (const [k, v] of Object.entries(o)) if (!omit.includes(k)) r[camel(k)] = v;
  return r;
}

// ---------------------------------------------------------------- functional calls against PyTorch
type Call = (a: unknown[], kw: Json) => Tensor | [Tensor, Tensor];
const T = (v: unknown) => v as Tensor;
const CALLS: Record<string, Call> = {
  max_pool3d: ([x], kw) => F.maxPool3d(T(x), kw.kernel_size as number, camelKeys(kw, ["kernel_size"])),
  avg_pool3d: ([x], kw) => F.avgPool3d(T(x), kw.kernel_size as number, camelKeys(kw, ["kernel_size"])),
  affine_grid: ([th, size], kw) => F.affineGrid(T(th), size as number[], kw.align_corners as boolean),
  grid_sample: ([x, g], kw) => F.gridSample(T(x), T(g), camelKeys(kw) as nn.GridSampleOptions),
};
/**
 * Tolerances, float32 / float64. NOTE: the pools and grid_sample are loops written as PyTorch's CPU
 * kernels (same operations, same order, float32 rounding at each step): their outputs are compared
 * bit for bit. affine_grid is a bmm whose float32 sums may be ordered otherwise: a few ulps.
 * Gradients that add many terms (a matmul in affine_grid, scatterAdd of max pooling) get float32's
 * few-ulp tolerance; the others are exact too.
 */
const OUT_TOL: Record<string, [number, number]> = { max_pool3d: [0, 0], avg_pool3d: [0, 0], affine_grid: [1e-6, 1e-6], grid_sample: [0, 0] };
const GRAD_TOL: Record<string, [number, number]> = { max_pool3d: [0, 0], avg_pool3d: [0, 0], affine_grid: [1e-5, 1e-5], grid_sample: [0, 0] };

test("every functional case has a call", () => {
  for (const c of fx.cases) assert.ok(CALLS[c.fn], c.fn);
});
for (const c of fx.cases) for (const backend of BACKENDS) {
  test(`F.${c.fn}: ${c.name}${backend === "wasm" ? "" : ` [${backend}]`}`, () => onBackend(backend, () => {
    const grad = c.r !== undefined;
    const args = c.args.map((a) => (isEnc(a) ? dec(a) : a));
    for (const a of args) if (grad && a instanceof torch.Tensor && a.dtype.isFloatingPoint) a.requiresGrad_();
    const r = CALLS[c.fn]!(args, c.kw);
    const outs = Array.isArray(r) ? r : [r];
    assert.equal(outs.length, c.outs.length, "outputs");
    const f64 = c.outs[0]!.dtype === "float64";
    const [rt, at] = f64 ? [1e-14, 1e-14] : OUT_TOL[c.fn]!;
    outs.forEach((o, i) => close(o, c.outs[i]!, `output ${i}`, i > 0 ? 0 : rt, i > 0 ? 0 : at));
    assert.equal(outs[0]!.gradFn?.name() ?? null, c.gradFn, "grad_fn");
    if (!grad) return;
    outs[0]!.mul(dec(c.r!)).sum().backward();
    const [grt, gat] = f64 ? [1e-12, 1e-13] : GRAD_TOL[c.fn]!;
    c.grads!.forEach((g, i) => {
      if (g === null) return;
      close((args[i] as Tensor).grad, g, `grad of argument ${i}`, grt, gat);
    });
  }));
}

// ---------------------------------------------------------------- modules
test("nn.MaxPool3d / nn.AvgPool3d run F.max_pool3d / F.avg_pool3d", () => {
  const x = torch.randn([1, 2, 4, 5, 6]);
  const m = new nn.MaxPool3d([2, 3, 2], { stride: 1, padding: [1, 1, 0], dilation: [1, 1, 2], ceilMode: true, returnIndices: true });
  const [v, i] = m(x) as [Tensor, Tensor];
  const [v2, i2] = F.maxPool3d(x, [2, 3, 2], { stride: 1, padding: [1, 1, 0], dilation: [1, 1, 2], ceilMode: true, returnIndices: true });
  assert.deepEqual([v.tolist(), i.tolist()], [v2.tolist(), i2.tolist()]);
  const a = new nn.AvgPool3d(2, { stride: 1, padding: 1, ceilMode: true, countIncludePad: false, divisorOverride: 3 });
  assert.deepEqual((a(x) as Tensor).tolist(), F.avgPool3d(x, 2, { stride: 1, padding: 1, ceilMode: true, countIncludePad: false, divisorOverride: 3 }).tolist());
});
const REPRS: Record<string, () => nn.Module> = {
  "MaxPool3d": () => new nn.MaxPool3d(2),
  "MaxPool3d all": () => new nn.MaxPool3d([1, 2, 3], { stride: 1, padding: [0, 1, 1], dilation: 2, returnIndices: true, ceilMode: true }),
  "AvgPool3d": () => new nn.AvgPool3d(2),
  "AvgPool3d all": () => new nn.AvgPool3d([1, 2, 3], { stride: [1, 2, 1], padding: [0, 1, 1], ceilMode: true, countIncludePad: false, divisorOverride: 3 }),
};
test("printouts are PyTorch's", () => {
  assert.deepEqual(Object.keys(REPRS).sort(), Object.keys(fx.reprs).sort());
  for (const [name, make] of Object.entries(REPRS)) assert.equal(String(make()), fx.reprs[name], name);
});

// ---------------------------------------------------------------- errors in PyTorch's words
const z = (...s: number[]) => torch.zeros(s);
const x5 = () => z(2, 3, 4, 5, 6), x4 = () => z(2, 3, 4, 5), g4 = () => z(2, 3, 6, 2);
const L = { dtype: torch.int64 };
const ERRORS: Record<string, () => unknown> = {
  "mp3 kernel 0": () => F.maxPool3d(x5(), 0),
  "mp3 kernel 0 stride 1": () => F.maxPool3d(x5(), 0, { stride: 1 }),
  "mp3 stride 0": () => F.maxPool3d(x5(), 2, { stride: 0 }),
  "mp3 stride negative": () => F.maxPool3d(x5(), 2, { stride: -1 }),
  "mp3 dilation 0": () => F.maxPool3d(x5(), 2, { dilation: 0 }),
  "mp3 pad": () => F.maxPool3d(x5(), 2, { padding: 2 }),
  "mp3 negative pad": () => F.maxPool3d(x5(), 2, { padding: -1 }),
  "mp3 too small": () => F.maxPool3d(x5(), 5),
  "mp3 3d input": () => F.maxPool3d(z(3, 4, 5), 2),
  "mp3 6d input": () => F.maxPool3d(z(1, 2, 3, 4, 5, 6), 2),
  "mp3 empty dim": () => F.maxPool3d(z(0, 3, 4, 5), 2),
  "mp3 kernel list": () => F.maxPool3d(x5(), [2, 2]),
  "mp3 stride list": () => F.maxPool3d(x5(), 2, { stride: [1, 2] }),
  "mp3 padding list": () => F.maxPool3d(x5(), 2, { padding: [1, 2] }),
  "mp3 dilation list": () => F.maxPool3d(x5(), 2, { dilation: [1, 2] }),
  "mp3 int": () => F.maxPool3d(torch.zeros([2, 3, 4, 5, 6], L), 2),
  "ap3 kernel 0": () => F.avgPool3d(x5(), 0, { stride: 1 }),
  "ap3 stride 0": () => F.avgPool3d(x5(), 2, { stride: 0 }),
  "ap3 pad": () => F.avgPool3d(x5(), 2, { padding: 2 }),
  "ap3 negative pad": () => F.avgPool3d(x5(), 2, { padding: -1 }),
  "ap3 kernel too big": () => F.avgPool3d(x5(), 5),
  "ap3 kernel list": () => F.avgPool3d(x5(), [2, 2]),
  "ap3 stride list": () => F.avgPool3d(x5(), 2, { stride: [1, 2] }),
  "ap3 padding list": () => F.avgPool3d(x5(), 2, { padding: [1, 2] }),
  "ap3 3d input": () => F.avgPool3d(z(3, 4, 5), 2),
  "ap3 empty dim": () => F.avgPool3d(z(1, 0, 3, 4, 5), 2),
  "ap3 divisor 0": () => F.avgPool3d(x5(), 2, { divisorOverride: 0 }),
  "ap3 int32": () => F.avgPool3d(torch.zeros([1, 1, 2, 2, 2], { dtype: torch.int32 }), 2),
  "gs bad mode": () => F.gridSample(x4(), g4(), { mode: "foo" as "nearest" }),
  "gs bad padding": () => F.gridSample(x4(), g4(), { paddingMode: "foo" as "zeros" }),
  "gs 3d input": () => F.gridSample(z(3, 4, 5), g4(), { alignCorners: false }),
  "gs grid last dim": () => F.gridSample(x4(), z(2, 3, 6, 3), { alignCorners: false }),
  "gs batch": () => F.gridSample(x4(), z(3, 3, 6, 2), { alignCorners: false }),
  "gs 5d grid": () => F.gridSample(x4(), z(2, 3, 6, 1, 2), { alignCorners: false }),
  "gs dtype": () => F.gridSample(x4(), torch.zeros([2, 3, 6, 2], { dtype: torch.float64 }), { alignCorners: false }),
  "gs int": () => F.gridSample(torch.zeros([2, 3, 4, 5], L), torch.zeros([2, 3, 6, 2], L), { alignCorners: false }),
  "gs empty spatial": () => F.gridSample(z(2, 3, 0, 5), g4(), { alignCorners: false }),
  "gs bicubic 5d": () => F.gridSample(x5(), z(2, 3, 6, 2, 3), { mode: "bicubic", alignCorners: false }),
  "ag int theta": () => F.affineGrid(torch.zeros([1, 2, 3], L), [1, 1, 4, 5], false),
  "ag 2d shape": () => F.affineGrid(z(1, 2, 2), [1, 1, 4, 5], false),
  "ag 3d shape": () => F.affineGrid(z(1, 2, 3), [1, 1, 4, 5, 6], false),
  "ag size length": () => F.affineGrid(z(1, 2, 3), [1, 4, 5], false),
  "ag size 0": () => F.affineGrid(z(1, 2, 3), [1, 1, 0, 5], false),
  "ag batch": () => F.affineGrid(z(1, 2, 3), [2, 1, 4, 5], false),
  "ag 2d theta": () => F.affineGrid(z(2, 3), [1, 1, 4, 5], false),
};
test("every error fixture has a typetorch call", () => {
  assert.deepEqual(Object.keys(ERRORS).sort(), Object.keys(fx.errors).sort());
});
for (const [name, want] of Object.entries(fx.errors)) {
  test(`error: ${name}`, () => {
    assert.throws(ERRORS[name]!, (e: Error) => {
      assert.equal(`${e.name}: ${e.message.split("\n")[0]}`, `${want.type}: ${want.message}`);
      return true;
    });
  });
}

// ---------------------------------------------------------------- align_corners left out
test("align_corners left out: PyTorch 1.13's UserWarning, once, and false", () => {
  const msgs: string[] = [];
  const was = console.warn;
  console.warn = (m: unknown) => void msgs.push(String(m));
  try {
    const th = torch.tensor([[[1, 0.2, 0], [0.1, 1, 0.3]]]);
    const g1 = F.affineGrid(th, [1, 1, 3, 4]);
    const x = torch.randn([1, 2, 4, 5]);
    const y1 = F.gridSample(x, g1);
    F.gridSample(x, g1, { mode: "nearest" });
    assert.deepEqual(g1.tolist(), F.affineGrid(th, [1, 1, 3, 4], false).tolist());
    assert.deepEqual(y1.tolist(), F.gridSample(x, g1, { alignCorners: false }).tolist());
  } finally {
    console.warn = was;
  }
  assert.equal(msgs.length, 1);
  assert.ok(msgs[0]!.startsWith("UserWarning: Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0."), msgs[0]);
});

// ---------------------------------------------------------------- float64 gradchecks
const r64 = (...shape: number[]) => torch.randn(shape, { dtype: torch.float64, requiresGrad: true });
/** Distinct values (a shuffled range plus noise), so that no two maxima tie within gradcheck's eps. */
function distinct(...shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return torch.randperm(n).to(torch.float64).add(torch.rand([n], { dtype: torch.float64 }).mul(0.5)).div(n).reshape(shape).requiresGrad_();
}
/** Grid points away from the pixel lattice and the borders' kinks (gradcheck's finite differences cross no kink). */
function smoothGrid(N: number, OH: number, OW: number, H: number, W: number, lo: number, hi: number): Tensor {
  // coordinates of the form (k + 0.3..0.7) pixels, mapped back to [-1, 1] (align_corners=false)
  const n = N * OH * OW;
  const fx = torch.rand([n], { dtype: torch.float64 }).mul(0.4).add(0.3);
  const kx = torch.randint(lo, hi, [n]).to(torch.float64), ky = torch.randint(lo, hi, [n]).to(torch.float64);
  const gx = kx.add(fx).add(0.5).mul(2 / W).sub(1), gy = ky.add(torch.rand([n], { dtype: torch.float64 }).mul(0.4).add(0.3)).add(0.5).mul(2 / H).sub(1);
  return torch.stack([gx, gy], -1).reshape(N, OH, OW, 2).requiresGrad_();
}
/** One fixed grid for the nearest-mode gradcheck (the function must be the same at every evaluation). */
let nearest: Tensor | null = null;
const nearestGrid = () => (nearest ??= smoothGrid(1, 3, 4, 4, 5, -1, 5).detach());
const GRADCHECKS: Record<string, [(...xs: Tensor[]) => Tensor, () => Tensor[]]> = {
  "maxPool3d": [(x) => F.maxPool3d(x, [2, 2, 3], { stride: [1, 2, 1], padding: 1, dilation: [1, 1, 2], ceilMode: true }), () => [distinct(2, 2, 3, 4, 5)]],
  "maxPool3d unbatched": [(x) => F.maxPool3d(x, 2), () => [distinct(2, 4, 4, 3)]],
  "avgPool3d": [(x) => F.avgPool3d(x, [2, 3, 2], { stride: [1, 2, 1], padding: 1, ceilMode: true, countIncludePad: false }), () => [r64(2, 2, 3, 4, 5)]],
  "avgPool3d divisorOverride": [(x) => F.avgPool3d(x, 2, { stride: 1, divisorOverride: 3 }), () => [r64(3, 3, 3, 4)]],
  "affineGrid 2d": [(t) => F.affineGrid(t, [2, 3, 4, 5], false), () => [r64(2, 2, 3)]],
  "affineGrid 3d align": [(t) => F.affineGrid(t, [1, 1, 2, 3, 4], true), () => [r64(1, 3, 4)]],
  "gridSample bilinear zeros": [(x, g) => F.gridSample(x, g, { alignCorners: false }), () => [r64(2, 2, 4, 5), smoothGrid(2, 3, 4, 4, 5, -1, 5)]],
  "gridSample bilinear border": [(x, g) => F.gridSample(x, g, { paddingMode: "border", alignCorners: false }), () => [r64(1, 2, 4, 5), smoothGrid(1, 3, 4, 4, 5, 0, 3)]],
  "gridSample bilinear reflection": [(x, g) => F.gridSample(x, g, { paddingMode: "reflection", alignCorners: false }), () => [r64(1, 2, 4, 5), smoothGrid(1, 3, 4, 4, 5, 0, 3)]],
  "gridSample nearest (input)": [(x) => F.gridSample(x, nearestGrid(), { mode: "nearest", alignCorners: false }), () => [r64(1, 2, 4, 5)]],
};
for (const [name, [fn, mk]] of Object.entries(GRADCHECKS)) {
  test(`gradcheck (float64): ${name}`, () => {
    torch.manualSeed(0);
    assert.ok(torch.autograd.gradcheck(fn, mk()));
  });
}
// second order: the first derivative taken with createGraph composes a differentiable backward
const GRADGRAD: Record<string, [(...xs: Tensor[]) => Tensor, () => Tensor[]]> = {
  maxPool3d: [(x) => F.maxPool3d(x, 2, { stride: 1 }), () => [distinct(1, 2, 3, 3, 3)]],
  avgPool3d: [(x) => F.avgPool3d(x, 2, { stride: 1, padding: 1 }), () => [r64(1, 2, 3, 3, 3)]],
  affineGrid: [(t) => F.affineGrid(t, [1, 1, 3, 4], false), () => [r64(1, 2, 3)]],
};
for (const [name, [fn, mk]] of Object.entries(GRADGRAD)) {
  test(`gradgradcheck (float64): ${name}`, () => {
    torch.manualSeed(0);
    const first = (...xs: Tensor[]) =>
      torch.enableGrad(() => {
        const y = fn(...xs);
        const gs = torch.autograd.grad(y.mul(y).sum(), xs, { createGraph: true });
        return torch.cat(gs.map((g) => g!.reshape(-1)));
      });
    assert.ok(torch.autograd.gradcheck(first, mk()));
  });
}
