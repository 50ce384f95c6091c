// Issue 9's remaining classes, case by case against real PyTorch 1.13 (test/fixtures/parity.json, from
// scripts/gen_parity_fixtures.py, which runs the same calls): indexing and masks, errors PyTorch
// raises (and those it does not), error classes and words, grad_fn names. Each case's outcome: shape,
// dtype, grad_fn, requires_grad and values, or the error's class and first line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";

interface Outcome {
  shape?: number[]; dtype?: string; grad_fn?: string | null; requires_grad?: boolean; values?: (number | string | boolean)[];
  ok?: boolean; error?: { type: string; message: string };
}
const fixtures = JSON.parse(readFileSync(new URL("./fixtures/parity.json", import.meta.url), "utf8")) as Record<string, Outcome>;
const F = torch.nn.functional;
const L = { dtype: torch.int64 }, B = { dtype: torch.bool }, D = { dtype: torch.float64 };
const X = () => torch.tensor([[0.5, -1.0, 2.0], [1.5, 3.0, -2.5]], { requiresGrad: true });
const randn = (...s: number[]) => { torch.manualSeed(0); return torch.randn(s); };

const cases: Record<string, () => Tensor | void> = {
  masked_fill_mask_broadcasts_self: () => torch.zeros(3).maskedFill(torch.ones([2, 3], B), 1.0),
  masked_fill_int_mask: () => torch.zeros(3).maskedFill(torch.tensor([0, 1, 0], L), 1.0),
  masked_fill_int_mask_bad: () => torch.zeros(3).maskedFill(torch.tensor([0, 2, 0], L), 1.0),
  masked_select_0d: () => torch.tensor(2).maskedSelect(torch.tensor(true)),
  masked_select_nonbool: () => torch.ones(3).maskedSelect(torch.ones(3)),
  bool_mask_0size_dim: () => torch.ones([0, 3]).index(torch.ones([0], B)),
  setitem_mask_0d_float_into_long: () => { const y = torch.zeros([3], L); y.indexPut_([torch.tensor([true, false, true])], torch.tensor(2.7)); return y; },
  setitem_index_0d_float_into_long: () => { const y = torch.zeros([3], L); y.indexPut_([torch.tensor([0], L)], torch.tensor(2.7)); return y; },
  ellipsis_slice: () => X().mul(1).index("...", ":"),
  ellipsis: () => X().mul(1).index("..."),
  take_along_dim: () => torch.takeAlongDim(X(), torch.tensor([[0], [2]], L), 1),
  take_along_dim_bcast: () => torch.takeAlongDim(X(), torch.tensor([[0, 2]], L), 1),
  take_along_dim_flat: () => torch.takeAlongDim(X(), torch.tensor([5, 0], L)),
  take_along_dim_ndim: () => torch.takeAlongDim(X(), torch.tensor([0], L), 1),
  take_along_dim_dtype: () => torch.takeAlongDim(X(), torch.tensor([[0.5]]), 1),
  take_along_dim_negative: () => torch.takeAlongDim(X(), torch.tensor([[-1]], L), 1),
  zero_expanded: () => torch.zeros([1, 3]).expand(2, 3).zero_(),
  fill_expanded: () => torch.zeros([1, 3]).expand(2, 3).fill_(1),
  grad_frees_graph: () => { const a = torch.tensor([1, 2], { requiresGrad: true }); const b = a.mul(a).sum(); torch.autograd.grad(b, [a]); b.backward(); },
  div_rounding_saved: () => {
    const a = torch.tensor([1, 2, 3], { requiresGrad: true }), b = a.mul(1), c = torch.tensor([1.5, 2.5, 3.5], { requiresGrad: true });
    const d = b.div(c, { roundingMode: "floor" });
    b.add_(1);
    d.sum().backward();
  },
  split_negative: () => { torch.ones(4).split(-1); },
  avg_pool2d_padding: () => F.avgPool2d(torch.ones([1, 1, 4, 4]), 2, { padding: 2 }),
  avg_pool2d_padding_asym: () => F.avgPool2d(torch.ones([1, 1, 6, 6]), [2, 4], { stride: 1, padding: [1, 3] }),
  cross_entropy_weight_size: () => F.crossEntropy(randn(2, 3), torch.tensor([0, 1], L), { weight: torch.ones(4) }),
  batch_norm_running_mean_size: () => F.batchNorm(randn(2, 3), torch.zeros(4), torch.ones(3)),
  batch_norm_running_var_size: () => F.batchNorm(randn(2, 3), torch.zeros(3), torch.ones(4)),
  batch_norm_weight_size: () => F.batchNorm(randn(2, 3), torch.zeros(3), torch.ones(3), torch.ones(4)),
  mv_shape: () => torch.ones([2, 3]).mv(torch.ones(4)),
  matmul_1d_1d_shape: () => torch.ones(3).matmul(torch.ones(4)),
  matmul_3d_3d_shape: () => torch.ones([2, 2, 3]).matmul(torch.ones([2, 4, 5])),
  matmul_2d_3d: () => X().matmul(torch.ones([4, 3, 5])),
  matmul_1d_3d: () => torch.tensor([1, 2, 3], { requiresGrad: true }).matmul(torch.ones([4, 3, 5])),
  narrow_out_of_range: () => torch.ones(3).narrow(0, 2, 2),
  narrow_0d: () => torch.tensor(1).narrow(0, 0, 1),
  argmax_empty_dim: () => torch.ones([0, 3]).argmax(0),
  argmax_empty: () => torch.ones([0]).argmax(),
  argmax_bool: () => torch.tensor([true, false]).argmax(),
  index_select_float_index: () => torch.ones(3).indexSelect(0, torch.tensor([0.5])),
  index_select_negative: () => torch.ones(3).indexSelect(0, torch.tensor([-1], L)),
  gather_negative: () => torch.ones([2, 3]).gather(0, torch.tensor([[-1, 0, 0]], L)),
  diagonal: () => X().mul(1).diagonal(),
  diagonal_offset: () => X().mul(1).diagonal(1),
  diagonal_same_dims: () => X().diagonal(0, 1, -1),
  cat_zero_dim: () => torch.cat([torch.ones(2), torch.tensor(1)]),
  maximum_number: () => torch.ones(2).maximum(1.5 as unknown as Tensor),
  mm_dtype: () => torch.ones([2, 2], D).mm(torch.ones([2, 2])),
  mm_bool: () => torch.ones([2, 2], B).mm(torch.ones([2, 2])),
  copy_broadcast: () => torch.zeros([2, 3]).copy_(torch.ones([2, 1, 3])),
  copy_mismatch: () => torch.zeros([2, 3]).copy_(torch.ones([4, 3])),
  clamp__long: () => torch.zeros([2], L).clamp_(-0.5, 0.5),
  long_of_inf: () => torch.tensor([Infinity, NaN, -2.5, 1e30]).long(),
};

