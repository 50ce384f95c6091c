// torch.utils.data against real PyTorch 1.13 (fixtures from scripts/gen_data_fixtures.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import * as torch from "../src/index.js";
import { data } from "../src/utils/index.js";
import { readIdx } from "../src/utils/idx.js";

const { DataLoader, TensorDataset, RandomSampler, SubsetRandomSampler, BatchSampler, SequentialSampler, WeightedRandomSampler } = data;

interface Draws {
  randn: number[];
  randint: number[];
}
interface LoaderCase {
  seed: number;
  n: number;
  batch_size: number;
  drop_last: boolean;
  interleave: boolean;
  generator_seed: number | null;
  len: number;
  epochs: number[][][];
  between: number[][];
  after: Draws;
  generator_after?: number[];
}
interface EncTensor {
  __tensor__: unknown;
  shape: number[];
  dtype: string;
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/data.json", import.meta.url), "utf8")) as {
  loaders: LoaderCase[];
  partial: { seed: number; generator_seed: number | null; n: number; batch_size: number; firsts: number[][]; full: number[][]; after: Draws; generator_after?: number[] }[];
  iter_only: { seed: number; n: number; batch_size: number; after_iter: Draws; first_batch: number[]; after_first: Draws };
  sequential: { seed: number; n: number; batch_size: number; epochs: number[][][]; after: Draws };
  samplers: { seed: number; n: number; num_samples: number | null; replacement: boolean; generator_seed: number | null; len: number; orders: number[][]; after: Draws; generator_after?: number[] }[];
  subset_samplers: { seed: number; indices: number[]; generator_seed: number | null; orders: number[][]; after: Draws }[];
  batch_samplers: { n: number; batch_size: number; drop_last: boolean; batches: number[][]; len: number }[];
  splits: { n: number; lengths: number[]; generator_seed: number | null; global_seed: number; indices: number[][]; items: number[][]; after: Draws }[];
  split_errors: { n: number; lengths: number[]; error: string }[];
  collates: { name: string; batch: unknown; expected: unknown }[];
  collate_errors: { unequal: string; none: string };
  loader_errors: Record<string, string>;
  unbatched: number[][];
  custom_batches: number[][];
  lens: { bs3: number; bs3_drop: number; none: number };
  weighted: { seed: number; weights: number[]; num_samples: number; replacement: boolean; generator_seed: number | null; len: number; orders: number[][]; after: Draws; generator_after?: number[] }[];
  weighted_loaders: { seed: number; num_samples: number; replacement: boolean; drop_last: boolean; generator_seed: number | null; len: number; epochs: number[][][]; after: Draws }[];
  weighted_errors: Record<string, { type: string; message: string }>;
};

/** What the global generator gives next, drawn as the fixture script drew it. */
function draws(): Draws {
  return { randn: torch.randn(3).tolist() as number[], randint: torch.randint(0, 1000, [3]).tolist() as number[] };
}
const range = (n: number) => ({ length: n });

test("shuffled DataLoader: PyTorch's order, epochs, and global-generator consumption", () => {
  for (const c of fx.loaders) {
    const name = JSON.stringify({ ...c, epochs: undefined, after: undefined, between: undefined });
    torch.manualSeed(c.seed);
    const gen = c.generator_seed === null ? null : new torch.Generator(c.generator_seed);
    const dl = new DataLoader(new TensorDataset(torch.arange(c.n, { dtype: torch.int64 })), {
      batchSize: c.batch_size, shuffle: true, dropLast: c.drop_last, generator: gen,
    });
    assert.equal(dl.length, c.len, name);
    const between: number[][] = [];
    for (let ep = 0; ep < 3; ep++) {
      const got = [...dl].map(([x]) => x.tolist());
      assert.deepEqual(got, c.epochs[ep], `${name} epoch ${ep}`);
      if (c.interleave) between.push(torch.randn(2).tolist() as number[]);
    }
    assert.deepEqual(between, c.between, name);
    assert.deepEqual(draws(), c.after, name);
    if (gen) assert.deepEqual(torch.randperm(5, { generator: gen }).tolist(), c.generator_after, name);
  }
});

