// The dense decompositions behind torch.linalg, in plain TypeScript over row-major Float64Arrays.
// Each kernel works on one matrix; ops.ts loops over the batch and wraps the results as tensors.
// NOTE: every kernel computes in float64 whatever the tensor's dtype (PyTorch's LAPACK runs float32
// matrices in float32): float32 results are the float64 ones rounded, so they sit within float32
// rounding of PyTorch's, not on its bits.

/** A row-major m x n matrix. */
export type Mat = Float64Array;

const EPS = 2 ** -52;

/** Sign transfer as Fortran's SIGN(a, b): |a| with the sign of b (+0 counts as positive). */
const sign = (a: number, b: number): number => (b >= 0 ? Math.abs(a) : -Math.abs(a));

// ------------------------------------------------------------------------------------------ LU

export interface LU {
  /** L (unit lower, below the diagonal) and U (on and above), in place of A. */
  lu: Mat;
  /** row i was swapped with piv[i] at step i (0-based, LAPACK's ipiv minus one) */
  piv: Int32Array;
  /** LAPACK's info: 0, or the 1-based index of the first exactly-zero diagonal element of U */
  info: number;
  /** +1 or -1: the sign of the row permutation */
  permSign: number;
}

/**
 * LU with partial pivoting of a square n x n matrix, as LAPACK's getrf: the pivot of column k is the
 * first row with the largest |a_ik|; a zero pivot is recorded in info and the factorization goes on.
 */
export function luFactor(a: Mat, n: number): LU {
  const lu = a.slice();
  const piv = new Int32Array(n);
  let info = 0, permSign = 1;
  for (let k = 0; k < n; k++) {
    let p = k, best = Math.abs(lu[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]!);
      if (v > best) { best = v; p = i; }
    }
    piv[k] = p;
    if (p !== k) {
      permSign = -permSign;
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j]!;
        lu[k * n + j] = lu[p * n + j]!;
        lu[p * n + j] = t;
      }
    }
    const pv = lu[k * n + k]!;
    if (pv === 0) {
      if (info === 0) info = k + 1;
      continue;
    }
    // NOTE: LAPACK scales the column by the reciprocal of the pivot (dscal with 1 / pivot)
    const r = 1 / pv;
    for (let i = k + 1; i < n; i++) {
      const l = (lu[i * n + k]! *= r);
      if (l === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j]! -= l * lu[k * n + j]!;
    }
  }
  return { lu, piv, info, permSign };
}

/** Solves A X = B (B n x k, row-major) from A's LU factors. */
export function luSolve(f: LU, n: number, b: Mat, k: number): Mat {
  const x = b.slice();
  const { lu, piv } = f;
  for (let i = 0; i < n; i++) {
    const p = piv[i]!;
    if (p !== i) for (let j = 0; j < k; j++) { const t = x[i * k + j]!; x[i * k + j] = x[p * k + j]!; x[p * k + j] = t; }
  }
  for (let i = 0; i < n; i++)
    for (let r = 0; r < i; r++) {
      const l = lu[i * n + r]!;
      if (l !== 0) for (let j = 0; j < k; j++) x[i * k + j]! -= l * x[r * k + j]!;
    }
  for (let i = n - 1; i >= 0; i--) {
    for (let r = i + 1; r < n; r++) {
      const u = lu[i * n + r]!;
      if (u !== 0) for (let j = 0; j < k; j++) x[i * k + j]! -= u * x[r * k + j]!;
    }
    const d = lu[i * n + i]!;
    for (let j = 0; j < k; j++) x[i * k + j]! /= d;
  }
  return x;
}

/** det(A) from its LU factors: the product of U's diagonal times the permutation's sign. */
export function luDet(f: LU, n: number): number {
  let d = f.permSign;
  for (let i = 0; i < n; i++) d *= f.lu[i * n + i]!;
  return d;
}

/** sign(det A) and log|det A| from its LU factors (log|det| = -inf, sign 0 for a singular A). */
export function luSlogdet(f: LU, n: number): [number, number] {
  let s = f.permSign, l = 0;
  for (let i = 0; i < n; i++) {
    const d = f.lu[i * n + i]!;
    if (d < 0) s = -s;
    else if (!(d > 0)) s = d === 0 ? 0 : NaN;
    l += Math.log(Math.abs(d));
  }
  return [s, l];
}

export function identity(n: number): Mat {
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) e[i * n + i] = 1;
  return e;
}

// ------------------------------------------------------------------------------------------ Cholesky

/**
 * The lower Cholesky factor of the symmetric n x n matrix whose lower triangle is read (LAPACK's
 * potrf, uplo 'L'): info is 0, or the order of the first leading minor that is not positive-definite
 * (then the factor is incomplete).
 */