const activations: Record<string, (a: Tensor) => Tensor> = {
  tanh: (a) => a.tanh(), sigmoid: (a) => a.sigmoid(), relu: (a) => a.relu(), leaky_relu: (a) => F.leakyRelu(a),
};
for (const [nm, fn] of Object.entries(activations)) {
  const first = () => {
    const a = torch.tensor([-1.5, 0.5, 2.0], { requiresGrad: true });
    return torch.autograd.grad(fn(a).sum(), [a], { createGraph: true })[0]!;
  };
  cases[`${nm}_create_graph`] = first;
  cases[`${nm}_second_derivative`] = () => {
    const a = torch.tensor([-1.5, 0.5, 2.0], { requiresGrad: true });
    const g = torch.autograd.grad(fn(a).sum(), [a], { createGraph: true })[0]!;
    return torch.autograd.grad(g.mul(torch.tensor([0.3, -0.7, 1.1])).sum(), [a])[0]!;
  };
}

// session 5: fresh-seed fuzz classes
for (const [nm, x, d, idx] of [
  ["dim1", [3, 2], 1, [0, -1]], ["dim1_3d", [3, 2, 4], 1, [0, 9]], ["dim2", [3, 2, 4], 2, [0, -1]], ["dim0", [3, 2], 0, [0, -1]],
  ["empty_self", [0, 2, 2], 2, [5]], ["empty_axis", [2, 0, 3], 1, [0]], ["empty_ok", [2, 0], 0, [1]], ["int32", [3, 2], 1, [1, 0]],
] as const)
  cases[`index_select_${nm}`] = () => torch.ones([...x]).indexSelect(d, torch.tensor([...idx], { dtype: nm === "int32" ? torch.int32 : torch.int64 }));
for (const [nm, sizes, to] of [
  ["0d_neg1", [], [-1]], ["0d_neg1_2", [], [2, -1]], ["leading_neg1", [2], [-1, 2]], ["order", [2], [-1, 3]], ["neg3_size1", [1], [-3]], ["neg3", [2], [-3]],
] as const)
  cases[`expand_${nm}`] = () => torch.ones([...sizes]).expand(...to);
for (const [nm, shp, tgt, w] of [
  ["4d_target_1d", [1, 3, 1, 4], [1], 0], ["3d_target", [1, 3, 4], [1], 0], ["4d_size_mismatch", [1, 3, 1, 4], [1, 1, 5], 0],
  ["5d_size", [1, 3, 1, 4, 2], [1, 1, 5], 0], ["batch", [2, 3, 4], [1, 4], 0], ["4d_weight", [2, 3, 1, 5], [2, 1, 5], 2],
  ["3d_weight", [2, 3, 5], [2, 5], 2], ["2d_weight", [2, 3], [2], 2],
] as const)
  cases[`cross_entropy_${nm}`] = () => F.crossEntropy(torch.ones([...shp]), torch.zeros([...tgt], L), w ? { weight: torch.ones(w) } : {});
