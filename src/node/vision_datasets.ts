// torchvision.datasets.MNIST, FashionMNIST, KMNIST and CIFAR10, reading the standard files from a
// folder, never downloading. Followed: torchvision 0.14's datasets/mnist.py and cifar.py (where the
// files live, the classes, what a sample is: a PIL image of mode L / RGB and an int target).
//
// NOTE, where these differ from torchvision:
// - MNIST-like: the two IDX files of the chosen split are looked for in <root>/<Class>/raw (as
//   torchvision) and then in <root> itself (e.g. Debian's /usr/share/datasets/fashion-mnist), each
//   either unpacked or gzip-compressed (.gz) as distributed; torchvision wants all four unpacked.
// - CIFAR-10: the binary version (cifar-10-batches-bin: data_batch_1.bin ... data_batch_5.bin,
//   test_batch.bin, batches.meta.txt), whose pixels and labels are those of the python version
//   that torchvision reads (its pickles would need numpy's pickle protocol).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { RuntimeError, ValueError, utils } from "../index.js";
import type { ImageMode, RawImage } from "../utils/data/image.js";

const { Dataset } = utils.data;

export interface VisionDatasetOptions<S, Y> {
  /** The training split (default true) or the test split. */
  train?: boolean;
  /** Applied to each image (a RawImage of mode L for MNIST-like sets, RGB for CIFAR-10). */
  transform?: ((img: RawImage) => S) | null;
  /** Applied to each target (an int). */
  targetTransform?: ((target: number) => Y) | null;
  /** typetorch never downloads: true is an error that says where to put the files. */
  download?: boolean;
}

/** The shared part of the image datasets: samples held as one byte array of same-size images. */
abstract class ImageArrayDataset<S, Y> extends Dataset<[S, Y]> {
  readonly root: string;
  readonly train: boolean;
  readonly transform: ((img: RawImage) => S) | null;
  readonly targetTransform: ((target: number) => Y) | null;
  /** All images, HWC bytes one after another ([N, H, W] or [N, H, W, C], as torchvision's `data`). */
  abstract readonly data: Uint8Array;
  /** The class index of each sample. */
  abstract readonly targets: number[];
  abstract readonly classes: readonly string[];
  protected abstract readonly imageShape: { mode: ImageMode; height: number; width: number };

  constructor(root: string, options: VisionDatasetOptions<S, Y>) {
    super();
    this.root = root;
    this.train = options.train ?? true;
    this.transform = options.transform ?? null;
    this.targetTransform = options.targetTransform ?? null;
    if (options.download) {
      throw new RuntimeError(
        `${this.constructor.name}: typetorch never downloads datasets (download=True); put the files in ${root} yourself (see the class's documentation for the layout)`,
      );
    }
  }

  /** `{class name: index}`. */
  get classToIdx(): Record<string, number> {
    const out: Record<string, number> = {};
    this.classes.forEach((c, i) => (out[c] = i));
    return out;
  }

  get length(): number {
    return this.targets.length;
  }

  /** The raw image of sample `index` (no transform), a view of `data`. */
  image(index: number): RawImage {
    const { mode, height, width } = this.imageShape;
    const n = height * width * (mode === "L" ? 1 : 3);
    return { mode, width, height, data: this.data.subarray(index * n, (index + 1) * n) };
  }

  /** `(image, target)`: PIL's image of the sample and its class index, each transformed. */
  getItem(index: number): [S, Y] {
    const i = index < 0 ? index + this.length : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new RangeError(`index ${index} is out of bounds for dimension 0 with size ${this.length}`);
    const img = this.image(i);
    const target = this.targets[i]!;
    return [this.transform ? this.transform(img) : (img as unknown as S), this.targetTransform ? this.targetTransform(target) : (target as unknown as Y)];
  }

