// Async DataLoaders, CSV, image decoding, ImageFolder, MNIST / FashionMNIST / CIFAR-10 and the
// transforms, against test/fixtures/data_extra.json and the files beside it (written by
// scripts/gen_data_extra_fixtures.py with PyTorch 1.13, PIL and numpy: torchvision is not installed
// here, so the transforms' expected values come from torchvision 0.14's formulas, see the script).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import * as torch from "../src/index.js";
import { CIFAR10, FashionMNIST, ImageFolder, MNIST, decodeImage, readCSV, readImage } from "../src/node/index.js";

const { data } = torch.utils;
const { DataLoader, TensorDataset, AsyncIterableDataset, Dataset, transforms: T } = data;
type Tensor = torch.Tensor;
type RawImage = torch.utils.data.RawImage;

const FIX = new URL("./fixtures/data_extra/", import.meta.url).pathname;
const IMAGES = join(FIX, "images");

interface Batch {
  x: unknown;
  y: number[];
  i?: number[];
  sums?: number[];
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/data_extra.json", import.meta.url), "utf8")) as {
  oracle: string;
  folder: { classes: string[]; class_to_idx: Record<string, number>; samples: [string, number][] };
  images: Record<string, { width: number; height: number; rgb: number[]; jpeg: boolean; subsampling: string | null }>;
  c1_gray: number[];
  to_tensor_c1: unknown;
  normalize_c1: unknown;
  random_crop: {
    kind: "pil" | "tensor"; seed: number; size: [number, number]; padding: number | number[] | null; pad_if_needed: boolean;
    fill: number; mode: "constant" | "edge" | "reflect" | "symmetric"; crop: unknown; crop_shape: number[]; flipped: unknown; after: number[];
  }[];
  crop_too_big: string;
  crop_one_larger: string;
  resize_input: unknown;
  resize: { size: number | number[]; mode: "bilinear" | "nearest"; max_size: number | null; out: unknown; shape: number[] }[];
  center_crop: { size: [number, number]; out: unknown; shape: number[] }[];
  mnist: { train_targets: number[]; test_targets: number[]; item0_pixels: number[]; test_item2_pixels: number[]; seed: number; batches: Batch[]; after: number[] };
  cifar: { train_targets: number[]; test_targets: number[]; item3_hwc: number[]; seed: number; batches: Batch[]; after: number[] };
  folder_loader: { seed: number; batches: Batch[]; after: number[] };
  csv: { header: string[]; features: (number | string)[][]; labels: number[] };
};

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);

/** Every value equal (NaN equal to NaN), or within `atol` where given. */
function close(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let k = 0; k < want.length; k++) {
    const g = got[k]!, w = want[k]!;
    if (Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w))) continue;
    assert.ok(Math.abs(g - w) <= atol, `${what}[${k}]: got ${g}, want ${w} (atol ${atol})`);
  }
}

// NOTE: jpeg-js (our Node decoder) is not libjpeg (PIL's). With full-resolution chroma (4:4:4) its
// IDCT rounds a pixel differently by at most 2 here; with 4:2:0 chroma (JPEG's usual default)
// it upsamples the chroma by repetition where libjpeg interpolates ("fancy upsampling"), so the
// colours of neighbouring pixels differ more: up to 12 here, 3 on average. These bounds are
// what jpeg-js does on these fixtures, not a target; PNG pixels must be exact.
const JPEG_BOUND: Record<string, { max: number; mean: number }> = { "4:4:4": { max: 2, mean: 0.6 }, "4:2:0": { max: 12, mean: 3.1 } };
const jpegBound = (rel: string) => JPEG_BOUND[fx.images[rel]!.subsampling!]!;

// ---------------------------------------------------------------------------- async DataLoader

/** arange(n) as an async map-style dataset whose items arrive out of order. */
class SlowRange extends Dataset<Promise<Tensor>> {
  constructor(private readonly n: number) {
    super();
  }
  get length(): number {
    return this.n;
  }
  async getItem(i: number): Promise<Tensor> {
    // a macrotask for some items, a microtask for the others: they complete out of order
    if (i % 3 === 0) await new Promise((r) => setImmediate(r));
    else await Promise.resolve();
    return torch.tensor(i, { dtype: torch.int64 });
  }
}

