# Fixtures for the sorting and selection ops (issue 10): sort, argsort, msort, topk, kthvalue, median,
# nanmedian, mode, cummax, cummin, logcumsumexp, searchsorted, bucketize, unique, unique_consecutive.
# Each case runs in real PyTorch 1.13; its outcome (every returned tensor's shape, strides, dtype,
# grad_fn, requires_grad and values, or the error's class and first line) goes to
# test/fixtures/sorting.json, and test/sorting.test.ts runs the same calls in typetorch. Inputs made
# at random (ties, NaNs, sizes that reach every branch of the std::sort / nth_element / partial_sort
# and std::unordered_set code paths) are stored in the fixture too.
#   /usr/bin/python3 scripts/gen_sorting_fixtures.py
import json, math, random, torch

inputs = {}
cases = {}

def enc(v):
    if isinstance(v, bool): return v
    if isinstance(v, float):
        if math.isnan(v): return "nan"
        if math.isinf(v): return "inf" if v > 0 else "-inf"
        if v == 0 and math.copysign(1, v) < 0: return "-0"
    return v

def dtype_name(t): return str(t.dtype).replace("torch.", "")

def enc_tensor(t):
    return {"shape": list(t.shape), "stride": list(t.stride()), "dtype": dtype_name(t),
            "grad_fn": t.grad_fn.name() if t.grad_fn is not None else None, "requires_grad": t.requires_grad,
            "values": [enc(v) for v in t.detach().reshape(-1).tolist()]}

def store(name, t):
    inputs[name] = {"shape": list(t.shape), "dtype": dtype_name(t), "values": [enc(v) for v in t.reshape(-1).tolist()]}
    return t

def case(name, f):
    assert name not in cases, name
    torch.manual_seed(0)
    try:
        r = f()
        if isinstance(r, torch.Tensor): out = [enc_tensor(r)]
        elif isinstance(r, (tuple, list)): out = [None if t is None else enc_tensor(t) for t in r]
        else: raise TypeError(f"{name}: returned {type(r)}")
        cases[name] = {"out": out}
    except Exception as e:
        cases[name] = {"error": {"type": type(e).__name__, "message": str(e).split("\n")[0]}}

def weights(y):
    return (torch.arange(y.numel(), dtype=y.dtype) + 1).reshape(y.shape)

def grad_case(name, make_x, f):
    """x.grad after (f(x) * [1, 2, 3, ...]).sum().backward()."""
    def run():
        x = make_x()
        y = f(x)
        (y * weights(y)).sum().backward()
        return x.grad
    case(name, run)

def double_case(name, make_x, f):
    """Second order: g = d(f(x) . v)/dx with create_graph; then d(g . w)/d[x, v]."""
    def run():
        x = make_x()
        y = f(x)
        v = (weights(y) / 7).requires_grad_()
        g, = torch.autograd.grad(y, x, v, create_graph=True)
        return list(torch.autograd.grad((g * weights(g)).sum(), [x, v], allow_unused=True))
    case(name, run)

nan, inf = float("nan"), float("inf")
X = lambda: torch.tensor([[0.5, -1.0, 2.0, 0.5], [1.5, 3.0, -2.5, 3.0]], requires_grad=True)
T = lambda: torch.tensor([1., 2, 2, 1, 3, 3, 1], requires_grad=True)
N = lambda: torch.tensor([3., nan, 1., -inf, inf, nan, -0., 0., 1.])
I = lambda: torch.tensor([[5, 3, 5, 1], [2, 2, 7, 2]])
B = lambda: torch.tensor([True, False, True, False])
D = lambda: torch.tensor([[0.3, -1.2, 2.5, 0.7], [1.1, 0.4, -0.6, 2.2]], dtype=torch.float64, requires_grad=True)
P3 = lambda: torch.arange(24.).reshape(2, 3, 4).permute(2, 0, 1)

