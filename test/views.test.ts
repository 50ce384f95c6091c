// Views against real PyTorch 1.13 (fixtures from scripts/gen_tensor_fixtures.py): each view's shape,
// strides, storage offset and contiguity; writes through a view reaching the base and back (with the
// shared version counter); copies that must not share; the errors views raise; views' grad_fn names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import * as torch from "../src/index.js";

// ---- fixture harness (same in tensor/views/creation tests) ----
type Expected =
  | { repr: string; shape: number[]; stride: number[]; offset: number; contiguous: boolean; dtype: string }
  | { list: Expected[] }
  | { value: unknown }
  | { error: string; msg: string };
type Section = Record<string, Expected>;
const fixture = JSON.parse(readFileSync(new URL("./fixtures/tensor.json", import.meta.url), "utf8")) as Record<string, Section>;

function encode(v: unknown): unknown {
  if (v instanceof torch.DType) return v.name;
  if (Array.isArray(v)) return v.map(encode);
  return v;
}
function compare(exp: Expected, got: unknown, where: string): void {
  if ("repr" in exp) {
    assert.ok(got instanceof torch.Tensor, `${where}: expected a tensor, got ${String(got)}`);
    const t = got as torch.Tensor;
    assert.equal(String(t), exp.repr, `${where}: repr`);
    assert.deepEqual(t.shape, exp.shape, `${where}: shape`);
    assert.deepEqual(t.stride(), exp.stride, `${where}: strides`);
    assert.equal(t.storageOffset(), exp.offset, `${where}: storage offset`);
    assert.equal(t.isContiguous(), exp.contiguous, `${where}: isContiguous`);
    assert.equal(t.dtype.name, exp.dtype, `${where}: dtype`);
  } else if ("list" in exp) {
    assert.ok(Array.isArray(got), `${where}: expected an array`);
    const g = got as unknown[];
    assert.equal(g.length, exp.list.length, `${where}: length`);
    exp.list.forEach((e, i) => compare(e, g[i], `${where}[${i}]`));
  } else if ("value" in exp) {
    assert.deepEqual(encode(got), exp.value, `${where}: value`);
  } else throw new Error(`${where}: bad fixture entry`);
}
/** Runs every case of a fixture section against the TypeScript cases of the same names. */
function runSection(section: string, cases: Record<string, () => unknown>, skips: Record<string, string> = {}): void {
  const exp = fixture[section]!;
  test(`${section}: every fixture case has a TypeScript case`, () => {
    assert.deepEqual(Object.keys(cases).sort(), Object.keys(exp).sort());
  });
  for (const [name, e] of Object.entries(exp)) {
    const fn = cases[name];
    const reason = skips[name];
    test(`${section}: ${name}`, reason ? { skip: reason } : {}, () => {
      assert.ok(fn, `no TypeScript case ${name}`);
      if ("error" in e) {
        assert.throws(fn, (err: unknown) => {
          assert.ok(err instanceof Error, `${name}: threw a non-Error`);
          assert.equal(err.name, e.error, `${name}: error type (message: ${err.message})`);
          assert.equal(err.message, e.msg, `${name}: error message`);
          return true;
        });
      } else compare(e, fn(), name);
    });
  }
}
// ---- end of harness ----

/** torch.arange(n, dtype=float32).reshape(shape) */
const ar = (...shape: number[]): torch.Tensor => torch.arange(shape.reduce((a, b) => a * b, 1), { dtype: torch.float32 }).reshape(shape);
const gradX = (): torch.Tensor => torch.tensor([1, 2, 3], { requiresGrad: true });
/** f applied to arange(24).reshape(2, 3, 4) */
const meta = (f: (x: torch.Tensor) => unknown) => (): unknown => f(ar(2, 3, 4));
/** fills a view of x = arange(12).reshape(3, 4) with 5; gives [x, view, x._version, view._version] */
const write = (f: (x: torch.Tensor) => torch.Tensor) => (): unknown => {
  const x = ar(3, 4);
  const v = f(x);
  v.fill_(5);
  return [x, v, x._version.value, v._version.value];
};

