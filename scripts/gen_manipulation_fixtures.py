# Fixtures for issue 10's tensor-manipulation ops (flip/roll/rot90, tril/triu, repeat/tile/
# repeat_interleave, diag/diag_embed/trace, meshgrid, cross, cdist, isclose/allclose, nan_to_num,
# baddbmm/addmv/addbmm/addmm, einsum): each case is run in real PyTorch 1.13 on inputs drawn here
# (their values are written too) and its outcome recorded in test/fixtures/manipulation.json --
# shape, strides, dtype, grad_fn, values, warnings, and the gradients of (out * w).sum() for fixed
# weights w; or the error's class and first line. test/manipulation.test.ts runs the same calls in
# typetorch. Cases marked for gradcheck are checked here with torch.autograd.gradcheck in float64
# first (so that none sits on a kink), and again in typetorch.
#   /usr/bin/python3 scripts/gen_manipulation_fixtures.py
import json, math, warnings
import torch

torch.set_default_dtype(torch.float32)
DT = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "int32": torch.int32, "bool": torch.bool}

def enc(v):
    if isinstance(v, float) and math.isnan(v): return "nan"
    if isinstance(v, float) and math.isinf(v): return "inf" if v > 0 else "-inf"
    return v

def flat(t): return [enc(v) for v in t.detach().reshape(-1).tolist()]

def X(*shape, dtype="float32", lo=-3, hi=3, values=None, grad=True):
    """An input: random (uniform floats in [lo, hi) rounded to 1/64, or integers in [lo, hi]), or literal values."""
    return {"shape": list(shape), "dtype": dtype, "lo": lo, "hi": hi, "values": values, "grad": grad}

def make(spec):
    dt = DT[spec["dtype"]]
    if spec["values"] is not None:
        t = torch.tensor(spec["values"], dtype=dt).reshape(spec["shape"])
    elif dt.is_floating_point:
        # NOTE: multiples of 1/64, so that float32 inputs are exact in float64 too and ties are unlikely
        t = (torch.rand(spec["shape"], dtype=torch.float64) * (spec["hi"] - spec["lo"]) + spec["lo"]).mul(64).round().div(64).to(dt)
    elif dt == torch.bool:
        t = torch.rand(spec["shape"]) > 0.5
    else:
        t = torch.randint(spec["lo"], spec["hi"] + 1, spec["shape"], dtype=dt)
    return t

def outcome(r):
    if isinstance(r, torch.Tensor):
        return {"shape": list(r.shape), "strides": list(r.stride()), "dtype": str(r.dtype).replace("torch.", ""),
                "grad_fn": r.grad_fn.name() if r.grad_fn else None, "requires_grad": r.requires_grad, "values": flat(r)}
    if isinstance(r, (list, tuple)):
        return {"list": [outcome(x) for x in r]}
    return {"value": r}

cases = []
def weighted_loss(outs, ws):
    return sum((o * wi).sum() for o, wi in zip(outs, ws) if isinstance(o, torch.Tensor) and o.requires_grad)

def case(name, inputs, fn, gradcheck=False, double=False):
    torch.manual_seed(len(cases))
    xs = [make(s) for s in inputs]
    for x, s in zip(xs, inputs):
        if s["grad"] and x.dtype.is_floating_point: x.requires_grad_(True)
    c = {"name": name, "inputs": [{"shape": s["shape"], "dtype": s["dtype"], "grad": s["grad"] and DT[s["dtype"]].is_floating_point,
                                   "values": flat(x)} for s, x in zip(inputs, xs)]}
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = fn(*xs)
        c["out"] = outcome(r)
        c["warnings"] = [str(x.message).split(" (Triggered internally")[0] for x in w]
    except Exception as e:
        c["error"] = {"type": type(e).__name__, "message": str(e).split("\n")[0]}
        cases.append(c)
        return
    outs = list(r) if isinstance(r, (list, tuple)) else [r]
    diff = [o for o in outs if isinstance(o, torch.Tensor) and o.requires_grad]
    wrt = [x for x in xs if x.requires_grad]
    if diff and wrt:
        torch.manual_seed(1000 + len(cases))
        ws = [torch.randn(o.shape, dtype=o.dtype) for o in outs]
        gs = torch.autograd.grad(weighted_loss(outs, ws), wrt, allow_unused=True)
        it = iter(gs)
        c["weights"] = [flat(wi) for wi in ws]
        c["grads"] = [(lambda g: None if g is None else flat(g))(next(it)) if x.requires_grad else None for x in xs]
        if double:
            # second order: the gradients of sum(grad_i * u_i), the first-order graph made again
            r2 = fn(*xs)
            g1 = torch.autograd.grad(weighted_loss(list(r2) if isinstance(r2, (list, tuple)) else [r2], ws), wrt, create_graph=True, allow_unused=True)
            torch.manual_seed(2000 + len(cases))
            us = [None if g is None else torch.randn(g.shape, dtype=g.dtype) for g in g1]
            c["double_weights"] = [None if u is None else flat(u) for u in us]
            terms = [(g * u).sum() for g, u in zip(g1, us) if g is not None and g.requires_grad]
            assert terms, name + ": no second-order graph"
            try:
                g2 = iter(torch.autograd.grad(sum(terms), wrt, allow_unused=True))
                c["double_grads"] = [(lambda g: None if g is None else flat(g))(next(g2)) if x.requires_grad else None for x in xs]
            except Exception as e:
                c["double_error"] = {"type": type(e).__name__, "message": str(e).split("\n")[0]}
    if gradcheck:
        xd = [x.detach().double().requires_grad_(x.requires_grad) if x.dtype.is_floating_point else x for x in xs]
        assert torch.autograd.gradcheck(lambda *a: fn(*a), xd), name
        c["gradcheck"] = True
    cases.append(c)

