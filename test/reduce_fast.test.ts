// The fast backend's reductions, softmax and fused nll / layer norm / batch norm kernels
// (src/backend/wasm/reduce.ts) against the reference backend (PyTorch's bits) on many shapes, dims,
// strides, dtypes and edge values, with the tolerances a float64-accumulated kernel honestly meets;
// and gradcheck (float64) through the fused backward paths. The PyTorch fixtures of sum.test.ts,
// nn.test.ts and ops.test.ts run on the default (fast) backend too.
import { test } from "node:test";
import assert from "node:assert/strict";

import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { EPS, assertClose, exactly, fast } from "./helpers/numerics.js";

const F = torch.nn.functional;
const vals = (t: Tensor): number[] => Array.from(t._values() as ArrayLike<number>);

/** A tensor with mixed-sign values of a few magnitudes (not only randn's), in dtype. */
function data(shape: number[], dtype: torch.DType, seed: number): Tensor {
  torch.manualSeed(seed);
  return exactly(() => torch.randn(shape, { dtype: torch.float64 }).mul(torch.rand(shape, { dtype: torch.float64 }).mul(6).sub(3).exp()).to(dtype));
}

/** The views a reduction must handle: contiguous, transposed, permuted, narrowed (an offset and gaps), broadcast (stride 0). */
function views(x: Tensor): [string, Tensor][] {
  const out: [string, Tensor][] = [["contiguous", x]];
  const nd = x.dim();
  if (nd >= 2) out.push(["transposed", x.transpose(0, nd - 1)]);
  if (nd >= 3) out.push(["permuted", x.permute([1, 2, 0, ...Array.from({ length: nd - 3 }, (_, i) => i + 3)])]);
  if (nd >= 1 && x.size(-1) > 2) out.push(["narrowed", x.narrow(nd - 1, 1, x.size(-1) - 2)]);
  if (nd >= 1 && x.size(0) > 2) out.push(["narrowed dim 0", x.narrow(0, 1, x.size(0) - 1)]);
  if (nd >= 1) out.push(["broadcast", x.unsqueeze(1).expand([x.size(0), 3, ...x.shape.slice(1)])]);
  return out;
}

/** Every subset of the dims (the empty one excepted), and null (all). */
function dimSets(nd: number): (number[] | null)[] {
  const out: (number[] | null)[] = [null];
  for (let m = 1; m < 1 << nd; m++) out.push(Array.from({ length: nd }, (_, i) => i).filter((i) => m & (1 << i)));
  return out;
}

/** fast and reference sums agree within the sum of their error bounds: (log2 n + 2) eps sum|x| per output. */
function checkSum(x: Tensor, dims: number[] | null, what: string, op: "sum" | "mean" = "sum"): void {
  const run = (t: Tensor) => (dims === null ? t[op]() : t[op](dims));
  const want = exactly(() => run(x)), got = fast(() => run(x));
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  const n = want.numel() === 0 ? 0 : x.numel() / want.numel();
  const absSum = exactly(() => (dims === null ? x.double().abs().sum() : x.double().abs().sum(dims)));
  const eps = EPS[x.dtype.name as "float32" | "float64"];
  const scale = (op === "mean" ? 1 / Math.max(n, 1) : 1) * (Math.log2(Math.max(n, 2)) + 2) * eps;
  assertClose(vals(got), vals(want), what, 0, vals(absSum).map((v) => v * scale + Number.MIN_VALUE));
}

test("sum and mean: fast = reference within float tolerance on every dim subset, view and float dtype", () => {
  const shapes = [[7], [5, 6], [3, 4, 5], [2, 3, 4, 5], [1, 9], [9, 1], [33, 17]];
  for (const dtype of [torch.float32, torch.float64])
    for (const [si, shape] of shapes.entries()) {
      const base = data(shape, dtype, 100 + si);
      for (const [vn, x] of views(base))
        for (const dims of dimSets(x.dim())) {
          checkSum(x, dims, `${dtype.name} ${vn} [${x.shape}] dims=${JSON.stringify(dims)}`);
          if (dims !== null && dims.length === 1) checkSum(x, dims, `mean ${dtype.name} ${vn} [${x.shape}] dims=${JSON.stringify(dims)}`, "mean");
        }
    }
});

