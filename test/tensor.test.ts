// The Tensor API against real PyTorch 1.13 (fixtures from scripts/gen_tensor_fixtures.py): printing
// through String(t), iteration and conversion, type promotion and integer arithmetic, in-place ops and
// version counters, and Python indexing (x[...] as x.index(...), x[...] = v as x.indexPut_(...)).
import { test } from "node:test";
import assert from "node:assert/strict";

import * as torch from "../src/index.js";

import { ar, runSection } from "./helpers/fixtures.js";

const L = torch.int64;
const gradX = (): torch.Tensor => torch.tensor([1, 2, 3], { requiresGrad: true });
const il = (...v: number[]): torch.Tensor => torch.tensor(v, { dtype: L });
/** runs an in-place op on x(), gives [x, x._version] */
const inplace = (f: (t: torch.Tensor) => unknown, x: () => torch.Tensor) => (): unknown => {
  const t = x();
  f(t);
  return [t, t._version.value];
};
/** Python's `t[idx] = v`, gives [t, t._version] */
const setItem = (x: () => torch.Tensor, idx: torch.IndexSpec | torch.IndexSpec[], v: number | torch.Tensor) => (): unknown => {
  const t = x();
  t.indexPut_(idx, v);
  return [t, t._version.value];
};

// ------------------------------------------------------------------ printing
runSection("printing", {
  print_requires_grad_leaf: () => gradX(),
  print_grad_fn_mul: () => gradX().mul(2),
  print_grad_fn_add: () => gradX().add(gradX()),
  print_grad_fn_sum: () => gradX().mul(2).sum(),
  print_grad_fn_mean: () => gradX().mean(),
  print_grad_fn_exp: () => gradX().exp(),
  print_grad_fn_view: () => gradX().view(3, 1),
  print_grad_fn_t: () => gradX().view(3, 1).t(),
  print_grad_fn_select: () => gradX().index(1),
  print_grad_fn_slice: () => gradX().index("1:"),
  print_grad_fn_matmul: () => torch.ones(2, 3, { requiresGrad: true }).matmul(torch.ones(3, 2)),
  print_float64: () => torch.tensor([1.5, 2.0], { dtype: torch.float64 }),
  print_float64_grad: () => torch.tensor([1.5, 2.0], { dtype: torch.float64, requiresGrad: true }),
  print_int32: () => torch.tensor([1, 2, 3], { dtype: torch.int32 }),
  print_arange_int64: () => torch.arange(5),
  print_bool_cmp: () => torch.arange(5).gt(2),
  print_0d_float: () => torch.tensor(3.5),
  print_0d_int64: () => torch.tensor(7, { dtype: L }),
  print_0d_sum: () => torch.arange(5).sum(),
  print_0d_bool: () => torch.tensor(true),
  print_big: () => torch.arange(2000, { dtype: torch.float32 }).div(7),
  print_big_2d: () => ar(40, 50),
  print_transpose: () => ar(2, 3).t(),
  print_slice_step: () => ar(4, 4).index("::2", "1::2"),
  print_permute: () => ar(2, 3, 4).permute(2, 0, 1),
  print_expand: () => torch.tensor([1, 2]).expand(3, 2),
  print_empty: () => torch.zeros(0),
  print_empty_2d: () => torch.zeros(2, 0),
  print_inplace_view_base: () => { const x = torch.ones(2, 2, { requiresGrad: true }).mul(1); x.index(0).mul_(2); return x; },
  print_inplace_view_itself: () => torch.ones(2, 2, { requiresGrad: true }).mul(1).index(0).mul_(2),
  print_index_put_adv: () => torch.ones(2, 2, { requiresGrad: true }).mul(1).indexPut_([torch.tensor([0], { dtype: L })], 5),
  print_index_put_basic: () => torch.ones(2, 2, { requiresGrad: true }).mul(1).indexPut_(0, 5),
  print_to_double_grad: () => gradX().double(),
  print_detach: () => gradX().mul(2).detach(),
  print_no_grad: () => torch.noGrad(() => gradX().mul(2)),
  print_int32_2d: () => torch.arange(6, { dtype: torch.int32 }).view(2, 3).t(),
  print_float64_0d: () => torch.tensor(2.5, { dtype: torch.float64 }),
  print_bool_2d_view: () => ar(3, 3).gt(3).t().index("1:"),
});

test("printing: console.log goes through the same formatter (util.inspect)", async () => {
  const { inspect } = await import("node:util");
  const t = gradX().mul(2);
  assert.equal(inspect(t), String(t));
  assert.equal(`${torch.arange(3)}`, "tensor([0, 1, 2])");
});

