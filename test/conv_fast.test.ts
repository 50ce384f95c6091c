// The fast backend's fused convolution and pooling kernels (src/backend/wasm/conv.ts) against the
// composed path that the reference backend runs (src/nn/conv_functional.ts), against PyTorch's
// fixtures (test/fixtures/nn.json), and against finite differences (gradcheck in float64).
// NOTE: every case here picks its backend itself, so the file means the same under TYPETORCH_EXACT=1.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import * as torch from "../src/index.js";
import * as nn from "../src/nn/index.js";
import { Tensor } from "../src/tensor/tensor.js";
import { wasmBackend } from "../src/backend/wasm/index.js";
import { setConvOnArena, setConvWasm } from "../src/backend/wasm/conv.js";
import { matmulInPlaceOperands, matmulThreadsSupported } from "../src/backend/cpu/wasm/index.js";

const F = nn.functional;
const d64 = { dtype: torch.float64 };
const EPS32 = 2 ** -24;

// ---------------------------------------------------------------- which primitive ran
const FUSED = ["conv2d", "conv2dBackward", "maxPool2d", "maxPool2dBackward", "avgPool2d", "avgPool2dBackward"] as const;
type Fused = (typeof FUSED)[number];
const calls: Record<Fused, number> = Object.fromEntries(FUSED.map((k) => [k, 0])) as Record<Fused, number>;
const originals = new Map<Fused, unknown>();
for (const k of FUSED) {
  const f = wasmBackend[k] as ((...a: unknown[]) => unknown) | undefined;
  assert.ok(f, `the wasm backend gives ${k}`);
  originals.set(k, f);
  (wasmBackend as unknown as Record<string, unknown>)[k] = function (this: unknown, ...a: unknown[]) {
    calls[k]++;
    return f.apply(this, a);
  };
}
after(() => {
  for (const [k, f] of originals) (wasmBackend as unknown as Record<string, unknown>)[k] = f;
});
/** Runs f on the fast backend (exact = false) or the reference, and counts the fused calls it made. */
function on<T>(exact: boolean, f: () => T): { r: T; used: Record<Fused, number> } {
  const was = torch.areExactNumericsEnabled();
  for (const k of FUSED) calls[k] = 0;
  torch.useExactNumerics(exact);
  try {
    const r = f();
    return { r, used: { ...calls } };
  } finally {
    torch.useExactNumerics(was);
  }
}

const vals = (t: Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number>, Number);

/**
 * |got - want| <= tol * scale + slack * |want| elementwise, where `scale` bounds the terms' magnitudes
 * (the same computation on absolute values), so a float32 sum of K terms gets an error of a few
 * sqrt(K) ulps of the sum of |terms| and no more.
 */
function near(got: Tensor, want: Tensor, scale: Tensor, tol: number, what: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  const g = vals(got), w = vals(want), s = vals(scale);
  for (let i = 0; i < g.length; i++) {
    const err = Math.abs(g[i]! - w[i]!);
    assert.ok(err <= tol * s[i]! + 1e-300, `${what}[${i}]: got ${g[i]}, expected ${w[i]} (error ${err}, allowed ${tol * s[i]!})`);
  }
}

