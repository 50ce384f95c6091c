// The fused optimizer updates (Backend.sgdStep / adamStep / rmspropStep / adagradStep, src/backend/cpu/optim.ts and
// src/backend/wasm/optim.ts) against the updates composed from tensor ops, and against PyTorch.
// The reference backend's fused update must give the composed update's bits (parameters and state,
// every step), move the version counters as the composed in-place ops do and leave the same state
// dict; the fast backend's within float tolerance of it, and its float32 wasm kernels (optim.wat)
// bit for bit where relaxed_madd fuses. Tensors a fused kernel does not take (strided views,
// differentiable groups, a gradient of another dtype) go the composed way.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as torch from "../src/index.js";
import { Tensor } from "../src/tensor/tensor.js";
import { float32, float64, type DType } from "../src/tensor/dtype.js";
import * as optim from "../src/optim/index.js";
import { toCamel } from "../src/optim/optimizer.js";
import { setFusedUpdates } from "../src/optim/_fused.js";
import { cpuBackend } from "../src/backend/cpu/index.js";
import { wasmBackend } from "../src/backend/wasm/index.js";
import type { Backend, View } from "../src/backend/backend.js";
import {
  OPTIM_WASM_MIN, OPTIM_WASM_MIN_SGD, optimWasmVariant, setOptimOnArena, setOptimWasmMin, setOptimWasmVariant, type OptimWasmVariant,
} from "../src/backend/wasm/optim.js";
import { onBackend, exactly, assertClose, EPS, type BackendName } from "./helpers/numerics.js";
import { emptyLasting, isLasting } from "../src/ops/creation.js";
import { matmulThreadsSupported } from "../src/backend/cpu/wasm/index.js";

const dtypes: Record<string, DType> = { float32, float64 };

function withFused<T>(on: boolean, fn: () => T): T {
  const was = setFusedUpdates(on);
  try {
    return fn();
  } finally {
    setFusedUpdates(was);
  }
}

/** The elements of t as they are stored, for bit-for-bit comparison (NaN payloads aside). */
function valuesOf(t: Tensor): number[] {
  return exactly(() => t.detach().flatten().tolist() as number[]);
}

function bitsEqual(got: number[], want: number[], what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++)
    if (!Object.is(got[i], want[i])) assert.fail(`${what}[${i}]: got ${got[i]}, want ${want[i]} (${got.filter((x, j) => !Object.is(x, want[j])).length} of ${want.length} differ)`);
}

type Make = (params: optim.ParamGroupInput[] | Tensor[]) => optim.Optimizer;
interface Record_ {
  params: number[][][]; // [step][param] -> values
  state: Record<string, number[]>[][]; // [step][param] -> key -> values
  versions: number[][]; // [step][param, then state tensors]
  stateDict: unknown;
}

/** The parameters: odd sizes (a vector loop's tail), a matrix, a 0-d tensor, an empty one. */
const SHAPES: number[][] = [[37], [3, 5], [], [0], [16, 33]];

/**
 * Runs `steps` steps of the optimizer from `make` on fixed parameters and gradients, the update on
 * `backend` with fused updates on or off; the gradients are computed with PyTorch's bits from the
 * parameters (so two runs with the same trajectory see the same gradients). `groups` puts the last
 * two parameters in a second group with half the lr; `schedule` steps an ExponentialLR after each step;
 * `shapes`: the parameters' shapes (default SHAPES).
 */
