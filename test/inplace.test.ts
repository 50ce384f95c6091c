// In-place ops on the no-grad path write their result straight into self (no temporary) when that is
// safe: the result has self's dtype and shape, self is contiguous, and no operand overlaps self other
// than exactly. Everything else takes the old path (a result computed out of place, then copied back).
// Either way the values are bit for bit those of the out-of-place op, and the version counter moves by one.
import { test } from "node:test";
import assert from "node:assert/strict";

import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";
import type { Backend } from "../src/backend/backend.js";

type Spied = "unary" | "binary" | "ternary" | "where" | "copy" | "fill";
/** Runs f with the backend's elementwise primitives spied on: for each call, whether it got a dst. */
function spy(f: () => void): { direct: boolean[]; copies: number } {
  const b = torch.getBackend() as Backend & Record<Spied, (...a: unknown[]) => unknown>;
  const dstArg: Record<Spied, number> = { unary: 5, binary: 6, ternary: 7, where: 5, copy: -1, fill: -1 };
  const saved = new Map<Spied, (...a: unknown[]) => unknown>();
  const out = { direct: [] as boolean[], copies: 0 };
  for (const k of Object.keys(dstArg) as Spied[]) {
    const orig = b[k];
    saved.set(k, orig);
    b[k] = function (this: unknown, ...args: unknown[]) {
      if (k === "copy") out.copies++;
      else if (dstArg[k] >= 0) out.direct.push(args[dstArg[k]] !== undefined);
      return orig.apply(this, args);
    };
  }
  try {
    f();
  } finally {
    for (const [k, orig] of saved) b[k] = orig;
  }
  return out;
}

/** The elements' bits (NaN payloads and signed zeros included). */
function bits(t: Tensor): number[] {
  const v = t.dataSync();
  if (v instanceof Float32Array) return [...new Uint32Array(Float32Array.from(v).buffer)];
  if (v instanceof Float64Array) return [...new Uint32Array(Float64Array.from(v).buffer)];
  return [...v];
}

const x34 = (dtype = torch.float32): Tensor => {
  torch.manualSeed(1);
  return torch.randn(3, 4, { dtype });
};
const pos34 = (dtype = torch.float32): Tensor => {
  torch.manualSeed(2);
  return torch.rand(3, 4, { dtype }).add(0.5);
};

interface Case {
  name: string;
  self: () => Tensor;
  /** the operands, made before the op runs */
  args?: () => Tensor[];
  /** the in-place op */
  inplace: (s: Tensor, a: Tensor[]) => unknown;
  /** the same op out of place, on a copy of self's old value */
  ref: (s: Tensor, a: Tensor[]) => Tensor;
  /** how many in-place ops `inplace` runs */
  steps?: number;
}

