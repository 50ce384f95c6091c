// Transposed convolutions, conv3d, the 1-d / adaptive / with-indices pooling, max unpooling,
// interpolate, pixel shuffle, pad in every mode and unfold / fold against real PyTorch 1.13
// (test/fixtures/conv_extra.json, from scripts/gen_conv_extra_fixtures.py): outputs, indices,
// grad_fn names and gradients for given inputs and parameters, on both backends; seeded
// initialization; printouts; errors; float64 gradchecks (and gradgradchecks of a few).
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
interface Case {
  name: string; fn: string; args: Arg[]; kw: Json; outs: Enc[]; gradFn: string | null;
  r?: Enc; grads?: (Enc | null)[];
}
interface ModuleCase {
  name: string; ctor: unknown[]; state: Record<string, Enc>; inputs: Enc[]; extra: Arg[]; callKw: Json;
  outs: Enc[]; gradFn: string | null; r: Enc; grads: Enc[]; paramGrads: Record<string, Enc>;
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/conv_extra.json", import.meta.url), "utf8")) as {
  cases: Case[]; modules: ModuleCase[];
  init: Record<string, { ctor: unknown[]; state: Record<string, Enc>; params: string[] }>;
  reprs: Record<string, string>; errors: Record<string, { type: string; message: string }>;
};

const DTYPES: Record<string, torch.DType> = { float32: torch.float32, float64: torch.float64, int64: torch.int64 };
const num = (v: Num): number => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v));
const isEnc = (v: unknown): v is Enc => typeof v === "object" && v !== null && !Array.isArray(v) && "dtype" in v;
function dec(e: Enc): Tensor {
  return torch.tensor(e.data.map(num), { dtype: DTYPES[e.dtype]! }).reshape(e.shape);
}
/**
 * |got - want| <= atol + rtol |want| elementwise (NaN matches NaN). NOTE: float32 sums of a few dozen
 * products in another order than PyTorch's kernels (convolutions, their gradients, overlapping
 * windows added up) come within a few ulps: checked at rtol 1e-5 / atol 1e-5 (gradients at 1e-4 /
 * 2e-5); ops that only move values (pooling maxima, padding, nearest, pixel shuffle, unfold),
 * indices and float32 interpolation are checked exactly.
 */
function close(got: Tensor | null | undefined, want: Enc, what: string, rtol = 1e-5, atol = 1e-5): void {
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
const GRAD_TOL = [1e-4, 2e-5] as const;
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
function camelKeys(o: Json, omit: string[] = []): Json {
  const r: Json = {};
  for (const [k, v] of Object.entries(o)) if (!omit.includes(k)) r[camel(k)] = v;
  return r;
}

// ---------------------------------------------------------------- functional calls against PyTorch
type Call = (a: (Tensor | unknown)[], kw: Json) => Tensor | [Tensor, Tensor];
const T = (v: unknown) => v as Tensor;
const CALLS: Record<string, Call> = {
  conv_transpose1d: ([x, w, b], kw) => F.convTranspose1d(T(x), T(w), (b as Tensor | undefined) ?? null, camelKeys(kw)),
  conv_transpose2d: ([x, w, b], kw) => F.convTranspose2d(T(x), T(w), (b as Tensor | undefined) ?? null, camelKeys(kw)),
  conv3d: ([x, w, b], kw) => F.conv3d(T(x), T(w), (b as Tensor | undefined) ?? null, camelKeys(kw)),
  max_pool1d: ([x], kw) => F.maxPool1d(T(x), kw.kernel_size as number, camelKeys(kw, ["kernel_size"])),
  max_pool2d: ([x], kw) => {
    assert.equal(kw.return_indices, true);
    const [v, i] = F.maxPool2d(T(x), kw.kernel_size as number, { ...camelKeys(kw, ["kernel_size", "return_indices"]), returnIndices: true });
    // F.max_pool2d_with_indices is the same op
    const [v2, i2] = torch.noGrad(() => F.maxPool2dWithIndices(T(x), kw.kernel_size as number, camelKeys(kw, ["kernel_size", "return_indices"])));
    assert.deepEqual([v2.tolist(), i2.tolist()], [v.tolist(), i.tolist()]);
    return [v, i];
  },
  avg_pool1d: ([x], kw) => F.avgPool1d(T(x), kw.kernel_size as number, camelKeys(kw, ["kernel_size"])),
  adaptive_avg_pool1d: ([x], kw) => F.adaptiveAvgPool1d(T(x), kw.output_size as number),
  adaptive_max_pool1d: ([x], kw) => F.adaptiveMaxPool1d(T(x), kw.output_size as number, (kw.return_indices as boolean | undefined) ?? false),
  adaptive_max_pool2d: ([x], kw) => F.adaptiveMaxPool2d(T(x), kw.output_size as number, (kw.return_indices as boolean | undefined) ?? false),
  max_unpool2d: ([v, i], kw) => F.maxUnpool2d(T(v), T(i), kw.kernel_size as number, camelKeys(kw, ["kernel_size"])),
  interpolate: ([x], kw) => F.interpolate(T(x), camelKeys(kw)),
  pixel_shuffle: ([x], kw) => F.pixelShuffle(T(x), kw.upscale_factor as number),
  pixel_unshuffle: ([x], kw) => F.pixelUnshuffle(T(x), kw.downscale_factor as number),
  pad: ([x], kw) => F.pad(T(x), kw.pad as number[], (kw.mode as nn.PadMode | undefined) ?? "constant", kw.value as number | undefined),
  unfold: ([x], kw) => F.unfold(T(x), kw.kernel_size as number, camelKeys(kw, ["kernel_size"])),
  fold: ([x], kw) => F.fold(T(x), kw.output_size as number[], kw.kernel_size as number, camelKeys(kw, ["output_size", "kernel_size"])),
};
/** Ops whose outputs are input values moved about: compared exactly. */
const MOVES = new Set(["max_pool1d", "max_pool2d", "adaptive_max_pool1d", "adaptive_max_pool2d", "max_unpool2d", "pixel_shuffle", "pixel_unshuffle", "pad", "unfold"]);

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
    // NOTE: interpolation computes its weights and sums as PyTorch's kernels do: float32 outputs are
    // PyTorch's bits; float64 ones may differ in the last bit (PyTorch fuses a multiply-add there)
    const f64 = c.outs[0]!.dtype === "float64";
    const exact = MOVES.has(c.fn) || (c.fn === "interpolate" && c.kw.mode !== "area" && !f64);
    const tol = exact ? 0 : f64 ? 1e-12 : 1e-5;
    outs.forEach((o, i) => close(o, c.outs[i]!, `output ${i}`, i > 0 ? 0 : tol, i > 0 ? 0 : tol));
    assert.equal(outs[0]!.gradFn?.name() ?? null, c.gradFn, "grad_fn");
    if (!grad) return;
    outs[0]!.mul(dec(c.r!)).sum().backward();
    c.grads!.forEach((g, i) => {
      if (g === null) return;
      close((args[i] as Tensor).grad, g, `grad of argument ${i}`, ...(f64 ? [1e-10, 1e-12] as const : GRAD_TOL));
    });
  }));
}