function run(make: Make, dtype: DType, steps: number, backend: BackendName, fused: boolean,
  { groups = false, schedule = false, shapes = SHAPES, lasting = false }: { groups?: boolean; schedule?: boolean; shapes?: number[][]; lasting?: boolean } = {}): Record_ {
  const [params, targets] = exactly(() => {
    torch.manualSeed(7);
    const ps = shapes.map((s) => torch.randn(s).to(dtype).requiresGrad_());
    const ts = shapes.map((s) => torch.randn(s).to(dtype));
    return [ps, ts] as const;
  });
  // `lasting`: the parameters, their gradients and (made by the optimizer) its state in the fast
  // backend's lasting memory, as nn modules' parameters are (updated there in place)
  const place = (t: Tensor): Tensor => (lasting ? onBackend("wasm", () => torch.noGrad(() => emptyLasting(t.shape, { dtype }).copy_(t))) : t);
  if (lasting)
    params.forEach((p, i) => {
      params[i] = place(p).requiresGrad_();
      params[i]!._version.value = 0; // as a fresh parameter's (the copy in is not the run's)
    });
  const opt = groups ? make([{ params: params.slice(0, 3) }, { params: params.slice(3), lr: 0.02 }]) : make(params);
  const sched = schedule ? new optim.lr_scheduler.ExponentialLR(opt, 0.7) : null;
  const rec: Record_ = { params: [], state: [], versions: [], stateDict: null };
  for (let step = 1; step <= steps; step++) {
    exactly(() => {
      torch.manualSeed(100 + step);
      torch.noGrad(() => {
        params.forEach((p, i) => {
          p.grad = place(p.detach().sub(targets[i]!).mul(0.5).add(torch.randn(shapes[i]!).to(dtype).mul(0.1)));
        });
      });
    });
    onBackend(backend, () => withFused(fused, () => opt.step()));
    sched?.step();
    rec.params.push(params.map(valuesOf));
    rec.state.push(params.map((p) => {
      const s = opt.state.get(p) ?? {};
      const o: Record<string, number[]> = {};
      for (const [k, v] of Object.entries(s)) if (v instanceof Tensor) o[k] = valuesOf(v);
      return o;
    }));
    rec.versions.push(params.flatMap((p) => [p._version.value, ...Object.values(opt.state.get(p) ?? {}).filter((v) => v instanceof Tensor).map((v) => (v as Tensor)._version.value)]));
  }
  const sd = opt.stateDict();
  rec.stateDict = {
    param_groups: sd.param_groups,
    state: Object.fromEntries(Object.entries(sd.state).map(([k, s]) => [k, Object.fromEntries(Object.entries(s).map(([key, v]) =>
      [key, v instanceof Tensor ? { dtype: v.dtype.name, shape: v.shape, strides: v.strides } : v]))])),
  };
  return rec;
}

function assertSameRun(got: Record_, want: Record_, what: string): void {
  want.params.forEach((ps, s) => ps.forEach((v, i) => bitsEqual(got.params[s]![i]!, v, `${what}: param ${i} after step ${s + 1}`)));
  want.state.forEach((st, s) => st.forEach((o, i) => {
    assert.deepEqual(Object.keys(got.state[s]![i]!).sort(), Object.keys(o).sort(), `${what}: state keys of param ${i}`);
    for (const [k, v] of Object.entries(o)) bitsEqual(got.state[s]![i]![k]!, v, `${what}: state ${i}.${k} after step ${s + 1}`);
  }));
  assert.deepEqual(got.versions, want.versions, `${what}: version counters`);
  assert.deepEqual(got.stateDict, want.stateDict, `${what}: state dict`);
}

/** got within float tolerance of want: a few ulps per step, as the steps compound them. */
function assertCloseRun(got: Record_, want: Record_, dtype: DType, what: string): void {
  const eps = dtype === float32 ? EPS.float32 : EPS.float64;
  want.params.forEach((ps, s) => ps.forEach((v, i) => {
    // NOTE: the fast backend's TypeScript loops (short tensors, float64) round each multiply-add
    // twice (float64, then the dtype) instead of once, and its plain-SIMD wasm build (where
    // relaxed_madd does not fuse) rounds the product first: an ulp where PyTorch's fused rounding
    // differs, at most a couple per element per step. (The relaxed build is exact: tested below.)
    const tol = 8 * (s + 1) * eps;
    assertClose(got.params[s]![i]!, v, `${what}: param ${i} after step ${s + 1}`, tol, tol);
  }));
  assert.deepEqual(got.versions, want.versions, `${what}: version counters`);
  assert.deepEqual(got.stateDict, want.stateDict, `${what}: state dict`);
}

const SGD_CASES: Record<string, unknown>[] = [];
for (const momentum of [0, 0.9])
  for (const dampening of momentum ? [0, 0.3] : [0])
    for (const nesterov of momentum && !dampening ? [false, true] : [false])
      for (const weightDecay of [0, 0.1])
        for (const maximize of [false, true]) SGD_CASES.push({ lr: 0.05, momentum, dampening, nesterov, weightDecay, maximize });

const ADAM_CASES: Record<string, unknown>[] = [];
for (const amsgrad of [false, true])
  for (const weightDecay of [0, 0.1])
    for (const maximize of [false, true]) ADAM_CASES.push({ lr: 0.05, amsgrad, weightDecay, maximize });
ADAM_CASES.push({ lr: 0.01, betas: [0.8, 0.99], eps: 1e-6, amsgrad: false, weightDecay: 0, maximize: false });

const RMSPROP_CASES: Record<string, unknown>[] = [];
for (const centered of [false, true])
  for (const momentum of [0, 0.9])
    for (const weightDecay of [0, 0.1])
      for (const maximize of [false, true]) RMSPROP_CASES.push({ lr: 0.01, alpha: 0.9, centered, momentum, weightDecay, maximize });