export function cholesky(a: Mat, n: number): { l: Mat; info: number } {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j]!;
    for (let k = 0; k < j; k++) s -= l[j * n + k]! * l[j * n + k]!;
    if (!(s > 0)) return { l, info: j + 1 }; // (NaN too, as LAPACK's disnan check)
    const d = Math.sqrt(s);
    l[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j]!;
      for (let k = 0; k < j; k++) t -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = t / d;
    }
  }
  return { l, info: 0 };
}

// ------------------------------------------------------------------------------------------ triangular solves

/**
 * Solves op(A) X = B (left) or X op(A) = B (right) for a triangular n x n A: `upper` says which
 * triangle of A is read, `unit` takes its diagonal as ones. B is r x c row-major (r = n when left,
 * c = n when right).
 */
export function solveTriangular(a: Mat, n: number, b: Mat, r: number, c: number, upper: boolean, left: boolean, unit: boolean): Mat {
  const x = b.slice();
  if (left) {
    // columns of B independently: forward (lower) or backward (upper) substitution
    if (!upper) {
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < i; k++) {
          const l = a[i * n + k]!;
          if (l !== 0) for (let j = 0; j < c; j++) x[i * c + j]! -= l * x[k * c + j]!;
        }
        if (!unit) { const d = a[i * n + i]!; for (let j = 0; j < c; j++) x[i * c + j]! /= d; }
      }
    } else {
      for (let i = n - 1; i >= 0; i--) {
        for (let k = i + 1; k < n; k++) {
          const u = a[i * n + k]!;
          if (u !== 0) for (let j = 0; j < c; j++) x[i * c + j]! -= u * x[k * c + j]!;
        }
        if (!unit) { const d = a[i * n + i]!; for (let j = 0; j < c; j++) x[i * c + j]! /= d; }
      }
    }
    return x;
  }
  // X A = B, row by row: x A = b with A upper -> forward over columns; lower -> backward
  for (let row = 0; row < r; row++) {
    const o = row * c;
    if (upper) {
      for (let j = 0; j < n; j++) {
        let s = x[o + j]!;
        for (let k = 0; k < j; k++) s -= x[o + k]! * a[k * n + j]!;
        x[o + j] = unit ? s : s / a[j * n + j]!;
      }
    } else {
      for (let j = n - 1; j >= 0; j--) {
        let s = x[o + j]!;
        for (let k = j + 1; k < n; k++) s -= x[o + k]! * a[k * n + j]!;
        x[o + j] = unit ? s : s / a[j * n + j]!;
      }
    }
  }
  return x;
}

// ------------------------------------------------------------------------------------------ QR

/**
 * Householder QR of an m x n matrix as LAPACK's geqrf + orgqr: reflector k maps column k below the
 * diagonal to beta e_k with beta = -sign(a_kk) * ||a_k:m,k|| (dlarfg; no reflection when the part
 * below the diagonal is already zero), so R's diagonal and Q's signs are LAPACK's. Returns Q with
 * `qCols` columns (min(m, n) for "reduced", m for "complete") and R as qCols x n (upper trapezoidal).
 */
export function householderQR(a: Mat, m: number, n: number, qCols: number): { q: Mat; r: Mat } {
  const w = a.slice();
  const k = Math.min(m, n);
  const taus = new Float64Array(k);
  const vs: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const alpha = w[j * n + j]!;
    let xnorm = 0;
    {
      // NOTE: a scaled 2-norm (as LAPACK's dnrm2) so that tiny or huge columns neither underflow nor overflow
      let scale = 0, ssq = 1;
      for (let i = j + 1; i < m; i++) {
        const v = w[i * n + j]!;
        if (v !== 0) {
          const av = Math.abs(v);
          if (scale < av) { ssq = 1 + ssq * (scale / av) ** 2; scale = av; } else ssq += (av / scale) ** 2;
        }
      }
      xnorm = scale * Math.sqrt(ssq);
    }
    const v = new Float64Array(m - j);
    v[0] = 1;
    if (xnorm === 0) {
      taus[j] = 0;
      vs.push(v);
      continue;
    }
    const beta = -sign(Math.hypot(alpha, xnorm), alpha);
    const tau = (beta - alpha) / beta;
    const scal = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) v[i - j] = w[i * n + j]! * scal;
    taus[j] = tau;
    vs.push(v);
    w[j * n + j] = beta;
    for (let i = j + 1; i < m; i++) w[i * n + j] = 0;
    // apply H = I - tau v v^T to the trailing columns
    for (let c = j + 1; c < n; c++) {
      let s = 0;
      for (let i = j; i < m; i++) s += v[i - j]! * w[i * n + c]!;
      s *= tau;
      if (s !== 0) for (let i = j; i < m; i++) w[i * n + c]! -= s * v[i - j]!;
    }
  }
  const r = new Float64Array(qCols * n);
  for (let i = 0; i < Math.min(qCols, m); i++) for (let c = i; c < n; c++) r[i * n + c] = w[i * n + c]!;
  // Q = H_0 H_1 ... H_{k-1} applied to the first qCols columns of the identity (backward accumulation)
  const q = new Float64Array(m * qCols);
  for (let i = 0; i < Math.min(m, qCols); i++) q[i * qCols + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const v = vs[j]!, tau = taus[j]!;
    if (tau === 0) continue;
    for (let c = 0; c < qCols; c++) {
      let s = 0;
      for (let i = j; i < m; i++) s += v[i - j]! * q[i * qCols + c]!;
      s *= tau;
      if (s !== 0) for (let i = j; i < m; i++) q[i * qCols + c]! -= s * v[i - j]!;
    }
  }
  return { q, r };
}