const fast: Case[] = [
  { name: "add_ tensor", self: x34, args: () => [pos34()], inplace: (s, [y]) => s.add_(y!), ref: (s, [y]) => s.add(y!) },
  { name: "add_ alpha", self: x34, args: () => [pos34()], inplace: (s, [y]) => s.add_(y!, { alpha: -0.01 }), ref: (s, [y]) => s.add(y!, { alpha: -0.01 }) },
  { name: "add_ scalar alpha", self: () => torch.randn(37), inplace: (s) => s.add_(0.3, { alpha: 0.7 }), ref: (s) => s.add(0.3, { alpha: 0.7 }) },
  { name: "sub_ alpha", self: x34, args: () => [pos34()], inplace: (s, [y]) => s.sub_(y!, { alpha: 0.1 }), ref: (s, [y]) => s.sub(y!, { alpha: 0.1 }) },
  { name: "mul_ scalar", self: x34, inplace: (s) => s.mul_(0.9), ref: (s) => s.mul(0.9) },
  { name: "div_ tensor", self: x34, args: () => [pos34()], inplace: (s, [y]) => s.div_(y!), ref: (s, [y]) => s.div(y!) },
  { name: "pow_ scalar", self: pos34, inplace: (s) => s.pow_(3), ref: (s) => s.pow(3) },
  { name: "pow_ tensor", self: pos34, args: () => [x34()], inplace: (s, [y]) => s.pow_(y!), ref: (s, [y]) => s.pow(y!) },
  { name: "add_ broadcast row", self: x34, args: () => [torch.arange(4).float()], inplace: (s, [y]) => s.add_(y!), ref: (s, [y]) => s.add(y!) },
  { name: "mul_ 0-d float64 other", self: x34, args: () => [torch.tensor(0.1, { dtype: torch.float64 })], inplace: (s, [y]) => s.mul_(y!), ref: (s, [y]) => s.mul(y!) },
  { name: "mul_ self (exact alias)", self: x34, inplace: (s) => s.mul_(s), ref: (s) => s.mul(s) },
  { name: "add_ a same-geometry view of self (exact alias)", self: x34, inplace: (s) => s.add_(s.t().t(), { alpha: 2 }), ref: (s) => s.add(s, { alpha: 2 }) },
  { name: "add_ x.flip(0) (flip copies, as in PyTorch)", self: x34, args: () => [], inplace: (s) => s.add_(s.flip(0)), ref: (s) => s.add(s.flip(0)) },
  { name: "float64 addcmul_", self: () => x34(torch.float64), args: () => [pos34(torch.float64), x34(torch.float64)], inplace: (s, [a, b]) => s.addcmul_(a!, b!, { value: 0.3 }), ref: (s, [a, b]) => s.addcmul(a!, b!, { value: 0.3 }) },
  { name: "addcmul_", self: x34, args: () => [pos34(), x34()], inplace: (s, [a, b]) => s.addcmul_(a!, b!, { value: 0.001 }), ref: (s, [a, b]) => s.addcmul(a!, b!, { value: 0.001 }) },
  { name: "addcdiv_", self: x34, args: () => [x34(), pos34()], inplace: (s, [a, b]) => s.addcdiv_(a!, b!, { value: -0.01 }), ref: (s, [a, b]) => s.addcdiv(a!, b!, { value: -0.01 }) },
  { name: "lerp_ scalar weight", self: x34, args: () => [pos34()], inplace: (s, [e]) => s.lerp_(e!, 0.9), ref: (s, [e]) => s.lerp(e!, 0.9) },
  { name: "lerp_ tensor weight", self: x34, args: () => [pos34(), torch.rand(4)], inplace: (s, [e, w]) => s.lerp_(e!, w!), ref: (s, [e, w]) => s.lerp(e!, w!) },
  { name: "clamp_", self: x34, inplace: (s) => s.clamp_(-0.5, 0.5), ref: (s) => s.clamp(-0.5, 0.5) },
  { name: "clamp_ options", self: x34, inplace: (s) => s.clamp_({ min: 0.1 }), ref: (s) => s.clamp({ min: 0.1 }) },
  { name: "maskedFill_", self: x34, args: () => [x34().gt(0)], inplace: (s, [m]) => s.maskedFill_(m!, -1), ref: (s, [m]) => s.maskedFill(m!, -1) },
  { name: "int64 add_ alpha", self: () => torch.arange(12).reshape(3, 4), args: () => [torch.arange(4)], inplace: (s, [y]) => s.add_(y!, { alpha: 3 }), ref: (s, [y]) => s.add(y!, { alpha: 3 }) },
  { name: "int64 mul_", self: () => torch.arange(12), inplace: (s) => s.mul_(-3), ref: (s) => s.mul(-3) },
  { name: "bool add_ (logical or)", self: () => torch.tensor([true, false, false]), args: () => [torch.tensor([true, true, false])], inplace: (s, [y]) => s.add_(y!), ref: (s, [y]) => s.add(y!) },
  { name: "row of a matrix (offset view)", self: () => x34().select(0, 1), inplace: (s) => s.mul_(2).add_(1), ref: (s) => s.mul(2).add(1), steps: 2 },
  ...(["neg", "abs", "exp", "log", "sqrt", "relu", "sigmoid", "tanh", "floor", "round"] as const).map((u): Case => ({
    name: `${u}_`,
    self: u === "log" || u === "sqrt" ? pos34 : x34,
    inplace: (s) => (s as unknown as Record<string, () => Tensor>)[`${u}_`]!.call(s),
    ref: (s) => (s as unknown as Record<string, () => Tensor>)[u]!.call(s),
  })),
];

