// The sorting and selection ops (issue 10) against real PyTorch 1.13: test/fixtures/sorting.json, from
// scripts/gen_sorting_fixtures.py, which runs the same calls. Each case's outcome: every returned
// tensor's shape, strides, dtype, grad_fn, requires_grad and values (indices of ties included), or
// the error's class and first line. Then float64 gradchecks of each differentiable op, double
// backward, the return forms of unique, and the speed of a large sort.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { BACKENDS, onBackend } from "./helpers/numerics.js";

type Val = number | boolean | string;
interface Enc { shape: number[]; stride: number[]; dtype: string; grad_fn: string | null; requires_grad: boolean; values: Val[] }
interface Outcome { out?: (Enc | null)[]; error?: { type: string; message: string } }
interface Stored { shape: number[]; dtype: string; values: Val[] }
const fixture = JSON.parse(readFileSync(new URL("./fixtures/sorting.json", import.meta.url), "utf8")) as { inputs: Record<string, Stored>; cases: Record<string, Outcome> };

const num = (v: Val): number | boolean =>
  v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "-0" ? -0 : (v as number | boolean);
const dtypes: Record<string, torch.DType> = { float32: torch.float32, float64: torch.float64, int64: torch.int64, int32: torch.int32, bool: torch.bool };
/** A stored random input, rebuilt from the fixture. */
const S = (name: string): Tensor => {
  const s = fixture.inputs[name]!;
  const vals = s.values.map(num);
  return torch.tensor(vals.map((v) => (typeof v === "boolean" ? +v : v)), { dtype: dtypes[s.dtype]! }).reshape(s.shape);
};

const F32 = { dtype: torch.float32 }, L = { dtype: torch.int64 }, D64 = { dtype: torch.float64 }, RG = { requiresGrad: true };
const X = () => torch.tensor([[0.5, -1.0, 2.0, 0.5], [1.5, 3.0, -2.5, 3.0]], RG);
const T = () => torch.tensor([1, 2, 2, 1, 3, 3, 1], RG);
const N = () => torch.tensor([3, NaN, 1, -Infinity, Infinity, NaN, -0, 0, 1]);
const I = () => torch.tensor([[5, 3, 5, 1], [2, 2, 7, 2]], L);
const B = () => torch.tensor([true, false, true, false]);
const D = () => torch.tensor([[0.3, -1.2, 2.5, 0.7], [1.1, 0.4, -0.6, 2.2]], { dtype: torch.float64, requiresGrad: true });
const P3 = () => torch.arange(24, F32).reshape(2, 3, 4).permute(2, 0, 1);
const s0 = (v: number | boolean) => torch.tensor(v as number);
const g0 = (v: number) => torch.tensor(v, RG);

const weights = (y: Tensor): Tensor => torch.arange(y.numel(), { dtype: y.dtype }).add(1).reshape(y.shape);
/** x.grad after (f(x) * [1, 2, 3, ...]).sum().backward(). */
const gradCase = (makeX: () => Tensor, f: (x: Tensor) => Tensor) => (): Tensor | null => {
  const x = makeX();
  const y = f(x);
  y.mul(weights(y)).sum().backward();
  return x.grad;
};
/** Second order: g = d(f(x) . v)/dx with createGraph; then d(g . w)/d[x, v]. */
const doubleCase = (makeX: () => Tensor, f: (x: Tensor) => Tensor) => (): (Tensor | null)[] => {
  const x = makeX();
  const y = f(x);
  const v = weights(y).div(7).requiresGrad_();
  const [g] = torch.autograd.grad(y, [x], { gradOutputs: [v], createGraph: true });
  return torch.autograd.grad(g!.mul(weights(g!)).sum(), [x, v], { allowUnused: true });
};

const BD = () => torch.tensor([1, 3, 5, 7, 9]);
const V = () => torch.tensor([[3, 6, 9], [3, 6, 9]]);
const U = () => torch.tensor([3, 1, 2, 3, 1, 5, 0.5, -1]);
const UN = () => torch.tensor([NaN, 1, NaN, 2, 1]);
const C = () => torch.tensor([1, 1, 2, 2, 3, 1, 1, 2], L);