L = "int64"; B = "bool"; D = "float64"
nan, inf = float("nan"), float("inf")

# ---------------------------------------------------------------- flips, rolls, rot90
case("flip_T", [X(3, 4)], lambda a: a.t().flip(0))
case("fliplr", [X(3, 4)], lambda a: a.fliplr(), gradcheck=True)
case("fliplr_3d", [X(2, 3, 4)], lambda a: torch.fliplr(a))
case("fliplr_1d", [X(3)], lambda a: a.fliplr())
case("flipud", [X(3, 4)], lambda a: torch.flipud(a), gradcheck=True)
case("flipud_1d_int", [X(5, dtype=L)], lambda a: a.flipud())
case("flipud_0d", [X()], lambda a: a.flipud())
case("flip_dup", [X(3, 4)], lambda a: a.flip(0, -2))
case("roll_flat", [X(3, 4)], lambda a: a.roll(5), gradcheck=True)
case("roll_dim", [X(3, 4)], lambda a: torch.roll(a, 1, 0), gradcheck=True)
case("roll_dims", [X(3, 4)], lambda a: a.roll((1, -2), (0, 1)), gradcheck=True)
case("roll_neg_big", [X(3, 4)], lambda a: a.roll(-7, 1))
case("roll_same_dim_twice", [X(3, 4)], lambda a: a.roll((1, 1), (0, 0)))
case("roll_T", [X(3, 4)], lambda a: a.t().roll(1, 0))
case("roll_int", [X(6, dtype=L)], lambda a: a.roll(2))
case("roll_bool", [X(2, 3, dtype=B)], lambda a: a.roll(1, 1))
case("roll_empty", [X(0, 3)], lambda a: a.roll(1, 0))
case("roll_empty_flat", [X(0, 3)], lambda a: a.roll(1))
case("roll_0d", [X()], lambda a: a.roll(1))
case("roll_0d_dim", [X()], lambda a: a.roll(1, 0))
case("roll_no_shifts", [X(3, 4)], lambda a: a.roll([], []))
case("roll_mismatch", [X(3, 4)], lambda a: a.roll([1, 2], [0]))
case("roll_flat_multi", [X(3, 4)], lambda a: a.roll([1, 2]))
case("roll_oob", [X(3, 4)], lambda a: a.roll(1, 2))
case("rot90", [X(3, 4)], lambda a: torch.rot90(a), gradcheck=True)
case("rot90_k2", [X(3, 4)], lambda a: a.rot90(2), gradcheck=True)
case("rot90_k3", [X(3, 4)], lambda a: a.rot90(3), gradcheck=True)
case("rot90_kneg", [X(3, 4)], lambda a: a.rot90(-1))
case("rot90_k0", [X(3, 4)], lambda a: a.rot90(0))
case("rot90_k5", [X(3, 4)], lambda a: a.rot90(5))
case("rot90_T_k0", [X(3, 4)], lambda a: a.t().rot90(0))
case("rot90_dims", [X(2, 3, 4)], lambda a: a.rot90(1, [2, 0]), gradcheck=True)
case("rot90_int", [X(2, 3, dtype=L)], lambda a: a.rot90())
case("rot90_one_dim", [X(3, 4)], lambda a: a.rot90(1, [0]))
case("rot90_1d", [X(3)], lambda a: a.rot90())
case("rot90_same", [X(3, 4)], lambda a: a.rot90(1, [1, -1]))
case("rot90_wrap", [X(3, 4)], lambda a: a.rot90(1, [0, 2]))
case("rot90_dim0_range", [X(3, 4)], lambda a: a.rot90(1, [-3, 1]))
case("rot90_dim1_range", [X(3, 4)], lambda a: a.rot90(1, [0, 3]))

# ---------------------------------------------------------------- tril, triu
case("tril", [X(3, 4)], lambda a: a.tril(), gradcheck=True)
case("tril_k1", [X(3, 4)], lambda a: torch.tril(a, 1))
case("tril_kneg", [X(4, 3)], lambda a: a.tril(-1), gradcheck=True)
case("tril_big_k", [X(3, 4)], lambda a: a.tril(10))
case("triu", [X(3, 4)], lambda a: torch.triu(a), gradcheck=True)
case("triu_kneg", [X(3, 4)], lambda a: a.triu(-1))
case("triu_batched", [X(2, 3, 3)], lambda a: a.triu(1), gradcheck=True)
case("tril_T", [X(3, 4)], lambda a: a.t().tril())
case("tril_bool", [X(3, 3, dtype=B)], lambda a: a.tril(-1))
case("triu_int", [X(3, 3, dtype=L)], lambda a: a.triu())
case("tril_empty", [X(0, 3)], lambda a: a.tril())
case("tril_inplace", [X(3, 3)], lambda a: (a * 1).tril_(), gradcheck=True)
case("triu_inplace", [X(3, 4)], lambda a: (a * 1).triu_(-1))
case("tril_inplace_leaf", [X(3, 3)], lambda a: a.tril_())
case("tril_inplace_int", [X(3, 3, dtype=L)], lambda a: a.tril_(1))
case("tril_1d", [X(3)], lambda a: a.tril())
case("tril_0d", [X()], lambda a: a.triu())