for (const c of fast)
  test(`direct in-place write: ${c.name}`, () => {
    const s = c.self();
    const a = c.args?.() ?? [];
    const ref = c.ref(s.clone(), a);
    const storage = s._storage, v0 = s._version.value;
    const steps = c.steps ?? 1;
    const { direct, copies } = spy(() => c.inplace(s, a));
    // NOTE: one primitive call per step writes the result (x.flip(0) and a bool result's float64
    // intermediate are calls of their own)
    assert.equal(direct.filter((d) => d).length, steps, `took the direct path: ${direct}`);
    assert.equal(copies, c.name.includes("flip") ? 1 : 0, "no copy back");
    assert.equal(s._storage, storage);
    assert.equal(s._version.value, v0 + steps, "version counter");
    assert.equal(s.dtype, ref.dtype);
    assert.deepEqual(bits(s), bits(ref));
  });

test("an optimizer-style update in noGrad on a parameter is direct, and its version moves", () => {
  const p = new torch.nn.Parameter(x34());
  const g = pos34();
  const ref = p.detach().add(g, { alpha: -0.1 });
  const { direct } = spy(() => torch.noGrad(() => p.add_(g, { alpha: -0.1 })));
  assert.deepEqual(direct, [true]);
  assert.equal(p._version.value, 1);
  assert.deepEqual(bits(p), bits(ref));
  assert.throws(() => p.add_(1), /a leaf Variable that requires grad is being used in an in-place operation/);
});

test("fill_, zero_ and copy_ write straight into self, strided views included", () => {
  const x = x34();
  const col = x.select(1, 2);
  const { copies } = spy(() => col.fill_(7));
  assert.equal(copies, 0);
  assert.deepEqual(col.tolist(), [7, 7, 7]);
  assert.equal(x._version.value, 1);
  x.zero_();
  assert.ok([...x.dataSync()].every((v) => v === 0));
  assert.equal(x._version.value, 2);
  const y = x34(torch.float64);
  const r = spy(() => x.t().copy_(y.t()));
  assert.equal(r.copies, 1, "one copy, no temporary");
  assert.deepEqual(bits(x), bits(y.float()));
  assert.equal(x._version.value, 3);
  // a 0-d tensor value of another storage
  x.fill_(torch.tensor(2.5, { dtype: torch.float64 }));
  assert.ok([...x.dataSync()].every((v) => v === 2.5));
});

interface Slow {
  name: string;
  run: () => { got: Tensor; want: Tensor };
}
const slow: Slow[] = [
  {
    name: "non-contiguous self (x.t().mul_(2))",
    run: () => {
      const x = x34();
      const want = x.t().mul(2);
      return { got: x.t().mul_(2), want };
    },
  },
  {
    name: "float32 self, float64 other (result float64, cast back)",
    run: () => {
      const x = x34();
      const y = pos34(torch.float64);
      const want = x.add(y).float();
      return { got: x.add_(y), want };
    },
  },
  {
    name: "int64 self, int64 div_ (true division gives float: cast rule)",
    run: () => {
      const x = torch.arange(6);
      let err = "";
      try {
        x.div_(2);
      } catch (e) {
        err = (e as Error).message;
      }
      assert.equal(err, "result type Float can't be cast to the desired output type Long");
      return { got: x, want: torch.arange(6) };
    },
  },
  {
    name: "x.fill_(x[1]) (value is an element of self)",
    run: () => {
      const x = torch.randn(5);
      const want = torch.full([5], x.index(1).item());
      return { got: x.fill_(x.index(1)), want };
    },
  },
];
for (const c of slow)
  test(`in-place op that must not write directly: ${c.name}`, () => {
    let res: { got: Tensor; want: Tensor } | undefined;
    const { direct } = spy(() => {
      res = c.run();
    });
    const { got, want } = res!;
    assert.ok(direct.every((d) => !d), "no direct write");
    assert.equal(got.dtype, want.dtype);
    assert.deepEqual(bits(got), bits(want));
  });

