#!/usr/bin/env python3
"""Generates test/fixtures/edge.json with real PyTorch 1.13 (the specification): edge cases of issue 9,
classes 2 and 3, and their neighbours, for test/edge.test.ts.

  2. NaN where PyTorch gives a number: std/var gradients at a zero spread, norm(p < 1) at zeros,
     zero gradients (sign, floor, relu, clamp, max, ...) under an infinite or NaN incoming gradient,
     cross_entropy / nll_loss with every target ignored (every reduction, with class weights).
  3. Wrong values or dtypes: norm(0), norm(-inf), amax/amin over everything, reductions with a dtype,
     bool ** 2, floor_divide by +-inf, kl_div with negative targets, logsumexp over empty tensors.

Each case: its inputs (values, dtype, shape, requires_grad), the output (values incl. nan/inf, dtype,
shape, grad_fn name, repr) or PyTorch's error (Python class name and message), and, where the output
requires grad, the incoming gradient `gout` and the gradient of each input (null where PyTorch gives
None) or the backward's error. test/edge.test.ts has one TypeScript call per case name.

Run: /usr/bin/python3 scripts/gen_edge_fixtures.py   (generated file: do not edit by hand)
"""
import json
import os

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "edge.json")
inf, nan = float("inf"), float("nan")
f32, f64, i64, i32, b8 = torch.float32, torch.float64, torch.int64, torch.int32, torch.bool
DT = {f32: "float32", f64: "float64", i64: "int64", i32: "int32", b8: "bool"}


def enc_float(v, dt):
    if v != v:
        return "nan"
    if v in (inf, -inf):
        return "inf" if v > 0 else "-inf"
    return float("%.9g" % v) if dt == f32 else v


def flat(t):
    vals = t.detach().reshape(-1).tolist()
    if t.dtype.is_floating_point:
        return [enc_float(v, t.dtype) for v in vals]
    if t.dtype == b8:
        return [bool(v) for v in vals]
    return [int(v) for v in vals]


def enc(t):
    return {"dtype": DT[t.dtype], "shape": list(t.shape), "values": flat(t)}


CASES = []


def case(name, fn, inputs, grad=None):
    """inputs: (values, dtype, requires_grad) triples; grad: None (ones), or a fill value for gout."""
    assert not any(c[0] == name for c in CASES), name
    CASES.append((name, fn, inputs, grad))


def T(values, dtype=f32, rg=False):
    return (values, dtype, rg)


def run(name, fn, inputs, fill):
    xs = [torch.tensor(v, dtype=d) for v, d, _ in inputs]
    rec = {"name": name, "inputs": [dict(enc(x), requiresGrad=rg) for x, (_, _, rg) in zip(xs, inputs)]}
    for x, (_, _, rg) in zip(xs, inputs):
        if rg:
            x.requires_grad_(True)
    try:
        out = fn(*xs)
    except Exception as e:  # PyTorch rejects the call: the test expects the same error
        rec["error"] = {"type": type(e).__name__, "msg": str(e).split("\n")[0]}
        return rec
    rec["out"] = dict(enc(out), gradFn=type(out.grad_fn).__name__ if out.grad_fn is not None else None,
                      repr=str(out))
    if not out.requires_grad:
        return rec
    gout = torch.ones_like(out) if fill is None else torch.full_like(out, fill)
    rec["gout"] = flat(gout)
    leaves = [x for x in xs if x.requires_grad]
    try:
        grads = iter(torch.autograd.grad(out, leaves, gout, allow_unused=True))
    except Exception as e:
        rec["gradError"] = {"type": type(e).__name__, "msg": str(e).split("\n")[0]}
        return rec
    rec["grads"] = [(lambda g: enc(g) if g is not None else None)(next(grads)) if x.requires_grad else None for x in xs]
    return rec