const ADAGRAD_CASES: Record<string, unknown>[] = [];
for (const lrDecay of [0, 0.01])
  for (const weightDecay of [0, 0.1])
    for (const maximize of [false, true]) ADAGRAD_CASES.push({ lr: 0.1, lrDecay, weightDecay, maximize, initialAccumulatorValue: lrDecay ? 0.5 : 0 });

const OPTIMIZERS: [string, Make, Record<string, unknown>][] = [
  ...SGD_CASES.map((o): [string, Make, Record<string, unknown>] => ["SGD", (p) => new optim.SGD(p as Tensor[], o), o]),
  ...ADAM_CASES.map((o): [string, Make, Record<string, unknown>] => ["Adam", (p) => new optim.Adam(p as Tensor[], o), o]),
  ...ADAM_CASES.map((o): [string, Make, Record<string, unknown>] => ["AdamW", (p) => new optim.AdamW(p as Tensor[], { ...o, weightDecay: (o["weightDecay"] as number) * 5 }), o]),
  ...RMSPROP_CASES.map((o): [string, Make, Record<string, unknown>] => ["RMSprop", (p) => new optim.RMSprop(p as Tensor[], o), o]),
  ...ADAGRAD_CASES.map((o): [string, Make, Record<string, unknown>] => ["Adagrad", (p) => new optim.Adagrad(p as Tensor[], o), o]),
];

/** How many times the backend's fused primitives were called while fn ran. */
function fusedCalls(b: Backend, fn: () => void): number {
  const m = b as unknown as Record<string, unknown>;
  const names = ["sgdStep", "adamStep", "rmspropStep", "adagradStep"] as const;
  const was = names.map((k) => m[k] as (...a: unknown[]) => void);
  let n = 0;
  names.forEach((k, i) => { m[k] = (...a: unknown[]) => { n++; was[i]!.apply(b, a); }; });
  try {
    fn();
  } finally {
    names.forEach((k, i) => { m[k] = was[i]; });
  }
  return n;
}

describe("fused updates give the composed updates' bits (reference backend)", () => {
  for (const dtype of [float32, float64])
    for (const [name, make, o] of OPTIMIZERS)
      test(`${name} ${JSON.stringify(o)} ${dtype.name}`, () => {
        const composed = run(make, dtype, 6, "reference", false);
        const fused = run(make, dtype, 6, "reference", true);
        assertSameRun(fused, composed, "fused");
      });
  for (const dtype of [float32, float64])
    for (const [name, make, o] of [3, SGD_CASES.length + 2, SGD_CASES.length + 2 * ADAM_CASES.length - 1, SGD_CASES.length + 2 * ADAM_CASES.length + 13, OPTIMIZERS.length - 1].map((i) => OPTIMIZERS[i]!))
      test(`${name} ${JSON.stringify(o)} ${dtype.name}: two param groups, lr scheduled`, () => {
        const opts = { groups: true, schedule: true };
        assertSameRun(run(make, dtype, 6, "reference", true, opts), run(make, dtype, 6, "reference", false, opts), "fused");
      });
});

describe("fused updates on the fast backend stay close to the composed updates' bits", () => {
  for (const dtype of [float32, float64])
    for (const [name, make, o] of OPTIMIZERS)
      test(`${name} ${JSON.stringify(o)} ${dtype.name}`, () => {
        const composed = run(make, dtype, 6, "reference", false);
        const fused = run(make, dtype, 6, "wasm", true, {});
        assertCloseRun(fused, composed, dtype, "fast fused");
      });
  test("the fast backend has its own fused kernels, the reference its exact ones", () => {
    for (const k of ["sgdStep", "adamStep", "rmspropStep", "adagradStep"] as const) {
      assert.ok(cpuBackend[k] && wasmBackend[k], k);
      assert.notEqual(wasmBackend[k], cpuBackend[k], k);
    }
  });
});

// ---- the fast backend's float32 kernels (src/backend/wasm/optim.wat and the TypeScript loops)
// against the reference's, primitive by primitive: each option, sizes below the wasm threshold,
// odd sizes (a vector loop's tail), sizes over several 4096-float chunks, views at an offset.
// NOTE: what is claimed. The relaxed build, where relaxed_madd fuses (x86 with FMA3, ARM64), is the
// reference's bits: parameters and state, every step. The plain-SIMD build rounds each multiply-add
// twice: its error is half an ulp of the product, which cancellation can make large against the
// result, so the bound is absolute on these O(1) data: |got - want| <= 2 ulp(1) (1 + |want|) per
// step from the same inputs (measured worst: 1.4). The TypeScript loops (short tensors) round
// fr(x * y + z), off only at float32 midpoints: the same bound.

