// Custom autograd Functions, anomaly mode, torch.autograd.functional and nn.utils' gradient helpers
// against PyTorch: test/fixtures/autograd_function.json comes from
// scripts/gen_autograd_function_fixtures.py, which runs the same classes and calls in PyTorch 1.13.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";
import type { TensorFunction } from "../src/autograd/functional.js";

type Enc =
  | { shape: number[]; dtype: string; grad_fn: string | null; requires_grad: boolean; values: (number | string | boolean)[] }
  | { list: Enc[] }
  | { none: true }
  | { value: unknown }
  | { error: { type: string; message: string } };
const fixture = JSON.parse(readFileSync(new URL("./fixtures/autograd_function.json", import.meta.url), "utf8")) as Record<string, Record<string, Enc>>;

const { Function, onceDifferentiable } = torch.autograd;
type FunctionCtx = torch.autograd.FunctionCtx;
const AF = torch.autograd.functional;
const D = torch.float64;
const num = (v: number | string | boolean): number => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v));

/** Compares a typetorch result with PyTorch's encoded one: structure, shape, dtype, grad_fn, values. */
function compare(exp: Enc, got: unknown, where: string): void {
  if ("list" in exp) {
    assert.ok(Array.isArray(got), `${where}: expected a list, got ${String(got)}`);
    assert.equal(got.length, exp.list.length, `${where}: length`);
    exp.list.forEach((e, i) => compare(e, got[i], `${where}[${i}]`));
  } else if ("none" in exp) {
    assert.ok(got === null || got === undefined, `${where}: expected None, got ${String(got)}`);
  } else if ("value" in exp) {
    assert.deepEqual(got, exp.value, `${where}: value`);
  } else if ("shape" in exp) {
    assert.ok(got instanceof torch.Tensor, `${where}: expected a tensor, got ${String(got)}`);
    assert.deepEqual(got.shape, exp.shape, `${where}: shape`);
    assert.equal(got.dtype.name, exp.dtype, `${where}: dtype`);
    assert.equal(got.gradFn ? got.gradFn.name() : null, exp.grad_fn, `${where}: grad_fn`);
    assert.equal(got.requiresGrad, exp.requires_grad, `${where}: requires_grad`);
    const vals = got.detach().reshape([-1]).tolist() as (number | boolean | bigint)[];
    // NOTE: float64 results agree to rounding; float32 ones to a few ulp (reductions may sum in
    // another order than PyTorch's vectorized loops)
    const tol = exp.dtype === "float64" ? 1e-12 : 2e-6;
    exp.values.forEach((w, i) => {
      const g = vals[i]!;
      if (typeof w === "boolean") return assert.equal(g, w, `${where}: value ${i}`);
      const wn = num(w), gn = Number(g);
      if (Number.isNaN(wn)) return assert.ok(Number.isNaN(gn), `${where}: value ${i}: ${gn} vs nan`);
      if (!Number.isFinite(wn)) return assert.equal(gn, wn, `${where}: value ${i}`);
      if (exp.dtype.startsWith("float")) assert.ok(Math.abs(gn - wn) <= tol * Math.max(1, Math.abs(wn)), `${where}: value ${i}: ${gn} vs PyTorch ${wn}`);
      else assert.equal(gn, wn, `${where}: value ${i}`);
    });
  } else throw new Error(`${where}: bad fixture entry`);
}

/** Runs every fixture case of a section against the typetorch case of the same name. */
function runSection(section: string, cases: Record<string, () => unknown>): void {
  const exp = fixture[section]!;
  test(`${section}: every fixture case has a typetorch case`, () => {
    assert.deepEqual(Object.keys(cases).sort(), Object.keys(exp).sort());
  });
  for (const [name, e] of Object.entries(exp)) {
    test(`${section}: ${name}`, () => {
      const fn = cases[name]!;
      // anomaly mode warns with the forward stack (PyTorch's UserWarning); the warnings are checked
      // by the tests at the end, not printed here
      const warn = console.warn;
      console.warn = () => {};
      try {
        if ("error" in e) {
          assert.throws(fn, (err: unknown) => {
            assert.ok(err instanceof Error, "threw a non-Error");
            assert.equal(err.name, e.error.type, `error type (message: ${err.message})`);
            assert.equal(err.message.split("\n")[0], e.error.message, "error message");
            return true;
          });
        } else compare(e, fn(), name);
      } finally {
        console.warn = warn;
        torch.autograd.setDetectAnomaly(false);
      }
    });
  }
}

// ---------------------------------------------------------------- custom Functions (as in the script)
const X = (): Tensor => torch.tensor([0.5, -1.25, 2.0], { requiresGrad: true });
const XD = (): Tensor => torch.tensor([0.5, -1.25, 2.0], { dtype: D, requiresGrad: true });
let seen: unknown[] = [];