cases.cross_entropy_soft_weight = () => F.crossEntropy(torch.ones([2, 3, 5]), torch.zeros([2, 3, 5]), { weight: torch.ones(2) });
cases.nll_loss_long_input = () => F.nllLoss(torch.ones([2, 3], L), torch.zeros(2));
cases.nll_loss2d_long_input = () => F.nllLoss(torch.ones([2, 3, 1, 4], L), torch.zeros([2, 1, 4]));
cases.nll_loss_bool_empty = () => F.nllLoss(torch.ones([2, 0], B), torch.tensor([0, 0], L));
cases.nll_loss_multi_target = () => F.nllLoss(torch.ones([2, 3]), torch.zeros([2, 2], L));
cases.log_softmax_empty_dim = () => torch.ones([0, 4, 2], { requiresGrad: true }).logSoftmax(0);
cases.softmax_empty_other_dim = () => torch.ones([2, 0, 2], { requiresGrad: true }).softmax(0);
cases.argmax_empty_negative_dim = () => torch.ones([2, 4, 0]).argmax(-1);
cases.sub__bool_expanded = () => torch.ones([4], B).expand(2, 4).sub_(torch.ones([4], B));
cases.clamp__long_expanded_float = () => torch.ones([4], L).expand(2, 4).clamp_(-0.5);
cases.clamp__long_expanded_int = () => torch.ones([4], L).expand(2, 4).clamp_(-1);
cases.mm_saves_only_needed = () => {
  const a = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true }), b = a.mul(1);
  const y = b.matmul(torch.ones([2, 2]));
  b.zero_();
  y.sum().backward();
  return a.grad!;
};
cases.mean_dim_saves_self = () => {
  const a = torch.tensor([0.5, 1.5], { requiresGrad: true }), b = a.mul(1.5);
  const m = b.mean(0);
  b.add_(1);
  m.backward();
};
cases.copyslices_overlapping_view = () => {
  const a = torch.tensor([[1, 2, 3]], { requiresGrad: true }), b = a.mul(1.5);
  b.expand(3, 1, 3).select(1, 0).fill_(1.7);
  b.sum().backward();
};

cases.smooth_l1_beta0 = () => F.smoothL1Loss(torch.tensor([0, 1, -2], { requiresGrad: true }), torch.zeros(3), { beta: 0 });
cases.smooth_l1_beta0_grad = () => {
  const x = torch.tensor([0, 1, -2], { requiresGrad: true });
  F.smoothL1Loss(x, torch.zeros(3), { beta: 0 }).backward();
  return x.grad!;
};

const losses: Record<string, (x: Tensor, t: Tensor) => Tensor> = { mse: (x, t) => F.mseLoss(x, t), l1: (x, t) => F.l1Loss(x, t), huber: (x, t) => F.huberLoss(x, t) };
for (const [nm, fn] of Object.entries(losses)) {
  cases[`${nm}_mixed_dtypes_backward`] = () => {
    const x = torch.tensor([0.5, -1.0, 2.0], { dtype: torch.float64, requiresGrad: true });
    fn(x, torch.tensor([1.0, 0.0, -1.0])).backward();
    return x.grad!;
  };
}

const num = (v: number | string | boolean): number => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v));

test("every fixture case has a typetorch call", () => {
  assert.deepEqual(Object.keys(fixtures).filter((k) => !cases[k]), []);
});

for (const [name, want] of Object.entries(fixtures)) {
  test(`parity: ${name}`, () => {
    const f = cases[name]!;
    if (want.error) {
      assert.throws(f, (e: Error) => {
        const type = e instanceof torch.TorchTypeError ? "TypeError" : e.constructor.name;
        assert.equal(`${type}: ${e.message.split("\n")[0]}`, `${want.error!.type}: ${want.error!.message}`);
        return true;
      });
      return;
    }
    const r = f();
    if (want.ok) return;
    assert.ok(r, "a tensor");
    assert.deepEqual([...r.shape], want.shape, "shape");
    assert.equal(r.dtype.name, want.dtype, "dtype");
    assert.equal(r.gradFn ? r.gradFn.name() : null, want.grad_fn, "grad_fn");
    assert.equal(r.requiresGrad, want.requires_grad, "requires_grad");
    const got = (r.detach().reshape([-1]).tolist() as (number | boolean)[]).map(Number);
    want.values!.forEach((v, i) => {
      const w = num(v);
      if (Number.isNaN(w)) assert.ok(Number.isNaN(got[i]!), `value ${i}`);
      else assert.ok(Math.abs(got[i]! - w) <= 1e-6 * Math.max(1, Math.abs(w)), `value ${i}: ${got[i]} vs ${w}`);
    });
  });
}
