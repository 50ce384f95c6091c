// torch.nn.utils.rnn: PackedSequence and the functions that pack and pad variable-length batches.
// The forward passes follow PyTorch 1.13's C++ (aten/src/ATen/native/PackedSequence.cpp) step by
// step, so the packed data, batch sizes and the autograd nodes (PackPaddedSequenceBackward0,
// CopySlices, IndexSelectBackward0, TransposeBackward0) are PyTorch's.
import { Tensor } from "../../tensor/tensor.js";
import { float32, float64, int64, type DType } from "../../tensor/dtype.js";
import { arange, full, tensor } from "../../ops/creation.js";
import { cat } from "../../ops/views.js";
import { noGrad } from "../../autograd/grad_mode.js";
import { record } from "../../autograd/function.js";
import { RuntimeError, TorchTypeError, ValueError } from "../../errors.js";
import { sortIndicesDescending } from "../../random/multinomial.js";

/** The int64 values of a 1-d index tensor, as numbers. */
function intsOf(t: Tensor): number[] {
  return (t.reshape([-1]).tolist() as (number | bigint)[]).map(Number);
}
function longTensor(v: readonly number[]): Tensor {
  return tensor(v.length ? [...v] : [], { dtype: int64 });
}

/**
 * PyTorch's `torch.nn.utils.rnn.PackedSequence`: the time steps of a batch of sequences sorted by
 * length, stored one after another (`data`), with the number of sequences still running at each
 * step (`batchSizes`, int64) and the permutation that sorted the batch (`sortedIndices`, and its
 * inverse `unsortedIndices`), or null when the batch came sorted. Like PyTorch's named tuple it
 * unpacks: `const [data, batchSizes] = packed`.
 * @example
 * const p = nn.utils.rnn.packSequence([torch.ones(3), torch.ones(2)]); // batchSizes: tensor([2, 2, 1])
 */