// ------------------------------------------------------------------ iteration and conversion
runSection("conversion", {
  item_float: () => torch.tensor([2.5]).item(),
  item_int: () => torch.tensor(7, { dtype: L }).item(),
  item_bool: () => torch.tensor(true).item(),
  item_many: () => torch.zeros(2).item(),
  tolist_2d: () => ar(2, 3).tolist(),
  tolist_transposed: () => ar(2, 3).t().tolist(),
  tolist_bool: () => torch.arange(4).remainder(2).eq(0).tolist(),
  tolist_0d: () => torch.tensor(4.5).tolist(),
  tolist_long_no_neg_zero: () => torch.tensor([-0.5, 0.5, -1.5]).long().tolist(),
  item_long_no_neg_zero: () => torch.tensor([-0.5]).long().item(),
  tolist_float_keeps_neg_zero: () => (torch.tensor([-0.0, 0.0]).tolist() as number[]).map((v) => (Object.is(v, -0) ? "-0.0" : v.toFixed(1))),
  numel: () => ar(2, 3, 4).numel(),
  size: () => ar(2, 3, 4).size(),
  size_dim: () => ar(2, 3, 4).size(1),
  size_neg_dim: () => ar(2, 3, 4).size(-1),
  size_bad_dim: () => ar(2, 3, 4).size(3),
  dim: () => ar(2, 3, 4).dim(),
  dtype_default: () => torch.zeros(1).dtype,
  to_float64: () => ar(2, 2).to(torch.float64),
  to_int64_trunc: () => torch.tensor([1.7, -1.7, 2.5]).to(torch.int64),
  float_of_long: () => torch.arange(3).float(),
  double_of_float: () => torch.tensor([0.1]).double(),
  long_of_float: () => torch.tensor([3.9, -0.5]).long(),
  bool_of_float: () => torch.tensor([0.0, 0.5, -2.0]).bool(),
  int_of_bool: () => torch.tensor([true, false]).int(),
  to_same_is_self: () => { const t = torch.zeros(2); return t.to(torch.float32) === t; },
  iter_rows: () => [...ar(3, 2)],
  iter_unpack: () => { const [w, b] = ar(2, 3); return [w, b]; },
  iter_rows_grad: () => [...torch.ones(2, 2, { requiresGrad: true }).mul(3)],
  iter_0d: () => [...torch.tensor(1)],
});