// (Function's TSDoc example, with a record of the grad mode forward runs in)
class Exp extends torch.autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor) { seen.push(torch.isGradEnabled()); const y = x.exp(); ctx.saveForBackward(y); return y; }
  static override backward(ctx: FunctionCtx, g: Tensor) { const [y] = ctx.savedTensors; return g.mul(y); }
}
class Cube extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.pow(3);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return x!.pow(2).mul(3).mul(g);
  }
}
class OnceCube extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.pow(3);
  }
  @onceDifferentiable
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return x!.pow(2).mul(3).mul(g);
  }
}
/** The wrapper form of onceDifferentiable (no decorator). */
class OnceCubeWrapped extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.pow(3);
  }
  static override backward = onceDifferentiable((ctx: FunctionCtx, g: Tensor) => ctx.savedTensors[0]!.pow(2).mul(3).mul(g));
}
class MulK extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor, k: number, y: Tensor, flag: boolean): Tensor {
    seen.push([...ctx.needsInputGrad]);
    ctx.k = k;
    ctx.flag = flag;
    ctx.saveForBackward(x, y);
    return flag ? x.mul(k).add(y.mul(x)) : x.mul(k);
  }
  static override backward(ctx: FunctionCtx, g: Tensor) {
    seen.push([...ctx.needsInputGrad]);
    const [x, y] = ctx.savedTensors;
    const gx = ctx.flag ? g.mul(ctx.k).add(g.mul(y!)) : g.mul(ctx.k);
    const gy = ctx.needsInputGrad[2] ? g.mul(x!) : null;
    return [gx, null, gy, null];
  }
}
class Split extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
    return [x.mul(2), x.mul(3)];
  }
  static override backward(_ctx: FunctionCtx, g1: Tensor, g2: Tensor): Tensor {
    seen.push(g1, g2);
    return g1.mul(2).add(g2.mul(3));
  }
}
class SplitNoMat extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
    ctx.setMaterializeGrads(false);
    return [x.mul(2), x.mul(3)];
  }
  static override backward(_ctx: FunctionCtx, g1: Tensor, g2: Tensor | null): Tensor {
    seen.push(g1, g2);
    return g2 === null ? g1.mul(2) : g1.mul(2).add(g2.mul(3));
  }
}
class Sort extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
    // (x.sort(), written out: typetorch has no sort yet)
    const xs = Array.from(x._values());
    const i = torch.tensor(xs.map((_, k) => k).sort((p, q) => xs[p]! - xs[q]!), { dtype: torch.int64 });
    const v = x.indexSelect(0, i);
    ctx.markNonDifferentiable(i);
    ctx.saveForBackward(i);
    return [v, i];
  }
  static override backward(ctx: FunctionCtx, gv: Tensor, gi: Tensor): Tensor {
    seen.push(gi);
    const [i] = ctx.savedTensors;
    return torch.zerosLike(gv).scatter(0, i!, gv);
  }
}
class NonDiff extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    const y = x.mul(2);
    ctx.markNonDifferentiable(y);
    return y;
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g;
  }
}
class AddOne extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    x.add_(1);
    ctx.markDirty(x);
    return x;
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g.mul(2);
  }
}
class MarkOnly extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.markDirty(x);
    return x;
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g;
  }
}
class AddOneTwo extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
    x.add_(1);
    ctx.markDirty(x);
    return [x, x.mul(2)];
  }
  static override backward(_ctx: FunctionCtx, g: Tensor, g2: Tensor): Tensor {
    return g.add(g2.mul(2));
  }
}
class Ident extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x;
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g.mul(5);
  }
}
class Halves extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
    return [x.index("0:1"), x.index("1:3")];
  }
  static override backward(_ctx: FunctionCtx, g1: Tensor, g2: Tensor): Tensor {
    return torch.cat([g1, g2]);
  }
}
class Mixed extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): [Tensor, number] {
    return [x.mul(2), 5];
  }
  static override backward(_ctx: FunctionCtx, g: Tensor, g2: unknown): Tensor {
    seen.push(g2);
    return g;
  }
}
class IntOut extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
    return [x.mul(2), x.mul(10).long()];
  }
  static override backward(_ctx: FunctionCtx, g: Tensor, g2: Tensor): Tensor {
    seen.push(g2);
    return g;
  }
}
class NoneFirst extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor, y: Tensor): Tensor {
    return x.mul(y);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor) {
    return [null, g];
  }
}
/** The script's bad(): forward doubles its (last) tensor argument; backward returns grads(g). */
function bad(name: string, grads: (g: Tensor) => unknown, nargs = 1) {
  const cls = class extends Function {
    static override forward(_ctx: FunctionCtx, ...args: unknown[]): Tensor {
      return ((nargs === 2 ? args[args.length - 1] : args[0]) as Tensor).mul(2);
    }
    static override backward(_ctx: FunctionCtx, g: Tensor): unknown {
      return grads(g);
    }
  };
  Object.defineProperty(cls, "name", { value: name });
  return cls;
}
const TooMany = bad("TooMany", (g) => [g, g]);
const TooFew = bad("TooFew", () => []);
const ExtraNone = bad("ExtraNone", (g) => [g, null, null]);
const WrongShape = bad("WrongShape", () => torch.ones(4));
const ScalarShape = bad("ScalarShape", () => torch.ones(1));
const Broadcast = bad("Broadcast", (g) => g.expand(2, 3));
const DoubleGrad = bad("DoubleGrad", (g) => g.double().mul(3));
const StrGrad = bad("StrGrad", () => "a");
const FloatGrad = bad("FloatGrad", () => 2.5);
const NonTensorPos = bad("NonTensorPos", (g) => [null, g], 2);
const NonTensorGiven = bad("NonTensorGiven", (g) => [g, g], 2);
const IndexShape = bad("IndexShape", () => [null, torch.ones(5)], 2);