# random inputs with many ties (and NaNs), stored in the fixture
random.seed(10)
def ties(name, shape, hi, nans=0, dtype=torch.float32):
    n = 1
    for s in shape: n *= s
    vals = [float(random.randint(0, hi)) for _ in range(n)]
    for _ in range(nans): vals[random.randrange(n)] = nan
    return store(name, torch.tensor(vals, dtype=dtype).reshape(shape))
R1 = ties("r1", [3, 40], 6)
R2 = ties("r2", [2, 300], 20, nans=15)
R3 = ties("r3", [2000], 50)
R4 = ties("r4", [5, 17], 3, nans=4)
R5 = ties("r5", [700], 9, dtype=torch.float64)
RI = store("ri", torch.tensor([random.randint(-40, 40) for _ in range(500)]))
RU = store("ru", torch.tensor([round(random.uniform(-20, 20), 1) for _ in range(400)]))
RUN = store("run", torch.tensor([random.choice([nan, 0.0, -0.0, inf, -inf, round(random.uniform(-5, 5), 1)]) for _ in range(300)], dtype=torch.float64))

# ---------------------------------------------------------------- sort / argsort / msort
case("sort", lambda: X().sort())
case("sort_dim0", lambda: X().sort(0))
case("sort_desc", lambda: X().sort(1, True))
case("sort_stable", lambda: T().sort(stable=True))
case("sort_stable_desc", lambda: T().sort(descending=True, stable=True))
case("sort_ties", lambda: T().sort())
case("sort_nan", lambda: torch.sort(N()))
case("sort_nan_desc", lambda: torch.sort(N(), descending=True))
case("sort_nan_stable_desc", lambda: torch.sort(N(), descending=True, stable=True))
case("sort_int", lambda: I().sort(0, True))
case("sort_signed_zero", lambda: torch.tensor([0., -0., 1., -0., 0., -1.]).sort())
case("sort_signed_zero_desc", lambda: torch.tensor([0., -0., 1., -0., 0., -1.], dtype=torch.float64).sort(descending=True))
case("sort_bool", lambda: B().sort())
case("sort_0d", lambda: torch.tensor(2., requires_grad=True).sort())
case("sort_0d_dim1", lambda: torch.tensor(2.).sort(1))
case("sort_dim_oob", lambda: X().sort(2))
case("sort_empty", lambda: torch.ones(0, 3).sort(0))
case("sort_transposed", lambda: X().t().sort(1))
case("sort_permuted", lambda: P3().sort(1))
case("sort_sliced", lambda: torch.arange(24.).reshape(4, 6)[:, ::2].sort())
case("sort_expanded", lambda: torch.tensor([1.]).expand(40).sort())
case("sort_float64", lambda: D().sort(0, True))
case("sort_r1", lambda: R1.sort())
case("sort_r1_desc_dim0", lambda: R1.sort(0, True))
case("sort_r2", lambda: R2.sort())
case("sort_r2_desc", lambda: R2.sort(descending=True))
case("sort_r2_stable", lambda: R2.sort(stable=True))
case("sort_r3", lambda: R3.sort())
case("sort_r3_desc_stable", lambda: R3.sort(descending=True, stable=True))
case("sort_r5", lambda: R5.sort(descending=True))
case("sort_ri", lambda: RI.sort())
case("argsort", lambda: torch.argsort(X()))
case("argsort_desc", lambda: torch.argsort(T(), descending=True))
case("argsort_stable", lambda: torch.argsort(T(), stable=True, descending=True))
case("argsort_dim0", lambda: I().argsort(0))
case("msort", lambda: torch.msort(X()))
case("msort_0d", lambda: torch.msort(torch.tensor(2.)))
grad_case("sort_grad", X, lambda x: x.sort(1)[0])
grad_case("sort_grad_0d", lambda: torch.tensor(2., requires_grad=True), lambda x: x.sort()[0])
grad_case("msort_grad", X, lambda x: x.msort())
grad_case("sort_grad_transposed", X, lambda x: x.t().sort(1, True)[0])
case("topk_transposed", lambda: X().t().topk(2, 0))
case("kthvalue_permuted", lambda: P3().kthvalue(2, 2))
case("median_permuted", lambda: P3().median(0))
double_case("sort_double", D, lambda x: x.sort(1, True)[0])