runSection("views", {
  view_2d: meta((x) => x.view(6, 4)),
  view_infer: meta((x) => x.view(-1, 2)),
  view_list: meta((x) => x.view([4, 6])),
  view_incompatible: meta((x) => x.transpose(0, 1).view(24)),
  view_bad_size: () => torch.zeros(6).view(3, 5),
  view_two_infer: () => torch.zeros(6).view(-1, -1),
  view_infer_bad: () => torch.zeros(6).view(-1, 4),
  view_of_transposed_ok: meta((x) => x.transpose(0, 1).view(3, 2, 2, 2)),
  reshape_copy: meta((x) => x.transpose(0, 1).reshape(24)),
  reshape_view: meta((x) => x.reshape(4, -1)),
  reshape_bad: () => torch.zeros(6).reshape(4, 2),
  transpose: meta((x) => x.transpose(0, 2)),
  transpose_neg: meta((x) => x.transpose(-1, -2)),
  transpose_bad_dim: meta((x) => x.transpose(0, 3)),
  permute: meta((x) => x.permute(2, 0, 1)),
  permute_list: meta((x) => x.permute([1, 2, 0])),
  permute_bad: meta((x) => x.permute(0, 1)),
  permute_repeat: meta((x) => x.permute(0, 1, 1)),
  t_2d: () => ar(2, 3).t(),
  t_1d: () => torch.arange(3, { dtype: torch.float32 }).t(),
  t_3d: meta((x) => x.t()),
  unsqueeze_0: meta((x) => x.unsqueeze(0)),
  unsqueeze_last: meta((x) => x.unsqueeze(-1)),
  unsqueeze_mid: meta((x) => x.unsqueeze(2)),
  unsqueeze_transposed: meta((x) => x.transpose(0, 2).unsqueeze(1)),
  unsqueeze_bad: meta((x) => x.unsqueeze(4)),
  squeeze_all: () => torch.zeros(1, 3, 1, 2).squeeze(),
  squeeze_dim: () => torch.zeros(1, 3, 1, 2).squeeze(2),
  squeeze_not1: () => torch.zeros(1, 3, 1, 2).squeeze(1),
  squeeze_bad: () => torch.zeros(1, 3).squeeze(2),
  expand: () => torch.tensor([[1], [2]]).expand(2, 3),
  expand_neg1: () => torch.tensor([[1], [2]]).expand(-1, 4),
  expand_new_dim: () => torch.tensor([1, 2]).expand(3, 2),
  expand_bad: () => torch.tensor([1, 2]).expand(3, 3),
  expand_fewer: () => torch.zeros(2, 3).expand(3),
  expand_neg_lead: () => torch.zeros(3).expand(-1, 3),
  flatten: meta((x) => x.flatten()),
  flatten_range: meta((x) => x.flatten(1)),
  flatten_noncontig: meta((x) => x.transpose(0, 2).flatten()),
  flatten_0d: () => torch.tensor(2).flatten(),
  narrow: meta((x) => x.narrow(2, 1, 2)),
  narrow_bad: meta((x) => x.narrow(2, 3, 2)),
  select: meta((x) => x.select(1, 2)),
  select_neg: meta((x) => x.select(-1, -1)),
  select_oob: meta((x) => x.select(1, 3)),
  select_bad_dim: meta((x) => x.select(3, 0)),
  unbind: meta((x) => x.unbind(1)),
  split_size: meta((x) => x.split(3, 2)),
  split_sizes: meta((x) => x.split([1, 3], 2)),
  split_sizes_bad: meta((x) => x.split([1, 2], 2)),
  chunk: meta((x) => x.chunk(2, 2)),
  chunk_uneven: () => torch.arange(5, { dtype: torch.float32 }).chunk(3),
  chunk_more: () => torch.arange(5, { dtype: torch.float32 }).chunk(4),
  contiguous_copy: meta((x) => x.transpose(0, 1).contiguous()),
  contiguous_same: meta((x) => [x.contiguous() === x]),
  is_contiguous_t: meta((x) => [x.isContiguous(), x.transpose(0, 1).isContiguous(), x.index(":", ":1").isContiguous(), x.index(":1").isContiguous()]),
  is_contiguous_size1: () => [torch.zeros(3, 1).t().isContiguous(), torch.zeros(1, 3).expand(2, 3).isContiguous()],
  strides_slice: meta((x) => x.index(":", "1:", "::2")),
  dim_oob_sum: meta((x) => x.sum(3)),
  dim_oob_neg: meta((x) => x.transpose(-4, 0)),
  write_select: write((x) => x.select(1, 0)),
  write_t_select: write((x) => x.t().index(1)),
  write_narrow: write((x) => x.narrow(0, 1, 2)),
  write_view: write((x) => x.view(2, 6).index(1)),
  write_reshape: write((x) => x.reshape(12).index("3:6")),
  write_unsqueeze: write((x) => x.unsqueeze(0).index(0, 2)),
  write_permute: write((x) => x.permute(1, 0).index(0)),
  write_flatten: write((x) => x.flatten().index("::5")),
  write_unbind: write((x) => x.unbind(1)[3]!),
  write_split: write((x) => x.split(2, 1)[1]!),
  write_chunk: write((x) => x.chunk(3, 0)[2]!),
  write_diag_strided: write((x) => x.view(12).index("::5")),
  write_reshape_copy_no_share: write((x) => x.t().reshape(12)),
  write_contiguous_copy_no_share: write((x) => x.t().contiguous()),
  write_base_seen_by_view: () => {
    const x = ar(3, 4);
    const v = x.t().index("1:");
    return [x.mul_(10), v, v._version.value];
  },
  view_of_expanded: () => torch.zeros(3, 1).expand(3, 4).view(12),
  reshape_of_expanded: () => torch.arange(3, { dtype: torch.float32 }).view(3, 1).expand(3, 2).reshape(6),
  unsqueeze_0d: () => torch.tensor(1).unsqueeze(0),
  squeeze_0d: () => torch.tensor(1).squeeze(),
  t_0d: () => torch.tensor(1).t(),
  expand_0d: () => torch.tensor(2).expand(2, 3),
  narrow_neg_start: meta((x) => x.narrow(2, -2, 2)),
  narrow_len_bad: meta((x) => x.narrow(2, 0, -1)),
  split_zero_size: () => torch.arange(4, { dtype: torch.float32 }).split(0),
  chunk_zero: () => torch.arange(4, { dtype: torch.float32 }).chunk(0),
  flatten_bad: meta((x) => x.flatten(2, 1)),
  permute_neg: meta((x) => x.permute(-1, 0, 1)),
  view_0d: () => torch.tensor(3).view(1, 1),
  view_to_0d: () => torch.ones(1).view([]),
  view_empty: () => torch.zeros(0, 3).view(-1),
  transpose_same: meta((x) => x.transpose(1, 1)),
  unbind_0d: () => torch.tensor(1).unbind(),
  select_0d: () => torch.tensor(1).select(0, 0),
  contiguous_of_expanded: () => torch.tensor([1, 2]).expand(2, 2).contiguous(),
  write_expanded_error: () => torch.zeros(2, 1).expand(2, 3).add_(1),
  write_transposed_add_: () => { const x = ar(3, 4); x.t().add_(torch.tensor([100, 200, 300])); return [x, x._version.value]; },
  write_self_alias: () => { const x = ar(2, 2); return [x.mul_(x), x._version.value]; },
  detach_shares_version: () => { const x = ar(2, 2); x.detach().add_(1); return [x, x._version.value]; },
  split_uneven: () => torch.arange(7, { dtype: torch.float32 }).split(3),
  chunk_empty_dim: () => torch.zeros(0, 2).chunk(2),
  expand_neg1_new_dim_inner: () => torch.zeros(2, 1).expand(3, -1, 4),
  reshape_0d: () => torch.tensor(1).reshape(-1),
  squeeze_dim_neg: () => torch.zeros(2, 1).squeeze(-1),
  narrow_on_transposed: () => ar(3, 4).t().narrow(1, 1, 2),
  select_then_view_error: () => ar(3, 4).t().index(1).view(3),
  unflatten_like_view: () => ar(3, 4).t().contiguous().view(2, 2, 3),
  view_grad_fn_names: () => [
    gradX().view(3, 1), gradX().reshape(1, 3), gradX().unsqueeze(0), gradX().view(1, 3).squeeze(0),
    gradX().expand(2, 3), gradX().narrow(0, 1, 2), gradX().unbind(0)[0], gradX().split(2)[1],
    gradX().view(3, 1).permute(1, 0), gradX().flatten(), gradX().view(3, 1).t().contiguous(),
  ],
});