// ------------------------------------------------------------------------------------------ symmetric eigen

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors (columns of v, n x n) of the symmetric matrix
 * whose lower (`upper` false) or upper triangle is read, by the cyclic Jacobi method: rotations zero
 * the off-diagonal entries until they are negligible next to the diagonal (relative accuracy).
 * NOTE: eigenvectors are unique only up to sign (and within repeated eigenvalues); each is signed so
 * that its entry of largest magnitude (the first such) is positive. LAPACK's syevd picks signs by its
 * own arithmetic, so PyTorch's vectors may be the negatives of these.
 */
export function symEig(a: Mat, n: number, upper: boolean): { w: Float64Array; v: Mat } {
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const val = upper ? a[j * n + i]! : a[i * n + j]!;
      s[i * n + j] = val;
      s[j * n + i] = val;
    }
  const v = identity(n);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += s[i * n + j]! ** 2;
    if (off === 0) break;
    let rotated = false;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = s[p * n + q]!;
        if (apq === 0) continue;
        const app = s[p * n + p]!, aqq = s[q * n + q]!;
        // NOTE: skip an entry already below the rounding of both diagonal entries it couples
        if (Math.abs(apq) <= EPS * 0.5 * Math.sqrt(Math.abs(app * aqq)) && sweep > 3) {
          s[p * n + q] = 0;
          s[q * n + p] = 0;
          continue;
        }
        rotated = true;
        // the rotation angle from tan(2 theta) = 2 apq / (aqq - app), taking the smaller root
        const theta = (aqq - app) / (2 * apq);
        const t = sign(1, theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), sn = t * c;
        for (let k = 0; k < n; k++) {
          const skp = s[k * n + p]!, skq = s[k * n + q]!;
          s[k * n + p] = c * skp - sn * skq;
          s[k * n + q] = sn * skp + c * skq;
        }
        for (let k = 0; k < n; k++) {
          const spk = s[p * n + k]!, sqk = s[q * n + k]!;
          s[p * n + k] = c * spk - sn * sqk;
          s[q * n + k] = sn * spk + c * sqk;
        }
        s[p * n + q] = 0;
        s[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!, vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - sn * vkq;
          v[k * n + q] = sn * vkp + c * vkq;
        }
      }
    if (!rotated) break;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => s[x * n + x]! - s[y * n + y]! || x - y);
  const w = new Float64Array(n);
  const vo = new Float64Array(n * n);
  order.forEach((src, dst) => {
    w[dst] = s[src * n + src]!;
    for (let k = 0; k < n; k++) vo[k * n + dst] = v[k * n + src]!;
  });
  signColumns(vo, n, n, n, null);
  return { w, v: vo };
}

/**
 * Flips the first `cols` columns of the rows x stride matrix m so that each one's entry of largest
 * magnitude (the first such) is positive; `partner` has its matching columns flipped too (V when
 * signing U).
 */
function signColumns(m: Mat, rows: number, stride: number, cols: number, partner: { p: Mat; rows: number; stride: number } | null): void {
  for (let c = 0; c < cols; c++) {
    let best = 0, at = -1;
    for (let i = 0; i < rows; i++) {
      const x = Math.abs(m[i * stride + c]!);
      if (x > best * (1 + 1e-12)) { best = x; at = i; }
    }
    if (at >= 0 && m[at * stride + c]! < 0) {
      for (let i = 0; i < rows; i++) m[i * stride + c] = -m[i * stride + c]!;
      if (partner) for (let i = 0; i < partner.rows; i++) partner.p[i * partner.stride + c] = -partner.p[i * partner.stride + c]!;
    }
  }
}

// ------------------------------------------------------------------------------------------ SVD

