// Issue 10's tensor-manipulation ops against real PyTorch 1.13 (test/fixtures/manipulation.json, from
// scripts/gen_manipulation_fixtures.py, which runs the same calls on the same inputs): shape,
// strides, dtype, grad_fn, values, warnings, the gradients of (out * w).sum() for PyTorch's weights,
// or the error's class and words; then a float64 gradcheck of every differentiable case marked so
// (checked with torch.autograd.gradcheck when the fixture was made). Forward and gradients run on
// every backend.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { BACKENDS, onBackend, assertClose } from "./helpers/numerics.js";

type Flat = (number | boolean | string)[];
interface Out { shape: number[]; strides: number[]; dtype: string; grad_fn: string | null; requires_grad: boolean; values: Flat }
type Outcome = Out | { list: Outcome[] } | { value: unknown };
interface Case {
  name: string;
  inputs: { shape: number[]; dtype: string; grad: boolean; values: Flat }[];
  out?: Outcome;
  warnings?: string[];
  error?: { type: string; message: string };
  weights?: Flat[];
  grads?: (Flat | null)[];
  /** second order: per input that requires grad, the weights u of sum(grad * u); its gradients, or PyTorch's error */
  double_weights?: (Flat | null)[];
  double_grads?: (Flat | null)[];
  double_error?: { type: string; message: string };
  gradcheck?: boolean;
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/manipulation.json", import.meta.url), "utf8")) as { cases: Case[] };

type R = Tensor | Tensor[] | boolean;
const nan = NaN, inf = Infinity;

/** batch1/mat modified in place after the op (PyTorch saved it only if the other operand needs a gradient). */
function savedThenModified(op: (i: Tensor, a: Tensor, b: Tensor) => Tensor, i: Tensor, a: Tensor, b: Tensor): Tensor {
  const a2 = a.mul(1);
  const y = op(i, a2, b);
  a2.add_(1);
  return torch.autograd.grad(y.sum(), [a])[0]!;
}

/** The typetorch call of each fixture case (the same call as the Python case of that name). */
const cases: Record<string, (...x: Tensor[]) => R> = {
  // flips, rolls, rot90
  flip_T: (a) => a.t().flip(0),
  fliplr: (a) => a.fliplr(),
  fliplr_3d: (a) => torch.fliplr(a),
  fliplr_1d: (a) => a.fliplr(),
  flipud: (a) => torch.flipud(a),
  flipud_1d_int: (a) => a.flipud(),
  flipud_0d: (a) => a.flipud(),
  flip_dup: (a) => a.flip(0, -2),
  roll_flat: (a) => a.roll(5),
  roll_dim: (a) => torch.roll(a, 1, 0),
  roll_dims: (a) => a.roll([1, -2], [0, 1]),
  roll_neg_big: (a) => a.roll(-7, 1),
  roll_same_dim_twice: (a) => a.roll([1, 1], [0, 0]),
  roll_T: (a) => a.t().roll(1, 0),
  roll_int: (a) => a.roll(2),
  roll_bool: (a) => a.roll(1, 1),
  roll_empty: (a) => a.roll(1, 0),
  roll_empty_flat: (a) => a.roll(1),
  roll_0d: (a) => a.roll(1),
  roll_0d_dim: (a) => a.roll(1, 0),
  roll_no_shifts: (a) => a.roll([], []),
  roll_mismatch: (a) => a.roll([1, 2], [0]),
  roll_flat_multi: (a) => a.roll([1, 2]),
  roll_oob: (a) => a.roll(1, 2),
  rot90: (a) => torch.rot90(a),
  rot90_k2: (a) => a.rot90(2),
  rot90_k3: (a) => a.rot90(3),
  rot90_kneg: (a) => a.rot90(-1),
  rot90_k0: (a) => a.rot90(0),
  rot90_k5: (a) => a.rot90(5),
  rot90_T_k0: (a) => a.t().rot90(0),
  rot90_dims: (a) => a.rot90(1, [2, 0]),
  rot90_int: (a) => a.rot90(),
  rot90_one_dim: (a) => a.rot90(1, [0]),
  rot90_1d: (a) => a.rot90(),
  rot90_same: (a) => a.rot90(1, [1, -1]),
  rot90_wrap: (a) => a.rot90(1, [0, 2]),
  rot90_dim0_range: (a) => a.rot90(1, [-3, 1]),
  rot90_dim1_range: (a) => a.rot90(1, [0, 3]),
  // tril, triu
  tril: (a) => a.tril(),
  tril_k1: (a) => torch.tril(a, 1),
  tril_kneg: (a) => a.tril(-1),
  tril_big_k: (a) => a.tril(10),
  triu: (a) => torch.triu(a),
  triu_kneg: (a) => a.triu(-1),
  triu_batched: (a) => a.triu(1),
  tril_T: (a) => a.t().tril(),
  tril_bool: (a) => a.tril(-1),
  triu_int: (a) => a.triu(),
  tril_empty: (a) => a.tril(),
  tril_inplace: (a) => a.mul(1).tril_(),
  triu_inplace: (a) => a.mul(1).triu_(-1),
  tril_inplace_leaf: (a) => a.tril_(),
  tril_inplace_int: (a) => a.tril_(1),
  tril_1d: (a) => a.tril(),
  tril_0d: (a) => a.triu(),
  // repeat, tile, repeat_interleave
  repeat: (a) => a.repeat(2, 1),
  repeat_more_dims: (a) => a.repeat(2, 1, 3),
  repeat_T: (a) => a.t().repeat(2, 2),
  repeat_0d: (a) => a.repeat(2, 3),
  repeat_0d_empty: (a) => a.repeat([]),
  repeat_zero: (a) => a.repeat(0, 2),
  repeat_int: (a) => a.repeat(2, 2),
  repeat_bool: (a) => a.repeat(3),
  repeat_few: (a) => a.repeat(2),
  repeat_negative: (a) => a.repeat(2, -1),
  tile: (a) => a.tile([2]),
  tile_more: (a) => torch.tile(a, [2, 1, 2]),
  tile_empty: (a) => a.tile([]),
  tile_0d: (a) => a.tile([3]),
  tile_negative: (a) => a.tile([-1]),
  ri_int: (a) => a.repeatInterleave(2),
  ri_int_dim: (a) => torch.repeatInterleave(a, 2, 1),
  ri_tensor_dim: (a, r) => a.repeatInterleave(r, 0),
  ri_tensor_0d: (a, r) => a.repeatInterleave(r, 1),
  ri_tensor_len1_flat: (a, r) => a.repeatInterleave(r),
  ri_tensor_int32: (a, r) => a.repeatInterleave(r, 0),
  ri_output_size: (a) => a.repeatInterleave(2, 0, { outputSize: 6 }),
  ri_output_size_wrong: (a, r) => a.repeatInterleave(r, 0, { outputSize: 5 }),
  ri_0d_input: (a) => a.repeatInterleave(3),
  ri_0d_input_dim: (a) => a.repeatInterleave(3, 0),
  ri_int_input: (a) => a.repeatInterleave(2),
  ri_zero: (a) => a.repeatInterleave(0),
  ri_empty: (a) => a.repeatInterleave(2, 0),
  ri_onearg: (r) => torch.repeatInterleave(r),
  ri_onearg_int32: (r) => torch.repeatInterleave(r),
  ri_onearg_float: (r) => torch.repeatInterleave(r),
  ri_onearg_2d: (r) => torch.repeatInterleave(r),
  ri_onearg_0d: (r) => torch.repeatInterleave(r),
  ri_onearg_negative: (r) => torch.repeatInterleave(r),
  ri_negative: (a) => a.repeatInterleave(-1),
  ri_tensor_negative: (a, r) => a.repeatInterleave(r, 0),
  ri_tensor_bad_len: (a, r) => a.repeatInterleave(r, 0),
  ri_tensor_2d: (a, r) => a.repeatInterleave(r, 0),
  ri_tensor_float: (a, r) => a.repeatInterleave(r, 0),
  ri_dim_oob: (a) => a.repeatInterleave(2, 2),
  // diag, diag_embed, trace
  diag_1d: (a) => torch.diag(a),
  diag_1d_k1: (a) => a.diag(1),
  diag_1d_kneg: (a) => a.diag(-2),
  diag_2d: (a) => torch.diag(a),
  diag_2d_k1: (a) => a.diag(1),
  diag_2d_kneg: (a) => a.diag(-1),
  diag_2d_edge: (a) => a.diag(4),
  diag_2d_past: (a) => a.diag(5),
  diag_2d_past_neg: (a) => a.diag(-4),
  diag_3d: (a) => a.diag(),
  diag_0d: (a) => a.diag(),
  diag_int: (a) => a.diag(),
  diag_bool: (a) => a.diag(),
  diag_empty: (a) => a.diag(),
  diag_embed: (a) => torch.diagEmbed(a),
  diag_embed_offset_dims: (a) => torch.diagEmbed(a, 1, 0, 2),
  diag_embed_neg: (a) => a.diagEmbed(-1, 0, -1),
  diag_embed_1d: (a) => a.diagEmbed(1),
  diag_embed_int: (a) => a.diagEmbed(),
  diag_embed_empty: (a) => a.diagEmbed(),
  diag_embed_same: (a) => a.diagEmbed(0, -1, 2),
  diag_embed_oob: (a) => a.diagEmbed(0, 0, 3),
  diag_embed_0d: (a) => a.diagEmbed(),
  trace: (a) => torch.trace(a),
  trace_wide: (a) => a.trace(),
  trace_tall: (a) => a.trace(),
  trace_f64: (a) => a.trace(),
  trace_int: (a) => a.trace(),
  trace_int32: (a) => a.trace(),
  trace_empty: (a) => a.trace(),
  trace_bool: (a) => a.trace(),
  trace_3d: (a) => a.trace(),
  trace_1d: (a) => a.trace(),
  // meshgrid
  meshgrid_ij: (a, b) => torch.meshgrid(a, b, { indexing: "ij" }),
  meshgrid_xy: (a, b) => torch.meshgrid(a, b, { indexing: "xy" }),
  meshgrid_xy_3: (a, b, c) => torch.meshgrid(a, b, c, { indexing: "xy" }),
  meshgrid_0d: (a, b) => torch.meshgrid(a, b, { indexing: "ij" }),
  meshgrid_one: (a) => torch.meshgrid(a, { indexing: "xy" }),
  meshgrid_list: (a, b) => torch.meshgrid([a, b], { indexing: "ij" }),
  meshgrid_int: (a, b) => torch.meshgrid(a, b, { indexing: "xy" }),
  meshgrid_empty_input: (a, b) => torch.meshgrid(a, b, { indexing: "ij" }),
  meshgrid_noidx: (a, b) => torch.meshgrid(a, b),
  meshgrid_bad_indexing: (a, b) => torch.meshgrid(a, b, { indexing: "foo" as "ij" }),
  meshgrid_dtype: (a, b) => torch.meshgrid(a, b, { indexing: "foo" as "ij" }),
  meshgrid_none: () => torch.meshgrid([], { indexing: "ij" }),
  meshgrid_2d: (a, b) => torch.meshgrid(a, b, { indexing: "ij" }),
  // cross
  cross: (a, b) => torch.cross(a, b),
  cross_square_default: (a, b) => a.cross(b),
  cross_dim: (a, b) => torch.cross(a, b, 1),
  cross_dim_neg: (a, b) => torch.cross(a, b, -2),
  cross_bcast: (a, b) => torch.cross(a, b, 1),
  cross_1d: (a, b) => torch.cross(a, b),
  cross_int: (a, b) => torch.cross(a, b, 1),
  cross_empty: (a, b) => torch.cross(a, b),
  cross_no3: (a, b) => torch.cross(a, b),
  cross_dim_not3: (a, b) => torch.cross(a, b, 0),
  cross_ndim: (a, b) => torch.cross(a, b),
  cross_bcast_default: (a, b) => torch.cross(a, b),
  cross_dtype: (a, b) => torch.cross(a, b),
  cross_bool: (a, b) => torch.cross(a, b),
  cross_oob: (a, b) => torch.cross(a, b, 2),
  // cdist
  cdist: (a, b) => torch.cdist(a, b),
  cdist_p1: (a, b) => torch.cdist(a, b, 1),
  cdist_p0: (a, b) => torch.cdist(a, b, 0),
  cdist_pinf: (a, b) => torch.cdist(a, b, Infinity),
  cdist_p3: (a, b) => torch.cdist(a, b, 3),
  cdist_p05: (a, b) => torch.cdist(a, b, 0.5),
  cdist_p15: (a, b) => torch.cdist(a, b, 1.5),
  cdist_batched: (a, b) => torch.cdist(a, b),
  cdist_batched_both: (a, b) => torch.cdist(a, b, 1),
  cdist_same_points: (a, b) => torch.cdist(a, b),
  cdist_mm: (a, b) => torch.cdist(a, b),
  cdist_mm_mode: (a, b) => torch.cdist(a, b, 2, "use_mm_for_euclid_dist"),
  cdist_no_mm_mode: (a, b) => torch.cdist(a, b, 2, "donot_use_mm_for_euclid_dist"),
  cdist_f64: (a, b) => torch.cdist(a, b),
  cdist_empty_rows: (a, b) => torch.cdist(a, b),
  cdist_empty_cols: (a, b) => torch.cdist(a, b),
  cdist_1d: (a, b) => torch.cdist(a, b),
  cdist_cols: (a, b) => torch.cdist(a, b),
  cdist_negative_p: (a, b) => torch.cdist(a, b, -1),
  cdist_int: (a, b) => torch.cdist(a, b),
  cdist_int2: (a, b) => torch.cdist(a, b),
  cdist_dtype: (a, b) => torch.cdist(a, b),
  cdist_batch_mismatch: (a, b) => torch.cdist(a, b),
  cdist_mode_bad: (a, b) => torch.cdist(a, b, 2, "foo" as torch.CdistComputeMode),
  // isclose, allclose, nan_to_num
  isclose: (a, b) => torch.isclose(a, b),
  isclose_equal_nan: (a, b) => a.isclose(b, 1e-5, 1e-8, true),
  isclose_tols: (a, b) => torch.isclose(a, b, 0.01, 0.1),
  isclose_zero_tols: (a, b) => torch.isclose(a, b, 0, 0),
  isclose_grad_input: (a) => torch.isclose(a, a.mul(1.000001)),
  isclose_int: (a, b) => torch.isclose(a, b, 0.01, 0),
  isclose_bool: (a, b) => torch.isclose(a, b),
  isclose_bcast: (a, b) => torch.isclose(a, b),
  isclose_0d: (a, b) => torch.isclose(a, b),
  isclose_f64: (a, b) => torch.isclose(a, b),
  isclose_dtype: (a, b) => torch.isclose(a, b),
  isclose_rtol_negative: (a, b) => torch.isclose(a, b, -1),
  isclose_atol_negative: (a, b) => torch.isclose(a, b, 1e-5, -0.5),
  allclose_true: (a, b) => torch.allclose(a, b),
  allclose_false: (a, b) => a.allclose(b),
  allclose_nan: (a, b) => torch.allclose(a, b),
  allclose_equal_nan: (a, b) => torch.allclose(a, b, 1e-5, 1e-8, true),
  allclose_bcast: (a, b) => torch.allclose(a, b),
  allclose_dtype: (a, b) => torch.allclose(a, b),
  allclose_shapes: (a, b) => torch.allclose(a, b),
  nan_to_num: (a) => torch.nanToNum(a),
  nan_to_num_f64: (a) => a.nanToNum(),
  nan_to_num_args: (a) => torch.nanToNum(a, 2, 3, -4),
  nan_to_num_kw: (a) => torch.nanToNum(a, 0, 1e300, -7.5),
  nan_to_num_finite: (a) => torch.nanToNum(a),
  nan_to_num_int: (a) => torch.nanToNum(a),
  nan_to_num_bool: (a) => torch.nanToNum(a),
  nan_to_num_inplace: (a) => a.mul(1).nanToNum_(0.5),
  // baddbmm, addmv, addbmm, addmm
  baddbmm: (i, a, b) => torch.baddbmm(i, a, b, { beta: 0.5, alpha: 2 }),
  baddbmm_default: (i, a, b) => i.baddbmm(a, b),
  baddbmm_bcast: (i, a, b) => torch.baddbmm(i, a, b, { alpha: -1 }),
  baddbmm_beta0_nan: (i, a, b) => torch.baddbmm(i, a, b, { beta: 0 }),
  baddbmm_input_f64: (i, a, b) => torch.baddbmm(i, a, b),
  baddbmm_int: (i, a, b) => torch.baddbmm(i, a, b, { beta: 2, alpha: 3 }),
  baddbmm_int_frac_alpha: (i, a, b) => torch.baddbmm(i, a, b, { alpha: 1.5 }),
  baddbmm_bad_input: (i, a, b) => torch.baddbmm(i, a, b),
  baddbmm_2d_batch2: (i, a, b) => torch.baddbmm(i, a, b),
  baddbmm_2d_batch1: (i, a, b) => torch.baddbmm(i, a, b),
  baddbmm_batches: (i, a, b) => torch.baddbmm(i, a, b),
  baddbmm_inner: (i, a, b) => torch.baddbmm(i, a, b),
  baddbmm_dtype: (i, a, b) => torch.baddbmm(i, a, b),
  baddbmm_bool: (i, a, b) => torch.baddbmm(i, a, b),
  baddbmm_unsaved: (i, a, b) => savedThenModified(torch.baddbmm, i, a, b),
  baddbmm_saved: (i, a, b) => savedThenModified(torch.baddbmm, i, a, b),
  addmv_unsaved: (i, a, b) => savedThenModified(torch.addmv, i, a, b),
  addmv_saved: (i, a, b) => savedThenModified(torch.addmv, i, a, b),
  addbmm_saved: (i, a, b) => savedThenModified(torch.addbmm, i, a, b),
  addmv: (i, m, v) => torch.addmv(i, m, v, { beta: 2, alpha: 0.5 }),
  addmv_default: (i, m, v) => i.addmv(m, v),
  addmv_bcast: (i, m, v) => torch.addmv(i, m, v),
  addmv_0d: (i, m, v) => torch.addmv(i, m, v, { alpha: -1 }),
  addmv_beta0_nan: (i, m, v) => torch.addmv(i, m, v, { beta: 0 }),
  addmv_input_f64: (i, m, v) => torch.addmv(i, m, v),
  addmv_int: (i, m, v) => torch.addmv(i, m, v, { beta: 2 }),
  addmv_empty: (i, m, v) => torch.addmv(i, m, v, { beta: 2 }),
  addmv_size: (i, m, v) => torch.addmv(i, m, v),
  addmv_vec_size: (i, m, v) => torch.addmv(i, m, v),
  addmv_0d_size: (i, m, v) => torch.addmv(i, m, v),
  addmv_vec_2d: (i, m, v) => torch.addmv(i, m, v),
  addmv_dtype: (i, m, v) => torch.addmv(i, m, v),
  addmv_bool: (i, m, v) => torch.addmv(i, m, v),
  addbmm: (i, a, b) => torch.addbmm(i, a, b, { beta: 0.5, alpha: 2 }),
  addbmm_default: (i, a, b) => i.addbmm(a, b),
  addbmm_bcast: (i, a, b) => torch.addbmm(i, a, b, { beta: 2 }),
  addbmm_beta0_nan: (i, a, b) => torch.addbmm(i, a, b, { beta: 0 }),
  addbmm_empty_batch: (i, a, b) => torch.addbmm(i, a, b, { beta: 3 }),
  addbmm_int: (i, a, b) => torch.addbmm(i, a, b, { alpha: 2 }),
  addbmm_batches: (i, a, b) => torch.addbmm(i, a, b),
  addbmm_inner: (i, a, b) => torch.addbmm(i, a, b),
  addbmm_2d: (i, a, b) => torch.addbmm(i, a, b),
  addbmm_bad_input: (i, a, b) => torch.addbmm(i, a, b),
  addbmm_self_dtype: (i, a, b) => torch.addbmm(i, a, b),
  addbmm_mat_dtype: (i, a, b) => torch.addbmm(i, a, b),
  addbmm_bool: (i, a, b) => torch.addbmm(i, a, b),
  addmm_scaled: (i, a, b) => torch.addmm(i, a, b, { beta: 0.5, alpha: -2 }),
  addmm_method: (i, a, b) => i.addmm(a, b),
  addmm_int: (i, a, b) => torch.addmm(i, a, b, { beta: 2, alpha: 3 }),
  addmm_beta0_nan: (i, a, b) => torch.addmm(i, a, b, { beta: 0 }),
  // einsum
  einsum_matmul: (a, b) => torch.einsum("ij,jk->ik", a, b),
  einsum_matmul_implicit: (a, b) => torch.einsum("ij,jk", a, b),
  einsum_bmm: (a, b) => torch.einsum("bij,bjk->bik", a, b),
  einsum_trace: (a) => torch.einsum("ii", a),
  einsum_diag: (a) => torch.einsum("ii->i", a),
  einsum_outer: (a, b) => torch.einsum("i,j->ij", a, b),
  einsum_outer_implicit: (a, b) => torch.einsum("i,j", a, b),
  einsum_bilinear: (a, b, c) => torch.einsum("bn,anm,bm->ba", a, b, c),
  einsum_ellipsis: (a) => torch.einsum("...ij->...ji", a),
  einsum_ellipsis_matmul: (a, b) => torch.einsum("...ij,...jk->...ik", a, b),
  einsum_ellipsis_mid: (a) => torch.einsum("i...j->j...i", a),
  einsum_ellipsis_sum: (a) => torch.einsum("...ij->j", a),
  einsum_ellipsis_bcast: (a, b) => torch.einsum("...i,...i->...", a, b),
  einsum_ellipsis_only: (a, b) => torch.einsum("...,...", a, b),
  einsum_sum_all: (a) => torch.einsum("ij->", a),
  einsum_transpose: (a) => torch.einsum("ij->ji", a),
  einsum_identity: (a) => torch.einsum("ij", a),
  einsum_implicit_order: (a) => torch.einsum("ba", a),
  einsum_implicit_upper: (a) => torch.einsum("aB", a),
  einsum_diag_3d: (a) => torch.einsum("iij->ji", a),
  einsum_repeat_3: (a) => torch.einsum("iii->i", a),
  einsum_sum_once: (a, b) => torch.einsum("ij,k->i", a, b),
  einsum_chain4: (a, b, c, d) => torch.einsum("ij,jk,kl,lm->im", a, b, c, d),
  einsum_elementwise: (a, b) => torch.einsum("ij,ij->ij", a, b),
  einsum_rowdot: (a, b) => torch.einsum("ij,ij->i", a, b),
  einsum_bcast_one: (a, b) => torch.einsum("i,i->", a, b),
  einsum_bcast_label: (a, b) => torch.einsum("ij,ij->ij", a, b),
  einsum_0d: (a) => torch.einsum("", a),
  einsum_0d_2: (a, b) => torch.einsum(",", a, b),
  einsum_0d_vec: (a, b) => torch.einsum(",i->i", a, b),
  einsum_empty: (a, b) => torch.einsum("ij,jk->ik", a, b),
  einsum_spaces: (a) => torch.einsum(" i j -> j i ", a),
  einsum_int: (a, b) => torch.einsum("ij,jk", a, b),
  einsum_int_trace: (a) => torch.einsum("ii", a),
  einsum_mixed_mul: (a, b) => torch.einsum("i,j", a, b),
  einsum_sublist: (a, b) => torch.einsum(a, [0, 1], b, [1, 2], [0, 2]),
  einsum_sublist_ellipsis: (a) => torch.einsum(a, ["...", 0, 1], ["...", 1, 0]),
  einsum_list: (a, b) => torch.einsum("ij,jk", [a, b]),
  einsum_nsub: (a) => torch.einsum("ij", a),
  einsum_nsub_ellipsis: (a) => torch.einsum("ijkl...", a),
  einsum_few_operands: (a) => torch.einsum("ij,jk", a),
  einsum_many_operands: (a, b) => torch.einsum("ij", a, b),
  einsum_bad_char: (a) => torch.einsum("i1", a),
  einsum_bad_char_out: (a) => torch.einsum("ij->i1", a),
  einsum_dot: (a) => torch.einsum("i.j", a),
  einsum_dot_end: (a) => torch.einsum("i..", a),
  einsum_two_ellipses: (a) => torch.einsum("...i...", a),
  einsum_out_twice: (a) => torch.einsum("ij->ii", a),
  einsum_out_missing: (a) => torch.einsum("ij->k", a),
  einsum_out_two_ellipses: (a) => torch.einsum("...ij->......", a),
  einsum_out_dot: (a) => torch.einsum("ij->.i", a),
  einsum_repeat_sizes: (a) => torch.einsum("ii", a),
  einsum_sizes: (a, b) => torch.einsum("ij,ij->i", a, b),
  einsum_ellipsis_sizes: (a, b) => torch.einsum("...i,...i->...", a, b),
  einsum_no_operands: () => (torch.einsum as (...args: unknown[]) => Tensor)("i"),
  einsum_bool: (a, b) => torch.einsum("ij,jk", a, b),
  einsum_mixed_bmm: (a, b) => torch.einsum("ij,jk->ik", a, b),
  einsum_sublist_range: (a) => torch.einsum(a, [52]),
};

/**
 * Cases whose strides differ from PyTorch's, with the reason: PyTorch's flip and its
 * TensorIterator ops (nan_to_num) give a transposed input's layout to their result
 * (MemoryFormat::Preserve); typetorch's kernels write row-major results throughout (as its
 * elementwise ops do). Shape, values and gradients are still checked.
 */
const LAYOUT: Record<string, string> = {
  flip_T: "flip writes a row-major result; PyTorch's empty_like(Preserve) keeps the transposed layout",
};

/** Where typetorch's message words differ from PyTorch's, the part compared, with the reason. */
const MESSAGE_PREFIX: Record<string, string> = {
  // NOTE: PyTorch appends the tensor printed by its C++ printer; typetorch appends its own printout
  meshgrid_2d: "torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: ",
};

const DTYPES: Record<string, torch.DType> = { float32: torch.float32, float64: torch.float64, int64: torch.int64, int32: torch.int32, bool: torch.bool };
const num = (v: number | boolean | string): number => (v === "nan" ? nan : v === "inf" ? inf : v === "-inf" ? -inf : Number(v));

function inputs(c: Case, float64 = false): Tensor[] {
  return c.inputs.map((s) => {
    const dt = DTYPES[s.dtype]!;
    const d = float64 && dt.isFloatingPoint ? torch.float64 : dt;
    // (cloned after the reshape: a tensor of its own, not a view, as PyTorch's inputs were made)
    const t = (dt === torch.bool ? torch.tensor(s.values.map(Boolean), { dtype: torch.bool }) : torch.tensor(s.values.map(num), { dtype: d })).reshape(s.shape).clone();
    return s.grad ? t.requiresGrad_(true) : t;
  });
}

/** Float32 results within what a float32 computation meets (products summed in another order); float64 tighter. */
function compareValues(got: Tensor, want: Out, where: string): void {
  const v = Array.from(got._values(), Number), w = want.values.map(num);
  if (got.dtype === torch.bool) return assert.deepEqual(v, want.values.map((x) => (x ? 1 : 0)), `${where}: values`);
  if (!got.dtype.isFloatingPoint) return assert.deepEqual(v, w, `${where}: values`);
  const f32 = got.dtype === torch.float32;
  assertClose(v, w, `${where}: values`, f32 ? 1e-5 : 1e-12, f32 ? 1e-5 : 1e-12);
}

function compare(got: R, want: Outcome, name: string, where: string): void {
  if ("value" in want) return assert.deepEqual(got, want.value, `${where}: value`);
  if ("list" in want) {
    assert.ok(Array.isArray(got), `${where}: expected a list`);
    assert.equal(got.length, want.list.length, `${where}: length`);
    want.list.forEach((w, i) => compare(got[i]!, w, name, `${where}[${i}]`));
    return;
  }
  assert.ok(got instanceof torch.Tensor, `${where}: expected a tensor`);
  assert.deepEqual(got.shape, want.shape, `${where}: shape`);
  assert.equal(got.dtype.name, want.dtype, `${where}: dtype`);
  assert.equal(got.gradFn?.name() ?? null, want.grad_fn, `${where}: grad_fn`);
  assert.equal(got.requiresGrad, want.requires_grad, `${where}: requires_grad`);
  if (!LAYOUT[name]) assert.deepEqual(got.stride(), want.strides, `${where}: strides`);
  compareValues(got, want, where);
}

/** Runs fn with console.warn captured (returns the result and the warnings' texts). */
function withWarnings<T>(fn: () => T): [T, string[]] {
  const seen: string[] = [];
  const was = console.warn;
  console.warn = (...a: unknown[]) => void seen.push(a.map(String).join(" ").replace(/^UserWarning: /, ""));
  try {
    return [fn(), seen];
  } finally {
    console.warn = was;
  }
}

/** sum(out_i * w_i) over the outputs that require grad, with PyTorch's weights. */
function weightedLoss(out: R, weights: Flat[]): Tensor {
  const outs = Array.isArray(out) ? out : [out as Tensor];
  const terms = outs.flatMap((o, i) => (o.requiresGrad ? [o.mul(torch.tensor(weights[i]!.map(num), { dtype: o.dtype }).reshape(o.shape)).sum()] : []));
  return terms.reduce((p, q) => p.add(q));
}

/** Gradients (one per input that requires grad, in order) against PyTorch's (one per input, null for none). */
function checkGrads(xs: Tensor[], gs: (Tensor | null)[], want: (Flat | null)[], what: string): void {
  let k = 0;
  xs.forEach((x, i) => {
    if (!x.requiresGrad) return;
    const g = gs[k++] ?? null, w = want[i];
    if (w === null || w === undefined) {
      assert.ok(g === null || Array.from(g._values()).every((v) => v === 0), `${what} ${i}: PyTorch has none`);
      return;
    }
    assert.ok(g, `${what} ${i}: missing`);
    assert.deepEqual(g.shape, x.shape, `${what} ${i}: shape`);
    const f32 = x.dtype === torch.float32;
    assertClose(Array.from(g._values(), Number), w.map(num), `${what} ${i}`, f32 ? 1e-4 : 1e-10, f32 ? 1e-5 : 1e-10);
  });
}

test("every fixture case has a typetorch call, and every call a fixture", () => {
  assert.deepEqual(Object.keys(cases).sort(), fixture.cases.map((c) => c.name).sort());
});

for (const backend of BACKENDS)
  for (const c of fixture.cases) {
    const fn = cases[c.name];
    test(`${c.name} [${backend}]`, () => onBackend(backend, () => {
      assert.ok(fn, `no typetorch call for ${c.name}`);
      const xs = inputs(c);
      if (c.error) {
        assert.throws(() => fn(...xs), (e: unknown) => {
          assert.ok(e instanceof Error);
          assert.equal(e.name, c.error!.type, `error class (message: ${e.message})`);
          const prefix = MESSAGE_PREFIX[c.name];
          if (prefix !== undefined) {
            assert.ok(c.error!.message.startsWith(prefix), "the fixture's message has the compared prefix");
            assert.ok(e.message.startsWith(prefix), `message: ${e.message}`);
          } else assert.equal(e.message.split("\n")[0], c.error!.message);
          return true;
        });
        return;
      }
      const [out, warnings] = withWarnings(() => fn(...xs));
      // (a warning is given once per process, as Python's default filter does: checked on the first run)
      if (backend === BACKENDS[0]) assert.deepEqual(warnings, c.warnings ?? [], "warnings");
      compare(out, c.out!, c.name, c.name);
      if (!c.weights) return;
      const wrt = xs.filter((x) => x.requiresGrad);
      checkGrads(xs, torch.autograd.grad(weightedLoss(out, c.weights), wrt, { allowUnused: true }), c.grads!, "grad");
      if (!c.double_weights) return;
      // second order, on a graph made again: the gradients of sum(grad_i * u_i)
      const g1 = torch.autograd.grad(weightedLoss(fn(...xs), c.weights), wrt, { createGraph: true, allowUnused: true });
      const terms = g1.flatMap((g, k) => (g && g.requiresGrad ? [g.mul(torch.tensor(c.double_weights![k]!.map(num), { dtype: g.dtype }).reshape(g.shape)).sum()] : []));
      const loss2 = terms.reduce((p, q) => p.add(q));
      if (c.double_error) {
        assert.throws(() => torch.autograd.grad(loss2, wrt, { allowUnused: true }), (e: Error) => e.name === c.double_error!.type && e.message === c.double_error!.message);
        return;
      }
      checkGrads(xs, torch.autograd.grad(loss2, wrt, { allowUnused: true }), c.double_grads!, "second-order grad");
    }));
  }

for (const c of fixture.cases.filter((c) => c.gradcheck))
  test(`gradcheck ${c.name} (float64)`, () => {
    const xs = inputs(c, true);
    assert.ok(torch.autograd.gradcheck((...a: Tensor[]) => cases[c.name]!(...a) as Tensor | Tensor[], xs));
  });

// einsum's docs example, and what the brief names: the result carries the grad_fn of the op it ends with
test("einsum: a batched matmul, trace, outer product, bilinear form and ellipsis agree with the composed ops", () => {
  torch.manualSeed(0);
  const a = torch.randn([2, 3, 4], { dtype: torch.float64 }), b = torch.randn([2, 4, 5], { dtype: torch.float64 });
  assert.ok(torch.einsum("bij,bjk->bik", a, b).allclose(a.bmm(b), 1e-12, 1e-12));
  const m = torch.randn([4, 4], { dtype: torch.float64 });
  assert.ok(torch.einsum("ii", m).allclose(m.trace(), 1e-12, 1e-12));
  const u = torch.randn([3], { dtype: torch.float64 }), v = torch.randn([5], { dtype: torch.float64 });
  assert.ok(torch.einsum("i,j->ij", u, v).allclose(torch.outer(u, v), 1e-12, 1e-12));
  const x = torch.randn([2, 3], { dtype: torch.float64 }), W = torch.randn([4, 3, 5], { dtype: torch.float64 }), y = torch.randn([2, 5], { dtype: torch.float64 });
  const bil = torch.stack([0, 1].map((n) => torch.stack([0, 1, 2, 3].map((k) => x.select(0, n).matmul(W.select(0, k)).dot(y.select(0, n))))));
  assert.ok(torch.einsum("bn,anm,bm->ba", x, W, y).allclose(bil, 1e-12, 1e-12));
  assert.ok(torch.einsum("...ij->...ji", a).equal(a.transpose(-1, -2)));
});

test("the TSDoc examples of roll, repeatInterleave, meshgrid and einsum print what their comments say", () => {
  assert.equal(String(torch.roll(torch.tensor([1, 2, 3, 4]), 1)), "tensor([4., 1., 2., 3.])");
  assert.equal(String(torch.repeatInterleave(torch.tensor([1, 2]), 2)), "tensor([1., 1., 2., 2.])");
  assert.equal(String(torch.repeatInterleave(torch.tensor([1, 2], { dtype: torch.int64 }))), "tensor([0, 1, 1])");
  const [gx, gy] = torch.meshgrid(torch.tensor([1, 2]), torch.tensor([3, 4, 5]), { indexing: "ij" });
  assert.equal(String(gx), "tensor([[1., 1., 1.],\n        [2., 2., 2.]])");
  assert.equal(String(gy), "tensor([[3., 4., 5.],\n        [3., 4., 5.]])");
  assert.equal(String(torch.einsum("ii", torch.eye(3))), "tensor(3.)");
});
