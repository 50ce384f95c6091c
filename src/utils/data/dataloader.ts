// DataLoader: a dataset, a sampler of indices, a batch sampler and a collate function, joined.
// Followed: torch/utils/data/dataloader.py (single-process path) and _utils/fetch.py of 1.13.
import { ValueError } from "../../errors.js";
import { Generator, defaultGenerator } from "../../random/generator.js";
import { randomInt64 } from "../../random/distributions.js";
import { IterableDataset } from "./dataset.js";
import { BatchSampler, RandomSampler, SequentialSampler, type Sized } from "./sampler.js";
import { type Collated, defaultCollate, defaultConvert } from "./collate.js";

/** A map-style dataset, structurally: a `Dataset` subclass or anything with getItem and length. */
export interface MapDataset<T> {
  getItem(index: number): T;
  readonly length: number;
  /**
   * Optional: the samples at several indices at once (PyTorch 1.13's `__getitems__` hook), for
   * datasets that can fetch a batch faster than one by one. The DataLoader then collates them.
   */
  getItems?(indices: readonly number[]): T[];
}

export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1); `null` turns batching off (each sample is yielded as is). */
  batchSize?: number | null;
  /** Reshuffle the data every epoch (default false). */
  shuffle?: boolean | null;
  /** Where the indices come from (excludes `shuffle`). */
  sampler?: (Iterable<number> & Partial<Sized>) | null;
  /** Where whole batches of indices come from (excludes batchSize, shuffle, sampler, dropLast). */
  batchSampler?: (Iterable<readonly number[]> & Partial<Sized>) | null;
  /**
   * Accepted for compatibility; loading always happens in this thread. NOTE: the batches and the
   * draws from the global generator are the same as PyTorch's with workers, except for any
   * randomness a dataset draws itself (PyTorch's workers seed it from the base seed).
   */
  numWorkers?: number;
  /** Makes a batch from the samples (default: {@link defaultCollate}; defaultConvert when unbatched). */
  collateFn?: ((batch: T[]) => B) | null;
  /** Drop the last, incomplete batch (default false). */
  dropLast?: boolean;
  /** The generator for the base seed and the shuffle (default: the global generator). */
  generator?: Generator | null;
}