/** One primitive call with one option combination: `arrays` operands (param, grad, then state). */
interface KernelCase { name: string; arrays: number; call: (b: Backend, v: View[]) => void }

const KERNEL_CASES: Record<string, KernelCase[]> = { SGD: [], Adam: [], RMSprop: [], Adagrad: [] };
for (const weightDecay of [0, 0.1])
  for (const momentum of [0, 0.9])
    for (const dampening of momentum ? [0, 0.3] : [0])
      for (const nesterov of momentum ? [false, true] : [false])
        for (const firstStep of momentum ? [false, true] : [false])
          for (const maximize of [false, true]) {
            const o = { lr: 0.05, momentum, dampening, weightDecay, nesterov, maximize, firstStep };
            KERNEL_CASES["SGD"]!.push({ name: JSON.stringify(o), arrays: 3, call: (b, v) => b.sgdStep!(v[0]!, v[1]!, momentum ? v[2]! : null, o) });
          }
for (const amsgrad of [false, true])
  for (const weightDecay of [0, 0.1])
    for (const decoupled of [false, true])
      for (const maximize of [false, true]) {
        const o = { lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay, amsgrad, maximize, decoupled,
          stepSize: 0.05 / (1 - 0.9 ** 3), biasCorrection2Sqrt: Math.sqrt(1 - 0.999 ** 3) };
        KERNEL_CASES["Adam"]!.push({ name: JSON.stringify(o), arrays: 5, call: (b, v) => b.adamStep!(v[0]!, v[1]!, v[2]!, v[3]!, amsgrad ? v[4]! : null, o) });
      }
for (const centered of [false, true])
  for (const momentum of [0, 0.9])
    for (const weightDecay of [0, 0.1])
      for (const maximize of [false, true]) {
        const o = { lr: 0.01, alpha: 0.9, eps: 1e-8, weightDecay, momentum, centered, maximize };
        KERNEL_CASES["RMSprop"]!.push({ name: JSON.stringify(o), arrays: 5, call: (b, v) => b.rmspropStep!(v[0]!, v[1]!, v[2]!, centered ? v[3]! : null, momentum ? v[4]! : null, o) });
      }
for (const weightDecay of [0, 0.1])
  for (const maximize of [false, true]) {
    const o = { clr: 0.1, eps: 1e-10, weightDecay, maximize };
    KERNEL_CASES["Adagrad"]!.push({ name: JSON.stringify(o), arrays: 3, call: (b, v) => b.adagradStep!(v[0]!, v[1]!, v[2]!, o) });
  }

/** Sizes: short ones, odd ones (tails of 1-3), one chunk, two chunks and a tail, several chunks. */
const KERNEL_SIZES = [1, 3, 5, 37, 64, 191, 192, 1001, 4096, 8195];

/**
 * The operands of one case: param and grad in (-1, 1), state in [0.05, 0.1), each at `offset` into a
 * storage 2 longer than it needs, and the first elements of each special: signed zeros, subnormals, an
 * infinity and a NaN in the gradient, zero and subnormal state.
 * NOTE: the state is positive (Adam's and RMSprop's square averages are) and keeps centered RMSprop's
 * sq - ga^2 away from cancellation (ga^2 < sq / 5), where an unfused multiply-add's error (half an ulp
 * of ga^2) would be divided by a tiny sqrt: the plain build's bound holds for well-conditioned data.
 */
function kernelOperands(arrays: number, n: number, offset: number, seed: number): Float32Array[] {
  let s = seed;
  const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  return Array.from({ length: arrays }, (_, j) => {
    const a = new Float32Array(offset + n + 2);
    for (let i = 0; i < a.length; i++) a[i] = j < 2 ? rnd() * 2 - 1 : 0.05 + rnd() * 0.05;
    if (n >= 12) {
      const o = offset;
      if (j === 0) { a[o] = -0; a[o + 1] = 0; a[o + 2] = 1e-40; a[o + 3] = -3e-39; }
      if (j === 1) { a[o] = 0; a[o + 1] = -0; a[o + 2] = -1e-41; a[o + 3] = 2e-39; a[o + 9] = Infinity; a[o + 10] = NaN; }
      if (j >= 2) { a[o + 4] = 0; a[o + 5] = 1e-42; }
    }
    return a;
  });
}

