// torch.linalg (issue 10) against real PyTorch 1.13: test/fixtures/linalg.json, from
// scripts/gen_linalg_fixtures.py, which runs the same calls. Each case's outcome: every returned
// tensor's shape, dtype, grad_fn, requires_grad and values, or the error's class and first line.
// Singular and eigen vectors are unique only up to sign, so those cases compare sign-invariant
// quantities (U diag(S) Vh, |U|, U U^T, V f(L) V^T). Then float64 gradchecks of every
// differentiable function (and gradgradchecks of a few), and torch.cuda / torch.backends.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as torch from "../src/index.js";
import type { Tensor } from "../src/index.js";

const L = torch.linalg;
type Val = number | boolean | string;
interface Enc { shape: number[]; dtype: string; grad_fn: string | null; requires_grad: boolean; values: Val[] }
interface Outcome { out?: (Enc | null)[]; error?: { type: string; message: string } }
interface Stored { shape: number[]; dtype: string; values: Val[] }
const fixture = JSON.parse(readFileSync(new URL("./fixtures/linalg.json", import.meta.url), "utf8")) as { inputs: Record<string, Stored>; cases: Record<string, Outcome> };

const num = (v: Val): number => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number));
const dtypes: Record<string, torch.DType> = { float32: torch.float32, float64: torch.float64, int64: torch.int64, int32: torch.int32, bool: torch.bool };
/** A stored random input, rebuilt from the fixture. */
const S = (name: string): Tensor => {
  const s = fixture.inputs[name]!;
  return torch.tensor(s.values.map(num), { dtype: dtypes[s.dtype]! }).reshape(s.shape);
};
const D64 = { dtype: torch.float64 }, LONG = { dtype: torch.int64 };
const A3 = S("a3"), A4f = S("a4f"), AB = S("ab"), T43 = S("t43"), W35 = S("w35"), B32 = S("b32"), BB = S("bb"), V3 = S("v3");
const S3 = S("s3"), S4f = S("s4f"), SB = S("sb"), T43f = S("t43f"), W35f = S("w35f"), SB2f = S("sb2f"), R2 = S("r2");
const rg = (t: Tensor) => () => t.clone().requiresGrad_();
const SING = () => torch.tensor([[1, 2], [2, 4]]);
const NPD = () => torch.tensor([[1, 2], [2, 1]]);
const eye = (n: number, o = {}) => torch.eye(n, o);
const stack = (ts: Tensor[]) => torch.stack(ts);

const weights = (y: Tensor): Tensor => torch.arange(y.numel(), { dtype: y.dtype }).add(1).reshape(y.shape);
/** The gradients of every input after (f(...xs) * [1, 2, 3, ...]).sum().backward(). */
const gradCase = (makes: (() => Tensor)[], f: (...xs: Tensor[]) => Tensor) => (): (Tensor | null)[] => {
  const xs = makes.map((m) => m());
  const y = f(...xs);
  y.mul(weights(y)).sum().backward();
  return xs.map((x) => x.grad);
};

const cases: Record<string, () => unknown> = {};
const add = (name: string, f: () => unknown) => { cases[name] = f; };
const addGrad = (name: string, makes: (() => Tensor)[], f: (...xs: Tensor[]) => Tensor) => { cases[name] = gradCase(makes, f); };

// ---------------------------------------------------------------- inv, inv_ex
add("inv", () => L.inv(A3));
add("inv_f32", () => L.inv(A4f));
add("inv_batched", () => L.inv(AB));
add("inv_grad_fn", () => L.inv(A3.clone().requiresGrad_()));
add("inv_empty", () => L.inv(torch.ones(0, 0)));
add("inv_singular", () => L.inv(SING()));
add("inv_singular_batched", () => L.inv(stack([eye(2), SING()])));
add("inv_nonsquare", () => L.inv(torch.ones(2, 3)));
add("inv_int", () => L.inv(torch.ones(3, 3, LONG)));
add("inv_int_nonsquare", () => L.inv(torch.ones(2, 3, LONG)));
add("inv_1d", () => L.inv(torch.ones(3)));
add("inv_ex", () => L.invEx(stack([eye(2), SING()]))[1]);
add("inv_ex_check", () => L.invEx(SING(), { checkErrors: true }));
addGrad("inv_grad", [rg(A3)], (a) => L.inv(a));
addGrad("inv_grad_batched", [rg(AB)], (a) => L.inv(a));

