// torch.utils.data datasets: Dataset, IterableDataset, TensorDataset, Subset, ConcatDataset,
// randomSplit. Followed: torch/utils/data/dataset.py of PyTorch 1.13.
import { Tensor } from "../../tensor/tensor.js";
import { AssertionError, ValueError } from "../../errors.js";
import { Generator, defaultGenerator } from "../../random/generator.js";
import { randperm } from "../../random/distributions.js";

// (Python's AssertionError, what PyTorch's `assert` statements raise, e.g. in TensorDataset: the one
// class of src/errors.ts, re-exported here as before)
export { AssertionError };

/**
 * A map-style dataset: `getItem(i)` for `0 <= i < length` (`__getitem__` / `__len__`).
 * @example
 * class Squares extends Dataset<number> {
 *   get length() { return 10; }
 *   getItem(i: number) { return i * i; }
 * }
 */
export abstract class Dataset<T> {
  abstract getItem(index: number): T;
  /** `len(dataset)`. */
  abstract get length(): number;
}

/**
 * An iterable-style dataset (`torch.utils.data.IterableDataset`): a stream of samples.
 * `length` is optional (PyTorch raises TypeError when `len()` is asked of one without it).
 */
export abstract class IterableDataset<T> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;
  get length(): number {
    throw new TypeError(`object of type '${this.constructor.name}' has no len()`);
  }
}

/**
 * An iterable-style dataset whose samples arrive asynchronously (a stream read from a file or a
 * network response): `[Symbol.asyncIterator]` instead of `[Symbol.iterator]`. PyTorch has no such
 * class (Python's loader blocks); a DataLoader over one is iterated with `for await`.
 * @example
 * class Countdown extends torch.utils.data.AsyncIterableDataset<number> {
 *   async *[Symbol.asyncIterator]() { for (let i = 3; i > 0; i--) yield i; }
 * }
 * const got = [];
 * for await (const b of new torch.utils.data.DataLoader(new Countdown(), { batchSize: 2 })) got.push(b.tolist());
 * // got: [[3, 2], [1]]
 */
export abstract class AsyncIterableDataset<T> implements AsyncIterable<T> {
  abstract [Symbol.asyncIterator](): AsyncIterator<T>;
  get length(): number {
    throw new TypeError(`object of type '${this.constructor.name}' has no len()`);
  }
}

/**
 * Samples are `[t0[i], t1[i], ...]`: each tensor indexed along its first dimension.
 * @example
 * const ds = new TensorDataset(torch.arange(4), torch.arange(4).mul(10));
 * ds.getItem(1); // [tensor(1), tensor(10)]
 */
export class TensorDataset<T extends Tensor[] = Tensor[]> extends Dataset<T> {
  readonly tensors: T;
  constructor(...tensors: T) {
    super();
    if (tensors.length === 0) throw new AssertionError("TensorDataset needs at least one tensor");
    const n = tensors[0]!.size(0);
    if (!tensors.every((t) => t.size(0) === n)) throw new AssertionError("Size mismatch between tensors");
    this.tensors = tensors;
  }
  getItem(index: number): T {
    return this.tensors.map((t) => t.index(index)) as T;
  }
  get length(): number {
    return this.tensors[0]!.size(0);
  }
}

/** The samples of `dataset` at `indices`, in that order. */
export class Subset<T> extends Dataset<T> {
  constructor(readonly dataset: Dataset<T>, readonly indices: readonly number[]) {
    super();
  }
  getItem(index: number): T {
    // NOTE: Python list indexing: negative indices count from the end.
    const i = index < 0 ? index + this.indices.length : index;
    const j = this.indices[i];
    if (j === undefined) throw new RangeError(`list index out of range: ${index}`);
    return this.dataset.getItem(j);
  }
  get length(): number {
    return this.indices.length;
  }
}

/** The datasets one after another. */
export class ConcatDataset<T> extends Dataset<T> {
  readonly datasets: Dataset<T>[];
  /** Running totals of the lengths (`cumulative_sizes`). */
  readonly cumulativeSizes: number[];
  constructor(datasets: Iterable<Dataset<T>>) {
    super();
    this.datasets = [...datasets];
    if (this.datasets.length === 0) throw new AssertionError("datasets should not be an empty iterable");
    for (const d of this.datasets as unknown[]) {
      if (d instanceof IterableDataset) throw new AssertionError("ConcatDataset does not support IterableDataset");
    }
    let s = 0;
    this.cumulativeSizes = this.datasets.map((d) => (s += d.length));
  }
  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1]!;
  }
  getItem(index: number): T {
    let idx = index;
    if (idx < 0) {
      if (-idx > this.length) throw new ValueError("absolute value of index should not exceed dataset length");
      idx = this.length + idx;
    }
    // bisect_right(cumulativeSizes, idx)
    let lo = 0;
    let hi = this.cumulativeSizes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (idx < this.cumulativeSizes[mid]!) hi = mid;
      else lo = mid + 1;
    }
    const sample = lo === 0 ? idx : idx - this.cumulativeSizes[lo - 1]!;
    const d = this.datasets[lo];
    if (d === undefined) throw new RangeError(`index ${index} is out of range for a dataset of length ${this.length}`);
    return d.getItem(sample);
  }
}

/** Python's math.isclose(a, b) with its default rel_tol=1e-9, abs_tol=0. */
function isClose(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * `torch.utils.data.random_split`: splits `dataset` into non-overlapping subsets of the given
 * lengths, or of the given fractions of its length (floors, then the remainder handed out one
 * by one, round-robin, from the first split). The order is `randperm(len, generator)`, so under
 * the same seed the subsets are PyTorch's.
 *
 * NOTE: like PyTorch, the default is the global generator itself (not a seed drawn from it).
 * @example
 * const ds = new TensorDataset(torch.arange(10));
 * const [train, val] = randomSplit(ds, [0.8, 0.2], new torch.Generator(42)); // 8 and 2 samples
 */
export function randomSplit<T>(
  dataset: Dataset<T>,
  lengths: readonly number[],
  generator: Generator = defaultGenerator,
): Subset<T>[] {
  const n = dataset.length;
  let sizes = lengths.slice();
  const total = sizes.reduce((a, b) => a + b, 0);
  if (isClose(total, 1) && total <= 1) {
    sizes = lengths.map((frac, i) => {
      if (frac < 0 || frac > 1) throw new ValueError(`Fraction at index ${i} is not between 0 and 1`);
      return Math.floor(n * frac);
    });
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length]! += 1;
  }
  if (sizes.reduce((a, b) => a + b, 0) !== n) {
    throw new ValueError("Sum of input lengths does not equal the length of the input dataset!");
  }
  const perm = Array.from(randperm(generator, n));
  const out: Subset<T>[] = [];
  let offset = 0;
  for (const len of sizes) {
    out.push(new Subset(dataset, perm.slice(offset, offset + len)));
    offset += len;
  }
  return out;
}
