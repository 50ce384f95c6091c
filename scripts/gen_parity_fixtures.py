# Fixtures for issue 9's remaining classes (indexing and masks, errors PyTorch raises, error words,
# grad_fn names): each case run in real PyTorch 1.13, its outcome (shape, dtype, grad_fn, requires_grad,
# values, or the error's class and first line) written to test/fixtures/parity.json; test/parity.test.ts
# runs the same calls in typetorch.
#   /usr/bin/python3 scripts/gen_parity_fixtures.py
import json, math, torch
import torch.nn.functional as F

def enc(v):
    if isinstance(v, float) and math.isnan(v): return "nan"
    if isinstance(v, float) and math.isinf(v): return "inf" if v > 0 else "-inf"
    return v

out = {}
def case(name, f):
    torch.manual_seed(0)
    try:
        r = f()
        if isinstance(r, torch.Tensor):
            out[name] = {"shape": list(r.shape), "dtype": str(r.dtype).replace("torch.", ""), "grad_fn": r.grad_fn.name() if r.grad_fn else None,
                         "requires_grad": r.requires_grad, "values": [enc(v) for v in r.detach().reshape(-1).tolist()]}
        else: out[name] = {"ok": True}
    except Exception as e:
        out[name] = {"error": {"type": type(e).__name__, "message": str(e).split("\n")[0]}}

X = lambda: torch.tensor([[0.5, -1.0, 2.0], [1.5, 3.0, -2.5]], requires_grad=True)
case("masked_fill_mask_broadcasts_self", lambda: torch.zeros(3).masked_fill(torch.ones(2, 3, dtype=torch.bool), 1.0))
case("masked_fill_int_mask", lambda: torch.zeros(3).masked_fill(torch.tensor([0, 1, 0]), 1.0))
case("masked_fill_int_mask_bad", lambda: torch.zeros(3).masked_fill(torch.tensor([0, 2, 0]), 1.0))
case("masked_select_0d", lambda: torch.tensor(2.).masked_select(torch.tensor(True)))
case("masked_select_nonbool", lambda: torch.ones(3).masked_select(torch.ones(3)))
case("bool_mask_0size_dim", lambda: torch.ones(0, 3)[torch.ones(0, dtype=torch.bool)])
def setmask():
    y = torch.zeros(3, dtype=torch.long); y[torch.tensor([True, False, True])] = torch.tensor(2.7); return y
case("setitem_mask_0d_float_into_long", setmask)
def setidx():
    y = torch.zeros(3, dtype=torch.long); y[torch.tensor([0])] = torch.tensor(2.7); return y
case("setitem_index_0d_float_into_long", setidx)
case("ellipsis_slice", lambda: (X() * 1)[..., :])
case("ellipsis", lambda: (X() * 1)[...])
case("take_along_dim", lambda: torch.take_along_dim(X(), torch.tensor([[0], [2]]), 1))
case("take_along_dim_bcast", lambda: torch.take_along_dim(X(), torch.tensor([[0, 2]]), 1))
case("take_along_dim_flat", lambda: torch.take_along_dim(X(), torch.tensor([5, 0])))
case("take_along_dim_ndim", lambda: torch.take_along_dim(X(), torch.tensor([0]), 1))
case("take_along_dim_dtype", lambda: torch.take_along_dim(X(), torch.tensor([[0.]]), 1))
case("take_along_dim_negative", lambda: torch.take_along_dim(X(), torch.tensor([[-1]]), 1))
case("zero_expanded", lambda: torch.zeros(1, 3).expand(2, 3).zero_())
case("fill_expanded", lambda: torch.zeros(1, 3).expand(2, 3).fill_(1))
def gradfree():
    a = torch.tensor([1., 2.], requires_grad=True); b = (a * a).sum(); torch.autograd.grad(b, a); b.backward()
case("grad_frees_graph", gradfree)
def divsaved():
    a = torch.tensor([1., 2., 3.], requires_grad=True); b = a * 1; c = torch.tensor([1.5, 2.5, 3.5], requires_grad=True)
    d = b.div(c, rounding_mode="floor"); b.add_(1); d.sum().backward()