// ---------------------------------------------------------------- modules against PyTorch
/** The module a fixture's constructor list describes: [class name, ...positional args, {keyword args}]. */
function build(ctor: unknown[]): nn.Module {
  const [kind, ...rest] = ctor as [string, ...unknown[]];
  const args = rest.map((a) => (typeof a === "object" && a !== null && !Array.isArray(a) ? camelKeys(a as Json) : a));
  const C = (nn as unknown as Record<string, new (...a: unknown[]) => nn.Module>)[kind];
  assert.ok(C, `nn.${kind}`);
  return new C(...args);
}

for (const c of fx.modules) for (const backend of BACKENDS) {
  test(`nn.${c.name}${backend === "wasm" ? "" : ` [${backend}]`}`, () => onBackend(backend, () => {
    const m = build(c.ctor);
    assert.deepEqual([...m.stateDict().keys()], Object.keys(c.state), "state dict keys, in PyTorch's order");
    m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, e]) => [k, dec(e)])));
    const ins = c.inputs.map((e) => dec(e).requiresGrad_());
    const extra = c.extra.map((a) => (isEnc(a) ? dec(a) : a));
    const kwArgs = c.callKw.output_size !== undefined ? [c.callKw.output_size] : [];
    const r = m(...ins, ...extra, ...kwArgs) as Tensor | [Tensor, Tensor];
    const outs = Array.isArray(r) ? r : [r];
    assert.equal(outs.length, c.outs.length, "outputs");
    outs.forEach((o, i) => close(o, c.outs[i]!, `output ${i}`));
    assert.equal(outs[0]!.gradFn?.name() ?? null, c.gradFn, "grad_fn");
    outs[0]!.mul(dec(c.r)).sum().backward();
    c.grads.forEach((g, i) => close(ins[i]!.grad, g, `grad of input ${i}`, ...GRAD_TOL));
    const params = new Map(m.namedParameters());
    assert.deepEqual([...params.keys()], Object.keys(c.paramGrads), "parameter names");
    for (const [k, g] of Object.entries(c.paramGrads)) close(params.get(k)!.grad, g, `grad of ${k}`, ...GRAD_TOL);
  }));
}

// ---------------------------------------------------------------- seeded initialization
for (const [name, c] of Object.entries(fx.init)) {
  test(`manualSeed(0) initialization: ${name}`, () => {
    torch.manualSeed(0);
    const m = build(c.ctor);
    const sd = m.stateDict();
    assert.deepEqual([...sd.keys()], Object.keys(c.state), "state dict keys");
    assert.deepEqual(m.namedParameters().map(([k]) => k), c.params, "named parameters");
    // NOTE: the same generator draws in the same order; the kaiming bound is computed in double as
    // PyTorch does, so the values agree to float32 rounding of the bound
    for (const [k, e] of Object.entries(c.state)) close(sd.get(k)!, e, k, 1e-6, 1e-7);
  });
}

