// torch.linalg's solvers and decompositions: inv, solve, det, slogdet, cholesky, qr, svd, eigh,
// solve_triangular, lstsq, pinv, matrix_rank. Forwards run the float64 kernels of kernels.ts matrix
// by matrix over the batch dims; backwards are PyTorch 1.13's formulas (FunctionsManual.cpp),
// written with tensor ops (these functions included) so that double backward works.
import { record, recordN } from "../autograd/function.js";
import { isGradEnabled, noGrad } from "../autograd/grad_mode.js";
import { where as torch_where } from "../ops/elementwise.js";
import { Tensor } from "../tensor/tensor.js";
import { float64, int32, int64, type DType } from "../tensor/dtype.js";
import { RuntimeError, TorchTypeError } from "../errors.js";
import * as K from "./kernels.js";
import {
  LinAlgError, batchPrefix, broadcastBatch, checkFloating, checkIsMatrix, checkSquare, concat, defined, eyeLike, make, matAt, readBatch,
} from "./common.js";

/** A tuple with PyTorch's field names (torch.return_types), as red.ValuesIndices. */
function named<const N extends readonly string[]>(names: N, values: Tensor[]): Tensor[] & { [K in N[number]]: Tensor } {
  const r = values.slice() as Tensor[] & Record<string, Tensor>;
  names.forEach((n, i) => Object.defineProperty(r, n, { value: values[i], enumerable: false }));
  return r as Tensor[] & { [K in N[number]]: Tensor };
}

/** machine epsilon of a float dtype (torch.finfo(dtype).eps) */
export function epsOf(dtype: DType): number {
  return dtype === float64 ? 2 ** -52 : 2 ** -23;
}

// ------------------------------------------------------------------------------------------ inv

export type InvEx = [Tensor, Tensor] & { inverse: Tensor; info: Tensor };

/**
 * torch.linalg.inv_ex(A, *, check_errors=False): (inverse, info), info the 1-based index of the first
 * zero pivot of A's LU factorization (0 when A is invertible), per matrix, int32.
 */
export function invEx(A: Tensor, opts: { checkErrors?: boolean } = {}): InvEx {
  return invImpl(A, opts.checkErrors ?? false, "linalg.inv_ex") as InvEx;
}

/**
 * torch.linalg.inv(A): the inverse of each square matrix of A (LU with partial pivoting). A singular
 * matrix raises torch.linalg.LinAlgError with PyTorch's words. LinalgInvExBackward0.
 * @example
 * torch.linalg.inv(torch.tensor([[2, 0], [0, 4]])); // tensor([[0.5000, 0.0000], [0.0000, 0.2500]])
 */
export function inv(A: Tensor): Tensor {
  return invImpl(A, true, "linalg.inv")[0]!;
}

function invImpl(A: Tensor, checkErrors: boolean, errFn: string): Tensor[] {
  const fn = "linalg.inv";
  checkSquare(A, fn);
  checkFloating(A, fn);
  const b = readBatch(A), n = b.n;
  const parts: Float64Array[] = [];
  const infos = new Int32Array(b.count);
  for (let i = 0; i < b.count; i++) {
    const f = K.luFactor(matAt(b, i), n);
    infos[i] = f.info;
    if (f.info > 0 && checkErrors)
      throw new LinAlgError(`${errFn}: ${batchPrefix(A, i)}The diagonal element ${f.info} is zero, the inversion could not be completed because the input matrix is singular.`);
    parts.push(K.luSolve(f, n, K.identity(n), n));
  }
  const y = make(A.shape, A.dtype, concat(parts, n * n));
  record("LinalgInvExBackward0", [A], y, (g, s) => {
    const t = s(0).mT;
    return [t.matmul(g.matmul(t)).neg()];
  }, [y]);
  return named(["inverse", "info"], [y, make(b.batch, int32, infos)]);
}

// ------------------------------------------------------------------------------------------ solve

/** PyTorch's linalg_solve_is_vector_rhs: B is a (batch of) vector(s) when 1-d or of A's shape minus its last dim. */
function isVectorRhs(A: Tensor, B: Tensor): boolean {
  if (B.dim() === 1) return true;
  return A.dim() - 1 === B.dim() && B.shape.every((s, i) => s === A.shape[i]);
}

/**
 * torch.linalg.solve(A, B, *, left=True): X with AX = B (XA = B when left is false); B may be a
 * vector or a batch of vectors. A singular A raises LinAlgError. LinalgSolveExBackward0.
 */