// ---------------------------------------------------------------- convolution, fused vs composed
interface ConvCase {
  x: number[]; // N, C, H, W (or N, C, L for conv1d; leading N omitted = unbatched)
  w: number[];
  bias: boolean;
  opts: { stride?: number | number[]; padding?: number | number[] | "same" | "valid"; dilation?: number | number[]; groups?: number };
  dims?: 1 | 2;
}
const CONV: Record<string, ConvCase> = {
  "3x3 valid": { x: [2, 3, 7, 6], w: [4, 3, 3, 3], bias: true, opts: {} },
  "batch 1, no bias": { x: [1, 2, 5, 5], w: [3, 2, 3, 3], bias: false, opts: {} },
  "stride 2, padding 1": { x: [2, 3, 9, 8], w: [5, 3, 3, 3], bias: true, opts: { stride: 2, padding: 1 } },
  "stride (2, 3), padding (1, 2)": { x: [3, 2, 10, 11], w: [4, 2, 3, 4], bias: true, opts: { stride: [2, 3], padding: [1, 2] } },
  "dilation 2, padding 2": { x: [2, 2, 9, 9], w: [3, 2, 3, 3], bias: true, opts: { dilation: 2, padding: 2 } },
  "dilation (1, 3), stride (3, 1)": { x: [2, 3, 11, 12], w: [2, 3, 2, 3], bias: false, opts: { dilation: [1, 3], stride: [3, 1], padding: [2, 1] } },
  "groups 2": { x: [2, 4, 6, 7], w: [6, 2, 3, 3], bias: true, opts: { groups: 2 } },
  "depthwise (groups = C), padding 1": { x: [3, 4, 5, 6], w: [4, 1, 3, 3], bias: true, opts: { groups: 4, padding: 1 } },
  "groups 3, stride 2, dilation 2": { x: [2, 6, 11, 10], w: [9, 2, 3, 2], bias: true, opts: { groups: 3, stride: 2, dilation: 2, padding: 1 } },
  "1x1": { x: [2, 5, 4, 3], w: [7, 5, 1, 1], bias: true, opts: {} },
  "1x1 stride 2": { x: [2, 5, 5, 4], w: [3, 5, 1, 1], bias: false, opts: { stride: 2 } },
  "padding same, even kernel": { x: [2, 2, 6, 7], w: [3, 2, 4, 2], bias: true, opts: { padding: "same" } },
  "padding same, dilation 2": { x: [1, 3, 7, 8], w: [2, 3, 3, 3], bias: true, opts: { padding: "same", dilation: 2 } },
  "kernel = input": { x: [2, 3, 4, 5], w: [2, 3, 4, 5], bias: true, opts: {} },
  "padding wider than kernel": { x: [1, 2, 3, 3], w: [2, 2, 2, 2], bias: true, opts: { padding: 3 } },
  "stride larger than kernel": { x: [2, 2, 13, 13], w: [3, 2, 2, 2], bias: true, opts: { stride: 4, padding: 1 } },
  "unbatched": { x: [3, 6, 6], w: [2, 3, 3, 3], bias: true, opts: { padding: 1 } },
  "1 channel, 32 filters (MNIST first conv)": { x: [8, 1, 12, 12], w: [32, 1, 3, 3], bias: true, opts: {} },
  "many items per chunk": { x: [70, 2, 5, 5], w: [4, 2, 3, 3], bias: true, opts: { padding: 1 } },
  "conv1d": { x: [2, 3, 17], w: [4, 3, 5], bias: true, opts: { stride: 2, padding: 2 }, dims: 1 },
  "conv1d groups dilation same": { x: [2, 4, 12], w: [6, 2, 3], bias: true, opts: { groups: 2, dilation: 3, padding: "same" }, dims: 1 },
  "conv1d unbatched": { x: [3, 9], w: [2, 3, 4], bias: false, opts: {}, dims: 1 },
};

/** The case's operands in float64 (x, w, b and the output gradient), from a fixed seed. */
function convData(c: ConvCase): { x: Tensor; w: Tensor; b: Tensor | null; gy: Tensor } {
  torch.manualSeed(7);
  const x = torch.randn(c.x, d64), w = torch.randn(c.w, d64), b = c.bias ? torch.randn([c.w[0]!], d64) : null;
  const conv = c.dims === 1 ? F.conv1d : F.conv2d;
  const shape = torch.noGrad(() => conv(x, w, b, c.opts)).shape;
  return { x, w, b, gy: torch.randn(shape as number[], d64) };
}
/** Output and gradients of the case's convolution on the given backend, from operands cast to dtype. */
function convRun(c: ConvCase, dtype: torch.DType, exact: boolean, abs = false) {
  const d = convData(c);
  const prep = (t: Tensor) => (abs ? t.abs() : t).to(dtype).requiresGrad_(true);
  return on(exact, () => {
    const x = prep(d.x), w = prep(d.w), b = d.b ? prep(d.b) : null;
    const conv = c.dims === 1 ? F.conv1d : F.conv2d;
    const y = conv(x, w, b, c.opts);
    y.backward((abs ? d.gy.abs() : d.gy).to(dtype));
    return { y: y.detach(), gx: x.grad!, gw: w.grad!, gb: b ? b.grad! : null, gradFn: y.gradFn?.name() };
  });
}