test("for await over a DataLoader of an async dataset: PyTorch's shuffled batches and draws (data.json)", async () => {
  const cases = (JSON.parse(readFileSync(new URL("./fixtures/data.json", import.meta.url), "utf8")) as {
    loaders: { seed: number; n: number; batch_size: number; drop_last: boolean; interleave: boolean; generator_seed: number | null; epochs: number[][][]; between: number[][]; after: { randn: number[]; randint: number[] } }[];
  }).loaders;
  assert.ok(cases.length > 0);
  for (const c of cases) {
    torch.manualSeed(c.seed);
    const gen = c.generator_seed === null ? null : new torch.Generator(c.generator_seed);
    const dl = new DataLoader(new SlowRange(c.n), { batchSize: c.batch_size, shuffle: true, dropLast: c.drop_last, generator: gen });
    const between: number[][] = [];
    for (let ep = 0; ep < 3; ep++) {
      const got: unknown[] = [];
      for await (const b of dl) got.push(b.tolist());
      assert.deepEqual(got, c.epochs[ep]);
      if (c.interleave) between.push(torch.randn(2).tolist() as number[]);
    }
    assert.deepEqual(between, c.between);
    assert.deepEqual({ randn: torch.randn(3).tolist(), randint: torch.randint(0, 1000, [3]).tolist() }, c.after);
  }
});

test("for await gives the same batches and draws as for...of over a sync dataset, and breaks cleanly", async () => {
  const ds = new TensorDataset(torch.arange(10, { dtype: torch.int64 }), torch.arange(10).mul(2));
  torch.manualSeed(5);
  const dl = new DataLoader(ds, { batchSize: 3, shuffle: true });
  const sync = [...dl].map(([a, b]) => [a!.tolist(), b!.tolist()]);
  const afterSync = torch.rand(2).tolist();
  torch.manualSeed(5);
  const got: unknown[] = [];
  for await (const [a, b] of dl) got.push([a!.tolist(), b!.tolist()]);
  assert.deepEqual(got, sync);
  assert.deepEqual(torch.rand(2).tolist(), afterSync);
  // breaking out after the first batch draws what the sync loop draws
  torch.manualSeed(5);
  for (const _ of dl) break;
  const afterBreakSync = torch.rand(2).tolist();
  torch.manualSeed(5);
  for await (const _ of dl) break;
  assert.deepEqual(torch.rand(2).tolist(), afterBreakSync);
});

test("an async dataset that draws random numbers after an await draws them in the sampler's order", async () => {
  // Items finish out of order (the delays), yet each item's torch.rand comes in index order, as
  // PyTorch's single-process loader takes them; the same dataset done synchronously is the oracle.
  class Noisy extends Dataset<Promise<Tensor>> {
    get length() {
      return 7;
    }
    async getItem(i: number) {
      await new Promise((r) => setTimeout(r, (7 - i) % 4));
      return torch.rand(2).add(i);
    }
  }
  class NoisySync extends Dataset<Tensor> {
    get length() {
      return 7;
    }
    getItem(i: number) {
      return torch.rand(2).add(i);
    }
  }
  torch.manualSeed(1);
  const want = [...new DataLoader(new NoisySync(), { batchSize: 3, shuffle: true })].map((b) => b.tolist());
  torch.manualSeed(1);
  const got: unknown[] = [];
  for await (const b of new DataLoader(new Noisy(), { batchSize: 3, shuffle: true })) got.push(b.tolist());
  assert.deepEqual(got, want);
});

test("iterating an async dataset with for...of says to use for await", () => {
  const dl = new DataLoader(new SlowRange(4), { batchSize: 2 });
  assert.throws(() => [...dl], (e: unknown) => e instanceof TypeError && /returned a Promise .*for await/.test((e as Error).message));
  const unbatched = new DataLoader(new SlowRange(4), { batchSize: null });
  assert.throws(() => [...unbatched], /for await/);
});

test("AsyncIterableDataset: batches, dropLast, unbatched, and no for...of", async () => {
  class Stream extends AsyncIterableDataset<number> {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < 7; i++) {
        await Promise.resolve();
        yield i;
      }
    }
  }
  const out = async (opts: { batchSize?: number | null; dropLast?: boolean }) => {
    const got: unknown[] = [];
    for await (const b of new DataLoader(new Stream(), opts)) got.push(b instanceof torch.Tensor ? b.tolist() : b);
    return got;
  };
  assert.deepEqual(await out({ batchSize: 3 }), [[0, 1, 2], [3, 4, 5], [6]]);
  assert.deepEqual(await out({ batchSize: 3, dropLast: true }), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(await out({ batchSize: null }), [0, 1, 2, 3, 4, 5, 6]);
  assert.throws(() => [...new DataLoader(new Stream(), { batchSize: 2 })], /for await/);
  assert.throws(() => new DataLoader(new Stream(), { shuffle: true }), /expected unspecified shuffle option/);
});