const viewOf = (a: Float32Array, offset: number, n: number): View => ({ storage: a, dtype: float32, shape: [n], strides: [1], offset });

/** Runs fn with the fast backend's float32 updates on `variant`, wasm from length `min` on. */
function withWasm<T>(variant: OptimWasmVariant | null | undefined, min: number | null, fn: () => T): T {
  const wasV = setOptimWasmVariant(variant), wasM = setOptimWasmMin(min);
  try {
    return fn();
  } finally {
    setOptimWasmVariant(wasV);
    setOptimWasmMin(wasM);
  }
}

/**
 * Three steps of case c on the reference and on the fast backend from the same operands (the fast
 * one's copied from the reference's before each step, so errors do not compound); `check` compares
 * each array after each step. The elements outside the view must be left alone.
 */
function compareKernels(c: KernelCase, n: number, offset: number, check: (got: Float32Array, want: Float32Array, what: string) => void): void {
  const want = kernelOperands(c.arrays, n, offset, 1000 + n + offset);
  const untouched = want.map((a) => [...a.subarray(0, offset), ...a.subarray(offset + n)]);
  for (let step = 1; step <= 3; step++) {
    const got = want.map((a) => a.slice());
    c.call(cpuBackend, want.map((a) => viewOf(a, offset, n)));
    c.call(wasmBackend, got.map((a) => viewOf(a, offset, n)));
    for (let j = 0; j < c.arrays; j++) {
      const what = `${c.name} n ${n} offset ${offset} step ${step} array ${j}`;
      check(got[j]!.subarray(offset, offset + n), want[j]!.subarray(offset, offset + n), what);
      bitsEqual([...got[j]!.subarray(0, offset), ...got[j]!.subarray(offset + n)], untouched[j]!, `${what}: outside the view`);
    }
  }
}

const closeF32 = (got: Float32Array, want: Float32Array, what: string): void => assertClose(got, want, what, 2 * EPS.float32, 2 * EPS.float32);
/** bitsEqual for float32 arrays, fast where they agree (NaN payloads aside, as there). */
function sameBits(got: Float32Array, want: Float32Array, what: string): void {
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!, w = want[i]!;
    if (g === w ? g === 0 && 1 / g !== 1 / w : !(g !== g && w !== w)) bitsEqual(Array.from(got), Array.from(want), what);
  }
  assert.equal(got.length, want.length, `${what}: length`);
}