# ---------------------------------------------------------------- topk
case("topk", lambda: X().topk(2))
case("topk_dim0", lambda: X().topk(1, 0))
case("topk_smallest", lambda: T().topk(3, largest=False))
case("topk_ties", lambda: T().topk(3))
case("topk_unsorted", lambda: R1.topk(10, sorted=False))
case("topk_k0", lambda: X().topk(0))
case("topk_k_big", lambda: X().topk(5))
case("topk_k_negative", lambda: X().topk(-1))
case("topk_dim_oob", lambda: X().topk(1, 2))
case("topk_0d", lambda: torch.tensor(2., requires_grad=True).topk(1))
case("topk_0d_k0", lambda: torch.tensor(2.).topk(0))
case("topk_bool", lambda: B().topk(1))
case("topk_bool_0d", lambda: torch.tensor(True).topk(1))
case("topk_int", lambda: I().topk(2, largest=False))
case("topk_nan", lambda: N().topk(4))
case("topk_nan_smallest", lambda: N().topk(4, largest=False))
case("topk_empty", lambda: torch.ones(2, 0).topk(0))
case("topk_r2_partial", lambda: R2.topk(4))
case("topk_r2_partial_smallest", lambda: R2.topk(3, largest=False))
case("topk_r2_nth", lambda: R2.topk(40))
case("topk_r2_nth_unsorted", lambda: R2.topk(40, sorted=False))
case("topk_r3", lambda: R3.topk(31))
case("topk_r3_nth_smallest", lambda: R3.topk(700, largest=False))
case("topk_r4_dim0", lambda: R4.topk(3, 0))
grad_case("topk_grad", X, lambda x: x.topk(2, 1)[0])
double_case("topk_double", D, lambda x: x.topk(3, 1, largest=False)[0])

# ---------------------------------------------------------------- kthvalue
case("kthvalue", lambda: X().kthvalue(2))
case("kthvalue_ties", lambda: T().kthvalue(2))
case("kthvalue_keepdim", lambda: X().kthvalue(2, 0, True))
case("kthvalue_k0", lambda: X().kthvalue(0))
case("kthvalue_k_big", lambda: X().kthvalue(5, 1))
case("kthvalue_k_big_dim0", lambda: X().kthvalue(3, 0))
case("kthvalue_k_big_neg", lambda: X().kthvalue(5, -1))
case("kthvalue_dim_oob", lambda: X().kthvalue(1, 3))
case("kthvalue_empty", lambda: torch.ones(0).kthvalue(1))
case("kthvalue_empty_k_big", lambda: torch.ones(0).kthvalue(5))
case("kthvalue_empty_dim1", lambda: torch.ones(2, 0).kthvalue(1, 1))
case("kthvalue_empty_other", lambda: torch.ones(2, 0).kthvalue(1, 0))
case("kthvalue_0d", lambda: torch.tensor(2., requires_grad=True).kthvalue(1))
case("kthvalue_0d_k2", lambda: torch.tensor(2.).kthvalue(2))
case("kthvalue_bool", lambda: B().kthvalue(1))
case("kthvalue_bool_0d", lambda: torch.tensor(True).kthvalue(1))
case("kthvalue_int", lambda: I().kthvalue(2))
case("kthvalue_nan", lambda: N().kthvalue(8))
case("kthvalue_r1", lambda: R1.kthvalue(17))
case("kthvalue_r2", lambda: R2.kthvalue(150))
case("kthvalue_r4_dim0", lambda: R4.kthvalue(2, 0))
case("kthvalue_r5", lambda: R5.kthvalue(351))
grad_case("kthvalue_grad", X, lambda x: x.kthvalue(2, 1)[0])
grad_case("kthvalue_grad_keepdim", X, lambda x: x.kthvalue(1, 0, True)[0])