test("DataLoader: breaking out of an epoch draws what PyTorch draws", () => {
  for (const c of fx.partial) {
    torch.manualSeed(c.seed);
    const gen = c.generator_seed === null ? null : new torch.Generator(c.generator_seed);
    const dl = new DataLoader(new TensorDataset(torch.arange(c.n, { dtype: torch.int64 })), { batchSize: c.batch_size, shuffle: true, generator: gen });
    const firsts: unknown[] = [];
    for (let ep = 0; ep < 3; ep++) {
      for (const [x] of dl) {
        firsts.push(x.tolist());
        break;
      }
    }
    assert.deepEqual(firsts, c.firsts);
    assert.deepEqual([...dl].map(([x]) => x.tolist()), c.full);
    assert.deepEqual(draws(), c.after);
    if (gen) assert.deepEqual(torch.randperm(5, { generator: gen }).tolist(), c.generator_after);
  }
});

test("DataLoader: iter() draws the base seed at once, the sampler's seed at the first batch", () => {
  const c = fx.iter_only;
  torch.manualSeed(c.seed);
  const dl = new DataLoader(new TensorDataset(torch.arange(c.n, { dtype: torch.int64 })), { batchSize: c.batch_size, shuffle: true });
  const it = dl[Symbol.iterator]();
  assert.deepEqual(draws(), c.after_iter);
  const first = it.next();
  assert.equal(first.done, false);
  assert.deepEqual((first.value as torch.Tensor[])[0]!.tolist(), c.first_batch);
  assert.deepEqual(draws(), c.after_first);
});

test("DataLoader without shuffle still draws a base seed per epoch", () => {
  const c = fx.sequential;
  torch.manualSeed(c.seed);
  const dl = new DataLoader(new TensorDataset(torch.arange(c.n, { dtype: torch.int64 })), { batchSize: c.batch_size });
  const epochs = [0, 1].map(() => [...dl].map(([x]) => x.tolist()));
  assert.deepEqual(epochs, c.epochs);
  assert.deepEqual(draws(), c.after);
});

test("RandomSampler (with and without replacement, numSamples, generator)", () => {
  for (const c of fx.samplers) {
    torch.manualSeed(c.seed);
    const gen = c.generator_seed === null ? null : new torch.Generator(c.generator_seed);
    const s = new RandomSampler(range(c.n), { replacement: c.replacement, numSamples: c.num_samples, generator: gen });
    assert.equal(s.length, c.len);
    assert.deepEqual([[...s], [...s]], c.orders, JSON.stringify({ ...c, orders: undefined }));
    assert.deepEqual(draws(), c.after);
    if (gen) assert.deepEqual(torch.randperm(5, { generator: gen }).tolist(), c.generator_after);
  }
});

test("SubsetRandomSampler", () => {
  for (const c of fx.subset_samplers) {
    torch.manualSeed(c.seed);
    const gen = c.generator_seed === null ? null : new torch.Generator(c.generator_seed);
    const s = new SubsetRandomSampler(c.indices, gen);
    assert.equal(s.length, c.indices.length);
    assert.deepEqual([[...s], [...s]], c.orders);
    assert.deepEqual(draws(), c.after);
  }
});

test("WeightedRandomSampler: PyTorch's indices, each iteration a fresh torch.multinomial", () => {
  for (const c of fx.weighted) {
    const name = JSON.stringify({ ...c, orders: undefined, after: undefined, weights: c.weights.length });
    torch.manualSeed(c.seed);
    const gen = c.generator_seed === null ? null : new torch.Generator(c.generator_seed);
    const s = new WeightedRandomSampler(c.weights, c.num_samples, { replacement: c.replacement, generator: gen });
    assert.equal(s.length, c.len, name);
    assert.deepEqual([[...s], [...s]], c.orders, name);
    assert.deepEqual(draws(), c.after, name);
    if (gen) assert.deepEqual(torch.randperm(5, { generator: gen }).tolist(), c.generator_after, name);
  }
  const s = new WeightedRandomSampler(new Float32Array([1, 2, 3]), 2);
  assert.equal(s.weights.dtype, torch.float64);
  assert.equal(s.replacement, true);
  assert.deepEqual(new WeightedRandomSampler(torch.tensor([1, 2, 3]), 2).weights.tolist(), [1, 2, 3]);
});