test("sum: long contiguous runs (the wasm kernel, chunked, at odd offsets) and big row / column sums", () => {
  for (const dtype of [torch.float32, torch.float64]) {
    const x = data([100_003], dtype, 7);
    checkSum(x, null, `${dtype.name} [100003]`);
    checkSum(x.narrow(0, 3, 99_997), null, `${dtype.name} narrowed [99997]`);
    checkSum(x.narrow(0, 1, 4096), null, `${dtype.name} [4096] at offset 1`);
    checkSum(x.narrow(0, 5, 4095), null, `${dtype.name} [4095] at offset 5`);
    const m = data([64, 9216], dtype, 8);
    for (const d of [[0], [1], null]) checkSum(m, d, `${dtype.name} [64, 9216] dims=${JSON.stringify(d)}`);
    const b = data([128, 256], dtype, 9);
    checkSum(b, [0], `${dtype.name} bias gradient [128, 256] over dim 0`);
    checkSum(b.t(), [1], `${dtype.name} [256, 128]^T over dim 1`);
    checkSum(data([4, 5, 6000], dtype, 10), [0, 2], `${dtype.name} [4, 5, 6000] over dims 0, 2`);
  }
  // a float32 sum whose float32 partial sums lose digits: within tolerance of the exact (float64) sum
  const ones = torch.ones([1 << 24]).add(torch.full([1 << 24], 2 ** -24));
  const got = fast(() => ones.sum()).item();
  const exact = (1 << 24) * (1 + 2 ** -24);
  assert.ok(Math.abs(got - exact) <= exact * EPS.float32, `sum of 2^24 values: ${got} vs ${exact}`);
});

test("sum: NaN, infinities, empty tensors and dims, 0-d tensors, integer and bool data, dtype=", () => {
  const x = torch.tensor([[1, NaN, 3], [Infinity, 2, 1], [-Infinity, Infinity, 0], [5, 6, -Infinity]]);
  for (const dims of dimSets(2)) checkSum(x, dims, `edge values dims=${JSON.stringify(dims)}`);
  for (const shape of [[0], [0, 3], [3, 0], [2, 0, 4]]) {
    const e = torch.zeros(shape);
    for (const dims of dimSets(shape.length)) checkSum(e, dims, `empty [${shape}] dims=${JSON.stringify(dims)}`);
  }
  checkSum(torch.tensor(2.5), null, "0-d");
  checkSum(torch.tensor(2.5, { dtype: torch.float64 }), [], "0-d, dims=[]");
  for (const dtype of [torch.int64, torch.int32, torch.bool]) {
    torch.manualSeed(3);
    const t = torch.randint(0, 3, [4, 5], { dtype });
    for (const dims of dimSets(2)) {
      const want = exactly(() => (dims ? t.sum(dims) : t.sum())), got = fast(() => (dims ? t.sum(dims) : t.sum()));
      assert.equal(got.dtype, want.dtype);
      assert.deepEqual(vals(got), vals(want), `${dtype.name} sum dims=${JSON.stringify(dims)}`);
    }
  }
  const f = data([6, 7], torch.float32, 4);
  const want = exactly(() => f.sum(1, false, { dtype: torch.float64 })), got = fast(() => f.sum(1, false, { dtype: torch.float64 }));
  assert.equal(got.dtype, torch.float64);
  // float32 data summed as float64: both exact to float64 rounding of 7 terms
  assertClose(vals(got), vals(want), "sum(dtype=float64)", 8 * EPS.float64, 1e-300);
});