class NoBackward extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x.mul(1);
  }
}
class NoForward extends Function {}
class SaveInt extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x, 3 as unknown as Tensor);
    return x.mul(2);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g;
  }
}
class SaveNone extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(null, x);
    return x.mul(2);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [a, b] = ctx.savedTensors;
    seen.push(a);
    return g.mul(b!);
  }
}
class DirtyInt extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.markDirty(3 as unknown as Tensor);
    return x.mul(2);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g;
  }
}
class NonDiffInt extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.markNonDifferentiable(3 as unknown as Tensor);
    return x.mul(2);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g;
  }
}
class Twice extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.mul(2);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    void ctx.savedTensors;
    return g.mul(2);
  }
}
class TwiceNoSaved extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x.mul(2);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g.mul(2);
  }
}
class TwiceReadSaved extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x.mul(2);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    void ctx.savedTensors;
    return g.mul(2);
  }
}
class NanGrad extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x.mul(2);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g.mul(NaN);
  }
}
/** f(a, b, s) = s * (a * b).sum(1), with a non-tensor argument. */
class Bilinear extends Function {
  static override forward(ctx: FunctionCtx, a: Tensor, b: Tensor, s: number): Tensor {
    ctx.saveForBackward(a, b);
    ctx.s = s;
    return a.mul(b).sum(1).mul(s);
  }
  static override backward(ctx: FunctionCtx, g: Tensor) {
    const [a, b] = ctx.savedTensors;
    const gg = g.unsqueeze(1).mul(ctx.s);
    return [gg.mul(b!), gg.mul(a!), null];
  }
}

const backward = (t: Tensor, opts?: { retainGraph?: boolean }): void => t.backward(null, opts);