// ---------------------------------------------------------------- solve
add("solve", () => L.solve(A3, B32));
add("solve_vector", () => L.solve(A3, V3));
add("solve_batched_vector", () => L.solve(AB, torch.ones(2, 3, D64)));
add("solve_broadcast", () => L.solve(AB, B32));
add("solve_broadcast_b", () => L.solve(A3, BB));
add("solve_right", () => L.solve(A3, B32.mT, { left: false }));
add("solve_f32", () => L.solve(A4f, torch.ones(4, 2)));
add("solve_singular", () => L.solve(SING(), torch.ones(2)));
add("solve_singular_batched", () => L.solve(stack([eye(2), SING()]), torch.ones(2, 2, 1)));
add("solve_shapes", () => L.solve(eye(2), torch.ones(3)));
add("solve_shapes_right", () => L.solve(eye(2), torch.ones(2, 3), { left: false }));
add("solve_dtype", () => L.solve(eye(2), torch.ones(2, D64)));
add("solve_nonsquare", () => L.solve(torch.ones(2, 3), torch.ones(2)));
add("solve_int", () => L.solve(eye(2, LONG), torch.ones(2, LONG)));
addGrad("solve_grad", [rg(A3), rg(B32)], (a, b) => L.solve(a!, b!));
addGrad("solve_grad_vector", [rg(A3), rg(V3)], (a, b) => L.solve(a!, b!));
addGrad("solve_grad_broadcast", [rg(AB), rg(B32)], (a, b) => L.solve(a!, b!));
addGrad("solve_grad_right", [rg(A3), rg(B32)], (a, b) => L.solve(a!, b!.mT, { left: false }));

// ---------------------------------------------------------------- det, slogdet
add("det", () => L.det(A3));
add("det_f32", () => L.det(A4f));
add("det_batched", () => L.det(AB));
add("det_singular", () => L.det(SING()));
add("det_empty", () => L.det(torch.ones(0, 0)));
add("det_nonsquare", () => L.det(torch.ones(2, 3)));
add("det_int", () => L.det(torch.ones(3, 3, LONG)));
add("det_1d", () => L.det(torch.ones(3)));
add("det_torch", () => L.det(A3.clone().requiresGrad_()));
addGrad("det_grad", [rg(A3)], (a) => L.det(a!));
addGrad("det_grad_batched", [rg(AB)], (a) => L.det(a!));
addGrad("det_grad_singular", [() => SING().double().requiresGrad_()], (a) => L.det(a!));
addGrad("det_grad_singular_rank1", [() => torch.tensor([[1, 2, 3], [2, 4, 6], [1, 1, 1]], { dtype: torch.float64, requiresGrad: true })], (a) => L.det(a!));
add("det_grad_singular_create_graph", () => {
  const a = torch.tensor([[1, 2, 3], [2, 4, 6], [1, 1, 1]], { dtype: torch.float64, requiresGrad: true });
  const [g] = torch.autograd.grad(L.det(a).mul(3), [a], { createGraph: true });
  return [g!, torch.autograd.grad(g!.mul(weights(g!)).sum(), [a])[0]!];
});
add("slogdet", () => L.slogdet(A3));
add("slogdet_batched", () => L.slogdet(AB));
add("slogdet_f32", () => L.slogdet(A4f));
add("slogdet_singular", () => L.slogdet(SING()));
add("slogdet_grad_fn", () => L.slogdet(A3.clone().requiresGrad_()));
add("slogdet_nonsquare", () => L.slogdet(torch.ones(2, 3)));
addGrad("slogdet_grad", [rg(AB)], (a) => L.slogdet(a!)[1]);

// ---------------------------------------------------------------- cholesky, cholesky_ex
add("cholesky", () => L.cholesky(S3));
add("cholesky_upper", () => L.cholesky(S3, { upper: true }));
add("cholesky_f32", () => L.cholesky(S4f));
add("cholesky_batched", () => L.cholesky(SB));
add("cholesky_batched_f32", () => L.cholesky(SB2f));
add("cholesky_reads_lower", () => L.cholesky(S3.tril()));
add("cholesky_grad_fn", () => L.cholesky(S3.clone().requiresGrad_()));
add("cholesky_npd", () => L.cholesky(NPD()));
add("cholesky_npd_batched", () => L.cholesky(stack([eye(2), NPD()])));
add("cholesky_npd_order1", () => L.cholesky(eye(3).neg()));
add("cholesky_nonsquare", () => L.cholesky(torch.ones(2, 3)));
add("cholesky_int", () => L.cholesky(eye(2, LONG)));
add("cholesky_ex_info", () => L.choleskyEx(stack([eye(2), NPD()]))[1]);
add("cholesky_ex_check", () => L.choleskyEx(NPD(), { checkErrors: true }));
addGrad("cholesky_grad", [rg(S3)], (a) => L.cholesky(a!));
addGrad("cholesky_grad_upper", [rg(SB)], (a) => L.cholesky(a!, { upper: true }));
addGrad("cholesky_grad_sym", [rg(A3)], (a) => L.cholesky(a!.matmul(a!.mT).add(eye(3, D64).mul(3))));