for (const [name, c] of Object.entries(CONV)) {
  test(`conv fused vs composed, float64: ${name}`, () => {
    const fast = convRun(c, torch.float64, false), ref = convRun(c, torch.float64, true), scale = convRun(c, torch.float64, true, true);
    assert.equal(fast.used.conv2d, 1, "the fused forward ran");
    assert.equal(fast.used.conv2dBackward, 1, "the fused backward ran");
    assert.equal(ref.used.conv2d + ref.used.conv2dBackward, 0, "the reference composes");
    // PyTorch runs an unbatched input as a batch of one and squeezes it away
    const gradFn = c.x.length === c.w.length ? "ConvolutionBackward0" : "SqueezeBackward1";
    assert.equal(fast.r.gradFn, gradFn);
    assert.equal(ref.r.gradFn, gradFn);
    // float64: a few ulps of the sum of |terms| (the summation orders differ)
    const tol = 64 * 2 ** -52;
    near(fast.r.y, ref.r.y, scale.r.y, tol, "output");
    near(fast.r.gx, ref.r.gx, scale.r.gx, tol, "grad input");
    near(fast.r.gw, ref.r.gw, scale.r.gw, tol, "grad weight");
    if (c.bias) near(fast.r.gb!, ref.r.gb!, scale.r.gb!, tol, "grad bias");
  });
  test(`conv fused, float32 vs float64: ${name}`, () => {
    const fast = convRun(c, torch.float32, false), ref = convRun(c, torch.float64, true), scale = convRun(c, torch.float64, true, true);
    assert.equal(fast.used.conv2d, 1);
    assert.equal(fast.r.y.dtype, torch.float32);
    assert.equal(fast.r.gw.dtype, torch.float32);
    // float32 sums of n terms: the operands' own rounding (1 ulp each) plus ~sqrt(n) ulps of the sum's
    // magnitude; n is the longest sum each result takes
    const Kin = (c.w.slice(1).reduce((a, b) => a * b, 1));
    const outTerms = fast.r.y.numel() / c.w[0]!;
    const Kgx = c.w[0]! / (c.opts.groups ?? 1) * c.w.slice(2).reduce((a, b) => a * b, 1);
    const tol = (n: number) => (4 + 4 * Math.sqrt(n)) * EPS32;
    near(fast.r.y, ref.r.y, scale.r.y, tol(Kin + 1), "output");
    near(fast.r.gx, ref.r.gx, scale.r.gx, tol(Kgx), "grad input");
    near(fast.r.gw, ref.r.gw, scale.r.gw, tol(outTerms), "grad weight");
    if (c.bias) near(fast.r.gb!, ref.r.gb!, scale.r.gb!, tol(outTerms), "grad bias");
  });
}

/** convRun on the fast backend with one of conv.ts's switches off (setConvWasm, setConvOnArena), then restored. */
function convRunWithout(set: (on: boolean) => boolean, c: ConvCase, dtype: torch.DType): ReturnType<typeof convRun> {
  const was = set(false);
  try {
    return convRun(c, dtype, false);
  } finally {
    set(was);
  }
}

test("conv fused: the TypeScript im2col/col2im (no wasm) agree with the wasm ones", () => {
  // stride 1 along W takes the wasm moves; these cases run both ways
  for (const name of ["3x3 valid", "stride (2, 3), padding (1, 2)", "dilation 2, padding 2", "dilation (1, 3), stride (3, 1)", "groups 3, stride 2, dilation 2", "padding same, even kernel", "padding wider than kernel", "many items per chunk", "conv1d groups dilation same"]) {
    const c = CONV[name]!;
    for (const dtype of [torch.float32, torch.float64]) {
      const withWasm = convRun(c, dtype, false);
      const plain = convRunWithout(setConvWasm, c, dtype);
      assert.equal(plain.used.conv2d, 1);
      // the same products of the same patches: equal bits
      for (const k of ["y", "gx", "gw"] as const) assert.deepEqual(vals(plain.r[k]), vals(withWasm.r[k]), `${name} ${dtype.name} ${k}`);
    }
  }
});