# ---------------------------------------------------------------- repeat, tile, repeat_interleave
case("repeat", [X(2, 3)], lambda a: a.repeat(2, 1), gradcheck=True)
case("repeat_more_dims", [X(2, 3)], lambda a: a.repeat(2, 1, 3), gradcheck=True)
case("repeat_T", [X(2, 3)], lambda a: a.t().repeat(2, 2))
case("repeat_0d", [X()], lambda a: a.repeat(2, 3), gradcheck=True)
case("repeat_0d_empty", [X()], lambda a: a.repeat([]))
case("repeat_zero", [X(2, 3)], lambda a: a.repeat(0, 2))
case("repeat_int", [X(3, dtype=L)], lambda a: a.repeat(2, 2))
case("repeat_bool", [X(2, dtype=B)], lambda a: a.repeat(3))
case("repeat_few", [X(2, 3)], lambda a: a.repeat(2))
case("repeat_negative", [X(2, 3)], lambda a: a.repeat(2, -1))
case("tile", [X(2, 3)], lambda a: a.tile((2,)), gradcheck=True)
case("tile_more", [X(2, 3)], lambda a: torch.tile(a, (2, 1, 2)))
case("tile_empty", [X(2, 3)], lambda a: a.tile(()))
case("tile_0d", [X()], lambda a: a.tile((3,)))
case("tile_negative", [X(2, 3)], lambda a: a.tile((-1,)))
case("ri_int", [X(2, 3)], lambda a: a.repeat_interleave(2), gradcheck=True)
case("ri_int_dim", [X(2, 3)], lambda a: torch.repeat_interleave(a, 2, dim=1), gradcheck=True)
case("ri_tensor_dim", [X(3, 2), X(3, dtype=L, values=[1, 0, 2])], lambda a, r: a.repeat_interleave(r, dim=0), gradcheck=True)
case("ri_tensor_0d", [X(2, 3), X(dtype=L, values=2)], lambda a, r: a.repeat_interleave(r, dim=1))
case("ri_tensor_len1_flat", [X(2, 3), X(1, dtype=L, values=[2])], lambda a, r: a.repeat_interleave(r))
case("ri_tensor_int32", [X(3, 2), X(3, dtype="int32", values=[2, 1, 0])], lambda a, r: a.repeat_interleave(r, dim=0))
case("ri_output_size", [X(3, 2)], lambda a: a.repeat_interleave(2, dim=0, output_size=6))
case("ri_output_size_wrong", [X(3, 2), X(3, dtype=L, values=[1, 2, 3])], lambda a, r: a.repeat_interleave(r, dim=0, output_size=5))
case("ri_0d_input", [X()], lambda a: a.repeat_interleave(3))
case("ri_0d_input_dim", [X()], lambda a: a.repeat_interleave(3, dim=0))
case("ri_int_input", [X(3, dtype=L)], lambda a: a.repeat_interleave(2))
case("ri_zero", [X(2, 2)], lambda a: a.repeat_interleave(0))
case("ri_empty", [X(0, 2)], lambda a: a.repeat_interleave(2, dim=0))
case("ri_onearg", [X(3, dtype=L, values=[1, 0, 3])], lambda r: torch.repeat_interleave(r))
case("ri_onearg_int32", [X(3, dtype="int32", values=[2, 1, 1])], lambda r: torch.repeat_interleave(r))
case("ri_onearg_float", [X(3, values=[1., 0., 3.])], lambda r: torch.repeat_interleave(r))
case("ri_onearg_2d", [X(2, 2, dtype=L, values=[1, 1, 1, 1])], lambda r: torch.repeat_interleave(r))
case("ri_onearg_0d", [X(dtype=L, values=3)], lambda r: torch.repeat_interleave(r))
case("ri_onearg_negative", [X(2, dtype=L, values=[1, -1])], lambda r: torch.repeat_interleave(r))
case("ri_negative", [X(2, 3)], lambda a: a.repeat_interleave(-1))
case("ri_tensor_negative", [X(3, 2), X(3, dtype=L, values=[1, -1, 2])], lambda a, r: a.repeat_interleave(r, dim=0))
case("ri_tensor_bad_len", [X(3, 2), X(2, dtype=L, values=[1, 2])], lambda a, r: a.repeat_interleave(r, dim=0))
case("ri_tensor_2d", [X(3, 2), X(2, 2, dtype=L, values=[1, 1, 1, 1])], lambda a, r: a.repeat_interleave(r, dim=0))
case("ri_tensor_float", [X(3, 2), X(3, values=[1., 0., 2.], grad=False)], lambda a, r: a.repeat_interleave(r, dim=0))
case("ri_dim_oob", [X(3, 2)], lambda a: a.repeat_interleave(2, dim=2))

# ---------------------------------------------------------------- diag, diag_embed, trace
case("diag_1d", [X(3)], lambda a: torch.diag(a), gradcheck=True)
case("diag_1d_k1", [X(3)], lambda a: a.diag(1), gradcheck=True)
case("diag_1d_kneg", [X(2)], lambda a: a.diag(-2))
case("diag_2d", [X(3, 4)], lambda a: torch.diag(a), gradcheck=True)
case("diag_2d_k1", [X(3, 4)], lambda a: a.diag(1), gradcheck=True)
case("diag_2d_kneg", [X(3, 4)], lambda a: a.diag(-1))
case("diag_2d_edge", [X(3, 4)], lambda a: a.diag(4))
case("diag_2d_past", [X(3, 4)], lambda a: a.diag(5))
case("diag_2d_past_neg", [X(3, 4)], lambda a: a.diag(-4))
case("diag_3d", [X(2, 2, 2)], lambda a: a.diag())
case("diag_0d", [X()], lambda a: a.diag())
case("diag_int", [X(2, dtype=L)], lambda a: a.diag())
case("diag_bool", [X(3, 3, dtype=B)], lambda a: a.diag())
case("diag_empty", [X(0)], lambda a: a.diag())
case("diag_embed", [X(2, 3)], lambda a: torch.diag_embed(a), gradcheck=True)
case("diag_embed_offset_dims", [X(2, 3)], lambda a: torch.diag_embed(a, 1, 0, 2), gradcheck=True)
case("diag_embed_neg", [X(2, 3)], lambda a: a.diag_embed(-1, 0, -1))
case("diag_embed_1d", [X(2)], lambda a: a.diag_embed(1))
case("diag_embed_int", [X(2, dtype=L)], lambda a: a.diag_embed())
case("diag_embed_empty", [X(2, 0)], lambda a: a.diag_embed())
case("diag_embed_same", [X(2, 3)], lambda a: a.diag_embed(0, -1, 2))
case("diag_embed_oob", [X(2, 3)], lambda a: a.diag_embed(0, 0, 3))
case("diag_embed_0d", [X()], lambda a: a.diag_embed())
case("trace", [X(3, 3)], lambda a: torch.trace(a), gradcheck=True)
case("trace_wide", [X(3, 4)], lambda a: a.trace(), gradcheck=True)
case("trace_tall", [X(4, 2)], lambda a: a.trace())
case("trace_f64", [X(3, 3, dtype=D)], lambda a: a.trace())
case("trace_int", [X(3, 3, dtype=L)], lambda a: a.trace())
case("trace_int32", [X(2, 2, dtype="int32")], lambda a: a.trace())
case("trace_empty", [X(0, 3)], lambda a: a.trace())
case("trace_bool", [X(2, 2, dtype=B)], lambda a: a.trace())
case("trace_3d", [X(2, 2, 2)], lambda a: a.trace())
case("trace_1d", [X(2)], lambda a: a.trace())

