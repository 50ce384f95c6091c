# Fixtures for torch.linalg (issue 10): norm, vector_norm, matrix_norm, inv(_ex), solve, det, slogdet,
# cholesky(_ex), solve_triangular, qr, svd, svdvals, eigh, eigvalsh, lstsq, pinv, matrix_rank, cross.
# Each case runs in real PyTorch 1.13; its outcome (every returned tensor's shape, dtype, grad_fn,
# requires_grad and values, or the error's class and first line) goes to test/fixtures/linalg.json,
# and test/linalg.test.ts runs the same calls in typetorch. Singular and eigen vectors are unique only
# up to sign, so their cases return sign-invariant quantities (U diag(S) Vh, |U|, U U^T, V diag(f(L)) V^T).
# The random input matrices are stored in the fixture too.
# NOTE: lstsq_f32 (LAPACK's gelsy, which PyTorch calls non-deterministic) may change in the last float32
# bit between runs of this script; every other case is reproducible.
#   /usr/bin/python3 scripts/gen_linalg_fixtures.py
import json, math, torch

L = torch.linalg
inputs = {}
cases = {}

def enc(v):
    if isinstance(v, bool): return v
    if isinstance(v, float):
        if math.isnan(v): return "nan"
        if math.isinf(v): return "inf" if v > 0 else "-inf"
    return v

def dtype_name(t): return str(t.dtype).replace("torch.", "")