runSection("custom", {
  exp: () => { seen = []; const x = X(); const y = Exp.apply(x); backward(y.sum()); return [y, x.grad, seen[0]]; },
  exp_no_grad_mode: () => { const x = X(); return torch.noGrad(() => Exp.apply(x)); },
  exp_input_without_grad: () => Exp.apply(torch.tensor([0.5, -1.25, 2.0])),
  exp_saved_modified: () => { const y = Exp.apply(X()); y.add_(1); backward(y.sum()); },
  exp_float64: () => { const x = XD(); const y = Exp.apply(x); backward(y.mul(torch.tensor([1.0, -2.0, 0.5], { dtype: D })).sum()); return [y, x.grad]; },
  cube_double_backward: () => { const x = X(); const [gx] = torch.autograd.grad(Cube.apply(x).sum(), [x], { createGraph: true }); backward(gx!.sum()); return [gx, x.grad]; },
  exp_double_backward_saved_output: () => { const x = X(); const [gx] = torch.autograd.grad(Exp.apply(x).sum(), [x], { createGraph: true }); backward(gx!.sum()); return [gx, x.grad]; },
  cube_third_derivative: () => {
    const x = XD();
    const [g1] = torch.autograd.grad(Cube.apply(x).sum(), [x], { createGraph: true });
    const [g2] = torch.autograd.grad(g1!.sum(), [x], { createGraph: true });
    const [g3] = torch.autograd.grad(g2!.sum(), [x]);
    return [g1, g2, g3];
  },
  once_differentiable_first: () => { const x = X(); return torch.autograd.grad(OnceCube.apply(x).sum(), [x])[0]; },
  once_differentiable_output: () => { const x = X(); const y = OnceCube.apply(x); return torch.autograd.grad(y, [x], { gradOutputs: [torch.ones(3, { requiresGrad: true })], createGraph: true })[0]; },
  once_differentiable_double: () => {
    const x = X(), y = OnceCube.apply(x);
    const [gx] = torch.autograd.grad(y, [x], { gradOutputs: [torch.ones(3, { requiresGrad: true })], createGraph: true });
    backward(gx!.sum());
  },
  non_tensor_args: () => {
    seen = [];
    const x = X(), y = torch.tensor([1, 2, 3], { requiresGrad: true });
    const r = MulK.apply(x, 3, y, true);
    backward(r.sum());
    return [r, x.grad, y.grad, seen[0], seen[1]];
  },
  non_tensor_args_needs_input_grad: () => { seen = []; const x = X(); const r = MulK.apply(x, 2.5, torch.ones(3), false); backward(r.sum()); return [r, x.grad, seen[0]]; },
  none_gradient: () => { const x = X(), y = torch.ones(3, { requiresGrad: true }); backward(NoneFirst.apply(x, y).sum()); return [x.grad, y.grad]; },
  multi_output_materialized: () => { seen = []; const x = X(); const [a, b] = Split.apply(x); backward(a.sum()); return [a, b, a.gradFn === b.gradFn, x.grad, seen[0], seen[1]]; },
  multi_output_both: () => { seen = []; const x = X(); const [a, b] = Split.apply(x); backward(a.mul(2).add(b).sum()); return [x.grad, seen[0], seen[1]]; },
  multi_output_not_materialized: () => { seen = []; const x = X(); const [a] = SplitNoMat.apply(x); backward(a.sum()); return [x.grad, seen[0], seen[1]]; },
  mark_non_differentiable_indices: () => {
    seen = [];
    const x = torch.tensor([3, 1, 2], { requiresGrad: true });
    const [v, i] = Sort.apply(x);
    backward(v.mul(torch.tensor([1, 2, 3])).sum());
    return [v, i, x.grad, seen[0]];
  },
  mark_non_differentiable_output: () => NonDiff.apply(X()),
  mark_dirty: () => { const x = X(), x3 = x.mul(1); const r = AddOne.apply(x3); backward(r.sum()); return [r === x3, r, x3._version.value, x.grad]; },
  mark_dirty_version: () => { const t = torch.ones(2); MarkOnly.apply(t); return t._version.value; },
  mark_dirty_leaf: () => AddOne.apply(X()),
  mark_dirty_view: () => {
    const x = X(), base = x.mul(1), v = base.index("0:2");
    const r = AddOne.apply(v);
    backward(base.sum());
    return [r === v, base, v, x.grad];
  },
  mark_dirty_view_two_outputs: () => { const base = X().mul(1); AddOneTwo.apply(base.index("0:2")); },
  mark_dirty_saved_before: () => { const x = X(), a = x.mul(1), b = a.pow(2); AddOne.apply(a); backward(b.sum()); },
  return_input: () => { const x = X(); const r = Ident.apply(x); backward(r.sum()); return [r === x, r, x.grad]; },
  return_input_inplace: () => { Ident.apply(X()).mul_(2); },
  return_input_no_grad: () => { const t = torch.ones(2); const r = Ident.apply(t); return [r === t, r, r._base === t]; },
  multi_output_views_inplace: () => { const [a] = Halves.apply(X().mul(1)); a.mul_(2); },
  multi_output_views_grad: () => { const x = X(); const [a, b] = Halves.apply(x.mul(1)); backward(a.mul(2).add(b.sum()).sum()); return [a, b, x.grad]; },
  non_tensor_output: () => { seen = []; const x = X(); const r = Mixed.apply(x); backward(r[0].sum()); return [r[0], r[1], x.grad, seen[0]]; },
  integer_output: () => { seen = []; const x = X(); const [a, i] = IntOut.apply(x); backward(a.sum()); return [a, i, x.grad, seen[0]]; },
  too_many_gradients: () => backward(TooMany.apply(X()).sum()),
  too_few_gradients: () => backward(TooFew.apply(X()).sum()),
  extra_none_gradients: () => { const x = X(); backward(ExtraNone.apply(x).sum()); return x.grad; },
  wrong_gradient_shape: () => backward(WrongShape.apply(X()).sum()),
  gradient_shape_one: () => backward(ScalarShape.apply(X()).sum()),
  gradient_broadcast_summed: () => { const x = X(); backward(Broadcast.apply(x).sum()); return x.grad; },
  gradient_dtype_cast: () => { const x = X(); backward(DoubleGrad.apply(x).sum()); return x.grad; },
  gradient_str: () => backward(StrGrad.apply(X()).sum()),
  gradient_float: () => backward(FloatGrad.apply(X()).sum()),
  gradient_for_non_tensor_ok: () => { const x = X(); backward(NonTensorPos.apply(2, x).sum()); return x.grad; },
  gradient_for_non_tensor: () => backward(NonTensorGiven.apply(2, X()).sum()),
  gradient_shape_index: () => backward(IndexShape.apply(2, X()).sum()),
  no_backward: () => backward(NoBackward.apply(X()).sum()),
  no_forward: () => NoForward.apply(X()),
  save_non_tensor: () => SaveInt.apply(X()),
  save_non_tensor_no_grad: () => SaveInt.apply(torch.ones(3)),
  save_none: () => { seen = []; const x = X(); backward(SaveNone.apply(x).sum()); return [x.grad, seen[0]]; },
  mark_dirty_non_tensor: () => DirtyInt.apply(torch.ones(3)),
  mark_non_differentiable_non_tensor: () => NonDiffInt.apply(X()),
  backward_twice_saved: () => { const y = Twice.apply(X()).sum(); backward(y); backward(y); },
  backward_twice_no_saved: () => { const x = X(); const y = TwiceNoSaved.apply(x).sum(); backward(y); backward(y); return x.grad; },
  backward_twice_read_saved: () => { const y = TwiceReadSaved.apply(X()).sum(); backward(y); backward(y); },
  backward_retain_graph: () => { const x = X(); const y = Twice.apply(x).sum(); backward(y, { retainGraph: true }); backward(y); return x.grad; },
  grad_fn_names: () => {
    const x = X();
    return [Exp.apply(x).gradFn!.name(), Split.apply(x)[1].gradFn!.name(), Bilinear.apply(x.view(1, 3), x.view(1, 3), 2.0).gradFn!.name()];
  },
  bilinear_float64: () => {
    const a = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], { dtype: D, requiresGrad: true });
    const b = torch.tensor([[1.0, 2.0, -0.5], [0.3, -0.2, 0.9]], { dtype: D, requiresGrad: true });
    const y = Bilinear.apply(a, b, 1.5);
    backward(y.mul(torch.tensor([2.0, -1.0], { dtype: D })).sum());
    return [y, a.grad, b.grad, torch.autograd.gradcheck((p, q) => Bilinear.apply(p!, q!, 1.5), [a, b])];
  },
});