# ---------------------------------------------------------------- meshgrid
case("meshgrid_ij", [X(2), X(3)], lambda a, b: torch.meshgrid(a, b, indexing="ij"), gradcheck=True)
case("meshgrid_xy", [X(2), X(3)], lambda a, b: torch.meshgrid(a, b, indexing="xy"), gradcheck=True)
case("meshgrid_xy_3", [X(2), X(3), X(4)], lambda a, b, c: torch.meshgrid(a, b, c, indexing="xy"))
case("meshgrid_0d", [X(), X(3)], lambda a, b: torch.meshgrid(a, b, indexing="ij"))
case("meshgrid_one", [X(3)], lambda a: torch.meshgrid(a, indexing="xy"))
case("meshgrid_list", [X(2), X(3)], lambda a, b: torch.meshgrid([a, b], indexing="ij"))
case("meshgrid_int", [X(2, dtype=L), X(2, dtype=L)], lambda a, b: torch.meshgrid(a, b, indexing="xy"))
case("meshgrid_empty_input", [X(0), X(3)], lambda a, b: torch.meshgrid(a, b, indexing="ij"))
case("meshgrid_noidx", [X(2), X(3)], lambda a, b: torch.meshgrid(a, b))
case("meshgrid_bad_indexing", [X(2), X(3)], lambda a, b: torch.meshgrid(a, b, indexing="foo"))
case("meshgrid_dtype", [X(2), X(2, dtype=L)], lambda a, b: torch.meshgrid(a, b, indexing="foo"))
case("meshgrid_none", [], lambda: torch.meshgrid([], indexing="ij"))
case("meshgrid_2d", [X(2, 2), X(3)], lambda a, b: torch.meshgrid(a, b, indexing="ij"))

# ---------------------------------------------------------------- cross
case("cross", [X(4, 3), X(4, 3)], lambda a, b: torch.cross(a, b), gradcheck=True, double=True)
case("cross_square_default", [X(3, 3), X(3, 3)], lambda a, b: a.cross(b), gradcheck=True)
case("cross_dim", [X(3, 3), X(3, 3)], lambda a, b: torch.cross(a, b, dim=1))
case("cross_dim_neg", [X(2, 3, 2), X(2, 3, 2)], lambda a, b: torch.cross(a, b, -2))
case("cross_bcast", [X(4, 3), X(1, 3)], lambda a, b: torch.cross(a, b, dim=1), gradcheck=True, double=True)
case("cross_1d", [X(3), X(3)], lambda a, b: torch.cross(a, b))
case("cross_int", [X(2, 3, dtype=L), X(2, 3, dtype=L)], lambda a, b: torch.cross(a, b, dim=1))
case("cross_empty", [X(0, 3), X(0, 3)], lambda a, b: torch.cross(a, b))
case("cross_no3", [X(2, 4), X(2, 4)], lambda a, b: torch.cross(a, b))
case("cross_dim_not3", [X(4, 3), X(4, 3)], lambda a, b: torch.cross(a, b, dim=0))
case("cross_ndim", [X(4, 3), X(3)], lambda a, b: torch.cross(a, b))
case("cross_bcast_default", [X(3, 1), X(1, 3)], lambda a, b: torch.cross(a, b))
case("cross_dtype", [X(3), X(3, dtype=D)], lambda a, b: torch.cross(a, b))
case("cross_bool", [X(3, dtype=B), X(3, dtype=B)], lambda a, b: torch.cross(a, b))
case("cross_oob", [X(4, 3), X(4, 3)], lambda a, b: torch.cross(a, b, dim=2))

