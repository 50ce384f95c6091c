// DataLoader: a dataset, a sampler of indices, a batch sampler and a collate function, joined.
// Followed: torch/utils/data/dataloader.py (single-process path) and _utils/fetch.py of 1.13.
import { TorchTypeError, ValueError, pythonTypeName } from "../../errors.js";
import { Generator, defaultGenerator } from "../../random/generator.js";
import { randomInt64 } from "../../random/distributions.js";
import { AsyncIterableDataset, IterableDataset, TensorDataset } from "./dataset.js";
import type { Tensor } from "../../tensor/tensor.js";
import { tensor } from "../../ops/creation.js";
import { int64 } from "../../tensor/dtype.js";
import { BatchSampler, RandomSampler, SequentialSampler, type Sized } from "./sampler.js";
import { type Collated, defaultCollate, defaultConvert } from "./collate.js";

/**
 * A map-style dataset, structurally: a `Dataset` subclass or anything with getItem and length.
 * An async dataset's `getItem` returns a Promise (`T` is then `Promise<Sample>`): iterate its
 * loader with `for await`.
 */
export interface MapDataset<T> {
  getItem(index: number): T;
  readonly length: number;
  /**
   * Optional: the samples at several indices at once (PyTorch 1.13's `__getitems__` hook), for
   * datasets that can fetch a batch faster than one by one. The DataLoader then collates them.
   * An async dataset may return a Promise of the samples (e.g. reading the files concurrently).
   */
  getItems?(indices: readonly number[]): NoInfer<T[] | Promise<Awaited<T>[]>>;
}

/** A thenable (a Promise or the like), which only `for await` can wait for. */
function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === "object" || typeof x === "function") && typeof (x as { then?: unknown }).then === "function";
}

function asyncInSyncLoop(what: string): TypeError {
  return new TypeError(
    `DataLoader: the dataset's ${what} returned a Promise (an async dataset): iterate it with \`for await (const batch of loader)\``,
  );
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
  /**
   * Makes a batch from the samples (default: {@link defaultCollate}; defaultConvert when unbatched).
   * Under `for await` it gets the samples of an async dataset already awaited.
   */
  collateFn?: ((batch: Awaited<T>[]) => B) | null;
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
 *
 * `for await (const batch of loader)` also works, and is the way to iterate an async dataset
 * (`getItem` returning a Promise, e.g. one that reads files or fetches, or an
 * {@link AsyncIterableDataset}). It draws from the generators exactly what `for ... of` draws, and
 * waits for the samples one after another, in the sampler's order (NOTE: so a dataset that draws
 * random numbers after an `await`, like a random transform after a file read, draws them in
 * PyTorch's order; a dataset that can read a batch concurrently implements `getItems`).
 * @example
 * const { DataLoader, TensorDataset } = torch.utils.data;
 * torch.manualSeed(0);
 * const [x, y] = [torch.randn(100, 3), torch.randint(0, 2, [100])];
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 32, shuffle: true });
 * for (const [xb, yb] of loader) console.log(xb.shape, yb.shape); // [32, 3] [32] three times, then [4, 3] [4]
 * loader.length; // number of batches, like len(loader): 4
 * @example
 * class Slow extends torch.utils.data.Dataset<Promise<number>> {
 *   get length() { return 5; }
 *   async getItem(i: number) { await new Promise((r) => setTimeout(r, 1)); return i * 10; }
 * }
 * const batches = [];
 * for await (const b of new torch.utils.data.DataLoader(new Slow(), { batchSize: 2 })) batches.push(b.tolist());
 * // batches: [[0, 10], [20, 30], [40]]
 */
export class DataLoader<T, B = Collated<Awaited<T>>> implements Iterable<B>, AsyncIterable<B> {
  readonly dataset: MapDataset<T> | IterableDataset<T> | AsyncIterableDataset<T>;
  readonly batchSize: number | null;
  readonly dropLast: boolean;
  readonly sampler: (Iterable<number> & Partial<Sized>) | null;
  readonly batchSampler: (Iterable<readonly number[]> & Partial<Sized>) | null;
  readonly numWorkers: number;
  readonly generator: Generator | null;
  readonly collateFn: (batch: Awaited<T>[]) => B;
  private readonly iterable: boolean;

  constructor(dataset: MapDataset<T> | IterableDataset<T> | AsyncIterableDataset<T>, options: DataLoaderOptions<T, B> = {}) {
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
    this.iterable = dataset instanceof IterableDataset || dataset instanceof AsyncIterableDataset;
    // (a plain array is a dataset, as a Python list is; anything else must have getItem and length)
    if (Array.isArray(dataset)) {
      const items = dataset as unknown as T[];
      dataset = { getItem: (i: number) => items[i]!, get length() { return items.length; } };
    } else if (!this.iterable && (dataset === null || typeof dataset !== "object" || typeof (dataset as MapDataset<T>).getItem !== "function"))
      throw new TorchTypeError(`DataLoader: the dataset must be a Dataset (getItem and length), an IterableDataset or an array, not ${pythonTypeName(dataset)}`);
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
      options.collateFn ?? ((autoCollation ? defaultCollate : defaultConvert) as unknown as (batch: Awaited<T>[]) => B);
  }

  /** Whether samples are gathered into batches (`_auto_collation`). */
  private get autoCollation(): boolean {
    return this.batchSampler !== null || (this.iterable && this.batchSize !== null);
  }