# ---------------------------------------------------------------- median / nanmedian
case("median", lambda: X().median())
case("median_ties", lambda: T().median())
case("median_nan", lambda: torch.tensor([1., nan, 2.], requires_grad=True).median())
case("median_empty", lambda: torch.ones(0).median())
case("median_int", lambda: I().median())
case("median_empty_int", lambda: torch.ones(0, dtype=torch.int64).median())
case("median_empty_int32", lambda: torch.ones(0, dtype=torch.int32).nanmedian())
case("median_bool", lambda: B().median())
case("median_signed_zero", lambda: torch.tensor([0., -0., 0., -0., 1.]).median())
case("median_dim", lambda: X().median(1))
case("median_dim_keepdim", lambda: X().median(0, True))
case("median_dim_ties", lambda: T().median(0))
case("median_dim_nan", lambda: torch.tensor([[1., nan, 2., nan], [4., 3., 2., 1.]]).median(1))
case("median_dim_empty", lambda: torch.ones(0, 2).median(0))
case("median_dim_empty_other", lambda: torch.ones(0, 2).median(1))
case("median_dim_0d", lambda: torch.tensor(2., requires_grad=True).median(0))
case("median_dim_0d_oob", lambda: torch.tensor(2.).median(1))
case("median_dim_oob", lambda: X().median(2))
case("median_dim_bool", lambda: B().median(0))
case("median_dim_int", lambda: I().median(1))
case("median_r1", lambda: R1.median(1))
case("median_r2", lambda: R2.median(1))
case("median_r4_dim0", lambda: R4.median(0))
case("nanmedian", lambda: torch.tensor([nan, 1., 2., nan, 3.], requires_grad=True).nanmedian())
case("nanmedian_all_nan", lambda: torch.tensor([nan, nan]).nanmedian())
case("nanmedian_empty", lambda: torch.ones(0).nanmedian())
case("nanmedian_bool", lambda: B().nanmedian())
case("nanmedian_dim", lambda: torch.tensor([[1., nan, 2., nan], [4., 3., 2., 1.]]).nanmedian(1))
case("nanmedian_dim_all_nan", lambda: torch.tensor([[nan, nan, nan], [1., nan, 0.]]).nanmedian(1, True))
case("nanmedian_dim_empty", lambda: torch.ones(0).nanmedian(0))
case("nanmedian_dim_bool", lambda: B().nanmedian(0))
case("nanmedian_r2", lambda: R2.nanmedian(1))
case("nanmedian_r4_dim0", lambda: R4.nanmedian(0))
grad_case("median_grad", X, lambda x: x.median())
grad_case("median_grad_ties", T, lambda x: x.median())
grad_case("median_grad_nan", lambda: torch.tensor([1., nan, nan], requires_grad=True), lambda x: x.median())
grad_case("median_dim_grad", X, lambda x: x.median(1)[0])
grad_case("nanmedian_grad", lambda: torch.tensor([1., 2., nan, 2., 3., 2.], requires_grad=True), lambda x: x.nanmedian())
grad_case("nanmedian_dim_grad", lambda: torch.tensor([[1., nan, 2., nan], [4., 3., 2., 1.]], requires_grad=True), lambda x: x.nanmedian(1, True)[0])

# ---------------------------------------------------------------- mode
case("mode", lambda: X().mode())
case("mode_ties", lambda: T().mode())
case("mode_dim0_keepdim", lambda: X().mode(0, True))
case("mode_nan", lambda: torch.tensor([nan, 1., nan, 1., 2.]).mode())
case("mode_bool", lambda: B().mode())
case("mode_int", lambda: I().mode(1))
case("mode_empty", lambda: torch.ones(0).mode())
case("mode_empty_other", lambda: torch.ones(0, 3).mode(1))
case("mode_0d", lambda: torch.tensor(3., requires_grad=True).mode())
case("mode_dim_oob", lambda: X().mode(2))
case("mode_r1", lambda: R1.mode())
case("mode_r2", lambda: R2.mode())
case("mode_r4_dim0", lambda: R4.mode(0))
case("mode_r3", lambda: R3.mode())
grad_case("mode_grad", X, lambda x: x.mode(1)[0])