test("conv fused: patches on the matmul kernels' shared memory (read and written in place) give the bits of a memory of their own", () => {
  // the in-place path needs shared memory (threads); elsewhere both runs take conv's own memory.
  // Products too small for the wasm GEMM (the conv1d case) are read from the region by TypeScript.
  const shared = matmulThreadsSupported();
  for (const name of ["3x3 valid", "dilation 2, padding 2", "dilation (1, 3), stride (3, 1)", "padding same, even kernel", "many items per chunk", "conv1d groups dilation same"]) {
    const c = CONV[name]!;
    for (const dtype of [torch.float32, torch.float64]) {
      const before = matmulInPlaceOperands();
      const onArena = convRun(c, dtype, false);
      const used = matmulInPlaceOperands() - before;
      const own = convRunWithout(setConvOnArena, c, dtype);
      if (shared && !name.startsWith("conv1d")) assert.ok(used > 0, `${name} ${dtype.name}: patches read or written in place`);
      for (const k of ["y", "gx", "gw"] as const) assert.deepEqual(vals(own.r[k]), vals(onArena.r[k]), `${name} ${dtype.name} ${k}`);
    }
  }
});

test("conv fused: non-contiguous operands (a transposed input, a sliced weight)", () => {
  torch.manualSeed(3);
  const xt = torch.randn([2, 3, 7, 6], d64).transpose(2, 3); // (2, 3, 6, 7), not contiguous
  const wBig = torch.randn([4, 6, 3, 3], d64);
  const run = (exact: boolean) =>
    on(exact, () => {
      const xv = xt.detach().requiresGrad_(true), w = wBig.detach().requiresGrad_(true);
      const y = F.conv2d(xv, w.narrow(1, 1, 3), null, { padding: 1 });
      y.backward(torch.ones(y.shape as number[], d64));
      return { y: y.detach(), gx: xv.grad!, gw: w.grad! };
    });
  const fast = run(false), ref = run(true);
  assert.equal(fast.used.conv2d, 1);
  const one = (t: Tensor) => t.abs().add(1);
  near(fast.r.y, ref.r.y, one(ref.r.y), 1e-13, "output");
  near(fast.r.gx, ref.r.gx, one(ref.r.gx), 1e-13, "grad input");
  near(fast.r.gw, ref.r.gw, one(ref.r.gw), 1e-13, "grad weight (zero outside the slice)");
});

test("conv fused: only the gradients asked for are computed (input without requiresGrad)", () => {
  torch.manualSeed(4);
  const x = torch.randn([2, 1, 6, 6]), w = torch.randn([3, 1, 3, 3]).requiresGrad_(true);
  const { r } = on(false, () => {
    const y = F.conv2d(x, w);
    y.sum().backward();
    return y;
  });
  assert.equal(x.grad, null);
  assert.ok(w.grad);
  assert.equal(r.gradFn!.name(), "ConvolutionBackward0");
});