test("DataLoader over a WeightedRandomSampler", () => {
  for (const c of fx.weighted_loaders) {
    const name = JSON.stringify({ ...c, epochs: undefined, after: undefined });
    torch.manualSeed(c.seed);
    const gen = c.generator_seed === null ? null : new torch.Generator(c.generator_seed);
    const weights = Array.from({ length: 10 }, (_, i) => i + 1);
    const sampler = new WeightedRandomSampler(weights, c.num_samples, { replacement: c.replacement, generator: gen });
    const dl = new DataLoader(new TensorDataset(torch.arange(10, { dtype: torch.int64 }).mul(10)), {
      batchSize: 4, sampler, dropLast: c.drop_last,
    });
    assert.equal(dl.length, c.len, name);
    const epochs = [0, 1].map(() => [...dl].map(([x]) => x.tolist()));
    assert.deepEqual(epochs, c.epochs, name);
    assert.deepEqual(draws(), c.after, name);
  }
});

test("WeightedRandomSampler rejects bad arguments with PyTorch's errors", () => {
  const calls: Record<string, () => unknown> = {
    "num_samples 0": () => [...new WeightedRandomSampler([1, 2], 0)],
    "num_samples -1": () => [...new WeightedRandomSampler([1, 2], -1)],
    "num_samples 2.5": () => [...new WeightedRandomSampler([1, 2], 2.5)],
    "num_samples True": () => [...new WeightedRandomSampler([1, 2], true as unknown as number)],
    "replacement 1": () => [...new WeightedRandomSampler([1, 2], 2, { replacement: 1 as unknown as boolean })],
    "2-D weights": () => [...new WeightedRandomSampler([[1, 2], [3, 4]], 2)],
    "0-D weights": () => [...new WeightedRandomSampler(3, 2)],
    "negative weight": () => [...new WeightedRandomSampler([-1, 2], 3)],
    "zero weights": () => [...new WeightedRandomSampler([0, 0], 1, { replacement: false })],
    "too many without replacement": () => [...new WeightedRandomSampler([1, 2], 3, { replacement: false })],
  };
  assert.deepEqual(Object.keys(calls).sort(), Object.keys(fx.weighted_errors).sort());
  for (const [name, { type, message }] of Object.entries(fx.weighted_errors)) {
    assert.throws(calls[name]!, { name: type, message }, name);
  }
});

test("BatchSampler and SequentialSampler", () => {
  for (const c of fx.batch_samplers) {
    const b = new BatchSampler(new SequentialSampler(range(c.n)), c.batch_size, c.drop_last);
    assert.deepEqual([...b], c.batches);
    assert.equal(b.length, c.len);
  }
  assert.throws(() => new BatchSampler([1], 0, false), { name: "ValueError", message: fx.loader_errors["batch_size 0"] });
});

test("randomSplit matches torch.utils.data.random_split", () => {
  for (const c of fx.splits) {
    torch.manualSeed(c.global_seed);
    const items = Array.from({ length: c.n }, (_, i) => i);
    const ds = { length: c.n, getItem: (i: number) => items[i]! } as unknown as data.Dataset<number>;
    const parts = c.generator_seed === null ? data.randomSplit(ds, c.lengths) : data.randomSplit(ds, c.lengths, new torch.Generator(c.generator_seed));
    assert.deepEqual(parts.map((p) => p.indices), c.indices, JSON.stringify(c.lengths));
    assert.deepEqual(parts.map((p) => Array.from({ length: p.length }, (_, i) => p.getItem(i))), c.items);
    assert.deepEqual(draws(), c.after);
  }
  for (const c of fx.split_errors) {
    const ds = new TensorDataset(torch.arange(c.n));
    assert.throws(() => data.randomSplit(ds, c.lengths), { name: "ValueError", message: c.error });
  }
});