// ---------------------------------------------------------------- solve_triangular
const UT = () => S3.triu(), LT = () => S3.tril();
add("solve_triangular_upper", () => L.solveTriangular(UT(), B32, { upper: true }));
add("solve_triangular_lower", () => L.solveTriangular(LT(), B32, { upper: false }));
add("solve_triangular_reads_triangle", () => L.solveTriangular(S3, B32, { upper: false }));
add("solve_triangular_right", () => L.solveTriangular(UT(), B32.mT, { upper: true, left: false }));
add("solve_triangular_unit", () => L.solveTriangular(S3, B32, { upper: true, unitriangular: true }));
add("solve_triangular_batched", () => L.solveTriangular(SB.tril(), B32, { upper: false }));
add("solve_triangular_shapes", () => L.solveTriangular(eye(2), torch.ones(3, 1), { upper: true }));
add("solve_triangular_1d", () => L.solveTriangular(eye(2), torch.ones(2), { upper: true }));
addGrad("solve_triangular_grad", [() => UT().requiresGrad_(), rg(B32)], (a, b) => L.solveTriangular(a!, b!, { upper: true }));
addGrad("solve_triangular_grad_right_unit", [() => LT().requiresGrad_(), rg(B32)], (a, b) => L.solveTriangular(a!, b!.mT, { upper: false, left: false, unitriangular: true }));

// ---------------------------------------------------------------- qr
add("qr", () => L.qr(T43));
add("qr_wide", () => L.qr(W35));
add("qr_complete", () => L.qr(T43, "complete"));
add("qr_complete_wide", () => L.qr(W35, "complete"));
add("qr_r", () => L.qr(T43, "r"));
add("qr_f32", () => L.qr(T43f));
add("qr_batched", () => L.qr(AB));
add("qr_zero_column", () => L.qr(torch.tensor([[0, 1], [0, 2], [0, 3]])));
add("qr_grad_fn", () => L.qr(T43.clone().requiresGrad_()));
add("qr_mode", () => L.qr(T43, "x" as "r"));
add("qr_1d", () => L.qr(torch.ones(3)));
add("qr_int", () => L.qr(torch.ones(3, 3, LONG)));
addGrad("qr_grad", [rg(T43)], (a) => torch.cat([L.qr(a!)[0].reshape(-1), L.qr(a!)[1].reshape(-1)]));
addGrad("qr_grad_Q", [rg(T43)], (a) => L.qr(a!)[0]);
addGrad("qr_grad_R", [rg(AB)], (a) => L.qr(a!)[1]);
addGrad("qr_grad_wide", [rg(W35)], (a) => torch.cat([L.qr(a!)[0].reshape(-1), L.qr(a!)[1].reshape(-1)]));
addGrad("qr_grad_complete_wide", [rg(W35)], (a) => L.qr(a!, "complete")[1]);
add("qr_backward_r", () => L.qr(T43.clone().requiresGrad_(), "r")[1].sum().backward());
add("qr_backward_complete", () => L.qr(T43.clone().requiresGrad_(), "complete")[0].sum().backward());