# ---------------------------------------------------------------- cummax / cummin
case("cummax", lambda: T().cummax(0))
case("cummin", lambda: T().cummin(0))
case("cummax_dim1", lambda: X().cummax(1))
case("cummin_dim0", lambda: X().cummin(0))
case("cummax_nan", lambda: torch.tensor([1., nan, 3., nan, 0.]).cummax(0))
case("cummin_nan", lambda: torch.tensor([1., nan, 3., nan, 0.]).cummin(0))
case("cummax_int", lambda: I().cummax(1))
case("cummin_bool", lambda: B().cummin(0))
case("cummax_bool", lambda: B().cummax(0))
case("cummax_0d", lambda: torch.tensor(2., requires_grad=True).cummax(0))
case("cummax_empty", lambda: torch.ones(0).cummax(0))
case("cummax_dim_oob", lambda: X().cummax(2))
case("cummax_transposed", lambda: X().t().cummax(0))
case("cummax_signed_zero", lambda: torch.tensor([0., -0., 0.]).cummax(0))
grad_case("cummax_grad", X, lambda x: x.cummax(1)[0])
grad_case("cummin_grad", X, lambda x: x.cummin(0)[0])
grad_case("cummax_grad_0d", lambda: torch.tensor(2., requires_grad=True), lambda x: x.cummax(0)[0])

# ---------------------------------------------------------------- logcumsumexp
case("logcumsumexp", lambda: X().logcumsumexp(1))
case("logcumsumexp_dim0", lambda: X().logcumsumexp(0))
case("logcumsumexp_float64", lambda: D().logcumsumexp(1))
case("logcumsumexp_inf", lambda: torch.tensor([-inf, inf, 1., nan, 2.]).logcumsumexp(0))
case("logcumsumexp_neg_inf", lambda: torch.tensor([-inf, -inf, 1., -inf]).logcumsumexp(0))
case("logcumsumexp_large", lambda: torch.tensor([100., 200., -300., 50.]).logcumsumexp(0))
case("logcumsumexp_0d", lambda: torch.tensor(2., requires_grad=True).logcumsumexp(0))
case("logcumsumexp_empty", lambda: torch.ones(0).logcumsumexp(0))
case("logcumsumexp_int", lambda: I().logcumsumexp(0))
case("logcumsumexp_bool", lambda: B().logcumsumexp(0))
case("logcumsumexp_dim_oob", lambda: X().logcumsumexp(2))
case("logcumsumexp_r1", lambda: (R1 / 3).logcumsumexp(1))
grad_case("logcumsumexp_grad", X, lambda x: x.logcumsumexp(1))
grad_case("logcumsumexp_grad_neg_inf", lambda: torch.tensor([-inf, 1., 2.], requires_grad=True), lambda x: x.logcumsumexp(0))
grad_case("logcumsumexp_grad_0d", lambda: torch.tensor(2., requires_grad=True), lambda x: x.logcumsumexp(0))
double_case("logcumsumexp_double", D, lambda x: x.logcumsumexp(1))
def lcse_double_zero():
    x = torch.tensor([0.3, -1.2, 2.5], dtype=torch.float64, requires_grad=True)
    v = torch.tensor([1., 0., -2.], dtype=torch.float64, requires_grad=True)
    g, = torch.autograd.grad(x.logcumsumexp(0), x, v, create_graph=True)
    return list(torch.autograd.grad(g.sum(), [x, v]))
case("logcumsumexp_double_zero", lcse_double_zero)

