// torch.utils.data samplers: iterables of dataset indices (or of batches of them) with a length.
// Followed: torch/utils/data/sampler.py of PyTorch 1.13, including exactly when each draw from a
// generator happens (see RandomSampler).
import { ValueError } from "../../errors.js";
import { Generator, defaultGenerator } from "../../random/generator.js";
import { randint, randomInt64, randperm } from "../../random/distributions.js";
import { Tensor, type NestedArray } from "../../tensor/tensor.js";
import { float64 } from "../../tensor/dtype.js";
import { tensor } from "../../ops/creation.js";

/** Anything with a length: a Dataset, an array (Python's `Sized`). */
export interface Sized {
  readonly length: number;
}

/** A Sampler yields indices (or, for a batch sampler, arrays of indices) and has a length. */
export abstract class Sampler<T = number> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;
  abstract get length(): number;
}

/** `0, 1, ..., len(dataSource) - 1`. */
export class SequentialSampler extends Sampler<number> {
  constructor(readonly dataSource: Sized) {
    super();
  }
  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.length;
    for (let i = 0; i < n; i++) yield i;
  }
  get length(): number {
    return this.dataSource.length;
  }
}

export interface RandomSamplerOptions {
  /** Draw with replacement (default false). */
  replacement?: boolean;
  /** How many indices to draw (default: the dataset's length). */
  numSamples?: number | null;
  /** Where the randomness comes from; default: a fresh generator seeded from the global one. */
  generator?: Generator | null;
}

/**
 * A random order of the indices (a permutation, or draws with replacement).
 *
 * What each iteration draws, as PyTorch 1.13 does (this is what makes a shuffled DataLoader
 * reproduce PyTorch's order and leave the global generator where PyTorch leaves it):
 * - without a generator: at the first `next()`, one int64 seed from the global generator
 *   (`torch.empty((), dtype=torch.int64).random_()`), and all else from a new
 *   `Generator(seed)`; with one: everything from it, nothing else.
 * - without replacement: `floor(numSamples / n)` full `randperm(n)`, then ONE MORE
 *   `randperm(n)` cut to `numSamples % n` items. NOTE: that last randperm is drawn even when the
 *   cut keeps nothing (numSamples = n, the default), at the `next()` that ends the iteration;
 *   with a caller's generator, it moves that generator on. An iteration abandoned earlier
 *   (`break`) never draws it, as in Python.
 * - with replacement: `randint(0, n)` in chunks of 32, then one chunk of `numSamples % 32`.
 * @example
 * [...new RandomSampler([10, 20, 30], { generator: new torch.Generator(0) })]
 */
export class RandomSampler extends Sampler<number> {
  readonly replacement: boolean;
  readonly generator: Generator | null;
  private readonly _numSamples: number | null;

  constructor(readonly dataSource: Sized, options: RandomSamplerOptions = {}) {
    super();
    this.replacement = options.replacement ?? false;
    this._numSamples = options.numSamples ?? null;
    this.generator = options.generator ?? null;
    if (typeof this.replacement !== "boolean") {
      throw new TypeError(`replacement should be a boolean value, but got replacement=${String(this.replacement)}`);
    }
    const ns = this.numSamples;
    if (!Number.isInteger(ns) || ns <= 0) {
      throw new ValueError(`num_samples should be a positive integer value, but got num_samples=${ns}`);
    }
  }

  /** The number of indices one iteration yields (the dataset's length unless told). */
  get numSamples(): number {
    return this._numSamples ?? this.dataSource.length;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.length;
    const gen = this.generator ?? new Generator(randomInt64(defaultGenerator));
    const m = this.numSamples;
    if (this.replacement) {
      for (let i = 0; i < Math.floor(m / 32); i++) yield* randint(gen, 32, 0, n);
      const rest = m % 32;
      // NOTE: a size-0 randint draws nothing.
      if (rest > 0) yield* randint(gen, rest, 0, n);
    } else {
      for (let i = 0; i < Math.floor(m / n); i++) yield* randperm(gen, n);
      yield* randperm(gen, n).subarray(0, m % n);
    }
  }

  get length(): number {
    return this.numSamples;
  }
}

/**
 * The given indices in a random order: `indices[randperm(len(indices))]`.
 * NOTE: unlike RandomSampler, without a generator it draws the permutation from the global
 * generator directly (no seed in between), as PyTorch does.
 */