test("max / min / argmax / argmin / amax / amin: fast = reference exactly (values, indices, NaN, ties, -0)", () => {
  const cases: Tensor[] = [
    data([7], torch.float32, 1), data([5, 6], torch.float64, 2), data([3, 4, 5], torch.float32, 3), data([2, 3, 4, 5], torch.float32, 4),
    torch.tensor([[1, NaN, 3, NaN], [2, 2, 1, 2], [-Infinity, -Infinity, -Infinity, -Infinity], [NaN, 5, 6, 7], [0, -0, 0, -0], [-0, 0, -0, 0]]),
    torch.tensor([[3, 3, 1], [1, 3, 3], [NaN, NaN, 1]], { dtype: torch.float64 }),
    data([300, 70], torch.float32, 5),
    // long rows (the four-lane kernels): a max / min of +-0, a late NaN, infinities, ties
    torch.tensor([
      Array.from({ length: 40 }, (_, i) => (i === 7 ? -0 : i === 21 ? 0 : -1 - i)),
      Array.from({ length: 40 }, (_, i) => (i === 37 ? NaN : i % 7)),
      Array.from({ length: 40 }, (_, i) => (i === 5 || i === 30 ? Infinity : i === 9 ? -Infinity : i)),
      Array.from({ length: 40 }, (_, i) => (i === 3 || i === 19 || i === 23 ? 9 : i === 2 || i === 33 ? -9 : (i * 7) % 5)),
      Array.from({ length: 40 }, (_, i) => (i === 11 ? 0 : i === 17 ? -0 : 1 + i)),
    ], { dtype: torch.float64 }),
  ];
  const same = (a: Tensor, b: Tensor, what: string) => {
    assert.deepEqual(a.shape, b.shape, `${what}: shape`);
    assert.equal(a.dtype, b.dtype, `${what}: dtype`);
    const va = vals(a), vb = vals(b);
    for (let i = 0; i < va.length; i++) assert.ok(Object.is(va[i], vb[i]), `${what}[${i}]: ${va[i]} vs ${vb[i]}`);
  };
  for (const base of cases)
    for (const [vn, x] of views(base)) {
      const nd = x.dim();
      for (let d = 0; d < nd; d++)
        for (const op of ["argmax", "argmin"] as const) same(fast(() => x[op](d)), exactly(() => x[op](d)), `${op}(${d}) ${vn} [${x.shape}]`);
      for (const op of ["argmax", "argmin"] as const) same(fast(() => x[op]()), exactly(() => x[op]()), `${op}() ${vn} [${x.shape}]`);
      for (const dims of dimSets(nd)) {
        const ds = dims ?? Array.from({ length: nd }, (_, i) => i);
        for (const op of ["amax", "amin"] as const) same(fast(() => x[op](ds)), exactly(() => x[op](ds)), `${op}(${ds}) ${vn} [${x.shape}]`);
      }
      for (const op of ["max", "min"] as const) {
        same(fast(() => x[op]()), exactly(() => x[op]()), `${op}() ${vn} [${x.shape}]`);
        const [v, i] = fast(() => x[op](nd - 1)) as unknown as [Tensor, Tensor];
        const [w, j] = exactly(() => x[op](nd - 1)) as unknown as [Tensor, Tensor];
        same(v, w, `${op}(-1).values ${vn}`);
        same(i, j, `${op}(-1).indices ${vn}`);
      }
    }
  // max over an empty dim is PyTorch's error on both backends
  const e = torch.zeros([0, 3]);
  assert.throws(() => fast(() => e.amax(0)), /numel\(\) == 0|Expected reduction dim/);
  assert.deepEqual(fast(() => e.amax(1)).shape, [0]);
});

/** softmax / log_softmax forward and backward: fast vs reference, NaN patterns equal. */
function checkSoftmax(x: Tensor, dim: number, what: string): void {
  for (const log of [false, true]) {
    const run = () => {
      const xr = x.detach().requiresGrad_(true);
      const y = log ? xr.logSoftmax(dim) : xr.softmax(dim);
      const g = exactly(() => torch.ones(y.shape, { dtype: y.dtype }).mul(torch.arange(y.numel(), { dtype: y.dtype }).reshape(y.shape).remainder(7).sub(3)));
      y.backward(g);
      return { y, gx: xr.grad! };
    };
    const a = fast(run), b = exactly(run);
    const eps = EPS[x.dtype.name as "float32" | "float64"];
    // softmax: a few ulps relative; log_softmax: a few ulps of the row's log-sum-exp scale
    const scale = Math.max(1, ...vals(b.y).filter(Number.isFinite).map(Math.abs));
    // NOTE: float32 results in the subnormal range carry an absolute error of an ulp there (2^-149).
    const tiny = x.dtype.name === "float32" ? 4 * 2 ** -149 : 1e-300;
    assertClose(vals(a.y), vals(b.y), `${log ? "log_" : ""}softmax ${what}`, 8 * eps, log ? 8 * eps * scale : tiny);
    const gs = Math.max(1, ...vals(b.gx).filter(Number.isFinite).map(Math.abs));
    assertClose(vals(a.gx), vals(b.gx), `${log ? "log_" : ""}softmax backward ${what}`, 16 * eps, 16 * eps * gs * Math.max(1, x.size(dim) / 8));
  }
}