def enc_tensor(t):
    return {"shape": list(t.shape), "dtype": dtype_name(t),
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

def grad_case(name, makes, f):
    """Gradients of every input after (f(*xs) * [1, 2, 3, ...]).sum().backward()."""
    def run():
        xs = [m() for m in makes]
        y = f(*xs)
        (y * weights(y)).sum().backward()
        return [x.grad for x in xs]
    case(name, run)

# ---------------------------------------------------------------- inputs
g = torch.Generator().manual_seed(10)
def rnd(name, *shape, dtype=torch.float64):
    return store(name, torch.randn(*shape, generator=g, dtype=torch.float64).round(decimals=3).to(dtype))
def spd(name, n, batch=(), dtype=torch.float64):
    X = torch.randn(*batch, n, n, generator=g, dtype=torch.float64)
    return store(name, (X @ X.mT + n * torch.eye(n, dtype=torch.float64)).round(decimals=3).to(dtype))

A3 = rnd("a3", 3, 3)
A4f = rnd("a4f", 4, 4, dtype=torch.float32)
AB = rnd("ab", 2, 3, 3)
T43 = rnd("t43", 4, 3)
W35 = rnd("w35", 3, 5)
B32 = rnd("b32", 3, 2)
BB = rnd("bb", 2, 3, 2)
V3 = rnd("v3", 3)
S3 = spd("s3", 3)
S4f = spd("s4f", 4, dtype=torch.float32)
SB = spd("sb", 3, batch=(2,))
T43f = rnd("t43f", 4, 3, dtype=torch.float32)
W35f = rnd("w35f", 3, 5, dtype=torch.float32)
SB2f = spd("sb2f", 3, batch=(2, 2), dtype=torch.float32)
# a rank-2 4x4 matrix (for pinv / matrix_rank / lstsq)
R2 = store("r2", (torch.randn(4, 2, generator=g, dtype=torch.float64) @ torch.randn(2, 4, generator=g, dtype=torch.float64)).round(decimals=3))

rg = lambda t: (lambda: t.clone().requires_grad_())
SING = lambda: torch.tensor([[1., 2], [2, 4]])
NPD = lambda: torch.tensor([[1., 2], [2, 1]])

# ---------------------------------------------------------------- inv, inv_ex
case("inv", lambda: L.inv(A3))
case("inv_f32", lambda: L.inv(A4f))
case("inv_batched", lambda: L.inv(AB))
case("inv_grad_fn", lambda: L.inv(A3.clone().requires_grad_()))
case("inv_empty", lambda: L.inv(torch.ones(0, 0)))
case("inv_singular", lambda: L.inv(SING()))
case("inv_singular_batched", lambda: L.inv(torch.stack([torch.eye(2), SING()])))
case("inv_nonsquare", lambda: L.inv(torch.ones(2, 3)))
case("inv_int", lambda: L.inv(torch.ones(3, 3, dtype=torch.long)))
case("inv_int_nonsquare", lambda: L.inv(torch.ones(2, 3, dtype=torch.long)))
case("inv_1d", lambda: L.inv(torch.ones(3)))
case("inv_ex", lambda: L.inv_ex(torch.stack([torch.eye(2), SING()]))[1])
case("inv_ex_check", lambda: L.inv_ex(SING(), check_errors=True))
grad_case("inv_grad", [rg(A3)], lambda a: L.inv(a))
grad_case("inv_grad_batched", [rg(AB)], lambda a: L.inv(a))

# ---------------------------------------------------------------- solve
case("solve", lambda: L.solve(A3, B32))
case("solve_vector", lambda: L.solve(A3, V3))
case("solve_batched_vector", lambda: L.solve(AB, torch.ones(2, 3, dtype=torch.float64)))
case("solve_broadcast", lambda: L.solve(AB, B32))
case("solve_broadcast_b", lambda: L.solve(A3, BB))
case("solve_right", lambda: L.solve(A3, B32.mT, left=False))
case("solve_f32", lambda: L.solve(A4f, torch.ones(4, 2)))
case("solve_singular", lambda: L.solve(SING(), torch.ones(2)))
case("solve_singular_batched", lambda: L.solve(torch.stack([torch.eye(2), SING()]), torch.ones(2, 2, 1)))
case("solve_shapes", lambda: L.solve(torch.eye(2), torch.ones(3)))
case("solve_shapes_right", lambda: L.solve(torch.eye(2), torch.ones(2, 3), left=False))
case("solve_dtype", lambda: L.solve(torch.eye(2), torch.ones(2, dtype=torch.float64)))
case("solve_nonsquare", lambda: L.solve(torch.ones(2, 3), torch.ones(2)))
case("solve_int", lambda: L.solve(torch.eye(2, dtype=torch.long), torch.ones(2, dtype=torch.long)))
grad_case("solve_grad", [rg(A3), rg(B32)], lambda a, b: L.solve(a, b))
grad_case("solve_grad_vector", [rg(A3), rg(V3)], lambda a, b: L.solve(a, b))
grad_case("solve_grad_broadcast", [rg(AB), rg(B32)], lambda a, b: L.solve(a, b))
grad_case("solve_grad_right", [rg(A3), rg(B32)], lambda a, b: L.solve(a, b.mT, left=False))

# ---------------------------------------------------------------- det, slogdet
def det_cg():
    a = torch.tensor([[1., 2, 3], [2, 4, 6], [1, 1, 1]], dtype=torch.float64, requires_grad=True)
    g, = torch.autograd.grad(L.det(a) * 3, a, create_graph=True)
    return [g, torch.autograd.grad((g * weights(g)).sum(), a)[0]]
case("det", lambda: L.det(A3))
case("det_f32", lambda: L.det(A4f))
case("det_batched", lambda: L.det(AB))
case("det_singular", lambda: L.det(SING()))
case("det_empty", lambda: L.det(torch.ones(0, 0)))
case("det_nonsquare", lambda: L.det(torch.ones(2, 3)))
case("det_int", lambda: L.det(torch.ones(3, 3, dtype=torch.long)))
case("det_1d", lambda: L.det(torch.ones(3)))
case("det_torch", lambda: torch.det(A3.clone().requires_grad_()))
grad_case("det_grad", [rg(A3)], lambda a: L.det(a))
grad_case("det_grad_batched", [rg(AB)], lambda a: L.det(a))
grad_case("det_grad_singular", [lambda: SING().double().requires_grad_()], lambda a: L.det(a))
grad_case("det_grad_singular_rank1", [lambda: torch.tensor([[1., 2, 3], [2, 4, 6], [1, 1, 1]], dtype=torch.float64, requires_grad=True)], lambda a: L.det(a))
case("det_grad_singular_create_graph", det_cg)
case("slogdet", lambda: L.slogdet(A3))
case("slogdet_batched", lambda: L.slogdet(AB))
case("slogdet_f32", lambda: L.slogdet(A4f))
case("slogdet_singular", lambda: L.slogdet(SING()))
case("slogdet_grad_fn", lambda: L.slogdet(A3.clone().requires_grad_()))
case("slogdet_nonsquare", lambda: L.slogdet(torch.ones(2, 3)))
grad_case("slogdet_grad", [rg(AB)], lambda a: L.slogdet(a)[1])

# ---------------------------------------------------------------- cholesky, cholesky_ex
case("cholesky", lambda: L.cholesky(S3))
case("cholesky_upper", lambda: L.cholesky(S3, upper=True))
case("cholesky_f32", lambda: L.cholesky(S4f))
case("cholesky_batched", lambda: L.cholesky(SB))
case("cholesky_batched_f32", lambda: L.cholesky(SB2f))
case("cholesky_reads_lower", lambda: L.cholesky(S3.tril()))
case("cholesky_grad_fn", lambda: L.cholesky(S3.clone().requires_grad_()))
case("cholesky_npd", lambda: L.cholesky(NPD()))
case("cholesky_npd_batched", lambda: L.cholesky(torch.stack([torch.eye(2), NPD()])))
case("cholesky_npd_order1", lambda: L.cholesky(-torch.eye(3)))
case("cholesky_nonsquare", lambda: L.cholesky(torch.ones(2, 3)))
case("cholesky_int", lambda: L.cholesky(torch.eye(2, dtype=torch.long)))
case("cholesky_ex_info", lambda: L.cholesky_ex(torch.stack([torch.eye(2), NPD()]))[1])
case("cholesky_ex_check", lambda: L.cholesky_ex(NPD(), check_errors=True))
grad_case("cholesky_grad", [rg(S3)], lambda a: L.cholesky(a))
grad_case("cholesky_grad_upper", [rg(SB)], lambda a: L.cholesky(a, upper=True))
grad_case("cholesky_grad_sym", [rg(A3)], lambda a: L.cholesky(a @ a.mT + 3 * torch.eye(3, dtype=torch.float64)))

# ---------------------------------------------------------------- solve_triangular
UT = lambda: S3.triu()
LT = lambda: S3.tril()
case("solve_triangular_upper", lambda: L.solve_triangular(UT(), B32, upper=True))
case("solve_triangular_lower", lambda: L.solve_triangular(LT(), B32, upper=False))
case("solve_triangular_reads_triangle", lambda: L.solve_triangular(S3, B32, upper=False))
case("solve_triangular_right", lambda: L.solve_triangular(UT(), B32.mT, upper=True, left=False))
case("solve_triangular_unit", lambda: L.solve_triangular(S3, B32, upper=True, unitriangular=True))
case("solve_triangular_batched", lambda: L.solve_triangular(SB.tril(), B32, upper=False))
case("solve_triangular_shapes", lambda: L.solve_triangular(torch.eye(2), torch.ones(3, 1), upper=True))
case("solve_triangular_1d", lambda: L.solve_triangular(torch.eye(2), torch.ones(2), upper=True))
grad_case("solve_triangular_grad", [lambda: UT().requires_grad_(), rg(B32)], lambda a, b: L.solve_triangular(a, b, upper=True))
grad_case("solve_triangular_grad_right_unit", [lambda: LT().requires_grad_(), rg(B32)], lambda a, b: L.solve_triangular(a, b.mT, upper=False, left=False, unitriangular=True))

# ---------------------------------------------------------------- qr
case("qr", lambda: L.qr(T43))
case("qr_wide", lambda: L.qr(W35))
case("qr_complete", lambda: L.qr(T43, mode="complete"))
case("qr_complete_wide", lambda: L.qr(W35, mode="complete"))
case("qr_r", lambda: L.qr(T43, mode="r"))
case("qr_f32", lambda: L.qr(T43f))
case("qr_batched", lambda: L.qr(AB))
case("qr_zero_column", lambda: L.qr(torch.tensor([[0., 1], [0, 2], [0, 3]])))
case("qr_grad_fn", lambda: L.qr(T43.clone().requires_grad_()))
case("qr_mode", lambda: L.qr(T43, mode="x"))
case("qr_1d", lambda: L.qr(torch.ones(3)))
case("qr_int", lambda: L.qr(torch.ones(3, 3, dtype=torch.long)))
grad_case("qr_grad", [rg(T43)], lambda a: torch.cat([L.qr(a)[0].reshape(-1), L.qr(a)[1].reshape(-1)]))
grad_case("qr_grad_Q", [rg(T43)], lambda a: L.qr(a)[0])
grad_case("qr_grad_R", [rg(AB)], lambda a: L.qr(a)[1])
grad_case("qr_grad_wide", [rg(W35)], lambda a: torch.cat([L.qr(a)[0].reshape(-1), L.qr(a)[1].reshape(-1)]))
grad_case("qr_grad_complete_wide", [rg(W35)], lambda a: L.qr(a, mode="complete")[1])
case("qr_backward_r", lambda: L.qr(T43.clone().requires_grad_(), mode="r")[1].sum().backward())
case("qr_backward_complete", lambda: L.qr(T43.clone().requires_grad_(), mode="complete")[0].sum().backward())

# ---------------------------------------------------------------- svd, svdvals (sign-invariant forms)
def svd_parts(A, full=False):
    U, S, Vh = L.svd(A, full_matrices=full)
    k = S.shape[-1]
    # (with full_matrices the columns past k complete a basis: not unique, so only U U^T covers them)
    return [S, U[..., :k] @ torch.diag_embed(S) @ Vh[..., :k, :], U[..., :k].abs(), Vh[..., :k, :].abs(), U @ U.mT, Vh.mT @ Vh]
case("svd", lambda: svd_parts(T43))
case("svd_wide", lambda: svd_parts(W35))
case("svd_full", lambda: svd_parts(T43, True))
case("svd_full_wide", lambda: svd_parts(W35, True))
case("svd_f32", lambda: svd_parts(T43f))
case("svd_wide_f32", lambda: svd_parts(W35f))
case("svd_batched", lambda: svd_parts(AB))
case("svd_rank2", lambda: [L.svd(R2)[1]])
case("svd_shapes_full", lambda: [t.new_zeros(t.shape) for t in L.svd(T43)])
case("svd_shapes_reduced", lambda: [t.new_zeros(t.shape) for t in L.svd(W35, full_matrices=False)])
case("svd_grad_fn", lambda: list(L.svd(T43.clone().requires_grad_())))
case("svdvals", lambda: L.svdvals(AB))
case("svdvals_grad_fn", lambda: L.svdvals(T43.clone().requires_grad_()))
case("svd_1d", lambda: L.svd(torch.ones(3)))
case("svd_int", lambda: L.svd(torch.ones(3, 3, dtype=torch.long)))
case("svdvals_int", lambda: L.svdvals(torch.ones(3, 3, dtype=torch.long)))
grad_case("svdvals_grad", [rg(T43)], lambda a: L.svdvals(a))
grad_case("svdvals_grad_wide", [rg(W35)], lambda a: L.svdvals(a))
def svd_inv(a, full=False):
    U, S, Vh = L.svd(a, full_matrices=full)
    k = S.shape[-1]
    return (U[..., :k] * S.sqrt().unsqueeze(-2)) @ Vh[..., :k, :]
grad_case("svd_grad", [rg(T43)], lambda a: svd_inv(a))
grad_case("svd_grad_wide", [rg(W35)], lambda a: svd_inv(a))
grad_case("svd_grad_full", [rg(T43)], lambda a: svd_inv(a, True))
grad_case("svd_grad_batched", [rg(AB)], lambda a: svd_inv(a))
grad_case("svd_grad_proj", [rg(T43)], lambda a: L.svd(a, full_matrices=False)[0] @ L.svd(a, full_matrices=False)[0].mT)

# ---------------------------------------------------------------- eigh, eigvalsh
def eigh_parts(A, uplo="L"):
    w, V = L.eigh(A, UPLO=uplo)
    return [w, V.abs(), V @ torch.diag_embed(w.exp()) @ V.mT, V @ V.mT]
case("eigh", lambda: eigh_parts(S3))
case("eigh_upper", lambda: eigh_parts(A3, "U"))
case("eigh_lower_nonsym", lambda: eigh_parts(A3))
case("eigh_f32", lambda: eigh_parts(S4f))
case("eigh_batched", lambda: eigh_parts(SB))
case("eigh_batched_f32", lambda: eigh_parts(SB2f))
case("eigh_grad_fn", lambda: list(L.eigh(S3.clone().requires_grad_())))
case("eigvalsh", lambda: L.eigvalsh(AB, UPLO="U"))
case("eigvalsh_grad_fn", lambda: L.eigvalsh(S3.clone().requires_grad_()))
case("eigh_nonsquare", lambda: L.eigh(torch.ones(2, 3)))
case("eigh_uplo", lambda: L.eigh(torch.eye(2), UPLO="X"))
case("eigh_int", lambda: L.eigh(torch.eye(2, dtype=torch.long)))
case("eigvalsh_nonsquare", lambda: L.eigvalsh(torch.ones(2, 3)))
case("eigvalsh_int", lambda: L.eigvalsh(torch.eye(2, dtype=torch.long)))
grad_case("eigvalsh_grad", [rg(S3)], lambda a: L.eigvalsh(a))
grad_case("eigh_grad", [rg(S3)], lambda a: (lambda w, V: V @ torch.diag_embed(w.exp()) @ V.mT)(*L.eigh(a)))
grad_case("eigh_grad_sq", [rg(SB)], lambda a: L.eigh(a)[1] ** 2)
grad_case("eigh_grad_upper", [rg(A3)], lambda a: (lambda w, V: V @ torch.diag_embed(w.sin()) @ V.mT)(*L.eigh(a, UPLO="U")))

# ---------------------------------------------------------------- pinv, matrix_rank, lstsq
case("pinv", lambda: L.pinv(T43))
case("pinv_wide_f32", lambda: L.pinv(W35f))
case("pinv_batched", lambda: L.pinv(AB))
case("pinv_rank2", lambda: L.pinv(R2))
case("pinv_hermitian", lambda: L.pinv(S3, hermitian=True))
case("pinv_rtol", lambda: L.pinv(A3, rtol=0.3))
case("pinv_atol", lambda: L.pinv(A3, atol=1.0))
case("pinv_rcond", lambda: L.pinv(A3, 0.3))
case("pinv_grad_fn", lambda: L.pinv(T43.clone().requires_grad_()))
case("pinv_int", lambda: L.pinv(torch.ones(3, 3, dtype=torch.long)))
case("pinv_1d", lambda: L.pinv(torch.ones(3)))
grad_case("pinv_grad", [rg(T43)], lambda a: L.pinv(a))
grad_case("pinv_grad_wide", [rg(W35)], lambda a: L.pinv(a))
case("matrix_rank", lambda: L.matrix_rank(R2))
case("matrix_rank_full", lambda: L.matrix_rank(AB))
case("matrix_rank_atol", lambda: L.matrix_rank(A3, atol=1.0))
case("matrix_rank_rtol", lambda: L.matrix_rank(A3, rtol=0.5))
case("matrix_rank_tol", lambda: L.matrix_rank(A3, 1.0))
case("matrix_rank_hermitian", lambda: L.matrix_rank(S3, hermitian=True))
case("matrix_rank_f32", lambda: L.matrix_rank(W35f))
case("matrix_rank_int", lambda: L.matrix_rank(torch.ones(3, 3, dtype=torch.long)))
case("lstsq", lambda: list(L.lstsq(T43, torch.ones(4, 2, dtype=torch.float64))))
case("lstsq_gels", lambda: list(L.lstsq(T43, torch.ones(4, 2, dtype=torch.float64), driver="gels")))
case("lstsq_gelsd", lambda: list(L.lstsq(T43, torch.ones(4, 2, dtype=torch.float64), driver="gelsd")))
case("lstsq_gelss", lambda: list(L.lstsq(T43, torch.ones(4, 2, dtype=torch.float64), driver="gelss")))
case("lstsq_vector", lambda: list(L.lstsq(T43, torch.arange(4.).double(), driver="gelsd")))
case("lstsq_square", lambda: list(L.lstsq(A3, B32)))
case("lstsq_rank2", lambda: list(L.lstsq(R2, torch.ones(4, 1, dtype=torch.float64), driver="gelsd")))
case("lstsq_batched", lambda: list(L.lstsq(AB, B32)))
case("lstsq_f32", lambda: list(L.lstsq(T43f, torch.ones(4, 2))))
case("lstsq_grad_fn", lambda: list(L.lstsq(T43.clone().requires_grad_(), torch.ones(4, 2, dtype=torch.float64))))
case("lstsq_driver", lambda: L.lstsq(T43, torch.ones(4, 2, dtype=torch.float64), driver="x"))
case("lstsq_dtype", lambda: L.lstsq(T43f, torch.ones(4, 2, dtype=torch.float64)))
case("lstsq_rows", lambda: L.lstsq(T43, torch.ones(3, 1, dtype=torch.float64)))
case("lstsq_1d", lambda: L.lstsq(torch.ones(3), torch.ones(3)))
grad_case("lstsq_grad", [rg(T43), lambda: torch.arange(8.).double().reshape(4, 2).requires_grad_()], lambda a, b: L.lstsq(a, b).solution)

# ---------------------------------------------------------------- norms
X34 = lambda: store("x34", torch.tensor([[0.5, -1.5, 2.0, 0.0], [3.0, -0.25, -2.0, 1.0], [0.0, 0.0, 0.0, 0.0]]))
case("vector_norm", lambda: L.vector_norm(X34()))
for o, nm in [(1, "1"), (0, "0"), (3, "3"), (0.5, "half"), (1.5, "1_5"), (float("inf"), "inf"), (-float("inf"), "ninf"), (-1, "neg1")]:
    case(f"vector_norm_ord_{nm}", lambda o=o: L.vector_norm(X34(), o, dim=1))
    grad_case(f"vector_norm_grad_{nm}", [lambda: X34().double().requires_grad_()], lambda x, o=o: L.vector_norm(x, o, dim=1))
case("vector_norm_dims_keepdim", lambda: L.vector_norm(X34(), 2, dim=(0, 1), keepdim=True))
case("vector_norm_dim0_keepdim", lambda: L.vector_norm(X34(), 2, dim=0, keepdim=True))
case("vector_norm_grad_fn", lambda: L.vector_norm(X34().requires_grad_(), 2, dim=-1))
case("vector_norm_dtype", lambda: L.vector_norm(X34(), dtype=torch.float64))
case("vector_norm_empty", lambda: L.vector_norm(torch.ones(0, 3), dim=0))
case("vector_norm_empty_inf", lambda: L.vector_norm(torch.ones(0, 3), float("inf"), dim=0))
case("vector_norm_int", lambda: L.vector_norm(torch.ones(3, dtype=torch.long)))
case("vector_norm_ord_str", lambda: L.vector_norm(X34(), "fro"))
grad_case("vector_norm_grad", [lambda: X34().double().requires_grad_()], lambda x: L.vector_norm(x))
for o, nm in [("fro", "fro"), ("nuc", "nuc"), (float("inf"), "inf"), (-float("inf"), "ninf"), (1, "1"), (-1, "neg1"), (2, "2"), (-2, "neg2")]:
    case(f"matrix_norm_{nm}", lambda o=o: L.matrix_norm(T43, o))
    case(f"matrix_norm_{nm}_f32_grad_fn", lambda o=o: L.matrix_norm(T43f.clone().requires_grad_(), o))
    case(f"matrix_norm_{nm}_batched_keepdim", lambda o=o: L.matrix_norm(AB, o, keepdim=True))
    case(f"matrix_norm_{nm}_dims", lambda o=o: L.matrix_norm(AB, o, dim=(2, 0)))
    grad_case(f"matrix_norm_grad_{nm}", [rg(T43)], lambda x, o=o: L.matrix_norm(x, o))
case("matrix_norm_ord", lambda: L.matrix_norm(T43, 3))
case("matrix_norm_1d", lambda: L.matrix_norm(torch.ones(3)))
case("matrix_norm_int", lambda: L.matrix_norm(torch.ones(3, 3, dtype=torch.long)))
case("matrix_norm_dim1", lambda: L.matrix_norm(T43, dim=(1,)))
case("norm", lambda: L.norm(AB))
case("norm_vec_ord", lambda: L.norm(V3, 3))
case("norm_mat_ord", lambda: L.norm(T43, float("inf")))
case("norm_mat_nuc", lambda: L.norm(T43, "nuc"))
case("norm_dim1", lambda: L.norm(AB, 1, dim=2))
case("norm_dim2", lambda: L.norm(AB, 2, dim=(1, 2), keepdim=True))
case("norm_dim2_default", lambda: L.norm(AB, dim=(0, 2)))
case("norm_grad_fn", lambda: L.norm(T43.clone().requires_grad_()))
case("norm_3d_ord", lambda: L.norm(torch.ones(2, 2, 2), 2))
case("norm_dim3", lambda: L.norm(T43, dim=(0, 1, 1)))
case("norm_fro_1d", lambda: L.norm(torch.ones(3), "fro"))
case("norm_nuc_dim1", lambda: L.norm(T43, "nuc", dim=1))

# ---------------------------------------------------------------- cross
case("cross", lambda: L.cross(T43, T43.flip(0)))
case("cross_dim", lambda: L.cross(T43.mT, T43.mT.flip(1), dim=0))
case("cross_bad", lambda: L.cross(torch.ones(2), torch.ones(2)))
grad_case("cross_grad", [rg(T43), lambda: T43.flip(0).clone().requires_grad_()], lambda a, b: L.cross(a, b))

out = {"inputs": inputs, "cases": cases}
with open("test/fixtures/linalg.json", "w") as f:
    json.dump(out, f, separators=(",", ":"))
print(f"{len(cases)} cases, {len(inputs)} stored inputs")