  override toString(): string {
    const lines = [`Dataset ${this.constructor.name}`, `    Number of datapoints: ${this.length}`, `    Root location: ${this.root}`, `    Split: ${this.train ? "Train" : "Test"}`];
    if (this.transform) lines.push(`    StandardTransform\nTransform: ${String(this.transform).replace(/\n/g, "\n           ")}`);
    return lines.join("\n");
  }
}

/** The bytes of an IDX file of unsigned bytes, checked: [shape, values]. */
export function readIdxBytes(path: string, ndim: number): { shape: number[]; values: Uint8Array } {
  let buf: Uint8Array = readFileSync(path);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new RuntimeError(`${path}: corrupt gzip data (${(e as Error).message})`);
    }
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) throw new RuntimeError(`${path}: not an IDX file (bad magic number)`);
  if (buf[2] !== 0x08) throw new RuntimeError(`${path}: IDX type 0x${buf[2]!.toString(16)} is not unsigned bytes (0x08)`);
  if (buf[3] !== ndim) throw new RuntimeError(`${path}: expected ${ndim} dimensions, the file has ${buf[3]}`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const header = 4 + 4 * ndim;
  if (buf.length < header) throw new RuntimeError(`${path}: truncated IDX header`);
  const shape = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i, false));
  const numel = shape.reduce((a, b) => a * b, 1);
  if (buf.length !== header + numel) {
    throw new RuntimeError(`${path}: an IDX file of shape [${shape.join(", ")}] has ${header + numel} bytes, this one ${buf.length}`);
  }
  return { shape, values: buf.subarray(header) };
}

/**
 * `torchvision.datasets.MNIST(root, train=True, transform=None, target_transform=None)`: the IDX
 * files `train-images-idx3-ubyte`, `train-labels-idx1-ubyte` (or `t10k-*` for the test split),
 * unpacked or `.gz`, in `<root>/MNIST/raw` or `<root>`. A sample is `[image (mode L, 28x28), digit]`.
 * @example
 * import { MNIST } from "typetorch/node";
 * const train = new MNIST("data", { transform: new torch.utils.data.transforms.ToTensor() });
 */
export class MNIST<S = RawImage, Y = number> extends ImageArrayDataset<S, Y> {
  static readonly classes: readonly string[] = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"];
  readonly data: Uint8Array;
  readonly targets: number[];
  protected readonly imageShape: { mode: ImageMode; height: number; width: number };

  constructor(root: string, options: VisionDatasetOptions<S, Y> = {}) {
    super(root, options);
    const split = this.train ? "train" : "t10k";
    const images = readIdxBytes(this.findFile(`${split}-images-idx3-ubyte`), 3);
    const labels = readIdxBytes(this.findFile(`${split}-labels-idx1-ubyte`), 1);
    if (images.shape[0] !== labels.shape[0]) {
      throw new RuntimeError(`${this.constructor.name}: ${images.shape[0]} images but ${labels.shape[0]} labels in ${this.rawFolder}`);
    }
    this.data = images.values;
    this.targets = Array.from(labels.values);
    this.imageShape = { mode: "L", height: images.shape[1]!, width: images.shape[2]! };
  }

  get classes(): readonly string[] {
    return (this.constructor as typeof MNIST).classes;
  }

  /** `<root>/<ClassName>/raw`, where torchvision keeps the files. */
  get rawFolder(): string {
    return join(this.root, this.constructor.name, "raw");
  }

  private findFile(name: string): string {
    const tried: string[] = [];
    for (const dir of [this.rawFolder, this.root]) {
      for (const f of [name, `${name}.gz`]) {
        const p = join(dir, f);
        if (existsSync(p)) return p;
        tried.push(p);
      }
    }
    throw new RuntimeError(
      `Dataset not found: ${this.constructor.name} needs ${name} (or ${name}.gz) in ${this.rawFolder} or ${this.root}; none of ${tried.join(", ")} exists. typetorch never downloads: put the files there yourself.`,
    );
  }
}

