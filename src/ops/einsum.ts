// torch.einsum: PyTorch 1.13's algorithm (aten/src/ATen/native/Linear.cpp), step for step, over
// existing ops: the equation is parsed to labels per operand; each operand has its repeated labels
// taken as diagonals, is unsqueezed and permuted to one common order (output dims first, then the
// dims to sum); operands are contracted left to right by a permute/reshape/bmm (sumproductPair),
// dims seen by a single operand being summed as soon as possible. So gradients flow through
// permute, diagonal, sum, mul and bmm, and the result carries the grad_fn of the last op PyTorch
// runs (PermuteBackward0, SumBackward1, MulBackward0 or ViewBackward0).
import { Tensor } from "../tensor/tensor.js";
import { RuntimeError, ValueError } from "../errors.js";

const LETTERS = 26;
const TOTAL_LABELS = LETTERS * 2;
/** The code of "..." among the labels. */
const ELLIPSIS = TOTAL_LABELS;

const isAlpha = (c: string) => /^[A-Za-z]$/.test(c);
/** [A-Z] -> 0..25, [a-z] -> 26..51 (PyTorch's order: the implicit output sorts upper case first). */
const labelToSubscript = (c: string) => (c >= "A" && c <= "Z" ? c.charCodeAt(0) - 65 : c.charCodeAt(0) - 97 + LETTERS);
const subscriptToLabel = (s: number) => String.fromCharCode(s < LETTERS ? s + 65 : s - LETTERS + 97);

/** x.movedim(from, to) as PyTorch composes it: one permute. */
function movedim(x: Tensor, from: number, to: number): Tensor {
  const n = x.dim();
  const f = from < 0 ? from + n : from;
  const order = x.shape.map((_, i) => i).filter((i) => i !== f);
  order.splice(to, 0, f);
  return x.permute(order);
}

/**
 * (left * right).sum(sumDims) by one batched matrix product: PyTorch's sumproduct_pair. The
 * operands have the same number of dims (size 1 where a label is missing); dims in both and in the
 * output become the batch, dims in one operand only become the rows or columns.
 */
function sumproductPair(left: Tensor, right: Tensor, sumDims: readonly number[], keepdim: boolean): Tensor {
  if (left.dim() !== right.dim()) throw new RuntimeError("number of dimensions must match");
  if (!sumDims.length) return left.mul(right);
  const dim = left.dim();
  const isSum = new Array<boolean>(dim).fill(false);
  for (const d of sumDims) isSum[d] = true;
  const lro: number[] = [], lo: number[] = [], ro: number[] = [];
  let lroSize = 1, loSize = 1, roSize = 1, sumSize = 1;
  for (let i = 0; i < dim; i++) {
    const sl = left.shape[i] !== 1, sr = right.shape[i] !== 1;
    if (isSum[i]) {
      if (sl && sr) {
        if (left.shape[i] !== right.shape[i]) throw new RuntimeError("non-broadcast dimensions must match");
        sumSize *= left.shape[i]!;
      } else if (sl) left = left.sum(i, true);
      else if (sr) right = right.sum(i, true);
    } else if (sl && sr) {
      if (left.shape[i] !== right.shape[i]) throw new RuntimeError("non-broadcast dimensions must match");
      lro.push(i);
      lroSize *= left.shape[i]!;
    } else if (sl) {
      lo.push(i);
      loSize *= left.shape[i]!;
    } else {
      ro.push(i);
      roSize *= right.shape[i]!;
    }
  }
  // left: [lro, lo, sum], right: [lro, sum, ro]; their bmm viewed as [lro, lo, 1s, ro], permuted back
  const outSize = [...lro.map((d) => left.shape[d]!), ...lo.map((d) => left.shape[d]!), ...sumDims.map(() => 1), ...ro.map((d) => right.shape[d]!)];
  const lperm = [...lro, ...lo, ...sumDims, ...ro];
  const rperm = [...lro, ...sumDims, ...ro, ...lo];
  const operm = new Array<number>(outSize.length);
  [...lro, ...lo, ...sumDims, ...ro].forEach((d, i) => (operm[d] = i));
  const l = left.permute(lperm).reshape([lroSize, loSize, sumSize]);
  const r = right.permute(rperm).reshape([lroSize, sumSize, roSize]);
  let result = l.bmm(r).view(outSize).permute(operm);
  if (!keepdim) result = result.view(result.shape.filter((_, i) => !isSum[i]));
  return result;
}

