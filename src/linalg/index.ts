/**
 * `torch.linalg`: norms, solvers and decompositions over the last two dims, batched over the leading
 * ones, float32 and float64, differentiable with PyTorch 1.13's backward formulas.
 *
 * The decompositions are plain TypeScript computing in float64 (kernels.ts): LU with partial
 * pivoting (inv, solve, det, slogdet), Cholesky, Householder QR (LAPACK's signs), one-sided Jacobi SVD
 * and cyclic Jacobi for symmetric eigenproblems. Singular and eigen vectors are unique only up to
 * sign; see `svd` and `eigh` for the convention used here.
 */
import type { Tensor } from "../tensor/tensor.js";
import { linalgCross } from "../ops/manipulation.js";

export { LinAlgError } from "./common.js";
export {
  inv, invEx, solve, det, slogdet, cholesky, choleskyEx, solveTriangular, qr, svd, svdvals, eigh, eigvalsh, pinv, matrixRank, lstsq,
} from "./decompositions.js";
export type { InvEx, Slogdet, CholeskyEx, QR, SVD, Eigh, Lstsq, PinvOptions } from "./decompositions.js";
export { vectorNorm, matrixNorm, norm } from "./norms.js";
export type { MatrixOrd } from "./norms.js";

/** torch.linalg.cross(input, other, *, dim=-1): the cross product along dim (size 3), batch dims broadcast. LinalgCrossBackward0. */
export function cross(input: Tensor, other: Tensor, opts: { dim?: number } = {}): Tensor {
  return linalgCross(input, other, opts.dim ?? -1);
}