# ------------------------------------------------------------------------------------------------
# class 2: std / var at a zero spread, and where n - correction <= 0
ones3 = T([1.0, 1.0, 1.0], rg=True)
case("std/zero_spread", lambda x: x.std(), [ones3])
case("var/zero_spread", lambda x: x.var(), [ones3])
case("std/zero_spread_biased", lambda x: x.std(unbiased=False), [ones3])
case("std/zero_spread_f64", lambda x: x.std(), [T([2.0, 2.0, 2.0], f64, True)])
case("std/zero_spread_dim", lambda x: x.std(1), [T([[1.0, 1.0], [1.0, 2.0]], rg=True)])
case("std/zero_spread_dim_keepdim", lambda x: x.std(-1, keepdim=True), [T([[1.0, 1.0, 1.0], [0.0, 1.0, 2.0]], rg=True)])
case("std/zero_spread_dim_list", lambda x: x.std([0, 1]), [T([[3.0, 3.0], [3.0, 3.0]], rg=True)])
case("std/zero_spread_dim_tuple_neg", lambda x: x.std((-2, -1), keepdim=True), [T([[3.0, 3.0], [3.0, 3.0]], rg=True)])
case("std/zero_spread_biased_dim", lambda x: x.std(1, unbiased=False), [T([[1.0, 1.0], [1.0, 3.0]], rg=True)])
case("var/zero_spread_dim0", lambda x: x.var(0), [T([[5.0, 1.0], [5.0, 2.0]], rg=True)])
case("std/n1_dim", lambda x: x.std(1), [T([[1.0], [2.0]], rg=True)])
case("var/n1_dim", lambda x: x.var(1), [T([[1.0], [2.0]], rg=True)])
case("std/n1_full", lambda x: x.std(), [T([4.0], rg=True)])
case("var/n1_full", lambda x: x.var(), [T([4.0], rg=True)])
case("std/0d", lambda x: x.std(), [T(3.0, rg=True)])
case("var/0d", lambda x: x.var(), [T(3.0, rg=True)])
case("std/0d_dim0", lambda x: x.std(0), [T(3.0, rg=True)])
case("var/0d_biased", lambda x: x.var(unbiased=False), [T(3.0, rg=True)])
case("std/0d_biased", lambda x: x.std(unbiased=False), [T(3.0, rg=True)])
case("var/correction2_dim", lambda x: x.var(1, correction=2), [T([[1.0, 2.0], [2.0, 2.0]], rg=True)])
case("std/correction2_dim", lambda x: x.std(1, correction=2), [T([[1.0, 2.0], [2.0, 2.0]], rg=True)])
case("var/correction0_dim", lambda x: x.var(1, correction=0), [T([[1.0, 2.0], [2.0, 2.0]], rg=True)])
case("std/empty", lambda x: x.std(), [T([], rg=True)])
case("var/empty", lambda x: x.var(), [T([], rg=True)])
case("std/empty_dim", lambda x: x.std(1), [T([[], []], rg=True)])
case("var/empty_dim0", lambda x: x.var(0), [T([[], []], rg=True)])
case("var/dims_empty_list", lambda x: x.var([]), [T([[1.0, 1.0], [1.0, 3.0]], rg=True)])
case("std/dims_empty_list", lambda x: x.std([]), [T([[1.0, 1.0], [1.0, 3.0]], rg=True)])
case("var/dims_empty_list_keepdim", lambda x: x.var([], keepdim=True), [T([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]], rg=True)])
case("var/dims_all_tuple", lambda x: x.var((0, 1)), [T([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]], rg=True)])
case("std/spread", lambda x: x.std(0), [T([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]], rg=True)])

# norm's gradient at zeros, every branch of norm_backward, and its values
xz = [[0.0, -1.5, 2.0], [0.0, 0.0, 3.0]]
for p, tag in [(0.5, "p0.5"), (-0.5, "p-0.5"), (-1, "p-1"), (-2, "p-2"), (1, "p1"), (1.5, "p1.5"), (2, "p2"), (3, "p3"),
               (inf, "pinf"), (-inf, "p-inf"), (0, "p0")]:
    case(f"norm/{tag}", lambda x, p=p: x.norm(p), [T(xz, rg=True)])
    case(f"norm/{tag}_dim", lambda x, p=p: x.norm(p, 1), [T(xz, rg=True)])
    case(f"norm/{tag}_dims_keepdim", lambda x, p=p: x.norm(p, (0, -1), True), [T(xz, rg=True)])
    case(f"norm/{tag}_all_zero", lambda x, p=p: x.norm(p, -1), [T([[0.0, 0.0], [0.0, 0.0]], rg=True)])
    case(f"norm/{tag}_empty", lambda x, p=p: x.norm(p), [T([], rg=True)])
    case(f"norm/{tag}_empty_dim", lambda x, p=p: x.norm(p, 1), [T([[], []], rg=True)])
case("norm/p0.5_f64", lambda x: x.norm(0.5), [T(xz, f64, True)])
case("norm/p0_f64", lambda x: x.norm(0), [T(xz, f64, True)])
case("norm/p-inf_f64_dim", lambda x: x.norm(-inf, 0), [T(xz, f64, True)])
case("norm/fro", lambda x: x.norm("fro"), [T(xz, rg=True)])
case("norm/fro_dim", lambda x: x.norm("fro", 1), [T(xz, rg=True)])
case("norm/dims_empty_list", lambda x: x.norm(2, []), [T(xz, rg=True)])
case("norm/p3_dims_empty_list", lambda x: x.norm(3, []), [T(xz, rg=True)])
case("norm/p0_nan", lambda x: x.norm(0), [T([nan, 0.0, 1.0], rg=True)])
case("norm/pinf_nan", lambda x: x.norm(inf), [T([nan, 0.0, 1.0], rg=True)])
case("norm/p-inf_nan", lambda x: x.norm(-inf), [T([nan, 0.0, 1.0], rg=True)])
case("norm/p0_0d", lambda x: x.norm(0), [T(0.0, rg=True)])
case("norm/p0.5_0d", lambda x: x.norm(0.5), [T(0.0, rg=True)])
case("norm/p-inf_0d", lambda x: x.norm(-inf), [T(-2.0, rg=True)])
case("norm/p0_chain", lambda x: (x * 2).norm(0), [T(xz, rg=True)])
case("norm/pinf_ties", lambda x: x.norm(inf), [T([2.0, -2.0, 1.0], rg=True)])
case("norm/p-inf_ties", lambda x: x.norm(-inf, 1), [T([[0.5, -0.5, 1.0], [3.0, -1.0, 2.0]], rg=True)])
case("norm/int_error", lambda x: x.norm(), [T([1, 2], i64)])
case("norm/int_p0_error", lambda x: x.norm(0), [T([1, 2], i64)])
case("norm/functional_p0.5_dim", lambda x: torch.norm(x, p=0.5, dim=1), [T(xz, rg=True)])