# ---------------------------------------------------------------- cdist
case("cdist", [X(4, 3), X(5, 3)], lambda a, b: torch.cdist(a, b), gradcheck=True, double=True)
case("cdist_p1", [X(4, 3), X(5, 3)], lambda a, b: torch.cdist(a, b, p=1), gradcheck=True, double=True)
case("cdist_p0", [X(2, 3, values=[0., 1., 2., 1., 1., 1.]), X(2, 3, values=[0., 1., 3., 1., 1., 1.])], lambda a, b: torch.cdist(a, b, p=0))
case("cdist_pinf", [X(4, 3), X(5, 3)], lambda a, b: torch.cdist(a, b, p=float("inf")), gradcheck=True)
case("cdist_p3", [X(4, 3), X(5, 3)], lambda a, b: torch.cdist(a, b, p=3), gradcheck=True)
case("cdist_p05", [X(3, 2), X(2, 2)], lambda a, b: torch.cdist(a, b, p=0.5), gradcheck=True)
case("cdist_p15", [X(3, 2), X(2, 2)], lambda a, b: torch.cdist(a, b, p=1.5), gradcheck=True)
case("cdist_batched", [X(2, 4, 3), X(5, 3)], lambda a, b: torch.cdist(a, b), gradcheck=True)
case("cdist_batched_both", [X(2, 3, 4), X(2, 5, 4)], lambda a, b: torch.cdist(a, b, p=1))
case("cdist_same_points", [X(2, 2, values=[1., 2., 3., 4.]), X(2, 2, values=[1., 2., 0., 0.])], lambda a, b: torch.cdist(a, b))
case("cdist_mm", [X(30, 3), X(5, 3)], lambda a, b: torch.cdist(a, b), gradcheck=True, double=True)
case("cdist_mm_mode", [X(2, 4, 3), X(5, 3)], lambda a, b: torch.cdist(a, b, compute_mode="use_mm_for_euclid_dist"), gradcheck=True)
case("cdist_no_mm_mode", [X(30, 3), X(5, 3)], lambda a, b: torch.cdist(a, b, compute_mode="donot_use_mm_for_euclid_dist"))
case("cdist_f64", [X(3, 2, dtype=D), X(4, 2, dtype=D)], lambda a, b: torch.cdist(a, b))
case("cdist_empty_rows", [X(0, 3), X(4, 3)], lambda a, b: torch.cdist(a, b))
case("cdist_empty_cols", [X(2, 0), X(3, 0)], lambda a, b: torch.cdist(a, b))
case("cdist_1d", [X(3), X(2, 3)], lambda a, b: torch.cdist(a, b))
case("cdist_cols", [X(2, 3), X(2, 4)], lambda a, b: torch.cdist(a, b))
case("cdist_negative_p", [X(2, 3), X(2, 3)], lambda a, b: torch.cdist(a, b, p=-1))
case("cdist_int", [X(2, 3, dtype=L), X(2, 3, dtype=L)], lambda a, b: torch.cdist(a, b))
case("cdist_int2", [X(2, 3), X(2, 3, dtype=L)], lambda a, b: torch.cdist(a, b))
case("cdist_dtype", [X(2, 3), X(2, 3, dtype=D)], lambda a, b: torch.cdist(a, b))
case("cdist_batch_mismatch", [X(2, 3, 4), X(3, 3, 4)], lambda a, b: torch.cdist(a, b))
case("cdist_mode_bad", [X(2, 3), X(2, 3)], lambda a, b: torch.cdist(a, b, compute_mode="foo"))

# ---------------------------------------------------------------- isclose, allclose, nan_to_num
F5 = [1., nan, inf, 2., -inf, 1e-9]
case("isclose", [X(6, values=F5, grad=False), X(6, values=[1.00001, nan, inf, 2.1, inf, 0.], grad=False)], lambda a, b: torch.isclose(a, b))
case("isclose_equal_nan", [X(6, values=F5, grad=False), X(6, values=[1.00001, nan, inf, 2.1, inf, 0.], grad=False)], lambda a, b: a.isclose(b, equal_nan=True))
case("isclose_tols", [X(4, values=[1., 2., 3., 100.]), X(4, values=[1.1, 2.5, 3.01, 101.])], lambda a, b: torch.isclose(a, b, 0.01, 0.1))
case("isclose_zero_tols", [X(3, values=[1., inf, 2.]), X(3, values=[1., inf, 2.0000001])], lambda a, b: torch.isclose(a, b, 0, 0))
case("isclose_grad_input", [X(3, 3)], lambda a: torch.isclose(a, a * 1.000001))
case("isclose_int", [X(3, dtype=L, values=[1, 100, 3]), X(3, dtype=L, values=[1, 101, 4])], lambda a, b: torch.isclose(a, b, rtol=0.01, atol=0))
case("isclose_bool", [X(2, dtype=B, values=[True, False]), X(2, dtype=B, values=[True, True])], lambda a, b: torch.isclose(a, b))
case("isclose_bcast", [X(2, 1), X(3)], lambda a, b: torch.isclose(a, b))
case("isclose_0d", [X(values=1.), X(values=1.)], lambda a, b: torch.isclose(a, b))
case("isclose_f64", [X(2, dtype=D, values=[1., 1.]), X(2, dtype=D, values=[1.000009, 1.000011])], lambda a, b: torch.isclose(a, b))
case("isclose_dtype", [X(2), X(2, dtype=L)], lambda a, b: torch.isclose(a, b))
case("isclose_rtol_negative", [X(2), X(2)], lambda a, b: torch.isclose(a, b, rtol=-1))
case("isclose_atol_negative", [X(2), X(2)], lambda a, b: torch.isclose(a, b, atol=-0.5))
case("allclose_true", [X(2, values=[1., 2.]), X(2, values=[1., 2.00001])], lambda a, b: torch.allclose(a, b))
case("allclose_false", [X(2, values=[1., 2.]), X(2, values=[1., 2.001])], lambda a, b: a.allclose(b))
case("allclose_nan", [X(2, values=[1., nan]), X(2, values=[1., nan])], lambda a, b: torch.allclose(a, b))
case("allclose_equal_nan", [X(2, values=[1., nan]), X(2, values=[1., nan])], lambda a, b: torch.allclose(a, b, equal_nan=True))
case("allclose_bcast", [X(2, 1, values=[1., 1.]), X(3, values=[1., 1., 1.])], lambda a, b: torch.allclose(a, b))
case("allclose_dtype", [X(2), X(2, dtype=L)], lambda a, b: torch.allclose(a, b))
case("allclose_shapes", [X(2), X(3)], lambda a, b: torch.allclose(a, b))
case("nan_to_num", [X(5, values=[nan, inf, -inf, 1.5, -0.])], lambda a: torch.nan_to_num(a))
case("nan_to_num_f64", [X(4, dtype=D, values=[nan, inf, -inf, 1.])], lambda a: a.nan_to_num())
case("nan_to_num_args", [X(4, values=[nan, inf, -inf, 1.])], lambda a: torch.nan_to_num(a, 2., 3., -4.))
case("nan_to_num_kw", [X(4, values=[nan, inf, -inf, 1.])], lambda a: torch.nan_to_num(a, posinf=1e300, neginf=-7.5))
case("nan_to_num_finite", [X(3, 4)], lambda a: torch.nan_to_num(a), gradcheck=True)
case("nan_to_num_int", [X(3, dtype=L)], lambda a: torch.nan_to_num(a))
case("nan_to_num_bool", [X(3, dtype=B)], lambda a: torch.nan_to_num(a))
case("nan_to_num_inplace", [X(4, values=[nan, inf, -inf, 1.])], lambda a: (a * 1).nan_to_num_(0.5))