export function solve(A: Tensor, B: Tensor, opts: { left?: boolean } = {}): Tensor {
  const left = opts.left ?? true;
  const fn = "linalg.solve";
  if (A.dtype !== B.dtype)
    throw new RuntimeError(`${fn}: Expected A and B to have the same dtype, but found A of type ${A.dtype.scalarName} and B of type ${B.dtype.scalarName} instead`);
  const vector = isVectorRhs(A, B);
  const B2 = vector ? noGrad(() => B.unsqueeze(left ? -1 : -2)) : B;
  checkSquare(A, fn, "A");
  checkFloating(A, fn);
  checkIsMatrix(B2, fn, "B");
  const [r2, c2] = [B2.shape[B2.dim() - 2]!, B2.shape[B2.dim() - 1]!];
  if (left ? A.shape[A.dim() - 2] !== r2 : A.shape[A.dim() - 1] !== c2)
    throw new RuntimeError(`${fn}: Incompatible shapes of A and B for the equation ${left ? "AX = B" : "XA = B"} (${A.shape[A.dim() - 2]}x${A.shape[A.dim() - 1]} and ${r2}x${c2})`);
  const [Ae, Be, batch] = broadcastBatch(A, B2);
  const a = readBatch(Ae), bb = readBatch(Be), n = a.n;
  const parts: Float64Array[] = [];
  for (let i = 0; i < a.count; i++) {
    const Ai = left ? matAt(a, i) : K.transpose(matAt(a, i), n, n);
    const f = K.luFactor(Ai, n);
    if (f.info > 0) throw new LinAlgError(`torch.linalg.solve: ${batchPrefix(Ae, i)}The solver failed because the input matrix is singular.`);
    if (left) parts.push(K.luSolve(f, n, matAt(bb, i), c2));
    else parts.push(K.transpose(K.luSolve(f, n, K.transpose(matAt(bb, i), r2, c2), r2), c2, r2));
  }
  let y = make([...batch, r2, c2], A.dtype, concat(parts, r2 * c2));
  if (vector) y = noGrad(() => y.squeeze(left ? -1 : -2));
  return record("LinalgSolveExBackward0", [A, B], y, (g, s, needs) => {
    const As = s(0), X = s(1);
    const gB = solve(As.mT, g, { left });
    let gA: Tensor | null = null;
    if (needs(0)) {
      if (vector) gA = left ? gB.unsqueeze(-1).mul(X.unsqueeze(-2)).neg() : X.unsqueeze(-1).mul(gB.unsqueeze(-2)).neg();
      else gA = left ? gB.matmul(X.mT).neg() : X.mT.matmul(gB).neg();
    }
    return [gA, needs(1) ? gB : null];
  }, [A, y]);
}

// ------------------------------------------------------------------------------------------ det, slogdet

/**
 * torch.linalg.det(A): the determinant of each square matrix (from its LU factors). LinalgDetBackward0:
 * the gradient is the cofactor matrix, det(A) A^{-T}; for a singular matrix it is computed from the
 * SVD instead (there the gradient is not differentiable again).
 */
export function det(A: Tensor): Tensor {
  const fn = "linalg.det";
  checkSquare(A, fn);
  checkFloating(A, fn);
  const b = readBatch(A), n = b.n;
  const d = new Float64Array(b.count);
  for (let i = 0; i < b.count; i++) d[i] = K.luDet(K.luFactor(matAt(b, i), n), n);
  const y = make(b.batch, A.dtype, d);
  return record("LinalgDetBackward0", [A], y, (g, s) => [detBackward(g, s(0), s(1))], [A, y]);
}

function detBackward(g: Tensor, A: Tensor, d: Tensor): Tensor {
  const n = A.shape[A.dim() - 1]!;
  const dv = d._values();
  let nSingular = 0;
  for (let i = 0; i < dv.length; i++) if (dv[i] === 0) nSingular++;
  // det(A) g I, solved against A^T: det(A) g A^{-T}, the cofactor matrix times g
  const dI = g.mul(d).unsqueeze(-1).unsqueeze(-1).mul(eyeLike(n, A.dtype));
  const mask = d.eq(0);
  const safe = () => torch_where(mask.unsqueeze(-1).unsqueeze(-1), eyeLike(n, A.dtype), A);
  if (!isGradEnabled()) {
    // NOTE: PyTorch 1.13 takes a first-order gradient as an LU solve of det(A) g I, and BLAS's trsm
    // leaves a zero right-hand side zero: a singular matrix gets a zero gradient (only under
    // create_graph does it take the SVD formula below). The same numbers here: singular matrices
    // are swapped for the identity, whose solve then meets det(A) g = 0.
    return solve((nSingular ? safe() : A).mT, dI);
  }
  if (nSingular === 0) return solve(A.mT, dI);
  if (nSingular === dv.length) return detSingularBackward(g, A);
  // (PyTorch: the solve for all, then the singular ones overwritten by index_put_)
  const ret = solve(safe().mT, dI);
  ret.indexPut_([mask], detSingularBackward(g.index(mask), A.index(mask)));
  return ret;
}

/**
 * PyTorch's gradient of det at a singular matrix, from the SVD A = U S Vh: the cofactor matrix is
 * det(U) det(Vh) U diag(prod_{j != i} s_j) Vh (the products taken without dividing by a zero s_i).
 */
function detSingularBackward(g: Tensor, A: Tensor): Tensor {
  const { U, S: Sv, Vh } = svd(A);
  const alpha = det(U).mul(det(Vh));
  const D = prodSafeZerosBackward(g.mul(alpha), Sv);
  return U.mul(D.unsqueeze(-2)).matmul(Vh);
}