/**
 * `torch.utils.data.DataLoader` (single-process): iterate it once per epoch.
 *
 * Each `for ... of` (each `[Symbol.iterator]()`) draws, like PyTorch's iterator: one int64
 * base seed from `generator` (or the global generator) at once, then whatever the sampler draws
 * when the first batch is asked for (see {@link RandomSampler}). So under the same `manualSeed`
 * a shuffled loader gives PyTorch's batches and leaves the global generator where PyTorch does.
 * @example
 * torch.manualSeed(0);
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 32, shuffle: true });
 * for (const [xb, yb] of loader) { ... }
 * loader.length; // number of batches, like len(loader)
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B> {
  readonly dataset: MapDataset<T> | IterableDataset<T>;
  readonly batchSize: number | null;
  readonly dropLast: boolean;
  readonly sampler: (Iterable<number> & Partial<Sized>) | null;
  readonly batchSampler: (Iterable<readonly number[]> & Partial<Sized>) | null;
  readonly numWorkers: number;
  readonly generator: Generator | null;
  readonly collateFn: (batch: T[]) => B;
  private readonly iterable: boolean;

  constructor(dataset: MapDataset<T> | IterableDataset<T>, options: DataLoaderOptions<T, B> = {}) {
    // NOTE: `undefined` means "not given" (PyTorch's defaults), `null` is Python's None.
    let batchSize = options.batchSize === undefined ? 1 : options.batchSize;
    let shuffle = options.shuffle ?? null;
    let sampler = options.sampler ?? null;
    let batchSampler = options.batchSampler ?? null;
    let dropLast = options.dropLast ?? false;
    const numWorkers = options.numWorkers ?? 0;
    const generator = options.generator ?? null;

    if (!(numWorkers >= 0)) {
      throw new ValueError("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.");
    }
    this.iterable = dataset instanceof IterableDataset;
    if (this.iterable) {
      if (shuffle !== null && shuffle !== false) {
        throw new ValueError(`DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=${pyRepr(shuffle)}`);
      }
      if (sampler !== null) {
        throw new ValueError("DataLoader with IterableDataset: expected unspecified sampler option, but got sampler=" + String(sampler));
      }
      if (batchSampler !== null) {
        throw new ValueError("DataLoader with IterableDataset: expected unspecified batch_sampler option, but got batch_sampler=" + String(batchSampler));
      }
    } else {
      shuffle = Boolean(shuffle);
    }
    if (sampler !== null && shuffle) throw new ValueError("sampler option is mutually exclusive with shuffle");
    if (batchSampler !== null) {
      if (batchSize !== 1 || shuffle || sampler !== null || dropLast) {
        throw new ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last");
      }
      batchSize = null;
      dropLast = false;
    } else if (batchSize === null && dropLast) {
      throw new ValueError("batch_size=None option disables auto-batching and is mutually exclusive with drop_last");
    }
    if (sampler === null && !this.iterable) {
      const ds = dataset as MapDataset<T>;
      sampler = shuffle ? new RandomSampler(ds, { generator }) : new SequentialSampler(ds);
    }
    if (batchSize !== null && batchSampler === null && !this.iterable) {
      batchSampler = new BatchSampler(sampler!, batchSize, dropLast);
    } else if (batchSize !== null && this.iterable) {
      // NOTE: PyTorch batches an IterableDataset through a BatchSampler over an infinite sampler;
      // constructing one here gives its batch_size / drop_last checks.
      void new BatchSampler([], batchSize, dropLast);
    }

    this.dataset = dataset;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    this.sampler = sampler;
    this.batchSampler = batchSampler;
    this.numWorkers = numWorkers;
    this.generator = generator;
    const autoCollation = batchSize !== null || batchSampler !== null;
    this.collateFn =
      options.collateFn ?? ((autoCollation ? defaultCollate : defaultConvert) as unknown as (batch: T[]) => B);
  }

  /** Whether samples are gathered into batches (`_auto_collation`). */
  private get autoCollation(): boolean {
    return this.batchSampler !== null || (this.iterable && this.batchSize !== null);
  }

  /** `len(loader)`: the number of batches one epoch yields. */
  get length(): number {
    if (this.iterable) {
      const n = (this.dataset as IterableDataset<T>).length;
      if (this.batchSize === null) return n;
      return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
    }
    const s = this.batchSampler ?? this.sampler!;
    if (s.length === undefined) throw new TypeError(`object of type '${s.constructor.name}' has no len()`);
    return s.length;
  }

  [Symbol.iterator](): Iterator<B> {
    // `_BaseDataLoaderIter.__init__`: the base seed (for workers) is drawn even with none.
    randomInt64(this.generator ?? defaultGenerator);
    if (this.iterable) {
      const it = (this.dataset as IterableDataset<T>)[Symbol.iterator]();
      return this.iterateStream(it);
    }
    return this.iterateMap();
  }

  private *iterateMap(): Generator_<B> {
    const ds = this.dataset as MapDataset<T>;
    if (this.batchSampler !== null) {
      for (const indices of this.batchSampler) {
        const samples = typeof ds.getItems === "function" ? ds.getItems(indices) : indices.map((i) => ds.getItem(i));
        yield this.collateFn(samples);
      }
    } else {
      for (const i of this.sampler!) {
        yield this.collateFn(ds.getItem(i) as unknown as T[]);
      }
    }
  }

  private *iterateStream(it: Iterator<T>): Generator_<B> {
    if (!this.autoCollation) {
      for (;;) {
        const r = it.next();
        if (r.done) return;
        yield this.collateFn(r.value as unknown as T[]);
      }
    }
    const bs = this.batchSize!;
    for (;;) {
      const data: T[] = [];
      let ended = false;
      while (data.length < bs) {
        const r = it.next();
        if (r.done) {
          ended = true;
          break;
        }
        data.push(r.value);
      }
      if (data.length === 0 || (this.dropLast && data.length < bs)) return;
      yield this.collateFn(data);
      if (ended) return;
    }
  }
}

/** The built-in generator type (the name `Generator` is torch's random generator here). */
type Generator_<T> = globalThis.Generator<T, void, undefined>;

function pyRepr(v: unknown): string {
  if (v === true) return "True";
  if (v === false) return "False";
  if (v === null || v === undefined) return "None";
  return String(v);
}