/** An operand and its subscripts (integers 0..51, or "..." for an ellipsis), as torch.einsum's sublist format takes them. */
export type Sublist = readonly (number | "...")[];

function parseSublist(s: Sublist): string {
  return s
    .map((n) => {
      if (n === "...") return "...";
      if (Number.isInteger(n) && n >= 0 && n < 26) return String.fromCharCode(65 + n);
      if (Number.isInteger(n) && n >= 26 && n < 52) return String.fromCharCode(97 + n - 26);
      throw new ValueError("einsum(): subscript in subscript list is not within the valid range [0, 52)");
    })
    .join("");
}

/**
 * torch.einsum: the Einstein summation given by `equation` over the operands. Subscripts are letters;
 * a label repeated in one operand takes its diagonal; labels missing from the output (after "->")
 * are summed; without "->" the output is "..." then the labels seen once, in alphabetical order
 * (upper case first); "..." stands for the dims not labelled, broadcast across operands. The
 * operands may be given as varargs, as one array, or in the sublist format
 * `einsum(a, [0, 1], b, [1, 2], [0, 2])`.
 * @example
 * const [a, b, m, u, v] = [torch.randn(2, 3, 4), torch.randn(2, 4, 5), torch.randn(3, 3), torch.randn(3), torch.randn(4)];
 * torch.einsum("bij,bjk->bik", a, b); // batched matrix product
 * torch.einsum("ii", m); // trace
 * torch.einsum("i,j->ij", u, v); // outer product
 */
export function einsum(equation: string, ...operands: (Tensor | readonly Tensor[])[]): Tensor;
export function einsum(...sublistArgs: (Tensor | Sublist)[]): Tensor;
export function einsum(...args: unknown[]): Tensor {
  if (args.length < 2)
    throw new ValueError("einsum(): must specify the equation string and at least one operand, or at least one operand and its subscripts list");
  let equation: string;
  let operands: Tensor[];
  if (args[0] instanceof Tensor) {
    // the sublist format: operand, subscripts, operand, subscripts, ..., [output subscripts]
    const lists = args.filter((_, i) => i % 2 === 1) as Sublist[];
    equation = lists.map(parseSublist).join(",");
    if (args.length % 2 === 1) {
      equation += "->" + parseSublist(args[args.length - 1] as Sublist);
      operands = args.slice(0, -1).filter((_, i) => i % 2 === 0) as Tensor[];
    } else operands = args.filter((_, i) => i % 2 === 0) as Tensor[];
  } else {
    equation = args[0] as string;
    const rest = args.slice(1);
    // (the old interface: the operands as one list)
    operands = rest.length === 1 && Array.isArray(rest[0]) ? (rest[0] as Tensor[]) : (rest as Tensor[]);
  }
  return einsumImpl(equation, operands);
}