test("an async getItems (a batch at once) is awaited and collated", async () => {
  const calls: number[][] = [];
  const ds = {
    length: 5,
    getItem: async (i: number) => i,
    getItems: async (idx: readonly number[]) => {
      calls.push([...idx]);
      return idx.map((i) => i * 10);
    },
  };
  const got: unknown[] = [];
  for await (const b of new DataLoader(ds, { batchSize: 2 })) got.push(b.tolist());
  assert.deepEqual(got, [[0, 10], [20, 30], [40]]);
  assert.deepEqual(calls, [[0, 1], [2, 3], [4]]);
});

// ---------------------------------------------------------------------------- CSV

test("CSVDataset / readCSV: header, quotes, CRLF, blank lines, Python's float syntax", () => {
  const ds = readCSV(join(FIX, "table.csv"), { target: "label" });
  assert.deepEqual(ds.featureNames, fx.csv.header.slice(0, 2));
  assert.deepEqual(ds.targetNames, ["label"]);
  assert.equal(ds.length, fx.csv.labels.length);
  close(ds.features.dataSync(), new Float32Array(fx.csv.features.flat().map(Number)), 0, "features");
  assert.equal(ds.targets!.dtype, torch.int64);
  assert.deepEqual(ds.targets!.tolist(), fx.csv.labels);
  const [x, y] = ds.getItem(1);
  assert.deepEqual(x!.shape, [2]);
  assert.equal(y!.item(), fx.csv.labels[1]);
  // batches through a DataLoader
  const [xb, yb] = [...new DataLoader(ds, { batchSize: 4 })][0]!;
  assert.deepEqual(xb!.shape, [4, 2]);
  assert.deepEqual(yb!.tolist(), fx.csv.labels);
  // column selection by name and index, several targets, float64, no header, another delimiter
  const sel = new data.CSVDataset("a;b;c\n1;2;3\n4;5;6\n", { delimiter: ";", columns: [2, "a"], target: ["b"], dtype: torch.float64, targetDtype: torch.float32 });
  assert.deepEqual(sel.features.tolist(), [[3, 1], [6, 4]]);
  assert.equal(sel.features.dtype, torch.float64);
  assert.deepEqual(sel.targets!.tolist(), [2, 5]);
  const two = new data.CSVDataset("1,2,3\n4,5,6.5\n", { header: false, target: [1, 2] });
  assert.deepEqual(two.targets!.shape, [2, 2]);
  assert.equal(two.targets!.dtype, torch.float32);
  assert.deepEqual(two.featureNames, ["0"]);
  const noTarget = new data.CSVDataset("u,v\n1,2\n");
  assert.equal(noTarget.getItem(0).length, 1);
  const conv = new data.CSVDataset('x,species\n1,"setosa"\n2,virginica\n', { target: "species", converters: { species: (s) => ["setosa", "virginica"].indexOf(s) } });
  assert.deepEqual(conv.targets!.tolist(), [0, 1]);
});