// ---------------------------------------------------------------- anomaly mode
runSection("anomaly", {
  sqrt_nan: () => torch.autograd.detectAnomaly(() => { const x = torch.tensor([0, 1], { requiresGrad: true }); backward(x.sqrt().mul(0).sum()); }),
  custom_nan: () => { torch.autograd.setDetectAnomaly(true); backward(NanGrad.apply(torch.tensor([0, 1], { requiresGrad: true })).sum()); },
  nan_without_anomaly: () => { const x = torch.tensor([0, 1], { requiresGrad: true }); backward(x.sqrt().mul(0).sum()); return x.grad; },
  nan_check_off: () =>
    torch.autograd.detectAnomaly(() => { const x = torch.tensor([0, 1], { requiresGrad: true }); backward(x.sqrt().mul(0).sum()); return x.grad; }, { checkNan: false }),
  inplace_hint: () => {
    torch.autograd.setDetectAnomaly(true);
    const x = torch.tensor([0, 1], { requiresGrad: true }), z = x.exp(), w = z.mul(2);
    z.add_(1);
    backward(w.sum());
  },
  inplace_hint_custom: () => torch.autograd.detectAnomaly(() => { const y = Exp.apply(X()); y.add_(1); backward(y.sum()); }),
  mode_flags: () => {
    const A = torch.autograd;
    const r = [A.isAnomalyEnabled()];
    A.detectAnomaly(() => { r.push(A.isAnomalyEnabled(), A.isAnomalyCheckNanEnabled()); });
    r.push(A.isAnomalyEnabled());
    A.setDetectAnomaly(true, false);
    r.push(A.isAnomalyEnabled(), A.isAnomalyCheckNanEnabled());
    A.setDetectAnomaly(false);
    r.push(A.isAnomalyEnabled(), A.isAnomalyCheckNanEnabled());
    return r;
  },
  anomaly_values_unchanged: () =>
    torch.autograd.detectAnomaly(() => {
      const x = XD();
      const [g] = torch.autograd.grad(x.exp().mul(x.sin()).sum(), [x], { createGraph: true });
      backward(g!.sum());
      return [g, x.grad];
    }),
});

// ---------------------------------------------------------------- autograd.functional
const A = (): Tensor => torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], { dtype: D });
const B = (): Tensor => torch.tensor([0.3, -0.2, 0.9], { dtype: D });
const A32 = (): Tensor => torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]);
const ones = (...s: number[]): Tensor => torch.ones(s, { dtype: D });
const expReducer = (x: Tensor): Tensor => x.exp().sum(1);
const twoIn = (x: Tensor, y: Tensor): Tensor => x.exp().mul(2).add(y.mul(3));
const twoOut = (x: Tensor): [Tensor, Tensor] => [x.sin(), x.mul(x).sum()];
const twoTwo = (x: Tensor, y: Tensor): [Tensor, Tensor] => [x.mul(y), x.exp().mul(y).sum()];
const cube = (x: Tensor): Tensor => x.pow(3).sum();
const mixed = (x: Tensor, y: Tensor): Tensor => x.pow(2).mul(y).sum().add(y.tanh().sum());
const softw = (x: Tensor): Tensor => x.softmax(1).mul(torch.tensor([1, 2, 3], { dtype: x.dtype })).sum();
const linear = (x: Tensor): Tensor => x.mul(3);
const constFn = (x: Tensor): Tensor => x.exp();
const notATensor = (() => 3) as unknown as TensorFunction<Tensor>;