describe("the fast backend's float32 updates (wasm and TypeScript) against the reference's", () => {
  const relaxedHere = optimWasmVariant() === "relaxed";
  test("the wasm kernels load; relaxed where relaxed_madd fuses", () => {
    assert.notEqual(optimWasmVariant(), null, "wasm SIMD is available in Node 22+");
    assert.ok(OPTIM_WASM_MIN > 0 && OPTIM_WASM_MIN_SGD >= OPTIM_WASM_MIN);
    // x86-64 with FMA3 and ARM64 fuse; this machine (AMD EPYC) does
    if (process.arch === "x64" || process.arch === "arm64") assert.equal(optimWasmVariant(), "relaxed");
  });
  for (const [opt, cases] of Object.entries(KERNEL_CASES)) {
    test(`${opt}: the relaxed build gives the reference's bits (${cases.length} option sets)`, { skip: relaxedHere ? false : "relaxed_madd does not fuse here" }, () => {
      withWasm("relaxed", 1, () => {
        for (const c of cases) for (const n of KERNEL_SIZES) for (const offset of [0, 3]) compareKernels(c, n, offset, sameBits);
      });
    });
    test(`${opt}: the plain-SIMD build within 2 ulp (${cases.length} option sets)`, () => {
      withWasm("plain", 1, () => {
        for (const c of cases) for (const n of KERNEL_SIZES) for (const offset of [0, 5]) compareKernels(c, n, offset, closeF32);
      });
    });
    test(`${opt}: the TypeScript loops within 2 ulp (${cases.length} option sets)`, () => {
      withWasm(null, null, () => {
        for (const c of cases) for (const n of [1, 5, 37, 1001]) for (const offset of [0, 3]) compareKernels(c, n, offset, closeF32);
      });
    });
    test(`${opt}: the default choice (TypeScript below the threshold, wasm from it on)`, () => {
      withWasm(undefined, null, () => {
        for (const c of cases) for (const n of KERNEL_SIZES) compareKernels(c, n, 1, relaxedHere && n >= (opt === "SGD" ? OPTIM_WASM_MIN_SGD : OPTIM_WASM_MIN) ? sameBits : closeF32);
      });
    });
  }
  test("the relaxed build is tier-up proof: 60 more steps of Adam amsgrad on 8195 elements, bit for bit", { skip: relaxedHere ? false : "relaxed_madd does not fuse here" }, () => {
    const c = KERNEL_CASES["Adam"]!.find((k) => k.name.includes("\"amsgrad\":true") && k.name.includes("\"weightDecay\":0.1"))!;
    withWasm("relaxed", 1, () => {
      const want = kernelOperands(c.arrays, 8195, 0, 7), got = want.map((a) => a.slice());
      for (let step = 0; step < 60; step++) {
        c.call(cpuBackend, want.map((a) => viewOf(a, 0, 8195)));
        c.call(wasmBackend, got.map((a) => viewOf(a, 0, 8195)));
      }
      for (let j = 0; j < c.arrays; j++) sameBits(got[j]!, want[j]!, `array ${j}`);
    });
  });
  for (const [name, make, o] of OPTIMIZERS)
    test(`${name} ${JSON.stringify(o)} float32 past the threshold: the composed updates' bits (relaxed)`, { skip: relaxedHere ? false : "relaxed_madd does not fuse here" }, () => {
      const shapes = [[200], [16, 33], [2, 4099]];
      const composed = run(make, float32, 4, "reference", false, { shapes });
      const fused = run(make, float32, 4, "wasm", true, { shapes });
      assertSameRun(fused, composed, "fast fused");
    });
  // parameters, gradients and state in the kernels' shared memory: updated where they lie, in one
  // call over all but a tail of under 4 elements (8198 = 4 * 2049 + 2), or in chunks where a general
  // loop's option array is off (its spare slot holds one chunk)
  for (const [name, make, o] of OPTIMIZERS)
    test(`${name} ${JSON.stringify(o)} float32 living in the kernels' memory: the composed updates' bits (relaxed, in place)`, { skip: !relaxedHere ? "relaxed_madd does not fuse here" : !matmulThreadsSupported() ? "no shared memory here" : false }, () => {
      const shapes = [[200], [16, 33], [2, 4099], [7]];
      const composed = run(make, float32, 4, "reference", false, { shapes });
      const fused = run(make, float32, 4, "wasm", true, { shapes, lasting: true });
      assertSameRun(fused, composed, "fast fused in place");
      // the same tensors through the module's own memory (copied in and out of the shared one)
      const was = setOptimOnArena(false);
      try {
        assertSameRun(run(make, float32, 4, "wasm", true, { shapes, lasting: true }), composed, "fast fused, lasting tensors copied");
      } finally {
        setOptimOnArena(was);
      }
    });
  test("a parameter living in the kernels' memory has its gradient and optimizer state there", { skip: matmulThreadsSupported() ? false : "no shared memory here" }, () => {
    onBackend("wasm", () => {
      const m = new torch.nn.Linear(30, 20);
      assert.ok(isLasting(m.weight) && isLasting(m.bias!), "nn.Linear's parameters");
      const opt = new optim.Adam(m.parameters(), { lr: 0.01 });
      m(torch.randn(5, 30)).sum().backward();
      assert.ok(isLasting(m.weight.grad!), "the first .grad");
      opt.step();
      for (const v of Object.values(opt.state.get(m.weight)!)) if (v instanceof Tensor && v.numel() > 1) assert.ok(isLasting(v), "Adam's state");
      // a plain tensor's gradient stays on the JS heap (the lasting memory is for what lives long)
      const x = torch.randn(8, 8).requiresGrad_();
      x.sum().backward();
      assert.ok(!isLasting(x) && !isLasting(x.grad!));
    });
  });
});