test("CSVDataset: malformed rows are errors that name the line (and the file)", () => {
  const err = (text: string, opts: torch.utils.data.CSVOptions, re: RegExp) =>
    assert.throws(() => new data.CSVDataset(text, opts), (e: unknown) => e instanceof torch.ValueError && re.test((e as Error).message));
  err("a,b\n1,2\n3\n", {}, /^line 3: expected 2 fields \(as in the header\), found 1$/);
  err("a,b\n1,2\n\n3,x\n", {}, /^line 4, column "b": could not convert string to float: 'x'$/);
  err('a,b\n"multi\nline",2\n', {}, /^line 2, column "a": could not convert string to float: 'multi\nline'$/);
  err('a,b\n"1\n",2\n5,,\n', {}, /^line 4: expected 2 fields/);
  err("a,b\n1,\n", {}, /^line 2, column "b": empty field$/);
  err('a,b\n"1"x,2\n', {}, /^line 2: unexpected character "x" after a closing quote$/);
  err('a,b\n"1,2\n', {}, /^line 2: a quoted field is not closed/);
  err("a,b\n1,2\n", { target: "c" }, /^no column named "c"; the header has "a", "b"$/);
  err("a,b\n1,2.5\n", { target: "b", targetDtype: torch.int64 }, /^line 2, column "b": 2.5 is not an integer, but the target dtype is int64$/);
  err("a,b\n1,2\n", { columns: ["a", "b"], target: "b" }, /both a feature and a target/);
  const dir = mkdtempSync(join(tmpdir(), "typetorch-csv-"));
  try {
    writeFileSync(join(dir, "bad.csv"), "a,b\n1,2\n3,4,5\n");
    assert.throws(() => readCSV(join(dir, "bad.csv")), (e: unknown) => e instanceof torch.ValueError && (e as Error).message === `${join(dir, "bad.csv")}: line 3: expected 2 fields (as in the header), found 3`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(data.parseCSV("a,b\r\n\r\n1,2").map((r) => [r.line, r.fields]), [[1, ["a", "b"]], [3, ["1", "2"]]]);
  assert.equal(data.parseFloatStrict(" -1_0.5e1 "), -105);
  assert.equal(data.parseFloatStrict("-Infinity"), -Infinity);
  assert.equal(data.parseFloatStrict("1__0"), null);
  assert.equal(data.parseFloatStrict("0x10"), null);
});

// ---------------------------------------------------------------------------- images

test("decodeImage (pngjs / jpeg-js) gives PIL's RGB pixels: PNG exactly, JPEG within a few units", () => {
  for (const [rel, want] of Object.entries(fx.images)) {
    const img = readImage(join(IMAGES, rel));
    assert.equal(img.mode, "RGB");
    assert.deepEqual([img.width, img.height], [want.width, want.height], rel);
    if (!want.jpeg) close(img.data, want.rgb, 0, rel);
    else {
      const { max, mean } = jpegBound(rel);
      close(img.data, want.rgb, max, rel);
      const mae = want.rgb.reduce((s, w, k) => s + Math.abs(img.data[k]! - w), 0) / want.rgb.length;
      assert.ok(mae <= mean, `${rel}: mean difference ${mae} from PIL's pixels (bound ${mean})`);
    }
  }
  // PIL's convert("L")
  const gray = decodeImage(readFileSync(join(IMAGES, "cat/c1.png")), "L");
  close(gray.data, fx.c1_gray, 0, "L");
  assert.throws(() => decodeImage(new Uint8Array([1, 2, 3]), "RGB", "x.bmp"), /x\.bmp: not a PNG or JPEG file/);
  assert.throws(() => decodeImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0]), "RGB", "bad.png"), /bad\.png: cannot decode PNG/);
  // in Node the core's browser decoder says where to look
  return assert.rejects(data.decodeImage(new Uint8Array([1])), /typetorch\/node/);
});

