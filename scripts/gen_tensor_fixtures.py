"""Generate test/fixtures/tensor.json: what real PyTorch gives for Tensor API cases (printing,
creation, views, indexing, iteration, conversion, type promotion, in-place ops).

Each case is a name and a function; the TypeScript tests (test/tensor.test.ts, test/views.test.ts,
test/creation.test.ts) hold a function of the same name and compare: a tensor by its repr, shape,
strides, storage offset, contiguity and dtype; a Python value by value; an error by type and message.
NOTE: a JS number is Python's float to torch.tensor, so `torch.tensor([1, 2])` in TypeScript is
`torch.tensor([1., 2.])` here; integer tensors are given dtype=torch.int64 explicitly.

Run: /usr/bin/python3 scripts/gen_tensor_fixtures.py
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "tensor.json")
DT = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.int32: "int32", torch.bool: "bool"}
L = torch.int64


def enc(v):
    if isinstance(v, torch.Tensor):
        return {
            "repr": repr(v),
            "shape": list(v.shape),
            "stride": list(v.stride()),
            "offset": v.storage_offset(),
            "contiguous": v.is_contiguous(),
            "dtype": DT[v.dtype],
        }
    if isinstance(v, torch.Size):
        return {"value": list(v)}
    if isinstance(v, (list, tuple)):
        if all(not isinstance(x, (torch.Tensor, list, tuple)) for x in v):
            return {"value": list(v)}
        return {"list": [enc(x) for x in v]}
    if isinstance(v, torch.dtype):
        return {"value": DT[v]}
    return {"value": v}


def run(fn):
    try:
        return enc(fn())
    except Exception as e:  # noqa: BLE001
        return {"error": type(e).__name__, "msg": str(e)}


def ar(*shape, dtype=torch.float32):
    n = 1
    for s in shape:
        n *= s
    return torch.arange(n, dtype=dtype).reshape(shape)


def seeded(f):
    def g():
        torch.manual_seed(0)
        return f()
    return g


def grad_x():
    return torch.tensor([1.0, 2.0, 3.0], requires_grad=True)


def inplace(f, x):
    def g():
        t = x()
        r = f(t)
        return [t, t._version]
    return g


def written(f, x):
    """f writes through a view of x; returns [x, version]."""
    def g():
        t = x()
        f(t)
        return [t, t._version]
    return g


def set_item(x, idx, v):
    def g():
        t = x()
        t[idx] = v
        return [t, t._version]
    return g


# ------------------------------------------------------------------ printing (tensor.test.ts)
printing = {
    "print_requires_grad_leaf": lambda: grad_x(),
    "print_grad_fn_mul": lambda: grad_x() * 2,
    "print_grad_fn_add": lambda: grad_x() + grad_x(),
    "print_grad_fn_sum": lambda: (grad_x() * 2).sum(),
    "print_grad_fn_mean": lambda: grad_x().mean(),
    "print_grad_fn_exp": lambda: grad_x().exp(),
    "print_grad_fn_view": lambda: grad_x().view(3, 1),
    "print_grad_fn_t": lambda: grad_x().view(3, 1).t(),
    "print_grad_fn_select": lambda: grad_x()[1],
    "print_grad_fn_slice": lambda: grad_x()[1:],
    "print_grad_fn_matmul": lambda: torch.ones(2, 3, requires_grad=True) @ torch.ones(3, 2),
    "print_float64": lambda: torch.tensor([1.5, 2.0], dtype=torch.float64),
    "print_float64_grad": lambda: torch.tensor([1.5, 2.0], dtype=torch.float64, requires_grad=True),
    "print_int32": lambda: torch.tensor([1, 2, 3], dtype=torch.int32),
    "print_arange_int64": lambda: torch.arange(5),
    "print_bool_cmp": lambda: torch.arange(5) > 2,
    "print_0d_float": lambda: torch.tensor(3.5),
    "print_0d_int64": lambda: torch.tensor(7, dtype=L),
    "print_0d_sum": lambda: torch.arange(5).sum(),
    "print_0d_bool": lambda: torch.tensor(True),
    "print_big": lambda: torch.arange(2000, dtype=torch.float32) / 7,
    "print_big_2d": lambda: ar(40, 50),
    "print_transpose": lambda: ar(2, 3).t(),
    "print_slice_step": lambda: ar(4, 4)[::2, 1::2],
    "print_permute": lambda: ar(2, 3, 4).permute(2, 0, 1),
    "print_expand": lambda: torch.tensor([1.0, 2.0]).expand(3, 2),
    "print_empty": lambda: torch.zeros(0),
    "print_empty_2d": lambda: torch.zeros(2, 0),
    "print_inplace_view_base": lambda: (lambda x: (x[0].mul_(2), x)[1])(torch.ones(2, 2, requires_grad=True) * 1),
    "print_inplace_view_itself": lambda: (lambda x: x[0].mul_(2))(torch.ones(2, 2, requires_grad=True) * 1),
    "print_index_put_adv": lambda: (lambda x: (x.__setitem__(torch.tensor([0]), 5.0), x)[1])(torch.ones(2, 2, requires_grad=True) * 1),
    "print_index_put_basic": lambda: (lambda x: (x.__setitem__(0, 5.0), x)[1])(torch.ones(2, 2, requires_grad=True) * 1),
    "print_to_double_grad": lambda: grad_x().double(),
    "print_detach": lambda: (grad_x() * 2).detach(),
    "print_no_grad": lambda: (lambda: [torch.set_grad_enabled(False), grad_x() * 2, torch.set_grad_enabled(True)][1])(),
    "print_int32_2d": lambda: torch.arange(6, dtype=torch.int32).view(2, 3).t(),
    "print_float64_0d": lambda: torch.tensor(2.5, dtype=torch.float64),
    "print_bool_2d_view": lambda: (ar(3, 3) > 3).t()[1:],
}

# ------------------------------------------------------------------ iteration, conversion (tensor.test.ts)
conversion = {
    "item_float": lambda: torch.tensor([2.5]).item(),
    "item_int": lambda: torch.tensor(7, dtype=L).item(),
    "item_bool": lambda: torch.tensor(True).item(),
    "item_many": lambda: torch.zeros(2).item(),
    "tolist_2d": lambda: ar(2, 3).tolist(),
    "tolist_transposed": lambda: ar(2, 3).t().tolist(),
    "tolist_bool": lambda: (torch.arange(4) % 2 == 0).tolist(),
    "tolist_0d": lambda: torch.tensor(4.5).tolist(),
    "tolist_long_no_neg_zero": lambda: torch.tensor([-0.5, 0.5, -1.5]).long().tolist(),
    "item_long_no_neg_zero": lambda: torch.tensor([-0.5]).long().item(),
    "tolist_float_keeps_neg_zero": lambda: [str(v) for v in torch.tensor([-0.0, 0.0]).tolist()],
    "numel": lambda: ar(2, 3, 4).numel(),
    "size": lambda: list(ar(2, 3, 4).size()),
    "size_dim": lambda: ar(2, 3, 4).size(1),
    "size_neg_dim": lambda: ar(2, 3, 4).size(-1),
    "size_bad_dim": lambda: ar(2, 3, 4).size(3),
    "dim": lambda: ar(2, 3, 4).dim(),
    "dtype_default": lambda: torch.zeros(1).dtype,
    "to_float64": lambda: ar(2, 2).to(torch.float64),
    "to_int64_trunc": lambda: torch.tensor([1.7, -1.7, 2.5]).to(torch.int64),
    "float_of_long": lambda: torch.arange(3).float(),
    "double_of_float": lambda: torch.tensor([0.1]).double(),
    "long_of_float": lambda: torch.tensor([3.9, -0.5]).long(),
    "bool_of_float": lambda: torch.tensor([0.0, 0.5, -2.0]).bool(),
    "int_of_bool": lambda: torch.tensor([True, False]).int(),
    "to_same_is_self": lambda: (lambda t: t.to(torch.float32) is t)(torch.zeros(2)),
    "iter_rows": lambda: list(ar(3, 2)),
    "iter_unpack": lambda: (lambda w, b: [w, b])(*ar(2, 3)),
    "iter_rows_grad": lambda: list(torch.ones(2, 2, requires_grad=True) * 3),
    "iter_0d": lambda: list(torch.tensor(1.0)),
}

# ------------------------------------------------------------------ type promotion and arithmetic (tensor.test.ts)
a_l = lambda: torch.tensor([7, -7, 5, -5], dtype=L)  # noqa: E731
b_l = lambda: torch.tensor([2, 2, -3, -3], dtype=L)  # noqa: E731
promotion = {
    "promote_long_plus_float": lambda: torch.arange(3) + torch.ones(3),
    "promote_long_plus_pyfloat": lambda: torch.arange(3) + 1.5,
    "promote_long_plus_pyint": lambda: torch.arange(3) + 2,
    "promote_float_plus_double": lambda: torch.ones(2) + torch.ones(2, dtype=torch.float64),
    "promote_float_plus_double0d": lambda: torch.ones(2) + torch.tensor(1.0, dtype=torch.float64),
    "promote_long_plus_double0d": lambda: torch.arange(2) + torch.tensor(1.0, dtype=torch.float64),
    "promote_int32_plus_long": lambda: torch.ones(2, dtype=torch.int32) + torch.ones(2, dtype=L),
    "promote_int32_plus_long0d": lambda: torch.ones(2, dtype=torch.int32) + torch.tensor(5, dtype=L),
    "promote_bool_plus_bool": lambda: torch.tensor([True, False]) + torch.tensor([True, True]),
    "promote_bool_plus_int": lambda: torch.tensor([True, False]) + 1,
    "promote_bool_mul_float": lambda: torch.tensor([True, False]) * 2.5,
    "promote_bool_plus_long": lambda: torch.tensor([True, False]) + torch.arange(2),
    "promote_bool_sum": lambda: torch.tensor([True, False, True]).sum(),
    "promote_long_div_long": lambda: a_l() / b_l(),
    "promote_long_div_int": lambda: torch.arange(5) / 2,
    "long_floordiv": lambda: a_l() // b_l(),
    "long_remainder": lambda: a_l() % b_l(),
    "long_floordiv_scalar": lambda: a_l() // 2,
    "long_remainder_scalar": lambda: a_l() % 3,
    "long_div_trunc": lambda: torch.div(a_l(), b_l(), rounding_mode="trunc"),
    "long_div_floor": lambda: torch.div(a_l(), b_l(), rounding_mode="floor"),
    "long_floordiv_zero_tensor": lambda: a_l().floor_divide(torch.tensor([1, 0, 2, 1])),
    "long_remainder_zero_scalar": lambda: a_l().remainder(0),
    "long_fmod_zero": lambda: a_l().fmod(torch.tensor([1, 2, 0, 1])),
    "long_div_trunc_zero_scalar": lambda: torch.div(a_l(), 0, rounding_mode="trunc"),
    "long_div_true_zero": lambda: torch.div(a_l(), 0),
    "long_mul": lambda: a_l() * b_l(),
    "long_sub": lambda: a_l() - b_l(),
    "long_neg": lambda: -a_l(),
    "long_pow": lambda: a_l() ** 2,
    "long_mean_error": lambda: torch.arange(5).mean(),
    "long_mean_dtype": lambda: torch.arange(5).mean(dtype=torch.float32),
    "long_sum": lambda: torch.arange(5).sum(),
    "int32_sum_dtype": lambda: torch.ones(3, dtype=torch.int32).sum(),
    "float_floordiv": lambda: torch.tensor([7.0, -7.0]) // 2,
    "float_remainder": lambda: torch.tensor([7.0, -7.0]) % 3,
    "cmp_long_float": lambda: torch.arange(3) < torch.tensor([0.5, 1.5, 1.5]),
    "eq_scalar": lambda: torch.arange(3) == 1,
    "promote_int32_plus_pyfloat": lambda: torch.ones(2, dtype=torch.int32) + 1.5,
    "promote_int32_mul_bool": lambda: torch.ones(2, dtype=torch.int32) * torch.tensor([True, False]),
    "promote_float64_0d_plus_long0d": lambda: torch.tensor(1.0, dtype=torch.float64) + torch.tensor(1, dtype=L),
    "promote_long0d_plus_float_tensor": lambda: torch.tensor(1, dtype=L) + torch.ones(2),
    "promote_int32_div_int32": lambda: torch.ones(2, dtype=torch.int32) / torch.ones(2, dtype=torch.int32),
    "long_floordiv_zero": lambda: torch.arange(3) // 0,
    "long_remainder_zero": lambda: torch.arange(3) % 0,
    "float_div_zero": lambda: torch.tensor([1.0, -1.0, 0.0]) / 0,
    "bool_sub_error": lambda: torch.tensor([True]) - torch.tensor([False]),
    "bool_neg_error": lambda: -torch.tensor([True]),
    "long_sum_dim": lambda: torch.arange(6).view(2, 3).sum(1),
    "bool_and": lambda: torch.tensor([True, False]) & torch.tensor([True, True]),
}

# ------------------------------------------------------------------ in place (tensor.test.ts)
inplace_cases = {
    "inplace_add_": inplace(lambda t: t.add_(1), lambda: ar(2, 2)),
    "inplace_mul_twice": inplace(lambda t: t.mul_(2).mul_(3), lambda: ar(2, 2)),
    "inplace_add_broadcast": inplace(lambda t: t.add_(torch.tensor([10.0, 20.0])), lambda: ar(2, 2)),
    "inplace_long_add_int": inplace(lambda t: t.add_(2), lambda: torch.arange(3)),
    "inplace_long_add_float_error": inplace(lambda t: t.add_(1.5), lambda: torch.arange(3)),
    "inplace_long_mul_float_tensor_error": inplace(lambda t: t.mul_(torch.ones(3)), lambda: torch.arange(3)),
    "inplace_long_div_error": inplace(lambda t: t.div_(2), lambda: torch.arange(3)),
    "inplace_float_add_long": inplace(lambda t: t.add_(torch.arange(3)), lambda: torch.ones(3)),
    "inplace_zero_": inplace(lambda t: t.zero_(), lambda: ar(2, 2)),
    "inplace_fill_": inplace(lambda t: t.fill_(7), lambda: ar(2, 2)),
    "inplace_copy_": inplace(lambda t: t.copy_(torch.tensor([5.0, 6.0])), lambda: ar(2, 2)),
    "inplace_copy_long_from_float": inplace(lambda t: t.copy_(torch.tensor([1.9, -2.9, 3.5])), lambda: torch.arange(3)),
    "inplace_clamp_": inplace(lambda t: t.clamp_(1, 2), lambda: ar(2, 2)),
    "inplace_leaf_error": inplace(lambda t: t.add_(1), grad_x),
    "inplace_broadcast_error": inplace(lambda t: t.add_(torch.ones(2, 2)), lambda: torch.ones(2)),
    "inplace_nonleaf_grad_fn": lambda: (lambda y: y.mul_(2))(grad_x() * 1),
    "inplace_view_bumps_base": written(lambda t: t[0].add_(1), lambda: ar(2, 2)),
    "inplace_base_bumps_view": lambda: (lambda t, v: [t.add_(1), v, v._version])(*(lambda t: (t, t[1]))(ar(2, 2))),
}

# ------------------------------------------------------------------ indexing (tensor.test.ts)
X = lambda: ar(3, 4)  # noqa: E731
Y = lambda: ar(2, 3, 4)  # noqa: E731
idx_l = lambda *v: torch.tensor(v, dtype=L)  # noqa: E731
indexing = {
    "idx_int": lambda: X()[1],
    "idx_neg_int": lambda: X()[-1],
    "idx_two_ints": lambda: X()[1, 2],
    "idx_slice": lambda: X()[1:3],
    "idx_slice_step": lambda: X()[::2],
    "idx_slice_cols": lambda: X()[:, 1:3],
    "idx_slice_neg": lambda: X()[-2:],
    "idx_slice_obj": lambda: X()[:, slice(1, None, 2)],
    "idx_slice_oob": lambda: X()[1:10],
    "idx_ellipsis": lambda: Y()[..., 1],
    "idx_ellipsis_mid": lambda: Y()[0, ..., 2],
    "idx_none": lambda: X()[None],
    "idx_none_mid": lambda: X()[:, None, 1],
    "idx_tensor_1d": lambda: X()[idx_l(2, 0, 2)],
    "idx_tensor_neg": lambda: X()[idx_l(-1, 0)],
    "idx_tensor_2d": lambda: X()[idx_l(0, 1, 2, 0).reshape(2, 2)],
    "idx_tensor_cols": lambda: X()[:, idx_l(3, 0)],
    "idx_two_tensors": lambda: X()[idx_l(0, 2), idx_l(1, 3)],
    "idx_two_tensors_broadcast": lambda: X()[idx_l(0, 2).reshape(2, 1), idx_l(1, 3)],
    "idx_tensor_slice": lambda: Y()[idx_l(1, 0), 1:],
    "idx_separated_tensors": lambda: Y()[idx_l(1, 0), :, idx_l(0, 3)],
    "idx_int_and_tensor": lambda: Y()[1, :, idx_l(0, 3)],
    "idx_bool_mask": lambda: (lambda x: x[x > 5])(X()),
    "idx_bool_rows": lambda: X()[torch.tensor([True, False, True])],
    "idx_list": lambda: X()[[2, 0]],
    "idx_grad_fn": lambda: (torch.ones(3, 4, requires_grad=True) * 1)[idx_l(0, 2)],
    "idx_oob": lambda: X()[5],
    "idx_oob_neg": lambda: X()[-4],
    "idx_oob_col": lambda: X()[0, 4],
    "idx_oob_tensor": lambda: X()[idx_l(0, 5)],
    "idx_too_many": lambda: X()[0, 0, 0],
    "idx_too_many_slices": lambda: X()[:, :, :],
    "idx_view_shares": lambda: (lambda x: [x, x[1:]._base is x])(X()),
    "put_int": set_item(X, 1, 0.0),
    "put_slice": set_item(X, (slice(None), slice(1, 3)), -1.0),
    "put_slice_tensor": set_item(X, (0,), torch.tensor([9.0, 8.0, 7.0, 6.0])),
    "put_ellipsis": set_item(Y, (Ellipsis, 0), 5.0),
    "put_tensor_index": set_item(X, (idx_l(0, 2),), 3.0),
    "put_two_tensors": set_item(X, (idx_l(0, 2), idx_l(1, 3)), torch.tensor([100.0, 200.0])),
    "put_bool_mask": lambda: (lambda x: (x.__setitem__(x > 8, 0.0), [x, x._version])[1])(X()),
    "put_tensor_cols": set_item(X, (slice(None), idx_l(0, 3)), torch.tensor([[1.0, 2.0]])),
    "put_oob": set_item(X, 3, 0.0),
    "put_long_float_value": set_item(lambda: torch.arange(4), 1, 2.7),
    "idx_tensor_on_transposed": lambda: X().t()[idx_l(3, 1)],
    "idx_neg_step": lambda: X()[::-1],
    "idx_ellipsis_none": lambda: X()[..., None],
    "idx_0d_tensor": lambda: X()[torch.tensor(1)],
    "idx_bool_true": lambda: X()[True],
    "idx_2d_mask": lambda: X()[torch.ones(3, 4, dtype=torch.bool).triu()],
    "idx_mask_bad_shape": lambda: X()[torch.tensor([True, False])],
    "idx_on_0d": lambda: torch.tensor(5.0)[None],
    "idx_0d_int": lambda: torch.tensor(5.0)[0],
    "idx_int_tensor_slice_tensor": lambda: Y()[idx_l(0, 1), 1:3, idx_l(2, 3)],
    "put_transposed_view": lambda: (lambda x: (x.t().__setitem__(0, 9.0), [x, x._version])[1])(X()),
    "put_broadcast_row": set_item(X, (slice(1, None),), torch.tensor([1.0, 2.0, 3.0, 4.0])),
    "put_mask_tensor_value": lambda: (lambda x: (x.__setitem__(x > 8, torch.tensor([-1.0, -2.0, -3.0])), [x, x._version])[1])(X()),
    "put_value_bad_shape": set_item(X, 0, torch.tensor([1.0, 2.0])),
    "put_long_index_cast_value": set_item(lambda: torch.arange(5), (idx_l(0, 4),), torch.tensor([1.5, -2.5])),
    "put_none_index": set_item(X, (None, 1), 3.0),
}

# ------------------------------------------------------------------ views (views.test.ts)
def v_write(make_view, value=5.0):
    def g():
        x = ar(3, 4)
        v = make_view(x)
        v.fill_(value)
        return [x, v, x._version, v._version]
    return g


def v_meta(make_view):
    def g():
        x = ar(2, 3, 4)
        return make_view(x)
    return g


views = {
    "view_2d": v_meta(lambda x: x.view(6, 4)),
    "view_infer": v_meta(lambda x: x.view(-1, 2)),
    "view_list": v_meta(lambda x: x.view([4, 6])),
    "view_incompatible": v_meta(lambda x: x.transpose(0, 1).view(24)),
    "view_bad_size": lambda: torch.zeros(6).view(3, 5),
    "view_two_infer": lambda: torch.zeros(6).view(-1, -1),
    "view_infer_bad": lambda: torch.zeros(6).view(-1, 4),
    "view_of_transposed_ok": v_meta(lambda x: x.transpose(0, 1).view(3, 2, 2, 2)),
    "reshape_copy": v_meta(lambda x: x.transpose(0, 1).reshape(24)),
    "reshape_view": v_meta(lambda x: x.reshape(4, -1)),
    "reshape_bad": lambda: torch.zeros(6).reshape(4, 2),
    "transpose": v_meta(lambda x: x.transpose(0, 2)),
    "transpose_neg": v_meta(lambda x: x.transpose(-1, -2)),
    "transpose_bad_dim": v_meta(lambda x: x.transpose(0, 3)),
    "permute": v_meta(lambda x: x.permute(2, 0, 1)),
    "permute_list": v_meta(lambda x: x.permute([1, 2, 0])),
    "permute_bad": v_meta(lambda x: x.permute(0, 1)),
    "permute_repeat": v_meta(lambda x: x.permute(0, 1, 1)),
    "t_2d": lambda: ar(2, 3).t(),
    "t_1d": lambda: torch.arange(3.0).t(),
    "t_3d": v_meta(lambda x: x.t()),
    "unsqueeze_0": v_meta(lambda x: x.unsqueeze(0)),
    "unsqueeze_last": v_meta(lambda x: x.unsqueeze(-1)),
    "unsqueeze_mid": v_meta(lambda x: x.unsqueeze(2)),
    "unsqueeze_transposed": v_meta(lambda x: x.transpose(0, 2).unsqueeze(1)),
    "unsqueeze_bad": v_meta(lambda x: x.unsqueeze(4)),
    "squeeze_all": lambda: torch.zeros(1, 3, 1, 2).squeeze(),
    "squeeze_dim": lambda: torch.zeros(1, 3, 1, 2).squeeze(2),
    "squeeze_not1": lambda: torch.zeros(1, 3, 1, 2).squeeze(1),
    "squeeze_bad": lambda: torch.zeros(1, 3).squeeze(2),
    "expand": lambda: torch.tensor([[1.0], [2.0]]).expand(2, 3),
    "expand_neg1": lambda: torch.tensor([[1.0], [2.0]]).expand(-1, 4),
    "expand_new_dim": lambda: torch.tensor([1.0, 2.0]).expand(3, 2),
    "expand_bad": lambda: torch.tensor([1.0, 2.0]).expand(3, 3),
    "expand_fewer": lambda: torch.zeros(2, 3).expand(3),
    "expand_neg_lead": lambda: torch.zeros(3).expand(-1, 3),
    "flatten": v_meta(lambda x: x.flatten()),
    "flatten_range": v_meta(lambda x: x.flatten(1)),
    "flatten_noncontig": v_meta(lambda x: x.transpose(0, 2).flatten()),
    "flatten_0d": lambda: torch.tensor(2.0).flatten(),
    "narrow": v_meta(lambda x: x.narrow(2, 1, 2)),
    "narrow_bad": v_meta(lambda x: x.narrow(2, 3, 2)),
    "select": v_meta(lambda x: x.select(1, 2)),
    "select_neg": v_meta(lambda x: x.select(-1, -1)),
    "select_oob": v_meta(lambda x: x.select(1, 3)),
    "select_bad_dim": v_meta(lambda x: x.select(3, 0)),
    "unbind": v_meta(lambda x: x.unbind(1)),
    "split_size": v_meta(lambda x: x.split(3, 2)),
    "split_sizes": v_meta(lambda x: x.split([1, 3], 2)),
    "split_sizes_bad": v_meta(lambda x: x.split([1, 2], 2)),
    "chunk": v_meta(lambda x: x.chunk(2, 2)),
    "chunk_uneven": lambda: torch.arange(5.0).chunk(3),
    "chunk_more": lambda: torch.arange(5.0).chunk(4),
    "contiguous_copy": v_meta(lambda x: x.transpose(0, 1).contiguous()),
    "contiguous_same": v_meta(lambda x: [x.contiguous() is x]),
    "is_contiguous_t": v_meta(lambda x: [x.is_contiguous(), x.transpose(0, 1).is_contiguous(), x[:, :1].is_contiguous(), x[:1].is_contiguous()]),
    "is_contiguous_size1": lambda: [torch.zeros(3, 1).t().is_contiguous(), torch.zeros(1, 3).expand(2, 3).is_contiguous()],
    "strides_slice": v_meta(lambda x: x[:, 1:, ::2]),
    "dim_oob_sum": v_meta(lambda x: x.sum(3)),
    "dim_oob_neg": v_meta(lambda x: x.transpose(-4, 0)),
    "write_select": v_write(lambda x: x.select(1, 0)),
    "write_t_select": v_write(lambda x: x.t()[1]),
    "write_narrow": v_write(lambda x: x.narrow(0, 1, 2)),
    "write_view": v_write(lambda x: x.view(2, 6)[1]),
    "write_reshape": v_write(lambda x: x.reshape(12)[3:6]),
    "write_unsqueeze": v_write(lambda x: x.unsqueeze(0)[0, 2]),
    "write_permute": v_write(lambda x: x.permute(1, 0)[0]),
    "write_flatten": v_write(lambda x: x.flatten()[::5]),
    "write_unbind": v_write(lambda x: x.unbind(1)[3]),
    "write_split": v_write(lambda x: x.split(2, 1)[1]),
    "write_chunk": v_write(lambda x: x.chunk(3, 0)[2]),
    "write_diag_strided": v_write(lambda x: x.view(12)[::5]),
    "write_reshape_copy_no_share": v_write(lambda x: x.t().reshape(12)),
    "write_contiguous_copy_no_share": v_write(lambda x: x.t().contiguous()),
    "write_base_seen_by_view": lambda: (lambda x, v: [x.mul_(10), v, v._version])(*(lambda x: (x, x.t()[1:]))(ar(3, 4))),
    "view_of_expanded": lambda: torch.zeros(3, 1).expand(3, 4).view(12),
    "reshape_of_expanded": lambda: torch.arange(3.0).view(3, 1).expand(3, 2).reshape(6),
    "unsqueeze_0d": lambda: torch.tensor(1.0).unsqueeze(0),
    "squeeze_0d": lambda: torch.tensor(1.0).squeeze(),
    "t_0d": lambda: torch.tensor(1.0).t(),
    "expand_0d": lambda: torch.tensor(2.0).expand(2, 3),
    "narrow_neg_start": v_meta(lambda x: x.narrow(2, -2, 2)),
    "narrow_len_bad": v_meta(lambda x: x.narrow(2, 0, -1)),
    "split_zero_size": lambda: torch.arange(4.0).split(0),
    "chunk_zero": lambda: torch.arange(4.0).chunk(0),
    "flatten_bad": v_meta(lambda x: x.flatten(2, 1)),
    "permute_neg": v_meta(lambda x: x.permute(-1, 0, 1)),
    "view_0d": lambda: torch.tensor(3.0).view(1, 1),
    "view_to_0d": lambda: torch.ones(1).view([]),
    "view_empty": lambda: torch.zeros(0, 3).view(3, 0, -1) if False else torch.zeros(0, 3).view(-1),
    "transpose_same": v_meta(lambda x: x.transpose(1, 1)),
    "unbind_0d": lambda: torch.tensor(1.0).unbind(),
    "select_0d": lambda: torch.tensor(1.0).select(0, 0),
    "contiguous_of_expanded": lambda: torch.tensor([1.0, 2.0]).expand(2, 2).contiguous(),
    "write_expanded_error": lambda: torch.zeros(2, 1).expand(2, 3).add_(1),
    "write_transposed_add_": lambda: (lambda x: (x.t().add_(torch.tensor([100.0, 200.0, 300.0])), [x, x._version])[1])(ar(3, 4)),
    "write_self_alias": lambda: (lambda x: [x.mul_(x), x._version])(ar(2, 2)),
    "detach_shares_version": lambda: (lambda x, d: (d.add_(1), [x, x._version])[1])(*(lambda x: (x, x.detach()))(ar(2, 2))),
    "split_uneven": lambda: torch.arange(7.0).split(3),
    "chunk_empty_dim": lambda: torch.zeros(0, 2).chunk(2),
    "expand_neg1_new_dim_inner": lambda: torch.zeros(2, 1).expand(3, -1, 4),
    "reshape_0d": lambda: torch.tensor(1.0).reshape(-1),
    "squeeze_dim_neg": lambda: torch.zeros(2, 1).squeeze(-1),
    "narrow_on_transposed": lambda: ar(3, 4).t().narrow(1, 1, 2),
    "select_then_view_error": lambda: ar(3, 4).t()[1].view(3),
    "unflatten_like_view": lambda: ar(3, 4).t().contiguous().view(2, 2, 3),
    "view_grad_fn_names": lambda: [grad_x().view(3, 1), grad_x().reshape(1, 3), grad_x().unsqueeze(0), grad_x().view(1, 3).squeeze(0),
                                   grad_x().expand(2, 3), grad_x().narrow(0, 1, 2), grad_x().unbind(0)[0], grad_x().split(2)[1],
                                   grad_x().view(3, 1).permute(1, 0), grad_x().flatten(), grad_x().view(3, 1).t().contiguous()],
}

# ------------------------------------------------------------------ creation (creation.test.ts)
creation = {
    "tensor_nested": lambda: torch.tensor([[1.0, 2.0], [3.0, 4.0]]),
    "tensor_scalar": lambda: torch.tensor(2.0),
    "tensor_bools": lambda: torch.tensor([True, False]),
    "tensor_bool_scalar": lambda: torch.tensor(False),
    "tensor_mixed_bool_num": lambda: torch.tensor([True, 2.5]),
    "tensor_bigint": lambda: torch.tensor([1, -2, 3]),
    "tensor_bigint_nested": lambda: torch.tensor([[1, 2], [3, 4]]),
    "tensor_dtype_int64": lambda: torch.tensor([1.0, 2.0], dtype=L),
    "tensor_dtype_float64": lambda: torch.tensor([[1.0, 2.0]], dtype=torch.float64),
    "tensor_float64array": lambda: torch.tensor([0.1, 0.2], dtype=torch.float64),
    "tensor_float32array": lambda: torch.tensor([0.5, 1.5], dtype=torch.float32),
    "tensor_int32array": lambda: torch.tensor([1, 2], dtype=torch.int32),
    "tensor_bigint64array": lambda: torch.tensor([5, 6], dtype=L),
    "tensor_of_tensors": lambda: torch.tensor([torch.tensor(1.0).item(), torch.tensor(2.0).item()]),
    "tensor_of_1d_tensors": lambda: torch.stack([torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])]),
    "tensor_empty": lambda: torch.tensor([]),
    "tensor_empty_nested": lambda: torch.tensor([[], []]),
    "tensor_ragged": lambda: torch.tensor([[1.0, 2.0], [3.0]]),
    "tensor_requires_grad": lambda: torch.tensor([1.0, 2.0], requires_grad=True),
    "tensor_requires_grad_int": lambda: torch.tensor([1, 2], requires_grad=True),
    "zeros_varargs": lambda: torch.zeros(2, 3),
    "zeros_array": lambda: torch.zeros([2, 3]),
    "zeros_0d": lambda: torch.zeros([]),
    "zeros_dtype": lambda: torch.zeros(2, dtype=L),
    "zeros_requires_grad": lambda: torch.zeros(2, 2, requires_grad=True),
    "zeros_negative": lambda: torch.zeros(2, -1),
    "ones_varargs": lambda: torch.ones(2, 2),
    "ones_array_dtype": lambda: torch.ones([3], dtype=torch.float64),
    "ones_bool": lambda: torch.ones(2, dtype=torch.bool),
    "ones_requires_grad": lambda: torch.ones(3, requires_grad=True),
    "empty_shape": lambda: list(torch.empty(2, 5).shape),
    "empty_dtype": lambda: torch.empty(3, dtype=torch.int32).dtype,
    "full": lambda: torch.full([2, 2], 7.0),
    "full_int_dtype": lambda: torch.full([3], 4, dtype=L),
    "full_bool": lambda: torch.full([2], True),
    "full_requires_grad": lambda: torch.full([2], 1.5, requires_grad=True),
    "arange_int": lambda: torch.arange(5),
    "arange_start_end": lambda: torch.arange(2, 7),
    "arange_step": lambda: torch.arange(1, 10, 3),
    "arange_neg_step": lambda: torch.arange(5, 0, -2),
    "arange_float": lambda: torch.arange(0, 1, 0.25),
    "arange_float_end": lambda: torch.arange(2.5),
    "arange_float_dtype": lambda: torch.arange(5, dtype=torch.float32),
    "arange_float64": lambda: torch.arange(0, 1, 0.1, dtype=torch.float64),
    "arange_float32_tenth": lambda: torch.arange(0, 1, 0.1),
    "arange_empty": lambda: torch.arange(0),
    "arange_bad_sign": lambda: torch.arange(0, 5, -1),
    "arange_zero_step": lambda: torch.arange(0, 5, 0),
    "arange_requires_grad": lambda: torch.arange(3, dtype=torch.float32, requires_grad=True),
    "linspace_5": lambda: torch.linspace(0, 1, 5),
    "linspace_7": lambda: torch.linspace(-1, 1, 7),
    "linspace_thirds": lambda: torch.linspace(0, 1, 10),
    "linspace_float64": lambda: torch.linspace(0, 1, 11, dtype=torch.float64),
    "linspace_one": lambda: torch.linspace(3, 4, 1),
    "linspace_zero": lambda: torch.linspace(3, 4, 0),
    "linspace_int64": lambda: torch.linspace(0, 10, 4, dtype=L),
    "linspace_desc": lambda: torch.linspace(5, -5, 6),
    "eye_3": lambda: torch.eye(3),
    "eye_rect": lambda: torch.eye(2, 4),
    "eye_dtype": lambda: torch.eye(2, dtype=L),
    "eye_float64": lambda: torch.eye(3, dtype=torch.float64),
    "eye_bool": lambda: torch.eye(2, dtype=torch.bool),
    "zeros_like": lambda: torch.zeros_like(torch.arange(3)),
    "ones_like_dtype": lambda: torch.ones_like(torch.arange(3), dtype=torch.float32),
    "full_like": lambda: torch.full_like(ar(2, 2), 3.0),
    "full_like_long_trunc": lambda: torch.full_like(torch.arange(2), 2.7),
    "empty_like": lambda: list(torch.empty_like(ar(2, 2).t()).shape),
    "like_of_transposed_strides": lambda: torch.zeros_like(ar(2, 3).t()),
    "like_requires_grad": lambda: torch.ones_like(torch.zeros(2), requires_grad=True),
    "randn_2x3": seeded(lambda: torch.randn(2, 3)),
    "randn_array_f64": seeded(lambda: torch.randn([2], dtype=torch.float64)),
    "randn_requires_grad": seeded(lambda: torch.randn(2, requires_grad=True)),
    "rand_4": seeded(lambda: torch.rand(4)),
    "rand_then_randn": seeded(lambda: [torch.rand(2), torch.randn(2)]),
    "randint_high": seeded(lambda: torch.randint(10, (5,))),
    "randint_low_high": seeded(lambda: torch.randint(3, 6, (2, 3))),
    "randint_bad": seeded(lambda: torch.randint(5, 5, (2,))),
    "randperm_6": seeded(lambda: torch.randperm(6)),
    "normal_scalar": seeded(lambda: torch.normal(2.0, 3.0, (3,))),
    "normal_tensors": seeded(lambda: torch.normal(torch.zeros(3), torch.ones(3))),
    "randn_long_error": seeded(lambda: torch.randn(2, dtype=L)),
    "tensor_bool_dtype": lambda: torch.tensor([1.0, 0.0, 2.0], dtype=torch.bool),
    "tensor_float_to_long_trunc": lambda: torch.tensor([-1.5, 2.7], dtype=L),
    "tensor_nested_ragged_deep": lambda: torch.tensor([[[1.0], [2.0]], [[3.0]]]),
    "tensor_int32_nested": lambda: torch.tensor([[1, 2]], dtype=torch.int32),
    "tensor_0d_bigint": lambda: torch.tensor(5),
    "eye_0": lambda: torch.eye(0),
    "eye_cols0": lambda: torch.eye(2, 0),
    "eye_requires_grad": lambda: torch.eye(2, requires_grad=True),
    "linspace_neg_steps": lambda: torch.linspace(0, 1, -1),
    "arange_float_neg": lambda: torch.arange(1, -1.5, -0.5),
    "arange_long_dtype_from_floats": lambda: torch.arange(0, 2.5, 0.5, dtype=L),
    "arange_float64_dtype_int_args": lambda: torch.arange(3, dtype=torch.float64),
    "full_negative_zero_long": lambda: torch.full([2], -0.5, dtype=L).tolist(),
    "zeros_long_requires_grad": lambda: torch.zeros(2, dtype=L, requires_grad=True),
    "ones_like_bool": lambda: torch.ones_like(torch.tensor([True, False])),
    "randint_dtype": seeded(lambda: torch.randint(0, 4, (3,), dtype=torch.int32)),
    "rand_float64": seeded(lambda: torch.rand(3, dtype=torch.float64)),
    "randperm_dtype": seeded(lambda: torch.randperm(4, dtype=torch.float32)),
    "zeros_size_float": lambda: torch.zeros(2.5),
    "tensor_of_noncontig_tensor": lambda: ar(2, 3).t().clone().detach(),  # torch.tensor(t), without its warning
    "tensor_of_tensor_rows": lambda: torch.tensor([ar(2, 2)[0].tolist(), ar(2, 2)[1].tolist()]),
    "zeros_0_size": lambda: torch.zeros(0, 3),
    "arange_big_float": lambda: torch.arange(0, 3, 0.3),
}

sections = {
    "printing": printing,
    "conversion": conversion,
    "promotion": promotion,
    "inplace": inplace_cases,
    "indexing": indexing,
    "views": views,
    "creation": creation,
}
out = {"torch_version": torch.__version__}
for sec, cases in sections.items():
    torch.set_printoptions(profile="default")
    out[sec] = {name: run(fn) for name, fn in cases.items()}
# linspace values, bit for bit (the CPU kernel's FMA and vectorised runs are reproduced in TypeScript)
out["linspace_sweep"] = [
    {"start": a, "end": b, "steps": n, "dtype": DT[dt], "values": torch.linspace(a, b, n, dtype=dt).tolist()}
    for dt in (torch.float32, torch.float64, torch.int64)
    for (a, b) in ((0, 1), (-1, 1), (0, 10), (5, -5), (0.1, 7.3), (-3, 100))
    for n in (2, 3, 7, 10, 15, 16, 17, 31, 33, 50, 100, 257)
]
with open(OUT, "w") as f:
    json.dump(out, f, indent=1, sort_keys=False)
    f.write("\n")
print("wrote", OUT, sum(len(c) for c in sections.values()), "cases")