runSection("functional", {
  jacobian_exp_reducer: () => AF.jacobian(expReducer, A()),
  jacobian_exp_reducer_float32: () => AF.jacobian(expReducer, A32()),
  jacobian_two_inputs: () => AF.jacobian(twoIn, [B(), B().mul(2)]),
  jacobian_two_outputs: () => AF.jacobian(twoOut, B()),
  jacobian_two_by_two: () => AF.jacobian(twoTwo, [B(), B().add(1)]),
  jacobian_single_in_tuple: () => AF.jacobian(expReducer, [A()]),
  jacobian_softmax: () => AF.jacobian((x: Tensor) => x.softmax(1), A()),
  jacobian_custom_function: () => AF.jacobian((a: Tensor, b: Tensor) => Bilinear.apply(a, b, 2.0), [A(), A().mul(0.5)]),
  jacobian_unused_input: () => AF.jacobian(constFn, [B(), B()]),
  jacobian_unused_input_strict: () => AF.jacobian(constFn, [B(), B()], { strict: true }),
  jacobian_create_graph: () => {
    const x = B().requiresGrad_();
    const j = AF.jacobian((t: Tensor) => t.sin().mul(t), x, { createGraph: true });
    backward(j.sum());
    return [j, x.grad];
  },
  jacobian_linear_create_graph_strict: () => AF.jacobian(linear, B(), { createGraph: true, strict: true }),
  jacobian_constant_output_strict: () => AF.jacobian(() => ones(2), B(), { strict: true }),
  jacobian_constant_output: () => AF.jacobian(() => ones(2), B()),
  jacobian_vectorize: () => AF.jacobian(twoTwo, [B(), B().add(1)], { vectorize: true }),
  jacobian_vectorize_strict: () => AF.jacobian(expReducer, A(), { vectorize: true, strict: true }),
  jacobian_forward_mode: () => AF.jacobian(twoTwo, [B(), B().add(1)], { vectorize: true, strategy: "forward-mode" }),
  jacobian_forward_mode_no_vectorize: () => AF.jacobian(expReducer, A(), { strategy: "forward-mode" }),
  jacobian_forward_mode_create_graph: () => AF.jacobian(expReducer, A(), { vectorize: true, strategy: "forward-mode", createGraph: true }),
  jacobian_bad_input: () => AF.jacobian(expReducer, 3 as unknown as Tensor),
  jacobian_bad_input_tuple: () => AF.jacobian(twoIn, [B(), 3 as unknown as Tensor]),
  jacobian_bad_output: () => AF.jacobian(notATensor, B()),
  jacobian_no_grad_outer: () => torch.noGrad(() => AF.jacobian(expReducer, A())),
  hessian_cube: () => AF.hessian(cube, A()),
  hessian_two_inputs: () => AF.hessian(mixed, [B(), B().mul(-2)]),
  hessian_softmax: () => AF.hessian(softw, A()),
  hessian_linear: () => AF.hessian((x: Tensor) => x.mul(3).sum(), B()),
  hessian_linear_strict: () => AF.hessian((x: Tensor) => x.mul(3).sum(), B(), { strict: true }),
  hessian_create_graph: () => {
    const x = B().requiresGrad_();
    const h = AF.hessian(cube, x, { createGraph: true });
    backward(h.sum());
    return [h, x.grad];
  },
  hessian_not_scalar: () => AF.hessian(expReducer, A()),
  hessian_tuple_output: () => AF.hessian(twoOut, B()),
  hessian_custom_function: () => AF.hessian((x: Tensor) => Cube.apply(x).sum(), B()),
  hessian_vectorize: () => AF.hessian(mixed, [B(), B().mul(-2)], { vectorize: true }),
  vjp_with_v: () => AF.vjp(expReducer, A(), torch.tensor([1, -2], { dtype: D })),
  vjp_scalar_no_v: () => AF.vjp(cube, A()),
  vjp_no_v_error: () => AF.vjp(expReducer, A()),
  vjp_v_wrong_size: () => AF.vjp(expReducer, A(), ones(3)),
  vjp_v_wrong_length: () => AF.vjp(twoOut, B(), ones(3)),
  vjp_v_tuple_wrong_size: () => AF.vjp(twoOut, B(), [ones(3), ones(2)]),
  vjp_tuple: () => AF.vjp(twoTwo, [B(), B().add(1)], [ones(3), torch.tensor(2, { dtype: D })]),
  vjp_unused_input: () => AF.vjp(constFn, [B(), B()], ones(3)),
  vjp_unused_input_strict: () => AF.vjp(constFn, [B(), B()], ones(3), { strict: true }),
  vjp_create_graph: () => {
    const x = A().requiresGrad_();
    const [out, g] = AF.vjp(expReducer, x, torch.tensor([1, -2], { dtype: D }), { createGraph: true });
    backward(g.sum());
    return [out, g, x.grad];
  },
  jvp_with_v: () => AF.jvp(expReducer, A(), ones(2, 3)),
  jvp_tuple: () => AF.jvp(twoTwo, [B(), B().add(1)], [ones(3), torch.tensor([1, 0, -1], { dtype: D })]),
  jvp_no_v_error: () => AF.jvp(expReducer, A()),
  jvp_scalar_input: () => AF.jvp((x: Tensor) => x.exp().mul(torch.tensor([1, 2], { dtype: D })), torch.tensor(0.5, { dtype: D })),
  jvp_unused_input_strict: () => AF.jvp(constFn, [B(), B()], [B(), B()], { strict: true }),
  jvp_create_graph: () => {
    const x = A().requiresGrad_();
    const [out, j] = AF.jvp(expReducer, x, ones(2, 3), { createGraph: true });
    backward(j.sum());
    return [out, j, x.grad];
  },
  hvp_cube: () => AF.hvp(cube, A(), ones(2, 3)),
  vhp_cube: () => AF.vhp(cube, A(), ones(2, 3)),
  hvp_two_inputs: () => AF.hvp(mixed, [B(), B().mul(-2)], [ones(3), torch.tensor([1, 0, 2], { dtype: D })]),
  vhp_two_inputs: () => AF.vhp(mixed, [B(), B().mul(-2)], [ones(3), torch.tensor([1, 0, 2], { dtype: D })]),
  hvp_not_scalar: () => AF.hvp(expReducer, A(), ones(2, 3)),
  vhp_tuple_output: () => AF.vhp(twoOut, B(), ones(3)),
  vhp_linear_strict: () => AF.vhp((x: Tensor) => x.mul(3).sum(), B(), ones(3), { strict: true }),
  hvp_linear: () => AF.hvp((x: Tensor) => x.mul(3).sum(), B(), ones(3)),
  hvp_create_graph: () => {
    const x = B().requiresGrad_();
    const [out, h] = AF.hvp(cube, x, ones(3), { createGraph: true });
    backward(h.sum());
    return [out, h, x.grad];
  },
});

// ---------------------------------------------------------------- nn.utils gradient helpers
const U = torch.nn.utils;
const decode = (e: Enc): Tensor => {
  const t = e as { shape: number[]; dtype: string; values: number[] };
  return torch.tensor(t.values, { dtype: t.dtype === "float64" ? D : torch.float32 }).reshape(t.shape);
};
const inputs = fixture.clip_inputs!;
const G1 = decode(inputs.g1!), G2 = decode(inputs.g2!), G3 = decode(inputs.g3!);
const params = (...gs: Tensor[]): Tensor[] =>
  gs.map((g) => {
    const p = torch.zeros(g.shape, { dtype: g.dtype, requiresGrad: true });
    p.grad = g.clone();
    return p;
  });