/** The gradient of prod(x) over the last dim, g * prod_{j != i} x_j, as exclusive cumulative products from both ends. */
function prodSafeZerosBackward(g: Tensor, x: Tensor): Tensor {
  const k = x.shape[x.dim() - 1]!;
  if (x.numel() === 0) return g.unsqueeze(-1).expand(x.shape);
  const ones = x.newOnes([...x.shape.slice(0, -1), 1]);
  const left = ones.cat(x.narrow(-1, 0, k - 1), -1).cumprod(-1);
  const right = ones.cat(x.narrow(-1, 1, k - 1).flip(-1), -1).cumprod(-1).flip(-1);
  return g.unsqueeze(-1).mul(left).mul(right);
}

export type Slogdet = [Tensor, Tensor] & { sign: Tensor; logabsdet: Tensor };

/**
 * torch.linalg.slogdet(A): (sign, logabsdet) of each square matrix's determinant (sign 0 and
 * logabsdet -inf for a singular one). LinalgSlogdetBackward0 (the gradient flows through logabsdet).
 */
export function slogdet(A: Tensor): Slogdet {
  const fn = "linalg.slogdet";
  checkSquare(A, fn);
  checkFloating(A, fn);
  const b = readBatch(A), n = b.n;
  const sg = new Float64Array(b.count), la = new Float64Array(b.count);
  for (let i = 0; i < b.count; i++) [sg[i], la[i]] = K.luSlogdet(K.luFactor(matAt(b, i), n), n);
  const sign = make(b.batch, A.dtype, sg), logabsdet = make(b.batch, A.dtype, la);
  recordN("LinalgSlogdetBackward0", [A], [sign, logabsdet], (grads, s) => {
    const g = grads[1];
    if (!defined(g)) return [null];
    return [g.unsqueeze(-1).unsqueeze(-1).mul(solve(s(0).mT, eyeLike(n, A.dtype)))];
  }, [A]);
  return named(["sign", "logabsdet"], [sign, logabsdet]) as Slogdet;
}

// ------------------------------------------------------------------------------------------ cholesky

function notPositiveDefinite(fn: string, A: Tensor, i: number, info: number): LinAlgError {
  return new LinAlgError(`${fn}: ${batchPrefix(A, i)}The factorization could not be completed because the input is not positive-definite (the leading minor of order ${info} is not positive-definite).`);
}

function choleskyImpl(A: Tensor, upper: boolean, checkErrors: boolean, errFn: string): Tensor[] {
  const fn = "linalg.cholesky";
  checkSquare(A, fn);
  checkFloating(A, fn);
  const b = readBatch(A), n = b.n;
  const parts: Float64Array[] = [];
  const infos = new Int32Array(b.count);
  for (let i = 0; i < b.count; i++) {
    const { l, info } = K.cholesky(matAt(b, i), n);
    infos[i] = info;
    if (info > 0 && checkErrors) throw notPositiveDefinite(errFn, A, i, info);
    parts.push(upper ? K.transpose(l, n, n) : l);
  }
  const y = make(A.shape, A.dtype, concat(parts, n * n));
  record("LinalgCholeskyExBackward0", [A], y, (g, s) => [choleskyBackward(g, s(0), upper)], [y]);
  return named(["L", "info"], [y, make(b.batch, int32, infos)]);
}

/**
 * torch.linalg.cholesky(A, *, upper=False): the lower factor L of each symmetric positive-definite
 * matrix (A = L L^T; upper: L^T), reading A's lower triangle. LinalgCholeskyExBackward0.
 */
export function cholesky(A: Tensor, opts: { upper?: boolean } = {}): Tensor {
  return choleskyImpl(A, opts.upper ?? false, true, "linalg.cholesky")[0]!;
}

export type CholeskyEx = [Tensor, Tensor] & { L: Tensor; info: Tensor };

/**
 * torch.linalg.cholesky_ex(A, *, upper=False, check_errors=False): (L, info), info the order of the
 * first leading minor that is not positive-definite (0: success), int32 per matrix.
 * NOTE: where the factorization fails, L holds the columns computed before the failing one and zeros
 * after (LAPACK leaves A's own entries there; they mean nothing either way).
 */
export function choleskyEx(A: Tensor, opts: { upper?: boolean; checkErrors?: boolean } = {}): CholeskyEx {
  return choleskyImpl(A, opts.upper ?? false, opts.checkErrors ?? false, "linalg.cholesky_ex") as CholeskyEx;
}

/**
 * PyTorch's cholesky_backward (after Iain Murray, arXiv 1602.07527):
 * gA = L^{-H} Phi(L^H gL) L^{-1} with Phi taking the lower triangle and halving the diagonal,
 * symmetrized.
 */
function choleskyBackward(gL: Tensor, L: Tensor, upper: boolean): Tensor {
  if (upper) {
    L = L.mT;
    gL = gL.mT;
  }
  let gA = L.mT.matmul(gL).tril();
  gA = gA.add(gA.tril(-1).mT).mul(0.5);
  gA = solveTriangular(L.mT, gA, { upper: true, left: true });
  return solveTriangular(L, gA, { upper: false, left: false });
}

// ------------------------------------------------------------------------------------------ solve_triangular

/**
 * torch.linalg.solve_triangular(A, B, *, upper, left=True, unitriangular=False): X with AX = B (XA = B
 * when left is false) for triangular A (only its `upper` or lower triangle is read; unitriangular
 * takes the diagonal as ones). LinalgSolveTriangularBackward0.
 */