# ---------------------------------------------------------------- baddbmm, addmv, addbmm, addmm
case("baddbmm", [X(3, 5), X(2, 3, 4), X(2, 4, 5)], lambda i, a, b: torch.baddbmm(i, a, b, beta=0.5, alpha=2), gradcheck=True, double=True)
case("baddbmm_default", [X(2, 3, 5), X(2, 3, 4), X(2, 4, 5)], lambda i, a, b: i.baddbmm(a, b), gradcheck=True)
case("baddbmm_bcast", [X(5), X(2, 3, 4), X(2, 4, 5)], lambda i, a, b: torch.baddbmm(i, a, b, alpha=-1), gradcheck=True)
case("baddbmm_beta0_nan", [X(3, 5, values=[nan] * 15), X(2, 3, 4), X(2, 4, 5)], lambda i, a, b: torch.baddbmm(i, a, b, beta=0))
case("baddbmm_input_f64", [X(3, 5, dtype=D), X(2, 3, 4), X(2, 4, 5)], lambda i, a, b: torch.baddbmm(i, a, b))
case("baddbmm_int", [X(3, 5, dtype=L), X(2, 3, 4, dtype=L), X(2, 4, 5, dtype=L)], lambda i, a, b: torch.baddbmm(i, a, b, beta=2, alpha=3))
case("baddbmm_int_frac_alpha", [X(3, 5, dtype=L), X(2, 3, 4, dtype=L), X(2, 4, 5, dtype=L)], lambda i, a, b: torch.baddbmm(i, a, b, alpha=1.5))
case("baddbmm_bad_input", [X(4, 5), X(2, 3, 4), X(2, 4, 5)], lambda i, a, b: torch.baddbmm(i, a, b))
case("baddbmm_2d_batch2", [X(3, 5), X(2, 3, 4), X(4, 5)], lambda i, a, b: torch.baddbmm(i, a, b))
case("baddbmm_2d_batch1", [X(3, 4, 5), X(3, 4), X(2, 4, 5)], lambda i, a, b: torch.baddbmm(i, a, b))
case("baddbmm_batches", [X(3, 5), X(2, 3, 4), X(3, 4, 5)], lambda i, a, b: torch.baddbmm(i, a, b))
case("baddbmm_inner", [X(3, 5), X(2, 3, 4), X(2, 3, 5)], lambda i, a, b: torch.baddbmm(i, a, b))
case("baddbmm_dtype", [X(3, 5), X(2, 3, 4, dtype=D), X(2, 4, 5)], lambda i, a, b: torch.baddbmm(i, a, b))
case("baddbmm_bool", [X(3, 5, dtype=B), X(2, 3, 4, dtype=B), X(2, 4, 5, dtype=B)], lambda i, a, b: torch.baddbmm(i, a, b))
def saved_then_modified(op, i, a, b):
    # batch1/mat modified in place after the op: PyTorch saved it only if the other operand needs a gradient
    a2 = a * 1
    y = op(i, a2, b)
    a2.add_(1)
    return torch.autograd.grad(y.sum(), [a])[0]