const clipCase = (gs: Tensor[], maxNorm: number, normType?: number | "inf", errorIfNonfinite?: boolean) => () => {
  const ps = params(...gs);
  const total = U.clipGradNorm_(ps, maxNorm, normType, errorIfNonfinite);
  return [total, ...ps.map((p) => p.grad)];
};

runSection("clip", {
  norm2_clipped: clipCase([G1, G2], 1.0),
  norm2_not_clipped: clipCase([G1, G2], 100.0),
  norm1: clipCase([G1, G2], 2.0, 1),
  norm3: clipCase([G1, G2], 0.5, 3.0),
  norm_half: clipCase([G1, G2], 0.5, 0.5),
  norm_inf: clipCase([G1, G2], 0.5, Infinity),
  norm_inf_single: clipCase([G1], 0.5, Infinity),
  norm_inf_string: clipCase([G2], 0.5, "inf"),
  norm2_single: clipCase([G2], 0.7),
  norm2_float64: clipCase([G3], 0.25),
  norm2_int_max_norm: clipCase([G1, G2], 2),
  norm_zero_grads: clipCase([torch.zeros(3)], 1.0),
  nonfinite_no_error: clipCase([torch.tensor([1, Infinity]), G2], 1.0),
  nonfinite_error: clipCase([torch.tensor([1, Infinity]), G2], 1.0, 2, true),
  nan_error: clipCase([torch.tensor([1, NaN])], 1.0, 3, true),
  nonfinite_inf_norm_error: clipCase([torch.tensor([1, -Infinity])], 1.0, Infinity, true),
  tensor_argument: () => { const [p] = params(G2); const total = U.clipGradNorm_(p!, 0.5); return [total, p!.grad]; },
  skips_params_without_grad: () => {
    const ps = params(G1, G2), q = torch.ones(2, { requiresGrad: true });
    const total = U.clipGradNorm_([ps[0]!, q, ps[1]!], 1.0);
    return [total, ps[0]!.grad, q.grad, ps[1]!.grad];
  },
  no_grads: () => U.clipGradNorm_([torch.ones(2, { requiresGrad: true })], 1.0),
  clip_value: () => { const ps = params(G1, G2); const r = U.clipGradValue_(ps, 0.5); return [r, ...ps.map((p) => p.grad)]; },
  clip_value_tensor_argument: () => { const [p] = params(G3); U.clipGradValue_(p!, 0.25); return p!.grad; },
  parameters_to_vector: () => {
    const a = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true }), b = torch.tensor([5, 6], { requiresGrad: true });
    const v = U.parametersToVector([a, b]);
    backward(v.mul(torch.arange(6, { dtype: torch.float32 })).sum());
    return [v, a.grad, b.grad];
  },
  vector_to_parameters: () => {
    const a = torch.zeros([2, 2], { requiresGrad: true }), b = torch.zeros(2, { requiresGrad: true });
    U.vectorToParameters(torch.arange(6, { dtype: torch.float32 }), [a, b]);
    return [a, b, a.isLeaf, a.requiresGrad];
  },
  vector_to_parameters_not_tensor: () => U.vectorToParameters([1, 2] as unknown as Tensor, [torch.zeros(2)]),
  vector_to_parameters_short: () => U.vectorToParameters(torch.arange(3, { dtype: torch.float32 }), [torch.zeros([2, 2])]),
});

// ---------------------------------------------------------------- typetorch-only checks
test("gradcheck (float64) of custom Functions: Bilinear, Cube, Exp and their double backward", () => {
  const a = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], { dtype: D, requiresGrad: true });
  const b = torch.tensor([[1.0, 2.0, -0.5], [0.3, -0.2, 0.9]], { dtype: D, requiresGrad: true });
  assert.equal(torch.autograd.gradcheck((p, q) => Bilinear.apply(p!, q!, -0.7), [a, b]), true);
  assert.equal(torch.autograd.gradcheck((p) => Cube.apply(p!), [XD()]), true);
  assert.equal(torch.autograd.gradcheck((p) => Exp.apply(p!), [XD()]), true);
  // the first derivative, itself differentiated through the Functions' backward (double backward);
  // (gradcheck evaluates its finite differences under noGrad: the inner grad needs grad mode on)
  const firstCube = (p: Tensor): Tensor => torch.enableGrad(() => torch.autograd.grad(Cube.apply(p).sum(), [p], { createGraph: true })[0]!);
  assert.equal(torch.autograd.gradcheck((p) => firstCube(p!), [XD()]), true);
  const firstBilinear = (p: Tensor, q: Tensor): Tensor =>
    torch.enableGrad(() => torch.autograd.grad(Bilinear.apply(p, q, 1.5).mul(torch.tensor([1, -2], { dtype: D })).sum(), [p], { createGraph: true })[0]!);
  assert.equal(torch.autograd.gradcheck((p, q) => firstBilinear(p!, q!), [a, b]), true);
  // and a wrong backward is caught
  class WrongExp extends Function {
    static override forward(_ctx: FunctionCtx, x: Tensor): Tensor { return x.exp(); }
    static override backward(_ctx: FunctionCtx, g: Tensor): Tensor { return g; }
  }
  assert.equal(torch.autograd.gradcheck((p) => WrongExp.apply(p!), [XD()], { raiseException: false }), false);
});