  /** `len(loader)`: the number of batches one epoch yields. */
  get length(): number {
    if (this.iterable) {
      const n = (this.dataset as IterableDataset<T> | AsyncIterableDataset<T>).length;
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
    if (this.dataset instanceof AsyncIterableDataset) throw asyncInSyncLoop("iterator");
    if (this.iterable) {
      const it = (this.dataset as IterableDataset<Awaited<T>>)[Symbol.iterator]();
      return this.iterateStream(it);
    }
    return this.iterateMap();
  }

  /**
   * `for await (const batch of loader)`: the same batches, and the same draws from the generators
   * at the same moments, as `for ... of`; the samples of an async dataset are awaited one by one
   * in the sampler's order (or a batch at once through the dataset's `getItems`).
   */
  [Symbol.asyncIterator](): AsyncIterator<B> {
    randomInt64(this.generator ?? defaultGenerator);
    if (this.iterable) {
      const ds = this.dataset as IterableDataset<Awaited<T>> | AsyncIterableDataset<Awaited<T>>;
      const it: Iterator<Awaited<T>> | AsyncIterator<Awaited<T>> =
        ds instanceof AsyncIterableDataset ? ds[Symbol.asyncIterator]() : ds[Symbol.iterator]();
      return this.iterateStreamAsync(it);
    }
    return this.iterateMapAsync();
  }

  private *iterateMap(): Generator_<B> {
    const ds = this.dataset as MapDataset<T>;
    if (this.batchSampler !== null) {
      const whole = this.wholeBatches();
      for (const indices of this.batchSampler) {
        const batch = whole?.(indices);
        if (batch) {
          yield batch;
          continue;
        }
        const samples = typeof ds.getItems === "function" ? ds.getItems(indices) : indices.map((i) => ds.getItem(i));
        if (isThenable(samples)) throw asyncInSyncLoop("getItems");
        if (samples.some(isThenable)) throw asyncInSyncLoop("getItem");
        yield this.collateFn(samples as Awaited<T>[]);
      }
    } else {
      for (const i of this.sampler!) {
        const sample = ds.getItem(i);
        if (isThenable(sample)) throw asyncInSyncLoop("getItem");
        yield this.collateFn(sample as unknown as Awaited<T>[]);
      }
    }
  }

  /**
   * For a TensorDataset with the default collate: a batch as one indexSelect per tensor, which is
   * what stacking the samples gives (same values, shape, dtype and a new contiguous tensor), without
   * a tensor per sample. NOTE: measured (the demo's 128 x 784 batches, Node 24): the per-sample way
   * took ~0.8 ms a batch, a fifth of a training step. Indices the per-sample way would treat
   * differently (negative, out of range, not integers) and tensors that require grad (the batch
   * would get another grad_fn) take the per-sample way, which gives PyTorch's results and errors.
   * Null when it does not apply.
   */
  private wholeBatches(): ((indices: readonly number[]) => B | null) | null {
    const ds = this.dataset;
    if (!(ds instanceof TensorDataset) || ds.getItem !== TensorDataset.prototype.getItem || typeof (ds as MapDataset<T>).getItems === "function") return null;
    if (this.collateFn !== (defaultCollate as unknown)) return null;
    const tensors = ds.tensors as Tensor[];
    return (indices) => {
      if (tensors.some((t) => t.requiresGrad)) return null;
      const n = ds.length;
      for (const i of indices) if (!Number.isInteger(i) || i < 0 || i >= n) return null;
      const idx = tensor([...indices], { dtype: int64 });
      return tensors.map((t) => t.indexSelect(0, idx)) as unknown as B;
    };
  }

  private async *iterateMapAsync(): AsyncGenerator<B, void, undefined> {
    const ds = this.dataset as MapDataset<T>;
    if (this.batchSampler !== null) {
      const whole = this.wholeBatches();
      for (const indices of this.batchSampler) {
        const batch = whole?.(indices);
        if (batch) {
          yield batch;
          continue;
        }
        let samples: Awaited<T>[];
        if (typeof ds.getItems === "function") samples = (await ds.getItems(indices)) as Awaited<T>[];
        else {
          samples = [];
          for (const i of indices) samples.push(await ds.getItem(i));
        }
        yield this.collateFn(samples);
      }
    } else {
      for (const i of this.sampler!) {
        yield this.collateFn((await ds.getItem(i)) as unknown as Awaited<T>[]);
      }
    }
  }

  private async *iterateStreamAsync(it: Iterator<Awaited<T>> | AsyncIterator<Awaited<T>>): AsyncGenerator<B, void, undefined> {
    if (!this.autoCollation) {
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield this.collateFn(r.value as unknown as Awaited<T>[]);
      }
    }
    const bs = this.batchSize!;
    for (;;) {
      const data: Awaited<T>[] = [];
      let ended = false;
      while (data.length < bs) {
        const r = await it.next();
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

  private *iterateStream(it: Iterator<Awaited<T>>): Generator_<B> {
    if (!this.autoCollation) {
      for (;;) {
        const r = it.next();
        if (r.done) return;
        yield this.collateFn(r.value as unknown as Awaited<T>[]);
      }
    }
    const bs = this.batchSize!;
    for (;;) {
      const data: Awaited<T>[] = [];
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