describe("fused updates reproduce PyTorch's trajectories (test/fixtures/bitwise.json)", () => {
  const fx = JSON.parse(readFileSync(new URL("./fixtures/bitwise.json", import.meta.url), "utf8"));
  type OptCase = { optimizer: string; options: Record<string, unknown>; dtype: string; steps: number; trajectory: Record<string, string> };
  const randn = (shape: number | number[], dtype: DType): Tensor => {
    if (dtype === float32) return torch.randn(shape);
    return torch.randn(shape).double().add(torch.randn(shape).double().mul(1e-7));
  };
  for (const c of (fx.optimizers as OptCase[]).filter((c) => ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"].includes(c.optimizer)))
    for (const backend of ["reference", "wasm"] as const)
      test(`${c.optimizer} ${JSON.stringify(c.options)} ${c.dtype} on ${backend}`, () => {
        const dtype = dtypes[c.dtype]!;
        const [p1, p2, t1, t2] = exactly(() => {
          torch.manualSeed(1);
          return [randn(37, dtype), randn([3, 5], dtype), randn(37, dtype), randn([3, 5], dtype)];
        });
        p1.requiresGrad_(); p2.requiresGrad_();
        const opts: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(c.options)) opts[toCamel(k)] = v;
        const opt = new (optim as unknown as Record<string, new (p: unknown, o: unknown) => optim.Optimizer>)[c.optimizer]!([p1, p2], opts);
        const b = backend === "reference" ? cpuBackend : wasmBackend;
        let calls = 0;
        for (let step = 1; step <= c.steps; step++) {
          exactly(() => {
            torch.manualSeed(100 + step);
            torch.noGrad(() => {
              for (const [p, t] of [[p1, t1], [p2, t2]] as const) p.grad = p.detach().sub(t).mul(0.5).add(randn([...p.shape], dtype).mul(0.1));
            });
          });
          calls += fusedCalls(b, () => onBackend(backend, () => withFused(true, () => opt.step())));
          const want = c.trajectory[String(step)];
          if (want === undefined) continue;
          const got = [...valuesOf(p1), ...valuesOf(p2)];
          const buf = Buffer.from(want, "base64");
          const ref = Array.from(dtype === float32 ? new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length))
            : new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length)));
          if (backend === "reference") bitsEqual(got, ref, `params after step ${step}`);
          else {
            const eps = dtype === float32 ? EPS.float32 : EPS.float64;
            assertClose(got, ref, `params after step ${step}`, 8 * step * eps, 8 * step * eps);
          }
        }
        assert.equal(calls, 2 * c.steps, "every step of both parameters went through the fused kernel");
      });
});

describe("what the fused path leaves to the composed one", () => {
  const sgd = (p: Tensor[], o: Record<string, unknown> = {}) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, ...o });
  /** Two optimizers on equal parameters, one fused and one composed, on the reference: same bits. */
  function both(makeParam: () => Tensor, make: (p: Tensor[]) => optim.Optimizer, grad: (p: Tensor) => Tensor): { fusedCalls: number } {
    const results: number[][] = [];
    let calls = 0;
    for (const fused of [true, false]) {
      const p = exactly(() => { torch.manualSeed(3); return makeParam(); });
      const opt = make([p]);
      for (let i = 0; i < 3; i++) {
        // (set past the .grad setter: PyTorch's setter refuses a gradient of another dtype, which the
        // fused path must still leave to the composed one if one gets there, e.g. through a hook)
        p._grad = exactly(() => torch.noGrad(() => grad(p)));
        const n = fusedCalls(cpuBackend, () => onBackend("reference", () => withFused(fused, () => opt.step())));
        if (fused) calls += n;
      }
      results.push(valuesOf(p));
    }
    bitsEqual(results[0]!, results[1]!, "fused vs composed");
    return { fusedCalls: calls };
  }

  test("a strided (transposed) parameter", () => {
    const { fusedCalls } = both(() => torch.randn(5, 3).t().requiresGrad_(), (p) => sgd(p), (p) => p.detach().mul(0.5));
    assert.equal(fusedCalls, 0);
  });
  test("a strided gradient", () => {
    const { fusedCalls } = both(() => torch.randn(3, 5).requiresGrad_(), (p) => sgd(p), (p) => {
      const g = p.detach().mul(0.5).t().contiguous().t(); // [3, 5] with strides [1, 3]
      assert.equal(g.isContiguous(), false);
      return g;
    });
    assert.equal(fusedCalls, 0);
  });
  test("a gradient of another dtype", () => {
    const { fusedCalls } = both(() => torch.randn(4).requiresGrad_(), (p) => sgd(p, { momentum: 0 }), (p) => p.detach().double().mul(0.5));
    assert.equal(fusedCalls, 0);
  });
  test("a differentiable group", () => {
    const { fusedCalls } = both(() => torch.randn(4).requiresGrad_(), (p) => new optim.Adam([{ params: p, differentiable: true }], { lr: 0.1 }), (p) => p.detach().mul(0.5));
    assert.equal(fusedCalls, 0);
  });
  test("a parameter at an offset into its storage takes the fused path", () => {
    const { fusedCalls } = both(() => {
      const t = torch.randn(3, 5).select(0, 1).detach().requiresGrad_();
      assert.equal(t.storageOffset(), 5);
      return t;
    }, (p) => new optim.Adam(p, { lr: 0.1, amsgrad: true }), (p) => p.detach().mul(0.5));
    assert.equal(fusedCalls, 3);
  });
  test("a plain parameter takes the fused path", () => {
    const { fusedCalls } = both(() => torch.randn(4).requiresGrad_(), (p) => sgd(p), (p) => p.detach().mul(0.5));
    assert.equal(fusedCalls, 3);
  });
  test("amsgrad turned on after the first step: the composed path's error", () => {
    for (const fused of [true, false]) {
      const p = torch.randn(4).requiresGrad_();
      const opt = new optim.Adam([p], { lr: 0.1 });
      p.grad = torch.ones(4);
      withFused(fused, () => opt.step());
      opt.paramGroups[0]!["amsgrad"] = true;
      assert.throws(() => withFused(fused, () => opt.step()), TypeError);
    }
  });
});