test("ImageFolder (Node): torchvision's classes, class_to_idx and sample order; non-images skipped", () => {
  const ds = new ImageFolder(IMAGES);
  assert.deepEqual(ds.classes, fx.folder.classes);
  assert.deepEqual(ds.classToIdx, fx.folder.class_to_idx);
  assert.deepEqual(ds.samples.map(([p, t]) => [p.slice(IMAGES.length + 1), t]), fx.folder.samples);
  assert.deepEqual(ds.targets, fx.folder.samples.map((s) => s[1]));
  assert.equal(ds.length, fx.folder.samples.length);
  const [img, y] = ds.getItem(-1);
  assert.equal(y, fx.folder.samples.at(-1)![1]);
  assert.equal((img as RawImage).mode, "RGB");
  // extensions / is_valid_file, and their errors
  const jpgs = new ImageFolder(join(IMAGES), { isValidFile: (p) => p.endsWith(".png") || p.endsWith(".jpg") });
  assert.deepEqual(jpgs.samples.map((s) => s[0].slice(IMAGES.length + 1)), ["cat/c1.png", "cat/sub/c3.png", "dog/d1.jpg", "dog/d3.png"]);
  assert.throws(() => new ImageFolder(IMAGES, { extensions: [".jpg", ".jpeg"] }), (e: unknown) =>
    e instanceof torch.FileNotFoundError && (e as Error).message === "Found no valid file for the classes cat. Supported extensions are: .jpg, .jpeg");
  assert.throws(() => new ImageFolder(IMAGES, { extensions: ".png", isValidFile: () => true }), /Both extensions and is_valid_file cannot be None or not None at the same time/);
  const dir = mkdtempSync(join(tmpdir(), "typetorch-folder-"));
  try {
    assert.throws(() => new ImageFolder(dir), (e: unknown) => e instanceof torch.FileNotFoundError && (e as Error).message === `Couldn't find any class folder in ${dir}.`);
    assert.throws(() => new ImageFolder(join(dir, "nope")), (e: unknown) => e instanceof torch.FileNotFoundError && /No such file or directory/.test((e as Error).message));
    mkdirSync(join(dir, "a"));
    mkdirSync(join(dir, "b"));
    writeFileSync(join(dir, "b", "x.png"), readFileSync(join(IMAGES, "cat/c1.png")));
    assert.throws(() => new ImageFolder(dir), /^FileNotFoundError: Found no valid file for the classes a\. Supported extensions are: \.jpg, \.jpeg, \.png, \.ppm, \.bmp, \.pgm, \.tif, \.tiff, \.webp$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The fixture's files as the async ImageFolder's entries, decoded by the Node decoder. */
function asyncFolder<S>(transform?: (img: RawImage) => S) {
  const entries = Object.keys(fx.images).concat(["dog/readme.txt"]).map((rel) => ({
    path: rel,
    read: async () => {
      await new Promise((r) => setTimeout(r, rel.length % 3));
      return new Uint8Array(readFileSync(join(IMAGES, rel)));
    },
  }));
  return new data.ImageFolder(entries, { transform: transform ?? null, loader: (bytes, path) => decodeImage(bytes as Uint8Array, "RGB", path) });
}

test("ImageFolder (async, browser-style) and its DataLoader: PyTorch's shuffled batches of CenterCrop(ToTensor)", async () => {
  const tf = new T.Compose([new T.ToTensor(), new T.CenterCrop(3)]);
  const ds = asyncFolder(tf);
  assert.deepEqual(ds.classes, fx.folder.classes);
  assert.deepEqual(ds.samples, fx.folder.samples);
  const c = fx.folder_loader;
  const nodeDs = new ImageFolder(IMAGES, { transform: tf });
  for (const [name, dataset] of [["async", ds], ["node", nodeDs]] as const) {
    torch.manualSeed(c.seed);
    const got: { x: Tensor; y: number[] }[] = [];
    if (name === "async") for await (const [x, y] of new DataLoader(dataset, { batchSize: 2, shuffle: true })) got.push({ x: x as Tensor, y: (y as Tensor).tolist() as number[] });
    else for (const [x, y] of new DataLoader(dataset, { batchSize: 2, shuffle: true })) got.push({ x: x as Tensor, y: (y as Tensor).tolist() as number[] });
    assert.deepEqual(torch.rand(2).tolist(), c.after, name);
    assert.equal(got.length, c.batches.length);
    got.forEach((b, k) => {
      const want = c.batches[k]!;
      assert.deepEqual(b.y, want.y, `${name} batch ${k}`);
      const wx = flat(want.x), gx = b.x.dataSync(), per = wx.length / want.i!.length;
      want.i!.forEach((idx, s) => {
        const rel = fx.folder.samples[idx]![0];
        const atol = fx.images[rel]!.jpeg ? jpegBound(rel).max / 255 + 1e-7 : 0;
        close(gx.subarray(s * per, (s + 1) * per), wx.slice(s * per, (s + 1) * per), atol, `${name} batch ${k} sample ${s}`);
      });
    });
  }
});

// ---------------------------------------------------------------------------- transforms

const c1 = () => readImage(join(IMAGES, "cat/c1.png"));

test("ToTensor and Normalize: torchvision's values and errors", () => {
  const x = new T.ToTensor()(c1());
  assert.deepEqual(x.shape, [3, 4, 5]);
  assert.equal(x.dtype, torch.float32);
  close(x.dataSync(), flat(fx.to_tensor_c1), 0, "ToTensor");
  const n = new T.Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.5]);
  close(n(x).dataSync(), flat(fx.normalize_c1), 0, "Normalize");
  close(x.dataSync(), flat(fx.to_tensor_c1), 0, "Normalize leaves its input alone");
  const y = x.clone();
  assert.equal(new T.Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.5], true)(y), y);
  close(y.dataSync(), flat(fx.normalize_c1), 0, "Normalize inplace");
  assert.equal(String(n), "Normalize(mean=[0.5, 0.4, 0.3], std=[0.2, 0.25, 0.5])");
  const err = (fn: () => unknown, type: string, msg: string) => assert.throws(fn, (e: unknown) => (e as Error).name === type && (e as Error).message === msg);
  err(() => new T.ToTensor()(x as never), "TypeError", "pic should be PIL Image or ndarray. Got <class 'torch.Tensor'>");
  err(() => n(torch.ones(3, 2, 2, { dtype: torch.int64 })), "TypeError", "Input tensor should be a float tensor. Got torch.int64.");
  err(() => n(torch.ones(2, 2)), "ValueError", "Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = torch.Size([2, 2])");
  err(() => n(torch.ones(2)), "TypeError", "Tensor is not a torch image.");
  err(() => new T.Normalize([0], [1e-50])(torch.ones(1, 1, 1)), "ValueError", "std evaluated to zero after conversion to torch.float32, leading to division by zero.");
  err(() => new T.Lambda(3 as never), "TypeError", "Argument lambd should be callable, got 'int'");
  // float64 default dtype
  torch.setDefaultDtype(torch.float64);
  try {
    assert.equal(new T.ToTensor()(c1()).dtype, torch.float64);
  } finally {
    torch.setDefaultDtype(torch.float32);
  }
});