case("baddbmm_unsaved", [X(3, 5), X(2, 3, 4), X(2, 4, 5, grad=False)], lambda i, a, b: saved_then_modified(torch.baddbmm, i, a, b))
case("baddbmm_saved", [X(3, 5), X(2, 3, 4), X(2, 4, 5)], lambda i, a, b: saved_then_modified(torch.baddbmm, i, a, b))
case("addmv_unsaved", [X(3), X(3, 4), X(4, grad=False)], lambda i, a, b: saved_then_modified(torch.addmv, i, a, b))
case("addmv_saved", [X(3), X(3, 4), X(4)], lambda i, a, b: saved_then_modified(torch.addmv, i, a, b))
case("addbmm_saved", [X(3, 5), X(2, 3, 4), X(2, 4, 5)], lambda i, a, b: saved_then_modified(torch.addbmm, i, a, b))
case("addmv", [X(3), X(3, 4), X(4)], lambda i, m, v: torch.addmv(i, m, v, beta=2, alpha=0.5), gradcheck=True, double=True)
case("addmv_default", [X(3), X(3, 4), X(4)], lambda i, m, v: i.addmv(m, v), gradcheck=True)
case("addmv_bcast", [X(1), X(3, 4), X(4)], lambda i, m, v: torch.addmv(i, m, v), gradcheck=True)
case("addmv_0d", [X(), X(3, 4), X(4)], lambda i, m, v: torch.addmv(i, m, v, alpha=-1))
case("addmv_beta0_nan", [X(3, values=[nan] * 3), X(3, 4), X(4)], lambda i, m, v: torch.addmv(i, m, v, beta=0))
case("addmv_input_f64", [X(3, dtype=D), X(3, 4), X(4)], lambda i, m, v: torch.addmv(i, m, v))
case("addmv_int", [X(3, dtype=L), X(3, 4, dtype=L), X(4, dtype=L)], lambda i, m, v: torch.addmv(i, m, v, beta=2))
case("addmv_empty", [X(3), X(3, 0), X(0)], lambda i, m, v: torch.addmv(i, m, v, beta=2))
case("addmv_size", [X(2), X(3, 4), X(4)], lambda i, m, v: torch.addmv(i, m, v))
case("addmv_vec_size", [X(3), X(3, 4), X(3)], lambda i, m, v: torch.addmv(i, m, v))
case("addmv_0d_size", [X(), X(3, 4), X(3)], lambda i, m, v: torch.addmv(i, m, v))
case("addmv_vec_2d", [X(3), X(3, 4), X(4, 1)], lambda i, m, v: torch.addmv(i, m, v))
case("addmv_dtype", [X(3), X(3, 4, dtype=D), X(4)], lambda i, m, v: torch.addmv(i, m, v))
case("addmv_bool", [X(3, dtype=B), X(3, 4, dtype=B), X(4, dtype=B)], lambda i, m, v: torch.addmv(i, m, v))
case("addbmm", [X(3, 5), X(2, 3, 4), X(2, 4, 5)], lambda i, a, b: torch.addbmm(i, a, b, beta=0.5, alpha=2), gradcheck=True, double=True)
case("addbmm_default", [X(3, 5), X(3, 3, 4), X(3, 4, 5)], lambda i, a, b: i.addbmm(a, b), gradcheck=True)
case("addbmm_bcast", [X(5), X(2, 3, 4), X(2, 4, 5)], lambda i, a, b: torch.addbmm(i, a, b, beta=2), gradcheck=True)
case("addbmm_beta0_nan", [X(3, 5, values=[nan] * 15), X(2, 3, 4), X(2, 4, 5)], lambda i, a, b: torch.addbmm(i, a, b, beta=0))
case("addbmm_empty_batch", [X(3, 5), X(0, 3, 4), X(0, 4, 5)], lambda i, a, b: torch.addbmm(i, a, b, beta=3))
case("addbmm_int", [X(3, 5, dtype=L), X(2, 3, 4, dtype=L), X(2, 4, 5, dtype=L)], lambda i, a, b: torch.addbmm(i, a, b, alpha=2))
case("addbmm_batches", [X(3, 5), X(2, 3, 4), X(3, 4, 5)], lambda i, a, b: torch.addbmm(i, a, b))
case("addbmm_inner", [X(3, 5), X(2, 3, 4), X(2, 3, 5)], lambda i, a, b: torch.addbmm(i, a, b))
case("addbmm_2d", [X(4, 5), X(3, 4), X(2, 4, 5)], lambda i, a, b: torch.addbmm(i, a, b))
case("addbmm_bad_input", [X(2, 5), X(2, 3, 4), X(2, 4, 5)], lambda i, a, b: torch.addbmm(i, a, b))
case("addbmm_self_dtype", [X(3, 5, dtype=D), X(2, 3, 4), X(2, 4, 5)], lambda i, a, b: torch.addbmm(i, a, b))
case("addbmm_mat_dtype", [X(3, 5), X(2, 3, 4, dtype=D), X(2, 4, 5)], lambda i, a, b: torch.addbmm(i, a, b))
case("addbmm_bool", [X(3, 5, dtype=B), X(2, 3, 4, dtype=B), X(2, 4, 5, dtype=B)], lambda i, a, b: torch.addbmm(i, a, b))
case("addmm_scaled", [X(2, 3), X(2, 4), X(4, 3)], lambda i, a, b: torch.addmm(i, a, b, beta=0.5, alpha=-2), gradcheck=True, double=True)
case("addmm_method", [X(3), X(2, 4), X(4, 3)], lambda i, a, b: i.addmm(a, b))
case("addmm_int", [X(2, 3, dtype=L), X(2, 4, dtype=L), X(4, 3, dtype=L)], lambda i, a, b: torch.addmm(i, a, b, beta=2, alpha=3))
case("addmm_beta0_nan", [X(2, 3, values=[nan] * 6), X(2, 4), X(4, 3)], lambda i, a, b: torch.addmm(i, a, b, beta=0))