test("conv fused: errors are the composed path's (PyTorch's)", () => {
  on(false, () => {
    assert.throws(() => F.conv2d(torch.zeros(1, 3, 5, 5), torch.zeros(2, 1, 3, 3)), /expected input\[1, 3, 5, 5\] to have 1 channels, but got 3 channels instead/);
    assert.throws(() => F.conv2d(torch.zeros(1, 1, 2, 2), torch.zeros(2, 1, 3, 3)), /Kernel size can't be greater than actual input size/);
    assert.throws(() => F.conv2d(torch.zeros(1, 1, 5, 5), torch.zeros(2, 1, 3, 3), null, { stride: 2, padding: "same" }), /padding='same' is not supported for strided convolutions/);
  });
});

test("conv: mixed dtypes fail with PyTorch's errors, before any kernel", () => {
  const { used } = on(false, () => {
    assert.throws(() => F.conv2d(torch.zeros(1, 1, 5, 5), torch.zeros([2, 1, 3, 3], d64)), { message: "expected scalar type Float but found Double" });
    assert.throws(() => F.conv2d(torch.zeros([1, 1, 5, 5], d64), torch.zeros([2, 1, 3, 3])), { message: "expected scalar type Double but found Float" });
    assert.throws(() => F.conv2d(torch.zeros(1, 1, 5, 5), torch.zeros([2, 1, 3, 3]), torch.zeros([2], d64)), { message: "Input type (float) and bias type (double) should be the same" });
  });
  assert.equal(used.conv2d, 0);
});

// ---------------------------------------------------------------- pooling, fused vs composed
interface PoolCase {
  x: number[];
  k: number | number[];
  stride?: number | number[];
  padding?: number | number[];
  dilation?: number | number[];
  ceil?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number;
}
const POOL: Record<string, PoolCase> = {
  "2x2": { x: [2, 3, 8, 6], k: 2 },
  "2x2, odd size": { x: [2, 2, 7, 9], k: 2 },
  "3x3 stride 2 padding 1": { x: [2, 3, 9, 8], k: 3, stride: 2, padding: 1 },
  "overlapping 3x2 stride 1 padding (1, 1)": { x: [1, 2, 6, 5], k: [3, 2], stride: 1, padding: 1 },
  "ceil mode": { x: [2, 2, 7, 7], k: 2, ceil: true },
  "ceil mode, stride 2 padding 1 kernel 3": { x: [1, 2, 8, 10], k: 3, stride: 2, padding: 1, ceil: true },
  "stride (1, 3)": { x: [2, 2, 6, 11], k: [2, 3], stride: [1, 3] },
  "batch 1, unbatched": { x: [3, 5, 5], k: 2, stride: 1 },
};
const MAXPOOL_EXTRA: Record<string, PoolCase> = {
  "dilation 2": { x: [1, 2, 9, 9], k: 2, dilation: 2 },
  "dilation (2, 1), padding 1, ceil": { x: [2, 1, 10, 9], k: 3, dilation: [2, 1], padding: 1, stride: 2, ceil: true },
};
const AVGPOOL_EXTRA: Record<string, PoolCase> = {
  "exclude padding": { x: [2, 2, 7, 6], k: 3, stride: 2, padding: 1, countIncludePad: false },
  "exclude padding, ceil": { x: [1, 2, 8, 7], k: 3, stride: 2, padding: 1, countIncludePad: false, ceil: true },
  "divisor override": { x: [2, 2, 6, 6], k: 3, stride: 2, padding: 1, divisorOverride: 5 },
};
function poolRun(kind: "max" | "avg", c: PoolCase, dtype: torch.DType, exact: boolean, x0?: Tensor, abs = false) {
  torch.manualSeed(11);
  let xd = x0 ?? torch.randn(c.x, d64);
  const pool = (x: Tensor) =>
    kind === "max"
      ? F.maxPool2d(x, c.k, { stride: c.stride, padding: c.padding, dilation: c.dilation, ceilMode: c.ceil })
      : F.avgPool2d(x, c.k, { stride: c.stride, padding: c.padding, ceilMode: c.ceil, countIncludePad: c.countIncludePad, divisorOverride: c.divisorOverride });
  let gy = torch.randn(torch.noGrad(() => pool(xd)).shape as number[], d64);
  if (abs) [xd, gy] = [xd.abs(), gy.abs()];
  return on(exact, () => {
    const x = xd.to(dtype).requiresGrad_(true);
    const y = pool(x);
    y.backward(gy.to(dtype));
    return { y: y.detach(), gx: x.grad!, gradFn: y.gradFn?.name() };
  });
}
for (const kind of ["max", "avg"] as const) {
  const cases = { ...POOL, ...(kind === "max" ? MAXPOOL_EXTRA : AVGPOOL_EXTRA) };
  const fwd = kind === "max" ? "maxPool2d" : "avgPool2d";
  for (const [name, c] of Object.entries(cases))
    for (const dtype of [torch.float32, torch.float64]) {
      test(`${kind} pool fused vs composed, ${dtype.name}: ${name}`, () => {
        const fast = poolRun(kind, c, dtype, false), ref = poolRun(kind, c, dtype, true);
        assert.equal(fast.used[fwd], 1, "the fused forward ran");
        assert.equal(fast.used[`${fwd}Backward`], 1, "the fused backward ran");
        assert.equal(ref.used[fwd], 0);
        const gradFn = kind === "max" ? "MaxPool2DWithIndicesBackward0" : "AvgPool2DBackward0";
        assert.equal(fast.r.gradFn, gradFn);
        assert.equal(ref.r.gradFn, gradFn);
        if (kind === "max") {
          // the maximum is exact and so is where it came from: each input's gradient is the sum of the
          // same output gradients (only their order of addition may differ)
          assert.deepEqual(vals(fast.r.y), vals(ref.r.y), "output");
          near(fast.r.gx, ref.r.gx, ref.r.gx.abs().add(1), 4 * (dtype === torch.float32 ? EPS32 : 2 ** -53), "grad input");
        } else {
          // a sum of k terms and a division: a few ulps of the same pooling of |x| (and of |gy|)
          const u = dtype === torch.float32 ? EPS32 : 2 ** -53;
          const k = Array.isArray(c.k) ? c.k[0]! * c.k[1]! : c.k * c.k;
          const scale = poolRun("avg", c, torch.float64, true, undefined, true).r;
          near(fast.r.y, ref.r.y, scale.y, (4 + 2 * k) * u, "output");
          near(fast.r.gx, ref.r.gx, scale.gx, (4 + 2 * k) * u, "grad input");
        }
      });
    }
}

test("max pool fused: ties go to the first position in the window, as in PyTorch", () => {
  // relu'd data is full of ties at 0; windows overlap (stride 1) so inputs collect several gradients
  torch.manualSeed(5);
  const x0 = torch.randn([2, 3, 7, 7], d64).relu().mul(4).round();
  for (const c of [{ x: [2, 3, 7, 7], k: 2 }, { x: [2, 3, 7, 7], k: 3, stride: 1, padding: 1 }] as PoolCase[]) {
    const fast = poolRun("max", c, torch.float32, false, x0), ref = poolRun("max", c, torch.float32, true, x0);
    assert.equal(fast.used.maxPool2d, 1);
    assert.deepEqual(vals(fast.r.y), vals(ref.r.y));
    near(fast.r.gx, ref.r.gx, ref.r.gx.abs().add(1), 4 * EPS32, "grad input");
  }
  // PyTorch: all-equal window -> the first element gets the gradient
  const { r } = on(false, () => {
    const x = torch.zeros([1, 1, 2, 2]).requiresGrad_(true);
    F.maxPool2d(x, 2).sum().backward();
    return vals(x.grad!);
  });
  assert.deepEqual(r, [1, 0, 0, 0]);
});

test("max pool fused: the wasm 2x2 kernel (float32, chunks of planes) agrees with the TypeScript one", () => {
  torch.manualSeed(9);
  // 160 planes of 40 x 42 (more than one chunk of ~1 MB), relu'd so that ties abound, some NaN
  const x0 = torch.randn([2, 80, 40, 42]).relu().mul(3).round();
  x0.view(-1).narrow(0, 1000, 1).fill_(NaN);
  const run = (wasm: boolean) => {
    const was = setConvWasm(wasm);
    try {
      return on(false, () => {
        const x = x0.clone().requiresGrad_(true);
        const y = F.maxPool2d(x, 2);
        y.backward(torch.ones(y.shape as number[]));
        return { y: vals(y), g: vals(x.grad!) };
      });
    } finally {
      setConvWasm(was);
    }
  };
  const a = run(true), b = run(false);
  assert.equal(a.used.maxPool2d, 1);
  assert.ok(Number.isNaN(a.r.y[Math.floor(1000 / 42 / 2) * 21 + Math.floor((1000 % 42) / 2)]));
  assert.deepEqual(a.r.y, b.r.y);
  assert.deepEqual(a.r.g, b.r.g);
});

test("max pool fused: a NaN in the window wins, as in PyTorch's CPU kernel", () => {
  const { r } = on(false, () => {
    const x = torch.tensor([[[[1, NaN], [3, 2]]]]).requiresGrad_(true);
    const y = F.maxPool2d(x, 2);
    y.sum().backward();
    return { y: vals(y), g: vals(x.grad!) };
  });
  assert.ok(Number.isNaN(r.y[0]));
  assert.deepEqual(r.g, [0, 1, 0, 0]);
});

// ---------------------------------------------------------------- PyTorch's fixtures through the fused path
interface Enc { shape: number[]; dtype: string; data: number[]; requiresGrad?: boolean }
interface Case { name: string; fn: string; kw: Record<string, any>; inputs: (Enc | null)[]; out: Enc; gradFn: string | null; gout?: Enc; grads?: (Enc | null)[] }
const fx = JSON.parse(readFileSync(new URL("./fixtures/nn.json", import.meta.url), "utf8")) as { cases: Case[] };
const dec = (e: Enc): Tensor => {
  const t = torch.tensor(e.data, { dtype: e.dtype === "float64" ? torch.float64 : torch.float32 }).reshape(e.shape);
  return e.requiresGrad ? t.requiresGrad_(true) : t;
};
const convOpts = (kw: Record<string, any>) => ({ stride: kw.stride, padding: kw.padding, dilation: kw.dilation, groups: kw.groups });
const FIXTURE_FNS: Record<string, [Fused, (ins: (Tensor | null)[], kw: Record<string, any>) => Tensor]> = {
  conv1d: ["conv2d", ([x, w, b], kw) => F.conv1d(x!, w!, b, convOpts(kw))],
  conv2d: ["conv2d", ([x, w, b], kw) => F.conv2d(x!, w!, b, convOpts(kw))],
  max_pool2d: ["maxPool2d", ([x], kw) => F.maxPool2d(x!, kw.kernel_size, { stride: kw.stride, padding: kw.padding, dilation: kw.dilation, ceilMode: kw.ceil_mode })],
  avg_pool2d: ["avgPool2d", ([x], kw) => F.avgPool2d(x!, kw.kernel_size, { stride: kw.stride, padding: kw.padding, ceilMode: kw.ceil_mode, countIncludePad: kw.count_include_pad })],
};
const fixtureCases = fx.cases.filter((c) => c.fn in FIXTURE_FNS);
test("the PyTorch fixtures hold convolution and pooling cases", () => assert.ok(fixtureCases.length >= 15));
for (const c of fixtureCases) {
  test(`fused vs PyTorch 1.13: ${c.name}`, () => {
    const [prim, fn] = FIXTURE_FNS[c.fn]!;
    const ins = c.inputs.map((e) => (e ? dec(e) : null));
    const { r: out, used } = on(false, () => {
      const y = fn(ins, c.kw);
      if (c.gout) y.backward(dec(c.gout));
      return y;
    });
    assert.equal(used[prim], 1, `${prim} ran`);
    if (c.gout) assert.equal(used[`${prim}Backward` as Fused], 1, `${prim}Backward ran`);
    assert.equal(out.gradFn ? out.gradFn.name() : null, c.gradFn);
    // float32 against PyTorch's float32: a few ulps of each result's size, as test/nn.test.ts allows
    const check = (t: Tensor, e: Enc, what: string) => {
      assert.deepEqual(t.shape, e.shape, `${what}: shape`);
      const a = vals(t);
      a.forEach((v, i) => assert.ok(Math.abs(v - e.data[i]!) <= 1e-6 + 1e-5 * Math.abs(e.data[i]!), `${what}[${i}]: got ${v}, expected ${e.data[i]}`));
    };
    check(out, c.out, "output");
    c.grads?.forEach((g, i) => {
      if (g) check(ins[i]!.grad!, g, `grad of input ${i}`);
    });
  });
}

// ---------------------------------------------------------------- gradcheck through the fused path
const r64 = (...shape: number[]) => torch.rand(shape, d64).mul(4).sub(2).requiresGrad_(true);
const GRADCHECKS: Record<string, [(...xs: Tensor[]) => Tensor, () => Tensor[], Fused]> = {
  "conv2d stride/pad/dilation": [(x, w, b) => F.conv2d(x, w, b, { stride: [2, 1], padding: 1, dilation: [1, 2] }), () => [r64(2, 2, 5, 6), r64(3, 2, 2, 3), r64(3)], "conv2dBackward"],
  "conv2d groups": [(x, w, b) => F.conv2d(x, w, b, { groups: 2, padding: [0, 1] }), () => [r64(2, 4, 4, 4), r64(4, 2, 3, 3), r64(4)], "conv2dBackward"],
  "conv2d same, 1 channel": [(x, w) => F.conv2d(x, w, null, { padding: "same" }), () => [r64(3, 1, 5, 4), r64(4, 1, 2, 3)], "conv2dBackward"],
  "conv1d": [(x, w, b) => F.conv1d(x, w, b, { stride: 2, padding: 1 }), () => [r64(2, 2, 7), r64(3, 2, 3), r64(3)], "conv2dBackward"],
  "max_pool2d overlapping": [(x) => F.maxPool2d(x, 3, { stride: 2, padding: 1 }), () => [r64(2, 2, 5, 5)], "maxPool2dBackward"],
  "max_pool2d ceil dilation": [(x) => F.maxPool2d(x, 2, { dilation: 2, ceilMode: true }), () => [r64(1, 2, 6, 7)], "maxPool2dBackward"],
  "avg_pool2d": [(x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false, ceilMode: true }), () => [r64(1, 2, 6, 5)], "avgPool2dBackward"],
};
for (const [name, [fn, mk, prim]] of Object.entries(GRADCHECKS)) {
  test(`gradcheck through the fused path: ${name}`, () => {
    torch.manualSeed(0);
    const { r, used } = on(false, () => torch.autograd.gradcheck(fn, mk()));
    assert.ok(r);
    assert.ok(used[prim] > 0, `${prim} ran`);
  });
}