// ---------------------------------------------------------------- svd, svdvals (sign-invariant forms)
const svdParts = (A: Tensor, full = false): Tensor[] => {
  const { U, S: Sv, Vh } = L.svd(A, full);
  const k = Sv.shape[Sv.dim() - 1]!;
  const Uk = U.narrow(-1, 0, k), Vk = Vh.narrow(-2, 0, k);
  // (with fullMatrices the columns past k complete a basis: not unique, so only U U^T covers them)
  return [Sv, Uk.matmul(Sv.diagEmbed()).matmul(Vk), Uk.abs(), Vk.abs(), U.matmul(U.mT), Vh.mT.matmul(Vh)];
};
add("svd", () => svdParts(T43));
add("svd_wide", () => svdParts(W35));
add("svd_full", () => svdParts(T43, true));
add("svd_full_wide", () => svdParts(W35, true));
add("svd_f32", () => svdParts(T43f));
add("svd_wide_f32", () => svdParts(W35f));
add("svd_batched", () => svdParts(AB));
add("svd_rank2", () => [L.svd(R2)[1]]);
add("svd_shapes_full", () => [...L.svd(T43)].map((t) => t.newZeros(t.shape)));
add("svd_shapes_reduced", () => [...L.svd(W35, false)].map((t) => t.newZeros(t.shape)));
add("svd_grad_fn", () => [...L.svd(T43.clone().requiresGrad_())]);
add("svdvals", () => L.svdvals(AB));
add("svdvals_grad_fn", () => L.svdvals(T43.clone().requiresGrad_()));
add("svd_1d", () => L.svd(torch.ones(3)));
add("svd_int", () => L.svd(torch.ones(3, 3, LONG)));
add("svdvals_int", () => L.svdvals(torch.ones(3, 3, LONG)));
addGrad("svdvals_grad", [rg(T43)], (a) => L.svdvals(a!));
addGrad("svdvals_grad_wide", [rg(W35)], (a) => L.svdvals(a!));
/** U S^(1/2) Vh: sign-invariant, and differentiable through U, S and Vh */
const svdInv = (a: Tensor, full = false): Tensor => {
  const { U, S: Sv, Vh } = L.svd(a, full);
  const k = Sv.shape[Sv.dim() - 1]!;
  return U.narrow(-1, 0, k).mul(Sv.sqrt().unsqueeze(-2)).matmul(Vh.narrow(-2, 0, k));
};
addGrad("svd_grad", [rg(T43)], (a) => svdInv(a!));
addGrad("svd_grad_wide", [rg(W35)], (a) => svdInv(a!));
addGrad("svd_grad_full", [rg(T43)], (a) => svdInv(a!, true));
addGrad("svd_grad_batched", [rg(AB)], (a) => svdInv(a!));
addGrad("svd_grad_proj", [rg(T43)], (a) => L.svd(a!, false)[0].matmul(L.svd(a!, false)[0].mT));

// ---------------------------------------------------------------- eigh, eigvalsh
const eighParts = (A: Tensor, uplo: "L" | "U" = "L"): Tensor[] => {
  const [w, V] = L.eigh(A, uplo);
  return [w, V.abs(), V.matmul(w.exp().diagEmbed()).matmul(V.mT), V.matmul(V.mT)];
};
add("eigh", () => eighParts(S3));
add("eigh_upper", () => eighParts(A3, "U"));
add("eigh_lower_nonsym", () => eighParts(A3));
add("eigh_f32", () => eighParts(S4f));
add("eigh_batched", () => eighParts(SB));
add("eigh_batched_f32", () => eighParts(SB2f));
add("eigh_grad_fn", () => [...L.eigh(S3.clone().requiresGrad_())]);
add("eigvalsh", () => L.eigvalsh(AB, "U"));
add("eigvalsh_grad_fn", () => L.eigvalsh(S3.clone().requiresGrad_()));
add("eigh_nonsquare", () => L.eigh(torch.ones(2, 3)));
add("eigh_uplo", () => L.eigh(eye(2), "X" as "L"));
add("eigh_int", () => L.eigh(eye(2, LONG)));
add("eigvalsh_nonsquare", () => L.eigvalsh(torch.ones(2, 3)));
add("eigvalsh_int", () => L.eigvalsh(eye(2, LONG)));
addGrad("eigvalsh_grad", [rg(S3)], (a) => L.eigvalsh(a!));
addGrad("eigh_grad", [rg(S3)], (a) => { const [w, V] = L.eigh(a!); return V.matmul(w.exp().diagEmbed()).matmul(V.mT); });
addGrad("eigh_grad_sq", [rg(SB)], (a) => L.eigh(a!)[1].pow(2));
addGrad("eigh_grad_upper", [rg(A3)], (a) => { const [w, V] = L.eigh(a!, "U"); return V.matmul(w.sin().diagEmbed()).matmul(V.mT); });