test("softmax / log_softmax over the last dim (the fused kernels), forward and backward, many shapes and edge values", () => {
  for (const dtype of [torch.float32, torch.float64])
    for (const [si, shape] of [[1], [10], [128, 10], [64, 1000], [3, 4, 17], [2, 1, 5]].entries()) {
      const x = data(shape, dtype, 50 + si);
      checkSoftmax(x, -1, `${dtype.name} [${shape}]`);
      if (x.dim() >= 2) checkSoftmax(x.transpose(0, -1).contiguous().transpose(0, -1), -1, `${dtype.name} [${shape}] strided`);
      checkSoftmax(x.mul(30), -1, `${dtype.name} [${shape}] x 30 (large logits)`);
    }
  const edge = torch.tensor([[1, 2, -Infinity], [-Infinity, -Infinity, 0], [NaN, 1, 2], [Infinity, 1, 2], [1e30, -1e30, 0], [0, 0, 0]]);
  const ef = fast(() => edge.softmax(1)), er = exactly(() => edge.softmax(1));
  assertClose(vals(ef), vals(er), "softmax edge values", 8 * EPS.float32, 1e-300);
  const lf = fast(() => edge.logSoftmax(1)), lr = exactly(() => edge.logSoftmax(1));
  assertClose(vals(lf), vals(lr), "log_softmax edge values", 8 * EPS.float32, 8 * EPS.float32 * 1e30);
  const all = torch.full([2, 3], -Infinity);
  assert.ok(vals(fast(() => all.softmax(1))).every(Number.isNaN), "softmax of a row of -inf is NaN (PyTorch)");
  // the same rows 5 times over: long enough for float32's WebAssembly SIMD exp and log
  const edges = edge.repeat([5, 1]), grad = torch.randn([30, 3]);
  for (const log of [false, true]) {
    const run = () => {
      const x = edges.clone().requiresGrad_(true);
      const y = log ? x.logSoftmax(1) : x.softmax(1);
      y.backward(grad);
      return [vals(y), vals(x.grad!)];
    };
    const [yf, gf] = fast(run), [yr, gr] = exactly(run);
    assertClose(yf, yr, `${log ? "log_" : ""}softmax edge values, 30 rows`, 8 * EPS.float32, log ? 8 * EPS.float32 * 1e30 : 1e-300);
    assert.deepEqual(gf.map(Number.isNaN), gr.map(Number.isNaN), `${log ? "log_" : ""}softmax backward: NaN where the reference has it`);
  }
});