// ------------------------------------------------------------------ type promotion, integer arithmetic
const aL = () => torch.tensor([7, -7, 5, -5], { dtype: L });
const bL = () => torch.tensor([2, 2, -3, -3], { dtype: L });
runSection("promotion", {
  promote_long_plus_float: () => torch.arange(3).add(torch.ones(3)),
  promote_long_plus_pyfloat: () => torch.arange(3).add(1.5),
  promote_long_plus_pyint: () => torch.arange(3).add(2),
  promote_float_plus_double: () => torch.ones(2).add(torch.ones(2, { dtype: torch.float64 })),
  promote_float_plus_double0d: () => torch.ones(2).add(torch.tensor(1, { dtype: torch.float64 })),
  promote_long_plus_double0d: () => torch.arange(2).add(torch.tensor(1, { dtype: torch.float64 })),
  promote_int32_plus_long: () => torch.ones(2, { dtype: torch.int32 }).add(torch.ones(2, { dtype: L })),
  promote_int32_plus_long0d: () => torch.ones(2, { dtype: torch.int32 }).add(torch.tensor(5, { dtype: L })),
  promote_bool_plus_bool: () => torch.tensor([true, false]).add(torch.tensor([true, true])),
  promote_bool_plus_int: () => torch.tensor([true, false]).add(1),
  promote_bool_mul_float: () => torch.tensor([true, false]).mul(2.5),
  promote_bool_plus_long: () => torch.tensor([true, false]).add(torch.arange(2)),
  promote_bool_sum: () => torch.tensor([true, false, true]).sum(),
  promote_long_div_long: () => aL().div(bL()),
  promote_long_div_int: () => torch.arange(5).div(2),
  long_floordiv: () => aL().floorDivide(bL()),
  long_remainder: () => aL().remainder(bL()),
  long_floordiv_scalar: () => aL().floorDivide(2),
  long_remainder_scalar: () => aL().remainder(3),
  long_div_trunc: () => torch.div(aL(), bL(), { roundingMode: "trunc" }),
  long_div_floor: () => torch.div(aL(), bL(), { roundingMode: "floor" }),
  long_floordiv_zero_tensor: () => aL().floorDivide(torch.tensor([1, 0, 2, 1], { dtype: L })),
  long_remainder_zero_scalar: () => aL().remainder(0),
  long_fmod_zero: () => aL().fmod(torch.tensor([1, 2, 0, 1], { dtype: L })),
  long_div_trunc_zero_scalar: () => torch.div(aL(), 0, { roundingMode: "trunc" }),
  long_div_true_zero: () => torch.div(aL(), 0),
  long_mul: () => aL().mul(bL()),
  long_sub: () => aL().sub(bL()),
  long_neg: () => aL().neg(),
  long_pow: () => aL().pow(2),
  long_mean_error: () => torch.arange(5).mean(),
  long_mean_dtype: () => torch.arange(5).mean({ dtype: torch.float32 }),
  long_sum: () => torch.arange(5).sum(),
  int32_sum_dtype: () => torch.ones(3, { dtype: torch.int32 }).sum(),
  float_floordiv: () => torch.tensor([7, -7]).floorDivide(2),
  float_remainder: () => torch.tensor([7, -7]).remainder(3),
  cmp_long_float: () => torch.arange(3).lt(torch.tensor([0.5, 1.5, 1.5])),
  eq_scalar: () => torch.arange(3).eq(1),
  promote_int32_plus_pyfloat: () => torch.ones(2, { dtype: torch.int32 }).add(1.5),
  promote_int32_mul_bool: () => torch.ones(2, { dtype: torch.int32 }).mul(torch.tensor([true, false])),
  promote_float64_0d_plus_long0d: () => torch.tensor(1, { dtype: torch.float64 }).add(torch.tensor(1, { dtype: L })),
  promote_long0d_plus_float_tensor: () => torch.tensor(1, { dtype: L }).add(torch.ones(2)),
  promote_int32_div_int32: () => torch.ones(2, { dtype: torch.int32 }).div(torch.ones(2, { dtype: torch.int32 })),
  long_floordiv_zero: () => torch.arange(3).floorDivide(0),
  long_remainder_zero: () => torch.arange(3).remainder(0),
  float_div_zero: () => torch.tensor([1, -1, 0]).div(0),
  bool_sub_error: () => torch.tensor([true]).sub(torch.tensor([false])),
  bool_neg_error: () => torch.tensor([true]).neg(),
  long_sum_dim: () => torch.arange(6).view(2, 3).sum(1),
  bool_and: () => torch.tensor([true, false]).logicalAnd(torch.tensor([true, true])),
});

// ------------------------------------------------------------------ in place: results and version counters
runSection("inplace", {
  inplace_add_: inplace((t) => t.add_(1), () => ar(2, 2)),
  inplace_mul_twice: inplace((t) => t.mul_(2).mul_(3), () => ar(2, 2)),
  inplace_add_broadcast: inplace((t) => t.add_(torch.tensor([10, 20])), () => ar(2, 2)),
  inplace_long_add_int: inplace((t) => t.add_(2), () => torch.arange(3)),
  inplace_long_add_float_error: inplace((t) => t.add_(1.5), () => torch.arange(3)),
  inplace_long_mul_float_tensor_error: inplace((t) => t.mul_(torch.ones(3)), () => torch.arange(3)),
  inplace_long_div_error: inplace((t) => t.div_(2), () => torch.arange(3)),
  inplace_float_add_long: inplace((t) => t.add_(torch.arange(3)), () => torch.ones(3)),
  inplace_zero_: inplace((t) => t.zero_(), () => ar(2, 2)),
  inplace_fill_: inplace((t) => t.fill_(7), () => ar(2, 2)),
  inplace_copy_: inplace((t) => t.copy_(torch.tensor([5, 6])), () => ar(2, 2)),
  inplace_copy_long_from_float: inplace((t) => t.copy_(torch.tensor([1.9, -2.9, 3.5])), () => torch.arange(3)),
  inplace_clamp_: inplace((t) => t.clamp_(1, 2), () => ar(2, 2)),
  inplace_leaf_error: inplace((t) => t.add_(1), gradX),
  inplace_broadcast_error: inplace((t) => t.add_(torch.ones(2, 2)), () => torch.ones(2)),
  inplace_nonleaf_grad_fn: () => gradX().mul(1).mul_(2),
  inplace_view_bumps_base: inplace((t) => t.index(0).add_(1), () => ar(2, 2)),
  inplace_base_bumps_view: () => {
    const x = ar(2, 2);
    const v = x.index(1);
    return [x.add_(1), v, v._version.value];
  },
});