// ---------------------------------------------------------------- pinv, matrix_rank, lstsq
add("pinv", () => L.pinv(T43));
add("pinv_wide_f32", () => L.pinv(W35f));
add("pinv_batched", () => L.pinv(AB));
add("pinv_rank2", () => L.pinv(R2));
add("pinv_hermitian", () => L.pinv(S3, { hermitian: true }));
add("pinv_rtol", () => L.pinv(A3, { rtol: 0.3 }));
add("pinv_atol", () => L.pinv(A3, { atol: 1.0 }));
add("pinv_rcond", () => L.pinv(A3, 0.3));
add("pinv_grad_fn", () => L.pinv(T43.clone().requiresGrad_()));
add("pinv_int", () => L.pinv(torch.ones(3, 3, LONG)));
add("pinv_1d", () => L.pinv(torch.ones(3)));
addGrad("pinv_grad", [rg(T43)], (a) => L.pinv(a!));
addGrad("pinv_grad_wide", [rg(W35)], (a) => L.pinv(a!));
add("matrix_rank", () => L.matrixRank(R2));
add("matrix_rank_full", () => L.matrixRank(AB));
add("matrix_rank_atol", () => L.matrixRank(A3, { atol: 1.0 }));
add("matrix_rank_rtol", () => L.matrixRank(A3, { rtol: 0.5 }));
add("matrix_rank_tol", () => L.matrixRank(A3, 1.0));
add("matrix_rank_hermitian", () => L.matrixRank(S3, { hermitian: true }));
add("matrix_rank_f32", () => L.matrixRank(W35f));
add("matrix_rank_int", () => L.matrixRank(torch.ones(3, 3, LONG)));
const ones42 = () => torch.ones(4, 2, D64);
add("lstsq", () => [...L.lstsq(T43, ones42())]);
add("lstsq_gels", () => [...L.lstsq(T43, ones42(), null, { driver: "gels" })]);
add("lstsq_gelsd", () => [...L.lstsq(T43, ones42(), null, { driver: "gelsd" })]);
add("lstsq_gelss", () => [...L.lstsq(T43, ones42(), null, { driver: "gelss" })]);
add("lstsq_vector", () => [...L.lstsq(T43, torch.arange(4, D64), null, { driver: "gelsd" })]);
add("lstsq_square", () => [...L.lstsq(A3, B32)]);
add("lstsq_rank2", () => [...L.lstsq(R2, torch.ones(4, 1, D64), null, { driver: "gelsd" })]);
add("lstsq_batched", () => [...L.lstsq(AB, B32)]);
add("lstsq_f32", () => [...L.lstsq(T43f, torch.ones(4, 2))]);
add("lstsq_grad_fn", () => [...L.lstsq(T43.clone().requiresGrad_(), ones42())]);
add("lstsq_driver", () => L.lstsq(T43, ones42(), null, { driver: "x" as "gels" }));
add("lstsq_dtype", () => L.lstsq(T43f, ones42()));
add("lstsq_rows", () => L.lstsq(T43, torch.ones(3, 1, D64)));
add("lstsq_1d", () => L.lstsq(torch.ones(3), torch.ones(3)));
addGrad("lstsq_grad", [rg(T43), () => torch.arange(8, D64).reshape(4, 2).requiresGrad_()], (a, b) => L.lstsq(a!, b!).solution);

// ---------------------------------------------------------------- norms
const X34 = () => S("x34");
add("vector_norm", () => L.vectorNorm(X34()));
for (const [o, nm] of [[1, "1"], [0, "0"], [3, "3"], [0.5, "half"], [1.5, "1_5"], [Infinity, "inf"], [-Infinity, "ninf"], [-1, "neg1"]] as const) {
  add(`vector_norm_ord_${nm}`, () => L.vectorNorm(X34(), o, 1));
  addGrad(`vector_norm_grad_${nm}`, [() => X34().double().requiresGrad_()], (x) => L.vectorNorm(x!, o, 1));
}
add("vector_norm_dims_keepdim", () => L.vectorNorm(X34(), 2, [0, 1], true));
add("vector_norm_dim0_keepdim", () => L.vectorNorm(X34(), 2, 0, true));
add("vector_norm_grad_fn", () => L.vectorNorm(X34().requiresGrad_(), 2, -1));
add("vector_norm_dtype", () => L.vectorNorm(X34(), 2, null, false, { dtype: torch.float64 }));
add("vector_norm_empty", () => L.vectorNorm(torch.ones(0, 3), 2, 0));
add("vector_norm_empty_inf", () => L.vectorNorm(torch.ones(0, 3), Infinity, 0));
add("vector_norm_int", () => L.vectorNorm(torch.ones(3, LONG)));
add("vector_norm_ord_str", () => L.vectorNorm(X34(), "fro" as unknown as number));
addGrad("vector_norm_grad", [() => X34().double().requiresGrad_()], (x) => L.vectorNorm(x!));
for (const [o, nm] of [["fro", "fro"], ["nuc", "nuc"], [Infinity, "inf"], [-Infinity, "ninf"], [1, "1"], [-1, "neg1"], [2, "2"], [-2, "neg2"]] as const) {
  add(`matrix_norm_${nm}`, () => L.matrixNorm(T43, o));
  add(`matrix_norm_${nm}_f32_grad_fn`, () => L.matrixNorm(T43f.clone().requiresGrad_(), o));
  add(`matrix_norm_${nm}_batched_keepdim`, () => L.matrixNorm(AB, o, [-2, -1], true));
  add(`matrix_norm_${nm}_dims`, () => L.matrixNorm(AB, o, [2, 0]));
  addGrad(`matrix_norm_grad_${nm}`, [rg(T43)], (x) => L.matrixNorm(x!, o));
}
add("matrix_norm_ord", () => L.matrixNorm(T43, 3));
add("matrix_norm_1d", () => L.matrixNorm(torch.ones(3)));
add("matrix_norm_int", () => L.matrixNorm(torch.ones(3, 3, LONG)));
add("matrix_norm_dim1", () => L.matrixNorm(T43, "fro", [1]));
add("norm", () => L.norm(AB));
add("norm_vec_ord", () => L.norm(V3, 3));
add("norm_mat_ord", () => L.norm(T43, Infinity));
add("norm_mat_nuc", () => L.norm(T43, "nuc"));
add("norm_dim1", () => L.norm(AB, 1, 2));
add("norm_dim2", () => L.norm(AB, 2, [1, 2], true));
add("norm_dim2_default", () => L.norm(AB, null, [0, 2]));
add("norm_grad_fn", () => L.norm(T43.clone().requiresGrad_()));
add("norm_3d_ord", () => L.norm(torch.ones(2, 2, 2), 2));
add("norm_dim3", () => L.norm(T43, null, [0, 1, 1]));
add("norm_fro_1d", () => L.norm(torch.ones(3), "fro"));
add("norm_nuc_dim1", () => L.norm(T43, "nuc", 1));