// ---------------------------------------------------------------- printouts
const REPRS: Record<string, () => nn.Module> = {
  "ConvTranspose2d": () => new nn.ConvTranspose2d(4, 3, 3, { stride: 2, padding: 1 }),
  "ConvTranspose1d all": () => new nn.ConvTranspose1d(4, 6, 3, { stride: 2, outputPadding: 1, groups: 2, bias: false, dilation: 2 }),
  "ConvTranspose2d plain": () => new nn.ConvTranspose2d(1, 1, [2, 4]),
  "Conv3d": () => new nn.Conv3d(2, 3, [1, 2, 3], { padding: 1 }),
  "Conv3d same": () => new nn.Conv3d(2, 4, 3, { padding: "same", groups: 2, bias: false }),
  "MaxPool1d": () => new nn.MaxPool1d(3),
  "MaxPool1d all": () => new nn.MaxPool1d(3, { stride: 2, padding: 1, dilation: 2, returnIndices: true, ceilMode: true }),
  "AvgPool1d": () => new nn.AvgPool1d(3),
  "AvgPool1d all": () => new nn.AvgPool1d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
  "AdaptiveAvgPool1d": () => new nn.AdaptiveAvgPool1d(4),
  "AdaptiveMaxPool1d": () => new nn.AdaptiveMaxPool1d(4),
  "AdaptiveMaxPool2d": () => new nn.AdaptiveMaxPool2d([3, null], true),
  "AdaptiveMaxPool2d int": () => new nn.AdaptiveMaxPool2d(3),
  "MaxUnpool2d": () => new nn.MaxUnpool2d(2),
  "MaxUnpool2d all": () => new nn.MaxUnpool2d([2, 3], { stride: 1, padding: [0, 1] }),
  "Upsample": () => new nn.Upsample({ scaleFactor: 2 }),
  "Upsample size bilinear": () => new nn.Upsample({ size: [4, 5], mode: "bilinear", alignCorners: true }),
  "Upsample size int": () => new nn.Upsample(4),
  "Upsample scales": () => new nn.Upsample({ scaleFactor: [2, 1.5], mode: "bilinear" }),
  "UpsamplingNearest2d": () => new nn.UpsamplingNearest2d({ scaleFactor: 2 }),
  "UpsamplingBilinear2d": () => new nn.UpsamplingBilinear2d(3),
  "PixelShuffle": () => new nn.PixelShuffle(2),
  "PixelUnshuffle": () => new nn.PixelUnshuffle(3),
  "Unfold": () => new nn.Unfold(2),
  "Unfold all": () => new nn.Unfold([2, 3], { dilation: 2, padding: 1, stride: 1 }),
  "Fold": () => new nn.Fold([4, 5], 2),
  "Fold all": () => new nn.Fold(4, [2, 3], { dilation: 1, padding: 0, stride: 2 }),
  "ZeroPad2d": () => new nn.ZeroPad2d(2),
  "ZeroPad2d tuple": () => new nn.ZeroPad2d([1, 2, 3, 4]),
  "ConstantPad1d": () => new nn.ConstantPad1d(2, 3.5),
  "ConstantPad2d": () => new nn.ConstantPad2d([1, 0, 2, 0], -1),
  "ConstantPad3d": () => new nn.ConstantPad3d(1, 0.25),
  "ReflectionPad1d": () => new nn.ReflectionPad1d(2),
  "ReflectionPad2d": () => new nn.ReflectionPad2d([1, 0, 2, 3]),
  "ReflectionPad3d": () => new nn.ReflectionPad3d(1),
  "ReplicationPad1d": () => new nn.ReplicationPad1d([3, 1]),
  "ReplicationPad2d": () => new nn.ReplicationPad2d(1),
  "ReplicationPad3d": () => new nn.ReplicationPad3d([2, 2, 2, 2, 1, 1]),
  "Sequential": () => new nn.Sequential(
    new nn.ConvTranspose2d(8, 4, 3, { stride: 2, padding: 1, outputPadding: 1 }), new nn.ReLU(), new nn.Upsample({ scaleFactor: 2, mode: "bilinear" }), new nn.ReflectionPad2d(1),
  ),
};
test("printouts are PyTorch's", () => {
  assert.deepEqual(Object.keys(REPRS).sort(), Object.keys(fx.reprs).sort());
  for (const [name, make] of Object.entries(REPRS)) assert.equal(String(make()), fx.reprs[name], name);
});