// ------------------------------------------------------------------ indexing
const X = () => ar(3, 4);
const Y = () => ar(2, 3, 4);
runSection("indexing", {
  idx_int: () => X().index(1),
  idx_neg_int: () => X().index(-1),
  idx_two_ints: () => X().index(1, 2),
  idx_slice: () => X().index("1:3"),
  idx_slice_step: () => X().index("::2"),
  idx_slice_cols: () => X().index(":", "1:3"),
  idx_slice_neg: () => X().index("-2:"),
  idx_slice_obj: () => X().index(":", torch.slice(1, null, 2)),
  idx_slice_oob: () => X().index("1:10"),
  idx_ellipsis: () => Y().index("...", 1),
  idx_ellipsis_mid: () => Y().index(0, "...", 2),
  idx_none: () => X().index(null),
  idx_none_mid: () => X().index(":", null, 1),
  idx_tensor_1d: () => X().index(il(2, 0, 2)),
  idx_tensor_neg: () => X().index(il(-1, 0)),
  idx_tensor_2d: () => X().index(il(0, 1, 2, 0).reshape(2, 2)),
  idx_tensor_cols: () => X().index(":", il(3, 0)),
  idx_two_tensors: () => X().index(il(0, 2), il(1, 3)),
  idx_two_tensors_broadcast: () => X().index(il(0, 2).reshape(2, 1), il(1, 3)),
  idx_tensor_slice: () => Y().index(il(1, 0), "1:"),
  idx_separated_tensors: () => Y().index(il(1, 0), ":", il(0, 3)),
  idx_int_and_tensor: () => Y().index(1, ":", il(0, 3)),
  idx_bool_mask: () => { const x = X(); return x.index(x.gt(5)); },
  idx_bool_rows: () => X().index(torch.tensor([true, false, true])),
  idx_list: () => X().index([2, 0]),
  idx_grad_fn: () => torch.ones(3, 4, { requiresGrad: true }).mul(1).index(il(0, 2)),
  idx_oob: () => X().index(5),
  idx_oob_neg: () => X().index(-4),
  idx_oob_col: () => X().index(0, 4),
  idx_oob_tensor: () => X().index(il(0, 5)),
  idx_too_many: () => X().index(0, 0, 0),
  idx_too_many_slices: () => X().index(":", ":", ":"),
  idx_view_shares: () => { const x = X(); return [x, x.index("1:")._base === x]; },
  put_int: setItem(X, 1, 0),
  put_slice: setItem(X, [":", "1:3"], -1),
  // NOTE: an array of numbers is one list index (Python's x[[0]]), so Python's x[(0,)] is indexPut_(0, v)
  put_slice_tensor: setItem(X, 0, torch.tensor([9, 8, 7, 6])),
  put_ellipsis: setItem(Y, ["...", 0], 5),
  put_tensor_index: setItem(X, [il(0, 2)], 3),
  put_two_tensors: setItem(X, [il(0, 2), il(1, 3)], torch.tensor([100, 200])),
  put_bool_mask: () => { const x = X(); x.indexPut_([x.gt(8)], 0); return [x, x._version.value]; },
  put_tensor_cols: setItem(X, [":", il(0, 3)], torch.tensor([[1, 2]])),
  put_oob: setItem(X, 3, 0),
  put_long_float_value: setItem(() => torch.arange(4), 1, 2.7),
  idx_tensor_on_transposed: () => X().t().index(il(3, 1)),
  idx_neg_step: () => X().index("::-1"),
  idx_ellipsis_none: () => X().index("...", null),
  idx_0d_tensor: () => X().index(torch.tensor(1, { dtype: L })),
  idx_bool_true: () => X().index(true),
  idx_2d_mask: () => X().index(torch.tensor([[1, 1, 1, 1], [0, 1, 1, 1], [0, 0, 1, 1]], { dtype: torch.bool })),
  idx_mask_bad_shape: () => X().index(torch.tensor([true, false])),
  idx_on_0d: () => torch.tensor(5).index(null),
  idx_0d_int: () => torch.tensor(5).index(0),
  idx_int_tensor_slice_tensor: () => Y().index(il(0, 1), "1:3", il(2, 3)),
  put_transposed_view: () => { const x = X(); x.t().indexPut_(0, 9); return [x, x._version.value]; },
  put_broadcast_row: setItem(X, "1:", torch.tensor([1, 2, 3, 4])),
  put_mask_tensor_value: () => { const x = X(); x.indexPut_([x.gt(8)], torch.tensor([-1, -2, -3])); return [x, x._version.value]; },
  put_value_bad_shape: setItem(X, 0, torch.tensor([1, 2])),
  put_long_index_cast_value: setItem(() => torch.arange(5), [il(0, 4)], torch.tensor([1.5, -2.5])),
  put_none_index: setItem(X, [null, 1], 3),
});