// ---------------------------------------------------------------- cross
add("cross", () => L.cross(T43, T43.flip(0)));
add("cross_dim", () => L.cross(T43.mT, T43.mT.flip(1), { dim: 0 }));
add("cross_bad", () => L.cross(torch.ones(2), torch.ones(2)));
addGrad("cross_grad", [rg(T43), () => T43.flip(0).clone().requiresGrad_()], (a, b) => L.cross(a!, b!));

// ---------------------------------------------------------------- comparison
/**
 * Tolerances: float64 results must agree to rounding of well-conditioned problems (the kernels are
 * not LAPACK's, so not bit for bit); float32 ones within float32 rounding amplified by the small
 * condition numbers of these inputs (PyTorch computes float32 in float32, typetorch in float64).
 */
function tolFor(dtype: string): { rtol: number; atol: number } {
  return dtype === "float32" ? { rtol: 2e-5, atol: 2e-5 } : { rtol: 1e-9, atol: 1e-10 };
}
/** Cases returning raw singular or eigen vectors (for their grad_fn): compared in absolute value, being unique only up to sign. */
const SIGN_FREE = new Set(["svd_grad_fn", "eigh_grad_fn"]);
function checkTensor(name: string, t: Tensor, e: Enc): void {
  assert.ok(t instanceof torch.Tensor, `${name}: expected a tensor`);
  assert.deepEqual(t.shape, e.shape, `${name}: shape`);
  assert.equal(t.dtype.name, e.dtype, `${name}: dtype`);
  assert.equal(t.gradFn ? t.gradFn.name() : null, e.grad_fn, `${name}: grad_fn`);
  assert.equal(t.requiresGrad, e.requires_grad, `${name}: requires_grad`);
  const signFree = SIGN_FREE.has(name.replace(/\[\d+\]$/, ""));
  const got = (t.detach().reshape([-1]).tolist() as (number | boolean)[]).map(Number).map((v) => (signFree ? Math.abs(v) : v));
  const { rtol, atol } = tolFor(e.dtype);
  e.values.forEach((wv, i) => {
    const w = signFree ? Math.abs(num(wv)) : num(wv), g = got[i]!;
    const ok = Number.isNaN(w) ? Number.isNaN(g) : !Number.isFinite(w) ? g === w : Math.abs(g - w) <= atol + rtol * Math.abs(w);
    assert.ok(ok, `${name}: value ${i}: ${g} vs ${w}`);
  });
}