// ---------------------------------------------------------------- errors in PyTorch's words
const z = (...s: number[]) => torch.zeros(s);
const D = { dtype: torch.float64 };
const x4 = () => z(2, 4, 5, 6), w4 = () => z(4, 3, 3, 3);
const x5 = () => z(1, 2, 4, 5, 6), w5 = () => z(3, 2, 2, 2, 2);
const xg = () => torch.zeros([2, 3, 8], { requiresGrad: true });
const xi = () => z(2, 3, 4, 5), x3 = () => z(2, 3, 4);
const xu = () => torch.arange(24, { dtype: torch.float32 }).reshape(2, 3, 2, 2);
const iu = () => torch.tensor([0, 1, 4, 5], { dtype: torch.int64 }).repeat(6).reshape(2, 3, 2, 2);
const ints = (n: number, ...shape: number[]) => torch.arange(n).reshape(shape);
const ERRORS: Record<string, () => unknown> = {
  "ct2 5d input": () => F.convTranspose2d(z(1, 2, 4, 5, 6), w4()),
  "ct2 output_padding": () => F.convTranspose2d(x4(), w4(), null, { stride: 2, outputPadding: 2 }),
  "ct2 groups divisible": () => F.convTranspose2d(x4(), w4(), null, { groups: 3 }),
  "ct2 groups at least": () => F.convTranspose2d(x4(), w4(), null, { groups: 5 }),
  "ct2 groups 0": () => F.convTranspose2d(x4(), w4(), null, { groups: 0 }),
  "ct2 channels": () => F.convTranspose2d(z(2, 5, 5, 6), w4()),
  "ct2 bias": () => F.convTranspose2d(x4(), w4(), z(4)),
  "ct2 negative padding": () => F.convTranspose2d(x4(), w4(), null, { padding: -1 }),
  "ct2 negative output_padding": () => F.convTranspose2d(x4(), w4(), null, { outputPadding: -1 }),
  "ct2 stride 0": () => F.convTranspose2d(x4(), w4(), null, { stride: 0 }),
  "ct2 dilation 0": () => F.convTranspose2d(x4(), w4(), null, { dilation: 0 }),
  "ct2 kernel 0": () => F.convTranspose2d(x4(), z(4, 3, 0, 3)),
  "ct2 output too small": () => F.convTranspose2d(x4(), w4(), null, { padding: 5 }),
  "ct2 3d weight": () => F.convTranspose2d(x4(), z(4, 3, 3), null, { stride: [1, 1] }),
  "ct2 5d weight": () => F.convTranspose2d(x4(), z(4, 3, 3, 3, 3), null, { stride: [1, 1] }),
  "ct2 stride list": () => F.convTranspose2d(x4(), w4(), null, { stride: [1, 2, 3] }),
  "ct2 weight dtype": () => F.convTranspose2d(x4(), torch.zeros([4, 3, 3, 3], D)),
  "ct2 bias dtype": () => F.convTranspose2d(x4(), w4(), torch.zeros([3], D)),
  "ct1 4d input": () => F.convTranspose1d(x4(), z(4, 3, 3)),
  "ct1 output_padding": () => F.convTranspose1d(z(2, 4, 5), z(4, 3, 3), null, { stride: 2, outputPadding: 2 }),
  "ct1 dilation 0": () => F.convTranspose1d(z(2, 4, 5), z(4, 3, 2), null, { dilation: 0 }),
  "ct1 output too small": () => F.convTranspose1d(z(2, 4, 2), z(4, 3, 2), null, { padding: 3 }),
  "c3 3d input": () => F.conv3d(z(4, 5, 6), w5()),
  "c3 kernel too big": () => F.conv3d(z(1, 2, 2, 5, 6), z(3, 2, 3, 2, 2)),
  "c3 channels": () => F.conv3d(z(1, 4, 4, 5, 6), w5()),
  "c3 bias": () => F.conv3d(x5(), w5(), z(4)),
  "c3 groups": () => F.conv3d(x5(), w5(), null, { groups: 2 }),
  "c3 same strided": () => F.conv3d(x5(), w5(), null, { padding: "same", stride: 2 }),
  "c3 bad padding string": () => F.conv3d(x5(), w5(), null, { padding: "foo" as "same" }),
  "c3 dilation 0": () => F.conv3d(x5(), w5(), null, { dilation: 0 }),
  "c3 kernel 0": () => F.conv3d(x5(), z(3, 2, 0, 2, 2)),
  "c3 negative padding": () => F.conv3d(x5(), w5(), null, { padding: -1 }),
  "c3 weight dtype": () => F.conv3d(x5(), torch.zeros([3, 2, 2, 2, 2], D)),
  "ConvTranspose2d output_size range": () => new nn.ConvTranspose2d(4, 3, 3, { stride: 2, padding: 1 })(x4(), [12, 12]),
  "ConvTranspose2d output_size length": () => new nn.ConvTranspose2d(4, 3, 3, { stride: 2, padding: 1 })(x4(), [10]),
  "ConvTranspose2d padding_mode": () => new nn.ConvTranspose2d(4, 3, 3, { paddingMode: "reflect" as "zeros" }),
  "ConvTranspose2d groups": () => new nn.ConvTranspose2d(4, 3, 3, { groups: 2 }),
  "ConvTranspose1d output_size length": () => new nn.ConvTranspose1d(4, 3, 3)(z(4, 5), [1, 2, 3]),
  "mp1 1d input": () => F.maxPool1d(z(8), 3),
  "mp1 4d input": () => F.maxPool1d(z(2, 3, 4, 5), 3),
  "mp1 grad pad": () => F.maxPool1d(xg(), 3, { padding: 2 }),
  "mp1 grad kernel 0": () => F.maxPool1d(xg(), 0),
  "mp1 grad dilation 0": () => F.maxPool1d(xg(), 2, { dilation: 0 }),
  "mp1 grad too small": () => F.maxPool1d(xg(), 9),
  "mp1 grad negative pad": () => F.maxPool1d(xg(), 2, { padding: -1 }),
  "mp1 kernel list": () => F.maxPool1d(xg(), [2, 2]),
  "mp1 pad": () => F.maxPool1d(z(2, 3, 8), 3, { padding: 2 }),
  "mp1 kernel 0": () => F.maxPool1d(z(2, 3, 8), 0),
  "mp1 stride 0": () => F.maxPool1d(z(2, 3, 8), 2, { stride: 0 }),
  "mp1 dilation 0": () => F.maxPool1d(z(2, 3, 8), 2, { dilation: 0 }),
  "mp1 negative pad": () => F.maxPool1d(z(2, 3, 8), 2, { padding: -1 }),
  "mp1 int": () => F.maxPool1d(ints(8, 1, 8), 2),
  "mp1 indices too small": () => F.maxPool1d(z(2, 3, 8), 9, { returnIndices: true }),
  "mp1 indices 4d": () => F.maxPool1d(z(2, 3, 4, 5), 2, { returnIndices: true }),
  "mp2 indices too small": () => F.maxPool2dWithIndices(xi(), 9),
  "mp2 indices pad": () => F.maxPool2dWithIndices(xi(), 2, { padding: [0, 2] }),
  "mp2 indices 2d": () => F.maxPool2dWithIndices(z(4, 5), 2),
  "ap1 4d": () => F.avgPool1d(z(2, 3, 4, 5), 3),
  "ap1 pad": () => F.avgPool1d(z(2, 3, 8), 3, { padding: 2 }),
  "ap1 too small": () => F.avgPool1d(z(2, 3, 8), 9),
  "ap1 kernel 0": () => F.avgPool1d(z(2, 3, 8), 0),
  "ap1 kernel list": () => F.avgPool1d(z(2, 3, 8), [2, 2]),
  "aap1 4d": () => F.adaptiveAvgPool1d(z(2, 3, 4, 5), 5),
  "aap1 tuple": () => F.adaptiveAvgPool1d(z(2, 3, 8), [5, 2]),
  "amp1 4d": () => F.adaptiveMaxPool1d(z(2, 3, 4, 5), 5),
  "amp1 empty": () => F.adaptiveMaxPool1d(z(2, 0, 4), 2),
  "amp2 5d": () => F.adaptiveMaxPool2d(z(1, 2, 3, 4, 5), 3),
  "amp2 empty": () => F.adaptiveMaxPool2d(z(2, 0, 3, 3), 2),
  "amp2 3 sizes": () => F.adaptiveMaxPool2d(xi(), [1, 2, 3]),
  "amp2 int": () => F.adaptiveMaxPool2d(ints(16, 1, 4, 4), 2),
  "unpool index out of range": () => {
    const i = iu();
    torch.noGrad(() => i.select(0, 1).select(0, 2).select(0, 1).select(0, 0).fill_(16));
    return F.maxUnpool2d(xu(), i, 2);
  },
  "unpool output_size range": () => F.maxUnpool2d(xu(), iu(), 2, { outputSize: [7, 5] }),
  "unpool output_size length": () => F.maxUnpool2d(xu(), iu(), 2, { outputSize: [7] }),
  "unpool indices shape": () => F.maxUnpool2d(xu(), iu().narrow(1, 0, 2), 2),
  "unpool indices dtype": () => F.maxUnpool2d(xu(), iu().int(), 2),
  "unpool 2d": () => F.maxUnpool2d(xu().select(0, 0).select(0, 0), iu().select(0, 0).select(0, 0), 2),
  "interp both": () => F.interpolate(xi(), { size: 3, scaleFactor: 2 }),
  "interp neither": () => F.interpolate(xi()),
  "interp size length": () => F.interpolate(xi(), { size: [3] }),
  "interp scale length": () => F.interpolate(xi(), { scaleFactor: [3] }),
  "interp recompute with size": () => F.interpolate(xi(), { size: 3, recomputeScaleFactor: true }),
  "interp align_corners nearest": () => F.interpolate(xi(), { size: 3, alignCorners: false }),
  "interp bilinear 3d": () => F.interpolate(z(2, 3, 5), { size: 3, mode: "bilinear" }),
  "interp linear 4d": () => F.interpolate(xi(), { size: 3, mode: "linear" }),
  "interp 2d input": () => F.interpolate(z(4, 5), 3),
  "interp bad mode": () => F.interpolate(xi(), { size: 3, mode: "foo" as "nearest" }),
  "interp size 0": () => F.interpolate(xi(), 0),
  "interp scale too small": () => F.interpolate(xi(), { scaleFactor: 0.1, mode: "bilinear" }),
  "interp 1d size 0": () => F.interpolate(z(2, 3, 5), 0),
  "interp empty channels": () => F.interpolate(z(2, 0, 2, 5), 3),
  "interp int nearest": () => F.interpolate(ints(20, 1, 1, 4, 5), 3),
  "interp int bilinear": () => F.interpolate(ints(20, 1, 1, 4, 5), { size: 3, mode: "bilinear" }),
  "interp int nearest 2 channels": () => F.interpolate(ints(40, 1, 2, 4, 5), 3),
  "interp int linear": () => F.interpolate(ints(10, 1, 2, 5), { size: 3, mode: "linear" }),
  "interp int nearest 3d": () => F.interpolate(torch.zeros([1, 1, 2, 2, 5], { dtype: torch.int64 }), 3),
  "interp antialias nearest": () => F.interpolate(xi(), { size: 3, antialias: true }),
  "ps channels": () => F.pixelShuffle(z(2, 6, 3, 4), 2),
  "ps 2d": () => F.pixelShuffle(z(6, 3), 2),
  "ps factor 0": () => F.pixelShuffle(z(2, 8, 3, 4), 0),
  "pu height": () => F.pixelUnshuffle(z(2, 2, 3, 6), 2),
  "pu width": () => F.pixelUnshuffle(z(2, 2, 4, 5), 2),
  "pu 2d": () => F.pixelUnshuffle(z(4, 6), 2),
  "pu factor 0": () => F.pixelUnshuffle(z(2, 2, 4, 6), 0),
  "pad odd": () => F.pad(xi(), [1, 2, 3]),
  "pad too long": () => F.pad(z(3, 4), [1, 1, 1, 1, 1, 1]),
  "pad bad mode": () => F.pad(xi(), [1, 1], "foo" as "reflect"),
  "pad reflect value": () => F.pad(x3(), [1, 1], "reflect", 1.5),
  "pad reflect 1d on 4d": () => F.pad(xi(), [1, 1], "reflect"),
  "pad reflect 2d on 2d": () => F.pad(z(3, 4), [1, 1, 1, 1], "reflect"),
  "pad reflect 1d on 1d": () => F.pad(z(4), [1, 1], "reflect"),
  "pad reflect 1d too big": () => F.pad(x3(), [4, 1], "reflect"),
  "pad reflect 2d too big h": () => F.pad(xi(), [1, 1, 4, 1], "reflect"),
  "pad reflect 2d too big w": () => F.pad(xi(), [5, 0, 0, 0], "reflect"),
  "pad reflect 3d too big": () => F.pad(x5(), [0, 0, 0, 0, 4, 0], "reflect"),
  "pad reflect 1d too small": () => F.pad(x3(), [-3, -2], "reflect"),
  "pad reflect 2d negative": () => F.pad(xi(), [0, 0, -3, -2], "reflect"),
  "pad reflect 1d empty": () => F.pad(z(2, 0, 4), [1, 1], "reflect"),
  "pad reflect 2d empty": () => F.pad(z(2, 0, 3, 4), [1, 1, 1, 1], "reflect"),
  "pad reflect int": () => F.pad(ints(12, 1, 3, 4), [1, 1], "reflect"),
  "pad replicate 1d too small": () => F.pad(x3(), [-3, -2], "replicate"),
  "pad replicate 2d negative": () => F.pad(xi(), [-3, -3, 0, 0], "replicate"),
  "pad replicate 3d negative": () => F.pad(x5(), [0, 0, 0, 0, -3, -2], "replicate"),
  "pad replicate 1d empty": () => F.pad(z(2, 3, 0), [1, 1], "replicate"),
  "pad replicate 2d empty": () => F.pad(z(2, 0, 3, 4), [1, 1, 1, 1], "replicate"),
  "pad replicate int": () => F.pad(ints(12, 1, 3, 4), [1, 1], "replicate"),
  "pad replicate 2d int": () => F.pad(ints(12, 1, 1, 3, 4), [1, 1, 1, 1], "replicate"),
  "pad circular wrap": () => F.pad(x3(), [5, 1], "circular"),
  "pad circular empty": () => F.pad(x3(), [-3, -2], "circular"),
  "pad circular unbatched": () => F.pad(x3(), [1, 1, 1, 1], "circular"),
  "pad circular 2d input": () => F.pad(z(3, 4), [1, 1], "circular"),
  "pad constant narrow": () => F.pad(x3(), [-3, -2, 1, 1]),
  "pad constant start": () => F.pad(x3(), [-5, 1]),
  "pad constant empty dim": () => F.pad(x3(), [-2, -2, 1, 1]),
  "pad float pads": () => F.pad(x3(), [1.5, 1]),
  "unfold 5d": () => F.unfold(z(1, 2, 3, 4, 5), 2),
  "unfold 2d": () => F.unfold(z(4, 5), 2),
  "unfold kernel 0": () => F.unfold(xi(), 0),
  "unfold stride 0": () => F.unfold(xi(), 2, { stride: 0 }),
  "unfold dilation 0": () => F.unfold(xi(), 2, { dilation: 0 }),
  "unfold negative padding": () => F.unfold(xi(), 2, { padding: -1 }),
  "unfold too big": () => F.unfold(xi(), 5),
  "unfold empty": () => F.unfold(z(2, 0, 4, 5), 2),
  "unfold int": () => F.unfold(ints(20, 1, 1, 4, 5), 2),
  "fold 1d": () => F.fold(z(12), [4, 5], 2),
  "fold 4d": () => F.fold(z(1, 2, 12, 12), [4, 5], 2),
  "fold channels": () => F.fold(z(2, 13, 12), [4, 5], 2),
  "fold blocks": () => F.fold(z(2, 12, 11), [4, 5], 2),
  "fold kernel 0": () => F.fold(z(2, 12, 12), [4, 5], 0),
  "fold stride 0": () => F.fold(z(2, 12, 12), [4, 5], 2, { stride: 0 }),
  "fold dilation 0": () => F.fold(z(2, 12, 12), [4, 5], 2, { dilation: 0 }),
  "fold negative padding": () => F.fold(z(2, 12, 12), [4, 5], 2, { padding: -1 }),
  "fold output 0": () => F.fold(z(2, 12, 12), [0, 5], 2),
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

// ---------------------------------------------------------------- float64 gradchecks
const r64 = (...shape: number[]) => torch.randn(shape, { dtype: torch.float64, requiresGrad: true });
/** Distinct values (a shuffled range plus noise), so that no two maxima tie within gradcheck's eps. */
function distinct(...shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return torch.randperm(n).to(torch.float64).add(torch.rand([n], { dtype: torch.float64 }).mul(0.5)).div(n).reshape(shape).requiresGrad_();
}
const GRADCHECKS: Record<string, [(...xs: Tensor[]) => Tensor, () => Tensor[]]> = {
  "convTranspose2d stride padding outputPadding": [(x, w, b) => F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }), () => [r64(2, 2, 3, 3), r64(2, 3, 3, 3), r64(3)]],
  "convTranspose2d groups dilation": [(x, w) => F.convTranspose2d(x, w, null, { groups: 2, dilation: [2, 1], stride: [1, 2] }), () => [r64(1, 4, 2, 3), r64(4, 1, 2, 2)]],
  "convTranspose1d": [(x, w, b) => F.convTranspose1d(x, w, b, { stride: 3, padding: 1, outputPadding: 2, dilation: 2 }), () => [r64(2, 2, 4), r64(2, 3, 3), r64(3)]],
  "conv3d": [(x, w, b) => F.conv3d(x, w, b, { stride: [1, 2, 1], padding: 1, groups: 2 }), () => [r64(1, 4, 2, 3, 3), r64(2, 2, 2, 2, 2), r64(2)]],
  "conv3d same": [(x, w) => F.conv3d(x, w, null, { padding: "same" }), () => [r64(1, 1, 3, 2, 3), r64(2, 1, 2, 2, 1)]],
  "maxPool1d": [(x) => F.maxPool1d(x, 3, { stride: 2, padding: 1, dilation: 2, ceilMode: true }), () => [distinct(2, 2, 8)]],
  "maxPool2dWithIndices": [(x) => F.maxPool2dWithIndices(x, 3, { stride: 2, padding: 1 })[0], () => [distinct(1, 2, 5, 6)]],
  "avgPool1d": [(x) => F.avgPool1d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), () => [r64(2, 2, 7)]],
  "adaptiveAvgPool1d": [(x) => F.adaptiveAvgPool1d(x, 3), () => [r64(2, 2, 7)]],
  "adaptiveMaxPool1d": [(x) => F.adaptiveMaxPool1d(x, 3), () => [distinct(2, 2, 7)]],
  "adaptiveMaxPool2d": [(x) => F.adaptiveMaxPool2d(x, [2, 3]), () => [distinct(1, 2, 5, 4)]],
  "maxUnpool2d": [(x, i) => F.maxUnpool2d(x, i!, 2, { outputSize: [4, 5] }), () => [r64(1, 2, 2, 2), torch.noGrad(() => F.maxPool2dWithIndices(distinct(1, 2, 4, 5), 2)[1])]],
  "interpolate nearest": [(x) => F.interpolate(x, { scaleFactor: [0.7, 1.6] }), () => [r64(1, 2, 4, 3)]],
  "interpolate nearest-exact 1d": [(x) => F.interpolate(x, { size: 5, mode: "nearest-exact" }), () => [r64(2, 1, 3)]],
  "interpolate linear": [(x) => F.interpolate(x, { scaleFactor: 1.7, mode: "linear" }), () => [r64(1, 2, 4)]],
  "interpolate bilinear": [(x) => F.interpolate(x, { size: [5, 2], mode: "bilinear" }), () => [r64(1, 2, 3, 4)]],
  "interpolate bilinear alignCorners": [(x) => F.interpolate(x, { scaleFactor: 2, mode: "bilinear", alignCorners: true }), () => [r64(1, 1, 2, 3)]],
  "interpolate area": [(x) => F.interpolate(x, { size: [2, 3], mode: "area" }), () => [r64(1, 2, 4, 5)]],
  "pixelShuffle": [(x) => F.pixelShuffle(x, 2), () => [r64(1, 8, 2, 2)]],
  "pixelUnshuffle": [(x) => F.pixelUnshuffle(x, 2), () => [r64(2, 1, 4, 2)]],
  "pad constant crop": [(x) => F.pad(x, [-1, 2, 1, -1], "constant", 0.5), () => [r64(2, 3, 4)]],
  "pad reflect 2d": [(x) => F.pad(x, [1, 2, 2, 0], "reflect"), () => [r64(1, 2, 3, 4)]],
  "pad reflect 1d negative": [(x) => F.pad(x, [-1, 2], "reflect"), () => [r64(2, 4)]],
  "pad reflect 3d": [(x) => F.pad(x, [1, 0, 1, 1, 0, 1], "reflect"), () => [r64(1, 1, 2, 2, 3)]],
  "pad replicate 2d": [(x) => F.pad(x, [2, 0, -1, 1], "replicate"), () => [r64(1, 2, 3, 3)]],
  "pad replicate 1d": [(x) => F.pad(x, [3, 1], "replicate"), () => [r64(2, 2, 2)]],
  "pad circular 2d": [(x) => F.pad(x, [1, 2, -1, 1], "circular"), () => [r64(1, 2, 3, 3)]],
  "pad circular 3d": [(x) => F.pad(x, [1, 0, 0, 1, 1, 1], "circular"), () => [r64(1, 1, 2, 2, 2)]],
  "unfold": [(x) => F.unfold(x, [2, 3], { dilation: [1, 2], padding: 1, stride: [2, 1] }), () => [r64(1, 2, 4, 5)]],
  "fold": [(x) => F.fold(x, [4, 5], [2, 3], { dilation: [1, 2], padding: 1, stride: [2, 1] }), () => [r64(1, 12, 9)]],
};
for (const [name, [fn, mk]] of Object.entries(GRADCHECKS)) for (const backend of BACKENDS) {
  test(`gradcheck (float64): ${name}${backend === "wasm" ? "" : ` [${backend}]`}`, () => onBackend(backend, () => {
    torch.manualSeed(0);
    assert.ok(torch.autograd.gradcheck(fn, mk()));
  }));
}