test("RandomCrop (padding modes, pad_if_needed) and RandomHorizontalFlip: torchvision's crops and draws", () => {
  const img = c1();
  const x = new T.ToTensor()(img);
  for (const c of fx.random_crop) {
    const what = JSON.stringify({ ...c, crop: undefined, flipped: undefined });
    torch.manualSeed(c.seed);
    const crop = new T.RandomCrop(c.size, { padding: c.padding, padIfNeeded: c.pad_if_needed, fill: c.fill, paddingMode: c.mode });
    const flip = new T.RandomHorizontalFlip();
    if (c.kind === "pil") {
      const out = crop(img);
      assert.deepEqual([out.height, out.width, 3], c.crop_shape, what);
      close(out.data, flat(c.crop), 0, what);
      close(flip(out).data, flat(c.flipped), 0, what);
      close(img.data, fx.images["cat/c1.png"]!.rgb, 0, "the input image is left alone");
    } else {
      const out = crop(x);
      assert.deepEqual(out.shape, c.crop_shape, what);
      close(out.dataSync(), flat(c.crop), 0, what);
      close(flip(out).dataSync(), flat(c.flipped), 0, what);
    }
    assert.deepEqual(torch.rand(2).tolist(), c.after, what);
  }
  torch.manualSeed(5);
  assert.throws(() => new T.RandomCrop([7, 5])(x), (e: unknown) => e instanceof torch.ValueError && (e as Error).message === fx.crop_too_big);
  assert.throws(() => new T.RandomCrop(5)(x), (e: unknown) => e instanceof torch.RuntimeError && (e as Error).message === fx.crop_one_larger);
  assert.throws(() => new T.RandomCrop([1, 2, 3]), /Please provide only two dimensions \(h, w\) for size\./);
  assert.throws(() => new T.RandomCrop(2, { padding: [1, 2, 3] })(x), /Padding must be an int or a 1, 2, or 4 element tuple, not a 3 element tuple/);
  assert.throws(() => new T.RandomCrop(2, { padding: 1, paddingMode: "wrap" as never })(x), /Padding mode should be either constant, edge, reflect or symmetric/);
  // new RandomCrop(size, padding) is RandomCrop(size, padding=...)
  torch.manualSeed(101);
  const a = new T.RandomCrop(4, 2)(x);
  torch.manualSeed(101);
  assert.ok(a.equal(new T.RandomCrop(4, { padding: 2 })(x)));
  // RandomVerticalFlip(p=1) and the image form
  const v = new T.RandomVerticalFlip(1)(img);
  assert.deepEqual(Array.from(v.data.subarray(0, 15)), Array.from(img.data.subarray(45, 60)));
});