export function solveTriangular(A: Tensor, B: Tensor, opts: { upper: boolean; left?: boolean; unitriangular?: boolean }): Tensor {
  if (opts === undefined || typeof opts.upper !== "boolean")
    throw new TorchTypeError('linalg_solve_triangular() missing 1 required positional arguments: "upper"');
  const { upper } = opts;
  const left = opts.left ?? true, unit = opts.unitriangular ?? false;
  const fn = "linalg.solve_triangular";
  if (A.dtype !== B.dtype)
    throw new RuntimeError(`${fn}: Expected A and B to have the same dtype, but found A of type ${A.dtype.scalarName} and B of type ${B.dtype.scalarName} instead`);
  checkSquare(A, fn, "A");
  checkFloating(A, fn);
  checkIsMatrix(B, fn, "B");
  const [r, c] = [B.shape[B.dim() - 2]!, B.shape[B.dim() - 1]!];
  if (left ? A.shape[A.dim() - 2] !== r : A.shape[A.dim() - 1] !== c)
    throw new RuntimeError(`${fn}: Incompatible shapes of A and B for the equation ${left ? "AX = B" : "XA = B"} (${A.shape[A.dim() - 2]}x${A.shape[A.dim() - 1]} and ${r}x${c})`);
  const [Ae, Be, batch] = broadcastBatch(A, B);
  const a = readBatch(Ae), bb = readBatch(Be), n = a.n;
  const parts: Float64Array[] = [];
  for (let i = 0; i < a.count; i++) parts.push(K.solveTriangular(matAt(a, i), n, matAt(bb, i), r, c, upper, left, unit));
  const y = make([...batch, r, c], A.dtype, concat(parts, r * c));
  return record("LinalgSolveTriangularBackward0", [A, B], y, (g, s, needs) => {
    const As = s(0), X = s(1);
    const gB = solveTriangular(As.mT, g, { upper: !upper, left, unitriangular: unit });
    let gA: Tensor | null = null;
    if (needs(0)) {
      gA = left ? gB.matmul(X.mT).neg() : X.mT.matmul(gB).neg();
      gA = upper ? gA.triu(unit ? 1 : 0) : gA.tril(unit ? -1 : 0);
    }
    return [gA, needs(1) ? gB : null];
  }, [A, y]);
}

// ------------------------------------------------------------------------------------------ qr

export type QR = [Tensor, Tensor] & { Q: Tensor; R: Tensor };

/**
 * torch.linalg.qr(A, mode='reduced'): A = QR with Q orthonormal columns and R upper triangular, by
 * Householder reflections as LAPACK's geqrf/orgqr (so R's diagonal signs are LAPACK's). mode
 * "complete" makes Q square; "r" returns an empty Q. LinalgQrBackward0.
 */
export function qr(A: Tensor, mode: "reduced" | "complete" | "r" = "reduced"): QR {
  if (mode !== "reduced" && mode !== "complete" && mode !== "r")
    throw new RuntimeError(`qr received unrecognized mode '${String(mode)}' but expected one of 'reduced' (default), 'r', or 'complete'`);
  const fn = "linalg.qr";
  checkIsMatrix(A, fn);
  checkFloating(A, fn);
  const b = readBatch(A), { m, n } = b;
  const k = Math.min(m, n);
  const qCols = mode === "complete" ? m : k;
  const qs: Float64Array[] = [], rs: Float64Array[] = [];
  for (let i = 0; i < b.count; i++) {
    const { q, r } = K.householderQR(matAt(b, i), m, n, qCols);
    qs.push(q);
    rs.push(r);
  }
  const Q = mode === "r" ? make([0], A.dtype, []) : make([...b.batch, m, qCols], A.dtype, concat(qs, m * qCols));
  const R = make([...b.batch, qCols, n], A.dtype, concat(rs, qCols * n));
  recordN("LinalgQrBackward0", [A], [Q, R], (grads, s) => {
    if (mode === "r")
      throw new RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.");
    if (mode === "complete" && m > n) throw new RuntimeError("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.");
    return [qrBackward(grads[0] ?? null, grads[1] ?? null, s(0), s(1), m, n)];
  }, [Q, R]);
  return named(["Q", "R"], [Q, R]) as QR;
}

/**
 * The gradient of A = QR (m >= n, reduced): with M = R gR^T - gQ^T Q and copyltu(M) = tril(M) +
 * tril(M, -1)^T, gA = (gQ + Q copyltu(M)) R^{-T}. For m < n, A = Q [U | V]: the square part U takes the
 * same formula with gQ + Y gV^T (Y = A's last n - m columns) and Y's gradient is Q gV.
 */
function qrBackward(gQ: Tensor | null, gR: Tensor | null, Q: Tensor, R: Tensor, m: number, n: number): Tensor {
  const zQ = gQ ?? Q.mul(0), zR = gR ?? R.mul(0);
  const square = (gq: Tensor, Rs: Tensor, gr: Tensor): Tensor => {
    const M = Rs.matmul(gr.mT).sub(gq.mT.matmul(Q));
    const copyltu = M.tril().add(M.tril(-1).mT);
    const b = gq.add(Q.matmul(copyltu));
    return solveTriangular(Rs.mT, b, { upper: false, left: false });
  };
  if (m >= n) return square(zQ, R, zR);
  const U = R.narrow(-1, 0, m), gU = zR.narrow(-1, 0, m);
  const gV = zR.narrow(-1, m, n - m);
  const Y = Q.matmul(R.narrow(-1, m, n - m));
  const gX = square(zQ.add(Y.matmul(gV.mT)), U, gU);
  return gX.cat(Q.matmul(gV), -1);
}