// second order: the first derivative taken with createGraph composes a differentiable backward
const GRADGRAD: Record<string, [(...xs: Tensor[]) => Tensor, () => Tensor[]]> = {
  conv2d: [(x, w, b) => F.conv2d(x, w, b, { padding: 1, stride: 2 }), () => [r64(1, 2, 4, 4), r64(2, 2, 3, 3), r64(2)]],
  max_pool2d: [(x) => F.maxPool2d(x, 2, { stride: 1 }), () => [r64(1, 2, 4, 4)]],
  avg_pool2d: [(x) => F.avgPool2d(x, 3, { stride: 2, padding: 1 }), () => [r64(1, 2, 5, 5)]],
};
for (const [name, [fn, mk]] of Object.entries(GRADGRAD)) {
  test(`gradgradcheck on the fast backend: ${name}`, () => {
    torch.manualSeed(0);
    const inputs = mk();
    const first = (...xs: Tensor[]) =>
      torch.enableGrad(() => {
        const y = fn(...xs);
        const gs = torch.autograd.grad(y.mul(y).sum(), xs, { createGraph: true });
        return torch.cat(gs.map((g) => g!.reshape(-1)));
      });
    const { r } = on(false, () => torch.autograd.gradcheck(first, inputs));
    assert.ok(r);
  });
}