export class SubsetRandomSampler extends Sampler<number> {
  constructor(readonly indices: readonly number[], readonly generator: Generator | null = null) {
    super();
  }
  *[Symbol.iterator](): Iterator<number> {
    const perm = randperm(this.generator ?? defaultGenerator, this.indices.length);
    for (const i of perm) yield this.indices[i]!;
  }
  get length(): number {
    return this.indices.length;
  }
}

export interface WeightedRandomSamplerOptions {
  /** Draw with replacement (default true). */
  replacement?: boolean;
  /** Where the randomness comes from (default: the global generator). */
  generator?: Generator | null;
}

/** Python's `str` of a scalar argument, for messages: booleans print as True/False. */
function pyStr(x: unknown): string {
  return typeof x === "boolean" ? (x ? "True" : "False") : String(x);
}

/**
 * Indices in `[0, weights.length)` drawn with probabilities proportional to `weights` (which need
 * not sum to 1): `torch.multinomial(weights, numSamples, replacement)` with the weights as float64.
 *
 * NOTE: the whole draw happens at the first `next()` of each iteration (PyTorch's `__iter__` is a
 * Python generator), from `generator` or else directly from the global generator (no seed is
 * drawn in between, unlike RandomSampler). With replacement that is one 53-bit uniform (two
 * uint32) per index; without, one per weight (see src/random/multinomial.ts).
 * @example
 * const s = new WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 5, { generator: new torch.Generator(0) });
 * [...s]; // [5, 4, 4, 5, 4], as PyTorch
 * new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(torch.arange(6)), { batchSize: 2, sampler: s });
 */
export class WeightedRandomSampler extends Sampler<number> {
  /** The weights, as a 1-D float64 tensor. */
  readonly weights: Tensor;
  readonly numSamples: number;
  readonly replacement: boolean;
  readonly generator: Generator | null;

  constructor(
    weights: Tensor | ArrayLike<number> | NestedArray,
    numSamples: number,
    options: WeightedRandomSamplerOptions = {},
  ) {
    super();
    const replacement = options.replacement ?? true;
    if (typeof numSamples !== "number" || !Number.isInteger(numSamples) || numSamples <= 0) {
      throw new ValueError(`num_samples should be a positive integer value, but got num_samples=${pyStr(numSamples)}`);
    }
    if (typeof replacement !== "boolean") {
      throw new ValueError(`replacement should be a boolean value, but got replacement=${pyStr(replacement)}`);
    }
    const w = tensor(weights as NestedArray, { dtype: float64 });
    if (w.dim() !== 1) {
      // Python's tuple: (), (3,) or (2, 3).
      const shape = w.shape.length === 1 ? `(${w.shape[0]},)` : `(${w.shape.join(", ")})`;
      throw new ValueError(`weights should be a 1d sequence but given weights have shape ${shape}`);
    }
    this.weights = w;
    this.numSamples = numSamples;
    this.replacement = replacement;
    this.generator = options.generator ?? null;
  }

  *[Symbol.iterator](): Iterator<number> {
    const idx = this.weights.multinomial(this.numSamples, this.replacement, { generator: this.generator ?? defaultGenerator });
    yield* idx.tolist() as number[];
  }

  get length(): number {
    return this.numSamples;
  }
}

/**
 * Groups the indices of `sampler` into arrays of `batchSize` (the last one shorter unless
 * `dropLast`).
 * @example
 * [...new BatchSampler(new SequentialSampler({ length: 10 }), 3, false)]
 * // [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
 */
export class BatchSampler extends Sampler<number[]> {
  constructor(
    readonly sampler: Iterable<number> & Partial<Sized>,
    readonly batchSize: number,
    readonly dropLast: boolean,
  ) {
    super();
    if (typeof batchSize !== "number" || !Number.isInteger(batchSize) || batchSize <= 0) {
      throw new ValueError(`batch_size should be a positive integer value, but got batch_size=${String(batchSize)}`);
    }
    if (typeof dropLast !== "boolean") {
      throw new ValueError(`drop_last should be a boolean value, but got drop_last=${String(dropLast)}`);
    }
  }

  *[Symbol.iterator](): Iterator<number[]> {
    // NOTE: the sampler is always run to its end (its final `next()` included) before the last
    // batch is given or the iteration ends, as PyTorch's loop does: RandomSampler draws at that
    // final `next()` (see there).
    let batch: number[] = [];
    for (const idx of this.sampler) {
      batch.push(idx);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }

  get length(): number {
    const n = this.sampler.length;
    if (n === undefined) throw new TypeError(`object of type '${this.sampler.constructor.name}' has no len()`);
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }
}