test("cross_entropy / nll_loss (fused nll kernels): fast = reference within tolerance, every option, grad_fn chain", () => {
  torch.manualSeed(11);
  const shapes: [number[], number[]][] = [[[6, 5], [6]], [[5], []], [[4, 3, 2, 5], [4, 2, 5]], [[3, 4, 6], [3, 6]], [[2, 3, 2, 2, 3], [2, 2, 2, 3]], [[128, 10], [128]], [[64, 1000], [64]]];
  for (const dtype of [torch.float32, torch.float64])
    for (const [shape, tshape] of shapes) {
      const C = shape.length === 1 ? shape[0]! : shape[1]!;
      const x0 = data(shape, dtype, 12);
      const t0 = torch.randint(0, C, tshape);
      if (t0.numel() > 1) t0.view(-1).narrow(0, 0, 1).fill_(1);
      const w = torch.rand([C], { dtype }).add(0.1);
      const opts: [string, torch.nn.functional.CrossEntropyOptions][] = [
        ["mean", {}], ["sum", { reduction: "sum" }], ["none", { reduction: "none" }], ["weight", { weight: w }],
        ["weight sum", { weight: w, reduction: "sum" }], ["weight none", { weight: w, reduction: "none" }],
        ["ignore 1", { ignoreIndex: 1 }], ["weight ignore 1", { weight: w, ignoreIndex: 1 }], ["ignore none", { ignoreIndex: 1, reduction: "none" }],
        ["smoothing", { labelSmoothing: 0.1 }], ["smoothing weight ignore", { labelSmoothing: 0.2, weight: w, ignoreIndex: 1 }],
      ];
      for (const [on, o] of opts)
        for (const fn of ["cross_entropy", "nll_loss"] as const) {
          if (fn === "nll_loss" && o.labelSmoothing) continue;
          const what = `${fn} ${dtype.name} [${shape}] ${on}`;
          const run = () => {
            const x = x0.detach().requiresGrad_(true);
            const inp = fn === "nll_loss" ? x.logSoftmax(shape.length === 1 ? 0 : 1) : x;
            const l = fn === "nll_loss" ? F.nll_loss(inp, t0, o) : F.cross_entropy(inp, t0, o);
            l.backward(torch.onesLike(l).mul(1.5));
            return { l, g: x.grad!, name: l.gradFn?.name() };
          };
          const a = fast(run), b = exactly(run);
          assert.equal(a.name, b.name, `${what}: grad_fn`);
          const eps = EPS[dtype.name as "float32" | "float64"];
          assertClose(vals(a.l), vals(b.l), `${what}: loss`, 64 * eps, 64 * eps);
          // NOTE: the gradient goes through exp(log p), whose error is |log p| ulps (log p ~ -log C)
          const lc = 1 + Math.log(C);
          assertClose(vals(a.g), vals(b.g), `${what}: grad`, 64 * eps * lc, 64 * eps * lc * Math.max(...vals(b.g).map(Math.abs)));
        }
    }
  // the graph is PyTorch's: NllLossBackward0 over LogSoftmaxBackward0
  const x = torch.randn([4, 3], { requiresGrad: true });
  const l = F.cross_entropy(x, torch.tensor([0, 2, 1, 1], { dtype: torch.int64 }));
  assert.equal(l.gradFn!.name(), "NllLossBackward0");
  assert.equal(l.gradFn!.nextFunctions[0]![0]!.name(), "LogSoftmaxBackward0");
  const l4 = F.cross_entropy(torch.randn([2, 3, 2, 2], { requiresGrad: true }), torch.zeros([2, 2, 2], { dtype: torch.int64 }));
  assert.equal(l4.gradFn!.name(), "NllLoss2DBackward0");
  // probabilities as targets stay on the composed path, same values
  const p = torch.rand([5, 4]).softmax(1), xp = data([5, 4], torch.float32, 13);
  assertClose(vals(fast(() => F.cross_entropy(xp, p))), vals(exactly(() => F.cross_entropy(xp, p))), "probability targets", 16 * EPS.float32, 1e-6);
  // errors as PyTorch's
  assert.throws(() => fast(() => F.cross_entropy(torch.randn(2, 3), torch.tensor([0, 3], { dtype: torch.int64 }))), { name: "IndexError", message: "Target 3 is out of bounds." });
  assert.throws(() => fast(() => F.nll_loss(torch.randn(2, 3), torch.tensor([-1, 0], { dtype: torch.int64 }))), { name: "IndexError" });
  // all targets ignored: mean is NaN (0 / 0), as in PyTorch
  assert.ok(Number.isNaN(fast(() => F.cross_entropy(torch.randn(2, 3), torch.tensor([1, 1], { dtype: torch.int64 }), { ignoreIndex: 1 })).item()));
});