// second order: the first derivative taken with createGraph composes a differentiable backward
const GRADGRAD: Record<string, [(...xs: Tensor[]) => Tensor, () => Tensor[]]> = {
  convTranspose2d: [(x, w, b) => F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }), () => [r64(1, 2, 2, 3), r64(2, 2, 2, 2), r64(2)]],
  conv3d: [(x, w) => F.conv3d(x, w, null, { padding: 1, stride: 2 }), () => [r64(1, 1, 3, 2, 3), r64(2, 1, 2, 2, 2)]],
  "interpolate bilinear": [(x) => F.interpolate(x, { scaleFactor: 1.5, mode: "bilinear" }), () => [r64(1, 1, 2, 3)]],
  "pad reflect": [(x) => F.pad(x, [1, 1, 1, 0], "reflect"), () => [r64(1, 1, 2, 3)]],
  "pad circular": [(x) => F.pad(x, [1, 1], "circular"), () => [r64(1, 2, 3)]],
  unfold: [(x) => F.unfold(x, 2, { padding: 1 }), () => [r64(1, 1, 3, 3)]],
  fold: [(x) => F.fold(x, [3, 3], 2), () => [r64(1, 4, 4)]],
};
for (const [name, [fn, mk]] of Object.entries(GRADGRAD)) for (const backend of BACKENDS) {
  test(`gradgradcheck (float64): ${name}${backend === "wasm" ? "" : ` [${backend}]`}`, () => onBackend(backend, () => {
    torch.manualSeed(0);
    const first = (...xs: Tensor[]) =>
      torch.enableGrad(() => {
        const y = fn(...xs);
        const gs = torch.autograd.grad(y.mul(y).sum(), xs, { createGraph: true });
        return torch.cat(gs.map((g) => g!.reshape(-1)));
      });
    assert.ok(torch.autograd.gradcheck(first, mk()));
  }));
}