test("onceDifferentiable as a wrapper (static backward = onceDifferentiable(...)) acts as the decorator", () => {
  const x = X();
  assert.deepEqual(Array.from(torch.autograd.grad(OnceCubeWrapped.apply(x).sum(), [x])[0]!._values()), [0.75, 4.6875, 12]);
  const [gx] = torch.autograd.grad(OnceCubeWrapped.apply(x), [x], { gradOutputs: [torch.ones(3, { requiresGrad: true })], createGraph: true });
  assert.equal(gx!.gradFn!.name(), "Error");
  assert.throws(() => gx!.sum().backward(), /trying to differentiate twice a function that was marked with @once_differentiable/);
});

test("ctx keeps non-tensor attributes and needsInputGrad; forward runs without grad mode", () => {
  let inForward: boolean | null = null;
  class Scale extends Function {
    static override forward(ctx: FunctionCtx, x: Tensor, opts: { factor: number }): Tensor {
      inForward = torch.isGradEnabled();
      ctx.factor = opts.factor;
      return x.mul(opts.factor);
    }
    static override backward(ctx: FunctionCtx, g: Tensor) {
      assert.deepEqual(ctx.needsInputGrad, [true, false]);
      return [g.mul(ctx.factor), null];
    }
  }
  const x = X();
  const y: Tensor = Scale.apply(x, { factor: 4 });
  assert.equal(inForward, false);
  assert.equal(String(y), "tensor([ 2., -5.,  8.], grad_fn=<ScaleBackward>)");
  y.sum().backward();
  assert.deepEqual(Array.from(x.grad!._values()), [4, 4, 4]);
});

test("anomaly mode: the error carries the forward stack of the failing node, and warns with it", () => {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => void warnings.push(m);
  let err: torch.autograd.AnomalyError | null = null;
  try {
    torch.autograd.detectAnomaly(() => {
      const x = torch.tensor([0, 1], { requiresGrad: true });
      const y = x.sqrt().mul(0); // the line whose node fails
      try {
        y.sum().backward();
      } catch (e) {
        err = e as torch.autograd.AnomalyError;
      }
    });
  } finally {
    console.warn = warn;
  }
  const e = err as torch.autograd.AnomalyError | null;
  assert.ok(e !== null);
  assert.equal(e.name, "RuntimeError");
  assert.equal(e.message, "Function 'SqrtBackward0' returned nan values in its 0th output.");
  assert.equal(e.nodeName, "SqrtBackward0");
  // the stack starts at the user's call (typetorch's own frames are cut) in this file
  assert.match(e.forwardStack!.split("\n")[0]!, /autograd_function\.test\.ts/);
  assert.equal(warnings.length, 1);
  assert.ok(warnings[0]!.startsWith("UserWarning: Error detected in SqrtBackward0. Traceback of forward call that caused the error:\n"));
  assert.ok(warnings[0]!.includes(e.forwardStack!));
});

test("anomaly mode: nodes made by a backward (createGraph) name the node that induced them", () => {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => void warnings.push(m);
  try {
    torch.autograd.detectAnomaly(() => {
      const x = torch.tensor([1, 2], { requiresGrad: true });
      const [g] = torch.autograd.grad(NanGrad.apply(x.mul(1)).sum(), [x], { createGraph: true, retainGraph: true });
      void g;
    });
  } catch (e) {
    assert.equal((e as Error).message, "Function 'NanGradBackward' returned nan values in its 0th output.");
  } finally {
    console.warn = warn;
  }
  // a double backward through Cube: CubeBackward's formula made the MulBackward0 nodes of g
  const x = torch.tensor([0, 1], { requiresGrad: true });
  const g = torch.autograd.detectAnomaly(() => torch.autograd.grad(Cube.apply(x).sum(), [x], { createGraph: true })[0]!);
  assert.equal(g.gradFn!.anomaly!.parent!.name(), "CubeBackward");
  assert.match(g.gradFn!.anomaly!.stack, /autograd_function\.test\.ts/);
  // outside anomaly mode nodes keep nothing
  assert.equal(Cube.apply(x).gradFn!.anomaly, null);
  assert.equal(warnings.length, 1);
});

test("anomaly mode: errors other than NaN (an in-place change) are reported with the node's stack too", () => {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => void warnings.push(m);
  try {
    assert.throws(
      () => torch.autograd.detectAnomaly(() => { const y = Exp.apply(X()); y.add_(1); y.sum().backward(); }),
      (e: torch.autograd.AnomalyError) => e.nodeName === "ExpBackward" && /Good luck!$/.test(e.message),
    );
  } finally {
    console.warn = warn;
  }
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^UserWarning: Error detected in ExpBackward\./);
  assert.equal(torch.autograd.isAnomalyEnabled(), false);
});

test("nn.utils: clipGradNorm_ leaves gradients as they are when the norm is under maxNorm (coefficient clamped to 1)", () => {
  const ps = params(G1, G2);
  U.clipGradNorm_(ps, 1e6);
  assert.deepEqual(Array.from(ps[0]!.grad!._values()), Array.from(G1._values()));
  assert.deepEqual(Array.from(ps[1]!.grad!._values()), Array.from(G2._values()));
});