test("layer_norm / batch_norm (fused kernels): fast = reference within tolerance, forward, backward and running statistics", () => {
  const eps32 = (d: torch.DType) => EPS[d.name as "float32" | "float64"];
  for (const dtype of [torch.float32, torch.float64]) {
    for (const [shape, ns] of [[[4, 6], [6]], [[3, 4, 5], [5]], [[3, 4, 5], [4, 5]], [[2, 7], [7]], [[128, 256], [256]]] as [number[], number[]][])
      for (const affine of [true, false]) {
        const x0 = data(shape, dtype, 21).add(2);
        const w0 = torch.rand(ns, { dtype }).add(0.5), b0 = torch.randn(ns, { dtype });
        const run = () => {
          const x = x0.detach().requiresGrad_(true), w = w0.detach().requiresGrad_(true), b = b0.detach().requiresGrad_(true);
          const y = F.layer_norm(x, ns, affine ? w : null, affine ? b : null, 1e-5);
          y.backward(x0.detach().sin());
          return { y, gx: x.grad!, gw: w.grad, gb: b.grad, name: y.gradFn!.name() };
        };
        const a = fast(run), r = exactly(run);
        const what = `layer_norm ${dtype.name} [${shape}] over [${ns}]${affine ? "" : " no affine"}`;
        assert.equal(a.name, "NativeLayerNormBackward0");
        assert.equal(r.name, "NativeLayerNormBackward0");
        const e = eps32(dtype), D = ns.reduce((p, q) => p * q, 1);
        assertClose(vals(a.y), vals(r.y), `${what}: y`, 64 * e, 64 * e);
        assertClose(vals(a.gx), vals(r.gx), `${what}: dx`, 64 * e * D, 64 * e * D);
        if (affine) {
          assertClose(vals(a.gw!), vals(r.gw!), `${what}: dw`, 64 * e * shape[0]!, 64 * e * shape[0]!);
          assertClose(vals(a.gb!), vals(r.gb!), `${what}: db`, 64 * e * shape[0]!, 64 * e * shape[0]!);
        }
      }
    for (const shape of [[6, 3], [4, 3, 5], [2, 3, 4, 4], [16, 32, 14, 14]])
      for (const training of [true, false])
        for (const affine of [true, false]) {
          const C = shape[1]!;
          const x0 = data(shape, dtype, 22).mul(2).add(1);
          const w0 = torch.rand([C], { dtype }).add(0.5), b0 = torch.randn([C], { dtype });
          const run = () => {
            const rm = torch.linspace(-1, 1, C, { dtype }), rv = torch.linspace(0.5, 2, C, { dtype });
            const x = x0.detach().requiresGrad_(true), w = w0.detach().requiresGrad_(true), b = b0.detach().requiresGrad_(true);
            const y = F.batch_norm(x, rm, rv, affine ? w : null, affine ? b : null, training, 0.1, 1e-5);
            y.backward(x0.detach().cos());
            return { y, rm, rv, gx: x.grad!, gw: w.grad, gb: b.grad, name: y.gradFn!.name() };
          };
          const a = fast(run), r = exactly(run);
          const what = `batch_norm ${dtype.name} [${shape}] ${training ? "train" : "eval"}${affine ? "" : " no affine"}`;
          assert.equal(a.name, "NativeBatchNormBackward0");
          const e = eps32(dtype), n = x0.numel() / C;
          assertClose(vals(a.y), vals(r.y), `${what}: y`, 64 * e, 64 * e);
          assertClose(vals(a.rm), vals(r.rm), `${what}: running_mean`, 64 * e, 64 * e);
          assertClose(vals(a.rv), vals(r.rv), `${what}: running_var`, 64 * e, 64 * e);
          assertClose(vals(a.gx), vals(r.gx), `${what}: dx`, 64 * e * Math.sqrt(n), 64 * e * Math.sqrt(n));
          if (affine) {
            const gs = Math.max(...vals(r.gw!).map(Math.abs), ...vals(r.gb!).map(Math.abs));
            assertClose(vals(a.gw!), vals(r.gw!), `${what}: dw`, 64 * e, 64 * e * gs);
            assertClose(vals(a.gb!), vals(r.gb!), `${what}: db`, 64 * e, 64 * e * gs);
          }
        }
  }
  // only some inputs need a gradient: the others get none
  const x = torch.randn([3, 4]), w = torch.rand([4], { requiresGrad: true }), b = torch.randn([4]);
  fast(() => F.layer_norm(x, [4], w, b).sum().backward());
  assert.ok(w.grad && x.grad === null && b.grad === null);
  // a broadcast gradient (sum().backward()) and a transposed input
  const run = () => {
    const xt = torch.arange(24, { dtype: torch.float64 }).reshape(4, 6).sin().t().requiresGrad_(true);
    F.layer_norm(xt, [4]).mul(torch.arange(4, { dtype: torch.float64 })).sum().backward();
    return xt.grad!;
  };
  assertClose(vals(fast(run)), vals(exactly(run)), "layer_norm, transposed input, broadcast gradient", 1e-13, 1e-13);
});