test("linalg: every fixture case has a TypeScript case", () => {
  assert.deepEqual(Object.keys(cases).sort(), Object.keys(fixture.cases).sort());
});
for (const [name, exp] of Object.entries(fixture.cases)) {
  test(`linalg: ${name}`, () => {
    const fn = cases[name];
    assert.ok(fn, `no TypeScript case ${name}`);
    torch.manualSeed(0);
    if (exp.error) {
      assert.throws(fn, (err: unknown) => {
        assert.ok(err instanceof Error, "threw a non-Error");
        assert.equal(err.name, exp.error!.type, `error type (message: ${err.message})`);
        assert.equal(err.message, exp.error!.message);
        return true;
      });
      return;
    }
    const r = fn();
    const outs = r instanceof torch.Tensor ? [r] : (r as (Tensor | null)[]);
    assert.equal(outs.length, exp.out!.length, "number of outputs");
    exp.out!.forEach((e, i) => {
      if (e === null) assert.equal(outs[i], null, `[${i}] is None in PyTorch`);
      else checkTensor(`${name}[${i}]`, outs[i]!, e);
    });
  });
}

// ---------------------------------------------------------------- gradcheck (float64)
const G = (t: Tensor) => t.double().clone().requiresGrad_();
const sym = (a: Tensor) => a.add(a.mT);
const gradchecks: Record<string, [(...xs: Tensor[]) => Tensor, Tensor[]]> = {
  inv: [(a) => L.inv(a!), [G(AB)]],
  inv_ex: [(a) => L.invEx(a!)[0], [G(A3)]],
  solve: [(a, b) => L.solve(a!, b!), [G(AB), G(B32)]],
  solve_vector: [(a, b) => L.solve(a!, b!), [G(A3), G(V3)]],
  solve_right: [(a, b) => L.solve(a!, b!, { left: false }), [G(A3), G(B32.mT)]],
  det: [(a) => L.det(a!), [G(AB)]],
  slogdet: [(a) => L.slogdet(a!).logabsdet, [G(AB)]],
  cholesky: [(a) => L.cholesky(a!.matmul(a!.mT).add(eye(3, D64))), [G(A3)]],
  cholesky_upper: [(a) => L.cholesky(a!.matmul(a!.mT).add(eye(3, D64)), { upper: true }), [G(AB)]],
  solve_triangular: [(a, b) => L.solveTriangular(a!.triu(), b!, { upper: true }), [G(S3), G(B32)]],
  solve_triangular_right_unit: [(a, b) => L.solveTriangular(a!.tril(), b!, { upper: false, left: false, unitriangular: true }), [G(S3), G(B32.mT)]],
  qr_Q: [(a) => L.qr(a!).Q, [G(T43)]],
  qr_R: [(a) => L.qr(a!).R, [G(T43)]],
  qr_wide: [(a) => L.qr(a!).Q.matmul(L.qr(a!).R.pow(2)), [G(W35)]],
  qr_complete_wide: [(a) => L.qr(a!, "complete").R, [G(W35)]],
  svd_U: [(a) => L.svd(a!, false).U, [G(T43)]],
  svd_S: [(a) => L.svd(a!).S, [G(AB)]],
  svd_Vh: [(a) => L.svd(a!, false).Vh, [G(W35)]],
  svd_full: [(a) => svdInv(a!, true), [G(W35)]],
  svdvals: [(a) => L.svdvals(a!), [G(T43)]],
  eigh_V: [(a) => L.eigh(sym(a!)).eigenvectors, [G(A3)]],
  eigh_L: [(a) => L.eigh(sym(a!), "U").eigenvalues, [G(AB)]],
  eigvalsh: [(a) => L.eigvalsh(sym(a!)), [G(A3)]],
  pinv: [(a) => L.pinv(a!), [G(T43)]],
  pinv_wide: [(a) => L.pinv(a!), [G(W35)]],
  pinv_hermitian: [(a) => L.pinv(sym(a!), { hermitian: true }), [G(A3)]],
  lstsq: [(a, b) => L.lstsq(a!, b!).solution, [G(T43), G(torch.arange(8, D64).reshape(4, 2))]],
  lstsq_vector: [(a, b) => L.lstsq(a!, b!).solution, [G(T43), G(torch.arange(4, D64))]],
  vector_norm: [(x) => L.vectorNorm(x!, 2, 1), [G(T43)]],
  vector_norm_3: [(x) => L.vectorNorm(x!, 3, [0, 1], true), [G(T43)]],
  matrix_norm_nuc: [(x) => L.matrixNorm(x!, "nuc"), [G(AB)]],
  matrix_norm_2: [(x) => L.matrixNorm(x!, 2, [0, 2]), [G(AB)]],
  matrix_norm_1: [(x) => L.matrixNorm(x!, 1), [G(T43)]],
  norm_fro: [(x) => L.norm(x!), [G(T43)]],
  cross: [(a, b) => L.cross(a!, b!), [G(T43), G(T43.flip(0))]],
};
for (const [name, [f, xs]] of Object.entries(gradchecks)) test(`gradcheck: linalg.${name}`, () => assert.equal(torch.autograd.gradcheck(f, xs), true));