// ------------------------------------------------------------------------------------------ svd

export type SVD = [Tensor, Tensor, Tensor] & { U: Tensor; S: Tensor; Vh: Tensor };

function svdRaw(A: Tensor, full: boolean): { U: Tensor; S: Tensor; Vh: Tensor } {
  const b = readBatch(A), { m, n } = b;
  const k = Math.min(m, n);
  const ucols = full ? m : k, vrows = full ? n : k;
  const us: Float64Array[] = [], ss: Float64Array[] = [], vhs: Float64Array[] = [];
  for (let i = 0; i < b.count; i++) {
    const r = K.svd(matAt(b, i), m, n, full);
    us.push(r.u);
    ss.push(r.s);
    // Vh: the first vrows columns of V, transposed
    const vh = new Float64Array(vrows * n);
    for (let p = 0; p < vrows; p++) for (let q = 0; q < n; q++) vh[p * n + q] = r.v[q * r.vcols + p]!;
    vhs.push(vh);
  }
  return {
    U: make([...b.batch, m, ucols], A.dtype, concat(us, m * ucols)),
    S: make([...b.batch, k], A.dtype, concat(ss, k)),
    Vh: make([...b.batch, vrows, n], A.dtype, concat(vhs, vrows * n)),
  };
}

/**
 * torch.linalg.svd(A, full_matrices=True): A = U diag(S) Vh, S descending, by one-sided Jacobi in
 * float64. LinalgSvdBackward0 (the gradient through U or Vh needs distinct singular values, as PyTorch's).
 * NOTE: singular vectors are unique only up to sign (see kernels.ts: each pair is signed so that U's
 * column has its largest entry positive), so U and Vh may differ from PyTorch's by the sign of a
 * column/row pair; U diag(S) Vh, |U|, and projections U U^T agree.
 */
export function svd(A: Tensor, fullMatrices = true): SVD {
  const fn = "linalg.svd";
  checkIsMatrix(A, fn);
  checkFloating(A, fn);
  const { U, S, Vh } = svdRaw(A, fullMatrices);
  recordN("LinalgSvdBackward0", [A], [U, S, Vh], (grads, s) => [svdBackward(grads[0] ?? null, grads[1] ?? null, grads[2] ?? null, s(0), s(1), s(2), fullMatrices)], [U, S, Vh]);
  return named(["U", "S", "Vh"], [U, S, Vh]) as SVD;
}

/** torch.linalg.svdvals(A): the singular values, descending. LinalgSvdBackward0. */
export function svdvals(A: Tensor): Tensor {
  const fn = "linalg.svd";
  checkIsMatrix(A, fn);
  checkFloating(A, fn);
  const { U, S, Vh } = svdRaw(A, false);
  // (U and Vh are outputs of the node, unseen, as in PyTorch: so a double backward differentiates through them)
  recordN("LinalgSvdBackward0", [A], [U, S, Vh], (grads, s) => [svdBackward(grads[0] ?? null, grads[1] ?? null, grads[2] ?? null, s(0), s(1), s(2), false)], [U, S, Vh]);
  return S;
}

/**
 * PyTorch's svd_backward (real case): with E_jk = S_k^2 - S_j^2 (1 on the diagonal) and skew(X) =
 * X - X^T, gA = U [(skew(U^T gU) S + S skew(V^T gV)) / E + diag(gS)] V^T, plus, for a tall A, the part
 * of gU outside U's span, (I - U U^T) gU S^{-1} V^T (for a wide A, the same for gV).
 */
function svdBackward(gU: Tensor | null, gS: Tensor | null, gVh: Tensor | null, U: Tensor, S: Tensor, Vh: Tensor, full: boolean): Tensor {
  const m = U.shape[U.dim() - 2]!, n = Vh.shape[Vh.dim() - 1]!, k = S.shape[S.dim() - 1]!;
  if (full) {
    U = U.narrow(-1, 0, k);
    Vh = Vh.narrow(-2, 0, k);
    if (gU) gU = gU.narrow(-1, 0, k);
    if (gVh) gVh = gVh.narrow(-2, 0, k);
  }
  if (!gU && !gVh) return U.mul((gS ?? S.mul(0)).unsqueeze(-2)).matmul(Vh);
  const V = Vh.mT, gV = gVh ? gVh.mT : null;
  const skew = (X: Tensor) => X.sub(X.mT);
  const S2 = S.mul(S);
  const E = S2.unsqueeze(-2).sub(S2.unsqueeze(-1)).add(eyeLike(k, S.dtype));
  let inner: Tensor | null = null;
  if (gU) inner = skew(U.mT.matmul(gU)).mul(S.unsqueeze(-2));
  if (gV) {
    const t = S.unsqueeze(-1).mul(skew(V.mT.matmul(gV)));
    inner = inner ? inner.add(t) : t;
  }
  let gA = inner!.div(E);
  if (gS) gA = gA.add(gS.diagEmbed());
  if (m > k && gU) {
    gA = U.matmul(gA);
    const gUSinv = gU.div(S.unsqueeze(-2));
    gA = gA.add(gUSinv).sub(U.matmul(U.mT.matmul(gUSinv)));
    return gA.matmul(Vh);
  }
  if (n > k && gV) {
    gA = gA.matmul(Vh);
    const gVSinv = gV.div(S.unsqueeze(-2));
    gA = gA.add(gVSinv.mT).sub(gVSinv.mT.matmul(V).matmul(Vh));
    return U.matmul(gA);
  }
  return U.matmul(gA).matmul(Vh);
}