case("div_rounding_saved", divsaved)
case("split_negative", lambda: torch.ones(4).split(-1))
case("avg_pool2d_padding", lambda: F.avg_pool2d(torch.ones(1, 1, 4, 4), 2, padding=2))
case("avg_pool2d_padding_asym", lambda: F.avg_pool2d(torch.ones(1, 1, 6, 6), (2, 4), 1, (1, 3)))
case("cross_entropy_weight_size", lambda: F.cross_entropy(torch.randn(2, 3), torch.tensor([0, 1]), weight=torch.ones(4)))
case("batch_norm_running_mean_size", lambda: F.batch_norm(torch.randn(2, 3), torch.zeros(4), torch.ones(3)))
case("batch_norm_running_var_size", lambda: F.batch_norm(torch.randn(2, 3), torch.zeros(3), torch.ones(4)))
case("batch_norm_weight_size", lambda: F.batch_norm(torch.randn(2, 3), torch.zeros(3), torch.ones(3), weight=torch.ones(4)))
case("mv_shape", lambda: torch.ones(2, 3).mv(torch.ones(4)))
case("matmul_1d_1d_shape", lambda: torch.ones(3).matmul(torch.ones(4)))
case("matmul_3d_3d_shape", lambda: torch.ones(2, 2, 3).matmul(torch.ones(2, 4, 5)))
case("matmul_2d_3d", lambda: X().matmul(torch.ones(4, 3, 5)))
case("matmul_1d_3d", lambda: torch.tensor([1., 2., 3.], requires_grad=True).matmul(torch.ones(4, 3, 5)))
case("narrow_out_of_range", lambda: torch.ones(3).narrow(0, 2, 2))
case("narrow_0d", lambda: torch.tensor(1.).narrow(0, 0, 1))
case("argmax_empty_dim", lambda: torch.ones(0, 3).argmax(0))
case("argmax_empty", lambda: torch.ones(0).argmax())
case("argmax_bool", lambda: torch.tensor([True, False]).argmax())
case("index_select_float_index", lambda: torch.ones(3).index_select(0, torch.tensor([0.])))
case("index_select_negative", lambda: torch.ones(3).index_select(0, torch.tensor([-1])))
case("gather_negative", lambda: torch.ones(2, 3).gather(0, torch.tensor([[-1, 0, 0]])))
case("diagonal", lambda: (X() * 1).diagonal())
case("diagonal_offset", lambda: (X() * 1).diagonal(1))
case("diagonal_same_dims", lambda: X().diagonal(0, 1, -1))
case("cat_zero_dim", lambda: torch.cat([torch.ones(2), torch.tensor(1.)]))
case("maximum_number", lambda: torch.ones(2).maximum(1.5))
case("mm_dtype", lambda: torch.ones(2, 2, dtype=torch.float64).mm(torch.ones(2, 2)))
case("mm_bool", lambda: torch.ones(2, 2, dtype=torch.bool).mm(torch.ones(2, 2)))
case("copy_broadcast", lambda: torch.zeros(2, 3).copy_(torch.ones(2, 1, 3)))
case("copy_mismatch", lambda: torch.zeros(2, 3).copy_(torch.ones(4, 3)))
case("clamp__long", lambda: torch.zeros(2, dtype=torch.long).clamp_(-0.5, 0.5))
case("long_of_inf", lambda: torch.tensor([float("inf"), float("nan"), -2.5, 1e30]).long())
# gradients taken with create_graph carry PyTorch's double-backward nodes
for nm, fn in [("tanh", torch.tanh), ("sigmoid", torch.sigmoid), ("relu", torch.relu), ("leaky_relu", F.leaky_relu)]:
    def first(fn=fn):
        a = torch.tensor([-1.5, 0.5, 2.0], requires_grad=True)
        return torch.autograd.grad(fn(a).sum(), a, create_graph=True)[0]
    def second(fn=fn):
        a = torch.tensor([-1.5, 0.5, 2.0], requires_grad=True)
        g = torch.autograd.grad(fn(a).sum(), a, create_graph=True)[0]
        return torch.autograd.grad((g * torch.tensor([0.3, -0.7, 1.1])).sum(), a)[0]
    case(f"{nm}_create_graph", first)
    case(f"{nm}_second_derivative", second)
def smooth0():
    x = torch.tensor([0., 1., -2.], requires_grad=True)
    F.smooth_l1_loss(x, torch.zeros(3), beta=0.0).backward()
    return x.grad
case("smooth_l1_beta0", lambda: F.smooth_l1_loss(torch.tensor([0., 1., -2.], requires_grad=True), torch.zeros(3), beta=0.0))
case("smooth_l1_beta0_grad", smooth0)
for nm, fn in [("mse", F.mse_loss), ("l1", F.l1_loss), ("huber", F.huber_loss)]:
    def mixed(fn=fn):
        x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
        fn(x, torch.tensor([1.0, 0.0, -1.0])).backward()
        return x.grad
    case(f"{nm}_mixed_dtypes_backward", mixed)