export class PackedSequence {
  readonly data: Tensor;
  readonly batchSizes: Tensor;
  readonly sortedIndices: Tensor | null;
  readonly unsortedIndices: Tensor | null;
  constructor(data: Tensor | readonly [Tensor, Tensor], batchSizes?: Tensor | null, sortedIndices?: Tensor | null, unsortedIndices?: Tensor | null) {
    // NOTE: as PyTorch's _packed_sequence_init_args: unsortedIndices defaults to the inverse of
    // sortedIndices, and `PackedSequence([data, batchSizes])` is accepted too.
    const sorted = sortedIndices ?? null;
    this.unsortedIndices = unsortedIndices ?? invertPermutation(sorted);
    this.sortedIndices = sorted;
    if (batchSizes !== undefined && batchSizes !== null) {
      this.data = data as Tensor;
      this.batchSizes = batchSizes;
    } else {
      if (!Array.isArray(data) || data.length !== 2) throw new TorchTypeError("PackedSequence expects data and batch_sizes");
      this.data = data[0] as Tensor;
      this.batchSizes = data[1] as Tensor;
    }
  }
  *[Symbol.iterator](): Generator<Tensor | null> {
    yield this.data;
    yield this.batchSizes;
    yield this.sortedIndices;
    yield this.unsortedIndices;
  }
  /** PackedSequence.to(dtype): converts data only (batch sizes stay int64), as PyTorch. */
  to(dtype: DType): PackedSequence {
    const data = this.data.to(dtype);
    if (data === this.data) return this;
    return new PackedSequence(data, this.batchSizes, this.sortedIndices, this.unsortedIndices);
  }
  double(): PackedSequence {
    return this.to(float64);
  }
  float(): PackedSequence {
    return this.to(float32);
  }
  get isCuda(): boolean {
    return false;
  }
  /** The named tuple's repr: `PackedSequence(data=tensor(...), batch_sizes=tensor([...]), sorted_indices=None, unsorted_indices=None)`. */
  toString(): string {
    const r = (t: Tensor | null) => (t ? t.toString() : "None");
    return `PackedSequence(data=${r(this.data)}, batch_sizes=${r(this.batchSizes)}, sorted_indices=${r(this.sortedIndices)}, unsorted_indices=${r(this.unsortedIndices)})`;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** PyTorch's `invert_permutation`: the inverse of an index permutation (null stays null). */
export function invertPermutation(permutation: Tensor | null): Tensor | null {
  if (permutation === null) return null;
  const p = intsOf(permutation);
  const out = new Array<number>(p.length).fill(0);
  p.forEach((v, i) => (out[v] = i));
  return longTensor(out).view(permutation.shape);
}

// ---------------------------------------------------------------- the C++ kernels

/**
 * PyTorch's `_pack_padded_sequence`: the (T, B, *) input (or (B, T, *)) as data of shape (sum(lengths), *)
 * and batch sizes, with the checks and words of the C++ op. Records PackPaddedSequenceBackward0.
 */
function packPaddedKernel(input: Tensor, lengths: readonly number[], batchFirst: boolean): [Tensor, Tensor] {
  if (input.numel() <= 0) throw new RuntimeError("Cannot pack empty tensors.");
  const x = batchFirst ? input.transpose(0, 1) : input;
  const batchSize = x.size(1);
  if (lengths.length !== batchSize)
    throw new RuntimeError(`Expected \`len(lengths)\` to be equal to batch_size, but got ${lengths.length} (batch_size=${batchSize})`);
  if (!(lengths[batchSize - 1]! > 0))
    throw new RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0");
  for (let i = 0; i < batchSize - 1; i++)
    if (lengths[batchSize - 1 - i]! > lengths[batchSize - 2 - i]!)
      throw new RuntimeError(
        "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.",
      );
  const T = x.size(0);
  const batchSizes: number[] = [];
  const stepShape = [-1, ...x.shape.slice(2)];
  // NOTE: as the C++ loop, from the shortest sequence up: each time the length grows, the block of
  // steps [prev, l) of the sequences still running is cut out at once (a slice clamps at T as
  // PyTorch's does, so an overlong length gives PyTorch's short data rather than an error).
  const data = noGrad(() => {
    const steps: Tensor[] = [];
    let prev = 0;
    for (let i = 0; i < batchSize; i++) {
      const l = lengths[batchSize - 1 - i]!;
      if (l > prev) {
        const cur = batchSize - i;
        const s = Math.min(prev, T), e = Math.min(l, T);
        steps.push(x.narrow(0, s, e - s).narrow(1, 0, cur).contiguous().view(stepShape));
        for (let j = 0; j < l - prev; j++) batchSizes.push(cur);
        prev = l;
      }
    }
    return cat(steps);
  });
  const sizes = input.shape.slice();
  record("PackPaddedSequenceBackward0", [input], data, (g) => [packPaddedBackward(g, sizes, batchSizes, batchFirst)]);
  return [data, longTensor(batchSizes)];
}

/** PyTorch's `_pack_padded_sequence_backward`, in tensor ops (so that double backward works). */
function packPaddedBackward(grad: Tensor, inputSize: readonly number[], batchSizes: readonly number[], batchFirst: boolean): Tensor {
  const size = inputSize.slice();
  if (batchFirst) [size[0], size[1]] = [size[1]!, size[0]!];
  const gradInput = full(size, 0, { dtype: grad.dtype });
  let offset = 0;
  for (let i = 0; i < batchSizes.length; i++) {
    const b = batchSizes[i]!;
    gradInput.select(0, i).narrow(0, 0, b).copy_(grad.narrow(0, offset, b));
    offset += b;
  }
  return batchFirst ? gradInput.transpose(0, 1) : gradInput;
}

/**
 * PyTorch's `_pad_packed_sequence`: data back to (maxSeq, B, *) (transposed if batchFirst), written
 * block by block into a tensor full of paddingValue (CopySlices, as PyTorch), and the lengths.
 * maxSeq >= batchSizes.length (padPackedSequence checks total_length first, with Python's ValueError).
 */
function padPackedKernel(data: Tensor, batchSizes: readonly number[], batchFirst: boolean, paddingValue: number, maxSeq: number): [Tensor, Tensor] {
  const maxBatch = batchSizes[0]!;
  const maxReal = batchSizes.length;
  const rest = data.shape.slice(1);
  let output = full([maxSeq, maxBatch, ...rest], paddingValue, { dtype: data.dtype });
  const lengths = new Array<number>(maxBatch).fill(0);
  let lp = maxBatch - 1;
  let dataOffset = 0, prevBatch = maxBatch, prevI = 0;
  for (let i = 0; i <= maxReal; i++) {
    const b = i !== maxReal ? batchSizes[i]! : 0;
    if (b !== prevBatch) {
      const l = prevBatch * (i - prevI);
      // output[prevI:i, :prevBatch] = data[offset:offset + l].view(i - prevI, prevBatch, *)
      const tmp = data.narrow(0, dataOffset, l);
      output.narrow(0, prevI, i - prevI).narrow(1, 0, prevBatch).copy_(tmp.view([i - prevI, prevBatch, ...rest]));
      dataOffset += l;
      prevI = i;
    }
    for (let j = 0; j < prevBatch - b; j++) lengths[lp--] = i;
    prevBatch = b;
  }
  if (batchFirst) output = output.transpose(0, 1);
  return [output, longTensor(lengths)];
}

// ---------------------------------------------------------------- public functions

type Lengths = Tensor | readonly number[];
function lengthsOf(lengths: Lengths): number[] {
  // NOTE: torch.as_tensor(lengths, dtype=torch.int64): float lengths are truncated toward zero
  if (lengths instanceof Tensor) return intsOf(lengths.dtype === int64 ? lengths : lengths.to(int64));
  return lengths.map((v) => Math.trunc(v));
}

export interface PackPaddedOptions {
  batchFirst?: boolean;
  enforceSorted?: boolean;
}
/**
 * PyTorch's `pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True)`: packs a
 * padded (T, B, *) batch (B, T, * with batchFirst) of sequences of the given lengths. With
 * enforceSorted false the batch is sorted by decreasing length first (as `torch.sort(descending=True)`).
 * @example
 * const x = torch.randn(2, 3, 4); // (B, T, *): sequences of lengths 3 and 1, padded
 * nn.utils.rnn.packPaddedSequence(x, [3, 1], { batchFirst: true });
 */
export function packPaddedSequence(input: Tensor, lengths: Lengths, batchFirst: boolean | PackPaddedOptions = {}, enforceSorted?: boolean): PackedSequence {
  const o: PackPaddedOptions = typeof batchFirst === "object" ? batchFirst : { batchFirst, enforceSorted: enforceSorted ?? true };
  const bf = o.batchFirst ?? false;
  let lens = lengthsOf(lengths);
  let sortedIndices: Tensor | null = null;
  let x = input;
  if (!(o.enforceSorted ?? true)) {
    const order = Array.from(sortIndicesDescending(lens));
    lens = order.map((i) => lens[i]!);
    sortedIndices = longTensor(order);
    x = input.indexSelect(bf ? 0 : 1, sortedIndices);
  }
  const [data, batchSizes] = packPaddedKernel(x, lens, bf);
  return new PackedSequence(data, batchSizes, sortedIndices, null);
}

export interface PadPackedOptions {
  batchFirst?: boolean;
  paddingValue?: number;
  totalLength?: number | null;
}
/**
 * PyTorch's `pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None)`:
 * the inverse of packPaddedSequence. Returns `[padded, lengths]` (lengths int64, in the original
 * batch order).
 */
export function padPackedSequence(
  sequence: PackedSequence,
  batchFirst: boolean | PadPackedOptions = {},
  paddingValue?: number,
  totalLength?: number | null,
): [Tensor, Tensor] {
  const o: PadPackedOptions = typeof batchFirst === "object" ? batchFirst : { batchFirst, paddingValue: paddingValue ?? 0, totalLength: totalLength ?? null };
  const bf = o.batchFirst ?? false;
  const batchSizes = intsOf(sequence.batchSizes);
  let maxSeq = batchSizes.length;
  const total = o.totalLength ?? null;
  if (total !== null) {
    if (total < maxSeq)
      throw new ValueError(
        `Expected total_length to be at least the length of the longest sequence in input, but got total_length=${total} and max sequence length being ${maxSeq}`,
      );
    maxSeq = total;
  }
  const [padded, lengths] = padPackedKernel(sequence.data, batchSizes, bf, o.paddingValue ?? 0, maxSeq);
  const unsorted = sequence.unsortedIndices;
  if (unsorted !== null) return [padded.indexSelect(bf ? 0 : 1, unsorted), lengths.indexSelect(0, unsorted)];
  return [padded, lengths];
}

export interface PadSequenceOptions {
  batchFirst?: boolean;
  paddingValue?: number;
}
/**
 * PyTorch's `pad_sequence(sequences, batch_first=False, padding_value=0.0)`: stacks sequences of
 * shape (L_i, *) into (maxL, B, *) (or (B, maxL, *)), padding with paddingValue.
 * @example
 * nn.utils.rnn.padSequence([torch.ones(3), torch.ones(2)]).shape; // [3, 2]
 */
export function padSequence(sequences: readonly Tensor[] | Tensor, batchFirst: boolean | PadSequenceOptions = {}, paddingValue?: number): Tensor {
  const o: PadSequenceOptions = typeof batchFirst === "object" ? batchFirst : { batchFirst, paddingValue: paddingValue ?? 0 };
  const seqs = sequences instanceof Tensor ? sequences.unbind(0) : [...sequences];
  if (seqs.length === 0) throw new RuntimeError("received an empty list of sequences");
  const trailing = seqs[0]!.shape.slice(1);
  let maxLen = seqs[0]!.size(0);
  for (const s of seqs) if (s.size(0) > maxLen) maxLen = s.size(0);
  const bf = o.batchFirst ?? false;
  const out = full(bf ? [seqs.length, maxLen, ...trailing] : [maxLen, seqs.length, ...trailing], o.paddingValue ?? 0, { dtype: seqs[0]!.dtype });
  seqs.forEach((s, i) => {
    const n = s.size(0);
    if (bf) out.select(0, i).narrow(0, 0, n).copy_(s);
    else out.narrow(0, 0, n).select(1, i).copy_(s);
  });
  return out;
}

/**
 * PyTorch's `pack_sequence(sequences, enforce_sorted=True)`: padSequence then packPaddedSequence.
 * @example
 * nn.utils.rnn.packSequence([torch.ones(2), torch.ones(3)], { enforceSorted: false });
 */
export function packSequence(sequences: readonly Tensor[], enforceSorted: boolean | { enforceSorted?: boolean } = true): PackedSequence {
  const es = typeof enforceSorted === "object" ? enforceSorted.enforceSorted ?? true : enforceSorted;
  const lengths = sequences.map((s) => s.size(0));
  return packPaddedSequence(padSequence(sequences), lengths, { enforceSorted: es });
}

/**
 * PyTorch's `unpad_sequence(padded_sequences, lengths, batch_first=False)`: the list of sequences
 * without their padding. NOTE: PyTorch transposes a seq-first input in place (`transpose_`); this
 * returns the same sequences and leaves the input alone.
 */
export function unpadSequence(paddedSequences: Tensor, lengths: Lengths, batchFirst: boolean | { batchFirst?: boolean } = false): Tensor[] {
  const bf = typeof batchFirst === "object" ? batchFirst.batchFirst ?? false : batchFirst;
  const padded = bf ? paddedSequences : paddedSequences.transpose(0, 1);
  const lens = lengthsOf(lengths);
  const idx = arange(padded.size(1));
  // seq[idx < length], a boolean-mask index (IndexBackward0) as PyTorch's
  return padded.unbind(0).map((seq, i) => seq.index(idx.lt(lens[i]!)));
}

/** PyTorch's `unpack_sequence(packed_sequences)`: the list of the packed sequences, in their original order. */
export function unpackSequence(packedSequences: PackedSequence): Tensor[] {
  const [padded, lengths] = padPackedSequence(packedSequences, { batchFirst: true });
  return unpadSequence(padded, lengths, true);
}

// snake_case aliases, as PyTorch spells them
export const pad_sequence = padSequence;
export const pack_sequence = packSequence;
export const pack_padded_sequence = packPaddedSequence;
export const pad_packed_sequence = padPackedSequence;
export const unpad_sequence = unpadSequence;
export const unpack_sequence = unpackSequence;
export const invert_permutation = invertPermutation;