// ------------------------------------------------------------------------------------------ eigh

export type Eigh = [Tensor, Tensor] & { eigenvalues: Tensor; eigenvectors: Tensor };

function checkUplo(UPLO: string): boolean {
  if (UPLO !== "L" && UPLO !== "U") throw new RuntimeError(`Expected UPLO argument to be 'L' or 'U', but got ${UPLO}`);
  return UPLO === "U";
}

function eighRaw(A: Tensor, UPLO: string, fn: string): { L: Tensor; V: Tensor } {
  const upper = checkUplo(UPLO);
  checkSquare(A, fn);
  if (!A.dtype.isFloatingPoint) throw new RuntimeError(`"linalg_eigh_cpu" not implemented for '${A.dtype.scalarName}'`);
  const b = readBatch(A), n = b.n;
  const ws: Float64Array[] = [], vs: Float64Array[] = [];
  for (let i = 0; i < b.count; i++) {
    const { w, v } = K.symEig(matAt(b, i), n, upper);
    ws.push(w);
    vs.push(v);
  }
  return { L: make([...b.batch, n], A.dtype, concat(ws, n)), V: make(A.shape, A.dtype, concat(vs, n * n)) };
}

/**
 * torch.linalg.eigh(A, UPLO='L'): eigenvalues (ascending) and orthonormal eigenvectors (columns) of
 * each symmetric matrix, reading its lower (or upper) triangle; cyclic Jacobi in float64.
 * LinalgEighBackward0. NOTE: eigenvectors are unique only up to sign (kernels.ts signs each so that
 * its largest entry is positive; LAPACK may return the negative).
 */
export function eigh(A: Tensor, UPLO: "L" | "U" = "L"): Eigh {
  const { L, V } = eighRaw(A, UPLO, "linalg.eigh");
  recordN("LinalgEighBackward0", [A], [L, V], (grads, s) => [eighBackward(grads[0] ?? null, grads[1] ?? null, s(0), s(1))], [L, V]);
  return named(["eigenvalues", "eigenvectors"], [L, V]) as Eigh;
}

/** torch.linalg.eigvalsh(A, UPLO='L'): the eigenvalues of each symmetric matrix, ascending. LinalgEighBackward0. */
export function eigvalsh(A: Tensor, UPLO: "L" | "U" = "L"): Tensor {
  const { L, V } = eighRaw(A, UPLO, "linalg.eigh");
  // (V is an output of the node, unseen, as in PyTorch: so a double backward differentiates through it)
  recordN("LinalgEighBackward0", [A], [L, V], (grads, s) => [eighBackward(grads[0] ?? null, grads[1] ?? null, s(0), s(1))], [L, V]);
  return L;
}

/**
 * PyTorch's linalg_eig_backward for Hermitian input: with E_ij = L_j - L_i (1 on the diagonal),
 * gA = V (skew_half(V^T gV) / E + diag(gL)) V^T, skew_half(X) = (X - X^T) / 2.
 */
function eighBackward(gL: Tensor | null, gV: Tensor | null, L: Tensor, V: Tensor): Tensor {
  if (!gV) return V.mul(gL!.unsqueeze(-2)).matmul(V.mT);
  const n = L.shape[L.dim() - 1]!;
  let X = V.mT.matmul(gV);
  X = X.sub(X.mT).mul(0.5);
  const E = L.unsqueeze(-2).sub(L.unsqueeze(-1)).add(eyeLike(n, L.dtype));
  X = X.div(E);
  if (gL) X = X.add(gL.diagEmbed());
  return V.matmul(X.matmul(V.mT));
}

// ------------------------------------------------------------------------------------------ pinv, matrix_rank, lstsq

/** PyTorch's get_atol_rtol: atol 0 by default; rtol eps * max(m, n) unless atol > 0 was given. */
function tolerances(A: Tensor, atol?: number | null, rtol?: number | null): [number, number] {
  const m = A.shape[A.dim() - 2]!, n = A.shape[A.dim() - 1]!;
  const a = atol ?? 0;
  const dflt = epsOf(A.dtype) * Math.max(m, n);
  const r = rtol ?? (atol !== undefined && atol !== null ? (atol > 0 ? 0 : dflt) : dflt);
  return [a, r];
}

export interface PinvOptions {
  atol?: number | null;
  rtol?: number | null;
  hermitian?: boolean;
}