test("Resize (bilinear, nearest, smaller edge, max_size) and CenterCrop of tensors: torch's interpolate, bit for bit", () => {
  const input = torch.tensor(fx.resize_input as number[][][]);
  for (const c of fx.resize) {
    const out = new T.Resize(c.size, { interpolation: c.mode, maxSize: c.max_size })(input);
    assert.deepEqual(out.shape, c.shape, JSON.stringify(c.size));
    close(out.dataSync(), flat(c.out), 0, `${c.mode} ${JSON.stringify(c.size)}`);
  }
  for (const c of fx.center_crop) {
    const out = new T.CenterCrop(c.size)(input);
    assert.deepEqual(out.shape, c.shape);
    close(out.dataSync(), flat(c.out), 0, `CenterCrop ${c.size}`);
  }
  assert.throws(() => new T.Resize(8)(c1()), (e: unknown) => e instanceof torch.NotImplementedError && /put ToTensor\(\) before Resize/.test((e as Error).message));
  assert.throws(() => new T.Resize([1, 2, 3]), /If size is a sequence, it should have 1 or 2 values/);
  assert.throws(() => new T.Resize(5, { maxSize: 5 })(input), /max_size = 5 must be strictly greater than the requested size for the smaller edge size = \[5\]/);
  // an integer tensor is resized in float32 and rounded back
  const ints = torch.tensor([[[0, 10], [20, 31]]], { dtype: torch.int64 });
  const r = new T.Resize([3, 3])(ints);
  assert.equal(r.dtype, torch.int64);
  // CenterCrop of an image: PIL's crop
  const cc = new T.CenterCrop([2, 3])(c1());
  assert.deepEqual([cc.height, cc.width], [2, 3]);
  assert.deepEqual(Array.from(cc.data.subarray(0, 9)), Array.from(c1().data.subarray((1 * 5 + 1) * 3, (1 * 5 + 4) * 3)));
});

test("Compose and Lambda: callable, in order, torchvision's repr", () => {
  const t = new T.Compose([new T.ToTensor(), new T.Lambda((x: Tensor) => x.mul(2)), (x: Tensor) => x.sum()]);
  const img = data.rawImage("L", 2, 1, new Uint8Array([0, 255]));
  assert.equal(t(img).item(), 2);
  assert.equal(t.forward(img).item(), 2);
  assert.equal(String(new T.Compose([new T.ToTensor(), new T.Normalize([0.5], [0.5]), new T.RandomHorizontalFlip()])),
    "Compose(\n    ToTensor()\n    Normalize(mean=[0.5], std=[0.5])\n    RandomHorizontalFlip(p=0.5)\n)");
  assert.equal(String(new T.RandomCrop(32, 4)), "RandomCrop(size=(32, 32), padding=4)");
  assert.equal(typeof new T.ToTensor(), "function");
});

// ---------------------------------------------------------------------------- MNIST / CIFAR-10