# ---------------------------------------------------------------- searchsorted / bucketize
BD = lambda: torch.tensor([1., 3, 5, 7, 9])
V = lambda: torch.tensor([[3., 6, 9], [3, 6, 9]])
case("searchsorted", lambda: torch.searchsorted(BD(), V()))
case("searchsorted_right", lambda: torch.searchsorted(BD(), V(), right=True))
case("searchsorted_side_right", lambda: torch.searchsorted(BD(), V(), side="right"))
case("searchsorted_side_left", lambda: torch.searchsorted(BD(), V(), side="left"))
case("searchsorted_side_bad", lambda: torch.searchsorted(BD(), V(), side="middle"))
case("searchsorted_side_conflict", lambda: torch.searchsorted(BD(), V(), side="left", right=True))
case("searchsorted_int32", lambda: torch.searchsorted(BD(), V(), out_int32=True))
case("searchsorted_scalar", lambda: torch.searchsorted(BD(), 4))
case("searchsorted_scalar_float", lambda: torch.searchsorted(BD(), 4.5))
case("searchsorted_scalar_2d", lambda: torch.searchsorted(V(), 4))
case("searchsorted_0d", lambda: torch.searchsorted(BD(), torch.tensor(4.)))
case("searchsorted_2d", lambda: torch.searchsorted(torch.tensor([[1., 2, 3], [2, 4, 6]]), torch.tensor([[2., 5], [2, 5]])))
case("searchsorted_2d_right", lambda: torch.searchsorted(torch.tensor([[1., 2, 2], [2, 4, 6]]), torch.tensor([[2., 5, 0], [2, 6, 7]]), right=True))
case("searchsorted_2d_mismatch", lambda: torch.searchsorted(torch.tensor([[1., 2, 3], [2, 4, 6]]), torch.tensor([[2., 5]])))
case("searchsorted_0d_boundaries", lambda: torch.searchsorted(torch.tensor(1.), torch.tensor([2.])))
case("searchsorted_sorter", lambda: torch.searchsorted(torch.tensor([5., 1, 3]), torch.tensor([2., 4, 6, 0]), sorter=torch.tensor([1, 2, 0])))
case("searchsorted_sorter_2d", lambda: torch.searchsorted(torch.tensor([[5., 1, 3], [0, 9, 4]]), torch.tensor([[2., 4], [5, 10]]), sorter=torch.tensor([[1, 2, 0], [0, 2, 1]]), side="right"))
case("searchsorted_sorter_size", lambda: torch.searchsorted(torch.tensor([5., 1, 3]), torch.tensor([2.]), sorter=torch.tensor([1, 2])))
case("searchsorted_sorter_dtype", lambda: torch.searchsorted(torch.tensor([5., 1, 3]), torch.tensor([2.]), sorter=torch.tensor([1., 2, 0])))
case("searchsorted_int_float", lambda: torch.searchsorted(torch.tensor([1, 3, 5]), torch.tensor([2.5, 3.5, 3.])))
case("searchsorted_float_int", lambda: torch.searchsorted(torch.tensor([1., 3, 5]), torch.tensor([2, 3])))
case("searchsorted_int_scalar_float", lambda: torch.searchsorted(torch.tensor([1, 3, 5]), 2.5))
case("searchsorted_nan", lambda: torch.searchsorted(torch.tensor([1., 3, nan]), torch.tensor([nan, 2., 4])))
case("searchsorted_nan_right", lambda: torch.searchsorted(torch.tensor([1., 3, nan]), torch.tensor([nan, 2., 4]), right=True))
case("searchsorted_bool", lambda: torch.searchsorted(torch.tensor([False, True]), torch.tensor([True])))
case("searchsorted_empty_boundaries", lambda: torch.searchsorted(torch.ones(0), torch.tensor([1.])))
case("searchsorted_empty_values", lambda: torch.searchsorted(BD(), torch.ones(0, 2)))
case("searchsorted_ties", lambda: torch.searchsorted(torch.tensor([1., 2, 2, 2, 3]), torch.tensor([2., 2.5]), side="right"))
case("searchsorted_ties_left", lambda: torch.searchsorted(torch.tensor([1., 2, 2, 2, 3]), torch.tensor([2., 2.5])))
case("bucketize", lambda: torch.bucketize(V(), BD()))
case("bucketize_right_int32", lambda: torch.bucketize(V(), BD(), right=True, out_int32=True))
case("bucketize_2d_boundaries", lambda: torch.bucketize(V(), V()))
case("bucketize_scalar", lambda: torch.bucketize(4, BD()))
case("bucketize_0d_boundaries", lambda: torch.bucketize(V(), torch.tensor(1.)))
case("bucketize_int", lambda: torch.bucketize(torch.tensor([1, 2, 3]), torch.tensor([1.5, 2.5])))
case("bucketize_bool", lambda: torch.bucketize(torch.tensor([True]), torch.tensor([False, True])))
case("bucketize_grad", lambda: torch.bucketize(X(), BD()))