function einsumImpl(equation: string, operands: readonly Tensor[]): Tensor {
  if (!operands.length) throw new RuntimeError("einsum(): must provide at least one operand");
  const numOps = operands.length;
  const arrow = equation.indexOf("->");
  const lhs = arrow < 0 ? equation : equation.slice(0, arrow);

  // 1. the labels of each operand (ELLIPSIS for "...")
  const opLabels: number[][] = operands.map(() => []);
  let ellInInput = false;
  let curr = 0;
  for (let i = 0; i < lhs.length; i++) {
    const c = lhs[i]!;
    if (c === " ") continue;
    if (c === ".") {
      if (ellInInput) throw new RuntimeError(`einsum(): found '.' for operand ${curr} for which an ellipsis was already found`);
      if (!(i + 2 < lhs.length && lhs[++i] === "." && lhs[++i] === "."))
        throw new RuntimeError(`einsum(): found '.' for operand ${curr} that is not part of any ellipsis`);
      opLabels[curr]!.push(ELLIPSIS);
      ellInInput = true;
    } else if (c === ",") {
      curr++;
      if (curr >= numOps) throw new RuntimeError("einsum(): fewer operands were provided than specified in the equation");
      ellInInput = false;
    } else {
      if (!isAlpha(c)) throw new RuntimeError(`einsum(): invalid subscript given at index ${i} in the equation string, subscripts must be in [a-zA-Z]`);
      opLabels[curr]!.push(labelToSubscript(c));
    }
  }
  if (curr !== numOps - 1) throw new RuntimeError("einsum(): more operands were provided than specified in the equation");

  // label frequencies, and the most dims any ellipsis covers
  const labelCount = new Array<number>(TOTAL_LABELS).fill(0);
  let ellNumDim = 0;
  operands.forEach((op, i) => {
    const labels = opLabels[i]!;
    const ndims = op.dim();
    let nlabels = labels.length;
    let hasEllipsis = false;
    for (const l of labels) {
      if (l === ELLIPSIS) {
        nlabels--;
        hasEllipsis = true;
        ellNumDim = Math.max(ellNumDim, ndims - nlabels);
      } else labelCount[l]!++;
    }
    if (hasEllipsis ? nlabels > ndims : nlabels !== ndims)
      throw new RuntimeError(
        `einsum(): the number of subscripts in the equation (${nlabels}) ${hasEllipsis ? "is more than" : "does not match"} the number of dimensions (${ndims}) for operand ${i}${hasEllipsis ? "" : " and no ellipsis was given"}`,
      );
  });

  // 2. every label's index in the common order: output dims first, then the dims to sum
  const labelPermIndex = new Array<number>(TOTAL_LABELS).fill(-1);
  let permIndex = 0;
  let ellIndex = 0;
  let ellInOutput = false;
  if (arrow < 0) {
    // implicit output: the ellipsis dims, then the labels seen once, in label order
    permIndex = ellNumDim;
    ellInOutput = true;
    for (let l = 0; l < TOTAL_LABELS; l++) if (labelCount[l] === 1) labelPermIndex[l] = permIndex++;
  } else {
    const rhs = equation.slice(arrow + 2);
    for (let i = 0; i < rhs.length; i++) {
      const c = rhs[i]!;
      if (c === " ") continue;
      if (c === ".") {
        if (ellInOutput) throw new RuntimeError("einsum(): found '.' for output but an ellipsis (...) was already found");
        if (!(i + 2 < rhs.length && rhs[++i] === "." && rhs[++i] === "."))
          throw new RuntimeError("einsum(): found '.' for output that is not part of any ellipsis (...)");
        ellIndex = permIndex;
        permIndex += ellNumDim;
        ellInOutput = true;
      } else {
        if (!isAlpha(c))
          throw new RuntimeError(`einsum(): invalid subscript given at index ${lhs.length + 2 + i} in the equation string, subscripts must be in [a-zA-Z]`);
        const s = labelToSubscript(c);
        if (!(labelCount[s]! > 0 && labelPermIndex[s] === -1))
          throw new RuntimeError(`einsum(): output subscript ${c}${labelPermIndex[s]! > -1 ? " appears more than once in the output" : " does not appear in the equation for any input operand"}`);
        labelPermIndex[s] = permIndex++;
      }
    }
  }
  const outNumDim = permIndex;
  // an ellipsis missing from the output is summed
  if (!ellInOutput) {
    ellIndex = permIndex;
    permIndex += ellNumDim;
  }
  for (let l = 0; l < TOTAL_LABELS; l++) if (labelCount[l]! > 0 && labelPermIndex[l] === -1) labelPermIndex[l] = permIndex++;

  // 3. each operand: sizes checked, diagonals of repeated labels, missing dims unsqueezed, permuted
  const labelSize = new Array<number>(TOTAL_LABELS).fill(1);
  const ellSizes = new Array<number>(ellNumDim).fill(1);
  const dimCounts = new Array<number>(permIndex).fill(0);
  const ops: Tensor[] = [];
  operands.forEach((operand, i) => {
    let op = operand;
    const permutation = new Array<number>(permIndex).fill(-1);
    let dim = 0;
    for (const s of opLabels[i]!) {
      if (s === ELLIPSIS) {
        const ndim = operand.dim() - (opLabels[i]!.length - 1);
        for (let j = ellNumDim - ndim; j < ellNumDim; j++) {
          const size = op.shape[dim]!;
          if (size !== 1) {
            if (!(ellSizes[j] === 1 || ellSizes[j] === size))
              throw new RuntimeError(
                `einsum(): dimension ${dim} covered by ellipsis in operand ${i}has size ${size} which does not broadcast with previously seen ellipsis with size ${ellSizes[j]} for the respective dimension`,
              );
            ellSizes[j] = size;
            dimCounts[ellIndex + j]!++;
          }
          permutation[ellIndex + j] = dim++;
        }
      } else if (permutation[labelPermIndex[s]!] === -1) {
        const size = op.shape[dim]!;
        if (size !== 1) {
          if (!(labelSize[s] === 1 || labelSize[s] === size))
            throw new RuntimeError(
              `einsum(): subscript ${subscriptToLabel(s)} has size ${size} for operand ${i} which does not broadcast with previously seen size ${labelSize[s]}`,
            );
          labelSize[s] = size;
          dimCounts[labelPermIndex[s]!]!++;
        }
        permutation[labelPermIndex[s]!] = dim++;
      } else {
        // a repeated label: its diagonal, put where the label was first seen
        const prev = permutation[labelPermIndex[s]!]!;
        if (op.shape[dim] !== op.shape[prev])
          throw new RuntimeError(`einsum(): subscript ${subscriptToLabel(s)} is repeated for operand ${i} but the sizes don't match, ${op.shape[dim]} != ${op.shape[prev]}`);
        op = movedim(op.diagonal(0, prev, dim), -1, prev);
      }
    }
    for (let k = 0; k < permutation.length; k++) {
      if (permutation[k] === -1) {
        op = op.unsqueeze(dim);
        permutation[k] = dim++;
      }
    }
    ops.push(op.permute(permutation));
  });

  // 4. contract left to right, summing a dim as soon as no later operand has it
  while (ops.length > 1) {
    let a = ops.shift()!, b = ops.shift()!;
    const sumDims: number[] = [], aSum: number[] = [], bSum: number[] = [];
    for (let dim = outNumDim; dim < permIndex; dim++) {
      if (a.shape[dim] !== 1 && b.shape[dim] !== 1) {
        if (--dimCounts[dim]! === 1) {
          sumDims.push(dim);
          dimCounts[dim] = 0;
        }
      } else if (dimCounts[dim] === 1) {
        if (a.shape[dim] !== 1) {
          aSum.push(dim);
          dimCounts[dim] = 0;
        } else if (b.shape[dim] !== 1) {
          bSum.push(dim);
          dimCounts[dim] = 0;
        }
      }
    }
    if (aSum.length) a = a.sum(aSum, true);
    if (bSum.length) b = b.sum(bSum, true);
    ops.unshift(sumproductPair(a, b, sumDims, true));
  }

  // 5. the summed dims: of size 1 after a contraction (viewed away), else summed here
  if (permIndex - outNumDim > 0) {
    if (numOps > 1) return ops[0]!.view(ops[0]!.shape.slice(0, outNumDim));
    return ops[0]!.sum(Array.from({ length: permIndex - outNumDim }, (_, k) => outNumDim + k));
  }
  return ops[0]!;
}