test("MNIST: the IDX files under MNIST/raw, samples as PIL's L images, a shuffled DataLoader of Normalize(ToTensor)", () => {
  const raw = new MNIST(FIX);
  assert.equal(raw.length, fx.mnist.train_targets.length);
  assert.deepEqual(raw.targets, fx.mnist.train_targets);
  const [img0, y0] = raw.getItem(0);
  assert.deepEqual([img0.mode, img0.width, img0.height], ["L", 28, 28]);
  assert.equal(y0, fx.mnist.train_targets[0]);
  close(img0.data, fx.mnist.item0_pixels, 0, "item 0");
  assert.equal(raw.classes[3], "3 - three");
  assert.equal(raw.classToIdx["9 - nine"], 9);
  const tf = new T.Compose([new T.ToTensor(), new T.Normalize([0.1307], [0.3081])]);
  const ds = new MNIST(FIX, { transform: tf });
  assert.match(String(ds), /^Dataset MNIST\n    Number of datapoints: 6\n    Root location: .*\n    Split: Train\n    StandardTransform\nTransform: Compose\(/);
  torch.manualSeed(fx.mnist.seed);
  const batches = [...new DataLoader(ds, { batchSize: 4, shuffle: true })];
  assert.equal(batches.length, fx.mnist.batches.length);
  batches.forEach(([x, y], k) => {
    assert.deepEqual(x!.shape, [fx.mnist.batches[k]!.y.length, 1, 28, 28]);
    close(x!.dataSync(), flat(fx.mnist.batches[k]!.x), 0, `batch ${k}`);
    assert.deepEqual(y!.tolist(), fx.mnist.batches[k]!.y);
  });
  assert.deepEqual(torch.rand(2).tolist(), fx.mnist.after);
});

test("FashionMNIST: gzip-compressed files in the root itself; missing files and download=True are clear errors", () => {
  const test_ = new FashionMNIST(join(FIX, "fashion"), { train: false });
  assert.deepEqual(test_.targets, fx.mnist.test_targets);
  close(test_.getItem(2)[0].data, fx.mnist.test_item2_pixels, 0, "test item 2");
  assert.equal(test_.classes[9], "Ankle boot");
  assert.throws(() => new FashionMNIST(join(FIX, "fashion")), (e: unknown) =>
    e instanceof torch.RuntimeError && /^Dataset not found: FashionMNIST needs train-images-idx3-ubyte \(or train-images-idx3-ubyte\.gz\) in .*FashionMNIST\/raw or .*fashion; .*typetorch never downloads/.test((e as Error).message));
  assert.throws(() => new MNIST(FIX, { download: true }), /typetorch never downloads datasets/);
  const dir = mkdtempSync(join(tmpdir(), "typetorch-mnist-"));
  try {
    writeFileSync(join(dir, "train-images-idx3-ubyte"), new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3]));
    writeFileSync(join(dir, "train-labels-idx1-ubyte"), new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 4]));
    assert.throws(() => new MNIST(dir), /an IDX file of shape \[1, 2, 2\] has 20 bytes, this one 19/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("CIFAR10 (binary version): labels, HWC pixels, and RandomCrop(32, padding=4) + flip + Normalize(ToTensor) batches", () => {
  const raw = new CIFAR10(FIX);
  assert.deepEqual(raw.targets, fx.cifar.train_targets);
  assert.deepEqual(new CIFAR10(FIX, { train: false }).targets, fx.cifar.test_targets);
  const [img3] = raw.getItem(3);
  assert.deepEqual([img3.mode, img3.width, img3.height], ["RGB", 32, 32]);
  close(img3.data, fx.cifar.item3_hwc, 0, "item 3");
  assert.deepEqual(raw.classes.slice(0, 2), ["airplane", "automobile"]);
  const tf = new T.Compose([new T.RandomCrop(32, { padding: 4 }), new T.RandomHorizontalFlip(), new T.ToTensor(),
    new T.Normalize([0.4914, 0.4822, 0.4465], [0.2470, 0.2435, 0.2616])]);
  torch.manualSeed(fx.cifar.seed);
  const batches = [...new DataLoader(new CIFAR10(FIX, { transform: tf }), { batchSize: 3, shuffle: true })];
  assert.equal(batches.length, fx.cifar.batches.length);
  batches.forEach(([x, y], k) => {
    const want = fx.cifar.batches[k]!;
    assert.deepEqual(y!.tolist(), want.y);
    if (want.x !== null) close(x!.dataSync(), flat(want.x), 0, `batch ${k}`);
    // float64 sums of the float32 values: only the order of the additions differs
    close(x!.double().sum([1, 2, 3]).dataSync(), want.sums!, 1e-9, `batch ${k} sums`);
  });
  assert.deepEqual(torch.rand(2).tolist(), fx.cifar.after);
  const dir = mkdtempSync(join(tmpdir(), "typetorch-cifar-"));
  try {
    assert.throws(() => new CIFAR10(dir), /Dataset not found: CIFAR10 \(binary version\) needs data_batch_1\.bin/);
    writeFileSync(join(dir, "test_batch.bin"), new Uint8Array(3000));
    assert.throws(() => new CIFAR10(dir, { train: false }), /3000 bytes is not a whole number of 3073-byte CIFAR-10 records/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("ImageFolder.fromFiles: a picked folder's files (webkitRelativePath), read as Blobs", async () => {
  const files = Object.keys(fx.images).map((rel) =>
    Object.assign(new Blob([readFileSync(join(IMAGES, rel))]), { name: rel.split("/").pop()!, webkitRelativePath: `picked/${rel}` }));
  const ds = data.ImageFolder.fromFiles(files, { loader: async (b, path) => decodeImage(new Uint8Array(await (b as Blob).arrayBuffer()), "RGB", path) });
  assert.deepEqual(ds.samples, fx.folder.samples);
  const [img, y] = await ds.getItem(0);
  assert.equal(y, 0);
  close(img.data, fx.images["cat/c1.png"]!.rgb, 0, "c1 through a Blob");
  const items = await ds.getItems([5, 0]);
  assert.deepEqual(items.map(([, t]) => t), [1, 0]);
});

test("the fixtures' oracle is named (torchvision, or its formulas where it is not installed)", (t) => {
  assert.ok(["torchvision", "formulas (torchvision not installed)"].includes(fx.oracle), fx.oracle);
  t.diagnostic(`transform fixtures computed by: ${fx.oracle}`);
});