const cases: Record<string, () => unknown> = {
  // sort / argsort / msort
  sort: () => X().sort(),
  sort_dim0: () => X().sort(0),
  sort_desc: () => X().sort(1, true),
  sort_stable: () => T().sort({ stable: true }),
  sort_stable_desc: () => T().sort(-1, true, { stable: true }),
  sort_ties: () => T().sort(),
  sort_nan: () => torch.sort(N()),
  sort_nan_desc: () => torch.sort(N(), { descending: true }),
  sort_nan_stable_desc: () => torch.sort(N(), { descending: true, stable: true }),
  sort_int: () => I().sort(0, true),
  sort_signed_zero: () => torch.tensor([0, -0, 1, -0, 0, -1]).sort(),
  sort_signed_zero_desc: () => torch.tensor([0, -0, 1, -0, 0, -1], D64).sort({ descending: true }),
  sort_bool: () => B().sort(),
  sort_0d: () => g0(2).sort(),
  sort_0d_dim1: () => s0(2).sort(1),
  sort_dim_oob: () => X().sort(2),
  sort_empty: () => torch.ones(0, 3).sort(0),
  sort_transposed: () => X().t().sort(1),
  sort_permuted: () => P3().sort(1),
  sort_sliced: () => torch.arange(24, F32).reshape(4, 6).index(":", "::2").sort(),
  sort_expanded: () => torch.tensor([1]).expand(40).sort(),
  sort_float64: () => D().sort(0, true),
  sort_r1: () => S("r1").sort(),
  sort_r1_desc_dim0: () => S("r1").sort(0, true),
  sort_r2: () => S("r2").sort(),
  sort_r2_desc: () => S("r2").sort({ descending: true }),
  sort_r2_stable: () => S("r2").sort({ stable: true }),
  sort_r3: () => S("r3").sort(),
  sort_r3_desc_stable: () => S("r3").sort({ descending: true, stable: true }),
  sort_r5: () => S("r5").sort({ descending: true }),
  sort_ri: () => S("ri").sort(),
  argsort: () => torch.argsort(X()),
  argsort_desc: () => torch.argsort(T(), { descending: true }),
  argsort_stable: () => torch.argsort(T(), { stable: true, descending: true }),
  argsort_dim0: () => I().argsort(0),
  msort: () => torch.msort(X()),
  msort_0d: () => torch.msort(s0(2)),
  sort_grad: gradCase(X, (x) => x.sort(1).values),
  sort_grad_0d: gradCase(() => g0(2), (x) => x.sort().values),
  msort_grad: gradCase(X, (x) => x.msort()),
  sort_grad_transposed: gradCase(X, (x) => x.t().sort(1, true).values),
  topk_transposed: () => X().t().topk(2, 0),
  kthvalue_permuted: () => P3().kthvalue(2, 2),
  median_permuted: () => P3().median(0),
  sort_double: doubleCase(D, (x) => x.sort(1, true).values),

  // topk
  topk: () => X().topk(2),
  topk_dim0: () => X().topk(1, 0),
  topk_smallest: () => T().topk(3, { largest: false }),
  topk_ties: () => T().topk(3),
  topk_unsorted: () => S("r1").topk(10, { sorted: false }),
  topk_k0: () => X().topk(0),
  topk_k_big: () => X().topk(5),
  topk_k_negative: () => X().topk(-1),
  topk_dim_oob: () => X().topk(1, 2),
  topk_0d: () => g0(2).topk(1),
  topk_0d_k0: () => s0(2).topk(0),
  topk_bool: () => B().topk(1),
  topk_bool_0d: () => s0(true).topk(1),
  topk_int: () => I().topk(2, -1, false),
  topk_nan: () => N().topk(4),
  topk_nan_smallest: () => N().topk(4, -1, false),
  topk_empty: () => torch.ones(2, 0).topk(0),
  topk_r2_partial: () => S("r2").topk(4),
  topk_r2_partial_smallest: () => S("r2").topk(3, { largest: false }),
  topk_r2_nth: () => S("r2").topk(40),
  topk_r2_nth_unsorted: () => S("r2").topk(40, -1, true, false),
  topk_r3: () => S("r3").topk(31),
  topk_r3_nth_smallest: () => S("r3").topk(700, { largest: false }),
  topk_r4_dim0: () => S("r4").topk(3, 0),
  topk_grad: gradCase(X, (x) => x.topk(2, 1).values),
  topk_double: doubleCase(D, (x) => x.topk(3, 1, false).values),

  // kthvalue
  kthvalue: () => X().kthvalue(2),
  kthvalue_ties: () => T().kthvalue(2),
  kthvalue_keepdim: () => X().kthvalue(2, 0, true),
  kthvalue_k0: () => X().kthvalue(0),
  kthvalue_k_big: () => X().kthvalue(5, 1),
  kthvalue_k_big_dim0: () => X().kthvalue(3, 0),
  kthvalue_k_big_neg: () => X().kthvalue(5, -1),
  kthvalue_dim_oob: () => X().kthvalue(1, 3),
  kthvalue_empty: () => torch.ones(0).kthvalue(1),
  kthvalue_empty_k_big: () => torch.ones(0).kthvalue(5),
  kthvalue_empty_dim1: () => torch.ones(2, 0).kthvalue(1, 1),
  kthvalue_empty_other: () => torch.ones(2, 0).kthvalue(1, 0),
  kthvalue_0d: () => g0(2).kthvalue(1),
  kthvalue_0d_k2: () => s0(2).kthvalue(2),
  kthvalue_bool: () => B().kthvalue(1),
  kthvalue_bool_0d: () => s0(true).kthvalue(1),
  kthvalue_int: () => I().kthvalue(2),
  kthvalue_nan: () => N().kthvalue(8),
  kthvalue_r1: () => S("r1").kthvalue(17),
  kthvalue_r2: () => S("r2").kthvalue(150),
  kthvalue_r4_dim0: () => S("r4").kthvalue(2, 0),
  kthvalue_r5: () => S("r5").kthvalue(351),
  kthvalue_grad: gradCase(X, (x) => x.kthvalue(2, 1).values),
  kthvalue_grad_keepdim: gradCase(X, (x) => x.kthvalue(1, 0, true).values),

  // median / nanmedian
  median: () => X().median(),
  median_ties: () => T().median(),
  median_nan: () => torch.tensor([1, NaN, 2], RG).median(),
  median_empty: () => torch.ones(0).median(),
  median_int: () => I().median(),
  median_empty_int: () => torch.ones(0, L).median(),
  median_empty_int32: () => torch.ones(0, { dtype: torch.int32 }).nanmedian(),
  median_bool: () => B().median(),
  median_signed_zero: () => torch.tensor([0, -0, 0, -0, 1]).median(),
  median_dim: () => X().median(1),
  median_dim_keepdim: () => X().median(0, true),
  median_dim_ties: () => T().median(0),
  median_dim_nan: () => torch.tensor([[1, NaN, 2, NaN], [4, 3, 2, 1]]).median(1),
  median_dim_empty: () => torch.ones(0, 2).median(0),
  median_dim_empty_other: () => torch.ones(0, 2).median(1),
  median_dim_0d: () => g0(2).median(0),
  median_dim_0d_oob: () => s0(2).median(1),
  median_dim_oob: () => X().median(2),
  median_dim_bool: () => B().median(0),
  median_dim_int: () => I().median(1),
  median_r1: () => S("r1").median(1),
  median_r2: () => S("r2").median(1),
  median_r4_dim0: () => S("r4").median(0),
  nanmedian: () => torch.tensor([NaN, 1, 2, NaN, 3], RG).nanmedian(),
  nanmedian_all_nan: () => torch.tensor([NaN, NaN]).nanmedian(),
  nanmedian_empty: () => torch.ones(0).nanmedian(),
  nanmedian_bool: () => B().nanmedian(),
  nanmedian_dim: () => torch.tensor([[1, NaN, 2, NaN], [4, 3, 2, 1]]).nanmedian(1),
  nanmedian_dim_all_nan: () => torch.tensor([[NaN, NaN, NaN], [1, NaN, 0]]).nanmedian(1, true),
  nanmedian_dim_empty: () => torch.ones(0).nanmedian(0),
  nanmedian_dim_bool: () => B().nanmedian(0),
  nanmedian_r2: () => S("r2").nanmedian(1),
  nanmedian_r4_dim0: () => S("r4").nanmedian(0),
  median_grad: gradCase(X, (x) => x.median()),
  median_grad_ties: gradCase(T, (x) => x.median()),
  median_grad_nan: gradCase(() => torch.tensor([1, NaN, NaN], RG), (x) => x.median()),
  median_dim_grad: gradCase(X, (x) => x.median(1).values),
  nanmedian_grad: gradCase(() => torch.tensor([1, 2, NaN, 2, 3, 2], RG), (x) => x.nanmedian()),
  nanmedian_dim_grad: gradCase(() => torch.tensor([[1, NaN, 2, NaN], [4, 3, 2, 1]], RG), (x) => x.nanmedian(1, true).values),

  // mode
  mode: () => X().mode(),
  mode_ties: () => T().mode(),
  mode_dim0_keepdim: () => X().mode(0, true),
  mode_nan: () => torch.tensor([NaN, 1, NaN, 1, 2]).mode(),
  mode_bool: () => B().mode(),
  mode_int: () => I().mode(1),
  mode_empty: () => torch.ones(0).mode(),
  mode_empty_other: () => torch.ones(0, 3).mode(1),
  mode_0d: () => g0(3).mode(),
  mode_dim_oob: () => X().mode(2),
  mode_r1: () => S("r1").mode(),
  mode_r2: () => S("r2").mode(),
  mode_r4_dim0: () => S("r4").mode(0),
  mode_r3: () => S("r3").mode(),
  mode_grad: gradCase(X, (x) => x.mode(1).values),

  // cummax / cummin
  cummax: () => T().cummax(0),
  cummin: () => T().cummin(0),
  cummax_dim1: () => X().cummax(1),
  cummin_dim0: () => X().cummin(0),
  cummax_nan: () => torch.tensor([1, NaN, 3, NaN, 0]).cummax(0),
  cummin_nan: () => torch.tensor([1, NaN, 3, NaN, 0]).cummin(0),
  cummax_int: () => I().cummax(1),
  cummin_bool: () => B().cummin(0),
  cummax_bool: () => B().cummax(0),
  cummax_0d: () => g0(2).cummax(0),
  cummax_empty: () => torch.ones(0).cummax(0),
  cummax_dim_oob: () => X().cummax(2),
  cummax_transposed: () => X().t().cummax(0),
  cummax_signed_zero: () => torch.tensor([0, -0, 0]).cummax(0),
  cummax_grad: gradCase(X, (x) => x.cummax(1).values),
  cummin_grad: gradCase(X, (x) => x.cummin(0).values),
  cummax_grad_0d: gradCase(() => g0(2), (x) => x.cummax(0).values),

  // logcumsumexp
  logcumsumexp: () => X().logcumsumexp(1),
  logcumsumexp_dim0: () => X().logcumsumexp(0),
  logcumsumexp_float64: () => D().logcumsumexp(1),
  logcumsumexp_inf: () => torch.tensor([-Infinity, Infinity, 1, NaN, 2]).logcumsumexp(0),
  logcumsumexp_neg_inf: () => torch.tensor([-Infinity, -Infinity, 1, -Infinity]).logcumsumexp(0),
  logcumsumexp_large: () => torch.tensor([100, 200, -300, 50]).logcumsumexp(0),
  logcumsumexp_0d: () => g0(2).logcumsumexp(0),
  logcumsumexp_empty: () => torch.ones(0).logcumsumexp(0),
  logcumsumexp_int: () => I().logcumsumexp(0),
  logcumsumexp_bool: () => B().logcumsumexp(0),
  logcumsumexp_dim_oob: () => X().logcumsumexp(2),
  logcumsumexp_r1: () => S("r1").div(3).logcumsumexp(1),
  logcumsumexp_grad: gradCase(X, (x) => x.logcumsumexp(1)),
  logcumsumexp_grad_neg_inf: gradCase(() => torch.tensor([-Infinity, 1, 2], RG), (x) => x.logcumsumexp(0)),
  logcumsumexp_grad_0d: gradCase(() => g0(2), (x) => x.logcumsumexp(0)),
  logcumsumexp_double: doubleCase(D, (x) => x.logcumsumexp(1)),
  logcumsumexp_double_zero: () => {
    // (an incoming gradient of exactly 0: log(0) in the backward gives NaN second derivatives, as in PyTorch)
    const x = torch.tensor([0.3, -1.2, 2.5], { dtype: torch.float64, requiresGrad: true });
    const v = torch.tensor([1, 0, -2], { dtype: torch.float64, requiresGrad: true });
    const [g] = torch.autograd.grad(x.logcumsumexp(0), [x], { gradOutputs: [v], createGraph: true });
    return torch.autograd.grad(g!.sum(), [x, v]);
  },

  // searchsorted / bucketize
  searchsorted: () => torch.searchsorted(BD(), V()),
  searchsorted_right: () => torch.searchsorted(BD(), V(), { right: true }),
  searchsorted_side_right: () => torch.searchsorted(BD(), V(), { side: "right" }),
  searchsorted_side_left: () => torch.searchsorted(BD(), V(), { side: "left" }),
  searchsorted_side_bad: () => torch.searchsorted(BD(), V(), { side: "middle" as "left" }),
  searchsorted_side_conflict: () => torch.searchsorted(BD(), V(), { side: "left", right: true }),
  searchsorted_int32: () => torch.searchsorted(BD(), V(), { outInt32: true }),
  searchsorted_scalar: () => torch.searchsorted(BD(), 4),
  searchsorted_scalar_float: () => torch.searchsorted(BD(), 4.5),
  searchsorted_scalar_2d: () => torch.searchsorted(V(), 4),
  searchsorted_0d: () => torch.searchsorted(BD(), s0(4)),
  searchsorted_2d: () => torch.searchsorted(torch.tensor([[1, 2, 3], [2, 4, 6]]), torch.tensor([[2, 5], [2, 5]])),
  searchsorted_2d_right: () => torch.searchsorted(torch.tensor([[1, 2, 2], [2, 4, 6]]), torch.tensor([[2, 5, 0], [2, 6, 7]]), { right: true }),
  searchsorted_2d_mismatch: () => torch.searchsorted(torch.tensor([[1, 2, 3], [2, 4, 6]]), torch.tensor([[2, 5]])),
  searchsorted_0d_boundaries: () => torch.searchsorted(s0(1), torch.tensor([2])),
  searchsorted_sorter: () => torch.searchsorted(torch.tensor([5, 1, 3]), torch.tensor([2, 4, 6, 0]), { sorter: torch.tensor([1, 2, 0], L) }),
  searchsorted_sorter_2d: () =>
    torch.searchsorted(torch.tensor([[5, 1, 3], [0, 9, 4]]), torch.tensor([[2, 4], [5, 10]]), { sorter: torch.tensor([[1, 2, 0], [0, 2, 1]], L), side: "right" }),
  searchsorted_sorter_size: () => torch.searchsorted(torch.tensor([5, 1, 3]), torch.tensor([2]), { sorter: torch.tensor([1, 2], L) }),
  searchsorted_sorter_dtype: () => torch.searchsorted(torch.tensor([5, 1, 3]), torch.tensor([2]), { sorter: torch.tensor([1, 2, 0]) }),
  searchsorted_int_float: () => torch.searchsorted(torch.tensor([1, 3, 5], L), torch.tensor([2.5, 3.5, 3])),
  searchsorted_float_int: () => torch.searchsorted(torch.tensor([1, 3, 5]), torch.tensor([2, 3], L)),
  searchsorted_int_scalar_float: () => torch.searchsorted(torch.tensor([1, 3, 5], L), 2.5),
  searchsorted_nan: () => torch.searchsorted(torch.tensor([1, 3, NaN]), torch.tensor([NaN, 2, 4])),
  searchsorted_nan_right: () => torch.searchsorted(torch.tensor([1, 3, NaN]), torch.tensor([NaN, 2, 4]), { right: true }),
  searchsorted_bool: () => torch.searchsorted(torch.tensor([false, true]), torch.tensor([true])),
  searchsorted_empty_boundaries: () => torch.searchsorted(torch.ones(0), torch.tensor([1])),
  searchsorted_empty_values: () => torch.searchsorted(BD(), torch.ones(0, 2)),
  searchsorted_ties: () => torch.searchsorted(torch.tensor([1, 2, 2, 2, 3]), torch.tensor([2, 2.5]), { side: "right" }),
  searchsorted_ties_left: () => torch.searchsorted(torch.tensor([1, 2, 2, 2, 3]), torch.tensor([2, 2.5])),
  bucketize: () => torch.bucketize(V(), BD()),
  bucketize_right_int32: () => torch.bucketize(V(), BD(), { right: true, outInt32: true }),
  bucketize_2d_boundaries: () => torch.bucketize(V(), V()),
  bucketize_scalar: () => torch.bucketize(4, BD()),
  bucketize_0d_boundaries: () => torch.bucketize(V(), s0(1)),
  bucketize_int: () => torch.bucketize(torch.tensor([1, 2, 3], L), torch.tensor([1.5, 2.5])),
  bucketize_bool: () => torch.bucketize(torch.tensor([true]), torch.tensor([false, true])),
  bucketize_grad: () => torch.bucketize(X(), BD()),

  // unique / unique_consecutive
  unique: () => torch.unique(U()),
  unique_unsorted: () => torch.unique(U(), { sorted: false }),
  unique_inverse: () => torch.unique(U(), { returnInverse: true }),
  unique_counts: () => torch.unique(U(), { returnCounts: true }),
  unique_all: () => torch.unique(U(), { returnInverse: true, returnCounts: true }),
  unique_unsorted_all: () => torch.unique(U(), { sorted: false, returnInverse: true, returnCounts: true }),
  unique_nan: () => torch.unique(UN(), { returnInverse: true, returnCounts: true }),
  unique_nan_unsorted: () => torch.unique(UN(), { sorted: false, returnInverse: true, returnCounts: true }),
  unique_signed_zero: () => torch.unique(torch.tensor([-0, 1, 0, -0]), { returnInverse: true, returnCounts: true }),
  unique_signed_zero_unsorted: () => torch.unique(torch.tensor([0, -0, 2]), { sorted: false }),
  unique_int: () => torch.unique(torch.tensor([3, 1, 2, 3, 1, 5, 10, -1, 7, 100, 8], L), { sorted: false, returnInverse: true }),
  unique_int32: () => torch.unique(torch.tensor([3, -1, 2, 3], { dtype: torch.int32 }), { sorted: false, returnCounts: true }),
  unique_bool: () => torch.unique(torch.tensor([true, false, true]), { sorted: false, returnInverse: true, returnCounts: true }),
  unique_bool_true: () => torch.unique(torch.tensor([true, true])),
  unique_0d: () => torch.unique(s0(2), { returnInverse: true, returnCounts: true }),
  unique_empty: () => torch.unique(torch.ones(0, 2), { returnInverse: true, returnCounts: true }),
  unique_2d_inverse: () => torch.unique(torch.tensor([[2, 1], [1, 3]]), { returnInverse: true }),
  unique_float64: () => torch.unique(torch.tensor([2.5, -1, 2.5], D64), { sorted: false }),
  unique_method: () => U().unique({ returnCounts: true }),
  unique_grad: () => torch.unique(X()),
  unique_grad_inverse: () => torch.unique(X(), { sorted: false, returnInverse: true }),
  unique_backward: () => torch.unique(X()).sum().backward(),
  unique_ri: () => torch.unique(S("ri"), { sorted: false, returnInverse: true, returnCounts: true }),
  unique_ri_sorted: () => torch.unique(S("ri"), { returnCounts: true }),
  unique_ru: () => torch.unique(S("ru"), { sorted: false, returnInverse: true }),
  unique_run: () => torch.unique(S("run"), { returnInverse: true, returnCounts: true }),
  unique_run_unsorted: () => torch.unique(S("run"), { sorted: false, returnCounts: true }),
  unique_r2_nan: () => torch.unique(S("r2"), { returnCounts: true }),
  unique_dim0: () => torch.unique(torch.tensor([[1, 2], [1, 2], [0, 3]], L), { dim: 0, returnInverse: true, returnCounts: true }),
  unique_dim1: () => torch.unique(torch.tensor([[2, 1, 2], [1, 3, 1]]), { dim: 1, returnInverse: true, returnCounts: true }),
  unique_dim_neg: () => torch.unique(torch.tensor([[2, 1, 2], [1, 3, 1]]), { dim: -1 }),
  unique_dim_3d: () => torch.unique(S("u3"), { dim: 1, returnInverse: true, returnCounts: true }),
  unique_dim_nan: () => torch.unique(torch.tensor([[NaN, 1], [NaN, 1], [0, 2]]), { dim: 0, returnInverse: true, returnCounts: true }),
  unique_dim_oob: () => torch.unique(torch.tensor([[2, 1, 2], [1, 3, 1]]), { dim: 2 }),
  unique_dim_0d: () => torch.unique(s0(2), { dim: 0 }),
  unique_dim_empty: () => torch.unique(torch.ones(0, 2), { dim: 0, returnInverse: true, returnCounts: true }),
  unique_dim_empty_other: () => torch.unique(torch.ones(0, 2), { dim: 1 }),
  unique_dim_empty_two: () => torch.unique(torch.ones(0, 0), { dim: 1 }),
  unique_dim_r1: () => torch.unique(S("r1").index(":", ":3"), { dim: 0, returnInverse: true, returnCounts: true }),
  unique_dim_grad: () => torch.unique(X(), { dim: 0 }),
  unique_dim_backward: () => torch.unique(X(), { dim: 0 }).sum().backward(),
  unique_consecutive: () => torch.uniqueConsecutive(C()),
  unique_consecutive_all: () => torch.uniqueConsecutive(C(), { returnInverse: true, returnCounts: true }),
  unique_consecutive_counts: () => torch.uniqueConsecutive(C(), { returnCounts: true }),
  unique_consecutive_nan: () => torch.uniqueConsecutive(torch.tensor([NaN, NaN, 1, 1, -0, 0]), { returnInverse: true, returnCounts: true }),
  unique_consecutive_2d: () => torch.uniqueConsecutive(torch.tensor([[1, 1], [2, 2]], L), { returnInverse: true, returnCounts: true }),
  unique_consecutive_0d: () => torch.uniqueConsecutive(s0(2), { returnInverse: true, returnCounts: true }),
  unique_consecutive_empty: () => torch.uniqueConsecutive(torch.ones(0), { returnInverse: true, returnCounts: true }),
  unique_consecutive_dim: () => torch.uniqueConsecutive(torch.tensor([[1, 1, 2], [1, 1, 3]], L), { dim: 1, returnInverse: true, returnCounts: true }),
  unique_consecutive_dim0_1d: () => torch.uniqueConsecutive(torch.tensor([1, 1, 2], L), { dim: 0, returnInverse: true, returnCounts: true }),
  unique_consecutive_dim_0d: () => torch.uniqueConsecutive(torch.tensor(1, L), { dim: 0 }),
  unique_consecutive_method: () => C().uniqueConsecutive({ returnCounts: true }),
  unique_consecutive_grad: () => torch.uniqueConsecutive(X()),
  unique_consecutive_backward: () => torch.uniqueConsecutive(X()).sum().backward(),
};