test("an operand that partially overlaps self: PyTorch's error (assert_no_partial_overlap), self untouched", () => {
  const msg = "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.";
  const cases: [string, () => Tensor, (x: Tensor) => unknown][] = [
    ["x.add_(x.t()) (same storage and offset, other strides)", () => torch.randn(4, 4), (x) => x.add_(x.t())],
    ["x[1:].add_(x[:-1]) (overlapping views)", () => torch.randn(10), (x) => x.index("1:").add_(x.index(":-1"))],
    ["x.add_(x[0]) (a row of self, broadcast)", x34, (x) => x.add_(x.select(0, 0))],
    ["x.addcmul_(x.t().t(), x[0])", x34, (x) => x.addcmul_(x.t().t(), x.select(0, 0), { value: 0.5 })],
    ["x[1:].copy_(x[:-1]) (overlapping copy)", () => torch.arange(6).float(), (x) => x.index("1:").copy_(x.index(":-1"))],
  ];
  for (const [name, make, f] of cases) {
    const x = make();
    const before = bits(x);
    assert.throws(() => f(x), { name: "RuntimeError", message: msg }, name);
    assert.deepEqual(bits(x), before, `${name}: self unchanged`);
    assert.equal(x._version.value, 0, `${name}: version`);
  }
});

test("broadcast shape larger than self keeps PyTorch's error", () => {
  assert.throws(() => torch.zeros(4).add_(torch.ones(3, 4)), { message: "output with shape [4] doesn't match the broadcast shape [3, 4]" });
});

test("with autograd recording, in-place ops take the old path and record the graph", () => {
  const w = torch.tensor([1, 2, 3], { requiresGrad: true });
  const y = w.mul(2);
  const { direct } = spy(() => y.mul_(3).add_(1));
  assert.ok(direct.every((d) => !d));
  assert.equal(y.gradFn?.name(), "AddBackward0");
  assert.equal(y._version.value, 2);
  y.sum().backward();
  assert.deepEqual(w.grad!.tolist(), [6, 6, 6]);
  // a tensor that needs no grad, in grad mode, with an other that does: old path
  const z = torch.zeros(3);
  const r = spy(() => z.add_(w));
  assert.ok(r.direct.every((d) => !d));
  assert.equal(z.gradFn?.name(), "AddBackward0");
});

// PyTorch saves a product's or quotient's operands only for the gradients that need them
// (derivatives.yaml), so some in-place changes are allowed and others fail (checked in PyTorch 1.13).
test("mul/div save only what their gradients need: in-place changes PyTorch allows and refuses", () => {
  const leaf = () => torch.tensor([1, 2, 3], { requiresGrad: true });
  const constant = () => torch.tensor([2, 3, 4], { dtype: torch.float32 });
  let a = leaf(), b = a.mul(1), w = constant();
  let c = b.mul(0.5);
  b.add_(1); // a scalar product saves nothing
  c.sum().backward();
  assert.deepEqual(Array.from(a.grad!.tolist() as number[]), [0.5, 0.5, 0.5]);
  a = leaf(); b = a.mul(1); w = constant();
  c = b.mul(w);
  b.add_(1); // b is saved only for w's gradient, and w needs none
  c.sum().backward();
  a = leaf(); b = a.mul(1); w = constant();
  c = w.mul(b);
  w.add_(1); // w is saved for b's gradient
  assert.throws(() => c.sum().backward(), /modified by an inplace operation/);
  a = leaf(); b = a.mul(1); w = constant();
  c = b.div(w);
  b.add_(1); // the numerator is saved only for the denominator's gradient
  c.sum().backward();
  a = leaf(); b = a.mul(1); w = constant();
  c = b.div(w);
  w.add_(1);
  assert.throws(() => c.sum().backward(), /modified by an inplace operation/);
  a = leaf(); b = a.mul(1); w = constant();
  c = w.div(b);
  w.add_(1); // the numerator is saved for the denominator's gradient
  assert.throws(() => c.sum().backward(), /modified by an inplace operation/);
});