test("a small CNN trains the same on both backends (float64)", () => {
  const run = (exact: boolean) =>
    on(exact, () => {
      torch.manualSeed(1);
      const net = new nn.Sequential(
        new nn.Conv2d(1, 4, 3), new nn.ReLU(), new nn.MaxPool2d(2),
        new nn.Conv2d(4, 6, 3, { padding: 1 }), new nn.ReLU(), new nn.AvgPool2d(2), new nn.Flatten(), new nn.Linear(24, 3),
      ).double();
      const opt = new torch.optim.SGD(net.parameters(), { lr: 0.1 });
      const x = torch.randn([5, 1, 10, 10], d64), t = torch.tensor([0, 1, 2, 1, 0], { dtype: torch.int64 });
      const losses: number[] = [];
      for (let i = 0; i < 5; i++) {
        opt.zeroGrad();
        const loss = F.crossEntropy(net.call(x) as Tensor, t);
        loss.backward();
        opt.step();
        losses.push(loss.item());
      }
      return losses;
    });
  const fast = run(false), ref = run(true);
  assert.ok(fast.used.conv2d > 0 && fast.used.maxPool2d > 0 && fast.used.avgPool2d > 0);
  fast.r.forEach((l, i) => assert.ok(Math.abs(l - ref.r[i]!) <= 1e-12 * Math.abs(ref.r[i]!), `step ${i}: ${l} vs ${ref.r[i]}`));
  assert.ok(fast.r[4]! < fast.r[0]!);
});