# zero gradients under an infinite or NaN incoming gradient
xs3 = [-1.5, 0.0, 2.5]
for fill, tag in [(inf, "inf"), (nan, "nan")]:
    case(f"gout_{tag}/sign", torch.sign, [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/floor", torch.floor, [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/ceil", torch.ceil, [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/round", torch.round, [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/trunc", torch.trunc, [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/relu", torch.relu, [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/abs", torch.abs, [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/clamp", lambda x: x.clamp(-1, 1), [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/clamp_min", lambda x: x.clamp(min=0.5), [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/clamp_max", lambda x: x.clamp(max=0.5), [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/clamp_tensor", lambda x, lo, hi: x.clamp(lo, hi),
         [T(xs3, rg=True), T([-1.0, -1.0, -1.0], rg=True), T([1.0, 1.0, 1.0], rg=True)], fill)
    case(f"gout_{tag}/maximum", torch.maximum, [T(xs3, rg=True), T([0.0, 0.0, 0.0], rg=True)], fill)
    case(f"gout_{tag}/minimum", torch.minimum, [T(xs3, rg=True), T([0.0, 0.0, 0.0], rg=True)], fill)
    case(f"gout_{tag}/max", lambda x: x.max(), [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/min", lambda x: x.min(), [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/max_dim", lambda x: x.max(1)[0], [T([xs3, [1.0, 5.0, -2.0]], rg=True)], fill)
    case(f"gout_{tag}/amax", lambda x: x.amax(), [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/pow0", lambda x: x.pow(0), [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/pow_tensor0", lambda x, e: x.pow(e), [T(xs3, rg=True), T([0.0, 0.0, 0.0], rg=True)], fill)
    case(f"gout_{tag}/relu6", F.relu6, [T([-1.5, 0.0, 2.5, 6.0, 7.0], rg=True)], fill)
    case(f"gout_{tag}/hardtanh", F.hardtanh, [T([-1.5, -1.0, 0.0, 1.0, 2.5], rg=True)], fill)
    case(f"gout_{tag}/leaky_relu0", lambda x: F.leaky_relu(x, 0.0), [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/where", lambda x: torch.where(x > 0, x, torch.zeros(3)), [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/div_floor", lambda x: x.div(2.0, rounding_mode="floor"), [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/prod_zero", lambda x: x.prod(), [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/norm2_zeros", lambda x: x.norm(), [T([0.0, 0.0, 0.0], rg=True)], fill)
    case(f"gout_{tag}/smooth_l1", lambda x: F.smooth_l1_loss(x, torch.zeros(3), reduction="none"), [T(xs3, rg=True)], fill)
    case(f"gout_{tag}/cumprod_zero", lambda x: x.cumprod(0), [T(xs3, rg=True)], fill)
# cumprod's gradient with zeros (PyTorch's O(n) formula outside grad mode)
case("cumprod/one_zero", lambda x: x.cumprod(0), [T([2.0, -1.5, 0.0, 3.0, 0.5], rg=True)])
case("cumprod/two_zeros", lambda x: x.cumprod(0), [T([2.0, 0.0, 3.0, 0.0, 0.5], rg=True)])
case("cumprod/zero_first", lambda x: x.cumprod(0), [T([0.0, 2.0, 3.0], rg=True)])
case("cumprod/zero_last", lambda x: x.cumprod(0), [T([2.0, 3.0, 0.0], rg=True)])
case("cumprod/rows_dim1", lambda x: x.cumprod(1), [T([[1.5, 0.0, 2.0, 4.0], [1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 1.0, 2.0]], rg=True)])
case("cumprod/cols_dim0", lambda x: x.cumprod(0), [T([[1.5, 0.0], [0.0, 2.0], [3.0, 4.0]], rg=True)])
case("cumprod/f64", lambda x: x.cumprod(-1), [T([[2.0, 0.0, 3.0], [1.0, 0.5, 0.0]], f64, True)])
case("cumprod/dim_size1", lambda x: x.cumprod(1), [T([[0.0], [2.0]], rg=True)], inf)
case("cumprod/gout_inf_no_zero", lambda x: x.cumprod(0), [T([2.0, -1.5, 3.0], rg=True)], inf)
# prod's gradient with zeros and infinities; max/min along a dim over infinite elements
case("prod/two_zeros_gout_inf", lambda x: x.prod(), [T([0.0, 2.0, 0.0], rg=True)], inf)
case("prod/zero_and_inf", lambda x: x.prod(), [T([0.0, inf, 2.0], rg=True)])
case("prod/dim_zeros", lambda x: x.prod(1), [T([[0.0, 2.0, 0.0], [1.5, 0.0, 2.0], [1.0, 2.0, 3.0]], rg=True)])
case("prod/dim_keepdim", lambda x: x.prod(0, True), [T([[0.5, 2.0], [1.5, -3.0]], rg=True)])
case("prod/no_zero", lambda x: x.prod(), [T([0.1, 0.7, -3.3, 1.9], rg=True)])
case("prod/f32_to_f64_zero", lambda x: x.prod(dtype=f64), [T([0.1, 0.0, 0.3], rg=True)])
case("prod/0d", lambda x: x.prod(), [T(2.5, rg=True)], inf)
case("max_dim/inf_elements", lambda x: x.max(1)[0], [T([[inf, 1.0], [-inf, nan], [2.0, -inf]], rg=True)])
case("min_dim/inf_elements_keepdim", lambda x: x.min(0, True)[0], [T([[inf, 1.0], [-inf, 3.0]], rg=True)])
# pieces of unbind / split / chunk without a gradient contribute zeros, whatever x holds
xin = [[inf, 1.0], [2.0, nan]]
case("pieces/unbind", lambda x: x.unbind(0)[1], [T(xin, rg=True)])
case("pieces/split", lambda x: x.split(1, 0)[1], [T(xin, rg=True)])
case("pieces/chunk_dim1", lambda x: x.chunk(2, 1)[1], [T(xin, rg=True)])
# NaN inputs: what the masks give
case("nan_input/sign", torch.sign, [T([nan, -0.0, 0.0, -inf, inf, -2.0], rg=True)])
case("nan_input/abs", torch.abs, [T([nan, -0.0, 0.0, -2.0], rg=True)])
case("nan_input/relu", torch.relu, [T([nan, 2.0, -1.0], rg=True)])
case("nan_input/clamp", lambda x: x.clamp(-1, 1), [T([nan, 2.0, -1.0], rg=True)])
case("nan_input/maximum", torch.maximum, [T([nan, 2.0, -1.0], rg=True), T([0.0, nan, -1.0], rg=True)])
case("nan_input/minimum", torch.minimum, [T([nan, 2.0, -1.0], rg=True), T([0.0, nan, -1.0], rg=True)])
case("nan_input/max", lambda x: x.max(), [T([nan, 2.0, 0.0], rg=True)])
case("nan_input/amax", lambda x: x.amax(), [T([nan, 2.0, 0.0], rg=True)])
case("nan_input/max_ties", lambda x: x.max(), [T([1.0, 2.0, 2.0], rg=True)])
case("nan_input/min_ties", lambda x: x.min(), [T([1.0, 1.0, 2.0], rg=True)])
case("nan_input/relu6", F.relu6, [T([nan, 3.0, -1.0], rg=True)])
case("clamp/min_above_max", lambda x, lo, hi: x.clamp(lo, hi),
     [T([0.5, 2.0, -1.0], rg=True), T([1.0, 1.0, 1.0], rg=True), T([0.0, 0.0, 0.0], rg=True)])
case("clamp/tensor_min_only", lambda x, lo: x.clamp(min=lo), [T([0.5, 2.0, -1.0], rg=True), T([1.0, 1.0, 1.0], rg=True)])
case("clamp/tensor_max_only", lambda x, hi: x.clamp(max=hi), [T([0.5, 2.0, -1.0], rg=True), T([1.0, 1.0, 1.0], rg=True)])
case("hardtanh/min_above_max", lambda x: F.hardtanh(x, 2.0, 1.0), [T([0.5], rg=True)])

# cross_entropy / nll_loss with every target ignored
torch.manual_seed(0)
logits = torch.randn(3, 4).tolist()
ign = T([-100, -100, -100], i64)
w4 = T([0.5, 1.0, 2.0, 3.0])
for red in ["mean", "sum", "none"]:
    case(f"nll_ignored/ce_{red}", lambda x, t, red=red: F.cross_entropy(x, t, reduction=red), [T(logits, rg=True), ign])
    case(f"nll_ignored/ce_weight_{red}", lambda x, t, w, red=red: F.cross_entropy(x, t, weight=w, reduction=red),
         [T(logits, rg=True), ign, w4])
    case(f"nll_ignored/nll_{red}", lambda x, t, red=red: F.nll_loss(x, t, reduction=red), [T(logits, rg=True), ign])
    case(f"nll_ignored/nll_weight_{red}", lambda x, t, w, red=red: F.nll_loss(x, t, weight=w, reduction=red),
         [T(logits, rg=True), ign, w4])
    case(f"nll_ignored/ce_smooth_{red}", lambda x, t, red=red: F.cross_entropy(x, t, reduction=red, label_smoothing=0.1),
         [T(logits, rg=True), ign])
    case(f"nll_ignored/ce_smooth_weight_{red}",
         lambda x, t, w, red=red: F.cross_entropy(x, t, weight=w, reduction=red, label_smoothing=0.1),
         [T(logits, rg=True), ign, w4])
    case(f"nll_ignored/ce_ignore_index_{red}", lambda x, t, red=red: F.cross_entropy(x, t, ignore_index=2, reduction=red),
         [T(logits, rg=True), T([2, 2, 2], i64)])
    case(f"nll_ignored/ce_partial_smooth_{red}",
         lambda x, t, red=red: F.cross_entropy(x, t, reduction=red, label_smoothing=0.2), [T(logits, rg=True), T([-100, 1, 3], i64)])
    case(f"nll_ignored/ce_partial_smooth_weight_{red}",
         lambda x, t, w, red=red: F.cross_entropy(x, t, weight=w, reduction=red, label_smoothing=0.2),
         [T(logits, rg=True), T([-100, 1, 3], i64), w4])
case("nll_ignored/ce_f64", lambda x, t: F.cross_entropy(x, t), [T(logits, f64, True), ign])
case("nll_ignored/ce_1d", lambda x, t: F.cross_entropy(x, t), [T(logits[0], rg=True), T(-100, i64)])
case("nll_ignored/nll_1d", lambda x, t: F.nll_loss(x, t), [T(logits[0], rg=True), T(-100, i64)])
case("nll_ignored/ce_3d", lambda x, t: F.cross_entropy(x, t), [T(torch.randn(2, 4, 2).tolist(), rg=True), T([[-100] * 2] * 2, i64)])
case("nll_ignored/ce_4d", lambda x, t: F.cross_entropy(x, t), [T(torch.randn(2, 4, 2, 2).tolist(), rg=True), T([[[-100] * 2] * 2] * 2, i64)])
case("nll_ignored/ce_4d_weight", lambda x, t, w: F.cross_entropy(x, t, weight=w),
     [T(torch.randn(2, 4, 2, 2).tolist(), rg=True), T([[[-100] * 2] * 2] * 2, i64), w4])
case("nll_ignored/ce_4d_sum", lambda x, t: F.cross_entropy(x, t, reduction="sum"),
     [T(torch.randn(2, 4, 2, 2).tolist(), rg=True), T([[[-100] * 2] * 2] * 2, i64)])
case("nll_ignored/ce_empty_batch", lambda x, t: F.cross_entropy(x.reshape(0, 4), t), [T([], rg=True), T([], i64)])
case("nll_ignored/ce_empty_batch_sum", lambda x, t: F.cross_entropy(x.reshape(0, 4), t, reduction="sum"), [T([], rg=True), T([], i64)])
case("nll_ignored/ce_zero_weights", lambda x, t, w: F.cross_entropy(x, t, weight=w),
     [T(logits, rg=True), T([0, 0, 1], i64), T([0.0, 0.0, 1.0, 1.0])])
case("nll_ignored/ce_partial", lambda x, t: F.cross_entropy(x, t), [T(logits, rg=True), T([-100, 1, -100], i64)])
case("nll_ignored/ce_gout_inf_sum", lambda x, t: F.cross_entropy(x, t, reduction="sum"), [T(logits, rg=True), T([-100, 1, -100], i64)], inf)

# ------------------------------------------------------------------------------------------------
# class 3: amax / amin over everything, dims as lists, tuples, negative; empty tensors
x23 = [[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]]
case("amax/no_dim", lambda x: x.amax(), [T(x23, rg=True)])
case("amin/no_dim", lambda x: x.amin(), [T(x23, rg=True)])
case("amax/dims_empty_list", lambda x: x.amax([]), [T(x23, rg=True)])
case("amin/dims_empty_tuple_keepdim", lambda x: x.amin((), keepdim=True), [T(x23, rg=True)])
case("amax/dims_tuple_neg", lambda x: x.amax((0, -1)), [T(x23, rg=True)])
case("amax/dim_list_neg_keepdim", lambda x: x.amax([-1], True), [T(x23, rg=True)])
case("amin/dim0", lambda x: x.amin(0), [T(x23, rg=True)])
case("amax/ties", lambda x: x.amax(), [T([[2.0, 1.0], [2.0, 2.0]], rg=True)])
case("amax/f64", lambda x: x.amax(), [T(x23, f64, True)])
case("amax/0d", lambda x: x.amax(), [T(3.0, rg=True)])
case("amax/0d_dim0", lambda x: x.amax(0), [T(3.0, rg=True)])
case("amax/int", lambda x: x.amax(), [T([1, 5, 2], i64)])
case("amin/int_dims_empty", lambda x: x.amin([]), [T([[1, 5], [-2, 0]], i64)])
case("amax/bool", lambda x: x.amax(), [T([True, False], b8)])
case("amax/functional", lambda x: torch.amax(x), [T(x23)])
case("amin/functional_dims", lambda x: torch.amin(x, (1,)), [T(x23)])
case("amax/empty_error", lambda x: x.amax(), [T([])])
case("amin/empty_error", lambda x: x.amin(), [T([])])
case("amax/empty_dims_empty_list_error", lambda x: x.amax([]), [T([])])
case("amax/empty_dim0_error", lambda x: x.amax(0), [T([])])
case("amax/empty_dim_neg_error", lambda x: x.amax(-1), [T([[], []])])
case("amin/empty_dims_error", lambda x: x.amin((0, 1)), [T([[], []])])
case("amax/empty_other_dim", lambda x: x.amax(0, True), [T([[], []])])
case("amax/dup_dims_error", lambda x: x.amax((1, -1)), [T(x23)])
case("max/empty_error", lambda x: x.max(), [T([])])
case("min/empty_error", lambda x: x.min(), [T([])])
case("max/empty_dim_error", lambda x: x.max(-1), [T([[], []])])
case("sum/dims_empty_list", lambda x: x.sum([]), [T(x23, rg=True)])
case("sum/dims_empty_tuple_keepdim", lambda x: x.sum((), keepdim=True), [T(x23, rg=True)])
case("mean/dims_empty_list", lambda x: x.mean([]), [T(x23, rg=True)])
case("mean/dims_empty_tuple_keepdim", lambda x: x.mean((), True), [T(x23, rg=True)])

# reductions with a dtype: the input is cast first
fx = [1.5, 2.5, -3.7]
case("sum_dtype/float_to_int64", lambda x: x.sum(dtype=i64), [T(fx)])
case("sum_dtype/float_to_int32", lambda x: x.sum(dtype=i32), [T(fx)])
case("sum_dtype/float_to_bool", lambda x: x.sum(dtype=b8), [T(fx)])
case("sum_dtype/bool_to_int64", lambda x: x.sum(dtype=i64), [T([True, True, False], b8)])
case("sum_dtype/bool_to_float", lambda x: x.sum(dtype=f32), [T([True, True, False], b8)])
case("sum_dtype/bool_to_bool", lambda x: x.sum(dtype=b8), [T([False, False], b8)])
case("sum_dtype/int_to_float", lambda x: x.sum(dtype=f32), [T([3, 4, 5], i64)])
case("sum_dtype/f64_to_f32", lambda x: x.sum(dtype=f32), [T([16777217.0, 1.0, 1.0], f64)])
case("sum_dtype/f32_to_f64", lambda x: x.sum(dtype=f64), [T([0.1, 0.2, 0.3], rg=True)])
case("sum_dtype/dim_float_to_int64", lambda x: x.sum(1, dtype=i64), [T([[1.5, 2.5], [-1.5, 0.7]])])
case("sum_dtype/dim_keepdim_f32_to_f64", lambda x: x.sum(0, keepdim=True, dtype=f64), [T([[0.1, 0.2], [0.3, 0.4]], rg=True)])
case("sum_dtype/requires_grad_int_error", lambda x: x.sum(dtype=i64), [T([1.5, 2.0], rg=True)])
case("sum_dtype/functional", lambda x: torch.sum(x, 0, dtype=i64), [T(fx)])
case("mean_dtype/f64_to_f32", lambda x: x.mean(dtype=f32), [T([16777217.0, 1.0, 1.0], f64)])
case("mean_dtype/f32_to_f64", lambda x: x.mean(dtype=f64), [T([0.1, 0.2, 0.3], rg=True)])
case("mean_dtype/int_to_f64", lambda x: x.mean(dtype=f64), [T([3, 4, 6], i64)])
case("mean_dtype/bool_to_f32", lambda x: x.mean(dtype=f32), [T([True, True, False], b8)])
case("mean_dtype/int_error", lambda x: x.mean(), [T([3, 4], i64)])
case("mean_dtype/dtype_int_error", lambda x: x.mean(dtype=i64), [T([3, 4], i64)])
case("mean_dtype/float_dtype_int_error", lambda x: x.mean(dtype=i64), [T(fx)])
case("prod_dtype/float_to_int64", lambda x: torch.prod(x, dtype=i64), [T(fx)])
case("prod_dtype/dim_float_to_int64", lambda x: torch.prod(x, 1, dtype=i64), [T([[1.5, 2.5], [-1.5, 3.7]])])
case("prod_dtype/f32_to_f64", lambda x: torch.prod(x, dtype=f64), [T([0.1, 0.2, 0.3], rg=True)])
case("prod_dtype/bool", lambda x: torch.prod(x), [T([True, False], b8)])
case("prod_dtype/bool_to_float", lambda x: torch.prod(x, dtype=f32), [T([True, True], b8)])
case("prod_dtype/requires_grad_int_error", lambda x: torch.prod(x, dtype=i64), [T([1.5, 2.0], rg=True)])
case("cumsum_dtype/float_to_int64", lambda x: x.cumsum(0, dtype=i64), [T(fx)])
case("cumsum_dtype/bool", lambda x: x.cumsum(0), [T([True, True, False], b8)])
case("cumsum_dtype/f32_to_f64", lambda x: x.cumsum(0, dtype=f64), [T([0.1, 0.2, 0.3], rg=True)])
case("cumsum_dtype/requires_grad_int_error", lambda x: x.cumsum(0, dtype=i64), [T([1.5, 2.0], rg=True)])
case("cumprod_dtype/float_to_int64", lambda x: x.cumprod(0, dtype=i64), [T(fx)])
case("cumprod_dtype/f32_to_f64", lambda x: x.cumprod(0, dtype=f64), [T([1.5, 2.0], rg=True)])

case("softmax_dtype/f32_to_f64", lambda x: F.softmax(x, 0, dtype=f64), [T([0.1, 0.2, 0.3], rg=True)])
case("log_softmax_dtype/f32_to_f64", lambda x: F.log_softmax(x, 0, dtype=f64), [T([0.1, 0.2, 0.3], rg=True)])
case("softmax_dtype/f64_to_f32", lambda x: F.softmax(x, 0, dtype=f32), [T([1e-9, 2e-9, 1.0 + 1e-9], f64, True)])

# bool ** n and other pow promotions
bb = T([True, False], b8)
case("pow/bool_int", lambda x: x ** 2, [bb])
case("pow/bool_zero", lambda x: x ** 0, [bb])
case("pow/bool_one", lambda x: x ** 1, [bb])
case("pow/bool_float", lambda x: x ** 2.5, [bb])
case("pow/bool_neg_error", lambda x: x ** -1, [bb])
case("pow/bool_true_error", lambda x: x ** True, [bb])
case("pow/bool_bool_tensor_error", lambda x, y: x ** y, [bb, bb])
case("pow/bool_int_tensor", lambda x, y: x ** y, [bb, T([2, 3], i64)])
case("pow/int_bool_tensor", lambda x, y: x ** y, [T([2, 3], i64), bb])
case("pow/scalar_bool_tensor", lambda x: torch.pow(2, x), [bb])
case("pow/bool_square", lambda x: x.square(), [bb])
case("pow/bool_float_tensor0d", lambda x, y: x ** y, [bb, T(2.0)])
case("pow/int32_int", lambda x: x ** 2, [T([2, -3], i32)])
case("pow/int32_float", lambda x: x ** 2.5, [T([2, 3], i32)])
case("pow/int_neg_error", lambda x: x ** -1, [T([2, 3], i64)])
case("pow/int_neg_tensor", lambda x, y: x ** y, [T([2, 3, -1, 1, -2], i64), T([-1, 2, -3, -5, -2], i64)])
case("pow/float_int_tensor", lambda x, y: x ** y, [T([1.5, 2.0]), T([2, 3], i64)])

# floor_divide by +-inf, +-0, NaN
fd = [1.0, -1.0, 0.0, -0.0, 5.0, inf, -inf, nan, 1e-30, -1e-30, 7.0, -7.0]
case("floor_divide/by_inf", lambda x: torch.floor_divide(x, inf), [T(fd)])
case("floor_divide/by_neg_inf", lambda x: torch.floor_divide(x, -inf), [T(fd)])
case("floor_divide/by_zero", lambda x: torch.floor_divide(x, 0.0), [T(fd)])
case("floor_divide/by_neg_zero", lambda x: torch.floor_divide(x, -0.0), [T(fd)])
case("floor_divide/by_three", lambda x: torch.floor_divide(x, 3.0), [T(fd)])
case("floor_divide/by_neg_three", lambda x: torch.floor_divide(x, -3.0), [T(fd)])
case("floor_divide/tensor_inf", lambda x, y: torch.floor_divide(x, y),
     [T(fd), T([inf, -inf, inf, -inf, inf, inf, -inf, 1.0, inf, inf, -inf, inf])])
case("floor_divide/f64_by_inf", lambda x: torch.floor_divide(x, inf), [T(fd, f64)])
case("floor_divide/f64_by_neg_inf", lambda x: torch.floor_divide(x, -inf), [T(fd, f64)])
case("floor_divide/int_by_inf", lambda x: torch.floor_divide(x, inf), [T([1, -1, 0, 7], i64)])
case("floor_divide/int", lambda x, y: torch.floor_divide(x, y), [T([7, -7, 7, -7, 0], i64), T([2, 2, -2, -2, 3], i64)])
case("floor_divide/long_vector_by_neg_inf", lambda x: torch.floor_divide(x, -inf), [T([float(v) - 10 for v in range(21)])])
case("floor_divide/overflow", lambda x, y: torch.floor_divide(x, y), [T([1e30, -1e30, 5.0, 0.9]), T([1e-30, 1e-30, 0.3, 0.1])])
case("floor_divide/div_floor_inf", lambda x: torch.div(x, inf, rounding_mode="floor"), [T(fd)])
case("floor_divide/div_trunc_neg_inf", lambda x: torch.div(x, -inf, rounding_mode="trunc"), [T(fd)])
case("floor_divide/remainder_inf", lambda x: torch.remainder(x, inf), [T(fd)])
case("floor_divide/remainder_neg_inf", lambda x: torch.remainder(x, -inf), [T(fd)])
case("floor_divide/fmod_inf", lambda x: torch.fmod(x, inf), [T(fd)])
case("floor_divide/remainder_grad", torch.remainder, [T([-1.0, 1.0, 5.0, -7.0, 0.9], rg=True), T([inf, -inf, 0.3, 2.0, 0.1], rg=True)])
case("floor_divide/fmod_grad", torch.fmod, [T([-1.0, 1.0, 5.0, -7.0, 0.9], rg=True), T([inf, -inf, 0.3, 2.0, 0.1], rg=True)])

# kl_div with negative (and zero, NaN) targets; xlogy
kin = [[-0.5, -1.2, 0.3], [0.1, -2.0, -0.7]]
ktg = [[-0.5, 0.0, 0.5], [0.2, 0.7, 1.5]]
for red in ["none", "mean", "sum", "batchmean"]:
    case(f"kl_div/{red}", lambda i, t, red=red: F.kl_div(i, t, reduction=red), [T(kin, rg=True), T(ktg, rg=True)])
    case(f"kl_div/log_target_{red}", lambda i, t, red=red: F.kl_div(i, t, reduction=red, log_target=True),
         [T(kin, rg=True), T(ktg, rg=True)])
case("kl_div/nan_target", lambda i, t: F.kl_div(i, t, reduction="none"), [T([0.1, 0.2, 0.3], rg=True), T([nan, 0.0, 0.5], rg=True)])
case("kl_div/0d_batchmean", lambda i, t: F.kl_div(i, t, reduction="batchmean"), [T(0.5, rg=True), T(-0.3, rg=True)])
case("kl_div/broadcast", lambda i, t: F.kl_div(i, t, reduction="none"), [T([0.1, 0.2], rg=True), T([[-0.5], [0.3]], rg=True)])
case("kl_div/f64", lambda i, t: F.kl_div(i, t, reduction="sum"), [T(kin, f64, True), T(ktg, f64, True)])
case("kl_div/empty_mean", lambda i, t: F.kl_div(i, t, reduction="mean"), [T([], rg=True), T([], rg=True)])
case("kl_div/input_only_grad", lambda i, t: F.kl_div(i, t, reduction="sum"), [T(kin, rg=True), T(ktg)])
case("xlogy/tensors", torch.xlogy, [T([0.0, 0.0, 1.0, -1.0, 2.0, 0.0, 3.0], rg=True), T([0.0, -1.0, 0.0, 2.0, -1.0, nan, inf], rg=True)])
case("xlogy/scalar_self", lambda y: torch.xlogy(2.0, y), [T([0.5, 0.0, -1.0], rg=True)])
case("xlogy/scalar_other", lambda x: torch.xlogy(x, 2.0), [T([0.5, 0.0, -1.0], rg=True)])
case("xlogy/ints", torch.xlogy, [T([0, 2, 3], i64), T([3, 4, 0], i64)])
case("xlogy/mixed_f64", torch.xlogy, [T([0.0, 2.0]), T([3.0, 4.0], f64)])
case("xlogy/broadcast", torch.xlogy, [T([[0.0], [2.0]], rg=True), T([3.0, 0.0, 1.0], rg=True)])

# logsumexp over empty tensors, empty dim lists, infinities
case("logsumexp/empty", lambda x: x.logsumexp(0), [T([], rg=True)])
case("logsumexp/empty_rows", lambda x: x.logsumexp(1), [T([[], []], rg=True)])
case("logsumexp/empty_rows_keepdim", lambda x: x.logsumexp(-1, True), [T([[], []], rg=True)])
case("logsumexp/empty_dim0", lambda x: x.logsumexp(0), [T([[], []], rg=True)])
case("logsumexp/empty_all", lambda x: x.logsumexp((0, 1)), [T([[], []], rg=True)])
case("logsumexp/empty_all_keepdim", lambda x: x.logsumexp((0, 1), True), [T([[], []], rg=True)])
case("logsumexp/empty_dims_empty_list", lambda x: x.logsumexp([]), [T([[], []], rg=True)])
case("logsumexp/empty_f64", lambda x: x.logsumexp(0), [T([], f64, True)])
case("logsumexp/empty_int", lambda x: x.logsumexp(0), [T([], i64)])
case("logsumexp/int", lambda x: x.logsumexp(0), [T([1, 2, 3], i64)])
case("logsumexp/bool", lambda x: x.logsumexp(0), [T([True, False], b8)])
case("logsumexp/dims_empty_list_keepdim", lambda x: x.logsumexp([], True), [T([[1.0, 2.0], [3.0, 4.0]], rg=True)])
case("logsumexp/dims_empty_list_error", lambda x: x.logsumexp([]), [T([[1.0, 2.0], [3.0, 4.0]], rg=True)])
case("logsumexp/dims_empty_list_1d_error", lambda x: x.logsumexp([]), [T([1.0, 2.0], rg=True)])
case("logsumexp/dims_empty_list_0d", lambda x: x.logsumexp([]), [T(1.5, rg=True)])
case("logsumexp/0d", lambda x: x.logsumexp(0), [T(2.0, rg=True)])
case("logsumexp/neg_inf_row", lambda x: x.logsumexp(1), [T([[-inf, -inf], [0.0, -inf]], rg=True)])
case("logsumexp/inf", lambda x: x.logsumexp(0), [T([inf, 1.0], rg=True)])
case("logsumexp/inf_neg_inf", lambda x: x.logsumexp(0), [T([inf, -inf], rg=True)])
case("logsumexp/nan", lambda x: x.logsumexp(0), [T([nan, 1.0], rg=True)])
case("logsumexp/dims_tuple_neg", lambda x: x.logsumexp((-1, 0)), [T([[1.0, 2.0], [3.0, 4.0]], rg=True)])


def main():
    records = [run(n, f, i, g) for n, f, i, g in CASES]
    path = OUT
    with open(path, "w") as f:
        f.write('{"//":%s,"torch":%s,"cases":[\n' % (
            json.dumps("generated by scripts/gen_edge_fixtures.py; do not edit"), json.dumps(torch.__version__)))
        f.write(",\n".join(json.dumps(r, separators=(",", ":")) for r in records))
        f.write("\n]}\n")
    print("wrote", path, os.path.getsize(path), "bytes,", len(records), "cases")


if __name__ == "__main__":
    main()