/**
 * Relative tolerances, by case: logcumsumexp runs log1p/exp in double (V8's, not glibc's: the last
 * bit of a double may differ) and its backward composes several float32 ops. Every other case is
 * compared exactly (values picked, not computed; sign of zero included).
 */
const rtol: Record<string, number> = {
  logcumsumexp: 2.4e-7, logcumsumexp_dim0: 2.4e-7, logcumsumexp_float64: 1e-14, logcumsumexp_inf: 2.4e-7, logcumsumexp_neg_inf: 2.4e-7,
  logcumsumexp_large: 2.4e-7, logcumsumexp_r1: 2.4e-7, logcumsumexp_grad: 1e-6, logcumsumexp_grad_neg_inf: 1e-6, logcumsumexp_double: 1e-12, logcumsumexp_double_zero: 1e-12,
};

function sameValue(got: number | boolean, want: number | boolean, tol: number): boolean {
  if (typeof want === "boolean" || typeof got === "boolean") return got === want;
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (tol === 0 || !Number.isFinite(want)) return Object.is(got, want);
  return Math.abs(got - want) <= tol * Math.abs(want);
}

function checkTensor(name: string, t: Tensor, e: Enc): void {
  assert.deepEqual(t.shape, e.shape, `${name}: shape`);
  assert.deepEqual(t.stride(), e.stride, `${name}: stride`);
  assert.equal(t.dtype.name, e.dtype, `${name}: dtype`);
  assert.equal(t.gradFn ? t.gradFn.name() : null, e.grad_fn, `${name}: grad_fn`);
  assert.equal(t.requiresGrad, e.requires_grad, `${name}: requires_grad`);
  const got = t.detach().reshape([-1]).tolist() as (number | boolean)[];
  assert.equal(got.length, e.values.length, `${name}: numel`);
  const tol = rtol[name.replace(/\[\d+\]$/, "")] ?? 0;
  e.values.forEach((v, i) => {
    const w = num(v);
    assert.ok(sameValue(got[i]!, w, tol), `${name}: value ${i}: ${String(got[i])} vs ${String(w)}`);
  });
}