/** `torchvision.datasets.FashionMNIST`: MNIST's format, in `<root>/FashionMNIST/raw` or `<root>`. */
export class FashionMNIST<S = RawImage, Y = number> extends MNIST<S, Y> {
  static override readonly classes: readonly string[] = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
}

/** `torchvision.datasets.KMNIST` (Kuzushiji-MNIST): MNIST's format, in `<root>/KMNIST/raw` or `<root>`. */
export class KMNIST<S = RawImage, Y = number> extends MNIST<S, Y> {
  static override readonly classes: readonly string[] = ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"];
}

const CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

/**
 * `torchvision.datasets.CIFAR10(root, train=True, ...)` from CIFAR-10's binary version: in
 * `<root>/cifar-10-batches-bin` (or `<root>`), `data_batch_1.bin` ... `data_batch_5.bin` (train) or
 * `test_batch.bin` (test), records of 1 label byte and 3072 pixel bytes (1024 red, 1024 green,
 * 1024 blue, rows of 32); class names from `batches.meta.txt`. A sample is `[image (RGB, 32x32), label]`.
 * @example
 * import { CIFAR10 } from "typetorch/node";
 * const test = new CIFAR10("data", { train: false });
 */
export class CIFAR10<S = RawImage, Y = number> extends ImageArrayDataset<S, Y> {
  static readonly baseFolder = "cifar-10-batches-bin";
  static readonly trainList = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];
  static readonly testList = ["test_batch.bin"];
  readonly data: Uint8Array;
  readonly targets: number[];
  readonly classes: readonly string[];
  protected readonly imageShape = { mode: "RGB" as ImageMode, height: 32, width: 32 };

  constructor(root: string, options: VisionDatasetOptions<S, Y> = {}) {
    super(root, options);
    const base = join(root, CIFAR10.baseFolder);
    const dir = existsSync(join(base, CIFAR10.testList[0]!)) || existsSync(join(base, CIFAR10.trainList[0]!)) ? base : root;
    const files = this.train ? CIFAR10.trainList : CIFAR10.testList;
    const missing = files.filter((f) => !existsSync(join(dir, f)));
    if (missing.length) {
      throw new RuntimeError(
        `Dataset not found: CIFAR10 (binary version) needs ${files.join(", ")} in ${base} or ${root}; missing ${missing.join(", ")}. typetorch never downloads: unpack cifar-10-binary.tar.gz there yourself.`,
      );
    }
    const record = 1 + 3072;
    const chunks = files.map((f) => {
      const p = join(dir, f);
      const b = readFileSync(p);
      if (b.length % record !== 0) throw new RuntimeError(`${p}: ${b.length} bytes is not a whole number of 3073-byte CIFAR-10 records`);
      return { p, b };
    });
    const n = chunks.reduce((s, c) => s + c.b.length / record, 0);
    this.data = new Uint8Array(n * 3072);
    this.targets = new Array<number>(n);
    let k = 0;
    for (const { p, b } of chunks) {
      for (let r = 0; r < b.length; r += record, k++) {
        const label = b[r]!;
        if (label > 9) throw new RuntimeError(`${p}: record ${r / record} has label ${label}, not 0..9`);
        this.targets[k] = label;
        // CHW planes -> HWC, as torchvision's data.transpose((0, 2, 3, 1))
        const px = b.subarray(r + 1, r + record), out = k * 3072;
        for (let i = 0; i < 1024; i++) {
          this.data[out + 3 * i] = px[i]!;
          this.data[out + 3 * i + 1] = px[1024 + i]!;
          this.data[out + 3 * i + 2] = px[2048 + i]!;
        }
      }
    }
    const meta = join(dir, "batches.meta.txt");
    if (existsSync(meta)) {
      const names = readFileSync(meta, "utf8").split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== "");
      if (names.length !== 10) throw new ValueError(`${meta}: expected 10 class names, found ${names.length}`);
      this.classes = names;
    } else this.classes = CIFAR10_CLASSES;
  }
}