/**
 * torch.linalg.pinv(A, *, atol=None, rtol=None, hermitian=False) (or pinv(A, rcond, hermitian)): the
 * Moore-Penrose pseudoinverse from the SVD (eigh when hermitian), singular values at or below
 * max(atol, rtol * the largest) taken as zero. LinalgPinvBackward0.
 */
export function pinv(A: Tensor, rcond?: number | PinvOptions, hermitian?: boolean): Tensor {
  let opts: PinvOptions = {};
  if (typeof rcond === "number") opts = { atol: 0, rtol: rcond, hermitian: hermitian ?? false };
  else if (rcond) opts = rcond;
  if (!A.dtype.isFloatingPoint || A.dim() < 2)
    throw new RuntimeError(`linalg.pinv(${A.dtype.scalarName}{[${A.shape.join(", ")}]}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types`);
  const [atol, rtol] = tolerances(A, opts.atol, opts.rtol);
  const y = noGrad(() => pinvValue(A, atol, rtol, opts.hermitian ?? false));
  return record("LinalgPinvBackward0", [A], y, (g, s) => [pinvBackward(g, s(1), s(0))], [A, y]);
}

function pinvValue(A: Tensor, atol: number, rtol: number, hermitian: boolean): Tensor {
  const b = readBatch(A), { m, n } = b;
  const out: Float64Array[] = [];
  for (let i = 0; i < b.count; i++) {
    const p = new Float64Array(n * m);
    if (hermitian) {
      const { w, v } = K.symEig(matAt(b, i), n, false);
      let mx = 0;
      for (const x of w) mx = Math.max(mx, Math.abs(x));
      const tol = Math.max(atol, rtol * mx);
      for (let k = 0; k < n; k++) {
        if (!(Math.abs(w[k]!) > tol)) continue;
        const r = 1 / w[k]!;
        for (let a = 0; a < n; a++) for (let c = 0; c < n; c++) p[a * n + c]! += v[a * n + k]! * r * v[c * n + k]!;
      }
    } else {
      const { u, s, v, ucols, vcols } = K.svd(matAt(b, i), m, n, false);
      const tol = Math.max(atol, rtol * (s[0] ?? 0));
      for (let k = 0; k < s.length; k++) {
        if (!(s[k]! > tol)) continue;
        const r = 1 / s[k]!;
        for (let a = 0; a < n; a++) for (let c = 0; c < m; c++) p[a * m + c]! += v[a * vcols + k]! * r * u[c * ucols + k]!;
      }
    }
    out.push(p);
  }
  return make([...b.batch, n, m], A.dtype, concat(out, n * m));
}

/** PyTorch's pinv_backward (Golub and Pereyra's formula), in the arrangement with the smaller products. */
function pinvBackward(g: Tensor, P: Tensor, A: Tensor): Tensor {
  const m = A.shape[A.dim() - 2]!, n = A.shape[A.dim() - 1]!;
  const Ph = P.mT, gh = g.mT;
  if (m <= n) {
    const Km = gh.matmul(P);
    const KPh = Km.matmul(Ph);
    return P.matmul(Km).mT.neg().add(KPh).sub(A.matmul(P).matmul(KPh)).add(Ph.matmul(P).matmul(gh.sub(Km.matmul(A))));
  }
  const Km = P.matmul(gh);
  const PhK = Ph.matmul(Km);
  return Km.matmul(P).mT.neg().add(gh.sub(A.matmul(Km)).matmul(P).matmul(Ph)).add(PhK).sub(PhK.matmul(P).matmul(A));
}

/**
 * torch.linalg.matrix_rank(A, *, atol=None, rtol=None, hermitian=False) (or matrix_rank(A, tol,
 * hermitian)): the number of singular values above max(atol, rtol * the largest), int64.
 */
export function matrixRank(A: Tensor, tol?: number | PinvOptions, hermitian?: boolean): Tensor {
  let opts: PinvOptions = {};
  if (typeof tol === "number") opts = { atol: tol, rtol: 0, hermitian: hermitian ?? false };
  else if (tol) opts = tol;
  checkIsMatrix(A, "linalg.matrix_rank");
  if (!A.dtype.isFloatingPoint) throw new RuntimeError("This function doesn't handle types other than float and double");
  const [atol, rtol] = tolerances(A, opts.atol, opts.rtol);
  const b = readBatch(A), { m, n } = b;
  const ranks = new Float64Array(b.count);
  for (let i = 0; i < b.count; i++) {
    let s: Float64Array;
    if (opts.hermitian) s = K.symEig(matAt(b, i), n, false).w.map(Math.abs);
    else s = K.svd(matAt(b, i), m, n, false).s;
    // (the values are rounded to A's dtype first, as PyTorch compares them in that dtype)
    const sr = A.dtype === float64 ? s : Float32Array.from(s);
    let mx = 0;
    for (const x of sr) mx = Math.max(mx, x);
    const t = Math.max(atol, rtol * mx);
    for (const x of sr) if (x > t) ranks[i]!++;
  }
  return make(b.batch, int64, ranks);
}

export type Lstsq = [Tensor, Tensor, Tensor, Tensor] & { solution: Tensor; residuals: Tensor; rank: Tensor; singularValues: Tensor };