test("every fixture case has a typetorch call and the reverse", () => {
  assert.deepEqual(Object.keys(cases).sort(), Object.keys(fixture.cases).sort());
});

// NOTE: every case runs on each backend (the kernels read and write storage through the backend)
for (const backend of BACKENDS)
for (const [name, want] of Object.entries(fixture.cases)) {
  test(`sorting: ${name} [${backend}]`, () => onBackend(backend, () => {
    const f = cases[name]!;
    if (want.error) {
      assert.throws(f, (e: Error) => {
        assert.equal(`${e.name}: ${e.message.split("\n")[0]}`, `${want.error!.type}: ${want.error!.message}`);
        return true;
      });
      return;
    }
    const r = f();
    const list = (r instanceof torch.Tensor ? [r] : r) as (Tensor | null)[];
    assert.ok(Array.isArray(list), `${name}: a tensor or an array`);
    assert.equal(list.length, want.out!.length, `${name}: number of results`);
    want.out!.forEach((e, i) => {
      const t = list[i];
      if (e === null) assert.equal(t, null, `${name}[${i}]: no gradient`);
      else checkTensor(`${name}[${i}]`, t!, e);
    });
  }));
}

// ---------------------------------------------------------------- gradcheck (float64, inputs without ties)
const gx = () => torch.tensor([[0.3, -1.2, 2.5, 0.7, 1.9], [1.1, 0.4, -0.6, 2.2, -1.7], [0.05, 3.1, -2.4, 1.3, 0.8]], { dtype: torch.float64, requiresGrad: true });
const differentiable: Record<string, (x: Tensor) => Tensor> = {
  sort: (x) => x.sort(1).values,
  sort_desc_dim0: (x) => x.sort(0, true).values,
  sort_stable: (x) => x.sort({ stable: true }).values,
  msort: (x) => x.msort(),
  topk: (x) => x.topk(3, 1).values,
  topk_smallest_dim0: (x) => x.topk(2, 0, false).values,
  kthvalue: (x) => x.kthvalue(2, 1).values,
  kthvalue_keepdim: (x) => x.kthvalue(3, 0, true).values,
  median: (x) => x.median(),
  median_dim: (x) => x.median(1).values,
  nanmedian: (x) => x.nanmedian(),
  nanmedian_dim: (x) => x.nanmedian(0, true).values,
  mode: (x) => x.mode(1).values,
  cummax: (x) => x.cummax(1).values,
  cummin: (x) => x.cummin(0).values,
  logcumsumexp: (x) => x.logcumsumexp(1),
  logcumsumexp_dim0: (x) => x.logcumsumexp(0),
};
for (const [name, f] of Object.entries(differentiable)) {
  test(`gradcheck: ${name}`, () => {
    assert.equal(torch.autograd.gradcheck(f, [gx()]), true);
  });
  // double backward: the gradient as a function of (x, the incoming gradient v) has the gradients
  // gradcheck finds (PyTorch's gradgradcheck)
  test(`gradgradcheck: ${name}`, () => {
    const x0 = gx();
    const shape = f(x0).shape;
    const v = torch.arange(shape.reduce((a, b) => a * b, 1), { dtype: torch.float64 }).sub(2.5).div(3).reshape(shape).requiresGrad_();
    // (gradcheck evaluates under noGrad; the first-order gradient needs its graph)
    const firstOrder = (x: Tensor, vv: Tensor): Tensor => torch.enableGrad(() => torch.autograd.grad(f(x), [x], { gradOutputs: [vv], createGraph: true })[0]!);
    assert.equal(torch.autograd.gradcheck(firstOrder, [x0, v]), true);
  });
}