# ---------------------------------------------------------------- einsum
case("einsum_matmul", [X(2, 3), X(3, 4)], lambda a, b: torch.einsum("ij,jk->ik", a, b), gradcheck=True)
case("einsum_matmul_implicit", [X(2, 3), X(3, 4)], lambda a, b: torch.einsum("ij,jk", a, b))
case("einsum_bmm", [X(2, 3, 4), X(2, 4, 5)], lambda a, b: torch.einsum("bij,bjk->bik", a, b), gradcheck=True, double=True)
case("einsum_trace", [X(3, 3)], lambda a: torch.einsum("ii", a), gradcheck=True)
case("einsum_diag", [X(3, 3)], lambda a: torch.einsum("ii->i", a), gradcheck=True)
case("einsum_outer", [X(3), X(4)], lambda a, b: torch.einsum("i,j->ij", a, b), gradcheck=True)
case("einsum_outer_implicit", [X(3), X(4)], lambda a, b: torch.einsum("i,j", a, b))
case("einsum_bilinear", [X(2, 3), X(4, 3, 5), X(2, 5)], lambda a, b, c: torch.einsum("bn,anm,bm->ba", a, b, c), gradcheck=True, double=True)
case("einsum_ellipsis", [X(2, 3, 4)], lambda a: torch.einsum("...ij->...ji", a), gradcheck=True)
case("einsum_ellipsis_matmul", [X(2, 1, 3, 4), X(5, 4, 2)], lambda a, b: torch.einsum("...ij,...jk->...ik", a, b), gradcheck=True)
case("einsum_ellipsis_mid", [X(2, 3, 4)], lambda a: torch.einsum("i...j->j...i", a))
case("einsum_ellipsis_sum", [X(2, 3, 4)], lambda a: torch.einsum("...ij->j", a), gradcheck=True)
case("einsum_ellipsis_bcast", [X(2, 3), X(1, 3)], lambda a, b: torch.einsum("...i,...i->...", a, b), gradcheck=True)
case("einsum_ellipsis_only", [X(2, 3), X(3)], lambda a, b: torch.einsum("...,...", a, b))
case("einsum_sum_all", [X(3, 4)], lambda a: torch.einsum("ij->", a), gradcheck=True)
case("einsum_transpose", [X(3, 4)], lambda a: torch.einsum("ij->ji", a))
case("einsum_identity", [X(3, 4)], lambda a: torch.einsum("ij", a))
case("einsum_implicit_order", [X(3, 4)], lambda a: torch.einsum("ba", a))
case("einsum_implicit_upper", [X(3, 4)], lambda a: torch.einsum("aB", a))
case("einsum_diag_3d", [X(3, 3, 2)], lambda a: torch.einsum("iij->ji", a), gradcheck=True)
case("einsum_repeat_3", [X(2, 2, 2)], lambda a: torch.einsum("iii->i", a), gradcheck=True)
case("einsum_sum_once", [X(3, 4), X(5)], lambda a, b: torch.einsum("ij,k->i", a, b), gradcheck=True)
case("einsum_chain4", [X(2, 3), X(3, 4), X(4, 2), X(2, 3)], lambda a, b, c, d: torch.einsum("ij,jk,kl,lm->im", a, b, c, d), gradcheck=True)
case("einsum_elementwise", [X(3, 4), X(3, 4)], lambda a, b: torch.einsum("ij,ij->ij", a, b), gradcheck=True)
case("einsum_rowdot", [X(3, 4), X(3, 4)], lambda a, b: torch.einsum("ij,ij->i", a, b), gradcheck=True)
case("einsum_bcast_one", [X(1), X(3)], lambda a, b: torch.einsum("i,i->", a, b), gradcheck=True)
case("einsum_bcast_label", [X(3, 4), X(1, 4)], lambda a, b: torch.einsum("ij,ij->ij", a, b))
case("einsum_0d", [X()], lambda a: torch.einsum("", a))
case("einsum_0d_2", [X(), X()], lambda a, b: torch.einsum(",", a, b))
case("einsum_0d_vec", [X(), X(3)], lambda a, b: torch.einsum(",i->i", a, b))
case("einsum_empty", [X(2, 0), X(0, 3)], lambda a, b: torch.einsum("ij,jk->ik", a, b))
case("einsum_spaces", [X(3, 4)], lambda a: torch.einsum(" i j -> j i ", a))
case("einsum_int", [X(2, 3, dtype=L), X(3, 2, dtype=L)], lambda a, b: torch.einsum("ij,jk", a, b))
case("einsum_int_trace", [X(3, 3, dtype=L)], lambda a: torch.einsum("ii", a))
case("einsum_mixed_mul", [X(3), X(2, dtype=D)], lambda a, b: torch.einsum("i,j", a, b))
case("einsum_sublist", [X(3, 4), X(4, 2)], lambda a, b: torch.einsum(a, [0, 1], b, [1, 2], [0, 2]))
case("einsum_sublist_ellipsis", [X(2, 3, 4)], lambda a: torch.einsum(a, [Ellipsis, 0, 1], [Ellipsis, 1, 0]))
case("einsum_list", [X(3, 4), X(4, 2)], lambda a, b: torch.einsum("ij,jk", [a, b]))
case("einsum_nsub", [X(2, 3, 4)], lambda a: torch.einsum("ij", a))
case("einsum_nsub_ellipsis", [X(2, 3, 4)], lambda a: torch.einsum("ijkl...", a))
case("einsum_few_operands", [X(3, 4)], lambda a: torch.einsum("ij,jk", a))
case("einsum_many_operands", [X(3, 4), X(3, 4)], lambda a, b: torch.einsum("ij", a, b))
case("einsum_bad_char", [X(3, 4)], lambda a: torch.einsum("i1", a))
case("einsum_bad_char_out", [X(3, 4)], lambda a: torch.einsum("ij->i1", a))
case("einsum_dot", [X(3, 4)], lambda a: torch.einsum("i.j", a))
case("einsum_dot_end", [X(3, 4)], lambda a: torch.einsum("i..", a))
case("einsum_two_ellipses", [X(3, 4)], lambda a: torch.einsum("...i...", a))
case("einsum_out_twice", [X(3, 4)], lambda a: torch.einsum("ij->ii", a))
case("einsum_out_missing", [X(3, 4)], lambda a: torch.einsum("ij->k", a))
case("einsum_out_two_ellipses", [X(3, 4)], lambda a: torch.einsum("...ij->......", a))
case("einsum_out_dot", [X(3, 4)], lambda a: torch.einsum("ij->.i", a))
case("einsum_repeat_sizes", [X(3, 4)], lambda a: torch.einsum("ii", a))
case("einsum_sizes", [X(3, 4), X(3, 5)], lambda a, b: torch.einsum("ij,ij->i", a, b))
case("einsum_ellipsis_sizes", [X(2, 3), X(3, 3)], lambda a, b: torch.einsum("...i,...i->...", a, b))
case("einsum_no_operands", [], lambda: torch.einsum("i"))
case("einsum_bool", [X(2, 3, dtype=B), X(3, 2, dtype=B)], lambda a, b: torch.einsum("ij,jk", a, b))
case("einsum_mixed_bmm", [X(2, 3, dtype=D), X(3, 2)], lambda a, b: torch.einsum("ij,jk->ik", a, b))
case("einsum_sublist_range", [X(3)], lambda a: torch.einsum(a, [52]))

json.dump({"cases": cases}, open("test/fixtures/manipulation.json", "w"), indent=None, separators=(",", ":"))
print(f"{len(cases)} cases, {sum(1 for c in cases if 'error' in c)} errors, {sum(1 for c in cases if c.get('gradcheck'))} gradchecks")