/** Fixture encoding -> JS values (tensors made with the recorded dtype). */
function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === "object") {
    if ("__tensor__" in v) {
      const t = v as EncTensor;
      return torch.tensor(t.__tensor__ as torch.NestedArray, { dtype: dtypeOf(t.dtype) }).reshape(t.shape);
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}
function dtypeOf(name: string): torch.DType {
  return ({ float32: torch.float32, float64: torch.float64, int64: torch.int64, int32: torch.int32, bool: torch.bool } as Record<string, torch.DType>)[name]!;
}
/** JS values -> the fixture encoding, for comparison. */
function encode(v: unknown): unknown {
  if (v instanceof torch.Tensor) return { __tensor__: v.tolist(), shape: v.shape, dtype: v.dtype.name };
  if (Array.isArray(v)) return v.map(encode);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  return v;
}

test("defaultCollate matches default_collate", () => {
  for (const c of fx.collates) {
    const batch = decode(c.batch) as unknown[];
    const got = encode(data.defaultCollate(batch));
    // tolist() of bool tensors gives booleans in both; JSON keeps them.
    assert.deepEqual(got, c.expected, c.name);
  }
  assert.throws(() => data.defaultCollate([[1, 2], [3]]), { name: "RuntimeError", message: fx.collate_errors.unequal });
  assert.throws(() => data.defaultCollate([null, null]), { name: "TypeError", message: fx.collate_errors.none });
  // NOTE (our choice): mixed integers and fractions collate to float64.
  assert.equal(data.defaultCollate([1, 2.5]).dtype, torch.float64);
  assert.equal(data.defaultCollate([1n, 2n]).dtype, torch.int64);
  const m = data.defaultCollate([new Map([["a", 1]]), new Map([["a", 2]])]);
  assert.deepEqual(m.get("a")!.tolist(), [1, 2]);
  assert.deepEqual(data.defaultCollate([new Float32Array([1, 2]), new Float32Array([3, 4])]).shape, [2, 2]);
});

test("DataLoader rejects contradictory options with PyTorch's messages", () => {
  const ds = new TensorDataset(torch.arange(10));
  const bs = () => new BatchSampler(new SequentialSampler(ds), 2, false);
  const e = fx.loader_errors;
  const cases: [string, () => unknown][] = [
    ["sampler+shuffle", () => new DataLoader(ds, { sampler: new SequentialSampler(ds), shuffle: true })],
    ["batch_sampler+batch_size", () => new DataLoader(ds, { batchSampler: bs(), batchSize: 2 })],
    ["batch_sampler+shuffle", () => new DataLoader(ds, { batchSampler: bs(), shuffle: true })],
    ["batch_sampler+sampler", () => new DataLoader(ds, { batchSampler: bs(), sampler: new SequentialSampler(ds) })],
    ["batch_sampler+drop_last", () => new DataLoader(ds, { batchSampler: bs(), dropLast: true })],
    ["batch_size None+drop_last", () => new DataLoader(ds, { batchSize: null, dropLast: true })],
    ["num_workers<0", () => new DataLoader(ds, { numWorkers: -1 })],
    ["batch_size 0", () => new DataLoader(ds, { batchSize: 0 })],
    ["num_samples 0", () => new RandomSampler(ds, { numSamples: 0 })],
  ];
  for (const [key, f] of cases) assert.throws(f, { name: "ValueError", message: e[key] }, key);
  assert.throws(() => new TensorDataset(torch.arange(3), torch.arange(4)), { name: "AssertionError", message: e["tensor size mismatch"] });
  // Allowed: batchSize 1 given explicitly with a batch sampler (PyTorch checks `!= 1`).
  assert.doesNotThrow(() => new DataLoader(ds, { batchSampler: bs(), batchSize: 1 }));
});

test("DataLoader: batchSize null, custom batchSampler, length, collateFn", () => {
  const ds = new TensorDataset(torch.arange(4, { dtype: torch.int64 }), torch.arange(4, { dtype: torch.int64 }).mul(10));
  const unbatched = [...new DataLoader(ds, { batchSize: null })].map((item) => (item as unknown as torch.Tensor[]).map((t) => t.tolist()));
  assert.deepEqual(unbatched, fx.unbatched);
  const ds10 = new TensorDataset(torch.arange(10, { dtype: torch.int64 }));
  const custom = [...new DataLoader(ds10, { batchSampler: [[0, 1, 2], [9], [4, 4]] })].map(([x]) => x.tolist());
  assert.deepEqual(custom, fx.custom_batches);
  assert.equal(new DataLoader(ds10, { batchSize: 3 }).length, fx.lens.bs3);
  assert.equal(new DataLoader(ds10, { batchSize: 3, dropLast: true }).length, fx.lens.bs3_drop);
  assert.equal(new DataLoader(ds10, { batchSize: null }).length, fx.lens.none);
  const sums = [...new DataLoader(ds10, { batchSize: 4, collateFn: (b) => b.length })];
  assert.deepEqual(sums, [4, 4, 2]);
  // getItems (PyTorch's __getitems__) is used for whole batches when a dataset has it.
  const asked: number[][] = [];
  const batched = {
    length: 5,
    getItem: (i: number) => i * 2,
    getItems: (idx: readonly number[]) => (asked.push([...idx]), idx.map((i) => i * 2)),
  };
  assert.deepEqual([...new DataLoader(batched, { batchSize: 2 })].map((t) => t.tolist()), [[0, 2], [4, 6], [8]]);
  assert.deepEqual(asked, [[0, 1], [2, 3], [4]]);
});

test("IterableDataset through DataLoader", () => {
  class Count extends data.IterableDataset<number> {
    constructor(readonly n: number) {
      super();
    }
    *[Symbol.iterator]() {
      for (let i = 0; i < this.n; i++) yield i;
    }
    override get length() {
      return this.n;
    }
  }
  const got = [...new DataLoader(new Count(7), { batchSize: 3 })].map((t) => t.tolist());
  assert.deepEqual(got, [[0, 1, 2], [3, 4, 5], [6]]);
  assert.deepEqual([...new DataLoader(new Count(7), { batchSize: 3, dropLast: true })].map((t) => t.tolist()), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual([...new DataLoader(new Count(3), { batchSize: null })], [0, 1, 2]);
  assert.equal(new DataLoader(new Count(7), { batchSize: 3 }).length, 3);
  assert.throws(() => new DataLoader(new Count(3), { shuffle: true }), {
    name: "ValueError",
    message: "DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=True",
  });
});

test("Subset, ConcatDataset", () => {
  const a = new TensorDataset(torch.arange(3, { dtype: torch.int64 }));
  const b = new TensorDataset(torch.arange(10, 12, { dtype: torch.int64 }));
  const c = new data.ConcatDataset([a, b]);
  assert.equal(c.length, 5);
  assert.deepEqual([0, 1, 2, 3, 4, -1, -5].map((i) => c.getItem(i)[0]!.item()), [0, 1, 2, 10, 11, 11, 0]);
  assert.throws(() => c.getItem(-6), { name: "ValueError", message: "absolute value of index should not exceed dataset length" });
  const s = new data.Subset(c, [4, 0]);
  assert.deepEqual([0, 1, -1].map((i) => s.getItem(i)[0]!.item()), [11, 0, 0]);
});

test("readIdx reads IDX files (raw and gzip) and rejects bad ones", () => {
  const dir = mkdtempSync(join(tmpdir(), "idx-"));
  try {
    // 2 images of 2x3, ubyte
    const header = Buffer.from([0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3]);
    const body = Buffer.from([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    const raw = Buffer.concat([header, body]);
    writeFileSync(join(dir, "a-idx3-ubyte"), raw);
    writeFileSync(join(dir, "a-idx3-ubyte.gz"), gzipSync(raw));
    for (const f of ["a-idx3-ubyte", "a-idx3-ubyte.gz"]) {
      const t = readIdx(join(dir, f));
      assert.deepEqual(t.shape, [2, 2, 3]);
      assert.equal(t.dtype, torch.float32);
      assert.deepEqual(t.flatten().tolist(), [...body]);
    }
    const l = readIdx(join(dir, "a-idx3-ubyte"), { dtype: torch.int64 });
    assert.equal(l.dtype, torch.int64);
    // labels: 1-d
    writeFileSync(join(dir, "l-idx1-ubyte"), Buffer.from([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 9]));
    assert.deepEqual(readIdx(join(dir, "l-idx1-ubyte"), { dtype: torch.int64 }).tolist(), [7, 2, 9]);
    // big-endian int32 and float32 payloads
    const i32 = Buffer.alloc(4 + 4 + 8);
    i32.set([0, 0, 0x0c, 1]); i32.writeUInt32BE(2, 4); i32.writeInt32BE(-5, 8); i32.writeInt32BE(70000, 12);
    writeFileSync(join(dir, "i32"), i32);
    assert.deepEqual(readIdx(join(dir, "i32"), { dtype: torch.int64 }).tolist(), [-5, 70000]);
    const f32 = Buffer.alloc(4 + 4 + 4);
    f32.set([0, 0, 0x0d, 1]); f32.writeUInt32BE(1, 4); f32.writeFloatBE(1.5, 8);
    writeFileSync(join(dir, "f32"), f32);
    assert.deepEqual(readIdx(join(dir, "f32")).tolist(), [1.5]);
    // errors
    writeFileSync(join(dir, "bad"), Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]));
    assert.throws(() => readIdx(join(dir, "bad")), /not an IDX file: bad magic number 0x01020304/);
    writeFileSync(join(dir, "short"), raw.subarray(0, raw.length - 1));
    assert.throws(() => readIdx(join(dir, "short")), /truncated/);
    assert.throws(() => readIdx(join(dir, "missing")), /no such IDX file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a TensorDataset's batches (one indexSelect per tensor) are what the per-sample way stacks", async () => {
  const x = torch.randn(50, 3, 4), y = torch.arange(50);
  const ds = new TensorDataset(x, y);
  // a collate that is not the default one takes the per-sample way
  const perSample = (b: torch.Tensor[][]) => data.defaultCollate(b);
  const gen = (seed: number) => new torch.Generator().manualSeed(seed);
  for (const drop of [false, true]) {
    const fast = [...new DataLoader(ds, { batchSize: 8, shuffle: true, generator: gen(3), dropLast: drop })] as torch.Tensor[][];
    const slow = [...new DataLoader(ds, { batchSize: 8, shuffle: true, generator: gen(3), dropLast: drop, collateFn: perSample })] as torch.Tensor[][];
    assert.equal(fast.length, slow.length);
    fast.forEach((b, i) => b.forEach((t, j) => {
      const s = slow[i]![j]!;
      assert.deepEqual(t.shape, s.shape);
      assert.equal(t.dtype, s.dtype);
      assert.ok(t.isContiguous());
      assert.deepEqual(t.tolist(), s.tolist());
    }));
    const asyncFast: torch.Tensor[][] = [];
    for await (const b of new DataLoader(ds, { batchSize: 8, shuffle: true, generator: gen(3), dropLast: drop })) asyncFast.push(b as torch.Tensor[]);
    assert.deepEqual(asyncFast.map((b) => b.map((t) => t.tolist())), fast.map((b) => b.map((t) => t.tolist())));
  }
  // negative indices (Python's from-the-end) and out-of-range ones go the per-sample way
  const neg = new BatchSampler([-1, -2, 0], 3, false);
  const [b] = [...new DataLoader(ds, { batchSampler: neg })] as torch.Tensor[][];
  assert.deepEqual(b![1]!.tolist(), [49, 48, 0]);
  assert.throws(() => [...new DataLoader(ds, { batchSampler: new BatchSampler([0, 50], 2, false) })], /index 50 is out of bounds for dimension 0 with size 50/);
  // tensors that require grad keep the stacked batch's grad_fn
  const w = torch.randn(6, 2, { requiresGrad: true });
  const [g] = [...new DataLoader(new TensorDataset(w), { batchSize: 3 })] as torch.Tensor[][];
  assert.equal(g![0]!.gradFn?.name(), "StackBackward0");
});