/**
 * The SVD A = U diag(S) V^T of an m x n matrix by one-sided Jacobi (Hestenes): plane rotations of
 * A's columns (of A^T's when m < n) until every pair is orthogonal to rounding, accumulated in V.
 * S descends. U is m x ucols, V is n x vcols: k = min(m, n) columns each, or m and n with
 * `full` (the extra columns complete orthonormal bases, as LAPACK's full_matrices; they are not
 * unique). Columns of U for zero singular values are completed the same way.
 * NOTE: singular vectors are unique only up to a common sign per pair (and within repeated singular
 * values); each pair is signed so that U's column has its entry of largest magnitude positive.
 * LAPACK's gesdd picks signs by its own arithmetic, so PyTorch's may be the negatives of these.
 */
export function svd(a: Mat, m: number, n: number, full: boolean): { u: Mat; s: Float64Array; v: Mat; ucols: number; vcols: number } {
  let r: { u: Mat; s: Float64Array; v: Mat; ucols: number; vcols: number };
  if (m < n) {
    // A^T = U' S V'^T  =>  A = V' S U'^T
    const t = svdTall(transpose(a, m, n), n, m, full);
    r = { u: t.v, s: t.s, v: t.u, ucols: t.vcols, vcols: t.ucols };
  } else r = svdTall(a, m, n, full);
  signColumns(r.u, m, r.ucols, r.s.length, { p: r.v, rows: n, stride: r.vcols });
  return r;
}

/** svd for m >= n: V is n x n; U is m x n, or m x m when full. */
function svdTall(a: Mat, m: number, n: number, full: boolean): { u: Mat; s: Float64Array; v: Mat; ucols: number; vcols: number } {
  // m >= n: rotate the columns of W = A (m x n)
  const w = a.slice();
  const v = identity(n);
  const k = n;
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        for (let i = 0; i < m; i++) {
          const wp = w[i * n + p]!, wq = w[i * n + q]!;
          alpha += wp * wp;
          beta += wq * wq;
          gamma += wp * wq;
        }
        if (gamma === 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = sign(1, zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), s = c * t;
        for (let i = 0; i < m; i++) {
          const wp = w[i * n + p]!, wq = w[i * n + q]!;
          w[i * n + p] = c * wp - s * wq;
          w[i * n + q] = s * wp + c * wq;
        }
        for (let i = 0; i < n; i++) {
          const vp = v[i * n + p]!, vq = v[i * n + q]!;
          v[i * n + p] = c * vp - s * vq;
          v[i * n + q] = s * vp + c * vq;
        }
      }
    if (!rotated) break;
  }
  const norms = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    let ss = 0;
    for (let i = 0; i < m; i++) ss += w[i * n + c]! ** 2;
    norms[c] = Math.sqrt(ss);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => norms[y]! - norms[x]! || x - y);
  const ucols = full ? m : k;
  const u = new Float64Array(m * ucols);
  const s = new Float64Array(k);
  const vo = new Float64Array(n * n);
  const valid: boolean[] = [];
  const smax = norms[order[0]!] ?? 0;
  order.forEach((src, dst) => {
    const sv = norms[src]!;
    s[dst] = sv;
    for (let i = 0; i < n; i++) vo[i * n + dst] = v[i * n + src]!;
    // a column whose norm is at rounding level of the largest carries no direction of its own
    const ok = sv > 0 && sv > smax * EPS * m;
    valid.push(ok);
    if (ok) for (let i = 0; i < m; i++) u[i * ucols + dst] = w[i * n + src]! / sv;
  });
  for (let c = k; c < ucols; c++) valid.push(false);
  completeBasis(u, m, ucols, valid);
  return { u, s, v: vo, ucols, vcols: n };
}

export function transpose(a: Mat, m: number, n: number): Mat {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j]!;
  return t;
}

/**
 * Fills the columns of the m x cols matrix q that `valid` marks false with unit vectors orthogonal to
 * all the others (Gram-Schmidt, twice, of the standard basis vector that keeps the most of its norm).
 */
function completeBasis(q: Mat, m: number, cols: number, valid: boolean[]): void {
  const have = valid.slice();
  for (let c = 0; c < cols; c++) {
    if (have[c]) continue;
    let bestVec: Float64Array | null = null, bestNorm = -1;
    for (let e = 0; e < m; e++) {
      const x = new Float64Array(m);
      x[e] = 1;
      for (let pass = 0; pass < 2; pass++)
        for (let o = 0; o < cols; o++) {
          if (!have[o]) continue;
          let d = 0;
          for (let i = 0; i < m; i++) d += q[i * cols + o]! * x[i]!;
          for (let i = 0; i < m; i++) x[i]! -= d * q[i * cols + o]!;
        }
      let nr = 0;
      for (let i = 0; i < m; i++) nr += x[i]! * x[i]!;
      nr = Math.sqrt(nr);
      if (nr > bestNorm * (1 + 1e-9)) { bestNorm = nr; bestVec = x; }
    }
    for (let i = 0; i < m; i++) q[i * cols + c] = bestVec![i]! / bestNorm;
    have[c] = true;
  }
}