// ---------------------------------------------------------------- forms of the results
test("unique returns a tensor, or an array when inverse or counts are asked for", () => {
  const x = torch.tensor([2, 1, 2]);
  assert.ok(torch.unique(x) instanceof torch.Tensor);
  assert.ok(x.unique({ sorted: false }) instanceof torch.Tensor);
  const [o1, inv] = torch.unique(x, { returnInverse: true });
  assert.deepEqual([o1.tolist(), inv.tolist()], [[1, 2], [1, 0, 1]]);
  const [o2, counts] = torch.unique(x, { returnCounts: true });
  assert.deepEqual([o2.tolist(), counts.tolist()], [[1, 2], [1, 2]]);
  assert.equal(torch.unique(x, { returnInverse: true, returnCounts: true }).length, 3);
  assert.equal(torch.uniqueConsecutive(x, { returnCounts: true }).length, 2);
});

test("sort, topk, kthvalue, median, mode, cummax return [values, indices] with names", () => {
  const x = torch.tensor([3, 1, 2]);
  for (const r of [x.sort(), x.topk(2), x.kthvalue(1), x.median(0), x.mode(), x.cummax(0), x.cummin(0), x.nanmedian(0)]) {
    assert.equal(r.length, 2);
    assert.equal(r[0], r.values);
    assert.equal(r[1], r.indices);
    assert.equal(r.indices.dtype, torch.int64);
  }
});

test("the outputs of sort keep the version counter apart from the input (an in-place change of the indices is caught)", () => {
  const x = torch.tensor([3, 1, 2], RG);
  const { values, indices } = x.sort();
  indices.add_(0);
  assert.throws(() => values.sum().backward(), /modified by an inplace operation/);
});

test("sorting 1M floats: a sorted permutation (speed is bench/'s business, not a test's)", () => {
  torch.manualSeed(0);
  const x = torch.rand(1_000_000);
  const { values, indices } = x.sort();
  const v = values.dataSync(), idx = indices.dataSync(), src = x.dataSync();
  for (let i = 1; i < v.length; i++) assert.ok(v[i - 1]! <= v[i]!, "ascending");
  const seen = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) {
    assert.equal(src[idx[i]!], v[i]);
    seen[idx[i]!] = 1;
  }
  assert.equal(seen.indexOf(0), -1, "indices are a permutation");
});