# ---------------------------------------------------------------- unique / unique_consecutive
U = lambda: torch.tensor([3., 1., 2., 3., 1., 5., 0.5, -1.])
UN = lambda: torch.tensor([nan, 1., nan, 2., 1.])
case("unique", lambda: torch.unique(U()))
case("unique_unsorted", lambda: torch.unique(U(), sorted=False))
case("unique_inverse", lambda: torch.unique(U(), return_inverse=True))
case("unique_counts", lambda: torch.unique(U(), return_counts=True))
case("unique_all", lambda: torch.unique(U(), return_inverse=True, return_counts=True))
case("unique_unsorted_all", lambda: torch.unique(U(), sorted=False, return_inverse=True, return_counts=True))
case("unique_nan", lambda: torch.unique(UN(), return_inverse=True, return_counts=True))
case("unique_nan_unsorted", lambda: torch.unique(UN(), sorted=False, return_inverse=True, return_counts=True))
case("unique_signed_zero", lambda: torch.unique(torch.tensor([-0., 1., 0., -0.]), return_inverse=True, return_counts=True))
case("unique_signed_zero_unsorted", lambda: torch.unique(torch.tensor([0., -0., 2.]), sorted=False))
case("unique_int", lambda: torch.unique(torch.tensor([3, 1, 2, 3, 1, 5, 10, -1, 7, 100, 8]), sorted=False, return_inverse=True))
case("unique_int32", lambda: torch.unique(torch.tensor([3, -1, 2, 3], dtype=torch.int32), sorted=False, return_counts=True))
case("unique_bool", lambda: torch.unique(torch.tensor([True, False, True]), sorted=False, return_inverse=True, return_counts=True))
case("unique_bool_true", lambda: torch.unique(torch.tensor([True, True])))
case("unique_0d", lambda: torch.unique(torch.tensor(2.), return_inverse=True, return_counts=True))
case("unique_empty", lambda: torch.unique(torch.ones(0, 2), return_inverse=True, return_counts=True))
case("unique_2d_inverse", lambda: torch.unique(torch.tensor([[2., 1], [1, 3]]), return_inverse=True))
case("unique_float64", lambda: torch.unique(torch.tensor([2.5, -1., 2.5], dtype=torch.float64), sorted=False))
case("unique_method", lambda: U().unique(return_counts=True))
case("unique_grad", lambda: torch.unique(X()))
case("unique_grad_inverse", lambda: torch.unique(X(), sorted=False, return_inverse=True))
case("unique_backward", lambda: torch.unique(X()).sum().backward())
case("unique_ri", lambda: torch.unique(RI, sorted=False, return_inverse=True, return_counts=True))
case("unique_ri_sorted", lambda: torch.unique(RI, return_counts=True))
case("unique_ru", lambda: torch.unique(RU, sorted=False, return_inverse=True))
case("unique_run", lambda: torch.unique(RUN, return_inverse=True, return_counts=True))
case("unique_run_unsorted", lambda: torch.unique(RUN, sorted=False, return_counts=True))
case("unique_r2_nan", lambda: torch.unique(R2, return_counts=True))
case("unique_dim0", lambda: torch.unique(torch.tensor([[1, 2], [1, 2], [0, 3]]), dim=0, return_inverse=True, return_counts=True))
case("unique_dim1", lambda: torch.unique(torch.tensor([[2., 1, 2], [1, 3, 1]]), dim=1, return_inverse=True, return_counts=True))
case("unique_dim_neg", lambda: torch.unique(torch.tensor([[2., 1, 2], [1, 3, 1]]), dim=-1))
case("unique_dim_3d", lambda: torch.unique(store("u3", torch.randint(0, 2, (2, 5, 3))), dim=1, return_inverse=True, return_counts=True))
case("unique_dim_nan", lambda: torch.unique(torch.tensor([[nan, 1.], [nan, 1.], [0., 2.]]), dim=0, return_inverse=True, return_counts=True))
case("unique_dim_oob", lambda: torch.unique(torch.tensor([[2., 1, 2], [1, 3, 1]]), dim=2))
case("unique_dim_0d", lambda: torch.unique(torch.tensor(2.), dim=0))
case("unique_dim_empty", lambda: torch.unique(torch.ones(0, 2), dim=0, return_inverse=True, return_counts=True))
case("unique_dim_empty_other", lambda: torch.unique(torch.ones(0, 2), dim=1))
case("unique_dim_empty_two", lambda: torch.unique(torch.ones(0, 0), dim=1))
case("unique_dim_r1", lambda: torch.unique(R1[:, :3], dim=0, return_inverse=True, return_counts=True))
case("unique_dim_grad", lambda: torch.unique(X(), dim=0))
case("unique_dim_backward", lambda: torch.unique(X(), dim=0).sum().backward())
C = lambda: torch.tensor([1, 1, 2, 2, 3, 1, 1, 2])
case("unique_consecutive", lambda: torch.unique_consecutive(C()))
case("unique_consecutive_all", lambda: torch.unique_consecutive(C(), return_inverse=True, return_counts=True))
case("unique_consecutive_counts", lambda: torch.unique_consecutive(C(), return_counts=True))
case("unique_consecutive_nan", lambda: torch.unique_consecutive(torch.tensor([nan, nan, 1., 1., -0., 0.]), return_inverse=True, return_counts=True))
case("unique_consecutive_2d", lambda: torch.unique_consecutive(torch.tensor([[1, 1], [2, 2]]), return_inverse=True, return_counts=True))
case("unique_consecutive_0d", lambda: torch.unique_consecutive(torch.tensor(2.), return_inverse=True, return_counts=True))
case("unique_consecutive_empty", lambda: torch.unique_consecutive(torch.ones(0), return_inverse=True, return_counts=True))
case("unique_consecutive_dim", lambda: torch.unique_consecutive(torch.tensor([[1, 1, 2], [1, 1, 3]]), dim=1, return_inverse=True, return_counts=True))
case("unique_consecutive_dim0_1d", lambda: torch.unique_consecutive(torch.tensor([1, 1, 2]), dim=0, return_inverse=True, return_counts=True))
case("unique_consecutive_dim_0d", lambda: torch.unique_consecutive(torch.tensor(1), dim=0))
case("unique_consecutive_method", lambda: C().unique_consecutive(return_counts=True))
case("unique_consecutive_grad", lambda: torch.unique_consecutive(X()))
case("unique_consecutive_backward", lambda: torch.unique_consecutive(X()).sum().backward())

out = {"inputs": inputs, "cases": cases}
with open("test/fixtures/sorting.json", "w") as f:
    json.dump(out, f, separators=(",", ":"))
print(f"{len(cases)} cases, {len(inputs)} stored inputs")