/**
 * torch.linalg.lstsq(A, B, rcond=None, *, driver=None): the least-squares solution of AX = B
 * (minimum-norm where A is rank-deficient), with PyTorch's extra outputs per driver: residuals
 * (squared, per column; only for m > n, full rank and a driver other than gelsy), rank (all but
 * gels) and singular values (gelsd, gelss). Computed from the SVD for every driver (the solutions
 * agree for well-conditioned A; gelsy's rank comes from its own pivoted QR in LAPACK).
 * LinalgLstsqBackward0 on the solution.
 */
export function lstsq(A: Tensor, B: Tensor, rcond?: number | null, opts: { driver?: "gels" | "gelsy" | "gelsd" | "gelss" | null } = {}): Lstsq {
  const fn = "torch.linalg.lstsq";
  const driver = opts.driver ?? "gelsy";
  if (A.dim() < 2) throw new RuntimeError(`${fn}: input must have at least 2 dimensions.`);
  if (B.dim() < 1) throw new RuntimeError(`${fn}: other must have at least 1 dimension.`);
  if (A.dtype !== B.dtype)
    throw new RuntimeError(`${fn}: Expected input and other to have the same dtype, but got input's dtype ${A.dtype.scalarName} and other's dtype ${B.dtype.scalarName}`);
  checkFloating(A, "linalg.lstsq");
  const dimDiff = A.dim() - B.dim();
  if (!(dimDiff >= 0 && dimDiff <= 1)) throw new RuntimeError(`${fn}: input.dim() must be greater or equal to other.dim() and (input.dim() - other.dim()) <= 1`);
  const vector = dimDiff === 1;
  if (vector ? A.shape[A.dim() - 2] !== B.shape[B.dim() - 1] : A.shape[A.dim() - 2] !== B.shape[B.dim() - 2])
    throw new RuntimeError(`${fn}: input.size(-2) should match other.size(${vector ? -1 : -2})`);
  if (!["gels", "gelsy", "gelsd", "gelss"].includes(driver)) throw new RuntimeError(`${fn}: parameter \`driver\` should be one of (gels, gelsy, gelsd, gelss)`);
  const B2 = vector ? noGrad(() => B.unsqueeze(-1)) : B;
  const [Ae, Be, batch] = broadcastBatch(A, B2);
  const a = readBatch(Ae), bb = readBatch(Be), { m, n } = a, kk = bb.n;
  const kmin = Math.min(m, n);
  const rc = rcond ?? epsOf(A.dtype) * Math.max(m, n);
  const sols: Float64Array[] = [], res: Float64Array[] = [], svs: Float64Array[] = [];
  const ranks = new Float64Array(a.count);
  let allFull = true;
  for (let i = 0; i < a.count; i++) {
    const Ai = matAt(a, i), Bi = matAt(bb, i);
    const { u, s, v, ucols, vcols } = K.svd(Ai, m, n, false);
    const tol = rc * (s[0] ?? 0);
    const x = new Float64Array(n * kk);
    let rank = 0;
    for (let j = 0; j < kmin; j++) {
      if (!(s[j]! > tol)) continue;
      rank++;
      for (let c = 0; c < kk; c++) {
        let d = 0;
        for (let r = 0; r < m; r++) d += u[r * ucols + j]! * Bi[r * kk + c]!;
        d /= s[j]!;
        for (let r = 0; r < n; r++) x[r * kk + c]! += v[r * vcols + j]! * d;
      }
    }
    ranks[i] = rank;
    if (rank < n) allFull = false;
    const rr = new Float64Array(kk);
    for (let c = 0; c < kk; c++)
      for (let r = 0; r < m; r++) {
        let ax = 0;
        for (let q = 0; q < n; q++) ax += Ai[r * n + q]! * x[q * kk + c]!;
        rr[c]! += (Bi[r * kk + c]! - ax) ** 2;
      }
    sols.push(x);
    res.push(rr);
    svs.push(s);
  }
  let solution = make([...batch, n, kk], A.dtype, concat(sols, n * kk));
  if (vector) solution = noGrad(() => solution.squeeze(-1));
  const wantResiduals = driver !== "gelsy" && m > n && (driver === "gels" || allFull);
  const residuals = wantResiduals ? make([...batch, kk], A.dtype, concat(res, kk)) : make([0], A.dtype, []);
  const rank = driver === "gels" ? make([0], int64, []) : make(batch, int64, ranks);
  const singularValues = driver === "gelsd" || driver === "gelss" ? make([...batch, kmin], A.dtype, concat(svs, kmin)) : make([0], A.dtype, []);
  record("LinalgLstsqBackward0", [A, B], solution, (g, s, needs) => {
    const As = s(0), Bs = s(1);
    const gX = vector ? g.unsqueeze(-1) : g, Bm = vector ? Bs.unsqueeze(-1) : Bs;
    const P = pinv(As);
    const gA = needs(0) ? pinvBackward(gX.matmul(Bm.mT), P, As) : null;
    let gB = needs(1) ? P.mT.matmul(gX) : null;
    if (gB && vector) gB = gB.squeeze(-1);
    return [gA, gB];
  }, [A, B]);
  return named(["solution", "residuals", "rank", "singularValues"], [solution, residuals, rank, singularValues]) as Lstsq;
}