describe("fused updates keep autograd's bookkeeping", () => {
  for (const backend of ["reference", "wasm"] as const)
    test(`a tensor saved for backward and then updated by step() cannot be backpropagated (${backend})`, () => {
      for (const [name, make] of [["SGD", (p: Tensor[]) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 })], ["AdamW", (p: Tensor[]) => new optim.AdamW(p)]] as const) {
        onBackend(backend, () => {
          const w = torch.randn(3).requiresGrad_();
          const opt = make([w]);
          w.mul(w).sum().backward();
          const y = w.mul(w).sum(); // saves w (version v)
          assert.equal(fusedCalls(backend === "reference" ? cpuBackend : wasmBackend, () => opt.step()), 1, name);
          assert.throws(() => y.backward(), /modified by an inplace operation/, name);
        });
      }
    });
  test("state dicts saved after fused steps load into a composed optimizer and continue identically", () => {
    const make = (p: Tensor[]) => new optim.Adam(p, { lr: 0.05, amsgrad: true, weightDecay: 0.1 });
    const grads = (p: Tensor, i: number) => torch.noGrad(() => p.detach().mul(0.3).add(torch.full([5], 0.1 * i)));
    const finalOf = (switchAt: number) => exactly(() => {
      torch.manualSeed(5);
      const p = torch.randn(5).requiresGrad_();
      let opt = make([p]);
      for (let i = 0; i < 6; i++) {
        if (i === switchAt) {
          const sd = opt.stateDict();
          opt = make([p]);
          opt.loadStateDict(sd);
        }
        p.grad = grads(p, i);
        withFused(i < switchAt, () => opt.step());
      }
      return valuesOf(p);
    });
    bitsEqual(finalOf(3), finalOf(0), "fused then composed vs composed throughout");
  });
});

describe("the exact kernels' multiply-adds round once", () => {
  // NOTE: p + (-lr) * g with p = 1 + 2^-23, lr = 1 + 2^-23, g = -2^-24 (1 - 2^-23): the exact value
  // 1 + 2^-23 + 2^-24 - 2^-70 rounds to float64 exactly on the float32 midpoint 1 + 2^-23 + 2^-24,
  // which float32 rounding then sends to even (1 + 2^-22): one ulp off. PyTorch's FMA (and fmaF)
  // round once: 1 + 2^-23.
  test("SGD's p.add_(d, alpha = -lr) at a double-rounding midpoint", () => {
    for (const fused of [true, false]) {
      const got = exactly(() => {
        const p = torch.tensor([1 + 2 ** -23]).requiresGrad_();
        p.grad = torch.tensor([-(2 ** -24) * (1 - 2 ** -23)]);
        withFused(fused, () => new optim.SGD([p], { lr: 1 + 2 ** -23 }).step());
        return valuesOf(p)[0];
      });
      assert.equal(got, 1 + 2 ** -23, fused ? "fused" : "composed");
    }
  });
  test("SGD over values of wide exponents, lr 1 and lr 0.3", () => {
    const n = 20000;
    const vals = (seed: number) => {
      const out: number[] = [];
      let s = seed;
      for (let i = 0; i < n; i++) {
        s = (s * 1103515245 + 12345) % 2147483648;
        const m = (s % 65536) / 65536 + 0.5, e = ((s >> 16) % 60) - 30;
        out.push(Math.fround((s & 1 ? -1 : 1) * m * 2 ** e));
      }
      return out;
    };
    for (const lr of [1, 0.3]) {
      const results = [true, false].map((fused) => exactly(() => {
        const p = torch.tensor(vals(1)).requiresGrad_();
        p.grad = torch.tensor(vals(2));
        withFused(fused, () => new optim.SGD([p], { lr, maximize: lr === 1 }).step());
        return valuesOf(p);
      }));
      bitsEqual(results[0]!, results[1]!, `lr ${lr}: fused vs composed`);
    }
  });
});