// double backward: the first-order gradient (with a free incoming gradient v) checked by gradcheck
const gradgrad: Record<string, [(a: Tensor) => Tensor, Tensor]> = {
  inv: [(a) => L.inv(a), G(A3)],
  det: [(a) => L.det(a), G(A3)],
  solve: [(a) => L.solve(a, B32), G(A3)],
  cholesky: [(a) => L.cholesky(a.matmul(a.mT).add(eye(3, D64))), G(A3)],
  qr: [(a) => L.qr(a).Q, G(T43)],
  eigh: [(a) => L.eigvalsh(sym(a)), G(A3)],
  svdvals: [(a) => L.svdvals(a), G(T43)],
};
for (const [name, [f, x0]] of Object.entries(gradgrad))
  test(`gradgradcheck: linalg.${name}`, () => {
    const v = G(weights(f(x0.detach())).div(7));
    const first = (x: Tensor, w: Tensor) => torch.enableGrad(() => torch.autograd.grad(f(x), [x], { gradOutputs: [w], createGraph: true })[0]!);
    assert.equal(torch.autograd.gradcheck(first, [x0, v]), true);
  });

test("linalg: svd and eigh conventions (descending S, ascending eigenvalues, orthonormal vectors, largest entry positive)", () => {
  const { U, S: Sv, Vh } = L.svd(T43, false);
  assert.deepEqual(Sv.tolist(), [...(Sv.tolist() as number[])].sort((a, b) => b - a));
  assert.ok(U.mT.matmul(U).allclose(eye(3, D64), 1e-12, 1e-12));
  assert.ok(Vh.matmul(Vh.mT).allclose(eye(3, D64), 1e-12, 1e-12));
  for (const col of U.mT) {
    const v = col.tolist() as number[];
    const big = v.reduce((b, x) => (Math.abs(x) > Math.abs(b) ? x : b), 0);
    assert.ok(big > 0);
  }
  const [w, V] = L.eigh(S3);
  const ws = w.tolist() as number[];
  assert.deepEqual(ws, [...ws].sort((a, b) => a - b));
  assert.ok(V.mT.matmul(V).allclose(eye(3, D64), 1e-12, 1e-12));
  assert.ok(V.matmul(w.diagEmbed()).matmul(V.mT).allclose(S3, 1e-12, 1e-12));
  // a repeated eigenvalue and a zero singular value still give orthonormal bases
  const [, V2] = L.eigh(eye(3, D64).mul(2));
  assert.ok(V2.mT.matmul(V2).allclose(eye(3, D64), 1e-12, 1e-12));
  const full = L.svd(R2, true);
  assert.ok(full.U.mT.matmul(full.U).allclose(eye(4, D64), 1e-12, 1e-12));
  assert.ok(full.Vh.matmul(full.Vh.mT).allclose(eye(4, D64), 1e-12, 1e-12));
});

test("linalg: LinAlgError is a RuntimeError", () => {
  assert.throws(() => L.inv(SING()), (e: unknown) => e instanceof L.LinAlgError && e instanceof torch.RuntimeError);
});

// ---------------------------------------------------------------- torch.cuda, torch.backends
test("torch.cuda answers as a CPU-only PyTorch build", () => {
  assert.equal(torch.cuda.isAvailable(), false);
  assert.equal(torch.cuda.deviceCount(), 0);
  assert.equal(torch.cuda.isInitialized(), false);
  torch.cuda.manualSeed(0);
  torch.cuda.manualSeedAll(0);
  const device = torch.device(torch.cuda.isAvailable() ? "cuda" : "cpu");
  assert.equal(String(device), "cpu");
  assert.ok(torch.ones(2).to(device).device.equals("cpu"));
  assert.throws(() => torch.cuda.currentDevice(), { name: "AssertionError", message: "Torch not compiled with CUDA enabled" });
  assert.throws(() => torch.cuda.synchronize(), { name: "AssertionError", message: "Torch not compiled with CUDA enabled" });
  assert.throws(() => torch.ones(2).to(torch.device("cuda")), { name: "AssertionError", message: "Torch not compiled with CUDA enabled" });
  assert.equal(torch.backends.mps.isAvailable(), false);
  assert.equal(torch.backends.mps.isBuilt(), false);
  assert.equal(torch.backends.cudnn.isAvailable(), false);
  assert.equal(torch.backends.cudnn.deterministic, false);
});