test("gradcheck (float64) through the fused kernels: log_softmax, softmax, cross_entropy, nll_loss, layer_norm, batch_norm", () => {
  fast(() => {
    torch.manualSeed(31);
    const x = torch.randn([4, 5], { dtype: torch.float64, requiresGrad: true });
    const t = torch.tensor([0, 4, 2, 2], { dtype: torch.int64 });
    const w = torch.rand([5], { dtype: torch.float64 }).add(0.2);
    const gc = (fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], what: string) => assert.ok(torch.autograd.gradcheck(fn, inputs), what);
    gc((a) => a.logSoftmax(1), [x], "log_softmax");
    gc((a) => a.softmax(1), [x], "softmax");
    for (const reduction of ["mean", "sum", "none"] as const) {
      gc((a) => F.cross_entropy(a, t, { reduction }), [x], `cross_entropy ${reduction}`);
      gc((a) => F.cross_entropy(a, t, { reduction, weight: w, ignoreIndex: 2 }), [x], `cross_entropy weight ignore ${reduction}`);
      gc((a) => F.nll_loss(a, t, { reduction, weight: w }), [x], `nll_loss weight ${reduction}`);
    }
    const x4 = torch.randn([2, 3, 2, 2], { dtype: torch.float64, requiresGrad: true });
    gc((a) => F.cross_entropy(a, torch.tensor([[[0, 1], [2, 0]], [[1, 1], [0, 2]]], { dtype: torch.int64 })), [x4], "cross_entropy 2d");
    const lw = torch.rand([5], { dtype: torch.float64, requiresGrad: true }), lb = torch.randn([5], { dtype: torch.float64, requiresGrad: true });
    gc((a, ww, bb) => F.layer_norm(a, [5], ww, bb), [x, lw, lb], "layer_norm");
    const bw = torch.rand([3], { dtype: torch.float64, requiresGrad: true }), bb = torch.randn([3], { dtype: torch.float64, requiresGrad: true });
    gc((a, ww, b2) => F.batch_norm(a, null, null, ww, b2, true), [x4, bw, bb], "batch_norm train");
    const rm = torch.randn([3], { dtype: torch.float64 }), rv = torch.rand([3], { dtype: torch.float64 }).add(0.5);
    gc((a, ww, b2) => F.batch_norm(a, rm, rv, ww, b2, false), [x4, bw, bb], "batch_norm eval");
  });
});

test("double backward (create_graph) through the fused paths takes the composed formulas: same as the reference", () => {
  const run = () => {
    torch.manualSeed(41);
    const x = torch.randn([3, 4], { dtype: torch.float64, requiresGrad: true });
    const t = torch.tensor([1, 0, 3], { dtype: torch.int64 });
    const l = F.cross_entropy(x, t).add(F.layer_norm(x, [4]).pow(3).sum());
    const [g] = torch.autograd.grad(l, [x], { createGraph: true });
    const [gg] = torch.autograd.grad(g!.pow(2).sum(), [x]);
    return { g: g!, gg: gg! };
  };
  const a = fast(run), b = exactly(run);
  assertClose(vals(a.g), vals(b.g), "first derivative", 1e-12, 1e-12);
  assertClose(vals(a.gg), vals(b.gg), "second derivative", 1e-10, 1e-10);
});

test("var / std (two passes in float64): fast = reference within tolerance on dim subsets, views, corrections", () => {
  const shapes = [[7], [5, 6], [3, 4, 5], [33, 17], [2, 9000]];
  for (const dtype of [torch.float32, torch.float64])
    for (const [si, shape] of shapes.entries()) {
      const base = data(shape, dtype, 200 + si).add(si === 2 ? 50 : 0);
      const big = base.numel() > 10000;
      for (const [vn, x] of big ? [["contiguous", base] as [string, Tensor]] : views(base))
        for (const dims of big ? [null, [1]] : dimSets(x.dim()))
          for (const [unbiased, op] of [[true, "var"], [false, "std"]] as const) {
              const run = () => x[op](dims, { unbiased });
              const got = fast(run), want = exactly(run);
              assert.deepEqual(got.shape, want.shape);
              // NOTE: both are two-pass (or Welford) in float64, rounded once to the dtype: a variance carries
              // about n eps64 (var + mean^2) of absolute error from the deviations' cancellation (so a
              // zero variance may come out as 1e-32), and a std the square root of that.
              const mean = exactly(() => x.double().mean(dims ?? undefined)), v = exactly(() => x.double().var(dims, { unbiased: false }));
              const n = x.numel() / Math.max(1, want.numel());
              const eps = EPS[dtype.name as "float32" | "float64"];
              const tol = vals(want).map((w, i) => {
                const abs = 4 * n * EPS.float64 * (vals(v)[i]! + vals(mean)[i]! ** 2);
                return 4 * eps * Math.abs(w) + (op === "var" ? abs : Math.sqrt(abs)) + 1e-300;
              });
              assertClose(vals(got), vals(want), `${op} ${dtype.name} ${vn} [${x.shape}] dims=${JSON.stringify(dims)} unbiased=${unbiased}`, 0, tol);
          }
    }
  // one element with the correction: 0 / 0 (NaN), as PyTorch
  assert.ok(Number.isNaN(fast(() => torch.tensor([3]).var()).item()));
  assert.ok(Number.isNaN(fast(() => torch.tensor([[3, 4]]).var(0)).dataSync()[0]!));
});