# session 5: fresh-seed fuzz classes
for nm, x, d, idx in [("dim1", (3, 2), 1, [0, -1]), ("dim1_3d", (3, 2, 4), 1, [0, 9]), ("dim2", (3, 2, 4), 2, [0, -1]), ("dim0", (3, 2), 0, [0, -1]),
                      ("empty_self", (0, 2, 2), 2, [5]), ("empty_axis", (2, 0, 3), 1, [0]), ("empty_ok", (2, 0), 0, [1]), ("int32", (3, 2), 1, [1, 0])]:
    case(f"index_select_{nm}", lambda x=x, d=d, idx=idx, nm=nm: torch.ones(*x).index_select(d, torch.tensor(idx, dtype=torch.int32 if nm == "int32" else torch.long)))
for nm, sizes, to in [("0d_neg1", (), (-1,)), ("0d_neg1_2", (), (2, -1)), ("leading_neg1", (2,), (-1, 2)), ("order", (2,), (-1, 3)), ("neg3_size1", (1,), (-3,)), ("neg3", (2,), (-3,))]:
    case(f"expand_{nm}", lambda sizes=sizes, to=to: torch.ones(sizes).expand(*to))
for nm, shp, tgt, w in [("4d_target_1d", (1, 3, 1, 4), (1,), None), ("3d_target", (1, 3, 4), (1,), None), ("4d_size_mismatch", (1, 3, 1, 4), (1, 1, 5), None),
                        ("5d_size", (1, 3, 1, 4, 2), (1, 1, 5), None), ("batch", (2, 3, 4), (1, 4), None), ("4d_weight", (2, 3, 1, 5), (2, 1, 5), 2),
                        ("3d_weight", (2, 3, 5), (2, 5), 2), ("2d_weight", (2, 3), (2,), 2)]:
    case(f"cross_entropy_{nm}", lambda shp=shp, tgt=tgt, w=w: F.cross_entropy(torch.ones(*shp), torch.zeros(*tgt, dtype=torch.long), weight=None if w is None else torch.ones(w)))
case("cross_entropy_soft_weight", lambda: F.cross_entropy(torch.ones(2, 3, 5), torch.zeros(2, 3, 5), weight=torch.ones(2)))
case("nll_loss_long_input", lambda: F.nll_loss(torch.ones(2, 3, dtype=torch.long), torch.zeros(2)))
case("nll_loss2d_long_input", lambda: F.nll_loss(torch.ones(2, 3, 1, 4, dtype=torch.long), torch.zeros(2, 1, 4)))
case("nll_loss_bool_empty", lambda: F.nll_loss(torch.ones(2, 0, dtype=torch.bool), torch.tensor([0, 0])))
case("nll_loss_multi_target", lambda: F.nll_loss(torch.ones(2, 3), torch.zeros(2, 2, dtype=torch.long)))
case("log_softmax_empty_dim", lambda: torch.ones(0, 4, 2, requires_grad=True).log_softmax(0))
case("softmax_empty_other_dim", lambda: torch.ones(2, 0, 2, requires_grad=True).softmax(0))
case("argmax_empty_negative_dim", lambda: torch.ones(2, 4, 0).argmax(-1))
case("sub__bool_expanded", lambda: torch.ones(4, dtype=torch.bool).expand(2, 4).sub_(torch.ones(4, dtype=torch.bool)))
case("clamp__long_expanded_float", lambda: torch.ones(4, dtype=torch.long).expand(2, 4).clamp_(-0.5))
case("clamp__long_expanded_int", lambda: torch.ones(4, dtype=torch.long).expand(2, 4).clamp_(-1))
def mm_saves_only_needed():
    a = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True); b = a * 1
    y = b.matmul(torch.ones(2, 2)); b.zero_(); y.sum().backward(); return a.grad
case("mm_saves_only_needed", mm_saves_only_needed)
def mean_dim_saves():
    a = torch.tensor([0.5, 1.5], requires_grad=True); b = a * 1.5
    m = b.mean(0); b.add_(1); m.backward()
case("mean_dim_saves_self", mean_dim_saves)
def copyslices_overlap():
    a = torch.tensor([[1., 2., 3.]], requires_grad=True); b = a * 1.5
    v = b.expand(3, 1, 3).select(1, 0); v.fill_(1.7); b.sum().backward()
case("copyslices_overlapping_view", copyslices_overlap)
with open("test/fixtures/parity.json", "w") as f:
    json.dump(out, f, indent=0)
    f.write("\n")
print(len(out), "cases -> test/fixtures/parity.json")
